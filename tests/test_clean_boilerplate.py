import pytest

from sitroom.clean.boilerplate import find_boilerplate


def classify(line: str, *, position: str = "tail") -> str | None:
    """Reason given to ``line`` placed in the head or tail of a longer article."""
    body = [f"Body sentence number {i} says something about the war in plain words." for i in range(30)]
    lines = [line, *body] if position == "head" else [*body, line]
    index = 0 if position == "head" else len(lines) - 1
    hit = find_boilerplate(lines).get(index)
    return hit.reason if hit else None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Follow Saagar Enjeti on Twitter", "social"),
        ("Follow @RobinAria on Twitter.", "social"),
        ("Send tips to", "social"),
        ("Share it...", "widget"),
        ("Leave a Reply", "widget"),
        ("Scroll to top", "widget"),
        ("What Do You Think?", "widget"),
        ("comments", "widget"),
        ("Font Size:", "widget"),
        ("Advertisement", "widget"),
        ("Read More: Who Would the World Vote For As President of the United States?", "promo"),
        ("SEE ALSO: Apple's iOS 8 Is Brimming With Bugs", "promo"),
        ("PHOTOS: Most Notorious American Murder Trials", "promo"),
        ("Photo Credit: Sergey Vladimirov (CC by 2.0)", "photo-credit"),
        ("(Photo courtesy of Twitter)", "photo-credit"),
        ("Daily Caller News Foundation logo", "logo"),
        ("For licensing opportunities of our original content, please contact", "licensing"),
        ("Copyright 2014 The Associated Press. All rights reserved.", "licensing"),
        (
            "RISE NEWS is a grassroots journalism news organization that is working to change things.",
            "masthead",
        ),
        ("Jason Ditz is Senior Editor for Antiwar.com. He has 20 years of experience.", "author-bio"),
        ("456765434567", "junk"),
        # clean.v3: an opinion page's footer (social links, a call for letters)
        ("Follow The Harbour Gazette Opinion section on Facebook, Twitter (@HGopinion) and Instagram.", "social"),
        (
            "The Gazette is committed to publishing a diversity of letters to the editor. We’d like to hear "
            "what you think about this or any of our articles.",
            "social",
        ),
        ("* * *", "junk"),
        # clean.v4: a reader poll's line
        ("% of readers think this story is Fact. Add your two cents.", "widget"),
        ("62% of readers think this article is Fiction.", "widget"),
    ],
)
def test_boilerplate_lines(line: str, reason: str) -> None:
    assert classify(line) == reason


def test_a_comment_policy_at_the_foot_of_the_page_is_a_widget() -> None:
    # clean.v5: "Please adhere to our commenting policy … Comments that contain spam, advertising, vulgarity …
    # may be removed and result in a ban." ended an opinion site's articles and made a claim of its own
    line = (
        "Please read our commenting policy before you post. We reserve the right to remove any comment at any "
        "time. Comments that contain insults or advertising may be deleted."
    )
    assert classify(line, position="tail") == "widget"
    # a story's own sentence about a comment policy, higher up, stays
    assert classify("The council changed its comment policy in May after the vote.", position="tail") is None


def test_an_advertised_headline_above_the_story_is_a_promo() -> None:
    # clean.v4: "Headline: Bitcoin & Blockchain Searches Exceed Trump! Blockchain Stocks Are Next!"
    assert classify("Headline: Gold Searches Exceed Oil! Mining Stocks Are Next!", position="head") == "promo"
    # further down, a line so labelled is the story's own
    assert classify("Headline: Gold Searches Exceed Oil! Mining Stocks Are Next!", position="tail") is None


@pytest.mark.parametrize(
    "line",
    [
        # body sentences that resemble boilerplate
        "Follow the money, investigators said, and you will find the Kremlin behind it.",
        "Putin will share intelligence with Washington on Islamic State positions.",
        "The ministry said it would leave a reply to the UN letter until after the vote.",
        "Comments by the foreign minister on Monday angered Ankara.",
        "Read more widely, the statement suggests Moscow is preparing for a ground campaign.",
        "The photo credited to the ministry showed tanks near Latakia.",
        "Al Jazeera is a Qatari broadcaster whose reporters were in Aleppo at the time.",
        "Peskov is the Kremlin spokesman and has held the post since 2012.",
        "$300,000",
        "What do you think the Kremlin will do next, asked one diplomat, if Assad falls?",
        "The minister said he would follow the talks on Twitter and other channels closely, aides said.",
        "Letters to the editor poured in after the ferry sank, the paper said on Monday in a statement.",
        "A poll found 40% of readers think this story is the most important of the year, the editor said.",
    ],
)
def test_body_lines_survive(line: str) -> None:
    assert classify(line) is None


def test_tail_only_patterns_do_not_fire_in_the_middle() -> None:
    lines = ["Intro sentence of the story is here and long enough."] * 30
    lines[3] = "What do you think?"
    assert 3 not in find_boilerplate(lines)


def test_about_the_author_takes_the_following_paragraph_and_names_the_author() -> None:
    lines = [
        *(["A body sentence that is long enough to count as body."] * 10),
        "About the Author",
        '"John Massey has a B.A. in history."',
    ]
    found = find_boilerplate(lines)
    assert found[10].reason == found[11].reason == "author-bio"
    assert found[11].groups["author"] == "John Massey"


def test_skip_leaves_claimed_lines_alone() -> None:
    assert find_boilerplate(["2015", "Body text that is long enough."], skip=frozenset({0})) == {}
