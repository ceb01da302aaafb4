"""Story clustering: synthetic documents with known stories; fast and offline."""

from __future__ import annotations

import json
import os

from sitroom.analyse.stories import STORIES_VERSION, StoryClusterer, StoryConfig, StoryInput, story_input
from sitroom.model import Document, Entity, Place, Published

QUAKE = [
    "A magnitude 6.8 earthquake struck Aceh province in Indonesia on Tuesday, killing at least 12 people "
    "in the town of Bener Meriah and collapsing houses and mosques.",
    "Rescuers in Aceh searched collapsed houses after the 6.8 magnitude earthquake near Bener Meriah; "
    "officials said at least 12 people were killed and dozens injured.",
    "The Indonesian disaster agency raised the toll of the Aceh earthquake to 22 dead as aftershocks "
    "rattled Bener Meriah and villagers slept outside their damaged houses.",
    "Survivors of the Bener Meriah earthquake in Aceh camped in tents while the Indonesian army cleared "
    "landslides blocking roads to damaged villages.",
]
REHAB = [
    "Actress Lindsay Lohan checked into the Betty Ford Center in Rancho Mirage to begin a 90-day "
    "court-ordered rehabilitation stay, her lawyer Shawn Holley said.",
    "Lindsay Lohan has entered the Betty Ford Center for rehab under a plea deal in her reckless driving "
    "case, according to her attorney Shawn Holley.",
    "A judge in Los Angeles approved Lindsay Lohan's transfer to the Betty Ford Center, where the actress "
    "will spend 90 days in rehab under the terms of her probation.",
]
BUDGET = [
    "The finance ministry unveiled a budget that raises fuel taxes and trims pensions, prompting unions "
    "to threaten a general strike in the capital.",
    "Unions called a general strike against the budget after the finance ministry refused to drop the "
    "fuel tax rise and pension cuts.",
]


def _inputs(prefix: str, texts: list[str], *, entities: tuple[str, ...] = ()) -> list[StoryInput]:
    return [StoryInput(f"{prefix}{i}", text, None, None, entities) for i, text in enumerate(texts)]


def _add_all(clusterer: StoryClusterer, docs: list[StoryInput]) -> list:
    changes = []
    for doc in docs:
        changes.extend(clusterer.add(doc))
    return changes


def test_different_stories_stay_apart_and_paraphrases_join() -> None:
    clusterer = StoryClusterer()
    docs = _inputs("q", QUAKE) + _inputs("r", REHAB) + _inputs("b", BUDGET)
    # Interleave, as a feed would.
    order = [docs[i] for i in (0, 4, 7, 1, 5, 8, 2, 6, 3)]
    _add_all(clusterer, order)
    quake = {clusterer.story_of(f"q{i}") for i in range(len(QUAKE))}
    rehab = {clusterer.story_of(f"r{i}") for i in range(len(REHAB))}
    budget = {clusterer.story_of(f"b{i}") for i in range(len(BUDGET))}
    assert len(quake) == len(rehab) == len(budget) == 1
    assert len(quake | rehab | budget) == 3
    assert len(clusterer.stories()) == 3


def test_ids_are_stable_as_a_story_grows() -> None:
    clusterer = StoryClusterer()
    changes = clusterer.add(_inputs("q", QUAKE)[0])
    assert [c.kind for c in changes] == ["created"]
    story_id = changes[0].story_id
    for doc in _inputs("q", QUAKE)[1:]:
        changes = clusterer.add(doc)
        assert changes[0].kind == "joined" and changes[0].story_id == story_id
    assert clusterer.stories()[0].documents == [f"q{i}" for i in range(len(QUAKE))]
    assert clusterer.add(_inputs("q", QUAKE)[0]) == []  # known id: nothing happens


