"""A learned cue proposer: attribution cues the rules have no construction for.

News attributes far more than speech: "has hired a pollster", "pleaded guilty to", "pinned his hopes
on", "named X as", "her call to ban …" are all attributions in PolNeAR's sense (a source's statement,
belief, intention or stance), and no list of cue words and parse shapes covers them. A logistic model
scores each verb and noun the rules left alone — outside every cue, source and content they found —
from its lemma, its dependency relations, its neighbours and its subject, and a token scoring over
the model's threshold becomes a cue. Its subject (or, for a noun, its possessor) is the source and
what follows it in its subtree is the content; the claim is then typed and finished like any other
(construction ``proposed``, the lexicon's cue class where it knows the word, else ``stance``, and a
lower confidence than the rules').

The weights are data (``sitroom/data/cues/cue_model.json``), trained by ``scripts/train_cues.py`` on
the PolNeAR training split only; ``metrics.json`` beside them records how. The features are strings,
the model a dictionary of weights: scoring a document is a few thousand dictionary look-ups, and no
learning library is needed at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.extract.claims_agents import relays_a_source
from sitroom.extract.claims_lexicon import AttributionLexicon
from sitroom.extract.claims_quotes import Quote
from sitroom.extract.claims_spans import (
    SUBJECT_DEPS,
    Draft,
    antecedent,
    end_of,
    fronted_passive,
    proposed_to_us,
    source_extent,
    subject_of,
    text_of,
    trimmed,
)

MODEL_FILE = "cue_model.json"
PROPOSED = "proposed"
# Parts of speech a proposed cue may head: verbs ("hired") and nouns ("her call to …").
CANDIDATE_POS = frozenset(("VERB", "NOUN"))
# Right dependents that are not part of what the cue is about: punctuation, a coordinated clause of
# its own, a parenthetical, an adverbial clause of time or reason.
_NOT_CONTENT = frozenset(
    ("punct", "cc", "conj", "parataxis", "advcl", "mark", "appos", "relcl", "npadvmod", "agent", "dep")
)
# A prepositional phrase naming only a time or a place ("on Tuesday", "in Iowa") is circumstance.
_CIRCUMSTANCE = frozenset(("DATE", "TIME", "GPE", "LOC", "FAC"))
# ... as does one opened by a preposition of time or setting ("spoke at the meeting", "during the
# debate"): where or when something was said, never what.
_CIRCUMSTANCE_PREPS = frozenset(
    ("at", "during", "after", "before", "since", "until", "amid", "near", "while")
)
_NOUN_CONTENT = frozenset(("prep", "acl", "ccomp", "xcomp"))
_CONTENT_POS = frozenset(("NOUN", "PROPN", "PRON", "VERB", "NUM", "ADJ"))
# Subjects that make no source: "This indicates that …" is the writer reasoning (as in the rules), and
# "you" outside a quote addresses the reader ("you write for us").
_NOT_SOURCES = frozenset(("this", "that", "these", "those", "you"))


@dataclass(frozen=True, slots=True)
class CueModel:
    """A linear model over string features: ``bias`` plus the weights of the features present."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Iterable[str]) -> float:
        score = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel | None:
    """The packaged model, or ``None`` when it is missing (the rules then run alone)."""
    source = resources.files("sitroom") / "data" / "cues" / MODEL_FILE
    if not source.is_file():
        return None
    raw = json.loads(source.read_text(encoding="utf-8"))
    return CueModel(
        weights={str(k): float(v) for k, v in raw["weights"].items()},
        bias=float(raw["bias"]),
        threshold=float(raw["threshold"]),
    )


def coverage(doc: Any, drafts: Sequence[Draft], quotes: Sequence[Quote]) -> bytearray:
    """One byte per character of the text, set where a rule draft's cue, source or content or a
    direct quote lies: the proposer stays outside them. A cue inside another attribution's content
    is nested (PolNeAR gives each token one attribution, and sitroom keeps a nested claim only for a
    third party), and the words of a quotation are the quoted speaker's, not the article's."""
    covered = bytearray(len(text_of(doc)) + 1)
    spans = [(d.cue_start, d.cue_end) for d in drafts] + [(d.content_start, d.content_end) for d in drafts]
    spans += [(d.source_start, d.source_end) for d in drafts if d.source_start is not None and d.source_end]
    spans += [(q.start, q.end) for q in quotes if q.is_direct]
    for start, end in spans:
        end = min(end, len(covered))
        if end > start:
            covered[start:end] = b"\x01" * (end - start)
    return covered


