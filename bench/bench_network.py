"""Benchmark the network projection and its analyses on a synthetic timeline (bench/synth.py).

    .venv/bin/python bench/bench_network.py                 # 100,000 events, 3 runs
    .venv/bin/python bench/bench_network.py --events 10000 --runs 5
    .venv/bin/python bench/bench_network.py --nquads synth-100000-seed0.nq   # a cached dump of the same store

Measures, as medians of the runs: the projection (network.network_graph) the analyses use, without sources or
details (also the CPU time of all its threads); with the details (the events' summaries and precisions, the
claims' claimants, confidences and evidence) but no sources, what rounds before 21:00 UTC on 2026-11-28
measured as "projection"; and with both (what export and `analyze paths` use); centrality, lags and
consistency on the projected network; and the target, projection + centrality + lags end to end. Baselines measured in the same run:
- scan: `SELECT ?e ?t { ?e parley:eventType ?t }` answered by pyoxigraph, its solutions iterated (one
  solution an event: how fast this machine and store read rows at all);
- engine: the queries the analyses' projection runs, answered by pyoxigraph one after the other and written as TSV,
  without making any Python value (what the projection costs at best through SPARQL on this store, before it
  runs them in two threads and builds the network);
- nx-betweenness: networkx's betweenness_centrality on the whole causal graph, sampled with the same k
  (what analysis.betweenness, computed part by part, replaces);
- cores: how many cores two busy processes get at once before each run (CPU seconds they burn over the wall
  seconds they run). A shared VM may give fewer than `nproc` for minutes at a time, and the projection runs
  in three threads: its wall time is worth comparing only between runs that had the same.
The store is the synthetic timeline (seed 0) loaded into the in-memory Oxigraph store; `--nquads FILE`
bulk-loads an N-Quads dump of such a store instead (the timeline is then not synthesised).
Prints a markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cores import cores  # noqa: E402
from synth import synthetic_timeline  # noqa: E402

from parley.graph import analysis  # noqa: E402
from parley.graph.network import causal_graph, network_graph, projection_queries  # noqa: E402
from parley.graph.store import load_timeline, open_dataset, parse_store  # noqa: E402


def timed(f):
    t = time.perf_counter()
    value = f()
    return time.perf_counter() - t, value


def engine_only(dataset, texts: list[str]) -> None:
    import pyoxigraph as ox

    store = dataset.store._inner  # oxrdflib's pyoxigraph store: the baseline skips rdflib on purpose
    for text in texts:
        store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)


def scan(dataset) -> None:
    store = dataset.store._inner
    for _ in store.query("SELECT ?e ?t { ?e <https://w3id.org/parley/ontology#eventType> ?t }",
                         use_default_graph_as_union=True):
        pass


def _digraph(net):
    import networkx as nx

    return nx.DiGraph(causal_graph(net))


def nx_betweenness(net, k: int) -> None:
    causal = _digraph(net)
    import networkx as nx

    nx.betweenness_centrality(causal, k=min(k, len(causal)), seed=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nx-k", type=int, default=50, help="sample size of the nx-betweenness baseline")
    ap.add_argument("--nquads", metavar="FILE", help="bulk-load this N-Quads dump instead of synthesising")
    args = ap.parse_args()

    dataset = open_dataset(parse_store("memory"))
    if args.nquads:
        import pyoxigraph as ox

        t_load, _ = timed(lambda: dataset.store._inner.bulk_load(path=args.nquads, format=ox.RdfFormat.N_QUADS))
        print(f"{args.nquads}: bulk load {t_load:.1f} s ({len(dataset)} quads)", file=sys.stderr)
    else:
        t_synth, timeline = timed(lambda: synthetic_timeline(args.events, seed=0))
        t_load, _ = timed(lambda: load_timeline(dataset, timeline))
        print(f"{args.events} events, {len(timeline.links)} claims: synth {t_synth:.1f} s, load {t_load:.1f} s "
              f"({len(dataset)} triples)", file=sys.stderr)

    times: dict[str, list[float]] = {}
    start = time.gmtime(), os.getloadavg()[0]

    def record(name, seconds):
        times.setdefault(name, []).append(seconds)
        print(f"  {name}: {seconds:.2f} s", file=sys.stderr, flush=True)

    net = None
    texts = projection_queries(dataset, sources=False, details=False)  # the events come one type at a time: ask which first
    available = []
    for run in range(args.runs):
        available.append(cores())
        print(f"run {run + 1} ({available[-1]:.1f} cores)", file=sys.stderr)
        record("scan (baseline)", timed(lambda: scan(dataset))[0])
        record("engine (baseline)", timed(lambda: engine_only(dataset, texts))[0])
        cpu = time.process_time()
        t, net = timed(lambda: network_graph(dataset, sources=False, details=False))
        record("projection", t)
        record("projection, CPU of all its threads", time.process_time() - cpu)
        record("projection with details", timed(lambda: network_graph(dataset, sources=False))[0])
        record("projection with details and sources", timed(lambda: network_graph(dataset))[0])
        record("centrality", timed(lambda: analysis.centrality(net, kind="event"))[0])
        record("betweenness, part by part (within centrality)",
               timed(lambda: analysis.betweenness(_digraph(net), sample_size=args.nx_k))[0])
        record("lags", timed(lambda: analysis.lags(net))[0])
        record("consistency", timed(lambda: analysis.consistency(net))[0])
        record("projection + centrality + lags", timed(
            lambda: (lambda n: (analysis.centrality(n), analysis.lags(n)))(
                network_graph(dataset, sources=False, details=False)))[0])
    nx_seconds = timed(lambda: nx_betweenness(net, args.nx_k))[0]
    print(f"  nx-betweenness k={args.nx_k}: {nx_seconds:.2f} s", file=sys.stderr)

    medians = {name: statistics.median(v) for name, v in times.items()}
    engine = medians["engine (baseline)"]
    events = sum(1 for _, a in net.nodes(data=True) if a["kind"] == "event")
    print(f"\nMachine: {os.cpu_count()} cores, {_memory_gb()} GB, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M', start[0])}-{time.strftime('%H:%M UTC', time.gmtime())}, "
          f"load average {start[1]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; "
          f"{events} events, {net.number_of_nodes()} nodes, "
          f"{net.number_of_edges()} edges in the projection; medians of {args.runs} runs; cores available "
          f"before each run: {', '.join(f'{c:.1f}' for c in available)}.\n")
    print("| step | seconds | ratio to scan | ratio to engine |")
    print("|---|---:|---:|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds:.2f} | {seconds / medians['scan (baseline)']:.1f} | {seconds / engine:.1f} |")
    parts = medians["betweenness, part by part (within centrality)"]
    print(f"\nBetweenness of the causal graph: networkx on the whole graph sampled with k={args.nx_k}, "
          f"{nx_seconds:.2f} s (1 run); analysis.betweenness part by part, {'exact' if not _sampled(net, args.nx_k) else 'sampled'}, "
          f"{parts:.2f} s: {nx_seconds / parts:.1f}x faster.")


def _sampled(net, k: int) -> bool:
    return analysis.betweenness(_digraph(net), sample_size=k)[1]


def _memory_gb() -> str:
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        return f"{kb / 1024 / 1024:.0f}"
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
