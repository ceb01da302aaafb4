"""The story clusterer's state as JSON-ready data, and the clusterer rebuilt from it.

Internal to :mod:`sitroom.analyse.stories` (``StoryClusterer.to_state`` / ``from_state``): every
document's vectors, every story and topic with its sums and counts, the vocabulary and document
frequencies, and the schedules of re-clustering, so that a rebuilt clusterer behaves identically.

Numbers are packed: each run of term ids, weights or counts is one base64 string of its little-endian
bytes (``"i:…"`` 32-bit integers, ``"d:…"`` 64-bit floats), not a JSON list. The state of a large
workspace is millions of numbers: as lists, reading it made a Python object of each (hundreds of MB
on top of the clusterer for a moment, at 5k documents) and writing it as many; as strings it is a
few per document, and the floats come back to the last bit. States written with lists (before) are
read as well.
"""

from __future__ import annotations

import base64
import sys
from array import array
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sitroom.analyse.stories_features import StoryConfig, date_span
from sitroom.analyse.stories_groups import DocRecord, Group, StoryGroup, TopicGroup, union_spans

if TYPE_CHECKING:
    from sitroom.analyse.stories import StoryClusterer


# Parts of a state saved in parts (:func:`clusterer_state_parts`): terms and groups this many a part.
TERMS_PER_PART = 50_000
GROUPS_PER_PART = 10


def clusterer_state(self: StoryClusterer, *, documents: bool = True) -> dict[str, Any]:
    """Everything needed to carry on exactly where ``self`` is, as JSON-ready data (without the
    documents unless ``documents``: :func:`clusterer_state_parts`)."""
    state = {
        **_core_state(self),
        "terms": list(self._terms),
        "stories": [_story_state(s) for s in self._stories.values()],
        "topics": [_topic_state(t) for t in self._topics.values()],
    }
    if documents:
        state["documents"] = [_document_state(r) for r in self._docs.values()]
    return state


def clusterer_state_parts(self: StoryClusterer, *, per_part: int) -> Iterator[Any]:
    """:func:`clusterer_state` in parts, each built only when the previous one has been taken: the
    state with its lists empty, then ``(name, items)`` pairs whose items extend the list ``name``:
    the terms, the stories and topics a few at a time, and at most ``per_part`` documents at a time.
    No part holds more than a slice of the state (at 20,000 documents the stories and topics alone
    came to 80 MB of JSON text, written as one string)."""
    yield {**_core_state(self), "terms": [], "stories": [], "topics": [], "documents": []}
    terms = self._terms
    for start in range(0, len(terms), TERMS_PER_PART):
        yield "terms", terms[start : start + TERMS_PER_PART]
    for name, groups, state_of in (
        ("stories", list(self._stories.values()), _story_state),
        ("topics", list(self._topics.values()), _topic_state),
    ):
        for start in range(0, len(groups), GROUPS_PER_PART):
            yield name, [state_of(g) for g in groups[start : start + GROUPS_PER_PART]]
    records = list(self._docs.values())
    for start in range(0, len(records), per_part):
        yield "documents", [_document_state(r) for r in records[start : start + per_part]]


def _core_state(self: StoryClusterer) -> dict[str, Any]:
    return {
        "version": self.name,
        "config": self.config.to_dict(),
        "df": _pack(array("i", self._df)),
        "n_docs": self._n_docs,
        "next_seq": self._next_seq,
        "next_story": self._next_story,
        "next_topic": self._next_topic,
        "next_topic_regroup": self._next_topic_regroup,
    }


def _story_state(s: StoryGroup) -> dict[str, Any]:
    return {
        **_group_state(s),
        "topic": s.topic,
        "next_check": s.next_check,
        "merged_from": list(s.merged_from),
        "split_from": s.split_from,
        "contrast": s.contrast,
        "contrast_at": list(s.contrast_at) if s.contrast_at else None,
        "central": list(s.central) if s.central else None,
    }


