"""Every named query gives the same rows (order aside) in memory, on disk, and on a real Oxigraph SPARQL server.

The server is the `oxigraph` binary from PyPI, started on a free loopback port by the `server` fixture and
stopped by its process id. Also here: parameters are data on every store, and loads that fail half way
(through a proxy that breaks mid-way) leave the server as it was.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph.build import graph_iri, triples
from parley.graph.query import QueryError, named_query, parse_query_text, query_names, run_query
from parley.graph.store import LOADING, Endpoint, StoreError, load, read_graph
from parley.ontology.namespace import RELATION_PROPERTIES, TYPE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from synth import synthetic_timeline  # noqa: E402

DATA = Path(__file__).parent / "data"
INJECTION = 'x" } ; DROP ALL ; #'


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The query URL of an Oxigraph server on a free loopback port, stopped (by its pid) after the module."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.fail("the oxigraph server binary is missing: pip install oxigraph (a test dependency)")
    port = free_port()
    log = tmp_path_factory.mktemp("oxigraph-log") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph-db")),
                                 "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Endpoint(url, timeout=2).select("ASK {}")
                break
            except StoreError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the oxigraph server did not start: {log.read_text()[-500:]}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


TIMELINES = {
    "small": lambda: read_timeline([DATA / "small.yaml"]),
    "chains": lambda: read_timeline([DATA / "chains.yaml"]),
    "synthetic": lambda: synthetic_timeline(400, seed=7),
}


@pytest.fixture(scope="module")
def stores(server, tmp_path_factory):
    """{timeline name: {store kind: graph}}: each timeline in memory, in its own directory, on the server."""
    out = {}
    for name, make in TIMELINES.items():
        timeline = make()
        folder = tmp_path_factory.mktemp(f"kg-{name}")
        load(f"oxigraph:{folder}", timeline)
        load(f"sparql:{server}", timeline)
        out[name] = {
            "memory": read_graph(timeline=timeline),
            "oxigraph": read_graph(store=f"oxigraph:{folder}"),
            "timeline": timeline,
        }
    # The server holds all three timelines; each comparison reads it through that timeline's graph only.
    for name in TIMELINES:
        out[name]["sparql"] = read_graph(store=f"sparql:{server}")
        out[name]["sparql"].store.graphs = [str(graph_iri(out[name]["timeline"]))]
    return out


def sample_params(query, timeline) -> dict:
    """A value for each parameter of a query, taken from the timeline so that the answer is not empty."""
    links = timeline.links
    start = links[0].cause if links else next(iter(timeline.events))
    reached, frontier = [start], [start]          # the events reachable from `start`, nearest first
    while frontier:
        frontier = [ln.effect for ln in links if ln.cause in frontier and ln.effect not in reached]
        reached += frontier
    tariffs = [lv.id for lv in timeline.levers.values() if lv.kind == "tariff"]
    days = sorted(e.date.earliest for e in timeline.events.values())
    params = {}
    for p in query.params:
        value = {
            "event": reached[-1] if "causes" in query.name or p.name == "to" else start,
            "actor": next(iter(timeline.actors)),
            "lever": tariffs[0] if tariffs else next(iter(timeline.levers), None),
            "claim": links[0].id if links else None,
            "date": (days[-1] if p.name == "to" else days[len(days) // 4]).isoformat(),
            "integer": "3", "decimal": "0.5", "string": "x",
            "iri": {"type": str(TYPE[timeline.events[start].type]),  # network-events and -event-dates
                    "relation": str(RELATION_PROPERTIES[links[0].relation]) if links else None,  # network-claims
                    }.get(p.name, "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"),  # a property every timeline uses
        }.get(p.type)
        if value is not None:
            params[p.name] = value
    return params


def canonical(result) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in result.to_dict()["rows"])


@pytest.mark.parametrize("timeline", list(TIMELINES))
def test_every_named_query_agrees_on_every_store(stores, timeline):
    graphs = stores[timeline]
    compared = 0
    for name in query_names():
        q = named_query(name)
        params = sample_params(q, graphs["timeline"])
        answers = {}
        for kind in ("memory", "oxigraph", "sparql"):
            try:
                answers[kind] = canonical(run_query(graphs[kind], q, params=params))
            except QueryError as e:
                answers[kind] = f"error: {e}"
        assert answers["memory"] == answers["oxigraph"] == answers["sparql"], name
        compared += bool(answers["memory"]) and not isinstance(answers["memory"], str)
    # A few queries have no rows on a given timeline: chains.yaml has no quantities and every date exact to the
    # day (audit-latest, audit-precision, three *-quantities and network-figures).
    assert compared >= len(query_names()) - 6


CAUSAL = ("actor-events", "causes-of", "chain", "disputed-claims", "effects-of", "lever-state",
          "security-before-relief", "threat-outcomes", "unsourced")


@pytest.mark.parametrize("timeline", list(TIMELINES))
def test_the_causal_queries_agree_on_rdflibs_own_engine(stores, timeline):
    """Plain SPARQL 1.1, written around Oxigraph's plans: rdflib's engine on the same triples gives the same rows."""
    from rdflib import Graph

    from parley.graph.build import triples

    graphs = stores[timeline]
    tl = graphs["timeline"] if timeline != "synthetic" else synthetic_timeline(60, seed=7)  # rdflib is slow
    memory = graphs["memory"] if timeline != "synthetic" else read_graph(timeline=tl)
    plain = Graph()
    for t in triples(tl):
        plain.add(t)
    compared = 0
    for name in CAUSAL:
        q = named_query(name)
        params = sample_params(q, tl)
        expected = canonical(run_query(memory, q, params=params))
        assert canonical(run_query(plain, q, params=params)) == expected, name
        compared += bool(expected)
    assert compared >= 7


def test_the_synthetic_comparison_is_not_vacuous(stores):
    graphs = stores["synthetic"]
    for name in ("security-before-relief", "threat-outcomes", "disputed-claims", "unsourced"):
        assert len(run_query(graphs["sparql"], name)) > 3, name
    t = graphs["timeline"]
    deep = run_query(graphs["sparql"], "effects-of", params={"event": t.links[0].cause})
    assert max(r["distance"].toPython() for r in deep) >= 2


def count(graph) -> int:
    return int(run_query(graph, parse_query_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))[0]["n"])


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "sparql"])
def test_injection_is_data_on_every_store(stores, kind):
    graph = stores["small"][kind]
    before = count(graph)
    with pytest.raises(QueryError, match="unknown event id"):
        run_query(graph, "causes-of", params={"event": INJECTION})
    with pytest.raises(QueryError, match="unknown actor id"):
        run_query(graph, "actor-events", params={"actor": INJECTION})
    lookup = parse_query_text("# param name: string\n"
                              "SELECT ?e WHERE { ?e <http://purl.org/dc/terms/identifier> ?name }")
    assert run_query(graph, lookup, params={"name": INJECTION}) == []
    assert len(run_query(graph, lookup, params={"name": "pause-1"})) == 1
    assert count(graph) == before > 300


def test_cli_reads_the_union_on_the_server(stores, server):
    r = CliRunner().invoke(main, ["query", "threat-outcomes", "--store", f"sparql:{server}", "--format", "json"])
    assert r.exit_code == 0, r.output
    expected = [row for name in TIMELINES
                for row in run_query(stores[name]["memory"], "threat-outcomes").to_dict()["rows"]]
    assert sorted(map(json.dumps, json.loads(r.output)["rows"])) == sorted(map(json.dumps, expected))


# --- loads that fail half way ---------------------------------------------------------------------------------

class _Proxy(BaseHTTPRequestHandler):
    """Forwards POSTs to the server; the `plan` says what to do with the n-th one: forward, fail, or cut."""

    target: str = ""
    plan = staticmethod(lambda n: "forward")
    seen = 0

    def do_POST(self):  # noqa: N802
        cls = type(self)
        cls.seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        action = cls.plan(cls.seen)
        path = self.path.replace("/proxy-query", "/query").replace("/proxy-update", "/update")
        if action == "fail":
            self.send_error(503, "upstream unavailable")
            return
        if action == "cut":
            # Send the server the headers and half the body, then hang up on both sides.
            host, port = self.target.split(":")
            with socket.create_connection((host, int(port))) as up:
                up.sendall(f"POST {path} HTTP/1.1\r\nHost: {self.target}\r\n"
                           f"Content-Type: {self.headers['Content-Type']}\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        req = urllib.request.Request(f"http://{self.target}{path}", data=body, method="POST",
                                     headers={k: v for k, v in self.headers.items()
                                              if k.lower() in ("content-type", "accept")})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, data = resp.status, resp.read()
                ctype = resp.headers.get("Content-Type", "text/plain")
        except urllib.error.HTTPError as e:
            status, data, ctype = e.code, e.read(), "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(server):
    """start(plan) -> 'sparql:QUERY|UPDATE' through a proxy to the server; the proxy is stopped after the test."""
    running = []

    def start(plan):
        handler = type("Proxy", (_Proxy,), {"target": server.split("/")[2], "plan": staticmethod(plan), "seen": 0})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        running.append(httpd)
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        return f"sparql:{base}/proxy-query|{base}/proxy-update"

    yield start
    for httpd in running:
        httpd.shutdown()
        httpd.server_close()


def server_state(server, name) -> tuple:
    """The rows of a few queries on the timeline's graph, and the server's named graphs (temporary ones too)."""
    graph = read_graph(store=f"sparql:{server}")
    graph.store.graphs = [name]
    rows = tuple(tuple(canonical(run_query(graph, q))) for q in ("unsourced", "security-before-relief"))
    graphs = sorted(str(r[0]) for r in Endpoint(server).select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"))
    return rows, count(graph), graphs


def shrunk(timeline):
    """The same timeline (same graph) with half its events and no links: what a failed load must not leave."""
    t = read_timeline([DATA / "small.yaml"])
    t.events = dict(list(t.events.items())[:4])
    t.links = []
    return t


@pytest.mark.parametrize("plan, batch_size, message", [
    (lambda n: "cut" if n == 2 else "forward", 100_000, "connection"),     # the one-request load, cut mid-body
    (lambda n: "fail" if n == 4 else "forward", 50, "HTTP 503"),           # batch 3 of a batched load refused
    (lambda n: "cut" if n == 3 else "forward", 50, "connection"),          # a batch cut mid-body
    (lambda n: "fail" if n >= 3 else "forward", 50, "HTTP 503"),           # the endpoint gone for good
])
def test_interrupted_load_leaves_the_server_as_it_was(stores, server, proxy, plan, batch_size, message):
    small = stores["small"]["timeline"]
    name = str(graph_iri(small))
    before = server_state(server, name)
    spec = proxy(plan)
    with pytest.raises(StoreError, match=message) as e:
        load(spec, shrunk(small), batch_size=batch_size)
    assert "proxy-" in str(e.value)                                       # names the URL that failed
    rows, triples, graphs = server_state(server, name)
    assert (rows, triples) == before[:2]
    # a temporary graph may be left only when the endpoint went away for good; readers skip it
    leftover = [g for g in graphs if g.startswith(LOADING)]
    assert not leftover or message == "HTTP 503" and plan(10) == "fail"
    for g in leftover:
        Endpoint(server).update(f"DROP SILENT GRAPH <{g}>")


def test_a_load_through_the_proxy_works_when_nothing_fails(stores, server, proxy):
    small = stores["small"]["timeline"]
    spec = proxy(lambda n: "forward")
    assert load(spec, small, batch_size=60).triples == 324
    assert server_state(server, str(graph_iri(small)))[1] == 324


def test_cli_load_through_a_failing_endpoint_exits_2(stores, server, proxy):
    spec = proxy(lambda n: "fail" if n >= 2 else "forward")
    r = CliRunner().invoke(main, ["load", "--store", spec, "--timeline", str(DATA / "small.yaml")])
    assert r.exit_code == 2 and "HTTP 503" in r.output and "/proxy-update" in r.output


def test_the_load_report_counts_the_triples_the_graph_holds(server, tmp_path):
    # Two claims of one link (two claimants) each give the direct edge between the events: it is built twice, and
    # a store keeps it once. The report says what the graph holds, on disk and on the server alike.
    path = tmp_path / "twice.yaml"
    path.write_text((DATA / "small.yaml").read_text(encoding="utf-8") + (
        "  - {id: second-claim, cause: pledge-1, effect: pause-1, relation: in-exchange-for, claimed_by: borduria}\n"),
        encoding="utf-8")
    timeline = read_timeline([path])
    distinct = len(set(triples(timeline)))
    assert sum(1 for _ in triples(timeline)) > distinct
    on_disk = load(f"oxigraph:{tmp_path / 'kg'}", timeline)
    on_server = load(f"sparql:{server}", timeline)
    assert on_disk.triples == on_server.triples == distinct
    assert len(read_graph(store=f"oxigraph:{tmp_path / 'kg'}")) == distinct
