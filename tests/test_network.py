"""graph/network.py: the RDF graph projected onto a networkx MultiDiGraph through an allow-list of predicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from parley.events.read import read_timeline
from parley.graph.export import serialize
from parley.graph.network import NODE_KINDS, causal_graph, network_graph
from parley.graph.store import parse_graph_file, read_graph
from parley.ontology.namespace import FARO, PARLEY, SEM

DATA = Path(__file__).parent / "data"
BASE = "https://example.org/chain/"
STRUCTURAL = {"actor", "target", "lever", "imposed-by", "source"}
CAUSAL = {"causes", "enables", "prevents", "in-response-to", "in-exchange-for", "conditional-on", "delivered-by"}


@pytest.fixture(scope="module")
def timeline():
    return read_timeline([DATA / "network-chain.yaml"])


@pytest.fixture(scope="module")
def graph(timeline):
    return read_graph(timeline=timeline)


@pytest.fixture(scope="module")
def net(graph):
    return network_graph(graph)


def by_id(net, ident, kind="event"):
    (node,) = [n for n, a in net.nodes(data=True) if a["kind"] == kind and a["id"] == ident]
    return node


def test_nodes_are_the_events_actors_levers_and_sources(net, timeline):
    kinds = {}
    for _, a in net.nodes(data=True):
        kinds.setdefault(a["kind"], set()).add(a["id"])
    assert set(kinds) == set(NODE_KINDS)
    assert kinds["event"] == set(timeline.events)
    assert kinds["actor"] == set(timeline.actors)
    assert kinds["lever"] == set(timeline.levers)
    assert kinds["source"] == {"https://example.org/n/1", "https://example.org/n/2", "https://example.org/n/3"}
    # nodes are IRIs, never literals, and no class or concept became a node
    assert all(n.startswith("https://example.org/chain/") for n in net)


def test_event_nodes_carry_type_group_dates_and_label(net):
    e4 = net.nodes[BASE + "event/e4"]
    assert e4["type"] == "troop-deployment" and e4["group"] == "security"
    assert e4["date"] == dt.date(2025, 1, 15) and e4["date_latest"] == dt.date(2025, 1, 17)
    assert e4["precision"] == "range" and e4["label"] == "e4" and e4["summary"] == "The guards deploy."
    assert e4["defined_at"].endswith("network-chain.yaml:20")
    e6 = net.nodes[BASE + "event/e6"]
    assert (e6["date"], e6["date_latest"], e6["group"]) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28), "statistics")
    assert net.nodes[BASE + "event/e2"]["promises"] == "troop-deployment"
    actor = net.nodes[BASE + "actor/gb"]
    assert (actor["type"], actor["group"], actor["label"], actor["country"]) == ("government", "actor",
                                                                                  "Government of B", "BB")
    lever = net.nodes[BASE + "lever/duty"]
    assert (lever["type"], lever["label"], lever["legal_basis"]) == ("tariff", "Duty on B's goods", "Trade Act")
    source = net.nodes[by_id(net, "https://example.org/n/1", "source")]
    assert (source["label"], source["publisher"], source["date"]) == ("Threat", "Wire", dt.date(2025, 1, 1))


def test_no_attribute_is_none(net):
    assert all(v is not None for _, a in net.nodes(data=True) for v in a.values())
    assert all(v is not None for _, _, a in net.edges(data=True) for v in a.values())


def test_edges_come_only_from_the_allow_list(net):
    relations = {a["relation"] for _, _, a in net.edges(data=True)}
    assert relations <= STRUCTURAL | CAUSAL
    assert relations >= STRUCTURAL and "prevents" in relations
    for u, v, a in net.edges(data=True):
        ends = (net.nodes[u]["kind"], net.nodes[v]["kind"])
        if a["causal"]:
            assert ends == ("event", "event")
        else:
            assert ends in {("event", "actor"), ("event", "lever"), ("lever", "actor"), ("event", "source"),
                            ("lever", "source")}


def test_structural_edges(net):
    def out(node, relation):
        return sorted(net.nodes[v]["id"] for _, v, a in net.out_edges(node, data=True) if a["relation"] == relation)

    assert out(BASE + "event/e8", "actor") == ["a", "b"]
    assert out(BASE + "event/e1", "target") == ["gb"]
    assert out(BASE + "event/e1", "lever") == ["duty"]
    assert out(BASE + "event/e1", "source") == ["https://example.org/n/1"]
    assert out(BASE + "lever/duty", "imposed-by") == ["ga"]
    assert out(BASE + "lever/duty", "target") == ["gb"]


def test_causal_edges_carry_their_claim(net):
    e2, e3 = BASE + "event/e2", BASE + "event/e3"
    claims = net.get_edge_data(e2, e3)
    assert set(claims) == {"L2", "L2b"}  # two claims of one link: two parallel edges keyed by claim id
    l2 = claims["L2"]
    assert l2 == {"relation": "in-exchange-for", "causal": True, "claim": "L2", "claimant": "a", "confidence": 0.9,
                  "evidence": "A: the pause is for the guards.", "disputed": False, "disputed_by": (),
                  "sources": ("https://example.org/n/3",), "defined_at": l2["defined_at"]}
    assert l2["defined_at"].endswith("network-chain.yaml:27")
    l2b = claims["L2b"]
    assert (l2b["disputed"], l2b["disputed_by"], l2b["confidence"], l2b["confidence_level"]) == (True, ("gb",), 0.3,
                                                                                                 "low")
    assert "confidence" not in net.edges[BASE + "event/e4", BASE + "event/e5", "L4"]


def test_causal_graph_is_events_and_causal_edges(net):
    c = causal_graph(net)
    assert {a["kind"] for _, a in c.nodes(data=True)} == {"event"}
    assert c.number_of_nodes() == 8
    assert sorted(k for _, _, k in c.edges(keys=True)) == ["L1", "L2", "L2b", "L3", "L4", "L5", "L6", "L7"]


def test_without_sources(graph):
    net = network_graph(graph, sources=False)
    assert {a["kind"] for _, a in net.nodes(data=True)} == {"event", "actor", "lever"}
    assert all(a["relation"] != "source" and "sources" not in a for _, _, a in net.edges(data=True))


DETAILS = {"event": ("precision", "summary"), "edge": ("claimant", "confidence", "confidence_level", "evidence")}


def _without_details(net):
    """A copy of a network with the attributes that details=False leaves out deleted."""
    net = net.copy()
    for _, a in net.nodes(data=True):
        for key in DETAILS["event"] if a["kind"] == "event" else ():
            a.pop(key, None)
    for _, _, a in net.edges(data=True):
        for key in DETAILS["edge"]:
            a.pop(key, None)
    net.graph["details"] = False
    return net


def test_without_details_the_same_network_less_the_details(timeline):
    """The analyses' projection (details=False) is the full one less the summaries, precisions, claimants,
    confidences and evidence, on Oxigraph (in parts, and whole without workers) as on another store, with several
    values of a property and a claim of two relations; and it does not ask for them."""
    from parley.graph.network import _jobs, _network, _Reader, projection_queries

    g = read_graph(timeline=timeline)
    ctx = next(iter(g.graphs()))
    dct = "http://purl.org/dc/terms/"
    e4 = URIRef(BASE + "event/e4")
    g.add((e4, SEM.hasEarliestBeginTimeStamp, Literal(dt.date(2025, 1, 2)), ctx))
    g.add((e4, SEM.hasLatestBeginTimeStamp, Literal(dt.date(2025, 3, 1)), ctx))
    g.add((e4, URIRef(dct + "description"), Literal("A second summary"), ctx))
    g.add((URIRef(BASE + "event/e2"), PARLEY.eventType, URIRef("https://w3id.org/parley/event-type/threat"), ctx))
    g.add((URIRef(BASE + "claim/L1"), PARLEY.relation, FARO.causes, ctx))
    g.add((URIRef(BASE + "claim/L2"), PARLEY.claimedBy, URIRef(BASE + "actor/nobody"), ctx))
    assert any("claimant" in a for _, _, a in network_graph(g).edges(data=True))
    assert "details" not in network_graph(g).graph
    for sources in (False, True):
        lean = network_graph(g, sources=sources, details=False)
        assert not any(k in a for _, a in lean.nodes(data=True) for k in DETAILS["event"])
        assert not any(k in a for _, _, a in lean.edges(data=True) for k in DETAILS["edge"])
        _same_network(lean, _without_details(network_graph(g, sources=sources)))
        _same_network(lean, network_graph(_memory_copy(g), sources=sources, details=False))
        with _Reader(g, workers=2) as reader:  # with workers: in parts, one type / relation at a time
            jobs = _jobs(reader, sources=sources, details=False)
            assert {job[0] for job in jobs["events"]} == {"network-event-dates"}
            assert {job[0] for job in jobs["claims"]} == {"network-claim-ends"} and len(jobs["claims"]) > 1
        with _Reader(g) as reader:  # no workers: the events and claims asked whole
            jobs = _jobs(reader, sources=sources, details=False)
            assert jobs["events"] == ["network-event-dates"] and jobs["claims"] == ["network-claim-ends"]
            _same_network(lean, _network(reader, jobs, sources, False))
        asked = "\n".join(line for text in projection_queries(g, sources=sources, details=False)
                           for line in text.splitlines() if not line.startswith("#"))
        for name in ("description", "datePrecision", "claimedBy", "confidence", "evidence"):
            assert name not in asked
    assert lean.nodes[str(e4)]["date"] == dt.date(2025, 1, 2)
    assert lean.nodes[BASE + "event/e2"]["type"] == "commitment"
    assert [k for _, _, k in lean.edges(keys=True)].count("L1") == 1


def test_same_network_from_a_turtle_file(tmp_path, timeline, net):
    path = tmp_path / "chain.ttl"
    path.write_text(serialize(timeline), encoding="utf-8")
    other = network_graph(parse_graph_file(str(path)))
    assert dict(other.nodes(data=True)) == dict(net.nodes(data=True))
    assert sorted(other.edges(keys=True, data=True), key=repr) == sorted(net.edges(keys=True, data=True), key=repr)


def test_incomplete_claims_and_unclaimed_edges(timeline):
    """A hand-edited graph: an event lost its dates, another its every triple, a direct edge has no claim."""
    g = read_graph(timeline=timeline)
    e5, e7 = URIRef(BASE + "event/e5"), URIRef(BASE + "event/e7")
    g.remove((e5, SEM.hasEarliestBeginTimeStamp, None))
    g.remove((e5, SEM.hasLatestBeginTimeStamp, None))
    g.remove((e5, SEM.hasBeginTimeStamp, None))
    g.remove((e7, None, None))
    ctx = next(iter(g.graphs()))
    g.add((URIRef(BASE + "event/e8"), FARO.causes, URIRef(BASE + "event/e1"), ctx))
    net = network_graph(g)
    assert net.nodes[str(e5)]["kind"] == "event" and "date" not in net.nodes[str(e5)]
    assert str(e7) not in net
    incomplete = {c["claim"]: c for c in net.graph["incomplete_claims"]}
    assert set(incomplete) == {"L4", "L5", "L6", "L7"}
    assert incomplete["L4"]["missing"] == {"effect": "no date"}
    assert incomplete["L6"]["missing"] == {"effect": "no event type"}
    assert incomplete["L6"]["effect"] == str(e7) and incomplete["L6"]["defined_at"].endswith("network-chain.yaml:34")
    causal = {k for _, _, k, a in net.edges(keys=True, data=True) if a["causal"]}
    assert causal == {"L1", "L2", "L2b", "L3", "causes"}
    unclaimed = net.edges[BASE + "event/e8", BASE + "event/e1", "causes"]
    assert unclaimed == {"relation": "causes", "causal": True, "claim": "", "disputed": False}


def test_a_claim_is_a_node_with_a_relation_typed_or_not(timeline):
    """parley:relation's domain is parley:Claim: a node with one is a claim, as the audit reads it, on every store."""
    from rdflib import Dataset

    g = read_graph(timeline=timeline)
    claim = URIRef(BASE + "claim/L1")
    g.remove((claim, RDF.type, PARLEY.Claim))
    memory = Dataset(default_union=True)  # rdflib's own store: the queries asked whole
    for s, p, o, c in g.quads((None, None, None, None)):
        memory.graph(c).add((s, p, o))
    typed = network_graph(read_graph(timeline=timeline))
    for untyped in (network_graph(g), network_graph(memory)):
        assert sorted(untyped.edges(keys=True, data=True)) == sorted(typed.edges(keys=True, data=True))
        assert any(a.get("claim") == "L1" for _, _, a in untyped.edges(data=True))


