"""Where the graph lives. The only module that knows the backends.

- `memory` (default): in-memory Oxigraph behind the rdflib API (oxrdflib).
- `oxigraph:DIR`: a persistent Oxigraph store on disk.

Every timeline is kept in its own named graph; readers see the union of all of them.
oxrdflib pitfalls handled here: graphs are made with an explicit identifier, and prefixes are bound by
us (they are not persisted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef


class StoreError(Exception):
    """A store that cannot be opened, read or written: a usage or input problem (exit 2)."""


@dataclass(frozen=True)
class StoreSpec:
    kind: str  # memory | oxigraph | sparql
    location: str | None = None

    def __str__(self) -> str:
        return self.kind if self.location is None else f"{self.kind}:{self.location}"


def parse_store(spec: str) -> StoreSpec:
    """'memory' | 'oxigraph:DIR' | 'sparql:URL' -> StoreSpec; StoreError on anything else."""
    if spec == "memory":
        return StoreSpec("memory")
    kind, sep, location = spec.partition(":")
    if not sep or not location:
        raise StoreError(f"--store {spec!r}: expected memory, oxigraph:DIR or sparql:URL")
    if kind == "oxigraph":
        return StoreSpec("oxigraph", location)
    if kind == "sparql":
        if not location.startswith(("http://", "https://")):
            raise StoreError(f"--store {spec!r}: a SPARQL endpoint is an http(s) URL")
        return StoreSpec("sparql", location)
    raise StoreError(f"--store {spec!r}: unknown store kind {kind!r} (expected memory, oxigraph:DIR or sparql:URL)")


def open_dataset(spec: StoreSpec) -> Dataset:
    """An rdflib Dataset on Oxigraph whose default graph is the union of the named graphs."""
    from ..ontology.namespace import bind_prefixes

    if spec.kind == "memory":
        ds = Dataset(store="Oxigraph", default_union=True)
    elif spec.kind == "oxigraph":
        import pyoxigraph
        from oxrdflib import OxigraphStore

        path = Path(spec.location)
        if path.exists() and not path.is_dir():
            raise StoreError(f"--store oxigraph:{spec.location}: not a directory")
        try:
            store = pyoxigraph.Store(str(path))
        except OSError as e:
            raise StoreError(f"--store oxigraph:{spec.location}: cannot open: {e}") from None
        ds = Dataset(store=OxigraphStore(store=store), default_union=True)
    else:
        raise StoreError(f"{spec}: not an Oxigraph store")
    bind_prefixes(ds)
    return ds


def load_timeline(dataset: Dataset, timeline) -> URIRef:
    """Put a timeline into its own named graph, replacing what was there; return the graph's IRI."""
    from .build import graph_iri, triples

    name = graph_iri(timeline)
    dataset.remove_graph(dataset.graph(name))
    g = dataset.graph(name)
    g.addN((s, p, o, g) for s, p, o in triples(timeline))
    return name


def read_graph(*, timeline=None, store: str = "memory", graph_file: str | None = None) -> Graph:
    """The graph a reading command works on.

    From a Turtle/N-Triples/JSON-LD/TriG file when `graph_file` is given; else the `timeline` loaded into the
    store (memory by default); else what the store already holds.
    """
    spec = parse_store(store)
    if graph_file is not None:
        return parse_graph_file(graph_file)
    ds = open_dataset(spec)
    if timeline is not None:
        load_timeline(ds, timeline)
    return ds


GRAPH_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
                 ".nq": "nquads", ".rdf": "xml", ".owl": "xml"}


def parse_graph_file(path: str) -> Dataset:
    """Read an RDF file into an in-memory Oxigraph dataset; StoreError naming the file on failure."""
    from ..ontology.namespace import bind_prefixes

    p = Path(path)
    fmt = GRAPH_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF file type {p.suffix!r} (expected one of {', '.join(GRAPH_FORMATS)})")
    if not p.is_file():
        raise StoreError(f"{path}: no such file")
    ds = Dataset(store="Oxigraph", default_union=True)
    bind_prefixes(ds)
    target = ds if fmt in ("trig", "nquads") else ds.graph(URIRef(p.resolve().as_uri()))
    try:
        target.parse(str(p), format=fmt)
    except Exception as e:  # parsers raise many types; all mean "bad input"
        raise StoreError(f"{path}: not valid {fmt}: {e}") from None
    return ds
