"""Across documents: same-event links, corroboration and contradiction, and independence of sources.

The store calls :func:`make_items` on each processed document, indexes the items under
:func:`candidate_keys`, and, for a new document, fetches the items sharing a key and calls
:func:`find_links` (new items × candidates, plus the new items among themselves). Rules, each a
:class:`~sitroom.model.Link` with a score in [0, 1] and a reason in words:

1. **same-event** — two events of compatible type (``compatible_types`` in ``sitroom/data/links.yaml``)
   that both sides state as fact, with compatible actors (same actor id, actors of one state, or one
   unknown), places (same place, one containing the other, or within ``near_km``; one unknown unless
   the countries each statement names are disjoint) and times (intervals overlap; an undated report
   of a past event is read as happening in the weeks before publication). Only across documents:
   within one article that is coreference, the event layer's business.
2. **corroborates** — the same proposition with the same sign from another origin: a same-event pair,
   two denials of one event, or two claims worded alike (content-word containment) that the stance
   classifier rates ``agree`` (without a classifier, only near-identical wording). ``independent`` is
   false when both trace back to one origin (:func:`origin_of`).
3. **contradicts** — (a) *polarity/modality*: one side affirms what the other denies or judges
   unlikely ("has sent ground forces" vs "no intention of sending troops"), on event pairs compatible
   as in 1, or on claims worded alike; a statement that counters or is contrasted ("…, but Russia
   maintains …") with another speaker's just before it (a rebuttal); (b) *numeric*: figures of one
   measure ("killed:combatants") whose intervals, widened for approximation, do not overlap, in
   compatible contexts; (c) *date/place/actor*: two reports of what their figures or wording mark as
   one event, placing it at incompatible dates or places or giving it different actors. The stance
   classifier's ``disagree`` adds to a contradiction's score and reason; it never makes one alone.

Pairs are compared across documents, and within a document between different speakers (a ministry's
figure against a monitor's) whose statements do not share text (a claim is never compared with the
event its own content reports, nor with a claim nested in its quote). Copies of one syndicated article are never compared: the document's
``duplicate_of`` already says they are one report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.analyse.links_items import Item, make_items, origin_of
from sitroom.analyse.links_rules import (
    EventView,
    LinkRules,
    Match,
    compare_actors,
    compare_measures,
    compare_places,
    compare_times,
    compare_types,
    describe_commitment,
    family_of,
    load_link_rules,
)
from sitroom.analyse.stance import stem
from sitroom.analyse.union_find import UnionFind
from sitroom.model import Link

if TYPE_CHECKING:
    from sitroom.analyse.stance import StanceClassifier

# v2: the same rules, read with stance.v3 (a link's relation comes from the stance model, so a new
# model is a new links version: each link names what made it).
LINKS_VERSION = "links.v3"

__all__ = [
    "LINKS_VERSION",
    "Item",
    "candidate_keys",
    "contradiction_kind",
    "count_independent",
    "find_links",
    "is_independent",
    "make_items",
    "origin_of",
]

# Words that open a contradiction's reason, one per kind (see contradiction_kind).
KIND_PREFIXES = {
    "polarity/modality conflict": "polarity/modality conflict",
    "numeric conflict": "numeric conflict",
    "date conflict": "date/place/actor conflict",
    "place conflict": "date/place/actor conflict",
    "actor conflict": "date/place/actor conflict",
}


def candidate_keys(item: Item) -> list[str]:
    """Blocking keys: items that may link share at least one.

    ``evt:<family>`` for each event type family the item states (``evt:violence``, ``evt:deploy``),
    refined by state where actors are known (``evt:deploy:RUS``; an item with unknown actors is
    fetched by the bare family key, which every event item also carries); ``measure:<name>`` for
    each figure; ``words:<term>`` for the two rarest-looking (longest) content words of every claim,
    so claims worded alike meet.
    """
    rules = load_link_rules()
    keys: list[str] = []
    for view in item.events:
        family = family_of(view.type, rules)
        keys.append(f"evt:{family}")
        keys.extend(f"evt:{family}:{state}" for state in sorted(view.states))
    keys.extend(f"measure:{m.name}" for m in item.measures)
    if item.kind == "claim":
        keys.extend(f"words:{term}" for term in sorted(item.terms, key=lambda t: (-len(t), t))[:2])
    return list(dict.fromkeys(keys))


def find_links(
    new: Sequence[Item],
    candidates: Sequence[Item],
    *,
    stance: StanceClassifier | None = None,
    rules: LinkRules | None = None,
) -> list[Link]:
    """Links between each new item and the candidates (and among the new items themselves).

    Candidates from the new items' own documents count only when another speaker made them. The
    stance classifier, when given, is called only for pairs that passed the cheap checks.
    """
    rules = rules or load_link_rules()
    pool = {item.ref: item for item in [*candidates, *new]}
    index: dict[str, list[Item]] = {}
    for item in pool.values():
        for key in _lookup_keys(item):
            index.setdefault(key, []).append(item)
    found: list[Link | _Agreement] = []
    seen: set[tuple[str, str]] = set()
    for item in new:
        for other in _neighbours(item, index):
            pair = (item.ref, other.ref) if item.ref < other.ref else (other.ref, item.ref)
            if pair in seen or not _comparable(item, other):
                continue
            seen.add(pair)
            a, b = (item, other) if item.ref < other.ref else (other, item)
            found.extend(_compare(a, b, rules, stance))
    links: dict[tuple, Link] = {}
    for link in _settle(found, rules, stance):
        _keep(links, link)
    new_refs = {item.ref for item in new}
    for item in pool.values():
        for ref, why in item.rebuts:
            other = pool.get(ref)
            if other is not None and (item.ref in new_refs or ref in new_refs):
                _keep(links, _rebuttal(other, item, why, rules, stance))
    return sorted(
        _best_per_document(list(links.values()), pool), key=lambda link: (link.kind, link.a, link.b)
    )


def is_independent(a: Item, b: Item) -> bool:
    """False when both trace back to one origin: one speaker (whatever the intermediaries), one
    outlet, or copies of one syndicated article."""
    if a.root == b.root:
        return False
    return not (a.document_id != b.document_id and a.group == b.group)


def count_independent(links_or_items: Iterable[Link] | Iterable[Item]) -> int:
    """How many independent origins stand behind a set of items, or behind the items a set of
    corroboration links joins (items joined by a non-independent link count once)."""
    things = list(links_or_items)
    groups = UnionFind()
    find, union = groups.find, groups.union
    for thing in things:
        if isinstance(thing, Link):
            find(thing.a)
            find(thing.b)
            if not thing.independent:
                union(thing.a, thing.b)
        else:
            find(thing.ref)
            union(thing.ref, "root:" + thing.root)
            union(thing.ref, "group:" + thing.group + ":" + thing.document_id)
            if thing.duplicate_of:
                union("group:" + thing.group + ":" + thing.document_id, "copy:" + thing.group)
                union("group:" + thing.group + ":" + thing.group, "copy:" + thing.group)
    refs = [t.a for t in things if isinstance(t, Link)] + [t.b for t in things if isinstance(t, Link)]
    refs += [t.ref for t in things if isinstance(t, Item)]
    return len({find(ref) for ref in refs})


def contradiction_kind(link: Link) -> str | None:
    """The kind of a contradicts link — "polarity/modality conflict", "numeric conflict" or
    "date/place/actor conflict" — read from the start of its reason."""
    if link.kind != "contradicts":
        return None
    for prefix, kind in KIND_PREFIXES.items():
        if link.reason.startswith(prefix):
            return kind
    return None


# --- pairing -------------------------------------------------------------------------------------


def _lookup_keys(item: Item) -> list[str]:
    return [*candidate_keys(item), f"doc:{item.document_id}"]


def _neighbours(item: Item, index: dict[str, list[Item]]) -> list[Item]:
    found: dict[str, Item] = {}
    for key in _lookup_keys(item):
        for other in index.get(key, ()):
            if other.ref != item.ref:
                found[other.ref] = other
    return list(found.values())


def _comparable(a: Item, b: Item) -> bool:
    if a.document_id == b.document_id:
        # a statement never contradicts a clause of itself: a claim and the event its content
        # reports, or a claim nested in another's quote, share their text
        return a.root != b.root and not _overlap(a.span, b.span)
    return a.group != b.group


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _best_per_document(links: list[Link], pool: dict[str, Item]) -> list[Link]:
    """Keep, for each item, only its best same-event or corroborates link into each other document:
    an article that mentions the air campaign three times is one report of it, not three."""
    doc_of = {
        ref: item.document_id for item in pool.values() for ref in (item.ref, *(e.ref for e in item.events))
    }
    best: dict[tuple[str, str, str], Link] = {}
    for link in links:
        if link.kind == "contradicts":
            continue
        for ref, other in ((link.a, link.b), (link.b, link.a)):
            key = (link.kind, ref, doc_of.get(other, other))
            if key not in best or (best[key].score, best[key].b) < (link.score, link.b):
                best[key] = link
    kept = {id(link) for link in best.values()}
    chosen = []
    for link in links:
        if link.kind == "contradicts":
            chosen.append(link)
            continue
        keys = [
            (link.kind, link.a, doc_of.get(link.b, link.b)),
            (link.kind, link.b, doc_of.get(link.a, link.a)),
        ]
        if id(link) in kept and all(best[k] is link for k in keys):
            chosen.append(link)
    return chosen


def _keep(links: dict[tuple, Link], link: Link | None) -> None:
    if link is None:
        return
    key = (link.kind, *sorted((link.a, link.b)))
    if key not in links or links[key].score < link.score:
        links[key] = link


@dataclass(frozen=True, slots=True)
class _Fit:
    """An event pair of compatible type, with how each of the other dimensions compares."""

    a: EventView
    b: EventView
    type: Match
    actors: Match
    place: Match
    time: Match

    @property
    def compatible(self) -> bool:
        return self.actors.ok and self.place.ok and self.time.ok

    def factor(self, rules: LinkRules) -> float:
        s = rules.scores
        value = 1.0
        value *= {"stated": 1.0, "window": s["window_time"]}.get(self.time.how, s["unknown_time"])
        value *= s["unknown_place"] if self.place.how == "unknown" else 1.0
        value *= {"same": 1.0, "state": s["actor_by_state"]}.get(self.actors.how, s["unknown_actor"])
        return value

    def phrase(self) -> str:
        return "; ".join(m.phrase for m in (self.type, self.actors, self.place, self.time) if m.phrase)


def _fits(a: Item, b: Item, rules: LinkRules) -> list[_Fit]:
    fits = []
    for ea in a.events:
        for eb in b.events:
            typed = compare_types(ea.type, eb.type, rules)
            if not typed.ok:
                continue
            fits.append(
                _Fit(
                    ea,
                    eb,
                    typed,
                    compare_actors(ea, eb, rules),
                    compare_places(
                        ea.place, eb.place, rules, countries_a=a.countries, countries_b=b.countries
                    ),
                    compare_times(ea.time, eb.time),
                )
            )
    return fits


@dataclass(frozen=True, slots=True)
class _Agreement:
    """Two claims worded alike with one polarity: they corroborate each other if the stance classifier
    rates them ``agree``. Asked of the classifier for all of a call's pairs at once (:func:`_settle`)."""

    a: Item
    b: Item
    base: str  # the wording half of the reason
    containment: float


