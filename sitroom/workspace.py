"""The Workspace: one database plus a folder of raw bytes, and the Python API over it.

``Workspace.open(path_or_url)`` opens (``Workspace.init`` creates) a workspace; ``ingest`` reads,
cleans, de-duplicates and stores documents one transaction each; query methods return dataclasses.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sitroom.analyse.corrections import (
    check_field,
    check_value,
    corrected_published,
    find_item,
    machine_value,
    override_ratings,
    parse_target,
    revise,
    revise_analysis,
    revise_document,
)
from sitroom.analyse.timeline import content_dates, main_period
from sitroom.analyse.update import UPDATE_BATCH, UpdateSummary
from sitroom.checks import check_choice, check_dates
from sitroom.config import DEFAULT_DB_NAME, RAW_DIR_NAME, IngestOptions
from sitroom.errors import InputError, NotFoundError, SitroomError, StorageError, WorkspaceError
from sitroom.extract.modality import MODALITIES, POLARITIES
from sitroom.model import Document, IngestSummary, Problem, RawDocument, SearchHit
from sitroom.nlp.places_home import (
    FIRST_WAVE,
    NO_HOME,
    HomeShown,
    OutletHome,
    RunHomes,
    home_from_counts,
    outlet_home,
    parse_home,
    web_home,
)
from sitroom.pipeline import DEFAULT_PIPELINE, Analysis, component_versions
from sitroom.store import Store
from sitroom.store.progress import update_lock_path
from sitroom.store.queries import check_page
from sitroom.store.raw import RawPackWriter, read_raw
from sitroom.store.writer import DocumentWriter
from sitroom.timing import ProcessTimes, Stopwatch
from sitroom.views import (
    Assessment,
    ClaimRecord,
    DocumentBrief,
    EntitySummary,
    EventRecord,
    Facet,
    Overview,
    Page,
    PlaceSummary,
    ProcessingRecord,
    Revision,
    Run,
    SourceProfile,
    StoredLink,
    StoredQuestion,
    Story,
    TimelineEntry,
)

if TYPE_CHECKING:
    from sitroom.analyse.questions import Question

ProgressCallback = Callable[[str, RawDocument | Problem], None]
ENV_WORKSPACE = "SITROOM_WORKSPACE"
ENV_RAW_DIR = "SITROOM_RAW_DIR"
# How source profiles name the documents without an outlet (store/queries.py): not an outlet row.
UNKNOWN_OUTLET = "(unknown outlet)"


@dataclass(frozen=True, kw_only=True)
class Location:
    """Where a workspace lives: a database URL and the folder for raw bytes."""

    url: str
    raw_dir: Path
    sqlite_path: Path | None = None

    @classmethod
    def resolve(
        cls, location: str | os.PathLike | None, *, raw_dir: str | os.PathLike | None = None
    ) -> Location:
        """A folder (holding sitroom.db and raw/), a ``.db`` file, or a database URL."""
        location = location or os.environ.get(ENV_WORKSPACE) or "."
        raw_dir = raw_dir or os.environ.get(ENV_RAW_DIR)
        text = str(location)
        if "://" in text:
            # A server database has no folder of its own: raw bytes go where the user says, else
            # beside the current directory so a shared cluster path can be given explicitly.
            return cls(url=text, raw_dir=Path(raw_dir or "sitroom-raw").resolve())
        path = Path(text).expanduser().resolve()
        if path.suffix in {".db", ".sqlite", ".sqlite3"}:
            db_path, folder = path, path.parent
        else:
            db_path, folder = path / DEFAULT_DB_NAME, path
        return cls(
            url=f"sqlite:///{db_path}",
            raw_dir=Path(raw_dir).resolve() if raw_dir else folder / RAW_DIR_NAME,
            sqlite_path=db_path,
        )

    @property
    def display(self) -> str:
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        # Never show a password from a database URL.
        head, sep, tail = self.url.partition("@")
        return f"{head.split('://')[0]}://…@{tail}" if sep else self.url


@dataclass(frozen=True, kw_only=True)
class ProcessSummary:
    """What one processing run did: documents analysed, and every component skipped or failed."""

    run_id: str
    processed: int = 0
    components: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str, str], ...] = ()
    failed: tuple[tuple[str, str, str], ...] = ()
    story_changes: int = 0
    new_links: int = 0
    assessments: tuple[str, ...] = ()
    conflicts: int = 0  # analyst revisions the new output disagrees with (kept; listed for review)
    # Documents an interrupted earlier run had processed but not taken into stories, links and
    # question evidence: this run took them in (the end state is an uninterrupted run's).
    caught_up: int = 0
    times: ProcessTimes = ProcessTimes()  # where the time went (pipeline, writes, update)
    # Outlets that had no home region when the run read some of their documents (a first wave, read to
    # learn it: sitroom.nlp.places_home.RunHomes) and have one now: processing those again
    # (``outlets=…, force=True``) lets the home weigh in them too.
    homes_found: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RestoredDocument:
    """A document as an export holds it, for :meth:`Workspace.restore`: metadata and text, its
    annotations by layer, and which component versions ran on it."""

    document: Document
    layers: dict[str, list]
    processing: tuple[ProcessingRecord, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RestoredQuestion:
    """A question as an export holds it: as stored, its evidence in order, its dated assessments."""

    question: StoredQuestion
    evidence: tuple = ()
    history: tuple[Assessment, ...] = ()


@dataclass(frozen=True, kw_only=True)
class WorkspaceStatus:
    location: str
    documents: int
    originals: int
    duplicates: int
    sources: int
    by_source: list[tuple[str | None, int]]
    by_language: list[tuple[str | None, int]]
    by_format: list[tuple[str | None, int]]
    recent_runs: tuple[Run, ...]
    processing: list[tuple[str, str, int]]


class Workspace:
    """An open workspace. Use as a context manager or call :meth:`close`."""

    def __init__(self, store: Store, location: Location) -> None:
        self.store = store
        self.read_only = store.read_only
        self.location = location
        self._analyser = None
        self._pipelines: dict[tuple[str, ...], object] = {}
        self._nlp = None

    def _pipeline(self, components: Sequence[str] = DEFAULT_PIPELINE):
        """The pipeline for ``components``, built once per open workspace (spaCy and the gazetteer
        take seconds to load; a long-lived workspace adds each later document in a fraction of that)."""
        key = tuple(components)
        if key not in self._pipelines:
            from sitroom.pipeline import build_pipeline

            self._pipelines[key] = build_pipeline(key, actor_files=self.actor_files)
        return self._pipelines[key]

    def _spacy(self):
        """spaCy for the cross-document analyser (it parses each new document's lead): a loaded
        pipeline's, else loaded once on its own."""
        for pipeline in self._pipelines.values():
            if getattr(pipeline, "nlp", None) is not None:
                return pipeline.nlp
        if self._nlp is None:
            from sitroom.pipeline import load_spacy

            self._nlp = load_spacy()
        return self._nlp

    @property
    def analyser(self):
        """The cross-document analyser (stories, links, questions), loaded on first use."""
        if self._analyser is None:
            from sitroom.analyse.update import CrossDocumentAnalyser

            self._analyser = CrossDocumentAnalyser(self.store, nlp=self._spacy)
        return self._analyser

    # --- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        location: str | os.PathLike | None = None,
        *,
        create: bool = False,
        raw_dir: str | os.PathLike | None = None,
        read_only: bool | None = None,
    ) -> Workspace:
        """Open an existing workspace (or create it with ``create=True``). ``read_only``: queries
        only, every write refused (E005); by default a SQLite workspace whose file or folder cannot
        be written (read-only media, a colleague's share) opens read-only by itself."""
        where = Location.resolve(location, raw_dir=raw_dir)
        if read_only is None:
            read_only = where.sqlite_path is not None and _unwritable(where.sqlite_path)
        if read_only:
            if where.sqlite_path is not None and not where.sqlite_path.exists():
                raise WorkspaceError("E001", f"no workspace at {where.sqlite_path} (opening it read-only)")
            return cls(Store.open(where.url, read_only=True), where)
        if where.sqlite_path is not None and not where.sqlite_path.exists():
            if not create:
                raise WorkspaceError(
                    "E001",
                    f"no workspace at {where.sqlite_path}; create one with `sitroom init {where.sqlite_path.parent}`",
                )
            where.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        from sitroom.analyse.entity_resolution import resolve_entity

        store = Store.open(where.url, resolve_entity=resolve_entity)
        where.raw_dir.mkdir(parents=True, exist_ok=True)
        return cls(store, where)

    @classmethod
    def init(cls, location: str | os.PathLike | None = None, **kwargs) -> Workspace:
        """Create a workspace (or open it if it exists: init is safe to repeat)."""
        return cls.open(location, create=True, **kwargs)

    def close(self) -> None:
        if self._analyser is not None:
            self._analyser.flush()
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- ingest --------------------------------------------------------------------------------

    def ingest(
        self,
        targets: Iterable[str],
        *,
        options: IngestOptions | None = None,
        stdin: BinaryIO | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestSummary:
        """Read ``targets`` (files, folders, globs, URLs, ``-``), clean and store each document.

        Each document is written whole or not at all (documents are committed in small groups, see
        store/writer.py), so an interrupted run keeps what it committed and a rerun adds exactly the
        rest. Problems are recorded with the run and returned; none stops it.
        """
        options = options or IngestOptions()
        targets = list(targets)
        run_id = _new_run_id()
        self.store.start_run(run_id, kind="ingest", arguments={"targets": targets})
        counts = {"ingested": 0, "duplicates": 0, "already_present": 0}
        problems: list[Problem] = []

        from sitroom.ingest import iter_inputs  # the readers' imports are paid only by ingest

        pack = RawPackWriter(self.location.raw_dir, run_id)
        writer = self.store.writer()
        writer.before_commit = pack.sync
        try:
            with writer:
                for item in iter_inputs(targets, options=options, stdin=stdin, exclude=self._own_files()):
                    outcome = (
                        item
                        if isinstance(item, Problem)
                        else self._ingest_one(item, writer, options=options, run_id=run_id, pack=pack)
                    )
                    if isinstance(outcome, Problem):
                        problems.append(outcome)
                        writer.add_problem(run_id, outcome)
                        if progress:
                            progress("problem", outcome)
                        continue
                    counts[outcome] += 1
                    if progress:
                        progress(outcome, item)
        except StorageError as exc:
            raise self._storage_failed(exc, run_id, writer) from exc
        finally:
            pack.close()
        counts_row = dict(counts)
        counts_row["skipped"] = sum(1 for p in problems if p.kind == "skipped")
        counts_row["failed"] = sum(1 for p in problems if p.kind == "failed")
        self.store.finish_run(run_id, counts=counts_row)
        return IngestSummary(run_id=run_id, problems=tuple(problems), **counts)

    def _storage_failed(self, exc: StorageError, run_id: str, writer: DocumentWriter) -> StorageError:
        """The error that stops an ingest whose storage failed, saying what is kept; the run row is
        closed when the storage still takes it."""
        try:
            self.store.finish_run(run_id, counts={"ingested": writer.committed})
            self.store.add_problem(
                run_id, Problem(origin="(storage)", code="E004", kind="failed", reason=exc.message)
            )
        except StorageError:  # still full or gone: the message below is all there is to say
            pass
        return StorageError(
            "E004",
            f"{exc.message}. Ingest stopped: {writer.committed} documents of this run are stored and "
            f"{writer.pending} not yet committed were rolled back. Free space (or fix the device, or "
            "restart the database server) and rerun: documents already stored are skipped.",
        )

    def _own_files(self) -> list[Path]:
        own = [self.location.raw_dir]
        if self.location.sqlite_path is not None:
            db = self.location.sqlite_path
            own += [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), update_lock_path(db)]
        return own

    def _ingest_one(
        self,
        raw: RawDocument,
        writer: DocumentWriter,
        *,
        options: IngestOptions,
        run_id: str,
        pack: RawPackWriter,
    ) -> str | Problem:
        from sitroom.clean import clean_document  # ingest's alone: other commands never import it

        if writer.has_document(raw.id):
            return "already_present"
        try:
            doc = clean_document(raw, options=options)
        except SitroomError as exc:
            return Problem(origin=raw.origin, locator=raw.locator, code=exc.code, reason=exc.message)
        except Exception as exc:  # a cleaner bug must cost one document, not the batch
            return Problem(
                origin=raw.origin,
                locator=raw.locator,
                code="E031",
                kind="failed",
                reason=f"cleaning failed: {type(exc).__name__}: {exc}",
            )
        try:
            bands = self._mark_duplicate(doc, writer, options=options)
            doc.ingested_at = datetime.now(UTC).isoformat(timespec="microseconds")
            try:
                ref = pack.append(raw.raw)
            except OSError as exc:  # a full or failing disk, not this document's fault
                raise StorageError("E004", f"storage failed: cannot write raw bytes ({exc})") from exc
            stored = writer.add_document(doc, raw=ref, bands=bands, run_id=run_id)
        except StorageError:
            raise
        except Exception as exc:
            return Problem(
                origin=raw.origin,
                locator=raw.locator,
                code="E031",
                kind="failed",
                reason=f"could not store document {doc.id}: {type(exc).__name__}: {exc}",
            )
        if not stored:
            return "already_present"
        return "duplicates" if doc.duplicate_of else "ingested"

    def _mark_duplicate(self, doc: Document, writer: DocumentWriter, *, options: IngestOptions) -> list[str]:
        """Set ``duplicate_of`` from an exact or near match; return the document's LSH bands."""
        from sitroom.clean.dedup import jaccard, minhash_bands, shingles

        shingle_set = shingles(doc.text)
        bands = minhash_bands(shingle_set, num_perm=options.minhash_permutations)
        original = writer.find_text_hash(doc.text_hash) if doc.text_hash else None
        if original is not None:
            doc.duplicate_of = original
            doc.duplicate_reason = "exact: same normalised text"
            return bands
        best: tuple[float, str] | None = None
        for other_id, other_text, other_dup in writer.find_band_candidates(bands):
            score = jaccard(shingle_set, shingles(other_text))
            if score >= options.near_duplicate_threshold and (best is None or score > best[0]):
                best = (score, other_dup or other_id)
        if best is not None:
            doc.duplicate_of = best[1]
            doc.duplicate_reason = f"near: {best[0]:.2f} Jaccard similarity of word 5-shingles"
        return bands

    def raw_bytes(self, document_id: str) -> bytes:
        """The bytes a document was read from, exactly as ingested."""
        doc = self.document(document_id)
        ref = self.store.raw_ref(doc.id)
        if ref is None:
            raise NotFoundError("E040", f"the raw bytes of {doc.id} were not kept")
        return read_raw(self.location.raw_dir, ref)

    # --- processing ----------------------------------------------------------------------------

    @property
    def actor_files(self) -> list[str]:
        """The workspace's own actor dictionary files (``actors/*.yaml`` beside the database)."""
        folder = self.location.raw_dir.parent / "actors"
        return sorted(str(p) for p in folder.glob("*.y*ml")) if folder.is_dir() else []

    def process(
        self,
        *,
        components: Sequence[str] = DEFAULT_PIPELINE,
        workers: int = 1,
        force: bool = False,
        analyse: bool = True,
        progress: Callable[[Analysis], None] | None = None,
        engine: str = "local",
        address: str | None = None,
        share_backlog: bool = False,
        outlets: Sequence[str] = (),
    ) -> ProcessSummary:
        """Run the pipeline over documents not yet processed by these component versions (all documents
        with ``force``); each document's annotations are replaced in one transaction. Then, unless
        ``analyse`` is false, the processed documents join stories, links and question evidence.
        ``engine`` is ``"local"`` (this process, or ``workers`` processes) or ``"ray"`` (``workers``
        Ray actors; ``address`` joins an existing cluster, else a local Ray instance is started).
        ``share_backlog`` (PostgreSQL): runs started at once on several machines split the backlog,
        each document analysed by one of them (:mod:`sitroom.store.leases`); without it each run
        analyses every pending document and the first to save one wins (the same result as one run,
        the work done twice). Stories and entity numbering then follow the interleaving of the runs.
        ``outlets`` (source names) limits the run to their documents. Places weigh each outlet's home
        region (sitroom.nlp.places_home): an outlet with none yet and more than FIRST_WAVE documents to
        read has its first FIRST_WAVE read first, so that its others are read with the home they teach;
        the cross-document update never runs inside that first wave (it would break ingest order)."""
        from sitroom.engines import analyse_in_waves, check_engine

        check_engine(engine)  # before the run is recorded: a missing engine is not a failed run
        unknown = sorted(set(outlets) - set(self.store.source_grades()))
        if unknown:
            raise NotFoundError("E052", f"no source named {unknown[0]!r}; `sitroom sources` lists them")
        versions = component_versions(components)
        run_id = _new_run_id()
        arguments = {"components": list(components), "force": force} | ({"outlets": list(outlets)} if outlets else {})
        self.store.start_run(run_id, kind="process", arguments=arguments)
        if force:
            docs = self.store.documents_of(outlets) if outlets else self.store.iter_documents()
        else:
            docs = self.store.documents_needing(versions, outlets=outlets)
        # On PostgreSQL, concurrent runs may lease documents so each is analysed by one run only.
        leases = self.store.leases() if share_backlog and not force else None
        # An analyst's publication date is the one relative dates anchor on.
        dated = {r.document_id: r for r in self.store.revisions_in_force(kind="doc")}
        # Each outlet's home region, from what earlier runs found in its documents (a weak anchor for
        # the places component: sitroom.nlp.places_home), the same for every engine and worker; an
        # outlet with no home yet has its first few documents read first, to learn one for the rest.
        homes = RunHomes(
            lambda source, this_run: self.store.outlet_regions(source, before_run="" if this_run else run_id),
            self.analyst_homes(),
            self.store.first_documents_by_outlet(
                None if force else versions, per_outlet=FIRST_WAVE, outlets=outlets
            )
            if "places" in components  # only places read a home: no wave for a run without them
            else {},
        )

        def needed(doc_id: str) -> bool:
            return self.store.needs_processing(doc_id, versions)

        def prepared(stream: Iterable[Document]) -> Iterator[Document]:
            if leases is not None:
                stream = leases.claim(stream, needed=needed)
            for doc in stream:
                yield homes.attach(revise_document(doc, [dated[doc.id]]) if doc.id in dated else doc)

        def waves() -> Iterator[Iterator[Document]]:
            first = homes.first_wave
            if first:
                yield prepared(self.store.documents_in_order(first))
                # Asked for only once every analysis of the first wave is saved (analyse_in_waves).
                homes.settle()
            yield prepared(doc for doc in docs if doc.id not in first)

        conflicts = 0
        processed = 0
        fresh: list[str] = []  # processed since the last update batch
        skipped: list[tuple[str, str, str]] = []
        failed: list[tuple[str, str, str]] = []
        clock = Stopwatch()
        update = UpdateSummary()

        def take_in(upto: tuple[str, str] | None) -> None:
            # The documents processed so far join stories, links and evidence now, in ingest order
            # (the same order, hence the same result, as updating at the end): nothing holds the
            # run's documents, and with workers the update overlaps their parsing.
            with clock.timing("update"):
                update.add(
                    self.analyser.catch_up(
                        run_id=run_id,
                        fresh=fresh,
                        upto=upto,
                        assess=upto is None,
                        keep_items=update.documents > 0,
                    )
                )
            fresh.clear()

        pipeline = self._pipeline(components) if workers <= 1 and engine == "local" else None
        engine_args = {
            "engine": engine, "address": address, "components": components, "workers": workers,
            "actor_files": self.actor_files, "pipeline": pipeline,
        }  # fmt: skip
        analyses = iter(analyse_in_waves(waves(), **engine_args))
        try:
            while (analysis := clock.next(analyses, "pipeline")) is not None:
                doc_id = analysis.document.id
                with clock.timing("writes"):
                    # The analyst's corrections win over every new component version: applied before
                    # saving, so links and question evidence see the corrected items; disagreements
                    # become conflicts.
                    revisions = self.store.revisions_in_force(document_id=doc_id)
                    outcomes = revise_analysis(analysis, revisions) if revisions else []
                    period = main_period(content_dates(analysis.document, analysis.layers()))
                    saved = self.store.save_analysis(
                        analysis, run_id=run_id, only_missing=not force, period=period, dated=True
                    )
                    if leases is not None:
                        leases.release(doc_id)
                    if saved:  # else a concurrent `process` stored this document first
                        conflicts += self.store.set_revision_states(outcomes)
                if saved:
                    skipped += [(doc_id, name, reason) for name, reason in analysis.skipped]
                    failed += [(doc_id, name, reason) for name, reason in analysis.failed]
                    fresh.append(doc_id)
                    processed += 1
                    if progress:
                        progress(analysis)
                ingested_at = analysis.document.ingested_at
                # Never within the first wave: it skips ahead in ingest order, and the update must not.
                ready = ingested_at is not None and doc_id not in homes.first_wave
                if analyse and len(fresh) >= UPDATE_BATCH and ready:
                    take_in((ingested_at, doc_id))
        finally:
            if leases is not None:
                leases.close()
        # The rest, with every document an interrupted run left out of the cross-document picture.
        if analyse:
            take_in(None)
            failed += update.failed
        else:
            update = None
        self.store.finish_run(
            run_id, counts={"ingested": processed, "skipped": len(skipped), "failed": len(failed)}
        )
        return ProcessSummary(
            run_id=run_id,
            processed=processed,
            components=tuple(versions),
            skipped=tuple(skipped),
            failed=tuple(failed),
            story_changes=len(update.story_changes) if update else 0,
            new_links=update.links if update else 0,
            assessments=tuple(update.assessments) if update else (),
            conflicts=conflicts,
            caught_up=update.caught_up if update else 0,
            times=clock.times(),
            homes_found=self._homes_found(homes.homeless),
        )

    def annotations(self, id_or_prefix: str) -> dict[str, list]:
        """A document's annotations by layer: mentions, entities, places, times, quantities."""
        return self.store.annotations_of(self.document(id_or_prefix).id)

    def claims(
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
        """Attributed statements across the workspace, in document order. ``speaker`` matches the
        speaker's name, alias or the source as written (case-insensitive); ``entity`` keeps the claims
        of one workspace-wide entity (its id, see :meth:`entity`); ``modality`` and
        ``polarity`` are exact; ``since``/``until`` bound the document's publication date."""
        check_choice("modality", modality, MODALITIES)
        check_choice("polarity", polarity, POLARITIES)
        check_dates(since, until)
        doc_id = self.document(document).id if document else None
        page = self.store.claims_page(
            speaker=speaker, modality=modality, polarity=polarity, document=doc_id, since=since,
            until=until, entity=entity, offset=offset, limit=limit,
        )  # fmt: skip
        return self._mark_corrected(page)

    def events(
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
        entity: int | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[EventRecord]:
        """Events across the workspace, in document order. ``actor`` matches an actor's or target's
        name, ``place`` the place name (both case-insensitive); ``since``/``until`` bound the event's
        own date, else its document's; ``located`` keeps events with (or without) coordinates;
        ``entity`` the events one workspace-wide entity (its id, see :meth:`entity`) is an actor or a
        target of."""
        check_choice("modality", modality, MODALITIES)
        check_choice("polarity", polarity, POLARITIES)
        check_dates(since, until)
        doc_id = self.document(document).id if document else None
        page = self.store.events_page(
            type=type, modality=modality, polarity=polarity, actor=actor, place=place, document=doc_id,
            since=since, until=until, located=located, entity=entity, offset=offset, limit=limit,
        )  # fmt: skip
        return self._mark_corrected(page)

    def _mark_corrected(self, page: Page) -> Page:
        """The page's records with the fields an analyst's revision sets named in ``corrected``."""
        targets = {record.ref.rsplit(":", 1)[0] if record.ref.startswith("event:") else record.ref for record in page}
        fields: dict[str, list[str]] = {}
        for revision in self.store.revisions_in_force(targets=sorted(targets)) if targets else ():
            fields.setdefault(revision.target, []).append(revision.field)
        if not fields:
            return page
        items = []
        for record in page:
            key = record.ref.rsplit(":", 1)[0] if record.ref.startswith("event:") else record.ref
            items.append(replace(record, corrected=tuple(fields[key])) if key in fields else record)
        return replace(page, items=tuple(items))

    # --- corrections -----------------------------------------------------------------------------

    def correct(self, target: str, field: str, value: str, *, analyst: str, why: str = "") -> Revision:
        """Correct one field of one item (see :mod:`sitroom.analyse.corrections` for the targets and
        fields). The correction and its effect are stored together as a revision; re-processing keeps
        the analyst's value and records a conflict when the machine's own value changes."""
        from sitroom.store import revisions as rev

        parsed = parse_target(target)
        check_field(parsed, field)
        value = check_value(parsed, field, value)
        if not analyst.strip():
            raise InputError("E053", "a correction needs the analyst's name")
        in_force = [r for r in self.store.revisions_in_force(targets=[parsed.ref]) if r.field == field]
        common = {"target": parsed.ref, "field": field, "after": value, "analyst": analyst.strip(),
                  "why": why.strip(), "at": _now()}  # fmt: skip
        if parsed.kind in ("claim", "event", "place"):
            doc = self.document(parsed.document_id)
            layers = self.store.annotations_of(doc.id)
            item = find_item(parsed, layers)
            if item is None:
                raise NotFoundError("E053", f"no {parsed.kind} at {parsed.ref}; list them with `sitroom {parsed.kind}s`")
            before = machine_value(item, field)
            machine_then = in_force[-1].machine_then if in_force else before
            revised = revise(item, field, value, entities=layers["entities"])
            layer = {"claim": "claims", "event": "events", "place": "places"}[parsed.kind]
            changes = [(layer, item, revised)]
            if parsed.kind == "place":
                changes += [
                    ("events", e, replace(e, place_name=revised.name, lat=revised.lat, lon=revised.lon))
                    for e in layers["events"]
                    if (e.place_start, e.place_end) == (item.start, item.end)
                ]

            def apply(conn) -> None:
                for name, old, new in changes:
                    rev.update_annotation(conn, name, doc.id, old, new)

            return self.store.add_revision(
                **common, before=before, machine_then=machine_then, document_id=doc.id, apply=apply
            )
        if parsed.kind == "doc":
            doc = self.document(parsed.document_id)
            published = corrected_published(value, why)
            machine_then = in_force[-1].machine_then if in_force else doc.published.value
            return self.store.add_revision(
                **common, before=doc.published.value, machine_then=machine_then, document_id=doc.id,
                apply=lambda conn: rev.update_published(conn, doc.id, published),
            )  # fmt: skip
        if parsed.kind == "link":
            found = self.store.links_page(ids=[int(parsed.name)]).items
            if not found:
                raise NotFoundError("E053", f"no link with id {parsed.name}; `sitroom contradictions` lists them")
            return self.store.add_revision(
                **common, before=found[0].status, machine_then="open",
                document_id=None, apply=lambda conn: rev.update_link_status(conn, found[0].id, value),
            )  # fmt: skip
        if parsed.kind == "source":
            grades = self.store.source_grades()
            if parsed.name not in grades:
                raise NotFoundError("E053", f"no source named {parsed.name!r}; `sitroom sources` lists them")
            if field == "home":  # read by the next `process` run (OutletHomes); nothing stored changes now
                learned = self.learned_home(parsed.name)
                machine = learned.region if learned is not None else NO_HOME
                before = in_force[-1].after if in_force else machine
                return self.store.add_revision(**common, before=before, machine_then=machine)
            return self.store.add_revision(
                **common, before=grades[parsed.name], machine_then="F",
                apply=lambda conn: rev.update_source_grade(conn, parsed.name, value),
            )  # fmt: skip
        # An ACH rating: the board applies it when built.
        board = self.board(parsed.name)
        row = next((r for r in board.matrix if r.evidence.ref == parsed.evidence), None)
        if row is None or parsed.hypothesis not in row.ratings:
            raise NotFoundError(
                "E053", f"no evidence {parsed.evidence!r} rated for {parsed.hypothesis!r} on the board of {parsed.name!r}"
            )
        return self.store.add_revision(**common, before=row.ratings[parsed.hypothesis], machine_then=None)

    def revisions(
        self,
        *,
        target: str | None = None,
        analyst: str | None = None,
        state: str | None = None,
        document: str | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[Revision]:
        """Analyst revisions, newest first: of one target (its history), analyst, state or document."""
        from sitroom.store.revisions import REVISION_STATES

        check_choice("state", state, REVISION_STATES)
        doc_id = self.document(document).id if document else None
        if target:
            target = parse_target(target).ref
        return self.store.revisions_page(
            target=target, analyst=analyst, state=state, document_id=doc_id, offset=offset, limit=limit
        )

    # --- across documents ----------------------------------------------------------------------

    def analyse(self, *, everything: bool = False):
        """Bring the cross-document picture (stories, links, question evidence and assessments) up to
        date with every processed document: those a run interrupted (or ``process(analyse=False)``)
        left out are taken in, in ingest order, reaching the state of an uninterrupted run. Safe to
        repeat: with nothing left out, it does nothing. ``everything``: links and evidence of every
        processed document are recomputed (documents already in stories stay where they are)."""
        self._record_missing_periods()
        run_id = _new_run_id()
        self.store.start_run(run_id, kind="analyse", arguments={"all": everything})
        if everything:
            self.store.forget_analysed()
        summary = self.analyser.catch_up(run_id=run_id, check_stories=True)
        self.store.finish_run(run_id, counts={"ingested": summary.documents, "failed": len(summary.failed)})
        return summary

    def _record_missing_periods(self) -> int:
        """Record the reported period of documents processed before periods were recorded."""
        missing = self.store.documents_without_period()
        for start in range(0, len(missing), 200):
            chunk = self.store.get_documents(missing[start : start + 200])
            layers = self.store.annotations_of_many(list(chunk), layers=["times", "events"])
            self.store.save_periods(
                {doc_id: main_period(content_dates(doc, layers[doc_id])) for doc_id, doc in chunk.items()}
            )
        return len(missing)

    def add_question(self, path: str | os.PathLike) -> tuple[Question, bool]:
        """Load a question file into the workspace (replacing one with the same slug) and gather its
        evidence from every document so far. Returns the question and whether it is new."""
        from sitroom.analyse.questions import load_question, match_document

        question = load_question(path)
        spec = Path(path).read_text(encoding="utf-8")
        created = self.store.save_question(question.slug, question.text, spec, now=_now())
        for doc in self.documents():
            self.store.replace_evidence(
                question.slug, doc.id, match_document(question, doc, self.store.annotations_of(doc.id))
            )
        self.analyser.record_assessment(question)
        return question, created

    def questions(self) -> list[Question]:
        from sitroom.analyse.questions import parse_question

        return [parse_question(row["spec"], source=row["slug"]) for row in self.store.list_questions()]

    def question(self, slug: str) -> Question:
        from sitroom.analyse.questions import parse_question

        spec = self.store.question_spec(slug)
        if spec is None:
            raise NotFoundError("E051", f"no question {slug!r} in this workspace; `sitroom question list`")
        return parse_question(spec, source=slug)

    def board(self, slug: str):
        """The indicator board and ACH matrix of a question (analyse.questions.Board), with the
        analyst's rating overrides applied."""
        board = self.analyser.board(self.question(slug))
        overrides = {}
        for revision in self.store.revisions_in_force(kind=f"ach:{slug}:"[:-1]):
            target = parse_target(revision.target)
            if target.name == slug:
                overrides[(target.evidence, target.hypothesis)] = revision.after
        return override_ratings(board, overrides)

    def assessment_history(self, slug: str) -> list[Assessment]:
        """The question's dated assessments, oldest first (one is recorded whenever the result changes)."""
        self.question(slug)
        return self.store.assessment_records(slug)

    def question_records(self, slug: str | None = None) -> list[StoredQuestion]:
        """Questions as stored, with the YAML spec each was added from (exports, import)."""
        if slug is not None:
            self.question(slug)
        return self.store.question_records(slug)

    def evidence(self, slug: str) -> list:
        """A question's stored evidence (analyse.questions.Evidence), in the order it was recorded."""
        from sitroom.analyse.questions import Evidence

        self.question(slug)
        return [Evidence(**row) for row in self.store.evidence_of(slug)]

    def evidence_documents(self, slug: str) -> list[str]:
        """The ids of the documents holding evidence for a question."""
        self.question(slug)
        return self.store.evidence_documents(slug)

    def processing(self, document_ids: Sequence[str]) -> dict[str, list[ProcessingRecord]]:
        """Which component versions ran on each document, with their outcomes (done/skipped/failed)."""
        return self.store.processing_of(document_ids)

    def stories(
        self,
        *,
        min_size: int = 1,
        match: str | None = None,
        document: str | None = None,
        topic: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[Story]:
        """Stories, largest first: those of at least ``min_size`` documents, whose title or member
        documents' titles contain ``match`` (case-insensitive), the one holding ``document`` (id or
        prefix), or those of one ``topic`` (stories of the same kind of event)."""
        if min_size < 1:
            raise InputError("E041", f"--min-size must be 1 or more, not {min_size}")
        doc_id = self.document(document).id if document else None
        return self.store.stories_page(
            min_size=min_size, match=match, document=doc_id, topic=topic, offset=offset, limit=limit
        )

    def story(self, story_id: str) -> Story:
        """One story by id, with its documents and history."""
        page = self.store.stories_page(ids=[story_id])
        if not page.items:
            raise NotFoundError("E040", f"no story {story_id!r}; `sitroom stories` lists them")
        return page.items[0]

    def timeline(
        self,
        *,
        kind: str = "documents",
        event_type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        story: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[TimelineEntry]:
        """Documents by the dates of what they report, or dated events; ``since``/``until`` (ISO dates,
        any precision) keep entries whose period overlaps, ``source`` outlets whose name contains it,
        ``story`` the documents of one story. Reported periods are counted by the database; no
        document text is read except the sentences of the events on the page."""
        from sitroom.analyse.timeline import place_documents

        check_choice("kind", kind, ("documents", "events"))
        check_dates(since, until)
        offset, limit = check_page(offset, limit)
        if story:
            self.story(story)
        if kind == "events":
            page = self.store.events_page(
                type=event_type, dated=True, chronological=True, since=since, until=until, source=source,
                story=story, offset=offset, limit=limit,
            )  # fmt: skip
            entries = tuple(
                TimelineEntry(
                    when=r.event.earliest or "", until=r.event.latest, kind="event", document_id=r.document.id,
                    title=r.document.title, source=r.document.source,
                    label=f"{r.event.type} ({r.event.modality})", text=r.sentence, ref=r.ref,
                )  # fmt: skip
                for r in page.items
            )
            return Page(items=entries, total=page.total, offset=offset, limit=limit)
        # Ordered, filtered and paged by the database over the stored periods; only the page's
        # documents are read and placed (placing all 10k in Python took 0.8 s a page).
        briefs, periods = self.store.documents_by_period(
            source=source, story=story, since=since, until=until, offset=offset, limit=limit
        )
        entries = place_documents(briefs.items, periods)
        return Page(items=tuple(entries), total=briefs.total, offset=offset, limit=limit)

    def links(
        self,
        *,
        kind: str | None = None,
        status: str | None = None,
        document: str | None = None,
        ref: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[StoredLink]:
        """Links by score; ``document`` (id or prefix) keeps those touching one document, ``ref`` one
        claim or event."""
        from sitroom.store.analysis import LINK_KINDS, LINK_STATUSES

        check_choice("kind", kind, LINK_KINDS)
        check_choice("status", status, LINK_STATUSES)
        doc_id = self.document(document).id if document else None
        return self.store.links_page(
            kind=kind, status=status, document=doc_id, ref=ref, offset=offset, limit=limit
        )

    def set_link_status(self, link_id: int, status: str, *, analyst: str | None = None, why: str = "") -> Revision:
        """Set a link's status (open, confirmed, dismissed): an analyst's revision of the link."""
        from sitroom.store.analysis import LINK_STATUSES

        if status not in LINK_STATUSES:
            raise InputError("E052", f"link status must be one of {', '.join(LINK_STATUSES)}, not {status!r}")
        if not self.store.links_page(ids=[link_id]).items:
            raise NotFoundError("E052", f"no link with id {link_id}; `sitroom contradictions` lists them")
        return self.correct(f"link:{link_id}", "status", status, analyst=analyst or default_analyst(), why=why)

    def sources(self, *, min_documents: int = 1, match: str | None = None) -> list[SourceProfile]:
        """Outlet profiles (counted by the database): those with at least ``min_documents`` documents,
        named with ``match`` (case-insensitive)."""
        from sitroom.analyse.sources import GRADE_LABELS

        if min_documents < 0:
            raise InputError("E041", f"--min-documents must be 0 or more, not {min_documents}")
        needle = (match or "").lower()
        return [
            p
            for p in self.store.source_profiles(GRADE_LABELS)
            if p.documents >= min_documents and needle in p.name.lower()
        ]

    def analyst_homes(self) -> dict[str, OutletHome | None]:
        """The outlet homes analysts set (``sitroom correct source:NAME home "Kentucky, US"``), by outlet;
        None where the analyst said the outlet is local nowhere."""
        homes: dict[str, OutletHome | None] = {}
        for r in self.store.revisions_in_force(kind="source"):  # oldest first: the latest wins
            if r.field == "home":
                try:
                    homes[r.target.partition(":")[2]] = parse_home(r.after or NO_HOME, revision=r.id)
                except InputError:  # a region the gazetteer no longer knows: the learned home applies
                    homes.pop(r.target.partition(":")[2], None)
        return homes

    def _homes_found(self, homeless: Sequence[str]) -> tuple[str, ...]:
        """Of the outlets a run met without a home, those that have one now (one grouped query)."""
        counted = self.store.outlet_region_counts(homeless)
        return tuple(name for name in homeless if name in counted and home_from_counts(*counted[name]))

    def learned_home(self, source: str) -> OutletHome | None:
        """The home region the outlet's processed documents give (sitroom.nlp.places_home)."""
        return outlet_home(self.store.outlet_regions(source, before_run="").values())

    def outlet_homes(self, sources: Sequence[str]) -> dict[str, HomeShown]:
        """Each outlet's home region as the next ``process`` run uses it (the analyst's, else the one
        its documents teach, else the country of its web address), with what it rests on."""
        analyst = self.analyst_homes()
        learning = [name for name in sources if name not in analyst]
        counted = self.store.outlet_region_counts(learning)
        domains = self.store.source_domains(learning)
        return {
            name: HomeShown.of(analyst[name], set_nowhere=analyst[name] is None)
            if name in analyst
            else HomeShown.of(
                home_from_counts(*counted.get(name, (0, {}))) or web_home(domains.get(name)) or web_home(name)
            )
            for name in sources
        }

    def set_outlet_home(self, name: str, home: str, *, analyst: str | None = None, why: str = "") -> Revision:
        """Say where an outlet is local ("Kentucky, US"), or ``none``: an analyst's revision of the source,
        used by the next ``process`` run (``--force`` re-reads what is already processed)."""
        return self.correct(f"source:{name}", "home", home, analyst=analyst or default_analyst(), why=why)

    def grade_source(self, name: str, grade: str, *, analyst: str | None = None, why: str = "") -> Revision:
        """Set an outlet's Admiralty reliability grade (A–F): an analyst's revision of the source."""
        from sitroom.analyse.sources import GRADES

        grade = grade.upper()
        if grade not in GRADES:
            raise InputError("E052", f"reliability grade must be one of {', '.join(GRADES)}, not {grade!r}")
        if name not in self.store.source_grades():
            raise NotFoundError("E052", f"no source named {name!r}; `sitroom sources` lists them")
        return self.correct(f"source:{name}", "grade", grade, analyst=analyst or default_analyst(), why=why)

    def quote(self, ref: str) -> tuple[Document, str]:
        """The document and text a claim or event reference points at."""
        kind, doc_id, span, *_ = ref.split(":") + [""]
        doc = self.document(doc_id)
        start, _, end = span.partition("-")
        return doc, doc.text[int(start) : int(end)] if start and end else doc.text

    # --- restoring an export --------------------------------------------------------------------

    def restore(self, records: Iterable[object]) -> dict[str, int]:
        """Fill this (empty) workspace from an export's records, in export order: RestoredDocument,
        StoredLink, Story, RestoredQuestion, SourceProfile (its grade) and Revision (with its id and
        state; the annotations already hold the analyst's values, as they did when exported). Documents keep their
        ids, texts, metadata and annotations (raw bytes are not exported: ``raw_bytes`` says so); links
        keep their ids and statuses; stories, evidence and assessments their history. Returns counts."""
        from sitroom.analyse.links import candidate_keys, make_items
        from sitroom.config import IngestOptions

        if not self.store.is_empty():
            raise InputError(
                "E073", f"{self.location.display} already holds documents; import into a new workspace"
            )
        from sitroom.clean.dedup import minhash_bands, shingles

        counts: dict[str, int] = {}
        permutations = IngestOptions().minhash_permutations
        run_id = _new_run_id()
        self.store.start_run(run_id, kind="import", arguments={})
        pending_links: list[StoredLink] = []
        pending_revisions: list[Revision] = []
        for record in records:
            kind = type(record).__name__
            counts[kind] = counts.get(kind, 0) + 1
            if isinstance(record, RestoredDocument):
                doc = record.document
                bands = minhash_bands(shingles(doc.text), num_perm=permutations)
                self.store.add_document(doc, raw=len(doc.text.encode("utf-8")), bands=bands, run_id=run_id)
                analysis = Analysis(document=doc, **{k: list(v) for k, v in record.layers.items()})
                for p in record.processing:
                    if p.status == "done":
                        analysis.components.append(p.component)
                    else:
                        getattr(analysis, p.status).append((p.component, p.reason or ""))
                self.store.save_analysis(analysis, run_id=run_id)
                # Blocking keys, so documents added later find their links with the imported ones.
                root = None
                if doc.duplicate_of and self.store.has_document(doc.duplicate_of):
                    root = self.store.get_document(doc.duplicate_of).source
                items = make_items(doc, record.layers, root_source=root)
                keys = [(k, i.ref) for i in items for k in candidate_keys(i)]
                self.store.save_link_keys(doc.id, keys, at=doc.ingested_at)
            elif isinstance(record, StoredLink):
                pending_links.append(record)
                if len(pending_links) >= 500:
                    self.store.import_links(pending_links)
                    pending_links = []
            elif isinstance(record, Story):
                self.store.import_story(record, now=_now())
            elif isinstance(record, RestoredQuestion):
                self.store.import_question(record.question, record.evidence, record.history)
            elif isinstance(record, SourceProfile):
                if record.documents or record.grade != "F":
                    self._restore_grade(record)
            elif isinstance(record, Revision):
                pending_revisions.append(record)
            else:
                self._restore_other(record)
        self.store.import_links(pending_links)
        self.store.import_revisions(pending_revisions)
        self._record_missing_periods()  # derived from the annotations, as processing records them
        self.store.finish_run(run_id, counts={"ingested": counts.get("RestoredDocument", 0)})
        return counts

    def _restore_grade(self, profile: SourceProfile) -> None:
        from sitroom.analyse.sources import GRADES

        if profile.grade not in GRADES:
            raise InputError(
                "E072", f"source {profile.name!r}: grade {profile.grade!r} is not one of {GRADES}"
            )
        if profile.name == UNKNOWN_OUTLET and not self.store.source_grades().get(UNKNOWN_OUTLET):
            return  # the profile of documents without an outlet: no outlet to grade
        self.store.import_source_grade(profile.name, profile.grade, now=_now())

    def _restore_other(self, record: object) -> None:
        raise InputError("E072", f"cannot import a {type(record).__name__} record")

    # --- queries -------------------------------------------------------------------------------

    def document(self, id_or_prefix: str) -> Document:
        return self.store.get_document(id_or_prefix)

    def documents(self, *, include_duplicates: bool = True) -> Iterable[Document]:
        return self.store.iter_documents(include_duplicates=include_duplicates)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit=limit)

    def problems(self, run_id: str) -> list[Problem]:
        return self.store.problems_of(run_id)

    def documents_page(
        self,
        *,
        source: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        duplicates: bool | None = None,
        offset: int = 0,
        limit: int | None = 50,
    ) -> Page[DocumentBrief]:
        """Documents without their texts, newest first, filtered and paged by the database."""
        check_dates(since, until)
        return self.store.documents_page(
            source=source, language=language, since=since, until=until, story=story,
            duplicates=duplicates, offset=offset, limit=limit,
        )  # fmt: skip

    def facets(self, column: str, *, limit: int = 50) -> list[Facet]:
        """Document counts by ``source``, ``language``, ``format``, ``year`` or ``story``."""
        return self.store.document_facets(column, limit=limit)

    def entity(self, entity_id: int) -> EntitySummary:
        """A workspace-wide entity by its id (``entities.id``), with its aliases and document count."""
        found = self.store.entity_summary(entity_id)
        if found is None:
            raise NotFoundError("E040", f"no entity with id {entity_id}")
        return found

    def document_entity_ids(self, document_id: str) -> dict[str, int]:
        """A document's entity keys → workspace-wide entity ids (for linking to an entity's page)."""
        return self.store.document_entity_ids(self.document(document_id).id)

    def places(
        self, *, match: str | None = None, offset: int = 0, limit: int | None = 50
    ) -> Page[PlaceSummary]:
        """Resolved places, most mentioned first, named with ``match`` (case-insensitive)."""
        return self.store.place_summaries(match=match, offset=offset, limit=limit)

    def place(self, place_id: str) -> PlaceSummary:
        """One place by GeoNames id (else by its resolved name)."""
        page = self.store.place_summaries(place_id=place_id, limit=1)
        if not page.items:
            raise NotFoundError("E040", f"no place {place_id!r}")
        return page.items[0]

    def subject_documents(
        self, *, entity: int | None = None, place: str | None = None, offset: int = 0, limit: int | None = 50
    ) -> Page[DocumentBrief]:
        """Documents mentioning one entity (by id) or one place (by id), newest first."""
        return self.store.subject_documents_page(entity_id=entity, place_id=place, offset=offset, limit=limit)

    def runs(self, *, limit: int = 5, kind: str | None = None) -> list[Run]:
        """The latest runs (ingest, process, analyse), newest first."""
        return self.store.runs(limit=limit, kind=kind)

    def pending(
        self, components: Sequence[str] = DEFAULT_PIPELINE, *, force: bool = False, outlets: Sequence[str] = ()
    ) -> int:
        """How many documents :meth:`process` would analyse now (every document with ``force``; only
        those of ``outlets`` if any are named)."""
        if force:
            return self.store.count_documents_of(outlets) if outlets else self.store.count_documents()["documents"]
        return self.store.count_documents_needing(component_versions(components), outlets=outlets)

    def overview(self) -> Overview:
        """Counts, date coverage and the latest runs: the workspace at a glance."""
        counts = self.store.count_documents()
        earliest, latest = self.store.publication_range()
        return Overview(
            documents=counts["documents"], originals=counts["originals"], duplicates=counts["duplicates"],
            sources=counts["sources"], claims=self.store.count_rows("claims"),
            events=self.store.count_rows("events"), places=self.store.count_rows("places"),
            stories=self.store.count_rows("stories"), links=self.store.count_links(),
            questions=len(self.store.list_questions()), earliest=earliest, latest=latest,
            runs=tuple(self.store.runs(limit=5)),
        )  # fmt: skip

    def status(self) -> WorkspaceStatus:
        counts = self.store.count_documents()
        return WorkspaceStatus(
            location=self.location.display,
            documents=counts["documents"],
            originals=counts["originals"],
            duplicates=counts["duplicates"],
            sources=counts["sources"],
            by_source=self.store.count_by("source"),
            by_language=self.store.count_by("language"),
            by_format=self.store.count_by("format"),
            recent_runs=tuple(self.store.runs()),
            processing=self.store.processing_counts(),
        )


def default_analyst() -> str:
    """Who an unattributed correction is by: ``$SITROOM_ANALYST``, else the user's login name."""
    import getpass

    try:
        return os.environ.get("SITROOM_ANALYST") or getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "analyst"


def _unwritable(db: Path) -> bool:
    """An existing SQLite file that this process cannot write, or whose folder it cannot write (SQLite
    needs the folder for its -wal and -shm files)."""
    return db.exists() and not (os.access(db, os.W_OK) and os.access(db.parent, os.W_OK))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_run_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"
