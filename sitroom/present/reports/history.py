"""The reports log: what each written report judged, so the next one can say what changed since.

A report is a document handed to someone; "what changed since the previous report" must compare with
what that reader was actually given, not with whatever the workspace recorded in between. So every
written report appends one line per subject (``question:SLUG``, ``story:ID``) to ``reports.jsonl``
beside the workspace (the folder holding ``sitroom.db``; for a server database, the raw-bytes folder):
when, the file, the leading hypothesis, likelihood term, probability, confidence, and the references
of the evidence shown. The question's assessment history (recorded by the analyser whenever the ACH
result changes) adds what happened in between, and answers for a first report.

The log is append-only JSON lines; a line that cannot be read is skipped (a hand-edited or truncated
log must not stop a report), and the log is never required: without it a report says it is the first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitroom.views import Assessment

LOG_NAME = "reports.jsonl"


@dataclass(frozen=True, kw_only=True, slots=True)
class LogEntry:
    """One subject of one written report."""

    at: str
    subject: str
    path: str
    format: str
    since: str | None = None
    leading: str | None = None
    term: str | None = None
    probability: float | None = None
    confidence: str | None = None
    refs: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "at": self.at, "subject": self.subject, "path": self.path, "format": self.format,
            "since": self.since, "leading": self.leading, "term": self.term,
            "probability": self.probability, "confidence": self.confidence, "refs": list(self.refs),
            "documents": list(self.documents),
        }  # fmt: skip


def log_path(location) -> Path:
    """Where a workspace's reports log lives (``location`` is ``Workspace.location``)."""
    folder = location.sqlite_path.parent if location.sqlite_path is not None else location.raw_dir
    return Path(folder) / LOG_NAME


def read_log(path: Path) -> list[LogEntry]:
    """Every readable entry, oldest first."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            raw = json.loads(line)
            entries.append(
                LogEntry(
                    at=str(raw["at"]),
                    subject=str(raw["subject"]),
                    path=str(raw.get("path", "")),
                    format=str(raw.get("format", "")),
                    since=raw.get("since"),
                    leading=raw.get("leading"),
                    term=raw.get("term"),
                    probability=raw.get("probability"),
                    confidence=raw.get("confidence"),
                    refs=tuple(raw.get("refs") or ()),
                    documents=tuple(raw.get("documents") or ()),
                )  # fmt: skip
            )
        except (ValueError, KeyError, TypeError):  # a damaged line costs that line, not the report
            continue
    return entries


def previous(entries: Sequence[LogEntry], subject: str, *, since: str | None = None) -> LogEntry | None:
    """The latest entry for ``subject`` over the same period (a ``--since`` report counts less
    evidence: comparing it with a full one would invent changes)."""
    for entry in reversed(entries):
        if entry.subject == subject and entry.since == since:
            return entry
    return None


def append(path: Path, entries: Sequence[LogEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for entry in entries:
            fh.write(json.dumps(entry.as_dict(), ensure_ascii=False) + "\n")


def leader_changes(history: Sequence[Assessment]) -> list[tuple[str, str]]:
    """(date, leading hypothesis) each time the leader changed, oldest first."""
    changes: list[tuple[str, str]] = []
    for item in history:
        if item.leading and (not changes or changes[-1][1] != item.leading):
            changes.append((item.at[:10], item.leading))
    return changes
