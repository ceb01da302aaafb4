"""Source profiles: what each outlet published and how its claims fare against independent reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sitroom.analyse.credibility import count_support
from sitroom.model import claim_ref

GRADES = ("A", "B", "C", "D", "E", "F")
GRADE_LABELS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
HEDGED = frozenset({"possible", "likely", "unlikely", "planned", "intended", "hypothetical", "conditional"})


@dataclass
class SourceProfile:
    name: str
    grade: str
    documents: int = 0
    duplicates: int = 0
    claims: int = 0
    events: int = 0
    corroborated: int = 0
    contradicted: int = 0
    hedged: int = 0
    unattributed_events: int = 0

    def rate(self, count: int, of: int) -> float:
        return round(count / of, 3) if of else 0.0

    def as_dict(self) -> dict:
        return {
            "name": self.name, "grade": self.grade, "grade_label": GRADE_LABELS.get(self.grade, ""),
            "documents": self.documents, "duplicates": self.duplicates, "claims": self.claims,
            "events": self.events,
            "corroboration_rate": self.rate(self.corroborated, self.claims),
            "contradiction_rate": self.rate(self.contradicted, self.claims),
            "hedged_share": self.rate(self.hedged, self.claims),
            "unattributed_event_share": self.rate(self.unattributed_events, self.events),
        }  # fmt: skip


def build_profiles(
    documents: Iterable, layers_of, links_of, grades: dict[str | None, str]
) -> list[SourceProfile]:
    """Profiles of every outlet. ``layers_of(doc_id)`` gives annotations, ``links_of(ref)`` links."""
    profiles: dict[str, SourceProfile] = {}
    for doc in documents:
        name = doc.source or "(unknown outlet)"
        profile = profiles.setdefault(name, SourceProfile(name=name, grade=grades.get(doc.source, "F")))
        profile.documents += 1
        if doc.duplicate_of:
            profile.duplicates += 1
            continue
        layers = layers_of(doc.id)
        for claim in layers.get("claims", []):
            profile.claims += 1
            profile.hedged += claim.modality in HEDGED
            support, oppose = count_support(links_of(claim_ref(doc.id, claim)))
            profile.corroborated += support > 0
            profile.contradicted += oppose > 0
        for event in layers.get("events", []):
            profile.events += 1
            # An event no claim attributes is the outlet's own assertion.
            profile.unattributed_events += event.claim_start is None
    return sorted(profiles.values(), key=lambda p: (-p.documents, p.name))
