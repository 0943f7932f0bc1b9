"""Validate a timeline: SHACL shapes on its graph, plus the checks SHACL does poorly, run on the model.

    report = validate(timeline)
    report.ok            # True when nothing was found
    print(report.to_text())

On the graph, pyshacl checks ontology/shapes.ttl with the ontology (parley.ttl and event-types.ttl) mixed in, so
that `sh:targetClass parley:Event` and `sh:class parley:Actor` see the subclasses. No inference is run: the
subclass axioms are all the shapes need, and RDFS inference finds nothing more on a 60-event timeline while
taking 0.75 s of CPU instead of 0.05 s.

On the model: an effect dated before its cause (`anachronism`), causal claims that form a cycle (`cycle`),
relief without a lever (`relief-without-lever`) and a commitment that does not say what it promises
(`commitment-without-promise`).

Each finding carries the id of the event or claim and the `file:line` where the timeline defines it; SHACL
results are mapped back from the focus node through dcterms:identifier (outcomes, quantities and sources to
the event or claim they belong to).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..events.model import GROUPS, Loc, Timeline

SEVERITIES = ("violation", "warning")
MAX_CYCLES = 100  # a dense knot of claims has exponentially many cycles; the first hundred say enough


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, what kind, which event or claim, where it is written, and what is wrong."""

    severity: str
    code: str
    id: str | None
    loc: Loc | None
    message: str

    def to_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "id": self.id,
                "file": self.loc.file if self.loc else None, "line": self.loc.line if self.loc else None,
                "message": self.message}

    def to_text(self) -> str:
        where = str(self.loc) if self.loc else "-"
        return f"{where}: {self.code}: {self.id or '-'}: {self.message}"


@dataclass
class Report:
    """The findings of one validation, in file and line order; render with to_text(), to_dict(), to_json()."""

    timeline: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> str:
        if self.ok:
            return f"{self.timeline}: ok, no findings"
        n = len(self.findings)
        parts = [f"{self.count(s)} {s}{'s' if self.count(s) != 1 else ''}" for s in SEVERITIES if self.count(s)]
        return f"{self.timeline}: {n} finding{'s' if n != 1 else ''} ({', '.join(parts)})"

    def to_dict(self) -> dict:
        return {"timeline": self.timeline, "ok": self.ok,
                "violations": self.count("violation"), "warnings": self.count("warning"),
                "findings": [f.to_dict() for f in self.findings]}

    def to_text(self) -> str:
        return "\n".join([*(f.to_text() for f in self.findings), self.summary()])

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def validate(timeline: Timeline, *, graph=None) -> Report:
    """Validate `timeline`: SHACL on its graph and the model checks, in one report.

    The graph is built here unless `graph` is given (any store; it is read, never changed), which lets a
    test or a caller check a graph that was edited or loaded from elsewhere against the timeline it came from.
    """
    if graph is None:
        from rdflib import Graph

        from ..ontology.namespace import bind_prefixes
        from .build import build_graph

        # A plain in-memory graph: pyshacl copies it anyway to mix in the ontology, and a
        # pure-Python store answers its many small lookups faster than a round trip to Oxigraph.
        graph = Graph()
        bind_prefixes(graph)
        build_graph(timeline, graph=graph)
        shacl = shacl_findings(timeline, graph, inplace=True)
    else:
        shacl = shacl_findings(timeline, graph)
    # Two constraints of one shape can fail on one value with one message: keep it once.
    findings = sorted(set([*shacl, *model_findings(timeline)]), key=_order)
    return Report(timeline.id, findings)


def model_findings(timeline: Timeline) -> list[Finding]:
    """The checks that are easier on the model than in SHACL."""
    return [*anachronisms(timeline), *cycles(timeline), *relief_without_lever(timeline),
            *commitments_without_promise(timeline), *deliveries_of_no_commitment(timeline)]


