"""Cross-document tables: stories, links, questions with their evidence and dated assessments.

Everything here is derived from documents and their annotations, updated incrementally as documents
arrive, except the analyst's own settings (a link's status, a source's grade), which recomputation
never overwrites.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    update,
)

from sitroom.model import Link, ref_document
from sitroom.store.schema import metadata

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text),
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("size", Integer, nullable=False, server_default="0"),
    Column("merged_into", String(40)),
    Column("updated_at", String(32), nullable=False),
    Column("topic", String(40)),  # the story's topic (a group of stories of one kind); step 6
)
story_documents = Table(
    "story_documents",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(40), nullable=False),
)
Index("ix_story_documents_story", story_documents.c.story_id)
story_changes = Table(
    "story_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("story_id", String(40), nullable=False),
    Column("other", String(40)),
    Column("document_id", String(16)),
    Column("reason", Text),
    Column("at", String(32), nullable=False),
)
# The incremental clusterer's state, saved after each batch in rows of parts (see save_stories): each
# a JSON document in ``state``, or (from schema step 14) MessagePack bytes in ``data``, ``state`` then
# empty. Binary numbers read without decoding base64: a tenth of a second of every run at 20k documents.
story_state = Table(
    "story_state",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("state", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("data", LargeBinary),
)

# The clusterer's vectors of each document (``StoryClusterer.use_vector_store``): written once, when
# the state that first holds the document is saved, and read when a story's members are compared again.
story_vectors = Table(
    "story_vectors",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("document_id", String(16), primary_key=True),
    Column("vectors", Text, nullable=False),
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("a", String(120), nullable=False),
    Column("b", String(120), nullable=False),
    Column("a_document", String(16), nullable=False),
    Column("b_document", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("independent", Boolean, nullable=False),
    Column("status", String(12), nullable=False, server_default="open"),
    Column("component", String(40), nullable=False),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("kind", "a", "b", name="uq_links"),
)
Index("ix_links_a", links.c.a)
Index("ix_links_b", links.c.b)
Index("ix_links_kind", links.c.kind)
# Blocking keys of each claim and event ("evt:deploy:RUS"): candidates for links are fetched by
# key, so adding a document costs the items it shares keys with, not the whole workspace.
link_keys = Table(
    "link_keys",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("ref", String(120), primary_key=True),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    # The document's ingested_at ("" when unknown): candidates are ranked over each key's most recent
    # rows (refs_sharing_keys(per_key=…)). Step 11.
    Column("at", String(32)),
)
Index("ix_link_keys_document", link_keys.c.document_id)
Index("ix_link_keys_recent", link_keys.c.key, link_keys.c.at, link_keys.c.document_id, link_keys.c.ref)
# Each linked document's link items (sitroom.analyse.links_codec: JSON), stored when it is linked, so a
# candidate is one indexed read instead of its annotations read and its items rebuilt. ``version``
# names what built them (items of another version are rebuilt when read). Rows go whenever the
# document's annotations or keys are replaced (save_analysis, a correction, forget_links_of). Step 11.
link_items = Table(
    "link_items",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("version", String(60), nullable=False),
    Column("encoded", Text, nullable=False),
)

questions = Table(
    "questions",
    metadata,
    Column("slug", String(80), primary_key=True),
    Column("text", Text, nullable=False),
    Column("spec", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
question_evidence = Table(
    "question_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", String(80), ForeignKey("questions.slug", ondelete="CASCADE"), nullable=False),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("indicator", String(80), nullable=False),
    Column("ref", String(120), nullable=False),
    Column("evidence", Text, nullable=False),  # the Evidence dataclass as JSON
)
Index("ix_question_evidence", question_evidence.c.question, question_evidence.c.document_id)
assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", String(80), ForeignKey("questions.slug", ondelete="CASCADE"), nullable=False),
    Column("at", String(32), nullable=False),
    Column("summary", Text, nullable=False),
)
Index("ix_assessments_question", assessments.c.question)

TABLES_STEP_11 = [link_items]
TABLES_STEP_13 = [story_vectors]
TABLES_STEP_4 = [
    stories, story_documents, story_changes, story_state, links, link_keys, questions, question_evidence,
    assessments,
]  # fmt: skip
LINK_STATUSES = ("open", "confirmed", "dismissed")
LINK_KINDS = ("contradicts", "corroborates", "same-event")


class AnalysisStore:
    """Mixin for :class:`~sitroom.store.database.Store`: cross-document reads and writes."""

    engine: object
    write_engine: object  # write transactions (they queue for the lock: store.database.writes_to)

    # --- links ---------------------------------------------------------------------------------

    def save_link_keys(
        self,
        document_id: str,
        keys: Iterable[tuple[str, str]],
        *,
        at: str | None = None,
        items: tuple[str, str] | None = None,
    ) -> None:
        """Replace a document's blocking keys: (key, ref) pairs, under ``at`` (its ingested_at: the
        recency candidates are ranked by); and its stored link items with ``items`` (version, JSON
        text), or drop them when not given. A syndicated copy is given no keys: its original stands
        for it as a candidate, and a widely syndicated story would otherwise fill the candidates with
        copies of one article (workspaces from before schema step 12 lose their copies' keys then)."""
        rows = [{"key": k, "ref": r, "document_id": document_id, "at": at or ""} for k, r in set(keys)]
        with self.write_engine.begin() as conn:
            conn.execute(delete(link_keys).where(link_keys.c.document_id == document_id))
            conn.execute(delete(link_items).where(link_items.c.document_id == document_id))
            if rows:
                conn.execute(link_keys.insert(), rows)
            if items is not None:
                conn.execute(
                    link_items.insert().values(document_id=document_id, version=items[0], encoded=items[1])
                )

    def stored_link_items(self, document_ids: Sequence[str], *, version: str) -> dict[str, str]:
        """The stored link items (JSON text) of those of ``document_ids`` that have them, built by
        ``version``."""
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(document_ids), 500):
                chunk = list(document_ids[start : start + 500])
                query = select(link_items.c.document_id, link_items.c.encoded).where(
                    link_items.c.document_id.in_(chunk), link_items.c.version == version
                )
                found.update((row.document_id, row.encoded) for row in conn.execute(query))
        return found

    def store_link_items(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """Store (document id, version, JSON text) link items built for documents linked before they
        were stored (workspaces from before step 11), replacing any of another version."""
        if not rows:
            return
        with self.write_engine.begin() as conn:
            conn.execute(delete(link_items).where(link_items.c.document_id.in_([r[0] for r in rows])))
            conn.execute(
                link_items.insert(), [{"document_id": d, "version": v, "encoded": t} for d, v, t in rows]
            )

    def refs_sharing_keys(
        self,
        keys: Sequence[str],
        *,
        exclude_document: str | None = None,
        limit: int | None = None,
        per_key: int | None = None,
    ) -> dict[str, set[str]]:
        """Documents and the refs in them that share any of ``keys``: {document_id: {ref, …}}. With
        ``limit``, only the documents sharing the most keys (the database ranks them: on a large
        workspace thousands of documents share a common key, and only the best few are compared).
        With ``per_key`` (and ``limit``), the ranking reads only the ``per_key`` most recent rows of
        each key (latest ingested documents first), so its cost does not grow with the workspace.
        Syndicated copies have no stored keys (:meth:`save_link_keys`), so they are never found."""
        if not keys:
            return {}
        wanted = link_keys.c.key.in_(list(set(keys)))
        other = link_keys.c.document_id != exclude_document if exclude_document else None
        with self.engine.connect() as conn:
            best = None
            if limit and per_key:
                best = _best_recent(
                    conn, sorted(set(keys)), exclude_document=exclude_document, limit=limit, per_key=per_key
                )
            elif limit:
                shared = func.count().label("shared")
                ranked = select(link_keys.c.document_id, shared).where(wanted)
                if other is not None:
                    ranked = ranked.where(other)
                ranked = ranked.group_by(link_keys.c.document_id).order_by(
                    shared.desc(), link_keys.c.document_id
                )
                best = [row.document_id for row in conn.execute(ranked.limit(limit))]
            query = select(link_keys.c.document_id, link_keys.c.ref).where(wanted)
            if best is not None:
                query = query.where(link_keys.c.document_id.in_(best))
            elif other is not None:
                query = query.where(other)
            found: dict[str, set[str]] = {}
            for row in conn.execute(query):
                found.setdefault(row.document_id, set()).add(row.ref)
        return found

    def save_links(self, found: Iterable[Link], *, now: str) -> int:
        """Insert new links; a link already there keeps its analyst status (only score/reason refresh).
        One query finds those already there and two statements write them all: a document of a large
        workspace finds dozens of links, and a statement each cost more than finding them."""
        with self.write_engine.begin() as conn:
            return _save_links(conn, found, now=now)

    def replace_links_of(self, document_id: str, found: Sequence[Link], *, now: str) -> int:
        """:meth:`save_links` of ``found`` (a document's links, just found) and :meth:`delete_links_of`
        the document keeping them, in one transaction: a reader never sees the document's links half
        replaced. Returns how many were new."""
        with self.write_engine.begin() as conn:
            new = _save_links(conn, found, now=now)
            _delete_links_of(conn, document_id, keep=found)
        return new

    def delete_links_of(self, document_id: str, *, keep: Iterable[Link] = ()) -> None:
        """Drop the links a document takes part in, except those an analyst has confirmed or
        dismissed and those in ``keep`` (the links just found again: they keep their ids, so an
        open link's number does not change on every ``analyse``)."""
        with self.write_engine.begin() as conn:
            _delete_links_of(conn, document_id, keep=keep)

    def list_links(self, **filters) -> list:
        """Every link matching the filters of :meth:`ReadStore.links_page`, as StoredLink records."""
        return list(self.links_page(**filters).items)

    def links_of_refs(self, refs: Sequence[str]) -> dict[str, list[dict]]:
        """Every link touching each of ``refs``, in one query: {ref: [link, …]}."""
        out: dict[str, list[dict]] = {ref: [] for ref in refs}
        if not refs:
            return out
        query = select(links).where(or_(links.c.a.in_(list(refs)), links.c.b.in_(list(refs))))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                link = dict(row._mapping)
                for side in (link["a"], link["b"]):
                    if side in out:
                        out[side].append(link)
        return out

    def set_link_status(self, link_id: int, status: str) -> bool:
        with self.write_engine.begin() as conn:
            result = conn.execute(update(links).where(links.c.id == link_id).values(status=status))
        return result.rowcount == 1

    # --- stories -------------------------------------------------------------------------------

    def load_story_state(self, name: str = "default") -> dict | None:
        """The saved clusterer state; a state saved in parts (see :meth:`save_stories`) comes back
        whole, its documents in order."""
        parts = self.story_state_parts(name)
        state = next(parts, None)
        for key, items in parts:
            state[key].extend(items)
        return state

    def story_state_parts(self, name: str = "default") -> Iterator[Any]:
        """The saved clusterer state as it was saved: the state first (nothing if there is none),
        then ``(name, items)`` pairs, each extending the list ``name``, read one stored part at a time
        (a large state is then never in memory whole: see ``StoryClusterer.from_parts``)."""
        stored = select(story_state.c.state, story_state.c.data).where(
            story_state.c.name == bindparam("name")
        )
        with self.engine.connect() as conn:
            row = conn.execute(stored, {"name": name}).first()
            if row is None:
                return
            state = _state_row(row)
            parts = state.pop("parts", None)
            if "document_parts" in state:  # saved before every list could come in parts
                parts = ["documents"] * state.pop("document_parts")
                state["documents"] = []
            yield state
            for index, key in enumerate(parts or ()):
                yield key, _state_row(conn.execute(stored, {"name": _state_part(name, index)}).one())

    def save_stories(
        self,
        state: dict | None,
        found: Sequence,
        changes: Sequence,
        *,
        now: str,
        gone: Sequence[str] = (),
        name: str = "default",
        replace_all: bool = False,
    ) -> None:
        """In one transaction: replace the rows of the stories in ``found`` (those a batch touched),
        drop the stories in ``gone`` (merged away), record the batch's changes, and, when given, save
        the clusterer ``state`` (a cache: documents missing from it are replayed on load). With
        ``replace_all``, ``found`` is every story there is (after re-clustering): all other story rows
        go; the change history stays.

        ``state`` is a dict (one row), or parts (:meth:`StoryClusterer.state_parts`, raw or not): the
        state with its long lists empty, then ``(name, items)`` pairs, each written as a row of its own
        as it comes (its items extend the list ``name`` when read), so a large state is never one
        string in memory. Each row is MessagePack (bytes stay bytes); rows saved as JSON before schema
        step 14 are read as well."""
        with self.write_engine.begin() as conn:
            if replace_all:
                conn.execute(delete(story_documents))
                conn.execute(delete(stories))
                # Re-clustered from scratch: a new vocabulary, so the old vectors' term ids mean nothing.
                conn.execute(delete(story_vectors).where(story_vectors.c.name == name))
            if state is not None:
                conn.execute(
                    delete(story_state).where(
                        or_(story_state.c.name == name, story_state.c.name.like(_state_part(name, None)))
                    )
                )
                if isinstance(state, dict):
                    conn.execute(story_state.insert(), {"name": name, "updated_at": now} | _state_values(state))
                else:
                    parts = iter(state)
                    core = dict(next(parts))
                    keys = []
                    for key, items in parts:
                        if key == "vectors":  # documents' vectors: a table of their own
                            _save_vectors(conn, name, items)
                            continue
                        row = {"name": _state_part(name, len(keys)), "updated_at": now}
                        conn.execute(story_state.insert(), row | _state_values(items))
                        keys.append(key)
                    core["parts"] = keys
                    conn.execute(story_state.insert(), {"name": name, "updated_at": now} | _state_values(core))
            ids = [story.id for story in found] + list(gone)
            if ids:
                conn.execute(delete(stories).where(stories.c.id.in_(ids)))
                conn.execute(delete(story_documents).where(story_documents.c.story_id.in_(ids)))
            for story in found:
                conn.execute(stories.insert().values(
                    id=story.id, title=story.title, first_seen=story.first_seen, last_seen=story.last_seen,
                    size=len(story.documents), updated_at=now, topic=getattr(story, "topic", None),
                ))  # fmt: skip
                members = [d for d in story.documents]
                if members:
                    # A document moves between stories on merges and splits: it belongs to one.
                    conn.execute(delete(story_documents).where(story_documents.c.document_id.in_(members)))
                    conn.execute(
                        story_documents.insert(), [{"document_id": d, "story_id": story.id} for d in members]
                    )
            for change in changes:
                conn.execute(story_changes.insert().values(
                    kind=change.kind, story_id=change.story_id, other=change.other,
                    document_id=change.document_id, reason=change.reason, at=now,
                ))  # fmt: skip

    def story_vectors(self, document_ids: Sequence[str], name: str = "default") -> dict[str, Any]:
        """The clusterer's stored vectors of those of ``document_ids`` it has saved."""
        found: dict[str, Any] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(document_ids), _IDS_PER_QUERY):
                chunk = list(document_ids[start : start + _IDS_PER_QUERY])
                rows = conn.execute(
                    select(story_vectors.c.document_id, story_vectors.c.vectors).where(
                        story_vectors.c.name == name, story_vectors.c.document_id.in_(chunk)
                    )
                )
                found.update((row.document_id, json.loads(row.vectors)) for row in rows)
        return found

    def story_document_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return {row.document_id for row in conn.execute(select(story_documents.c.document_id))}

    def list_stories(self) -> list:
        """Every story, largest first, as Story records with members and history."""
        return list(self.stories_page().items)

    # --- questions -----------------------------------------------------------------------------

    def save_question(self, slug: str, text: str, spec: str, *, now: str) -> bool:
        """Add or replace a question; True when it is new. Replacing drops its old evidence."""
        with self.write_engine.begin() as conn:
            exists = conn.execute(select(questions.c.slug).where(questions.c.slug == slug)).first()
            if exists:
                conn.execute(update(questions).where(questions.c.slug == slug).values(
                    text=text, spec=spec, updated_at=now))  # fmt: skip
                conn.execute(delete(question_evidence).where(question_evidence.c.question == slug))
            else:
                conn.execute(
                    questions.insert().values(slug=slug, text=text, spec=spec, created_at=now, updated_at=now)
                )
        return not exists

    def list_questions(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(questions).order_by(questions.c.slug))]

    def question_spec(self, slug: str) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(questions.c.spec).where(questions.c.slug == slug)).first()
        return row.spec if row else None

    def replace_evidence(self, slug: str, document_id: str, evidence: Sequence) -> None:
        with self.write_engine.begin() as conn:
            conn.execute(
                delete(question_evidence).where(
                    question_evidence.c.question == slug, question_evidence.c.document_id == document_id
                )
            )
            rows = [
                {"question": slug, "document_id": document_id, "indicator": e.indicator, "ref": e.ref,
                 "evidence": json.dumps(asdict(e), ensure_ascii=False)}
                for e in evidence
            ]  # fmt: skip
            if rows:
                conn.execute(question_evidence.insert(), rows)

    def evidence_of(self, slug: str) -> list[dict]:
        query = select(question_evidence.c.evidence).where(question_evidence.c.question == slug)
        with self.engine.connect() as conn:
            return [json.loads(row.evidence) for row in conn.execute(query.order_by(question_evidence.c.id))]

    def add_assessment(self, slug: str, summary: dict, *, now: str) -> bool:
        """Record a dated assessment when it differs from the last one; True if recorded."""
        with self.write_engine.begin() as conn:
            last = conn.execute(
                select(assessments.c.summary)
                .where(assessments.c.question == slug)
                .order_by(assessments.c.id.desc())
                .limit(1)
            ).first()
            comparable = {k: v for k, v in summary.items() if k != "date"}
            if last and {k: v for k, v in json.loads(last.summary).items() if k != "date"} == comparable:
                return False
            conn.execute(assessments.insert().values(question=slug, at=now, summary=json.dumps(summary)))
        return True

    def count_links(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(links.c.kind, func.count()).group_by(links.c.kind)).all()
        return {kind: n for kind, n in rows}

    # --- sources -------------------------------------------------------------------------------

    def source_grades(self) -> dict[str | None, str]:
        from sitroom.store.schema import sources

        with self.engine.connect() as conn:
            return {
                r.name: r.reliability for r in conn.execute(select(sources.c.name, sources.c.reliability))
            }

    def source_domains(self, names: Sequence[str]) -> dict[str, str]:
        """The web domain each named outlet was first seen at (outlets seen without a URL left out)."""
        from sitroom.store.schema import sources

        if not names:
            return {}
        query = select(sources.c.name, sources.c.domain).where(
            sources.c.name.in_(list(names)), sources.c.domain.is_not(None)
        )
        with self.engine.connect() as conn:
            return {r.name: r.domain for r in conn.execute(query)}

    def set_source_grade(self, name: str, grade: str) -> bool:
        from sitroom.store.schema import sources

        with self.write_engine.begin() as conn:
            result = conn.execute(update(sources).where(sources.c.name == name).values(reliability=grade))
        return result.rowcount == 1