def _settle(found: list[Link | _Agreement], rules: LinkRules, stance: StanceClassifier | None) -> list[Link]:
    """``found`` in its order, each :class:`_Agreement` made a corroboration or dropped."""
    asked = [(x.a.text, x.b.text) for x in found if isinstance(x, _Agreement)]
    if not asked or stance is None:
        return [x for x in found if isinstance(x, Link)]
    answers = iter(stance.agreements(asked, at_least=rules.agree_min))
    settled = []
    for x in found:
        if isinstance(x, Link):
            settled.append(x)
            continue
        agree = next(answers)
        if agree is None or agree < rules.agree_min:
            continue
        reason = f"{x.base}, same polarity; stance classifier: agree ({agree:.2f})"
        score = rules.scores["corroborates"] * max(x.containment, agree)
        link = _corroboration(x.a, x.b, score, reason, rules)
        if link.score >= rules.min_score:
            settled.append(link)
    return settled


def _compare(a: Item, b: Item, rules: LinkRules, stance: StanceClassifier | None) -> list[Link | _Agreement]:
    links: list[Link] = []
    fits = _fits(a, b, rules)
    compatible = sorted((f for f in fits if f.compatible), key=lambda f: -f.factor(rules))
    if compatible:
        links.extend(_event_links(a, b, compatible[0], rules, stance))
    else:
        links.extend(_attribute_conflicts(a, b, fits, rules))
    links.extend(_numeric_conflicts(a, b, fits, rules))
    asked: list[_Agreement] = []
    if not fits:
        for found in _word_links(a, b, rules, stance):
            (asked if isinstance(found, _Agreement) else links).append(found)
    floor = {"contradicts": rules.min_score_contradicts}
    return [*(link for link in links if link.score >= floor.get(link.kind, rules.min_score)), *asked]


