"""The RDF graph projected onto a networkx MultiDiGraph: events, actors, levers and sources as typed nodes.

Nodes are keyed by IRI (ids may repeat across merged timelines; IRIs do not) and carry `kind` (event, actor,
lever, source), `id` (dcterms:identifier; a source's URL), `type` (event type, actor kind, lever kind, or
"source"), `group` (an event's audit group; the kind for the rest), `label`, and for events `date` and
`date_latest` (datetime.date, the earliest and latest begin dates), `precision`, `summary`, `promises`,
`defined_at` ("file:line").

Only the predicates in ALLOWED_PREDICATES become edges, so rdf:type and literals never do. Every edge has
`relation` and `causal`. A causal edge runs cause -> effect, is keyed by its claim id and carries `claim`,
`claimant`, `confidence`, `confidence_level`, `evidence`, `disputed`, `disputed_by`, `sources` (URLs) and
`defined_at`; a direct causal edge that no claim node records is kept with `claim` "" and keyed by its relation.
Structural edges are keyed by their relation: event -actor-> actor, event -target-> actor, event -lever->
lever, lever -imposed-by-> actor, lever -target-> actor, event/lever -source-> source (prov:hadPrimarySource).

A claim whose cause or effect is not an event with a type and a date in the graph (a merged or hand-edited
graph) is not projected; it is listed in `net.graph["incomplete_claims"]` for the consistency check.
Attributes that a node or edge lacks are absent, never None.

The graph is read with a few targeted SPARQL queries (graph/queries/network-*.rq), never by walking triples.
"""

from __future__ import annotations

import datetime as dt

from ..events.model import EVENT_TYPES, group_of
from ..ontology.namespace import (
    ACTOR_CLASSES, LEVER_CLASSES, PARLEY, PROPERTY_RELATIONS, PROV, RELATION_PROPERTIES, SEM, TYPE,
)
from .query import run_query_text

NODE_KINDS = ("event", "actor", "lever", "source")
# Structural predicates and the relation name of the edge each becomes.
STRUCTURAL_PREDICATES = {
    SEM.hasActor: "actor",
    PARLEY.target: "target",
    PARLEY.lever: "lever",
    PARLEY.imposedBy: "imposed-by",
    PROV.hadPrimarySource: "source",
}
ALLOWED_PREDICATES = (*RELATION_PROPERTIES.values(), *STRUCTURAL_PREDICATES)
# Lookups by the IRI's text: rows come from run_query_text (plain strings, no rdflib terms).
_STRUCTURAL = {str(k): v for k, v in STRUCTURAL_PREDICATES.items()}
_RELATIONS = {str(k): v for k, v in PROPERTY_RELATIONS.items()}
_ACTOR_KINDS = {str(v): k for k, v in ACTOR_CLASSES.items()}
_LEVER_KINDS = {str(v): k for k, v in LEVER_CLASSES.items()}
# Which node kinds each structural edge may join (subject kind, object kind).
_STRUCTURAL_ENDS = {
    "actor": {("event", "actor")},
    "target": {("event", "actor"), ("lever", "actor")},
    "lever": {("event", "lever")},
    "imposed-by": {("lever", "actor")},
    "source": {("event", "source"), ("lever", "source")},
}


def _text(term) -> str | None:
    return None if term is None else str(term)


def _day(term) -> dt.date | None:
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(str(term)[:10])
    except ValueError:  # a malformed date in a hand-edited graph is as good as none
        return None


def _local(iri, namespace) -> str:
    text = str(iri)
    return text[len(str(namespace)):] if text.startswith(str(namespace)) else text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _put(attrs: dict, key: str, value) -> None:
    if value is not None and key not in attrs:
        attrs[key] = value


