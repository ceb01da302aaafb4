"""Claims read from phrases rather than from a cue verb's clause: "according to X", "Speaker:
statement" headlines, content nouns ("his claim that …") and cue verbs the tagger calls nouns."""

from __future__ import annotations

import re
from typing import Any

from sitroom.extract.claims_lexicon import AttributionLexicon
from sitroom.extract.claims_spans import (
    Draft,
    antecedent,
    cue_of,
    fallback_lemma,
    source_extent,
    subject_of,
    trimmed,
    word_count,
)

# "Speaker: statement" headlines: a short name-like lead (no digits: "10:30"), then the statement.
_HEADLINE = re.compile(r"^(?P<source>[A-Z][^:\d\n]{1,50}?):[ \t]+(?P<content>\S.*)$")


_HEADLINE_WORDS = 25
# "WALLACE: Let's start with …": a transcript turn, an upper-case speaker label (possibly after an
# opening quotation mark) and the turn to the end of its line, however long.
_TRANSCRIPT = re.compile(r"^[ \t]*[\"“]?(?P<source>[A-Z][A-Z.'’ -]{1,40}[A-Z.]):[ \t]+(?P<content>\S.*)$")


def according_draft(token: Any, doc: Any, lex: AttributionLexicon) -> Draft | None:
    """ "Y, according to X": X the source, Y the content; on a cue verb X is a via instead."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    obj = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
    if obj is None:
        return None
    head = token.head
    # "he said, according to RIA Novosti": the agency reports his statement. The statement stays his
    # claim (RIA Novosti its via, read with the cue); this claim is the agency's report of it, the
    # whole attribution clause (as PolNeAR annotates it)
    lo, hi = token.i, obj.right_edge.i
    hi = _appositive_end(doc, hi)
    tokens = doc[head.left_edge.i : head.right_edge.i + 1]
    # The content is the run on one side of "according to X", never both: keep the longer run.
    before = [t for t in tokens if t.i < lo and not t.is_space]
    after = [t for t in tokens if t.i > hi and not t.is_space]
    clause = before if word_count(before) >= word_count(after) else after
    clause = _drop_dateline(clause)
    if not clause:
        return None
    start, end = trimmed(doc, clause[0].idx, clause[-1].idx + len(clause[-1].text))
    src_start, src_end = trimmed(doc, obj.left_edge.idx, doc[hi].idx + len(doc[hi].text))
    return Draft(
        cue_start=token.idx,
        cue_end=to.idx + len(to.text),
        cue_lemma="according to",
        cue_class=lex.classes["report"],
        content_start=start,
        content_end=end,
        construction="according",
        cue_token=token,
        source_head=obj,
        source_start=src_start,
        source_end=src_end,
    )


def _appositive_end(doc: Any, last: int) -> int:
    """ "according to Kuwait daily, al-Rai": the name after the comma belongs to the source; not
    the subject of the clause after it ("According to court papers, Larsen drove the van …")."""
    k = last + 1
    if k < len(doc) and doc[k].text == "," and k + 1 < len(doc) and doc[k + 1].pos_ == "PROPN":
        k += 1
        while (
            k + 1 < len(doc)
            and (doc[k + 1].pos_ == "PROPN" or doc[k + 1].text == "-")
            and doc[k + 1].sent == doc[last].sent
        ):
            k += 1
        run = doc[last + 2 : k + 1]
        if any(t.dep_ in ("nsubj", "nsubjpass") and not last + 2 <= t.head.i <= k for t in run):
            return last
        return k
    return last


def _drop_dateline(tokens: list[Any]) -> list[Any]:
    """ "Jerusalem—Russia has sent …": a place and a dash opening the article are not content."""
    for k, t in enumerate(tokens[:4]):
        if t.text in ("—", "–") and t.whitespace_ == "":
            return tokens[k + 1 :]
    return tokens


def is_mistagged_verb(token: Any, lex: AttributionLexicon) -> bool:
    """ "… and maintains that X": the small model tags a verb after "and" as a noun; a cue verb form
    in -s/-ed followed by "that" is still a verb."""
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        nxt is not None
        and nxt.lower_ == "that"
        and nxt.dep_ == "mark"
        and token.lower_.endswith(("s", "ed"))
        and lex.token_class(token) is not None
    )


def mistagged_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    clause = token.nbor(1).head
    verb = token
    for _ in range(4):
        if verb.pos_ == "VERB" or verb.head is verb:
            break
        verb = verb.head
    subject = subject_of(verb) if verb.pos_ == "VERB" else None
    if subject is None:
        return None
    name = lex.token_class(token) or "speech"
    start, end = trimmed(token.doc, token.nbor(1).idx, clause.right_edge.idx + len(clause.right_edge.text))
    head = antecedent(subject)
    src_start, src_end = source_extent(head, token)
    return Draft(
        cue_start=token.idx,
        cue_end=token.idx + len(token.text),
        cue_lemma=fallback_lemma(token, lex),
        cue_class=lex.classes[name],
        content_start=start,
        content_end=end,
        construction="fallback",
        source_head=head,
        source_start=src_start,
        source_end=src_end,
    )


def _page_furniture(label: str) -> bool:
    """A label opened inside a bracket or after a bar is the page's, not a speaker: "Expand | Collapse
    (Photo: Reuters/…)" is a photo credit under a widget's buttons."""
    return "(" in label or "[" in label or "|" in label


