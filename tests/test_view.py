"""graph_view(), View.to_html(), write_view() and `parley view`: the interactive HTML page (without a browser;
tests/test_view_browser.py loads the pages in headless Chromium)."""

import datetime as dt
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph import view as view_module
from parley.graph.store import read_graph
from parley.graph.view import (
    GROUP_COLORS, KIND_SHAPES, PARTICIPATION_COLOR, RELATION_COLORS, View, ViewError, graph_view, view_html,
    write_view,
)
from parley.ontology.namespace import PROV, SCHEMA

DATA = Path(__file__).parent / "data"
SMALL = str(DATA / "small.yaml")
HOSTILE_SUMMARY = 'Sneaky <script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2"> end.'


@pytest.fixture(scope="module")
def small():
    return read_graph(timeline=read_timeline([SMALL]))


@pytest.fixture(scope="module")
def small_view(small):
    return graph_view(small)


def by_label(view: View) -> dict:
    return {n["label"]: n for n in view.nodes}


class Attrs(HTMLParser):
    """Every element's src/href, and the text of <script> elements."""

    def __init__(self):
        super().__init__()
        self.refs, self.scripts, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        self.refs += [(tag, k, v) for k, v in attrs if k in ("src", "href")]
        self._in = dict(attrs).get("id") if tag == "script" else None
        if tag == "script":
            self.scripts.append([dict(attrs).get("id"), ""])

    def handle_data(self, data):
        if self.scripts and self._in is not False:
            self.scripts[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False


def parse_page(page: str) -> Attrs:
    p = Attrs()
    p.feed(page)
    p.close()
    return p


def page_data(page: str) -> dict:
    """The page's data: its own JSON, plus the nodes and edges pyvis's template embeds for vis."""
    scripts = dict((i, t) for i, t in parse_page(page).scripts if i)
    data = json.loads(scripts["parley-data"])
    vis = next(t for i, t in parse_page(page).scripts if "new vis.DataSet" in t)
    found = re.findall(r"new vis\.DataSet\((.*?)\);\n", vis)
    data["nodes"], data["edges"] = json.loads(found[0]), json.loads(found[1])
    return data


# -- what the view holds ---------------------------------------------------------------------------------------


def test_every_event_actor_and_lever_is_a_node_with_its_shape_and_colour(small_view):
    nodes = by_label(small_view)
    assert small_view.counts == {"nodes": 15, "edges": len(small_view.edges), "events": 9, "actors": 4,
                                 "levers": 2, "claims": 4}
    assert nodes["threat-1"]["color"] == GROUP_COLORS["pressure"]
    assert nodes["pause-1"]["color"] == GROUP_COLORS["relief"]
    assert nodes["deploy-1"]["color"] == GROUP_COLORS["security"]
    assert nodes["stats-1"]["color"] == GROUP_COLORS["statistics"]
    assert nodes["pledge-1"]["color"] == GROUP_COLORS["diplomacy"]
    assert nodes["threat-1"]["shape"] == KIND_SHAPES["event"]
    assert nodes["Alice"]["shape"] == KIND_SHAPES["actor"]
    assert nodes["Duty on Bordurian goods"]["shape"] == KIND_SHAPES["lever"]
    assert all("title" not in n for n in small_view.nodes)  # pyvis would show it as plain text


def test_timeline_layout_puts_dates_left_to_right_and_groups_in_lanes(small_view):
    nodes = by_label(small_view)
    order = ["threat-1", "impose-1", "pause-1", "stats-1", "exempt-1", "extend-1"]
    xs = [nodes[n]["x"] for n in order]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    lanes = {lane["name"]: lane for lane in small_view.lanes}
    assert [lane["name"] for lane in small_view.lanes] == [
        "actors", "pressure", "relief", "security", "diplomacy", "statistics", "levers"]
    for label, lane in [("threat-1", "pressure"), ("pause-1", "relief"), ("raid-1", "security"),
                        ("pledge-1", "diplomacy"), ("stats-1", "statistics"), ("Alice", "actors"),
                        ("Bordurian border guard", "levers")]:
        assert lanes[lane]["y0"] < nodes[label]["y"] < lanes[lane]["y1"], label
    assert small_view.options["physics"]["enabled"] is False
    assert small_view.ticks and all(t["label"].startswith("2025-") for t in small_view.ticks)


def test_network_layout_leaves_positions_to_physics(small):
    v = graph_view(small, layout="network")
    assert v.options["physics"]["enabled"] is True
    assert all("x" not in n and "y" not in n for n in v.nodes)
    assert v.lanes == []


def test_size_follows_centrality(small_view):
    nodes = by_label(small_view)
    # pledge-1 has an actor and two claims; raid-1 one actor and one claim.
    assert nodes["pledge-1"]["size"] > nodes["raid-1"]["size"]
    assert nodes["Alice"]["size"] > nodes["Bob"]["size"]


def test_causal_edges_are_styled_by_relation_and_dashed_when_disputed(small_view):
    nodes = {n["id"]: n["label"] for n in small_view.nodes}
    claims = {(nodes[e["from"]], nodes[e["to"]]): e for e in small_view.edges if e["id"].startswith("claim:")}
    assert set(claims) == {("pledge-1", "pause-1"), ("pledge-1", "deploy-1"), ("stats-1", "exempt-1"),
                           ("raid-1", "extend-1")}
    assert claims[("pledge-1", "pause-1")]["color"] == RELATION_COLORS["in-exchange-for"]
    assert claims[("pledge-1", "deploy-1")]["color"] == RELATION_COLORS["delivered-by"]
    assert claims[("raid-1", "extend-1")]["dashes"] is True  # disputed by Bob
    assert claims[("pledge-1", "pause-1")]["dashes"] is False
    assert claims[("pledge-1", "pause-1")]["width"] > claims[("raid-1", "extend-1")]["width"]  # high vs low
    assert all(e["arrows"] == "to" for e in claims.values())
    faint = [e for e in small_view.edges if not e["id"].startswith("claim:")]
    assert faint and {e["color"] for e in faint} <= {PARTICIPATION_COLOR, view_module.LEVER_EDGE_COLOR}
    actor_edges = {(nodes[e["from"]], nodes[e["to"]]) for e in faint}
    assert ("Alice", "threat-1") in actor_edges and ("threat-1", "Government of Borduria") in actor_edges
    assert ("threat-1", "Duty on Bordurian goods") in actor_edges


def test_tooltips_carry_dates_quantities_and_the_claims_claimant_confidence_evidence_and_sources(small_view):
    ids = {n["label"]: n["id"] for n in small_view.nodes}
    deploy = small_view.tooltips[ids["deploy-1"]]
    rows = dict(deploy["rows"])
    assert rows["date"] == "2025-01-14..2025-01-15" and rows["type"] == "troop-deployment"
    assert rows["troops"] == "5,000" and rows["actors"] == "Government of Borduria"
    assert deploy["text"] == ["The guards arrive at the border.", "Sources differ on the day."]
    assert deploy["sources"][0]["url"] == "https://example.org/news/5"
    assert dict(small_view.tooltips[ids["raid-1"]]["rows"])["date"] == "2025-02"
    assert dict(small_view.tooltips[ids["threat-1"]]["rows"])["rate"] == "20%"
    claim = next(t for k, t in small_view.tooltips.items() if k.startswith("claim:") and "raid-1" in t["title"])
    rows = dict(claim["rows"])
    assert rows["claimant"] == "Alice" and rows["confidence"] == "low (0.3)" and rows["disputed by"] == "Bob"
    assert claim["text"] == ["Evidence: Alice says the raids earned the extension."]
    assert claim["sources"] == [{"url": "https://example.org/news/9", "title": None, "publisher": None,
                                 "date": None}]
    first = small_view.tooltips[ids["threat-1"]]["sources"][0]
    assert first == {"url": "https://example.org/news/1", "title": "Threat", "publisher": "Example News",
                     "date": "2025-01-05"}


def test_filter_data_for_the_page_controls(small_view):
    meta = {n["label"]: small_view.meta[n["id"]] for n in small_view.nodes}
    assert meta["threat-1"]["d0"] == 0 and meta["extend-1"]["d1"] == small_view.days
    assert small_view.day0 == "2025-01-05"
    assert meta["deploy-1"]["d1"] - meta["deploy-1"]["d0"] == 1
    assert meta["pause-1"]["g"] == "relief" and meta["pause-1"]["t"] == ["reprieve"]
    alice = next(a["id"] for a in small_view.actors if a["label"] == "Alice")
    assert alice in meta["threat-1"]["a"]
    assert small_view.groups == ["pressure", "relief", "security", "diplomacy", "statistics"]
    assert "lab-raid" in small_view.types


# -- options -----------------------------------------------------------------------------------------------


def labels(view: View) -> set[str]:
    return {n["label"] for n in view.nodes if view.meta[n["id"]]["k"] == "event"}


def test_dates_types_and_actors_narrow_the_view(small):
    assert labels(graph_view(small, date_from="2025-01-13", date_to="2025-02-28")) == {
        "pause-1", "deploy-1", "raid-1"}
    assert labels(graph_view(small, date_from=dt.date(2025, 1, 15), date_to=dt.date(2025, 1, 15))) == {"deploy-1"}
    assert labels(graph_view(small, types=["threat,reprieve", "extension"])) == {"threat-1", "pause-1", "extend-1"}
    bob = graph_view(small, actors=["bob"])
    assert labels(bob) == {"pledge-1", "extend-1"}
    assert {n["label"] for n in bob.nodes} >= {"Bob", "Alice"}  # co-actors of the kept events stay
    assert bob.counts["claims"] == 0  # no claim joins two of Bob's events


def test_focus_keeps_what_lies_within_depth(small):
    one = graph_view(small, focus="pledge-1")
    assert labels(one) == {"pledge-1", "pause-1", "deploy-1"}
    assert {n["label"] for n in one.nodes} >= {"Bob"}
    two = graph_view(small, focus="pledge-1", depth=2)
    assert labels(two) > labels(one)
    assert labels(graph_view(small, focus="duty", depth=1)) == {
        "threat-1", "impose-1", "pause-1", "exempt-1", "extend-1"}
    assert labels(graph_view(small, focus="pledge-1", depth=0)) == {"pledge-1"}


@pytest.mark.parametrize("options, message", [
    ({"types": ["threat", "nonsense"]}, "--types: unknown event type 'nonsense'"),
    ({"actors": ["carol"]}, "--actors: unknown actor id 'carol' (known: aland, alice, bob, borduria)"),
    ({"focus": "nobody"}, "--focus: no event, actor or lever has the id 'nobody'"),
    ({"focus": "threat-1", "types": ["reprieve"]}, "--focus: 'threat-1' is outside"),
    ({"focus": "threat-1", "date_from": "2025-03-01"}, "--focus: the event 'threat-1' is outside the --from/--to dates"),
    ({"focus": "nobody", "date_from": "2025-03-01"}, "--focus: no event, actor or lever has the id 'nobody'"),
    ({"depth": 2}, "--depth needs --focus"),
    ({"date_from": "2025-03-01", "date_to": "2025-02-01"}, "--from 2025-03-01 is after --to 2025-02-01"),
    ({"date_from": "2025-02-30"}, "--from '2025-02-30': not a date"),
    ({"layout": "spiral"}, "unknown layout 'spiral'"),
    ({"max_nodes": 0}, "--max-nodes 0"),
])
def test_bad_options_are_view_errors(small, options, message):
    with pytest.raises(ViewError, match=re.escape(message)):
        graph_view(small, **options)


def test_above_max_nodes_events_are_aggregated_and_the_page_says_so(small):
    v = graph_view(small, max_nodes=14)
    # Actors and levers get at most a quarter of the nodes (the most active: Alice, Borduria, the duty); the
    # 9 events of 9 types then fit as 9 type-weeks.
    assert v.aggregation == {"by": "type", "per": "week", "events": 9, "nodes": 9, "max_nodes": 14}
    assert len(v.nodes) == 12
    assert {n["label"] for n in v.nodes if v.meta[n["id"]]["k"] != "bucket"} == {
        "Alice", "Government of Borduria", "Duty on Bordurian goods"}
    assert "aggregated by type per week into 9 nodes" in v.note and "--max-nodes 14" in v.note
    assert "(aggregating 9 events, " in v.summary()  # the events and claims beneath the buckets, not drawn one by one
    # what went over the limit: events, actors and levers together (fewer events than the limit here)
    assert v.note.startswith("15 nodes (9 events, 4 actors, 2 levers) are more than --max-nodes 14: the events are "
                             "aggregated by type per week")
    assert "only the 2 most active of 4 actors and 1 of 2 levers are drawn" in v.note
    assert page_data(v.to_html())["note"] == v.note
    # 8 nodes left: 9 type-weeks, 9 group-weeks and 9 type-months do not fit; 8 group-months do.
    v = graph_view(small, max_nodes=10)
    assert v.aggregation == {"by": "group", "per": "month", "events": 9, "nodes": 8, "max_nodes": 10}
    buckets = [n for n in v.nodes if v.meta[n["id"]]["k"] == "bucket"]
    assert all(n["shape"] == KIND_SHAPES["bucket"] for n in buckets)
    assert sum(int(n["label"].split("×")[1]) for n in buckets) == 9
    january = [n for n in buckets if n["id"].endswith(":2025-01-01")]
    assert sorted(n["label"] for n in january) == ["diplomacy ×1", "pressure ×2", "relief ×1", "security ×1"]
    pressure = next(n["id"] for n in january if n["label"] == "pressure ×2")
    assert dict(v.tooltips[pressure]["rows"])["types"] == "tariff-imposition 1, threat 1"
    # Aggregated claims keep their relation and join aggregates.
    claim_edges = [e for e in v.edges if e["id"].startswith("claims:")]
    assert claim_edges and all(e["arrows"] == "to" for e in claim_edges)
    tight = graph_view(small, max_nodes=3)  # too few for even the coarsest level: it is used anyway
    assert tight.aggregation["by"] == "group" and tight.aggregation["per"] == "year"
    drawn = tight.aggregation["nodes"] + tight.counts["actors"] + tight.counts["levers"]
    assert drawn > 3 and (f"({drawn} nodes in all, more than --max-nodes allows: even the coarsest aggregation "
                          "has more buckets)") in tight.note
    # one threat fits one bucket of the finest level: the actors and levers drawn beside it are what overflow
    one = graph_view(small, max_nodes=2, types=["threat"])
    assert one.aggregation["by"] == "type" and one.aggregation["per"] == "week"
    assert one.note.startswith("5 nodes (1 event, 3 actors, 1 lever) are more than --max-nodes 2: the events are "
                               "aggregated by type per week into 1 node; only the 1 most active of 3 actors and 1 of "
                               "1 lever are drawn (3 nodes in all")
    assert "at least 2 actors and levers are drawn beside the events" in one.note and "coarsest" not in one.note
    assert "nodes in all" not in graph_view(small, max_nodes=10).note  # it fits: nothing to say


def test_empty_view_is_a_page_that_says_so(small):
    v = graph_view(small, date_from="2030-01-01")
    assert v.nodes == [] and v.note == "No events match this view."
    assert "No events match" in v.to_html()


# -- the page ------------------------------------------------------------------------------------------------


def test_page_is_self_contained(small_view, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = small_view.to_html()
    parsed = parse_page(page)
    assert parsed.refs == []  # no src= or href= at all: vis-network and the styles are inline
    assert "cdn.jsdelivr.net" not in page and "bootstrap" not in page.lower()
    assert "node_modules" not in page  # not even in a comment
    assert page.startswith("<!DOCTYPE html>")
    assert any("vis.Network" in text for _, text in parsed.scripts)
    assert list(tmp_path.iterdir()) == []  # pyvis wrote no lib/ folder


def test_embedded_data_equals_to_dict_and_hostile_text_cannot_end_the_script(small):
    g = read_graph(timeline=read_timeline([SMALL]))
    event = URIRef("https://example.org/small/event/pause-1")
    from rdflib.namespace import DCTERMS
    g.remove((event, DCTERMS.description, None))
    g.add((event, DCTERMS.description, Literal(HOSTILE_SUMMARY + " </script><!-- &amp;")))
    v = graph_view(g)
    page = v.to_html()
    assert page_data(page) == json.loads(json.dumps(v.to_dict()))
    assert "</script><!--" not in page and "<script>window.__xss" not in page
    parsed = parse_page(page)
    assert [i for i, _ in parsed.scripts].count("parley-data") == 1
    assert not [r for r in parsed.refs if r[0] == "img"]


def test_external_refs_finds_remote_tags_but_not_data_in_scripts():
    page = ('<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/x.js">'
            '</script><script>var s = \'<img src="https://evil.example/">\';</script></head>'
            '<body><a href="#top">top</a><img src="data:image/png;base64,AA"></body></html>')
    assert view_module.external_refs(page) == ["https://cdn.example/x.css", "//cdn.example/x.js"]
    assert view_module._REMOTE_TAG.sub("", page).count("cdn.example") == 0


def test_write_view_replaces_the_page_only_when_complete(small, tmp_path, monkeypatch):
    out = tmp_path / "v.html"
    v = write_view(small, out)
    assert out.read_text(encoding="utf-8") == v.to_html()
    assert out.stat().st_mode & 0o777 != 0o600  # not left private by the temporary file
    before = out.read_bytes()

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(View, "to_html", broken)
    with pytest.raises(RuntimeError):
        write_view(small, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.html"]
    with pytest.raises(ViewError, match="does not exist"):
        write_view(small, tmp_path / "missing" / "v.html")
    with pytest.raises(ViewError, match="is a directory"):
        write_view(small, tmp_path)


def test_view_html_is_the_page_of_graph_view(small):
    assert page_data(view_html(small, types=["threat"])) == json.loads(
        json.dumps(graph_view(small, types=["threat"]).to_dict()))


def test_graph_file_gives_the_same_view(small_view, tmp_path):
    ttl = tmp_path / "small.ttl"
    assert CliRunner().invoke(main, ["build", "--timeline", SMALL, "--out", str(ttl)]).exit_code == 0
    v = graph_view(read_graph(graph_file=str(ttl)))
    assert v.to_dict() == small_view.to_dict()


def test_a_javascript_source_url_is_kept_as_text_data(small):
    g = read_graph(timeline=read_timeline([SMALL]))
    src = URIRef("https://example.org/small/source/evil")
    g.add((URIRef("https://example.org/small/event/pause-1"), PROV.hadPrimarySource, src))
    g.add((src, SCHEMA.url, Literal("javascript:alert(1)")))
    v = graph_view(g)
    tip = next(t for t in v.tooltips.values() if t["title"] == "pause-1")
    assert {"url": "javascript:alert(1)", "title": None, "publisher": None, "date": None} in tip["sources"]
    # The page's script makes links only of http(s) URLs.
    assert "/^https?:\\/\\//i.test(url)" in v.to_html()


# -- the command -----------------------------------------------------------------------------------------------


def test_cli_writes_the_page_and_reports_it(tmp_path):
    out = tmp_path / "view.html"
    r = CliRunner().invoke(main, ["view", "--timeline", SMALL, "--out", str(out), "--types", "threat,reprieve"])
    assert r.exit_code == 0, r.output
    assert f"wrote {out}: " in r.output and "2 events" in r.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert {n["label"] for n in data["nodes"] if data["meta"][n["id"]]["k"] == "event"} == {"threat-1", "pause-1"}


def test_cli_layout_focus_dates_actors_and_max_nodes(tmp_path):
    out = tmp_path / "v.html"
    args = ["view", "--timeline", SMALL, "--out", str(out)]
    r = CliRunner().invoke(main, [*args, "--layout", "network", "--focus", "pledge-1", "--depth", "1"])
    assert r.exit_code == 0, r.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["layout"] == "network" and data["counts"]["events"] == 3
    r = CliRunner().invoke(main, [*args, "--from", "2025-03-01", "--to", "2025-12-31", "--actors", "alice"])
    assert r.exit_code == 0 and page_data(out.read_text(encoding="utf-8"))["counts"]["events"] == 2
    r = CliRunner().invoke(main, [*args, "--max-nodes", "10"])
    assert r.exit_code == 0 and "aggregated by" in r.output


@pytest.mark.parametrize("extra, message", [
    (["--types", "bogus"], "--types: unknown event type 'bogus'"),
    (["--from", "yesterday"], "--from 'yesterday': not a date (YYYY-MM-DD)"),
    (["--focus", "nobody"], "--focus: no event, actor or lever has the id 'nobody'"),
    (["--depth", "3"], "--depth needs --focus"),
    (["--layout", "spiral"], "Invalid value for '--layout'"),
    (["--out", "/nonexistent-folder/v.html"], "folder /nonexistent-folder does not exist"),
])
def test_cli_bad_input_exits_2_with_a_message(extra, message):
    r = CliRunner().invoke(main, ["view", "--timeline", SMALL, *extra])
    assert r.exit_code == 2
    assert message in r.output and "Traceback" not in r.output


def test_cli_open_launches_the_written_page(tmp_path, monkeypatch):
    import webbrowser

    opened = []

    class Browser:
        def open(self, url):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda *a: Browser())
    out = tmp_path / "v.html"
    r = CliRunner().invoke(main, ["view", "--timeline", SMALL, "--out", str(out), "--open"])
    assert r.exit_code == 0, r.output
    assert opened == [out.resolve().as_uri()] and "no browser" not in r.output


def test_cli_open_without_a_browser_says_where_the_page_is(tmp_path, monkeypatch):
    import webbrowser

    def no_browser(*a):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    out = tmp_path / "v.html"
    r = CliRunner().invoke(main, ["view", "--timeline", SMALL, "--out", str(out), "--open"])
    assert r.exit_code == 0 and out.is_file()
    assert f"no browser to open it with here: open {out.resolve()} in one" in r.output


def test_pyvis_and_networkx_are_imported_only_when_drawing():
    code = ("import sys, parley.cli, parley.graph.view; "
            "assert not {'pyvis', 'networkx'} & set(sys.modules), sorted({'pyvis', 'networkx'} & set(sys.modules))")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_date_range_reads_only_its_events_and_draws_the_same_page(small, monkeypatch):
    """Within --from/--to the view asks for those events' participants, figures, claims and sources by IRI (a
    large graph is not read whole for a few days of it); the page is the one a whole read gives."""
    from parley.graph import query as query_module

    calls = []
    real = view_module.run_query_among

    def spy(graph, name, variable, nodes, **kw):
        calls.append((name, None if nodes is None else len(nodes)))
        return real(graph, name, variable, nodes, **kw)

    monkeypatch.setattr(view_module, "run_query_among", spy)
    options = dict(date_from="2025-01-10", date_to="2025-02-10")
    narrow = graph_view(small, **options)
    asked = dict(calls)
    events = narrow.counts["events"]
    assert asked["view-participants"] == asked["view-quantities"] == asked["view-claims"] == events
    assert 0 < events < graph_view(small).counts["events"]
    assert asked["view-sources"] == events + narrow.counts["levers"] + narrow.counts["claims"]
    # the types narrow the events too, and so do the actors (their events found by the actors' IRIs first)
    calls.clear()
    typed = graph_view(small, types=["reprieve", "extension"])
    assert dict(calls)["view-participants"] == typed.counts["events"] == 2
    calls.clear()
    alices = graph_view(small, actors=["alice"])
    assert calls[:2] == [("view-participants", 1), ("view-participants", alices.counts["events"])]
    assert 0 < alices.counts["events"] < 9
    monkeypatch.setattr(view_module, "AMONG_LIMIT", 0)  # everything read whole, as before
    assert graph_view(small, types=["reprieve", "extension"]).to_dict() == typed.to_dict()
    assert graph_view(small, actors=["alice"]).to_dict() == alices.to_dict()
    calls.clear()
    whole = graph_view(small, **options)
    assert calls and all(n is None for _, n in calls)
    assert whole.to_dict() == narrow.to_dict() and whole.note == narrow.note
    # an IRI a query cannot hold (a lenient load let it in): the whole graph is read instead, the same page
    monkeypatch.setattr(view_module, "AMONG_LIMIT", 20_000)
    monkeypatch.setattr(query_module, "_UNWRITABLE_IRI", lambda iri: True)
    assert graph_view(small, **options).to_dict() == narrow.to_dict()


def test_cli_out_dash_writes_the_page_to_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["view", "--timeline", SMALL, "--out", "-"])
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>") and list(tmp_path.iterdir()) == []
    r = CliRunner().invoke(main, ["view", "--timeline", SMALL, "--out", "-", "--open"])
    assert r.exit_code == 2 and "--open needs a file" in r.stderr


def test_several_claims_between_two_events_are_curved_apart(tmp_path):
    path = tmp_path / "par.yaml"
    path.write_text("""timeline: {id: par, title: P}
actors: [{id: a, name: A, kind: person}, {id: b, name: B, kind: government}]
events:
  - {id: e1, date: 2025-01-05, type: threat, actors: [a], summary: s}
  - {id: e2, date: 2025-01-20, type: reprieve, actors: [a], summary: s}
links:
  - {cause: e1, effect: e2, relation: causes, claimed_by: a}
  - {cause: e1, effect: e2, relation: causes, claimed_by: b, disputed_by: [a]}
  - {cause: e1, effect: e2, relation: enables}
  - {cause: e2, effect: e1, relation: prevents}
""", encoding="utf-8")
    claims = [e for e in graph_view(read_graph(timeline=read_timeline([path]))).edges if e["id"].startswith("claim:")]
    shapes = [json.dumps(e.get("smooth"), sort_keys=True) for e in claims]
    # one straight, the others curved, no two alike: each can be seen and hovered (the disputed one dashed)
    assert len(claims) == 4 and len(set(shapes)) == 4 and shapes.count("null") == 1
    assert any(e["dashes"] for e in claims)
    # vis bends curvedCW to the right of each edge's own direction: seen from one end of the pair, no two
    # curves bend to the same side by as much (the claim the other way round included)
    sides = [((e["smooth"]["type"] == "curvedCW") == (e["from"] <= e["to"]), e["smooth"]["roundness"])
             for e in claims if e.get("smooth")]
    assert len(set(sides)) == len(sides) == 3


def test_no_two_nodes_share_a_point_in_the_timeline_layout():
    # the bundled timeline's actors lane is full at some dates: nodes there overlap labels, never each other
    from parley.events.read import read_bundled

    view = graph_view(read_graph(timeline=read_bundled()))
    points = [(n["x"], n["y"]) for n in view.nodes]
    assert len(points) == len(set(points)) == len(view.nodes) > 100


def test_a_crowded_lane_keeps_every_node_at_its_date_stacked_in_its_rows(tmp_path):
    days = ["2025-01-01"] * 150 + ["2025-01-03", "2025-01-10"]
    path = tmp_path / "crowd.yaml"
    path.write_text("timeline: {id: crowd}\nactors: [{id: a, name: A, kind: person}]\nevents:\n" + "".join(
        f"  - {{id: e{i:03d}, date: {d}, type: seizure, actors: [a], summary: s}}\n" for i, d in enumerate(days)),
        encoding="utf-8")
    view = graph_view(read_graph(timeline=read_timeline([path])), max_nodes=1000)
    events = [n for n in view.nodes if n["label"].startswith("e")]
    x_of = {d: {n["x"] for n in events if n["label"] == f"e{i:03d}"} for i, d in enumerate(days)}
    # at its date, in date order: a full lane stacks nodes above and below its rows, then a few units along (150
    # at one date are more than the rows hold), it does not push them days away
    xs = [x_of[d] for d in ("2025-01-01", "2025-01-03", "2025-01-10")]
    assert max(xs[0]) - min(xs[0]) <= 12 and max(xs[0]) < min(xs[1]) <= max(xs[1]) < min(xs[2])
    points = [(n["x"], n["y"]) for n in events]
    assert len(set(points)) == len(points)  # never a node on a node