def event_nodes(graph) -> dict[str, dict]:
    """{event IRI: attributes} for every event with an event type."""
    nodes: dict[str, dict] = {}
    for r in run_query_text(graph, "network-events"):
        key = str(r["event"])
        a = nodes.get(key)
        if a is None:
            etype = _local(r["type"], TYPE)
            ident = _text(r["id"]) or key
            a = nodes[key] = {"kind": "event", "id": ident, "type": etype,
                              "group": group_of(etype) if etype in EVENT_TYPES else "other", "label": ident}
        earliest, latest = _day(r["earliest"]), _day(r["latest"])
        if earliest is not None and ("date" not in a or earliest < a["date"]):
            a["date"] = earliest
        if latest is not None and ("date_latest" not in a or latest > a["date_latest"]):
            a["date_latest"] = latest
        _put(a, "precision", _text(r["precision"]))
        _put(a, "summary", _text(r["summary"]))
        if r["promises"] is not None:
            _put(a, "promises", _local(r["promises"], TYPE))
        _put(a, "defined_at", _text(r["definedAt"]))
    for a in nodes.values():
        if "date" in a and "date_latest" not in a:
            a["date_latest"] = a["date"]
    return nodes


def _typed_nodes(graph, query: str, var: str, kind: str, kinds: dict, extra: dict) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    for r in run_query_text(graph, query):
        key = str(r[var])
        a = nodes.get(key)
        if a is None:
            ident = _text(r["id"]) or key
            a = nodes[key] = {"kind": kind, "id": ident, "type": kinds[str(r["class"])], "group": kind}
        _put(a, "label", _text(r["label"]))
        for column, attr in extra.items():
            _put(a, attr, _text(r[column]))
        _put(a, "defined_at", _text(r["definedAt"]))
    for a in nodes.values():
        a.setdefault("label", a["id"])
    return nodes


def actor_nodes(graph) -> dict[str, dict]:
    """{actor IRI: attributes} for every actor."""
    return _typed_nodes(graph, "network-actors", "actor", "actor", _ACTOR_KINDS, {"country": "country", "role": "role"})


def lever_nodes(graph) -> dict[str, dict]:
    """{lever IRI: attributes} for every lever."""
    return _typed_nodes(graph, "network-levers", "lever", "lever", _LEVER_KINDS,
                        {"legalBasis": "legal_basis", "scope": "scope"})


def source_citations(graph) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """({source IRI: attributes}, [(citing node IRI, source IRI)]) for every source an event, lever or claim
    cites; a source's id is its URL."""
    nodes: dict[str, dict] = {}
    citations = []
    for r in run_query_text(graph, "network-sources"):
        key = str(r["source"])
        citations.append((str(r["subject"]), key))
        a = nodes.setdefault(key, {"kind": "source", "type": "source", "group": "source"})
        _put(a, "id", _text(r["url"]))
        _put(a, "label", _text(r["title"]))
        _put(a, "publisher", _text(r["publisher"]))
        if r["date"] is not None:
            _put(a, "date", _day(r["date"]))
    for key, a in nodes.items():
        a.setdefault("id", key)
        a.setdefault("label", a["id"])
    return nodes, citations


def network_graph(graph, *, sources: bool = True):
    """The network of an rdflib graph: a networkx MultiDiGraph (see the module docstring).

    `sources=False` leaves out the source nodes, their edges and the URLs on causal edges, and skips the
    query that finds them (the analyses do not need them).
    """
    import networkx as nx

    nodes = event_nodes(graph)
    nodes.update(actor_nodes(graph))
    nodes.update(lever_nodes(graph))
    structural = []
    for r in run_query_text(graph, "network-edges"):
        s, o = str(r["s"]), str(r["o"])
        relation = _STRUCTURAL[str(r["p"])]
        sa, oa = nodes.get(s), nodes.get(o)
        if sa is not None and oa is not None and (sa["kind"], oa["kind"]) in _STRUCTURAL_ENDS[relation]:
            structural.append((s, o, relation, {"relation": relation, "causal": False}))
    cited: dict[str, list[str]] = {}
    if sources:
        source_table, citations = source_citations(graph)
        for s, o in citations:
            sa = nodes.get(s)
            if sa is not None and sa["kind"] in ("event", "lever"):
                structural.append((s, o, "source", {"relation": "source", "causal": False}))
            cited.setdefault(s, []).append(source_table[o]["id"])  # a claim's sources go on its causal edge
    net = nx.MultiDiGraph()
    net.add_nodes_from(sorted(nodes.items()))
    if sources:
        net.add_nodes_from(sorted(source_table.items()))
    net.add_edges_from(sorted(structural, key=lambda e: e[:3]))
    causal, incomplete = _claim_edges(graph, nodes, cited if sources else None)
    net.add_edges_from(causal)
    net.add_edges_from(_unclaimed_edges(graph, nodes))
    net.graph["incomplete_claims"] = incomplete
    return net


