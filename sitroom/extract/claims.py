"""Claims: attributed statements read from a spaCy parse, with speaker, via chain, modality and date.

:func:`extract_claims` finds who said, believed or intended what. Constructions, each a rule on the
dependency parse (cue words in ``sitroom/data/attribution.yaml``):

1. **Cue verb with a clause** — "X said (that) …", "X told Y …", "Moscow believes …", "X counters
   that …", "…, saying that …" (the participle's subject is its head verb's): content is the verb's
   clausal complement; coordinated complements ("that A, but that B") become one claim each.
2. **Inverted and parenthetical** — "…, X said.", "…, said X", "Additionally, he said, …": content is
   the clause the cue verb hangs from, without the cue's own words.
3. **Direct quotes** — a quoted region of four or more words next to a speech verb that has no
   clausal complement ("“…,” he said", "X noted, “…”"); a quote opening the next sentence or
   paragraph after a direct quote with no cue of its own continues the same speaker.
4. **according to** — "Y, according to X": source X, content the clause it modifies; on a cue verb
   ("he said, according to RIA Novosti") X is a *via* intermediary instead.
5. **Intent, plan, denial and stance verbs with an object** — "Turkey hopes to achieve …", "X denied
   the report", "analysts are supporting ground intervention": content is the infinitive or object.
6. **Content nouns** — "his claim that …", "the belief that …": content is the that-clause; the
   source is the possessor or the of-phrase.
7. **Proposed cues** — outside everything the rules found, a model trained on PolNeAR
   (:mod:`.claims_cues`) proposes verbs and nouns that attribute ("pleaded guilty to …", "has hired …");
   one with an agent source and a content after it becomes a claim of lower confidence.

Quote type is *direct* when the content is one quotation, *mixed* when it contains quoted words,
else *indirect*. Speakers, via chains and dates follow :mod:`sitroom.extract.claims_speakers`;
modality and polarity come from :func:`sitroom.extract.modality.assess_modality` on the content's
first sentence, given the cue (a denial cue denies; "did not say" negates). Constructions 4 and 6, the
"Speaker: statement" headline and cue verbs mis-tagged as nouns live in ``claims_phrases``; the draft
record and span helpers in ``claims_spans``; quotation marks in ``claims_quotes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sitroom.extract.claims_agents import (
    agent_conjunct,
    conjunct_extent,
    offers_an_example,
    relays_a_source,
    source_kind,
)
from sitroom.extract.claims_cues import PROPOSED, propose_drafts
from sitroom.extract.claims_groups import is_group_key
from sitroom.extract.claims_lexicon import AttributionLexicon, CueClass, load_attribution_lexicon
from sitroom.extract.claims_phrases import (
    according_draft,
    continued_drafts,
    dash_drafts,
    headline_drafts,
    is_mistagged_verb,
    mistagged_draft,
    noun_draft,
)
from sitroom.extract.claims_predicates import (
    adjective_draft,
    answer_span,
    light_verb_draft,
    sourceless_draft,
)
from sitroom.extract.claims_quotes import Quote, find_quotes
from sitroom.extract.claims_spans import (
    SUBJECT_DEPS,
    TEXT_KEY,
    Draft,
    antecedent,
    cue_of,
    end_of,
    for_clause_marks,
    fronted_passive,
    phrase_start,
    proposed_to_us,
    source_extent,
    subject_of,
    text_of,
    trimmed,
)
from sitroom.extract.claims_speakers import SpeakerIndex, find_said, find_via
from sitroom.extract.claims_voice import document_voice, voice_claims
from sitroom.extract.modality import assess_modality
from sitroom.model import Claim, Mention, TimeRef
from sitroom.nlp.entities import slugify

# v12: a capitalised title ("The Prime Minister", "the Vice-President") is a role description, never an
# organisation; an honorific between a title and a name keeps the title; a name inside what a pronoun
# source says is never its antecedent; a subject inside a quotation closing before the cue is the quote's;
# lines of figures ("GOLD: $1357.15") are no headline statements; "BIN NOTE:" and "Credits:" are labels;
# no cue in a sentence set all in capitals (its parse is noise).
# v11: "think X" / "imagine X" before a name offers an example, not X's belief; a fronted passive participle
# ("Added together, …") makes no claim of the main subject; reps and publicists represent; a quote closing
# before a source with an apposition is that source's; the reader ("if you're planning …") is no source.
# v10: a causative verb's object speaks ("prompted users to argue"); a relaying verb's object names a source
# ("citing an official"); the subject the parser made a cue's object stays in the content; age epithets;
# "it" after a sentence about a thing; professions' nationality; plural group nouns; pronouns first to a
# person named in their own sentence outside quotes; given names mark gender; "let's …"; "talking about it";
# read from a parse in which a dateline naming an outlet the agency list lacks ends a sentence.
# v9: read from a parse in which a line break ends a sentence in text that does not wrap its lines (web
# pages: sitroom.nlp.paragraphs); v8: a blank line ends a sentence (sitroom.nlp.paragraphs); a date, time or
# amount is no source; the cue proposer leaves words its training never met; page furniture is no headline
# speaker; a role word after a name describes it only in an apposition; a name is its own speaker, not the
# organisation its apposition names; a description never goes to an earlier person the text titled otherwise
CLAIMS_VERSION = "claims.v12"

_OBJECT_CLASSES = frozenset(("intent", "plan", "denial", "stance"))
# Classes whose verbs comment on a clause they follow ("…, he said", "…, analysts believe").
_INVERTING_CLASSES = frozenset(("speech", "report", "assertion", "acknowledgement", "belief"))
_DEMONSTRATIVES = frozenset(("this", "that", "these", "those"))
# Classes whose cue takes a clause the parser may mislabel as an open complement ("said legalizing …").
_XCOMP_CLASSES = frozenset(("speech", "assertion", "belief", "report"))
_CLAUSE_DEPS = frozenset(("ccomp",))
# Prepositions whose phrase belongs to an object verb's content: accuse … of, criticize … for, cite … as.
_OBJECT_PREPS = frozenset(("of", "for", "as"))
# How far (characters) a direct quote may sit from its cue's clause ("“…,” he said").
_QUOTE_GAP = 4


def extract_claims(
    text: str,
    spacy_doc: Any,
    *,
    mentions: Sequence[Mention] = (),
    times: Sequence[TimeRef] = (),
    publisher: str | None = None,
    title: str | None = None,
    author: str | None = None,
    dateline: str | None = None,
    propose: bool = True,
) -> list[Claim]:
    """Every attributed statement in ``text`` (parsed as ``spacy_doc``), in text order, and the
    estimates the document makes in its own voice (:mod:`.claims_voice`: the study named in the
    ``title``, the ``publisher`` or the ``author``). ``dateline`` is the place the text opens with
    (``Document.dateline``), never a speaker ("NEW DELHI: …"). ``propose=False`` leaves out the cues the
    learned proposer (:mod:`.claims_cues`) adds to the rules'."""
    lex = load_attribution_lexicon()
    # spaCy rebuilds Doc.text on every access; the rules slice it often, so they read this copy.
    spacy_doc.user_data[TEXT_KEY] = text
    quotes = find_quotes(text)
    drafts = rule_drafts(spacy_doc, text, quotes, lex, dateline=dateline)
    if propose:
        proposed = propose_drafts(spacy_doc, drafts, quotes, lex)
        drafts += [d for d in proposed if not _self_voice(d, text, lex)]
    for draft in drafts:
        _extend_to_quotes(draft, quotes, text)
    drafts = _continue_quotes(drafts, spacy_doc, quotes)
    drafts = [d for d in _dedupe(drafts) if not _shouted(d, spacy_doc)]
    writer = (
        (f"local:person:{slugify(author)}", author)
        if author
        else (f"local:media:{slugify(publisher)}", publisher)
        if publisher
        else None
    )
    index = SpeakerIndex(mentions, lex, text, writer=writer)
    drafts = [d for d in (_agent_source(d, spacy_doc, index, lex) for d in drafts) if d is not None]
    # a proposed cue stands on its source: an action or stance with no agent behind it is no claim
    drafts = [d for d in drafts if d.construction != PROPOSED or d.source_head is not None]
    claims = []
    # "I"/"we" inside a quote are its speaker's: finish the claims around them first
    for draft in sorted(drafts, key=lambda d: (_first_person(d, lex), d.cue_start, d.content_start)):
        claims.append(_finish(draft, spacy_doc, quotes, index, times, lex, publisher))
    claims = _reported_within(claims)
    voice = document_voice(title=title, source=publisher, author=author, lex=lex)
    claims += voice_claims(text, spacy_doc, claims, voice=voice, component=CLAIMS_VERSION)
    return sorted(claims, key=lambda c: (c.content_start, c.cue_start or 0))