def _topic_state(t: TopicGroup) -> dict[str, Any]:
    return {
        **_group_state(t),
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
    if state.get("version") != cls.name:
        raise ValueError(
            f"E060: story state is {state.get('version')!r}, this sitroom reads {cls.name!r}; "
            "re-cluster the documents to rebuild it"
        )
    clusterer = cls(config=StoryConfig.from_dict(state["config"]))
    clusterer._terms = list(state["terms"])
    clusterer._vocab = {term: i for i, term in enumerate(clusterer._terms)}
    clusterer._df = list(_unpack(state["df"], "i"))
    clusterer._n_docs = state["n_docs"]
    clusterer._next_seq = state["next_seq"]
    clusterer._next_story = state["next_story"]
    clusterer._next_topic = state["next_topic"]
    clusterer._next_topic_regroup = state["next_topic_regroup"]
    # One int object per term id, shared by every story's and topic's sums, counts and postings
    # (read from arrays, each dict would hold its own copy of each id: a sixth of the clusterer).
    ids = list(range(len(clusterer._terms)))
    for item in _taken(state, "documents", consume):
        clusterer._docs[item["id"]] = DocRecord(
            id=item["id"],
            seq=item["seq"],
            story=item["story"],
            title=item["title"],
            published=item["published"],
            span=date_span(item["published"]),
            vectors=[(_unpack(ids_, "i"), _unpack(weights, "d")) for ids_, weights in item["vectors"]],
        )
    for item in _taken(state, "stories", consume):
        story = StoryGroup(
            **_group_fields(item, clusterer._docs, ids),
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
    for item in _taken(state, "topics", consume):
        topic = TopicGroup(
            **_group_fields(item, clusterer._docs, ids),
            stories=list(item["stories"]),
            merged_from=list(item["merged_from"]),
            next_regroup=item["next_regroup"],
        )
        clusterer._topics[topic.id] = topic
        for sums in topic.sums:
            for term_id in sums:
                clusterer._postings.add(term_id, topic.id)
    return clusterer


def _taken(state: dict[str, Any], name: str, consume: bool) -> Iterator[dict[str, Any]]:
    """The entries of ``state[name]``; with ``consume``, taken out of ``state`` and each released as
    the next is read."""
    if not consume:
        yield from state[name]
        return
    entries = state.pop(name)
    for index in range(len(entries)):
        entry, entries[index] = entries[index], None
        yield entry


def _document_state(r: DocRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "seq": r.seq,
        "story": r.story,
        "title": r.title,
        "published": r.published,
        "vectors": [[_pack(ids), _pack(weights)] for ids, weights in r.vectors],
    }


def _group_state(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "seq": group.seq,
        "documents": list(group.docs),
        "sums": [[_pack(array("i", sums)), _pack(array("d", sums.values()))] for sums in group.sums],
        "df": [_pack(array("i", group.df)), _pack(array("i", group.df.values()))],
        "norms": list(group.norms),
        "norm_n": group.norm_n,
    }


def _group_fields(item: dict[str, Any], docs: dict[str, DocRecord], ids: list[int]) -> dict[str, Any]:
    span = None
    for doc_id in item["documents"]:
        span = union_spans(span, docs[doc_id].span)
    return {
        "id": item["id"],
        "seq": item["seq"],
        "docs": list(item["documents"]),
        "sums": [
            dict(zip(map(ids.__getitem__, _unpack(terms, "i")), _unpack(weights, "d"), strict=True))
            for terms, weights in item["sums"]
        ],
        "df": dict(
            zip(map(ids.__getitem__, _unpack(item["df"][0], "i")), _unpack(item["df"][1], "i"), strict=True)
        ),
        "span": span,
        "norms": list(item["norms"]),
        "norm_n": item["norm_n"],
    }


def _pack(values: array) -> str:
    """An array of 32-bit integers or 64-bit floats as ``"<typecode>:<base64 of little-endian bytes>"``."""
    if values.itemsize != {"i": 4, "d": 8}[values.typecode]:
        raise ValueError(f"cannot pack an array of {values.typecode!r} of {values.itemsize} bytes")
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    return f"{values.typecode}:{base64.b64encode(values.tobytes()).decode('ascii')}"


def _unpack(packed: str | list, typecode: str) -> array:
    """The array :func:`_pack` packed; a JSON list (states written before packing) as well."""
    if not isinstance(packed, str):
        return array(typecode, packed)
    code, _, data = packed.partition(":")
    if code != typecode:
        raise ValueError(f"E060: story state holds {code!r} numbers where {typecode!r} were expected")
    values = array(typecode)
    values.frombytes(base64.b64decode(data))
    if sys.byteorder != "little":
        values.byteswap()
    return values
