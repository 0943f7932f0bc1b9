"""Where the graph lives. The only module that knows the backends.

- `memory` (default): in-memory Oxigraph behind the rdflib API (oxrdflib).
- `oxigraph:DIR`: a persistent Oxigraph store on disk.
- `sparql:URL`: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever), spoken to in the
  SPARQL 1.1 Protocol over plain HTTP: queries are POSTed to URL; updates go to the update URL, given as
  `sparql:QUERY_URL|UPDATE_URL` or derived from URL (`.../query` and `.../sparql` -> `.../update`, else URL).
  Every request has a timeout (PARLEY_SPARQL_TIMEOUT seconds, default 60); a refusal, a timeout or a 4xx/5xx
  answer is a StoreError naming the URL and the status.

Every timeline is kept in its own named graph; readers see the union of all of them (on an endpoint: the named
graphs are listed once when the store is opened and passed as `default-graph-uri`, so the endpoint needs no
union-default-graph setting).

Loading replaces a timeline's graph atomically: a load that fails half way (a bad triple, an interrupt, an
endpoint that stops answering) leaves the store as it was; once the new version is complete and the switch to
it recorded, an interrupted switch is finished instead (see below).
- Oxigraph (memory, DIR): the triples are made as pyoxigraph terms (`build.oxigraph_triples`) and streamed
  into Oxigraph's bulk loader, `BULK_SLICE` quads per call (one call over everything holds several million
  quads in the loader at once: 1.7 GB at 3.8 M). A graph that does not exist yet is loaded in place, under a
  marker graph `urn:parley:loading:...` naming it: the marker is removed when the load completes, the graph
  with it if the load fails. An existing graph is replaced by loading into a temporary graph
  (`urn:parley:loading:...`) and swapping it in: up to `SWAP_IN_ONE` quads with one SPARQL update (`MOVE`), a
  single transaction; a larger one, new or old (one transaction would hold it all in memory), rolls forward: once the
  temporary graph is complete a marker records the swap, the old graph is removed and the new one copied in,
  `BULK_SLICE` quads at a time, and the marker goes last. A load killed outright (SIGKILL, power) leaves its
  marker or temporary graph behind; opening the store again, before anything reads, removes a graph whose
  load did not complete and finishes a recorded swap (an on-disk store has one process at a time). A swap
  interrupted in the loading process itself is finished the next time the store is opened or loaded into.
- Endpoints: up to `batch_size` triples go in one update request (`DROP SILENT GRAPH <g> ; INSERT DATA {...}`),
  which the endpoint applies whole or not at all; more are inserted batch by batch into a temporary graph and
  swapped in with one `MOVE` request. Readers skip temporary graphs.

oxrdflib pitfalls handled here: graphs are made with an explicit identifier, and prefixes are bound by us (they
are not persisted).
"""

from __future__ import annotations

import functools
import math
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

LOADING = "urn:parley:loading:"
FILLS = "urn:parley:fills"  # marker graph <m> { <m> FILLS <the graph being loaded> }
SWAPS = "urn:parley:swaps"  # marker graph <m> { <temporary graph> SWAPS <the graph it replaces> }
BATCH_SIZE = 50_000
BULK_SLICE = 500_000
SWAP_IN_ONE = 500_000
DROP_BATCH = 100_000
DEFAULT_TIMEOUT = 60.0
_IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class StoreError(Exception):
    """A store that cannot be opened, read or written: a usage or input problem (exit 2)."""


@dataclass(frozen=True)
class StoreSpec:
    kind: str  # memory | oxigraph | sparql
    location: str | None = None
    update: str | None = None  # sparql only: the update endpoint

    def __str__(self) -> str:
        if self.location is None:
            return self.kind
        return f"{self.kind}:{self.location}" + (f"|{self.update}" if self.update else "")


