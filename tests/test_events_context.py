"""Events read from the constructions and text around the trigger (sitroom.extract.events_context):
failed agreements, mediators, launchers of an instrument, and place/time inherited from the sentence,
the paragraph or the dateline. Every sentence here is invented for these tests (issue 13's defects in
general form, not the articles' sentences)."""

from __future__ import annotations

import pytest

from sitroom.extract.events_context import dateline_end, paragraph_start
from sitroom.model import Document, Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sentence():
    from test_events import _analyse

    from sitroom.pipeline import build_pipeline

    pipeline = build_pipeline(["spacy", "entities", "places", "time", "quantities"])

    def run(text: str) -> list[Event]:
        doc = Document(id="test", text=text, origin="test", format="text", language="en")
        return _analyse(pipeline, doc)[0]

    return run


# --- Failed agreements and mediators --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Fighting resumed after the collapse last week of the AU brokered cessation of hostilities in the region.",
        "The ceasefire between the two militias collapsed on Sunday.",
        "Both sides blamed each other for the breakdown of the truce.",
    ],
)
def test_an_agreement_named_as_failing_is_no_agree_event(sentence, text) -> None:
    assert [e for e in sentence(text) if e.type == "agree"] == []


def test_a_broker_is_a_mediator_not_a_party(sentence) -> None:
    (event,) = [
        e for e in sentence("Qatar brokered a truce between Israel and Hamas on Monday.") if e.type == "agree"
    ]
    assert "state/QAT" not in event.actors
    assert "state/ISR" in event.actors
    assert "brokered by Qatar (a mediator, not a party)" in event.why


def test_a_conjunct_with_its_own_subject_keeps_it_whatever_its_object_names(sentence) -> None:
    # "its positions" names the subject again; the clause's own subject is still its actor (the rule for
    # a conjunct that borrowed its subject and names it as its object must not fire here).
    text = (
        "Iran and Russia are seeking leverage over the talks on the enclave, and Iran later strengthened "
        "its military positions in the province."
    )
    (event,) = [e for e in sentence(text) if e.type == "deploy"]
    assert event.actors == ("state/IRN",)


def test_a_town_before_an_event_noun_is_where_it_happened_not_who_did_it(sentence) -> None:
    text = "Months after the Kandahar raid, the ministry still had not named the unit that carried it out."
    (event,) = [e for e in sentence(text) if e.type == "attack"]
    assert event.actors == ()
    assert event.place_name == "Kandahār" and event.place_precision == "city"
    # A country's adjective is still the actor: "Russian strikes" are Russia's.
    (strike,) = [e for e in sentence("Russian strikes on Idlib killed 12 people on Monday.") if e.actors]
    assert "state/RUS" in strike.actors


# --- The launcher of an instrument ----------------------------------------------------------------


def test_missiles_fired_from_warships_take_the_launcher_as_actor(sentence) -> None:
    text = "The ministry said cruise missiles fired from Russian warships in the Black Sea had killed 200 militants."
    (event,) = sentence(text)
    assert event.type == "shelling"
    assert event.actors == ("state/RUS",)
    assert event.place_name is None  # the Black Sea is where they were fired from
    assert "who launched it" in event.why and "fatalities=200..200" in event.quantities


def test_an_agent_of_the_launch_is_the_actor(sentence) -> None:
    text = "Cruise missiles launched by the Russian navy from the Caspian Sea hit seven targets in Raqqa."
    (event,) = sentence(text)
    assert event.actors == ("mil/RUS/navy",)
    assert event.place_name == "Ar Raqqah"


def test_unnamed_weapons_reported_by_a_government_are_its_own(sentence) -> None:
    text = "Sergei Lavrov said that drones launched from warships had destroyed 12 fuel depots near Homs."
    (event,) = sentence(text)
    assert event.actors == ("state/RUS",)
    assert "nothing says whose" in event.why and "speaks for" in event.why