def test_a_bridging_document_merges_two_stories_and_records_it() -> None:
    clusterer = StoryClusterer()
    left = [
        "Floodwaters swept through the riverside town of Kelso, destroying the old stone bridge and "
        "forcing hundreds of residents from their homes.",
        "The old stone bridge at Kelso was destroyed as floodwaters forced hundreds of residents out.",
    ]
    right = [
        "Army engineers began building a temporary crossing for Kelso residents cut off since the "
        "flood, with pontoons brought in by lorry.",
        "Pontoons arrived by lorry as army engineers started the temporary crossing for cut-off Kelso "
        "residents.",
    ]
    bridge = (
        "Kelso residents forced from their homes when floodwaters destroyed the old stone bridge will "
        "use a temporary crossing of pontoons that army engineers brought in by lorry."
    )
    _add_all(clusterer, _inputs("l", left) + _inputs("r", right))
    first, second = clusterer.story_of("l0"), clusterer.story_of("r0")
    assert first != second
    changes = clusterer.add(StoryInput("bridge", bridge))
    merges = [c for c in changes if c.kind == "merged"]
    assert len(merges) == 1
    assert {merges[0].story_id, merges[0].other} == {first, second}
    survivor = merges[0].story_id
    (joined,) = [c.story_id for c in changes if c.kind == "joined"]
    assert survivor == joined  # the bridge made it the larger story, so its id survives
    assert {clusterer.story_of(d) for d in ("l0", "l1", "r0", "r1", "bridge")} == {survivor}
    (story,) = clusterer.stories()
    assert story.merged_from == [({first, second} - {survivor}).pop()]
    assert merges[0].document_id == "bridge" and "matches both" in merges[0].reason


def test_state_round_trip_behaves_identically() -> None:
    docs = _inputs("q", QUAKE) + _inputs("r", REHAB) + _inputs("b", BUDGET)
    original = StoryClusterer()
    _add_all(original, docs[:5])
    restored = StoryClusterer.from_state(json.loads(json.dumps(original.to_state())))
    assert restored.to_state() == original.to_state()
    # Consuming the state (as the workspace does) restores the same clusterer and empties the state.
    state = json.loads(json.dumps(original.to_state()))
    consumed = StoryClusterer.from_state(state, consume=True)
    assert "documents" not in state and consumed.to_state() == original.to_state()
    assert _add_all(original, docs[5:]) == _add_all(restored, docs[5:]) == _add_all(consumed, docs[5:])
    assert original.stories() == restored.stories() == consumed.stories()
    assert original.to_state()["version"] == STORIES_VERSION


def test_state_written_with_number_lists_reads_the_same() -> None:
    """States saved before numbers were packed (JSON lists) restore the same clusterer."""
    from sitroom.analyse.stories_state import _unpack

    docs = _inputs("q", QUAKE) + _inputs("r", REHAB) + _inputs("b", BUDGET)
    original = StoryClusterer()
    _add_all(original, docs[:5])
    state = original.to_state()
    assert isinstance(state["df"], str) and state["documents"][0]["vectors"][0][1].startswith("d:")

    def listed(packed: str) -> list:
        return _unpack(packed, packed[0]).tolist()

    old = json.loads(json.dumps(state))
    old["terms"] = original._vocab.terms()  # the vocabulary as a list of terms
    del old["vocabulary"]
    old["df"] = listed(old["df"])
    for doc in old["documents"]:
        doc["vectors"] = [[listed(ids), listed(weights)] for ids, weights in doc["vectors"]]
    for group in old["stories"] + old["topics"]:
        group["sums"] = [[listed(ids), listed(weights)] for ids, weights in group["sums"]]
        group["df"] = [listed(part) for part in group["df"]]
    restored = StoryClusterer.from_state(json.loads(json.dumps(old)))
    assert restored.to_state() == state
    assert _add_all(original, docs[5:]) == _add_all(restored, docs[5:])


def test_state_saved_without_the_vocabulary_hashes_reads_the_same() -> None:
    """States saved before the vocabulary's hashes were kept hash its terms when read."""
    docs = _inputs("q", QUAKE) + _inputs("r", REHAB) + _inputs("b", BUDGET)
    original = StoryClusterer()
    _add_all(original, docs[:5])
    state = original.to_state()
    assert all(len(item) == 3 and item[2].startswith("q:") for item in state["vocabulary"])
    old = json.loads(json.dumps(state))
    old["vocabulary"] = [item[:2] for item in old["vocabulary"]]
    restored = StoryClusterer.from_state(old)
    assert restored.to_state() == state
    assert _add_all(original, docs[5:]) == _add_all(restored, docs[5:])


def test_titles_are_readable() -> None:
    clusterer = StoryClusterer()
    noisy = "http : / / www . example . com / 2013 / quake\nSaturday , August 24 , 2013\n" + QUAKE[1]
    clusterer.add(StoryInput("noisy", noisy))
    clusterer.add(StoryInput("titled", QUAKE[0], title="Deadly earthquake hits Aceh"))
    for doc in _inputs("q", QUAKE[2:]):
        clusterer.add(doc)
    (story,) = clusterer.stories()
    assert story.title in {"Deadly earthquake hits Aceh", *QUAKE[1:]} or story.title.startswith("Rescuers")
    assert "http" not in story.title and "/" not in story.title
    assert "aceh" in story.keywords or "earthquake" in story.keywords
    long_title = StoryClusterer()
    long_title.add(StoryInput("long", " ".join(QUAKE)))
    assert len(long_title.stories()[0].title) <= 122


