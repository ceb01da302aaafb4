"""Whether a claim's source is someone who can say something: a person, an organisation, a state acting
as its government, a descriptive human noun ("residents", "the prosecutor"), or a document that speaks
("the report", "the poll") — never an inanimate noun phrase ("gunshot wounds", "air strikes").

The parser gives the subject of a cue verb, whatever it is: "Scans revealed …", "the picture shows
…", or, in "Syrian air strikes, bombing and infiltration attempts, and Russia will likely seek …",
the whole coordination. Rules (lexicon in ``sitroom/data/attribution.yaml``):

* a named mention, a proper noun or a pronoun is an agent;
* a common noun is a document when it is a ``document_nouns`` lemma (or an inanimate one "of" a
  document: "results of an entrance poll"); inanimate when it is an ``inanimate_nouns`` lemma (things
  that happen or are observed: wounds, strikes, scans, signs) or a noun made from a verb or adjective
  (``event_noun_suffixes``: "the deployment", "the conclusion of the talks") that is not a body of
  people (``agentive_nominals``: "the administration", "the prosecution"); and otherwise an agent — the parse's subjects of speech verbs are people far more often than not, and
  PolNeAR annotates "Twelve percent said", "the clip says", "a lot of people think" as sources;
* a coordination opening with an inanimate conjunct keeps the first conjunct that is named or a
  known human or group noun (``agent_nouns``, roles, representatives, anonymous and media heads):
  "Russia" above; one opening with an agent is kept whole ("Regulators and environmental groups").

A claim whose source is inanimate keeps its content but loses the source (nobody said it); one whose
cue is an evidence verb ("X shows that …") with an inanimate source is not an attribution at all.
"""

from __future__ import annotations

from typing import Any

from sitroom.extract.claims_lexicon import AttributionLexicon


def source_kind(head: Any, *, named: bool, lex: AttributionLexicon) -> str:
    """``"agent"``, ``"document"`` or ``"inanimate"`` for the source headed by ``head``."""
    if is_age_epithet(head):
        return "agent"  # "The 56-year-old said": spaCy reads the age as a date
    if head.lower_ == "it" and _it_is_a_thing(head, lex):
        return "inanimate"  # "X's sacking will … . It will also raise questions …"
    if head.ent_type_ in _NO_AGENT_ENTITIES and not (
        head.lemma_.lower() in lex.agent_lexicon or head.lower_ in lex.agent_lexicon
    ):
        # "May 2010 saw the exchange lose …", "$2 million went to …": a time or an amount (but "the
        # Kuwaiti daily", which spaCy also reads as a date, is a newspaper)
        return "inanimate"
    if named or head.pos_ in ("PROPN", "PRON") or head.lower_ in lex.pronouns:
        return "agent"
    if head.pos_ not in ("NOUN",):
        return "agent"  # numbers, determiners ("some", "many of whom"): people counted, not things
    lemma = head.lemma_.lower()
    word = head.lower_
    if lemma in lex.document_nouns or word in lex.document_nouns:
        return "document"
    if lemma in lex.inanimate_nouns or word in lex.inanimate_nouns:
        # "results of an entrance poll", "the findings of the audit": what a document found
        of_objects = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        if any(g.dep_ == "pobj" and g.lemma_.lower() in lex.document_nouns for g in of_objects):
            return "document"
        return "inanimate"
    if _event_noun(lemma, lex):
        return "inanimate"
    return "agent"


# Entity types that never speak. (Not PERCENT or CARDINAL: "Twelve percent said …" counts people.)
_NO_AGENT_ENTITIES = frozenset(("DATE", "TIME", "MONEY", "QUANTITY"))


def _event_noun(lemma: str, lex: AttributionLexicon) -> bool:
    """A noun made from a verb or adjective ("deployment", "conclusion", "resistance") that names no
    body of people ("administration", "opposition")."""
    return (
        lemma.endswith(lex.event_noun_suffixes)
        and lemma not in lex.agentive_nominals
        and lemma not in lex.agent_lexicon
    )


