"""benchmarks.geoparse on a tiny file of our own in the LGL layout: outlets, homes, and the figures."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.geoparse import main, outlet_homes, read_articles, resolve_in_one_run, resolve_in_order
from sitroom.nlp.gazetteer import load_gazetteer
from sitroom.nlp.places import resolve_toponyms

# (text, [(phrase, lat, lon)]): a Kentucky paper; its last article names Richmond alone.
ARTICLES = [
    ("Flooding closed roads near Frankfort, Kentucky, on Friday.", [("Frankfort", 38.20, -84.87)]),
    ("A clinic opened in Bowling Green, Kentucky, this week.", [("Bowling Green", 36.99, -86.44)]),
    ("The council met in Lexington, Kentucky, on Monday.", [("Lexington", 38.05, -84.46)]),
    ("Snow closed schools in Paducah, Kentucky, on Thursday.", [("Paducah", 37.08, -88.60)]),
    ("The library in Owensboro, Kentucky, will open a branch.", [("Owensboro", 37.77, -87.11)]),
    ("Police in Richmond arrested two men after a chase.", [("Richmond", 37.75, -84.29)]),
]


def _lgl_file(path: Path) -> Path:
    parts = ["<articles>"]
    for n, (text, toponyms) in enumerate(ARTICLES):
        tops = "".join(
            f"<toponym><start>{text.index(p)}</start><end>{text.index(p) + len(p)}</end><phrase>{p}</phrase>"
            f"<gaztag><lat>{lat}</lat><lon>{lon}</lon></gaztag></toponym>"
            for p, lat, lon in toponyms
        )
        parts.append(
            f'<article docid="{n}"><domain>courier.example</domain><text>{text}</text><toponyms>{tops}</toponyms></article>'
        )
    path.write_text("".join(parts) + "</articles>", encoding="utf-8")
    return path


def test_homes_are_learned_from_the_outlets_other_articles(tmp_path):
    articles, unaligned = read_articles(_lgl_file(tmp_path / "courier.xml"))
    assert unaligned == 0 and {a.outlet for a in articles} == {"courier.example"}
    gaz = load_gazetteer()

    def resolve(i, home):
        spans = [(t.start, t.end) for t in articles[i].toponyms]
        return resolve_toponyms(articles[i].text, spans, gazetteer=gaz, home=home)

    alone = [resolve(i, None) for i in range(len(articles))]
    homes = outlet_homes(articles, alone)
    assert [home.admin1 for home in homes] == ["Kentucky"] * 6  # each from the five others
    assert alone[5][0].admin1 != "Kentucky"
    in_order = resolve_in_order(articles, resolve)  # from the fourth on, three earlier articles
    assert in_order[5][0].admin1 == "Kentucky"
    asked = []
    one_run = resolve_in_one_run(articles, lambda i, home: asked.append((i, home)) or resolve(i, home))
    assert [home is None for _, home in asked] == [True] * 5 + [False]  # a first wave of five
    assert one_run[5][0].admin1 == "Kentucky" and [p[0].name for p in one_run] == [p[0].name for p in in_order]
    asked.clear()
    resolve_in_one_run(articles[:5], lambda i, home: asked.append((i, home)) or resolve(i, home))
    assert asked == [(i, None) for i in range(5)]  # five only: no wave, no home


def test_main_prints_each_figure_four_ways(tmp_path, capsys):
    assert main(["--data", str(_lgl_file(tmp_path / "courier.xml")), "--no-e2e"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["courier"]["resolution"]
    assert figures["in_order"]["acc@161"] == 1.0 and figures["in_one_run"]["acc@161"] == 1.0
    assert figures["acc@161"] == round(5 / 6, 4) and figures["with_home"]["articles_with_home"] == 6
