"""Common given names that mark a person's gender (``sitroom/data/given_names.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sitroom import yamlfile


@dataclass(frozen=True, slots=True)
class GivenNames:
    female: frozenset[str]
    male: frozenset[str]

    def __contains__(self, word: str) -> bool:
        """Whether ``word`` (lower case) is a common given name of either gender."""
        return word in self.female or word in self.male


@lru_cache(maxsize=1)
def load_given_names() -> GivenNames:
    """The packaged list, read once per process."""
    raw = yamlfile.safe_load(
        (resources.files("sitroom") / "data" / "given_names.yaml").read_text(encoding="utf-8")
    )
    return GivenNames(
        female=frozenset(str(w).lower() for w in raw["female"]),
        male=frozenset(str(w).lower() for w in raw["male"]),
    )
