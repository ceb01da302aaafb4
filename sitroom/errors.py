"""Coded, actionable errors.

Every problem sitroom reports carries a stable code (``E0xx``) so users can look it up in
``docs/errors.md`` and scripts can match on it. Messages say what happened and what to do.
"""

from __future__ import annotations

# Codes are stable: add new ones, never renumber. docs/errors.md lists them all.
CODES: dict[str, str] = {
    "E001": "workspace not found",
    "E002": "workspace schema is newer than this sitroom",
    "E003": "cannot open database",
    "E004": "storage failed (disk full, I/O error, database connection lost)",
    "E005": "workspace is read-only",
    "E010": "input not found",
    "E011": "cannot decode input as text",
    "E012": "cannot parse input in its detected format",
    "E013": "binary or unsupported input",
    "E014": "empty input",
    "E015": "input over the size cap",
    "E016": "truncated or corrupt compressed input",
    "E017": "no text column or field",
    "E018": "HTML page without extractable main text",
    "E019": "malformed record (JSON line, CSV row, WARC record)",
    "E020": "URL could not be fetched",
    "E021": "URL answered with an unsupported content type",
    "E022": "URL timed out",
    "E023": "invalid --map option",
    "E024": "input decoded with a caveat (bad UTF-8 replaced, encoding guessed); kept",
    "E025": "per-document limit (text length, extraction time) or hostile markup defused",
    "E026": "partial input (WARC record or gzip member cut short)",
    "E030": "document text empty after cleaning",
    "E031": "document failed while being read, cleaned or stored",
    "E040": "document not found",
    "E041": "invalid query, filter or page",
    "E050": "invalid question file",
    "E051": "question not found",
    "E052": "invalid analyst setting (grade, link status)",
    "E053": "invalid correction (target, field or value)",
    "E061": "document failed in the cross-document update (stories, links, evidence)",
    "E070": "invalid export option (format, filter)",
    "E071": "cannot write the export output",
    "E072": "invalid import file",
    "E073": "import target workspace not empty",
    "E080": "invalid report option (subject, format, date)",
    "E081": "report format unavailable (PDF needs WeasyPrint and Pango)",
    "E082": "cannot write the report output",
    "E090": "processing engine not installed (the ray extra)",
    "E091": "processing engine could not start or reach its cluster",
}


class SitroomError(Exception):
    """Base class: ``code`` is one of :data:`CODES`, ``message`` says what to do."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class WorkspaceError(SitroomError):
    """The workspace cannot be opened or used."""


class StorageError(WorkspaceError):
    """The database or the raw folder failed under a write (disk full, I/O error, connection lost):
    the transaction was rolled back and the batch stops, since every later document would fail too."""


class InputError(SitroomError):
    """One input (file, record, URL) cannot be used; the batch goes on without it."""


class NotFoundError(SitroomError):
    """A document or other object asked for by id does not exist."""


class EngineError(SitroomError):
    """The processing engine asked for is missing or cannot start."""