def parse_store(spec: str) -> StoreSpec:
    """'memory' | 'oxigraph:DIR' | 'sparql:URL' | 'sparql:QUERY_URL|UPDATE_URL' -> StoreSpec; StoreError else."""
    if spec == "memory":
        return StoreSpec("memory")
    kind, sep, location = spec.partition(":")
    if not sep or not location:
        raise StoreError(f"--store {spec!r}: expected memory, oxigraph:DIR or sparql:URL")
    if kind == "oxigraph":
        return StoreSpec("oxigraph", location)
    if kind == "sparql":
        query_url, _, update_url = location.partition("|")
        if "|" in update_url:
            raise StoreError(f"--store {spec!r}: expected sparql:URL or sparql:QUERY_URL|UPDATE_URL (two at most)")
        for url in filter(None, (query_url, update_url)):
            _check_url(spec, url)
        return StoreSpec("sparql", query_url, update_url or None)
    raise StoreError(f"--store {spec!r}: unknown store kind {kind!r} (expected memory, oxigraph:DIR or sparql:URL)")


def _check_url(spec: str, url: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host, say
        raise StoreError(f"--store {spec!r}: {url!r} is not an http(s) URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", url):
        raise StoreError(f"--store {spec!r}: {url!r} is not an http(s) URL")
    try:
        port = parts.port  # raises for a port above 65535
    except ValueError:
        port = 0
    if port == 0:
        raise StoreError(f"--store {spec!r}: {url!r} has a port outside 1-65535")


def open_dataset(spec: StoreSpec) -> Dataset:
    """An rdflib Dataset whose default graph is the union of the named graphs (Oxigraph, or an endpoint)."""
    from ..ontology.namespace import bind_prefixes

    if spec.kind == "memory":
        ds = Dataset(store="Oxigraph", default_union=True)
    elif spec.kind == "oxigraph":
        import pyoxigraph
        from oxrdflib import OxigraphStore

        path = Path(spec.location)
        if path.exists() and not path.is_dir():
            raise StoreError(f"--store oxigraph:{spec.location}: not a directory")
        if path.is_dir() and not is_oxigraph_store(path) and any(not p.name.startswith(".") for p in path.iterdir()):
            raise StoreError(f"--store oxigraph:{spec.location}: a folder of other files, not an Oxigraph store")
        try:
            store = pyoxigraph.Store(str(path))
        except OSError as e:
            raise StoreError(f"--store oxigraph:{spec.location}: cannot open: {e}") from None
        try:
            recover(store)
        except OSError as e:  # a full disk, say, while finishing what a killed load left
            raise StoreError(f"--store oxigraph:{spec.location}: cannot recover an interrupted load: {e}") from None
        ds = Dataset(store=OxigraphStore(store=store), default_union=True)
    else:
        endpoint = Endpoint.from_spec(spec)
        ds = Dataset(store=EndpointStore(endpoint, named_graphs(endpoint)), default_union=True)
    bind_prefixes(ds)
    return ds


# --- SPARQL 1.1 Protocol over HTTP --------------------------------------------------------------------------

class Endpoint:
    """A SPARQL 1.1 query/update endpoint, spoken to with urllib; every failure is a StoreError naming the URL."""

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout: float | None = None):
        self.query_url = query_url
        self.update_url = update_url or default_update_url(query_url)
        if timeout is None:
            try:
                timeout = float(os.environ.get("PARLEY_SPARQL_TIMEOUT", DEFAULT_TIMEOUT))
            except ValueError:
                timeout = math.nan
            if not 0 < timeout < 1e9:  # (nan, inf, 0 and negatives: the socket refuses them, or never times out)
                raise StoreError(f"PARLEY_SPARQL_TIMEOUT={os.environ['PARLEY_SPARQL_TIMEOUT']!r}: "
                                 "not a number of seconds above 0 and below 1e9") from None
        self.timeout = timeout

    @classmethod
    def from_spec(cls, spec: StoreSpec, *, timeout: float | None = None) -> "Endpoint":
        return cls(spec.location, spec.update, timeout=timeout)

    def select(self, text: str, *, default_graphs: Iterable[str] = ()):
        """An rdflib Result for a SELECT or ASK query (SPARQL JSON results)."""
        from io import BytesIO
        from urllib.parse import urlencode

        from rdflib.query import Result

        params = urlencode([("default-graph-uri", g) for g in default_graphs])
        url = self.query_url + (("&" if "?" in self.query_url else "?") + params if params else "")
        body = self._post(url, text.encode("utf-8"), "application/sparql-query",
                          "application/sparql-results+json", shown=self.query_url)
        try:
            return Result.parse(BytesIO(body), format="json")
        except Exception as e:  # a body that is not SPARQL JSON results
            raise StoreError(f"{self.query_url}: answered with something other than SPARQL JSON results "
                             f"({str(e).strip()[:200] or type(e).__name__})") from None

    def update(self, text: str | bytes) -> None:
        self._post(self.update_url, text.encode("utf-8") if isinstance(text, str) else text,
                   "application/sparql-update", "*/*", shown=self.update_url)

    def _post(self, url: str, data: bytes, content_type: str, accept: str, *, shown: str) -> bytes:
        import http.client
        import socket
        from urllib.error import HTTPError, URLError
        from urllib.request import Request, urlopen

        request = Request(url, data=data, method="POST",
                          headers={"Content-Type": f"{content_type}; charset=utf-8", "Accept": accept})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except HTTPError as e:
            detail = ""
            try:
                detail = e.read(500).decode("utf-8", "replace").strip().splitlines()[0]
            except Exception:  # the body is only a hint
                pass
            raise StoreError(f"{shown}: HTTP {e.code} {e.reason}" + (f": {detail}" if detail else "")) from None
        except (TimeoutError, socket.timeout):
            raise StoreError(f"{shown}: no answer within {self.timeout:g} s (timed out)") from None
        except URLError as e:
            reason = e.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise StoreError(f"{shown}: no answer within {self.timeout:g} s (timed out)") from None
            raise StoreError(f"{shown}: cannot connect ({reason})") from None
        except (http.client.HTTPException, ConnectionError, OSError) as e:
            raise StoreError(f"{shown}: the connection failed ({type(e).__name__}: {e})") from None


