"""Stores: parsing --store, atomic loads into Oxigraph (memory and on disk), endpoint errors, `parley load`.

The differential tests against a real Oxigraph server are in tests/test_queries_differential.py.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph.build import graph_iri, triples
from parley.graph.query import QueryError, run_query
from parley.graph.store import (
    LOADING, Endpoint, EndpointStore, StoreError, StoreSpec, default_update_url, load, open_dataset, parse_graph_file,
    parse_store, read_graph,
    replace_graph,
)

SMALL = Path(__file__).parent / "data" / "small.yaml"
CHAINS = Path(__file__).parent / "data" / "chains.yaml"


@pytest.fixture(scope="module")
def small_timeline():
    return read_timeline([SMALL])


def quads(ds) -> set:
    return {(s, p, o, str(getattr(g, "identifier", g))) for s, p, o, g in ds.quads((None, None, None, None))}


def graphs_of(ds) -> set[str]:
    return {g.value for g in ds.store._inner.named_graphs()}


def failing(stream, after: int):
    """The triples of `stream`, then an error after `after` of them (a load interrupted half way)."""
    for i, t in enumerate(stream):
        if i == after:
            raise KeyboardInterrupt("interrupted")
        yield t


# --- --store ------------------------------------------------------------------------------------------------

def test_parse_store():
    assert parse_store("memory") == StoreSpec("memory")
    assert parse_store("oxigraph:some/dir") == StoreSpec("oxigraph", "some/dir")
    assert parse_store("sparql:http://h:7878/query") == StoreSpec("sparql", "http://h:7878/query")
    assert parse_store("sparql:http://h/q|http://h/u") == StoreSpec("sparql", "http://h/q", "http://h/u")
    for bad in ("disk", "oxigraph:", "sparql:ftp://h/q", "fuseki:http://h", "sparql:http://h/q|nope",
                "sparql:http://h:99999/q", "sparql:http://h:0/q", "sparql:http:///q", "sparql:http://h/a b",
                "sparql:http://h/q|http://h/u|http://h/v", "sparql:http://[::1/q"):
        with pytest.raises(StoreError, match="--store"):
            parse_store(bad)


def test_default_update_url():
    assert default_update_url("http://h:7878/query") == "http://h:7878/update"
    assert default_update_url("http://h/ds/sparql") == "http://h/ds/update"
    assert default_update_url("http://h/sparql-endpoint") == "http://h/sparql-endpoint"


# --- atomic loads into Oxigraph -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_load_replaces_a_timeline_graph(tmp_path, small_timeline, kind):
    ds = open_dataset(StoreSpec(kind, str(tmp_path / "kg") if kind == "oxigraph" else None))
    name = graph_iri(small_timeline)
    # 320 triples and a parley:leadsTo for each of the 4 claims' direct edges
    assert replace_graph(ds, name, triples(small_timeline)) == (324, False)
    first = quads(ds)
    assert replace_graph(ds, name, triples(small_timeline), batch_size=7) == (324, True)
    assert quads(ds) == first and len(first) == 324
    assert graphs_of(ds) == {str(name)}


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_interrupted_load_leaves_the_store_as_it_was(tmp_path, small_timeline, kind):
    ds = open_dataset(StoreSpec(kind, str(tmp_path / "kg") if kind == "oxigraph" else None))
    name = graph_iri(small_timeline)
    # a new graph: removed again
    with pytest.raises(KeyboardInterrupt):
        replace_graph(ds, name, failing(triples(small_timeline), 150), batch_size=50)
    assert quads(ds) == set()
    # an existing graph: untouched, and no temporary graph left behind
    replace_graph(ds, name, triples(small_timeline))
    before = quads(ds)
    with pytest.raises(KeyboardInterrupt):
        replace_graph(ds, name, failing(triples(small_timeline), 300), batch_size=50)
    assert quads(ds) == before
    assert not any(g.startswith(LOADING) for g in graphs_of(ds))
    with pytest.raises(StoreError, match="not an RDF term"):
        replace_graph(ds, name, iter([(1, 2, 3)]))
    assert quads(ds) == before


def test_load_into_a_directory_and_read_it_back(tmp_path, small_timeline):
    spec = f"oxigraph:{tmp_path / 'kg'}"
    seen = []
    report = load(spec, small_timeline, progress=seen.append, batch_size=100)
    assert report.to_dict() == {"store": spec, "graph": "https://example.org/small/graph", "triples": 324,
                                "replaced": False}
    assert seen == [100, 200, 300, 324]
    assert load(spec, small_timeline).replaced
    graph = read_graph(store=spec)
    assert len(graph) == 324
    assert [r["relief_id"].toPython() for r in run_query(graph, "security-before-relief")] == ["pause-1", "extend-1"]


@pytest.mark.parametrize("suffix, fmt", [(".ttl", "turtle"), (".trig", "trig")])
def test_a_graph_file_without_leads_to_gets_it_when_read(tmp_path, small_timeline, suffix, fmt):
    """Chains follow parley:leadsTo, which parley writes: a file made by hand or by an older parley lacks it."""
    from rdflib import Graph

    from parley.ontology.namespace import PARLEY

    ds = Dataset()
    graph = Graph() if fmt == "turtle" else ds.graph(URIRef("https://example.org/small/graph"))
    for t in triples(small_timeline):
        if t[1] != PARLEY.leadsTo:
            graph.add(t)
    path = tmp_path / f"old{suffix}"
    (graph if fmt == "turtle" else ds).serialize(str(path), format=fmt)
    read = read_graph(graph_file=str(path))
    assert len(list(read.triples((None, PARLEY.leadsTo, None)))) == 4
    assert [r["relief_id"].toPython() for r in run_query(read, "security-before-relief")] == ["pause-1", "extend-1"]


def test_load_needs_a_persistent_store(small_timeline, tmp_path):
    with pytest.raises(StoreError, match="memory"):
        load("memory", small_timeline)
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        load(f"oxigraph:{tmp_path / 'file'}", small_timeline)


def test_a_folder_of_other_files_is_no_store(small_timeline, tmp_path):
    (tmp_path / "notes.yaml").write_text("x")
    with pytest.raises(StoreError, match="a folder of other files, not an Oxigraph store"):
        load(f"oxigraph:{tmp_path}", small_timeline)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.yaml"]
    empty = tmp_path / "kg"  # a folder with only a hidden placeholder is as good as empty
    empty.mkdir()
    (empty / ".gitkeep").write_text("")
    load(f"oxigraph:{empty}", small_timeline)
    result = CliRunner().invoke(main, ["timeline", "--store", f"oxigraph:{tmp_path / 'notes.yaml'}"])
    assert result.exit_code == 2 and result.stderr.splitlines() == [
        f"--store oxigraph:{tmp_path / 'notes.yaml'}: not a directory"]


@pytest.mark.parametrize("command", [["audit"], ["timeline"], ["query", "threat-outcomes"], ["analyze", "lags"]])
def test_reading_a_store_that_is_not_there_is_bad_input(tmp_path, command):
    """Not an empty store made there and an empty answer."""
    missing = tmp_path / "kg"
    result = CliRunner().invoke(main, [*command, "--store", f"oxigraph:{missing}"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"--store oxigraph:{missing}: no store there (make one with "
                                          f"`parley load --store oxigraph:{missing}`)"]
    assert not missing.exists()


@pytest.mark.parametrize("context", ['"http://127.0.0.1:9/context.jsonld"', '["https://example.org/c", {}]',
                                     '[{"@import": "file:///etc/hostname"}]'])
def test_a_json_ld_file_naming_a_context_document_is_refused(tmp_path, context):
    """rdflib would fetch it while parsing a file that may come from anyone; nothing is fetched."""
    path = tmp_path / "g.jsonld"
    path.write_text('{"@context": ' + context + ', "@id": "https://example.org/a", "https://example.org/p": "x"}')
    with pytest.raises(StoreError, match="is a document to fetch; parley reads only JSON-LD whose contexts are "
                                         "written in the file"):
        parse_graph_file(str(path))
    path.write_text('{"@graph": [{"@context": {"p": "https://example.org/p"}, "@id": "https://example.org/a", '
                    '"p": "x"}]}')  # a context written in the file, nested: read
    assert len(parse_graph_file(str(path))) >= 1


# --- endpoints that fail ------------------------------------------------------------------------------------

class _Answer(BaseHTTPRequestHandler):
    status = 500

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"storage on fire"
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def answering():
    """A local HTTP server answering every POST with the status set on it; stopped after the test."""
    servers = []

    def start(status: int) -> str:
        handler = type("Handler", (_Answer,), {"status": status})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("status", [404, 500, 503])
def test_endpoint_status_errors_name_url_and_status(answering, status):
    url = answering(status)
    with pytest.raises(StoreError) as e:
        read_graph(store=f"sparql:{url}")
    assert str(e.value).startswith(f"{url}: HTTP {status}") and "storage on fire" in str(e.value)


def test_endpoint_refusing(small_timeline):
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match=f"^{url}: cannot connect"):
        read_graph(store=f"sparql:{url}")
    with pytest.raises(StoreError, match="cannot connect"):
        load(f"sparql:{url}", small_timeline)


def test_endpoint_timing_out():
    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        with pytest.raises(StoreError, match=rf"^{url}: no answer within 0.3 s"):
            Endpoint(url, timeout=0.3).select("ASK {}")


def test_cli_endpoint_errors_exit_2(answering, monkeypatch):
    url = answering(502)
    r = CliRunner().invoke(main, ["query", "unsourced", "--store", f"sparql:{url}"])
    assert r.exit_code == 2 and f"{url}: HTTP 502" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["load", "--store", f"sparql:{url}", "--timeline", str(SMALL)])
    assert r.exit_code == 2 and f"{url}: HTTP 502" in r.output
    for value in ("soon", "-1", "0", "nan", "inf", "1e999"):
        monkeypatch.setenv("PARLEY_SPARQL_TIMEOUT", value)
        r = CliRunner().invoke(main, ["query", "unsourced", "--store", f"sparql:{url}"])
        assert r.exit_code == 2 and r.stderr.splitlines() == [
            f"PARLEY_SPARQL_TIMEOUT={value!r}: not a number of seconds above 0 and below 1e9"], value


# --- parley load ----------------------------------------------------------------------------------------------

def test_cli_load(tmp_path):
    spec = f"oxigraph:{tmp_path / 'kg'}"
    r = CliRunner().invoke(main, ["load", "--store", spec, "--timeline", str(SMALL)])
    assert r.exit_code == 0, r.output
    # not a terminal: no progress bar, one line saying what was done
    assert r.output == f"loaded https://example.org/small/graph in {spec}: 324 triples\n"
    r = CliRunner().invoke(main, ["load", "--store", spec, "--timeline", str(SMALL), "--format", "json"])
    assert r.exit_code == 0 and '"replaced": true' in r.output
    r = CliRunner().invoke(main, ["query", "disputed-claims", "--store", spec, "--format", "csv"])
    assert r.exit_code == 0 and "raid-1.in-exchange-for.extend-1" in r.output
    r = CliRunner().invoke(main, ["load", "--store", "memory", "--timeline", str(SMALL)])
    assert r.exit_code == 2 and "nothing would be kept" in r.output


def test_query_error_on_an_unknown_store_kind():
    r = CliRunner().invoke(main, ["query", "unsourced", "--store", "mongo:x"])
    assert r.exit_code == 2 and "unknown store kind" in r.output


def test_store_errors_reach_query_callers_as_query_errors(answering):
    url = answering(500)
    endpoint_graph = Dataset(store=EndpointStore(Endpoint(url), []), default_union=True)
    with pytest.raises(QueryError, match=f"{url}: HTTP 500"):
        run_query(endpoint_graph, "unsourced")


def test_a_reading_command_releases_an_on_disk_store_so_the_next_can_open_it(tmp_path):
    from click.testing import CliRunner

    from parley.cli import main

    store = f"oxigraph:{tmp_path / 'kg'}"
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", "--store", store, "--timeline", str(SMALL)])
    assert loaded.exit_code == 0, loaded.output
    for attempt in range(2):  # the same process opens the folder twice: the first command must have let go of it
        result = runner.invoke(main, ["timeline", "--store", store, "--format", "json"])
        assert result.exit_code == 0, (attempt, result.output)


# --- loads killed outright, large graphs, streamed timelines ------------------------------------------------

_KILLED_LOAD = """
import os, signal, sys
from parley.events.read import read_timeline
from parley.graph import store
store.BULK_SLICE = 40  # several bulk-loader calls, so part of the graph is on disk when the process dies
kill_at = int(sys.argv[3])

