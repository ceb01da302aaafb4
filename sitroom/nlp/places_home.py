"""An outlet's home region: where the places of its earlier documents lie.

A local paper names "Richmond", "Springfield" or "Columbus" without saying which: its readers know. The
resolver learns it the way they do, from what the outlet published before: the first-level region
(a state, a province, an English nation) in which most of its earlier documents name a local place.
That region is a weak anchor for the outlet's next document, weaker than a dateline ("Weights.home_*"):
it tips a close call between namesakes and never outweighs what the document itself says.

The home is read from the workspace before a ``process`` run (``Store.outlet_regions``: documents
processed by earlier runs only, so every engine and every worker sees the same home) and travels with
the document to the places component under ``Document.extra[HOME_KEY]`` for that run only; it is never
stored with the document. An outlet with no home yet and more than FIRST_WAVE documents to read has
its first FIRST_WAVE read first, alone; the homes are then read again for the rest of the run
(``RunHomes``), so a first batch learns its home from its own first documents. A place the home helped
choose says so in its reason. An analyst who knows better sets the home ("Kentucky, US", or "none" for
an outlet local nowhere) as a revision of the source (``parse_home``; ``Workspace.set_outlet_home``),
which every later run uses instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HOME_KEY = "outlet_home"  # Document.extra key, set for one run by Workspace.process
MIN_DOCUMENTS = 3  # earlier documents with a local place the outlet needs before it has a home
MIN_SHARE = 0.5  # of them, the share that must name a place in the one region
# Documents of an outlet with no home that a run reads before the outlet's others (RunHomes), so the
# rest of a first batch is read with the home they teach: a few more than a home needs, because the
# home they teach then holds for the whole batch (on LGL, homes from an outlet's first three articles
# disagreed with those from all its articles for 5 of 81 outlets; from its first five, for none).
FIRST_WAVE = 5
NO_HOME = "none"  # the analyst's word for "this outlet is local nowhere" (a wire service)

# Place features that say where a document is local: towns, counties, states, sites; not countries,
# seas or world regions (a local paper names the world too), not the nation's capital or its seats of
# government (every paper names Washington), not names placed only by the vicinity rule, and not
# metonyms or demonyms ("Moscow said", "Texans").
LOCAL_FEATURES = (
    "populated place", "admin1", "admin2", "military base", "airport", "landmark", "road", "border crossing",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class OutletHome:
    """The region an outlet's earlier documents are local to, or the analyst says it is; or, for an
    outlet with neither, the country its web address names (``web``; no region: ``admin1`` None)."""

    country_code: str
    admin1: str | None
    documents: int  # earlier documents of the outlet that name a local place (0: the analyst's home)
    share: float  # the share of them that name one in this region
    revision: int | None = None  # the analyst's revision that set this home, if one did
    web: str | None = None  # the web address (host) whose country-code domain gave this home

    @property
    def region(self) -> str:
        """"Kentucky, US": how the home is written, in corrections too ("GB" for a country alone)."""
        return f"{self.admin1}, {self.country_code}" if self.admin1 else self.country_code

    @property
    def named(self) -> int:
        """How many of the earlier documents name a local place in the region."""
        return round(self.share * self.documents)

    def describe(self) -> str:
        if self.web is not None:
            return f"in the outlet's country {self.country_code} (its web address {self.web})"
        if self.revision is not None:
            where = "home region" if self.admin1 else "country"
            return f"in the outlet's {where} {self.region} (set by the analyst, revision {self.revision})"
        return f"in the outlet's home region {self.region} ({self.named} of its {self.documents} earlier documents)"

    def to_plain(self) -> dict[str, Any]:
        return {"country_code": self.country_code, "admin1": self.admin1, "documents": self.documents,
                "share": self.share, "revision": self.revision, "web": self.web}  # fmt: skip

    @classmethod
    def from_plain(cls, value: Any) -> OutletHome | None:
        """The home a document carries (a plain dict, as every engine passes it), or None."""
        if isinstance(value, OutletHome):
            return value
        if not isinstance(value, Mapping):
            return None
        try:
            revision, admin1, web = value.get("revision"), value.get("admin1"), value.get("web")
            return cls(str(value["country_code"]), None if admin1 is None else str(admin1),
                       int(value["documents"]), float(value["share"]),
                       None if revision is None else int(revision), None if web is None else str(web))  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return None


def web_home(address: str | None) -> OutletHome | None:
    """The country an outlet's web address names by its country-code top-level domain ("bbc.co.uk" →
    GB, "https://www.thestar.com.my/news" → MY), as a home with no region: a weaker anchor than a learned
    home, for an outlet that has none. None for a generic domain (".com", ".org") and for country codes
    registered worldwide for their letters (".tv", ".io", ".co": ``generic_country_domains.txt``)."""
    from sitroom.nlp.gazetteer import country_codes, generic_country_domains

    host = _host(address)
    if host is None:
        return None
    suffix = host.rpartition(".")[2]
    code = "GB" if suffix == "uk" else suffix.upper()
    if len(suffix) != 2 or suffix in generic_country_domains() or code not in country_codes():
        return None
    return OutletHome(code, None, documents=0, share=1.0, web=host)


def _host(address: str | None) -> str | None:
    """The host of a URL or a bare domain ("example.co.uk"), lower case, without "www."; None for
    anything else (an outlet's name: "The Courier")."""
    text = (address or "").strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    host = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    host = host.removeprefix("www.").rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(labels) or not all(label.replace("-", "").isalnum() for label in labels):
        return None
    return host if host.isascii() else None


def outlet_home(
    regions: Iterable[Iterable[tuple[str, str]]],
    *,
    min_documents: int = MIN_DOCUMENTS,
    min_share: float = MIN_SHARE,
) -> OutletHome | None:
    """The home of an outlet from the (country code, first-level region) pairs of each earlier
    document's local places: the region most documents name, when at least ``min_documents`` name a
    local place and ``min_share`` of them name one there; None otherwise (a wire service, a national
    paper, an outlet too new to tell). Ties go to the region first in (country, region) order."""
    counts: Counter[tuple[str, str]] = Counter()
    documents = 0
    for doc_regions in regions:
        distinct = set(doc_regions)
        if distinct:
            documents += 1
            counts.update(distinct)
    return home_from_counts(documents, counts, min_documents=min_documents, min_share=min_share)


def home_from_counts(
    documents: int,
    counts: Mapping[tuple[str, str], int],
    *,
    min_documents: int = MIN_DOCUMENTS,
    min_share: float = MIN_SHARE,
) -> OutletHome | None:
    """``outlet_home`` from what the database can count: how many documents name a local place, and
    how many name one in each (country code, first-level region)."""
    if documents < min_documents or not counts:
        return None
    (country_code, admin1), named = min(counts.items(), key=lambda item: (-item[1], item[0]))
    share = named / documents
    if share < min_share:
        return None
    return OutletHome(country_code, admin1, documents, round(share, 3))


@dataclass(frozen=True, slots=True)
class HomeShown:
    """An outlet's home region as the analyst reads it: where ("Kentucky, US", "none") and on what it
    rests ("3 of 3 documents with a local place", "set by the analyst, revision 2")."""

    region: str | None
    basis: str | None

    @classmethod
    def of(cls, home: OutletHome | None, *, set_nowhere: bool = False) -> HomeShown:
        if set_nowhere:
            return cls(NO_HOME, "set by the analyst")
        if home is None:
            return cls(None, None)
        if home.revision is not None:
            return cls(home.region, f"set by the analyst, revision {home.revision}")
        if home.web is not None:
            return cls(home.region, f"its web address {home.web}")
        return cls(home.region, f"{home.named} of {home.documents} documents with a local place")


def parse_home(value: str, *, gazetteer=None, revision: int | None = None) -> OutletHome | None:
    """An analyst's home for an outlet, written "REGION, CC" ("Kentucky, US", "England, GB"), "CC" for
    a national outlet's country alone ("NG"), or ``none``; the region must be a first-level region of
    that country in the gazetteer, the country one it knows (E053)."""
    from sitroom.errors import InputError
    from sitroom.nlp.gazetteer import country_codes, load_gazetteer

    text = value.strip()
    if text.lower() == NO_HOME:
        return None
    region, _, country = text.rpartition(",")
    country = country.strip().upper()
    if "," not in text and country in country_codes():
        return OutletHome(country, None, documents=0, share=1.0, revision=revision)
    if not region.strip() or len(country) != 2:
        raise InputError(
            "E053",
            f"an outlet's home is written REGION, CC (\"Kentucky, US\"), CC (\"NG\") or {NO_HOME}, not {value!r}",
        )
    gaz = gazetteer or load_gazetteer()
    found = [
        c.entry
        for c in gaz.candidates(region.strip(), loose=False)
        if c.entry.feature == "admin1" and c.entry.country_code == country and c.entry.admin1
    ]
    if not found:
        raise InputError("E053", f"no first-level region {region.strip()!r} in {country} (a state, province or nation)")
    return OutletHome(country, found[0].admin1, documents=0, share=1.0, revision=revision)


class OutletHomes:
    """The home region of each outlet for one ``process`` run: the analyst's (``overrides``: outlet
    name → home, or None for "local nowhere") where one is set, else learned: ``regions_of(source)``
    (the store's ``outlet_regions`` for the run) is read once per outlet; a document's own earlier
    places never count towards its home (a document processed again is not its own evidence)."""

    def __init__(
        self,
        regions_of: Callable[[str], Mapping[str, frozenset[tuple[str, str]]]],
        overrides: Mapping[str, OutletHome | None] | None = None,
    ) -> None:
        self._regions_of = regions_of
        self._overrides = dict(overrides or {})
        self._by_outlet: dict[str, Mapping[str, frozenset[tuple[str, str]]]] = {}
        self._counts: dict[str, tuple[int, Counter[tuple[str, str]]]] = {}
        self._home: dict[str, OutletHome | None] = {}

    def home_of(self, source: str | None, document_id: str) -> OutletHome | None:
        if not source:
            return None
        if source in self._overrides:
            return self._overrides[source]
        regions = self._by_outlet.get(source)
        if regions is None:
            regions = self._by_outlet[source] = self._regions_of(source)
            counts = Counter(pair for pairs in regions.values() for pair in pairs)
            self._counts[source] = (sum(1 for pairs in regions.values() if pairs), counts)
            self._home[source] = home_from_counts(*self._counts[source])
        own = regions.get(document_id)
        if own:  # processed again: its own earlier places are taken out of the counts, not counted anew
            documents, counts = self._counts[source]
            return home_from_counts(documents - 1, counts - Counter(own))
        return self._home[source]

    def learns(self, source: str, document_id: str) -> bool:
        """Whether the outlet's home is still to be learned: no analyst set it and ``document_id`` (a
        document of the outlet) would be read without one."""
        return source not in self._overrides and self.home_of(source, document_id) is None

    @property
    def homeless(self) -> list[str]:
        """The outlets met so far that had no home (and no analyst's): their documents of this run were
        read without one."""
        return sorted(source for source, home in self._home.items() if home is None)

    def attach(self, doc):
        """``doc`` (a Document) carrying its outlet's home for this run under ``extra[HOME_KEY]``, or
        carrying none; the document is changed in place and returned. An outlet with no home (and no
        analyst's word) is given the country of its web address, if that names one (``web_home``)."""
        home = self.home_of(doc.source, doc.id)
        if home is None and doc.source not in self._overrides:
            home = web_home(doc.url) or web_home(doc.source)
        extra = {key: value for key, value in doc.extra.items() if key != HOME_KEY}
        if home is not None:
            extra[HOME_KEY] = home.to_plain()
        doc.extra = extra
        return doc


class RunHomes:
    """The outlet homes of one ``process`` run, read in two waves. An outlet with no home yet and more
    than FIRST_WAVE documents to read has its first FIRST_WAVE (in ingest order) read first, alone,
    with no home; once they are saved, ``settle`` reads the homes again, their places included, for
    the rest of the run. A first batch then learns its home from its own first documents, as it would
    over several runs; the waves are the same for every engine, so every engine gives the same answer.

    ``regions_of(source, this_run)`` is the store's ``outlet_regions`` for the outlet, without the
    run's own documents (``this_run`` false) or with them; ``firsts`` the store's
    ``first_documents_by_outlet``: each outlet's first documents of the run, when it has more."""

    def __init__(
        self,
        regions_of: Callable[[str, bool], Mapping[str, frozenset[tuple[str, str]]]],
        overrides: Mapping[str, OutletHome | None],
        firsts: Mapping[str, Sequence[str]],
    ) -> None:
        self._regions_of = regions_of
        self._overrides = overrides
        self._homes = [OutletHomes(lambda source: regions_of(source, False), overrides)]
        start = self._homes[0]
        learning = [source for source, ids in firsts.items() if start.learns(source, ids[0])]
        self._learning = frozenset(learning)
        self.first_wave = frozenset(doc_id for source in learning for doc_id in firsts[source])

    def settle(self) -> None:
        """The first wave is saved: the outlets it read have their homes read again, its places counted."""
        self._homes.append(OutletHomes(lambda source: self._regions_of(source, True), self._overrides))

    def attach(self, doc):
        """``doc`` carrying its outlet's home for this run (OutletHomes.attach) as the run now knows it:
        an outlet of the first wave from the homes read after it, any other from those read before (no
        document of its is saved in this run before its first is attached, so both read the same)."""
        settled = len(self._homes) > 1 and doc.source in self._learning
        return self._homes[-1 if settled else 0].attach(doc)

    @property
    def homeless(self) -> list[str]:
        """The outlets some of whose documents this run read without a home."""
        return sorted({source for homes in self._homes for source in homes.homeless})


__all__ = [
    "HOME_KEY",
    "HomeShown",
    "NO_HOME",
    "LOCAL_FEATURES",
    "FIRST_WAVE",
    "MIN_DOCUMENTS",
    "MIN_SHARE",
    "OutletHome",
    "OutletHomes",
    "RunHomes",
    "home_from_counts",
    "outlet_home",
    "parse_home",
    "web_home",
]
