"""Arguments of an event trigger, read from the parse and the lower annotation layers.

:class:`DocIndex` holds one document's mentions, places, times, quantities and claims in offset order so
a token finds what covers it by bisection. The functions here answer the questions the extractor asks
of a trigger: who is the subject (through control verbs, conjuncts and gerunds), which entities a noun
phrase names (the mention on its head, else on its modifiers or possessor, else an "of" phrase, else a
pronoun's antecedent), which clause a token belongs to, and which literal place and which dated time
the clause (or the clauses governing it) states.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitroom.extract.participles import verb_behind_medium
from sitroom.model import Claim, Entity, Mention, Place, Quantity, TimeRef

# Dependencies that open a clause of their own: a time or place inside one belongs to that clause.
CLAUSE_DEPS = frozenset(
    ("ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "csubj", "parataxis")
)
MODIFIER_DEPS = frozenset(("compound", "amod", "poss", "nmod", "npadvmod"))
# Where a literal place's head may sit: under a preposition, as an object or apposition; never as a
# subject, possessor or modifier, which read as the actor ("Russia has sent") or a description.
PLACE_HEAD_DEPS = frozenset(("pobj", "dobj", "conj", "appos", "npadvmod", "attr", "ROOT", "nmod"))
# Finer features first: an event "near Jisr al-Shughur in Idlib in Syria" happened at the town.
PRECISION_OF_FEATURE = {
    "military base": "site",
    "airport": "site",
    "road": "site",
    "populated place": "city",
    "capital": "city",
    "city": "city",
    "admin2": "admin2",
    "admin1": "admin1",
    "landform": "region",
    "water": "region",
    "region": "region",
    "country": "country",
}
PRECISION_RANK = {"site": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}
NON_LITERAL_FEATURES = frozenset(("metonym", "demonym"))
_HE = frozenset(("he", "him", "his", "she", "her", "hers"))
_THEY = frozenset(("they", "them", "their", "it", "its", "itself", "themselves", "theirs"))
_COLLECTIVE_LABELS = frozenset(("GPE", "GOVERNMENT", "MILITARY", "ARMED_GROUP", "IGO", "ORG", "NGO", "PARTY"))
_MAX_HOPS = 6
_TIME_NOUNS = frozenset(
    ("day", "week", "month", "year", "weekend", "period", "time", "date", "night", "morning")
)
# Nouns for kinds of place a place's name modifies ("Benue state") or that stand for part of a place
# ("the streets of Khartoum", "the outskirts of Aleppo"): a place phrase passes through them.
_PLACE_KIND_NOUNS = frozenset(
    ("state", "province", "region", "district", "county", "governorate", "prefecture", "oblast",
     "municipality", "city", "town", "village", "area", "camp", "neighbourhood", "neighborhood")
)  # fmt: skip
_PLACE_PART_NOUNS = frozenset(
    ("street", "outskirts", "suburb", "centre", "center", "edge", "heart", "part", "area", "district",
     "city", "town", "village", "countryside", "south", "north", "east", "west", "road")
)  # fmt: skip
# A time or place in a governing clause belongs to the event only through these links: a complement
# ("announced on March 14 that … would withdraw"), not a conjoined or adverbial clause.
_UP_DEPS = frozenset(("xcomp", "ccomp", "pcomp", "acl"))


_NOT_A_PLACE_READING = frozenset({"vicinity", "demonym", "metonym"})


@dataclass(slots=True)
class DocIndex:
    """One document's annotations in offset order, for lookups by token."""

    text: str
    doc: Any
    mentions: Sequence[Mention] = ()
    entities: dict[str, Entity] = field(default_factory=dict)
    places: Sequence[Place] = ()
    times: Sequence[TimeRef] = ()
    quantities: Sequence[Quantity] = ()
    claims: Sequence[Claim] = ()
    starts: list[int] = field(default_factory=list)
    _at: dict[int, Mention | None] = field(default_factory=dict)
    clauses: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, text: str, doc: Any, *, mentions=(), entities=(), places=(), times=(), quantities=(), claims=()
    ):
        # a name spaCy called a person that the geoparser placed as a town or region is that place, not
        # someone an event happens to ("Russian forces shelled Avdiivka")
        towns = {(p.start, p.end) for p in places if p.feature not in _NOT_A_PLACE_READING}
        ordered = sorted(
            (m for m in mentions if not (m.label == "PERSON" and (m.start, m.end) in towns)),
            key=lambda m: (m.start, -m.end),
        )
        return cls(
            text=text,
            doc=doc,
            mentions=ordered,
            entities={e.key: e for e in entities},
            places=sorted(places, key=lambda p: p.start),
            times=sorted(times, key=lambda t: t.start),
            quantities=sorted(quantities, key=lambda q: q.start),
            claims=sorted(claims, key=lambda c: (c.content_start, -c.content_end)),
            starts=[m.start for m in ordered],
        )

    def mention_at(self, token: Any) -> Mention | None:
        """The rightmost mention overlapping the token ("Jerusalem—Russia" is Russia), if any."""
        if token.i in self._at:
            return self._at[token.i]
        self._at[token.i] = found = self._find_mention(token)
        return found

    def _find_mention(self, token: Any) -> Mention | None:
        start, end = token.idx, token.idx + len(token.text)
        i = bisect_right(self.starts, end - 1) - 1
        while i >= 0 and self.mentions[i].start > start - 200:
            m = self.mentions[i]
            if m.start < end and start < m.end:
                return m
            i -= 1
        return None

    def mentions_before(self, offset: int, *, labels: frozenset[str], since: int) -> Iterator[Mention]:
        """Mentions ending before ``offset`` and starting after ``since``, nearest first."""
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and self.mentions[i].start >= since:
            m = self.mentions[i]
            if m.end <= offset and m.label in labels:
                yield m
            i -= 1

    def claim_of(self, start: int) -> Claim | None:
        """The innermost claim whose content contains ``start``."""
        best = None
        for claim in self.claims:
            if claim.content_start > start:
                break
            if start < claim.content_end and (
                best is None
                or claim.content_end - claim.content_start < best.content_end - best.content_start
            ):
                best = claim
        return best


