"""graph/analysis.py and `parley analyze`: centrality, paths, what-if, consistency and lags on hand-made graphs.

tests/data/network-chain.yaml has known answers (its header comment draws the causal edges); network-cycle.yaml
has a cycle and an anachronism.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import URIRef

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph import analysis
from parley.graph.audit import audit
from parley.graph.analysis import AnalysisError, betweenness, causal_paths, centrality, consistency, lags, what_if
from parley.graph.network import network_graph
from parley.graph.store import read_graph
from parley.ontology.namespace import SEM

DATA = Path(__file__).parent / "data"
CHAIN = str(DATA / "network-chain.yaml")
CYCLE = str(DATA / "network-cycle.yaml")


@pytest.fixture(scope="module")
def net():
    return network_graph(read_graph(timeline=read_timeline([CHAIN])))


def run(*args):
    return CliRunner().invoke(main, [*args], catch_exceptions=False)


# --- centrality ---------------------------------------------------------------------------------------

def test_event_centrality_known_values(net):
    result = centrality(net, kind="event", top=3)
    assert [(r["id"], r["betweenness"]) for r in result.rows] == [
        ("e2", round(4 / 42, 6)), ("e4", round(3 / 42, 6)), ("e3", round(1 / 42, 6))]
    assert (result.events, result.links, result.claims, result.sample) == (8, 7, 8, None)
    pagerank = {r["id"]: r["pagerank"] for r in centrality(net, kind="event", top=8).rows}
    assert max(pagerank, key=pagerank.get) == "e5"  # the event most chains lead to
    assert sum(pagerank.values()) == pytest.approx(1.0, abs=1e-5)


def test_actor_and_lever_centrality_sum_their_events(net):
    actors = centrality(net, kind="actor", top=10).rows
    assert [(r["id"], r["betweenness"], r["events"]) for r in actors] == [
        ("b", round(4 / 42, 6), 2), ("gb", round(3 / 42, 6), 2), ("a", round(1 / 42, 6), 5), ("ga", 0.0, 0)]
    levers = centrality(net, kind="lever", top=1).rows
    assert [(r["id"], r["betweenness"], r["events"]) for r in levers] == [("guard", round(3 / 42, 6), 1)]


def test_betweenness_per_component_equals_networkx_and_samples_large_parts():
    g = nx.gnp_random_graph(60, 0.05, seed=3, directed=True)
    g.add_edges_from((100 + i, 101 + i) for i in range(30))  # a second, chain-shaped part
    exact, sampled = betweenness(g)
    reference = nx.betweenness_centrality(g)
    assert not sampled and exact == pytest.approx(reference)
    estimate, sampled = betweenness(g, sample_above=40, sample_size=20, seed=7)
    assert sampled and estimate == betweenness(g, sample_above=40, sample_size=20, seed=7)[0]
    assert estimate != exact
    assert all(estimate[v] == pytest.approx(reference[v]) for v in range(100, 131))  # the chain: exact


def test_centrality_rejects_bad_options(net):
    with pytest.raises(AnalysisError, match="expected event, actor or lever"):
        centrality(net, kind="source")
    with pytest.raises(AnalysisError, match="positive"):
        centrality(net, top=0)


# --- paths --------------------------------------------------------------------------------------------

def test_paths_every_chain_with_claims(net):
    result = causal_paths(net, "e1", "e5")
    chains = [[h["claim"] for h in p] for p in result.paths]
    assert chains == [["L1", "L2", "L5"], ["L1", "L2b", "L5"], ["L1", "L3", "L4"]]
    hop = result.paths[0][1]
    assert (hop["cause"], hop["effect"], hop["relation"], hop["claimant"], hop["evidence"], hop["sources"]) == (
        "e2", "e3", "in-exchange-for", "a", "A: the pause is for the guards.", ["https://example.org/n/3"])
    assert result.paths[1][1]["disputed_by"] == ["gb"]
    assert not result.truncated
    assert causal_paths(net, "e1", "e5", max_length=2).paths == []
    assert causal_paths(net, "e5", "e1").paths == []  # chains run forward only
    limited = causal_paths(net, "e1", "e5", limit=2)
    assert len(limited.paths) == 2 and limited.truncated


def test_paths_with_a_limit_keep_the_shortest(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("""\
timeline: {id: short, base: "https://example.org/short/"}
actors: [{id: p, name: P, kind: person}]
events:
  - {id: x, date: 2025-01-01, type: call, actors: [p], summary: x}
  - {id: y, date: 2025-01-02, type: call, actors: [p], summary: y}
  - {id: w, date: 2025-01-02, type: call, actors: [p], summary: w}
  - {id: z, date: 2025-01-03, type: call, actors: [p], summary: z}