# --- finding cues and spans ----------------------------------------------------------------------


def rule_drafts(
    doc: Any, text: str, quotes: list[Quote], lex: AttributionLexicon, *, dateline: str | None = None
) -> list[Draft]:
    """The drafts the rules find (constructions 1–6, headlines, dash signatures, continued quotes),
    without first- and second-person beliefs; the cue proposer looks only outside them."""
    drafts = _find_drafts(doc, quotes, lex) + headline_drafts(doc, text, lex, dateline=dateline)
    drafts += dash_drafts(doc, text, quotes, lex) + continued_drafts(doc, lex)
    return [d for d in drafts if not _self_voice(d, text, lex)]


def _shouted(draft: Draft, doc: Any) -> bool:
    """Whether the cue sits in a sentence set all in capitals ("THE BANKERS AT THE COMEX STATED THAT
    THEY HAVE NO METAL"): the tagger reads such text as names and its parse is noise, so its cues are
    not trusted. A "NAME: …" line is read by its layout, not its parse, and stays."""
    if draft.construction in ("headline", "transcript") or draft.cue_start is None or draft.cue_end is None:
        return False
    cue = doc.char_span(draft.cue_start, draft.cue_end, alignment_mode="expand")
    if cue is None or not len(cue):
        return False
    words = [t for t in cue[0].sent if t.is_alpha and len(t.text) > 1]
    return len(words) >= 4 and all(t.is_upper for t in words)