@dataclass(slots=True)
class Found:
    """Entity keys found for one argument, and the words that say how."""

    keys: list[str] = field(default_factory=list)
    how: str = ""


def noun_keys(token: Any, index: DocIndex, *, follow_of: bool = True, depth: int = 0) -> list[str]:
    """The entities a noun phrase headed by ``token`` names, conjuncts included.

    The mention on the head wins ("the Syrian army"); else the mentions on its modifiers and possessor
    ("Russian warplanes", "Russia's forces"); else an "of" phrase ("units of the Syrian army"); else, for a
    pronoun, the nearest earlier mention of the right kind in this or the previous sentence.
    """
    keys: list[str] = []
    if depth > 3:
        return keys
    mention = index.mention_at(token)
    if mention is not None:
        keys.append(mention.entity_key)
        for child in token.lefts:  # "Russian-Turkish negotiations": a modifier of the modifier
            if child.dep_ in ("amod", "compound") and child.idx < mention.start:
                keys.extend(noun_keys(child, index, follow_of=False, depth=depth + 1))
    elif token.pos_ == "PRON":
        antecedent = resolve_pronoun(token, index)
        if antecedent is not None:
            keys.append(antecedent)
    elif named := [c for c in token.rights if c.dep_ == "appos" and index.mention_at(c) is not None]:
        # "the son of the former president, Fritz von Weizsäcker": the name beside the noun
        keys.extend(noun_keys(named[0], index, follow_of=False, depth=depth + 1))
    else:
        # "a New York man", "a Moscow resident", "the London side": where they are from, not who acts
        origin_only = token.lemma_.lower() in _person_nouns()
        for child in token.lefts:
            if child.dep_ in MODIFIER_DEPS and not (origin_only and child.dep_ in ("compound", "amod")):
                keys.extend(noun_keys(child, index, follow_of=False, depth=depth + 1))
        # "the son of the president" is not the president
        if not keys and follow_of and token.lemma_.lower() not in _kin_nouns():
            for child in token.rights:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            keys.extend(noun_keys(obj, index, follow_of=False, depth=depth + 1))
    for child in token.rights:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            keys.extend(noun_keys(child, index, follow_of=follow_of, depth=depth + 1))
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    """Nouns for people a place or nationality before them merely describes (the entity linker's
    ``nationality_nouns``: "man", "resident", "student" …, and its ``team_nouns``: "side", "club")."""
    from sitroom.nlp.entities import load_lexicon

    return load_lexicon().nationality_nouns | load_lexicon().team_nouns


@lru_cache(maxsize=1)
def _kin_nouns() -> frozenset[str]:
    """Nouns of kinship, whose "of" phrase names a relative (the entity linker's ``kin_nouns``)."""
    from sitroom.nlp.entities import load_lexicon

    return load_lexicon().kin_nouns


def resolve_pronoun(token: Any, index: DocIndex) -> str | None:
    """A personal or possessive pronoun's antecedent: the nearest earlier mention of a fitting kind."""
    word = token.lower_
    if word in _HE:
        labels = frozenset(("PERSON",))
    elif word in _THEY:
        labels = _COLLECTIVE_LABELS
    else:
        return None
    sent = token.sent
    previous = sent.start - 1
    since = index.doc[previous].sent.start_char if previous >= 0 else sent.start_char
    # This sentence before the previous one; within each, a subject before other mentions.
    for low in (sent.start_char, since):
        nearest = None
        for mention in index.mentions_before(token.idx, labels=labels, since=low):
            if mention.kind == "adjective" and word in _THEY:
                continue  # "Russian analysts ... their": an adjective is rarely the antecedent
            span = index.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass", "poss"):
                return mention.entity_key
            nearest = nearest or mention.entity_key
        if nearest is not None:
            return nearest
    return None


