"""The revisions table: every analyst correction, kept for good, with the state re-processing found it in.

A correction is written together with its effect in one transaction: the corrected annotation row,
document date, link status or source grade is updated, the earlier revision of the same field (if
any) is marked superseded, and the new revision is recorded. Re-processing never touches this table
except to record, per revision, whether the machine's new output still agrees with what it said
when the analyst corrected it (``state``, ``machine``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    select,
    update,
)

from sitroom.store.queries import check_page
from sitroom.store.schema import metadata
from sitroom.views import Page, Revision

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(300), nullable=False),
    Column("document_id", String(16)),  # for targets inside one document: replayed when it is processed
    Column("field", String(32), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("machine_then", Text),
    Column("analyst", String(120), nullable=False),
    Column("at", String(32), nullable=False),
    Column("why", Text, nullable=False, server_default=""),
    Column("state", String(12), nullable=False, server_default="active"),
    Column("machine", Text),  # the machine's value when re-processing last disagreed (conflict)
)
Index("ix_revisions_target", revisions.c.target)
Index("ix_revisions_document", revisions.c.document_id)
# The span of each document's main events (analyse.timeline.main_period), written with its analysis
# so the timeline is one indexed read; a row with no dates says the document has no dated content.
document_periods = Table(
    "document_periods",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("earliest", String(10)),
    Column("latest", String(10)),
    Column("outside", Integer, nullable=False, server_default="0"),
)
Index("ix_document_periods_latest", document_periods.c.latest)
TABLES_STEP_8 = [revisions, document_periods]
REVISION_STATES = ("active", "superseded", "conflict", "orphaned")
# States in which a revision still decides its field.
IN_FORCE = ("active", "conflict")


def _revision(row) -> Revision:
    return Revision(
        id=row.id, target=row.target, field=row.field, before=row.before, after=row.after,
        analyst=row.analyst, at=row.at, why=row.why or "", machine_then=row.machine_then, state=row.state,
        machine=row.machine, document_id=row.document_id,
    )  # fmt: skip


class RevisionStore:
    """Mixin for :class:`~sitroom.store.database.Store`: analyst revisions."""

    engine: object
    write_engine: object

    def add_revision(
        self,
        *,
        target: str,
        field: str,
        before: str | None,
        after: str,
        machine_then: str | None,
        analyst: str,
        why: str,
        at: str,
        document_id: str | None = None,
        apply: Callable[[Connection], None] | None = None,
    ) -> Revision:
        """Record a revision and, in the same transaction, its effect (``apply``) and the retirement
        of the revision it replaces."""
        with self.write_engine.begin() as conn:
            if apply is not None:
                apply(conn)
            conn.execute(
                update(revisions)
                .where(
                    revisions.c.target == target, revisions.c.field == field, revisions.c.state.in_(IN_FORCE)
                )
                .values(state="superseded")
            )
            new_id = conn.execute(
                revisions.insert().values(
                    target=target,
                    document_id=document_id,
                    field=field,
                    before=before,
                    after=after,
                    machine_then=machine_then,
                    analyst=analyst,
                    at=at,
                    why=why,
                    state="active",
                )  # fmt: skip
            ).inserted_primary_key[0]
            row = conn.execute(select(revisions).where(revisions.c.id == new_id)).one()
        return _revision(row)

    def revisions_in_force(
        self, *, document_id: str | None = None, targets: Sequence[str] | None = None, kind: str | None = None
    ) -> list[Revision]:
        """Revisions that still decide their field (active or in conflict), oldest first."""
        query = select(revisions).where(revisions.c.state.in_(IN_FORCE)).order_by(revisions.c.id)
        if document_id is not None:
            query = query.where(revisions.c.document_id == document_id)
        if targets is not None:
            query = query.where(revisions.c.target.in_(list(targets)))
        if kind is not None:
            query = query.where(revisions.c.target.like(f"{kind}:%"))
        with self.engine.connect() as conn:
            return [_revision(row) for row in conn.execute(query)]

    def revisions_page(
        self,
        *,
        target: str | None = None,
        analyst: str | None = None,
        state: str | None = None,
        document_id: str | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[Revision]:
        """Revisions, newest first."""
        offset, limit = check_page(offset, limit)
        conditions = []
        if target:
            conditions.append(revisions.c.target == target)
        if analyst:
            conditions.append(revisions.c.analyst == analyst)
        if state:
            conditions.append(revisions.c.state == state)
        if document_id:
            conditions.append(revisions.c.document_id == document_id)
        # ReadStore._page_of: the Store this mixin belongs to has it.
        rows, total = self._page_of(revisions, revisions, conditions, offset, limit, order=(revisions.c.id.desc(),))
        return Page(items=tuple(_revision(row) for row in rows), total=total, offset=offset, limit=limit)

    def set_revision_states(self, outcomes: Sequence, *, conn: Connection | None = None) -> int:
        """Record what re-processing found for each revision (``Outcome``s); returns the conflicts."""
        if not outcomes:
            return 0

        def write(c: Connection) -> None:
            for outcome in outcomes:
                c.execute(
                    update(revisions)
                    .where(
                        revisions.c.id == outcome.revision_id, revisions.c.state.in_(IN_FORCE + ("orphaned",))
                    )
                    .values(
                        state=outcome.state, machine=None if outcome.state == "active" else outcome.machine
                    )
                )

        if conn is not None:
            write(conn)
        else:
            with self.write_engine.begin() as c:
                write(c)
        return sum(1 for o in outcomes if o.state == "conflict")


# --- effects of a correction, inside the revision's transaction -------------------------------------


def update_annotation(conn: Connection, layer: str, document_id: str, old, new) -> None:
    """Rewrite the stored row of annotation ``old`` (matched by its document, component and spans)
    with the fields of ``new``."""
    from sitroom.layers import layer as layer_named
    from sitroom.store import annotations as ann

    table = ann.ANNOTATION_TABLES[layer]
    values = ann.annotation_row(document_id, None, new)
    values.pop("run_id")
    span = layer_named(layer).span or ()
    identity = ("document_id", "component", *(ann.column_name(f) for f in span))
    keys = {k: v for k, v in ann.annotation_row(document_id, None, old).items() if k in identity}
    conn.execute(update(table).where(*(table.c[k] == v for k, v in keys.items())).values(**values))
    _forget_link_items(conn, document_id)


def _forget_link_items(conn: Connection, document_id: str) -> None:
    # The document's stored link items were built from what a correction changes: rebuilt when read.
    from sitroom.store.analysis import link_items

    conn.execute(delete(link_items).where(link_items.c.document_id == document_id))


def update_published(conn: Connection, document_id: str, published) -> None:
    from sitroom.store.schema import documents

    conn.execute(
        update(documents)
        .where(documents.c.id == document_id)
        .values(
            published=published.value,
            published_precision=published.precision,
            published_basis=published.basis,
            published_earliest=None,
            published_latest=None,
            published_evidence=published.evidence,
            published_implausible=None,
        )  # fmt: skip
    )
    _forget_link_items(conn, document_id)


def update_link_status(conn: Connection, link_id: int, status: str) -> int:
    from sitroom.store.analysis import links

    return conn.execute(update(links).where(links.c.id == link_id).values(status=status)).rowcount


def update_source_grade(conn: Connection, name: str, grade: str) -> int:
    from sitroom.store.schema import sources

    return conn.execute(update(sources).where(sources.c.name == name).values(reliability=grade)).rowcount