def progress(n):
    if n >= kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

store.load("oxigraph:" + sys.argv[2], read_timeline([sys.argv[1]]), progress=progress, batch_size=20)
"""


def _killed_load(folder: Path, kill_at: int) -> int:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _KILLED_LOAD, str(SMALL), str(folder), str(kill_at)])
    return done.returncode


def _raw_graphs(folder: Path) -> dict[str, int]:
    """Quads per named graph, read without parley (no recovery)."""
    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    counts: dict[str, int] = {}
    for q in store:
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
    del store
    return counts


def test_a_killed_load_leaves_the_store_as_it_was(tmp_path, small_timeline):
    import signal

    folder = tmp_path / "kg"
    name = str(graph_iri(small_timeline))
    # a new graph: part of it is on disk, under a marker; opening the store removes both
    assert _killed_load(folder, 200) == -signal.SIGKILL
    left = _raw_graphs(folder)
    assert 0 < left.pop(name) < 324 and [g for g in left if g.startswith(LOADING)]
    ds = open_dataset(StoreSpec("oxigraph", str(folder)))
    assert quads(ds) == set() and graphs_of(ds) == set()
    replace_graph(ds, graph_iri(small_timeline), triples(small_timeline))
    before = quads(ds)
    ds.close()
    # an existing graph: the new triples went to a temporary graph; the old graph is untouched
    assert _killed_load(folder, 200) == -signal.SIGKILL
    left = _raw_graphs(folder)
    assert left.pop(name) == 324 and [g for g in left if g.startswith(LOADING)]
    ds = open_dataset(StoreSpec("oxigraph", str(folder)))
    assert quads(ds) == before and graphs_of(ds) == {name}
    ds.close()


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_large_graph_is_replaced_in_slices(tmp_path, small_timeline, kind, monkeypatch):
    """Over SWAP_IN_ONE quads the new graph is copied in slices, not moved in one transaction."""
    from parley.graph import store as store_module

    monkeypatch.setattr(store_module, "SWAP_IN_ONE", 100)
    monkeypatch.setattr(store_module, "BULK_SLICE", 30)
    monkeypatch.setattr(store_module, "DROP_BATCH", 7)
    ds = open_dataset(StoreSpec(kind, str(tmp_path / "kg") if kind == "oxigraph" else None))
    name = graph_iri(small_timeline)
    replace_graph(ds, name, triples(small_timeline))
    chains = read_timeline([CHAINS])
    expected = _loaded(name, chains)
    swaps = []
    swap = store_module._swap
    monkeypatch.setattr(store_module, "_swap", lambda *args: swaps.append(args[2]) or swap(*args))
    assert replace_graph(ds, name, triples(chains)) == (len(expected), True)
    assert quads(ds) == expected and swaps == [swaps[0]] and swaps[0].value == str(name)
    assert graphs_of(ds) == {str(name)}
    # a small graph over a large one: the old graph is removed in slices too
    small = {t for t in triples(chains)}
    few = list(small)[:20]
    assert replace_graph(ds, name, iter(few)) == (20, True) and len(swaps) == 2
    assert len(quads(ds)) == 20
    assert replace_graph(ds, name, iter(few)) == (20, True) and len(swaps) == 2  # both small: one MOVE


def test_a_switch_cut_short_is_finished_when_the_store_is_next_opened(tmp_path, small_timeline, monkeypatch):
    from parley.graph import store as store_module

    monkeypatch.setattr(store_module, "SWAP_IN_ONE", 100)
    monkeypatch.setattr(store_module, "BULK_SLICE", 40)
    folder = tmp_path / "kg"
    name = graph_iri(small_timeline)
    ds = open_dataset(StoreSpec("oxigraph", str(folder)))
    replace_graph(ds, name, triples(small_timeline))
    swap = store_module._swap

    def cut_short(store, temporary, graph, marker):
        store.remove_graph(graph)  # part of the work done, then an interrupt
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "_swap", cut_short)
    with pytest.raises(StoreError, match="finished the next time the store is opened"):
        replace_graph(ds, name, triples(read_timeline([CHAINS])))
    ds.close()
    monkeypatch.setattr(store_module, "_swap", swap)
    ds = open_dataset(StoreSpec("oxigraph", str(folder)))
    assert quads(ds) == _loaded(name, read_timeline([CHAINS])) and graphs_of(ds) == {str(name)}
    ds.close()


def _loaded(name, timeline) -> set:
    """The quads a fresh in-memory store holds once `timeline` is loaded into graph `name`."""
    fresh = open_dataset(StoreSpec("memory", None))
    replace_graph(fresh, name, triples(timeline))
    return quads(fresh)


_KILLED_SWAP = """
import os, signal, sys
from parley.events.read import read_timeline
from parley.graph import store
from parley.graph.build import graph_iri, triples
store.SWAP_IN_ONE, store.BULK_SLICE = 100, 40
swap = store._swap