def test_a_distance_from_a_place_is_no_launch_site(sentence) -> None:
    text = "Drones launched from warships 300 miles from Homs destroyed 12 fuel depots, Sergei Lavrov said."
    (event,) = sentence(text)
    assert event.actors == ("state/RUS",)
    assert event.place_name == "Homs" and "fired at it from afar" in event.why  # what they struck is there


def test_unnamed_weapons_reported_by_an_observer_stay_without_actor(sentence) -> None:
    text = (
        "The monitoring group said that drones launched from warships had destroyed 12 fuel depots near Homs."
    )
    (event,) = sentence(text)
    assert event.actors == ()


def test_weapons_fired_from_a_place_are_not_the_reporting_governments(sentence) -> None:
    text = "Sergei Lavrov said that rockets fired from Idlib had destroyed 12 fuel depots near Homs."
    (event,) = sentence(text)
    assert "state/RUS" not in event.actors


# --- Who acts: events.v8 -------------------------------------------------------------------------


def test_a_person_owning_an_arrest_is_the_one_arrested(sentence) -> None:
    (event,) = sentence("Investigators focused on the months after Jeffrey Epstein's arrest in July.")
    assert event.type == "arrest" and event.actors == ()
    assert event.targets == ("local:person:jeffrey-epstein",)
    # A state owning it arrests.
    (event,) = sentence("Russia's arrest of two Estonian border guards angered Tallinn.")
    assert event.actors == ("state/RUS",)


def test_where_a_person_is_from_is_no_actor(sentence) -> None:
    # "A New York man pleaded guilty to threatening …" was New York's threat
    text = "A Chicago man pleaded guilty Monday to threatening to kill a city councillor in March."
    assert all("local:gpe:chicago" not in e.actors for e in sentence(text))


def test_a_participle_after_a_medium_acts_for_the_poster(sentence) -> None:
    text = (
        "Then, last week, Mira Holt posted on Twitter accusing North Records of trying to stop her "
        "performing songs from her first albums at the awards."
    )
    (event,) = [e for e in sentence(text) if e.type == "accuse"]
    assert not any("twitter" in a for a in event.actors)
    assert any("mira-holt" in a for a in event.actors)


# --- Violence against a person, and who it names: events.v9 --------------------------------------


def test_a_person_stabbed_or_shot_is_the_target_of_an_attack(sentence) -> None:
    # "Fritz von Weizsäcker was stabbed to death" made no event at all; "the son of the president"
    # gave the president and the state as the target
    text = "The daughter of former Estonian Prime Minister Karl Vaher, Liisa Vaher, was stabbed to death on Tuesday."
    (event,) = sentence(text)
    assert event.type == "attack"
    assert not {"local:person:karl-vaher", "state/EST"} & set(event.targets)
    (event,) = sentence("The son of the mayor, Tomas Ridel, was shot in the leg on Friday.")
    assert event.type == "attack" and event.targets == ("local:person:tomas-ridel",)
    (event,) = sentence("Masked gunmen shot two security guards outside the bank in Kano.")
    assert event.type == "attack" and event.actors and event.place_name == "Kano"
    assert sentence("The crew shot a film in the old town.") == []


def test_people_who_died_are_counted_casualties(sentence) -> None:
    # "Three people have died during protests in Bolivia" made no casualties event
    events = sentence("Four miners have died in clashes with the police near Oruro.")
    (dead,) = [e for e in events if e.type == "casualties"]
    assert dead.quantities == ("fatalities=4..4",) and dead.actors == () and dead.place_name == "Oruro"
    # one death without a count is no casualties event (as for "killed"), and "he" is no one named
    assert [e for e in sentence("The singer died on Tuesday.") if e.type == "casualties"] == []
    text = "Ana Ruiz spoke at the rally. ‘He died in my hands’: 3 miners killed in clashes with police"
    assert not [e for e in sentence(text) if text[e.trigger_start : e.trigger_end] == "died"]


