"""Training notes generated from the ACLED codebook's sub-event type definitions (``ontology_notes.yaml``).

The CASE-2021 dev snippets are newswire prose; event notes (ACLED's own, an analyst's log) are terse
and formulaic, and a model trained on prose alone transfers poorly to them. The data file holds, per type,
the codebook definition in our words and hand-written note templates with slots; this module expands
them with seeded random fillers. Used only at training time (``scripts/train_event_types.py``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sitroom import yamlfile

NOTES_FILE = "ontology_notes.yaml"
WIRE_FILE = "wire_notes.yaml"

_SLOT = re.compile(r"\{(\w+)\}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class NoteTemplate:
    """One template of one type; ``group`` numbers the template within its type (for grouped CV)."""

    code: str
    group: int
    text: str


@dataclass(frozen=True)
class OntologyNotes:
    slots: Mapping[str, tuple[str, ...]]
    definitions: Mapping[str, str]
    templates: tuple[NoteTemplate, ...]


@cache
def load_ontology_notes(name: str = NOTES_FILE) -> OntologyNotes:
    """The slots, definitions and templates of ``data/event_types/<name>``: the terse event notes of
    ``ontology_notes.yaml`` (whose definitions are the 25 ACLED types) or the newswire sentences of
    ``wire_notes.yaml`` (:data:`WIRE_FILE`, all 30 CASE types)."""
    path = resources.files("sitroom.data").joinpath("event_types").joinpath(name)
    return parse_ontology_notes(yamlfile.safe_load(path.read_text(encoding="utf-8")), name)


def parse_ontology_notes(data: Mapping, name: str = NOTES_FILE) -> OntologyNotes:
    """Check and freeze the file's structure; every slot a template names must be defined."""
    slots = {str(k): tuple(str(v) for v in values) for k, values in (data.get("slots") or {}).items()}
    definitions: dict[str, str] = {}
    templates: list[NoteTemplate] = []
    for code, entry in (data.get("types") or {}).items():
        definitions[str(code)] = str(entry["definition"])
        for i, text in enumerate(entry.get("templates") or ()):
            missing = set(_SLOT.findall(text)) - set(slots)
            if missing:
                raise ValueError(f"{name}: template of {code} names undefined slots {sorted(missing)}")
            templates.append(NoteTemplate(str(code), i, str(text)))
    return OntologyNotes(slots=slots, definitions=definitions, templates=tuple(templates))


def fill(template: str, slots: Mapping[str, Sequence[str]], rng: random.Random) -> str:
    """The template with each slot replaced by a random filler; spaces tidied; first letter upper-case."""
    text = _SLOT.sub(lambda m: rng.choice(slots[m.group(1)]), template)
    text = _SPACES.sub(" ", text).strip()
    return text[:1].upper() + text[1:]


def generate_notes(
    *, per_template: int = 3, seed: int = 13, notes: OntologyNotes | None = None
) -> tuple[list[str], list[str], list[str]]:
    """Texts, codes and group keys ("CODE/template number") of generated notes, definitions included.

    Deterministic for a given seed. The definitions come first, one per type, with group "CODE/def".
    """
    notes = load_ontology_notes() if notes is None else notes
    rng = random.Random(seed)
    texts, codes, groups = [], [], []
    for code, definition in notes.definitions.items():
        texts.append(definition)
        codes.append(code)
        groups.append(f"{code}/def")
    for template in notes.templates:
        seen: set[str] = set()
        for _ in range(per_template * 3):  # a few extra draws so that duplicates can be dropped
            text = fill(template.text, notes.slots, rng)
            if text in seen:
                continue
            seen.add(text)
            texts.append(text)
            codes.append(template.code)
            groups.append(f"{template.code}/{template.group}")
            if len(seen) >= per_template:
                break
    return texts, codes, groups