def cue_candidates(doc: Any, covered: bytearray, lex: AttributionLexicon) -> list[Any]:
    """Verb and noun tokens outside the ``covered`` text. "seem"/"appear" are left to the rules
    (``claims_predicates``): "it seems odd" attributes nothing to "it"."""
    return [
        t
        for t in doc
        if t.pos_ in CANDIDATE_POS and not covered[t.idx] and t.lemma_.lower() not in lex.raising_verbs
    ]


def cue_features(token: Any, lex: AttributionLexicon) -> list[str]:
    """The string features of one candidate token (shared by training and scoring)."""
    lemma = token.lemma_.lower()
    doc = token.doc
    feats = [
        f"l={lemma}",
        f"p={token.pos_}",
        f"t={token.tag_}",
        f"d={token.dep_}",
        f"ld={lemma}|{token.dep_}",
        f"lt={lemma}|{token.tag_}",
        f"h={token.head.lemma_.lower()}",
        f"hd={token.head.pos_}|{token.dep_}",
        f"w={token.lower_}",
    ]
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    prev = doc[token.i - 1] if token.i > 0 else None
    if nxt is not None:
        feats += [f"nw={nxt.lower_}", f"lnw={lemma}|{nxt.lower_}", f"np={nxt.pos_}"]
    if prev is not None:
        feats += [f"pw={prev.lower_}", f"pp={prev.pos_}"]
    for child in token.children:
        feats.append(f"c={child.dep_}")
        if child.dep_ in ("prep", "prt", "agent"):
            feats.append(f"lc={lemma}|{child.lower_}")
        elif child.dep_ in ("ccomp", "xcomp", "dobj", "poss", "aux", "neg", "acomp", "dative"):
            feats.append(f"lc={lemma}|{child.dep_}")
        if child.dep_ in ("aux", "auxpass", "neg"):
            feats.append(f"a={child.lower_}")
    subject = subject_of(token) if token.pos_ == "VERB" else _possessor(token)
    if subject is None:
        feats += ["s=none", f"ls={lemma}|none"]
    else:
        head = antecedent(subject)
        kind = head.ent_type_ or (head.lower_ if head.pos_ == "PRON" else head.pos_)
        feats += [f"s={kind}", f"ls={lemma}|{'agent' if _agentive(head, lex) else 'thing'}"]
        if head.lower_ in lex.agent_lexicon or head.lemma_.lower() in lex.agent_lexicon:
            feats.append("s=agentnoun")
    if lex.token_class(token) is not None or lemma in lex.noun_classes:
        feats.append("lex")
    return feats


def _agentive(head: Any, lex: AttributionLexicon) -> bool:
    return (
        head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or head.lower_ in lex.pronouns
        or head.lemma_.lower() in lex.agent_lexicon
    )


def _class_name(token: Any, lex: AttributionLexicon) -> str:
    """A cue word the lexicon knows keeps its class (a denial denies, "think" is a belief); any other
    proposed cue reports a stance or an action, read as the source's."""
    name = lex.token_class(token) if token.pos_ == "VERB" else lex.noun_classes.get(token.lemma_.lower())
    return name if name in lex.classes else "stance"


def _circumstance(child: Any) -> bool:
    """ "on Tuesday", "in the early morning hours", "in Ohio", "at the meeting": a phrase of time or
    setting."""
    if child.dep_ != "prep":
        return False
    if child.lower_ in _CIRCUMSTANCE_PREPS:
        return True
    objects = [g for g in child.children if g.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in _CIRCUMSTANCE or o.lemma_ in _TIME_WORDS for o in objects)


_TIME_WORDS = frozenset(("morning", "afternoon", "evening", "night", "week", "month", "year", "day", "hour"))


def _possessor(token: Any) -> Any:
    return next((c for c in token.children if c.dep_ == "poss"), None)


