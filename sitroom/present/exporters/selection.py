"""Which part of the workspace an export holds: the filters, checked, and the documents they select.

Every format reads the same selection: documents by publication date and outlet, one story's, one
question's evidence documents, or one document. Cross-document records (links, stories, question
evidence, revisions) are kept only where every document they name is in the selection, so an export
never points at a document it does not hold and an import of it is whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

from sitroom.errors import InputError, SitroomError
from sitroom.model import Document
from sitroom.views import MAX_PAGE, Revision, StoredLink, Story


@dataclass(frozen=True, kw_only=True, slots=True)
class Filters:
    """The export's filters; None means not filtered on."""

    question: str | None = None
    story: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    document: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in asdict(self).values())

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Selection:
    """The selected document ids (publication order, newest first) and the filters that chose them."""

    filters: Filters
    ids: tuple[str, ...]
    question: str | None = None

    members: frozenset[str] = frozenset()

    def holds(self, document_id: str) -> bool:
        return not self.filters.any or document_id in self.members

    def documents(self, ws) -> Iterator[Document]:
        """The selected documents with their texts, one at a time (never the whole corpus at once)."""
        for doc_id in self.ids:
            yield ws.document(doc_id)


def select(ws, filters: Filters) -> Selection:
    """Check the filters against the workspace (E070 for one that names nothing there) and list the
    ids of the documents they select. Only ids are held: 16 characters a document."""
    try:
        document = ws.document(filters.document).id if filters.document else None
        if filters.story:
            ws.story(filters.story)
        question_docs = set(ws.evidence_documents(filters.question)) if filters.question else None
        if filters.source and not any(
            filters.source.lower() in p.name.lower() for p in ws.sources(min_documents=0)
        ):
            raise InputError("E070", f"no outlet named like {filters.source!r}; `sitroom sources` lists them")
        ids: list[str] = []
        offset = 0
        while True:
            page = ws.documents_page(
                source=filters.source, since=filters.since, until=filters.until, story=filters.story,
                offset=offset, limit=MAX_PAGE,
            )  # fmt: skip
            for brief in page:
                if document is not None and brief.id != document:
                    continue
                if question_docs is not None and brief.id not in question_docs:
                    continue
                ids.append(brief.id)
            if not page.more:
                break
            offset += len(page)
    except InputError:
        raise
    except SitroomError as exc:
        # A filter naming a question, story or document the workspace does not have.
        raise InputError("E070", f"export filter: {exc.message}") from exc
    return Selection(filters=filters, ids=tuple(ids), question=filters.question, members=frozenset(ids))


def pages(fetch, **kwargs) -> Iterator:
    """Every item of a paged listing, one database page at a time."""
    offset = 0
    while True:
        page = fetch(offset=offset, limit=MAX_PAGE, **kwargs)
        yield from page
        if not page.more or not page.items:
            return
        offset += len(page)


def keep_link(selection: Selection, link: StoredLink) -> bool:
    return selection.holds(link.a_document) and selection.holds(link.b_document)


def trim_story(selection: Selection, story: Story) -> Story | None:
    """The story with only the selected documents (None when it holds none of them)."""
    if not selection.filters.any:
        return story
    if selection.filters.story and story.id != selection.filters.story:
        return None
    members = tuple(d for d in story.documents if selection.holds(d))
    if not members:
        return None
    changes = tuple(c for c in story.changes if c.document_id is None or selection.holds(c.document_id))
    return Story(
        id=story.id, title=story.title, topic=story.topic, first_seen=story.first_seen,
        last_seen=story.last_seen, size=story.size, documents=members, changes=changes,
    )  # fmt: skip


def keep_revision(selection: Selection, revision: Revision, link_ids: set[int]) -> bool:
    """A revision of an item in the selection: one inside a document (a claim, event, place or the
    document's date) by its document, a link's when the link is exported; source grades and ACH
    ratings always."""
    if not selection.filters.any:
        return True
    if revision.document_id:
        return selection.holds(revision.document_id)
    kind, _, rest = revision.target.partition(":")
    if kind == "link":
        return rest.isdigit() and int(rest) in link_ids
    return True