def test_the_of_phrase_of_a_kin_noun_is_a_relative(sentence) -> None:
    events = sentence("Police detained the wife of the opposition leader Arkady Milov on Monday.")
    assert all("local:person:arkady-milov" not in e.targets for e in events)


def test_officers_who_arrest_are_the_actors(sentence) -> None:
    text = "The suspect, Carl Brenner, fled on foot. Officers arrested Brenner in the car park."
    (event,) = sentence(text)
    assert event.type == "arrest" and event.targets == ("local:person:carl-brenner",)
    assert [text[int(k.split(":")[1].split("-")[0]) :].split()[0] for k in event.actors] == ["Officers"]


def test_a_reporter_s_request_for_comment_is_no_request(sentence) -> None:
    text = "The mayor's office did not immediately respond to the Ledger's request for comment."
    assert [e for e in sentence(text) if e.type == "request"] == []
    (event,) = sentence("Ukraine's request for more air defence systems was turned down on Monday.")
    assert event.type == "request" and event.actors == ("state/UKR",)


def test_a_team_named_after_its_city_is_no_government(sentence) -> None:
    events = sentence("Negotiations between the Madrid side and the coach's agents intensified on Monday.")
    assert all(not a.startswith(("gov/", "state/")) for e in events for a in e.actors)


# --- Inherited place and time ---------------------------------------------------------------------


def test_place_inherited_from_the_sentence(sentence) -> None:
    (event,) = sentence(
        "In Idlib, cruise missiles fired from warships killed 200 militants, the ministry said."
    )
    assert event.place_name == "Idlib"
    assert event.place_precision == "region"  # lowered: the sentence, not the event's clause, says it
    assert "place Idlib inherited from the sentence" in event.why


def test_place_and_time_inherited_from_the_paragraph(sentence) -> None:
    text = (
        "Heavy fighting was reported near Aleppo on 3 May 2021. "
        "Artillery fire killed 14 civilians in the afternoon.\n"
        "Separately, Germany may send troops."
    )
    events = sentence(text)
    (killed,) = [e for e in events if text[e.trigger_start : e.trigger_end] == "killed"]
    assert killed.time_value == "2021-05-03" and killed.time_precision == "week"
    assert killed.place_name == "Aleppo" and killed.place_precision == "region"
    assert "inherited from the paragraph" in killed.why
    # A new paragraph, and a possibility: nothing is inherited.
    (possible,) = [e for e in events if e.type == "deploy"]
    assert possible.place_name is None and possible.time_value is None


def test_a_speech_act_inherits_no_place(sentence) -> None:
    text = "Troops fought rebels in Aleppo.\nThe minister accused Turkey of arming them."
    accusations = [e for e in sentence(text) if e.type == "accuse"]
    assert accusations and all(e.place_name is None for e in accusations)


def test_paragraph_and_dateline_offsets() -> None:
    text = "ALEPPO, Syria (Reuters) - Troops advanced.\nSecond paragraph here."
    assert dateline_end(text) == len("ALEPPO, Syria (Reuters) - ")
    assert paragraph_start(text, text.index("Second") + 3) == text.index("Second")
    assert dateline_end("The army said on Monday - in a statement - that") == 0


# --- Who clashes and who rallies: events.v10 ----------------------------------------------------------


def test_only_combatants_clash_and_only_crowds_rally(sentence) -> None:
    # a basketball player's fight was an armed clash; a stock index and a tennis player "rallied" in protest
    assert sentence("Marco Ruiz did not clash with Tomas Ridel on the court this time.") == []
    assert sentence("The Sensex was rallying on Wednesday, and Ivo Marek rallied from a set down.") == []
    (event,) = sentence("Kurdish fighters clashed with Islamic State militants near Raqqa on Monday.")
    assert event.type == "armed_clash" and event.targets == ("group/islamic-state",)
    (event,) = sentence("Ukrainian farmers rallied in Kyiv against the land reform.")
    assert event.type == "protest" and event.place_name == "Kyiv"
    # a market's rally is no protest, whoever financed it
    assert sentence("The Fed-financed stock market rally has driven stocks up 400% since 2009.") == []