def default_update_url(query_url: str) -> str:
    """The usual update endpoint beside a query endpoint: .../query or .../sparql -> .../update, else the same."""
    m = re.match(r"^(.*/)(query|sparql)/?$", query_url)
    return f"{m.group(1)}update" if m else query_url


def named_graphs(endpoint: Endpoint) -> list[str]:
    """The endpoint's named graphs, without the temporary ones of loads in progress or interrupted."""
    result = endpoint.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    return sorted(str(row[0]) for row in result if not str(row[0]).startswith(LOADING))


@functools.cache
def _endpoint_store_class():
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    class _EndpointStore(SPARQLStore):
        """rdflib's read-only SPARQLStore, with our HTTP client and the union of the named graphs as default graph."""

        def __init__(self, endpoint: Endpoint, graphs: list[str]):
            super().__init__(endpoint.query_url, returnFormat="json")
            self.endpoint = endpoint
            self.graphs = graphs

        def _query(self, query, default_graph=None, named_graph=None):
            self._queries += 1
            return self.endpoint.select(query, default_graphs=self.graphs)

    return _EndpointStore


def EndpointStore(endpoint: Endpoint, graphs: list[str]):  # noqa: N802 - a class made on first use
    """A read-only rdflib store over an endpoint (rdflib's SPARQLStore is imported only when needed)."""
    return _endpoint_store_class()(endpoint, graphs)


# --- loading ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadReport:
    """What `parley load` did."""

    store: str
    graph: str
    triples: int
    replaced: bool

    def to_dict(self) -> dict:
        return {"store": self.store, "graph": self.graph, "triples": self.triples, "replaced": self.replaced}

    def to_text(self) -> str:
        verb = "replaced" if self.replaced else "loaded"
        return f"{verb} {self.graph} in {self.store}: {self.triples} triples\n"


def estimated_triples(timeline) -> int:
    """About how many triples a timeline makes (for a progress bar's length; the load counts exactly)."""
    return 4 + 6 * len(timeline.actors) + 9 * len(timeline.levers) + 30 * len(timeline.events) + 15 * len(timeline.links)


