"""sitroom: a sourced, time-ordered, geolocated picture of a developing situation from news reports.

The public API is small: open a :class:`Workspace`, ingest, query; results are plain dataclasses.
Names are imported on first use so ``import sitroom`` stays fast and light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.lazy import lazy_getattr

__version__ = "0.1.0"

_EXPORTS = {
    "Workspace": "sitroom.workspace",
    "IngestOptions": "sitroom.config",
    "Document": "sitroom.model",
    "IngestSummary": "sitroom.model",
    "Problem": "sitroom.model",
    "Published": "sitroom.model",
    "RawDocument": "sitroom.model",
    "SearchHit": "sitroom.model",
}
__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports lazily
    from sitroom.config import IngestOptions  # noqa: F401
    from sitroom.model import Document, IngestSummary, Problem, Published, RawDocument, SearchHit  # noqa: F401
    from sitroom.workspace import Workspace  # noqa: F401


__getattr__ = lazy_getattr(__name__, _EXPORTS)