def _self_voice(draft: Draft, text: str, lex: AttributionLexicon) -> bool:
    """ "I think …", "you know", "we want …": a belief or wish in the first or second person."""
    if draft.source_start is None or draft.source_end is None:
        return False
    source = text[draft.source_start : draft.source_end].strip().lower()
    return source in lex.self_voice_pronouns and draft.cue_class.name in lex.self_voice_classes


def _find_drafts(doc: Any, quotes: list[Quote], lex: AttributionLexicon) -> list[Draft]:
    drafts: list[Draft] = []
    for token in doc:
        if token.lemma_.lower() == "accord" and token.dep_ == "prep":
            draft = according_draft(token, doc, lex)
            if draft is not None:
                drafts.append(draft)
        elif token.pos_ in ("VERB", "AUX") and token.dep_ != "amod":
            found = _verb_drafts(token, doc, quotes, lex)
            if not found:
                extra = light_verb_draft(token, lex) or sourceless_draft(token, lex)
                found = [extra] if extra is not None else []
            drafts.extend(found)
        elif token.pos_ == "ADJ":
            draft = adjective_draft(token, lex)
            if draft is not None:
                drafts.append(draft)
        elif token.pos_ == "NOUN" and is_mistagged_verb(token, lex):
            draft = mistagged_draft(token, lex)
            if draft is not None:
                drafts.append(draft)
        elif token.pos_ == "NOUN" and token.lemma_.lower() in lex.noun_classes:
            draft = noun_draft(token, lex)
            if draft is not None:
                drafts.append(draft)
    return drafts