def load(store: str, timeline, *, chunks=(), progress: Callable[[int], None] | None = None,
         batch_size: int = BATCH_SIZE) -> LoadReport:
    """Put a timeline into its own named graph of a persistent store, replacing it atomically.

    `chunks`: more (events, links) of the timeline, streamed (see `build.triples`).
    """
    from .build import graph_iri

    spec = parse_store(store)
    if spec.kind == "memory":
        raise StoreError("--store memory: nothing would be kept; load into oxigraph:DIR or sparql:URL")
    target = Endpoint.from_spec(spec) if spec.kind == "sparql" else open_dataset(spec)
    name = graph_iri(timeline)
    try:
        _, replaced = replace_graph(target, name, _triples_for(target, timeline, chunks), progress=progress,
                                    batch_size=batch_size)
        count = _graph_size(target, name)  # what the graph holds: a triple built twice (a shared source) is one
    finally:
        if isinstance(target, Dataset):
            target.close()  # releases the on-disk store's lock now, not at the next garbage collection
    return LoadReport(str(spec), str(name), count, replaced)


def _graph_size(target, name) -> int:
    """The number of triples in the named graph `name` of the target (an Oxigraph dataset or an endpoint)."""
    if isinstance(target, Endpoint):
        # the graph named as the query's default graph (a URL parameter), not written into the query text
        rows = list(target.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[str(name)]))
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0
    import pyoxigraph as ox

    # counted by the engine (3-4x faster than iterating the quads here), the graph given as a term
    [row] = _oxigraph_of(target).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                       default_graph=ox.NamedNode(str(name)))
    return int(row["n"].value)


def load_timeline(dataset, timeline, *, progress=None, batch_size: int = BATCH_SIZE) -> URIRef:
    """Put a timeline into its own named graph, replacing what was there atomically; return the graph's IRI."""
    from .build import graph_iri

    name = graph_iri(timeline)
    endpoint = getattr(getattr(dataset, "store", None), "endpoint", None)
    target = endpoint if isinstance(endpoint, Endpoint) else dataset
    replace_graph(target, name, _triples_for(target, timeline, ()), progress=progress, batch_size=batch_size)
    if target is not dataset:  # an endpoint: read the graph list again
        dataset.store.graphs = named_graphs(target)
    return name


def _triples_for(target, timeline, chunks) -> Iterable[tuple]:
    """The timeline's triples in the terms the target takes best: pyoxigraph's for Oxigraph, else rdflib's."""
    from .build import oxigraph_triples, triples

    if isinstance(target, Endpoint):
        return triples(timeline, chunks=chunks)
    return oxigraph_triples(timeline, chunks=chunks)


def replace_graph(target, name, triples: Iterable[tuple], *, progress: Callable[[int], None] | None = None,
                  batch_size: int = BATCH_SIZE) -> tuple[int, bool]:
    """Make graph `name` of `target` (an Oxigraph-backed Dataset or an Endpoint) hold exactly `triples`.

    `triples` are rdflib or pyoxigraph terms. Streams them in batches of `batch_size`; all or nothing (see the
    module docstring). Returns the number of triples read and whether a graph of that name existed before.
    `progress(n)` is called with the running count after each batch.
    """
    name = str(name)
    if not _IRI.match(name):
        raise StoreError(f"{name!r}: not an IRI that can name a graph")
    if name.startswith(LOADING):  # the names of loads in progress, removed when a store is opened
        raise StoreError(f"{name!r}: graph names starting with {LOADING} are parley's own")
    if isinstance(target, Endpoint):
        return _replace_on_endpoint(target, name, triples, progress, batch_size)
    return _replace_in_oxigraph(_oxigraph_of(target), name, triples, progress, batch_size)


def _oxigraph_of(dataset):
    inner = getattr(getattr(dataset, "store", None), "_inner", None)
    if inner is None:
        raise StoreError("this store cannot be loaded into (not Oxigraph, not a SPARQL endpoint)")
    return inner


