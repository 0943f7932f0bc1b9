"""Serialise graphs: RDF formats here; network formats (GraphML, GEXF, CSV) join them as they land."""

from __future__ import annotations

from rdflib import Graph


def rdf_graph(timeline) -> Graph:
    """The timeline's triples in a plain rdflib Graph, for serialising (prefixes bound, nothing else)."""
    from ..ontology.namespace import bind_prefixes
    from .build import graph_iri, triples

    g = Graph(identifier=graph_iri(timeline))
    bind_prefixes(g)
    for t in triples(timeline):
        g.add(t)
    return g


def serialize(timeline, *, fmt: str = "turtle") -> str:
    """The timeline's graph as text in an rdflib format name (turtle, nt, json-ld, trig).

    Turtle and TriG declare only the prefixes they use.
    """
    g = rdf_graph(timeline)
    if fmt == "trig":
        from rdflib import Dataset

        ds = Dataset()
        for prefix, ns in g.namespaces():
            ds.bind(prefix, ns)
        named = ds.graph(g.identifier)
        for t in g:
            named.add(t)
        return ds.serialize(format="trig")
    return g.serialize(format=fmt)
