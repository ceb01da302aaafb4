"""Readers: turn files, folders, globs, stdin, URLs and feeds into raw documents.

Every function yields :class:`~sitroom.model.RawDocument` or :class:`~sitroom.model.Problem` and never
raises for a bad input, so one broken file, line or record does not stop a batch. See docs/ingest.md.

Names are imported on first use: the readers pull in httpx, feedparser and warcio (a third of a
second), which commands that never ingest (``process``, ``status``) should not pay for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.lazy import lazy_getattr

_EXPORTS = {
    "FIELDS": "sitroom.ingest.fields",
    "FORMATS": "sitroom.ingest.sniff",
    "iter_inputs": "sitroom.ingest.paths",
    "map_fields": "sitroom.ingest.fields",
    "parse_field_map": "sitroom.ingest.fields",
    "read_bytes": "sitroom.ingest.dispatch",
    "read_url": "sitroom.ingest.dispatch",
    "sniff_format": "sitroom.ingest.sniff",
}
__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports lazily
    from sitroom.ingest.dispatch import read_bytes, read_url  # noqa: F401
    from sitroom.ingest.fields import FIELDS, map_fields, parse_field_map  # noqa: F401
    from sitroom.ingest.paths import iter_inputs  # noqa: F401
    from sitroom.ingest.sniff import FORMATS, sniff_format  # noqa: F401


__getattr__ = lazy_getattr(__name__, _EXPORTS)