# --- Unnamed crowds and combatants act: events.v11 ----------------------------------------------------


def test_an_unnamed_crowd_protests_and_unnamed_combatants_attack(sentence) -> None:
    # "protesters took to the streets … to protest" and "the group attacked the upscale Westgate Mall"
    # made no event: an unnamed subject acted only when it was forces or armed persons
    (event,) = sentence("Hundreds of farmers protested in Kyiv on Friday against the land reform.")
    assert event.type == "protest" and event.place_name == "Kyiv" and event.actors[0].startswith("span:")
    (event,) = sentence("Thousands of students marched in Lviv on Sunday.")
    assert event.type == "protest" and event.place_name == "Lviv"
    (event,) = sentence("Rebels attacked the garrison near Idlib on Monday.")
    assert event.type == "attack" and event.place_name == "Idlib"
    # a group described by what it does is no event ("rebels fighting the regime"); marching troops
    # protest nothing
    assert [e.type for e in sentence("Washington armed rebel groups fighting the regime.")] != ["armed_clash"]
    assert sentence("Troops marched into the town on Monday.") == []


def test_a_relative_clause_with_its_own_subject_acts_on_its_noun(sentence) -> None:
    # "something the U.S. could demonstrate in court" was a protest by the United States
    assert sentence("The case is not something Norway could demonstrate in court.") == []


def test_abductions_sexual_violence_riots_and_bombs_that_explode_are_events(sentence) -> None:
    # events.v11: none of these made an event; ACLED codes each (Abduction/forced disappearance, Sexual
    # violence, Violent demonstration / Mob violence, Remote explosive, Government regains territory)
    (event,) = sentence("Militants abducted nine farmers from a village near Gao on Monday.")
    assert event.type == "abduction" and event.acled_subevent == "Abduction/forced disappearance"
    (event,) = sentence("Soldiers raped two women in a village near Bunia.")
    assert event.type == "sexual_violence"
    (event,) = sentence("Rioters set fire to shops in the centre of Kano.")
    assert event.type == "riot" and event.place_name == "Kano"
    (event,) = sentence("A mob lynched a man accused of theft near Ranchi.")
    assert event.type == "riot" and event.acled_subevent == "Mob violence"
    assert [e.type for e in sentence("A roadside bomb exploded near a police convoy in Kandahar.")] == ["bombing"]
    assert [e.type for e in sentence("A suicide bomber blew himself up at a mosque in Quetta.")] == ["bombing"]
    (event,) = sentence("Government forces regained control of the town of Saraqib.")
    assert event.type == "territorial_change"
    (event,) = sentence("Protesters blocked the main highway near Oruro.")
    assert event.type == "protest"
    # the same verbs in ordinary senses make none
    assert sentence("The senator blocked the bill, and the market regained ground on Friday.") == []
    assert sentence("The rapper rapped about his childhood, and the crowd gathered its thoughts.") == []
    assert sentence("She regained consciousness in hospital.") == []