def is_age_epithet(head: Any) -> bool:
    """ "the 56-year-old" (head "old", parsed "56 - year - old"), standing for a person named before."""
    if head.lower_ not in ("old", "year-old") or not any(c.dep_ == "det" for c in head.children):
        return False
    if head.lower_ == "year-old":
        return any(c.like_num for c in head.children)
    year = next((c for c in head.children if c.lemma_.lower() == "year"), None)
    return year is not None and any(c.like_num for c in year.children)


def _it_is_a_thing(it: Any, lex: AttributionLexicon) -> bool:
    """Whether "it" opening a sentence stands for the thing the sentence before is about: that
    sentence's subject is a common noun that names no one who speaks, nor a document ("Pochettino's
    sacking will reignite speculation … It will also raise questions about …")."""
    sent = it.sent
    if it.i != sent.start or sent.start == 0:
        return False
    before = it.doc[sent.start - 1].sent
    subject = next(
        (t for t in before if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == before.root.i), None
    )
    if subject is None or subject.pos_ != "NOUN" or subject.tag_ == "NNS" or subject.ent_type_:
        return False
    lemma = subject.lemma_.lower()
    return not (lemma in lex.agent_lexicon or lemma in lex.document_nouns or lemma in lex.agentive_nominals)


# Entity types of those who speak.
_SPEAKING_ENTITIES = frozenset(("PERSON", "ORG", "NORP", "GPE"))


def relays_a_source(token: Any, lex: AttributionLexicon) -> bool:
    """Whether ``token`` is a relaying verb (``relay_verbs``: "citing", "quoting") whose object is
    someone who speaks and which governs no clause of its own: "The agency, citing an anonymous
    government source, reported …" names where the report came from, not a statement."""
    if token.lemma_.lower() not in lex.relay_verbs:
        return False
    if any(c.dep_ in ("ccomp", "xcomp") for c in token.children):
        return False
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    return obj.ent_type_ in _SPEAKING_ENTITIES or obj.lemma_.lower() in lex.agent_lexicon


def offers_an_example(token: Any, source: Any, lex: AttributionLexicon) -> bool:
    """Whether ``token`` is the bare imperative of a verb of thought (``example_imperatives``) with the
    "subject" the parser found after it: "— think Donald Trump rather than Barack Obama" names an
    example; Trump believes nothing."""
    return (
        source is not None
        and source.i > token.i
        and token.tag_ in ("VB", "VBP")
        and token.lemma_.lower() in lex.example_imperatives
        and not any(c.dep_ in ("aux", "auxpass", "neg") for c in token.children)
    )


def _known_agent(token: Any, *, named: bool, lex: AttributionLexicon) -> bool:
    if named or token.pos_ in ("PROPN", "PRON"):
        return True
    return token.lemma_.lower() in lex.agent_lexicon or token.lower_ in lex.agent_lexicon


def agent_conjunct(head: Any, *, is_named: Any, lex: AttributionLexicon) -> Any:
    """The first conjunct of a coordinated subject that is an agent, else ``head`` itself."""
    conjuncts = [head]
    token = head
    while True:
        nxt = next((c for c in token.children if c.dep_ == "conj"), None)
        if nxt is None or len(conjuncts) > 8:
            break
        conjuncts.append(nxt)
        token = nxt
    if len(conjuncts) == 1 or source_kind(head, named=is_named(head), lex=lex) != "inanimate":
        return head  # "Developers and supporters in Congress": a coordination of speakers is the source
    for conjunct in conjuncts:
        if _known_agent(conjunct, named=is_named(conjunct), lex=lex):
            return conjunct
    return head


def conjunct_extent(token: Any) -> tuple[int, int]:
    """The characters of one conjunct, without the conjuncts and coordinators hanging from it."""
    skip = {c.i for c in token.children if c.dep_ in ("conj", "cc", "punct")}
    inner = [t for t in token.subtree if not any(t.i == s or _under(t, s, token) for s in skip)]
    first = min(inner, key=lambda t: t.i)
    last = max(inner, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _under(token: Any, ancestor_i: int, stop: Any) -> bool:
    while token.i != stop.i and token.head is not token:
        if token.head.i == ancestor_i:
            return True
        token = token.head
    return False