def _event_links(
    a: Item, b: Item, fit: _Fit, rules: LinkRules, stance: StanceClassifier | None
) -> list[Link]:
    s = rules.scores
    ca, cb = fit.a.commitment, fit.b.commitment
    factor = fit.factor(rules)
    context = fit.phrase()
    independent = is_independent(a, b)
    links = []
    same_doc = a.document_id == b.document_id
    if ca >= rules.factual and cb >= rules.factual:
        if not same_doc:
            links.append(
                _link("same-event", fit.a.ref, fit.b.ref, s["same_event"] * factor,
                      f"both report {fit.a.type} ({_quote(fit.a.trigger)} / {_quote(fit.b.trigger)}): {context}",
                      independent)
            )  # fmt: skip
        if not same_doc or (a.speaker and b.speaker):
            links.append(
                _corroboration(a, b, s["corroborates"] * factor, f"both affirm it: {context}", rules)
            )
    elif ca <= rules.counter and cb <= rules.counter and (not same_doc or (a.speaker and b.speaker)):
        links.append(
            _corroboration(a, b, s["corroborates"] * factor, f"both deny or doubt it: {context}", rules)
        )
    elif (ca >= rules.factual and cb <= rules.counter) or (cb >= rules.factual and ca <= rules.counter):
        score = s["contradicts_polarity"] * factor
        reason = (
            f"polarity/modality conflict: {_who(a)}: {_quote(a.text)} ({_modality(a, fit.a)}: "
            f"{describe_commitment(ca, rules)} the {fit.a.type}) vs {_who(b)}: {_quote(b.text)} "
            f"({_modality(b, fit.b)}: {describe_commitment(cb, rules)} it); one {fit.a.type}: {context}"
        )
        score, reason = _with_stance(a, b, score, reason, rules, stance)
        links.append(_link("contradicts", a.ref, b.ref, score, reason, independent))
    return links


