"""The story clusterer's state as JSON-ready data, and the clusterer rebuilt from it.

Internal to :mod:`sitroom.analyse.stories` (``StoryClusterer.to_state`` / ``from_state``): every
document's vectors, every story and topic with its sums and counts, the vocabulary and document
frequencies, and the schedules of re-clustering, so that a rebuilt clusterer behaves identically.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

from sitroom.analyse.stories_features import StoryConfig, date_span
from sitroom.analyse.stories_groups import DocRecord, Group, StoryGroup, TopicGroup, union_spans

if TYPE_CHECKING:
    from sitroom.analyse.stories import StoryClusterer


def clusterer_state(self: StoryClusterer) -> dict[str, Any]:
    """Everything needed to carry on exactly where ``self`` is, as JSON-ready data."""
    return {
        "version": self.name,
        "config": self.config.to_dict(),
        "terms": list(self._terms),
        "df": list(self._df),
        "n_docs": self._n_docs,
        "next_seq": self._next_seq,
        "next_story": self._next_story,
        "next_topic": self._next_topic,
        "next_topic_regroup": self._next_topic_regroup,
        "documents": [
            {
                "id": r.id,
                "seq": r.seq,
                "story": r.story,
                "title": r.title,
                "published": r.published,
                "vectors": [[ids.tolist(), weights.tolist()] for ids, weights in r.vectors],
            }
            for r in self._docs.values()
        ],
        "stories": [
            {
                **_group_state(s),
                "topic": s.topic,
                "next_check": s.next_check,
                "merged_from": list(s.merged_from),
                "split_from": s.split_from,
            }
            for s in self._stories.values()
        ],
        "topics": [
            {
                **_group_state(t),
                "stories": list(t.stories),
                "merged_from": list(t.merged_from),
                "next_regroup": t.next_regroup,
            }
            for t in self._topics.values()
        ],
    }


def restore_clusterer(cls: type[StoryClusterer], state: dict[str, Any]) -> StoryClusterer:
    """A clusterer of class ``cls`` rebuilt from :func:`clusterer_state` output."""
    if state.get("version") != cls.name:
        raise ValueError(
            f"E060: story state is {state.get('version')!r}, this sitroom reads {cls.name!r}; "
            "re-cluster the documents to rebuild it"
        )
    clusterer = cls(config=StoryConfig.from_dict(state["config"]))
    clusterer._terms = list(state["terms"])
    clusterer._vocab = {term: i for i, term in enumerate(clusterer._terms)}
    clusterer._df = list(state["df"])
    clusterer._n_docs = state["n_docs"]
    clusterer._next_seq = state["next_seq"]
    clusterer._next_story = state["next_story"]
    clusterer._next_topic = state["next_topic"]
    clusterer._next_topic_regroup = state["next_topic_regroup"]
    for item in state["documents"]:
        clusterer._docs[item["id"]] = DocRecord(
            id=item["id"],
            seq=item["seq"],
            story=item["story"],
            title=item["title"],
            published=item["published"],
            span=date_span(item["published"]),
            vectors=[(array("i", ids), array("d", weights)) for ids, weights in item["vectors"]],
        )
    for item in state["stories"]:
        story = StoryGroup(
            **_group_fields(item, clusterer._docs),
            topic=item["topic"],
            next_check=item["next_check"],
            merged_from=list(item["merged_from"]),
            split_from=item["split_from"],
        )
        clusterer._stories[story.id] = story
    for item in state["topics"]:
        topic = TopicGroup(
            **_group_fields(item, clusterer._docs),
            stories=list(item["stories"]),
            merged_from=list(item["merged_from"]),
            next_regroup=item["next_regroup"],
        )
        clusterer._topics[topic.id] = topic
        for sums in topic.sums:
            for term_id in sums:
                clusterer._postings.setdefault(term_id, set()).add(topic.id)
    return clusterer


def _group_state(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "seq": group.seq,
        "documents": list(group.docs),
        "sums": [[list(sums), list(sums.values())] for sums in group.sums],
        "df": [list(group.df), list(group.df.values())],
        "norms": list(group.norms),
        "norm_n": group.norm_n,
    }


def _group_fields(item: dict[str, Any], docs: dict[str, DocRecord]) -> dict[str, Any]:
    span = None
    for doc_id in item["documents"]:
        span = union_spans(span, docs[doc_id].span)
    return {
        "id": item["id"],
        "seq": item["seq"],
        "docs": list(item["documents"]),
        "sums": [dict(zip(ids, weights, strict=True)) for ids, weights in item["sums"]],
        "df": dict(zip(*item["df"], strict=True)),
        "span": span,
        "norms": list(item["norms"]),
        "norm_n": item["norm_n"],
    }