def test_empty_text_is_handled() -> None:
    clusterer = StoryClusterer()
    changes = clusterer.add(StoryInput("empty", ""))
    assert [c.kind for c in changes] == ["created"]
    clusterer.add(StoryInput("blank", "   \n "))
    clusterer.add(_inputs("q", QUAKE)[0])
    stories = clusterer.stories()
    assert len(stories) == 3
    assert stories[0].title == "(untitled)"
    assert clusterer.story_of("q0") not in {clusterer.story_of("empty"), clusterer.story_of("blank")}


def test_dates_give_first_and_last_seen_and_keep_distant_events_apart() -> None:
    clusterer = StoryClusterer()
    for i, text in enumerate(QUAKE[:3]):
        clusterer.add(StoryInput(f"q{i}", text, None, f"2013-07-0{i + 2}"))
    (story,) = clusterer.stories()
    assert (story.first_seen, story.last_seen) == ("2013-07-02", "2013-07-04")
    changes = clusterer.add(StoryInput("undated", QUAKE[3]))
    assert changes[0].kind == "joined"
    assert clusterer.stories()[0].last_seen == "2013-07-04"


def test_story_input_from_annotations() -> None:
    doc = Document(
        id="d1",
        text=QUAKE[0],
        origin="test",
        format="text",
        title="Quake in Aceh",
        published=Published(value="2013-07-02", precision="day", basis="stated"),
    )
    entities = [
        Entity(key="e1", name="Bener  Meriah", type="GPE"),
        Entity(key="e2", name="x", type="ORG", actor_id="IDN-GOV"),
    ]
    places = [Place(start=0, end=4, name="Aceh", lat=4.5, lon=96.5, country_code="ID", geonames_id=1215638)]
    item = story_input(doc, entities=entities, places=places)
    assert item.published == "2013-07-02"
    assert item.entities == ("IDN-GOV", "gpe:bener meriah")
    assert item.places == ("geonames:1215638",)


CHILE = [
    "A magnitude 7.1 earthquake shook the Chilean city of Valparaiso, where firefighters pulled "
    "survivors from a collapsed apartment block near the port.",
    "Firefighters in Valparaiso searched the rubble of the apartment block that collapsed in the "
    "Chilean earthquake; the port was closed and ferries cancelled.",
    "Chile's president Gabriel Boric visited Valparaiso after the earthquake and promised to rebuild "
    "the apartment block and reopen the port within a week.",
    "Ferries returned to the port of Valparaiso as Chilean engineers inspected apartment blocks "
    "damaged by the earthquake.",
]


def _one_topic(**overrides) -> StoryClusterer:
    """A clusterer that puts every document in one topic and re-clusters it at every arrival, with
    the incremental bisection switched off, so that the re-clustering alone decides the stories."""
    settings = {
        "topic_threshold": 0.0,
        "split_min_size": 100,
        "regroup_min_docs": 4,
        "regroup_growth": 1.0,
        **overrides,
    }
    return StoryClusterer(config=StoryConfig.load(**settings))


def test_regrouping_splits_a_story_that_joined_too_eagerly() -> None:
    clusterer = _one_topic(join_threshold=0.0)  # every document joins the first story
    docs = [StoryInput(f"q{i}", t) for i, t in enumerate(QUAKE)] + [
        StoryInput(f"c{i}", t) for i, t in enumerate(CHILE)
    ]
    first = clusterer.add(docs[0])[0].story_id
    order = [docs[i] for i in (4, 1, 5, 2, 6, 3, 7)]
    changes = _add_all(clusterer, order)
    assert len({clusterer.topic_of(d.document_id) for d in docs}) == 1
    quake = {clusterer.story_of(f"q{i}") for i in range(len(QUAKE))}
    chile = {clusterer.story_of(f"c{i}") for i in range(len(CHILE))}
    assert quake == {first}  # the story the first document founded keeps its id
    assert len(chile) == 1 and chile != quake
    splits = [c for c in changes if c.kind == "split"]
    assert splits and splits[0].story_id == first and "re-clustered" in splits[0].reason
    (moved_to,) = chile
    assert any(
        c.other == moved_to or c.story_id == moved_to
        for c in splits + [c for c in changes if c.kind == "moved"]
    )
    (story,) = clusterer.stories([moved_to])
    assert story.split_from == first