links:
  - {cause: x, effect: y, relation: causes}
  - {cause: y, effect: w, relation: causes}
  - {cause: w, effect: z, relation: causes}
  - {cause: y, effect: z, relation: causes}
  - {cause: x, effect: z, relation: causes}
""", encoding="utf-8")
    g = read_graph(timeline=read_timeline([path]))
    ends = lambda result: [[p[0]["cause"]] + [h["effect"] for h in p] for p in result.paths]  # noqa: E731
    assert ends(causal_paths(g, "x", "z", limit=1)) == [["x", "z"]]  # the depth-first walk finds x-y-w-z first
    two = causal_paths(g, "x", "z", limit=2)
    assert ends(two) == [["x", "z"], ["x", "y", "z"]] and two.truncated
    every = causal_paths(g, "x", "z", limit=3)
    assert ends(every) == [["x", "z"], ["x", "y", "z"], ["x", "y", "w", "z"]] and not every.truncated


def test_paths_from_an_rdf_graph_shows_the_details_and_refuses_a_lean_network():
    """Given an rdflib graph, paths projects it with the claims' details; a network projected without them
    would make it say "no claimant" of claims that have one, so it is refused."""
    g = read_graph(timeline=read_timeline([CHAIN]))
    hop = causal_paths(g, "e1", "e5").paths[0][1]
    assert (hop["claimant"], hop["evidence"], hop["sources"]) == (
        "a", "A: the pause is for the guards.", ["https://example.org/n/3"])
    with pytest.raises(AnalysisError, match="details=True"):
        causal_paths(network_graph(g, details=False), "e1", "e5")


@pytest.mark.parametrize("call, full", [
    (lambda g: centrality(g), False), (lambda g: consistency(g), False),
    (lambda g: lags(g), False), (lambda g: causal_paths(g, "e1", "e5"), True)])
def test_each_analysis_projects_only_what_it_shows(monkeypatch, call, full):
    """The analyses but paths and whatif read neither sources nor details (a third of the engine's work at 100k
    events); whatif reads the sources, which say what is evidence, and no details."""
    asked = []

    def spy(graph, **options):
        asked.append(options)
        return network_graph(graph, **options)

    monkeypatch.setattr(analysis, "network_graph", spy)
    call(read_graph(timeline=read_timeline([CHAIN])))
    assert asked == [{"sources": full, "details": full}]


def test_whatif_projects_sources_and_no_details(monkeypatch):
    asked = []

    def spy(graph, **options):
        asked.append(options)
        return network_graph(graph, **options)

    monkeypatch.setattr(analysis, "network_graph", spy)
    what_if(read_graph(timeline=read_timeline([CHAIN])), "e2")
    assert asked == [{"sources": True, "details": False}]


def test_paths_bad_ids(net):
    with pytest.raises(AnalysisError, match="unknown event id 'nope'"):
        causal_paths(net, "nope", "e5")
    with pytest.raises(AnalysisError, match="unknown event id 'a'"):
        causal_paths(net, "e1", "a")  # an actor is not an event
    with pytest.raises(AnalysisError, match="same event"):
        causal_paths(net, "e1", "e1")


# --- what-if ------------------------------------------------------------------------------------------

WHATIF = """\
# network-chain.yaml's events and claims, every claim sourced, and two more stories: a claim without a source
# (s1 -> r1), a chain of five sourced claims (s2 -> m1 -> m2 -> m3 -> m4 -> r2), one more than the audit follows,
# and a statistic that gives no figures (st0 -> r3).
timeline: {id: whatif, base: "https://example.org/whatif/"}
actors:
  - {id: a, name: Leader A, kind: person, country: AA}
  - {id: gb, name: Government of B, kind: government, country: BB}
levers:
  - {id: duty, kind: tariff, name: Duty, imposed_by: a, target: gb}
