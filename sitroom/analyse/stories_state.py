"""The story clusterer's state as JSON-ready data, and the clusterer rebuilt from it.

Internal to :mod:`sitroom.analyse.stories` (``StoryClusterer.to_state`` / ``from_state``,
``state_parts`` / ``from_parts``): every document's vectors, every story and topic with its sums and
counts, the vocabulary and document frequencies, and the schedules of re-clustering, so that a rebuilt
clusterer behaves identically. A clusterer with a vector store (a workspace's) leaves the documents'
vectors out of its state: the vectors the store does not have yet come in ``"vectors"`` parts, which
the store keeps in a table of their own, and the documents are read back without them.

Numbers are packed: each run of term ids, weights or counts is one base64 string of its little-endian
bytes (``"i:…"`` 32-bit integers, ``"q:…"`` 64-bit ones, ``"d:…"`` 64-bit floats), not a JSON list.
The state of a large workspace is millions of numbers: as lists, reading it made a Python object of
each (hundreds of MB on top of the clusterer for a moment, at 5k documents) and writing it as many;
as strings it is a few per document, and the floats come back to the last bit. States written with
lists (before), or without the vocabulary's hashes, are read as well. For a store that writes binary
(a workspace's, MessagePack) the parts carry the same numbers, and the vocabulary's text, as bytes
(``state_parts(raw=True)``: a typecode letter, then the little-endian array), with no base64 to decode.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from sitroom.analyse.stories_features import StoryConfig, date_span
from sitroom.analyse.stories_groups import (
    CHANNELS,
    DocRecord,
    Group,
    StoryGroup,
    TopicGroup,
    TopicPostings,
    union_spans,
)
from sitroom.analyse.stories_terms import TermTable

if TYPE_CHECKING:
    from sitroom.analyse.stories import StoryClusterer, VectorFetch


# little-endian, whatever the machine
_DTYPES = {"i": np.dtype("<i4"), "q": np.dtype("<i8"), "d": np.dtype("<f8")}


def _pack(values: Any, typecode: str) -> str:
    """Numbers (an array) as ``"<typecode>:<base64 of little-endian bytes>"``: ``"i"`` 32-bit
    integers, ``"q"`` 64-bit integers, ``"d"`` 64-bit floats."""
    return f"{typecode}:{base64.b64encode(np.asarray(values, dtype=_DTYPES[typecode]).tobytes()).decode('ascii')}"


def _pack_raw(values: Any, typecode: str) -> bytes:
    """Numbers (an array) as bytes: the typecode's letter, then their little-endian bytes."""
    return typecode.encode("ascii") + np.asarray(values, dtype=_DTYPES[typecode]).tobytes()


def _unpack(packed: str | bytes | list, typecode: str) -> np.ndarray:
    """The numbers :func:`_pack` or :func:`_pack_raw` packed (a writable array in this machine's byte
    order); a JSON list (states written before packing) as well."""
    dtype = _DTYPES[typecode].newbyteorder("=")
    if isinstance(packed, bytes):
        if packed[:1] != typecode.encode("ascii"):
            raise ValueError(
                f"E060: story state holds {packed[:1]!r} numbers where {typecode!r} were expected"
            )
        return np.frombuffer(packed, dtype=_DTYPES[typecode], offset=1).astype(dtype)
    if not isinstance(packed, str):
        return np.array(packed, dtype=dtype)
    code, _, data = packed.partition(":")
    if code != typecode:
        raise ValueError(f"E060: story state holds {code!r} numbers where {typecode!r} were expected")
    return np.frombuffer(base64.b64decode(data), dtype=_DTYPES[typecode]).astype(dtype)


# How numbers are packed: _pack (base64 text, JSON-ready) or _pack_raw (bytes).
Packer = Callable[[Any, str], Any]

# Parts of a state saved in parts (:func:`clusterer_state_parts`): terms and groups this many a part.
TERMS_PER_PART = 50_000
GROUPS_PER_PART = 10


def clusterer_state(self: StoryClusterer, *, documents: bool = True) -> dict[str, Any]:
    """Everything needed to carry on exactly where ``self`` is, as JSON-ready data (without the
    documents unless ``documents``: :func:`clusterer_state_parts`)."""
    state = {
        **_core_state(self),
        "vocabulary": _vocabulary_state(self),
        "stories": [_story_state(s) for s in self._stories.values()],
        "topics": [_topic_state(t) for t in self._topics.values()],
    }
    if documents:
        if self._fetch_vectors is not None:
            raise ValueError("a clusterer with a vector store gives its state in parts (state_parts)")
        state["documents"] = [_document_state(r) for r in self._docs.values()]
    return state