def _verb_drafts(token: Any, doc: Any, quotes: list[Quote], lex: AttributionLexicon) -> list[Draft]:
    cue = cue_of(token, lex)
    if cue is None:
        return []
    lemma, cue_class = cue
    if cue_class.name == "speech" and _adds_an_amount(token):
        return []  # "the Nasdaq added 20.72 points": a market's gain, not a word said
    if proposed_to_us(token):
        return []  # "Let's see if he keeps his promise": a suggestion, nobody's statement
    if token.tag_ == "VBN" and token.dep_ == "advcl" and cue_class.name == "question":
        return []  # "Asked if …, 72 percent said yes": asked by someone unnamed (claims_predicates)
    if fronted_passive(token):
        return []  # "Added together, it has become …", "Told of the ruling, the mayor …": no one says it
    source = subject_of(token)
    if _the_reader(source, token, quotes):
        return []  # "If you're planning to retire early": the reader, whom no statement comes from
    if offers_an_example(token, source, lex):
        return []  # "— think Donald Trump rather than Barack Obama": an example, nobody's belief
    if source is not None and source.lower_ in _DEMONSTRATIVES and not _relative(source, token):
        return []  # "This indicates that …": the writer reasoning, not a source speaking
    if source is None and token.dep_ not in ("parataxis",) and cue_class.name not in ("evidence",):
        return []
    contents: list[tuple[int, int, str]] = []
    clauses = [c for c in token.children if c.dep_ in _CLAUSE_DEPS and c.i != (source.i if source else -1)]
    if lemma in lex.topic_verbs:
        # "The storm closed the road, Lars Eide spoke at the meeting": a clause before a topic verb
        # is a sentence of its own the parser joined to it
        clauses = [c for c in clauses if c.i > token.i]
    for clause in clauses:
        spans = _split_coordinated(clause, exclude=token)
        subject = _stray_subject(token, clause, lex)
        if subject is not None and spans:
            spans[0] = (subject.left_edge.idx, spans[0][1])
        contents.extend((s, e, "clause") for s, e in spans)
    if not contents and lemma.endswith(" for"):
        # "is calling for the United States to take a stronger role": the for-clause is the call
        for mark in for_clause_marks(token):
            clause = mark.head
            contents.append((*trimmed(doc, end_of(mark), end_of(clause.right_edge)), "object"))
    if clauses and token.head is not token:
        # "…, saying that A, but that B": the parser may hang "that B" on the verb above the cue
        for sibling in token.head.children:
            if sibling.dep_ == "conj" and sibling.i > token.i and _has_that(sibling):
                contents.append(
                    (*trimmed(token.doc, sibling.left_edge.idx, end_of(sibling.right_edge)), "clause")
                )
    if (
        not contents
        and source is not None
        and cue_class.name in _XCOMP_CLASSES
        and lemma not in lex.object_verbs
    ):
        # "He said legalizing it could put thousands to work": the parser takes the clause for an
        # open complement; a clause-taking cue's complement is what was said
        xcomp = next(
            (c for c in token.children if c.dep_ == "xcomp" and c.i > token.i and c.tag_ == "VBG"), None
        )
        if xcomp is not None:
            contents.append((*trimmed(doc, xcomp.left_edge.idx, end_of(xcomp.right_edge)), "clause"))
    takes_object = (
        cue_class.name in _OBJECT_CLASSES
        or lemma in lex.object_verbs
        or bool(_OBJECT_CLASSES.intersection(lex.verb_classes.get(lemma, ())))
    )
    if relays_a_source(token, lex):
        return []  # "citing an anonymous government source": where it came from, not what was said
    if not contents and lemma in lex.object_verbs:
        # "called the system “rotten”": object and complement, before any adjacent quote
        span = _object_of(token, cue_class, lex)
        if span is not None:
            contents.append((*span, "object"))
    # "spoke", "talked", "referring to", "agreed": their complement is a topic or a person, so they
    # never comment on a clause they hang from or a quote they do not govern
    comments = cue_class.name in _INVERTING_CLASSES and lemma not in lex.topic_verbs
    if not contents and comments and _is_inverted(token, source):
        span = _head_clause(token)
        if span is not None:
            contents.append((*span, "inverted"))
    if not contents and cue_class.name in ("speech", "assertion", "acknowledgement", "report", "question"):
        quote = _adjacent_quote(token, source, doc, quotes)
        if quote is not None:
            contents.append((quote.start, quote.end, "direct"))
    if not contents and source is not None and cue_class.name == "speech":
        span = answer_span(token, lex)  # "72 percent said yes", "a third said the same of Cruz"
        if span is not None:
            contents.append((*span, "answer"))
    if not contents and source is not None and comments:
        span = _fallback_content(token, quotes)
        if span is not None:
            contents.append((*span, "fallback"))
    if not contents and takes_object:
        span = _object_of(token, cue_class, lex)
        if span is not None:
            contents.append((*span, "object"))
    if not contents and lemma in lex.addressee_verbs:
        # "urged Congress to leave the program intact", "told his advisers to figure out …": the request
        xcomp = next((c for c in token.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if xcomp is not None:
            contents.append((*trimmed(doc, xcomp.left_edge.idx, end_of(xcomp.right_edge)), "object"))
    if not contents and takes_object and source is not None:
        # "Trump is supported by far fewer publications": the passive subject is what they support
        passive = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        if passive is not None and any(c.dep_ == "agent" for c in token.children):
            contents.append((*trimmed(doc, passive.left_edge.idx, end_of(passive.right_edge)), "object"))
    if not contents:
        about = _about_phrase(token)
        if about is not None:
            contents.append((*about, "object"))
    if not contents:
        return []
    drafts = []
    for start, end, construction in contents:
        if end <= start:
            continue
        draft = Draft(
            cue_start=token.idx,
            cue_end=_cue_end(token),
            cue_lemma=lemma,
            cue_class=_class_for(cue_class, construction, lemma, lex),
            content_start=start,
            content_end=end,
            construction=construction,
            cue_token=token,
            negated=any(c.dep_ == "neg" for c in token.children),
        )
        if source is not None:
            draft.source_head = antecedent(source)
            draft.source_start, draft.source_end = source_extent(draft.source_head, token)
        drafts.append(draft)
    return drafts


def _the_reader(source: Any, cue: Any, quotes: list[Quote]) -> bool:
    """ "you" outside quotation marks with a cue not in the past: the reader addressed ("if you're
    planning to retire", "you can call it whatever you want"). A "you" who said something ("as you
    pointed out, Laura" in a transcript) is someone."""
    if source is None or source.lower_ != "you" or cue.tag_ in ("VBD", "VBN"):
        return False
    return not any(q.start <= source.idx < q.end for q in quotes)


def _relative(source: Any, cue: Any) -> bool:
    """ "a letter … that says …": "that" is a relative pronoun standing for the noun it follows."""
    return cue.dep_ == "relcl" and source.i < cue.i and antecedent(source) is not source


def _has_that(clause: Any) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _class_for(cue_class: CueClass, construction: str, lemma: str, lex: AttributionLexicon) -> CueClass:
    """A verb in several classes reads as intent or plan with an infinitive ("promised to …")."""
    if construction == "object":
        for name in ("plan", "intent"):
            if name in lex.verb_classes.get(lemma, ()):
                return lex.classes[name]
    return cue_class


def _cue_end(token: Any) -> int:
    particle = next((c for c in token.children if c.dep_ == "prt"), None)
    last = particle if particle is not None and particle.i == token.i + 1 else token
    return last.idx + len(last.text)


def _stray_subject(token: Any, clause: Any, lex: AttributionLexicon) -> Any:
    """The subject of a cue's clause that the parser made the cue's object: "added the exact
    circumstances of the deaths remained unclear" (object "circumstances", clause "remained unclear"
    without a subject). Not for verbs whose object is whom they address ("told reporters …")."""
    if clause.dep_ != "ccomp" or clause.i < token.i or any(c.dep_ in SUBJECT_DEPS for c in clause.children):
        return None
    if clause.pos_ not in ("VERB", "AUX") or token.lemma_.lower() in lex.addressee_verbs:
        return None
    obj = next((c for c in token.children if c.dep_ == "dobj" and token.i < c.i < clause.i), None)
    return obj if obj is not None and obj.right_edge.i < clause.i else None


def _split_coordinated(clause: Any, *, exclude: Any) -> list[tuple[int, int]]:
    """ "that A, but that B": one span per conjunct with its own subject or complementizer."""
    parts = [clause]
    dropped: list[Any] = []
    for child in clause.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            # "that A, but that B" reports two things; "that A but B" leaves B to the writer.
            if any(g.dep_ == "mark" and g.lower_ in ("that", "whether") for g in child.children):
                parts.append(child)
            elif any(g.dep_ in SUBJECT_DEPS for g in child.children) or (
                child.lemma_.lower() == exclude.lemma_.lower() and child.i > exclude.i
            ):
                # "says A and says B": the parser hangs the second "says" inside A; it is its own claim
                dropped.append(child)
    spans = []
    cut = [p.left_edge.i for p in parts[1:] + dropped]
    for k, part in enumerate(parts):
        start = part.left_edge.i
        end = part.right_edge.i + 1
        if k == 0 and cut:
            end = min(cut)
            # drop the coordinator and comma before the next conjunct
            while end > start and part.doc[end - 1].dep_ in ("cc", "punct"):
                end -= 1
        tokens = [t for t in part.doc[start:end] if not (exclude.i <= t.i <= exclude.i)]
        if not tokens:
            continue
        spans.append(trimmed(part.doc, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)))
    return spans


def _is_inverted(token: Any, source: Any) -> bool:
    """ "…, said the newspaper" / "…, he said" / "Additionally, he said, …": the cue comments on
    the clause it hangs from rather than governing one."""
    if token.dep_ not in ("parataxis", "conj", "advcl") or token.head is token:
        return False
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children if c.lower_ not in ("so",)):
        return False
    return source is not None and abs(token.i - source.i) <= 3


