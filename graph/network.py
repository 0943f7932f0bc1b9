"""The RDF graph projected onto a networkx MultiDiGraph: events, actors, levers and sources as typed nodes.

Nodes are keyed by IRI (ids may repeat across merged timelines; IRIs do not) and carry `kind` (event, actor,
lever, source), `id` (dcterms:identifier; a source's URL), `type` (event type, actor kind, lever kind, or
"source"), `group` (an event's audit group; the kind for the rest), `label`, and for events `date` and
`date_latest` (datetime.date, the earliest and latest begin dates), `precision`, `summary`, `promises`,
`defined_at` ("file:line"). A network projected with `details=False` has no `precision` or `summary`, nor the
causal edges' `claimant`, `confidence`, `confidence_level` or `evidence`, and says so: `graph["details"]` is
False (it is absent otherwise).

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

The graph is read with targeted SPARQL queries (graph/queries/network-*.rq), never by walking triples: the events
(by parley:eventType), claims (by parley:relation), actors and levers (by class), each with its attributes; the
structural edges, disputants, sources' attributes, direct causal edges and the attributes few nodes have
(promises, definedAt) one allow-listed property at a time (network-property). On Oxigraph the answers are read as
TSV, several queries at once in two worker threads, the events one type at a time and the claims one relation at a
time so that this thread builds the network from the parts as they come while the workers answer the rest (see
_Reader and _jobs); the type and the relation, the same in every row of a part, are no column of the queries
(asked whole, they are read with network-property). The structural edges are grouped by subject as they come,
while the workers answer the events; once the events are read, the edges of subjects that are no nodes of a kind
their relation allows are left out, and the rest put in the graph subject by subject, in the order the nodes are
sorted, instead of sorting every edge.
"""

from __future__ import annotations

import datetime as dt
from itertools import compress, repeat
from operator import itemgetter

from ..events.model import EVENT_TYPES, group_of
from ..ontology.namespace import (
    ACTOR_CLASSES, LEVER_CLASSES, PARLEY, PROPERTY_RELATIONS, PROV, RELATION_PROPERTIES, SEM, TYPE,
)
from .tsv import cell as _cell, solution_cells as _solution_cells, split as _split, text as _text, texts as _texts

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
# Properties read one at a time with network-property (the rest come with network-events / network-claims, or
# without the details network-event-dates / network-claim-ends).
CLAIM_PROPERTIES = {"relation": PARLEY.relation, "cause": PARLEY.cause, "effect": PARLEY.effect,
                    "disputant": PARLEY.disputedBy}
# What few events and claims have, read a property at a time (an OPTIONAL would cost as much over all of them).
SPARSE_PROPERTIES = {"promises": PARLEY.promises, "defined_at": PARLEY.definedAt}
SOURCE_PROPERTIES = {"url": _SCHEMA + "url", "title": _DCT + "title", "publisher": _DCT + "publisher",
                     "date": _DCT + "date"}

