"""Which workspace-wide entity a document's entity is: the policy of linking entities across documents.

A document entity links to the workspace entity of the same dictionary actor; else to one sharing an
alias and the type, with no conflicting country; else, for people outside the dictionary, to one with
the same surname and a compatible given name ("Andrei"/"Andrey", "A."), again with no conflicting
country. Surnames alone are too common to link on: a person named in full never links on the bare
surname the document also used. Otherwise it is a new entity.

The store asks this module and does the writing; what the policy needs from the store is the
:class:`Candidates` protocol, answered inside the store's own transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from sitroom.model import Entity
from sitroom.nlp.given_names import compatible_given_names


class Candidates(Protocol):
    """Workspace entities a document entity might be (read in the caller's transaction)."""

    def by_actor(self, actor_id: str) -> int | None: ...

    def by_aliases(self, aliases: list[str], type: str) -> list[tuple[int, str | None, str]]:
        """(entity id, country, the alias shared), oldest entity first."""
        ...

    def by_surname(self, surname: str) -> list[tuple[int, str, str | None]]:
        """(entity id, name, country) of people filed under that surname, oldest first."""
        ...


@dataclass(frozen=True, kw_only=True, slots=True)
class Resolution:
    """The entity found (``None``: make a new one), why, and what to file a new entity under."""

    entity_id: int | None
    reason: str
    aliases: tuple[str, ...]
    surname: str | None  # a person outside the dictionary is filed under their surname


def normalise_alias(name: str) -> str:
    """Punctuation dropped, case folded, spaces collapsed: how aliases are compared."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", name.casefold())).strip()


def resolve_entity(entity: Entity, candidates: Candidates) -> Resolution:
    """Link ``entity`` to a workspace entity, or say it is new (see the module docstring)."""
    aliases = tuple(sorted({normalise_alias(a) for a in (entity.name, *entity.aliases)} - {""}))
    words = normalise_alias(entity.name).split()
    surname = words[-1] if entity.type == "PERSON" and not entity.actor_id and len(words) >= 2 else None
    found, reason = _find(entity, aliases, candidates)
    return Resolution(entity_id=found, reason=reason or "new entity", aliases=aliases, surname=surname)


def _find(entity: Entity, aliases: tuple[str, ...], candidates: Candidates) -> tuple[int | None, str | None]:
    if entity.actor_id:
        found = candidates.by_actor(entity.actor_id)
        return (found, f"dictionary actor {entity.actor_id}") if found is not None else (None, None)
    if entity.type == "PERSON" and " " in normalise_alias(entity.name):
        # a person named in full links on full names: the bare surname the document also used ("Smith")
        # is as common as a surname is ("Valerie Smith" and "Caitlyn Smith" became one person)
        aliases = tuple(a for a in aliases if " " in a)
    if not aliases:
        return None, None
    for entity_id, country, alias in candidates.by_aliases(list(aliases), entity.type):
        if entity.country and country and entity.country != country:
            continue
        return entity_id, f"shares the alias {alias!r} and type {entity.type}"
    return _similar_person(entity, candidates) if entity.type == "PERSON" else (None, None)


def _similar_person(entity: Entity, candidates: Candidates) -> tuple[int | None, str | None]:
    words = normalise_alias(entity.name).split()
    if len(words) < 2:
        return None, None
    first, surname = words[0], words[-1]
    for entity_id, name, country in candidates.by_surname(surname):
        if entity.country and country and entity.country != country:
            continue
        other = normalise_alias(name).split()
        if len(other) < 2 or other[-1] != surname:
            continue
        if compatible_given_names(first, other[0]):
            return entity_id, f"same surname and compatible given name as {name!r}"
    return None, None
