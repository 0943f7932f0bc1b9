"""graph/export.py and `parley export`: GraphML, GEXF and CSV of the network; the graph itself as RDF."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph.export import csv_tables, exportable_network, gexf_bytes, graphml_bytes, serialize, serialize_graph
from parley.graph.network import network_graph
from parley.graph.store import read_graph

DATA = Path(__file__).parent / "data"
CHAIN = str(DATA / "network-chain.yaml")
BASE = "https://example.org/chain/"


@pytest.fixture(scope="module")
def timeline():
    return read_timeline([CHAIN])


@pytest.fixture(scope="module")
def net(timeline):
    return network_graph(read_graph(timeline=timeline))


def run(*args):
    return CliRunner().invoke(main, [*args])


def triples(graph) -> set:
    """The triples with decimals compared by value: Oxigraph stores 25.0 as its canonical form 25."""
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    return {(s, p, float(o) if isinstance(o, Literal) and str(o.datatype) == decimal else o) for s, p, o in graph}


def test_exportable_network_has_only_scalars(net):
    g = exportable_network(net)
    values = [v for _, a in g.nodes(data=True) for v in a.values()] + \
             [v for _, _, a in g.edges(data=True) for v in a.values()]
    assert all(type(v) in (str, int, float, bool) for v in values)
    assert g.nodes[BASE + "event/e4"]["date"] == "2025-01-15"
    assert g.edges[BASE + "event/e2", BASE + "event/e3", "L2b"]["disputed_by"] == "gb"
    assert "incomplete_claims" not in g.graph


def test_graphml_reads_back_the_same(net):
    back = nx.read_graphml(io.BytesIO(graphml_bytes(net)), force_multigraph=True)
    expected = exportable_network(net)
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert {(u, v, k): a for u, v, k, a in back.edges(keys=True, data=True)} == \
           {(u, v, k): a for u, v, k, a in expected.edges(keys=True, data=True)}
    e4 = back.nodes[BASE + "event/e4"]
    assert (e4["kind"], e4["type"], e4["group"], e4["label"], e4["date"]) == ("event", "troop-deployment", "security",
                                                                            "e4", "2025-01-15")
    claim = back.edges[BASE + "event/e2", BASE + "event/e3", "L2"]
    assert claim["confidence"] == 0.9 and claim["disputed"] is False and claim["causal"] is True


def test_gexf_for_gephi(net):
    data = gexf_bytes(net)
    assert b'timeformat="date"' in data and b'mode="dynamic"' in data
    back = nx.read_gexf(io.BytesIO(data))
    assert set(back.nodes) == set(net.nodes)
    assert back.number_of_edges() == net.number_of_edges()
    e1 = back.nodes[BASE + "event/e1"]
    assert (e1["identifier"], e1["label"], e1["type"], e1["start"], e1["group"]) == ("e1", "e1", "threat",
                                                                                   "2025-01-01", "pressure")
    assert back.nodes[BASE + "actor/gb"]["label"] == "Government of B"
    claims = {a["claim"]: a for _, _, a in back.edges(data=True) if a.get("causal")}
    assert claims["L7"]["label"] == "prevents" and claims["L7"]["evidence"].startswith("The guards kept")


def test_csv_tables(net):
    tables = csv_tables(net)
    nodes = list(csv.DictReader(io.StringIO(tables["nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(tables["edges.csv"])))
    assert len(nodes) == net.number_of_nodes() and len(edges) == net.number_of_edges()
    assert list(nodes[0])[:6] == ["node", "kind", "id", "type", "group", "label"]
    e6 = next(r for r in nodes if r["id"] == "e6")
    assert (e6["date"], e6["date_latest"], e6["precision"]) == ("2025-02-01", "2025-02-28", "month")
    l2b = next(r for r in edges if r["claim"] == "L2b")
    assert (l2b["source"], l2b["target"], l2b["key"], l2b["relation"], l2b["disputed"], l2b["claimant"]) == (
        BASE + "event/e2", BASE + "event/e3", "L2b", "in-exchange-for", "True", "ga")
    assert {r["source"] for r in edges} | {r["target"] for r in edges} <= {r["node"] for r in nodes}


def test_serialize_graph_is_the_built_graph(timeline):
    g = read_graph(timeline=timeline)
    built = triples(Graph().parse(data=serialize(timeline), format="turtle"))
    for fmt in ("turtle", "nt", "json-ld"):
        assert triples(Graph().parse(data=serialize_graph(g, fmt=fmt), format=fmt)) == built
        # term for term too: a whole decimal the store writes "25" is written "25.0", as built (and as Turtle
        # writes it), so an export and a build diff cleanly in every format
        for ours in ("nt", "json-ld", "turtle"):
            assert set(Graph().parse(data=serialize_graph(g, fmt=fmt), format=fmt)) == set(
                Graph().parse(data=serialize(timeline, fmt=ours), format=ours))
    ds = Dataset()
    ds.parse(data=serialize_graph(g, fmt="trig"), format="trig")
    assert [str(c.identifier) for c in ds.graphs() if len(c)] == [BASE + "graph"]  # the named graph is kept
    assert triples(ds.graph(BASE + "graph")) == built
    assert "^^xsd:string" not in serialize_graph(g, fmt="turtle")


def test_export_command_files(tmp_path, net):
    for fmt, reader in (("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)), ("gexf", nx.read_gexf)):
        out = tmp_path / f"chain.{fmt}"
        result = run("export", "--timeline", CHAIN, "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert reader(out).number_of_nodes() == net.number_of_nodes() == 17
    ttl = tmp_path / "chain.ttl"
    assert run("export", "--timeline", CHAIN, "--format", "ttl", "--out", str(ttl)).exit_code == 0
    built = run("build", "--timeline", CHAIN).output
    assert triples(Graph().parse(ttl)) == triples(Graph().parse(data=built, format="turtle"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_export_command_stdout_and_from_an_rdf_file(tmp_path):
    ttl = tmp_path / "chain.ttl"
    assert run("build", "--timeline", CHAIN, "--out", str(ttl)).exit_code == 0
    result = run("export", "--graph", str(ttl), "--format", "graphml")
    assert result.exit_code == 0
    back = nx.read_graphml(io.BytesIO(result.stdout_bytes), force_multigraph=True)
    assert back.nodes[BASE + "event/e2"]["promises"] == "troop-deployment"
    nt = run("export", "--graph", str(ttl), "--format", "nt")
    assert triples(Graph().parse(data=nt.output, format="nt")) == triples(Graph().parse(ttl))


def test_export_csv_folder(tmp_path):
    folder = tmp_path / "network"
    result = run("export", "--timeline", CHAIN, "--format", "csv", "--out", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
    with open(folder / "edges.csv", newline="") as f:
        assert sum(1 for r in csv.DictReader(f) if r["causal"] == "True") == 8
    again = run("export", "--timeline", CHAIN, "--format", "csv", "--out", str(folder))  # an existing folder is fine
    assert again.exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--format", "csv"], "give --out DIR"),
    (["--format", "csv", "--out", "{file}"], "not a folder"),
    (["--format", "csv", "--out", "{missing}/sub"], "does not exist"),
    (["--format", "graphml", "--out", "{missing}/x.graphml"], "does not exist"),
    (["--format", "pdf"], "Invalid value for '--format'"),
])
def test_export_bad_usage_exits_2(tmp_path, args, message):
    file = tmp_path / "file.txt"
    file.write_text("keep me")
    args = [a.format(file=file, missing=tmp_path / "missing") for a in args]
    result = run("export", "--timeline", CHAIN, *args)
    assert result.exit_code == 2 and message in result.output
    assert file.read_text() == "keep me"


@pytest.mark.parametrize("command, fmt", [("export", "nt"), ("export", "jsonld"), ("build", "nt"),
                                          ("build", "jsonld")])
def test_rdf_text_is_the_same_in_every_run(tmp_path, command, fmt):
    """N-Triples and JSON-LD come out in one order: rdflib writes them in the order of a set, which follows
    Python's per-process string hashing, so two runs on the same timeline differed. Two processes with
    different hash seeds write the same bytes, and the text still parses to the same graph."""
    import os
    import subprocess
    import sys

    from rdflib.compare import isomorphic

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        subprocess.run([sys.executable, "-c", "from parley.cli import main; main()", command, "--timeline", CHAIN,
                        "--format", fmt, "--out", str(out)],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    parsed = Graph().parse(data=outs[0].decode(), format="json-ld" if fmt == "jsonld" else fmt)
    timeline = read_timeline([CHAIN])
    nt = serialize(timeline, fmt="nt") if command == "build" else serialize_graph(read_graph(timeline=timeline), fmt="nt")
    assert isomorphic(parsed, Graph().parse(data=nt, format="nt"))


def test_n_triples_keep_a_literal_with_a_line_separator_on_its_line(tmp_path):
    """rdflib writes U+2028, U+2029 and U+0085 in N-Triples literals as they are: the lines are cut at "\\n" only,
    or a triple would be cut in two and its halves sorted apart."""
    import pyoxigraph as ox

    path = tmp_path / "seps.yaml"
    path.write_text("""\
