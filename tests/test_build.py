"""Model -> RDF (graph/build.py) and its serialisation (graph/export.py): IRIs, dates, claims, outcomes, formats."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from parley.events.read import read_timeline
from parley.graph.build import Minter, build_graph, graph_iri, triples
from parley.graph.export import rdf_graph, serialize
from parley.ontology.namespace import FARO, PARLEY, PROV, PREFIXES, SCHEMA, SEM, TYPE

SMALL = Path(__file__).parent / "data" / "small.yaml"
B = "https://example.org/small/"
OX_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
              "json-ld": pyoxigraph.RdfFormat.JSON_LD, "trig": pyoxigraph.RdfFormat.TRIG}


def ev(ident):
    return URIRef(f"{B}event/{ident}")


def actor(ident):
    return URIRef(f"{B}actor/{ident}")


def to_rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # RDF 1.1: the same term as a plain literal; rdflib tells them apart
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def canonical(graph) -> Graph:
    """A copy in the terms Oxigraph stores: "x"^^xsd:string as "x" and decimals canonical ("20.0" as "20").

    RDF 1.1 makes "x" and "x"^^xsd:string one term, and Oxigraph keeps decimals by value; rdflib.compare
    tells both apart, so a graph read back from the store is compared after this.
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        elif isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def oxigraph_parse(text: str, fmt: str) -> tuple[Graph, set]:
    """Parse with pyoxigraph (not rdflib) and return the triples as an rdflib Graph, and the graph names seen."""
    g, names = Graph(), set()
    for q in pyoxigraph.parse(text.encode(), format=OX_FORMATS[fmt]):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        names.add(q.graph_name)
    return g, names


@pytest.fixture(scope="module")
def timeline():
    return read_timeline([SMALL])


@pytest.fixture(scope="module")
def g(timeline):
    return rdf_graph(timeline)


def test_rebuilding_gives_an_isomorphic_graph(timeline):
    first, second = Graph(), Graph()
    for t in triples(timeline):
        first.add(t)
    for t in triples(read_timeline([SMALL])):
        second.add(t)
    assert len(first) > 200
    assert isomorphic(first, second)
    assert set(first) == set(second)  # no blank nodes: even the IRIs are the same


def test_build_graph_is_on_oxigraph_and_named_by_the_timeline(timeline, g):
    built = build_graph(timeline)
    assert type(built.store).__name__ == "OxigraphStore"
    assert built.identifier == graph_iri(timeline) == URIRef(B + "graph")
    assert isomorphic(canonical(built), canonical(g))


def test_iris_are_minted_from_the_base_and_ids(timeline, g):
    mint = Minter(timeline)
    assert mint("event", "threat-1") == ev("threat-1")
    assert mint.timeline() == URIRef(B)
    assert (URIRef(B), RDF.type, PARLEY.Timeline) in g
    assert (URIRef(B), DCTERMS.title, Literal("Small test negotiation")) in g
    assert all(str(s).startswith(B) for s in g.subjects(unique=True))


def test_every_event_actor_lever_and_claim_has_its_identifier_and_location(timeline, g):
    things = [(ev(i), i, e.loc) for i, e in timeline.events.items()]
    things += [(actor(i), i, a.loc) for i, a in timeline.actors.items()]
    things += [(URIRef(f"{B}lever/{i}"), i, lv.loc) for i, lv in timeline.levers.items()]
    things += [(URIRef(f"{B}claim/{link.id}"), link.id, link.loc) for link in timeline.links]
    for node, ident, loc in things:
        assert list(g.objects(node, DCTERMS.identifier)) == [Literal(ident)]
        assert list(g.objects(node, PARLEY.definedAt)) == [Literal(str(loc))]
        assert (node, PARLEY.inTimeline, URIRef(B)) in g


def test_event_type_is_a_class_and_a_concept(g):
    assert (ev("impose-1"), RDF.type, PARLEY.TariffImposition) in g
    assert (ev("impose-1"), PARLEY.eventType, TYPE["tariff-imposition"]) in g
    assert (ev("raid-1"), RDF.type, PARLEY.LabRaid) in g
    assert (ev("pledge-1"), PARLEY.promises, TYPE["troop-deployment"]) in g