def test_claims_with_other_relations_are_not_edges(timeline):
    g = read_graph(timeline=timeline)
    claim = URIRef(BASE + "claim/L1")
    g.remove((claim, PARLEY.relation, None))
    ctx = next(iter(g.graphs()))
    g.add((claim, PARLEY.relation, RDF.type, ctx))
    g.add((URIRef(BASE + "event/e1"), PARLEY.rate, Literal(5), ctx))
    g.add((URIRef(BASE + "event/e8"), PARLEY.leadsTo, URIRef(BASE + "event/e1"), ctx))  # not on the allow-list
    net = network_graph(g)
    assert net.number_of_edges(BASE + "event/e8", BASE + "event/e1") == 0
    assert not any(a.get("claim") == "L1" for _, _, a in net.edges(data=True))
    # the direct edge is still on the allow-list: it stays, as an edge no claim records
    assert net.get_edge_data(BASE + "event/e1", BASE + "event/e2") == {
        "in-response-to": {"relation": "in-response-to", "causal": True, "claim": "", "disputed": False}}
    assert all(a["relation"] != "rate" for _, _, a in net.edges(data=True))


def _memory_copy(g):
    """The same quads in rdflib's own Memory store: network_graph then reads through run_query, not pyoxigraph."""
    from rdflib import Dataset

    m = Dataset(default_union=True)
    for s, p, o, c in g.quads((None, None, None, None)):
        m.graph(c).add((s, p, o))
    return m