def clusterer_state_parts(self: StoryClusterer, *, per_part: int, raw: bool = False) -> Iterator[Any]:
    """:func:`clusterer_state` in parts, each built only when the previous one has been taken: the
    state with its lists empty, then ``(name, items)`` pairs whose items extend the list ``name``:
    the terms, the stories and topics a few at a time, and at most ``per_part`` documents at a time.
    No part holds more than a slice of the state (at 20,000 documents the stories and topics alone
    came to 80 MB of JSON text, written as one string). With ``raw``, numbers and the vocabulary's
    text are bytes (:func:`_pack_raw`), not base64 text: for a store that writes binary (decoding the
    base64 of a 20k workspace's state took 0.15 s of every run that read it). The ``"vectors"`` parts
    stay text (the store keeps each document's as JSON)."""
    pack = _pack_raw if raw else _pack
    yield {**_core_state(self, pack), "vocabulary": [], "stories": [], "topics": [], "documents": []}
    for start in range(0, len(self._vocab), TERMS_PER_PART):
        yield "vocabulary", _vocabulary_state(self, start, start + TERMS_PER_PART, raw=raw)
    for name, groups, state_of in (
        ("stories", list(self._stories.values()), _story_state),
        ("topics", list(self._topics.values()), _topic_state),
    ):
        for start in range(0, len(groups), GROUPS_PER_PART):
            yield name, [state_of(g, pack) for g in groups[start : start + GROUPS_PER_PART]]
    records = list(self._docs.values())
    stored = self._fetch_vectors is not None
    for start in range(0, len(records), per_part):
        chunk = records[start : start + per_part]
        yield "documents", [_document_state(r, vectors=not stored, pack=pack) for r in chunk]
    if stored:
        # Only the documents whose vectors the store lacks; it keeps them apart from the state.
        unsaved = list(self._unsaved_vectors)
        for start in range(0, len(unsaved), per_part):
            yield "vectors", [[r.id, pack_vectors(r)] for r in unsaved[start : start + per_part]]


def _core_state(self: StoryClusterer, pack: Packer = _pack) -> dict[str, Any]:
    return {
        "version": self.name,
        "config": self.config.to_dict(),
        "df": pack(self._df[: len(self._vocab)], "i"),
        "n_docs": self._n_docs,
        "next_seq": self._next_seq,
        "next_story": self._next_story,
        "next_topic": self._next_topic,
        "next_topic_regroup": self._next_topic_regroup,
    }


def _story_state(s: StoryGroup, pack: Packer = _pack) -> dict[str, Any]:
    return {
        **_group_state(s, pack),
        "topic": s.topic,
        "next_check": s.next_check,
        "merged_from": list(s.merged_from),
        "split_from": s.split_from,
        "contrast": s.contrast,
        "contrast_at": list(s.contrast_at) if s.contrast_at else None,
        "central": list(s.central) if s.central else None,
    }


def _topic_state(t: TopicGroup, pack: Packer = _pack) -> dict[str, Any]:
    return {
        **_group_state(t, pack),
        "stories": list(t.stories),
        "merged_from": list(t.merged_from),
        "next_regroup": t.next_regroup,
    }


def restore_clusterer(
    cls: type[StoryClusterer], state: dict[str, Any], *, consume: bool = False
) -> StoryClusterer:
    """A clusterer of class ``cls`` rebuilt from :func:`clusterer_state` output. With ``consume``,
    the documents, stories and topics are taken out of ``state`` and each dropped once read, so a
    large state is not held whole beside the clusterer it becomes."""
    return restore_clusterer_parts(cls, state, (), consume=consume)