def _is_dateline(label: str, dateline: str | None) -> bool:
    """ "NEW DELHI" for the dateline "New Delhi": where the report was filed, not who speaks."""
    return (
        dateline is not None and " ".join(label.split()).casefold() == " ".join(dateline.split()).casefold()
    )


def _list_items(lines: list[str], matches: list[Any]) -> set[int]:
    """The lines that are items of a list ("Jane Roe: Possession of methamphetamine, held in lieu of
    bond", one arrest a line): two or more lines in a row (blank lines aside) open with a name and a
    colon, and none of them quotes anyone or speaks in the first or second person. A transcript's
    turns (upper-case labels) stay turns."""
    items: set[int] = set()
    run: list[int] = []
    for i, (line, match) in enumerate(zip([*lines, "end"], [*matches, None], strict=True)):
        if not line.strip():
            continue
        if match is not None and match.re is _HEADLINE and not _speaks(match.group("content")):
            run.append(i)
            continue
        if len(run) >= 2:
            items.update(run)
        run = []
    return items


def _speaks(content: str) -> bool:
    """A quotation mark or a word of the first or second person ("we", "my", "you")."""
    words = re.findall(r"[a-z]+", content.lower())
    return any(q in content for q in '"“”') or any(w in _PERSONAL for w in words)


def headline_drafts(
    doc: Any, text: str, lex: AttributionLexicon, *, dateline: str | None = None
) -> list[Draft]:
    """ "Syrian FM: No Such Request Made Yet": a short line opening with a name and a colon; and
    transcript turns ("WALLACE: …"), a line opening with an upper-case speaker label. Not the
    ``dateline`` the first line opens with ("NEW DELHI: Nearly 150 …") nor the items of a list ("Jane
    Roe: Possession of …" line after line)."""
    drafts = []
    offset = 0
    lines = text.split("\n")
    matches = [_TRANSCRIPT.match(line) or _HEADLINE.match(line) for line in lines]
    in_list = _list_items(lines, matches)
    first_line = next((i for i, line in enumerate(lines) if line.strip()), 0)
    for i, (line, match) in enumerate(zip(lines, matches, strict=True)):
        start = offset
        offset += len(line) + 1
        if match is None or lex.is_label(match.group("source")) or _page_furniture(match.group("source")):
            continue  # "CORRECTION: …", "UPDATE: …" are the outlet's own notes
        if i in in_list or (i == first_line and _is_dateline(match.group("source"), dateline)):
            continue
        src_start, src_end = start + match.start("source"), start + match.end("source")
        span = doc.char_span(src_start, src_end, alignment_mode="expand")
        if span is None:
            continue
        content = doc.char_span(
            start + match.start("content"), start + len(line.rstrip()), alignment_mode="expand"
        )
        if content is not None and _figures(content):
            continue  # "GOLD: $1357.15 UP $25.00": a field of figures, not words said
        if match.re is _TRANSCRIPT:
            construction = "transcript"
        else:
            construction = "headline"
            if len(line.split()) > _HEADLINE_WORDS:
                continue
            # a name, an anonymous head, or a capitalised label the tagger misreads in a title
            # ("Gillibrand: ‘I Think She Will’" tags the name NOUN, "Issa" ADJ)
            if not any(t.pos_ == "PROPN" or t.lower_ in lex.anonymous_heads for t in span) and not all(
                t.text[:1].isupper() for t in span if t.is_alpha
            ):
                continue
            if any(t.pos_ in ("VERB", "AUX") for t in span):
                continue  # "Russia Sends Troops: …" is a headline about an event, not a speaker
            if content is not None and _reports_news(content):
                continue  # "Julian Assange: Sweden drops rape investigation": a topic label, not a quote
        colon = start + match.end("source")
        content_start = start + match.start("content")
        drafts.append(
            Draft(
                cue_start=colon,
                cue_end=colon + 1,
                cue_lemma=":",
                cue_class=lex.classes["speech"],
                content_start=content_start,
                content_end=start + len(line.rstrip()),
                construction=construction,
                source_head=span.root,
                source_start=src_start,
                source_end=src_end,
            )
        )
    return drafts


