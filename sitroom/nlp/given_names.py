"""Common given names that mark a person's gender (``sitroom/data/given_names.yaml``)."""

from __future__ import annotations

import difflib
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


def compatible_given_names(a: str, b: str) -> bool:
    """Equal, one an initial of the other, or close spellings (Andrei/Andrey, Mohammed/Mohammad)."""
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return a[:3] == b[:3] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8
