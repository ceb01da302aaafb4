"""Exports in the field's formats: ``export(ws, format, out, filters)`` and ``import_export(ws, path)``.

One module a format: ``jsonout`` (JSON, JSONL: every layer, described by the versioned schema in
``schema``), ``tables`` (CSV tables as a Frictionless Data Package), ``geojson`` (places and events),
``acled`` (ACLED-style CSV) and ``plover`` (PLOVER JSONL). All read the same :class:`Selection` of the
workspace through the typed read layer, stream what they write, and write it atomically.
docs/exports.md documents every field mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitroom.errors import InputError
from sitroom.present.exporters.atomic import atomic_folder, atomic_text, check_target
from sitroom.present.exporters.reader import check_export, import_export
from sitroom.present.exporters.selection import Filters, Selection, select

FORMATS = ("json", "jsonl", "csv", "datapackage", "geojson", "acled", "plover")


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportSummary:
    """What an export wrote: the format, where, how many records or rows, from how many documents."""

    format: str
    out: str
    records: int
    documents: int


def _writer(fmt: str) -> tuple[Callable, bool]:
    """The format's writer and whether it writes a folder (else one text file)."""
    from importlib import import_module

    from sitroom.present.exporters import jsonout
    from sitroom.present.exporters.stream import iter_records

    if fmt == "json":
        return (lambda ws, sel, handle: jsonout.write_json(iter_records(ws, sel), handle)), False
    if fmt == "jsonl":
        return (lambda ws, sel, handle: jsonout.write_jsonl(iter_records(ws, sel), handle)), False
    module, function, folder = _FORMAT_WRITERS[fmt]
    return getattr(import_module(f"sitroom.present.exporters.{module}"), function), folder


# format: (module, writer function, writes a folder)
_FORMAT_WRITERS = {
    "csv": ("tables", "write_package", True),
    "datapackage": ("tables", "write_package", True),
    "geojson": ("geojson", "write_geojson", False),
    "acled": ("acled", "write_acled", False),
    "plover": ("plover", "write_plover", False),
}


def export(ws, fmt: str, out: str | Path | None = None, *, filters: Filters | None = None) -> ExportSummary:
    """Write the export of ``ws`` (the part ``filters`` select) in ``fmt`` to ``out`` (standard output
    when None, except for a data package, which is a folder). E070 for a bad format or filter, E071
    for an output that cannot be written; an export that fails midway leaves nothing behind."""
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise InputError("E070", f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    write, folder = _writer(fmt)
    target = Path(out) if out is not None and str(out) != "-" else None
    if folder and target is None:
        raise InputError("E070", f"--format {fmt} writes a folder of CSV files: name it with --out FOLDER")
    if target is not None:
        check_target(target, folder=folder)
    selection = select(ws, filters or Filters())
    if folder:
        with atomic_folder(target) as temp:
            records = write(ws, selection, temp)
    else:
        with atomic_text(target, newline="" if fmt == "acled" else None) as handle:
            records = write(ws, selection, handle)
    return ExportSummary(
        format=fmt, out=str(target) if target else "-", records=records, documents=len(selection.ids)
    )


__all__ = ["FORMATS", "ExportSummary", "Filters", "Selection", "check_export", "export", "import_export"]