def _batches(triples: Iterable[tuple], size: int):
    batch = []
    for t in triples:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def recover(store) -> None:
    """Remove what killed loads left in an Oxigraph store: temporary graphs, and graphs a marker names."""
    import pyoxigraph as ox

    def leftovers():
        return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(LOADING)]

    swaps, fills = ox.NamedNode(SWAPS), ox.NamedNode(FILLS)
    for g in leftovers():  # swaps first: their temporary graphs are complete, and dropped below otherwise
        for q in list(store.quads_for_pattern(None, swaps, None, g)):
            _swap(store, q.subject, q.object, g)
    for g in leftovers():
        for q in list(store.quads_for_pattern(g, fills, None, g)):
            _drop(store, q.object)  # a new graph whose load did not complete
        _drop(store, g)  # last: a recovery that is itself killed starts again


def _drop(store, graph) -> None:
    """Remove a graph, a large one a quad at a time: one transaction over millions of quads holds them all in
    memory (removing a 3.8 M-quad graph at once passed 1.6 GB). Not atomic; callers keep a marker until done."""
    import itertools

    while True:
        batch = list(itertools.islice(store.quads_for_pattern(None, None, None, graph), DROP_BATCH))
        if len(batch) < DROP_BATCH:
            store.remove_graph(graph)  # the rest, and the graph's name, in one small transaction
            return
        for q in batch:
            store.remove(q)


def _more_than(store, graph, n: int) -> bool:
    import itertools

    return next(itertools.islice(store.quads_for_pattern(None, None, None, graph), n, None), None) is not None


def _swap(store, temporary, graph, marker) -> None:
    """Finish a recorded swap: `graph` becomes a copy of `temporary`, in slices (memory stays bounded).

    Safe to repeat from the start after an interrupt, until the marker is gone: `temporary` is untouched until
    then."""
    import itertools

    import pyoxigraph as ox

    _drop(store, graph)
    copies = (ox.Quad(q.subject, q.predicate, q.object, graph)
              for q in store.quads_for_pattern(None, None, None, temporary))
    while True:
        batch = list(itertools.islice(copies, BULK_SLICE))
        store.bulk_extend(batch)
        if len(batch) < BULK_SLICE:
            break
    store.flush()  # the copy is on disk before the marker that would redo it is gone
    store.remove_graph(marker)
    _drop(store, temporary)


def _replace_in_oxigraph(store, name: str, triples, progress, batch_size) -> tuple[int, bool]:
    import itertools

    import pyoxigraph as ox

    graph = ox.NamedNode(name)
    recover(store)
    existed = next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None
    loading = ox.NamedNode(f"{LOADING}{uuid.uuid4()}")
    if existed:
        into = loading
    else:
        into = graph
        store.add(ox.Quad(loading, ox.NamedNode(FILLS), graph, loading))
        store.flush()  # the marker is on disk before any of the graph is
    term = _OxConverter().term
    count = 0
    Quad = ox.Quad  # noqa: N806

    def quads():
        nonlocal count
        for s, p, o in triples:
            count += 1
            if progress and count % batch_size == 0:
                progress(count)
            try:
                quad = Quad(s, p, o, into)  # pyoxigraph terms already: what load() gives
            except TypeError:
                quad = Quad(term(s), term(p), term(o), into)
            yield quad

    stream = quads()
    try:
        # Oxigraph's bulk loader holds what one call gives it in memory (sorted, then written as files):
        # slices bound that; each call costs a little more disk work than one call over everything.
        while True:
            before = count
            store.bulk_extend(itertools.islice(stream, BULK_SLICE))
            if count - before < BULK_SLICE:
                break
    except BaseException:
        _drop(store, into)
        store.remove_graph(loading)
        raise
    if progress and count % batch_size:
        progress(count)
    # One MOVE holds both graphs in one transaction: fine while both are small, else roll forward in slices.
    if existed and (count > SWAP_IN_ONE or _more_than(store, graph, SWAP_IN_ONE)):
        marker = ox.NamedNode(f"{LOADING}{uuid.uuid4()}")
        try:
            store.add(ox.Quad(into, ox.NamedNode(SWAPS), graph, marker))
            store.flush()  # from here on the swap is rolled forward, even by the next opening of the store
        except BaseException:
            store.remove_graph(marker)
            _drop(store, into)
            raise
        try:
            _swap(store, into, graph, marker)
        except BaseException as e:
            # The new version is complete and recorded: what is left of the switch is finished when the store
            # is next opened or loaded into; until then this process's view is mid-switch.
            raise StoreError(f"{name}: interrupted while switching to the new version ({type(e).__name__}); "
                             "the switch is finished the next time the store is opened") from e
    elif existed:
        try:
            store.update(f"MOVE GRAPH <{into.value}> TO GRAPH <{name}>")
        except BaseException:
            _drop(store, into)
            raise
    else:
        store.remove_graph(loading)  # the marker: the graph is complete
    return count, existed