# The first and second person: a list's items never use them, someone's words often do.
_PERSONAL = frozenset(("i", "we", "my", "our", "us", "me", "you", "your"))
# Words that make a headline's text sound like someone's words: first and second person, modals,
# negation, quotation marks ("Putin: Russia will not send troops", "Merkel: We must act").
_SPOKEN = _PERSONAL | frozenset(
    ("will", "would", "must", "should", "can", "could", "may", "might", "shall", "need", "no", "not",
     "never", "n't", "won't", "cannot")
)  # fmt: skip


def _figures(content: Any) -> bool:
    """A field of figures, not words said: a third or more of its words are numbers or amounts
    ("$1357.15 UP $25.00", "692 FOR 69200 OZ (2.1524 TONNES)")."""
    words = [t for t in content if not t.is_punct and not t.is_space]
    numbers = [t for t in words if t.like_num or t.is_currency or any(c.isdigit() for c in t.text)]
    return bool(words) and 3 * len(numbers) >= len(words)


def _reports_news(content: Any) -> bool:
    """A "Name: text" line whose text is a third party's action in the news-headline present or past
    ("Sweden drops rape investigation", "Police arrest two") rather than a statement: no quotation
    mark, no first person, modal or negation, and a main verb that is not "be"/"have" whose subject
    is named or a noun."""
    if any(t.lower_ in _SPOKEN or t.text in "\"“”‘’'" for t in content):
        return False
    root = next(
        (t for t in content if t.head.i == t.i or not (content.start <= t.head.i < content.end)), None
    )
    if root is None or root.pos_ not in ("VERB",) or root.lemma_.lower() in ("be", "have", "seem"):
        return False
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and subject.pos_ in ("PROPN", "NOUN")


# "“…” ― Sonya Herridge": a quotation signed with a dash and a name (epigraphs, reader comments,
# pull quotes); the name runs to the end of its line or the next quotation mark.
_DASH_SIGNATURE = re.compile(
    r"[ \t\u00a0]*(?P<dash>[―—–])[ \t\u00a0]*(?P<source>[A-Z][^\n“”\"]{1,60}?)[ \t\u00a0]*(?=\n|“|\"|$)"
)


def dash_drafts(doc: Any, text: str, quotes: list, lex: AttributionLexicon) -> list[Draft]:
    """A direct quote followed by a dash and a name: the name said it."""
    drafts = []
    for quote in quotes:
        if not quote.is_direct:
            continue
        match = _DASH_SIGNATURE.match(text, quote.end)
        if match is None:
            continue
        src_start, src_end = match.start("source"), match.end("source")
        span = doc.char_span(src_start, src_end, alignment_mode="expand")
        if span is None or not any(t.pos_ == "PROPN" for t in span):
            continue
        drafts.append(
            Draft(
                cue_start=match.start("dash"),
                cue_end=match.end("dash"),
                cue_lemma="―",
                cue_class=lex.classes["speech"],
                content_start=quote.start,
                content_end=quote.end,
                construction="direct",
                source_head=span.root,
                source_start=src_start,
                source_end=src_end,
            )
        )
    return drafts


_CONTINUED_CLASSES = frozenset(("speech", "report", "assertion", "acknowledgement", "belief"))


