"""Benchmark the geoparser on LGL, TR-News and GeoVirus (Gritta et al.), or any file in their layouts.

    python -m benchmarks.geoparse [--data FILE.xml ...] [--errors N] [--limit N] [--no-e2e]

Per dataset it prints (1) resolution of the gold toponym spans: accuracy within 161 km (acc@161),
median and mean error in km (a toponym left unresolved counts as 20,039 km, half the Earth's
circumference, as in Gritta et al.); (2) end to end, what a user gets: ``find_places`` on spaCy's parse,
scored as acc@161 over every gold toponym with coordinates (a toponym the recogniser misses counts as
unresolved; a predicted place overlapping the gold span is its answer), and toponym recognition P/R/F1
with exact and overlapping span matching; (3) documents per second for each. ``--errors N`` buckets the
resolution misses by cause (see benchmarks/geoparse_errors.py) and prints N examples per bucket. The
last line is one JSON object with every figure.

Each figure is given four ways: per document, as a lone article is parsed (the tracked figure; the
article's outlet is known, so where its domain is a country's, ".co.uk", its places weigh that country
as a ``process`` run would: places_home.web_home), and "with
the outlet's home": what a workspace that already holds the outlet's other articles gives, each article's
home region (sitroom.nlp.places_home) learned, leave-one-out, from what sitroom itself resolved in the
set's other articles of the same outlet (LGL and TR-News name the domain; GeoVirus's Wikinews URLs are one
outlet); and "in file order": each article's home from the outlet's *earlier* articles as they were
resolved, home and all, as a workspace given the articles one run at a time learns it; and "in one run":
the whole set given to one ``process`` run of a new workspace, which reads each outlet's first five
articles first and the others with the home those teach (places_home.RunHomes). No gold place is read
for any of them.

Gold offsets are not always exact (GeoVirus is one character off, some TR-News offsets are shifted), so
each gold toponym is re-anchored on the nearest occurrence of its phrase before scoring.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.geoparse_errors import Miss, classify, gold_countries, summarise
from sitroom.nlp.gazetteer import load_gazetteer
from sitroom.nlp.places import distance_km, find_places, resolve_toponyms
from sitroom.nlp.places_home import FIRST_WAVE, LOCAL_FEATURES, OutletHome, outlet_home, web_home

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "geoparse"
DEFAULT_FILES = ("lgl.xml", "TR-News.xml", "GeoVirus.xml")
MISSING_KM = 20039.0
ALIGN_WINDOW = 200


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    kind: str  # GeoNames feature code where the gold set gives one, else "?"


@dataclass(frozen=True, slots=True)
class Article:
    text: str
    toponyms: tuple[GoldToponym, ...]
    outlet: str | None = None  # the domain (LGL, TR-News) or the source URL's host (GeoVirus)


def read_articles(path: Path) -> tuple[list[Article], int]:
    """Read an LGL/TR-News or GeoVirus file; return the articles and how many toponyms failed to align."""
    root = ET.parse(path).getroot()
    articles, unaligned = [], 0
    for node in root.iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for top in list(node.iter("toponym")) + list(node.iter("location")):
            phrase = (top.findtext("phrase") or top.findtext("name") or "").strip()
            start, end = int(top.findtext("start")), int(top.findtext("end"))
            where = align_span(text, phrase, start, end)
            if where is None:
                unaligned += 1
                continue
            lat, lon, kind = read_coordinates(top)
            gold.append(GoldToponym(where[0], where[1], phrase, lat, lon, kind))
        articles.append(Article(text, tuple(gold), read_outlet(node)))
    return articles, unaligned


def read_outlet(node: ET.Element) -> str | None:
    domain = (node.findtext("domain") or "").strip()
    if domain:
        return domain
    source = (node.findtext("source") or "").strip()
    return source.split("/")[2] if source.count("/") >= 2 else None


def local_regions(places: list) -> set[tuple[str, str]]:
    """The (country, first-level region) pairs of an article's local places: what its outlet's home is
    learned from (sitroom.nlp.places_home, as ``Store.outlet_regions`` reads them)."""
    return {
        (p.country_code, p.admin1)
        for p in places
        if p and p.country_code and p.admin1 and p.feature in LOCAL_FEATURES
    }


def home_for(article: Article, learned: OutletHome | None) -> OutletHome | None:
    """The home a ``process`` run hands the article's places component (places_home.OutletHomes.attach):
    the learned one, else the country of the outlet's web address (the sets name outlets by domain)."""
    return learned or web_home(article.outlet)


