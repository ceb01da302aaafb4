"""Bring the cross-document picture up to date when documents arrive: stories, links, question boards.

Incremental by construction: each new document is added to the story clusterer (whose state is kept
in the workspace), compared only with the claims and events that share a blocking key with it, and
matched against each question's indicators; the boards are then recomputed from stored evidence,
which is cheap. Nothing here reads the whole corpus.
"""

from __future__ import annotations

import gc
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sitroom.model import Document

if TYPE_CHECKING:
    from sitroom.analyse.links_codec import StoredItems

log = logging.getLogger(__name__)
# Candidate documents compared with a new one, the ones sharing the most blocking keys first: keeps a
# document's cost bounded on workspaces of millions where "Russia" is in every other article.
MAX_CANDIDATE_DOCUMENTS = 60
# ... ranked over only the most recent rows of each blocking key (latest ingested documents first): on
# a workspace of tens of thousands, "evt:violence" alone has tens of thousands of rows, and counting
# them all for every new document made linking slower as the workspace grew. A workspace where no key
# has more rows than this ranks exactly as before; beyond, a document sharing only common keys with a
# new one competes only if it is among each key's recent rows.
CANDIDATE_ROWS_PER_KEY = 500
# The clusterer state grows with the workspace (megabytes at 10k documents): saving it after every
# document would dominate the cost of adding one, so it is saved every so many documents and when the
# workspace closes; story rows are saved every time, and a lost state is rebuilt by replaying them.
STATE_SAVE_EVERY = 200
# ... and when the workspace closes only if the documents it lacks are at least this share of those it
# holds. Saving costs about 40 µs for every document the state holds (0.2 s at 5k, 0.8 s at 20k) and
# replaying one it lacks about 4 ms (the next run adds it again from its stored annotations, exactly as
# it was added): below a hundredth, the replay is the cheaper. A run adding one document to a large
# workspace no longer rewrites its whole state; a workspace under a hundred documents saves every time.
CLOSE_SAVE_SHARE = 0.01
LINK_LAYERS = ("mentions", "entities", "places", "quantities", "claims", "events")
STORY_LAYERS = ("entities", "places", "lead")
# Link items kept between documents (least recently used dropped first): a new document's candidates
# are mostly the same recent documents as its neighbours', so each document's items are built once
# instead of once per document it is a candidate for (a few dozen items, tens of kB, per document).
MAX_CACHED_ITEMS = 3000
# Documents taken into the update at once: bounds what it holds (texts, annotations, items).
UPDATE_BATCH = 100


@dataclass
class UpdateSummary:
    documents: int = 0
    story_changes: list = field(default_factory=list)
    links: int = 0
    evidence: dict[str, int] = field(default_factory=dict)
    assessments: list[str] = field(default_factory=list)
    # Documents an interrupted earlier run had processed but not taken into stories, links and
    # evidence, taken in now (see catch_up).
    caught_up: int = 0
    # (document id, step, reason) for each document a step failed on (E061); the others go on.
    failed: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, other: UpdateSummary) -> None:
        """Count ``other`` (a later batch of the same update) in."""
        self.documents += other.documents
        self.story_changes += other.story_changes
        self.links += other.links
        for slug, count in other.evidence.items():
            self.evidence[slug] = self.evidence.get(slug, 0) + count
        self.assessments += [slug for slug in other.assessments if slug not in self.assessments]
        self.caught_up += other.caught_up
        self.failed += other.failed


def _touched(changes: Sequence, clusterer) -> set[str]:
    """The stories whose rows a batch of changes makes stale: those named, and every story of a topic
    that merged or split (each story row carries its topic)."""
    touched = {c.story_id for c in changes} | {c.other for c in changes if c.other}
    topics = {t for c in changes if c.kind.startswith("topic-") for t in (c.story_id, c.other) if t}
    return touched | clusterer.stories_in_topics(topics)