def test_regrouping_merges_stories_founded_too_eagerly() -> None:
    clusterer = _one_topic(join_threshold=1.01, bridge_threshold=1.01)  # every document founds a story
    changes = _add_all(clusterer, _inputs("q", QUAKE))
    assert [c.kind for c in changes[:3]] == ["created"] * 3
    merges = [c for c in changes if c.kind == "merged"]
    assert len(merges) == 3 and all("re-clustered" in c.reason for c in merges)
    (story,) = clusterer.stories()
    assert story.id == changes[0].story_id  # the oldest story keeps its id
    assert sorted(story.merged_from) == sorted(c.other for c in merges)
    assert story.documents == [f"q{i}" for i in range(len(QUAKE))]


def test_state_round_trip_after_regrouping() -> None:
    docs = [StoryInput(f"q{i}", t) for i, t in enumerate(QUAKE)] + [
        StoryInput(f"c{i}", t) for i, t in enumerate(CHILE)
    ]
    order = [docs[i] for i in (0, 4, 1, 5, 2, 6, 3, 7)]
    original = _one_topic(join_threshold=0.0)
    _add_all(original, order[:5])
    restored = StoryClusterer.from_state(json.loads(json.dumps(original.to_state())))
    assert restored.to_state() == original.to_state()
    assert _add_all(original, order[5:]) == _add_all(restored, order[5:])
    assert original.stories() == restored.stories()
    assert original.to_state() == restored.to_state()


CHILE_QUAKE = [
    "President Bachelet declared a state of catastrophe in Maule after the earthquake of magnitude 7.1 "
    "toppled adobe homes in Talca and cut power to two million Chileans.",
    "Talca's mayor said nine residents died when the quake brought down the cathedral's bell tower; the "
    "navy lifted a tsunami alert for the Pacific coast hours later.",
    "Copper mines in the Andes resumed work on Monday while engineers inspected bridges on the Pan-American "
    "highway for cracks left by Sunday's earthquake.",
]
REID_REHAB = [
    "Tara Reid, the American Pie star, is seeking treatment at Promises in Malibu after a string of "
    "tabloid-reported nights out, publicist Jack Ketsoyan told People magazine.",
    "Ketsoyan asked fans to respect Reid's privacy while she works on her sobriety at the beachside "
    "Promises facility, which counts several Hollywood names among its former clients.",
    "Reid's reality show on E! was put on hold; producers said filming would resume once the actress "
    "leaves Promises, possibly in time for the autumn schedule.",
]
QUAKE_LEAD = ("earthquake", "magnitude", "house", "people", "toll")
REHAB_LEAD = ("actress", "rehab", "center", "publicist", "star")


def test_stories_are_regrouped_into_topics_by_what_happened() -> None:
    # Topics demand so much on arrival that every story starts a topic of its own; regrouping the
    # stories then puts the two earthquakes together and the two rehab stays together.
    config = StoryConfig.load(topic_threshold=0.95, topic_regroup_min_docs=4, topic_regroup_growth=1.2)
    clusterer = StoryClusterer(config=config)
    groups = {
        "aceh": (QUAKE[:3], ("place:aceh", "place:bener meriah"), QUAKE_LEAD),
        "chile": (CHILE_QUAKE, ("place:talca", "place:maule"), QUAKE_LEAD),
        "lohan": (REHAB, ("person:lindsay lohan", "org:betty ford center"), REHAB_LEAD),
        "reid": (REID_REHAB, ("person:tara reid", "org:promises treatment center"), REHAB_LEAD),
    }
    docs = [
        StoryInput(f"{name}{i}", text, None, None, names, (), lead)
        for name, (texts, names, lead) in groups.items()
        for i, text in enumerate(texts)
    ]
    order = [docs[i] for i in (0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11)]
    changes = _add_all(clusterer, order)
    stories = {name: {clusterer.story_of(f"{name}{i}") for i in range(3)} for name in groups}
    assert all(len(ids) == 1 for ids in stories.values())
    assert len(set().union(*stories.values())) == 4  # four stories stay four
    topics = {name: clusterer.topic_of(f"{name}0") for name in groups}
    assert topics["aceh"] == topics["chile"] != topics["lohan"] == topics["reid"]
    merged = [c for c in changes if c.kind == "topic-merged"]
    assert merged and all("regrouped" in c.reason for c in merged)
    # The state carries the regrouping schedule and the new topics.
    restored = StoryClusterer.from_state(json.loads(json.dumps(clusterer.to_state())))
    assert restored.to_state() == clusterer.to_state()
    assert restored.topic_of("reid0") == topics["reid"]


