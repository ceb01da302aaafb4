"""Modality and polarity of a clause: how sure, how real and how affirmed a statement is.

:func:`assess_modality` reads one spaCy span (a claim's content, an event's clause) and returns a
:class:`ModalityReading`. The rules, all lexicon-driven (``sitroom/data/modality.yaml``):

1. **Predicate and chain.** The predicate is the span's syntactic root. Its *chain* is the predicate
   plus the words governing it, walked upward through complements, prepositions and nouns ("sending"
   ← "of" ← "intention" ← "has") until an attribution cue verb ("said", "believes"), a relative clause
   or a purpose clause, since a hedge on those words scopes over the predicate ("Moscow may prepare";
   "the possibility of returning"). Verb conjuncts without a subject of their own share their first
   conjunct's auxiliaries ("may deploy … and participate").
2. **Cues on the chain.** Modal auxiliaries, adverbs, hedge adjectives (as the predicate's complement,
   "remains unlikely", or a noun's modifier, "a possible deployment"), hedge and plan nouns and verbs
   ("possibility", "plans", "planning"), fixed phrases ("set to", "willing to"), and a condition: an
   adverbial clause opened by "if", "unless", "as long as" … on a chain word.
3. **Attribution.** A chain that reaches a cue verb ("X said that …"), an "according to" on the
   predicate, a trailing "…, said X", or an adverb such as "reportedly" make the clause *reported*:
   from the outlet's point of view someone else commits to it. ``claim_cue_lemma`` (the claim's own cue)
   gives the same, or the class of that cue: intent ("hopes") → intended, plan → planned, denial →
   polarity deny.
4. **Choice.** Several cues resolve by the precedence in the lexicon (conditional, unlikely, likely,
   possible, hypothetical, planned, intended, reported); no cue leaves *asserted*.
5. **Polarity.** *deny* for an explicit denial (a denial verb on the chain or as the claim's cue, a
   denial phrase such as "no intention of", which also sets the modality it denies); *negated* for plain
   negation of a chain word ("did not send", "never") or of its subject or object ("no request has
   been made", "no one has committed"); else *affirm*.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile
from sitroom.extract.claims_lexicon import load_attribution_lexicon, lookup

MODALITIES = (
    "asserted",
    "reported",
    "possible",
    "likely",
    "unlikely",
    "planned",
    "intended",
    "hypothetical",
    "conditional",
)
POLARITIES = ("affirm", "deny", "negated")

# Dependencies along which a governing word's hedge reaches the predicate. Relative and purpose
# clauses are left out: "rebels who may flee" does not hedge the sentence around them.
_CHAIN_DEPS = frozenset(
    ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "nsubj", "nsubjpass", "csubj", "acomp", "attr", "acl")
)
_ARGUMENT_DEPS = frozenset(("nsubj", "nsubjpass", "dobj", "attr", "expl"))
_COPULAS = frozenset(("be", "remain", "seem", "appear", "look", "become", "stay"))
_MAX_CHAIN = 8


@dataclass(frozen=True)
class ModalityReading:
    """The modality and polarity of a clause, and the word that decided the modality (if any)."""

    modality: str
    polarity: str
    cue: str | None
    cue_start: int | None
    cue_end: int | None


@dataclass(frozen=True, slots=True)
class ModalityLexicon:
    """The word lists of ``sitroom/data/modality.yaml``, keyed by lower-cased lemma or phrase."""

    precedence: tuple[str, ...]
    modal_auxiliaries: dict[str, str | None]
    adverbs: dict[str, str]
    adjectives: dict[str, str]
    nouns: dict[str, str]
    verbs: dict[str, str | None]
    phrases: dict[str, str]
    conditional_marks: tuple[str, ...]
    negation_particles: frozenset[str]
    negation_quantifiers: frozenset[str]
    denial_verbs: dict[str, bool]
    denial_nouns: dict[str, bool]
    denial_phrases: dict[str, str | None]


@lru_cache(maxsize=1)
def load_modality_lexicon() -> ModalityLexicon:
    """The packaged modality lexicon, read once per process."""
    path = resources.files("sitroom") / "data" / "modality.yaml"
    raw: dict[str, Any] = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    lower = {k: {str(w).lower(): v for w, v in raw[k].items()} for k in _SECTIONS}
    denial = raw["denial"]
    return ModalityLexicon(
        precedence=tuple(raw["precedence"]),
        conditional_marks=tuple(str(m).lower() for m in raw["conditional_marks"]),
        negation_particles=frozenset(str(w).lower() for w in raw["negation"]["particles"]),
        negation_quantifiers=frozenset(str(w).lower() for w in raw["negation"]["quantifiers"]),
        denial_verbs={str(w).lower(): True for w in denial["verbs"]},
        denial_nouns={str(w).lower(): True for w in denial["nouns"]},
        denial_phrases={str(k).lower(): v for k, v in denial["phrases"].items()},
        **lower,
    )


_SECTIONS = ("modal_auxiliaries", "adverbs", "adjectives", "nouns", "verbs", "phrases")


class _Findings:
    """Cues found so far: the best modality by precedence, and the strongest polarity."""

    def __init__(self, precedence: tuple[str, ...]) -> None:
        self.rank = {m: i for i, m in enumerate(precedence)}
        self.modality: tuple[str, Any] | None = None
        self.polarity = "affirm"
        # Under a past-tense speech verb "would" is the reported "will" ("announced that the forces
        # would be withdrawing"), not a hypothetical.
        self.backshift = False

    def add(self, modality: str | None, cue: Any) -> None:
        if not modality or modality not in self.rank:
            return
        if self.modality is None or self.rank[modality] < self.rank[self.modality[0]]:
            self.modality = (modality, cue)

    def negate(self, *, deny: bool) -> None:
        if deny:
            self.polarity = "deny"
        elif self.polarity == "affirm":
            self.polarity = "negated"


def assess_modality(span: Any, *, claim_cue_lemma: str | None = None) -> ModalityReading:
    """Read the modality and polarity of ``span`` (a spaCy Span: a clause or predicate region).

    ``claim_cue_lemma`` is the lemma of the attribution cue that introduces the span when it is a
    claim's content ("say", "deny", "according to"); it marks the span reported and may deny it.
    """
    lex = load_modality_lexicon()
    found = _Findings(lex.precedence)
    if len(span) == 0:
        return ModalityReading("asserted", "affirm", None, None, None)
    predicate = _predicate_of(span)
    chain, reached_cue = _chain_of(predicate)
    found.backshift = reached_cue is not None and reached_cue.tag_ in ("VBD", "VBN")
    for token in chain + _propositions(predicate)[1:]:
        _read_token(token, lex, found)
    # "that if the government did request it Moscow would consider": the parser may make the
    # condition the clause's head, with the consequence below it.
    mark = _own_condition(predicate, lex)
    if mark is not None:
        found.add("conditional", mark)
    _read_phrases(span, chain, lex, found)
    if reached_cue is not None:
        _read_cue(reached_cue.lemma_, reached_cue, found)
    trailing = _trailing_attribution(predicate)
    if trailing is not None:
        found.add("reported", trailing)
    if claim_cue_lemma:
        _read_cue(claim_cue_lemma, None, found)
    if found.modality is None:
        return ModalityReading("asserted", found.polarity, None, None, None)
    modality, cue = found.modality
    if cue is None:
        return ModalityReading(modality, found.polarity, None, None, None)
    start, end = _char_extent(cue)
    return ModalityReading(modality, found.polarity, cue.text, start, end)


def _predicate_of(span: Any) -> Any:
    root = span.root
    # A span cut from a longer sentence may have a punctuation or marker root; prefer its verb.
    if root.pos_ in ("PUNCT", "SCONJ", "CCONJ") and len(span) > 1:
        verbs = [t for t in span if t.pos_ in ("VERB", "AUX") and t.head not in span]
        root = verbs[0] if verbs else root
    # A whole "X said that Y" sentence: Y is the proposition, and the chain walk meets the cue.
    if root.pos_ == "VERB" and load_attribution_lexicon().token_class(root):
        for child in root.children:
            if child.dep_ == "ccomp" and span.start <= child.i < span.end:
                return child
    return root


def _own_condition(predicate: Any, lex: ModalityLexicon) -> Any:
    marks = [c for c in predicate.children if c.dep_ == "mark"]
    has_consequence = any(c.dep_ in ("ccomp", "conj") and c.i > predicate.i for c in predicate.children)
    for mark in marks:
        if mark.lower_ in lex.conditional_marks and has_consequence:
            return mark
    return None


def _propositions(predicate: Any) -> list[Any]:
    """The predicate, and the clause it frames when it is a copula ("it is possible that X does")."""
    out = [predicate]
    if predicate.lemma_ in _COPULAS:
        out.extend(c for c in predicate.children if c.dep_ in ("ccomp", "csubj", "xcomp"))
    return out


def _chain_of(predicate: Any) -> tuple[list[Any], Any]:
    """The predicate and the words governing it, and the attribution cue verb that ends the walk."""
    attribution = load_attribution_lexicon()
    chain = [predicate]
    token = predicate
    for _ in range(_MAX_CHAIN):
        head = token.head
        if head is token:
            break
        if token.dep_ == "conj":
            # A conjunct with no subject of its own shares its first conjunct's auxiliaries.
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children) or token.pos_ != head.pos_:
                break
        elif token.dep_ not in _CHAIN_DEPS:
            break
        if head.pos_ == "VERB" and attribution.token_class(head) and token.dep_ in ("ccomp", "xcomp"):
            return chain, head
        chain.append(head)
        token = head
    return chain, None


def _read_token(token: Any, lex: ModalityLexicon, found: _Findings) -> None:
    if token.pos_ in ("VERB", "AUX"):
        found.add(lookup(lex.verbs, token), token)
        if lookup(lex.denial_verbs, token) or _particle_verb(token) in lex.denial_verbs:
            found.negate(deny=True)
    elif token.pos_ in ("NOUN", "PROPN"):
        found.add(lookup(lex.nouns, token), token)
        if lookup(lex.denial_nouns, token):
            found.negate(deny=True)
    elif token.pos_ == "ADJ":
        found.add(lookup(lex.adjectives, token), token)
    for child in token.children:
        _read_child(token, child, lex, found)


def _read_child(token: Any, child: Any, lex: ModalityLexicon, found: _Findings) -> None:
    lemma = child.lemma_.lower()
    dep = child.dep_
    if dep == "aux" and child.tag_ == "MD":
        # "would" under an explicit condition is the conditional itself; the "if" is the better cue.
        conditioned = any(_is_condition(c, lex) for c in token.children)
        if not (lemma == "would" and (conditioned or found.backshift)):
            found.add(lex.modal_auxiliaries.get(lemma), child)
    elif dep in ("advmod", "npadvmod"):
        found.add(lex.adverbs.get(lemma) or lex.adverbs.get(child.text.lower()), child)
        if lemma in lex.negation_particles:
            found.negate(deny=False)
        # "as long as X" parses as an adverb carrying the clause: the condition hangs one level down.
        for grandchild in child.children:
            if _is_condition(grandchild, lex):
                found.add("conditional", _condition_mark(grandchild, lex))
    elif dep in ("acomp", "amod", "attr", "oprd"):
        found.add(lex.adjectives.get(lemma), child)
    elif dep == "neg":
        found.negate(deny=False)
    elif dep == "advcl" and _is_condition(child, lex):
        found.add("conditional", _condition_mark(child, lex))
    elif dep == "prep" and lemma == "accord":
        found.add("reported", child)
    if dep in _ARGUMENT_DEPS:
        for det in child.children:
            if det.dep_ in ("det", "neg") and det.lower_ in lex.negation_quantifiers:
                denied = lex.denial_phrases.get(f"{det.lower_} {child.lower_}", False)
                if denied is not False:
                    found.add(denied, child)
                    found.negate(deny=True)
                else:
                    found.negate(deny=False)
        if child.lower_ in lex.negation_quantifiers and not any(c.dep_ == "prep" for c in child.children):
            found.negate(deny=False)


def _is_condition(clause: Any, lex: ModalityLexicon) -> bool:
    return clause.dep_ == "advcl" and _condition_mark(clause, lex) is not None


def _condition_mark(clause: Any, lex: ModalityLexicon) -> Any:
    """The "if" / "unless" / "as long as" opening an adverbial clause, or ``None``.

    The parser hangs "as long" of "as long as" on the main verb, so the words just before the
    clause's left edge count too.
    """
    doc = clause.doc
    edge = clause.left_edge.i
    lead = " ".join(t.lower_ for t in doc[edge : edge + 3])
    for mark in lex.conditional_marks:
        width = mark.count(" ") + 1
        if lead == mark or lead.startswith(mark + " "):
            return doc[edge : edge + width]
        if width > 1 and edge - width + 1 >= 0:
            before = " ".join(t.lower_ for t in doc[edge - width + 1 : edge + 1])
            if before == mark:
                return doc[edge - width + 1 : edge + 1]
    return None


def _read_phrases(span: Any, chain: list[Any], lex: ModalityLexicon, found: _Findings) -> None:
    """Fixed phrases ("set to", "willing to", "no intention") with a word on or next to a chain word."""
    doc = span.doc
    anchors = {t.i for t in chain} | {c.i for t in chain for c in t.children}
    for i in anchors:
        for phrase, offset, modality, deny in _phrase_index().get(doc[i].lower_, ()):
            start = i - offset
            words = phrase.split()
            if start < 0 or start + len(words) > len(doc):
                continue
            if all(doc[start + k].lower_ == w for k, w in enumerate(words)):
                found.add(modality, doc[start : start + len(words)])
                if deny:
                    found.negate(deny=True)


@lru_cache(maxsize=1)
def _phrase_index() -> dict[str, list[tuple[str, int, str | None, bool]]]:
    """Phrases by each of their words, so a chain word finds the phrases it may sit in."""
    lex = load_modality_lexicon()
    index: dict[str, list[tuple[str, int, str | None, bool]]] = {}
    for phrases, deny in ((lex.phrases, False), (lex.denial_phrases, True)):
        for phrase, modality in phrases.items():
            for offset, word in enumerate(phrase.split()):
                index.setdefault(word, []).append((phrase, offset, modality, deny))
    return index


def _particle_verb(token: Any) -> str:
    """ "rule out" for "ruled out": the verb's lemma with its particle, or "" without one."""
    particles = [c.lower_ for c in token.children if c.dep_ == "prt"]
    return f"{token.lemma_.lower()} {particles[0]}" if particles else ""


def _read_cue(lemma: str, token: Any, found: _Findings) -> None:
    """What an attribution cue adds: reported (or its class's modality), and deny for a denial."""
    cue_class = load_attribution_lexicon().cue_class(lemma)
    lex = load_modality_lexicon()
    if lemma.lower() in lex.denial_verbs or (cue_class is not None and cue_class.polarity == "deny"):
        found.negate(deny=True)
    found.add(cue_class.modality if cue_class is not None else "reported", token)


def _trailing_attribution(predicate: Any) -> Any:
    """A trailing "…, said X" or "…, X said" (parsed as a conjunct or parataxis of the predicate)."""
    attribution = load_attribution_lexicon()
    root = predicate
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    for child in root.children:
        if (
            child.dep_ in ("conj", "parataxis", "advcl")
            and child.i > predicate.i
            and child.pos_ == "VERB"
            and attribution.token_class(child) in ("speech", "report", "assertion")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            and not any(c.dep_ in ("ccomp", "dobj") for c in child.children)
        ):
            return child
    return None


def _char_extent(cue: Any) -> tuple[int, int]:
    if hasattr(cue, "idx"):
        return cue.idx, cue.idx + len(cue.text)
    return cue.start_char, cue.end_char