class _ItemCache:
    """The link items of candidate documents, built once each. An entry is dropped when its document
    is (re)analysed, and the whole cache when a run starts (an analyst's correction may have changed
    any document's annotations since)."""

    def __init__(self, store, *, size: int | None = None) -> None:
        self.store = store
        self.size = MAX_CACHED_ITEMS if size is None else size
        self._items: OrderedDict[str, StoredItems] = OrderedDict()

    def clear(self) -> None:
        self._items.clear()

    def forget(self, document_ids: Iterable[str]) -> None:
        for doc_id in document_ids:
            self._items.pop(doc_id, None)

    def put(self, document_id: str, items: StoredItems) -> None:
        self._items[document_id] = items
        self._items.move_to_end(document_id)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def items_of(self, originals: Sequence[str]) -> dict[str, StoredItems]:
        """Items of each of ``originals`` (documents that copy no other: no root outlet to look up):
        cached, else stored when the document was linked, else (linked before items were stored)
        built from its annotations and stored for next time."""
        from sitroom.analyse.links import make_items
        from sitroom.analyse.links_codec import StoredItems, encode_items, items_version

        found = {}
        for doc_id in originals:
            if doc_id in self._items:
                self._items.move_to_end(doc_id)
                found[doc_id] = self._items[doc_id]
        missing = [doc_id for doc_id in originals if doc_id not in found]
        stored = self.store.stored_link_items(missing, version=items_version()) if missing else {}
        for doc_id, text in stored.items():
            found[doc_id] = StoredItems.decode(text)
            self.put(doc_id, found[doc_id])
        unbuilt = [doc_id for doc_id in missing if doc_id not in stored]
        if unbuilt:
            docs = self.store.get_documents(unbuilt)
            layers = self.store.annotations_of_many(unbuilt, layers=LINK_LAYERS)
            rows = []
            for doc_id in unbuilt:
                items = make_items(docs[doc_id], layers[doc_id])
                found[doc_id] = StoredItems.built(items)
                self.put(doc_id, found[doc_id])
                rows.append((doc_id, items_version(), encode_items(items)))
            self.store.store_link_items(rows)
        return found


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CrossDocumentAnalyser:
    """Holds what is costly to load (the clusterer, the stance model) across calls on one workspace."""

    def __init__(self, store, *, nlp: Callable[[], Any] | None = None) -> None:
        """``nlp`` returns a spaCy pipeline when called (loaded lazily): the story clusterer reads the
        nouns of each document's lead with it. Without one, stories go on words, entities and places."""
        self.store = store
        self._nlp = nlp
        self._clusterer = None
        self._unsaved = 0
        self._stance = None
        self._stance_loaded = False
        self._items = _ItemCache(store)

    # --- stories -------------------------------------------------------------------------------

    def _stories(self):
        from sitroom.analyse.stories import STORIES_VERSION, StoryClusterer

        if self._clusterer is None:
            # Read a stored part at a time: the whole state of a large workspace, held while the
            # clusterer was rebuilt from it, left the process a hundred MB larger for good.
            parts = self.store.story_state_parts()
            state = next(parts, None)
            outdated = state is not None and state.get("version") != STORIES_VERSION
            if outdated:
                # Stories clustered by another version of the clusterer: every document is clustered
                # again, in arrival order, by this one (the state is only a cache of the stored stories).
                log.warning(
                    "stories were clustered by %s; re-clustering them with %s",
                    state.get("version"),
                    STORIES_VERSION,
                )
            # No state at all while stories are stored (the state row was lost): rebuild them all, or
            # the fresh clusterer's ids would collide with the stored ones.
            rebuild = outdated or state is None
            if rebuild:
                self._clusterer = StoryClusterer()
                self._clusterer.use_vector_store(self.store.story_vectors)
            else:
                self._clusterer = StoryClusterer.from_parts(state, parts, vectors=self.store.story_vectors)
            parts.close()
            del state, parts
            # The clusterer of a large workspace is millions of long-lived objects; left to the cyclic
            # garbage collector, every full collection walks them all, and spaCy's allocations trigger
            # many (parsing one article took 4x longer at 10k documents). Freezing moves what exists now
            # out of the collector's sight; it is still freed normally when unreferenced.
            gc.collect()
            gc.freeze()
            self._replay_unsaved(everything=rebuild)
        return self._clusterer

    def _replay_unsaved(self, *, everything: bool = False) -> None:
        """Documents placed in stories after the last saved state (the state is written every
        STATE_SAVE_EVERY documents, not every time) are added again, in arrival order; with
        ``everything``, all stored stories are rebuilt from their documents."""
        missing = [d for d in self.store.story_document_ids() if d not in self._clusterer]
        if not missing:
            return
        docs = sorted(self.store.get_documents(missing).values(), key=lambda d: (d.ingested_at or "", d.id))
        summary = UpdateSummary()
        self._add_to_stories(docs, self.store.annotations_of_many(missing, layers=STORY_LAYERS), summary)
        # What replaying changes was recorded when it first happened: the story rows are rewritten, the
        # history is not written again.
        if everything:
            self.store.save_stories(
                self._clusterer.state_parts(raw=True),
                self._clusterer.stories(),
                [],
                now=_now(),
                replace_all=True,
            )
            self._clusterer.vectors_saved()
            self._unsaved = 0
        else:
            self._save_stories(summary.story_changes, record=False)

    def _add_to_stories(
        self, docs: Sequence[Document], layers: dict[str, dict], summary: UpdateSummary
    ) -> None:
        from sitroom.analyse.stories import story_input

        # A syndicated copy belongs to its original's story; a document already placed stays.
        new = [doc for doc in docs if not doc.duplicate_of and doc.id not in self._clusterer]
        unread = self._leads_not_stored(new, layers)
        for doc in new:
            found = layers.get(doc.id, {})
            try:
                lead = self._lead_of(doc, found.get("lead", []), parse=doc.id in unread)
                changes = self._clusterer.add(
                    story_input(
                        doc,
                        entities=found.get("entities", []),
                        places=found.get("places", []),
                        lead_nouns=lead,
                    )
                )
            except Exception as exc:  # one document must not stop the others (nor every later run)
                _record_failure(summary, doc, "stories", exc)
                continue
            summary.story_changes += changes
            self._unsaved += 1

    def _leads_not_stored(self, docs: Sequence[Document], layers: dict[str, dict]) -> set[str]:
        """The documents among ``docs`` whose lead nouns the pipeline did not store (processed before
        the ``lead`` layer existed, or its reading failed): an empty lead is stored as a record."""
        from sitroom.nlp.lead import LEAD_VERSION

        empty = [doc.id for doc in docs if not layers.get(doc.id, {}).get("lead")]
        records = self.store.processing_of(empty) if empty else {}
        return {
            doc_id
            for doc_id in empty
            if not any(r.component == LEAD_VERSION and r.status == "done" for r in records[doc_id])
        }

    def _lead_of(self, doc: Document, stored: list, *, parse: bool) -> tuple[str, ...]:
        """The lead nouns the clusterer reads: the stored ones, or (``parse``) the same nouns from a
        parse here, for documents the English components take."""
        from sitroom.nlp.lead import lead_terms_of, parse_lead_nouns
        from sitroom.pipeline import english_reason

        if not parse:
            return lead_terms_of(stored)
        if self._nlp is None or english_reason(doc) is not None:
            return ()
        return lead_terms_of(parse_lead_nouns(self._nlp(), doc.title, doc.text))

    def _save_stories(self, changes: list, *, force_state: bool = False, record: bool = True) -> None:
        """Rewrite the rows of the stories ``changes`` touched, record the changes (unless ``record``
        is false: a replay), and save the clusterer's state when due or forced."""
        gone = [c.other for c in changes if c.kind == "merged" and c.other]
        save_state = force_state or self._unsaved >= STATE_SAVE_EVERY
        if not changes and not save_state:
            return
        state = self._clusterer.state_parts(raw=True) if save_state else None
        found = self._clusterer.stories(_touched(changes, self._clusterer))
        self.store.save_stories(state, found, changes if record else [], now=_now(), gone=gone)
        if save_state:
            self._clusterer.vectors_saved()
            self._unsaved = 0

    def _update_stories(
        self, docs: Sequence[Document], layers: dict[str, dict], summary: UpdateSummary
    ) -> None:
        self._stories()
        before = len(summary.story_changes)
        self._add_to_stories(docs, layers, summary)
        self._save_stories(summary.story_changes[before:])

    def flush(self, *, force: bool = False) -> None:
        """Save the story clusterer's state if documents were added since it was last saved and
        (unless ``force``) replaying them would cost more than saving it (``CLOSE_SAVE_SHARE``)."""
        if self._clusterer is None or not self._unsaved:
            return
        if force or self._unsaved >= CLOSE_SAVE_SHARE * len(self._clusterer):
            self._save_stories([], force_state=True)

    # --- links ---------------------------------------------------------------------------------

    def _stance_model(self):
        if not self._stance_loaded:
            self._stance_loaded = True
            try:
                from sitroom.analyse.stance import StanceClassifier

                self._stance = StanceClassifier.load()
            except Exception as exc:  # the links still work on their own rules
                log.warning("stance model unavailable (%s); links use rules only", exc)
        return self._stance

    def _update_links(
        self, docs: Sequence[Document], layers: dict[str, dict], summary: UpdateSummary
    ) -> None:
        for doc in docs:
            try:
                summary.links += self._link_document(doc, layers)
            except Exception as exc:  # recorded; the other documents are linked
                _record_failure(summary, doc, "links", exc)

    def _link_document(self, doc: Document, layers: dict[str, dict]) -> int:
        """Link one document's claims and events with those sharing a blocking key; the new links."""
        from sitroom.analyse.links import candidate_keys, find_links, make_items
        from sitroom.analyse.links_codec import StoredItems, encode_items, items_version

        # A syndicated copy's unattributed statements come from the original's outlet.
        root = self.store.get_document(doc.duplicate_of).source if doc.duplicate_of else None
        items = make_items(doc, layers[doc.id], root_source=root)
        keys = [(key, item.ref) for item in items for key in candidate_keys(item)]
        # A copy is never a candidate (its original is): its keys find its candidates, but neither
        # they nor its items are stored.
        stored, kept = None, []
        if not doc.duplicate_of:
            self._items.put(doc.id, StoredItems.built(items))
            stored, kept = (items_version(), encode_items(items)), keys
        self.store.save_link_keys(doc.id, kept, at=doc.ingested_at, items=stored)
        shared = self.store.refs_sharing_keys(
            [k for k, _ in keys],
            exclude_document=doc.id,
            limit=MAX_CANDIDATE_DOCUMENTS,
            per_key=CANDIDATE_ROWS_PER_KEY,
        )
        ranked = dict(sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MAX_CANDIDATE_DOCUMENTS])
        built = self._items.items_of(list(ranked))
        candidates = []
        for other_id, refs in ranked.items():
            candidates += built[other_id].wanted(refs)
        # Items of the same document by other speakers can contradict each other too.
        found = find_links(items, [*candidates, *items], stance=self._stance_model())
        # Links found again keep their rows (and ids); the others of this document go.
        return self.store.replace_links_of(doc.id, found, now=_now())

    # --- questions -----------------------------------------------------------------------------

    def _update_questions(
        self, docs: Sequence[Document], layers: dict[str, dict], summary: UpdateSummary, *, assess: bool
    ) -> None:
        from sitroom.analyse.questions import match_document, parse_question

        for row in self.store.list_questions():
            question = parse_question(row["spec"], source=f"question {row['slug']}")
            count = 0
            for doc in docs:
                try:
                    evidence = match_document(question, doc, layers[doc.id])
                    self.store.replace_evidence(question.slug, doc.id, evidence)
                except Exception as exc:  # recorded; the other documents are matched
                    _record_failure(summary, doc, f"evidence:{question.slug}", exc)
                    continue
                count += len(evidence)
            summary.evidence[question.slug] = count
            if assess and self.record_assessment(question):
                summary.assessments.append(question.slug)

    def record_assessment(self, question) -> bool:
        from sitroom.analyse.questions import summarise

        return self.store.add_assessment(question.slug, summarise(self.board(question)), now=_now())

    def board(self, question):
        """The question's board from stored evidence, weighted by source grades and credibility."""
        from sitroom.analyse.credibility import credibility_of
        from sitroom.analyse.questions import Evidence, build_board
        from sitroom.model import ref_document

        evidence = [Evidence(**e) for e in self.store.evidence_of(question.slug)]
        grades = self.store.source_grades()
        by_ref = self.store.links_of_refs([e.ref for e in evidence])
        # The reports on the other side count once per origin: one document, a syndicated copy and
        # its original, reports a non-independent link joins.
        others = {
            link["b"] if link["a"] == ref else link["a"] for ref, found in by_ref.items() for link in found
        }
        same_origin = {
            (link["a"], link["b"])
            for found in self.store.links_of_refs(sorted(others)).values()
            for link in found
            if not link["independent"]
        }
        documents = self.store.get_documents(sorted({ref_document(o) for o in others}))
        originals = {doc_id: doc.duplicate_of or doc_id for doc_id, doc in documents.items()}

        def document_of(other: str) -> str:
            doc_id = ref_document(other)
            return originals.get(doc_id, doc_id)

        credibility = {
            ref: credibility_of(found, ref=ref, same_origin=same_origin, document_of=document_of)
            for ref, found in by_ref.items()
        }
        return build_board(question, evidence, reliability=grades, credibility=credibility)

    # --- all of it -----------------------------------------------------------------------------

    def catch_up(
        self,
        *,
        run_id: str | None = None,
        fresh: Sequence[str] = (),
        check_stories: bool = False,
        upto: tuple[str | None, str] | None = None,
        assess: bool = True,
        keep_items: bool = False,
    ) -> UpdateSummary:
        """Take every processed document the update has not finished with into stories, links and
        question evidence, in ingest order, and mark it (failed ones with their reason, E061, as a
        problem of ``run_id``). ``fresh``: the ids just processed; the others counted in ``caught_up``
        were left by an interrupted run. Holds the workspace's update lock: concurrent runs take turns.
        ``check_stories``: load the clusterer even with nothing to add, rebuilding stories of another
        clusterer version or a lost state (``analyse`` does).

        ``upto`` (ingested_at, id): only the documents up to that one in ingest order, so a run that
        updates as it goes (``Workspace.process``) takes documents in the same order as one updating
        at the end. ``assess``: record each question's assessment afterwards (once per run, not per
        batch). ``keep_items``: keep the link items cached by an earlier call of the same run.

        Documents are read and updated UPDATE_BATCH at a time (memory stays bounded), each batch
        marked as it is done. Their half-made links are forgotten first, so each document is linked
        against exactly the documents before it, as in an uninterrupted run; a document already in a
        story stays."""
        summary = UpdateSummary()
        with self.store.update_lock():
            if not keep_items:
                self._items.clear()
            if self._clusterer is not None:
                # Another process may have added stories since this clusterer was loaded.
                self._replay_unsaved()
            elif check_stories:
                self._stories()
            ids = self.store.documents_to_analyse(upto=upto)
            self.store.forget_links_of(ids)
            for start in range(0, len(ids), UPDATE_BATCH):
                chunk = ids[start : start + UPDATE_BATCH]
                found = self.store.get_documents(chunk)
                part = self.update([found[doc_id] for doc_id in chunk if doc_id in found], assess=False)
                failures = {doc_id: f"{step}: {reason}" for doc_id, step, reason in part.failed}
                outcomes = [(d, "failed" if d in failures else "done", failures.get(d)) for d in chunk]
                self.store.mark_analysed(outcomes, run_id=run_id, now=_now())
                if run_id is not None:
                    self._record_problems(run_id, part, found)
                summary.add(part)
            if assess:
                summary.assessments = self.assess()
        summary.caught_up = len(set(ids) - set(fresh))
        return summary

    def assess(self) -> list[str]:
        """Record each question's assessment from its board; the slugs whose assessment changed."""
        from sitroom.analyse.questions import parse_question

        changed = []
        for row in self.store.list_questions():
            question = parse_question(row["spec"], source=f"question {row['slug']}")
            if self.record_assessment(question):
                changed.append(question.slug)
        return changed

    def _record_problems(self, run_id: str, summary: UpdateSummary, docs: dict[str, Document]) -> None:
        from sitroom.model import Problem

        for doc_id, step, reason in summary.failed:
            doc = docs.get(doc_id)
            self.store.add_problem(
                run_id,
                Problem(
                    origin=doc.origin if doc else doc_id,
                    locator=doc.locator if doc else None,
                    code="E061",
                    kind="failed",
                    reason=f"document {doc_id} failed in the cross-document update ({step}): {reason}",
                ),
            )

    def update(
        self, docs: Sequence[Document], *, stories: bool = True, links: bool = True, assess: bool = True
    ) -> UpdateSummary:
        """Add ``docs`` (already processed) to stories, links and every question's evidence; then,
        with ``assess``, record each question's assessment."""
        summary = UpdateSummary(documents=len(docs))
        if not docs:
            return summary
        # Their annotations may have changed since their items were cached (a re-run, a correction).
        self._items.forget(doc.id for doc in docs)
        layers = self.store.annotations_of_many([doc.id for doc in docs])
        if stories:
            self._update_stories(docs, layers, summary)
        if links:
            self._update_links(docs, layers, summary)
        self._update_questions(docs, layers, summary, assess=assess)
        return summary


def _record_failure(summary: UpdateSummary, doc: Document, step: str, exc: Exception) -> None:
    log.warning("document %s failed in the cross-document update (%s): %s", doc.id, step, exc)
    summary.failed.append((doc.id, step, f"{type(exc).__name__}: {exc}"[:500]))
