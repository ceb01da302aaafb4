"""Who a claim's source is: entity linking of source spans, pronouns, "the newspaper", via chains, dates.

Rules (simple on purpose, so an analyst can predict them):

* **Linked speaker.** The mention that contains the source's head word ("Sergei Shoigu" in "Russian
  Defense Minister Sergei Shoigu", the role "Russian Foreign Minister" in "The Russian Foreign
  Minister, Sergey Lavrov"); where the head is a publisher noun ("Kuwait daily, al-Rai"), the media
  mention inside the source. A demonym ("Russian" in "some Russian analysts") never makes a speaker:
  the group is described, not named, and the claim keeps its source span with ``speaker=None``.
* **Pronouns.** "he"/"she" is the nearest preceding claim whose speaker is a person, else the nearest
  preceding person mention; "it"/"they" the nearest preceding claim whose speaker is not a person,
  else the nearest preceding organisation or government mention; "I"/"we" inside another claim's
  content are that claim's speaker ("“We will not send troops,” Peskov said" — "we" is his); "I"
  outside any quote is whoever writes the document (its author, else its outlet). A possessive
  ("his campaign", "her response") is its pronoun.
* **Names the recogniser missed.** A proper-noun source no mention covers is keyed as the entity
  linker keys a local entity (``local:org:american-legion``).
* **Definite publisher nouns.** "the newspaper", "the agency", "the daily" are the nearest preceding
  media mention (coreference the entity linker does not do).
* **Honorifics.** "Ms Persson" after "Anna Persson" is Anna Persson, even where the linker kept
  the two apart.
* **Surnames and short names.** A proper-noun source the linker left unlinked ("Persson", "PENCE")
  is the person or organisation mention, earlier (else later) in the document, whose name has that
  word.
* **Role nouns.** "the prosecutor", "the senator", "the campaign" are the nearest preceding speaker
  whose source said so ("Prosecutor Eva Persson said …"), else the nearest preceding person or
  organisation mention with that word beside it ("President Obama", "Obama, the president", "the
  Clinton campaign"), else the nearest preceding speaker of that kind (a person for a person's
  role). A role links only when definite ("the union", not "a union") and, for people, singular.
* **Apposition.** "A government spokeswoman, Rosario Murillo": the name beside the description.
* **Representatives.** "a spokeswoman for Hillary Clinton", "a Homeland Security official",
  "Clinton's campaign": the named entity inside the source, which the representative speaks for.
* **Via.** A media outlet the speaker told or acknowledged *to*, gave an interview *with*, or that
  the statement is *according to* ("he said, according to RIA Novosti") is an intermediary.
* **When said.** A time expression inside the attribution clause (on the cue, or on the verb a
  participle cue hangs from: "Peskov today discussed …, saying") and outside the content.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from sitroom.extract.claims_agents import is_age_epithet
from sitroom.extract.claims_groups import (
    counted_noun,
    described_speaker,
    is_group_key,
    load_speaker_lexicon,
    relative_antecedent,
)
from sitroom.extract.claims_lexicon import AttributionLexicon
from sitroom.model import Mention, TimeRef
from sitroom.nlp.entities import slugify
from sitroom.nlp.given_names import load_given_names

_PERSON_PRONOUNS = frozenset(("he", "she", "him", "her", "i"))
_VIA_PREPOSITIONS = frozenset(("to", "with"))
_TELL_VERBS = frozenset(("tell", "inform", "brief", "assure", "warn"))
_VIA_NOUNS = frozenset(("interview", "statement", "conversation", "remarks", "comments", "briefing"))


# Where a role word must sit around a mention to describe it: "President Obama", "Obama, the president".
_ROLE_WINDOW = 40
_NAMED_LABELS = frozenset(("PERSON", "ORG", "GPE", "MEDIA", "ARMED_GROUP", "GOVERNMENT", "MILITARY", "NORP"))
_GROUP_LABELS = frozenset(("ORG", "GPE", "MEDIA", "ARMED_GROUP", "GOVERNMENT", "MILITARY", "NORP"))
_FIRST_PERSON = frozenset(("i", "we", "me", "us"))
# Quotation marks, single ones included (British news quotes with them; a possessive's apostrophe
# between a name and the pronoun is rare enough to cost little).
_QUOTE_MARKS = frozenset("\"“”‘’'")
# A possessive determiner stands for its personal pronoun: "his campaign", "their view".
_POSSESSIVES = {"his": "he", "her": "she", "its": "it", "their": "they", "my": "i", "our": "we"}
_HONORIFICS = frozenset(("mr", "ms", "mrs", "miss", "dr", "prof", "sir", "dame", "mx"))


class SpeakerIndex:
    """Mentions by position, and the speakers found so far, for linking sources in text order."""

    def __init__(
        self,
        mentions: Sequence[Mention],
        lex: AttributionLexicon,
        text: str = "",
        *,
        writer: tuple[str, str] | None = None,
    ) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]
        self.lex = lex
        self.text = text
        self.speakers: list[tuple[int, str, str]] = []  # (offset, entity key, label)
        self.sources: list[tuple[int, int, str, str]] = []  # (start, end, key, label) of linked sources
        self.contents: list[tuple[int, int, str, str]] = []  # (start, end, key, label) of linked claims
        self.writer = writer  # (key, name) of whoever writes the document: its author, else its outlet
        self._genders: dict[str, str | None] = {}  # entity key → "f"/"m"/None, read from the text
        self._content: tuple[int, int] | None = None  # what the source being resolved says

    def overlapping(self, start: int, end: int) -> list[Mention]:
        lo = bisect_left(self.starts, start - 200)
        return [m for m in self.mentions[lo:] if m.start < end and start < m.end and m.start < end + 1]

    def remember(
        self,
        offset: int,
        key: str | None,
        label: str | None,
        *,
        source: tuple[int, int] | None = None,
        content: tuple[int, int] | None = None,
    ) -> None:
        if key:
            self.speakers.append((offset, key, label or ""))
            if source is not None:
                self.sources.append((*source, key, label or ""))
            if content is not None:
                self.contents.append((*content, key, label or ""))

    def resolve(
        self, head: Any, start: int, end: int, *, content: tuple[int, int] | None = None
    ) -> tuple[str | None, str | None]:
        """The entity key and label of the source spanning [start, end) with head token ``head``;
        ``content`` is the span of what the source says, whose names are never the source's
        antecedent ("… the Birthday of Jesus Christ …, he added": not Jesus Christ)."""
        self._content = content
        try:
            return self._resolve(head, start, end)
        finally:
            self._content = None

    def _resolve(self, head: Any, start: int, end: int) -> tuple[str | None, str | None]:
        antecedent = relative_antecedent(head)
        if antecedent is not None:
            # "doctors who refused", "the ministry, which said": the noun the clause hangs from
            lo = antecedent.left_edge.idx
            return self._resolve(antecedent, lo, antecedent.idx + len(antecedent.text))
        key, label = self._linked(head, start, end)
        inner = counted_noun(head) if key is None else None
        if inner is not None and inner.lemma_.lower() in self.lex.representative_heads:
            # "one of the U.S. officials" speaks for whom "U.S. officials" speak for
            right = inner.right_edge
            key, label = self._linked(inner, inner.left_edge.idx, right.idx + len(right.text))
        elif inner is not None and inner.lower_ == "them":
            # "one of them": of the described group "they" is; a named organisation "they" may
            # stand for is rarely what is counted ("young voters … the vast majority of them")
            key, label = self._pronoun("they", inner.idx)
            if not is_group_key(key):
                key = label = None
        found = self._document_of(head) if key is None else None
        if found is not None:
            # "early results of the exit poll": what the poll found, so whoever issued the poll
            right = found.right_edge
            key, label = self._linked(found, found.left_edge.idx, right.idx + len(right.text))
            head = found if key is None else head
        if key is None:
            described = described_speaker(head, self)
            if described is not None:
                return described
        return key, label

    def _document_of(self, head: Any) -> Any | None:
        """The document an inanimate source is "of" ("results of an exit poll", "the findings of
        the audit"): it speaks for the document (:func:`~.claims_agents.source_kind`)."""
        lemma = head.lemma_.lower()
        if head.pos_ != "NOUN" or lemma in self.lex.document_nouns or lemma not in self.lex.inanimate_nouns:
            return None
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.lemma_.lower() in self.lex.document_nouns:
                        return obj
        return None

    def _linked(self, head: Any, start: int, end: int) -> tuple[str | None, str | None]:
        """The entity (or the writer, or an unrecognised name) the source names or refers to."""
        word = _POSSESSIVES.get(head.lower_, head.lower_)
        if head.pos_ == "PRON" or word in self.lex.pronouns:
            return self._pronoun(word, start)
        if is_age_epithet(head):
            return self._person_before(start, None)  # "Mourinho … The 56-year-old said"
        inside = [m for m in self.overlapping(start, end) if m.kind != "adjective"]
        at_head = [m for m in inside if m.start <= head.idx < m.end]
        if at_head:
            best = max(at_head, key=lambda m: (m.label == "PERSON", m.end - m.start))
            fuller = self._fuller_name(best, start)
            return (fuller.entity_key, fuller.label) if fuller is not None else (best.entity_key, best.label)
        # "A government spokeswoman, Rosario Murillo": the name in apposition is the speaker
        for appos in (c for c in head.children if c.dep_ == "appos"):
            named = [
                m for m in inside if m.start <= appos.idx < m.end and m.label in _NAMED_LABELS - {"NORP"}
            ]
            if named:
                best = max(named, key=lambda m: (m.label == "PERSON", m.end - m.start))
                return best.entity_key, best.label
        lemma = head.lemma_.lower()
        # a document speaks for whoever issued it, named in its description ("a CNN/ORC poll",
        # "the Clinton campaign's ad", "a report by the Brennan Center"), as a representative does
        if (
            word in self.lex.representative_heads
            or lemma in self.lex.representative_heads
            or lemma in self.lex.document_nouns
        ):
            # the entity they speak for: named before the head or in its "for/of/at/from" phrase,
            # never in a relative clause ("a senior official that people with ties to IS …")
            document = lemma in self.lex.document_nouns and lemma not in self.lex.representative_heads
            # a document's place or sample is not its author: "an Iowa poll", "a poll of Ohio voters"
            region = _representative_region(head, preps=_ISSUER_PREPS if document else _REPRESENTED_PREPS)
            released = _issuer_region(head) if document else []

            # "Lawyers for Epstein's victims" speak for the victims, not for Epstein; "the US
            # lawyers" are American, not the government's
            owners = [
                (t.left_edge.idx, t.idx + len(t.text))
                for t in head.subtree
                if t.dep_ == "poss" and t.head.i != head.i and not document
            ]
            nationality = lemma in self.lex.professions

            def named_in(parts: list[tuple[int, int]]) -> list[Mention]:
                return [
                    m
                    for m in inside
                    if m.label in _NAMED_LABELS
                    and m.label not in (_PLACE_LABELS if document else ("NORP",))
                    and any(lo <= m.start < hi for lo, hi in parts)
                    and not any(lo <= m.start < hi for lo, hi in owners)
                    and not (
                        nationality
                        and m.end <= head.idx
                        and (m.label in _PLACE_LABELS or m.kind == "adjective")
                    )
                ]

            # the issuer named in the description first ("an Islamic State message published by
            # SITE" is Islamic State's), then who released it ("a survey published by the board")
            spoken_for = named_in(region) or named_in(released)
            if spoken_for:
                best = max(spoken_for, key=lambda m: (m.label == "PERSON", m.end - m.start))
                return best.entity_key, best.label
            if document:
                # "a survey published by the Lofoten Fisheries Board": an issuer the recogniser missed
                for issuer in _issuer_names(head, region[1:] + released):
                    if not self.overlapping(issuer.idx, issuer.idx + len(issuer.text)):
                        key, label = self._unrecognised_name(
                            issuer, issuer.idx, issuer.idx + len(issuer.text)
                        )
                        if key is not None:
                            return key, label
            # "his campaign", "their lawyers": the possessor the pronoun stands for
            owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
            if owner is not None:
                key, label = self._pronoun(_POSSESSIVES.get(owner.lower_, owner.lower_), owner.idx)
                if key is not None:
                    return key, label
        if (head.pos_ == "PROPN" or head.text[:1].isupper()) and not inside:
            # the tagger calls some surnames nouns ("Sanders said")
            named = self._by_name(word, start)
            if named is not None:
                return named.entity_key, named.label
        if (
            head.pos_ == "NOUN"
            and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children)
            # "the Bush administration" names whose it is: the description's own name decides ("the
            # Florida senator" is still the senator named before)
            and not (
                lemma in self.lex.group_roles
                and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.children)
            )
        ):
            role = self._by_role(lemma, word, start, plural=head.tag_ == "NNS")
            if role is not None:
                return role
        if head.pos_ == "PROPN" and not inside and _titled_role(head, self.lex):
            # "The Prime Minister said", "the Vice-President": a capitalised title describes a
            # person as "the minister" does, and is no organisation of that name
            return self._by_role(head.lower_, word, start, plural=False) or (None, None)
        if word in self.lex.media_heads:
            media = [m for m in inside if m.label == "MEDIA"]
            if media:
                return media[0].entity_key, media[0].label
            if any(c.lower_ in ("the", "this", "that") for c in head.children):
                earlier = self._previous(start, lambda m: m.label == "MEDIA")
                if earlier is not None:
                    return earlier.entity_key, earlier.label
            if head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "PERSON"):
                # "Israel Radio": the recogniser saw the whole name; the linker kept only "Israel"
                return self._unrecognised_name(head, start, end)
            return None, None
        if head.pos_ == "PROPN" and inside:
            # the name's own words ("Israel Radio", the linker kept "Israel"), not an organisation in
            # its apposition: "Carole Walker, executive director of the … Association" is Walker
            own = [m for m in inside if head.left_edge.idx <= m.start and m.end <= head.idx + len(head.text)]
            if own or not any(c.dep_ == "appos" for c in head.children):
                best = (own or inside)[0]
                return best.entity_key, best.label
            named = self._by_name(word, start)
            if named is not None:
                return named.entity_key, named.label
            return self._unrecognised_name(head, start, end)
        if not inside and (head.pos_ == "PROPN" or (head.is_alpha and head.is_upper and len(head.text) > 2)):
            # an all-capital word is a name the tagger took for a noun ("TAPPER said")
            return self._unrecognised_name(head, start, end)
        return None, None

    def _unrecognised_name(self, head: Any, start: int, end: int) -> tuple[str | None, str | None]:
        """A proper-noun source no mention covers ("TAPPER", "The American Legion"): the recogniser
        missed a name. The speaker is keyed as the entity linker keys a local entity
        (``local:<type>:<slug of the name>``), so the same name in other documents is the same
        speaker; a person where spaCy tagged the head PERSON or the name is two or three words none
        of which names a group ("club", "council"), else an organisation."""
        words = [
            t for t in head.doc[head.left_edge.i : head.i + 1] if t.pos_ == "PROPN" or t.text[:1].isupper()
        ]
        words = [t for t in words if t.lower_ not in ("the", "a", "an")]
        if not words or any(t.lower_ in self.lex.label_not_speaker for t in words):
            return None, None
        name = " ".join(t.text for t in words)
        if len(name) < 3 or not any(c.isalpha() for c in name):
            return None, None
        # "Skarvik Rowing Club" names a group by its words; two or three other words a person
        grouped = any(t.lower_ in self.lex.group_roles or t.lower_ in self.lex.agent_lexicon for t in words)
        # spaCy's other labels on a name ("Carole Walker" as a work of art after a quotation) say nothing,
        # but an article does: "the Asian Games", "The Shin Bet", "the blog Car Crushing" are no people
        determined = any(t.lower_ in ("the", "a", "an") for t in head.doc[head.left_edge.i : head.i])
        person = head.ent_type_ == "PERSON" or (
            len(words) in (2, 3)
            and head.ent_type_ not in _GROUP_OR_PLACE_TYPES
            and not grouped
            and not determined
        )
        kind = "person" if person else "org"
        return f"local:{kind}:{slugify(name)}", "PERSON" if person else "ORG"

    def _pronoun(self, word: str, start: int) -> tuple[str | None, str | None]:
        if word not in self.lex.pronouns:
            return None, None  # "you", "who", "anybody": no antecedent rule is reliable
        if word in _FIRST_PERSON:
            # "I"/"we" inside a quote are its speaker; the innermost enclosing claim wins
            around = [c for c in self.contents if c[0] <= start < c[1]]
            if around:
                inner = min(around, key=lambda c: c[1] - c[0])
                return inner[2], inner[3]
            if word in ("i", "me") and self.writer is not None and not self._quoted(start):
                # "I" in the article's own voice (a column, an op-ed): whoever writes it
                return self.writer[0], "PERSON" if self.writer[0].startswith("local:person:") else "MEDIA"
            return None, None
        if word in _PERSON_PRONOUNS:
            return self._person_before(start, _PRONOUN_GENDER.get(word))
        for offset, key, label in reversed(self.speakers):
            # a described speaker is only "they" of a group ("residents said …; they added")
            if is_group_key(key) and not (label == "GROUP" and word in ("they", "them")):
                continue
            if offset < start and label != "PERSON":
                return key, label
        # "they" are people acting together, "it" may also be a state; a place is neither
        labels = _GROUP_LABELS - {"GPE"} if word in ("they", "them") else _GROUP_LABELS - {"NORP"}
        earlier = self._previous(
            start,
            lambda m: m.label in labels and m.kind != "adjective" and start - m.end <= _PRONOUN_REACH,
        )
        if earlier is not None:
            return earlier.entity_key, earlier.label
        return None, None

    def _person_before(self, start: int, gender: str | None) -> tuple[str | None, str | None]:
        """The person "he", "she" or "the 56-year-old" at ``start`` stands for: the last person who
        spoke, else the nearest person named before, else the nearest described person. A person
        named earlier in the pronoun's own sentence comes first ("Palmieri said Trump is reduced to
        taunts because he cannot defend his record": Trump)."""
        sentence = max(self.text.rfind(mark, 0, start) for mark in (". ", "? ", "! ", "\n")) + 1
        quoted = self._quote_before(start)  # "“We owe a lot to Tom Hale,” he said": not Tom Hale
        near = self._previous(
            start,
            lambda m: (
                m.start >= sentence
                and m.label == "PERSON"
                and not self._in_content(m)
                and not _QUOTE_MARKS.intersection(self.text[m.end : start])  # "“I love Larry,” he said"
                and self._may_be(m.entity_key, gender)
            ),
        )
        if near is not None:
            return near.entity_key, near.label
        for offset, key, label in reversed(self.speakers):
            # "he" after "a source said" is as likely someone named, whom the rules below look for
            if not is_group_key(key) and offset < start and label == "PERSON" and self._may_be(key, gender):
                return key, label
        earlier = self._previous(
            start,
            lambda m: (
                m.label == "PERSON"
                and not quoted[0] <= m.start < quoted[1]
                and not self._in_content(m)
                and self._may_be(m.entity_key, gender)
            ),
        )
        if earlier is not None:
            return earlier.entity_key, earlier.label
        # no one named before: the nearest earlier described person ("A nun living in a convent
        # … told reporters"; "she says")
        for offset, key, label in reversed(self.speakers):
            if offset < start and label == "PERSON" and is_group_key(key) and self._may_be(key, gender):
                return key, label
        return None, None

    def _in_content(self, mention: Mention) -> bool:
        """Whether ``mention`` lies in what the source being resolved says."""
        return self._content is not None and self._content[0] <= mention.start < self._content[1]

    def _quote_before(self, start: int) -> tuple[int, int]:
        """The span of the quotation that closes right before ``start`` (a "…,” he said" after it),
        else an empty span."""
        before = self.text[max(0, start - 4) : start].rstrip()
        if not before or before[-1] not in '”"':
            return (0, 0)
        close = max(0, start - 4) + len(before) - 1
        opening = max(self.text.rfind("“", 0, close), self.text.rfind('"', 0, close))
        return (opening, close) if opening >= 0 else (0, 0)

    def _may_be(self, key: str, gender: str | None) -> bool:
        """Whether "he" (``gender`` "m") or "she" ("f") may stand for ``key``: not when the text marks
        the person as the other ("Mrs. Berg", "Tor Lund, the chairman", "Berg said she …")."""
        return gender is None or self._gender_of(key) in (None, gender)

    def _gender_of(self, key: str) -> str | None:
        """The gender the document gives a person: honorifics and gendered words beside their
        mentions (or in a described speaker's noun), and the first "he" or "she" after a mention in
        its sentence before anyone else is named; failing those, a common given name
        (``given_names.yaml``). ``None`` when unmarked or mixed: one "Mr." among
        "Mrs." mentions is a merged namesake or a slip, and the rule then excludes no one."""
        if key in self._genders:
            return self._genders[key]
        words = load_speaker_lexicon()
        votes = {"f": 0, "m": 0}
        if is_group_key(key):
            noun = key.removeprefix("group:").split("@", 1)[0]
            votes["f"] += noun in words.female_words
            votes["m"] += noun in words.male_words
        persons = [m for m in self.mentions if m.label == "PERSON"]
        for m in (m for m in persons if m.entity_key == key):
            line_start = self.text.rfind("\n", 0, m.start) + 1
            # a title right before the name ("Mrs. Berg", "chairwoman Berg"); two words back may
            # be someone else ("a spokeswoman disputed Berg's claim")
            before = _words_of(self.text[max(line_start, m.start - _ROLE_WINDOW) : m.start])[-1:]
            # after the name only an apposition describes it: "Kari Moe, the chairwoman"
            rest = self.text[m.end : m.end + _ROLE_WINDOW].split("\n", 1)[0]
            after = _words_of(rest)[:3] if rest.startswith(",") else []
            for w in (*before, *_words_of(self.text[m.start : m.end])[:1], *after):
                votes["f"] += w in words.female_words
                votes["m"] += w in words.male_words
            # the text's own pronoun: "Berg said she …", up to the next person or sentence end
            # (any other name ends the stretch: the recogniser calls some people ORG)
            nxt = next(
                (o.start for o in self.mentions if o.start >= m.end and o.entity_key != key), len(self.text)
            )
            stretch = self.text[m.end : nxt]
            if stretch.startswith(("'s", "’s")):
                continue  # "under Berg's questioning he …": the possessor is not the subject
            stretch = _SENTENCE_END.split(stretch, 1)[0]
            stretch = _CAPITALISED.split(stretch, 1)[
                0
            ]  # a name the recogniser missed: "told Stumpf, after he"
            found = _GENDERED_PRONOUN.search(stretch)
            if found:
                votes[_PRONOUN_GENDER[found.group(1).lower()]] += 1
        if not votes["f"] and not votes["m"]:
            # nothing in the text: the given name ("Michelle Hege"), when a common one marks it
            named = max(
                (self.text[m.start : m.end] for m in persons if m.entity_key == key), key=len, default=""
            )
            given = named.split()[0].lower() if " " in named else ""
            names = load_given_names()
            votes["f"] += given in names.female
            votes["m"] += given in names.male
        # mixed evidence (two people merged under one key, a pronoun of someone else) says nothing
        gender = "f" if votes["f"] and not votes["m"] else "m" if votes["m"] and not votes["f"] else None
        self._genders[key] = gender
        return gender

    def _quoted(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a quotation (an open mark before it on its line)."""
        line = self.text[self.text.rfind("\n", 0, offset) + 1 : offset]
        return line.count("“") > line.count("”") or line.count('"') % 2 == 1

    def _fuller_name(self, mention: Mention, start: int) -> Mention | None:
        """ "Ms Persson" after "Anna Persson": the linker may keep an honorific + surname apart from
        the full name; the speaker is the person named in full before (the nearest with that surname)."""
        words = self.text[mention.start : mention.end].replace(".", " ").split()
        if mention.label != "PERSON" or len(words) != 2 or words[0].lower() not in _HONORIFICS:
            return None
        earlier = self._by_name(words[1].lower(), start)
        if earlier is None or earlier.entity_key == mention.entity_key or earlier.label != "PERSON":
            return None
        return earlier if earlier.start < mention.start else None

    def _by_name(self, word: str, start: int) -> Mention | None:
        """The named mention whose name has ``word`` ("Persson" → "Eva-Marie Persson"), nearest
        before the source, else first after it."""
        if len(word) < 3:
            return None

        def has_word(m: Mention) -> bool:
            if m.label not in _NAMED_LABELS or m.kind == "adjective" or m.label == "NORP":
                return False
            words = self.text[m.start : m.end].lower().replace("-", " ").replace("’", "'").split()
            return word in (w.removesuffix("'s") for w in words)

        earlier = self._previous(start, has_word)
        if earlier is not None:
            return earlier
        return next((m for m in self.mentions if m.start >= start and has_word(m)), None)

    def _by_role(self, lemma: str, word: str, start: int, *, plural: bool) -> tuple[str, str] | None:
        """ "the prosecutor": the nearest earlier linked source described with the word, else the
        nearest earlier named mention with the word beside it."""
        if lemma in self.lex.person_roles or word in self.lex.person_roles:
            if plural:
                return None  # "the senators" are not one earlier person
            labels = frozenset(("PERSON",))
        elif lemma in self.lex.group_roles or word in self.lex.group_roles:
            if plural and lemma not in _ONE_BODY_PLURALS:
                return None  # "the companies" are not the state "nine US companies" named
            labels = _NAMED_LABELS - {"NORP"}
            if lemma not in self.lex.representative_heads:
                labels -= {"PERSON"}  # "the union" is no person who spoke before; "the campaign" may be
        else:
            return None  # "those shots", "the proposals": not someone who speaks
        forms = {lemma, word}

        def described(lo: int, hi: int) -> bool:
            return _describes(self.text[lo:hi], forms)

        for s_start, s_end, key, label in reversed(self.sources):
            if s_end <= start and label in labels and described(s_start, s_end):
                return key, label

        earlier = self.described_mention(forms, labels, start)
        if earlier is not None:
            return earlier.entity_key, earlier.label
        # no earlier name with the role beside it: the nearest earlier speaker of the right kind
        # ("Trump said … The GOP nominee added"), as a reader resolves a definite description
        for _, key, label in reversed([sp for sp in self.speakers if sp[0] < start]):
            if label in labels and not is_group_key(key):  # a named speaker, not "a witness"
                if self._titled_otherwise(key, forms):
                    # "Gregory Hicks, deputy chief of mission, told …; the platoon commander testified":
                    # a speaker the text gave another title is not this one, and nobody earlier is
                    return None
                return key, label
        return None

    def _titled_otherwise(self, key: str, forms: set[str]) -> bool:
        """Whether the text introduced the speaker ``key`` with person titles none of which is one of
        ``forms`` ("deputy chief of mission" for a later "the commander")."""
        titles: set[str] = set()
        for s_start, s_end, s_key, _ in self.sources:
            if s_key == key:
                words = self.text[s_start:s_end].replace(",", " ").lower().split()
                titles |= {w for w in words if w in self.lex.person_roles}
        return bool(titles) and not titles & forms

    def described_mention(self, forms: set[str], labels: frozenset[str], start: int) -> Mention | None:
        """The nearest earlier mention (of ``labels``) with one of the words ``forms`` in it or
        beside it: "President ⟨Obama⟩", "⟨Obama⟩, the president", "real estate tycoon ⟨Ann Berg⟩"."""

        def beside(m: Mention) -> bool:
            if m.label not in labels or m.kind == "adjective":
                return False
            before = _since_sentence_end(self.text[max(0, m.start - _ROLE_WINDOW) : m.start])
            after = self.text[m.end : m.end + _ROLE_WINDOW].split(".", 1)[0].split("\n", 1)[0]
            return (
                _describes(self.text[m.start : m.end], forms)
                or _near(before, forms, last=True)
                or _near(after, forms, last=False)
            )

        return self._previous(start, beside)

    def earlier_source(self, forms: set[str], start: int, *, person: bool | None) -> tuple[str, str] | None:
        """The speaker of the nearest earlier linked source described with one of ``forms`` ("a
        source close to the talks" for "the source"; "Ann Berg, a pensioner" for "the pensioner")."""
        for s_start, s_end, key, label in reversed(self.sources):
            if s_end > start or (person is not None and (label == "PERSON") != person):
                continue
            if is_group_key(key):
                # a described speaker by its head noun: "a source on the panel" is no panel
                if key.removeprefix("group:").split("@", 1)[0] in forms:
                    return key, label
            elif _describes(self.text[s_start:s_end], forms):
                return key, label
        return None

    def pronoun_of(self, token: Any) -> tuple[str | None, str | None]:
        """The speaker a pronoun token (or possessive: "her family") stands for."""
        return self._pronoun(_POSSESSIVES.get(token.lower_, token.lower_), token.idx)

    def _previous(self, start: int, accept: Any) -> Mention | None:
        for m in reversed(self.mentions[: bisect_left(self.starts, start)]):
            if m.end <= start and accept(m):
                return m
        return None

    def media_key(self, token: Any) -> str | None:
        """The entity key of a media outlet named by the phrase headed by ``token``, if it is one."""
        start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
        media = [m for m in self.overlapping(start, end) if m.label == "MEDIA"]
        if media:
            return media[0].entity_key
        if token.lower_ in self.lex.media_heads and token.pos_ in ("NOUN", "PROPN"):
            earlier = self._previous(start, lambda m: m.label == "MEDIA")
            if earlier is not None and any(c.lower_ == "the" for c in token.children):
                return earlier.entity_key
            if token.pos_ == "PROPN":
                return f"span:{start}-{end}"
        return None


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
# only a subject pronoun votes: "Berg said she …" is Berg; "Berg attacked her record" may be anyone's
_GENDERED_PRONOUN = re.compile(r"\b(he|she)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z“\"])")


def _words_of(text: str) -> list[str]:
    return [w.strip(",.;:()\"'“”‘’").lower() for w in text.replace("’", "'").split()]


# How far back (characters) "it"/"they" look for an organisation when no earlier claim has one.
_PRONOUN_REACH = 400
_REPRESENTED_PREPS = frozenset(("for", "of", "at", "from"))
_ISSUER_PREPS = frozenset(("from", "by"))
_PLACE_LABELS = ("NORP", "GPE", "LOC", "FAC")
# Plural group nouns that name one body: "the authorities said" is the government named before.
_ONE_BODY_PLURALS = frozenset(("authority",))
# spaCy labels of a name that is no person's: an unrecognised speaker so labelled is an organisation
_GROUP_OR_PLACE_TYPES = frozenset(("ORG", "NORP", "GPE", "LOC", "FAC"))
# Only a definite description refers back: "the union" is the one named before, "a union" is new.
_DEFINITE = frozenset(("the", "this", "that", "these", "those"))


def _representative_region(head: Any, *, preps: frozenset[str] = _REPRESENTED_PREPS) -> list[tuple[int, int]]:
    """Character ranges that may name whom a representative speaks for: the words before the head
    ("a Homeland Security official") and its prepositional phrases ("a spokeswoman for Clinton")."""
    region = [(head.left_edge.idx, head.idx)]
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            region.append((child.idx, child.right_edge.idx + len(child.right_edge.text)))
        elif child.dep_ == "poss":
            region.append((child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)))
    return region


def _issuer_region(head: Any) -> list[tuple[int, int]]:
    """Character ranges that may name who released a document: the agent of a participle ("an
    analysis released by the ministry") and the subject of a relative clause ("a speech Clinton
    delivered")."""
    region = []
    for child in head.children:
        if child.dep_ in ("acl", "relcl"):
            for part in child.children:
                if part.dep_ == "agent" or (part.dep_ == "nsubj" and child.dep_ == "relcl"):
                    region.append((part.idx, part.right_edge.idx + len(part.right_edge.text)))
    return region


# A period that ends an abbreviation, not a sentence: "Mr.", "Dr.", "Gen.", an initial ("M.").
_ABBREVIATION_END = re.compile(r"(?:\b(?i:mr|mrs|ms|dr|prof|gen|sen|rep|gov|lt|col|sgt|capt|st)|\b[A-Z])\.$")


def _since_sentence_end(before: str) -> str:
    """The part of ``before`` after its last sentence end or line break: "The Vice-President of
    India, Mr. " keeps the title, as the period of "Mr." ends no sentence."""
    before = before.rsplit("\n", 1)[-1]
    cut = len(before)
    while (stop := before.rfind(".", 0, cut)) >= 0:
        if not _ABBREVIATION_END.search(before[: stop + 1]):
            return before[stop + 1 :]
        cut = stop
    return before


def _titled_role(head: Any, lex: AttributionLexicon) -> bool:
    """Whether ``head`` ends a definite person's title and nothing else: "The Prime Minister", "the
    Vice-President", "The Attorney General" (not "The American Legion", "the Bush administration")."""
    if head.lower_ not in lex.person_roles:
        return False
    words = [t for t in head.doc[head.left_edge.i : head.i] if not t.is_punct]
    if not words or words[0].lower_ not in _DEFINITE:
        return False
    return all(t.lower_ in lex.person_roles or t.lower_ in lex.title_modifiers for t in words[1:])


def _describes(text: str, forms: set[str]) -> bool:
    """Whether a source's text has one of the words ``forms`` ("Prosecutor Eva Persson" for "prosecutor")."""
    words = text.lower().replace("’", "'").split()
    return any(w.strip(",.;:()\"'“”").removesuffix("'s") in forms for w in words)


def _issuer_names(head: Any, region: list[tuple[int, int]]) -> list[Any]:
    """Proper-noun heads of the "by/from" phrases (or relative-clause subjects) of a document's
    description that lie in ``region``: who may have issued it."""
    return [
        t
        for t in head.subtree
        if t.pos_ == "PROPN"
        and t.dep_ in ("pobj", "nsubj")
        and t.head.dep_ in ("prep", "agent", "relcl")
        and any(lo <= t.idx < hi for lo, hi in region)
    ]


def _near(context: str, forms: set[str], *, last: bool) -> bool:
    """A role word within three words of the mention: "President ⟨Obama⟩", "⟨Obama⟩, the president"."""
    words = [
        w.strip(",.;:()\"'“”").lower().removesuffix("'s")
        for w in context.replace("’", "'").replace("-", " ").split()
    ]
    if last:
        # "The Vice-President of India, Mr. ⟨Naidu⟩": an honorific stands between title and name
        words = [w for w in words if w not in _HONORIFICS]
        return any(w in forms for w in words[-3:])
    # after the mention, an apposition ("⟨Obama⟩, the president") or the role word itself ("⟨Obama⟩
    # administration"): in "the ⟨Benghazi⟩ attack, the administration …" the role is another phrase's
    if context.lstrip().startswith(","):
        return any(w in forms for w in words[:4])
    return bool(words) and words[0] in forms


def find_via(cue: Any, index: SpeakerIndex) -> list[str]:
    """Media intermediaries attached to a cue verb: told X, acknowledged to X, interview with X,
    according to X. Ordered from the speaker outward (the outlet spoken to first)."""
    via: list[str] = []
    for child in cue.children:
        if child.dep_ in ("dobj", "dative") and _lemma(cue) in _TELL_VERBS:
            _add(via, index.media_key(child))
        elif child.dep_ in ("prep", "dative") and child.lower_ in _VIA_PREPOSITIONS:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    _add(via, index.media_key(obj))
        elif child.dep_ == "prep" and child.lower_ == "in":
            for noun in child.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in _VIA_NOUNS:
                    for prep in noun.children:
                        if prep.lower_ in ("with", "to"):
                            for obj in prep.children:
                                _add(via, index.media_key(obj))
    for child in cue.children:
        if child.dep_ == "prep" and child.lemma_.lower() == "accord":
            for to in child.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        _add(via, index.media_key(obj))
    return via


def find_said(cue: Any, content: tuple[int, int], times: Sequence[TimeRef], doc: Any) -> str | None:
    """The value of a time expression in the attribution clause around ``cue``, outside the content."""
    anchors = {cue.i}
    if cue.dep_ in ("advcl", "xcomp", "conj") and cue.tag_ in ("VBG", "VBN"):
        anchors.add(cue.head.i)  # "Peskov today discussed …, saying": the time sits on the head verb
    sentence = cue.sent
    for time in times:
        if time.end <= sentence.start_char or time.start >= sentence.end_char:
            continue
        if content[0] <= time.start < content[1]:
            continue
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None:
            continue
        token = span.root
        for _ in range(5):
            if token.i in anchors:
                return time.value
            if token.head is token:
                break
            token = token.head
    return None


def _lemma(token: Any) -> str:
    return token.lemma_.lower()


def _add(via: list[str], key: str | None) -> None:
    if key and key not in via:
        via.append(key)
