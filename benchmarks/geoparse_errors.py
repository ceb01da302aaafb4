"""Error analysis for ``benchmarks.geoparse --errors``: bucket each resolution miss by its cause.

A miss is a gold toponym placed more than 161 km from its gold point. Buckets, first that applies:

- ``demonym``: the phrase is a country's demonym or adjective ("Syrian", "Americans");
- ``street/building``: a street, road, building, school, park ... (a facility word in the phrase);
- ``not in gazetteer``: no entry carries the name at all;
- ``gazetteer lacks it``: entries carry the name but none lies within 161 km (a small town missing
  from cities500, a region with another spelling, a feature type the gazetteer does not hold);
- ``wrong sense: feature type``: an entry within 161 km exists but one of another feature type won
  (the state over the city, the town over the country);
- ``wrong sense: population``: an entry within 161 km exists, a more populous namesake won;
- ``wrong sense: context``: an entry within 161 km exists and a less populous one won (the document's
  other places pulled the wrong way).

Each miss is also flagged ``abroad`` when its gold point lies in another country than most of the
document's gold toponyms (a place abroad in local news).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from sitroom.nlp.gazetteer import Gazetteer, demonym_keys, normalize_name
from sitroom.nlp.places import distance_km, find_candidates

BUCKETS = (
    "demonym",
    "street/building",
    "not in gazetteer",
    "gazetteer lacks it",
    "wrong sense: feature type",
    "wrong sense: population",
    "wrong sense: context",
)
_FACILITY = re.compile(
    r"\b(?:street|st|road|rd|avenue|ave|boulevard|blvd|highway|hwy|route|interstate|lane|drive|way|"
    r"bridge|building|hall|school|university|college|hospital|center|centre|park|airport|station|"
    r"church|mall|square|plaza|court|courthouse|house|tower|stadium|arena|library|museum|hotel|"
    r"prison|jail|base|campus|field|pier|port|harbou?r|dam|plant|mine|camp)\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Miss:
    km: float
    phrase: str
    gold: tuple[float, float]
    got: str
    bucket: str
    abroad: bool
    context: str


def gold_countries(points: list[tuple[float, float]]) -> list[str]:
    """Country code of each gold point (reverse_geocoder's nearest town, quietly)."""
    if not points:
        return []
    import reverse_geocoder

    with contextlib.redirect_stdout(io.StringIO()):
        hits = reverse_geocoder.search(points, mode=1)
    return [hit.get("cc", "") for hit in hits]


def classify(gaz: Gazetteer, phrase: str, lat: float, lon: float, place) -> str:
    """Return the bucket of one miss (see the module docstring)."""
    key = normalize_name(phrase)
    demonyms = demonym_keys()
    if key in demonyms or (key.endswith("s") and key[:-1] in demonyms):
        return "demonym"
    if _FACILITY.search(phrase.strip()):
        return "street/building"
    cands = find_candidates(gaz, phrase)
    if not cands:
        return "not in gazetteer"
    near = [c for c in cands if distance_km(lat, lon, c.entry.lat, c.entry.lon) <= 161]
    if not near:
        return "gazetteer lacks it"
    if place is None:
        return "wrong sense: context"
    kinds = {c.entry.feature for c in near}
    if place.feature not in kinds and not (
        {"populated place", "capital"} & kinds
        and place.feature in ("populated place", "capital", "metonym", "demonym")
    ):
        return "wrong sense: feature type"
    best_near = max(c.entry.population for c in near)
    if (place.population or 0) > best_near:
        return "wrong sense: population"
    return "wrong sense: context"


def summarise(misses: list[Miss], total: int, limit: int) -> None:
    """Print bucket counts (as a share of all scored toponyms), the abroad share and examples."""
    counts = Counter(m.bucket for m in misses)
    abroad = sum(m.abroad for m in misses)
    print(f"  misses: {len(misses)} of {total} ({len(misses) / max(total, 1):.1%}); abroad: {abroad}")
    for bucket in BUCKETS:
        n = counts.get(bucket, 0)
        if n:
            print(f"    {bucket:28s} {n:5d}  ({n / max(total, 1):.1%} of toponyms)")
    by_bucket: dict[str, list[Miss]] = defaultdict(list)
    for miss in misses:
        by_bucket[miss.bucket].append(miss)
    for bucket in BUCKETS:
        rows = by_bucket.get(bucket)
        if not rows:
            continue
        names = Counter(m.phrase for m in rows).most_common(12)
        print(f"  -- {bucket}: most frequent {names}")
        for miss in sorted(rows, key=lambda m: -m.km)[:limit]:
            flag = " abroad" if miss.abroad else ""
            print(
                f"    {miss.km:8.0f} km{flag} {miss.phrase!r} gold=({miss.gold[0]:.2f},{miss.gold[1]:.2f}) "
                f"got={miss.got}  «{miss.context}»"
            )
