"""Questions about the causal network: centrality, causal paths, what-if, consistency, lags.

Each function takes the rdflib graph (projected with network.network_graph) or an already projected
network, and returns a result object with to_dict(), to_text() and to_csv(). The causal subgraph is the
event nodes and the causal edges (cause -> effect) of the projection. Given an rdflib graph, `paths` projects
it with sources and details (each hop shows its claimant, evidence and sources) and the rest without either;
`paths` refuses a network projected without details, and gives hops without sources from one without sources.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field

from ..events.model import GROUPS
from .network import causal_graph, network_graph

# A relief event has security support when one of these reaches it through a chain of claims (DESIGN.md's groups).
SECURITY_TYPES = GROUPS["security"]
RELIEF_TYPES = GROUPS["relief"]
# Above this many events, betweenness is estimated from a seeded sample of source nodes.
SAMPLE_ABOVE = 2000
SAMPLE_SIZE = 200


class AnalysisError(Exception):
    """A question that cannot be answered as asked: unknown or ambiguous id, bad option (exit 2)."""


def _network(graph, *, full: bool = False, sources: bool = False):
    """A projected network as given, or the projection of an rdflib graph: with sources and the events' and
    claims' details only when asked (`paths` shows the claims' and their sources; `whatif` reads the sources;
    the rest read neither)."""
    import networkx as nx

    if isinstance(graph, nx.MultiDiGraph):
        return graph
    return network_graph(graph, sources=full or sources, details=full)


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def _iso(d) -> str | None:
    return d.isoformat() if d is not None else None


def _event_key(net, ident: str) -> str:
    """The node of the event with this id, or given as its IRI."""
    found = [n for n, a in net.nodes(data=True) if a["kind"] == "event" and a["id"] == ident]
    if not found and ident in net and net.nodes[ident].get("kind") == "event":
        return ident
    if not found:
        raise AnalysisError(f"unknown event id '{ident}'")
    if len(found) > 1:
        raise AnalysisError(f"event id '{ident}' is ambiguous: {', '.join(sorted(found))} (give one of these IRIs "
                            "instead of the id)")
    return found[0]


def _hop(net, u, v, a) -> dict:
    return {
        "cause": net.nodes[u]["id"], "effect": net.nodes[v]["id"], "relation": a["relation"],
        "claim": a.get("claim") or None, "claimant": a.get("claimant"), "confidence": a.get("confidence"),
        "evidence": a.get("evidence"), "disputed": a.get("disputed", False),
        "disputed_by": list(a.get("disputed_by", ())), "sources": list(a.get("sources", ())),
        "defined_at": a.get("defined_at"),
    }


# --- centrality -------------------------------------------------------------------------------------

@dataclass
class Centrality:
    """Betweenness and PageRank on the causal subgraph; for actors and levers, the sums over their events."""

    kind: str
    rows: list[dict]
    events: int
    links: int
    claims: int
    sample: int | None = None
    seed: int | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "events": self.events, "links": self.links, "claims": self.claims,
                "betweenness_sample": self.sample, "seed": self.seed, "rows": self.rows}

    def to_text(self) -> str:
        how = (f"betweenness estimated from {self.sample} sampled events in each part larger than that "
               f"(seed {self.seed})" if self.sample else "exact betweenness")
        lines = [f"Centrality of {self.kind}s on the causal subgraph ({self.events} events, {self.links} linked "
                 f"pairs, {self.claims} claims; {how}; PageRank)."]
        if self.kind != "event":
            lines.append(f"{'An' if self.kind == 'actor' else 'A'} {self.kind}'s score is the sum of the scores of the events it "
                         f"{'acted in' if self.kind == 'actor' else 'moved'}.")
        if not self.rows:
            return "\n".join([*lines, "(none)"]) + "\n"
        width = max([len(r["id"]) for r in self.rows] + [2])
        if self.kind == "event":  # an event's label is its id, and it is one event: its type says more
            lines.append(f"{'#':>3}  {'id':<{width}}  {'betweenness':>11}  {'pagerank':>8}  type")
            lines += [f"{i:>3}  {r['id']:<{width}}  {r['betweenness']:>11.4f}  {r['pagerank']:>8.4f}  {r['type']}"
                      for i, r in enumerate(self.rows, 1)]
            return "\n".join(lines) + "\n"
        lines.append(f"{'#':>3}  {'id':<{width}}  {'betweenness':>11}  {'pagerank':>8}  {'events':>6}  label")
        for i, r in enumerate(self.rows, 1):
            lines.append(f"{i:>3}  {r['id']:<{width}}  {r['betweenness']:>11.4f}  {r['pagerank']:>8.4f}  "
                         f"{r['events']:>6}  {r['label']}")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        cols = ["rank", "id", "type", "label", "betweenness", "pagerank", "events"]
        return _csv(cols, ([i, *(r[c] for c in cols[1:])] for i, r in enumerate(self.rows, 1)))


def _pagerank(g) -> dict:
    import networkx as nx

    try:
        return nx.pagerank(g)
    except ModuleNotFoundError:  # nx.pagerank needs scipy; networkx's own pure-Python version gives the same
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(g)


def betweenness(causal, *, sample_above: int = SAMPLE_ABOVE, sample_size: int = SAMPLE_SIZE,
                seed: int = 0) -> tuple[dict, bool]:
    """Normalised betweenness of a causal DiGraph, and whether any of it was estimated from a sample.

    Shortest paths never leave a weakly connected component, so each component is computed on its own
    (exactly, or from `sample_size` seeded sources when it has more than `sample_above` events) and the
    raw scores are normalised over the whole graph: the same numbers as nx.betweenness_centrality on the
    whole graph, at a fraction of the cost when the causal graph falls into many small chains.
    """
    import random

    import networkx as nx

    n = causal.number_of_nodes()
    scores = dict.fromkeys(causal, 0.0)
    if n < 3:
        return scores, False
    rng = random.Random(seed)
    sampled = False
    for component in sorted(nx.weakly_connected_components(causal), key=min):
        if len(component) < 3:
            continue
        k = sample_size if len(component) > sample_above and sample_size < len(component) else None
        sampled = sampled or k is not None
        sub = causal.subgraph(component).copy()
        scores.update(nx.betweenness_centrality(sub, k=k, normalized=False, seed=rng if k else None))
    scale = 1 / ((n - 1) * (n - 2))
    return {v: b * scale for v, b in scores.items()}, sampled


def centrality(graph, *, kind: str = "event", top: int = 10, sample_above: int = SAMPLE_ABOVE,
               sample_size: int = SAMPLE_SIZE, seed: int = 0) -> Centrality:
    """The `top` events, actors or levers by betweenness (then PageRank) on the causal subgraph.

    Betweenness is normalised, and estimated from `sample_size` source events drawn with `seed` in any
    weakly connected part of the causal subgraph with more than `sample_above` events (see betweenness()).
    PageRank follows causal edges from cause to effect.
    """
    import networkx as nx

    if kind not in ("event", "actor", "lever"):
        raise AnalysisError(f"--kind {kind!r}: expected event, actor or lever")
    if top < 1:
        raise AnalysisError(f"--top {top}: expected a positive number")
    net = _network(graph)
    claims = causal_graph(net)
    causal = nx.DiGraph(claims)  # parallel claims count once
    n = causal.number_of_nodes()
    between, sampled = betweenness(causal, sample_above=sample_above, sample_size=sample_size, seed=seed)
    rank = _pagerank(causal) if n else {}
    if kind == "event":
        scores = {e: (between[e], rank[e], 1) for e in causal}
    else:
        relation = "actor" if kind == "actor" else "lever"
        totals: dict[str, list] = {x: [0.0, 0.0, 0] for x, a in net.nodes(data=True) if a["kind"] == kind}
        for u, v, a in net.edges(data=True):
            if a["relation"] == relation and u in between and v in totals:
                t = totals[v]
                t[0] += between[u]
                t[1] += rank[u]
                t[2] += 1
        scores = {x: tuple(t) for x, t in totals.items()}
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1][0], -kv[1][1], net.nodes[kv[0]]["id"]))[:top]
    rows = [{"id": net.nodes[x]["id"], "type": net.nodes[x]["type"], "label": net.nodes[x]["label"],
             "betweenness": round(b, 6), "pagerank": round(p, 6), "events": c} for x, (b, p, c) in ordered]
    return Centrality(kind, rows, n, causal.number_of_edges(), claims.number_of_edges(),
                      sample_size if sampled else None, seed if sampled else None)


# --- paths ------------------------------------------------------------------------------------------

@dataclass
class Paths:
    """Every causal chain from one event to another, each hop with its claim and evidence."""

    source: str
    target: str
    max_length: int
    paths: list[list[dict]]
    truncated: bool = False

    def to_dict(self) -> dict:
        return {"from": self.source, "to": self.target, "max_length": self.max_length,
                "truncated": self.truncated, "paths": self.paths}

    def to_text(self) -> str:
        head = f"Causal chains from {self.source} to {self.target} (at most {self.max_length} hops): {len(self.paths)}"
        lines = [head + (" (more not shown)" if self.truncated else "")]
        for i, path in enumerate(self.paths, 1):
            lines.append(f"{i}. {' -> '.join([path[0]['cause']] + [h['effect'] for h in path])}")
            for h in path:
                conf = "" if h["confidence"] is None else f", confidence {h['confidence']:g}"
                who = f"claimed by {h['claimant']}" if h["claimant"] else "no claimant"
                disputed = f", disputed by {', '.join(h['disputed_by'])}" if h["disputed"] else ""
                lines.append(f"   {h['cause']} {h['relation']} {h['effect']}  [{h['claim'] or 'no claim'}; "
                             f"{who}{conf}{disputed}]")
                if h["evidence"]:
                    lines.append(f"      evidence: {h['evidence']}")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        cols = ["cause", "relation", "effect", "claim", "claimant", "confidence", "disputed", "evidence"]
        return _csv(["path", "hop", *cols],
                    ([i, j, *(h[c] for c in cols)] for i, p in enumerate(self.paths, 1) for j, h in enumerate(p, 1)))


def causal_paths(graph, source: str, target: str, *, max_length: int = 6, limit: int = 1000) -> Paths:
    """The simple causal chains from event `source` to event `target` of at most `max_length` hops.

    Parallel claims between two events make separate chains. At most `limit` chains are kept, the shortest
    (a longer one only when every shorter one is kept); `truncated` says when there were more.
    """
    import networkx as nx

    if max_length < 1:
        raise AnalysisError(f"--max-length {max_length}: expected a positive number")
    net = _network(graph, full=True)  # each hop lists its claim's claimant, evidence and sources
    if net.graph.get("details") is False:  # it would say "no claimant" of claims whose claimant was not read
        raise AnalysisError("paths shows each claim's claimant and evidence: project the network with "
                            "details=True (network_graph's default)")
    u, v = _event_key(net, source), _event_key(net, target)
    if u == v:
        raise AnalysisError(f"FROM and TO are the same event '{source}' (causal cycles: parley analyze consistency)")
    causal = causal_graph(net)
    found = []
    truncated = False
    # length by length, so that the chains kept are the shortest (a depth-first walk finds long ones first);
    # each pass walks the shorter chains again, at most max_length passes
    for length in range(1, max_length + 1):
        for edges in nx.all_simple_edge_paths(causal, u, v, cutoff=length):
            if len(edges) < length:
                continue
            if len(found) == limit:
                truncated = True
                break
            found.append([_hop(net, a, b, causal.edges[a, b, k]) for a, b, k in edges])
        if truncated:
            break
    found.sort(key=lambda p: (len(p), [(h["effect"], h["claim"] or "") for h in p]))
    return Paths(source, target, max_length, found, truncated)


# --- what-if ----------------------------------------------------------------------------------------

@dataclass
class WhatIf:
    """Relief events that lose all evidenced security support when an event or a claim is removed."""

    removed: str
    removed_kind: str
    supported_before: int
    supported_after: int
    lost: list[dict] = field(default_factory=list)
    removed_supported_relief: bool = False

    def to_dict(self) -> dict:
        return {"removed": self.removed, "removed_kind": self.removed_kind,
                "supported_before": self.supported_before, "supported_after": self.supported_after,
                "removed_supported_relief": self.removed_supported_relief, "lost": self.lost}

    def to_text(self) -> str:
        lines = [f"Without {self.removed_kind} {self.removed}: {self.supported_after} of {self.supported_before} "
                 "relief events keep evidenced security support."]
        if self.removed_supported_relief:
            lines.append(f"({self.removed} is itself a supported relief event: removed, not counted as losing support.)")
        if not self.lost:
            lines.append("No relief event loses all its security support.")
        else:
            lines.append(f"{len(self.lost)} relief event(s) lose all evidenced security support:")
            for r in self.lost:
                lines.append(f"  {r['id']} ({r['type']}, {r['date']}); supported before by: "
                             f"{', '.join(r['supported_by'])}")
        lines.append("Support: a security action, a pledge of one, or a statistic with figures reaches the relief "
                     "through a chain of at most 4 sourced claims (other than 'prevents'), as the audit links them.")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        return _csv(["removed", "relief", "type", "date", "supported_by"],
                    ([self.removed, r["id"], r["type"], r["date"], " ".join(r["supported_by"])] for r in self.lost))


def support_sources(net) -> list:
    """The events whose chains count as security support: security actions, pledges of one, statistics."""
    return [n for n, a in net.nodes(data=True) if a["kind"] == "event" and (
        a["type"] in SECURITY_TYPES or a["type"] in GROUPS["statistics"]
        or (a["type"] == "commitment" and a.get("promises") in SECURITY_TYPES))]


def _supports(a: dict) -> bool:
    """Whether a causal edge carries support: a claim with a source (as in the audit, a claim without one is no
    evidence), other than 'prevents'."""
    if a["causal"] and a.get("claim") and "sources" not in a:
        raise AnalysisError("the network was projected without sources (network_graph(..., sources=True))")
    return a["causal"] and bool(a.get("claim")) and a["relation"] != "prevents" and bool(a["sources"])


def support_graph(net):
    """The edges that carry support: causal edges backed by a sourced claim, except 'prevents' and those whose
    effect is surely dated before its cause (as the audit: no evidence)."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(n for n, a in net.nodes(data=True) if a["kind"] == "event")
    g.add_edges_from((u, v) for u, v, a in net.edges(data=True)
                     if a["causal"] and _supports(a) and not _backwards(net.nodes[u], net.nodes[v]))
    return g


