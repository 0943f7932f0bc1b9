"""security-before-relief and threat-outcomes against their definitions, computed in Python from the triples.

The differential tests run one query text on several engines, so a text that asks the wrong question passes
them; here the expected rows come from the graph itself (a synthetic timeline: chains several rounds long,
pledges, withdrawn and pending threats) and each query runs on Oxigraph (parley's memory store) and on rdflib's
own engine. security-before-relief follows the materialised parley:leadsTo; the expected rows follow the seven
direct edges, so the two must agree.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from parley.graph.build import triples
from parley.graph.query import QueryError, run_query, run_query_text
from parley.graph.store import StoreSpec, open_dataset, read_graph, replace_graph
from parley.ontology.namespace import FARO, PARLEY, RELATION_PROPERTIES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from synth import synthetic_timeline  # noqa: E402

DCTERMS = Namespace("http://purl.org/dc/terms/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
T = Namespace("https://w3id.org/parley/event-type/")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
RELATION_NAMES = {v: k for k, v in RELATION_PROPERTIES.items()}
SECURITY = {T[t] for t in ("troop-deployment", "lab-raid", "seizure", "arrest", "extradition", "designation")}
RELIEF = {T[t] for t in ("reprieve", "exemption", "extension", "tariff-reduction")}


@pytest.fixture(scope="module")
def synthetic():
    """(parley's memory store, an rdflib Graph of the same triples) for 300 synthetic events."""
    timeline = synthetic_timeline(300, seed=5)
    plain = Graph()
    for t in triples(timeline):
        plain.add(t)
    return read_graph(timeline=timeline), plain


def text(v) -> str:
    """A value as comparable text: "" for unbound, a decimal by value (rdflib writes 30.0 where Oxigraph has 30)."""
    if v is None:
        return ""
    if isinstance(v, Literal) and v.datatype == XSD_DECIMAL:
        return format(v.toPython().normalize(), "f")
    return str(v)


def one(g: Graph, s, p):
    """The single object of (s, p), or None; two would make the expected answer ambiguous."""
    objects = list(g.objects(s, p))
    assert len(objects) <= 1, (s, p, objects)
    return objects[0] if objects else None


def name(concept) -> str | None:
    return None if concept is None else str(concept).removeprefix(str(T))


# --- security-before-relief -------------------------------------------------------------------------------------

SBR = ("relief", "relief_id", "relief_type", "relief_date", "lever_id", "security", "security_id", "security_type",
       "security_date", "promises", "direct", "relation", "lag_days")


def expected_security_before_relief(g: Graph) -> list[tuple]:
    """Each (relief, security) pair where the security event reaches the relief over the seven direct edges."""
    edges: dict = {}
    for p in RELATION_PROPERTIES.values():
        for s, o in g.subject_objects(p):
            edges.setdefault(s, set()).add(o)
    claimed: dict = {}
    for claim in g.subjects(PARLEY.relation, None):
        key = (one(g, claim, PARLEY.cause), one(g, claim, PARLEY.effect))
        claimed.setdefault(key, set()).add(RELATION_NAMES[one(g, claim, PARLEY.relation)])
    rows = []
    for security, kind in g.subject_objects(PARLEY.eventType):
        promised = one(g, security, PARLEY.promises)
        if not (kind in SECURITY or (kind == T.commitment and promised in SECURITY)):
            continue
        reached, frontier = set(), [security]
        while frontier:
            frontier = [m for n in frontier for m in edges.get(n, ()) if m not in reached]
            reached.update(frontier)
        s_date = one(g, security, SEM.hasEarliestBeginTimeStamp)
        for relief in reached:
            r_kind = one(g, relief, PARLEY.eventType)
            if r_kind not in RELIEF:
                continue
            lever = one(g, relief, PARLEY.lever)
            r_date = one(g, relief, SEM.hasEarliestBeginTimeStamp)
            relations = claimed.get((security, relief), set())
            rows.append((relief, one(g, relief, DCTERMS.identifier), name(r_kind), r_date,
                         None if lever is None else one(g, lever, DCTERMS.identifier),
                         security, one(g, security, DCTERMS.identifier), name(kind), s_date, name(promised),
                         "true" if relations else "false", " ".join(sorted(relations)),
                         (r_date.toPython() - s_date.toPython()).days))
    return sorted(tuple(map(text, row)) for row in rows)


def test_security_before_relief_is_every_security_event_reaching_a_relief(synthetic):
    memory, plain = synthetic
    expected = expected_security_before_relief(plain)
    assert len(expected) > 100
    assert {r[10] for r in expected} == {"true", "false"}  # direct claims and longer chains
    assert {r[9] for r in expected} - {""}  # pledges among the security side
    for graph in (memory, plain):
        rows = run_query(graph, "security-before-relief")
        assert sorted(tuple(text(r[c]) for c in SBR) for r in rows) == expected
        keys = [(r["relief_date"].toPython(), str(r["relief_id"]), r["security_date"].toPython(), str(r["security_id"]))
                for r in rows]
        assert keys == sorted(keys)  # ORDER BY ?relief_date ?relief_id ?security_date ?security_id


def test_security_before_relief_refuses_a_graph_without_the_leadsto_triples(synthetic):
    """The chain is parley:leadsTo+ (materialised by build): a graph with direct edges but none of them would give
    no rows at all, so the query says why instead."""
    _, plain = synthetic
    bare = Graph()
    for t in plain.triples((None, None, None)):
        if t[1] != PARLEY.leadsTo:
            bare.add(t)
    assert len(bare) < len(plain)
    with pytest.raises(QueryError, match="no parley:leadsTo triples"):
        run_query(bare, "security-before-relief")
    oxigraph = open_dataset(StoreSpec("memory"))
    replace_graph(oxigraph, "https://example.org/old/graph", bare.triples((None, None, None)))
    with pytest.raises(QueryError, match="no parley:leadsTo triples"):
        run_query_text(oxigraph, "security-before-relief")
    assert list(run_query(Graph(), "security-before-relief")) == []  # no causal edges at all: nothing to refuse


def test_security_before_relief_gives_a_pledge_of_two_security_types_once_per_promise():
    """A pledge promising two security types qualifies through either: one row per promise, not one per pair."""
    from parley.events.read import read_timeline

    small = read_timeline([Path(__file__).parent / "data" / "small.yaml"])
    ptype = Namespace("https://w3id.org/parley/event-type/")
    graph = Graph()
    for t in triples(small):
        graph.add(t)
    pledge = next(s for s, o in graph.subject_objects(PARLEY.promises))
    promised = {str(o) for o in graph.objects(pledge, PARLEY.promises)}
    graph.add((pledge, PARLEY.promises, ptype["lab-raid"] if ptype["lab-raid"] not in promised
               else ptype["seizure"]))
    oxigraph = open_dataset(StoreSpec("memory"))
    replace_graph(oxigraph, "https://example.org/small/graph", graph.triples((None, None, None)))
    for g in (graph, oxigraph):
        rows = [tuple(sorted((k, str(v)) for k, v in r.items())) for r in run_query(g, "security-before-relief")]
        pledged = [r for r in rows if ("security", str(pledge)) in r]
        assert len(rows) == len(set(rows)) and len(pledged) == 2


# --- threat-outcomes --------------------------------------------------------------------------------------------

THREATS = ("threat", "threat_id", "threat_date", "lever_id", "rate", "carried_out", "delayed", "delayed_to",
           "withdrawn", "status")


def expected_threat_outcomes(g: Graph) -> list[tuple]:
    """Each threat with what followed on its lever from its date up to the next threat's (see the query)."""
    def date(e):
        return one(g, e, SEM.hasEarliestBeginTimeStamp)

    threats = list(g.subjects(PARLEY.eventType, T.threat))
    dates_on: dict = {}
    for t in threats:
        lever = one(g, t, PARLEY.lever)
        if lever is not None:
            dates_on.setdefault(lever, []).append(date(t).toPython())
    rows = []
    for t in threats:
        d, lever = date(t).toPython(), one(g, t, PARLEY.lever)
        caused = [date(x) for x in g.objects(t, FARO.causes)]
        imposed, delays, untils, open_ended, withdrawn = [], set(), [], False, []
        if lever is not None:
            following = [d2 for d2 in dates_on[lever] if d2 > d]
            end = min(following) if following else dt.date(9999, 12, 31)
            for x in g.subjects(PARLEY.lever, lever):
                xd = date(x)
                if xd is None or not (d <= xd.toPython() < end):
                    continue
                kind = one(g, x, PARLEY.eventType)
                if kind in (T["tariff-imposition"], T["tariff-increase"]):
                    imposed.append(xd)
                if kind in (T.reprieve, T.extension):
                    delays.add(x)
                    until = one(g, x, PARLEY.until)
                    open_ended |= until is None
                    untils += [] if until is None else [until]
                if kind == T["tariff-reduction"] and one(g, x, PARLEY.rate) is not None \
                        and one(g, x, PARLEY.rate).toPython() == 0:
                    withdrawn.append(xd)
            for outcome in g.subjects(PARLEY.lever, lever):
                if one(g, outcome, PARLEY.status) == Literal("withdrawn"):
                    for x in g.subjects(PARLEY.hasOutcome, outcome):
                        if d <= date(x).toPython() < end:
                            withdrawn.append(date(x))
        firsts = [v for v in (min(imposed, key=Literal.toPython, default=None),
                              min(caused, key=Literal.toPython, default=None)) if v is not None]
        carried_out = min(firsts, key=Literal.toPython, default=None)
        delayed_to = None if open_ended or not untils else max(untils, key=Literal.toPython)
        first_withdrawn = min(withdrawn, key=Literal.toPython, default=None)
        status = ("withdrawn" if first_withdrawn is not None else "delayed" if delays
                  else "carried-out" if carried_out is not None else "pending")
        lever_id = None if lever is None else one(g, lever, DCTERMS.identifier)
        rows.append((t, one(g, t, DCTERMS.identifier), date(t), lever_id, one(g, t, PARLEY.rate), carried_out,
                     "true" if delays else "false", delayed_to, first_withdrawn, status))
    return sorted(tuple(map(text, row)) for row in rows)


def test_threat_outcomes_follow_each_threat_on_its_lever_up_to_the_next(synthetic):
    memory, plain = synthetic
    expected = expected_threat_outcomes(plain)
    assert {r[-1] for r in expected} == {"withdrawn", "delayed", "carried-out", "pending"}
    assert any(r[7] for r in expected) and any(r[4] for r in expected)  # delayed_to, rate
    for graph in (memory, plain):
        rows = run_query(graph, "threat-outcomes")
        assert sorted(tuple(text(r[c]) for c in THREATS) for r in rows) == expected
        keys = [(r["threat_date"].toPython(), str(r["threat_id"])) for r in rows]
        assert keys == sorted(keys)  # ORDER BY ?threat_date ?threat_id
