"""Benchmark the audit: the bundled timeline end to end, and synthetic timelines on the in-memory store.

    .venv/bin/python bench/bench_audit.py                    # bundled + 10k + 100k synthetic events
    .venv/bin/python bench/bench_audit.py --sizes 1000,10000 --runs 3
    .venv/bin/python bench/bench_audit.py --nquads '/data/synth-{n}-seed1.nq'   # load cached dumps

Prints a Markdown section for bench/README.md. What it measures:

- bundled, end to end: `parley audit` as a subprocess (interpreter start, imports, reading the YAML, building
  the graph, the queries, the audit, rendering), as text, as JSON, and as html with an SVG chart. Baseline in
  the same run: `parley --version` (interpreter start and the CLI import), so the difference is what the
  audit adds. Target: under 1.5 s.
- synthetic: bench/synth.py's timeline of n events (seed 1) loaded into the in-memory store (load time
  reported, not part of the target), then `audit(graph)` timed (wall; the process CPU of all its threads,
  which a shared machine inflates less; and the CPU of the main thread, which runs all the Python and is the
  critical path). Baseline in the same run, on the same store:
  "engine", pyoxigraph alone answering the audit's queries (graph/queries/audit-*.rq, audit-property once per
  property the audit scans) one after the other,
  iterating the solutions without reading any value: the floor for reading the graph through SPARQL on one
  core. Target: 100k events under 5 s, and the 100k/10k time ratio under 15 (linear is 10): no quadratic step.

--nquads PATTERN loads `PATTERN.format(n=N)` (an N-Quads dump of `read_graph(timeline=synthetic_timeline(N,
seed=1))`'s store) with pyoxigraph's bulk loader instead of synthesising and loading the timeline, when that
file exists: the same triples in a fraction of the time. Figures are medians of --runs runs. Before each
synthetic run the bench measures the cores the machine gives (bench/cores.py): a shared VM may give one core
for minutes at a time, and the audit runs in three threads, so compare runs that had the same. The machine is
shared: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
PARLEY = str(Path(sys.executable).with_name("parley"))


def machine() -> str:
    mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    total = mem[1].split()[1] if len(mem) > 1 else "?"
    return (f"{os.cpu_count()} cores (`nproc`), {total} GB (`free -g`), Python {platform.python_version()}, "
            f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, load average at start {os.getloadavg()[0]:.2f}")


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bundled(runs: int) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        commands = [
            ("`parley --version` (baseline)", [PARLEY, "--version"]),
            ("`parley audit` (text)", [PARLEY, "audit"]),
            ("`parley audit --format json`", [PARLEY, "audit", "--format", "json", "--out", f"{tmp}/a.json"]),
            ("`parley audit --format html --out a.html --chart a.svg`",
             [PARLEY, "audit", "--format", "html", "--out", f"{tmp}/a.html", "--chart", f"{tmp}/a.svg"]),
        ]
        # interleaved, so that a change in the machine's load hits every command alike
        times: dict[str, list[float]] = {label: [] for label, _ in commands}
        for _ in range(runs):
            for label, cmd in commands:
                times[label].append(wall(cmd, 1))
    return [(label, statistics.median(ts)) for label, ts in times.items()]


def synthetic_graph(n: int, nquads: str | None):
    """The in-memory graph of n synthetic events, and how it was made."""
    from parley.graph.store import read_graph

    path = Path(nquads.format(n=n)) if nquads else None
    if path is not None and path.is_file():
        import pyoxigraph

        graph = read_graph()
        graph.store._inner.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)  # oxrdflib's Store
        return graph, f"bulk-loaded {path.name}"
    from synth import synthetic_timeline

    return read_graph(timeline=synthetic_timeline(n, seed=1)), "synthesised and loaded"


def engine(graph) -> float:
    """Seconds for pyoxigraph alone to answer the audit's queries in turn, reading no values."""
    from parley.graph.audit import _jobs
    from parley.graph.query import _oxigraph_target, bind_params, with_values

    inner, options = _oxigraph_target(graph)
    texts = [with_values(q.text, bind_params(graph, q, params)) for _, q, params, _ in _jobs()]
    t = time.perf_counter()
    for text in texts:
        for _ in inner.query(text, **options):
            pass
    return time.perf_counter() - t


def synthetic(n: int, runs: int, nquads: str | None) -> dict:
    from parley.graph.audit import audit

    t = time.perf_counter()
    graph, how = synthetic_graph(n, nquads)
    load = time.perf_counter() - t
    from cores import cores

    engine_times, audit_times, cpu_times, main_times, available, report = [], [], [], [], [], None
    for _ in range(runs):
        available.append(cores())
        engine_times.append(engine(graph))
        report = None  # the previous report is freed before the clock starts, not inside the timing
        t, c, m = time.perf_counter(), time.process_time(), time.thread_time()
        report = audit(graph)
        audit_times.append(time.perf_counter() - t)
        cpu_times.append(time.process_time() - c)
        main_times.append(time.thread_time() - m)
    return {"load": load, "how": how, "engine": statistics.median(engine_times),
            "audit": statistics.median(audit_times), "audit_all": audit_times,
            "cpu": statistics.median(cpu_times), "main": statistics.median(main_times), "summary": report.summary,
            "cores": available}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per bundled measurement (synthetic: at most 3)")
    ap.add_argument("--sizes", default="10000,100000", help="synthetic timeline sizes, comma-separated")
    ap.add_argument("--nquads", metavar="PATTERN",
                    help="N-Quads dump to bulk-load for each size instead of synthesising, e.g. 'synth-{n}.nq'")
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled timeline")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]

    print("## audit\n")
    print(f"Machine: {machine()}. Script: `bench/bench_audit.py`.\n")
    if not args.no_bundled:
        print(f"Bundled timeline, end to end (a subprocess each run, commands interleaved; median of {args.runs} "
              "runs):\n")
        print("| command | wall s | minus baseline s |\n|---|---:|---:|")
        rows = bundled(args.runs)
        base = rows[0][1]
        for label, secs in rows:
            print(f"| {label} | {secs:.2f} | {secs - base:.2f} |", flush=True)
    runs = args.runs
    print(f"\nSynthetic timelines (bench/synth.py, seed 1) on the in-memory store; engine and `audit(graph)` "
          f"alternating, median of {runs} runs:\n")
    print("| events | load s | engine s | audit s | audit ÷ engine | runs s | audit CPU s (all threads / main) "
          "| cores before each run | reliefs | verdicts (disputed/evidenced/pledge/temporal/unexplained) |")
    print("|---:|---:|---:|---:|---:|---|---:|---|---:|---|")
    results = {}
    for n in sizes:
        r = synthetic(n, runs, args.nquads)
        results[n] = r["audit"]
        v = r["summary"]["verdicts"]
        counts = "/".join(str(v[k]["count"]) for k in ("disputed", "evidenced", "pledge", "temporal-only",
                                                       "unexplained"))
        print(f"| {n:,} | {r['load']:.1f} ({r['how']}) | {r['engine']:.2f} | {r['audit']:.2f} | "
              f"{r['audit'] / r['engine']:.2f} | {', '.join(f'{x:.2f}' for x in r['audit_all'])} | "
              f"{r['cpu']:.2f} / {r['main']:.2f} | {', '.join(f'{c:.1f}' for c in r['cores'])} | "
              f"{r['summary']['reliefs']:,} | {counts} |", flush=True)
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        print(f"\nRatio {hi:,}/{lo:,} events: {results[hi] / results[lo]:.1f} "
              f"(size ratio {hi / lo:g}; linear scaling gives about that).")
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.2f}.")


if __name__ == "__main__":
    main()