def _head_clause(token: Any) -> tuple[int, int] | None:
    """The clause a parenthetical cue hangs from, without the cue's words or a leading connective."""
    head = token.head
    doc = token.doc
    cue_lo, cue_hi = token.left_edge.i, token.right_edge.i
    tokens = [t for t in doc[head.left_edge.i : head.right_edge.i + 1] if not (cue_lo <= t.i <= cue_hi)]
    # "Additionally, he said, X": keep X, the clause after the parenthetical
    if cue_lo > head.left_edge.i and cue_hi < head.i:
        tokens = [t for t in tokens if t.i > cue_hi]
    tokens = [t for t in tokens if t.i < cue_lo or t.i > cue_hi]
    if cue_lo > head.i:
        tokens = [t for t in tokens if t.i < cue_lo]
    if not tokens:
        return None
    return trimmed(doc, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


def _adjacent_quote(token: Any, source: Any, doc: Any, quotes: list[Quote]) -> Quote | None:
    """A direct quote ending just before the attribution clause or starting just after it."""
    # the attribution clause is the source's phrase and the cue word: the cue's own subtree may hold
    # the quote itself, when the parser hangs the quotation marks on the verb
    lo, hi = token.idx, token.idx + len(token.text)
    if source is not None:
        lo = min(lo, phrase_start(source).idx)
        hi = max(hi, source.right_edge.idx + len(source.right_edge.text))
    sent = token.sent
    best = None
    for quote in quotes:
        if not quote.is_direct or (quote.start < hi and lo < quote.end):
            continue
        before = text_of(doc)[quote.end : lo] if quote.end <= lo else None
        after = text_of(doc)[hi : quote.start] if quote.start >= hi else None
        # the quote must be in the cue's sentence, unless the parser split "“… !” he wrote." after the
        # mark: a lower-case attribution right after it on the same line continues the sentence
        split_after_mark = before is not None and "\n" not in before and text_of(doc)[lo : lo + 1].islower()
        if (
            before is not None
            and len(before.strip(" ,\n")) <= _QUOTE_GAP
            and (quote.end > sent.start_char - 1 or split_after_mark)
        ):
            best = quote
        elif after is not None and len(after.strip(" ,:\n")) <= _QUOTE_GAP and best is None:
            return quote
    return best


def _fallback_content(token: Any, quotes: list[Quote]) -> tuple[int, int] | None:
    """When the parse hangs the content elsewhere ("said during a conference that he may wait", the
    that-clause read as a relative clause): the first "that"-clause after the cue in its sentence, or
    failing that a direct quote after the cue in the sentence."""
    sent = token.sent
    for t in sent:
        if t.i <= token.i:
            continue
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj") and t.head.i != token.i:
            break  # a new clause of its own: nothing more belongs to this cue
        if t.lower_ == "that" and t.dep_ == "mark" and t.head.pos_ in ("VERB", "AUX") and t.head.i > t.i:
            last = sent[-1]
            return trimmed(token.doc, t.idx, last.idx + len(last.text))
    for quote in quotes:
        if quote.is_direct and token.idx < quote.start < sent.end_char:
            return quote.start, quote.end
    return None


def _adds_an_amount(token: Any) -> bool:
    """A speech verb whose object is an amount and which governs no clause ("added 20.72 points, or
    0.24%"): the verb counts, it does not speak."""
    if any(c.dep_ in ("ccomp", "xcomp") for c in token.children):
        return False
    return any(
        c.dep_ in ("dobj", "npadvmod") and (c.like_num or any(g.dep_ == "nummod" for g in c.children))
        for c in token.children
    )


def _bare_pronoun(objs: list[Any]) -> bool:
    """Whether a preposition's object is a pronoun alone ("about it", "for them")."""
    return bool(objs) and objs[0].pos_ == "PRON" and not list(objs[0].children)


def _about_phrase(token: Any) -> tuple[int, int] | None:
    """ "talked about the economy", "asked about Syria", "referring to the attack": the topic spoken
    about is the content when nothing else is."""
    for child in token.children:
        if child.dep_ == "prep" and (
            child.lower_ == "about" or (child.lower_ == "to" and token.lemma_ in ("refer", "point"))
        ):
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if _bare_pronoun(objs):
                return None  # "are talking about it": a pronoun names no topic
            if objs:
                return trimmed(
                    token.doc, objs[0].left_edge.idx, objs[0].right_edge.idx + len(objs[0].right_edge.text)
                )
    return None


def _object_of(token: Any, cue_class: CueClass, lex: AttributionLexicon) -> tuple[int, int] | None:
    for child in token.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            return trimmed(token.doc, child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text))
    for child in token.children:
        has_complement = any(c.dep_ in ("oprd", "xcomp") and c.i > child.i for c in token.children)
        if child.dep_ == "dobj" and (child.pos_ in ("NOUN", "PROPN", "NUM") or has_complement):
            # "called the statement “offensive”": the object and what it is called are the content
            # ... and "accused the GOP of stoking …", "cited the remarks as examples of …"
            last = max(
                (
                    c.right_edge
                    for c in token.children
                    if c.i > child.i
                    and (
                        c.dep_ in ("oprd", "ccomp", "xcomp")
                        or (c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS)
                    )
                ),
                key=lambda t: t.i,
                default=child.right_edge,
            )
            return trimmed(token.doc, child.left_edge.idx, last.idx + len(last.text))
        if (
            child.dep_ == "prep"
            and child.lower_ in ("of", "for", "on", "about")
            and cue_class.name == "stance"
        ):
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if _bare_pronoun(objs):
                return None  # "criticised for it": a pronoun names nothing stood for or against
            if objs:
                return trimmed(token.doc, child.idx, objs[0].right_edge.idx + len(objs[0].right_edge.text))
    return None


