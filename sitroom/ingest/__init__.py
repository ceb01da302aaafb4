"""Readers: turn files, folders, globs, stdin, URLs and feeds into raw documents.

Every function yields :class:`~sitroom.model.RawDocument` or :class:`~sitroom.model.Problem` and never
raises for a bad input, so one broken file, line or record does not stop a batch. See docs/ingest.md.
"""

from sitroom.ingest.dispatch import read_bytes, read_url
from sitroom.ingest.fields import FIELDS, map_fields, parse_field_map
from sitroom.ingest.paths import iter_inputs
from sitroom.ingest.sniff import FORMATS, sniff_format

__all__ = [
    "FIELDS",
    "FORMATS",
    "iter_inputs",
    "map_fields",
    "parse_field_map",
    "read_bytes",
    "read_url",
    "sniff_format",
]