def anachronisms(timeline: Timeline) -> list[Finding]:
    """Claims whose effect is surely dated before its cause (the effect's latest date < the cause's earliest)."""
    out = []
    for link in timeline.links:
        cause, effect = timeline.events.get(link.cause), timeline.events.get(link.effect)
        if cause is None or effect is None:
            continue
        if effect.date.latest < cause.date.earliest:
            out.append(Finding("violation", "anachronism", link.id, link.loc,
                               f"effect '{effect.id}' ({effect.date}) is dated before its cause "
                               f"'{cause.id}' ({cause.date})"))
    return out


def cycles(timeline: Timeline) -> list[Finding]:
    """Each cycle of causal claims once, reported on its first-written claim, naming every claim in it."""
    edges: dict[tuple[str, str], list] = {}
    for link in timeline.links:
        edges.setdefault((link.cause, link.effect), []).append(link)
    knotted = _on_cycles(edges)
    if not knotted:
        return []  # the usual case, settled without importing networkx (a tenth of a second)
    import networkx as nx

    g = nx.DiGraph()
    g.add_edges_from(e for e in edges if e[0] in knotted and e[1] in knotted)
    out = []
    for nodes in itertools.islice(nx.simple_cycles(g), MAX_CYCLES):
        # Rotate so the cycle reads from its smallest event id: the same text on every run.
        i = nodes.index(min(nodes))
        nodes = nodes[i:] + nodes[:i]
        claims = [c for a, b in zip(nodes, nodes[1:] + nodes[:1]) for c in edges[a, b]]
        first = min(claims, key=lambda c: _loc_key(c.loc))
        path = " -> ".join([*nodes, nodes[0]])
        out.append(Finding("violation", "cycle", first.id, first.loc,
                           f"causal claims form a cycle: {path} (claims: {', '.join(c.id for c in claims)})"))
    return out


def _on_cycles(edges) -> set[str]:
    """The events left after repeatedly removing those with no incoming or no outgoing claim: empty iff acyclic."""
    succ: dict[str, set[str]] = {}
    pred: dict[str, set[str]] = {}
    for a, b in edges:
        succ.setdefault(a, set()).add(b)
        pred.setdefault(b, set()).add(a)
        succ.setdefault(b, set())
        pred.setdefault(a, set())
    alive = set(succ)
    todo = [n for n in alive if not succ[n] or not pred[n]]
    while todo:
        n = todo.pop()
        if n not in alive:
            continue
        alive.discard(n)
        for m in succ[n] | pred[n]:
            if m in alive:
                succ[m].discard(n)
                pred[m].discard(n)
                if not succ[m] or not pred[m]:
                    todo.append(m)
    return alive


def relief_without_lever(timeline: Timeline) -> list[Finding]:
    """Relief events (reprieve, exemption, extension, tariff-reduction) that name no lever to relieve."""
    return [Finding("warning", "relief-without-lever", e.id, e.loc,
                    f"{e.type} does not name the lever it relieves (add 'lever:')")
            for e in timeline.events.values() if e.type in GROUPS["relief"] and not e.lever]


def commitments_without_promise(timeline: Timeline) -> list[Finding]:
    """Commitments that do not say which type of event they promise."""
    return [Finding("warning", "commitment-without-promise", e.id, e.loc,
                    "commitment does not say what it promises (add 'promises:' with an event type)")
            for e in timeline.events.values() if e.type == "commitment" and not e.promises]


def deliveries_of_no_commitment(timeline: Timeline) -> list[Finding]:
    """`delivered-by` links whose cause is not a commitment: the audit reads deliveries of pledges only."""
    events = timeline.events
    return [Finding("warning", "delivery-of-no-commitment", link.id, link.loc,
                    f"delivered-by runs from a commitment to what delivered it; {link.cause!r} is a "
                    f"{events[link.cause].type}, so the audit counts this as no delivery")
            for link in timeline.links
            if link.relation == "delivered-by" and link.cause in events and events[link.cause].type != "commitment"]


