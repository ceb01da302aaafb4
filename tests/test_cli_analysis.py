"""The cross-document commands on a processed demo workspace: stories, timeline, contradictions,
sources and question board, with their filters, --json and their errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom import Workspace
from sitroom.cli import app
from tests.conftest import DEMO_CORPUS, REPO

pytestmark = pytest.mark.slow
runner = CliRunner()
QUESTION = REPO / "sitroom" / "examples" / "questions" / "russia-ground-forces-syria.yaml"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("cli-analysis")
    with Workspace.init(folder) as workspace:
        workspace.ingest([str(p) for p in sorted(DEMO_CORPUS.glob("*.txt"))])
        workspace.add_question(QUESTION)
        workspace.process()
    return str(folder)


def invoke(ws: str, *args: str):
    return runner.invoke(app, [*args, "-w", ws], catch_exceptions=False)


def as_json(ws: str, *args: str):
    result = invoke(ws, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stories_and_their_filters(ws):
    stories = as_json(ws, "stories")
    assert len(stories) == 1 and stories[0]["size"] == 5
    member = stories[0]["documents"][0]
    assert as_json(ws, "stories", "--document", member[:8]) == stories
    assert as_json(ws, "stories", "--min-size", "6") == []
    assert as_json(ws, "stories", "--match", "no such words anywhere") == []
    assert invoke(ws, "stories", "--limit", "0").exit_code == 2  # a limit is 1 or more
    assert invoke(ws, "stories", "--document", "ffffffff").exit_code == 4
    topic = stories[0]["topic"]
    assert topic and topic.startswith("topic-")
    assert as_json(ws, "stories", "--topic", topic) == stories
    assert as_json(ws, "stories", "--topic", "topic-999") == []


def test_timeline_filters(ws):
    everything = as_json(ws, "timeline")
    assert len(everything) == 5
    dated = [e for e in everything if e["when"]]
    first = min(e["when"] for e in dated)
    assert all(e["when"] >= first for e in as_json(ws, "timeline", "--since", first))
    assert as_json(ws, "timeline", "--until", "1970") == []
    assert len(as_json(ws, "timeline", "--since", first[:4], "--until", "2099")) == len(dated)
    story = as_json(ws, "stories")[0]["id"]
    assert len(as_json(ws, "timeline", "--story", story)) == 5
    outlet = next(e["source"] for e in everything if e["source"])
    assert {e["source"] for e in as_json(ws, "timeline", "--source", outlet)} == {outlet}
    bad = invoke(ws, "timeline", "--since", "last week")
    assert bad.exit_code == 2 and "E041" in bad.stderr
    assert invoke(ws, "timeline", "--story", "no-such-story").exit_code == 4


def test_contradictions_list_filter_and_status(ws):
    links = as_json(ws, "contradictions")
    assert links and all(link["kind"] == "contradicts" for link in links)
    document = links[0]["a"].split(":")[1]
    touching = as_json(ws, "contradictions", "--document", document[:8])
    assert touching and all(document in link["a"] + link["b"] for link in touching)
    result = invoke(ws, "contradictions", "--set", str(links[0]["id"]), "dismissed")
    assert result.exit_code == 0 and "dismissed" in result.stdout
    assert [x["id"] for x in as_json(ws, "contradictions", "--status", "dismissed")] == [links[0]["id"]]
    assert invoke(ws, "contradictions", "--set", str(links[0]["id"]), "maybe").exit_code == 2
    assert invoke(ws, "contradictions", "--set", "999999", "open").exit_code == 4


def test_sources_filters(ws):
    profiles = as_json(ws, "sources")
    assert len(profiles) >= 2
    name = next(p["name"] for p in profiles if not p["name"].startswith("("))
    assert [p["name"] for p in as_json(ws, "sources", "--match", name.lower())] == [name]
    assert as_json(ws, "sources", "--min-documents", "99") == []


def test_question_board_json(ws):
    board = as_json(ws, "question", "board", "russia-ground-forces-syria")
    assert board["matrix"]


def test_analyse_recomputes_and_unknown_link_kind_is_refused(ws):
    summary = as_json(ws, "analyse")
    assert summary["documents"] == 0 and summary["caught_up"] == 0  # nothing left out
    summary = as_json(ws, "analyse", "--all")
    assert summary["documents"] == 5 and summary["story_changes"] == 0  # everything already placed
    assert len(as_json(ws, "stories")) == 1
    bad = invoke(ws, "contradictions", "--kind", "agrees")
    assert bad.exit_code == 2 and "E052" in bad.stderr