def _same_network(a, b):
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert a.graph == b.graph


def test_same_network_from_oxigraph_and_from_another_store(timeline):
    """Oxigraph answers are read as TSV cells, other stores' as rdflib terms: both give the same network, with
    literals that need escaping, several values of a property, and statements that are not what they should be."""
    g = read_graph(timeline=timeline)
    ctx = next(iter(g.graphs()))
    dct = "http://purl.org/dc/terms/"
    e3, e4, l4 = URIRef(BASE + "event/e3"), URIRef(BASE + "event/e4"), URIRef(BASE + "claim/L4")
    g.remove((e3, URIRef(dct + "description"), None))
    g.add((e3, URIRef(dct + "description"), Literal('two\r\nlines, a "quote", a \\ and a \t tab', lang="en"), ctx))
    g.remove((l4, URIRef(dct + "identifier"), None))
    g.add((l4, URIRef(dct + "identifier"), Literal("L4\u2028é\x01"), ctx))
    g.add((e4, SEM.hasEarliestBeginTimeStamp, Literal(dt.date(2025, 1, 2)), ctx))  # several dates
    g.add((e4, SEM.hasLatestBeginTimeStamp, Literal(dt.date(2025, 3, 1)), ctx))
    g.add((e4, URIRef(dct + "description"), Literal("A second summary"), ctx))  # several summaries
    g.add((URIRef(BASE + "event/e6"), SEM.hasEarliestBeginTimeStamp, Literal("not a date"), ctx))
    g.add((URIRef(BASE + "event/e1"), SEM.hasActor, Literal(BASE + "actor/a"), ctx))  # a literal: no edge
    g.add((URIRef(BASE + "event/e8"), FARO.causes, URIRef(BASE + "event/e1"), ctx))  # no claim records it
    e2 = URIRef(BASE + "event/e2")  # numbers compete with text: Oxigraph writes them bare, others quoted
    g.add((e2, URIRef(dct + "identifier"), Literal(42), ctx))
    g.add((e2, URIRef(dct + "description"), Literal(-3), ctx))
    actor = next(a for a in g.subjects(RDF.type, PARLEY.Person))  # an actor with several labels
    for label in ("Zed", "Alpha", "Mid"):
        g.add((actor, RDFS.label, Literal(label), ctx))
    net = network_graph(g)
    _same_network(net, network_graph(_memory_copy(g)))
    assert net.nodes[str(e3)]["summary"] == 'two\r\nlines, a "quote", a \\ and a \t tab'
    assert "L4\u2028é\x01" in {k for _, _, k in net.edges(keys=True)}
    e4_node = net.nodes[str(e4)]
    assert (e4_node["date"], e4_node["date_latest"]) == (dt.date(2025, 1, 2), dt.date(2025, 3, 1))
    assert e4_node["summary"] == "A second summary"  # the smallest of the two
    assert net.nodes[BASE + "event/e6"]["date"] == dt.date(2025, 2, 1)
    assert net.number_of_edges(BASE + "event/e1", BASE + "actor/a") == 1
    assert net.edges[BASE + "event/e8", BASE + "event/e1", "causes"]["claim"] == ""
    assert (net.nodes[str(e2)]["id"], net.nodes[str(e2)]["summary"]) == ("42", "-3")  # smallest by text
    assert net.nodes[str(actor)]["label"] == "Alpha"


