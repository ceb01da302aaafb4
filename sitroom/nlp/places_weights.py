"""The geoparser's ranking weights: a candidate's score is the sum of its named features (see
``sitroom.nlp.places``: ``_static_features`` and the context features of ``_spread``) times these.

The defaults were set by hand on the LGL/TR-News/GeoVirus development sets (a small grid over these
few numbers). ``python -m benchmarks.geoparse_ranker`` fits them as a conditional logit instead and
scores both cross-set (train on two sets, score the third); the fitted weights did not beat these
(docs/benchmarks.md), so these are the ones in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Weights:
    """Log-linear weights of the resolver (feature name -> weight: ``coefficients``)."""

    type_prior: tuple[tuple[str, float], ...] = (
        ("continent", 6.0), ("country", 5.0), ("region", 5.0), ("water", 5.0), ("landform", 5.0),
        ("island", 5.0), ("military base", 5.0), ("road", 4.0), ("border crossing", 5.0), ("airport", 4.0),
        ("seat of government", 5.0), ("landmark", 5.0),
        ("admin1", 3.0), ("capital", 1.5), ("admin2", -1.0), ("populated place", 0.0),
    )  # fmt: skip
    alternate: float = -1.0
    loose: float = -2.5
    population: float = 0.8
    namesake: float = 1.0  # a region named after a city in it scores at least this far below the city
    country: float = 2.0
    neighbour: float = 0.5
    admin1: float = 1.5
    cooccur: float = 1.0
    county: float = 1.5  # a town and the county it lies in both named in the document
    named_country: float = 2.0  # the candidate's country is named in the document as a country
    near: float = 3.0
    near_km: float = 200.0
    qualifier: float = 8.0
    kind_cue: float = 6.0
    dateline: float = 2.0
    home_country: float = 1.0  # the outlet's home region (sitroom.nlp.places_home), as mass of its
    home_admin1: float = 1.5  # country and of its first-level region; less than a dateline's
    rounds: int = 3

    def coefficients(self) -> dict[str, float]:
        """The weights by feature name, as the resolver names its features (a copy)."""
        return dict(coefficient_map(self))

    @classmethod
    def from_coefficients(cls, coef: dict[str, float], **fixed) -> Weights:
        """Weights from feature-name coefficients (the inverse of ``coefficients``)."""
        types = tuple((k[5:], float(v)) for k, v in coef.items() if k.startswith("type:"))
        linear = {k: float(coef[k]) for k in _LINEAR_FEATURES if k in coef}
        return cls(type_prior=types, **linear, **fixed)


# Features whose weight is one field of Weights; the feature types add one "type:<feature>" each.
# "namesake_offset" is how far _apply_namesakes pulled a region's prior down (weight fixed at 1).
_LINEAR_FEATURES = (
    "alternate", "loose", "population", "country", "neighbour", "admin1", "cooccur", "county", "near", "qualifier",
    "kind_cue", "named_country",
)  # fmt: skip
FIXED_FEATURES = frozenset({"namesake_offset"})


@lru_cache(maxsize=8)
def coefficient_map(weights: Weights) -> dict[str, float]:
    """Shared and read-only: callers that may change it get a copy (Weights.coefficients)."""
    coef = {f"type:{name}": value for name, value in weights.type_prior}
    coef.update((name, getattr(weights, name)) for name in _LINEAR_FEATURES)
    coef["namesake_offset"] = 1.0
    return coef


__all__ = ["FIXED_FEATURES", "Weights", "coefficient_map"]
