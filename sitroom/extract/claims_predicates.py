"""Attributions the cue-verb rules of :mod:`sitroom.extract.claims` do not reach (claims.v4):

1. **Unattributed expectation and appearance** — "Trump is expected to win", "the deal is believed
   to be near", "the senator seemed to be losing ground": a passive belief or report verb, or a
   raising verb ("seem", "appear"), with an infinitive. Nobody is named; the content is the subject
   and the infinitive ("Trump … to win"), the cue the verb. PolNeAR annotates these as attributions
   without a source; their modality comes from the cue (expected: likely). So is the question in
   "Asked if Sanders is realistic, 72 percent said yes" (the asker is unnamed).
2. **Attitude adjectives** — "voters are optimistic that …", "she was critical of the plan", "he is
   confident he will win": an adjective of belief or stance after a copula, with a clause or an
   of/about phrase (not an infinitive: "willing to" asserts nothing). The copula's subject is the
   source.
3. **Pro-form answers** — "72 percent said yes", "a third said the same of Cruz", "half said so": a
   speech verb whose object or interjection stands for what was said (the poll's question).
4. **Light verbs with a speech noun** — "made the case that …", "expressed concern that …", "made
   no mention of Bush", "made it clear that …", "issued a statement condemning …": the verb and its
   object noun are the cue; the content is the noun's (or the verb's) clause, else its
   of/for/about/on/against/over phrase.

Word lists live in ``sitroom/data/attribution.yaml`` (``sourceless_verbs``, ``adjectives``,
``answer_words``, ``light_verbs``, ``speech_objects``).
"""

from __future__ import annotations

from typing import Any

from sitroom.extract.claims_lexicon import AttributionLexicon
from sitroom.extract.claims_spans import Draft, end_of, source_extent, subject_of, trimmed

_COPULAS = frozenset(("be", "remain", "seem", "appear", "feel", "become", "sound", "look", "stay"))
_ADJECTIVE_PREPS = frozenset(("of", "about", "on", "with", "toward", "towards", "that"))