def test_lead_lines_and_nouns() -> None:
    from sitroom.analyse.stories_lead import lead_lines, lead_terms
    from sitroom.pipeline import load_spacy

    text = (
        "By Jane Doe\n"
        "A fire destroyed the Wasilla Bible Church on Friday night, and investigators said it was arson.\n"
        "Damage was estimated at one million dollars by fire department officials.\n"
    )
    assert lead_lines("Church burns in Wasilla", text) == [
        "Church burns in Wasilla",
        "A fire destroyed the Wasilla Bible Church on Friday night, and investigators said it was arson.",
        "Damage was estimated at one million dollars by fire department officials.",
    ]
    nouns = lead_terms(load_spacy(), "Church burns in Wasilla", text)
    assert {"fire", "arson", "damage"} <= set(nouns)
    assert "wasilla" not in nouns and "jane" not in nouns  # names are not what happened


def test_topic_postings_hold_one_id_or_a_set_and_forget_emptied_terms() -> None:
    from sitroom.analyse.stories_groups import TopicPostings

    postings = TopicPostings()
    postings.add(7, "topic-1")
    postings.add(7, "topic-1")
    assert postings.topics(7) == ("topic-1",)
    postings.add(7, "topic-2")
    assert set(postings.topics(7)) == {"topic-1", "topic-2"}
    postings.discard(7, "topic-1")
    assert postings.topics(7) == ("topic-2",)
    postings.discard(7, "topic-9")  # a topic the term never had: nothing changes
    assert postings.topics(7) == ("topic-2",)
    postings.discard(7, "topic-2")
    assert postings.topics(7) == () and len(postings) == 0
    postings.discard(8, "topic-1")  # an unknown term: nothing to do
    assert postings.topics(8) == ()
    postings.add(70_000, "topic-3")  # term ids far past the ones seen so far
    assert postings.topics(70_000) == ("topic-3",) and postings.topics(69_999) == () and len(postings) == 1
    assert postings.topics(10**9) == ()


def test_topic_postings_grow_from_a_tuple_to_a_set_and_back() -> None:
    from sitroom.analyse.stories_groups import TopicPostings

    postings = TopicPostings()
    many = [f"topic-{i}" for i in range(TopicPostings.TUPLE_MAX + 2)]
    for topic_id in many[:3]:
        postings.add(5, topic_id)
    assert postings.topics(5) == tuple(many[:3])  # a few: a tuple, in the order they came
    for topic_id in many:
        postings.add(5, topic_id)
    assert isinstance(postings.topics(5), set) and postings.topics(5) == set(many)
    postings.discard(5, many[0])
    assert isinstance(postings.topics(5), set) and len(postings.topics(5)) == TopicPostings.TUPLE_MAX + 1
    postings.discard(5, many[1])  # few enough again
    assert sorted(postings.topics(5)) == sorted(many[2:])
    for topic_id in many[2:-1]:
        postings.discard(5, topic_id)
    assert postings.topics(5) == (many[-1],) and len(postings) == 1


def test_a_large_story_keeps_its_title_document_until_it_grows_by_a_tenth() -> None:
    clusterer = StoryClusterer()
    # Twenty copies of one report of a quake, each with its own number, then more of them.
    docs = _inputs("q", [f"{QUAKE[0]} Report {i}." for i in range(26)])
    _add_all(clusterer, docs[:20])
    [story] = clusterer.stories()
    assert len(story.documents) == 20
    group = clusterer._stories[story.id]
    assert group.central is not None and group.central[:1] == (story.title_document,)
    before = group.central
    _add_all(clusterer, docs[20:22])  # grown by a tenth: the centre is kept
    [story] = clusterer.stories()
    assert len(story.documents) == 22 and group.central == before
    assert (story.title_document, story.cohesion) == before[:2]
    _add_all(clusterer, docs[22:])  # grown by more: summed anew
    [story] = clusterer.stories()
    assert len(story.documents) == 26 and group.central[2] == 26
    # A restored clusterer describes it the same way.
    restored = StoryClusterer.from_state(json.loads(json.dumps(clusterer.to_state())))
    assert restored.stories() == clusterer.stories()