def restore_clusterer_parts(
    cls: type[StoryClusterer],
    head: dict[str, Any],
    parts: Iterable[tuple[str, Iterable[Any]]],
    *,
    consume: bool = True,
    vectors: VectorFetch | None = None,
) -> StoryClusterer:
    """A clusterer of class ``cls`` rebuilt from a state in parts, as :func:`clusterer_state_parts`
    gives it and a store reads it back: ``head`` (the state, with its lists ``terms``, ``documents``,
    ``stories`` and ``topics`` whole, partly or empty), then ``(name, items)`` pairs, in any order,
    whose items extend those lists. Each item is turned into the clusterer's own form as it comes, so
    only one part of a large state is in memory at a time beside the clusterer; with ``consume``,
    ``head``'s lists are emptied as they are read. ``vectors``: the store that keeps the documents'
    vectors (``StoryClusterer.use_vector_store``); documents saved without vectors need one. A
    ``"vectors"`` part (documents' vectors the store had not yet taken) is held in memory."""
    if head.get("version") != cls.name:
        raise ValueError(
            f"E060: story state is {head.get('version')!r}, this sitroom reads {cls.name!r}; "
            "re-cluster the documents to rebuild it"
        )
    clusterer = cls(config=StoryConfig.from_dict(head["config"]))
    clusterer._fetch_vectors = vectors
    df = _unpack(head["df"], "i")
    clusterer._df = df  # grown as new terms come (with_room)
    clusterer._n_docs = head["n_docs"]
    clusterer._next_seq = head["next_seq"]
    clusterer._next_story = head["next_story"]
    clusterer._next_topic = head["next_topic"]
    clusterer._next_topic_regroup = head["next_topic_regroup"]
    readers = {
        "terms": _read_terms,
        "vocabulary": _each(_read_vocabulary),
        "documents": _each(_read_document),
        "stories": _each(_read_story),
        "topics": _each(_read_topic),
        "vectors": _each(_read_vectors),
    }
    own = [(name, _taken(head, name, consume)) for name in readers if head.get(name)]
    for name, items in itertools.chain(own, parts):
        read = readers.get(name)
        if read is None:
            raise ValueError(f"E060: story state has a part {name!r} this sitroom does not know")
        read(clusterer, items)
    clusterer._postings = TopicPostings.of((t.id, t.term_ids()) for t in clusterer._topics.values())
    if vectors is not None:
        clusterer.use_vector_store(vectors)
    if len(clusterer._vocab) != len(df):
        raise ValueError(f"E060: story state has {len(clusterer._vocab)} terms but {len(df)} counts")
    # A group's dates span its documents' (documents may come after the groups), and its list of
    # documents shares their id strings (rather than holding copies read from the state).
    for group in (*clusterer._stories.values(), *clusterer._topics.values()):
        records = [clusterer._docs.get(doc_id) for doc_id in group.docs]
        if None in records:
            missing = next(d for d, r in zip(group.docs, records, strict=True) if r is None)
            raise ValueError(f"E060: story state's {group.id} holds {missing!r}, which it does not have")
        group.docs = [record.id for record in records]
        for record in records:
            group.span = union_spans(group.span, record.span)
    return clusterer


def _vocabulary_state(
    self: StoryClusterer, start: int = 0, stop: int | None = None, *, raw: bool = False
) -> list[list[Any]]:
    """The vocabulary's terms from ``start`` to ``stop`` as one item: their UTF-8 text (base64, or the
    bytes themselves with ``raw``), where each ends in it, and their hashes (what finds them:
    computed again if absent)."""
    text, ends = self._vocab.packed(start, stop)
    if not len(ends):
        return []
    hashes = self._vocab.hashes(start, start + len(ends))
    if raw:
        return [[text, _pack_raw(ends, "i"), _pack_raw(hashes, "q")]]
    return [[base64.b64encode(text).decode("ascii"), _pack(ends, "i"), _pack(hashes, "q")]]


def _read_vocabulary(clusterer: StoryClusterer, item: list[Any]) -> None:
    text, ends, *hashes = item  # states saved before the hashes were kept have none
    clusterer._vocab.extend_packed(
        text if isinstance(text, bytes) else base64.b64decode(text),
        _unpack(ends, "i"),
        _unpack(hashes[0], "q") if hashes else None,
    )


def _read_terms(clusterer: StoryClusterer, terms: Iterable[str]) -> None:
    clusterer._vocab.extend(terms)  # states saved before the vocabulary was packed: a list of terms


def _each(read: Callable[[StoryClusterer, Any], None]) -> Callable[[StoryClusterer, Iterable[Any]], None]:
    """A reader of a part from a reader of one of its items."""

    def read_all(clusterer: StoryClusterer, items: Iterable[Any]) -> None:
        for item in items:
            read(clusterer, item)

    return read_all


def _read_document(clusterer: StoryClusterer, item: dict[str, Any]) -> None:
    # A document saved without its vectors has them in the vector store (a "vectors" part may
    # still bring them, for a store that had not taken them yet).
    held = "vectors" in item
    if not held and clusterer._fetch_vectors is None:
        raise ValueError(
            f"E060: story state keeps the vectors of {item['id']} in a store, and none was given"
        )
    clusterer._docs[item["id"]] = DocRecord.of(
        id=item["id"],
        seq=item["seq"],
        story=item["story"],
        title=item["title"],
        published=item["published"],
        span=date_span(item["published"]),
        vectors=unpack_vectors(item["vectors"]) if held else None,
        saved=not held,
    )