def _first_person(draft: Draft, lex: AttributionLexicon) -> bool:
    head = draft.source_head
    return head is not None and head.lower_ in lex.self_voice_pronouns


# What a thing cannot be the source of: "the scans show …" is evidence, not a claim; "the announced
# maneuvers preparing to …" and "the offensive aims to …" state nobody's intention or plan.
_THING_CANNOT = frozenset(("evidence", "intent", "plan"))


def _agent_source(draft: Draft, doc: Any, index: SpeakerIndex, lex: AttributionLexicon) -> Draft | None:
    """Keep only a source that can speak (:mod:`.claims_agents`): the agent of a coordinated subject;
    no source for an inanimate one; no claim for an evidence, intent or plan verb whose subject is a
    thing."""
    head = draft.source_head
    if head is None:
        return draft

    def named(token: Any) -> bool:
        return any(m.kind != "adjective" for m in index.overlapping(token.idx, token.idx + len(token.text)))

    conjunct = agent_conjunct(head, is_named=named, lex=lex)
    if conjunct is not head:
        draft.source_head = conjunct
        draft.source_start, draft.source_end = trimmed(doc, *conjunct_extent(conjunct))
        return draft
    if source_kind(head, named=named(head), lex=lex) != "inanimate":
        return draft
    classes = {draft.cue_class.name, *lex.verb_classes.get(draft.cue_lemma, ())}
    if classes & _THING_CANNOT:
        return None
    draft.source_head = None
    draft.source_start = draft.source_end = None
    return draft