def test_dates_are_xsd_dates_and_exact_begin_only_for_days(g):
    def dates(node, prop):
        return [(o.toPython().isoformat(), o.datatype) for o in g.objects(node, prop)]

    d = XSD.date
    assert dates(ev("threat-1"), SEM.hasBeginTimeStamp) == [("2025-01-05", d)]
    assert dates(ev("threat-1"), SEM.hasEarliestBeginTimeStamp) == [("2025-01-05", d)]
    # a range and a month: no exact day, but earliest and latest
    assert dates(ev("deploy-1"), SEM.hasBeginTimeStamp) == []
    assert dates(ev("deploy-1"), SEM.hasEarliestBeginTimeStamp) == [("2025-01-14", d)]
    assert dates(ev("deploy-1"), SEM.hasLatestBeginTimeStamp) == [("2025-01-15", d)]
    assert dates(ev("raid-1"), SEM.hasBeginTimeStamp) == []
    assert dates(ev("raid-1"), SEM.hasLatestBeginTimeStamp) == [("2025-02-28", d)]
    assert list(g.objects(ev("raid-1"), PARLEY.datePrecision)) == [Literal("month")]
    assert dates(ev("impose-1"), PARLEY.effective) == [("2025-01-15", d)]
    assert dates(ev("pause-1"), PARLEY.until) == [("2025-02-13", d)]
    every_date = [o for o in g.objects() if isinstance(o, Literal) and o.datatype in (XSD.date, XSD.dateTime)]
    assert every_date and all(o.datatype == XSD.date for o in every_date)


def test_event_fields(g):
    e = ev("impose-1")
    assert list(g.objects(e, SEM.hasActor)) == [actor("alice")]
    assert list(g.objects(e, PARLEY.target)) == [actor("borduria")]
    assert list(g.objects(e, PARLEY.lever)) == [URIRef(B + "lever/duty")]
    assert list(g.objects(e, PARLEY.rate)) == [Literal("20.0", datatype=XSD.decimal)]
    summary = "Alice signs the 20% duty, to take effect on 15 January."
    assert list(g.objects(e, DCTERMS.description)) == [Literal(summary)]
    (q,) = g.objects(ev("pledge-1"), PARLEY.quantity)
    assert (q, PARLEY.quantityKind, Literal("troops")) in g
    assert list(g.objects(q, PARLEY.amount)) == [Literal("5000.0", datatype=XSD.decimal)]


def test_actors_and_levers(g):
    a = actor("alice")
    assert (a, RDF.type, PARLEY.Person) in g
    assert (a, RDFS.label, Literal("Alice")) in g
    assert (a, PARLEY.country, Literal("AA")) in g
    duty = URIRef(B + "lever/duty")
    assert (duty, RDF.type, PARLEY.TariffMeasure) in g
    assert (duty, PARLEY.imposedBy, actor("aland")) in g
    assert (duty, PARLEY.target, actor("borduria")) in g
    # signed with the first imposition, applicable from its effective date
    assert g.value(duty, SCHEMA.legislationDate).toPython().isoformat() == "2025-01-10"
    assert g.value(duty, SCHEMA.legislationDateOfApplicability).toPython().isoformat() == "2025-01-15"
    assert (URIRef(B + "lever/guard"), RDF.type, PARLEY.DeploymentMeasure) in g


def test_an_actor_s_wikidata_id_becomes_owl_same_as(tmp_path):
    from rdflib.namespace import OWL

    path = tmp_path / "wd.yaml"
    path.write_text("timeline: {id: wd, base: \"https://example.org/wd/\"}\n"
                    "actors:\n"
                    "  - {id: ada, name: Ada, kind: person, wikidata: Q7259}\n"
                    "  - {id: bob, name: Bob, kind: person}\n", encoding="utf-8")
    graph = rdf_graph(read_timeline([path]))
    assert graph.value(URIRef("https://example.org/wd/actor/ada"), OWL.sameAs) == URIRef(
        "http://www.wikidata.org/entity/Q7259")
    assert graph.value(URIRef("https://example.org/wd/actor/bob"), OWL.sameAs) is None


def test_claims_are_nodes_with_a_direct_edge(g):
    claim = URIRef(B + "claim/pledge-1.in-exchange-for.pause-1")
    assert (claim, RDF.type, PARLEY.Claim) in g
    assert (claim, PARLEY.cause, ev("pledge-1")) in g
    assert (claim, PARLEY.effect, ev("pause-1")) in g
    assert (claim, PARLEY.relation, PARLEY.inExchangeFor) in g
    assert (claim, PARLEY.claimedBy, actor("alice")) in g
    assert (claim, PARLEY.confidenceLevel, Literal("high")) in g
    assert g.value(claim, PARLEY.confidence) == Literal("0.9", datatype=XSD.decimal)
    assert (ev("pledge-1"), PARLEY.inExchangeFor, ev("pause-1")) in g
    assert (ev("stats-1"), FARO.causes, ev("exempt-1")) in g
    assert (ev("pledge-1"), PARLEY.deliveredBy, ev("deploy-1")) in g
    numeric = URIRef(B + "claim/pledge-1.delivered-by.deploy-1")
    assert g.value(numeric, PARLEY.confidence) == Literal("0.8", datatype=XSD.decimal)
    assert g.value(numeric, PARLEY.confidenceLevel) is None
    disputed = URIRef(B + "claim/raid-1.in-exchange-for.extend-1")
    assert (disputed, PARLEY.disputedBy, actor("bob")) in g
    assert len(list(g.subjects(RDF.type, PARLEY.Claim))) == 4