_LINK_REFRESHED = ("score", "reason", "independent", "component")


def _save_links(conn, found: Iterable[Link], *, now: str) -> int:
    """:meth:`AnalysisStore.save_links` on ``conn``."""
    fresh: dict[tuple[str, str, str], dict] = {}  # to insert, in the order found
    for link in found:
        a, b = sorted((link.a, link.b))
        values = {"score": link.score, "reason": link.reason, "independent": link.independent,
                  "component": link.component}  # fmt: skip
        key = (link.kind, a, b)
        if key in fresh:  # found twice in one call: the second refreshes the first
            fresh[key].update(values)
        else:
            fresh[key] = {"kind": link.kind, "a": a, "b": b, "a_document": ref_document(a),
                          "b_document": ref_document(b), "status": link.status, "created_at": now,
                          **values}  # fmt: skip
    refresh = []  # those already stored: their id and new values
    sides = sorted({key[1] for key in fresh})
    for start in range(0, len(sides), 500):
        query = select(links.c.id, links.c.kind, links.c.a, links.c.b).where(
            links.c.a.in_(sides[start : start + 500])
        )
        for row in conn.execute(query):
            key = (row.kind, row.a, row.b)
            if key in fresh:
                values = fresh.pop(key)
                refresh.append({"_id": row.id, **{f"_{k}": values[k] for k in _LINK_REFRESHED}})
    if refresh:
        conn.execute(
            update(links)
            .where(links.c.id == bindparam("_id"))
            .values({k: bindparam(f"_{k}") for k in _LINK_REFRESHED}),
            refresh,
        )
    if fresh:
        conn.execute(links.insert(), list(fresh.values()))
    return len(fresh)