def continued_drafts(doc: Any, lex: AttributionLexicon) -> list[Draft]:
    """ "… had confirmed on 11 ⏎⏎ September, September 20 and October 13, that X was planning …": a
    paragraph broken inside an attribution (a page layout or a copy error) leaves a cue verb with no
    content at the end of one paragraph and a dangling "that"-clause opening the next, with no verb
    before it. The clause is the cue's content."""
    drafts = []
    sentences = list(doc.sents)
    for previous, sent in zip(sentences, sentences[1:], strict=False):
        if "\n" not in doc[previous.end - 1].text_with_ws and "\n" not in doc[previous.end - 1].text:
            continue  # only across a paragraph break
        that = next((t for t in sent if t.lower_ == "that" and t.dep_ == "mark" and t.head.i > t.i), None)
        if that is None or any(t.pos_ in ("VERB", "AUX") for t in sent if t.i < that.i):
            continue
        # the last main verb of the paragraph's last sentence ("…, and the Center had confirmed on 11")
        verbs = [t for t in previous if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj")]
        if not verbs:
            continue
        cue = verbs[-1]
        found = cue_of(cue, lex)
        if found is None or found[1].name not in _CONTINUED_CLASSES:
            continue
        if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children):
            continue  # the cue has its content already
        subject = subject_of(cue)
        if subject is None:
            continue
        verb = that.head
        start, end = trimmed(doc, that.idx, verb.right_edge.idx + len(verb.right_edge.text))
        head = antecedent(subject)
        src_start, src_end = source_extent(head, cue)
        drafts.append(
            Draft(
                cue_start=cue.idx,
                cue_end=cue.idx + len(cue.text),
                cue_lemma=found[0],
                cue_class=found[1],
                content_start=start,
                content_end=end,
                construction="clause",
                cue_token=cue,
                source_head=head,
                source_start=src_start,
                source_end=src_end,
            )
        )
    return drafts


def noun_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    """ "his claim that …", and "her response was that …" (the noun the subject of a copula whose
    that-clause says what it was)."""
    holders = [token]
    if token.dep_ == "nsubj" and token.head.lemma_.lower() == "be":
        holders.append(token.head)
    clause = next(
        (
            c
            for holder in holders
            for c in holder.children
            if c.dep_ in ("acl", "ccomp") and any(g.lower_ == "that" and g.dep_ == "mark" for g in c.children)
        ),
        None,
    )
    if clause is None:
        return _noun_phrase_draft(token, lex)
    source = next((c for c in token.children if c.dep_ == "poss"), None)
    if source is None:
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "by")), None)
        source = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    start, end = trimmed(token.doc, clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge.text))
    draft = _speech_noun_draft(token, lex, start, end)
    if source is not None:
        draft.source_head = source
        draft.source_start, draft.source_end = trimmed(
            token.doc, source.left_edge.idx, source.right_edge.idx + len(source.right_edge.text)
        )
    return draft


def _speech_noun_draft(token: Any, lex: AttributionLexicon, start: int, end: int) -> Draft:
    """A draft whose cue is the speech noun ``token`` and whose content is ``start:end``."""
    return Draft(
        cue_start=token.idx,
        cue_end=token.idx + len(token.text),
        cue_lemma=token.lemma_.lower(),
        cue_class=lex.classes[lex.noun_classes[token.lemma_.lower()]],
        content_start=start,
        content_end=end,
        construction="noun",
        cue_token=token,
    )


# Prepositions whose phrase says what a speech noun is about: "Trump's criticism of Clinton", "her
# call for a ban", "his remarks on trade", "their attacks against the plan".
_TOPIC_PREPS = frozenset(("of", "for", "on", "about", "against", "over"))
# Nouns of attitude toward a target ("criticism of", "support for", "assessment of") and of calls.
_TOPIC_NOUN_CLASSES = frozenset(("assertion", "belief", "denial", "acknowledgement"))
_CALL_NOUNS = frozenset(("call", "demand", "appeal", "plea"))


def _noun_phrase_draft(token: Any, lex: AttributionLexicon) -> Draft | None:
    """ "Trump's criticism of Clinton", "her call for a ban": a speech noun with a possessor who
    speaks and a phrase saying what about. Without a possessor the noun names no one's statement
    ("the criticism of the plan"), so it is no claim."""
    lemma = token.lemma_.lower()
    if lex.noun_classes[lemma] not in _TOPIC_NOUN_CLASSES and lemma not in _CALL_NOUNS:
        # "her bid for the presidency" is an aim; "their announcement of the withdrawal", "his speech
        # on trade" name an act of speaking whose topic the writer states, not a proposition of theirs
        return None
    source = next((c for c in token.children if c.dep_ == "poss"), None)
    if source is None or source.lower_ in ("its",):
        return None
    prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS), None)
    objects = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")] if prep is not None else []
    if not objects:
        return None
    start, end = trimmed(
        token.doc, objects[0].left_edge.idx, objects[0].right_edge.idx + len(objects[0].right_edge.text)
    )
    draft = _speech_noun_draft(token, lex, start, end)
    draft.source_head = source
    draft.source_start, draft.source_end = trimmed(
        token.doc, source.left_edge.idx, source.right_edge.idx + len(source.right_edge.text)
    )
    return draft