def propose_drafts(
    doc: Any,
    drafts: Sequence[Draft],
    quotes: Sequence[Quote],
    lex: AttributionLexicon,
    *,
    model: CueModel | None = None,
) -> list[Draft]:
    """Drafts for the candidate tokens the model scores over its threshold that have a content and a
    source: PolNeAR also marks sourceless actions ("was designed to …"), but a claim nobody makes
    tells an analyst nothing (the source must still be an agent: ``claims._agent_source``)."""
    model = model or load_cue_model()
    if model is None:
        return []
    out = []
    covered = coverage(doc, drafts, quotes)
    for token in cue_candidates(doc, covered, lex):
        if f"l={token.lemma_.lower()}" not in model.weights:
            continue  # a word training never met: its shape alone ("ISIS has invaded …") says nothing
        if not token.is_alpha or len(token.text) < 3:
            continue  # "re" of "re-elected", which spaCy splits off as a verb: a piece of a word
        if _perceives_a_thing(token, lex) or relays_a_source(token, lex) or proposed_to_us(token):
            continue
        if fronted_passive(token):
            continue  # "Told of the ruling, the mayor …": the mayor was told
        if model.probability(cue_features(token, lex)) < model.threshold:
            continue
        draft = proposed_draft(token, lex, covered=covered)
        if draft is not None and draft.source_head is not None:
            out.append(draft)
    return out


# Prepositions whose phrase says where or through what something was said, never what.
_WHERE_PREPS = frozenset(("on", "in", "at", "via", "through", "from", "during", "outside", "inside"))


def _perceives_a_thing(token: Any, lex: AttributionLexicon) -> bool:
    """A verb of the senses with neither a clause nor an "as" judgement after it: "didn't see the
    governor at the Statehouse" reports what happened, not what anyone claims (``perception_verbs``)."""
    if token.lemma_.lower() not in lex.perception_verbs:
        return False
    return not any(
        c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as") for c in token.children
    )


def proposed_draft(token: Any, lex: AttributionLexicon, *, covered: bytearray | None = None) -> Draft | None:
    """A draft for a proposed cue: what follows it in its subtree is the content, its subject (a
    noun's possessor) the source. ``None`` when nothing follows it, or when that runs into the
    ``covered`` text ("published a letter that says …": the rules' claim is the letter's)."""
    doc = token.doc
    keep = _NOUN_CONTENT if token.pos_ == "NOUN" else None
    parts = [
        c
        for c in token.children
        if c.i > token.i
        and c.dep_ not in _NOT_CONTENT
        and (keep is None or c.dep_ in keep)
        and not _circumstance(c)
    ]
    if not parts:
        return None
    first = min(p.left_edge.i for p in parts)
    last = max(p.right_edge.i for p in parts)
    start, end = trimmed(doc, doc[first].idx, end_of(doc[last]))
    if covered is not None and any(covered[start:end]):
        # the content stops where a rule's span begins: "published a letter …" keeps the letter, and
        # the claim the letter makes ("that says …") stays the rules'
        start, end = trimmed(doc, start, covered.index(1, start, end))
    if end <= start or not any(
        t.pos_ in _CONTENT_POS for t in doc.char_span(start, end, alignment_mode="expand") or ()
    ):
        return None  # "reported on": a preposition alone says nothing
    if len(parts) == 1 and parts[0].dep_ == "prep" and parts[0].lower_ in _WHERE_PREPS:
        return None  # "posted on Twitter", "spoke at the rally": where it was said, not what
    if (
        len(parts) == 1
        and parts[0].dep_ == "prep"
        and all(t.pos_ in ("ADP", "PRON") for t in parts[0].subtree)
    ):
        return None  # "are talking about it": a pronoun names no topic
    source = subject_of(token) if token.pos_ == "VERB" else _possessor(token)
    if source is not None and source.lower_ in _NOT_SOURCES:
        return None
    draft = Draft(
        cue_start=token.idx,
        cue_end=end_of(token),
        cue_lemma=token.lemma_.lower(),
        cue_class=lex.classes[_class_name(token, lex)],
        content_start=start,
        content_end=end,
        construction=PROPOSED,
        cue_token=token,
        negated=any(c.dep_ == "neg" for c in token.children),
    )
    if source is not None and source.dep_ in SUBJECT_DEPS | {"poss", "pobj", "nummod"}:
        draft.source_head = antecedent(source)
        draft.source_start, draft.source_end = source_extent(draft.source_head, token)
    return draft