def _delete_links_of(conn, document_id: str, *, keep: Iterable[Link] = ()) -> None:
    """:meth:`AnalysisStore.delete_links_of` on ``conn``."""
    kept = {(link.kind, *sorted((link.a, link.b))) for link in keep}
    rows = conn.execute(
        select(links.c.id, links.c.kind, links.c.a, links.c.b).where(
            or_(links.c.a_document == document_id, links.c.b_document == document_id),
            links.c.status == "open",
        )
    ).all()
    stale = [row.id for row in rows if (row.kind, row.a, row.b) not in kept]
    if stale:
        conn.execute(delete(links).where(links.c.id.in_(stale)))


# Document ids bound in one query, at most (well under any database's limit on parameters).
_IDS_PER_QUERY = 1000


def _state_part(name: str, index: int | None) -> str:
    """The row of the ``index``-th part of a saved state (a LIKE pattern for all of them with
    ``None``). The name says documents: parts held only documents when it was chosen."""
    return f"{name}#documents-" + ("%" if index is None else f"{index:06d}")


def _best_recent(
    conn, keys: list[str], *, exclude_document: str | None, limit: int, per_key: int
) -> list[str]:
    """The ``limit`` documents with the most rows among the ``per_key`` most recent rows of each of
    ``keys`` (ties by id, as the unbounded ranking): one index range per key (ix_link_keys_recent),
    counted by the database.

    Written as SQL text: built from SQLAlchemy constructs, a statement of a hundred limited parts took
    four times longer to compile than to run. Plain SQL that SQLite and PostgreSQL both read; every
    value is a bound parameter."""
    counts: dict[str, int] = {}
    conditions = ""
    if exclude_document is not None:
        conditions += " AND document_id <> :exclude"
    # A hundred keys per statement (SQLite caps the parts of a compound SELECT at 500); a document's
    # count is summed over the statements, so each returns all it counted unless there is one.
    chunks = [keys[start : start + 100] for start in range(0, len(keys), 100)]
    for chunk in chunks:
        parts = " UNION ALL ".join(
            f'SELECT document_id FROM (SELECT document_id FROM link_keys WHERE "key" = :k{i}{conditions} '
            f"ORDER BY at DESC, document_id DESC, ref DESC LIMIT :per_key) AS part{i}"
            for i in range(len(chunk))
        )
        order = " ORDER BY shared DESC, document_id LIMIT :limit" if len(chunks) == 1 else ""
        sql = f"SELECT document_id, count(*) AS shared FROM ({parts}) AS recent GROUP BY document_id{order}"
        params = {f"k{i}": key for i, key in enumerate(chunk)}
        params |= {"exclude": exclude_document, "per_key": per_key, "limit": limit}
        for row in conn.execute(text(sql), params):
            counts[row.document_id] = counts.get(row.document_id, 0) + row.shared
    return sorted(counts, key=lambda doc_id: (-counts[doc_id], doc_id))[:limit]