# --- SHACL -------------------------------------------------------------------------------------------------------

def _ttl(name: str) -> str:
    return resources.files("parley.ontology").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shapes_graph():
    """ontology/shapes.ttl, parsed once."""
    from rdflib import Graph

    return Graph().parse(data=_ttl("shapes.ttl"), format="turtle")


@lru_cache(maxsize=1)
def ontology_graph():
    """ontology/parley.ttl and event-types.ttl in one graph, parsed once."""
    from rdflib import Graph

    g = Graph()
    for name in ("parley.ttl", "event-types.ttl"):
        g.parse(data=_ttl(name), format="turtle")
    return g


def shacl_findings(timeline: Timeline, graph, *, inplace: bool = False) -> list[Finding]:
    """pyshacl's results on `graph`, each mapped back to the event or claim it concerns.

    With `inplace`, the ontology is mixed into `graph` itself rather than into a copy (for a graph built
    only to be validated: the copy costs a fifth of the time).
    """
    import pyshacl
    from rdflib import RDF, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                     inference="none", allow_warnings=True, inplace=inplace)
    owner = _Owner(graph, timeline)
    out = []
    for r in results.subjects(RDF.type, sh.ValidationResult):
        focus = results.value(r, sh.focusNode)
        path = results.value(r, sh.resultPath)
        value = results.value(r, sh.value)
        message = str(results.value(r, sh.resultMessage) or "does not conform to its shape")
        severity = "violation" if results.value(r, sh.resultSeverity) == sh.Violation else "warning"
        ident, note = owner(focus)
        details = []
        if note:
            details.append(note)
        if path is not None and not _message_names(message, graph, path):
            details.append(f"path {_curie(graph, path)}")
        if value is not None:
            details.append(f"value {_show(graph, value)}")
        text = message + (f" ({'; '.join(details)})" if details else "")
        out.append(Finding(severity, "shacl", ident, timeline.loc_of(ident) if ident else None, text))
    return out


class _Owner:
    """Map a focus node to the id of the event, claim, actor or lever it is or belongs to."""

    def __init__(self, graph, timeline: Timeline):
        from rdflib.namespace import DCTERMS

        from ..ontology.namespace import PARLEY, PROV

        self.graph, self.timeline = graph, timeline
        self.identifier = DCTERMS.identifier
        # The links from a part back to its owner: event -> outcome, event/outcome -> quantity, * -> source.
        self.parents = ((PARLEY.hasOutcome, "outcome"), (PARLEY.quantity, "quantity"),
                        (PROV.hadPrimarySource, "source"))

    def __call__(self, node, depth: int = 0) -> tuple[str | None, str | None]:
        if node is None:
            return None, None
        idents = sorted(str(i) for i in self.graph.objects(node, self.identifier))
        if idents:
            return idents[0], None
        if depth < 3:
            for prop, kind in self.parents:
                owners = sorted({o for o in (self(s, depth + 1)[0] for s in self.graph.subjects(prop, node)) if o},
                                key=lambda i: _loc_key(self.timeline.loc_of(i)))
                if owners:
                    return owners[0], f"its {kind} {_curie(self.graph, node)}"
        return None, f"node {_curie(self.graph, node)}"


def _message_names(message: str, graph, path) -> bool:
    return _curie(graph, path) in message


def _curie(graph, term) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:  # noqa: BLE001 - a term rdflib cannot shorten is shown in full
        return f"<{term}>"


def _show(graph, value) -> str:
    from rdflib import Literal

    if isinstance(value, Literal):
        return value.n3(graph.namespace_manager)
    return _curie(graph, value)


def _loc_key(loc: Loc | None) -> tuple:
    return (loc is None, loc.file if loc else "", loc.line if loc else 0)


def _order(f: Finding) -> tuple:
    return (*_loc_key(f.loc), f.code, f.id or "", f.message)