class _OxConverter:
    """rdflib terms -> pyoxigraph terms, caching IRIs (subjects and predicates repeat a lot)."""

    def __init__(self):
        import pyoxigraph as ox
        from rdflib import BNode, Literal

        self.ox, self.Literal, self.BNode = ox, Literal, BNode
        self.natives = (ox.NamedNode, ox.Literal, ox.BlankNode, ox.Triple)
        self.iris: dict = {}

    def term(self, t):
        if type(t) is URIRef:
            node = self.iris.get(t)
            if node is None:
                if len(self.iris) > 200_000:
                    self.iris.clear()
                node = self.iris[t] = self.ox.NamedNode(t)
            return node
        if isinstance(t, self.Literal):
            if t.language:
                return self.ox.Literal(str(t), language=t.language)
            if t.datatype:
                return self.ox.Literal(str(t), datatype=self.term(URIRef(t.datatype)))
            return self.ox.Literal(str(t))
        if isinstance(t, URIRef):
            return self.ox.NamedNode(str(t))
        if isinstance(t, self.BNode):
            return self.ox.BlankNode(str(t))
        if isinstance(t, self.natives):
            return t
        raise StoreError(f"cannot store {t!r}: not an RDF term")


def _ntriples(batch) -> str:
    from rdflib import BNode

    lines = []
    for s, p, o in batch:
        if isinstance(s, BNode) or isinstance(o, BNode):
            # Blank nodes would split across update requests; the graph build mints IRIs for everything.
            raise StoreError("cannot load a blank node into a SPARQL endpoint in batches")
        lines.append(f"{s.n3()} {p.n3()} {o.n3()} .")
    return "\n".join(lines)


def _replace_on_endpoint(endpoint: Endpoint, name: str, triples, progress, batch_size) -> tuple[int, bool]:
    existed = bool(endpoint.select(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}").askAnswer)
    batches = _batches(triples, batch_size)
    first = next(batches, [])
    second = next(batches, None)
    if second is None:
        # One request, applied whole or not at all.
        endpoint.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{_ntriples(first)}\n}} }}")
        if progress:
            progress(len(first))
        return len(first), existed
    tmp = f"{LOADING}{uuid.uuid4()}"
    count = 0
    try:
        for batch in _chain(first, second, batches):
            endpoint.update(f"INSERT DATA {{ GRAPH <{tmp}> {{\n{_ntriples(batch)}\n}} }}")
            count += len(batch)
            if progress:
                progress(count)
        endpoint.update(f"MOVE GRAPH <{tmp}> TO GRAPH <{name}>")
    except BaseException:
        try:
            endpoint.update(f"DROP SILENT GRAPH <{tmp}>")
        except StoreError:
            pass  # the endpoint is gone; readers skip the temporary graph
        raise
    return count, existed


def _chain(first, second, rest):
    yield first
    yield second
    yield from rest


def is_oxigraph_store(path: Path) -> bool:
    """Whether the folder holds an Oxigraph (RocksDB) store: RocksDB keeps a CURRENT file in every database."""
    return (path / "CURRENT").is_file()


