"""Benchmark: load synthetic timelines and time every causal named query on parley's stores and two baselines.

    .venv/bin/python bench/bench_queries.py                  # 1k, 10k, 100k events, and 1M into oxigraph:DIR
    .venv/bin/python bench/bench_queries.py --sizes 1000 --no-million --runs 3

For each size N (each in its own process, so peak RSS is that size's alone):
- the synthetic timeline (bench/synth.py, seed 0) is built and loaded into parley's `memory` store
  (graph.store.replace_graph: batches of 50k triples);
- each named query runs through parley (graph.query.run_query: ids resolved, VALUES bound, rows turned into
  rdflib terms, derived columns computed) and, on the same triples, through raw pyoxigraph (the same query
  text with the same VALUES block, solutions consumed as pyoxigraph terms) and, at N <= 10k, through rdflib's
  own engine on its Memory store (each rdflib run capped at --rdflib-cap seconds in a child process);
- times are medians of --runs runs after one warm-up run (a query whose warm-up takes over 10 s is timed
  once on each side: its warm-up run, and one raw run).
The 1M-event run streams build.triples() into oxigraph:DIR through parley's loader in a separate process.
Results are printed as Markdown and written as JSON to bench/results-queries.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SLOW = 10.0
QUERIES = ("causes-of", "effects-of", "chain", "security-before-relief", "threat-outcomes", "lever-state",
           "disputed-claims", "unsourced", "actor-events")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def params_for(timeline) -> dict:
    """Parameters that give each parameterised query real work: the longest chain from the first claim."""
    links = timeline.links
    start = links[0].cause
    by_cause: dict = {}
    for ln in links:
        by_cause.setdefault(ln.cause, []).append(ln.effect)
    reached, frontier = [start], [start]
    while frontier:
        frontier = [e for c in frontier for e in by_cause.get(c, ()) if e not in reached]
        reached += frontier
    lever = next(lv.id for lv in timeline.levers.values() if lv.kind == "tariff")
    on_lever = sorted(e.date.earliest for e in timeline.events.values() if e.lever == lever)
    actor = max(timeline.actors, key=lambda a: sum(a in e.actors for e in list(timeline.events.values())[:2000]))
    return {
        "causes-of": {"event": reached[-1]},
        "effects-of": {"event": start},
        "chain": {"from": start, "to": reached[-1]},
        "lever-state": {"lever": lever, "date": on_lever[len(on_lever) // 2].isoformat()},
        "actor-events": {"actor": actor},
    }


def median_time(fn, runs: int) -> tuple[float, object]:
    return median_times(fn, runs)[0::2]


def median_times(fn, runs: int) -> tuple[float, float, object]:
    """Median wall time, median CPU time of this process (steadier on a shared machine), last result."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def _rdflib_child(conn, graph, text):
    t = time.perf_counter()
    n = len(list(graph.query(text)))
    conn.send((time.perf_counter() - t, n))


