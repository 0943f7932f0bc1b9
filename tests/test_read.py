"""Reading timeline files: what a valid file becomes. (Malformed files: tests/test_bad_inputs.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parley.events.model import EVENT_TYPES, DateSpec, Loc, Source
from parley.events.read import TimelineError, bundled_paths, read_bundled, read_timeline

SMALL = Path(__file__).parent / "data" / "small.yaml"
D = dt.date

HEAD = "timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: person}\n"


def write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_event(tmp_path: Path, fields: str) -> dict:
    """Read a timeline of one event with these extra flow-mapping fields; return the event."""
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, type: call, actors: [a], summary: s, " + fields + "}\n")
    return read_timeline([path]).events["e1"]


@pytest.fixture(scope="module")
def small():
    return read_timeline([SMALL])


def test_small_timeline_reads_everything(small):
    assert small.id == "small"
    assert small.title == "Small test negotiation"
    assert small.base == "https://example.org/small/"
    assert list(small.actors) == ["alice", "bob", "aland", "borduria"]
    assert list(small.levers) == ["duty", "guard"]
    assert list(small.events) == ["threat-1", "impose-1", "pledge-1", "pause-1", "deploy-1", "raid-1", "stats-1",
                                  "exempt-1", "extend-1"]
    assert len(small.links) == 4
    assert small.files == (str(SMALL),)


def test_small_timeline_field_values(small):
    alice = small.actors["alice"]
    assert (alice.name, alice.kind, alice.country, alice.role) == ("Alice", "person", "AA", "President of Aland")
    duty = small.levers["duty"]
    assert (duty.kind, duty.imposed_by, duty.target, duty.legal_basis, duty.scope) == (
        "tariff", "aland", "borduria", "Emergency Act", "all goods")
    impose = small.events["impose-1"]
    assert impose.date == DateSpec.day(D(2025, 1, 10))
    assert (impose.type, impose.rate, impose.effective, impose.lever) == (
        "tariff-imposition", 20, D(2025, 1, 15), "duty")
    assert impose.actors == ("alice",) and impose.targets == ("borduria",)
    assert small.events["pause-1"].until == D(2025, 2, 13)
    pledge = small.events["pledge-1"]
    assert (pledge.promises, pledge.quantity) == ("troop-deployment", {"troops": 5000})
    assert small.events["stats-1"].quantity == {"labs": 40, "arrests": 120}
    assert small.events["threat-1"].sources == (
        Source("https://example.org/news/1", "Threat", "Example News", D(2025, 1, 5)),)
    assert small.events["deploy-1"].note == "Sources differ on the day."


def test_uncertain_and_month_dates(small):
    assert small.events["deploy-1"].date == DateSpec(D(2025, 1, 14), D(2025, 1, 15), "range")
    assert small.events["raid-1"].date == DateSpec(D(2025, 2, 1), D(2025, 2, 28), "month")


@pytest.mark.parametrize("month, last", [("2024-02", 29), ("2025-02", 28), ("2025-04", 30), ("2025-12", 31),
                                         ("8999-12", 31)])
def test_month_precision_covers_the_whole_month(tmp_path, month, last):
    date = one_event(tmp_path, f"date: {month}").date
    year, mon = map(int, month.split("-"))
    assert date == DateSpec(D(year, mon, 1), D(year, mon, last), "month")


@pytest.mark.parametrize("date, shown", [("0001-01-01", "0001-01-01"), ("0999-12-31", "0999-12-31"),
                                         ("9000-01-01", "9000-01-01"), ("9999-12", "9999-12-01"),
                                         ("{from: 2025-01-01, to: 9999-12-31}", "9999-12-31")])
def test_dates_outside_the_range_parley_takes_are_bad_input(tmp_path, date, shown):
    """The audit, views and charts reckon a century or more either side of a date: the calendar's ends would
    overflow them."""
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, type: call, actors: [a], summary: s, date: " + date + "}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert f"{path}:5:" in info.value.lines()[0]
    assert f"{shown} is outside the dates parley takes (1000-01-01 to 8999-12-31)" in info.value.lines()[0]


@pytest.mark.parametrize("field, message", [
    ('summary: "Sum\\e]0;title\\a"', "event 'e1' 'summary': control character U+001B in the text"),
    ('summary: "a\\x00b"', "event 'e1' 'summary': control character U+0000 in the text"),
    ('summary: s, note: "x\\x7fy"', "event 'e1' 'note': control character U+007F in the text"),
])
def test_control_characters_in_text_are_bad_input(tmp_path, field, message):
    """They would reach a terminal as escape sequences and make the GraphML and GEXF exports ill-formed; tabs
    and line breaks are text."""
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, type: call, date: 2025-01-01, actors: [a], " + field + "}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert info.value.lines() == [f"{path}:5: {message}"]
    assert one_event(tmp_path, 'date: 2025-01-01, note: "tab\\there\\nand a line"').note == "tab\there\nand a line"


def test_an_id_with_a_trailing_line_break_is_bad_input(tmp_path):
    path = write(tmp_path, HEAD + 'events:\n  - {id: "e1\\n", type: call, date: 2025-01-01, actors: [a], summary: s}\n')
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert "is not a valid id" in info.value.lines()[0]


def test_a_whole_number_too_large_for_arithmetic_is_bad_input(tmp_path):
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, type: troop-deployment, date: 2025-01-01, actors: [a], "
                 "summary: s, quantity: {troops: 1" + "0" * 400 + "}}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert info.value.lines() == [f"{path}:5: event 'e1' quantity 'troops': a number of 401 digits is too large "
                                  "(at most 10^18)"]
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, type: threat, date: 2025-01-01, actors: [a], "
                 "summary: s, rate: 1" + "0" * 19 + "}\n")  # a bounded number: its bounds are what is wrong
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert info.value.lines() == [f"{path}:5: event 'e1' 'rate': a number of 20 digits is outside [0, 1000]"]


def test_links_get_ids_confidence_and_claimants(small):
    by_id = {link.id: link for link in small.links}
    assert set(by_id) == {"pledge-1.in-exchange-for.pause-1", "pledge-1.delivered-by.deploy-1", "stats-to-exempt",
                          "raid-1.in-exchange-for.extend-1"}
    assert by_id["pledge-1.in-exchange-for.pause-1"].confidence == "high"
    assert by_id["pledge-1.delivered-by.deploy-1"].confidence == 0.8
    assert by_id["raid-1.in-exchange-for.extend-1"].disputed_by == ("bob",)
    assert by_id["stats-to-exempt"].claimed_by == "alice"


def test_a_second_claim_of_the_same_link_is_named_by_its_claimant(tmp_path):
    path = write(tmp_path, HEAD + "  - {id: b, name: B, kind: person}\nevents:\n"
                 "  - {id: e1, date: 2025-01-01, type: call, actors: [a], summary: s}\n"
                 "  - {id: e2, date: 2025-01-02, type: call, actors: [a], summary: s}\n"
                 "links:\n"
                 "  - {cause: e1, effect: e2, relation: causes, claimed_by: a}\n"
                 "  - {cause: e1, effect: e2, relation: causes, claimed_by: b}\n")
    t = read_timeline([path])
    assert [link.id for link in t.links] == ["e1.causes.e2", "e1.causes.e2.by.b"]


def test_locations_are_file_and_line(small):
    assert small.actors["alice"].loc == Loc(str(SMALL), 4)
    assert small.events["threat-1"].loc == Loc(str(SMALL), 12)
    assert small.links[0].loc == Loc(str(SMALL), 89)
    assert small.loc_of("duty") == Loc(str(SMALL), 9)


def test_display_names_replace_paths_in_locations(tmp_path):
    t = read_timeline([SMALL], display_names=["timelines/small.yaml"])
    assert t.events["threat-1"].loc == Loc("timelines/small.yaml", 12)
    assert t.files == ("timelines/small.yaml",)


def test_a_timeline_split_over_files_equals_the_single_file(tmp_path, small):
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = lines.index("events:\n")
    events_start = lines[cut:]
    links_at = events_start.index("links:\n")
    first = write(tmp_path, "".join(lines[:cut]), "a.yaml")
    second = write(tmp_path, "timeline: {id: small}\n" + "".join(events_start[:links_at]), "b.yaml")
    third = write(tmp_path, "timeline: {id: small}\n" + "".join(events_start[links_at:]), "c.yaml")
    split = read_timeline([first, second, third])
    assert split == small
    assert split.files == (str(first), str(second), str(third))
    assert split.events["threat-1"].loc == Loc(str(second), 3)
    assert split.links[0].loc.file == str(third)


def test_headers_of_several_files_must_agree(tmp_path):
    a = write(tmp_path, "timeline: {id: t, title: One}\n", "a.yaml")
    b = write(tmp_path, "timeline: {id: t, title: Two}\n", "b.yaml")
    with pytest.raises(TimelineError) as info:
        read_timeline([a, b])
    assert info.value.lines() == [f"{b}:1: timeline 'title' 'Two' differs from 'One' at {a}:1"]


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = write(tmp_path, HEAD + "events:\n"
                 "  - {id: e1, date: 2025-02-30, type: call, actors: [a], summary: s}\n"
                 "  - {id: e2, date: 2025-01-01, type: cal, actors: [a], summary: s}\n"
                 "  - {id: e3, date: 2025-01-01, type: call, actors: [a], summary: s, rate: -1}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert [(loc.line, msg.split(":")[0]) for loc, msg in info.value.problems] == [
        (5, "event 'e1' 'date'"), (6, "event 'e2' 'type'"), (7, "event 'e3' 'rate'")]


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_type_is_read(tmp_path, event_type):
    extra = ", promises: lab-raid" if event_type == "commitment" else ""
    path = write(tmp_path, HEAD + f"events:\n  - {{id: e1, date: 2025-01-01, type: {event_type}, actors: [a], "
                                  f"summary: s{extra}}}\n")
    assert read_timeline([path]).events["e1"].type == event_type


def test_yaml_1_1_traps_stay_text(tmp_path):
    # Norway's code, an ISO date in a summary and a yes/no word must reach the model as written.
    path = write(tmp_path, "timeline: {id: t}\nactors:\n  - {id: a, name: yes, kind: person, country: NO}\n"
                 "events:\n  - {id: e1, date: 2025-01-01, type: call, actors: [a], summary: 2025-01-01}\n")
    t = read_timeline([path])
    assert t.actors["a"].country == "NO"
    assert t.actors["a"].name == "yes"
    assert t.events["e1"].summary == "2025-01-01"


def test_numbers_and_confidences(tmp_path):
    e = one_event(tmp_path, "date: 2025-01-01, rate: 12.5, quantity: {kg: 1.5, troops: 0}")
    assert (e.rate, e.quantity) == (12.5, {"kg": 1.5, "troops": 0})
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, date: 2025-01-01, type: call, actors: [a], summary: s}\n"
                 "links:\n  - {cause: e1, effect: e1, relation: causes, confidence: 1}\n"
                 "  - {id: l2, cause: e1, effect: e1, relation: causes, confidence: 0}\n")
    links = read_timeline([path]).links
    assert [link.confidence for link in links] == [1.0, 0.0]
    assert isinstance(links[0].confidence, float)


def test_short_forms_for_one_actor_and_url_sources(tmp_path):
    e = one_event(tmp_path, "date: 2025-01-01, targets: a, sources: ['https://example.org/x']")
    assert e.targets == ("a",)
    assert e.sources == (Source("https://example.org/x"),)


def test_text_is_stripped(tmp_path):
    assert one_event(tmp_path, "date: 2025-01-01, note: '  padded  '").note == "padded"


def test_a_folder_or_no_file_is_bad_input(tmp_path):
    with pytest.raises(TimelineError) as info:
        read_timeline([tmp_path])
    assert info.value.lines() == [f"{tmp_path}: is a directory, not a timeline file"]
    with pytest.raises(TimelineError) as info:
        read_timeline([])
    assert info.value.lines() == ["no timeline files given"]


def test_explicit_timestamp_with_a_time_is_not_a_date(tmp_path):
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, date: !!timestamp 2025-01-01T10:00:00, type: call, "
                                  "actors: [a], summary: s}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert info.value.problems[0][0] == Loc(str(path), 5)
    assert "is not a date (expected YYYY-MM-DD)" in info.value.problems[0][1]


def test_deep_nesting_is_bad_input_not_a_crash(tmp_path):
    path = write(tmp_path, "timeline: " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    # libyaml stops at its nesting limit; the pure-Python parser would hit Python's recursion limit
    assert info.value.lines() in ([f"{path}:1: not valid YAML: exceeded maximum nesting depth"],
                                  [f"{path}:1: not valid YAML: nested too deeply"])


def test_bundled_timeline_reads_with_package_relative_names():
    paths = bundled_paths()
    if not paths:
        pytest.skip("the bundled timeline has not landed yet")
    t = read_bundled()
    assert t.id == "us-mexico-2025"
    assert t.files == tuple(f"parley/events/data/us-mexico-2025/{p.name}" for p in paths)
    assert all(e.loc.file.startswith("parley/events/data/us-mexico-2025/") for e in t.events.values())


def test_a_numeric_id_can_be_referred_to(tmp_path):
    path = write(tmp_path, "timeline: {id: t}\nactors:\n  - {id: 12, name: A, kind: person}\nevents:\n"
                 "  - {id: 7, date: 2025-01-01, type: call, actors: [12], targets: 12, summary: s}\n")
    t = read_timeline([path])
    assert list(t.actors) == ["12"]
    assert (t.events["7"].actors, t.events["7"].targets) == (("12",), ("12",))


def test_a_bad_actor_list_is_reported_once(tmp_path):
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, date: 2025-01-01, type: call, actors: {a: 1}, summary: s}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert info.value.lines() == [f"{path}:5: event 'e1' 'actors' must be a list of ids, not a mapping"]


@pytest.mark.parametrize("written, ident", [("007", "007"), ("0700", "0700"), ("0x1F", "0x1F"), ("1_000", "1_000"),
                                            ("12", "12"), ("1e3", "1e3")])
def test_numeric_looking_ids_stay_as_written(tmp_path, written, ident):
    # YAML 1.1 would read 0700 as 448 and 0x1F as 31: an id must not change under the analyst's feet
    path = write(tmp_path, HEAD + f"events:\n  - {{id: {written}, date: 2025-01-01, type: call, actors: [a], "
                                  "summary: s}\nlinks:\n"
                                  f"  - {{cause: {written}, effect: {written}, relation: causes}}\n")
    t = read_timeline([path])
    assert list(t.events) == [ident]
    assert t.links[0].cause == ident


def test_sexagesimal_is_not_an_id(tmp_path):
    path = write(tmp_path, HEAD + "events:\n  - {id: 1:30, date: 2025-01-01, type: call, actors: [a], summary: s}\n")
    with pytest.raises(TimelineError) as info:
        read_timeline([path])
    assert info.value.problems[0][1].startswith("event 'id': '1:30' is not a valid id")


def test_one_source_or_one_actor_may_be_given_without_a_list(tmp_path):
    e = one_event(tmp_path, 'date: 2025-01-01, sources: "https://example.org/1"')
    assert [s.url for s in e.sources] == ["https://example.org/1"]
    e = one_event(tmp_path, 'date: 2025-01-01, sources: {url: "https://example.org/2", title: T}')
    assert [(s.url, s.title) for s in e.sources] == [("https://example.org/2", "T")]
    path = write(tmp_path, HEAD + "events:\n  - {id: e1, date: 2025-01-01, type: call, actors: a, summary: s}\n")
    assert read_timeline([path]).events["e1"].actors == ("a",)


def test_a_control_character_after_accented_text_is_reported_on_its_line(tmp_path):
    # libyaml counts the bytes it read; the line is counted in the same units (an accent is two bytes)
    path = tmp_path / "ctrl.yaml"
    path.write_bytes(b"timeline: {id: x}\n# " + "\u00e9".encode() * 300 + b"\nactors:\n  - {id: a, name: \"A\x07\", kind: person}\n")
    with pytest.raises(TimelineError) as e:
        read_timeline([path])
    assert e.value.lines() == [f"{path}:4: not valid YAML: character U+0007 is not allowed (a control character)"]


@pytest.mark.parametrize("earliest, latest, span", [
    ("2025-01-01", None, "2025-01-01..2025-01-13"), ("2025-01-01", "2025-01-31", "2025-01-01..2025-01-31"),
    ("2025-01-20", None, "2025-01-13..2025-01-20"),  # a second earliest date after the latest widens the span
])
def test_every_reader_reads_a_hand_edited_event_of_several_values_alike(earliest, latest, span):
    """An event given two ids, two types and another earliest (and latest) date: the timeline, the view, the
    network (analyze, export) and the audit all keep the smallest id and type and the widest dates."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, XSD

    from parley.graph.audit import audit
    from parley.graph.network import network_graph
    from parley.graph.reading import timeline_rows
    from parley.graph.store import read_graph
    from parley.graph.view import graph_view
    from parley.ontology.namespace import PARLEY, TYPE

    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    g = read_graph(timeline=read_timeline([SMALL]))
    e = URIRef("https://example.org/small/event/pause-1")  # a reprieve on 2025-01-13
    g.add((e, DCTERMS.identifier, Literal("pause-1b")))
    g.add((e, PARLEY.eventType, URIRef(f"{TYPE}threat")))
    g.add((e, URIRef(sem + "hasEarliestBeginTimeStamp"), Literal(earliest, datatype=XSD.date)))
    if latest:
        g.add((e, URIRef(sem + "hasLatestBeginTimeStamp"), Literal(latest, datatype=XSD.date)))
    first, last = (dt.date.fromisoformat(d) for d in span.split(".."))
    [row] = [r for r in timeline_rows(g).rows if r.id.startswith("pause-1")]
    assert (row.id, row.type, row.date.earliest, row.date.latest, str(row.date)) == (
        "pause-1", "reprieve", first, last, span)
    tooltip = graph_view(g).tooltips[str(e)]
    assert tooltip["title"] == "pause-1" and dict(tooltip["rows"])["date"] == span
    assert dict(tooltip["rows"])["type"] == "reprieve" and dict(tooltip["rows"])["actors"] == "Alice"
    node = network_graph(g).nodes[str(e)]
    assert (node["id"], node["type"], node["date"], node.get("date_latest")) == ("pause-1", "reprieve", first, last)
    [relief] = [r for r in audit(g).reliefs if r["event"]["id"].startswith("pause-1")]
    assert (relief["event"]["id"], relief["event"]["type"], relief["event"]["date"]) == ("pause-1", "reprieve", span)
    # its claims are listed once, under its id; `parley state` names it by that id and its widest dates
    rows = {r.id: r for r in timeline_rows(g).rows}
    assert [(c.event, c.relation) for c in rows["pledge-1"].claims_out if c.event.startswith("pause-1")] == [
        ("pause-1", "in-exchange-for")]
    from parley.graph.reading import lever_states

    [state] = lever_states(g, lever="duty", on=dt.date(2025, 1, 20)).rows
    assert (state.current.event, str(state.current.date)) == ("pause-1", span)