def _attribute_conflicts(a: Item, b: Item, fits: list[_Fit], rules: LinkRules) -> list[Link]:
    """One event, by its figures or wording, placed at incompatible dates, places or actors."""
    links = []
    for fit in fits:
        if fit.a.commitment < rules.factual or fit.b.commitment < rules.factual:
            continue
        identity = _identity(a, b, rules)
        if identity is None:
            continue
        failed = [
            (name, match)
            for name, match in (("date", fit.time), ("place", fit.place), ("actor", fit.actors))
            if not match.ok
        ]
        if len(failed) != 1 or (failed[0][0] == "date" and fit.time.how == "window"):
            continue
        name, match = failed[0]
        if name == "date" and not (fit.a.time.basis == fit.b.time.basis == "stated"):
            continue
        reason = f"{name} conflict: {identity} mark one {fit.a.type}, but {match.phrase}"
        links.append(
            _link(
                "contradicts",
                a.ref,
                b.ref,
                rules.scores["contradicts_attribute"],
                reason,
                is_independent(a, b),
            )
        )
        break
    return links


def _identity(a: Item, b: Item, rules: LinkRules) -> str | None:
    """Evidence that two reports are of one event: an exact figure both give, or near-identical words."""
    for ma in a.measures:
        for mb in b.measures:
            if (
                ma.name == mb.name
                and not ma.approx
                and not mb.approx
                and ma.low == mb.low
                and ma.high == mb.high
            ):
                return f"the same figure ({ma.text} / {mb.text})"
    shared = a.terms & b.terms
    smaller = min(len(a.terms), len(b.terms))
    if smaller and len(shared) / smaller >= 0.8 and len(shared) >= 4:
        return "near-identical wording"
    return None


def _numeric_conflicts(a: Item, b: Item, fits: list[_Fit], rules: LinkRules) -> list[Link]:
    if not (a.measures and b.measures):  # most pairs: no figure to conflict, no context to compare
        return []
    if a.events and b.events:
        context = [f for f in fits if f.compatible]
        if not context:
            return []
        factor, phrase = context[0].factor(rules), context[0].phrase()
    else:
        when = compare_times(a.window, b.window)
        where = compare_places(None, None, rules, countries_a=a.countries, countries_b=b.countries)
        if not (when.ok and where.ok):
            return []
        factor = rules.scores["window_time"] * rules.scores["unknown_place"] * rules.scores["unknown_actor"]
        phrase = f"{when.phrase}; {where.phrase}"
    links = []
    for ma in a.measures:
        for mb in b.measures:
            if ma.name != mb.name or (a.document_id == b.document_id and ma.start == mb.start):
                continue
            match = compare_measures(ma, mb, rules)
            if match.ok:
                continue
            reason = f"numeric conflict: {_who(a)} vs {_who(b)}: {match.phrase}; context: {phrase}"
            links.append(
                _link("contradicts", a.ref, b.ref, rules.scores["contradicts_numeric"] * factor, reason,
                      is_independent(a, b))
            )  # fmt: skip
    return links[:1]