class Dying:
    \"\"\"The store, killed outright at its second bulk load: half way through copying the new graph in.\"\"\"
    def __init__(self, inner):
        self.inner, self.calls = inner, 0
    def __getattr__(self, name):
        return getattr(self.inner, name)
    def bulk_extend(self, quads):
        self.calls += 1
        if self.calls == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        self.inner.bulk_extend(quads)

store._swap = lambda inner, *rest: swap(Dying(inner), *rest)
ds = store.open_dataset(store.StoreSpec("oxigraph", sys.argv[2]))
store.replace_graph(ds, graph_iri(read_timeline([sys.argv[1]])), triples(read_timeline([sys.argv[3]])))
"""


def test_a_swap_killed_half_way_is_finished_when_the_store_opens(tmp_path, small_timeline):
    import signal
    import subprocess
    import sys

    folder = tmp_path / "kg"
    name = str(graph_iri(small_timeline))
    ds = open_dataset(StoreSpec("oxigraph", str(folder)))
    replace_graph(ds, name, triples(small_timeline))
    ds.close()
    done = subprocess.run([sys.executable, "-c", _KILLED_SWAP, str(SMALL), str(folder), str(CHAINS)])
    assert done.returncode == -signal.SIGKILL
    left = _raw_graphs(folder)
    chains = _loaded(name, read_timeline([CHAINS]))
    assert left.pop(name) == 40  # the old graph removed, one slice of the new one copied
    assert sorted(left.values()) == [1, len(chains)]  # the marker recording the swap, and the new graph
    ds = open_dataset(StoreSpec("oxigraph", str(folder)))
    assert quads(ds) == chains and graphs_of(ds) == {name}
    ds.close()


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_failed_load_of_a_large_graph_is_removed_in_small_transactions(tmp_path, small_timeline, kind,
                                                                         monkeypatch):
    from parley.graph import store as store_module

    monkeypatch.setattr(store_module, "BULK_SLICE", 30)
    monkeypatch.setattr(store_module, "DROP_BATCH", 7)
    ds = open_dataset(StoreSpec(kind, str(tmp_path / "kg") if kind == "oxigraph" else None))
    name = graph_iri(small_timeline)
    with pytest.raises(KeyboardInterrupt):
        replace_graph(ds, name, failing(triples(small_timeline), 250), batch_size=10)
    assert quads(ds) == set() and graphs_of(ds) == set()
    assert replace_graph(ds, name, triples(small_timeline)) == (324, False)
    before = quads(ds)
    with pytest.raises(KeyboardInterrupt):
        replace_graph(ds, name, failing(triples(small_timeline), 250), batch_size=10)
    assert quads(ds) == before and graphs_of(ds) == {str(name)}


def test_load_streams_a_timeline_given_in_chunks(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from synth import synthetic_stream, synthetic_timeline

    whole = load(f"oxigraph:{tmp_path / 'whole'}", synthetic_timeline(1500, seed=3))
    head, chunks = synthetic_stream(1500, seed=3, chunk=200)
    seen = []
    streamed = load(f"oxigraph:{tmp_path / 'streamed'}", head, chunks=chunks, progress=seen.append, batch_size=10_000)
    assert streamed.triples == whole.triples > 50_000 and streamed.graph == whole.graph
    assert seen == [*range(10_000, whole.triples, 10_000), whole.triples]
    a, b = read_graph(store=f"oxigraph:{tmp_path / 'whole'}"), read_graph(store=f"oxigraph:{tmp_path / 'streamed'}")
    assert quads(a) == quads(b)
    a.close()
    b.close()


def test_a_graph_named_like_a_load_in_progress_is_refused(tmp_path, small_timeline):
    """Names under LOADING are removed whenever a store opens: a user's graph must never get one."""
    ds = open_dataset(parse_store(f"oxigraph:{tmp_path / 'kg'}"))
    try:
        with pytest.raises(StoreError, match="parley's own"):
            replace_graph(ds, LOADING + "my-negotiation", triples(small_timeline))
        assert not list(ds.store._inner.named_graphs())
    finally:
        ds.close()