# --- quote continuation, duplicates ---------------------------------------------------------------


def _extend_to_quotes(draft: Draft, quotes: list[Quote], text: str) -> None:
    """Content that cuts through a quotation takes all of it: the parse stops at the first sentence
    of a multi-sentence quote ("Fyodor noted, “A. B.”") and leaves closing marks to the cue."""
    for quote in quotes:
        if quote.end <= draft.content_start or quote.start >= draft.content_end:
            # a quote opening right where the content starts (after "that ") belongs to it
            gap = text[draft.content_end : quote.start] if quote.start >= draft.content_end else None
            if not (gap is not None and gap.strip() == "" and quote.start == draft.content_end):
                continue
        words_before = (
            text[quote.start : draft.content_start].strip(' “"') if quote.start < draft.content_start else ""
        )
        if words_before and quote.end > draft.content_end and not quote.is_direct:
            continue  # a short quote the content merely ends inside
        if draft.cue_start >= quote.start and draft.cue_start < quote.end:
            continue  # the cue sits inside the quote: the quote is not this claim's content
        draft.content_start = min(draft.content_start, quote.start)
        draft.content_end = max(draft.content_end, quote.end)


def _continue_quotes(drafts: list[Draft], doc: Any, quotes: list[Quote]) -> list[Draft]:
    """A direct quote right after an attributed quote, with no cue of its own, is the same speaker."""
    covered = [(d.content_start, d.content_end) for d in drafts]
    by_end = sorted(drafts, key=lambda d: d.content_end)
    out = list(drafts)
    for quote in quotes:
        if not quote.is_direct or any(s < quote.end and quote.start < e for s, e in covered):
            continue
        previous = [
            d for d in by_end if d.content_end <= quote.start and d.construction in ("direct", "clause")
        ]
        if not previous:
            continue
        last = previous[-1]
        anchor = max(last.content_end, last.cue_end, last.source_end or 0)
        gap = text_of(doc)[anchor : quote.start]
        if (
            len(gap) > 120
            or any(c.isalpha() for c in gap.replace("according to", ""))
            and len(gap.split()) > 8
        ):
            continue
        sentence_start = doc.char_span(quote.start, quote.start + 1, alignment_mode="expand")
        if sentence_start is None or sentence_start[0].sent.start_char < quote.start - 1:
            continue  # the quote sits inside another sentence: not a continuation
        out.append(replace(last, content_start=quote.start, content_end=quote.end, construction="direct"))
        covered.append((quote.start, quote.end))
    return out


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """One claim per content span; a nested cue inside another claim's content keeps both."""
    best: dict[tuple[int, int], Draft] = {}
    for draft in drafts:
        key = (draft.content_start, draft.content_end)
        if key not in best or _rank(draft) > _rank(best[key]):
            best[key] = draft
    return list(best.values())


def _rank(draft: Draft) -> tuple[bool, bool, int]:
    # a cue that governs or sits beside the content beats one that found it by searching onwards
    return (
        draft.source_head is not None,
        draft.construction not in ("fallback", "proposed"),
        -(draft.cue_end - draft.cue_start),
    )


# --- finishing: speaker, via, quote type, modality --------------------------------------------------


def _reported_within(claims: list[Claim]) -> list[Claim]:
    """A claim whose cue lies inside another claim's content is what that speaker reports of someone
    ("Lavrov said the Pentagon plans to …"): it stays a claim only when it names a third party — a
    linked speaker other than the reporter's — and then reaches us via the reporter (``via`` starts
    with the outer speaker, or its source span when unlinked). A nested claim by the same speaker
    ("“We want …,” Peskov said": "we" is Peskov) or by nobody named ("most people don't know …",
    "they think …" inside a quote) is the reporter's own characterisation: the outer claim carries
    it, and a separate claim would give it a speaker who never said it."""
    out = []
    for claim in claims:
        outer = _enclosing(claim, claims)
        if outer is None:
            out.append(claim)
            continue
        if claim.speaker is None or claim.speaker == outer.speaker or is_group_key(claim.speaker):
            continue  # a described group ("experts believe …") inside a quote is the reporter's words
        # a described reporter ("officials said Putin plans …") is shown as written, like an unlinked one
        named = outer.speaker if outer.speaker and not is_group_key(outer.speaker) else None
        reporter = named or (
            f"span:{outer.source_start}-{outer.source_end}" if outer.source_start is not None else None
        )
        chain = ((reporter,) if reporter else ()) + outer.via
        via = tuple(dict.fromkeys(v for v in chain + claim.via if v != claim.speaker))
        out.append(replace(claim, via=via))
    return out