def _state_values(value: Any) -> dict[str, Any]:
    """The columns of one stored part of a clusterer state: MessagePack bytes (numbers packed as bytes
    stay bytes; see ``StoryClusterer.state_parts(raw=True)``). Plain MessagePack, without srsly's
    numpy hooks: reading it back takes half the time."""
    from srsly import msgpack

    return {"state": "", "data": msgpack.packb(value, use_bin_type=True)}


def _state_row(row) -> Any:
    """One stored part of a clusterer state: MessagePack bytes, or JSON text (saved before step 14)."""
    if row.data is not None:
        from srsly import msgpack

        return msgpack.unpackb(bytes(row.data), raw=False)
    return json.loads(row.state)


def _save_vectors(conn, name: str, items: Sequence) -> None:
    """Documents' vectors (``[document id, vectors]`` items), replacing any stored for them."""
    rows = [
        {"name": name, "document_id": doc_id, "vectors": json.dumps(vectors)} for doc_id, vectors in items
    ]
    for start in range(0, len(rows), _IDS_PER_QUERY):
        chunk = rows[start : start + _IDS_PER_QUERY]
        ids = [row["document_id"] for row in chunk]
        conn.execute(
            delete(story_vectors).where(story_vectors.c.name == name, story_vectors.c.document_id.in_(ids))
        )
        conn.execute(story_vectors.insert(), chunk)
