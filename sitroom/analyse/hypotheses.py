"""What a piece of evidence says about each hypothesis's own text.

The ACH board (:mod:`sitroom.analyse.questions`) first knew only which indicator a statement matched:
"deployment has so far been limited to air units and special forces" arrived under "ground
deployment reported" and was read as support for a ground war. Heuer's method asks instead whether
the evidence is consistent with each hypothesis *as worded*. This module reads that from the text:

- each hypothesis's **key terms** are the content words of its text (and its optional ``terms``) that
  no competing hypothesis uses — shared words cannot tell hypotheses apart;
- a statement **names** a hypothesis when it contains its key terms (light stemming: "deploys",
  "deployment", "deployed" are one term; a short term also matches a compound: "air" → "airstrikes");
- a **limitation** ("limited to X", "confined itself to X") is consistent with the hypotheses named
  inside X and inconsistent with the others.

The lexicon (stop words, limitation cues, scope breaks) is ``sitroom/data/hypotheses.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sitroom import yamlfile

LEXICON_FILE = "hypotheses.yaml"
# A key word this short (up to four letters: "air", "war") also matches words it begins:
# "airstrikes", "aircraft". Longer stems must match exactly, so "police" does not match "policy".
PREFIX_MAX = 4
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "als", "al", "ed", "es", "s")


@dataclass(frozen=True, kw_only=True)
class HypothesisLexicon:
    stopwords: frozenset[str]
    limitation_cues: tuple[re.Pattern[str], ...]
    scope_breaks: re.Pattern[str]
    contest_cues: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Reading:
    """What one statement says about the hypotheses: the key terms it names for each, and, when it is
    a limitation, the hypotheses named inside the limited scope."""

    named: dict[str, tuple[str, ...]]  # hypothesis → key terms found (surface forms of the hypothesis)
    limitation: str | None = None  # the cue as written ("limited to"), when the statement limits
    in_scope: frozenset[str] = frozenset()  # hypotheses named inside the limitation's scope
    contested: str | None = None  # the rejoinder as written ("but Russia maintains"), when there is one

    def best(self) -> set[str]:
        """The hypotheses the statement names most (none when it names none)."""
        top = max((len(v) for v in self.named.values()), default=0)
        return {h for h, v in self.named.items() if top and len(v) == top}


@lru_cache(maxsize=1)
def load_hypothesis_lexicon() -> HypothesisLexicon:
    text = resources.files("sitroom.data").joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    return parse_hypothesis_lexicon(yamlfile.safe_load(text))


def parse_hypothesis_lexicon(data: dict) -> HypothesisLexicon:
    return HypothesisLexicon(
        stopwords=frozenset(str(w).lower() for w in data.get("stopwords", [])),
        limitation_cues=tuple(re.compile(p, re.IGNORECASE) for p in data.get("limitation_cues", [])),
        scope_breaks=re.compile(data.get("scope_breaks") or r"[;.]", re.IGNORECASE),
        contest_cues=tuple(re.compile(p, re.IGNORECASE) for p in data.get("contest_cues", [])),
    )


def stem(word: str) -> str:
    """A light suffix stripper: enough to join "deploys/deployment/deployed", "withdraws/withdrawal",
    "advisers/advisor", "forces/force" without a stemming dependency. Agent nouns keep their "-er":
    "fighters" are not "fight"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # "force"/"forc(es)", "scale"/"scal(ed)"
    if w.endswith("sor"):
        w = w[:-3] + "ser"  # "advisor" = "adviser"
    return w


def _words(text: str) -> list[tuple[str, int]]:
    """(word, offset) pairs; hyphenated compounds are split ("air-power" → "air", "power")."""
    out = []
    for m in _WORD.finditer(text.replace("-", " ")):
        out.append((m.group(0), m.start()))
    return out


@dataclass(frozen=True, kw_only=True)
class HypothesisTerms:
    """Key words of each hypothesis (stem → surface) and its two-word phrases ((stem, stem) → surface).

    A phrase of the hypothesis found as written ("special forces") counts as one more term than its
    words: "special forces … rebels fighting" names the special-forces hypothesis more than one
    whose text has "fight"."""

    words: dict[str, dict[str, str]]
    phrases: dict[str, dict[tuple[str, str], str]]

    def ids(self) -> list[str]:
        return list(self.words)