def test_force_against_protesters_and_the_common_forms_of_attack_are_events(sentence) -> None:
    # events.v11: "Police fired tear gas at protesters", "gunmen shot dead a councillor", "two rockets
    # landed near the embassy", "a landmine killed two shepherds", "armed men attacked a police station"
    # and "farmers and herders clashed" made no event
    (event,) = sentence("Police fired tear gas at students in Kisumu on Tuesday.")
    assert event.type == "crackdown" and event.acled_subevent == "Protest with intervention"
    (event,) = sentence("Police dispersed hundreds of opposition supporters in Gulu.")
    assert event.type == "crackdown" and event.place_name == "Gulu"
    (event,) = sentence("Unidentified gunmen shot dead a local councillor in Cotabato.")
    assert event.type == "attack"
    assert [e.type for e in sentence("Two rockets landed near the airport in Erbil.")] == ["shelling"]
    assert [e.type for e in sentence("A grenade was thrown at a bar in Gitega.")] == ["bombing"]
    (event,) = sentence("Armed men attacked a police station in Dosso.")
    assert event.type == "attack" and event.actors[0].startswith("span:")
    # a state's or province's name before its kind word is the event's place
    (event,) = sentence("Farmers and herders clashed in Plateau state on Sunday.")
    assert event.type == "armed_clash" and event.place_name == "Plateau"
    (event,) = sentence("A landmine killed two shepherds in Paktika province.")
    assert event.type == "bombing" and event.place_name is not None
    # riot police are no riot; a shop that opens and a plane that lands are no events
    assert [e.type for e in sentence("Riot police guarded the parliament in Accra.")] == []
    assert sentence("The shop opened on Monday, and the plane landed in Accra.") == []


def test_what_an_analyst_of_a_deployment_asks_about_makes_events(sentence) -> None:
    # events.v11: air defence systems deployed, forces spotted or on patrol, talks held, tons of
    # ammunition delivered and a warplane shot down made no event
    (event,) = sentence("Moscow deployed additional S-300 systems to Tartus last week.")
    assert event.type == "deploy" and event.actors == ("gov/RUS",)
    (event,) = sentence("Wagner mercenaries were spotted near Deir ez-Zor.")
    assert event.type == "deploy" and event.place_name is not None
    (event,) = sentence("Russian military police began patrols in Kobani on Tuesday.")
    assert event.type == "deploy"
    (event,) = sentence("Russian and Turkish officials held talks in Sochi on Monday.")
    assert event.type == "negotiate" and event.place_name == "Sochi"
    (event,) = sentence("The US delivered 50 tons of ammunition to Kurdish fighters.")
    assert event.type == "military_aid" and event.actors == ("state/USA",)
    (event,) = sentence("A Russian warplane was shot down by Turkish jets near the border.")
    assert event.type == "attack" and event.targets == ("state/RUS",)
    # a lecture, a rumour shot down and a name with an event word in it are none
    assert sentence("The professor gave a talk on poetry, and Amazon shot down the rumor.") == []
    assert [e.type for e in sentence("Border Patrol agents detained 40 migrants near Laredo.")] == ["arrest"]
    assert [e.type for e in sentence("The agency said the U.S. Border Patrol had grown.")] == []


def test_attacks_and_explosions_that_are_no_violence(sentence) -> None:
    # events.v11: "died of a heart attack in Moscow" and "a population explosion in Lagos" were an attack
    # and a bombing; "Russia's cyber attacks", "attacked Clinton on Twitter" attacks
    assert sentence("The mayor died of a heart attack in Tver, and she suffered a panic attack.") == []
    assert sentence("Moscow launched a cyber attack on Estonia.") == []
    assert sentence("The senator verbally attacked the judge and attacked the mayor on Twitter.") == []
    assert sentence("The population explosion in Accra strains services.") == []
    assert sentence("There has been an explosion of interest in the app.") == []
    # an explosion that harms is one, whoever set it off
    (event,) = sentence("An explosion at a market in Jalalabad killed 12.")
    assert event.type == "bombing" and event.place_name is not None
    (event,) = sentence("A blast ripped through a mosque in Peshawar.")
    assert event.type == "bombing"