def test_vocabulary_numbers_terms_in_order_and_finds_them_again() -> None:
    from sitroom.analyse.stories_vocab import Vocabulary

    vocab = Vocabulary()
    assert vocab.ids(["w:quake", "e:Ankara", "w:quake"]) == [0, 1, 0]
    assert vocab.ids(["w:städte", "w:quake"]) == [2, 0]  # any text: stored as UTF-8
    many = [f"w:t{i}" for i in range(5000)]  # enough to sort the recent terms in
    assert vocab.ids(many) == list(range(3, 5003))
    assert vocab.ids(["w:t4999", "e:Ankara", "w:new"]) == [5002, 1, 5003]
    assert len(vocab) == 5004 and vocab.term(2) == "w:städte" and vocab.terms(0, 2) == ["w:quake", "e:Ankara"]
    # Read back from its terms, or from its packed text in parts (a saved state): the same ids.
    again = Vocabulary(vocab.terms())
    assert again.ids(["w:new", "w:quake", "w:t17"]) == [5003, 0, 20] and len(again) == 5004
    parts = Vocabulary()
    for start in range(0, len(vocab), 1500):
        parts.extend_packed(*vocab.packed(start, start + 1500))
    assert parts.terms() == vocab.terms() and parts.ids(["w:t17", "w:städte", "w:other"]) == [20, 2, 5004]
    # With the hashes saved beside the terms: nothing hashed again, the same ids.
    hashed = Vocabulary()
    for start in range(0, len(vocab), 1500):
        hashed.extend_packed(*vocab.packed(start, start + 1500), vocab.hashes(start, start + 1500))
    assert hashed.terms() == vocab.terms() and hashed.ids(["w:t17", "w:städte", "w:other"]) == [20, 2, 5004]


def test_a_vocabulary_refuses_saved_hashes_that_are_not_its_terms() -> None:
    import pytest

    from sitroom.analyse.stories_vocab import Vocabulary

    vocab = Vocabulary([f"w:t{i}" for i in range(300)])
    text, ends = vocab.packed()
    wrong = vocab.hashes()[::-1].copy()  # the right hashes, of other terms
    with pytest.raises(ValueError, match="E060"):
        Vocabulary().extend_packed(text, ends, wrong)
    with pytest.raises(ValueError, match="E060"):
        Vocabulary().extend_packed(text, ends, vocab.hashes()[:-1])