def _word_links(
    a: Item, b: Item, rules: LinkRules, stance: StanceClassifier | None
) -> list[Link] | list[_Agreement]:
    """Claims worded alike: contradiction on opposite commitment, corroboration on stance agreement
    (an :class:`_Agreement`, settled with the call's other pairs)."""
    if a.kind != "claim" or b.kind != "claim":
        return []
    shared = a.terms & b.terms
    smaller = min(len(a.terms), len(b.terms))
    if len(shared) < rules.min_shared_terms or not smaller or len(shared) / smaller < rules.min_containment:
        return []
    if not compare_times(a.window, b.window).ok:
        return []
    ca, cb = _word_commitment(a, shared), _word_commitment(b, shared)
    words = ", ".join(sorted(shared)[:5])
    containment = len(shared) / smaller
    base = f"worded alike (shared: {words}; {containment:.0%} of the shorter claim)"
    if (ca >= rules.factual and cb <= rules.counter) or (cb >= rules.factual and ca <= rules.counter):
        reason = (
            f"polarity/modality conflict: {_who(a)}: {_quote(a.text)} ({describe_commitment(ca, rules)}) vs "
            f"{_who(b)}: {_quote(b.text)} ({describe_commitment(cb, rules)}); {base}"
        )
        score, reason = _with_stance(
            a, b, rules.scores["contradicts_polarity"] * containment, reason, rules, stance
        )
        return [_link("contradicts", a.ref, b.ref, score, reason, is_independent(a, b))]
    same_side = (ca >= rules.factual and cb >= rules.factual) or (ca <= rules.counter and cb <= rules.counter)
    if not same_side:
        return []
    if stance is None:
        if containment < 0.8:
            return []
        return [
            _corroboration(a, b, rules.scores["corroborates"] * containment, f"{base}, same polarity", rules)
        ]
    return [_Agreement(a, b, base, containment)]


def _word_commitment(item: Item, shared: frozenset[str]) -> float:
    """A claim's commitment, or that of its event whose trigger is among the shared words."""
    for view in item.events:
        if stem(view.trigger.lower()) in shared:
            return view.commitment
    return item.commitment


def _rebuttal(a: Item, b: Item, why: str, rules: LinkRules, stance: StanceClassifier | None) -> Link:
    reason = (
        f"polarity/modality conflict (rebuttal): {_who(b)} {_quote(b.text)} answers {_who(a)} "
        f"{_quote(a.text)}: {why}"
    )
    score, reason = _with_stance(a, b, rules.scores["contradicts_rebuttal"], reason, rules, stance)
    return _link("contradicts", a.ref, b.ref, score, reason, is_independent(a, b))


def _corroboration(a: Item, b: Item, score: float, why: str, rules: LinkRules) -> Link:
    independent = is_independent(a, b)
    origins = f"{a.origin} and {b.origin}" + ("" if independent else " (one origin: counted once)")
    return _link("corroborates", a.ref, b.ref, score, f"{why}; from {origins}", independent)


def _with_stance(
    a: Item, b: Item, score: float, reason: str, rules: LinkRules, stance: StanceClassifier | None
) -> tuple[float, str]:
    """Add the stance classifier's view of ``a`` against ``b``'s sentence; disagreement raises the score."""
    if stance is None or a.claim is None:
        return score, reason
    label, probs = stance.predict(a.text, b.text)
    if probs.get("disagree", 0.0) >= rules.disagree_min:
        return min(
            1.0, score + rules.scores["stance_bonus"]
        ), f"{reason}; stance classifier: disagree ({probs['disagree']:.2f})"
    return score, f"{reason}; stance classifier: {label}"


def _link(kind: str, a: str, b: str, score: float, reason: str, independent: bool) -> Link:
    return Link(kind=kind, a=a, b=b, score=round(min(score, 1.0), 3), reason=reason, independent=independent,
                component=LINKS_VERSION)  # fmt: skip


def _who(item: Item) -> str:
    return item.speaker_name or (item.source or item.origin)


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"“{text[: limit - 1]}…”" if len(text) > limit else f"“{text}”"


def _modality(item: Item, view: EventView) -> str:
    if item.claim is not None:
        return f"{item.claim.polarity}, {item.claim.modality}"
    return f"commitment {view.commitment:+.1f}"