events:
  - {id: e1, date: 2025-01-01, type: threat, actors: [a], lever: duty, rate: 25, summary: s}
  - {id: e2, date: 2025-01-05, type: commitment, actors: [gb], promises: troop-deployment, summary: s}
  - {id: e3, date: 2025-01-10, type: reprieve, actors: [a], lever: duty, until: 2025-02-10, summary: s}
  - {id: e4, date: 2025-01-15, type: troop-deployment, actors: [gb], quantity: {troops: 1000}, summary: s}
  - {id: e5, date: 2025-02-01, type: extension, actors: [a], lever: duty, until: 2025-03-01, summary: s}
  - {id: e6, date: 2025-02, type: statistic, actors: [gb], quantity: {arrests: 50}, summary: s}
  - {id: e7, date: 2025-03-20, type: exemption, actors: [a], lever: duty, summary: s}
  - {id: s1, date: 2025-04-01, type: seizure, actors: [gb], quantity: {kg: 10}, summary: s}
  - {id: r1, date: 2025-04-10, type: tariff-reduction, actors: [a], lever: duty, rate: 10, summary: s}
  - {id: s2, date: 2025-05-01, type: lab-raid, actors: [gb], quantity: {labs: 3}, summary: s}
  - {id: m1, date: 2025-05-02, type: call, actors: [a, gb], summary: s}
  - {id: m2, date: 2025-05-03, type: meeting, actors: [a, gb], summary: s}
  - {id: m3, date: 2025-05-04, type: call, actors: [a, gb], summary: s}
  - {id: m4, date: 2025-05-05, type: meeting, actors: [a, gb], summary: s}
  - {id: r2, date: 2025-05-06, type: extension, actors: [a], lever: duty, summary: s}
  - {id: st0, date: 2025-06-01, type: statistic, actors: [gb], summary: no figures given}
  - {id: r3, date: 2025-06-05, type: tariff-reduction, actors: [a], lever: duty, rate: 5, summary: s}
links:
  - {id: L1, cause: e1, effect: e2, relation: in-response-to, claimed_by: gb, sources: ["https://example.org/w/1"]}
  - {id: L2, cause: e2, effect: e3, relation: in-exchange-for, claimed_by: a, sources: ["https://example.org/w/2"]}
  - {id: L2b, cause: e2, effect: e3, relation: in-exchange-for, claimed_by: gb, sources: ["https://example.org/w/3"]}
  - {id: L3, cause: e2, effect: e4, relation: delivered-by, claimed_by: gb, sources: ["https://example.org/w/4"]}
  - {id: L4, cause: e4, effect: e5, relation: in-exchange-for, claimed_by: a, sources: ["https://example.org/w/5"]}
  - {id: L5, cause: e3, effect: e5, relation: enables, claimed_by: a, sources: ["https://example.org/w/6"]}
  - {id: L6, cause: e6, effect: e7, relation: causes, claimed_by: a, sources: ["https://example.org/w/7"]}
  - {id: L7, cause: e4, effect: e7, relation: prevents, claimed_by: gb, sources: ["https://example.org/w/8"]}
  - {id: U1, cause: s1, effect: r1, relation: in-exchange-for, claimed_by: gb}
  - {id: C1, cause: s2, effect: m1, relation: causes, claimed_by: a, sources: ["https://example.org/w/9"]}
  - {id: C2, cause: m1, effect: m2, relation: causes, claimed_by: a, sources: ["https://example.org/w/10"]}
  - {id: C3, cause: m2, effect: m3, relation: causes, claimed_by: a, sources: ["https://example.org/w/11"]}
  - {id: C4, cause: m3, effect: m4, relation: causes, claimed_by: a, sources: ["https://example.org/w/12"]}
  - {id: C5, cause: m4, effect: r2, relation: causes, claimed_by: a, sources: ["https://example.org/w/13"]}
  - {id: S0, cause: st0, effect: r3, relation: causes, claimed_by: a, sources: ["https://example.org/w/14"]}