def test_every_direct_edge_has_its_leadsto_and_no_other_pair_does(g):
    """parley:leadsTo is materialised: exactly the (cause, effect) pairs of the direct edges, so that
    `parley:leadsTo+` follows the same chains as the path over the seven relations."""
    from parley.ontology.namespace import RELATION_PROPERTIES

    direct = {(s, o) for p in RELATION_PROPERTIES.values() for s, o in g.subject_objects(p)}
    claimed = {(g.value(c, PARLEY.cause), g.value(c, PARLEY.effect)) for c in g.subjects(RDF.type, PARLEY.Claim)}
    assert len(direct) == 4
    assert direct == claimed
    assert set(g.subject_objects(PARLEY.leadsTo)) == direct


def test_outcomes_are_nodes(g):
    o = URIRef(B + "outcome/pause-1")
    assert (ev("pause-1"), PARLEY.hasOutcome, o) in g
    assert (o, RDF.type, PARLEY.Outcome) in g
    assert (o, PARLEY.status, Literal("paused")) in g
    assert (o, PARLEY.lever, URIRef(B + "lever/duty")) in g
    assert g.value(o, PARLEY.validFrom).toPython().isoformat() == "2025-01-13"
    assert g.value(o, PARLEY.validUntil).toPython().isoformat() == "2025-02-13"
    raid = URIRef(B + "outcome/raid-1")
    (q,) = g.objects(raid, PARLEY.quantity)
    assert g.value(q, PARLEY.amount).toPython() == 3
    assert g.value(raid, PARLEY.status) is None


def test_sources_are_shared_entities_with_their_metadata(g):
    # the source IRI is a hash of the URL: find the node by its URL
    (node,) = g.subjects(SCHEMA.url, Literal("https://example.org/news/1", datatype=XSD.anyURI))
    assert (ev("threat-1"), PROV.hadPrimarySource, node) in g
    assert (node, RDF.type, PARLEY.Source) in g
    assert (node, DCTERMS.title, Literal("Threat")) in g
    assert (node, DCTERMS.publisher, Literal("Example News")) in g
    # one node per URL, shared by the event and the claim that cite it
    (shared,) = g.subjects(SCHEMA.url, Literal("https://example.org/news/4", datatype=XSD.anyURI))
    assert (ev("pause-1"), PROV.hadPrimarySource, shared) in g
    assert (URIRef(B + "claim/pledge-1.in-exchange-for.pause-1"), PROV.hadPrimarySource, shared) in g


def test_a_later_mention_of_a_source_adds_what_the_first_lacked(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: person}\nevents:\n"
                    "  - {id: e1, date: 2025-01-01, type: call, actors: [a], summary: s,\n"
                    "     sources: ['https://x.org/1']}\n"
                    "  - {id: e2, date: 2025-01-02, type: call, actors: [a], summary: s,\n"
                    "     sources: [{url: 'https://x.org/1', title: The title, date: 2025-01-01}]}\n")
    g = rdf_graph(read_timeline([path]))
    (node,) = g.subjects(SCHEMA.url, Literal("https://x.org/1", datatype=XSD.anyURI))
    assert g.value(node, DCTERMS.title) == Literal("The title")
    assert g.value(node, DCTERMS.date).toPython().isoformat() == "2025-01-01"


def test_turtle_declares_only_the_prefixes_it_uses(timeline):
    text = serialize(timeline, fmt="turtle")
    declared = re.findall(r"^@prefix (\w+):", text, flags=re.M)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    assert declared, text[:200]
    for prefix in declared:
        assert f"{prefix}:" in body, prefix
    for prefix in set(PREFIXES) - set(declared):
        assert not re.search(rf"(?<![\w/#]){prefix}:\w", body), prefix
    assert "ns1:" not in text


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig"])
def test_output_parses_in_pyoxigraph_isomorphic_with_rdflibs_graph(timeline, g, fmt):
    text = serialize(timeline, fmt=fmt)
    parsed, names = oxigraph_parse(text, fmt)
    assert isomorphic(parsed, g)
    if fmt == "trig":
        assert names == {pyoxigraph.NamedNode(B + "graph")}
        ds = Dataset()
        ds.parse(data=text, format="trig")
        assert isomorphic(ds.graph(URIRef(B + "graph")), g)
    else:
        assert isomorphic(Graph().parse(data=text, format=fmt), g)


def test_serialisation_is_deterministic_for_line_based_formats(timeline):
    again = read_timeline([SMALL])
    assert sorted(serialize(timeline, fmt="nt").splitlines()) == sorted(serialize(again, fmt="nt").splitlines())