def test_structural_edges_join_only_the_kinds_of_node_their_relation_allows(timeline):
    """A hand-edited graph: structural statements from the wrong kind of node or from no node are no edges; an
    event tied to one actor by two relations, or by a statement given in two graphs, has one edge a relation."""
    g = read_graph(timeline=timeline)
    ctx = next(iter(g.graphs()))
    other = URIRef("urn:x:other-graph")
    a, gb, duty = URIRef(BASE + "actor/a"), URIRef(BASE + "actor/gb"), URIRef(BASE + "lever/duty")
    e1, e4 = URIRef(BASE + "event/e1"), URIRef(BASE + "event/e4")
    g.add((e1, PARLEY.imposedBy, a, ctx))  # an event imposed by: no edge
    g.add((duty, SEM.hasActor, a, ctx))  # a lever's actor: no edge
    g.add((duty, PARLEY.target, a, ctx))  # a lever's target: an edge
    g.add((a, PARLEY.target, gb, ctx))  # an actor's target: no edge
    g.add((URIRef(BASE + "outcome/o1"), PARLEY.lever, duty, ctx))  # no node: no edge
    g.add((e4, PARLEY.target, gb, ctx))  # e4's actor is gb: one pair, two relations
    g.add((e4, PARLEY.target, gb, other))  # the same statements in another graph
    g.add((e1, SEM.hasActor, a, other))
    net = network_graph(g)
    _same_network(net, network_graph(_memory_copy(g)))
    assert list(net[str(e4)][str(gb)]) == ["actor", "target"]
    assert list(net[str(e1)][str(a)]) == ["actor"]
    assert list(net[str(duty)][str(a)]) == ["target"]
    assert not net.has_edge(str(a), str(gb))
    assert BASE + "outcome/o1" not in net
    assert [u for u in net.predecessors(str(a))] == sorted(net.predecessors(str(a)))