"""


@pytest.fixture(scope="module")
def whatif_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("whatif") / "whatif.yaml"
    path.write_text(WHATIF, encoding="utf-8")
    return read_graph(timeline=read_timeline([path]))


@pytest.mark.parametrize("ident, kind, lost, supporters", [
    ("e2", "event", ["e3"], [["e2"]]),     # the pledge was e3's only support; e5 keeps e4
    ("e4", "event", [], []),               # e5 still has e2 -> e3 -> e5
    ("L6", "claim", ["e7"], [["e6"]]),     # e4 -| e7 is 'prevents': no support
    ("L2", "claim", [], []),               # the parallel claim L2b still links e2 to e3
    ("e3", "event", [], []),               # a removed relief is not 'lost'; e5 keeps e4
    ("L1", "claim", [], []),               # a threat's claim carries no support
    ("s1", "event", [], []),               # r1 had none: an unsourced claim is no evidence
    ("s2", "event", [], []),               # r2 had none: five claims are more than the audit follows
    ("st0", "event", [], []),              # r3 had none: a statistic without figures is no security support
])
def test_what_if_known_answers(whatif_graph, ident, kind, lost, supporters):
    result = what_if(whatif_graph, ident)
    assert result.removed_kind == kind
    assert [r["id"] for r in result.lost] == lost
    assert [r["supported_by"] for r in result.lost] == supporters
    assert result.supported_before == 3  # e3, e5, e7; not r1 (unsourced), r2 (too long a chain), r3 (no figures)
    assert result.removed_supported_relief == (ident == "e3")
    assert result.supported_after == 3 - len(lost) - (ident == "e3")


def test_what_if_agrees_with_the_audit(whatif_graph):
    reliefs = {r["event"]["id"]: r for r in audit(whatif_graph).reliefs}
    # no evidence for r1 or r2: s1 (linked without a source) and s2 (too far up the chain) are in the window
    # before them, candidates, not links
    assert (reliefs["r1"]["verdict"], reliefs["r2"]["verdict"]) == ("temporal-only", "temporal-only")
    assert [link["sourced"] for link in reliefs["r1"]["links"]] == [False] and reliefs["r2"]["links"] == []
    assert reliefs["e7"]["verdict"] == "evidenced" and reliefs["r3"]["verdict"] == "unexplained"


def test_what_if_removing_both_supports_of_e5(whatif_graph):
    net = network_graph(whatif_graph)
    net.remove_edge("https://example.org/whatif/event/e3", "https://example.org/whatif/event/e5", "L5")
    result = what_if(net, "e4")
    assert [(r["id"], r["supported_by"]) for r in result.lost] == [("e5", ["e2", "e4"])]
    # (a network given as it is says nothing of figures: its statistics all count, st0 -> r3 too)
    assert (result.supported_before, result.supported_after) == (4, 3)
    with pytest.raises(AnalysisError, match="without sources"):
        what_if(network_graph(whatif_graph, sources=False), "e4")


def test_what_if_unknown_id(net):
    with pytest.raises(AnalysisError, match="unknown event or claim id 'zz'"):
        what_if(net, "zz")


# --- consistency --------------------------------------------------------------------------------------

def test_consistency_clean(net):
    assert consistency(net).ok


def test_consistency_cycle_and_anachronism():
    report = consistency(read_graph(timeline=read_timeline([CYCLE])))
    assert [(f["kind"], f["ids"]) for f in report.findings] == [("cycle", ["c12", "c23", "c31"]),
                                                                ("anachronism", ["c31"])]
    cycle, late = report.findings
    assert [w.rsplit(":", 1)[1] for w in cycle["where"]] == ["11", "12", "13"]
    assert "x1 -> x2 -> x3 -> x1" in cycle["message"]
    assert late["where"][0].endswith("network-cycle.yaml:13")
    assert "effect 'x1' (2025-03-01) is dated before its cause 'x3' (2025-03-10)" in late["message"]


def test_consistency_missing_events():
    g = read_graph(timeline=read_timeline([CHAIN]))
    g.remove((URIRef("https://example.org/chain/event/e6"), None, None))
    g.remove((URIRef("https://example.org/chain/event/e1"), SEM.hasEarliestBeginTimeStamp, None))
    report = consistency(g)
    found = {f["ids"][0]: f for f in report.findings}
    assert set(found) == {"L6", "L1"} and {f["kind"] for f in report.findings} == {"missing-event"}
    assert "cause 'https://example.org/chain/event/e6' has no event type" in found["L6"]["message"]
    assert "cause 'e1' has no date" in found["L1"]["message"]
    assert found["L1"]["where"][0].endswith("network-chain.yaml:26")


def test_consistency_a_claim_without_a_cause():
    from parley.ontology.namespace import PARLEY

    g = read_graph(timeline=read_timeline([CHAIN]))
    g.remove((URIRef("https://example.org/chain/claim/L2"), PARLEY.cause, None))
    found = {f["ids"][0]: f for f in consistency(g).findings}
    assert found["L2"]["kind"] == "missing-event" and found["L2"]["message"] == "claim L2: cause not given"


# --- lags ---------------------------------------------------------------------------------------------

def test_lags_known_values(net):
    result = lags(net)
    rel = {r["key"]: r for r in result.by_relation}
    assert rel["in-exchange-for"] == {"key": "in-exchange-for", "count": 3, "min": 5, "median": 5, "max": 17}
    assert rel["prevents"]["max"] == 64  # e4 (15 Jan, its earliest day) -> e7 (20 Mar)
    types = {r["key"]: r for r in result.by_types}
    assert types["statistic -> exemption"]["min"] == 47  # e6 is dated to February: its earliest day is 1 Feb
    assert types["commitment -> reprieve"]["count"] == 2
    assert result.overall["count"] == 8
    # a median is an int when whole (the mean of two middle lags may be 1.0 or 1.5): JSON and CSV print it alike
    medians = [r["median"] for r in (*result.by_relation, *result.by_types, result.overall) if r["count"]]
    assert all(isinstance(m, int) or m != int(m) for m in medians)
    assert types["commitment -> reprieve"]["median"] == statistics.median(
        [r for r in [types["commitment -> reprieve"]["min"], types["commitment -> reprieve"]["max"]]])


# --- the commands -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, call", [
    (["centrality", "--top", "3"], lambda g: centrality(g, top=3)),
    (["centrality", "--kind", "actor"], lambda g: centrality(g, kind="actor")),
    (["paths", "e1", "e5", "--max-length", "3"], lambda g: causal_paths(g, "e1", "e5", max_length=3)),
    (["whatif", "e2"], lambda g: what_if(g, "e2")),
    (["consistency"], consistency),
    (["lags"], lags),
])
def test_json_equals_to_dict(args, call):
    result = run("analyze", *args, "--timeline", CHAIN, "--format", "json")
    assert result.exit_code == 0, result.output
    expected = call(read_graph(timeline=read_timeline([CHAIN]))).to_dict()
    assert json.loads(result.output) == json.loads(json.dumps(expected))


def test_text_and_csv():
    text = run("analyze", "paths", "e2", "e5", "--timeline", CHAIN).output
    assert "e2 delivered-by e4  [L3; claimed by gb, confidence 0.6]" in text
    assert "evidence: The extension rewards the deployment." in text
    rows = list(csv.DictReader(io.StringIO(run("analyze", "whatif", "e2", "--timeline", CHAIN, "--format", "csv").output)))
    assert rows == [{"removed": "e2", "relief": "e3", "type": "reprieve", "date": "2025-01-10", "supported_by": "e2"}]
    rows = list(csv.DictReader(io.StringIO(run("analyze", "centrality", "--timeline", CHAIN, "--format", "csv").output)))
    assert rows[0]["id"] == "e2" and rows[0]["rank"] == "1"
    out = run("analyze", "lags", "--timeline", CHAIN, "--format", "csv").output
    assert "relation,in-exchange-for,3,5,5,17" in out


def test_consistency_exit_codes():
    clean = run("analyze", "consistency", "--timeline", CHAIN)
    assert clean.exit_code == 0 and "No causal cycles" in clean.output
    bad = run("analyze", "consistency", "--timeline", CYCLE)
    assert bad.exit_code == 1
    assert "network-cycle.yaml:13: anachronism (c31): effect 'x1'" in bad.output


@pytest.mark.parametrize("args, message", [
    (["paths", "e1", "nope"], "unknown event id 'nope'"),
    (["whatif", "nope"], "unknown event or claim id 'nope'"),
    (["centrality", "--top", "0"], "--top"),
    (["centrality", "--kind", "source"], "--kind"),
])
def test_bad_input_exits_2(args, message):
    result = CliRunner().invoke(main, ["analyze", *args, "--timeline", CHAIN])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_analysis_works_on_an_rdf_file(tmp_path):
    ttl = tmp_path / "chain.ttl"
    assert run("build", "--timeline", CHAIN, "--out", str(ttl)).exit_code == 0
    result = run("analyze", "whatif", "e2", "--graph", str(ttl), "--format", "json")
    assert [r["id"] for r in json.loads(result.output)["lost"]] == ["e3"]


def test_module_imports_no_networkx_at_import_time():
    assert "networkx" not in analysis.__dict__


def test_a_timeline_without_claims(tmp_path):
    path = tmp_path / "quiet.yaml"
    path.write_text("timeline: {id: quiet}\nactors:\n  - {id: p, name: P, kind: person}\nevents:\n"
                    "  - {id: x1, date: 2025-03-01, type: call, actors: [p], summary: A call.}\n")
    for args in (["lags"], ["centrality", "--kind", "lever"], ["consistency"], ["whatif", "x1"]):
        result = run("analyze", *args, "--timeline", str(path))
        assert result.exit_code == 0, result.output
    assert json.loads(run("analyze", "lags", "--timeline", str(path), "--format", "json").output)["overall"] == {
        "key": "all", "count": 0, "min": None, "median": None, "max": None}
    assert "(none)" in run("analyze", "centrality", "--kind", "lever", "--timeline", str(path)).output


def test_event_centrality_text_shows_each_event_s_type(net):
    text = centrality(net, kind="event").to_text().splitlines()
    assert text[1].split() == ["#", "id", "betweenness", "pagerank", "type"]
    row = text[2].split()
    assert row[-1] == net.nodes[next(n for n, a in net.nodes(data=True) if a.get("id") == row[1])]["type"]
    assert centrality(net, kind="actor").to_text().splitlines()[2].split()[-2:] == ["events", "label"]


def test_what_if_ignores_a_claim_dated_backwards_as_the_audit_does(tmp_path):
    path = tmp_path / "back.yaml"
    path.write_text("""timeline: {id: back, base: "https://example.org/back/"}