timeline: {id: seps, base: "https://example.org/seps/"}
actors: [{id: a, name: A, kind: person}]
events:
  - {id: x, date: 2025-02-01, type: call, actors: [a], summary: "one\\u2029two", sources: ["https://e.org/1"]}
  - {id: y, date: 2025-02-03, type: call, actors: [a], summary: "three\\x85four", sources: ["https://e.org/2"]}
links:
  - {cause: x, effect: y, relation: causes, evidence: "ev\\u2028idence", sources: ["https://e.org/3"]}
""", encoding="utf-8")
    for command in ("export", "build"):
        out = tmp_path / f"{command}.nt"
        assert run(command, "--timeline", path, "--format", "nt", "--out", out).exit_code == 0
        parsed = list(ox.parse(path=str(out), format=ox.RdfFormat.N_TRIPLES))
        assert {str(t.object.value) for t in parsed if isinstance(t.object, ox.Literal)} >= {
            "one\u2029two", "three\x85four", "ev\u2028idence"}
        assert len(parsed) == len(out.read_text(encoding="utf-8").split("\n")) - 1


def test_xml_formats_refuse_text_xml_cannot_hold(tmp_path):
    small = tmp_path / "small.ttl"
    assert run("build", "--timeline", DATA / "small.yaml", "--out", small).exit_code == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(small.read_text(encoding="utf-8").replace('"Alice signs the 20% duty', '"Alice \\u0001 signs'),
                   encoding="utf-8")
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"bad.{fmt}"
        result = run("export", "--graph", bad, "--format", fmt, "--out", out)
        assert result.exit_code == 2 and not out.exists()
        assert "small.yaml:21: node https://example.org/small/event/impose-1: its summary holds the character " \
               "U+0001" in result.output
    assert run("export", "--graph", bad, "--format", "csv", "--out", tmp_path / "csv").exit_code == 0


def test_empty_values_are_left_out_and_gexf_is_undated(net):
    g = exportable_network(net)
    plain = g.edges[BASE + "event/e1", BASE + "event/e2", "L1"]
    assert "disputed_by" not in plain and "sources" not in plain  # undisputed, unsourced
    assert b"lastmodifieddate" not in gexf_bytes(net)


def test_export_csv_replaces_neither_file_unless_both_can_be(tmp_path):
    folder = tmp_path / "pair"
    folder.mkdir()
    (folder / "nodes.csv").write_text("old nodes")
    (folder / "edges.csv").mkdir()  # cannot be written
    result = run("export", "--timeline", CHAIN, "--format", "csv", "--out", folder)
    assert result.exit_code == 2 and "edges.csv: is a directory" in result.output
    assert (folder / "nodes.csv").read_text() == "old nodes"
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]  # no temporary file left