def test_multidigraph_is_what_networkx_builds():
    import networkx as nx

    from parley.graph.network import _multidigraph

    nodes = [("b", {"kind": "event"}), ("a", {"kind": "actor", "x": 1}), ("c", {}), ("a", {"y": 2})]
    edges = [("b", "a", "actor", {"relation": "actor"}), ("b", "c", "k1", {"w": 1}), ("b", "c", "k2", {"w": 2}),
             ("b", "c", "k1", {"v": 3}), ("c", "c", "loop", {}), ("a", "b", "back", {"w": 4})]
    expected = nx.MultiDiGraph()
    expected.add_nodes_from((n, dict(a)) for n, a in nodes)
    expected.add_edges_from((u, v, k, dict(a)) for u, v, k, a in edges)
    got = _multidigraph([(n, dict(a)) for n, a in nodes], [(u, v, k, dict(a)) for u, v, k, a in edges])
    _same_network(got, expected)
    assert list(got.predecessors("c")) == list(expected.predecessors("c"))
    assert got.edges["b", "c", "k1"] == {"w": 1, "v": 3}  # a repeated key updates, as add_edge does
    got.add_edge("a", "c", "new")  # and the result is a working MultiDiGraph
    assert got.has_edge("a", "c") and got.in_degree("c") == 4