def _read_vectors(clusterer: StoryClusterer, item: list) -> None:
    doc_id, packed = item
    record = clusterer._docs.get(doc_id)
    if record is None:
        raise ValueError(f"E060: story state has vectors of {doc_id!r}, which it does not have")
    record.hold(unpack_vectors(packed))
    record.saved = False


def _read_story(clusterer: StoryClusterer, item: dict[str, Any]) -> None:
    story = StoryGroup(
        **_group_fields(item),
        topic=item["topic"],
        next_check=item["next_check"],
        merged_from=list(item["merged_from"]),
        split_from=item["split_from"],
        # States written before contrast norms were kept have none: they are summed when needed.
        contrast=item.get("contrast"),
        contrast_at=tuple(item["contrast_at"]) if item.get("contrast_at") else None,
        central=tuple(item["central"]) if item.get("central") else None,
    )
    clusterer._stories[story.id] = story


def _read_topic(clusterer: StoryClusterer, item: dict[str, Any]) -> None:
    topic = TopicGroup(
        **_group_fields(item),
        stories=list(item["stories"]),
        merged_from=list(item["merged_from"]),
        next_regroup=item["next_regroup"],
    )
    clusterer._topics[topic.id] = topic


def _taken(state: dict[str, Any], name: str, consume: bool) -> Iterator[Any]:
    """The entries of ``state[name]``; with ``consume``, taken out of ``state`` and each released as
    the next is read."""
    if not consume:
        yield from state[name]
        return
    entries = state.pop(name)
    for index in range(len(entries)):
        entry, entries[index] = entries[index], None
        yield entry


def _document_state(r: DocRecord, *, vectors: bool = True, pack: Packer = _pack) -> dict[str, Any]:
    state = {"id": r.id, "seq": r.seq, "story": r.story, "title": r.title, "published": r.published}
    if vectors:
        state["vectors"] = pack_vectors(r, pack)
    return state


def pack_vectors(r: DocRecord, pack: Packer = _pack) -> list[list[Any]]:
    """A record's vectors as the state keeps them: per channel, its packed term ids and weights."""
    return [[pack(ids, "i"), pack(weights, "d")] for ids, weights in r.vectors]


def unpack_vectors(packed: list) -> list[tuple[np.ndarray, np.ndarray]]:
    """The vectors :func:`pack_vectors` packed."""
    return [(_unpack(ids, "i"), _unpack(weights, "d")) for ids, weights in packed]


def _group_state(group: Group, pack: Packer) -> dict[str, Any]:
    return {
        "id": group.id,
        "seq": group.seq,
        "documents": list(group.docs),
        "sums": [[pack(table.ids, "i"), pack(table.sums, "d")] for table in group.tables],
        "df": [
            pack(np.concatenate([table.ids for table in group.tables]), "i"),
            pack(np.concatenate([table.counts for table in group.tables]), "i"),
        ],
        "norms": list(group.norms),
        "norm_n": group.norm_n,
    }


def _group_fields(item: dict[str, Any]) -> dict[str, Any]:
    # The state keeps a group's document counts for all its terms together: each channel takes those
    # of its own terms.
    counted, counts = _unpack(item["df"][0], "i"), _unpack(item["df"][1], "i")
    channels = [(_unpack(terms, "i"), weights) for terms, weights in item["sums"]]
    if len(counted) == sum(len(ids) for ids, _ in channels) and np.array_equal(
        counted, np.concatenate([ids for ids, _ in channels]) if channels else counted
    ):  # as saved: the channels' counts one after another, in the order of their terms
        tables, at = [], 0
        for ids, weights in channels:
            tables.append(TermTable.of(ids, _unpack(weights, "d"), counts[at : at + len(ids)]))
            at += len(ids)
        return _group_of(item, tables)
    order = np.argsort(counted, kind="stable")
    counted, counts = counted[order], counts[order]
    tables = []
    for ids, weights in channels:
        at = np.minimum(np.searchsorted(counted, ids), max(len(counted) - 1, 0))
        if len(ids) and not (len(counted) and np.array_equal(counted[at], ids)):
            raise ValueError(f"E060: story state of {item['id']} counts no documents for some of its terms")
        tables.append(TermTable.of(ids, _unpack(weights, "d"), counts[at] if len(ids) else ids))
    return _group_of(item, tables)


def _group_of(item: dict[str, Any], tables: list[TermTable]) -> dict[str, Any]:
    if len(tables) != len(CHANNELS):
        raise ValueError(f"E060: story state of {item['id']} has {len(tables)} channels, not {len(CHANNELS)}")
    return {
        "id": item["id"],
        "seq": item["seq"],
        "docs": list(item["documents"]),
        "tables": tables,
        "norms": list(item["norms"]),
        "norm_n": item["norm_n"],
    }