def test_bundled_timeline_builds_and_parses_in_pyoxigraph():
    from parley.events.read import bundled_paths, read_bundled

    if not bundled_paths():
        pytest.skip("the bundled timeline has not landed yet")
    t = read_bundled()
    g = rdf_graph(t)
    parsed, _ = oxigraph_parse(serialize(t, fmt="turtle"), "turtle")
    assert len(g) > 100
    assert isomorphic(parsed, g)


# --- pyoxigraph terms and streamed events (what loading into a store uses) ------------------------------------

def _synthetic():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import synth

    return synth


def test_oxigraph_triples_are_triples_in_pyoxigraph_terms(timeline):
    from parley.graph.build import oxigraph_triples

    ox_graph = Graph()
    for s, p, o in oxigraph_triples(timeline):
        assert all(isinstance(t, (pyoxigraph.NamedNode, pyoxigraph.Literal)) for t in (s, p, o))
        ox_graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    assert len(ox_graph) > 300
    assert isomorphic(canonical(ox_graph), canonical(rdf_graph(timeline)))
    # the same lexical forms, term by term (not only the same values)
    expected = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples(timeline))
    got = sorted(str(pyoxigraph.Triple(s, p, o)) for s, p, o in oxigraph_triples(timeline))
    assert [line.replace('^^<http://www.w3.org/2001/XMLSchema#string>', '') for line in got] == expected


@pytest.mark.parametrize("n,seed", [(300, 2), (2000, 5)])
def test_streamed_events_give_the_same_triples(n, seed):
    from parley.graph.build import oxigraph_triples

    synth = _synthetic()
    whole = synth.synthetic_timeline(n, seed=seed)
    head, chunks = synth.synthetic_stream(n, seed=seed, chunk=97)
    assert not head.events and not head.links
    streamed = list(triples(head, chunks=chunks))
    assert sorted(streamed) == sorted(triples(whole))
    head, chunks = synth.synthetic_stream(n, seed=seed, chunk=500)
    assert set(oxigraph_triples(head, chunks=chunks)) == set(oxigraph_triples(whole))


def test_the_streamed_synthetic_timeline_is_the_synthetic_timeline():
    synth = _synthetic()
    for n, seed in ((0, 0), (1, 0), (61, 1), (3000, 4)):
        whole = synth.synthetic_timeline(n, seed=seed)
        assert len(whole.events) == n
        head, chunks = synth.synthetic_stream(n, seed=seed, chunk=50)
        events, links = [], []
        for more_events, more_links in chunks:
            assert len(more_events) < 50 + 20  # a chunk ends with the round that fills it
            events += more_events
            links += more_links
        assert (head.actors, head.levers, head.title) == (whole.actors, whole.levers, whole.title)
        assert events == list(whole.events.values()) and links == whole.links


# sha256 of the sorted N-Triples of synthetic_timeline(500, seed=1) (without the parley:leadsTo triples,
# materialised later: they follow from the direct edges). Taken again on 2026-11-29, when a threat after a pause
# that ran out stopped making an outcome if what the pause suspended was in force (251 outcomes, not 292), and
# again the same day, when what a pause suspended stopped counting as in force once its own `until` had passed
# (250): the events and claims are the same, but dumps made before then hold the old outcomes and must be made
# again.
FINGERPRINT_500_1 = "39f69d1af39dd8dc3484479bdc80208bc691aa0ab5c0b85f5c539232961880b5"


def test_the_synthetic_timeline_has_not_changed():
    """Benches and cached dumps depend on `synthetic_timeline(n, seed=s)` being exactly what it was."""
    import hashlib

    synth = _synthetic()
    text = "\n".join(sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples(synth.synthetic_timeline(500, seed=1))
                            if p != PARLEY.leadsTo))
    assert hashlib.sha256(text.encode()).hexdigest() == FINGERPRINT_500_1


def test_equal_numbers_written_differently_keep_their_own_form():
    """-0.0 == 0.0 in Python: each rate is still written as given (the builder caches terms by value)."""
    import dataclasses

    t = read_timeline([SMALL])
    rated = [i for i, e in t.events.items() if e.rate is not None][:2]
    assert len(rated) == 2
    t.events[rated[0]] = dataclasses.replace(t.events[rated[0]], rate=-0.0)
    t.events[rated[1]] = dataclasses.replace(t.events[rated[1]], rate=0.0)
    rates = {s: o for s, p, o in triples(t) if p == PARLEY.rate}
    assert rates[URIRef(B + "event/" + rated[0])] == Literal("-0.0", datatype=XSD.decimal)
    assert rates[URIRef(B + "event/" + rated[1])] == Literal("0.0", datatype=XSD.decimal)
