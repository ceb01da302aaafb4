"""Analyses as plain columns, and back: what crosses a process or machine boundary on a distributed engine.

A spaCy ``Doc`` holds its vocabulary and the model's strings, so shipping one between machines is slow
and version-bound; the components' results are small frozen dataclasses. An :class:`Analysis` travels
as one JSON string per field (the document, each layer, the component, skipped and failed lists) and
is rebuilt in the driver from the dataclasses' own type hints, so a field a component adds later travels
without a change here. JSON keeps floats exact (``repr`` round-trips) and needs no pickle across
versions.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from typing import Any

from sitroom.model import Document
from sitroom.pipeline import Analysis

# Fields that never travel: the spaCy Doc (the driver has no use for it and it cannot be made plain).
_LOCAL_ONLY = frozenset({"spacy_doc"})


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _rebuild(kind: Any, value: Any) -> Any:
    """``value`` (from JSON) as an instance of the type hint ``kind``."""
    if value is None:
        return None
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: _rebuild(hints.get(name, Any), v) for name, v in value.items()})
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        # Optional[X] and X | None: rebuild as the one non-None member when there is exactly one.
        members = [a for a in args if a is not type(None)]
        return _rebuild(members[0], value) if len(members) == 1 else value
    if origin is list:
        return [_rebuild(args[0] if args else Any, v) for v in value]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_rebuild(args[0], v) for v in value)
        return tuple(_rebuild(a, v) for a, v in zip(args, value, strict=False)) if args else tuple(value)
    if origin is dict:
        inner = args[1] if len(args) == 2 else Any
        return {k: _rebuild(inner, v) for k, v in value.items()}
    if kind is float and isinstance(value, int):
        return float(value)
    return value


def document_to_plain(doc: Document) -> str:
    return json.dumps(_plain(doc), ensure_ascii=False)


def document_from_plain(text: str) -> Document:
    return _rebuild(Document, json.loads(text))


def analysis_to_plain(analysis: Analysis) -> dict[str, str]:
    """One row of plain columns: the document id, then a JSON string per Analysis field."""
    row = {"id": analysis.document.id}
    for f in dataclasses.fields(Analysis):
        if f.name not in _LOCAL_ONLY:
            row[f.name] = json.dumps(_plain(getattr(analysis, f.name)), ensure_ascii=False)
    return row


def analysis_from_plain(row: dict[str, Any]) -> Analysis:
    hints = _hints(Analysis)
    values = {
        f.name: _rebuild(hints[f.name], json.loads(row[f.name]))
        for f in dataclasses.fields(Analysis)
        if f.name not in _LOCAL_ONLY and f.name in row
    }
    return Analysis(**values)
