"""Shared pieces of claim extraction: the draft record, cue lookup, subjects and span trimming."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitroom.extract.claims_lexicon import AttributionLexicon, CueClass, lemma_forms, load_attribution_lexicon
from sitroom.extract.participles import verb_behind_medium

# spaCy rebuilds Doc.text on every access; extract_claims leaves its copy here for the rules.
TEXT_KEY = "sitroom.text"
SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass", "csubj"))
# A participle, conjunct or infinitive cue takes its head verb's subject ("Peskov …, saying that").
_INHERIT_SUBJECT_DEPS = frozenset(("advcl", "xcomp", "conj", "pcomp", "acl"))
_RELATIVE_PRONOUNS = frozenset(("who", "which", "that", "whom"))
_TRIM = " \t\n,;:—–-("


@dataclass(slots=True)
class Draft:
    """A claim before speaker linking: the spans the parse gave, and how it was read."""

    cue_start: int
    cue_end: int
    cue_lemma: str
    cue_class: CueClass
    content_start: int
    content_end: int
    construction: str
    cue_token: Any = None
    source_head: Any = None
    source_start: int | None = None
    source_end: int | None = None
    negated: bool = False


def text_of(doc: Any) -> str:
    """The document text, from the copy extract_claims stored, else rebuilt by spaCy."""
    return doc.user_data.get(TEXT_KEY) or doc.text


def cue_of(token: Any, lex: AttributionLexicon) -> tuple[str, CueClass] | None:
    """The cue lemma ("rule out" with its particle) and class of a verb token, or ``None``."""
    # "point out", and "call for"/"push for" whose preposition the parser keeps as a prep
    particles = [c for c in token.children if c.dep_ == "prt" or (c.dep_ == "prep" and c.i == token.i + 1)]
    # "calling for the US to act": the parser makes "for" the marker of the clause after it
    particles += [g for g in for_clause_marks(token) if g.i == token.i + 1]
    for particle in particles:
        key = (token.lemma_.lower(), particle.lower_)
        if key in lex.particle_verbs:
            return f"{key[0]} {key[1]}", lex.classes[lex.particle_verbs[key]]
    name = lex.token_class(token)
    if name is None:
        return None
    return token.lemma_.lower() if lex.verb_class(token.lemma_) else fallback_lemma(token, lex), lex.classes[
        name
    ]


def for_clause_marks(token: Any) -> list[Any]:
    """The "for" marking an infinitive clause of ``token`` ("calling for X to Y")."""
    return [
        g
        for c in token.children
        if c.dep_ in ("advcl", "ccomp", "xcomp")
        for g in c.children
        if g.dep_ == "mark" and g.lower_ == "for"
    ]


def fallback_lemma(token: Any, lex: AttributionLexicon) -> str:

    return next((f for f in lemma_forms(token) if f in lex.verb_classes), token.lemma_.lower())


def end_of(token: Any) -> int:
    return token.idx + len(token.text)


def fronted_passive(token: Any) -> bool:
    """A passive participle opening its sentence without an agent ("Added together, …", "Told of the
    ruling, the mayor …"): the main clause's subject is what was said or who was told, never who
    said it."""
    return (
        token.tag_ == "VBN"
        and token.dep_ == "advcl"
        and token.i < token.head.i
        and token.left_edge.i == token.sent.start
        and not any(c.dep_ in ("agent", "aux", "auxpass", "nsubj", "nsubjpass") for c in token.children)
    )


def subject_of(token: Any) -> Any:
    """The cue's subject, or for a participle / conjunct / infinitive cue, its head verb's."""
    seen = 0
    while seen < 4:
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS and c.dep_ != "nsubjpass"]
        if len(subjects) > 1:
            # two subjects is a parse error over a coordination ("air strikes, bombing, and Russia
            # will seek"): the one next to the verb is the one that governs it; one inside a quotation
            # that closes before the verb is the quote's ("“…, all religions preach love,” said X")
            before = [c for c in subjects if c.i < token.i and not _closing_quote_between(c, token)]
            after = [c for c in subjects if c.i > token.i]
            return max(before, key=lambda c: c.i) if before else (after or subjects)[0]
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS and child.dep_ != "nsubjpass":
                return child
            if child.dep_ == "agent":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        counted = next((c for c in token.children if c.dep_ == "nummod" and c.i < token.i), None)
        if counted is not None:
            return counted  # "About 4 in 10 say …": the parser hangs the count on the verb
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
            noun = token.head
            verb = verb_behind_medium(token)
            if verb is not None:
                # "Swift posted on Twitter accusing the label …": the one who posted accuses
                token = verb
                passive = [c for c in token.children if c.dep_ == "nsubjpass"]
                if passive and not any(c.dep_ == "agent" for c in token.children):
                    return passive[0]  # "Trump was heard on a microphone telling Christie …"
                seen += 1
                continue
            return noun  # "postings, including one saying that …", "a report claiming …"
        if (
            token.dep_ == "pcomp"
            and token.head.pos_ in ("ADP", "SCONJ")
            and token.head.head.pos_ in ("VERB", "AUX")
            and token.head.head is not token.head
        ):
            # "began by saying …", "after saying …, she was": the clause the preposition joins
            token = token.head.head
            seen += 1
            continue
        repeated = _repeated_cue(token)
        if repeated is not None:
            token = repeated  # "He says A and says B": the second "says" is the first one's speaker's
            seen += 1
            continue
        if token.dep_ == "xcomp" and token.head.lemma_.lower() in load_attribution_lexicon().causative_verbs:
            made = next((c for c in token.head.children if c.dep_ == "dobj" and c.i < token.i), None)
            if made is not None:
                return made  # "prompted some users to argue": the users argue
        if token.dep_ in _INHERIT_SUBJECT_DEPS and token.head is not token and token.head.pos_ == "VERB":
            token = token.head
            seen += 1
            continue
        return None
    return None


def _closing_quote_between(word: Any, verb: Any) -> bool:
    """Whether a closing quotation mark stands between ``word`` and the later ``verb``."""
    return any(t.text in ("”", '"', "''") for t in word.doc[word.i + 1 : verb.i])


def proposed_to_us(token: Any) -> bool:
    """Whether a verb is what "let's" / "let us" proposes ("Let's see if he keeps his promise", "let us
    wait and see whether it works"): a suggestion to the reader, nobody's statement."""
    verb = token
    for _ in range(2):
        head = verb.head
        if head.i == verb.i:
            return False
        if head.lemma_.lower() == "let" and any(
            c.dep_ == "nsubj" and c.lower_ in ("'s", "’s", "us") for c in verb.children
        ):
            return True
        if verb.dep_ != "conj":
            return False
        verb = head
    return False


def _repeated_cue(token: Any) -> Any:
    """The cue verb of the same lemma whose clause the parser put ``token`` in ("He says A and says
    B": "says" B conjoined inside A), when ``token`` is such a conjunct."""
    if token.dep_ != "conj":
        return None
    above = token.head
    for _ in range(3):
        if above.head is above:
            return None
        if above.dep_ == "ccomp" and above.head.lemma_ == token.lemma_ and above.head.i < token.i:
            return above.head
        above = above.head
    return None


def antecedent(subject: Any) -> Any:
    """ "who" in "The Institute …, who has tracked …, counters" stands for the noun it follows."""
    if subject.lower_ in _RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def phrase_start(head: Any) -> Any:
    """The first word of ``head``'s phrase: not the closing quotation mark the parser may hang on a
    source after its quote ("“…,” Stafford, a member of the crew, responded")."""
    first = head.left_edge
    while first.is_punct and first.i < head.i:
        first = head.doc[first.i + 1]
    return first


def source_extent(head: Any, cue: Any) -> tuple[int, int]:
    """The source's words: its head's phrase, never running into its cue. A cue inside the phrase
    (a relative clause: "a refugee who feared reprisals and asked not to be named") ends the source
    with the relative pronoun that stands for it ("a refugee who", as PolNeAR marks "who"), not right
    before the cue ("… feared reprisals and")."""
    first, last = phrase_start(head), head.right_edge
    if head.dep_ == "dobj" and cue.dep_ == "xcomp" and cue.head.i == head.head.i:
        # the one a causative verb makes speak ("forced Stumpf, who …, to admit"): the noun phrase,
        # not the clauses describing it
        last = head
    if head.i < cue.i <= last.i:
        branch = next((c for c in head.rights if c.left_edge.i <= cue.i <= c.right_edge.i), None)
        stop = cue.i - 1
        if branch is not None:
            opener = branch.left_edge
            stop = opener.i if opener.tag_ in ("WP", "WDT") or opener.lower_ == "that" else opener.i - 1
        last = cue.doc[max(stop, first.i)]
    return trimmed(cue.doc, first.idx, last.idx + len(last.text))


def trimmed(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Strip spaces, commas and dashes at the ends, and a final period unless a quote closes it."""
    text = text_of(doc)
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and (
        text[end - 1] in _TRIM or text[end - 1] in ".)" and _unquoted_period(text, start, end)
    ):
        end -= 1
    return start, end


def _unquoted_period(text: str, start: int, end: int) -> bool:
    # keep the period of a quotation the content opens with a mark ("“… Idlib.")
    return text[start] not in '“"' if start < end else True


def word_count(tokens: list[Any]) -> int:
    return sum(1 for t in tokens if not t.is_punct)