def subject_of(verb: Any) -> tuple[Any | None, str]:
    """The subject of a verb and how it was found, through conjuncts, control and gerunds."""
    token = verb
    for _ in range(_MAX_HOPS):
        subjects = [c for c in token.lefts if c.dep_ in ("nsubj", "csubj")]
        subjects += [c for c in token.rights if c.dep_ in ("nsubj", "csubj")]
        if subjects:  # the nearest: "Jerusalem—Russia has sent" is Russia
            return subjects[0] if subjects[0].i > token.i else max(
                (c for c in subjects if c.i < token.i), key=lambda c: c.i
            ), "subject" if token.i == verb.i else f"subject of '{token.text}'"
        for child in token.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj, "agent"
        if any(c.dep_ == "nsubjpass" for c in token.children):
            return None, ""
        head = token.head
        if head.i == token.i:
            break
        if token.dep_ == "xcomp":
            objects = [c for c in head.children if c.dep_ == "dobj"]
            if objects:  # object control: "enable the Syrian army to launch"
                return objects[0], f"object of '{head.text}'"
            token = head
        elif token.dep_ in ("conj", "advcl"):
            token = head
        elif token.dep_ == "relcl":
            return head, "relative clause"
        elif token.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            verb = verb_behind_medium(token)
            if verb is not None:
                token = verb  # "posted on Twitter accusing the label": the one who posted accuses
                continue
            # "rebels fighting the regime": the noun an active participle modifies is its subject.
            return (head, "the noun it modifies") if token.tag_ == "VBG" else (None, "")
        elif token.dep_ == "pcomp":  # "no intention of sending": the noun's verb
            noun = head.head
            token = noun.head if noun.pos_ == "NOUN" else noun
            if token.pos_ not in ("VERB", "AUX"):
                break
        else:
            break
    return None, ""