actors:
  - {id: us, name: A, kind: government, country: AA}
  - {id: them, name: B, kind: government, country: BB}
levers:
  - {id: L, kind: tariff, name: T, imposed_by: us, target: them}
events:
  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: r, date: 2025-08-06, type: reprieve, actors: [us], lever: L, summary: s}
  - {id: late, date: 2025-08-20, type: lab-raid, actors: [them], summary: s}
links:
  - {id: back, cause: late, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
""", encoding="utf-8")
    g = read_graph(timeline=read_timeline([path]))
    result = what_if(g, "late")
    assert (result.supported_before, result.lost) == (0, [])
    assert audit(g).reliefs[0]["verdict"] == "unexplained"


def test_consistency_names_a_self_link_inside_a_larger_cycle(tmp_path):
    path = tmp_path / "cyc.yaml"
    path.write_text("""timeline: {id: cyc}
actors:
  - {id: a, name: A, kind: person}
events:
  - {id: e1, date: 2025-01-01, type: call, actors: [a], summary: s}
  - {id: e2, date: 2025-01-05, type: call, actors: [a], summary: s}
links:
  - {cause: e1, effect: e2, relation: causes}
  - {cause: e2, effect: e1, relation: causes}
  - {cause: e1, effect: e1, relation: enables}
""", encoding="utf-8")
    cycles = [f for f in consistency(read_graph(timeline=read_timeline([path]))).findings if f["kind"] == "cycle"]
    assert [(f["ids"], f["message"]) for f in cycles] == [
        (["e1.enables.e1"], "causal cycle e1 -> e1"),
        (["e1.causes.e2", "e2.causes.e1"], "causal cycle e1 -> e2 -> e1")]


def test_what_if_of_a_claim_by_its_iri_is_what_if_by_its_id():
    g = read_graph(timeline=read_timeline([DATA / "small.yaml"]))
    by_id = what_if(g, "pledge-1.in-exchange-for.pause-1")
    by_iri = what_if(g, "https://example.org/small/claim/pledge-1.in-exchange-for.pause-1")
    assert by_iri.removed_kind == "claim" and by_iri.lost == by_id.lost != []
    assert (by_iri.supported_before, by_iri.supported_after) == (by_id.supported_before, by_id.supported_after)
