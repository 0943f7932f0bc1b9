"""Serialise graphs: a timeline or a graph in RDF formats; the network (graph/network.py) as GraphML, GEXF, CSV."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from rdflib import Graph


def write_atomic(path, data: str | bytes) -> None:
    """Replace `path` only once `data` is fully written: a temporary file in the same folder, then a rename.

    The file gets the mode a plain open() would give it (or the replaced file's); mkstemp alone makes it 0600.
    A symbolic link stays: the file it names is replaced. A FIFO or a device (/dev/stdout) is written to, not
    replaced (the rename would put a plain file in its place). OSError when the folder cannot be written.
    """
    write_all_atomic({path: data})


def write_all_atomic(files: dict) -> None:
    """Write several files ({path: data}) as write_atomic does, none replaced unless every one was written:
    all the temporary files first, then the renames (nodes.csv is not left new beside an old edges.csv)."""
    staged: list[tuple] = []  # (temporary file or None, path, data)
    try:
        for path, data in files.items():
            data = data.encode() if isinstance(data, str) else data
            if os.path.exists(path) and not os.path.isfile(path):  # (/dev/stdout names a pipe through /proc)
                staged.append((None, path, data))
                continue
            path = Path(os.path.realpath(path))
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path, None))
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~umask)
        for tmp, path, data in staged:
            if tmp is None:
                with open(path, "wb") as f:
                    f.write(data)
            else:
                os.replace(tmp, path)
    except BaseException:
        for tmp, _, _ in staged:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        raise


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
    return _in_order(g.serialize(format=fmt), fmt)


def _in_order(text: str, fmt: str) -> str:
    """N-Triples and JSON-LD text in one order whatever order the store gave: rdflib writes them in the order
    of a set of its store's, which follows Python's per-process string hashing, so two runs on the same graph
    differed (a user diffing two exports saw noise). Lines sorted; JSON-LD nodes by @id and each property's
    values by their text (a value array is unordered in JSON-LD; an @list keeps its order). Turtle and TriG
    are written sorted by rdflib itself."""
    import json

    if fmt == "nt":
        # lines end at "\n" only: str.splitlines would also cut a literal at U+2028, U+2029 or U+0085, which
        # N-Triples writes as they are
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return "".join(line + "\n" for line in sorted(lines))
    if fmt != "json-ld":
        return text
    data = json.loads(text)

    def key(value) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def ordered(node):
        if isinstance(node, dict):
            return {k: ordered(v) if k == "@list" else
                    sorted(map(ordered, v), key=key) if isinstance(v, list) and k != "@list" else ordered(v)
                    for k, v in node.items()}
        if isinstance(node, list):
            return [ordered(v) for v in node]
        return node

    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data = {**data, "@graph": sorted(map(ordered, data["@graph"]), key=lambda n: (str(n.get("@id", "")), key(n)))}
    elif isinstance(data, list):
        data = sorted(map(ordered, data), key=lambda n: (str(n.get("@id", "")) if isinstance(n, dict) else "", key(n)))
    else:
        data = ordered(data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- the graph a command read (a store or a file), as RDF ---------------------------------------------

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
NETWORK_FORMATS = ("graphml", "gexf", "csv")
EXPORT_FORMATS = (*NETWORK_FORMATS, *RDF_FORMATS)


def _plain(term):
    # Oxigraph hands back simple literals typed xsd:string; the same literal, written without the datatype. It
    # also writes a whole decimal without its point ("20"): written as parley builds it ("20.0", as Turtle
    # writes it), every format of an export is term-equal to the graph built.
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal):
        if term.datatype == XSD.string:
            return Literal(str(term))
        if term.datatype == XSD.decimal and _WHOLE.fullmatch(str(term)):
            return Literal(f"{term}.0", datatype=XSD.decimal)
    return term


_WHOLE = re.compile(r"[+-]?[0-9]+")


def serialize_graph(graph, *, fmt: str = "turtle") -> str:
    """An rdflib graph or dataset (a store's union, a file read) as text in an rdflib format name.

    TriG keeps each named graph; the other formats write the union of them.
    """
    from rdflib import Dataset

    from ..ontology.namespace import bind_prefixes

    if fmt == "trig":
        out = Dataset()
        bind_prefixes(out)
        if isinstance(graph, Dataset):
            for s, p, o, ctx in graph.quads((None, None, None, None)):
                name = getattr(ctx, "identifier", ctx)
                out.graph(name).add((s, p, _plain(o)))
        else:
            named = out.graph(graph.identifier)
            for s, p, o in graph:
                named.add((s, p, _plain(o)))
        return out.serialize(format="trig")
    out = Graph()
    bind_prefixes(out)
    for s, p, o in graph.triples((None, None, None)):
        out.add((s, p, _plain(o)))
    return _in_order(out.serialize(format=fmt), fmt)


# --- the network (graph/network.py) for Gephi, Cytoscape and notebooks ----------------------------------

NODE_COLUMNS = ("kind", "id", "type", "group", "label", "date", "date_latest", "precision", "promises", "summary",
                "country", "role", "legal_basis", "scope", "publisher", "defined_at")
EDGE_COLUMNS = ("relation", "causal", "claim", "claimant", "confidence", "confidence_level", "evidence", "disputed",
                "disputed_by", "sources", "defined_at")


def _scalar(value):
    """An attribute value GraphML, GEXF and CSV can hold: dates as ISO text, lists as space-separated text."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def exportable_network(net):
    """A copy of a network whose attributes are all str, int, float or bool (None and empty lists left out),
    graph data dropped."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.add_nodes_from((n, {k: _scalar(v) for k, v in a.items() if _present(v)}) for n, a in net.nodes(data=True))
    out.add_edges_from((u, v, k, {x: _scalar(y) for x, y in a.items() if _present(y)})
                       for u, v, k, a in net.edges(keys=True, data=True))
    return out


def _present(value) -> bool:
    """Whether a node or edge has the value: not None, and not an empty list (no disputants, no sources)."""
    return value is not None and not (isinstance(value, (list, tuple, set, frozenset)) and not value)


class ExportError(ValueError):
    """A graph the format cannot hold: exit 2."""


# What XML 1.0 cannot hold, even escaped: control characters (but tab and line breaks), lone surrogates, FFFE/FFFF
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_ready(g, fmt: str):
    """The exportable network `g`, or ExportError naming the first node or edge with text XML cannot hold (a
    literal from an RDF file or a store: the timeline reader refuses such characters)."""
    def check(where: str, a: dict, at) -> None:
        for k, v in a.items():
            bad = _NOT_XML.search(v) if isinstance(v, str) else None
            if bad:
                place = f"{at}: " if at else ""
                raise ExportError(f"{place}{where}: its {k} holds the character U+{ord(bad.group()):04X}, which "
                                  f"{fmt} (XML) cannot hold; export as csv or as RDF instead")
    for n, a in g.nodes(data=True):
        check(f"node {n}", a, a.get("defined_at"))
    for u, v, k, a in g.edges(keys=True, data=True):
        check(f"edge {u} -> {v} ({k})", {"key": k, **a} if isinstance(k, str) else a, a.get("defined_at"))
    return g


def graphml_bytes(net) -> bytes:
    """The network as GraphML (UTF-8): nodes keyed by IRI, every attribute a typed GraphML key. ExportError for
    text XML cannot hold."""
    import networkx as nx

    g = _xml_ready(exportable_network(net), "GraphML")
    return "\n".join(nx.generate_graphml(g, encoding="utf-8")).encode("utf-8") + b"\n"


def gexf_bytes(net) -> bytes:
    """The network as GEXF 1.2 (UTF-8), for Gephi.

    GEXF reserves a node's `id`, so the identifier is the attribute `identifier`; events carry `start` (their
    earliest date), so Gephi's timeline shows them appearing in order; edges are labelled with their relation.
    ExportError for text XML cannot hold.
    """
    import networkx as nx

    g = _xml_ready(exportable_network(net), "GEXF")
    for _, a in g.nodes(data=True):
        a["identifier"] = a.pop("id")
        if a["kind"] == "event" and "date" in a:
            a["start"] = a["date"]
    for _, _, a in g.edges(data=True):
        a["label"] = a["relation"]
    text = "\n".join(nx.generate_gexf(g, encoding="utf-8"))
    # networkx dates the file today: two exports of one graph would differ
    text = re.sub(r'(<meta) lastmodifieddate="[^"]*"', r"\1", text, count=1)
    return text.encode("utf-8") + b"\n"


def _columns(known, present: set) -> list[str]:
    return [c for c in known if c in present] + sorted(present - set(known))


def csv_tables(net) -> dict[str, str]:
    """The network as two CSV tables: {"nodes.csv": ..., "edges.csv": ...}, keyed by node IRI."""
    import csv
    import io

    g = exportable_network(net)
    tables = {}
    node_cols = _columns(NODE_COLUMNS, {k for _, a in g.nodes(data=True) for k in a})
    edge_cols = _columns(EDGE_COLUMNS, {k for _, _, a in g.edges(data=True) for k in a})
    for name, header, rows in (
        ("nodes.csv", ["node", *node_cols], ([n, *(a.get(c, "") for c in node_cols)] for n, a in g.nodes(data=True))),
        ("edges.csv", ["source", "target", "key", *edge_cols],
         ([u, v, k, *(a.get(c, "") for c in edge_cols)] for u, v, k, a in g.edges(keys=True, data=True))),
    ):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        tables[name] = buf.getvalue()
    return tables


def export_files(graph, *, fmt: str) -> dict[str, bytes]:
    """The graph in an export format, as {file name: content}: one file, or nodes.csv and edges.csv for csv.

    `graph` is an rdflib graph (the network formats project it with network.network_graph first).
    """
    if fmt in RDF_FORMATS:
        return {f"graph.{fmt}": serialize_graph(graph, fmt=RDF_FORMATS[fmt]).encode("utf-8")}
    if fmt not in NETWORK_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(EXPORT_FORMATS)})")
    from .network import network_graph

    net = network_graph(graph)
    if fmt == "graphml":
        return {"network.graphml": graphml_bytes(net)}
    if fmt == "gexf":
        return {"network.gexf": gexf_bytes(net)}
    return {name: text.encode("utf-8") for name, text in csv_tables(net).items()}