def test_two_timelines_sharing_ids_in_one_store_are_named_by_iri(tmp_path):
    """`load` gives each timeline its own named graph, and two timelines may reuse ids: an id both use is
    ambiguous (exit 2, naming the IRIs), and the IRI names the node wherever an id is taken."""
    store = f"oxigraph:{tmp_path / 'kg'}"
    for name in ("t1", "t2"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"timeline: {{id: {name}}}\nactors:\n  - {{id: a, name: A-{name}, kind: person, country: AA}}\n"
                        "levers:\n  - {id: l, kind: tariff, name: L, target: a}\nevents:\n"
                        f"  - {{id: e0, date: 2025-01-01, type: threat, actors: [a], lever: l, rate: 5, summary: s-{name}}}\n"
                        f"  - {{id: e1, date: 2025-01-02, type: reprieve, actors: [a], lever: l, summary: s-{name}}}\n"
                        "links:\n  - {cause: e0, effect: e1, relation: causes}\n", encoding="utf-8")
        assert CliRunner().invoke(main, ["load", "--store", store, "--timeline", str(path)]).exit_code == 0
    run = CliRunner().invoke
    base = "https://w3id.org/parley/timeline/t1/"
    result = run(main, ["query", "causes-of", "--param", "event=e1", "--store", store])
    assert result.exit_code == 2 and f"{base}event/e1" in result.output and "give one of these IRIs" in result.output
    result = run(main, ["query", "causes-of", "--param", f"event={base}event/e1", "--store", store, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert f"{base}event/e0" in result.output and "/t2/" not in result.output
    result = run(main, ["state", f"{base}lever/l", "--store", store])
    assert result.exit_code == 0 and "paused 5%" in result.output
    result = run(main, ["analyze", "paths", f"{base}event/e0", f"{base}event/e1", "--store", store])
    assert result.exit_code == 0 and "1. e0 -> e1" in result.output
    result = run(main, ["timeline", "--actor", f"{base}actor/a", "--store", store])
    assert result.exit_code == 0 and result.output.count("s-t1") == 2 and "s-t2" not in result.output
    # an IRI of another kind of node is no event
    result = run(main, ["query", "causes-of", "--param", f"event={base}actor/a", "--store", store])
    assert result.exit_code == 2 and "unknown event id" in result.output
    result = run(main, ["analyze", "whatif", "e0.causes.e1", "--store", store])
    assert result.exit_code == 2 and "give the event's or the claim's IRI" in result.output
    result = run(main, ["analyze", "whatif", f"{base}claim/e0.causes.e1", "--store", store])
    assert result.exit_code == 0 and f"Without claim {base}claim/e0.causes.e1" in result.output
    result = run(main, ["view", "--actors", "a", "--store", store, "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 2 and "is ambiguous" in result.output
    result = run(main, ["view", "--actors", f"{base}actor/a", "--store", store, "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 0 and "(2 events, 1 actors" in result.output
