"""The read layer's SQL: listings with filters and pagination, counted by the database.

Every listing here answers a :class:`~sitroom.views.Page`: the database filters, counts and cuts the
page, and only the page's rows (and the texts of the page's documents, to quote spans) are loaded, so a
request costs the same on 50 documents as on 50,000. Aggregates (source profiles, reported periods,
facets) are computed by ``GROUP BY`` without reading any document text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Boolean, String, and_, case, cast, func, literal, or_, select, tuple_, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.util import find_tables

from sitroom.errors import InputError
from sitroom.model import Published
from sitroom.store import annotations as ann
from sitroom.store import schema
from sitroom.store.analysis import links, stories, story_changes, story_documents
from sitroom.views import (
    MAX_PAGE,
    Assessment,
    ClaimRecord,
    DocumentBrief,
    EntitySummary,
    EventRecord,
    Facet,
    Page,
    PlaceSummary,
    ProcessingRecord,
    Run,
    SourceProfile,
    StoredLink,
    StoredQuestion,
    Story,
    StoryChange,
)

_DOC = schema.documents
_SRC = schema.sources
_CLAIMS = ann.claims
_EVENTS = ann.events
_ENT = ann.document_entities


def check_page(offset: int, limit: int | None) -> tuple[int, int | None]:
    """Validated paging arguments (a bad one is the caller's input, reported as E041)."""
    if offset < 0:
        raise InputError("E041", f"offset must be 0 or more, not {offset}")
    if limit is not None and not 0 < limit <= MAX_PAGE:
        raise InputError("E041", f"limit must be between 1 and {MAX_PAGE}, not {limit}")
    return offset, limit


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _Contains(FunctionElement):
    """``column`` contains a lower-cased pattern, ignoring case (see :func:`_contains`)."""

    type = Boolean()
    name = "contains"
    inherit_cache = True


@compiles(_Contains)
def _compile_contains(element, compiler, **kw):
    column, pattern = element.clauses.clauses
    return compiler.process(func.lower(column).like(pattern, escape="\\"), **kw)


@compiles(_Contains, "sqlite")
def _compile_contains_sqlite(element, compiler, **kw):
    # SQLite's LIKE ignores the case of ASCII letters and its lower() folds only those, so lower()
    # changes no match here; it only cost a string copy per row (half the time of a name filter
    # over 137k document entities).
    column, pattern = element.clauses.clauses
    return compiler.process(column.like(pattern, escape="\\"), **kw)


def _contains(column, value: str):
    return _Contains(column, literal(_like(value)))


class _ListHas(FunctionElement):
    """A "; "-joined list column (an annotation's tuple field) has ``item`` as one of its items."""

    type = Boolean()
    name = "list_has"
    inherit_cache = True


def _delimited(expression):
    return literal("; ") + expression + literal("; ")


@compiles(_ListHas)
def _compile_list_has(element, compiler, **kw):
    column, item = element.clauses.clauses
    return compiler.process(func.strpos(_delimited(column), _delimited(item)) > 0, **kw)


@compiles(_ListHas, "sqlite")
def _compile_list_has_sqlite(element, compiler, **kw):
    # instr, not LIKE: an entity key may hold "_" or "%", which LIKE would read as wildcards.
    column, item = element.clauses.clauses
    return compiler.process(func.instr(_delimited(column), _delimited(item)) > 0, **kw)


def _brief_columns():
    return (
        _DOC.c.id, _DOC.c.title, _SRC.c.name.label("source_name"), _DOC.c.url, _DOC.c.published,
        _DOC.c.published_precision, _DOC.c.published_basis, _DOC.c.published_earliest,
        _DOC.c.published_latest, _DOC.c.published_evidence, _DOC.c.published_implausible,
        _DOC.c.language, _DOC.c.author, _DOC.c.duplicate_of, _DOC.c.ingested_at, _DOC.c.format,
    )  # fmt: skip


def _brief(row) -> DocumentBrief:
    return DocumentBrief(
        id=row.id, title=row.title, source=row.source_name, url=row.url,
        published=Published(
            value=row.published, precision=row.published_precision, basis=row.published_basis,
            earliest=row.published_earliest, latest=row.published_latest,
            evidence=row.published_evidence, implausible=row.published_implausible,
        ),
        language=row.language, author=row.author, duplicate_of=row.duplicate_of,
        ingested_at=row.ingested_at, format=row.format,
    )  # fmt: skip


def _date_bounds(column, since: str | None, until: str | None) -> list:
    """Conditions keeping ISO dates (any precision) in [since, until]: compared on their first
    characters, so "2015" keeps every 2015 date and "2015-11" every day of November."""
    conditions = []
    if since:
        conditions.append(func.substr(column, 1, len(since)) >= since)
    if until:
        conditions.append(func.substr(column, 1, len(until)) <= until)
    return conditions


class ReadStore:
    """Mixin for :class:`~sitroom.store.database.Store`: the typed read layer's queries."""

    engine: object

    # --- documents -----------------------------------------------------------------------------

    def document_briefs(self, document_ids: Sequence[str]) -> dict[str, DocumentBrief]:
        if not document_ids:
            return {}
        query = (
            select(*_brief_columns())
            .select_from(_DOC.outerjoin(_SRC, _DOC.c.source_id == _SRC.c.id))
            .where(_DOC.c.id.in_(list(set(document_ids))))
        )
        with self.engine.connect() as conn:
            return {row.id: _brief(row) for row in conn.execute(query)}

    def document_texts(self, document_ids: Sequence[str]) -> dict[str, str]:
        if not document_ids:
            return {}
        query = select(_DOC.c.id, _DOC.c.text).where(_DOC.c.id.in_(list(set(document_ids))))
        with self.engine.connect() as conn:
            return {row.id: row.text for row in conn.execute(query)}

    def _document_conditions(
        self,
        *,
        source: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        duplicates: bool | None = None,
        ids: Sequence[str] | None = None,
    ) -> list:
        conditions = []
        if source:
            conditions.append(_contains(_SRC.c.name, source))
        if language:
            conditions.append(_DOC.c.language == language)
        conditions += _date_bounds(_DOC.c.published, since, until)
        if story:
            members = select(story_documents.c.document_id).where(story_documents.c.story_id == story)
            conditions.append(_DOC.c.id.in_(members))
        if duplicates is True:
            conditions.append(_DOC.c.duplicate_of.is_not(None))
        elif duplicates is False:
            conditions.append(_DOC.c.duplicate_of.is_(None))
        if ids is not None:
            conditions.append(_DOC.c.id.in_(list(ids)))
        return conditions

    def documents_page(self, *, offset: int = 0, limit: int | None = 50, **filters) -> Page[DocumentBrief]:
        """Documents newest first by publication date (then ingest order), filtered and paged."""
        offset, limit = check_page(offset, limit)
        joined = _DOC.outerjoin(_SRC, _DOC.c.source_id == _SRC.c.id)
        conditions = self._document_conditions(**filters)
        count = select(func.count()).select_from(joined).where(*conditions)
        query = (
            select(*_brief_columns())
            .select_from(joined)
            .where(*conditions)
            .order_by(_DOC.c.published.desc().nulls_last(), _DOC.c.ingested_at.desc(), _DOC.c.id)
            .offset(offset)
        )
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            total = conn.execute(count).scalar_one()
            items = tuple(_brief(row) for row in conn.execute(query))
        return Page(items=items, total=total, offset=offset, limit=limit)

    def document_facets(self, column: str, *, limit: int = 50) -> list[Facet]:
        """Document counts by ``source``, ``language``, ``format``, ``year`` or ``story``."""
        if column == "source":
            key = _SRC.c.name
            query = select(key, func.count()).select_from(_DOC.outerjoin(_SRC, _DOC.c.source_id == _SRC.c.id))
        elif column == "year":
            key = func.substr(_DOC.c.published, 1, 4)
            query = select(key, func.count()).select_from(_DOC)
        elif column == "story":
            key = story_documents.c.story_id
            query = select(key, func.count()).select_from(story_documents)
        elif column in ("language", "format"):
            key = _DOC.c[column]
            query = select(key, func.count()).select_from(_DOC)
        else:
            raise InputError("E041", f"no facet {column!r}: source, language, format, year or story")
        query = query.group_by(key).order_by(func.count().desc(), key).limit(limit)
        with self.engine.connect() as conn:
            return [Facet(value=row[0], count=row[1]) for row in conn.execute(query)]

    def publication_range(self) -> tuple[str | None, str | None]:
        """The earliest and latest trusted publication dates."""
        trusted = and_(_DOC.c.published.is_not(None), _DOC.c.published_implausible.is_(None))
        query = select(func.min(_DOC.c.published), func.max(_DOC.c.published)).where(trusted)
        with self.engine.connect() as conn:
            first, last = conn.execute(query).one()
        return first, last

    def count_documents_needing(self, components: Sequence[str], *, outlets: Sequence[str] = ()) -> int:
        """How many documents :meth:`documents_needing` would hand out: the total a progress bar needs."""
        from sitroom.store.database import _processed_by, of_outlets

        complete = _processed_by(components)
        if complete is None:
            return 0
        query = select(func.count()).select_from(_DOC).where(_DOC.c.id.not_in(complete), *of_outlets(outlets))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def count_documents_of(self, outlets: Sequence[str]) -> int:
        """How many documents the named outlets published (duplicates included)."""
        from sitroom.store.database import of_outlets

        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(_DOC).where(*of_outlets(outlets))).scalar_one()

    def count_rows(self, table_name: str) -> int:
        table = {**ann.ANNOTATION_TABLES, "stories": stories}[table_name]
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()

    # --- names ---------------------------------------------------------------------------------

    def entity_names(self, document_ids: Sequence[str]) -> dict[tuple[str, str], str]:
        """(document id, entity key) → the entity's workspace-wide name (else its name in the document)."""
        if not document_ids:
            return {}
        ents = ann.entities
        query = (
            select(_ENT.c.document_id, _ENT.c.key, _ENT.c.name, ents.c.name.label("canonical"))
            .select_from(
                _ENT.outerjoin(
                    ann.entity_links,
                    and_(
                        ann.entity_links.c.document_id == _ENT.c.document_id,
                        ann.entity_links.c.entity_key == _ENT.c.key,
                    ),
                ).outerjoin(ents, ents.c.id == ann.entity_links.c.entity_id)
            )
            .where(_ENT.c.document_id.in_(list(set(document_ids))))
        )
        with self.engine.connect() as conn:
            return {(r.document_id, r.key): r.canonical or r.name for r in conn.execute(query)}

    def _speaker_named(self, name: str):
        """A condition on claims: the speaker's entity (in its document or across the workspace) has
        ``name`` in its name or aliases, an analyst named them so, or the source as written contains
        it. Each part finds claim ids by an index or a scan of one narrow column (the source as
        written is stored with the claim: cutting it out of every text took 0.3 s at 10k documents),
        and the listing then reads only the claims found."""
        ents, linked = ann.entities, ann.entity_links
        local = (
            select(_CLAIMS.c.id)
            .select_from(_ENT.join(_CLAIMS, and_(_CLAIMS.c.document_id == _ENT.c.document_id,
                                                  _CLAIMS.c.speaker == _ENT.c.key)))
            .where(or_(_contains(_ENT.c.name, name), _contains(_ENT.c.aliases, name)))
        )  # fmt: skip
        # The few workspace entities so named first, then their documents' keys by index.
        named = select(ents.c.id).where(_contains(ents.c.name, name))
        across = (
            select(_CLAIMS.c.id)
            .select_from(linked.join(_CLAIMS, and_(_CLAIMS.c.document_id == linked.c.document_id,
                                                    _CLAIMS.c.speaker == linked.c.entity_key)))
            .where(linked.c.entity_id.in_(named))
        )  # fmt: skip
        analyst = select(_CLAIMS.c.id).where(_contains(_CLAIMS.c.speaker, name))  # analyst:NAME, or the key
        written = select(_CLAIMS.c.id).where(_contains(_CLAIMS.c.speaker_as_written, name))
        return self._among(_CLAIMS.c.id, union(local, across, analyst, written))

    def _among(self, column, ids, *, most: int = 5000):
        """``column IN ids`` (a query of ids), with the ids fetched here once when there are at most
        ``most`` of them: a listing's count and its page would otherwise each run the query again
        (the speaker filter's union is 40 ms of the page's 90 at 10k documents)."""
        with self.engine.connect() as conn:
            found = conn.execute(ids.limit(most + 1)).scalars().all()
        return column.in_(found) if len(found) <= most else column.in_(ids)

    # --- claims and events -----------------------------------------------------------------------

    def claims_page(
        self,
        *,
        speaker: str | None = None,
        modality: str | None = None,
        polarity: str | None = None,
        document: str | None = None,
        since: str | None = None,
        until: str | None = None,
        entity: int | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[ClaimRecord]:
        """Claims in document order. ``speaker`` matches the linked speaker's name, alias or key, or
        the source as written (case-insensitive, part of a word will do)."""
        offset, limit = check_page(offset, limit)
        conditions = []
        for column, value in (("modality", modality), ("polarity", polarity), ("document_id", document)):
            if value:
                conditions.append(_CLAIMS.c[column] == value)
        if speaker:
            conditions.append(self._speaker_named(speaker))
        if entity is not None:
            # The entity's own claims: the document keys linked to it (indexed), not a name search.
            keys = select(ann.entity_links.c.document_id, ann.entity_links.c.entity_key).where(
                ann.entity_links.c.entity_id == entity
            )
            conditions.append(tuple_(_CLAIMS.c.document_id, _CLAIMS.c.speaker).in_(keys))
        conditions += _date_bounds(_DOC.c.published, since, until)
        joined = _CLAIMS.join(_DOC, _DOC.c.id == _CLAIMS.c.document_id)
        rows, total = self._page_of(joined, _CLAIMS, conditions, offset, limit)
        doc_ids = [row.document_id for row in rows]
        briefs, texts = self.document_briefs(doc_ids), self.document_texts(doc_ids)
        names = self.entity_names(doc_ids)
        items = []
        for row in rows:
            claim = ann.row_to_annotation(ann.LAYER_CLASSES["claims"], row)
            text = texts[row.document_id]
            source_text = _cut(text, claim.source_start, claim.source_end)
            items.append(ClaimRecord(
                ref=f"claim:{row.document_id}:{claim.content_start}-{claim.content_end}",
                document=briefs[row.document_id], claim=claim,
                speaker_name=names.get((row.document_id, claim.speaker or ""))
                or _analyst_name(claim.speaker)
                or source_text,
                via_names=tuple(_name_of(key, names, row.document_id, text) for key in claim.via),
                source_text=source_text, cue_text=_cut(text, claim.cue_start, claim.cue_end),
                content=text[claim.content_start : claim.content_end],
                sentence=text[claim.sentence_start : claim.sentence_end].strip(),
            ))  # fmt: skip
        return Page(items=tuple(items), total=total, offset=offset, limit=limit)

    def events_page(
        self,
        *,
        type: str | None = None,
        modality: str | None = None,
        polarity: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        document: str | None = None,
        since: str | None = None,
        until: str | None = None,
        located: bool | None = None,
        dated: bool | None = None,
        chronological: bool = False,
        source: str | None = None,
        story: str | None = None,
        entity: int | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[EventRecord]:
        """Events in document order. ``actor`` matches an actor's or target's name; ``place`` the
        place name; ``since``/``until`` the event's own dates (else the document's); ``located``
        keeps events with (or without) coordinates, ``dated`` with (or without) a time of their own;
        ``chronological`` orders them by that time instead of by document; ``entity`` keeps the
        events of one workspace-wide entity (as actor or target, by its id)."""
        offset, limit = check_page(offset, limit)
        conditions = []
        for column, value in (
            ("type", type), ("modality", modality), ("polarity", polarity), ("document_id", document),
        ):  # fmt: skip
            if value:
                conditions.append(_EVENTS.c[column] == value)
        if actor:
            # Event ids found once (an uncorrelated union): the documents' entities so named, then
            # those documents' events by index; a correlated EXISTS per event scanned them 15k times.
            named = (
                select(_EVENTS.c.id)
                .select_from(_ENT.join(_EVENTS, _EVENTS.c.document_id == _ENT.c.document_id))
                .where(
                    or_(_contains(_ENT.c.name, actor), _contains(_ENT.c.aliases, actor)),
                    or_(_EVENTS.c.actors.like(literal("%") + _ENT.c.key + literal("%")),
                        _EVENTS.c.targets.like(literal("%") + _ENT.c.key + literal("%"))),
                )
            )  # fmt: skip
            written = select(_EVENTS.c.id).where(
                or_(_contains(_EVENTS.c.actors, actor), _contains(_EVENTS.c.targets, actor))
            )
            conditions.append(self._among(_EVENTS.c.id, union(named, written)))
        if entity is not None:
            # The entity's own events (an actor or target): its documents' keys through entity_links
            # (indexed), then those documents' events; no name search over every event.
            linked = ann.entity_links
            own = (
                select(_EVENTS.c.id)
                .select_from(linked.join(_EVENTS, _EVENTS.c.document_id == linked.c.document_id))
                .where(linked.c.entity_id == entity,
                       or_(_ListHas(_EVENTS.c.actors, linked.c.entity_key),
                           _ListHas(_EVENTS.c.targets, linked.c.entity_key)))
            )  # fmt: skip
            conditions.append(_EVENTS.c.id.in_(own))
        if place:
            conditions.append(_contains(_EVENTS.c.place_name, place))
        if located is True:
            conditions.append(_EVENTS.c.lat.is_not(None))
        elif located is False:
            conditions.append(_EVENTS.c.lat.is_(None))
        if source:
            conditions.append(_DOC.c.source_id.in_(select(_SRC.c.id).where(_contains(_SRC.c.name, source))))
        if story:
            members = select(story_documents.c.document_id).where(story_documents.c.story_id == story)
            conditions.append(_EVENTS.c.document_id.in_(members))
        if dated is True:
            conditions.append(_EVENTS.c.earliest.is_not(None))
        elif dated is False:
            conditions.append(_EVENTS.c.earliest.is_(None))
        when = func.coalesce(_EVENTS.c.earliest, _DOC.c.published)
        conditions += _date_bounds(when, since, until)
        joined = _EVENTS.join(_DOC, _DOC.c.id == _EVENTS.c.document_id)
        order = (when, _EVENTS.c.document_id, _EVENTS.c.id) if chronological else None
        rows, total = self._page_of(joined, _EVENTS, conditions, offset, limit, order=order)
        doc_ids = [row.document_id for row in rows]
        briefs, texts = self.document_briefs(doc_ids), self.document_texts(doc_ids)
        names = self.entity_names(doc_ids)
        items = []
        for row in rows:
            event = ann.row_to_annotation(ann.LAYER_CLASSES["events"], row)
            text = texts[row.document_id]

            def name(key: str, doc_id: str = row.document_id, text: str = text) -> str:
                if key.startswith("span:"):
                    start, _, end = key[5:].partition("-")
                    return text[int(start) : int(end)] if start.isdigit() and end.isdigit() else key
                return names.get((doc_id, key)) or _analyst_name(key) or key

            items.append(EventRecord(
                ref=f"event:{row.document_id}:{event.trigger_start}-{event.trigger_end}:{event.type}",
                document=briefs[row.document_id], event=event,
                actor_names=tuple(name(k) for k in event.actors),
                target_names=tuple(name(k) for k in event.targets),
                trigger=text[event.trigger_start : event.trigger_end],
                sentence=text[event.sentence_start : event.sentence_end].strip(),
            ))  # fmt: skip
        return Page(items=tuple(items), total=total, offset=offset, limit=limit)

    def _page_of(self, joined, table, conditions, offset, limit, *, order=None):
        """One page of ``table``'s rows (from ``joined``) matching ``conditions``, and how many match in
        all: the one counting-and-cutting query every listing shares."""
        # A claim or event always has its document (a foreign key), so the count joins the documents
        # only when a condition reads them: counting 100k claims alone is an index count.
        reads_documents = any(_DOC in find_tables(c, check_columns=True) for c in conditions)
        count = select(func.count()).select_from(joined if reads_documents else table).where(*conditions)
        order = order or (_DOC.c.ingested_at, table.c.document_id, table.c.id)
        query = select(table).select_from(joined).where(*conditions).order_by(*order).offset(offset)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            total = conn.execute(count).scalar_one()
            rows = conn.execute(query).all()
        return rows, total

    # --- stories and links -----------------------------------------------------------------------

    def stories_page(
        self,
        *,
        min_size: int = 1,
        match: str | None = None,
        document: str | None = None,
        topic: str | None = None,
        ids: Sequence[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        with_changes: bool = True,
    ) -> Page[Story]:
        """Stories, largest first. ``match`` looks in the story's title and its documents' titles."""
        offset, limit = check_page(offset, limit)
        conditions = [stories.c.size >= min_size]
        if topic:
            conditions.append(stories.c.topic == topic)
        if ids is not None:
            conditions.append(stories.c.id.in_(list(ids)))
        if document:
            holding = select(story_documents.c.story_id).where(story_documents.c.document_id == document)
            conditions.append(stories.c.id.in_(holding))
        if match:
            titled = (
                select(story_documents.c.story_id)
                .select_from(story_documents.join(_DOC, _DOC.c.id == story_documents.c.document_id))
                .where(_contains(_DOC.c.title, match))
            )
            conditions.append(or_(_contains(stories.c.title, match), stories.c.id.in_(titled)))
        count = select(func.count()).select_from(stories).where(*conditions)
        query = (
            select(stories).where(*conditions).order_by(stories.c.size.desc(), stories.c.id).offset(offset)
        )
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            total = conn.execute(count).scalar_one()
            rows = conn.execute(query).all()
            ids_here = [row.id for row in rows]
            members: dict[str, list[str]] = {}
            history: dict[str, list[StoryChange]] = {}
            if ids_here:
                for m in conn.execute(
                    select(story_documents).where(story_documents.c.story_id.in_(ids_here))
                ):
                    members.setdefault(m.story_id, []).append(m.document_id)
                if with_changes:
                    changes = (
                        select(story_changes)
                        .where(story_changes.c.story_id.in_(ids_here))
                        .order_by(story_changes.c.id)
                    )
                    for c in conn.execute(changes):
                        history.setdefault(c.story_id, []).append(
                            StoryChange(
                                kind=c.kind,
                                story_id=c.story_id,
                                other=c.other,
                                document_id=c.document_id,
                                reason=c.reason,
                                at=c.at,
                            )  # fmt: skip
                        )
        items = tuple(
            Story(
                id=row.id,
                title=row.title,
                topic=row.topic,
                first_seen=row.first_seen,
                last_seen=row.last_seen,
                size=row.size,
                documents=tuple(sorted(members.get(row.id, []))),
                changes=tuple(history.get(row.id, [])),
            )  # fmt: skip
            for row in rows
        )
        return Page(items=items, total=total, offset=offset, limit=limit)

    def links_page(
        self,
        *,
        kind: str | None = None,
        status: str | None = None,
        ref: str | None = None,
        document: str | None = None,
        independent: bool | None = None,
        ids: Sequence[int] | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[StoredLink]:
        """Links by score: of one kind or status, touching one ref, or any item of one document."""
        offset, limit = check_page(offset, limit)
        conditions = []
        if kind:
            conditions.append(links.c.kind == kind)
        if status:
            conditions.append(links.c.status == status)
        if ref:
            conditions.append(or_(links.c.a == ref, links.c.b == ref))
        if document:
            conditions.append(or_(links.c.a_document == document, links.c.b_document == document))
        if independent is not None:
            conditions.append(links.c.independent == independent)
        if ids is not None:
            conditions.append(links.c.id.in_(list(ids)))
        rows, total = self._page_of(links, links, conditions, offset, limit, order=(links.c.score.desc(), links.c.id))
        return Page(items=tuple(stored_link(row) for row in rows), total=total, offset=offset, limit=limit)

    # --- sources -----------------------------------------------------------------------------------

    def source_profiles(self, grade_labels: dict[str, str]) -> list[SourceProfile]:
        """Every outlet's profile, aggregated by the database (no document text is read)."""
        from sitroom.analyse.sources import HEDGED

        outlet = func.coalesce(_SRC.c.name, literal("(unknown outlet)"))
        joined = _DOC.outerjoin(_SRC, _DOC.c.source_id == _SRC.c.id)
        with self.engine.connect() as conn:
            docs = {
                row.outlet: (row.documents, row.duplicates, row.grade)
                for row in conn.execute(
                    select(
                        outlet.label("outlet"),
                        func.count().label("documents"),
                        func.sum(case((_DOC.c.duplicate_of.is_not(None), 1), else_=0)).label("duplicates"),
                        func.max(_SRC.c.reliability).label("grade"),
                    )
                    .select_from(joined)
                    .group_by(outlet)
                )
            }
            original = _DOC.c.duplicate_of.is_(None)
            claim_ref = (
                literal("claim:") + _CLAIMS.c.document_id + literal(":") + cast(_CLAIMS.c.content_start, String)
                + literal("-") + cast(_CLAIMS.c.content_end, String)
            )  # fmt: skip
            independent = and_(links.c.independent.is_(True), links.c.status != "dismissed")

            # The refs on either side of an independent link, gathered once (a few hundred rows) and
            # matched with IN: a correlated EXISTS per claim scanned the links 96k times (35 s at 10k).
            # The claim's document is checked first (a link names the documents of its sides), so
            # the ref is spelled out only for claims of linked documents, not for all 100k.
            def linked(kinds):
                def sides(a, b):
                    return union(*(select(side).where(links.c.kind.in_(kinds), independent) for side in (a, b)))

                return and_(
                    _CLAIMS.c.document_id.in_(sides(links.c.a_document, links.c.b_document)),
                    claim_ref.in_(sides(links.c.a, links.c.b)),
                )

            supported = linked(("corroborates", "same-event"))
            opposed = linked(("contradicts",))
            claims = {
                row.outlet: row
                for row in conn.execute(
                    select(
                        outlet.label("outlet"),
                        func.count().label("claims"),
                        func.sum(case((_CLAIMS.c.modality.in_(tuple(HEDGED)), 1), else_=0)).label("hedged"),
                        func.sum(case((supported, 1), else_=0)).label("corroborated"),
                        func.sum(case((opposed, 1), else_=0)).label("contradicted"),
                    )
                    .select_from(_CLAIMS.join(joined, _DOC.c.id == _CLAIMS.c.document_id))
                    .where(original)
                    .group_by(outlet)
                )
            }
            events = {
                row.outlet: row
                for row in conn.execute(
                    select(
                        outlet.label("outlet"),
                        func.count().label("events"),
                        func.sum(case((_EVENTS.c.claim_start.is_(None), 1), else_=0)).label("unattributed"),
                    )
                    .select_from(_EVENTS.join(joined, _DOC.c.id == _EVENTS.c.document_id))
                    .where(original)
                    .group_by(outlet)
                )
            }
        profiles = []
        for name, (documents, duplicates, grade) in docs.items():
            c, e = claims.get(name), events.get(name)
            grade = grade or "F"
            profiles.append(SourceProfile(
                name=name, grade=grade, grade_label=grade_labels.get(grade, ""), documents=documents,
                duplicates=duplicates or 0, claims=c.claims if c else 0, hedged=(c.hedged or 0) if c else 0,
                corroborated=(c.corroborated or 0) if c else 0, contradicted=(c.contradicted or 0) if c else 0,
                events=e.events if e else 0, unattributed_events=(e.unattributed or 0) if e else 0,
            ))  # fmt: skip
        return sorted(profiles, key=lambda p: (-p.documents, p.name))

    # --- runs and assessments ----------------------------------------------------------------------

    def runs(self, *, limit: int = 5, kind: str | None = None) -> list[Run]:
        query = select(schema.runs).order_by(schema.runs.c.started_at.desc(), schema.runs.c.id.desc())
        if kind:
            query = query.where(schema.runs.c.kind == kind)
        with self.engine.connect() as conn:
            return [_run(row) for row in conn.execute(query.limit(limit))]

    def assessment_records(self, slug: str) -> list[Assessment]:
        from sitroom.store.analysis import assessments

        query = select(assessments).where(assessments.c.question == slug).order_by(assessments.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for row in rows:
            summary = json.loads(row.summary)
            out.append(Assessment(
                at=row.at, date=summary.get("date") or row.at[:10], leading=summary.get("leading"),
                ranking=tuple(summary.get("ranking") or ()), inconsistency=summary.get("inconsistency") or {},
                support=summary.get("support") or {}, evidence=summary.get("evidence", 0),
                documents=summary.get("documents", 0),
            ))  # fmt: skip
        return out

    # --- entities and places across documents ----------------------------------------------------

    def entity_summary(self, entity_id: int) -> EntitySummary | None:
        """A workspace-wide entity with its aliases and how many documents mention it."""
        ents, linked = ann.entities, ann.entity_links
        documents = (
            select(func.count(func.distinct(linked.c.document_id)))
            .where(linked.c.entity_id == ents.c.id)
            .scalar_subquery()
        )
        query = select(ents, documents.label("documents")).where(ents.c.id == entity_id)
        aliases = select(ann.entity_aliases.c.alias).where(ann.entity_aliases.c.entity_id == entity_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            names = tuple(sorted(a for (a,) in conn.execute(aliases.limit(50))))
        return EntitySummary(
            id=row.id, name=row.name, type=row.type, actor_id=row.actor_id, country=row.country,
            aliases=names, documents=row.documents,
        )  # fmt: skip

    def document_entity_ids(self, document_id: str) -> dict[str, int]:
        """A document's entity keys → the workspace-wide entity each is linked to."""
        linked = ann.entity_links
        query = select(linked.c.entity_key, linked.c.entity_id).where(linked.c.document_id == document_id)
        with self.engine.connect() as conn:
            return {row.entity_key: row.entity_id for row in conn.execute(query)}

    def _place_key(self, place_id: str):
        """The condition selecting one place: its GeoNames id, else (no id) its resolved name."""
        places = ann.places
        if place_id.isascii() and place_id.isdigit():  # "²".isdigit() is true, int("²") fails
            return places.c.geonames_id == int(place_id)
        return and_(places.c.geonames_id.is_(None), places.c.name == place_id)

    def place_summaries(
        self,
        *,
        place_id: str | None = None,
        match: str | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[PlaceSummary]:
        """Resolved places, most mentioned first: one per GeoNames id (else per name), with counts."""
        offset, limit = check_page(offset, limit)
        places = ann.places
        key = func.coalesce(cast(places.c.geonames_id, String), places.c.name)
        conditions = []
        if place_id is not None:
            conditions.append(self._place_key(place_id))
        if match:
            conditions.append(_contains(places.c.name, match))
        grouped = (
            select(
                key.label("key"), func.min(places.c.name).label("name"), func.avg(places.c.lat).label("lat"),
                func.avg(places.c.lon).label("lon"), func.min(places.c.country_code).label("country_code"),
                func.count().label("mentions"),
                func.count(func.distinct(places.c.document_id)).label("documents"),
            )
            .where(*conditions)
            .group_by(key)
        ).subquery()  # fmt: skip
        # The page and the number of places in one pass: grouping 100k mentions twice (once to count
        # the groups, once for the page) was half the page's time.
        query = (
            select(grouped, func.count().over().label("total"))
            .order_by(grouped.c.mentions.desc(), grouped.c.key)
            .offset(offset)
        )
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            if rows:
                total = rows[0].total
            else:  # past the last page: count the groups alone
                total = conn.execute(select(func.count()).select_from(grouped)).scalar_one()
        items = tuple(
            PlaceSummary(
                id=row.key,
                name=row.name,
                lat=round(row.lat, 5),
                lon=round(row.lon, 5),
                country_code=row.country_code,
                mentions=row.mentions,
                documents=row.documents,
            )  # fmt: skip
            for row in rows
        )
        return Page(items=items, total=total, offset=offset, limit=limit)

    def subject_documents_page(
        self,
        *,
        entity_id: int | None = None,
        place_id: str | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[DocumentBrief]:
        """Documents mentioning one workspace entity or one place, newest first, paged."""
        if entity_id is not None:
            ids = select(ann.entity_links.c.document_id).where(ann.entity_links.c.entity_id == entity_id)
        elif place_id is not None:
            ids = select(ann.places.c.document_id).where(self._place_key(place_id))
        else:
            raise InputError("E041", "give an entity or a place")
        offset, limit = check_page(offset, limit)
        joined = _DOC.outerjoin(_SRC, _DOC.c.source_id == _SRC.c.id)
        condition = _DOC.c.id.in_(ids.distinct())
        count = select(func.count()).select_from(_DOC).where(condition)
        query = (
            select(*_brief_columns())
            .select_from(joined)
            .where(condition)
            .order_by(_DOC.c.published.desc().nulls_last(), _DOC.c.ingested_at.desc(), _DOC.c.id)
            .offset(offset)
        )
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            total = conn.execute(count).scalar_one()
            items = tuple(_brief(row) for row in conn.execute(query))
        return Page(items=items, total=total, offset=offset, limit=limit)


    def question_records(self, slug: str | None = None) -> list[StoredQuestion]:
        """Questions as stored (with their YAML spec), by slug; one question with ``slug``."""
        from sitroom.store.analysis import questions

        query = select(questions).order_by(questions.c.slug)
        if slug is not None:
            query = query.where(questions.c.slug == slug)
        with self.engine.connect() as conn:
            return [
                StoredQuestion(slug=r.slug, text=r.text, spec=r.spec, created_at=r.created_at,
                               updated_at=r.updated_at)
                for r in conn.execute(query)
            ]  # fmt: skip

    def evidence_documents(self, slug: str) -> list[str]:
        """The ids of the documents holding evidence for a question, in id order."""
        from sitroom.store.analysis import question_evidence as qe

        query = select(qe.c.document_id).where(qe.c.question == slug).distinct().order_by(qe.c.document_id)
        with self.engine.connect() as conn:
            return [row.document_id for row in conn.execute(query)]

    def processing_of(self, document_ids: Sequence[str]) -> dict[str, list[ProcessingRecord]]:
        """Each document's processing records (component, outcome), by component name."""
        table = ann.processing
        out: dict[str, list[ProcessingRecord]] = {doc_id: [] for doc_id in document_ids}
        if not document_ids:
            return out
        query = (
            select(table)
            .where(table.c.document_id.in_(list(document_ids)))
            .order_by(table.c.document_id, table.c.component)
        )
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                out[r.document_id].append(
                    ProcessingRecord(document_id=r.document_id, component=r.component, status=r.status,
                                     reason=r.reason)
                )  # fmt: skip
        return out


def stored_link(row) -> StoredLink:
    return StoredLink(
        id=row.id, kind=row.kind, a=row.a, b=row.b, a_document=row.a_document, b_document=row.b_document,
        score=row.score, reason=row.reason, independent=bool(row.independent), status=row.status,
        component=row.component, created_at=row.created_at,
    )  # fmt: skip


def _run(row) -> Run:
    try:
        arguments = json.loads(row.arguments) if row.arguments else {}
    except ValueError:
        arguments = {}
    return Run(
        id=row.id, kind=row.kind, started_at=row.started_at, finished_at=row.finished_at,
        arguments=arguments if isinstance(arguments, dict) else {}, ingested=row.ingested,
        duplicates=row.duplicates, already_present=row.already_present, skipped=row.skipped,
        failed=row.failed,
    )  # fmt: skip


def _name_of(key: str, names: dict, document_id: str, text: str) -> str:
    """An entity key's name: the document's entity, an analyst's name, or the span it points at."""
    if key.startswith("span:"):
        start, _, end = key[5:].partition("-")
        return text[int(start) : int(end)] if start.isdigit() and end.isdigit() else key
    return names.get((document_id, key)) or _analyst_name(key) or key


def _analyst_name(key: str | None) -> str | None:
    """The name in an entity key an analyst set to someone who is no entity of the document."""
    return key[len("analyst:") :] if key and key.startswith("analyst:") else None


def _cut(text: str, start: int | None, end: int | None) -> str | None:
    return text[start:end] if start is not None and end is not None else None