def outlet_homes(articles: list[Article], places: list[list]) -> list[OutletHome | None]:
    """Each article's outlet home from the local places resolved in the other articles of its outlet."""
    regions = [local_regions(found) for found in places]
    by_outlet: dict[str | None, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        by_outlet[article.outlet].append(i)
    return [
        outlet_home(regions[j] for j in by_outlet[a.outlet] if j != i) if a.outlet else None
        for i, a in enumerate(articles)
    ]


def resolve_in_order(
    articles: list[Article], resolve: Callable[[int, OutletHome | None], list]
) -> list[list]:
    """Resolve the articles in file order as a workspace given them one run at a time would: each
    article's home from the earlier articles of its outlet as they were resolved (with their own homes,
    so a home's mistakes feed back as they would in use). ``resolve(i, home)`` gives article i's places."""
    history: dict[str | None, list[set[tuple[str, str]]]] = defaultdict(list)
    resolved = []
    for i, article in enumerate(articles):
        home = outlet_home(history[article.outlet]) if article.outlet else None
        places = resolve(i, home)
        resolved.append(places)
        history[article.outlet].append(local_regions(places))
    return resolved


def resolve_in_one_run(
    articles: list[Article], resolve: Callable[[int, OutletHome | None], list]
) -> list[list]:
    """Resolve the articles as one ``process`` run over a new workspace does (places_home.RunHomes): an
    outlet with more than FIRST_WAVE articles has its first FIRST_WAVE (in file order) read without a
    home, and its others with the home those teach; every other article without a home."""
    by_outlet: dict[str | None, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        if article.outlet:
            by_outlet[article.outlet].append(i)
    resolved: list[list | None] = [None] * len(articles)
    home_of: dict[str | None, OutletHome | None] = {}
    for outlet, positions in by_outlet.items():
        if len(positions) > FIRST_WAVE:
            first = positions[:FIRST_WAVE]
            for i in first:
                resolved[i] = resolve(i, None)
            home_of[outlet] = outlet_home(local_regions(resolved[i]) for i in first)
    return [
        found if found is not None else resolve(i, home_of.get(articles[i].outlet))
        for i, found in enumerate(resolved)
    ]


def read_coordinates(top: ET.Element) -> tuple[float | None, float | None, str]:
    gaz = top.find("gaztag")
    node = gaz if gaz is not None else top
    lat, lon = node.findtext("lat"), node.findtext("lon")
    kind = (gaz.findtext("fcode") if gaz is not None else None) or "?"
    if lat is None or lon is None:
        return None, None, kind
    return float(lat), float(lon), kind


def align_span(text: str, phrase: str, start: int, end: int) -> tuple[int, int] | None:
    """Find the occurrence of ``phrase`` nearest the given offsets (exact case first, then any case)."""
    if not phrase:
        return None
    if text[start:end] == phrase:
        return (start, end)
    lo = max(0, start - ALIGN_WINDOW)
    window = text[lo : start + len(phrase) + ALIGN_WINDOW]
    for haystack, needle in ((window, phrase), (window.lower(), phrase.lower())):
        hits, pos = [], haystack.find(needle)
        while pos >= 0:
            hits.append(lo + pos)
            pos = haystack.find(needle, pos + 1)
        if hits:
            best = min(hits, key=lambda h: abs(h - start))
            return (best, best + len(phrase))
    return None


def score_resolution(articles: list[Article], *, errors: int) -> tuple[dict, list[Miss]]:
    """Resolve every gold span that has coordinates; return the figures and (with ``errors``) the misses.
    The figures with the outlet's home are under "with_home"."""
    gaz = load_gazetteer()
    errs: list[float] = []
    raw: list[tuple[float, GoldToponym, object, int]] = []
    started = time.perf_counter()
    resolved = []
    for position, article in enumerate(articles):
        gold = [t for t in article.toponyms if t.lat is not None]
        spans = [(t.start, t.end) for t in gold]
        places = resolve_toponyms(article.text, spans, gazetteer=gaz, home=home_for(article, None))
        resolved.append(places)
        for top, place in zip(gold, places, strict=True):
            km = MISSING_KM if place is None else distance_km(top.lat, top.lon, place.lat, place.lon)
            errs.append(km)
            if km > 161 and errors:
                raw.append((km, top, place, position))
    elapsed = time.perf_counter() - started
    figures = summarise_errors(errs)
    figures["docs_per_s"] = round(len(articles) / elapsed, 1)
    homes = outlet_homes(articles, resolved)
    home_errs: list[float] = []
    for article, home in zip(articles, homes, strict=True):
        gold = [t for t in article.toponyms if t.lat is not None]
        spans = [(t.start, t.end) for t in gold]
        places = resolve_toponyms(article.text, spans, gazetteer=gaz, home=home_for(article, home))
        home_errs += [
            MISSING_KM if p is None else distance_km(t.lat, t.lon, p.lat, p.lon)
            for t, p in zip(gold, places, strict=True)
        ]
    figures["with_home"] = summarise_errors(home_errs) | {
        "articles_with_home": sum(h is not None for h in homes)
    }

    def resolve_gold(i: int, home: OutletHome | None) -> list:
        spans = [(t.start, t.end) for t in articles[i].toponyms if t.lat is not None]
        return resolve_toponyms(articles[i].text, spans, gazetteer=gaz, home=home_for(articles[i], home))

    in_order = resolve_in_order(articles, resolve_gold)
    figures["in_order"] = summarise_errors(
        [
            MISSING_KM if p is None else distance_km(t.lat, t.lon, p.lat, p.lon)
            for article, places in zip(articles, in_order, strict=True)
            for t, p in zip([t for t in article.toponyms if t.lat is not None], places, strict=True)
        ]
    )
    one_run = resolve_in_one_run(articles, resolve_gold)
    figures["in_one_run"] = summarise_errors(
        [
            MISSING_KM if p is None else distance_km(t.lat, t.lon, p.lat, p.lon)
            for article, places in zip(articles, one_run, strict=True)
            for t, p in zip([t for t in article.toponyms if t.lat is not None], places, strict=True)
        ]
    )
    return figures, classify_misses(articles, raw) if errors else []


def summarise_errors(errs: list[float]) -> dict:
    return {
        "toponyms": len(errs),
        "acc@161": round(sum(e <= 161 for e in errs) / max(len(errs), 1), 4),
        "median_km": round(statistics.median(errs), 1) if errs else None,
        "mean_km": round(statistics.fmean(errs), 1) if errs else None,
        "unresolved": sum(e == MISSING_KM for e in errs),
    }


def classify_misses(articles: list[Article], raw: list[tuple]) -> list[Miss]:
    """Bucket the misses; "abroad" compares a miss's gold country with its document's commonest one."""
    gaz = load_gazetteer()
    located = [(a, t) for a, article in enumerate(articles) for t in article.toponyms if t.lat is not None]
    codes = gold_countries([(t.lat, t.lon) for _, t in located])
    per_doc: dict[int, Counter] = defaultdict(Counter)
    code_of: dict[tuple[int, int], str] = {}
    for (a, top), cc in zip(located, codes, strict=True):
        per_doc[a][cc] += 1
        code_of[(a, top.start)] = cc
    out = []
    for km, top, place, a in raw:
        home = per_doc[a].most_common(1)[0][0] if per_doc[a] else ""
        got = (
            "None"
            if place is None
            else f"{place.name} [{place.feature}, {place.country_code}/{place.admin1}] {place.reason}"
        )
        text = articles[a].text
        ctx = text[max(0, top.start - 40) : top.end + 40].replace("\n", " ")
        bucket = classify(gaz, top.phrase, top.lat, top.lon, place)
        out.append(
            Miss(km, top.phrase, (top.lat, top.lon), got, bucket, code_of[(a, top.start)] != home, ctx)
        )
    return out


def score_recognition(articles: list[Article], nlp) -> dict:
    """End to end: spaCy + find_places against every gold toponym span (with or without coordinates),
    and acc@161 over the gold toponyms with coordinates, a toponym not found counting as unresolved;
    acc@161 with the outlet's home under "resolution_with_home"."""
    gaz = load_gazetteer()
    tp_exact = tp_overlap = n_pred = n_gold = 0
    errs: list[float] = []
    started = time.perf_counter()
    in_places = 0.0
    texts = [a.text for a in articles]
    parsed, found = [], []
    for article, sdoc in zip(articles, nlp.pipe(texts, batch_size=32), strict=True):
        clock = time.perf_counter()
        places = find_places(article.text, sdoc, gazetteer=gaz, home=home_for(article, None))
        in_places += time.perf_counter() - clock
        parsed.append(sdoc)
        found.append(places)
        predicted = {(p.start, p.end) for p in places}
        gold = {(t.start, t.end) for t in article.toponyms}
        n_pred += len(predicted)
        n_gold += len(gold)
        tp_exact += len(predicted & gold)
        tp_overlap += count_overlaps(sorted(predicted), sorted(gold))
        errs.extend(end_to_end_errors(article, places))
    elapsed = time.perf_counter() - started
    out = {
        "docs_per_s": round(len(articles) / elapsed, 1),
        "places_ms_per_doc": round(1000 * in_places / max(len(articles), 1), 2),
        "predicted": n_pred,
        "gold": n_gold,
    }
    for name, tp in (("exact", tp_exact), ("overlap", tp_overlap)):
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[name] = {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4)}
    out["resolution"] = summarise_errors(errs)
    home_errs: list[float] = []
    for article, sdoc, places, home in zip(
        articles, parsed, found, outlet_homes(articles, found), strict=True
    ):
        if home is not None:
            places = find_places(article.text, sdoc, gazetteer=gaz, home=home_for(article, home))
        home_errs.extend(end_to_end_errors(article, places))
    out["resolution_with_home"] = summarise_errors(home_errs)
    in_order = resolve_in_order(
        articles,
        lambda i, home: find_places(
            articles[i].text, parsed[i], gazetteer=gaz, home=home_for(articles[i], home)
        ),
    )
    out["resolution_in_order"] = summarise_errors(
        [
            err
            for article, places in zip(articles, in_order, strict=True)
            for err in end_to_end_errors(article, places)
        ]
    )
    one_run = resolve_in_one_run(
        articles,
        lambda i, home: (
            found[i]
            if home is None
            else find_places(articles[i].text, parsed[i], gazetteer=gaz, home=home_for(articles[i], home))
        ),
    )
    out["resolution_in_one_run"] = summarise_errors(
        [
            err
            for article, places in zip(articles, one_run, strict=True)
            for err in end_to_end_errors(article, places)
        ]
    )
    return out


def end_to_end_errors(article: Article, places: list) -> list[float]:
    """Error in km of each gold toponym with coordinates: the predicted place overlapping it most (the
    first such, each place used once), or unresolved when the recogniser found nothing there."""
    used: set[int] = set()
    errs = []
    for top in article.toponyms:
        if top.lat is None:
            continue
        best = None
        for i, place in enumerate(places):
            if i not in used and place.start < top.end and top.start < place.end:
                best = i
                break
        if best is None:
            errs.append(MISSING_KM)
            continue
        used.add(best)
        errs.append(distance_km(top.lat, top.lon, places[best].lat, places[best].lon))
    return errs


def count_overlaps(predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """One-to-one matches between overlapping spans (each gold span matched at most once)."""
    used: set[int] = set()
    matched = 0
    for ps, pe in predicted:
        for j, (gs, ge) in enumerate(gold):
            if j not in used and ps < ge and gs < pe:
                used.add(j)
                matched += 1
                break
    return matched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", nargs="+", type=Path, help="dataset XML files (default: LGL, TR-News, GeoVirus)"
    )
    parser.add_argument(
        "--errors", type=int, default=0, help="bucket the misses by cause; print N worst per bucket"
    )
    parser.add_argument("--limit", type=int, default=0, help="use only the first N articles of each file")
    parser.add_argument("--no-e2e", action="store_true", help="skip end-to-end recognition (no spaCy)")
    args = parser.parse_args(argv)
    paths = args.data or [DEFAULT_DIR / name for name in DEFAULT_FILES]

    started = time.perf_counter()
    load_gazetteer()
    print(f"gazetteer loaded in {time.perf_counter() - started:.1f} s")
    nlp = None
    if not args.no_e2e:
        from sitroom.pipeline import load_spacy

        nlp = load_spacy()  # the product's: a blank line ends a sentence (sitroom.nlp.paragraphs)
    results = {}
    for path in paths:
        articles, unaligned = read_articles(path)
        if args.limit:
            articles = articles[: args.limit]
        name = path.stem
        resolution, misses = score_resolution(articles, errors=args.errors)
        result = {"articles": len(articles), "unaligned_gold": unaligned, "resolution": resolution}
        print(
            f"{name}: {len(articles)} articles, {resolution['toponyms']} gold toponyms with coordinates "
            f"({unaligned} could not be aligned)\n"
            f"  resolution  acc@161={resolution['acc@161']:.3f}  median={resolution['median_km']} km  "
            f"mean={resolution['mean_km']} km  unresolved={resolution['unresolved']}  "
            f"{resolution['docs_per_s']} docs/s"
        )
        home = resolution["with_home"]
        print(
            f"  with the outlet's home ({home['articles_with_home']} articles have one)  "
            f"acc@161={home['acc@161']:.3f}  median={home['median_km']} km  mean={home['mean_km']} km"
        )
        print(
            "  in file order, each home from the outlet's earlier articles  "
            f"acc@161={resolution['in_order']['acc@161']:.3f}"
        )
        print(
            f"  in one run, each home from the outlet's first {FIRST_WAVE} articles  "
            f"acc@161={resolution['in_one_run']['acc@161']:.3f}"
        )
        if nlp is not None:
            rec = score_recognition(articles, nlp)
            result["recognition"] = rec
            e2e = rec["resolution"]
            print(
                f"  end to end  acc@161={e2e['acc@161']:.3f}  median={e2e['median_km']} km  "
                f"mean={e2e['mean_km']} km  not found or unresolved={e2e['unresolved']}"
            )
            print(
                f"  end to end with the outlet's home  acc@161={rec['resolution_with_home']['acc@161']:.3f}"
                f"  (in file order: {rec['resolution_in_order']['acc@161']:.3f}; "
                f"in one run: {rec['resolution_in_one_run']['acc@161']:.3f})"
            )
            print(
                f"  recognition exact P={rec['exact']['P']:.3f} R={rec['exact']['R']:.3f} "
                f"F1={rec['exact']['F1']:.3f} | overlap P={rec['overlap']['P']:.3f} "
                f"R={rec['overlap']['R']:.3f} F1={rec['overlap']['F1']:.3f}  "
                f"{rec['docs_per_s']} docs/s (spaCy + find_places; find_places alone "
                f"{rec['places_ms_per_doc']} ms/doc)"
            )
        if args.errors:
            summarise(misses, resolution["toponyms"], args.errors)
        results[name] = result
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
