"""The store: the only code that talks to the database.

SQLite (default, WAL mode so readers work during an ingest) or PostgreSQL, through SQLAlchemy Core.
Each document is written in one transaction with its source row and near-duplicate bands, so a crash
or a kill in the middle of a batch leaves no half-written document.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, bindparam, create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from sitroom.errors import InputError, NotFoundError, WorkspaceError
from sitroom.model import Document, Problem, Published, RemovedLine, SearchHit
from sitroom.store import migrations, schema
from sitroom.store.analysis import AnalysisStore
from sitroom.store.queries import ReadStore
from sitroom.store.raw import RawRef
from sitroom.store.revisions import RevisionStore
from sitroom.store.writer import DocumentWriter

_DOC = schema.documents
_HAS_DOCUMENT = select(_DOC.c.id).where(_DOC.c.id == bindparam("id"))


def _processed_by(components: Sequence[str]):
    """The ids of documents with a processing record for each of ``components`` (a subquery)."""
    from sitroom.store import annotations as ann

    wanted = sorted(set(components))
    if not wanted:
        return None
    return (
        select(ann.processing.c.document_id)
        .where(ann.processing.c.component.in_(wanted))
        .group_by(ann.processing.c.document_id)
        .having(func.count() == len(wanted))
    )


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode: a commit survives a process crash or kill; only a power loss may drop the
    # last commits, never corrupt the file. FULL would fsync every document and cost ~10x in ingest.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """An engine for ``url`` with sitroom's connection settings."""
    try:
        engine = create_engine(url, future=True)
    except Exception as exc:  # a bad URL or a missing driver: say which
        raise WorkspaceError("E003", f"cannot open database {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


# --- annotations (mixed into Store) -----------------------------------------------------------------------------------


def _normalise_alias(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", name.casefold())).strip()


class AnnotationStore:
    """Mixin for :class:`Store`: writes a document's analysis and links its entities across documents."""

    engine: Engine

    def save_analysis(self, analysis, *, run_id: str) -> None:
        """Replace the annotations of the components that ran, in one transaction."""
        from sitroom.store import annotations as ann

        doc = analysis.document
        outcomes = [(name, "done", None) for name in analysis.components]
        outcomes += [(name, "skipped", reason) for name, reason in analysis.skipped]
        outcomes += [(name, "failed", reason) for name, reason in analysis.failed]
        components = [name for name, _, _ in outcomes]
        layers = {
            "mentions": analysis.mentions,
            "places": analysis.places,
            "times": analysis.times,
            "quantities": analysis.quantities,
            "entities": analysis.entities,
            "claims": analysis.claims,
            "events": analysis.events,
        }
        with self.engine.begin() as conn:
            ann.replace_annotations(
                conn,
                doc.id,
                run_id=run_id,
                layers=layers,
                components=components,
                outcomes=outcomes,
                now=utc_now(),
            )
            if any(ann.component_family(c) == "entities" for c in analysis.components):
                self._link_entities(conn, doc.id, analysis.entities)

    def _link_entities(self, conn, document_id: str, local_entities) -> None:
        from sitroom.store import annotations as ann

        conn.execute(ann.entity_links.delete().where(ann.entity_links.c.document_id == document_id))
        for entity in local_entities:
            entity_id, reason = self._find_entity(conn, entity)
            if entity_id is None:
                result = conn.execute(
                    ann.entities.insert().values(
                        actor_id=entity.actor_id, name=entity.name, type=entity.type, country=entity.country
                    )
                )
                entity_id, reason = int(result.inserted_primary_key[0]), "new entity"
            aliases = {_normalise_alias(a) for a in (entity.name, *entity.aliases)} - {""}
            known = {
                row.alias
                for row in conn.execute(
                    select(ann.entity_aliases.c.alias).where(ann.entity_aliases.c.entity_id == entity_id)
                )
            }
            new = [{"entity_id": entity_id, "alias": a} for a in sorted(aliases - known)]
            if new:
                conn.execute(ann.entity_aliases.insert(), new)
            if reason == "new entity" and entity.type == "PERSON" and not entity.actor_id:
                words = _normalise_alias(entity.name).split()
                if len(words) >= 2:
                    conn.execute(ann.person_surnames.insert().values(surname=words[-1], entity_id=entity_id))
            conn.execute(
                ann.entity_links.insert().values(
                    document_id=document_id, entity_key=entity.key, entity_id=entity_id, reason=reason
                )
            )

    def _find_entity(self, conn, entity) -> tuple[int | None, str | None]:
        """The workspace entity a document entity is: same dictionary actor, else same alias and type
        (and no conflicting country)."""
        from sitroom.store import annotations as ann

        if entity.actor_id:
            row = conn.execute(
                select(ann.entities.c.id).where(ann.entities.c.actor_id == entity.actor_id)
            ).first()
            return (int(row.id), f"dictionary actor {entity.actor_id}") if row else (None, None)
        aliases = sorted({_normalise_alias(a) for a in (entity.name, *entity.aliases)} - {""})
        if not aliases:
            return None, None
        query = (
            select(ann.entities.c.id, ann.entities.c.country, ann.entity_aliases.c.alias)
            .select_from(
                ann.entities.join(ann.entity_aliases, ann.entity_aliases.c.entity_id == ann.entities.c.id)
            )
            .where(ann.entity_aliases.c.alias.in_(aliases), ann.entities.c.type == entity.type)
            .order_by(ann.entities.c.id)
        )
        for row in conn.execute(query):
            if entity.country and row.country and entity.country != row.country:
                continue
            return int(row.id), f"shares the alias {row.alias!r} and type {entity.type}"
        return self._find_similar_person(conn, entity) if entity.type == "PERSON" else (None, None)

    def _find_similar_person(self, conn, entity) -> tuple[int | None, str | None]:
        """Fuzzy match for people outside the dictionary: same surname, compatible first name
        (equal, or one an initial or a close spelling of the other: "Andrei"/"Andrey", "A."), no
        conflicting country. Surnames alone are too common to link across documents."""
        from sitroom.store import annotations as ann

        words = _normalise_alias(entity.name).split()
        if len(words) < 2:
            return None, None
        first, surname = words[0], words[-1]
        query = (
            select(ann.entities.c.id, ann.entities.c.name, ann.entities.c.country)
            .select_from(
                ann.entities.join(ann.person_surnames, ann.person_surnames.c.entity_id == ann.entities.c.id)
            )
            .where(ann.person_surnames.c.surname == surname)
            .order_by(ann.entities.c.id)
            .limit(50)
        )
        for row in conn.execute(query):
            if entity.country and row.country and entity.country != row.country:
                continue
            other = _normalise_alias(row.name).split()
            if len(other) < 2 or other[-1] != surname:
                continue
            if _compatible_given_names(first, other[0]):
                return int(row.id), f"same surname and compatible given name as {row.name!r}"
        return None, None

    def annotations_of_many(
        self, document_ids: Sequence[str], *, layers: Sequence[str] | None = None
    ) -> dict[str, dict[str, list]]:
        from sitroom.store import annotations as ann

        with self.engine.connect() as conn:
            return ann.read_annotations_many(conn, document_ids, layers=layers)

    def get_documents(self, document_ids: Sequence[str]) -> dict[str, Document]:
        """Documents by exact id, in one query."""
        if not document_ids:
            return {}
        query = _select_documents().where(_DOC.c.id.in_(list(document_ids)))
        with self.engine.connect() as conn:
            return {row.id: _document_from_row(row) for row in conn.execute(query)}

    def document_titles(self, document_ids: Sequence[str] | None = None) -> dict[str, str | None]:
        """Titles by document id (all documents when ``document_ids`` is None), without the texts."""
        query = select(_DOC.c.id, _DOC.c.title)
        if document_ids is not None:
            query = query.where(_DOC.c.id.in_(list(document_ids)))
        with self.engine.connect() as conn:
            return {row.id: row.title for row in conn.execute(query)}

    def annotations_of(self, document_id: str) -> dict[str, list]:
        from sitroom.store import annotations as ann

        with self.engine.connect() as conn:
            return ann.read_annotations(conn, document_id)

    def documents_needing(self, components: Sequence[str], *, batch: int = 500) -> Iterator[Document]:
        """Originals and duplicates alike that lack a record for any of ``components`` (exact versions).

        One query per batch: the documents with a record for every component are found in the
        ``processing`` table by the database, so a workspace of 10k processed documents costs
        milliseconds here, not a query per document."""
        complete = _processed_by(components)
        if complete is not None:
            yield from self.iter_documents(batch=batch, where=_DOC.c.id.not_in(complete))

    def documents_processed(self, components: Sequence[str], *, batch: int = 500) -> Iterator[Document]:
        """Documents with a record (done, skipped or failed) for every one of ``components``."""
        complete = _processed_by(components)
        if complete is not None:
            yield from self.iter_documents(batch=batch, where=_DOC.c.id.in_(complete))

    def iter_layer(
        self, layer: str, *, filters: dict[str, str | None] | None = None, limit: int | None = None
    ) -> Iterator[tuple[Document, object]]:
        """Annotations of one layer across the workspace, with their documents, in document order."""
        from sitroom.store import annotations as ann

        table = ann.ANNOTATION_TABLES[layer]
        cls = ann.LAYER_CLASSES[layer]
        query = (
            select(table)
            .where(*_layer_filters(table, filters or {}))
            .order_by(table.c.document_id, table.c.id)
        )
        if limit:
            query = query.limit(limit)
        cache: dict[str, Document] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        for row in rows:
            doc = cache.get(row.document_id)
            if doc is None:
                doc = cache[row.document_id] = self.get_document(row.document_id)
            yield doc, ann.row_to_annotation(cls, row)

    def processing_counts(self) -> list[tuple[str, str, int]]:
        from sitroom.store import annotations as ann

        table = ann.processing
        query = (
            select(table.c.component, table.c.status, func.count())
            .group_by(table.c.component, table.c.status)
            .order_by(table.c.component, table.c.status)
        )
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(query)]


class Store(AnnotationStore, AnalysisStore, ReadStore, RevisionStore):
    """Reads and writes workspace rows. Callers pass and get model dataclasses, never rows."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    def open(cls, url: str) -> Store:
        engine = create_database_engine(url)
        try:
            migrations.migrate(engine)
        except WorkspaceError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            raise WorkspaceError("E003", f"cannot open database {url!r}: {exc}") from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- documents -----------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(_HAS_DOCUMENT, {"id": document_id}).first() is not None

    def raw_ref(self, document_id: str) -> RawRef | None:
        query = select(_DOC.c.raw_file, _DOC.c.raw_offset, _DOC.c.raw_size).where(_DOC.c.id == document_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or not row.raw_file:
            return None
        return RawRef(row.raw_file, row.raw_offset, row.raw_size)

    def writer(self, *, commit_every: int = 64, commit_seconds: float = 1.0) -> DocumentWriter:
        """A writer for a stream of documents (ingest): see :class:`DocumentWriter`."""
        return DocumentWriter(self.engine, commit_every=commit_every, commit_seconds=commit_seconds)

    def add_document(self, doc: Document, *, raw: RawRef | int, bands: Iterable[str], run_id: str) -> bool:
        """Store one document in its own transaction. False if a document with its id exists."""
        with self.writer(commit_every=1) as writer:
            return writer.add_document(doc, raw=raw, bands=bands, run_id=run_id)

    def find_text_hash(self, text_hash: str) -> str | None:
        with self.writer() as writer:
            return writer.find_text_hash(text_hash)

    def find_band_candidates(
        self, bands: Sequence[str], *, limit: int = 20
    ) -> list[tuple[str, str, str | None]]:
        with self.writer() as writer:
            return writer.find_band_candidates(bands, limit=limit)

    def get_document(self, id_or_prefix: str) -> Document:
        """A document by id or unique id prefix (at least 4 characters)."""
        key = id_or_prefix.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{4,16}", key):
            raise NotFoundError("E040", f"{id_or_prefix!r} is not a document id (4–16 hex digits)")
        # Ids are lower-case hex, so a prefix is the range [key, key + "g"): the primary key's index
        # answers it, where SQLite's (case-insensitive) LIKE scanned every document.
        match = _DOC.c.id == key if len(key) == 16 else and_(_DOC.c.id >= key, _DOC.c.id < key + "g")
        query = _select_documents().where(match).limit(2)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFoundError("E040", f"no document with id {id_or_prefix!r}; `sitroom status` lists them")
        if len(rows) > 1:
            raise NotFoundError("E040", f"id prefix {id_or_prefix!r} is ambiguous; give more digits")
        return _document_from_row(rows[0])

    def iter_documents(
        self, *, include_duplicates: bool = True, batch: int = 500, where=None
    ) -> Iterator[Document]:
        """All documents (those matching the SQL condition ``where``, if given) in ingest order, read
        in batches so memory stays bounded."""
        last: tuple[str, str] | None = None
        while True:
            query = _select_documents().order_by(_DOC.c.ingested_at, _DOC.c.id).limit(batch)
            if where is not None:
                query = query.where(where)
            if not include_duplicates:
                query = query.where(_DOC.c.duplicate_of.is_(None))
            if last is not None:
                query = query.where(
                    (_DOC.c.ingested_at > last[0]) | ((_DOC.c.ingested_at == last[0]) & (_DOC.c.id > last[1]))
                )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _document_from_row(row)
            last = (rows[-1].ingested_at, rows[-1].id)

    def count_documents(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(_DOC)).scalar_one()
            dups = conn.execute(
                select(func.count()).select_from(_DOC).where(_DOC.c.duplicate_of.is_not(None))
            ).scalar_one()
            sources = conn.execute(select(func.count()).select_from(schema.sources)).scalar_one()
        return {"documents": total, "duplicates": dups, "originals": total - dups, "sources": sources}

    def count_by(self, column: str) -> list[tuple[str | None, int]]:
        """Document counts grouped by a column of the overview (source, language, format …)."""
        if column == "source":
            key = schema.sources.c.name
            query = select(key, func.count()).select_from(
                _DOC.outerjoin(schema.sources, _DOC.c.source_id == schema.sources.c.id)
            )
        else:
            key = _DOC.c[column]
            query = select(key, func.count()).select_from(_DOC)
        query = query.group_by(key).order_by(func.count().desc())
        with self.engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(query)]

    # --- search --------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        if not query.strip():
            raise InputError("E041", "empty search query")
        if self.dialect == "sqlite":
            try:
                return self._search_sqlite(query, limit)
            except OperationalError:
                # FTS5 syntax the user did not mean (a stray quote, a hyphen): search the words.
                words = re.findall(r"\w+", query)
                if not words:
                    raise InputError("E041", f"no searchable words in {query!r}") from None
                return self._search_sqlite(" ".join(f'"{w}"' for w in words), limit)
        return self._search_postgres(query, limit)

    def _search_sqlite(self, query: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT d.id, d.title, s.name AS source, d.published, "
            "snippet(documents_fts, 1, '[', ']', '…', 16) AS snippet, bm25(documents_fts, 5.0, 1.0) AS rank "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "LEFT JOIN sources s ON s.id = d.source_id "
            "WHERE documents_fts MATCH :query ORDER BY rank LIMIT :limit"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(sql, {"query": query, "limit": limit}).all()
        return [
            SearchHit(
                document_id=r.id,
                title=r.title,
                source=r.source,
                published=r.published,
                snippet=r.snippet,
                score=-float(r.rank),
            )
            for r in rows
        ]

    def _search_postgres(self, query: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT d.id, d.title, s.name AS source, d.published, "
            "ts_headline('english', d.text, q, 'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet, "
            "ts_rank(d.search_vector, q) AS rank "
            "FROM documents d LEFT JOIN sources s ON s.id = d.source_id, "
            "websearch_to_tsquery('english', :query) q "
            "WHERE d.search_vector @@ q ORDER BY rank DESC LIMIT :limit"
        )
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(sql, {"query": query, "limit": limit}).all()
        except ProgrammingError as exc:
            raise InputError("E041", f"cannot search for {query!r}: {exc.orig}") from exc
        return [
            SearchHit(
                document_id=r.id,
                title=r.title,
                source=r.source,
                published=r.published,
                snippet=r.snippet,
                score=float(r.rank),
            )
            for r in rows
        ]

    # --- runs and problems ---------------------------------------------------------------------

    def start_run(self, run_id: str, *, kind: str, arguments: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                schema.runs.insert().values(
                    id=run_id, kind=kind, started_at=utc_now(), arguments=json.dumps(arguments)
                )
            )

    def finish_run(self, run_id: str, *, counts: dict[str, int]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                schema.runs.update().where(schema.runs.c.id == run_id).values(finished_at=utc_now(), **counts)
            )

    def add_problem(self, run_id: str, problem: Problem) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                schema.problems.insert().values(
                    run_id=run_id,
                    code=problem.code,
                    kind=problem.kind,
                    origin=problem.origin,
                    locator=problem.locator,
                    reason=problem.reason,
                    at=utc_now(),
                )
            )

    def problems_of(self, run_id: str) -> list[Problem]:
        table = schema.problems
        query = select(table).where(table.c.run_id == run_id).order_by(table.c.id)
        with self.engine.connect() as conn:
            return [
                Problem(origin=r.origin, locator=r.locator, code=r.code, kind=r.kind, reason=r.reason)
                for r in conn.execute(query)
            ]


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", url, re.IGNORECASE)
    return match.group(1).lower() if match else None


def document_row(doc: Document, source_id: int | None, raw: RawRef | int, run_id: str) -> dict:
    pub = doc.published
    ref = raw if isinstance(raw, RawRef) else RawRef("", 0, raw)
    return {
        "id": doc.id,
        "source_id": source_id,
        "source_basis": doc.source_basis,
        "url": doc.url,
        "title": doc.title,
        "author": doc.author,
        "author_role": doc.author_role,
        "dateline": doc.dateline,
        "language": doc.language,
        "published": pub.value,
        "published_precision": pub.precision,
        "published_basis": pub.basis,
        "published_earliest": pub.earliest,
        "published_latest": pub.latest,
        "published_evidence": pub.evidence,
        "published_implausible": pub.implausible,
        "text": doc.text,
        "text_hash": doc.text_hash or "",
        "duplicate_of": doc.duplicate_of,
        "duplicate_reason": doc.duplicate_reason,
        "removed_lines": json.dumps([asdict(line) for line in doc.removed], ensure_ascii=False),
        "format": doc.format,
        "origin": doc.origin,
        "locator": doc.locator,
        "raw_file": ref.file or None,
        "raw_offset": ref.offset if ref.file else None,
        "raw_size": ref.size,
        "cleaner": doc.cleaner,
        "extra": json.dumps(doc.extra, ensure_ascii=False, default=str),
        "run_id": run_id,
        "ingested_at": doc.ingested_at or utc_now(),
    }


def _select_documents():
    return select(_DOC, schema.sources.c.name.label("source_name")).select_from(
        _DOC.outerjoin(schema.sources, _DOC.c.source_id == schema.sources.c.id)
    )


def _document_from_row(row) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        origin=row.origin,
        format=row.format,
        locator=row.locator,
        title=row.title,
        url=row.url,
        author=row.author,
        author_role=row.author_role,
        source=row.source_name,
        source_basis=row.source_basis,
        dateline=row.dateline,
        language=row.language,
        published=Published(
            value=row.published,
            precision=row.published_precision,
            basis=row.published_basis,
            earliest=row.published_earliest,
            latest=row.published_latest,
            evidence=row.published_evidence,
            implausible=row.published_implausible,
        ),
        removed=[RemovedLine(**line) for line in json.loads(row.removed_lines or "[]")],
        text_hash=row.text_hash,
        duplicate_of=row.duplicate_of,
        duplicate_reason=row.duplicate_reason,
        ingested_at=row.ingested_at,
        cleaner=row.cleaner,
        extra=json.loads(row.extra or "{}"),
    )


def _compatible_given_names(a: str, b: str) -> bool:
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    # Transliteration variants: Andrei/Andrey, Sergei/Sergey, Mohammed/Mohammad.
    return a[:3] == b[:3] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _layer_filters(table, filters: dict[str, str | None]):
    conditions = []
    for column, value in filters.items():
        if value is None:
            continue
        if column not in table.c:
            raise InputError("E041", f"cannot filter on {column!r}")
        conditions.append(table.c[column] == value)
    return conditions
