"""The actor dictionary: who is who in the news, and a fast matcher that finds actors in text.

Data lives in ``sitroom/data/actors/`` (see the README there); a workspace may add its own files in the
same format. Files are read in order and merged by ``id``: a later entry with a known id extends it
(list fields are appended, scalar fields replaced) or, with ``replace: true``, replaces it.

Schema of one actor (YAML; ``states.csv`` is a compact table that makes ``state/ISO3`` and ``gov/ISO3``)::

    id:           stable slug, "kind/…": state/RUS, gov/RUS, gov/RUS/ministry-of-defence, mil/SYR/fifth-corps,
                  person/vladimir-putin, group/islamic-state, party/pkk, media/tass, org/opcw, …
    name:         display name, also matched in text
    type:         state | government | military | armed_group | person | media | ngo_monitor |
                  think_tank | igo | party | company | other
    country:      ISO 3166-1 alpha-3 code where one applies
    aliases:      other names and spellings ("Shoygu", "Khmeimim", "Hay'at Tahrir al-Sham")
    adjectives:   demonyms that denote the actor ("Russian" → state/RUS); plurals in -an/-i are added
    metonyms:     names that stand for the actor ("the Kremlin", "Moscow" → gov/RUS)
    misnamings:   wrong names seen in real copy ("Syrian Observer Group" → org/sohr)
    case_sensitive: surface forms matched only in exactly this case ("Sham", "The Times")
    roles:        [{title, org, start, end, current, aliases}] — time-bounded offices; title is the
                  generic office ("Foreign Minister"), org the body it belongs to (gov/SYR); surface forms
                  ("Syrian FM", "Foreign Minister of Syria") come from titles.yaml and the org's names
    previous_names: [{name, start, end}] — earlier names (al-Nusra Front → HTS), matched as aliases
    parent:       the actor this one is formally part of (Tiger Forces → Syrian Arab Army)
    affiliations: actors it is backed by or aligned with, informally (Wagner → gov/RUS)
    founded, dissolved: dates
    notes, sources: free text for people, never read by code
    replace:      true to replace an earlier entry with the same id instead of extending it

Dates are ISO dates (2012-05-07), months (2017-10) or years (2013); a partial start is read as its first
day and a partial end as its last, so a role is never shortened by imprecision. ``end: null`` means
"still in office" unless ``current: false`` says the role ended at an unknown date.

Matching. ``find_mentions`` scans text once, word by word, walking a trie of normalised surface forms
(case folded, diacritics stripped, hyphens and spaces alike, apostrophe variants alike) and keeps the
leftmost-longest match. Case is then checked per surface form: all-caps forms ("US", "IS") and those
listed in ``case_sensitive`` must match exactly; other forms need their first capitalised word
capitalised in the text ("Turkey", not "turkey") and their acronyms in capitals. Short all-caps forms are
not matched next to all-caps ordinary words ("RUSSIA IS SENDING"). A name led by "The" yields to a
longer name starting right after it ("The Guardian Council" is not The Guardian).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sitroom.nlp.actor_data import (
    ACTOR_TYPES,
    Actor,
    ActorDataError,
    ActorType,
    PreviousName,
    Role,
    expand_paths,
    packaged_paths,
    read_actor_files,
)

MentionKind = Literal["name", "alias", "adjective", "metonym", "misnaming", "role"]
MatchMethod = Literal["exact", "casefold", "normalised"]
# When one span matches the same actor several ways, the most specific kind is reported.
_KIND_RANK: dict[str, int] = {"name": 0, "alias": 1, "misnaming": 2, "role": 3, "metonym": 4, "adjective": 5}


@dataclass(frozen=True, kw_only=True, slots=True)
class ActorMatch:
    """An answer of :meth:`ActorDictionary.lookup`: which actor, through which dictionary form."""

    actor_id: str
    kind: MentionKind
    surface: str
    method: MatchMethod
    role: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ActorMention:
    """A stand-off span ``[start, end)`` of the text that names an actor; ``surface`` is the dictionary
    form that matched, ``role`` the office title for role mentions ("Kremlin spokesman")."""

    start: int
    end: int
    actor_id: str
    kind: MentionKind
    surface: str
    role: str | None = None


# ---------------------------------------------------------------------------------------------------
# Normalisation shared by the matcher, lookup and holder_of

_WORD_RE = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")
_SPACE_CHARS = frozenset(" \t\r\n\u00a0\u2009\u202f-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_APOSTROPHES = frozenset("'\u2019\u2018`\u00b4\u2032\u02bc\u02bb")
_BREAK = "\x00"  # a gap no surface form contains: a paragraph break


def _fold(word: str) -> str:
    """Case-fold and strip diacritics (Çavuşoğlu → cavusoglu, İ → i, ı → i)."""
    if word.isascii():  # most words: nothing to strip (a sixth of the actor dictionary's build)
        return word.casefold()
    word = word.replace("ı", "i").replace("\u02bc", "").replace("\u02bb", "")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _strip_marks(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _gap_key(gap: str) -> str:
    """The separator between two words, normalised: spaces/hyphens/dashes → one space, apostrophe
    variants → "'", other punctuation kept; two line breaks (a paragraph) never match."""
    if gap.count("\n") >= 2:
        return _BREAK
    out: list[str] = []
    for c in gap:
        if c in _SPACE_CHARS or c.isspace():
            if not out or out[-1] != " ":
                out.append(" ")
        elif c in _APOSTROPHES:
            out.append("'")
        else:
            out.append(c)
    return "".join(out)


def _key_of(surface: str) -> tuple[tuple[str, ...], list[str], bool]:
    """Trie key of a surface form: (word, gap, word, …), its original words, and whether it ended
    with a dot ("U.S.")."""
    spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(surface)]
    if not spans:
        return (), [], False
    key: list[str] = []
    words: list[str] = []
    for i, (s, e) in enumerate(spans):
        if i:
            key.append(_gap_key(surface[spans[i - 1][1] : s]))
        key.append(_fold(surface[s:e]))
        words.append(surface[s:e])
    return tuple(key), words, surface[spans[-1][1] :].strip().startswith(".")


def _normalise_loose(surface: str) -> str:
    """The loosest form, for lookup only: no article, no diacritics, no apostrophes or dots, no Arabic
    article (al-, el-, and assimilated ad-/ash-/as-/ar-/an-/at-/az- when hyphenated)."""
    text = "".join(c for c in surface if c not in _APOSTROPHES and c != ".")
    text = re.sub(r"\b(?:a[dnrstz]|ash|al|el)-(?=\w)", "", text, flags=re.I)
    words = [_fold(w) for w in _WORD_RE.findall(text)]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(w for w in words if w not in ("al", "el"))


_ARTICLES = frozenset(("al", "el", "ad", "ash", "as", "ar", "an", "at", "az", "the"))


def _is_acronym(word: str) -> bool:
    if word.isascii() and word.isalpha():
        return len(word) >= 2 and word.isupper()
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# ---------------------------------------------------------------------------------------------------
# Trie entries


@dataclass(frozen=True, slots=True)
class _Entry:
    """One surface form of one actor (or of one role) in the trie, with what its case check needs."""

    target: str  # actor id, or role key "title|org" for role surfaces
    kind: str
    surface: str
    mode: str  # "exact" | "proper" | "fold"
    words: tuple[str, ...]  # original words without diacritics, for exact/proper checks
    first_cap: int  # index of the first capitalised word, -1 if none
    acronyms: tuple[int, ...]  # indices of all-caps words that must stay all-caps
    trailing_dot: bool
    shouty: bool  # a short all-caps form: not matched inside all-caps text

    def accepts(self, words: list[str], shouting: bool) -> bool:
        """Whether the text's ``words`` pass this form's case rule; ``shouting``: next to all-caps
        ordinary words, where "IS" or "WHO" are just words."""
        if self.mode == "exact":
            if any(_strip_marks(w) != a for w, a in zip(words, self.words, strict=True)):
                return False
            return not (self.shouty and shouting)
        if self.mode == "fold":
            return True
        if self.first_cap >= 0 and not words[self.first_cap][:1].isupper():
            return False
        return all(_is_acronym(words[i]) for i in self.acronyms)


def _make_entry(
    target: str, kind: str, surface: str, *, case_sensitive: bool
) -> tuple[tuple[str, ...], _Entry]:
    key, words, trailing_dot = _key_of(surface)
    stripped = [_strip_marks(w) for w in words]
    letters = [c for c in surface if c.isalpha()]
    if case_sensitive or (letters and not any(c.islower() for c in letters)):
        mode = "exact"
    elif any(w[:1].isupper() for w in words):
        mode = "proper"
    else:
        mode = "fold"
    # The Arabic article's capital is a matter of house style ("Al Jazeera", "al-Jazeera"): it does
    # not count as the capital that tells a name from a word.
    first_cap = next(
        (
            i
            for i, w in enumerate(words)
            if w[:1].isupper() and (w.lower() not in _ARTICLES or i == len(words) - 1)
        ),
        -1,
    )
    acronyms = tuple(i for i, w in enumerate(words) if _is_acronym(w))
    shouty = mode == "exact" and len(words) == 1 and len(words[0]) <= 3
    entry = _Entry(target, kind, surface, mode, tuple(stripped), first_cap, acronyms, trailing_dot, shouty)
    return key, entry


# ---------------------------------------------------------------------------------------------------
# The dictionary


def _plural(adjective: str) -> str | None:
    # "Russians", "Iraqis" name the people or the forces; "Swisses", "Britishes" do not exist.
    return adjective + "s" if adjective.endswith(("an", "i")) and " " not in adjective else None


def _role_key(role: Role) -> str:
    return f"{role.title}|{role.org or ''}"


class ActorDictionary:
    """Actors by id, a surface-form index for lookups, and a trie for scanning text."""

    def __init__(self, actors: dict[str, Actor], titles: dict[str, list[str]]) -> None:
        self._actors = actors
        self._titles = titles
        self._trie: dict[str, Any] = {}
        self._by_surface: dict[str, list[tuple[str, str, str]]] = {}  # raw surface → (target, kind, surface)
        self._by_casefold: dict[str, list[tuple[str, str, str]]] = {}
        self._by_loose: dict[str, list[tuple[str, str, str]]] = {}
        self._role_holders: dict[str, list[tuple[str, Role]]] = {}
        self._role_keys_by_key: dict[tuple[str, ...], set[str]] = {}
        self._build()

    # -- loading ------------------------------------------------------------------------------------

    @classmethod
    def load(cls, *extra_paths: Path) -> ActorDictionary:
        """The packaged actor files, then ``extra_paths`` (files, or folders of .yaml/.csv files) in
        order; later entries extend or replace earlier ones by id. Raises :class:`ActorDataError`
        listing every problem (file, line, entry) if any file cannot be used."""
        actors, titles = read_actor_files(packaged_paths() + expand_paths(extra_paths))
        return cls(actors, titles)

    def _build(self) -> None:
        for actor in self._actors.values():
            exact = set(actor.case_sensitive)
            forms = [(actor.name, "name"), *((a, "alias") for a in actor.aliases)]
            forms += [(p.name, "alias") for p in actor.previous_names]
            forms += [(m, "misnaming") for m in actor.misnamings]
            forms += [(m, "metonym") for m in actor.metonyms]
            forms += [(a, "adjective") for a in actor.adjectives]
            forms += [(p, "adjective") for a in actor.adjectives if (p := _plural(a))]
            for surface, kind in forms:
                self._register(actor.id, kind, surface, case_sensitive=surface in exact)
            for role in actor.roles:
                key = _role_key(role)
                if key not in self._role_holders:
                    self._role_holders[key] = []
                    for surface in self._role_surfaces(role):
                        self._register(key, "role", surface, case_sensitive=False)
                for surface in role.aliases:
                    self._register(key, "role", surface, case_sensitive=False)
                self._role_holders[key].append((actor.id, role))

    def _register(self, target: str, kind: str, surface: str, *, case_sensitive: bool) -> None:
        surface = surface.strip()
        record = (target, kind, surface)
        self._by_surface.setdefault(surface, []).append(record)
        self._by_casefold.setdefault(surface.casefold(), []).append(record)
        self._by_loose.setdefault(_normalise_loose(surface), []).append(record)
        variants = {surface}
        if not case_sensitive and surface[:4].lower() == "the ":
            variants = {surface[4:]}  # "the Kremlin" is found as "Kremlin": spans leave the article out
        variants |= {"".join(c for c in v if c not in _APOSTROPHES) for v in variants}  # Hay'at → Hayat
        for variant in variants:
            key, entry = _make_entry(target, kind, variant, case_sensitive=case_sensitive)
            if not key:
                continue
            if kind == "role":
                self._role_keys_by_key.setdefault(key, set()).add(target)
            node = self._trie
            for part in key:
                node = node.setdefault(part, {})
            # Forms of one actor that share a key can differ in case rules ("Al-Rai", "al-Rai"): keep
            # each distinct rule; _emit reports the actor once per span, by its best kind.
            entries: list[_Entry] = node.setdefault("", [])
            rule = (entry.mode, entry.words, entry.first_cap, entry.acronyms)
            same = next(
                (
                    i
                    for i, e in enumerate(entries)
                    if e.target == target and (e.mode, e.words, e.first_cap, e.acronyms) == rule
                ),
                None,
            )
            if same is None:
                entries.append(entry)
            elif _KIND_RANK[kind] < _KIND_RANK[entries[same].kind]:
                entries[same] = entry

    def _role_surfaces(self, role: Role) -> list[str]:
        """How copy writes a role: "Syrian Foreign Minister", "Foreign Minister of Syria", "Syria's
        FM" for national governments (gov/ISO3); "Quds Force commander", "leader of the Islamic
        State" for any other body."""
        variants = self._titles.get(role.title) or [role.title]
        # A bare title ("President") is not a mention of anyone in particular: no surface of its own.
        surfaces: list[str] = []
        org = self._actors.get(role.org or "")
        if org is None:
            return surfaces
        if re.fullmatch(r"gov/[A-Z]{3}", org.id) and (state := self._actors.get(f"state/{org.country}")):
            prefixes = [*state.adjectives, state.name, *state.aliases]
            names = [n for n in (state.name, *state.aliases) if not _is_acronym(n.replace(".", ""))]
            for v in variants:
                surfaces += [f"{p} {v}" for p in prefixes]
                surfaces += [f"{v} of {n}" for n in names] + [f"{n}'s {v}" for n in names]
        else:
            names = [org.name, *org.aliases]
            for v in variants:
                surfaces += [f"{n} {v}" for n in names]
                surfaces += [f"{v} of {n}" for n in names] + [f"{v} of the {n}" for n in names]
        return surfaces

    # -- queries ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self):  # noqa: ANN204 - an iterator of Actor
        return iter(self._actors.values())

    def get(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def lookup(self, surface: str) -> list[ActorMatch]:
        """Actors a name may denote: exact form first, else case-insensitive, else loosely normalised
        (no article, diacritics, apostrophes, hyphens or al-/el- prefixes). Role forms answer with
        every holder of the role, ever."""
        for method, index, key in (
            ("exact", self._by_surface, surface.strip()),
            ("casefold", self._by_casefold, surface.strip().casefold()),
            ("normalised", self._by_loose, _normalise_loose(surface)),
        ):
            records = index.get(key)
            if records:
                return self._matches(records, method)
        return []

    def _matches(self, records: list[tuple[str, str, str]], method: str) -> list[ActorMatch]:
        best: dict[str, ActorMatch] = {}
        for target, kind, surface in records:
            if kind == "role":
                holders = [(a, r.title) for a, r in self._role_holders[target]]
            else:
                holders = [(target, None)]
            for actor_id, title in holders:
                match = ActorMatch(actor_id=actor_id, kind=kind, surface=surface, method=method, role=title)  # type: ignore[arg-type]
                if actor_id not in best or _KIND_RANK[kind] < _KIND_RANK[best[actor_id].kind]:
                    best[actor_id] = match
        return list(best.values())

    def holder_of(self, title_or_role: str, *, on: date | None = None) -> list[Actor]:
        """Who held an office: "Russian Defence Minister" on 2015-11-23 → [Shoigu]. A bare title
        ("Defence Minister") answers for every country. Without ``on``, every holder ever, earliest
        first."""
        key = _key_of(title_or_role.strip())[0]
        role_keys = set(self._role_keys_by_key.get(key, ()))
        folded = " ".join(_fold(w) for w in _WORD_RE.findall(title_or_role))
        titles = {k.split("|", 1)[0] for k in self._role_holders}
        for title in titles:
            variants = (title, *self._titles.get(title, ()))
            if folded in {" ".join(_fold(w) for w in _WORD_RE.findall(v)) for v in variants}:
                role_keys |= {k for k in self._role_holders if k.split("|", 1)[0] == title}
        held = [
            (role.start or date.min, actor_id)
            for k in role_keys
            for actor_id, role in self._role_holders[k]
            if on is None or role.held_on(on)
        ]
        return [self._actors[a] for a in dict.fromkeys(a for _, a in sorted(held))]

    def find_mentions(self, text: str, *, on: date | None = None) -> list[ActorMention]:
        """Every actor named in ``text``, leftmost-longest, as stand-off spans. A role ("Kremlin
        spokesman") yields one mention per holder on ``on``, or per holder ever when ``on`` is None;
        an ambiguous form ("Congo") yields one mention per actor, on the same span."""
        spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
        if len(_FOLD_CACHE) > _CACHE_MAX or len(_GAP_CACHE) > _CACHE_MAX:
            _FOLD_CACHE.clear()
            _GAP_CACHE.clear()
        fold_cache = _FOLD_CACHE
        gap_cache = _GAP_CACHE
        words: list[str] = []
        gaps: list[str] = []
        prev_end = None
        for s, e in spans:
            w = text[s:e]
            k = fold_cache.get(w)
            if k is None:
                k = fold_cache[w] = _fold(w)
            words.append(k)
            if prev_end is not None:
                g = text[prev_end:s]
                gk = gap_cache.get(g)
                if gk is None:
                    gk = gap_cache[g] = _gap_key(g)
                gaps.append(gk)
            prev_end = e
        gaps.append(_BREAK)
        mentions: list[ActorMention] = []
        trie = self._trie
        n = len(spans)
        i = 0
        while i < n:
            node = trie.get(words[i])
            if node is None:
                i += 1
                continue
            found = self._longest_at(node, i, text, spans, words, gaps)
            if found is None:
                i += 1
                continue
            j, accepted = found
            if words[i] == "the" and i + 1 < n and (node := trie.get(words[i + 1])) is not None:
                # "The Guardian Council" is not The Guardian: an article-led name yields to a longer
                # name that starts right after the article.
                later = self._longest_at(node, i + 1, text, spans, words, gaps)
                if later is not None and later[0] > j:
                    i += 1
                    j, accepted = later
            self._emit(mentions, accepted, text, spans[i][0], spans[j][1], on)
            i = j + 1
        return mentions

    def _longest_at(
        self,
        node: dict[str, Any],
        i: int,
        text: str,
        spans: list[tuple[int, int]],
        words: list[str],
        gaps: list[str],
    ) -> tuple[int, list[_Entry]] | None:
        """The longest accepted match starting at word ``i`` (whose trie node is ``node``): the index
        of its last word and the entries that passed their case rule."""
        found = None
        j = i
        while True:
            entries = node.get("")
            if entries:
                accepted = self._accepted(entries, text, spans, i, j)
                if accepted:
                    found = (j, accepted)
            step = node.get(gaps[j])
            if step is None or j + 1 >= len(words):
                return found
            node = step.get(words[j + 1])
            if node is None:
                return found
            j += 1

    def _accepted(
        self, entries: list[_Entry], text: str, spans: list[tuple[int, int]], i: int, j: int
    ) -> list[_Entry]:
        originals = [text[s:e] for s, e in spans[i : j + 1]]
        shouting = False
        if any(e.shouty for e in entries):
            near = [spans[k] for k in (i - 1, j + 1) if 0 <= k < len(spans)]
            shouting = any(self._is_shouted(text[s:e]) for s, e in near)
        return [e for e in entries if e.accepts(originals, shouting)]

    def _is_shouted(self, word: str) -> bool:
        # An all-caps ordinary word ("ARE", "SENDING"); all-caps names we know ("CENTCOM") don't count.
        return len(word) >= 3 and word.isupper() and _fold(word) not in self._trie

    def _emit(
        self,
        mentions: list[ActorMention],
        entries: list[_Entry],
        text: str,
        start: int,
        end: int,
        on: date | None,
    ) -> None:
        best: dict[str, ActorMention] = {}
        for entry in entries:
            stop = end + 1 if entry.trailing_dot and text[end : end + 1] == "." else end
            if entry.kind == "role":
                holders = [
                    (a, r.title) for a, r in self._role_holders[entry.target] if on is None or r.held_on(on)
                ]
            else:
                holders = [(entry.target, None)]
            for actor_id, title in holders:
                if actor_id in best and _KIND_RANK[best[actor_id].kind] <= _KIND_RANK[entry.kind]:
                    continue
                best[actor_id] = ActorMention(
                    start=start,
                    end=stop,
                    actor_id=actor_id,
                    kind=entry.kind,
                    surface=entry.surface,
                    role=title,  # type: ignore[arg-type]
                )
        mentions.extend(best.values())


# Word and gap normalisations repeat across documents; caching them makes a scan mostly dict lookups.
# The caches are emptied when they grow past _CACHE_MAX so a long backfill keeps bounded memory.
_CACHE_MAX = 500_000
_FOLD_CACHE: dict[str, str] = {}
_GAP_CACHE: dict[str, str] = {}

_PACKAGED: list[ActorDictionary] = []


def packaged_actors() -> ActorDictionary:
    """The packaged dictionary, loaded once per process (it is read-only)."""
    if not _PACKAGED:
        _PACKAGED.append(ActorDictionary.load())
    return _PACKAGED[0]


# Kinds of actor id that act for a state: "state/RUS", "gov/RUS/mod", "mil/RUS/aerospace-forces".
STATE_KINDS = frozenset(("state", "gov", "mil"))


def acting_state(actor_id: str, kinds: Container[str] = STATE_KINDS) -> str | None:
    """The ISO 3166 alpha-3 code of the state an actor id acts for ("mil/RUS/aerospace-forces" → RUS),
    read from its prefix when its kind is one of ``kinds``; None otherwise."""
    parts = actor_id.split("/")
    if len(parts) >= 2 and parts[0] in kinds and len(parts[1]) == 3 and parts[1].isupper():
        return parts[1]
    return None


__all__ = [
    "ACTOR_TYPES",
    "STATE_KINDS",
    "acting_state",
    "ActorType",
    "Actor",
    "ActorDataError",
    "ActorDictionary",
    "ActorMatch",
    "ActorMention",
    "PreviousName",
    "Role",
    "packaged_actors",
]
