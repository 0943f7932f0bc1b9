"""timeline_rows() and `parley timeline`: the events in date order, filtered, rendered as text, md, csv, json."""

import csv
import gc
import io
import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph.build import graph_iri
from parley.graph.query import QueryError
from parley.graph.reading import timeline_rows
from parley.graph.store import read_graph
from parley.ontology.namespace import PROV, SCHEMA

DATA = Path(__file__).parent / "data"
SMALL = str(DATA / "small.yaml")
ORDER = ["threat-1", "impose-1", "pledge-1", "pause-1", "deploy-1", "raid-1", "stats-1", "exempt-1", "extend-1"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def small():
    return read_graph(timeline=read_timeline([SMALL]))


def ids(view):
    return [r.id for r in view.rows]


def run(*args, env=None):
    return CliRunner().invoke(main, ["timeline", *args], env=env)


def test_events_in_date_order_with_their_fields(small):
    view = timeline_rows(small)
    assert ids(view) == ORDER
    rows = {r.id: r for r in view.rows}
    threat = rows["threat-1"]
    assert (threat.type, threat.group) == ("threat", "pressure")
    assert (threat.actors, threat.targets) == (("alice",), ("borduria",))
    assert (threat.lever, threat.rate, threat.status) == ("duty", 20, "threatened")
    assert threat.sources == ("https://example.org/news/1",)
    assert rows["impose-1"].effective.isoformat() == "2025-01-15"
    assert rows["pause-1"].until.isoformat() == "2025-02-13"
    assert rows["stats-1"].quantity == {"arrests": 120, "labs": 40}
    assert rows["extend-1"].actors == ("alice", "bob")
    out = [(c.event, c.relation) for c in rows["pledge-1"].claims_out]
    assert out == [("deploy-1", "delivered-by"), ("pause-1", "in-exchange-for")]
    assert [(c.claim, c.event, c.relation) for c in rows["exempt-1"].claims_in] == [
        ("stats-to-exempt", "stats-1", "causes")]
    assert rows["threat-1"].defined_at.endswith("small.yaml:12")


def test_uncertain_dates_keep_their_precision(small):
    rows = {r["id"]: r for r in timeline_rows(small).to_dict()["events"]}
    assert rows["deploy-1"]["date"] == {"earliest": "2025-01-14", "latest": "2025-01-15", "precision": "range",
                                        "text": "2025-01-14..15"}
    assert rows["raid-1"]["date"] == {"earliest": "2025-02-01", "latest": "2025-02-28", "precision": "month",
                                      "text": "2025-02"}
    assert rows["threat-1"]["date"]["text"] == "2025-01-05"


def test_date_window_keeps_events_whose_dates_overlap_it(small):
    # raid-1 is "2025-02" (any day of February): a window inside February keeps it.
    assert ids(timeline_rows(small, start="2025-02-10", end="2025-02-20")) == ["raid-1"]
    # deploy-1 is 14 or 15 January: a window ending on the 14th or starting on the 15th keeps it.
    assert ids(timeline_rows(small, end="2025-01-14"))[-1] == "deploy-1"
    assert ids(timeline_rows(small, start="2025-01-15"))[0] == "deploy-1"
    assert ids(timeline_rows(small, start="2025-03-01", end="2025-03-05")) == ["stats-1", "exempt-1"]


def test_type_group_actor_lever_filters(small):
    assert ids(timeline_rows(small, types=["reprieve", "extension"])) == ["pause-1", "extend-1"]
    assert ids(timeline_rows(small, groups=["pressure"])) == ["threat-1", "impose-1"]
    assert ids(timeline_rows(small, groups=["security", "statistics"])) == ["deploy-1", "raid-1", "stats-1"]
    assert ids(timeline_rows(small, groups=["diplomacy"])) == ["pledge-1"]
    # An actor matches where it acted or was targeted.
    assert ids(timeline_rows(small, actors=["bob"])) == ["pledge-1", "extend-1"]
    assert ids(timeline_rows(small, actors=["borduria"])) == ["threat-1", "impose-1", "deploy-1", "raid-1", "stats-1"]
    assert ids(timeline_rows(small, levers=["guard"])) == ["deploy-1"]
    # Different filters must all hold.
    assert ids(timeline_rows(small, levers=["duty"], groups=["relief"], start="2025-02-01")) == ["exempt-1",
                                                                                                 "extend-1"]


def test_bad_filters_raise_query_errors_naming_the_value(small):
    for kwargs, message in [
        ({"actors": ["zed"]}, "unknown actor id 'zed'"),
        ({"levers": ["zed"]}, "unknown lever id 'zed'"),
        ({"levers": ["alice"]}, "unknown lever id 'alice'"),  # an actor is not a lever
        ({"types": ["tarif"]}, "unknown event type 'tarif'"),
        ({"groups": ["fun"]}, "unknown group 'fun'"),
        ({"start": "2025-02-30"}, "'2025-02-30' is not a real calendar date"),
        ({"end": "March"}, "'March' is not a date"),
        ({"start": "2025-03-01", "end": "2025-02-01"}, "is after"),
    ]:
        with pytest.raises(QueryError, match=re.escape(message)):
            timeline_rows(small, **kwargs)


def test_text_is_one_line_per_event_and_fits_the_width(small):
    view = timeline_rows(small)
    full = view.to_text().splitlines()
    assert len(full) == len(ORDER)
    assert full[4].startswith("2025-01-14..15  troop-deployment")
    assert "<- pledge-1 (delivered-by)" in full[4] and "1 src" in full[4]
    assert "alice -> borduria" in full[0] and "duty 20% [threatened]" in full[0]
    for width in (60, 80, 100, 140):
        lines = view.to_text(width=width).splitlines()
        assert len(lines) == len(ORDER)
        assert all(len(line) <= width for line in lines), width
    narrow = view.to_text(width=100).splitlines()
    assert any("…" in line for line in narrow)
    # The date and type columns are never cut.
    assert [line.split()[:2] for line in narrow] == [line.split()[:2] for line in full]


def test_colour_by_group_only_when_asked(small):
    view = timeline_rows(small)
    assert not ANSI.search(view.to_text())
    coloured = view.to_text(color=True).splitlines()
    assert "\x1b[31m" in coloured[0]  # threat: pressure, red
    assert "\x1b[32m" in coloured[3]  # reprieve: relief, green
    assert "\x1b[34m" in coloured[4]  # troop-deployment: security, blue
    assert [ANSI.sub("", line) for line in coloured] == view.to_text().splitlines()
    # Colour codes take no columns: the visible line still fits.
    assert all(len(ANSI.sub("", line)) <= 80 for line in view.to_text(width=80, color=True).splitlines())


def test_markdown_is_a_complete_table_with_pipes_escaped(tmp_path):
    path = tmp_path / "pipes.yaml"
    path.write_text(textwrap.dedent("""\
        timeline: {id: p, base: "https://example.org/p/"}
        actors:
          - {id: a, name: A, kind: government}
        events:
          - id: e1
            date: 2025-01-01
            type: statement
            actors: [a]
            summary: "A says x | y, a very long sentence that a terminal would have to cut short somewhere."
            sources: ["https://example.org/a"]
        """), encoding="utf-8")
    timeline = read_timeline([path])
    graph = read_graph(timeline=timeline)
    # A graph from elsewhere may hold a URL the timeline reader would refuse.
    odd, named = URIRef("https://example.org/p/source/odd"), graph.graph(graph_iri(timeline))
    named.add((URIRef("https://example.org/p/event/e1"), PROV.hadPrimarySource, odd))
    named.add((odd, SCHEMA.url, Literal("https://example.org/a|b")))
    md = timeline_rows(graph).to_markdown().splitlines()
    assert md[0].startswith("| Date | Event | Type |") and md[1].startswith("|---|")
    cells = re.split(r"(?<!\\)\|", md[2])[1:-1]
    assert len(cells) == md[0].count("|") - 1
    assert r"A says x \| y, a very long sentence that a terminal would have to cut short somewhere." in md[2]
    assert "[1](<https://example.org/a>) [2](<https://example.org/a%7Cb>)" in md[2]


def test_markdown_holds_no_raw_html_from_the_timeline(tmp_path):
    """A summary or scope is text: `<script>` in it must not become markup where the Markdown is rendered."""
    from parley.graph.reading import lever_states

    text = Path(SMALL).read_text(encoding="utf-8")
    text = text.replace("scope: all goods", "scope: '<b>all</b> goods & more'")
    text = text.replace("summary: Alice threatens a 20% duty on all Bordurian goods.",
                        "summary: 'Alice <script>alert(1)</script> threatens & more'")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    graph = read_graph(timeline=read_timeline([path]))
    md = timeline_rows(graph).to_markdown()
    assert "Alice &lt;script&gt;alert(1)&lt;/script&gt; threatens &amp; more" in md and "<script>" not in md
    state = lever_states(graph, on="2025-01-20").to_markdown()
    assert "&lt;b&gt;all&lt;/b&gt; goods &amp; more" in state and "<b>" not in state


def test_markdown_and_csv_hold_every_event_in_full(small):
    view = timeline_rows(small)
    md = view.to_markdown().splitlines()
    assert len(md) == 2 + len(ORDER)
    assert "| 2025-01-14..15 | deploy-1 | troop-deployment | borduria |  | guard |" in md[6]
    assert "pledge-1 (delivered-by)" in md[6]
    rows = list(csv.DictReader(io.StringIO(view.to_csv())))
    assert [r["id"] for r in rows] == ORDER
    stats = rows[ORDER.index("stats-1")]
    assert stats["quantity"] == "arrests=120; labs=40" and stats["group"] == "statistics"
    pledge = rows[ORDER.index("pledge-1")]
    assert pledge["claims_out"] == "deploy-1 delivered-by; pause-1 in-exchange-for"
    assert rows[ORDER.index("raid-1")]["earliest"] == "2025-02-01"
    assert rows[ORDER.index("raid-1")]["latest"] == "2025-02-28"
    assert rows[0]["summary"] == "Alice threatens a 20% duty on all Bordurian goods."


# ------------------------------------------------------------------------------------------------ CLI

def test_cli_offers_the_library_groups():
    from parley.cli import EVENT_GROUPS
    from parley.graph.reading import GROUP_NAMES

    assert tuple(EVENT_GROUPS) == GROUP_NAMES


def test_cli_json_equals_the_library(small):
    result = run("--timeline", SMALL, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == timeline_rows(small).to_dict()
    result = run("--timeline", SMALL, "--from", "2025-01-13", "--to", "2025-03-01", "--group", "security",
                 "--actor", "borduria", "--format", "json")
    assert json.loads(result.output) == timeline_rows(
        small, start="2025-01-13", end="2025-03-01", groups=["security"], actors=["borduria"]).to_dict()
    assert [e["id"] for e in json.loads(result.output)["events"]] == ["deploy-1", "raid-1"]


@pytest.mark.parametrize("args, expected", [
    (["--from", "2025-03-01"], ["stats-1", "exempt-1", "extend-1"]),
    (["--to", "2025-01-10"], ["threat-1", "impose-1"]),
    (["--type", "reprieve", "--type", "exemption"], ["pause-1", "exempt-1"]),
    (["--group", "relief"], ["pause-1", "exempt-1", "extend-1"]),
    (["--actor", "bob"], ["pledge-1", "extend-1"]),
    (["--lever", "guard", "--lever", "duty", "--to", "2025-01-14"], ["threat-1", "impose-1", "pause-1", "deploy-1"]),
])
def test_cli_each_filter(args, expected):
    result = run("--timeline", SMALL, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [e["id"] for e in json.loads(result.output)["events"]] == expected
    text = run("--timeline", SMALL, *args)
    assert text.exit_code == 0
    assert len(text.output.splitlines()) == len(expected)


def test_cli_md_and_csv_formats(small):
    md = run("--timeline", SMALL, "--format", "md", "--lever", "duty")
    assert md.exit_code == 0
    assert md.output == timeline_rows(small, levers=["duty"]).to_markdown()
    out = run("--timeline", SMALL, "--format", "csv")
    assert out.exit_code == 0
    assert out.output == timeline_rows(small).to_csv()


def test_cli_reads_a_turtle_file_and_a_store_the_same(tmp_path, small):
    ttl = tmp_path / "small.ttl"
    assert CliRunner().invoke(main, ["build", "--timeline", SMALL, "--out", str(ttl)]).exit_code == 0
    expected = timeline_rows(small).to_dict()
    from_file = run("--graph", str(ttl), "--format", "json")
    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.output) == expected
    store = f"oxigraph:{tmp_path / 'store'}"
    assert run("--store", store, "--timeline", SMALL, "--format", "json").exit_code == 0
    gc.collect()  # the first command's store is still open (and locked) until its Dataset is collected
    from_store = run("--store", store, "--format", "json")
    assert from_store.exit_code == 0, from_store.output
    assert json.loads(from_store.output) == expected


@pytest.mark.parametrize("args, message", [
    (["--from", "2025-02-30"], "--from '2025-02-30' is not a real calendar date"),
    (["--to", "2025-13-01"], "--to '2025-13-01' is not a real calendar date"),
    (["--from", "01/02/2025"], "--from '01/02/2025' is not a date (expected YYYY-MM-DD)"),
    (["--from", "2025-03-01", "--to", "2025-02-01"], "--from 2025-03-01 is after --to 2025-02-01"),
    (["--actor", "carol"], "unknown actor id 'carol'"),
    (["--lever", "tax"], "unknown lever id 'tax'"),
    (["--type", "tarif"], "unknown event type 'tarif'"),
    (["--group", "fun"], "'fun' is not one of"),
    (["--format", "xml"], "'xml' is not one of"),
])
def test_cli_bad_input_exits_2_with_a_clear_message(args, message):
    result = run("--timeline", SMALL, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_empty_result_says_so_and_exits_0():
    result = run("--timeline", SMALL, "--from", "2026-01-01")
    assert result.exit_code == 0
    assert result.output == "no events match (from 2026-01-01)\n"
    result = run("--timeline", SMALL, "--type", "arrest", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["events"] == []
    assert "no events match (type arrest)" in result.stderr
    result = run("--timeline", SMALL, "--type", "arrest", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[0].startswith("date,earliest,latest")


def test_cli_graph_without_events(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("<https://example.org/x> <https://example.org/p> 1 .\n", encoding="utf-8")
    result = run("--graph", str(empty))
    assert result.exit_code == 0 and result.output == "the graph has no events\n"


def test_cli_colour_and_width_follow_the_terminal(monkeypatch, small):
    view = timeline_rows(small)
    piped = run("--timeline", SMALL)
    assert piped.output == view.to_text()  # piped: no colour, no width limit
    assert not ANSI.search(piped.output)
    narrow = run("--timeline", SMALL, env={"COLUMNS": "90"})
    assert narrow.output == view.to_text(width=90)
    monkeypatch.setattr("parley.cli.stdout_is_terminal", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a, **k: __import__("os").terminal_size((100, 40)))
    tty = CliRunner().invoke(main, ["timeline", "--timeline", SMALL], env={"NO_COLOR": None}, color=True)
    assert tty.output == view.to_text(width=100, color=True)
    assert ANSI.search(tty.output)
    no_color = CliRunner().invoke(main, ["timeline", "--timeline", SMALL], env={"NO_COLOR": "1"}, color=True)
    assert no_color.output == view.to_text(width=100)


def test_a_date_range_reads_only_its_events_and_gives_the_same_rows(small, monkeypatch):
    """Within start/end, the rows' participants, figures, sources and claims are asked for by IRI, claims that
    cross the range's edge included (a large graph is not read whole for a month of it)."""
    from parley.graph import reading as reading_module

    asked = []
    real = reading_module.run_query_among
    monkeypatch.setattr(reading_module, "run_query_among",
                        lambda g, name, var, nodes, **kw: asked.append((name, var, nodes and len(nodes)))
                        or real(g, name, var, nodes, **kw))
    narrow = timeline_rows(small, start="2025-01-13", end="2025-03-01")
    ids = [r.id for r in narrow.rows]
    assert ids == ["pause-1", "deploy-1", "raid-1", "stats-1"]
    assert sorted(asked) == sorted([("timeline-participants", "event", 4), ("timeline-quantities", "event", 4),
                                    ("timeline-sources", "event", 4), ("timeline-claims", "cause", 4),
                                    ("timeline-claims", "effect", 4)])
    # claims in from before the range (pledge-1) and out to after it (extend-1, exempt-1) are kept
    rows = {r.id: r for r in narrow.rows}
    assert [c.event for c in rows["pause-1"].claims_in] == ["pledge-1"]
    assert [c.event for c in rows["raid-1"].claims_out] == ["extend-1"]
    # a claim with both ends in the range (pledge-1 -> pause-1) comes back from both reads: listed once
    both = timeline_rows(small, start="2025-01-12", end="2025-01-13")
    rows = {r.id: r for r in both.rows}
    assert [c.event for c in rows["pledge-1"].claims_out] == ["deploy-1", "pause-1"]
    assert [c.event for c in rows["pause-1"].claims_in] == ["pledge-1"]
    # the type, lever and actor filters narrow the events before anything else is read (the actors' events are
    # found by the actors' IRIs)
    asked.clear()
    by_type = timeline_rows(small, types=["reprieve", "exemption"], levers=["duty"])
    assert {n for _, _, n in asked} == {len(by_type.rows)} and 0 < len(by_type.rows) < 9
    asked.clear()
    by_actor = timeline_rows(small, actors=["alice"])
    assert asked[0] == ("timeline-participants", "actor", 1)
    assert {n for _, _, n in asked[1:]} == {len(by_actor.rows)} and 0 < len(by_actor.rows) < 9
    monkeypatch.setattr(reading_module, "AMONG_LIMIT", 0)  # everything read whole, as before
    assert timeline_rows(small, types=["reprieve", "exemption"], levers=["duty"]).to_dict() == by_type.to_dict()
    assert timeline_rows(small, actors=["alice"]).to_dict() == by_actor.to_dict()
    whole = timeline_rows(small, start="2025-01-13", end="2025-03-01")
    assert whole.to_dict() == narrow.to_dict() and whole.to_text(width=120) == narrow.to_text(width=120)
    assert timeline_rows(small, start="2025-01-12", end="2025-01-13").to_dict() == both.to_dict()


def test_an_event_of_two_types_or_an_actor_of_two_ids_is_listed_once(tmp_path):
    # (hand-edited graphs: an event given two types is two rows of each participant in the query)
    g = read_graph(timeline=read_timeline([SMALL]))
    event, actor = URIRef("https://example.org/small/event/pause-1"), URIRef("https://example.org/small/actor/alice")
    g.add((event, URIRef("https://w3id.org/parley/ontology#eventType"),
           URIRef("https://w3id.org/parley/event-type/extension")))
    g.add((actor, URIRef("http://purl.org/dc/terms/identifier"), Literal("zz-alice")))
    [row] = [r for r in timeline_rows(g).rows if r.id == "pause-1"]
    assert list(row.actors) == ["alice"]
