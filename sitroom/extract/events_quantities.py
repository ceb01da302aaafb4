"""Quantities of an event: the counts on its trigger or its objects, mapped to the type's roles.

A count belongs to an event when its counted noun (else its number) lies in one of the event's regions:
the trigger noun's phrase ("522 sorties"), the object of its verb or of a result verb folded into it
("destroyed more than 800 targets", "killed 600 rebels"). The type's roles in the ontology say which
counts fill which role, tried in order: the counted noun ("sorties"), the quantity category from the
quantity layer ("casualties", possibly only under a given verb), then "any count on an object".
"""

from __future__ import annotations

from typing import Any

from sitroom.extract.events_ontology import EventType, Ontology, QuantityRole
from sitroom.model import Quantity


def assign_quantities(candidate: Any, event_type: EventType, index: Any, ontology: Ontology) -> list[str]:
    """``role=low..high`` strings for the counts in the candidate's regions (``inf`` when unbounded)."""
    if not event_type.quantity_roles or not candidate.regions:
        return []
    out = []
    doc = index.doc
    for quantity in index.quantities:
        token = _token_at(
            doc, quantity.counted_start if quantity.counted_start is not None else quantity.start
        )
        if token is None:
            continue
        verb = _region_verb(candidate.regions, token.i)
        if verb is False:
            continue
        role = _role_for(quantity, token, verb, event_type.quantity_roles, ontology)
        if role is not None:
            out.append(f"{role}={format_bounds(quantity)}")
    return list(dict.fromkeys(out))


def format_bounds(quantity: Quantity) -> str:
    low = quantity.low if quantity.low is not None else quantity.value
    high = quantity.high
    return f"{_number(low) if low is not None else '0'}..{_number(high) if high is not None else 'inf'}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _token_at(doc: Any, offset: int) -> Any | None:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _region_verb(regions: list[tuple[set[int], str | None]], i: int) -> str | None | bool:
    """The verb lemma of the first region holding token ``i`` (None for a noun's phrase), or False."""
    for tokens, verb in regions:
        if i in tokens:
            return verb
    return False


def _role_for(
    quantity: Quantity, token: Any, verb: str | None, roles: tuple[QuantityRole, ...], ontology: Ontology
) -> str | None:
    lemma = token.lemma_.lower()
    mods = tuple(c.lemma_.lower() for c in token.lefts if c.dep_ in ("compound", "amod"))
    counted = quantity.counted_start is not None
    for role in roles:
        if (
            counted
            and role.counted
            and any(name == lemma or ontology.in_class(name, lemma, mods) for name in role.counted)
            and (role.outcome is None or role.outcome == verb)
        ):
            return role.role
    for role in roles:
        if quantity.category in role.categories and (role.outcome is None or role.outcome == verb):
            return role.role
    if quantity.unit != "count":
        return None
    for role in roles:
        if role.object and verb is not None:
            return role.role
    return None