def test_events_and_claims_read_in_parts_give_the_same_network(timeline):
    """On Oxigraph the events are read one type at a time and the claims one relation at a time; an event of
    two types or a claim of two causal relations comes in two parts and is merged as the one query would."""
    g = read_graph(timeline=timeline)
    ctx = next(iter(g.graphs()))
    types = "https://w3id.org/parley/event-type/"
    g.add((URIRef(BASE + "event/e2"), PARLEY.eventType, URIRef(types + "threat"), ctx))
    g.add((URIRef(BASE + "event/e3"), PARLEY.eventType, URIRef(types + "zz-not-a-type"), ctx))
    g.add((URIRef(BASE + "claim/L1"), PARLEY.relation, FARO.causes, ctx))
    g.add((URIRef(BASE + "event/e4"), PARLEY.promises, URIRef(types + "arrest"), ctx))
    for sources in (False, True):
        net = network_graph(g, sources=sources)
        _same_network(net, network_graph(_memory_copy(g), sources=sources))
    assert net.nodes[BASE + "event/e2"]["type"] == "commitment"  # the smallest of its two types
    assert net.nodes[BASE + "event/e4"]["promises"] == "arrest"
    assert [k for _, _, k in net.edges(keys=True)].count("L1") == 1


def test_leads_to_is_not_projected(net):
    """parley:leadsTo (materialised for property paths) is off the allow-list: with or without it, one network."""
    g = read_graph(timeline=read_timeline([DATA / "network-chain.yaml"]))
    ctx = next(iter(g.graphs()))
    for cause, _, effect in list(g.triples((None, FARO.causes, None))):
        g.add((cause, PARLEY.leadsTo, effect, ctx))
    with_leads_to = network_graph(g)
    for triple in list(g.triples((None, PARLEY.leadsTo, None))):
        g.remove(triple)
    _same_network(with_leads_to, network_graph(g))
    _same_network(with_leads_to, net)


def test_events_and_claims_asked_whole_on_oxigraph_give_the_same_network(timeline):
    """Without worker threads the events and claims are asked in one query each, which leaves out the type and
    the relation (read with network-property instead): the same network as the parts give."""
    from parley.graph.network import _jobs, _network, _Reader

    g = read_graph(timeline=timeline)
    ctx = next(iter(g.graphs()))
    types = "https://w3id.org/parley/event-type/"
    g.add((URIRef(BASE + "event/e2"), PARLEY.eventType, URIRef(types + "threat"), ctx))
    g.add((URIRef(BASE + "claim/L1"), PARLEY.relation, FARO.causes, ctx))
    g.add((URIRef(BASE + "claim/L2"), PARLEY.relation, RDF.type, ctx))
    for sources in (False, True):
        with _Reader(g) as reader:  # no workers: nothing is split
            jobs = _jobs(reader, sources=sources)
            assert jobs["events"] == ["network-events"] and jobs["claims"] == ["network-claims"]
            whole = _network(reader, jobs, sources)
        _same_network(whole, network_graph(g, sources=sources))
    assert whole.nodes[BASE + "event/e2"]["type"] == "commitment"
    assert [k for _, _, k in whole.edges(keys=True)].count("L1") == 1


def test_an_iri_with_a_raw_line_break_gives_the_same_network(timeline):
    """A lenient load can let in an IRI with a raw line break or tab, which Oxigraph's TSV results leave as they
    are: the projection reads those answers from the solutions instead of splitting them wrongly."""
    import pyoxigraph as ox

    g = read_graph(timeline=timeline)
    ctx = next(iter(g.graphs())).identifier
    odd = "https://example.org/chain/event/odd\nname"
    data = (f'<{odd}> <{PARLEY.eventType}> <https://w3id.org/parley/event-type/threat> <{ctx}> .\n'
            f'<{odd}> <http://purl.org/dc/terms/identifier> "odd" <{ctx}> .\n'
            f'<{odd}> <{SEM.hasActor}> <https://example.org/chain/actor/odd\tone> <{ctx}> .\n')
    g.store._inner.load(data.encode(), format=ox.RdfFormat.N_QUADS, lenient=True)
    net = network_graph(g)
    assert net.nodes[odd]["id"] == "odd"
    _same_network(net, network_graph(_memory_copy(g)))