def test_bases_looting_prisoner_swaps_seized_weapons_and_chemical_attacks(sentence) -> None:
    # events.v11: none of these made an event of the right type (a chemical attack was a plain attack)
    (event,) = sentence("Turkish forces established a new observation point near Saraqib on Monday.")
    assert event.type == "deploy" and event.place_name == "Saraqib"
    (event,) = sentence("Shops were looted and set alight in Soshanguve on Tuesday.")
    assert event.type == "looting"
    (event,) = sentence("Seven people were murdered by vigilantes near Zomba.")
    assert event.type == "riot" and event.acled_subevent == "Mob violence" and event.actors[0].startswith("span:")
    (event,) = sentence("A mob attacked a church in Kaduna on Sunday.")
    assert event.type == "riot" and event.acled_subevent == "Mob violence"
    (event,) = sentence("Rebels and government forces exchanged prisoners near Homs on Tuesday.")
    assert event.type == "agree"
    (event,) = sentence("Police seized a cache of rifles and ammunition in Mombasa.")
    assert event.type == "weapons_seizure" and event.place_name == "Mombasa"
    (event,) = sentence("Army sappers defused two roadside bombs near Kandahar.")
    assert event.type == "weapons_seizure"
    (event,) = sentence("Government aircraft dropped a chlorine bomb on a village near Hama.")
    assert event.type == "chemical_attack"
    assert [e.type for e in sentence("Detainees protested in the prison in Kandy on Tuesday.")] == ["protest"]
    # ordinary senses make none: a company's offices, a letter burnt, views exchanged, a gun picked up
    assert sentence("The company built a new headquarters in Austin, and she burned the letters.") == []
    assert sentence("They exchanged views on the crisis.") == []
    assert [e.type for e in sentence("He found a gun and fired at the gunman.")] != ["weapons_seizure"]


def test_deaths_in_a_disaster_or_an_accident_are_no_violence(sentence) -> None:
    # events.v11: "an earthquake killed eight people" and "killed when their bus plunged" were
    # casualties of violence (ACLED codes neither)
    assert sentence("A strong earthquake on Sulawesi killed eight people.") == []
    assert sentence("At least five people were killed after a volcano erupted off the coast.") == []
    assert sentence("Eight people died in the floods in Kano.") == []
    # violence still kills, artillery fire included
    assert "casualties" in [e.type for e in sentence("Artillery fire killed 14 civilians near Aleppo.")]
    assert [e.type for e in sentence("Gunmen killed eight people in Borno.")] == ["casualties"]


def test_violent_demonstrations_and_grenade_attacks_are_typed_by_who_and_with_what(sentence) -> None:
    # events.v11: "rioters clashed with police" was an armed clash, "a grenade attack" a plain attack,
    # "violent protests erupted" and "protesters hurled rocks at police" no event
    (event,) = sentence("Rioters clashed with police in Derry on Wednesday.")
    assert event.type == "riot"
    (event,) = sentence("Protesters hurled rocks at security forces near the parliament in Tunis.")
    assert event.type == "riot"
    (event,) = sentence("Violent protests erupted in Quito on Tuesday.")
    assert event.type == "riot" and event.place_name == "Quito"
    (event,) = sentence("A civilian was wounded in a grenade attack in Baramulla.")
    assert event.type == "bombing" and event.acled_subevent == "Grenade"
    (event,) = sentence("Militants lobbed a grenade at a police post in Sopore.")
    assert event.type == "bombing"
    # soldiers and rebels still clash; a pitcher's throw and a market's rally are none
    assert [e.type for e in sentence("Rebels clashed with troops near Idlib.")] == ["armed_clash"]
    assert sentence("The pitcher threw a ball at the batter, and the rally resumed on Wall Street.") == []