def sourceless_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    """ "X is expected to …", "X seemed to …": the subject and infinitive, with no source."""
    lemma = token.lemma_.lower()
    if token.tag_ == "VBN" and token.dep_ == "advcl" and lex.verb_class(lemma) == "question":
        return _asked_draft(token, lex)
    name = lex.sourceless_verbs.get(lemma)
    if name is None:
        return None
    passive = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    subject = passive or next((c for c in token.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    if passive is None and lemma not in lex.raising_verbs:
        return None  # "analysts expect …" has a source: the cue-verb rules read it
    if any(c.dep_ == "agent" for c in token.children):
        return None  # "is expected by analysts": sourced, read as a passive with an agent
    complement = next(
        (
            c
            for c in token.children
            if c.dep_ in ("xcomp", "ccomp") and c.i > token.i and c.pos_ in ("VERB", "AUX")
        ),
        None,
    )
    if complement is None and passive is not None:
        # "Trump and Cruz are seen as the candidates who …"
        complement = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if complement is None or subject.lower_ == "it":
        return None  # "it seems", "it is expected that": no subject the proposition is about
    start, end = trimmed(token.doc, subject.left_edge.idx, end_of(complement.right_edge))
    first = next((c for c in token.children if c.dep_ in ("aux", "auxpass") and c.i < token.i), token)
    return Draft(
        cue_start=first.idx if first.i >= subject.right_edge.i else token.idx,
        cue_end=end_of(token),
        cue_lemma=lemma,
        cue_class=lex.classes[name],
        content_start=start,
        content_end=end,
        construction="sourceless",
        cue_token=token,
    )


def _asked_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    """ "Asked if Sanders is realistic, 72 percent said yes": the question put, by someone unnamed."""
    clause = next(
        (
            c
            for c in token.children
            if c.i > token.i
            and c.dep_ in ("ccomp", "advcl")
            and (
                c.dep_ == "ccomp"
                or any(g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in c.children)
            )
        ),
        None,
    )
    if clause is None:
        return None
    first = next((t for t in clause.subtree if t.i > token.i), clause)
    start, end = trimmed(token.doc, first.idx, end_of(clause.right_edge))
    return Draft(
        cue_start=token.idx,
        cue_end=end_of(token),
        cue_lemma=token.lemma_.lower(),
        cue_class=lex.classes["question"],
        content_start=start,
        content_end=end,
        construction="sourceless",
        cue_token=token,
    )


def adjective_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    """ "voters are optimistic that …", "she was critical of …": an attitude adjective after a copula."""
    name = lex.adjectives.get(token.lower_) or lex.adjectives.get(token.lemma_.lower())
    if name is None or token.dep_ not in ("acomp", "ROOT", "ccomp", "conj"):
        return None
    verb = token.head if token.dep_ == "acomp" else token
    if verb is not token and verb.lemma_.lower() not in _COPULAS:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    content = None
    for child in token.children:
        if child.i < token.i:
            continue
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
            content = trimmed(token.doc, child.left_edge.idx, end_of(child.right_edge))
        elif child.dep_ == "prep" and child.lower_ in _ADJECTIVE_PREPS:
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                content = trimmed(token.doc, objects[0].left_edge.idx, end_of(objects[0].right_edge))
        if content is not None:
            break
    if content is None:
        return None
    cue_first = next((c for c in verb.children if c.dep_ in ("aux",) and c.i > subject.i), verb)
    draft = Draft(
        cue_start=min(cue_first.idx, token.idx),
        cue_end=end_of(token),
        cue_lemma=token.lower_,
        cue_class=lex.classes[name],
        content_start=content[0],
        content_end=content[1],
        construction="adjective",
        cue_token=token,
        negated=any(c.dep_ == "neg" for c in verb.children),
    )
    draft.source_head = subject
    draft.source_start, draft.source_end = source_extent(subject, verb)
    return draft


def answer_span(token: Any, lex: AttributionLexicon) -> tuple[int, int] | None:
    """ "said yes", "said so", "said the same of Cruz", "said that of his campaign": the words that
    stand for the answer given, with the of/about phrase saying whom it is about."""
    for child in token.children:
        if child.i < token.i:
            continue
        word = child.lower_
        answer = (child.dep_ in ("intj", "advmod") and word in lex.answer_words) or (
            child.dep_ == "dobj" and (word in lex.answer_words or child.lemma_.lower() in lex.answer_words)
        )
        if not answer:
            continue
        last = child.right_edge
        for prep in token.children:
            if prep.dep_ == "prep" and prep.i > child.i and prep.lower_ in ("of", "about", "on", "for"):
                last = max(last, prep.right_edge, key=lambda t: t.i)
        return trimmed(token.doc, child.left_edge.idx, end_of(last))
    return None


_NOUN_PREPS = frozenset(("of", "for", "about", "on", "against", "over", "with", "to", "at"))


def light_verb_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    """ "made the case that …", "expressed concern over …", "made it clear that …"."""
    if token.lemma_.lower() not in lex.light_verbs:
        return None
    source = subject_of(token)
    if source is None:
        return None
    noun = next(
        (
            c
            for c in token.children
            if c.dep_ in ("dobj", "ccomp", "oprd", "acomp")
            and c.i > token.i
            and (c.lemma_.lower() in lex.speech_objects or c.lower_ in lex.speech_objects)
        ),
        None,
    )
    if noun is None:
        return None
    content = None
    clause = next(
        (
            c
            for c in list(noun.children) + list(token.children)
            if c.dep_ in ("acl", "ccomp") and c.i > noun.i
        ),
        None,
    )
    if clause is not None and clause.pos_ in ("VERB", "AUX"):
        content = trimmed(token.doc, clause.left_edge.idx, end_of(clause.right_edge))
    else:
        prep = next(
            (
                c
                for c in list(noun.children) + list(token.children)
                if c.dep_ == "prep" and c.i > noun.i and c.lower_ in _NOUN_PREPS
            ),
            None,
        )
        objects = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")] if prep is not None else []
        if objects:
            content = trimmed(token.doc, objects[0].left_edge.idx, end_of(objects[0].right_edge))
    if content is None or content[1] <= content[0]:
        return None
    draft = Draft(
        cue_start=token.idx,
        cue_end=end_of(noun),
        cue_lemma=f"{token.lemma_.lower()} {noun.lemma_.lower()}",
        cue_class=lex.classes["speech"],
        content_start=content[0],
        content_end=content[1],
        construction="object",
        cue_token=token,
        negated=any(c.dep_ == "neg" for c in token.children)
        or any(c.lower_ == "no" and c.dep_ == "det" for c in noun.children),
    )
    draft.source_head = source
    draft.source_start, draft.source_end = source_extent(source, token)
    return draft