def _enclosing(claim: Claim, claims: list[Claim]) -> Claim | None:
    """The innermost claim whose content holds ``claim``'s cue and is longer than its content."""
    cue = claim.cue_start if claim.cue_start is not None else claim.content_start
    around = [
        o
        for o in claims
        if o is not claim
        and o.content_start <= cue < o.content_end
        and o.content_end - o.content_start > claim.content_end - claim.content_start
    ]
    return min(around, key=lambda o: o.content_end - o.content_start, default=None)


def _finish(
    draft: Draft,
    doc: Any,
    quotes: list[Quote],
    index: SpeakerIndex,
    times: Sequence[TimeRef],
    lex: AttributionLexicon,
    publisher: str | None,
) -> Claim:
    speaker = label = None
    if draft.source_head is not None and draft.source_start is not None:
        speaker, label = index.resolve(
            draft.source_head,
            draft.source_start,
            draft.source_end or draft.source_start,
            content=(draft.content_start, draft.content_end),
        )
        index.remember(
            draft.source_start,
            speaker,
            label,
            source=(draft.source_start, draft.source_end or draft.source_start),
            content=(draft.content_start, draft.content_end),
        )
    via: list[str] = []
    said = None
    if draft.cue_token is not None and draft.construction != "according":
        via = find_via(draft.cue_token, index)
        said = find_said(draft.cue_token, (draft.content_start, draft.content_end), times, doc)
    elif draft.cue_token is not None:
        said = find_said(draft.cue_token.head, (draft.content_start, draft.content_end), times, doc)
    via = [v for v in via if v != speaker and not _is_publisher(v, publisher)]
    quote = _quote_type(draft, text_of(doc), quotes)
    reading = _modality(draft, doc)
    polarity = reading.polarity
    if draft.negated and polarity == "affirm":
        polarity = "negated"
    sentences = _sentence_extent(doc, draft)
    return Claim(
        content_start=draft.content_start,
        content_end=draft.content_end,
        cue_start=draft.cue_start,
        cue_end=draft.cue_end,
        cue_lemma=draft.cue_lemma,
        source_start=draft.source_start,
        source_end=draft.source_end,
        speaker=speaker,
        via=tuple(via),
        quote=quote,
        polarity=polarity,
        modality=reading.modality,
        modality_cue=reading.cue,
        said=said,
        sentence_start=sentences[0],
        sentence_end=sentences[1],
        confidence=_confidence(draft, speaker, lex),
        component=CLAIMS_VERSION,
    )


def _is_publisher(key: str, publisher: str | None) -> bool:
    """The outlet publishing the article ends every chain; it is not an intermediary in it."""
    return bool(publisher) and key.rsplit("/", 1)[-1] == slugify(publisher or "")


def _quote_type(draft: Draft, text: str, quotes: list[Quote]) -> str:
    inside = [q for q in quotes if q.start < draft.content_end and draft.content_start < q.end]
    if not inside:
        return "indirect"
    if (
        len(inside) == 1
        and inside[0].start <= draft.content_start + 1
        and inside[0].end >= draft.content_end - 1
    ):
        return "direct"
    if draft.construction == "direct":
        return "direct"
    return "mixed"


def _modality(draft: Draft, doc: Any) -> Any:
    span = doc.char_span(draft.content_start, draft.content_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return assess_modality(doc[0:0], claim_cue_lemma=draft.cue_lemma)
    first = span[0].sent
    if first.end < span.end:  # several sentences: the first carries the claim's main statement
        span = doc[span.start : first.end]
    words = [t for t in span if not t.is_punct]
    if words:
        span = doc[words[0].i : words[-1].i + 1]
    reading = assess_modality(span, claim_cue_lemma=draft.cue_lemma)
    return reading


def _sentence_extent(doc: Any, draft: Draft) -> tuple[int, int]:
    points = [draft.content_start, draft.cue_start, max(draft.content_end - 1, draft.content_start)]
    if draft.source_start is not None:
        points.append(draft.source_start)
    starts, ends = [], []
    for point in points:
        span = doc.char_span(point, point + 1, alignment_mode="expand")
        if span is not None and len(span):
            starts.append(span[0].sent.start_char)
            ends.append(span[0].sent.end_char)
    return (min(starts), max(ends)) if starts else (draft.content_start, draft.content_end)


def _confidence(draft: Draft, speaker: str | None, lex: AttributionLexicon) -> float:
    score = lex.confidence.get(draft.construction, 0.5)
    if speaker is None or is_group_key(speaker):  # "officials said": unnamed, however described
        head = draft.source_head.lower_ if draft.source_head is not None else ""
        if draft.source_head is None or head in lex.anonymous_heads:
            score -= lex.confidence["anonymous_penalty"]
    return round(max(0.05, min(score, 0.99)), 2)