def test_a_vocabulary_finds_its_terms_in_another_process() -> None:
    """A vocabulary pickled in one process finds its terms in another, whose string hashes are salted
    differently (the vocabulary's own hash is of the bytes)."""
    import pickle
    import subprocess
    import sys

    from sitroom.analyse.stories_vocab import Vocabulary

    vocab = Vocabulary([f"w:t{i}" for i in range(100)])
    program = (
        "import pickle, sys; vocab = pickle.loads(sys.stdin.buffer.read()); "
        "print(hash('w:t7'), vocab.ids(['w:t7', 'w:t99', 'w:new']))"
    )
    seed = "1" if hash("w:t7") != _hash_with_seed("w:t7", "1") else "2"
    found = subprocess.run(
        [sys.executable, "-c", program],
        input=pickle.dumps(vocab),
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    child_hash, ids = found.stdout.decode().strip().split(" ", 1)
    assert int(child_hash) != hash("w:t7")  # the other process really hashes differently
    assert ids == "[7, 99, 100]"


def _hash_with_seed(text: str, seed: str) -> int:
    import subprocess
    import sys

    program = f"print(hash({text!r}))"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return int(
        subprocess.run([sys.executable, "-c", program], capture_output=True, check=True, env=env).stdout
    )


def test_vocabulary_keeps_terms_with_the_same_hash_apart(monkeypatch) -> None:
    import numpy as np

    from sitroom.analyse import stories_vocab
    from sitroom.analyse.stories_vocab import Vocabulary

    # Every term hashes alike: each lookup must tell them apart by their text.
    monkeypatch.setattr(stories_vocab, "byte_hashes", lambda data, ends: np.zeros(len(ends), np.int64))
    vocab = Vocabulary()
    first = vocab.ids(["w:a", "w:b"])
    vocab._fold()  # both now among the sorted hashes
    assert first == [0, 1]
    assert vocab.ids(["w:b", "w:a", "w:c"]) == [1, 0, 2]
    vocab._fold()
    assert vocab.ids(["w:c", "w:b"]) == [2, 1]
    again = Vocabulary()
    again.extend_packed(*vocab.packed())
    assert again.ids(["w:b", "w:c", "w:a", "w:d"]) == [1, 2, 0, 3]


def test_byte_hashes_are_a_polynomial_of_the_bytes_the_same_in_every_process() -> None:
    import numpy as np

    from sitroom.analyse.stories_vocab import _MULTIPLIER, byte_hashes

    terms = [b"w:ab", b"e:Ankara", b"", "w:städte".encode(), b"w:ab"]
    ends = np.cumsum([len(t) for t in terms])
    found = byte_hashes(np.frombuffer(b"".join(terms), np.uint8), ends).view(np.uint64).tolist()

    def horner(data: bytes) -> int:
        value = 0
        for byte in data:
            value = (value * int(_MULTIPLIER) + byte) % 2**64
        return value

    assert found == [horner(t) for t in terms]
    assert found[0] == found[4] and found[2] == 0 and len(set(found)) == 4


class _VectorStore:
    """What a workspace's store does with a clusterer's vectors, in memory: keeps the ``"vectors"``
    parts of each saved state and gives them back by document id."""

    def __init__(self) -> None:
        self.kept: dict[str, list] = {}
        self.asked: list[str] = []

    def fetch(self, doc_ids) -> dict[str, list]:
        self.asked.extend(doc_ids)
        return {d: self.kept[d] for d in doc_ids if d in self.kept}

    def save(self, clusterer: StoryClusterer) -> tuple[dict, list]:
        """The state as a store saves it: the head and its parts, the vectors taken out."""
        parts = json.loads(json.dumps(list(clusterer.state_parts(per_part=2))))
        for name, items in parts[1:]:
            if name == "vectors":
                self.kept.update((doc_id, vectors) for doc_id, vectors in items)
        clusterer.vectors_saved()
        return parts[0], [(name, items) for name, items in parts[1:] if name != "vectors"]


def _docs_for_every_operation() -> list[StoryInput]:
    """Three stories, one of them grown past its split check and its description's refresh."""
    quake_reports = [f"{QUAKE[i % 4]} Report {i}." for i in range(14)]
    return _inputs("q", quake_reports) + _inputs("r", REHAB) + _inputs("b", BUDGET) + _inputs("x", QUAKE)


def test_a_clusterer_with_a_vector_store_holds_only_unsaved_vectors_and_behaves_the_same() -> None:
    docs = _docs_for_every_operation()
    plain, store = StoryClusterer(), _VectorStore()
    stored = StoryClusterer()
    stored.use_vector_store(store.fetch)
    for n, doc in enumerate(docs[:20]):
        assert stored.add(doc) == plain.add(doc)
        if n % 4 == 3:
            store.save(stored)
            assert not any(r.held for r in stored._docs.values())  # all saved: none held
    assert stored.stories() == plain.stories()
    assert store.asked, "splitting, re-clustering or describing loaded some saved vectors"
    # Rebuilt from its saved parts with the store, it carries on as the plain clusterer does.
    head, parts = store.save(stored)
    assert all("vectors" not in doc for _, items in parts if _ == "documents" for doc in items)
    restored = StoryClusterer.from_parts(head, parts, vectors=store.fetch)
    assert not any(r.held for r in restored._docs.values())
    assert _add_all(restored, docs[20:]) == _add_all(plain, docs[20:])
    assert restored.stories() == plain.stories()


def test_a_state_with_vectors_moves_them_to_the_store_on_its_next_save() -> None:
    docs = _docs_for_every_operation()
    older = StoryClusterer()
    _add_all(older, docs[:10])
    store = _VectorStore()
    state = json.loads(json.dumps(older.to_state()))  # saved before there was a vector store
    moved = StoryClusterer.from_parts(state, [], vectors=store.fetch)
    assert all(r.held and not r.saved for r in moved._docs.values())
    store.save(moved)
    assert sorted(store.kept) == sorted(d.document_id for d in docs[:10])
    assert not any(r.held for r in moved._docs.values())
    assert _add_all(moved, docs[10:]) == _add_all(older, docs[10:])


def test_missing_stored_vectors_are_a_clear_error() -> None:
    import pytest

    docs = _docs_for_every_operation()
    store = _VectorStore()
    clusterer = StoryClusterer()
    clusterer.use_vector_store(store.fetch)
    _add_all(clusterer, docs[:4])
    head, parts = store.save(clusterer)
    store.kept.clear()  # the store lost them
    restored = StoryClusterer.from_parts(head, parts, vectors=store.fetch)
    with pytest.raises(ValueError, match="E060: the store has no story vectors of q"):
        _add_all(restored, docs[4:20])
    with pytest.raises(ValueError, match="E060: story state keeps the vectors of q0 in a store"):
        StoryClusterer.from_parts(head, parts)


def test_term_tables_sum_and_count_as_dicts_would() -> None:
    """Random documents added to and merged between tables give the sums and counts that dicts of
    term -> weight and term -> count give (the clusterer's bookkeeping before the tables)."""
    import random

    import numpy as np

    from sitroom.analyse.stories_terms import TermTable

    rng = random.Random(7)
    tables = [TermTable() for _ in range(3)]
    sums: list[dict[int, float]] = [{} for _ in range(3)]
    counts: list[dict[int, int]] = [{} for _ in range(3)]
    for _ in range(200):
        which = rng.randrange(3)
        if rng.random() < 0.05:  # a merge: the last table absorbs another, which starts again
            other = rng.randrange(2)
            tables[2].absorb(tables[other])
            for term, weight in sums[other].items():
                sums[2][term] = sums[2].get(term, 0.0) + weight
                counts[2][term] = counts[2].get(term, 0) + counts[other][term]
            tables[other], sums[other], counts[other] = TermTable(), {}, {}
            continue
        ids = rng.sample(range(500), rng.randrange(0, 30))
        weights = [rng.random() for _ in ids]
        fresh = tables[which].add(np.array(ids, dtype=np.int32), np.array(weights))
        assert sorted(fresh.tolist()) == sorted(t for t in ids if t not in sums[which])
        for term, weight in zip(ids, weights, strict=True):
            sums[which][term] = sums[which].get(term, 0.0) + weight
            counts[which][term] = counts[which].get(term, 0) + 1
    probe = np.arange(-5, 510, dtype=np.int32)
    for table, expected_sums, expected_counts in zip(tables, sums, counts, strict=True):
        assert table.ids.tolist() == sorted(expected_sums)
        assert np.allclose(table.sums_at(probe), [expected_sums.get(t, 0.0) for t in probe.tolist()])
        assert table.counts_at(probe).tolist() == [expected_counts.get(t, 0) for t in probe.tolist()]


def test_topic_postings_add_many_is_add_for_each() -> None:
    import random

    from sitroom.analyse.stories_groups import TopicPostings

    rng = random.Random(3)
    one_by_one, at_once = TopicPostings(), TopicPostings()
    for _ in range(300):
        topic_id = f"topic-{rng.randrange(80)}"
        terms = rng.sample(range(3000), rng.randrange(0, 40))
        if rng.random() < 0.2:
            for term_id in terms:
                one_by_one.discard(term_id, topic_id)
                at_once.discard(term_id, topic_id)
            continue
        for term_id in terms:
            one_by_one.add(term_id, topic_id)
        at_once.add_many(terms, topic_id)
    assert len(one_by_one) == len(at_once)
    assert all(set(one_by_one.topics(t)) == set(at_once.topics(t)) for t in range(3100))


def _postings_two_ways(rng, *, topics: int, terms: int, most: int):
    """Random topics' term ids, and their index built topic by topic and built at once."""
    import numpy as np

    from sitroom.analyse.stories_groups import TopicPostings

    pairs = [
        (f"topic-{n}", np.array(rng.sample(range(terms), rng.randrange(0, most)), dtype=np.int32))
        for n in range(topics)
    ]
    in_turn = TopicPostings()
    for topic_id, term_ids in pairs:
        in_turn.add_many(term_ids, topic_id)
    return in_turn, TopicPostings.of(pairs)


def test_topic_postings_built_at_once_are_the_topics_added_in_turn() -> None:
    import random

    from sitroom.analyse.stories_groups import TopicPostings

    in_turn, built = _postings_two_ways(random.Random(5), topics=90, terms=2000, most=300)
    assert len(built) == len(in_turn)
    assert all(built.topics(t) == in_turn.topics(t) for t in range(2100))  # same order, same kind
    assert TopicPostings.of([]).topics(3) == () and len(TopicPostings.of([("topic-1", [])])) == 0


def test_topic_postings_built_at_once_change_like_the_ones_added_in_turn_before_any_lookup() -> None:
    # An index read back makes a shared term's entry only when it is first used: adding and removing
    # topics of terms never looked up must come out as on the index built one topic at a time.
    import random

    rng = random.Random(11)
    in_turn, built = _postings_two_ways(rng, topics=40, terms=500, most=120)
    built.prepare(list(range(0, 520, 3)))  # a third made at once (a query's terms), the rest as used
    for _ in range(400):
        term, topic_id, adding = rng.randrange(520), f"topic-{rng.randrange(45)}", rng.random() < 0.5
        for postings in (in_turn, built):  # the same step on both
            if adding:
                postings.add(term, topic_id)
            else:
                postings.discard(term, topic_id)
    assert len(built) == len(in_turn)
    assert all(built.topics(t) == in_turn.topics(t) for t in range(520))
