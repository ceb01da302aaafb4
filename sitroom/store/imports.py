"""Writing an export back: the rows that no pipeline step makes, kept exactly as exported.

``sitroom import`` fills a fresh workspace from a JSON export. Documents and their annotations go
through the ordinary paths (``DocumentWriter.add_document``, ``save_analysis``); what those paths would
stamp with the time of the import or renumber (link ids that analyst revisions name, a story's change
history, a question's evidence order and dated assessments, source grades) is written here as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from sqlalchemy import func, select, text, update

from sitroom.store import schema
from sitroom.store.analysis import (
    assessments,
    links,
    question_evidence,
    questions,
    stories,
    story_changes,
    story_documents,
)


def _advance_sequence(conn, table) -> None:
    """After rows were inserted with their own ids: PostgreSQL's serial sequence does not see them, so
    move it past the largest id (SQLite's autoincrement follows the table by itself)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
            )
        )


class ImportStore:
    """Mixin for :class:`~sitroom.store.database.Store`: the import's write path."""

    engine: object
    write_engine: object

    def is_empty(self) -> bool:
        """True when the workspace holds no documents, questions or stories (an import's target)."""
        with self.engine.connect() as conn:
            for table in (schema.documents, questions, stories):
                if conn.execute(select(func.count()).select_from(table)).scalar_one():
                    return False
        return True

    def import_links(self, rows: Iterable) -> None:
        """Links (views.StoredLink) with their ids, statuses and creation times."""
        values = [asdict(link) for link in rows]
        if values:
            with self.write_engine.begin() as conn:
                conn.execute(links.insert(), values)
                _advance_sequence(conn, links)

    def import_story(self, story, *, now: str) -> None:
        """A story (views.Story) with its member documents and its change history."""
        with self.write_engine.begin() as conn:
            conn.execute(stories.insert().values(
                id=story.id, title=story.title, first_seen=story.first_seen, last_seen=story.last_seen,
                size=story.size, topic=story.topic, updated_at=now,
            ))  # fmt: skip
            if story.documents:
                conn.execute(
                    story_documents.insert(),
                    [{"document_id": d, "story_id": story.id} for d in story.documents],
                )
            if story.changes:
                conn.execute(story_changes.insert(), [asdict(change) for change in story.changes])

    def import_question(self, question, evidence: Sequence, history: Sequence) -> None:
        """A question (views.StoredQuestion), its evidence in recorded order and its assessments."""
        with self.write_engine.begin() as conn:
            conn.execute(questions.insert().values(**asdict(question)))
            rows = [
                {"question": question.slug, "document_id": e.document_id, "indicator": e.indicator,
                 "ref": e.ref, "evidence": json.dumps(asdict(e), ensure_ascii=False)}
                for e in evidence
            ]  # fmt: skip
            if rows:
                conn.execute(question_evidence.insert(), rows)
            for a in history:
                summary = {
                    "date": a.date, "leading": a.leading, "ranking": list(a.ranking),
                    "inconsistency": dict(a.inconsistency), "support": dict(a.support),
                    "evidence": a.evidence, "documents": a.documents,
                }  # fmt: skip
                conn.execute(
                    assessments.insert().values(question=question.slug, at=a.at, summary=json.dumps(summary))
                )

    def import_revisions(self, rows: Iterable) -> None:
        """Analyst revisions (views.Revision) with their ids, times and states, as exported."""
        from sitroom.store.revisions import revisions

        values = [asdict(revision) for revision in rows]
        if values:
            with self.write_engine.begin() as conn:
                conn.execute(revisions.insert(), values)
                _advance_sequence(conn, revisions)

    def import_source_grade(self, name: str, grade: str, *, now: str) -> None:
        """Set an outlet's grade, adding the outlet when no imported document named it."""
        table = schema.sources
        with self.write_engine.begin() as conn:
            found = conn.execute(select(table.c.id).where(table.c.name == name)).first()
            if found:
                conn.execute(update(table).where(table.c.id == found.id).values(reliability=grade))
            else:
                conn.execute(table.insert().values(name=name, reliability=grade, created_at=now))