def _complete_event(nodes: dict, iri: str | None) -> bool:
    a = nodes.get(iri) if iri is not None else None
    return a is not None and a["kind"] == "event" and "date" in a


def _claim_edges(graph, nodes: dict, claim_sources: dict | None) -> tuple[list, list[dict]]:
    claims: dict[str, dict] = {}
    for r in run_query_text(graph, "network-claims"):
        key = str(r["claim"])
        relation = _RELATIONS.get(str(r["relation"]))
        if relation is None:  # not one of the causal properties: outside the allow-list
            continue
        c = claims.get(key)
        if c is None:
            c = claims[key] = {"iri": key, "cause": _text(r["cause"]), "effect": _text(r["effect"]),
                               "attrs": {"relation": relation, "causal": True, "claim": _text(r["id"]) or key},
                               "disputed_by": []}
            a = c["attrs"]
            if r["claimant"] is not None:
                claimant = nodes.get(str(r["claimant"]))
                a["claimant"] = claimant["id"] if claimant else str(r["claimant"])
            if r["confidence"] is not None:
                try:
                    a["confidence"] = float(r["confidence"])
                except ValueError:
                    pass
            _put(a, "confidence_level", _text(r["level"]))
            _put(a, "evidence", _text(r["evidence"]))
            _put(a, "defined_at", _text(r["definedAt"]))
        if r["disputant"] is not None:
            disputant = nodes.get(str(r["disputant"]))
            name = disputant["id"] if disputant else str(r["disputant"])
            if name not in c["disputed_by"]:
                c["disputed_by"].append(name)
    edges, incomplete = [], []
    for key, c in sorted(claims.items()):
        a = c["attrs"]
        a["disputed"] = bool(c["disputed_by"])
        a["disputed_by"] = tuple(sorted(c["disputed_by"]))
        if claim_sources is not None:
            a["sources"] = tuple(sorted(set(claim_sources.get(key, ()))))
        missing = [side for side in ("cause", "effect") if not _complete_event(nodes, c[side])]
        if missing:
            incomplete.append({
                "claim": a["claim"], "relation": a["relation"], "defined_at": a.get("defined_at"),
                "cause": _endpoint_name(nodes, c["cause"]), "effect": _endpoint_name(nodes, c["effect"]),
                "missing": {side: _missing_what(nodes, c[side]) for side in missing},
            })
            continue
        edges.append((c["cause"], c["effect"], a["claim"], a))
    return edges, incomplete


def _endpoint_name(nodes: dict, iri: str | None) -> str | None:
    if iri is None:
        return None
    a = nodes.get(iri)
    return a["id"] if a is not None and a["kind"] == "event" else iri


def _missing_what(nodes: dict, iri: str | None) -> str:
    if iri is None:
        return "not given"
    a = nodes.get(iri)
    if a is None or a["kind"] != "event":
        return "no event type"
    return "no date"


def _unclaimed_edges(graph, nodes: dict) -> list:
    edges = []
    for r in run_query_text(graph, "network-unclaimed"):
        cause, effect = str(r["cause"]), str(r["effect"])
        if _complete_event(nodes, cause) and _complete_event(nodes, effect):
            relation = _RELATIONS[str(r["relation"])]
            edges.append((cause, effect, relation, {"relation": relation, "causal": True, "claim": "",
                                                    "disputed": False}))
    return edges


def causal_graph(net):
    """The causal part of a network: event nodes and causal edges, as a new MultiDiGraph sharing attributes."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from((n, a) for n, a in net.nodes(data=True) if a["kind"] == "event")
    g.add_edges_from((u, v, k, a) for u, v, k, a in net.edges(keys=True, data=True) if a["causal"])
    return g