# Rows are read as cells in the syntax of SPARQL TSV results (<iri>, "literal"^^<type>, _:b, a bare number,
# "" when unbound); lookups below are by cell.
_RELATIONS = {f"<{k}>": v for k, v in PROPERTY_RELATIONS.items()}
_ACTOR_KINDS = {f"<{v}>": k for k, v in ACTOR_CLASSES.items()}
_LEVER_KINDS = {f"<{v}>": k for k, v in LEVER_CLASSES.items()}
# Which node kinds each structural edge may join: (subject kinds, object kinds).
_STRUCTURAL_ENDS = {
    "actor": (("event",), ("actor",)),
    "target": (("event", "lever"), ("actor",)),
    "lever": (("event",), ("lever",)),
    "imposed-by": (("lever",), ("actor",)),
    "source": (("event", "lever"), ("source",)),
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
        self._later = None  # (set once the jobs of start_after are started, their keys)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def start(self, *jobs) -> None:
        """Start these queries ahead: each a query name, a property IRI (read with network-property), or
        (query name, {parameter: value})."""
        if self._pool is None:
            return
        for job in jobs:
            key = self._key(job)
            if key not in self._started:
                self._started[key] = self._pool.submit(self._answer, self._text(key))

    def start_after(self, jobs: list, later: list, order) -> None:
        """Once these started jobs are answered, start the jobs `later` in the order `order(later, {job: its
        number of cells})` gives: in the worker that answers the last, as this thread may be busy then (`cells`
        of a job of `later` waits for it). Without workers, nothing."""
        if self._pool is None:
            return
        import threading

        futures = {job: self._started[self._key(job)] for job in jobs}
        pending, lock, started = [len(futures)], threading.Lock(), threading.Event()

        def done(_):
            with lock:
                pending[0] -= 1
                if pending[0] > 0:
                    return
            try:
                try:
                    counts = {job: len(f.result()[1]) for job, f in futures.items()}
                except BaseException:  # noqa: BLE001 -- a failed or cancelled query: its error shows when this
                    return  # thread reads it, and `cells` asks what was not started itself
                try:
                    self.start(*order(later, counts))
                except RuntimeError:  # the reader closed first: no one reads these
                    pass
            finally:
                started.set()
                futures.clear()  # the futures keep this callback: no cycle keeps them, their answers, the reader

        if not futures:  # nothing to wait for
            self.start(*later)
            return
        self._later = started, {self._key(job) for job in later}
        for future in list(futures.values()):  # (a future already done calls back at once)
            future.add_done_callback(done)

    def answered(self, jobs: list):
        """The jobs, in the order their answers come (those not started first, as given)."""
        if self._later is not None and any(self._key(job) in self._later[1] for job in jobs):
            self._later[0].wait()
        futures = {}
        for job in jobs:
            future = self._started.get(self._key(job))
            if future is None:
                yield job
            else:
                futures[future] = job
        if futures:
            from concurrent.futures import as_completed

            for future in as_completed(futures):
                yield futures[future]

    @staticmethod
    def _key(job) -> tuple:
        if isinstance(job, tuple):
            name, params = job
            return name, tuple(params.items())
        job = str(job)
        return ("network-property", (("property", job),)) if ":" in job else (job, ())  # an IRI, or a name

    def _text(self, key: tuple) -> str:
        from .query import bind_params, named_query, with_values

        name, params = key
        q = named_query(name)
        return with_values(q.text, bind_params(self.graph, q, dict(params)))

    def _tsv(self, text: str) -> bytes:
        import pyoxigraph as ox

        from .query import QueryError

        inner, options = self._direct
        try:
            return inner.query(text, **options).serialize(format=ox.QueryResultsFormat.TSV)
        except (SyntaxError, ValueError, OSError, RuntimeError) as e:
            raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None

    def split(self, name: str, param: str, values) -> list:
        """The jobs that ask query `name` once a value of its optional parameter `param`, so that its answer
        comes in parts: the workers answer the next parts while this thread reads the first, and the first
        comes early. Only on Oxigraph and for IRIs; otherwise the one query."""
        from .query import QueryError

        jobs = [(name, {param: value}) for value in values]
        if self._pool is None or not jobs:
            return [name]
        try:
            for job in jobs:
                self._text(self._key(job))  # each value binds (an IRI that a query parameter takes)
        except QueryError:
            return [name]
        return jobs

    def cells(self, job) -> tuple[list[str], list[str]]:
        """(columns, cells) of a job (see start)."""
        key = self._key(job)
        if self._direct is None:
            from .query import run_query

            name, params = key
            rows = run_query(self.graph, name, params=dict(params) or None)
            return rows.columns, [_cell(r.get(c)) for r in rows for c in rows.columns]
        if self._later is not None and key in self._later[1]:
            self._later[0].wait()
        future = self._started.pop(key, None)
        return future.result() if future is not None else self._answer(self._text(key))

    def _answer(self, text: str) -> tuple[list[str], list[str]]:
        """(columns, cells) of a query. In a worker, the cells are split there: while this thread waits for
        the first answers, the workers split the ones it will read next."""
        head, _, body = self._tsv(text).decode("utf-8").partition("\n")
        columns = [c[1:] for c in head.split("\t")]
        cells = _split(body, len(columns))
        if cells is None:  # an IRI with a raw line break or tab: read the solutions themselves
            inner, options = self._direct
            cells = _solution_cells(inner.query(text, **options))
        return columns, cells

    def pairs(self, iri) -> tuple[list[str], list[str]]:
        """(subjects, values) of every statement of an allow-listed property."""
        iri = str(iri)
        if iri not in self._pairs:
            _, cells = self.cells(iri)
            self._pairs[iri] = (cells[0::2], cells[1::2])
        return self._pairs[iri]

    def forget(self, *iris) -> None:
        """Drop the statements of these properties read so far (to free them early)."""
        for iri in map(str, iris):
            self._pairs.pop(iri, None)
            self._first.pop(iri, None)

    def single(self, iri) -> dict:
        """{subject: value} of a property; the smallest value for a subject with several."""
        iri = str(iri)
        if iri not in self._first:
            self._first[iri] = _single(self.pairs(iri))
        return self._first[iri]


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

def _columns(columns: list[str], cells: list[str], merge: dict) -> list[list[str]]:
    """The columns of an answer (lists of cells), one row a subject (the first column): the rows of a subject
    that several values of a property gave several rows are merged, each column by `merge[column]` (a
    function of the cells, the smallest by default)."""
    width = len(columns)
    table = [cells[i::width] for i in range(width)]
    keys = table[0]
    if len(set(keys)) == len(keys):
        return table
    grouped: dict[str, list] = {}
    for row in zip(*table):
        grouped.setdefault(row[0], []).append(row)
    choose = [merge.get(c, _smallest) for c in columns]
    # an event's latest date is the latest of its latest and earliest dates (a second earliest date added by hand
    # after the latest one widens the span, as every reader reads it)
    widen = (columns.index("latest"), columns.index("earliest")) if {"latest", "earliest"} <= set(columns) else None
    rows = [group[0] if len(group) == 1 else
            tuple(pick({r[i] for r in group} | ({r[widen[1]] for r in group} if widen and i == widen[0] else set()))
                  for i, pick in enumerate(choose))
            for group in grouped.values()]
    return [list(column) for column in zip(*rows)]


def _parts(reader: _Reader, jobs: list, merge: dict, whole):
    """The answers of the jobs that ask one query in parts (_Reader.split), each as its columns (_columns),
    one part at a time as it comes; then, if a subject came in several parts (an event of two types), the
    query asked whole, merged (parts merge the same rows: a hand-edited graph's rare case).

    The query does not select the parameter a part is asked for (within a part, every row has the value
    asked for): it is put back second. When the query is asked whole, `whole(subjects)` gives that column."""
    count, keys = 0, set()
    for job in reader.answered(jobs):
        table = _columns(*reader.cells(job), merge)
        if isinstance(job, tuple):
            ((_, value),) = job[1].items()
            table.insert(1, [f"<{value}>"] * len(table[0]))  # an IRI (split asks for IRIs only), as a cell
        else:
            table.insert(1, whole(table[0]))
        count += len(table[0])
        keys.update(table[0])
        yield table
    if len(keys) < count:  # only parts repeat subjects
        yield None  # what came before is to be dropped
        table = _columns(*reader.cells(jobs[0][0]), merge)
        table.insert(1, whole(table[0]))
        yield table


def _smallest(cells: set) -> str:
    known = cells - {""}
    return _least(known) if known else ""


def _drop_none(rows: list[dict], columns: dict[str, list]) -> None:
    """Delete from each row (a dict made with every key) the keys whose value in its column is None.

    Making the dicts in bulk with every key and deleting after (a deletion keeps the order of the other keys),
    column by column, takes a few C-level passes instead of a test a value.
    """
    for key, values in columns.items():
        if None not in values:
            continue
        if values.count(None) == len(values):
            for a in rows:
                del a[key]
        else:
            for a, value in zip(rows, values):
                if value is None:
                    del a[key]


def _sparse(reader: _Reader, attribute: str, convert=_text) -> dict[str, object]:
    """{subject cell: value} of one of SPARSE_PROPERTIES, each value converted once."""
    table = reader.single(SPARSE_PROPERTIES[attribute])
    converted = {cell: convert(cell) for cell in set(table.values())}
    return {subject: converted[cell] for subject, cell in table.items()}


def _event_nodes(reader: _Reader, jobs: list = ("network-events",), *, details: bool = True
                 ) -> tuple[dict[str, dict], dict[str, str], dict[str, str]]:
    """({event cell: attributes} for every event with an event type, {event cell: IRI}, the same for the events
    with a date). `jobs`: network-events, or its parts (_Reader.split); without `details`, network-event-dates
    (no precision, no summary) or its parts."""
    days = _Days()
    merge = {"earliest": lambda cells: min(cells, key=lambda c: (days[c] is None, days[c] or dt.date.min)),
             "latest": lambda cells: max(cells, key=lambda c: (days[c] is not None, days[c] or dt.date.min))}
    kinds: dict[str, tuple[str, str]] = {}  # type cell -> (type, group)
    promised, written = _sparse(reader, "promises", lambda c: _local(_text(c), TYPE)), _sparse(reader, "defined_at")
    nodes: dict[str, dict] = {}
    names: dict[str, str] = {}
    dated: dict[str, str] = {}
    undated_latest: list[tuple[dict, dt.date]] = []  # (attributes, earliest date) of events without a latest

    def types_of(events: list) -> list:  # asked whole: the smallest type of each event, as merging rows does
        return list(map(reader.single(PARLEY.eventType).__getitem__, events))

    for table in _parts(reader, list(jobs), merge, types_of):
        if table is None:
            nodes, names, dated, undated_latest = {}, {}, {}, []
            continue
        keys, types, ids, earliest, latest, *described = table
        # Columns of few distinct values (types, dates, words) are converted once a value; the rest in bulk.
        distinct = set(types)
        for cell in distinct - kinds.keys():
            etype = _local(_text(cell), TYPE)
            kinds[cell] = (etype, group_of(etype) if etype in EVENT_TYPES else "other")
        if len(distinct) == 1:  # a part: one type
            etypes, groups = map(repeat, kinds[types[0]])
        else:
            etypes, groups = zip(*map(kinds.__getitem__, types)) if keys else ((), ())
        texts = _texts(keys)
        idents = [ident or name for ident, name in zip(_texts(ids), texts)]
        dates, lasts = list(map(days.__getitem__, earliest)), list(map(days.__getitem__, latest))
        # What few events have (promises, defined_at) is added after, to those that have it, in this order.
        if details:
            precision, summary = described
            words = {cell: _text(cell) for cell in set(precision)}
            precisions, summaries = list(map(words.__getitem__, precision)), _texts(summary)
            rows = [{"kind": "event", "id": ident, "type": etype, "group": group, "label": ident, "date": date,
                     "date_latest": last, "precision": word, "summary": text}
                    for ident, etype, group, date, last, word, text
                    in zip(idents, etypes, groups, dates, lasts, precisions, summaries)]
            _drop_none(rows, {"date": dates, "date_latest": lasts, "precision": precisions, "summary": summaries})
        else:
            rows = [{"kind": "event", "id": ident, "type": etype, "group": group, "label": ident, "date": date,
                     "date_latest": last}
                    for ident, etype, group, date, last in zip(idents, etypes, groups, dates, lasts)]
            _drop_none(rows, {"date": dates, "date_latest": lasts})
        if None in lasts:  # an event with an earliest date and no latest one: its latest is the earliest, last
            undated_latest += [(a, date) for a, date, last in zip(rows, dates, lasts)
                               if last is None and date is not None]
        nodes.update(zip(keys, rows))
        names.update(zip(keys, texts))
        dated.update(zip(keys, texts) if None not in dates else
                     ((k, n) for k, n, date in zip(keys, texts, dates) if date is not None))
    for attribute, table in (("promises", promised), ("defined_at", written)):
        for key, value in table.items():
            a = nodes.get(key)
            if a is not None:
                a[attribute] = value
    for a, date in undated_latest:
        a["date_latest"] = date
    return nodes, names, dated


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
    nodes, names, _ = _event_nodes(_Reader(graph))
    return {names[k]: a for k, a in nodes.items()}


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

def network_graph(graph, *, sources: bool = True, details: bool = True):
    """The network of an rdflib graph: a networkx MultiDiGraph (see the module docstring).

    `sources=False` leaves out the source nodes, their edges and the URLs on causal edges, and skips the
    queries that find them. `details=False` leaves out the events' `precision` and `summary` and the causal
    edges' `claimant`, `confidence`, `confidence_level` and `evidence`, and reads none of them (about a third
    of the engine's work). The network is otherwise the same. The analyses but `paths` use neither.
    """
    from .query import collector_paused

    # The projection makes a few million dicts, tuples and strings that all live on; the cyclic collector
    # would walk the growing heap again and again (a quarter of the time at 100,000 events) and find nothing;
    # and they go straight to its oldest generation, not walked once more by a young pass (about 0.1 s).
    with collector_paused(long_lived=True), _Reader(graph, workers=2) as reader:
        return _network(reader, _jobs(reader, sources=sources, details=details), sources, details)


def projection_queries(graph, *, sources: bool = True, details: bool = True) -> list[str]:
    """The SPARQL text of each query network_graph asks of this graph, in the order it asks them (but for the
    claims' parts, which it asks the largest first)."""
    with _Reader(graph, workers=1) as reader:
        jobs = _jobs(reader, sources=sources, details=details)
        return [reader._text(reader._key(job)) for group in jobs.values() for job in group]


# The structural predicates read before the events (sources come only with sources=True): IRI -> relation.
_STRUCTURAL_JOBS = {str(p): relation for p, relation in STRUCTURAL_PREDICATES.items() if relation != "source"}


def _jobs(reader: _Reader, *, sources: bool, details: bool = True) -> dict[str, list]:
    """What the projection asks, by what it is for, each started in the order the projection reads it (the
    claims' parts once the direct causal edges are read: see _largest_first).

    The events come one type at a time and the claims one relation at a time (_Reader.split): the two
    workers answer the parts while this thread turns the first ones into nodes. Before them go the small
    answers this thread can start on at once (actors, levers, the structural edges); the direct causal edges,
    needed only at the end, go after the events, so that the first event parts come sooner.
    """
    jobs = {"nodes": ["network-actors", "network-levers"], "structural": list(_STRUCTURAL_JOBS)}
    reader.start(*jobs["nodes"], *jobs["structural"])
    types = []
    if reader._pool is not None:  # only asked to split the events
        _, cells = reader.cells("network-event-types")
        # The largest part first: the workers end on small ones, which this thread turns into nodes at once.
        counts = sorted((-int(_text(n)), _text(t)) for t, n in zip(cells[0::2], cells[1::2]))
        types = [t for _, t in counts] if all(c.startswith("<") for c in cells[0::2]) else []
        jobs["types"] = ["network-event-types"]
    jobs["sparse"] = list(map(str, SPARSE_PROPERTIES.values()))
    jobs["events"] = reader.split("network-events" if details else "network-event-dates", "type", types)
    jobs["disputants"] = [str(CLAIM_PROPERTIES["disputant"])]
    jobs["direct"] = list(map(str, PROPERTY_RELATIONS))
    jobs["sources"] = ["network-citations", *SOURCE_PROPERTIES.values()] if sources else []
    jobs["claims"] = reader.split("network-claims" if details else "network-claim-ends", "relation",
                                  list(map(str, PROPERTY_RELATIONS)))
    # Asked whole, network-events and network-claims leave out the type and the relation: read apart.
    jobs["columns"] = [str(iri) for iri, query in ((PARLEY.eventType, "events"), (PARLEY.relation, "claims"))
                       if not isinstance(jobs[query][0], tuple)]
    for group in ("sparse", "columns", "events", "disputants", "direct", "sources"):
        reader.start(*jobs[group])
    if isinstance(jobs["claims"][0], tuple):
        reader.start_after(jobs["direct"], jobs["claims"], _largest_first)
    else:
        reader.start(*jobs["claims"])
    return jobs


def _largest_first(claims: list, direct: dict) -> list:
    """The claims' parts, the largest first (as the event parts): the workers end on small ones, and this thread
    is not left waiting for a large one after the rest. A claim records its direct causal edge, so the
    direct edges of each relation (`direct`: {relation: its number of cells}) say how large its part is."""
    return sorted(claims, key=lambda job: -direct[job[1]["relation"]])


def _network(props: _Reader, jobs: dict, sources: bool, details: bool = True):
    actors, levers = _actor_nodes(props), _lever_nodes(props)
    # A node of two kinds is of the last read (as nodes.update leaves it): event, actor, lever.
    of_kind: dict[str, dict] = {"actor": dict(zip(actors, _texts(list(actors)))),
                                "lever": dict(zip(levers, _texts(list(levers)))), "source": {}}
    for cell in of_kind["lever"]:
        of_kind["actor"].pop(cell, None)
    # The structural edges whose objects are right, grouped by subject cell before the events come (this thread
    # would wait for the first parts otherwise); which subjects are nodes of a kind their relation allows, and
    # their names, are known once the events are read.
    structural: dict[str, list] = {}  # subject cell -> [(object name, relation)]
    structural_subjects: dict[str, list] = {}  # relation -> subject cells
    for predicate in props.answered(list(_STRUCTURAL_JOBS)):  # (in any order: each subject's edges are sorted)
        relation = _STRUCTURAL_JOBS[predicate]
        object_names = of_kind[_STRUCTURAL_ENDS[relation][1][0]]
        subjects, objects = props.pairs(predicate)
        # A literal object is no node (nodes are IRIs, and cells keep the difference): it never matches.
        subjects, names = _named(subjects, objects, object_names)
        structural_subjects[relation] = subjects
        _group(structural, subjects, names, relation)
    props.forget(*_STRUCTURAL_JOBS)
    nodes, events, dated = _event_nodes(props, jobs["events"], details=details)
    name = dict(events)  # node cell -> IRI, the networkx key
    for cell in (*actors, *levers):
        for table in (events, dated):
            table.pop(cell, None)
    nodes.update(actors)
    nodes.update(levers)
    name.update(of_kind["actor"])
    name.update(of_kind["lever"])

    cited: dict[str, list[str]] = {}
    source_table: dict[str, dict] = {}
    if sources:
        source_table, (citing, cited_sources) = _source_citations(props)
        source_name = {cell: _text(cell) for cell in source_table}
        _group(structural, citing, list(map(source_name.get, cited_sources)), "source")
        structural_subjects["source"] = citing
        for s, o in zip(citing, cited_sources):
            cited.setdefault(s, []).append(source_table[o]["id"])  # a claim's sources go on its causal edge
    by_name = dict(zip(name.values(), name))  # IRI -> node cell
    ordered = sorted(by_name)
    if len(by_name) == len(nodes):
        ordered_cells = list(map(by_name.__getitem__, ordered))
        node_list = list(zip(ordered, map(nodes.__getitem__, ordered_cells)))
    else:  # two cells of one text (a blank node and a relative IRI of rdflib's): one node, attributes merged
        node_list = sorted(((name[cell], a) for cell, a in nodes.items()), key=itemgetter(0))
    if sources:
        node_list += sorted(((source_name[cell], a) for cell, a in source_table.items()), key=itemgetter(0))
    # The nodes and structural edges go into the graph before the claims come, the causal edges after them.
    net = _multidigraph(node_list, [])
    _drop_structural(structural, structural_subjects, nodes, (*actors, *levers))
    if len(by_name) == len(nodes):  # the subjects that are no nodes (None: outcomes, claims) are never looked up
        outs = map(structural.get, ordered_cells)
    else:  # two cells of one text: their edges go together
        named: dict[str, list] = {}
        for cell, out in structural.items():
            if cell in name:
                named.setdefault(name[cell], []).extend(out)
        outs = map(named.get, ordered)
    _add_structural(net, ordered, outs)
    # Freed here, while the workers answer the claims, rather than after the last answer (one core idle).
    del structural, structural_subjects, node_list, outs
    direct = _direct_edges(props)
    props.forget(*PROPERTY_RELATIONS)
    causal, unclaimed, incomplete = _claim_edges(props, nodes, dated, cited if sources else None, direct,
                                                 jobs["claims"], details=details)
    _add_edges(net, causal)
    _add_edges(net, _unclaimed_edges(props, nodes, unclaimed))
    net.graph["incomplete_claims"] = incomplete
    if not details:
        net.graph["details"] = False  # what reads a claimant or an evidence can tell "none" from "not read"
    return net


def _named(subjects: list, objects: list, names: dict) -> tuple[list, list]:
    """(subjects, names of the objects) of the pairs whose object is in `names` ({cell: node name})."""
    found = list(map(names.get, objects))
    if None not in found:
        return subjects, found
    keep = [v is not None for v in found]
    return list(compress(subjects, keep)), list(compress(found, keep))


def _group(edges: dict, subjects: list, objects: list, relation: str) -> None:
    """Add the pairs to {subject: [(object, relation)]}."""
    get = edges.get
    for u, edge in zip(subjects, zip(objects, repeat(relation))):
        out = get(u)
        if out is None:
            edges[u] = [edge]
        else:
            out.append(edge)


def _drop_structural(edges: dict, subjects: dict, nodes: dict, others) -> None:
    """Drop from {subject cell: [(object name, relation)]} the edges of nodes (`nodes`: {cell: attributes}) of a
    kind their relation does not allow. `subjects`: {relation: its subject cells}; `others`: the cells of the
    nodes that are not events.

    Only the subjects that are not events, or are subjects of a relation events may not have (imposed-by),
    are looked at: a few, against every event's edges kept as they are. The subjects that are no nodes (the
    outcomes' levers, the claims' sources) are left: the edges are put in the graph node by node, and these
    are never looked up."""
    allowed = {kind: {r for r, (subject_kinds, _) in _STRUCTURAL_ENDS.items() if kind in subject_kinds}
               for kind in NODE_KINDS}
    odd = {u for relation, cells in subjects.items() if relation not in allowed["event"] for u in cells}
    for u in {u for u in others if u in edges} | (odd & nodes.keys()):
        out = [edge for edge in edges[u] if edge[1] in allowed[nodes[u]["kind"]]]
        if out:
            edges[u] = out
        else:
            del edges[u]


def _add_structural(net, ordered: list, outs) -> None:
    """Add the structural edges, keyed by relation, in (subject, object, relation) order, as adding them sorted
    with add_edges_from does. `ordered`: every subject, sorted; `outs`: the [(object, relation)] of each (None:
    none).

    Sorting a few pairs a subject, in the order the subjects are sorted anyway, costs far less than sorting
    every edge's tuple (several hundred thousand at 100,000 events)."""
    succ, pred = net._succ, net._pred
    for u, out in zip(ordered, outs):
        if out is None:
            continue
        if len(out) > 1:
            out.sort()
        successors = succ[u]
        for v, relation in out:
            a = {"relation": relation, "causal": False}
            keys = successors.get(v)
            if keys is None:
                successors[v] = pred[v][u] = {relation: a}
            elif relation in keys:
                keys[relation].update(a)
            else:
                keys[relation] = a


def _multidigraph(nodes: list, edges: list):
    """A MultiDiGraph with these nodes [(node, attributes)] and edges [(u, v, key, attributes)], in this order,
    u and v among the nodes; the same graph as add_nodes_from then add_edges_from give.

    networkx's add_edges_from costs several µs an edge (add_edge, then views to update the attributes), a
    second at 300,000 edges; this fills the adjacency the way MultiDiGraph.add_edge does (see _add_edges).
    A repeated node updates its attributes. The attribute dicts are used as given: each must belong to one
    node or edge.
    """
    import networkx as nx

    net = nx.MultiDiGraph()
    node, succ, pred = net._node, net._succ, net._pred
    node.update(nodes)
    if len(node) < len(nodes):  # a node given twice: its attributes are merged
        node.clear()
        for n, a in nodes:
            if n in node:
                node[n].update(a)
            else:
                node[n] = a
    succ.update({n: {} for n in node})
    pred.update({n: {} for n in node})
    _add_edges(net, edges)
    return net


def _add_edges(net, edges: list) -> None:
    """Add edges [(u, v, key, attributes)], u and v among the nodes, as add_edges_from does: one key dict an
    ordered pair, shared by _succ[u][v] and _pred[v][u]; a repeated key updates its attributes."""
    succ, pred = net._succ, net._pred
    for u, v, key, a in edges:
        out = succ[u]
        keys = out.get(v)
        if keys is None:
            out[v] = pred[v][u] = {key: a}
        elif key in keys:
            keys[key].update(a)
        else:
            keys[key] = a


def _claim_edges(reader: _Reader, nodes: dict, complete: dict, claim_sources: dict | None, direct: set,
                 jobs: list = ("network-claims",), *, details: bool = True) -> tuple[list, set, list[dict]]:
    """(causal edges in claim IRI order, the direct edges (`direct`: (cause, relation, effect) cells) that no
    claim records, incomplete claims). `complete`: {cell: IRI} of the events with a type and a date; `jobs`:
    network-claims, or its parts (_Reader.split); without `details`, network-claim-ends (no claimant,
    confidence, level or evidence) or its parts.

    What can be done a part at a time is done as the part comes, while the workers answer the next: after the
    last, only the parts' edges are put in claim IRI order (sorted runs, merged)."""

    def causal_first(cells):  # a claim with several relations is an edge of its causal one, if any
        return min(cells, key=lambda c: (c not in _RELATIONS, *_cell_order(c)))

    def node_name(cell):
        a = nodes.get(cell)
        return a["id"] if a is not None else _text(cell)

    disputed_by = {key: tuple(sorted({node_name(c) for c in cells}))
                   for key, cells in _grouped(reader.pairs(CLAIM_PROPERTIES["disputant"])).items()}
    written = _sparse(reader, "defined_at")
    urls = None if claim_sources is None else {key: tuple(sorted(set(v))) for key, v in claim_sources.items()}
    # Columns of few distinct values are converted once a value (these tables across the parts); the rest in
    # bulk. Each part becomes its attribute dicts as it comes; then all are put in claim IRI order.
    claimant_names: dict[str, str] = {}
    numbers: dict[str, float | None] = {}
    level_texts: dict[str, str] = {}
    parts: list[tuple] = []  # (claim IRIs, edges, [(claim IRI, attributes, cause, effect)] incomplete), sorted
    unclaimed = set(direct)

    def relations_of(claims: list) -> list:  # asked whole: the causal one first, as merging rows does
        relation = _single(reader.pairs(CLAIM_PROPERTIES["relation"]), causal_first)
        return list(map(relation.__getitem__, claims))

    for table in _parts(reader, list(jobs), {"relation": causal_first}, relations_of):
        if table is None:
            parts, unclaimed = [], set(direct)
            continue
        keys, relations, causes, effects, ids, *attributed = table
        texts = _texts(keys)
        claim_ids = [ident or text for ident, text in zip(_texts(ids), texts)]
        where = {"defined_at": list(map(written.get, keys)) if written else [None] * len(keys)}
        disputes = list(map(disputed_by.get, keys, repeat(())))
        if details:
            claimants, confidences, levels, evidences = attributed
            for cell in set(claimants) - claimant_names.keys():
                if cell:
                    claimant_names[cell] = node_name(cell)
            for cell in set(confidences) - numbers.keys():
                if cell:
                    try:
                        numbers[cell] = float(_text(cell))
                    except ValueError:
                        numbers[cell] = None
            for cell in set(levels) - level_texts.keys():
                if cell:
                    level_texts[cell] = _text(cell)
            columns = {"claimant": list(map(claimant_names.get, claimants)),
                       "confidence": list(map(numbers.get, confidences)),
                       "confidence_level": list(map(level_texts.get, levels)),
                       "evidence": _texts(evidences), **where}
            rows = [{"relation": relation, "causal": True, "claim": claim, "claimant": claimant,
                     "confidence": number, "confidence_level": level, "evidence": evidence, "defined_at": at,
                     "disputed": bool(names), "disputed_by": names}
                    for relation, claim, claimant, number, level, evidence, at, names
                    in zip(map(_RELATIONS.get, relations), claim_ids, *columns.values(), disputes)]
        else:
            columns = where
            rows = [{"relation": relation, "causal": True, "claim": claim, "defined_at": at,
                     "disputed": bool(names), "disputed_by": names}
                    for relation, claim, at, names
                    in zip(map(_RELATIONS.get, relations), claim_ids, *columns.values(), disputes)]
        _drop_none(rows, columns)
        if urls is not None:
            for a, key in zip(rows, keys):
                a["sources"] = urls.get(key, ())
        unclaimed.difference_update(zip(causes, relations, effects))
        # The claims with a causal relation (the rest are outside the allow-list), in claim IRI order: each
        # column is taken in that order in one C-level call. Ends looked up in the order the cells were made
        # (memory at hand).
        order = sorted(range(len(texts)), key=texts.__getitem__)
        if not set(relations) <= _RELATIONS.keys():
            order = [i for i in order if relations[i] in _RELATIONS]
        take = _taker(order)
        cause_names, effect_names = list(map(complete.get, causes)), list(map(complete.get, effects))
        edges = list(zip(take(cause_names), take(effect_names), take(claim_ids), take(rows)))
        incomplete = []
        if None in cause_names or None in effect_names:
            incomplete = [(text, a, cause, effect) for text, (u, v, _, a), cause, effect
                          in zip(take(texts), edges, take(causes), take(effects)) if u is None or v is None]
            texts = [text for text, (u, v, _, _) in zip(take(texts), edges) if u is not None and v is not None]
            edges = [edge for edge in edges if edge[0] is not None and edge[1] is not None]
        else:
            texts = list(take(texts))
        parts.append((texts, edges, incomplete))
    if len(parts) == 1:
        edges = parts[0][1]
    else:  # sorted runs: merged by one sort in C
        texts = [text for part in parts for text in part[0]]
        edges = _taker(sorted(range(len(texts)), key=texts.__getitem__))([e for part in parts for e in part[1]])
    incomplete = []
    for _, a, cause, effect in sorted((c for part in parts for c in part[2]), key=itemgetter(0)):
        ends = {"cause": cause or None, "effect": effect or None}
        incomplete.append({
            "claim": a["claim"], "relation": a["relation"], "defined_at": a.get("defined_at"),
            "cause": _endpoint_name(nodes, ends["cause"]), "effect": _endpoint_name(nodes, ends["effect"]),
            "missing": {side: _missing_what(nodes, cell) for side, cell in ends.items() if cell not in complete},
        })
    return edges, unclaimed, incomplete


def _taker(order: list):
    """A function taking the items of a list at these indexes, in this order (itemgetter, which gives a lone
    item rather than a sequence of one)."""
    if len(order) > 1:
        return itemgetter(*order)

    def take(column):
        return [column[i] for i in order]
    return take


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


def _direct_edges(props: _Reader) -> set[tuple]:
    """{(cause, relation, effect)} cells of the direct causal edges (faro:causes, parley:inExchangeFor, ...)."""
    direct: set = set()
    for predicate in PROPERTY_RELATIONS:
        subjects, objects = props.pairs(predicate)
        direct.update(zip(subjects, repeat(f"<{predicate}>"), objects))
    return direct


def _unclaimed_edges(props: _Reader, nodes: dict, candidates: set) -> list:
    """The direct causal edges between complete events that no claim node records, in (cause, effect,
    relation) order. `candidates`: the direct edges that no claim with a causal relation records."""
    if candidates:  # rare: also a node with several causes or effects records each combination
        candidates.difference_update(
            _claimed(*(props.pairs(CLAIM_PROPERTIES[k]) for k in ("cause", "relation", "effect"))))
    found = {(_text(cause), _text(effect), _RELATIONS[p]) for cause, p, effect in candidates
             if _complete_event(nodes, cause) and _complete_event(nodes, effect)}
    return [(cause, effect, relation, {"relation": relation, "causal": True, "claim": "", "disputed": False})
            for cause, effect, relation in sorted(found)]


def _complete_event(nodes: dict, cell: str | None) -> bool:
    a = nodes.get(cell) if cell is not None else None
    return a is not None and a["kind"] == "event" and "date" in a


def causal_graph(net):
    """The causal part of a network: event nodes and causal edges, as a new MultiDiGraph sharing attributes."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from((n, a) for n, a in net.nodes(data=True) if a["kind"] == "event")
    g.add_edges_from((u, v, k, a) for u, v, k, a in net.edges(keys=True, data=True) if a["causal"])
    return g
