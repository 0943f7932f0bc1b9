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
Attributes that a node or edge lacks are absent, never None. A node or claim that a hand-edited graph gives
several values of a single-valued property (two types, two summaries) takes the smallest; several dates give
the earliest earliest date and the latest latest date.

The graph is read with targeted SPARQL queries (graph/queries/network-*.rq), never by walking triples: the
events (by parley:eventType), claims, actors and levers (by class), each with its attributes; the structural
edges, disputants, sources' attributes and direct causal edges one allow-listed property at a time
(network-property). On Oxigraph the answers are read as TSV, several queries at once (see _Reader).
"""

from __future__ import annotations

import datetime as dt
import re

from ..events.model import EVENT_TYPES, group_of
from ..ontology.namespace import (
    ACTOR_CLASSES, LEVER_CLASSES, PARLEY, PROPERTY_RELATIONS, PROV, RELATION_PROPERTIES, SEM, TYPE,
)

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

_DCT = "http://purl.org/dc/terms/"
_SCHEMA = "https://schema.org/"
# Properties read one at a time with network-property (the rest come with network-events / network-claims).
CLAIM_PROPERTIES = {"relation": PARLEY.relation, "cause": PARLEY.cause, "effect": PARLEY.effect,
                    "disputant": PARLEY.disputedBy}
SOURCE_PROPERTIES = {"url": _SCHEMA + "url", "title": _DCT + "title", "publisher": _DCT + "publisher",
                     "date": _DCT + "date"}

# Rows are read as cells in the syntax of SPARQL TSV results (<iri>, "literal"^^<type>, _:b, a bare number,
# "" when unbound); lookups below are by cell.
_RELATIONS = {f"<{k}>": v for k, v in PROPERTY_RELATIONS.items()}
_ACTOR_KINDS = {f"<{v}>": k for k, v in ACTOR_CLASSES.items()}
_LEVER_KINDS = {f"<{v}>": k for k, v in LEVER_CLASSES.items()}
# Which node kinds each structural edge may join (subject kind, object kind).
_STRUCTURAL_ENDS = {
    "actor": {("event", "actor")},
    "target": {("event", "actor"), ("lever", "actor")},
    "lever": {("event", "lever")},
    "imposed-by": {("lever", "actor")},
    "source": {("event", "source"), ("lever", "source")},
}


# --- reading: cells ---------------------------------------------------------------------------------------------

class _Reader:
    """The network's queries on one graph, each answer as (columns, cells row after row), a cell being a term
    as SPARQL TSV results write it.

    On an Oxigraph-backed graph pyoxigraph answers and writes TSV without making a Python object a term
    (iterating the solutions costs about twice as much: an object a row and a term, the GIL taken a row), and
    it lets go of the GIL meanwhile, so queries started ahead (`start`) run in worker threads while this
    thread reads the answers before them. Other stores answer through run_query, one query at a time, and
    their terms are written the same way.
    """

    def __init__(self, graph, *, workers: int = 0):
        from .query import _oxigraph_target

        self.graph = graph
        self._direct = _oxigraph_target(graph)
        self._pool = None
        if self._direct is not None and workers:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parley-network")
        self._started: dict = {}
        self._pairs: dict = {}
        self._first: dict = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def start(self, *jobs) -> None:
        """Start these queries ahead: each a query name, or a property IRI (read with network-property)."""
        if self._pool is None:
            return
        for job in jobs:
            key = self._key(job)
            if key not in self._started:
                self._started[key] = self._pool.submit(self._tsv, self._text(key))

    @staticmethod
    def _key(job) -> tuple:
        job = str(job)
        return ("network-property", job) if ":" in job else (job, None)  # an IRI, or a query name

    def _text(self, key: tuple) -> str:
        from .query import bind_params, named_query, with_values

        name, prop = key
        q = named_query(name)
        return with_values(q.text, bind_params(self.graph, q, {"property": prop} if prop else {}))

    def _tsv(self, text: str) -> bytes:
        import pyoxigraph as ox

        from .query import QueryError

        inner, options = self._direct
        try:
            return inner.query(text, **options).serialize(format=ox.QueryResultsFormat.TSV)
        except (SyntaxError, ValueError, OSError) as e:
            raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None

    def cells(self, job) -> tuple[list[str], list[str]]:
        """(columns, cells) of a query name or a property IRI."""
        key = self._key(job)
        if self._direct is None:
            from .query import run_query

            name, prop = key
            rows = run_query(self.graph, name, params={"property": prop} if prop else None)
            return rows.columns, [_cell(r.get(c)) for r in rows for c in rows.columns]
        future = self._started.pop(key, None)
        data = future.result() if future is not None else self._tsv(self._text(key))
        head, _, body = data.decode("utf-8").partition("\n")
        columns = [c[1:] for c in head.split("\t")]
        # Tabs and line breaks inside a literal are escaped (\t, \n), so these split only between cells.
        cells = body.replace("\n", "\t").split("\t")
        cells.pop()  # after the last line break (or the whole of an empty body)
        return columns, cells

    def pairs(self, iri) -> tuple[list[str], list[str]]:
        """(subjects, values) of every statement of an allow-listed property."""
        iri = str(iri)
        if iri not in self._pairs:
            _, cells = self.cells(iri)
            self._pairs[iri] = (cells[0::2], cells[1::2])
        return self._pairs[iri]

    def single(self, iri) -> dict:
        """{subject: value} of a property; the smallest value for a subject with several."""
        iri = str(iri)
        if iri not in self._first:
            self._first[iri] = _single(self.pairs(iri))
        return self._first[iri]


def _cell(term) -> str:
    """An rdflib term (or None) as a TSV results cell."""
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"' + text.replace("\r", "\\r") + '"'


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(m: re.Match) -> str:
    s = m.group(1)
    return chr(int(s[1:], 16)) if len(s) > 1 else _ESCAPED.get(s, s)


def _text(cell: str) -> str | None:
    """A cell's text, as run_query_text gives it: the IRI, a literal's lexical form, a blank node's id; None
    when unbound."""
    if not cell:
        return None
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == '"':
        lexical = cell[1:cell.rindex('"')]  # then @lang or ^^<datatype>, which hold no quote
        return _ESCAPE.sub(_unescape, lexical) if "\\" in lexical else lexical
    if cell.startswith("_:"):
        return cell[2:]
    return cell  # a number or boolean, written bare


def _cell_order(cell: str) -> tuple:
    """Sort key of a cell by its text (what the docstring's "smallest" means); the cell breaks ties.

    Cells themselves do not sort by text: Oxigraph writes numbers bare and other stores quote them, and
    escapes sort as backslashes.
    """
    return (_text(cell) or "", cell)


def _least(cells) -> str:
    return min(cells, key=_cell_order)


def _single(pairs: tuple[list, list], choose=_least) -> dict:
    """{subject: value} of a property; a subject with several values gets `choose(values)`."""
    subjects, values = pairs
    table = dict(zip(subjects, values))
    if len(table) < len(subjects):  # some subject has several values (or one statement came twice)
        grouped = _grouped(pairs)
        table = {s: v[0] if len(v) == 1 else choose(v) for s, v in grouped.items()}
    return table


def _grouped(pairs: tuple[list, list]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for s, v in zip(*pairs):
        grouped.setdefault(s, []).append(v)
    return grouped


def _local(iri: str, namespace) -> str:
    ns = str(namespace)
    return iri[len(ns):] if iri.startswith(ns) else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Days(dict):
    """cell -> datetime.date or None, each distinct cell parsed once."""

    def __missing__(self, cell):
        text = _text(cell)
        try:
            day = dt.date.fromisoformat(text[:10]) if text is not None else None
        except ValueError:  # a malformed date in a hand-edited graph is as good as none
            day = None
        self[cell] = day
        return day


# --- nodes ------------------------------------------------------------------------------------------------------

def _rows(reader: _Reader, query: str, merge: dict) -> list[tuple]:
    """The rows of a query as tuples of cells, one row a subject (the first column): the rows of a subject
    that several values of a property gave several rows are merged, each column by `merge[column]`
    (a function of the cells, the smallest by default)."""
    columns, cells = reader.cells(query)
    width = len(columns)
    keys = cells[0::width]
    rows = list(zip(*(cells[i::width] for i in range(width))))
    if len(set(keys)) == len(keys):
        return rows
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    choose = [merge.get(c, _smallest) for c in columns]
    return [group[0] if len(group) == 1 else
            tuple(pick({r[i] for r in group}) for i, pick in enumerate(choose)) for group in grouped.values()]


def _smallest(cells: set) -> str:
    known = cells - {""}
    return _least(known) if known else ""


def _event_nodes(reader: _Reader) -> dict[str, dict]:
    """{event cell: attributes} for every event with an event type."""
    days = _Days()
    merge = {"earliest": lambda cells: min(cells, key=lambda c: (days[c] is None, days[c] or dt.date.min)),
             "latest": lambda cells: max(cells, key=lambda c: (days[c] is not None, days[c] or dt.date.min))}
    rows = _rows(reader, "network-events", merge)
    types: dict[str, tuple[str, str]] = {}  # type cell -> (type, group)
    # Few distinct values: each converted once.
    for cell in {r[1] for r in rows}:
        etype = _local(_text(cell), TYPE)
        types[cell] = (etype, group_of(etype) if etype in EVENT_TYPES else "other")
    words = {cell: _text(cell) for cell in {r[5] for r in rows}}
    promised = {cell: _local(_text(cell), TYPE) for cell in {r[7] for r in rows} if cell}
    nodes: dict[str, dict] = {}
    for key, type_cell, id_cell, earliest, latest, precision, summary, promises, defined_at in rows:
        etype, group = types[type_cell]
        ident = _text(id_cell) or _text(key)
        a = nodes[key] = {"kind": "event", "id": ident, "type": etype, "group": group, "label": ident}
        date = days[earliest] if earliest else None
        if date is not None:
            a["date"] = date
        last = days[latest] if latest else None
        if last is not None:
            a["date_latest"] = last
        if precision:
            a["precision"] = words[precision]
        if summary:
            a["summary"] = _text(summary)
        if promises:
            a["promises"] = promised[promises]
        if defined_at:
            a["defined_at"] = _text(defined_at)
        if date is not None and last is None:
            a["date_latest"] = date
    return nodes


def _typed_nodes(reader: _Reader, query: str, kind: str, kinds: dict, extra: dict) -> dict[str, dict]:
    """{node cell: attributes}; a node given several values of an attribute keeps the smallest (few nodes: a
    row at a time)."""
    columns, cells = reader.cells(query)
    width = len(columns)
    nodes: dict[str, dict] = {}
    chosen: dict[tuple, str] = {}  # (node cell, attribute) -> the cell it was taken from
    attributes = (("id", "id"), ("label", "label"), *extra.items(), ("definedAt", "defined_at"))
    for i in range(0, len(cells), width):
        r = dict(zip(columns, cells[i:i + width]))
        key = r[kind]
        a = nodes.get(key)
        if a is None:
            a = nodes[key] = {"kind": kind, "id": None, "type": kinds[r["class"]], "group": kind}
        for column, attr in attributes:
            cell = r[column]
            if cell and ((key, attr) not in chosen or _cell_order(cell) < _cell_order(chosen[key, attr])):
                chosen[key, attr] = cell
                a[attr] = _text(cell)
    for key, a in nodes.items():
        if a["id"] is None:
            a["id"] = _text(key)
        a.setdefault("label", a["id"])
    return nodes


def _actor_nodes(reader: _Reader) -> dict[str, dict]:
    return _typed_nodes(reader, "network-actors", "actor", _ACTOR_KINDS, {"country": "country", "role": "role"})


def _lever_nodes(reader: _Reader) -> dict[str, dict]:
    return _typed_nodes(reader, "network-levers", "lever", _LEVER_KINDS, {"legalBasis": "legal_basis", "scope": "scope"})


def _source_citations(props: _Reader) -> tuple[dict[str, dict], tuple[list, list]]:
    """({source cell: attributes}, (citing cells, source cells)) for every source an event, lever or claim
    cites."""
    _, cells = props.cells("network-citations")
    citations = (cells[0::2], cells[1::2])
    p = {k: props.single(iri) for k, iri in SOURCE_PROPERTIES.items()}
    days = _Days()
    nodes: dict[str, dict] = {}
    for key in dict.fromkeys(citations[1]):
        a = nodes[key] = {"kind": "source", "type": "source", "group": "source"}
        cell = p["url"].get(key)
        a["id"] = _text(key) if cell is None else _text(cell)
        cell = p["title"].get(key)
        a["label"] = a["id"] if cell is None else _text(cell)
        cell = p["publisher"].get(key)
        if cell is not None:
            a["publisher"] = _text(cell)
        cell = p["date"].get(key)
        if cell is not None and days[cell] is not None:
            a["date"] = days[cell]
    return nodes, citations


def event_nodes(graph) -> dict[str, dict]:
    """{event IRI: attributes} for every event with an event type."""
    return {_text(k): a for k, a in _event_nodes(_Reader(graph)).items()}


def actor_nodes(graph) -> dict[str, dict]:
    """{actor IRI: attributes} for every actor."""
    return {_text(k): a for k, a in _actor_nodes(_Reader(graph)).items()}


def lever_nodes(graph) -> dict[str, dict]:
    """{lever IRI: attributes} for every lever."""
    return {_text(k): a for k, a in _lever_nodes(_Reader(graph)).items()}


def source_citations(graph) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """({source IRI: attributes}, [(citing node IRI, source IRI)]) for every source an event, lever or claim
    cites; a source's id is its URL."""
    nodes, (citing, cited) = _source_citations(_Reader(graph))
    return {_text(k): a for k, a in nodes.items()}, [(_text(s), _text(o)) for s, o in zip(citing, cited)]


# --- the network ------------------------------------------------------------------------------------------------

def network_graph(graph, *, sources: bool = True):
    """The network of an rdflib graph: a networkx MultiDiGraph (see the module docstring).

    `sources=False` leaves out the source nodes, their edges and the URLs on causal edges, and skips the
    queries that find them (the analyses do not need them).
    """
    from .query import collector_paused

    # The projection makes a few million dicts, tuples and strings that all live on; the cyclic collector
    # would walk the growing heap again and again (a quarter of the time at 100,000 events) and find nothing.
    with collector_paused(), _Reader(graph, workers=2) as reader:
        reader.start(*projection_queries(sources=sources))
        return _network(reader, sources)


def projection_queries(*, sources: bool = True) -> list[str]:
    """What network_graph asks, in the order it reads the answers: query names, and property IRIs (each read
    with network-property)."""
    jobs = ["network-events", "network-claims", "network-actors", "network-levers",
            *(str(p) for p, relation in STRUCTURAL_PREDICATES.items() if relation != "source")]
    if sources:
        jobs += ["network-citations", *SOURCE_PROPERTIES.values()]
    return jobs + [str(CLAIM_PROPERTIES["disputant"]), *map(str, PROPERTY_RELATIONS)]


def _network(props: _Reader, sources: bool):
    nodes = _event_nodes(props)
    nodes.update(_actor_nodes(props))
    nodes.update(_lever_nodes(props))
    name = {cell: _text(cell) for cell in nodes}  # node cell -> IRI, the networkx key
    structural = []
    kinds = {cell: a["kind"] for cell, a in nodes.items()}
    for predicate, relation in STRUCTURAL_PREDICATES.items():
        if relation == "source":
            continue  # sources are nodes only with sources=True (below)
        allowed = _STRUCTURAL_ENDS[relation]
        subjects, objects = props.pairs(predicate)
        # A literal object is no node (nodes are IRIs, and cells keep the difference): it never matches.
        structural += [(name[s], name[o], relation) for s, o in zip(subjects, objects)
                       if (kinds.get(s), kinds.get(o)) in allowed]
    cited: dict[str, list[str]] = {}
    source_table: dict[str, dict] = {}
    if sources:
        source_table, (citing, cited_sources) = _source_citations(props)
        source_name = {cell: _text(cell) for cell in source_table}
        for s, o in zip(citing, cited_sources):
            if kinds.get(s) in ("event", "lever"):
                structural.append((name[s], source_name[o], "source"))
            cited.setdefault(s, []).append(source_table[o]["id"])  # a claim's sources go on its causal edge
    causal, claimed, incomplete = _claim_edges(props, nodes, cited if sources else None)
    structural.sort()
    edges = [(s, o, relation, {"relation": relation, "causal": False}) for s, o, relation in structural]
    edges += causal
    edges += _unclaimed_edges(props, nodes, claimed)
    node_list = sorted((name[cell], a) for cell, a in nodes.items())
    if sources:
        node_list += sorted((source_name[cell], a) for cell, a in source_table.items())
    net = _multidigraph(node_list, edges)
    net.graph["incomplete_claims"] = incomplete
    return net


def _multidigraph(nodes: list, edges: list):
    """A MultiDiGraph with these nodes [(node, attributes)] and edges [(u, v, key, attributes)], in this order,
    u and v among the nodes; the same graph as add_nodes_from then add_edges_from give.

    networkx's add_edges_from costs several µs an edge (add_edge, then views to update the attributes), a
    second at 300,000 edges; this fills the adjacency the way MultiDiGraph.add_edge does: one key dict an
    ordered pair, shared by _succ[u][v] and _pred[v][u]; a repeated node or key updates its attributes.
    The attribute dicts are used as given: each must belong to one node or edge.
    """
    import networkx as nx

    net = nx.MultiDiGraph()
    node, succ, pred = net._node, net._succ, net._pred
    for n, a in nodes:
        if n in node:
            node[n].update(a)
        else:
            node[n] = a
            succ[n] = {}
            pred[n] = {}
    for u, v, key, a in edges:
        out = succ[u]
        keys = out.get(v)
        if keys is None:
            keys = out[v] = pred[v][u] = {}
        if key in keys:
            keys[key].update(a)
        else:
            keys[key] = a
    return net


def _complete_event(nodes: dict, cell: str | None) -> bool:
    a = nodes.get(cell) if cell is not None else None
    return a is not None and a["kind"] == "event" and "date" in a


def _claim_edges(reader: _Reader, nodes: dict, claim_sources: dict | None) -> tuple[list, set, list[dict]]:
    """(causal edges in claim IRI order, the (cause, relation, effect) cells the claims record, incomplete
    claims)."""

    def causal_first(cells):  # a claim with several relations is an edge of its causal one, if any
        return min(cells, key=lambda c: (c not in _RELATIONS, *_cell_order(c)))

    rows = _rows(reader, "network-claims", {"relation": causal_first})
    claimed = {(cause, relation, effect) for _, relation, cause, effect, *_ in rows}
    disputants = _grouped(reader.pairs(CLAIM_PROPERTIES["disputant"]))

    def node_name(cell):
        a = nodes.get(cell)
        return a["id"] if a is not None else _text(cell)

    claims = []
    for key, relation_cell, cause, effect, id_cell, claimant, confidence, level, evidence, defined_at in rows:
        relation = _RELATIONS.get(relation_cell)
        if relation is None:  # not one of the causal properties: outside the allow-list
            continue
        text = _text(key)
        a = {"relation": relation, "causal": True, "claim": _text(id_cell) or text}
        if claimant:
            a["claimant"] = node_name(claimant)
        if confidence:
            try:
                a["confidence"] = float(_text(confidence))
            except ValueError:
                pass
        if level:
            a["confidence_level"] = _text(level)
        if evidence:
            a["evidence"] = _text(evidence)
        if defined_at:
            a["defined_at"] = _text(defined_at)
        names = {node_name(c) for c in disputants[key]} if key in disputants else ()
        a["disputed"] = bool(names)
        a["disputed_by"] = tuple(sorted(names))
        if claim_sources is not None:
            a["sources"] = tuple(sorted(set(claim_sources.get(key, ()))))
        claims.append((text, cause or None, effect or None, a))
    claims.sort(key=lambda c: c[0])
    edges, incomplete = [], []
    for _, cause, effect, a in claims:
        missing = [side for side, cell in (("cause", cause), ("effect", effect)) if not _complete_event(nodes, cell)]
        if missing:
            ends = {"cause": cause, "effect": effect}
            incomplete.append({
                "claim": a["claim"], "relation": a["relation"], "defined_at": a.get("defined_at"),
                "cause": _endpoint_name(nodes, cause), "effect": _endpoint_name(nodes, effect),
                "missing": {side: _missing_what(nodes, ends[side]) for side in missing},
            })
            continue
        edges.append((_text(cause), _text(effect), a["claim"], a))
    return edges, claimed, incomplete


def _claimed(cause: tuple, relation: tuple, effect: tuple) -> set:
    """{(cause, relation, effect)} of every node that has all three (each combination, if it has several)."""
    single = [dict(zip(*pairs)) for pairs in (cause, relation, effect)]
    if all(len(table) == len(pairs[0]) for table, pairs in zip(single, (cause, relation, effect))):
        causes, relations, effects = single  # one value each: no combinations to make
        return {(causes[s], r, effects[s]) for s, r in relations.items() if s in causes and s in effects}
    causes, relations, effects = _grouped(cause), _grouped(relation), _grouped(effect)
    return {(c, r, e) for s, rs in relations.items() for r in rs
            for c in causes.get(s, ()) for e in effects.get(s, ())}


def _endpoint_name(nodes: dict, cell: str | None) -> str | None:
    if cell is None:
        return None
    a = nodes.get(cell)
    return a["id"] if a is not None and a["kind"] == "event" else _text(cell)


def _missing_what(nodes: dict, cell: str | None) -> str:
    if cell is None:
        return "not given"
    a = nodes.get(cell)
    if a is None or a["kind"] != "event":
        return "no event type"
    return "no date"


def _unclaimed_edges(props: _Reader, nodes: dict, claimed: set) -> list:
    """Direct causal edges (faro:causes, parley:inExchangeFor, ...) between complete events that no claim node
    records, in (cause, effect, relation) order."""
    direct = [(cause, f"<{predicate}>", effect) for predicate in PROPERTY_RELATIONS
              for cause, effect in zip(*props.pairs(predicate))]
    candidates = [edge for edge in direct if edge not in claimed]
    if candidates:  # rare: also any node that records them without being typed a claim
        claimed = _claimed(*(props.pairs(CLAIM_PROPERTIES[k]) for k in ("cause", "relation", "effect")))
    found = {(_text(cause), _text(effect), _RELATIONS[p]) for cause, p, effect in candidates
             if (cause, p, effect) not in claimed and _complete_event(nodes, cause) and _complete_event(nodes, effect)}
    return [(cause, effect, relation, {"relation": relation, "causal": True, "claim": "", "disputed": False})
            for cause, effect, relation in sorted(found)]


def causal_graph(net):
    """The causal part of a network: event nodes and causal edges, as a new MultiDiGraph sharing attributes."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from((n, a) for n, a in net.nodes(data=True) if a["kind"] == "event")
    g.add_edges_from((u, v, k, a) for u, v, k, a in net.edges(keys=True, data=True) if a["causal"])
    return g
