"""Reading a JSON or JSONL export back: checked against the schema and for references first, then
turned into the typed records :meth:`Workspace.restore` writes.

Nothing is written until the whole file has been checked: a file with a problem (E072) leaves the
target workspace as it was, and the message names where each problem is (line, or section and index).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

from sitroom.analyse.questions import Evidence
from sitroom.errors import InputError
from sitroom.model import Document
from sitroom.present.exporters.records import LAYERS, from_record
from sitroom.present.exporters.schema import (
    FORMAT_NAME,
    RECORD_KINDS,
    SCHEMA_VERSION,
    SECTIONS,
    export_schema,
)
from sitroom.present.exporters.stream import Record
from sitroom.views import (
    Assessment,
    ProcessingRecord,
    Revision,
    SourceProfile,
    StoredLink,
    StoredQuestion,
    Story,
)
from sitroom.workspace import RestoredDocument, RestoredQuestion

# The most problems one message lists; the count says how many more there were.
MAX_PROBLEMS = 10


def read_records(path: Path) -> Iterator[tuple[str, Record]]:
    """(where, (kind, data)) for each record of a JSON or JSONL export, in file order."""
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise InputError("E010", f"no file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("E072", f"cannot read {path}: {exc}") from None
    if head.lstrip().startswith('{"record"') or head.lstrip().startswith('{ "record"'):
        yield from _jsonl_records(path)
    else:
        yield from _json_records(path)


def _jsonl_records(path: Path) -> Iterator[tuple[str, Record]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise InputError("E072", f"{path} line {number}: not JSON ({exc})") from None
            if not isinstance(item, dict) or set(item) != {"record", "data"}:
                raise InputError(
                    "E072", f"{path} line {number}: expected {{'record': KIND, 'data': {{...}}}}"
                )
            yield f"line {number}", (item["record"], item["data"])


def _json_records(path: Path) -> Iterator[tuple[str, Record]]:
    # A JSON export is one object, read whole (an export too large for memory is better as JSONL).
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except ValueError as exc:
        raise InputError("E072", f"{path}: not a JSON or JSONL sitroom export ({exc})") from None
    if not isinstance(data, dict) or "header" not in data:
        raise InputError("E072", f"{path}: not a sitroom export (no header object)")
    unknown = set(data) - {"header", *SECTIONS.values()}
    if unknown:
        raise InputError("E072", f"{path}: unknown sections {', '.join(sorted(unknown))}")
    yield "header", ("header", data["header"])
    for kind, section in SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            raise InputError("E072", f"{path}: {section} is not an array")
        for index, item in enumerate(items):
            yield f"{section}[{index}]", (kind, item)


@functools.cache
def _validator(kind: str):
    import jsonschema

    full = export_schema()
    schema = {"$schema": full["$schema"], "$ref": f"#/$defs/{kind}", "$defs": full["$defs"]}
    return jsonschema.Draft202012Validator(schema)


def check_export(path: Path) -> dict[str, int]:
    """Check a whole export without writing anything: the schema of every record, one header first
    with a version this sitroom reads, records in export order, unique document ids, annotation
    offsets inside their document's text, and every document a link, story or evidence names present.
    Raises E072 listing the problems; returns the count of records of each kind."""
    problems: list[str] = []
    counts: dict[str, int] = {}
    doc_ids: set[str] = set()
    named: list[tuple[str, str]] = []  # (where, document id) to check once all documents are read
    last = -1

    def problem(where: str, text: str) -> None:
        problems.append(f"{where}: {text}")

    for where, (kind, data) in read_records(path):
        if kind not in RECORD_KINDS:
            problem(where, f"unknown record kind {kind!r}")
            continue
        counts[kind] = counts.get(kind, 0) + 1
        position = RECORD_KINDS.index(kind)
        if position < last:
            problem(where, f"a {kind} record after the {RECORD_KINDS[last]} records")
        last = max(last, position)
        if kind == "header" and counts[kind] > 1:
            problem(where, "a second header")
        if kind != "header" and "header" not in counts:
            problem(where, "records before the header")
        errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path))
        for error in errors[:3]:
            path_text = "/".join(str(p) for p in error.absolute_path) or "(record)"
            problem(where, f"{path_text}: {error.message[:200]}")
        if errors:
            continue
        if kind == "header":
            if data.get("format") != FORMAT_NAME or data.get("version") != SCHEMA_VERSION:
                problem(where, f"not a {FORMAT_NAME} version {SCHEMA_VERSION} file")
        elif kind == "document":
            if data["id"] in doc_ids:
                problem(where, f"document {data['id']} appears twice")
            doc_ids.add(data["id"])
            problems += _offset_problems(where, data)
        elif kind == "link":
            named += [(where, data["a_document"]), (where, data["b_document"])]
        elif kind == "story":
            named += [(where, d) for d in data.get("documents", ())]
        elif kind == "question":
            named += [(where, e["document_id"]) for e in data.get("evidence", ())]
    if "header" not in counts:
        problems.append(f"{path}: no header record")
    problems += [
        f"{where}: names document {d}, which the file does not hold" for where, d in named if d not in doc_ids
    ]
    if problems:
        more = f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        listed = "; ".join(problems[:MAX_PROBLEMS])
        raise InputError(
            "E072", f"{path} is not a valid sitroom export: {listed}{more}. Nothing was imported."
        )
    return counts


def _offset_problems(where: str, data: dict) -> list[str]:
    size = len(data["text"])
    out = []
    for layer, items in data["annotations"].items():
        for index, item in enumerate(items):
            for key, value in item.items():
                offset = key in ("start", "end") or key.endswith(("_start", "_end"))
                if offset and value is not None and not 0 <= value <= size:
                    out.append(f"{where}: {layer}[{index}].{key} {value} is outside the text (0–{size})")
    return out


def restored(kind: str, data: dict):
    """The typed record :meth:`Workspace.restore` takes for one checked export record."""
    if kind == "document":
        fields = {k: v for k, v in data.items() if k not in ("annotations", "processing")}
        doc = from_record(Document, fields)
        layers = {
            layer: [from_record(cls, a) for a in data["annotations"].get(layer, ())]
            for layer, cls in LAYERS.items()
        }
        processing = tuple(
            ProcessingRecord(
                document_id=doc.id, component=p["component"], status=p["status"], reason=p.get("reason")
            )
            for p in data.get("processing", ())
        )
        return RestoredDocument(document=doc, layers=layers, processing=processing)
    if kind == "question":
        fields = {k: v for k, v in data.items() if k not in ("evidence", "assessments")}
        return RestoredQuestion(
            question=from_record(StoredQuestion, fields),
            evidence=tuple(from_record(Evidence, e) for e in data.get("evidence", ())),
            history=tuple(from_record(Assessment, a) for a in data.get("assessments", ())),
        )
    classes = {"link": StoredLink, "story": Story, "source": SourceProfile, "revision": Revision}
    return from_record(classes[kind], data)


def import_export(ws, path: str | Path) -> dict[str, int]:
    """Check ``path`` whole (E072 on any problem, nothing written), then restore it into ``ws``
    (E073 unless ``ws`` is empty). Returns the count of records of each kind."""
    path = Path(path)
    counts = check_export(path)
    ws.restore(restored(kind, data) for _, (kind, data) in read_records(path) if kind != "header")
    return counts
