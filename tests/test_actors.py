"""The actor dictionary: packaged data validates, the demo corpus's actors are found, roles resolve by
date, and user files extend the dictionary or are reported with file and entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitroom.nlp.actors import ACTOR_TYPES, ActorDataError, ActorDictionary

SEEDS = Path(__file__).resolve().parents[1] / "sitroom" / "examples" / "syria-ground-forces"


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.load()


@pytest.fixture(scope="module")
def corpus() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def found(actors: ActorDictionary, text: str, **kw: object) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.actor_id, m.kind) for m in actors.find_mentions(text, **kw)]


def test_packaged_data_loads_and_covers_all_un_members(actors: ActorDictionary) -> None:
    states = [a for a in actors if a.type == "state"]
    assert len(states) >= 193 + 2
    assert all(actors.get(f"gov/{s.country}") for s in states)
    assert {a.type for a in actors} <= ACTOR_TYPES
    for actor_id in (
        "state/RUS",
        "gov/SYR",
        "person/vladimir-putin",
        "group/islamic-state",
        "media/ria-novosti",
    ):
        assert actors.get(actor_id) is not None, actor_id
    assert actors.get("no/such-actor") is None


@pytest.mark.parametrize(
    ("surface", "actor_id"),
    [
        ("Putin", "person/vladimir-putin"),
        ("Vladimir Putin", "person/vladimir-putin"),
        ("Andrei Fyodorov", "person/andrei-fyodorov"),
        ("Fyodorov", "person/andrei-fyodorov"),
        ("Al Jazeera", "media/al-jazeera"),
        ("Institute for the Study of War", "org/isw"),
        ("Institute for War Studies", "org/isw"),
        ("Islamic State", "group/islamic-state"),
        ("ISIS", "group/islamic-state"),
        ("Daily Caller News Foundation", "media/daily-caller-news-foundation"),
        ("al-Rai", "media/al-rai-kuwait"),
        ("RIA Novosti", "media/ria-novosti"),
        ("Sergei Shoigu", "person/sergei-shoigu"),
        ("Syrian Observer Group", "org/sohr"),
        ("Dmitry Peskov", "person/dmitry-peskov"),
        ("Walid al-Muallem", "person/walid-al-muallem"),
        ("Hezbollah", "group/hezbollah"),
        ("al-Qaeda", "group/al-qaeda"),
        ("Lavrov", "person/sergey-lavrov"),
        ("Sergey Lavrov", "person/sergey-lavrov"),
        ("Hay’at Tahrir al Sham", "group/hayat-tahrir-al-sham"),
        ("al Nusra front", "group/hayat-tahrir-al-sham"),
        ("Tiger Forces", "mil/SYR/tiger-forces"),
        ("25th Special Task Force", "mil/SYR/tiger-forces"),
        ("Fifth Corps", "mil/SYR/fifth-corps"),
        ("Russian Reconciliation Center in Syria", "mil/RUS/reconciliation-center"),
        ("810th Marine Infantry Brigade", "mil/RUS/810th-marine-brigade"),
        ("Hmeimim Air Base", "mil/RUS/hmeimim-air-base"),
        ("Guardians of Religion", "group/hurras-al-din"),
        ("RISE NEWS", "media/rise-news"),
        ("Antiwar.com", "media/antiwar-com"),
        ("FSA", "group/free-syrian-army"),
        ("Assad’s regime", "gov/SYR"),
        ("North Atlantic Treaty Organization", "org/nato"),
        ("Turkish armed forces", "mil/TUR/armed-forces"),
    ],
)
def test_every_seed_actor_is_found_in_the_demo_corpus(
    actors: ActorDictionary, corpus: str, surface: str, actor_id: str
) -> None:
    assert surface in corpus, "the seed text changed; update this test"
    hits = {(s, a) for s, a, _ in found(actors, corpus)}
    assert (surface, actor_id) in hits


def test_kinds_of_mentions(actors: ActorDictionary) -> None:
    text = (
        "The Kremlin said Moscow would consider it. Russian jets struck; the British-based Syrian "
        "Observer Group counted 403 dead. Kremlin spokesman Dmitry Peskov spoke."
    )
    hits = found(actors, text)
    assert ("Kremlin", "gov/RUS", "metonym") in hits
    assert ("Moscow", "gov/RUS", "metonym") in hits
    assert ("Russian jets", "mil/RUS/aerospace-forces", "alias") in hits
    assert ("British", "state/GBR", "adjective") in hits
    assert ("Syrian Observer Group", "org/sohr", "misnaming") in hits
    assert ("Kremlin spokesman", "person/dmitry-peskov", "role") in hits
    assert ("Dmitry Peskov", "person/dmitry-peskov", "name") in hits
    mention = next(m for m in actors.find_mentions(text) if m.kind == "role")
    assert mention.role == "Presidential Press Secretary"


def test_adjectives_and_plural_demonyms(actors: ActorDictionary) -> None:
    hits = found(actors, "Russian analysts and Iraqis met Turkish and Syrian officials; the Russians left.")
    assert ("Russian", "state/RUS", "adjective") in hits
    assert ("Iraqis", "state/IRQ", "adjective") in hits
    assert ("Turkish", "state/TUR", "adjective") in hits
    assert ("Russians", "state/RUS", "adjective") in hits


def test_leftmost_longest_match_wins(actors: ActorDictionary) -> None:
    hits = found(actors, "Free Syrian Army fighters read The Washington Post in Latin America.")
    assert [h[1] for h in hits] == ["group/free-syrian-army", "media/washington-post", "region/latin-america"]


def test_case_rules_keep_ordinary_words_out(actors: ActorDictionary) -> None:
    assert found(actors, "let us roast a turkey; it is a sham") == []
    assert found(actors, "RUSSIA IS SENDING TROOPS")[0][1] == "state/RUS"
    assert "group/islamic-state" not in {h[1] for h in found(actors, "RUSSIA IS SENDING TROOPS")}
    assert ("IS", "group/islamic-state", "alias") in found(actors, "fighters of IS withdrew")
    assert ("US", "state/USA", "alias") in found(actors, "the US and Turkey")
    assert ("Turkey", "state/TUR", "name") in found(actors, "the US and Turkey")


def test_spelling_variants_match(actors: ActorDictionary) -> None:
    text = "Shoygu flew to Khmeimim; Cavusoglu and Çavuşoğlu met Hayat Tahrir al-Sham and al-Nusra."
    ids = [h[1] for h in found(actors, text)]
    assert ids[:4] == [
        "person/sergei-shoigu",
        "mil/RUS/hmeimim-air-base",
        "person/mevlut-cavusoglu",
        "person/mevlut-cavusoglu",
    ]
    assert "group/hayat-tahrir-al-sham" in ids


def test_spans_are_stand_off_offsets(actors: ActorDictionary) -> None:
    text = "Officials in the U.S. said so."
    (mention,) = actors.find_mentions(text)
    assert text[mention.start : mention.end] == "U.S."
    assert mention.actor_id == "state/USA"


@pytest.mark.parametrize(
    ("role", "on", "expected"),
    [
        ("Russian Defence Minister", date(2015, 11, 23), ["person/sergei-shoigu"]),
        ("Russian Defense Minister", date(2024, 6, 1), ["person/andrei-belousov"]),
        ("Russian Defence Minister", date(2010, 1, 1), ["person/anatoly-serdyukov"]),
        ("Syrian FM", date(2015, 9, 1), ["person/walid-al-muallem"]),
        ("Syrian Foreign Minister", date(2022, 1, 1), ["person/faisal-mekdad"]),
        ("President of Syria", date(2015, 1, 1), ["person/bashar-al-assad"]),
        ("Syrian President", date(2024, 12, 20), []),
        ("Kremlin spokesman", date(2016, 3, 14), ["person/dmitry-peskov"]),
        ("Russian President", date(2010, 1, 1), ["person/dmitry-medvedev"]),
        ("UN Special Envoy for Syria", date(2016, 1, 1), ["person/staffan-de-mistura"]),
        ("Quds Force commander", date(2019, 1, 1), ["person/qasem-soleimani"]),
        ("leader of the Islamic State", date(2015, 1, 1), ["person/abu-bakr-al-baghdadi"]),
    ],
)
def test_holder_of_by_date(actors: ActorDictionary, role: str, on: date, expected: list[str]) -> None:
    assert [a.id for a in actors.holder_of(role, on=on)] == expected


def test_holder_of_without_a_date_lists_every_holder(actors: ActorDictionary) -> None:
    ids = [a.id for a in actors.holder_of("Russian Defence Minister")]
    assert ids == ["person/anatoly-serdyukov", "person/sergei-shoigu", "person/andrei-belousov"]
    # A former role with unknown dates is not claimed for any particular day.
    assert "person/andrei-fyodorov" in [a.id for a in actors.holder_of("Deputy Foreign Minister")]
    assert "person/andrei-fyodorov" not in [
        a.id for a in actors.holder_of("Deputy Foreign Minister", on=date(2016, 4, 1))
    ]


def test_role_mentions_resolve_on_the_document_date(actors: ActorDictionary) -> None:
    text = "Russian Defense Minister Sergei Shoigu said"
    undated = {m.actor_id for m in actors.find_mentions(text) if m.kind == "role"}
    assert undated == {"person/sergei-shoigu", "person/anatoly-serdyukov", "person/andrei-belousov"}
    dated = [m.actor_id for m in actors.find_mentions(text, on=date(2015, 11, 23))]
    assert dated == ["person/sergei-shoigu", "person/sergei-shoigu"]


def test_lookup_normalises(actors: ActorDictionary) -> None:
    assert [(m.actor_id, m.method) for m in actors.lookup("Shoigu")] == [("person/sergei-shoigu", "exact")]
    assert actors.lookup("the kremlin")[0].actor_id == "gov/RUS"
    assert actors.lookup("the kremlin")[0].kind == "metonym"
    (match,) = actors.lookup("Hay’at Tahrir al Sham")
    assert match.actor_id == "group/hayat-tahrir-al-sham"
    assert actors.lookup("Walid Muallem")[0].actor_id == "person/walid-al-muallem"
    assert actors.lookup("El-Assad")[0].actor_id == "person/bashar-al-assad"
    assert actors.lookup("Kremlin spokesman")[0].actor_id == "person/dmitry-peskov"
    assert {m.actor_id for m in actors.lookup("Congo")} == {"state/COD", "state/COG"}
    assert actors.lookup("Atlantis") == []


def test_renamed_groups_keep_their_history(actors: ActorDictionary) -> None:
    hts = actors.get("group/hayat-tahrir-al-sham")
    assert hts is not None
    names = {p.name: (p.start, p.end) for p in hts.previous_names}
    assert names["al-Nusra Front"] == (date(2012, 1, 23), date(2016, 7, 28))
    assert names["Jabhat Fateh al-Sham"] == (date(2016, 7, 28), date(2017, 1, 28))
    tiger = actors.get("mil/SYR/tiger-forces")
    assert tiger is not None and tiger.parent == "mil/SYR/syrian-arab-army"


def test_user_file_extends_and_adds(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "actors:\n"
        "  - id: person/sergei-shoigu\n"
        "    aliases: [Comrade Shoigu]\n"
        "  - id: media/local-wire\n"
        "    name: Local Wire\n"
        "    type: media\n"
        "    country: SYR\n",
        encoding="utf-8",
    )
    actors = ActorDictionary.load(extra)
    shoigu = actors.get("person/sergei-shoigu")
    assert shoigu is not None and "Comrade Shoigu" in shoigu.aliases and "Shoygu" in shoigu.aliases
    assert [h[1] for h in found(actors, "Local Wire quoted Comrade Shoigu")] == [
        "media/local-wire",
        "person/sergei-shoigu",
    ]


def test_user_file_can_replace_an_entry(tmp_path: Path) -> None:
    extra = tmp_path / "replace.yaml"
    extra.write_text(
        "actors:\n  - {id: media/rt, replace: true, name: RT, type: media, aliases: [Ruptly Today]}\n",
        encoding="utf-8",
    )
    rt = ActorDictionary.load(extra).get("media/rt")
    assert rt is not None and rt.aliases == ("Ruptly Today",)


def test_malformed_user_file_is_reported_with_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "actors:\n"
        "  - id: person/someone\n"
        "    name: Someone\n"
        "    type: wizard\n"
        "  - id: group/new-group\n"
        "    name: New Group\n"
        "    type: armed_group\n"
        "    parent: group/does-not-exist\n"
        "    roles:\n"
        "      - {title: Leader, start: last tuesday}\n"
        "  - name: No Id\n",
        encoding="utf-8",
    )
    with pytest.raises(ActorDataError) as err:
        ActorDictionary.load(bad)
    problems = err.value.problems
    assert any("bad.yaml:2: person/someone" in p and "wizard" in p for p in problems)
    assert any("bad.yaml:5: group/new-group" in p and "last tuesday" in p for p in problems)
    assert any("bad.yaml:11: entry 3" in p and "id" in p for p in problems)
    assert "fix these entries" in str(err.value)


def test_broken_yaml_and_dangling_references_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("actors:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ActorDataError, match=r"broken\.yaml:\d+: not valid YAML"):
        ActorDictionary.load(broken)
    dangling = tmp_path / "dangling.yaml"
    dangling.write_text(
        "actors:\n  - {id: group/x, name: X, type: armed_group, parent: group/nowhere, country: XYZ}\n",
        encoding="utf-8",
    )
    with pytest.raises(ActorDataError) as err:
        ActorDictionary.load(dangling)
    text = str(err.value)
    assert "dangling.yaml:2: group/x" in text and "group/nowhere" in text and "XYZ" in text


def test_no_surface_form_is_shared_by_accident(actors: ActorDictionary) -> None:
    # Ambiguity is allowed (Congo, Congolese) but should stay rare: a sudden jump means a data slip.
    owners: dict[str, set[str]] = {}
    for actor in actors:
        for surface in {actor.name, *actor.aliases}:
            owners.setdefault(surface.casefold(), set()).add(actor.id)
    shared = sorted(s for s, ids in owners.items() if len(ids) > 1)
    assert len(shared) <= 10, shared


def test_article_led_names_and_shouted_headlines(actors: ActorDictionary) -> None:
    hits = found(actors, "The Guardian Council ruled. The Guardian reported. The US CENTCOM said.")
    assert [h[1] for h in hits] == [
        "gov/IRN/guardian-council",
        "media/guardian",
        "state/USA",
        "mil/USA/centcom",
    ]
    assert found(actors, "WHO ARE YOU, AND WHY IS THE US HERE") == []
    assert ("WHO", "org/who", "alias") in found(actors, "the WHO said")
    assert ("al Jazeera", "media/al-jazeera", "name") in found(actors, "he told al Jazeera")