def object_of(verb: Any) -> Any | None:
    """The direct object, the passive subject, the object of a coordinated verb when the verb has none
    of its own, for a participle modifier the noun it modifies, or for a relative clause with a subject
    of its own the noun it hangs from."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child
    if not any(c.dep_ in ("prep", "prt", "ccomp", "xcomp") for c in verb.children):
        # "forces raped and abused women": coordinated verbs share the object of the last
        for conj in (c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"):
            shared = next((g for g in conj.children if g.dep_ == "dobj"), None)
            if shared is not None:
                return shared
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head  # "cruise missiles fired from warships"
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.tag_ not in ("WDT", "WP"):
            # "the town rebels attacked", "something the U.S. could demonstrate in court": the noun the
            # clause hangs from is what its own subject acts on
            return verb.head
    return None


def is_passive(verb: Any) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def modifier_lemmas(token: Any) -> tuple[str, ...]:
    """Lemmas of the words that modify a noun or verb, prepositions and their objects included."""
    out = []
    for child in token.children:
        if child.dep_ in ("compound", "amod", "nmod", "advmod", "prt", "npadvmod", "acomp"):
            out.append(child.lemma_.lower())
        elif child.dep_ in ("prep", "agent"):
            out.append(child.lower_)
            out.extend(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
            out.extend(
                gg.lemma_.lower()
                for g in child.children
                if g.dep_ == "pobj"
                for gg in g.children
                if gg.dep_ == "compound"
            )
    if "-" in token.text:
        out.extend(part.lower() for part in token.text.split("-"))
    return tuple(out)


def prep_objects(token: Any, preps: Sequence[str]) -> Iterator[tuple[str, Any]]:
    """(preposition, object) pairs under a token for the prepositions asked for."""
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    yield child.lower_, obj


def clause_head(token: Any) -> Any:
    """The nearest token at or above ``token`` that heads a clause."""
    current = token
    for _ in range(40):
        if current.dep_ in CLAUSE_DEPS and current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return current
        current = current.head
    return current


def own_clause(head: Any, cache: dict[int, set[int]] | None = None) -> set[int]:
    """Token indices of a clause without the clauses nested in it."""
    if cache is not None and head.i in cache:
        return cache[head.i]
    nested = [c for c in head.children if c.dep_ in CLAUSE_DEPS and c.pos_ in ("VERB", "AUX")]
    inside = set(range(head.left_edge.i, head.right_edge.i + 1))
    for child in nested:
        inside.difference_update(range(child.left_edge.i, child.right_edge.i + 1))
    inside.add(head.i)
    if cache is not None:
        cache[head.i] = inside
    return inside


def clause_scopes(
    token: Any, *, first: set[int] | None = None, cache: dict[int, set[int]] | None = None
) -> Iterator[set[int]]:
    """Token sets to search for a time or place, nearest first: ``first`` (the trigger's own phrase),
    the trigger's clause, then each clause governing it up to the sentence root."""
    if first:
        yield first
    head = clause_head(token)
    for _ in range(_MAX_HOPS):
        yield own_clause(head, cache)
        if head.head.i == head.i or head.dep_ not in _UP_DEPS:
            return
        head = clause_head(head.head)


def span_root(doc: Any, start: int, end: int) -> Any | None:
    """The syntactic head of the tokens covering [start, end)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def place_candidates(index: DocIndex) -> list[tuple[Place, Any]]:
    """Literal places with the token heading each; metonyms, demonyms and governments left out."""
    out = []
    for place in index.places:
        if place.feature in NON_LITERAL_FEATURES:
            continue
        root = span_root(index.doc, place.start, place.end)
        if root is not None and root.dep_ == "compound" and root.head.lemma_.lower() in _PLACE_KIND_NOUNS:
            root = root.head  # "in Benue state", "in Kunar province": the kind noun heads the phrase
        if root is None or root.dep_ not in PLACE_HEAD_DEPS:
            continue
        mention = index.mention_at(root)
        if mention is not None and mention.label == "GOVERNMENT":
            continue
        out.append((place, root))
    return out


def attached(root: Any, allowed: set[int], *, origin_ok: bool) -> bool:
    """Whether a place or time phrase hangs on the event: reaching a verb or one of ``allowed`` (the
    trigger's phrase and arguments) before any other noun ("the collapse last month" is not the time
    of what follows; "its client regime in Damascus" is not the place of the operations)."""
    token = root
    for _ in range(12):
        head = token.head
        if head.i == token.i or head.i in allowed or head.pos_ in ("VERB", "AUX"):
            return origin_ok or not (token.dep_ == "pobj" and head.lower_ == "from")
        if token.dep_ == "pobj" and head.lower_ == "from" and not origin_ok:
            return False
        if (
            head.pos_ in ("NOUN", "PROPN", "PRON")
            and head.lemma_.lower() not in _TIME_NOUNS
            # "took to the streets of Khartoum": part of a place is the place
            and not (token.lower_ == "of" and head.lemma_.lower() in _PLACE_PART_NOUNS)
        ):
            return False
        token = head
    return False


def choose_place(
    candidates: Sequence[tuple[Place, Any]], scopes: Iterator[set[int]], exclude: set[int], *,
    allowed: set[int], sentence: tuple[int, int], origin_ok: bool = False,
) -> tuple[Place, Any] | None:  # fmt: skip
    """The place the nearest scope names, preferring a preposition's object, then the finer place."""
    usable = [
        (p, r)
        for p, r in candidates
        if sentence[0] <= r.i < sentence[1]
        and r.i not in exclude
        and attached(r, allowed, origin_ok=origin_ok)
    ]
    for scope in scopes:
        found = [(p, r) for p, r in usable if r.i in scope]
        if found:
            return min(found, key=_place_rank)
    return None


def _place_rank(item: tuple[Place, Any]) -> tuple[int, int, int]:
    place, root = item
    under_prep = root.dep_ == "pobj" or (root.dep_ == "conj" and root.head.dep_ == "pobj")
    precision = PRECISION_OF_FEATURE.get(place.feature, "region")
    return (0 if under_prep else 1, PRECISION_RANK.get(precision, 4), place.start)


def time_candidates(index: DocIndex) -> list[tuple[TimeRef, Any]]:
    """Dated time expressions (no durations, sets or bare references) with the token heading each."""
    out = []
    for time in index.times:
        if (
            time.type not in ("DATE", "TIME")
            or time.value.endswith("_REF")
            or time.granularity == "reference"
        ):
            continue
        root = span_root(index.doc, time.start, time.end)
        if root is not None:
            out.append((time, root))
    return out


def choose_time(
    candidates: Sequence[tuple[TimeRef, Any]], scopes: Iterator[set[int]], *, within: tuple[int, int] | None,
    allowed: set[int], sentence: tuple[int, int],
) -> TimeRef | None:  # fmt: skip
    """The first time expression in the nearest scope, inside ``within`` (a claim's content) if given."""
    usable = [
        (t, r)
        for t, r in candidates
        if (within is None or (within[0] <= t.start and t.end <= within[1]))
        and attached(r, allowed, origin_ok=True)
    ]
    for scope in scopes:
        found = [t for t, r in usable if r.i in scope]
        if found:
            return found[0]
    return None