def test_force_against_a_protest_territory_retaken_and_strikes_from_the_air(sentence) -> None:
    # events.v11: "violently suppressed a peaceful protest", "freed several villages", "recovered control
    # of two villages", "jets fired missiles at a village", "an explosive device … detonated targeting
    # their vehicle" made no event or one of another type
    events = sentence("Soldiers violently suppressed a peaceful protest in Bethlehem on Sunday.")
    assert "crackdown" in [e.type for e in events]
    (event,) = sentence("Police used tear gas to break up a rally in Harare.")
    assert event.type == "crackdown" and event.place_name == "Harare"
    assert [e.type for e in sentence("The regime used poison gas against civilians in Douma.")] == ["chemical_attack"]
    (event,) = sentence("Iraqi security forces freed several villages near Mosul on Wednesday.")
    assert event.type == "territorial_change"
    (event,) = sentence("Government forces recovered control of two villages near Idlib.")
    assert event.type == "territorial_change"
    (event,) = sentence("Saudi jets fired missiles at a village near Saada on Saturday.")
    assert event.type == "air_strike"
    (event,) = sentence("An explosive device detonated near a police vehicle in Imphal.")
    assert event.type == "bombing"
    # pushing back against a claim, freeing hostages in talks and a market regaining ground are none
    assert sentence("The minister is pushing back against a claim made by the senator.") == []
    assert sentence("Talks to free three detained Americans stalled, and the market regained ground.") == []


def test_unnamed_people_arrested_shared_objects_and_surrenders(sentence) -> None:
    # events.v11: "four individuals were arrested", "forces have raped and sexually abused women" (the
    # first verb's object is the second's) and "ten rebels have surrendered" made no event
    (event,) = sentence("Two prominent activists have been detained in Aden.")
    assert event.type == "arrest" and event.place_name == "Aden"
    assert [e.type for e in sentence("A total of 649 individuals were arrested nationwide.")] == ["arrest"]
    events = sentence("Soldiers have raped and sexually abused women near Bunia.")
    assert {e.type for e in events} == {"sexual_violence"} and events[0].actors
    (event,) = sentence("Ten rebels have surrendered to security forces in Hakkari.")
    assert event.type == "agree"
    # a team that surrenders a goal makes none
    assert [e.type for e in sentence("The team surrendered a late goal.")] == []


def test_diplomats_expelled_and_missions_closed_are_sanctions(sentence) -> None:
    # events.v11: "Russia expels diplomats from Germany, Poland and Sweden", "will close down the US
    # consulate" made no event (PLOVER's SANCTION covers expulsions and broken ties)
    (event,) = sentence("Hungary expelled diplomats from Latvia and Estonia.")
    assert event.type == "sanction" and set(event.targets) == {"state/LVA", "state/EST"}
    (event,) = sentence("Minister Karl Moe said Norway will close down the Chilean consulate in Bergen.")
    assert event.type == "sanction"
    # a school that expels pupils and a firm that closes an office or cuts staff are none
    assert sentence("The company closed its Paris office and cut staff, and the school expelled two pupils.") == []


def test_fire_opened_people_abducted_and_territory_handed_over(sentence) -> None:
    # events.v11: "two gunmen opened fire in a hospital", "13 crew members have been abducted", "a
    # swathe of territory was handed over" and "seized swaths of Iraq" made no event
    assert [e.type for e in sentence("Two gunmen opened fire in a hospital in Baramulla.")] == ["attack"]
    assert [e.type for e in sentence("Thirteen crew members have been abducted off Bonny Island.")] == ["abduction"]
    (event,) = sentence("A swathe of territory was handed over by Armenian forces to Azerbaijan.")
    assert event.type == "territorial_change" and event.actors == ("state/ARM",)
    (event,) = sentence("The jihadists seized swathes of Syria and Iraq in June.")
    assert event.type == "territorial_change"
    # a shop's fire sale and a speech's attack are none
    assert sentence("The store opened fire sales on Monday, and he opened fire on the critics.") == []


def test_where_a_weapon_is_fired_at_is_the_event_s_place(sentence) -> None:
    # events.v11: "Saudi jets fired missiles at a village near Saada" had no place: every phrase after the
    # launch verb was read as the launch site
    (event,) = sentence("Saudi jets fired missiles at a village near Saada on Saturday.")
    assert event.type == "air_strike" and event.place_name is not None and "Sa" in event.place_name
    # a launch site is still no place of the event
    (event,) = sentence("Cruise missiles fired from warships in the Caspian Sea killed 60 fighters.")
    assert event.place_name != "Caspian Sea"


