"""Dataclasses to JSON records and back, and their JSON Schema, all derived from the dataclass fields.

An export never lists a layer's fields by hand: :func:`to_record` walks ``dataclasses.fields``,
:func:`schema_of` reads the same fields with their type hints, and :func:`from_record` rebuilds the
dataclass, so a field added to a model class shows up in the JSON, the schema and the import at once.
Tuples become JSON arrays and come back as tuples; nested dataclasses become objects.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

from sitroom import layers as registry

# The annotation layers, in export order, from the one registry of layers (sitroom/layers.py).
LAYERS: dict[str, type] = {layer.name: layer.cls for layer in registry.LAYERS}

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def to_record(obj: Any) -> Any:
    """A dataclass (or a value inside one) as plain JSON values, fields in declaration order."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_record(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_record(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_record(v) for k, v in obj.items()}
    return obj


def from_record(cls: type, data: Mapping[str, Any]):
    """Rebuild ``cls`` from :func:`to_record` output (unknown keys are an error: the schema allows none)."""
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(hint, value):
    if value is None:
        return None
    hint = _strip_optional(hint)
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return from_record(hint, value)
    if origin is tuple:
        args = typing.get_args(hint)
        return tuple(_convert(args[0], v) for v in value) if args else tuple(value)
    if origin is list:
        args = typing.get_args(hint)
        return [_convert(args[0], v) for v in value] if args else list(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _strip_optional(hint):
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _nullable(hint) -> bool:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return type(None) in typing.get_args(hint)
    return False


def type_schema(hint) -> dict:
    """The JSON Schema of one type hint."""
    if _nullable(hint):
        inner = type_schema(_strip_optional(hint))
        if "type" in inner and isinstance(inner["type"], str):
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    origin = typing.get_origin(hint)
    if origin is Literal:
        return {"type": "string", "enum": list(typing.get_args(hint))}
    if dataclasses.is_dataclass(hint):
        return {"$ref": f"#/$defs/{hint.__name__}"}
    if origin in (tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return {"type": "array", "items": type_schema(args[0])} if args else {"type": "array"}
    if origin in (dict, Mapping) or hint is dict:
        return {"type": "object"}
    if hint is float:
        return {"type": "number"}
    if hint in _JSON_TYPES:
        return {"type": _JSON_TYPES[hint]}
    return {}  # Any


def schema_of(cls: type, *, defs: dict[str, dict], extra: Mapping[str, dict] | None = None) -> dict:
    """The JSON Schema object for a dataclass, adding it (and the dataclasses it holds) to ``defs``.

    Fields with a default are optional; ``extra`` adds properties the record carries beside the
    dataclass's own fields (a document's annotations)."""
    hints = _hints(cls)
    properties: dict[str, dict] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        properties[f.name] = type_schema(hints[f.name])
        _collect(hints[f.name], defs)
        no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if no_default:
            required.append(f.name)
    for name, sub in (extra or {}).items():
        properties[name] = sub
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    if (cls.__doc__ or "").strip():
        schema["description"] = " ".join((cls.__doc__ or "").split())
    return schema


def _collect(hint, defs: dict[str, dict]) -> None:
    """Add the dataclasses a hint mentions to ``defs`` (once each)."""
    for arg in (_strip_optional(hint), *typing.get_args(_strip_optional(hint))):
        if dataclasses.is_dataclass(arg) and arg.__name__ not in defs:
            defs[arg.__name__] = {}  # reserve first: a recursive type would loop
            defs[arg.__name__] = schema_of(arg, defs=defs)