def rdflib_time(graph, text: str, cap: float) -> float | None:
    """Seconds rdflib's engine takes for the query, or None when it runs past `cap` (the child is stopped)."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_rdflib_child, args=(child, graph, text))
    p.start()
    if parent.poll(cap):
        seconds, _ = parent.recv()
        p.join()
        return seconds
    p.kill()
    p.join()
    return None


def bench_size(n: int, runs: int, rdflib_cap: float) -> dict:
    import pyoxigraph as ox
    from rdflib import Graph

    from parley.graph.build import graph_iri, triples
    from parley.graph.query import bind_params, named_query, run_query, with_values
    from parley.graph.store import StoreSpec, _OxConverter, open_dataset, replace_graph
    from synth import synthetic_timeline

    out: dict = {"events": n}
    t = time.perf_counter()
    timeline = synthetic_timeline(n, seed=0)
    out["synth_s"] = time.perf_counter() - t
    t = time.perf_counter()
    all_triples = list(triples(timeline))
    out["triples"] = len(all_triples)
    out["build_s"] = time.perf_counter() - t

    ds = open_dataset(StoreSpec("memory"))
    t = time.perf_counter()
    replace_graph(ds, graph_iri(timeline), iter(all_triples))
    out["load_parley_s"] = time.perf_counter() - t

    raw = ox.Store()
    conv = _OxConverter().term
    g = ox.NamedNode(str(graph_iri(timeline)))
    t = time.perf_counter()
    raw.bulk_extend([ox.Quad(conv(s), conv(p), conv(o), g) for s, p, o in all_triples])
    out["load_raw_s"] = time.perf_counter() - t

    rdf = None
    if n <= 10_000:
        rdf = Graph()
        t = time.perf_counter()
        for tr in all_triples:
            rdf.add(tr)
        out["load_rdflib_s"] = time.perf_counter() - t
    del all_triples

    params = params_for(timeline)
    out["params"] = params
    out["queries"] = {}
    # The model is not needed any more: a process answering queries does not hold one (and the cyclic
    # collector's passes over its millions of objects would be charged to whichever query triggers them).
    del timeline
    # Baseline for this machine and moment: iterate one triple pattern over every event (N solutions).
    scan = "SELECT ?e ?t WHERE { ?e <https://w3id.org/parley/ontology#eventType> ?t }"
    out["scan_s"], out["scan_cpu_s"], _ = median_times(
        lambda: [tuple(s) for s in raw.query(scan, use_default_graph_as_union=True)], runs)
    for name in QUERIES:
        q = named_query(name)
        p = params.get(name, {})
        # A warm-up run; a query slower than SLOW seconds is timed once (this run) on each side.
        warm, warm_cpu, rows = median_times(lambda: run_query(ds, q, params=p), 1)
        slow = warm > SLOW
        parley_s, parley_cpu, rows = ((warm, warm_cpu, rows) if slow
                                      else median_times(lambda: run_query(ds, q, params=p), runs))
        text = with_values(q.text, bind_params(ds, q, p))
        if not slow:
            list(raw.query(text, use_default_graph_as_union=True))
        raw_s, raw_cpu, _ = median_times(
            lambda: [tuple(s) for s in raw.query(text, use_default_graph_as_union=True)], 1 if slow else runs)
        entry = {"rows": len(rows), "parley_s": parley_s, "raw_s": raw_s, "parley_cpu_s": parley_cpu,
                 "raw_cpu_s": raw_cpu}
        if rdf is not None:
            entry["rdflib_s"] = rdflib_time(rdf, text, rdflib_cap)
        out["queries"][name] = entry
        print(f"  {n:>7} {name:<24} rows={len(rows):<6} parley={parley_s:.4f}s raw={raw_s:.4f}s "
              f"(CPU {parley_cpu:.4f}s / {raw_cpu:.4f}s)"
              + (f" rdflib={entry.get('rdflib_s')}" if rdf is not None else ""), file=sys.stderr, flush=True)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def bench_million(n: int, folder: str) -> dict:
    """Stream a synthetic timeline into oxigraph:DIR through parley's loader; time and peak RSS."""
    from parley.graph.store import load
    from synth import synthetic_timeline

    t0 = time.perf_counter()
    timeline = synthetic_timeline(n, seed=0)
    synth_s = time.perf_counter() - t0
    rss_model = peak_rss_mb()
    t = time.perf_counter()
    report = load(f"oxigraph:{folder}", timeline)
    load_s = time.perf_counter() - t
    return {"events": n, "triples": report.triples, "synth_s": synth_s, "load_s": load_s,
            "total_s": time.perf_counter() - t0, "rss_after_model_mb": rss_model, "peak_rss_mb": peak_rss_mb()}


def in_child(args: list[str]) -> dict:
    """Run this script on one size in a fresh process (its own peak RSS) and return its JSON result."""
    proc = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(proc.stdout)


