"""The document's own voice: assessments the outlet, author or the study it publishes makes itself.

"A conventional Russian military deployment remains unlikely" in a think-tank's report has no cue
verb and no quoted source, yet it is a judgement someone made — the institute's — and an analyst
weighs it as such. Attribution corpora (PolNeAR) leave the writer's voice out; sitroom keeps it as a
claim whose speaker is the document's voice and whose modality comes from the hedge, so the
estimative language of a report ("unlikely", "may", "is likely to") is evidence like any quote.

Rules:

* **Whose voice.** The organisation or study named as the label of the title ("Institute for War
  Studies: Russia may deploy …", when the label has two words or more and one is an organisation
  word of ``group_roles`` or a document noun: "Pew study", not "Report"), else the outlet
  (``Document.source``), else the author; none, none.
* **Which sentences.** A sentence outside every other claim (neither its content nor its cue), not
  a question, not inside quotation marks, of at least five words, whose modality is an estimate:
  ``possible``, ``likely`` or ``unlikely`` (Kent's words of estimative probability). Plain
  assertions stay the narrative they are: making every sentence a claim would drown the real ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sitroom.extract.claims_lexicon import AttributionLexicon
from sitroom.extract.modality import assess_modality
from sitroom.model import Claim
from sitroom.nlp.entities import slugify

VOICE_CUE = "voice"
ESTIMATES = frozenset(("possible", "likely", "unlikely"))
_TITLE_LABEL = re.compile(r"^\s*(?P<label>[A-Z][^:\n]{2,80}?):\s+\S")
_MIN_WORDS = 5


def document_voice(
    *, title: str | None, source: str | None, author: str | None, lex: AttributionLexicon
) -> tuple[str, str] | None:
    """The (speaker key, name) of the document's own voice, or ``None`` when it has none."""
    match = _TITLE_LABEL.match(title or "")
    if match is not None:
        label = match.group("label").strip()
        words = {w.lower().strip(".,") for w in label.split()}
        named = len(words) >= 2 and not lex.is_label(label)  # not "Report: …"
        if named and words & (lex.group_roles | lex.document_nouns):
            return f"local:org:{slugify(label)}", label
    if source:
        return f"local:media:{slugify(source)}", source
    if author:
        return f"local:person:{slugify(author)}", author
    return None


def voice_claims(
    text: str,
    spacy_doc: Any,
    claims: Sequence[Claim],
    *,
    voice: tuple[str, str] | None,
    component: str,
) -> list[Claim]:
    """The document voice's estimates: one claim per hedged sentence no other claim covers."""
    if voice is None:
        return []
    covered = [(c.content_start, c.content_end) for c in claims]
    covered += [(c.cue_start, c.cue_end) for c in claims if c.cue_start is not None and c.cue_end is not None]
    out = []
    for sent in spacy_doc.sents:
        start, end = sent.start_char, sent.end_char
        body = text[start:end].strip()
        if not body or any(s < end and start < e for s, e in covered):
            continue
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if len(words) < _MIN_WORDS or body.endswith("?") or _quoted(text, start, end):
            continue
        reading = assess_modality(sent)
        if reading.modality not in ESTIMATES:
            continue
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        content_end = start + len(text[start:end].rstrip())
        out.append(
            Claim(
                content_start=start + lead,
                content_end=content_end,
                speaker=voice[0],
                polarity=reading.polarity,
                modality=reading.modality,
                modality_cue=reading.cue,
                sentence_start=start,
                sentence_end=end,
                confidence=0.5,
                cue_lemma=VOICE_CUE,
                component=component,
            )
        )
    return out


def _quoted(text: str, start: int, end: int) -> bool:
    """Inside an open quotation: more opening than closing marks before it on its paragraph."""
    paragraph = text.rfind("\n", 0, start) + 1
    before = text[paragraph:start]
    opened = before.count("“") - before.count("”") + (before.count('"') % 2)
    return opened > 0 or text[start:end].lstrip().startswith(("“", '"'))