def key_terms(
    hypotheses: Iterable[tuple[str, str, Iterable[str]]], *, lexicon: HypothesisLexicon | None = None
) -> HypothesisTerms:
    """The key terms of each hypothesis (``hypotheses``: (id, text, extra terms)): the words of its
    text and extra terms that no other hypothesis uses, and its phrases holding one of them."""
    lexicon = lexicon or load_hypothesis_lexicon()
    words: dict[str, dict[str, str]] = {}
    pairs: dict[str, dict[tuple[str, str], str]] = {}
    for hid, text, extra in hypotheses:
        found: dict[str, str] = {}
        phrases: dict[tuple[str, str], str] = {}
        for part in (text, *extra):
            previous: tuple[str, str, int] | None = None
            for word, at in _words(part):
                if word.lower() in lexicon.stopwords or len(word) < 3:
                    previous = None
                    continue
                s = stem(word)
                found.setdefault(s, word.lower())
                if previous is not None and _adjacent(part, previous[2], at):
                    phrases.setdefault((previous[0], s), f"{previous[1]} {word.lower()}")
                previous = (s, word.lower(), at + len(word))
        words[hid] = found
        pairs[hid] = phrases
    owners: dict[str, int] = {}
    for found in words.values():
        for s in found:
            owners[s] = owners.get(s, 0) + 1
    distinct = {hid: {s: w for s, w in found.items() if owners[s] == 1} for hid, found in words.items()}
    return HypothesisTerms(
        words=distinct,
        phrases={
            hid: {p: w for p, w in phrases.items() if p[0] in distinct[hid] or p[1] in distinct[hid]}
            for hid, phrases in pairs.items()
        },
    )


def _names(word_stem: str, term: str, surface: str) -> bool:
    return word_stem == term or (len(surface) <= PREFIX_MAX and word_stem.startswith(term))


def _adjacent(text: str, end: int, start: int) -> bool:
    """Two words form a phrase only when nothing but spaces or a hyphen separates them: "special
    forces, military police" holds no phrase "forces military"."""
    return text[end:start].strip(" -") == ""


def _named_in(text: str, words: list[tuple[str, int]], terms: HypothesisTerms, lo: int, hi: int):
    named: dict[str, list[str]] = {h: [] for h in terms.ids()}
    inside = [(stem(w), w, at) for w, at in words if lo <= at < hi]
    for k, (s, _, at) in enumerate(inside):
        for hid in terms.ids():
            for term, surface in terms.words[hid].items():
                if _names(s, term, surface) and surface not in named[hid]:
                    named[hid].append(surface)
            if k == 0 or not _adjacent(text, inside[k - 1][2] + len(inside[k - 1][1]), at):
                continue
            before = inside[k - 1][0]
            for (first, second), surface in terms.phrases[hid].items():
                if before == first and s == second and surface not in named[hid]:
                    named[hid].append(surface)
    return named


def read_statement(text: str, terms: HypothesisTerms, *, lexicon: HypothesisLexicon | None = None) -> Reading:
    """Which hypotheses' key terms a statement names, and what it limits (see the module doc)."""
    lexicon = lexicon or load_hypothesis_lexicon()
    words = _words(text)
    named = _named_in(text, words, terms, 0, len(text) + 1)
    contest = next((m for cue in lexicon.contest_cues if (m := cue.search(text))), None)
    contested = " ".join(contest.group(0).split()) if contest else None
    for cue in lexicon.limitation_cues:
        m = cue.search(text)
        if m is None:
            continue
        stop = lexicon.scope_breaks.search(text, m.end())
        end = stop.start() if stop else len(text)
        inside = _named_in(text, words, terms, m.end(), end)
        in_scope = frozenset(h for h, found in inside.items() if found)
        if in_scope:  # a limitation to something no hypothesis names says nothing about them
            cue_text = " ".join(text[m.start() : m.end()].split())
            return Reading(
                named={h: tuple(v) for h, v in named.items()},
                limitation=cue_text,
                in_scope=in_scope,
                contested=contested,
            )
    return Reading(named={h: tuple(v) for h, v in named.items()}, contested=contested)