def fmt_s(x) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def markdown(results: list[dict], million: dict | None, runs: int, cap: float) -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [f"Machine: {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, "
             f"{dt.date.today().isoformat()}; medians of {runs} runs; shared machine under load from other "
             "test runs, so compare ratios.", ""]
    lines.append("| events | triples | build triples | load (parley memory) | load (raw pyoxigraph) | peak RSS |")
    lines.append("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        lines.append(f"| {r['events']:,} | {r['triples']:,} | {fmt_s(r['build_s'])} | {fmt_s(r['load_parley_s'])} "
                     f"| {fmt_s(r['load_raw_s'])} | {r['peak_rss_mb']:.0f} MB |")
    lines += ["", "Query times, medians (parley = `run_query` on the memory store; raw = pyoxigraph on the same triples "
              "and query text; CPU = this process's CPU time, steadier than wall time on a shared machine; "
              "scan = iterating `?e parley:eventType ?t` over every event, the machine's pace at that moment):", ""]
    for r in results:
        lines.append(f"{r['events']:,} events (scan {fmt_s(r['scan_s'])} wall, {fmt_s(r['scan_cpu_s'])} CPU):")
        lines.append("")
        lines.append("| query | rows | parley | raw | ×raw | parley CPU | raw CPU | ×raw CPU | raw CPU ÷ scan CPU |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name in QUERIES:
            q = r["queries"][name]
            lines.append(f"| {name} | {q['rows']:,} | {fmt_s(q['parley_s'])} | {fmt_s(q['raw_s'])} "
                         f"| {q['parley_s'] / q['raw_s']:.2f} | {fmt_s(q['parley_cpu_s'])} | {fmt_s(q['raw_cpu_s'])} "
                         f"| {q['parley_cpu_s'] / max(q['raw_cpu_s'], 1e-9):.2f} "
                         f"| {q['raw_cpu_s'] / max(r['scan_cpu_s'], 1e-9):.2f} |")
        lines.append("")
    small = [r for r in results if r["events"] <= 10_000]
    if small:
        lines += ["", "| query |" + "".join(f" {r['events'] // 1000}k rdflib | {r['events'] // 1000}k rdflib/parley |"
                                             for r in small),
                  "|---|" + "---:|---:|" * len(small)]
        for name in QUERIES:
            row = f"| {name} |"
            for r in small:
                q = r["queries"][name]
                if q.get("rdflib_s") is None:
                    row += f" > {cap:g} s | > {cap / q['parley_s']:,.0f}× |"
                else:
                    row += f" {fmt_s(q['rdflib_s'])} | {q['rdflib_s'] / q['parley_s']:,.0f}× |"
            lines.append(row)
    if million:
        lines += ["", f"1M events into oxigraph:DIR (synthetic model {fmt_s(million['synth_s'])}, then "
                      f"`graph.store.load` streaming build.triples() in batches of 50k): {million['triples']:,} "
                      f"triples loaded in {fmt_s(million['load_s'])} (total with the model "
                      f"{fmt_s(million['total_s'])}); peak RSS {million['peak_rss_mb']:.0f} MB, of which "
                      f"{million['rss_after_model_mb']:.0f} MB is the timeline model held in memory."]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rdflib-cap", type=float, default=120.0)
    ap.add_argument("--million", type=int, default=1_000_000)
    ap.add_argument("--no-million", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-million", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(bench_size(args.one, args.runs, args.rdflib_cap)))
        return
    if args.one_million:
        print(json.dumps(bench_million(args.million, args.one_million)))
        return
    results = []
    for n in map(int, args.sizes.split(",")):
        print(f"size {n} ...", file=sys.stderr, flush=True)
        results.append(in_child(["--one", str(n), "--runs", str(args.runs), "--rdflib-cap", str(args.rdflib_cap)]))
    million = None
    if not args.no_million:
        print(f"{args.million} events into oxigraph:DIR ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory() as folder:
            million = in_child(["--one-million", str(Path(folder) / "kg"), "--million", str(args.million)])
    (HERE / "results-queries.json").write_text(json.dumps({"sizes": results, "million": million}, indent=2))
    print(markdown(results, million, args.runs, args.rdflib_cap))


if __name__ == "__main__":
    main()