def test_a_blank_node_and_an_iri_of_one_text_are_one_node(timeline):
    """rdflib's own store may hold a blank node and a relative IRI written alike: they become one node, their
    attributes and edges merged, instead of an error."""
    from rdflib import BNode
    from rdflib.namespace import DCTERMS

    g = _memory_copy(read_graph(timeline=timeline))
    ctx = g.graph(URIRef("urn:x:g"))
    e1, a = URIRef(BASE + "event/e1"), URIRef(BASE + "actor/a")
    for node, summary in ((URIRef("dup"), "one"), (BNode("dup"), "another")):
        for p, o in g.predicate_objects(e1):
            if p != DCTERMS.description:
                ctx.add((node, p, o))
        ctx.add((node, DCTERMS.description, Literal(summary)))
    ctx.add((BNode("dup"), PARLEY.target, a))
    net = network_graph(g)
    assert net.nodes["dup"]["kind"] == "event" and net.nodes["dup"]["summary"] in {"one", "another"}
    assert set(net["dup"][str(a)]) == {"actor", "target"}


def test_claims_are_started_once_the_direct_edges_are_read(graph):
    """On Oxigraph the claims' parts are started, the largest first, by the worker that answers the last direct
    causal edges (this thread may be busy with the events then); reading a part waits for that, and the parts
    are read in the order they are answered, each the same answer as asked alone."""
    from parley.graph.network import PROPERTY_RELATIONS, _Reader

    direct = list(map(str, PROPERTY_RELATIONS))
    with _Reader(graph) as alone:
        expected = {relation: alone.cells(("network-claims", {"relation": relation}))[1] for relation in direct}
    seen = {}
    with _Reader(graph, workers=2) as reader:
        claims = reader.split("network-claims", "relation", direct)
        assert all(isinstance(job, tuple) for job in claims)
        reader.start(*direct)

        def largest_first(jobs, cells):
            seen.update(cells)
            return sorted(jobs, key=lambda job: -cells[job[1]["relation"]])

        reader.start_after(direct, claims, largest_first)
        answered = [job[1]["relation"] for job in reader.answered(claims)]
        assert all(reader._key(job) in reader._started for job in claims)  # started by the worker, not here
        got = {job[1]["relation"]: reader.cells(job)[1] for job in claims if job[1]["relation"] in answered}
    assert sorted(answered) == sorted(direct)
    assert seen == {relation: len(alone_cells) for relation, alone_cells in
                    ((r, _Reader(graph).cells(r)[1]) for r in direct)}
    assert {r: sorted(c) for r, c in got.items()} == {r: sorted(c) for r, c in expected.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("files, untyped", [(None, False), (["network-chain.yaml"], False),
                                           (["network-chain.yaml"], True)])
def test_same_network_whatever_order_the_parts_are_answered_in(monkeypatch, seed, files, untyped):
    """The event and claim parts are read as they are answered and merged: answered in a shuffled order (each
    held back a little, differently per seed), the network is still the one rdflib's own store gives, which
    asks each query whole: node and edge order, every _pred order, the incomplete claims (network-chain.yaml
    has some; without event types every claim is one)."""
    import random
    import time

    from parley.events.read import read_bundled
    from parley.graph.network import _Reader

    g = read_graph(timeline=read_bundled() if files is None else read_timeline([DATA / f for f in files]))
    if untyped:  # no event has a type: every claim is incomplete, in every relation's part
        g.remove((None, PARLEY.eventType, None))
    want = network_graph(_memory_copy(g))
    answer, rng, delays = _Reader._answer, random.Random(seed), {}

    def held_back(self, text):
        if "?claim ?cause ?effect" in text or "?event ?id ?earliest" in text:  # a part of the claims or events
            time.sleep(delays.setdefault(text, rng.choice((0.0, 0.01, 0.03, 0.06))))
        return answer(self, text)

    monkeypatch.setattr(_Reader, "_answer", held_back)
    got = network_graph(g)
    assert len(delays) > 3  # the parts were held back (the events' and the claims')
    _same_network(got, want)
    assert [list(got._pred[n].items()) for n in got] == [list(want._pred[n].items()) for n in want]
    assert [list(got._succ[n].items()) for n in got] == [list(want._succ[n].items()) for n in want]
