"""JSON and JSONL writers for the export stream: record by record, never the whole export in memory.

The JSON writer opens the top-level object, writes the header, then each section's array one record a
line, closing a section when the stream moves on; every section is present, empty or not.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sitroom.present.exporters.schema import RECORD_KINDS, SECTIONS
from sitroom.present.exporters.stream import Record


def _dumps(data: dict) -> str:
    # ensure_ascii=False keeps names readable; JSON escaping keeps any control characters text.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(records: Iterable[Record], handle: TextIO) -> int:
    count = 0
    for kind, data in records:
        handle.write(_dumps({"record": kind, "data": data}))
        handle.write("\n")
        count += 1
    return count


def write_json(records: Iterable[Record], handle: TextIO) -> int:
    order = [kind for kind in RECORD_KINDS if kind != "header"]
    position = -1  # index in ``order`` of the open section
    first = True
    count = 0

    def advance() -> None:
        nonlocal position, first
        if position >= 0:
            handle.write("\n]")
        position += 1
        handle.write(f',\n"{SECTIONS[order[position]]}":[')
        first = True

    for kind, data in records:
        count += 1
        if kind == "header":
            handle.write('{"header":' + _dumps(data))
            continue
        target = order.index(kind)
        if target < position:
            raise ValueError(f"export record {kind!r} out of order")
        while position < target:
            advance()
        handle.write("\n" if first else ",\n")
        first = False
        handle.write(_dumps(data))
    while position < len(order) - 1:
        advance()
    handle.write("\n]}\n")
    return count