def read_graph(*, timeline=None, store: str = "memory", graph_file: str | None = None) -> Graph:
    """The graph a reading command works on.

    From a Turtle/N-Triples/JSON-LD/TriG file when `graph_file` is given; else the `timeline` loaded into the
    store (memory by default); else what the store already holds.
    """
    spec = parse_store(store)
    if graph_file is not None:
        return parse_graph_file(graph_file)
    if spec.kind == "oxigraph" and Path(spec.location).exists() and not Path(spec.location).is_dir():
        raise StoreError(f"--store oxigraph:{spec.location}: not a directory")
    if spec.kind == "oxigraph" and timeline is None and not is_oxigraph_store(Path(spec.location)):
        # reading would make an empty store there and answer from it
        raise StoreError(f"--store oxigraph:{spec.location}: no store there (make one with "
                         f"`parley load --store oxigraph:{spec.location}`)")
    ds = open_dataset(spec)
    if timeline is not None:
        load_timeline(ds, timeline)
    return ds


GRAPH_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
                 ".nq": "nquads", ".rdf": "xml", ".owl": "xml"}


def _parse_error(path, fmt: str, e: Exception) -> str:
    """`file:line: not valid FORMAT: why` for the Turtle family's errors (which know their line); the first line
    of the message, cut short, for the rest (some quote the whole input)."""
    line, why = getattr(e, "lines", None), getattr(e, "_why", None)
    if isinstance(line, int) and why:
        # at the end of the file rdflib counts lines past it: the statement cut short is on the last line
        return f"{path}:{min(line + 1, _line_count(path))}: not valid {fmt}: {why}"
    if isinstance(getattr(e, "lineno", None), int) and hasattr(e, "msg"):  # json.JSONDecodeError
        return f"{path}:{e.lineno}:{e.colno}: not valid {fmt}: {e.msg}"
    if hasattr(e, "getLineNumber"):  # xml.sax.SAXParseException
        return f"{path}:{e.getLineNumber()}:{e.getColumnNumber()}: not valid {fmt}: {e.getMessage()}"
    if fmt in ("turtle", "trig"):  # some of rdflib's Turtle errors (a string cut off by the file's end) say no line
        import pyoxigraph as ox

        try:
            for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.TRIG,
                              base_iri=Path(path).resolve().as_uri()):  # relative IRIs, as rdflib reads them
                pass
        except SyntaxError as oe:
            if isinstance(oe.lineno, int) and isinstance(oe.offset, int):
                return f"{path}:{oe.lineno}:{oe.offset}: not valid {fmt}: {(oe.msg or '').partition(': ')[2] or oe.msg}"
        except (OSError, ValueError):
            pass
    first = (str(e).strip().splitlines() or [type(e).__name__])[0]
    return f"{path}: not valid {fmt}: {first[:200]}"