def _backwards(cause: dict, effect: dict) -> bool:
    last, first = effect.get("date_latest", effect.get("date")), cause.get("date")
    return last is not None and first is not None and last < first


def _supported_relief(g, sources, relief, chain: int) -> set:
    import networkx as nx

    present = [s for s in sources if s in g]
    if not present:
        return set()
    reached = nx.multi_source_dijkstra_path_length(g, present, cutoff=chain)
    return {r for r in relief if r in g and reached.get(r, 0) > 0}


_CLAIM_ENDS = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX parley: <https://w3id.org/parley/ontology#>
SELECT ?id ?cause ?effect WHERE { ?claim dcterms:identifier ?id ; parley:cause ?cause ; parley:effect ?effect }"""


def what_if(graph, ident: str) -> WhatIf:
    """Which relief events lose all evidenced security support if event or claim `ident` is removed.

    A relief event (reprieve, exemption, extension, tariff-reduction) has evidenced security support when a
    security action (troop-deployment, lab-raid, seizure, arrest, extradition, designation), a commitment
    promising one, or a statistic with figures reaches it through a chain of at most MAX_CHAIN (4) sourced
    claims other than 'prevents', as the audit links them (a claim without a source is no evidence). Removing an event
    removes it and every edge it is on; removing a claim removes its edge. A removed relief event is not
    counted as losing support.
    """
    import networkx as nx

    from .audit import MAX_CHAIN

    net = _network(graph, sources=True)
    # statistics count as support only with figures, as in the audit (the network does not carry them: asked
    # of the graph; a network given as it is keeps every statistic)
    if not isinstance(graph, nx.MultiDiGraph):
        from .query import run_query

        with_figures = {str(r["event"]) for r in run_query(graph, "network-figures")}
        sources = [s for s in support_sources(net)
                   if net.nodes[s]["type"] not in GROUPS["statistics"] or s in with_figures]
    else:
        sources = support_sources(net)
    events = [n for n, a in net.nodes(data=True) if a["kind"] == "event" and a["id"] == ident]
    if not events and ident in net and net.nodes[ident].get("kind") == "event":  # the event's IRI
        events = [ident]
    claims = [(u, v, k) for u, v, k, a in net.edges(keys=True, data=True) if a["causal"] and a.get("claim") == ident]
    rdf = not isinstance(graph, nx.MultiDiGraph)
    if rdf and not events and not claims and ":" in ident:  # a claim's IRI (the network keys claims by id)
        from .query import QueryError, resolve_id, run_sparql

        try:
            iri = resolve_id(graph, "claim", ident)
        except QueryError:
            pass
        else:
            claims = [(str(r["cause"]), str(r["effect"]), str(r["id"])) for r in run_sparql(graph, _CLAIM_ENDS, {"claim": iri})]
            claims = [c for c in claims if net.has_edge(*c)][:1]
    if len(events) + len(claims) > 1:
        names = sorted(events) + [f"{net.nodes[u]['id']} -> {net.nodes[v]['id']}" for u, v, _ in claims]
        raise AnalysisError(f"id '{ident}' is ambiguous: it names {len(events)} event(s) and {len(claims)} claim(s) "
                            f"({', '.join(names)}); give the event's or the claim's IRI instead")
    if not events and not claims:
        raise AnalysisError(f"unknown event or claim id '{ident}'")
    g = support_graph(net)
    relief = [n for n, a in net.nodes(data=True) if a["kind"] == "event" and a["type"] in RELIEF_TYPES]
    before = _supported_relief(g, sources, relief, MAX_CHAIN)
    if events:
        kind = "event"
        after_g = nx.restricted_view(g, events, [])
    else:
        kind = "claim"
        u, v, _ = claims[0]
        parallel = [a for a in net.get_edge_data(u, v).values()
                    if a["causal"] and _supports(a) and a.get("claim") != claims[0][2]]
        after_g = g if parallel else nx.restricted_view(g, [], [(u, v)])
    after = _supported_relief(after_g, sources, relief, MAX_CHAIN)
    lost_keys = sorted(before - after - set(events), key=lambda n: (net.nodes[n].get("date"), net.nodes[n]["id"]))
    source_set = set(sources)
    back = g.reverse(copy=False)
    lost = []
    for r in lost_keys:
        a = net.nodes[r]
        near = nx.single_source_shortest_path_length(back, r, cutoff=MAX_CHAIN)  # its supporters' chains
        supporters = sorted(net.nodes[s]["id"] for s in near.keys() & source_set if s != r)
        lost.append({"id": a["id"], "type": a["type"], "date": _iso(a.get("date")), "label": a["label"],
                     "supported_by": supporters})
    return WhatIf(ident, kind, len(before), len(after - set(events)), lost, bool(before & set(events)))


# --- consistency ------------------------------------------------------------------------------------

@dataclass
class Consistency:
    """Causal cycles, anachronisms and claims whose events are missing; each finding with ids and file:line."""

    findings: list[dict]

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict:
        return {"ok": self.ok, "findings": self.findings}

    def to_text(self) -> str:
        if self.ok:
            return "No causal cycles, anachronisms or claims with missing events.\n"
        lines = [f"{len(self.findings)} problem(s):"]
        for f in self.findings:
            where = ", ".join(w for w in f["where"] if w) or "(no source location)"
            lines.append(f"{where}: {f['kind']} ({', '.join(f['ids'])}): {f['message']}")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        return _csv(["kind", "ids", "where", "message"],
                    ([f["kind"], " ".join(f["ids"]), " ".join(w or "" for w in f["where"]), f["message"]]
                     for f in self.findings))


def _claim_name(net, u, v, a) -> str:
    return a.get("claim") or f"{net.nodes[u]['id']} {a['relation']} {net.nodes[v]['id']}"


def consistency(graph) -> Consistency:
    """Every causal cycle (one per strongly connected group of events, and each claim whose cause is its
    effect), every claim whose effect is dated
    before its cause (the effect's latest date before the cause's earliest), and every claim whose cause or
    effect is not an event with a type and a date in the graph.
    """
    import networkx as nx

    net = _network(graph)
    causal = causal_graph(net)
    findings = []
    for component in sorted(nx.strongly_connected_components(causal), key=min):
        # a claim whose cause is its effect is a cycle of its own, whatever else the events are in (as validate)
        for node in sorted(component):
            for k, a in sorted(causal.get_edge_data(node, node, default={}).items()):
                findings.append({"kind": "cycle", "ids": [_claim_name(net, node, node, a)],
                                 "where": [a.get("defined_at")],
                                 "message": f"causal cycle {net.nodes[node]['id']} -> {net.nodes[node]['id']}"})
        if len(component) == 1:
            continue
        sub = nx.MultiDiGraph(causal.subgraph(component))
        sub.remove_edges_from(list(nx.selfloop_edges(sub, keys=True)))
        cycle = nx.find_cycle(sub, source=min(component))
        edges = [(u, v, causal.edges[u, v, k]) for u, v, k in cycle]
        chain = " -> ".join([net.nodes[edges[0][0]]["id"]] + [net.nodes[v]["id"] for _, v, _ in edges])
        findings.append({"kind": "cycle", "ids": [_claim_name(net, u, v, a) for u, v, a in edges],
                         "where": [a.get("defined_at") for _, _, a in edges],
                         "message": f"causal cycle {chain}"
                                    + (f" (one of the cycles among {len(component)} events)" if len(component) > len(edges) else "")})
    for u, v, a in sorted(causal.edges(data=True), key=lambda e: _claim_name(net, *e)):
        cu, cv = net.nodes[u], net.nodes[v]
        if cv["date_latest"] < cu["date"]:
            findings.append({"kind": "anachronism", "ids": [_claim_name(net, u, v, a)], "where": [a.get("defined_at")],
                             "message": f"effect '{cv['id']}' ({_span(cv)}) is dated before its cause "
                                        f"'{cu['id']}' ({_span(cu)})"})
    for c in net.graph.get("incomplete_claims", []):
        what = "; ".join(f"{side} '{c[side]}' has {why}" if c[side] is not None else f"{side} not given"
                         for side, why in c["missing"].items())
        findings.append({"kind": "missing-event", "ids": [c["claim"]], "where": [c.get("defined_at")],
                         "message": f"claim {c['claim']}: {what}"})
    return Consistency(findings)


def _span(a) -> str:
    d, last = a["date"], a["date_latest"]
    return d.isoformat() if d == last else f"{d.isoformat()}..{last.isoformat()}"


# --- lags -------------------------------------------------------------------------------------------

@dataclass
class Lags:
    """Days from cause to effect (earliest dates), by relation and by pair of event types."""

    by_relation: list[dict]
    by_types: list[dict]
    overall: dict

    def to_dict(self) -> dict:
        return {"overall": self.overall, "by_relation": self.by_relation, "by_types": self.by_types}

    def to_text(self) -> str:
        lines = ["Days from cause to effect (earliest dates)."]

        def table(title, rows):
            width = max([len(r["key"]) for r in rows] + [len(title)])
            lines.append("")
            lines.append(f"{title:<{width}}  {'count':>6}  {'min':>5}  {'median':>7}  {'max':>5}")
            for r in rows:
                if not r["count"]:
                    lines.append(f"{r['key']:<{width}}  {0:>6}  {'-':>5}  {'-':>7}  {'-':>5}")
                    continue
                lines.append(f"{r['key']:<{width}}  {r['count']:>6}  {r['min']:>5}  {r['median']:>7g}  {r['max']:>5}")

        table("relation", self.by_relation + [self.overall])
        table("cause type -> effect type", self.by_types)
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        rows = [("relation", r) for r in self.by_relation] + [("types", r) for r in self.by_types] \
            + [("all", self.overall)]
        return _csv(["by", "key", "count", "min", "median", "max"],
                    ([by, r["key"], r["count"], r["min"], r["median"], r["max"]] for by, r in rows))


def _stats(key: str, days: list[int]) -> dict:
    if not days:
        return {"key": key, "count": 0, "min": None, "median": None, "max": None}
    median = statistics.median(days)  # an int for an odd count, a float for an even one: whole numbers as ints
    return {"key": key, "count": len(days), "min": min(days), "median": int(median) if median == int(median) else median,
            "max": max(days)}


def lags(graph) -> Lags:
    """The distribution of cause-to-effect lags in days (effect's earliest date minus cause's), over causal edges."""
    net = _network(graph)
    by_relation: dict[str, list[int]] = {}
    by_types: dict[str, list[int]] = {}
    every = []
    for u, v, a in net.edges(data=True):
        if not a["causal"]:
            continue
        cu, cv = net.nodes[u], net.nodes[v]
        days = (cv["date"] - cu["date"]).days
        every.append(days)
        by_relation.setdefault(a["relation"], []).append(days)
        by_types.setdefault(f"{cu['type']} -> {cv['type']}", []).append(days)
    return Lags([_stats(k, sorted(d)) for k, d in sorted(by_relation.items())],
                [_stats(k, sorted(d)) for k, d in sorted(by_types.items())],
                _stats("all", every))