def test_political_control_interceptions_and_campaign_marches_are_no_events(sentence) -> None:
    # events.v11 read on the PolNeAR dev texts: "helped Republicans take control of the House", "gaining
    # control of coal reserves", "scrambled to intercept Russian bombers" and "her march toward Election
    # Day" were territory taken, a weapons seizure and a protest
    assert sentence("The attacks helped the Greens take control of the parliament in Oslo.") == []
    assert sentence("The owner planned to cut costs by gaining control of three coal mines.") == []
    assert sentence("NATO jets scrambled to intercept Russian bombers over the Baltic.") == []
    assert sentence("Her team says she will continue her march toward Election Day.") == []
    # armed parties still take control
    (event,) = sentence("Houthi rebels took control of the airport in Hodeidah.")
    assert event.type == "territorial_change"


def test_one_named_person_attacking_another_is_words(sentence) -> None:
    # events.v11 read on political news: "Trump attacked Clinton for her support of military action",
    # "had personally attacked his wife, Heidi" were armed attacks
    assert sentence("Karl Moe attacked Lena Berg for her support of the tax.") == []
    # armed people, states and a stranger with a knife still attack
    assert [e.type for e in sentence("Gunmen attacked Mayor Ivo Marek on Monday.")] == ["attack"]
    assert [e.type for e in sentence("A man attacked Lena Berg with a knife in Leeds.")] == ["attack"]
    assert [e.type for e in sentence("Russia attacked Ukraine in February.")] == ["attack"]


def test_a_town_spacy_calls_a_person_is_where_the_shelling_was_not_its_target(sentence) -> None:
    # events.v12: "Russian forces shelled Avdiivka" gave a target "local:person:avdiivka" (a person to
    # spaCy) though the geoparser had placed the town
    text = (
        "In Ukraine's Donetsk region, shelling hit Avdiivka and Marinka, the governor said. "
        "Russian forces shelled Avdiivka again on Tuesday."
    )
    (event,) = [e for e in sentence(text) if e.type == "shelling"]
    assert event.place_name == "Avdiyivka" and not any("person" in key for key in event.targets)


def test_a_shooting_or_stabbing_is_an_attack_on_the_one_it_names(sentence) -> None:
    # events.v12: "a stabbing in Fermoy", "a shooting in Dublin" made no event, and a harm noun's "of"
    # phrase would have been the one who did it
    (event,) = sentence("A stabbing in Fermoy left one man injured.")
    assert event.type == "attack" and event.place_name == "Fermoy"
    (event,) = sentence("Police in Dublin are investigating the shooting of Tomas Ridel.")
    assert event.type == "attack" and event.targets == ("local:person:tomas-ridel",) and not event.actors
    # a film's shooting is none
    events = sentence("The shooting schedule of the film slipped in Malta.")
    assert not [e for e in events if e.type == "attack"]


def test_workers_on_strike_protest(sentence) -> None:
    # events.v12: "port workers went on strike", "a nationwide strike" made no event (ACLED codes strikes
    # as protests); a bare strike in war news stays a military one
    (event,) = sentence("In Fremantle, port workers went on strike on Monday.")
    assert event.type == "protest" and event.place_name == "Fremantle"
    (event,) = sentence("Teachers in Nairobi began a nationwide strike.")
    assert event.type == "protest"
    assert not [e for e in sentence("Israeli strikes hit Gaza on Monday.") if e.type == "protest"]


def test_an_event_that_sparked_another_happened(sentence) -> None:
    # events.v12: "The fatal shooting of a teenager in Tulsa sparked protests" made no event: a noun
    # with no named party was an event only as the subject of a verb of harm or of breaking out
    events = sentence("The fatal shooting of a teenager in Tulsa sparked protests.")
    assert [(e.type, e.place_name) for e in events if e.type == "attack"] == [("attack", "Tulsa")]