def _line_count(path) -> int:
    """The number of lines of a file (at least 1: an empty file has its first line)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return 1 << 62
    return max(1, data.count(b"\n") + (not data.endswith(b"\n")))


def _located(path, fmt: str, error: Exception) -> str | None:
    """`file:line:column: not valid FORMAT: why` for an N-Triples or N-Quads file that rdflib refused (its
    line-based parsers do not say which line), from Oxigraph's parser; None for other formats, or if Oxigraph
    reads the file.

    Where the two disagree, the earlier line is reported: rdflib's, found by the rest of the line it quotes,
    when it refused a line Oxigraph takes (`"x"@en--ltr`); Oxigraph's otherwise. None when neither says where. A statement without its final
    dot is reported at the end of its own line (Oxigraph finds out where the next one starts).
    """
    import pyoxigraph as ox

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
    if fmt not in formats:
        return None
    line = column = why = None  # where Oxigraph stops, if it does
    try:
        for _ in ox.parse(path=str(path), format=formats[fmt]):
            pass
    except SyntaxError as e:
        if isinstance(e.lineno, int) and isinstance(e.offset, int):
            line, column, why = e.lineno, e.offset, (e.msg or "").partition(": ")[2] or e.msg
    except (OSError, ValueError):
        pass
    try:
        # N-Triples lines end at CR or LF only (str.splitlines would also end one at U+2028 in a literal)
        lines = re.split("\r\n|\r|\n", Path(path).read_text(encoding="utf-8", errors="replace"))
        if lines and lines[-1] == "":
            lines.pop()
    except OSError:
        return None
    if line is None:
        line = len(lines) + 1  # rdflib's line, if its message says which, is then the only one
    elif "followed by a dot" in why:
        i = min(line, len(lines) + 1) - 2
        while i >= 0 and not lines[i].strip():
            i -= 1
        if i >= 0:
            line, column, why = i + 1, len(lines[i].rstrip()) + 1, "the statement does not end with ' .'"
    first = (str(error).strip().splitlines() or [""])[0]
    quoted = re.match(r"Invalid line(?::| \(.* at) (.*?)\)?:?$", first)
    rest = quoted.group(1).strip() if quoted else ""
    if len(rest) >= 4:
        for i, text in enumerate(lines[: line - 1]):
            if text.rstrip().endswith(rest):
                return f"{path}:{i + 1}: not valid {fmt}: {first[:200]}"
    return None if why is None else f"{path}:{line}:{column}: not valid {fmt}: {why}"


def _refuse_remote_contexts(path: Path) -> None:
    """StoreError for a JSON-LD file whose @context (or a context's @import) names a document: rdflib would fetch
    it from the network (or read a local file it names) while parsing a file that may come from anyone."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return  # the parser says what is wrong with it

    def referenced(context):
        for c in context if isinstance(context, list) else [context]:
            if isinstance(c, str):
                yield c
            elif isinstance(c, dict) and isinstance(c.get("@import"), str):
                yield c["@import"]

    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for url in referenced(node.get("@context")):
                raise StoreError(f"{path}: the @context {url!r} is a document to fetch; parley reads only JSON-LD "
                                 "whose contexts are written in the file")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def parse_graph_file(path: str) -> Dataset:
    """Read an RDF file into an in-memory Oxigraph dataset; StoreError naming the file on failure."""
    from ..ontology.namespace import bind_prefixes

    p = Path(path)
    if p.is_dir():
        raise StoreError(f"{path}: is a directory (give an RDF file)")
    fmt = GRAPH_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF file type {p.suffix!r} (expected one of {', '.join(GRAPH_FORMATS)})")
    if not p.is_file():
        raise StoreError(f"{path}: no such file")
    if fmt == "json-ld":
        _refuse_remote_contexts(p)
    ds = Dataset(store="Oxigraph", default_union=True)
    bind_prefixes(ds)
    target = ds if fmt in ("trig", "nquads") else ds.graph(URIRef(p.resolve().as_uri()))
    try:
        target.parse(str(p), format=fmt)
    except Exception as e:  # parsers raise many types; all mean "bad input"
        raise StoreError(_located(path, fmt, e) or _parse_error(path, fmt, e)) from None
    ds.store._inner.update(_LEADS_TO_UPDATE())  # a file written by hand or by an older parley may lack them
    return ds


@functools.cache
def _LEADS_TO_UPDATE() -> str:  # noqa: N802 - a constant made on first use
    """The SPARQL update that writes `cause parley:leadsTo effect` beside each direct causal edge, graph by graph
    (parley writes them when it builds; the queries follow chains with `parley:leadsTo+`)."""
    from ..ontology.namespace import PARLEY, RELATION_PROPERTIES

    edges = "|".join(f"<{p}>" for p in sorted(set(RELATION_PROPERTIES.values())))
    return (f"INSERT {{ GRAPH ?g {{ ?cause <{PARLEY.leadsTo}> ?effect }} }} "
            f"WHERE {{ GRAPH ?g {{ ?cause {edges} ?effect }} }} ; "
            f"INSERT {{ ?cause <{PARLEY.leadsTo}> ?effect }} WHERE {{ ?cause {edges} ?effect }}")
