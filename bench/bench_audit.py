"""Benchmark the audit: the bundled timeline end to end, and synthetic timelines on the in-memory store.

    .venv/bin/python bench/bench_audit.py                    # bundled + 10k + 100k synthetic events
    .venv/bin/python bench/bench_audit.py --sizes 1000,10000 --runs 3

Prints a Markdown section for bench/README.md. What it measures:

- bundled, end to end: `parley audit` as a subprocess (interpreter start, imports, reading the YAML, building
  the graph, the queries, the audit, rendering), as text and as html with an SVG chart. Baseline in the same
  run: `parley --version` (interpreter start and the CLI import), so the difference is what the audit adds.
  Target: under 1.5 s.
- synthetic: bench/synth.py's timeline of n events loaded into the in-memory store (load time reported, not
  part of the target), then `audit(graph)` timed. Target: 100k events under 5 s, and the 100k/10k time ratio
  under 15 (linear is 10): no quadratic step.

Figures are medians of --runs runs. The machine is shared: compare ratios, not seconds.
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
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores (`nproc`), {total} GB (`free -g`), Python {platform.python_version()}, "
            f"{dt.date.today().isoformat()}, load average at start {load[0]:.1f}")


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bundled(runs: int) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        base = wall([PARLEY, "--version"], runs)
        text = wall([PARLEY, "audit"], runs)
        html = wall([PARLEY, "audit", "--format", "html", "--out", f"{tmp}/a.html", "--chart", f"{tmp}/a.svg"], runs)
        js = wall([PARLEY, "audit", "--format", "json", "--out", f"{tmp}/a.json"], runs)
    return [("`parley --version` (baseline)", base), ("`parley audit` (text)", text),
            ("`parley audit --format json`", js), ("`parley audit --format html --chart a.svg`", html)]


def synthetic(n: int, runs: int) -> tuple[float, float, dict]:
    from synth import synthetic_timeline

    from parley.graph.audit import audit
    from parley.graph.store import read_graph

    t = time.perf_counter()
    graph = read_graph(timeline=synthetic_timeline(n, seed=1))
    load = time.perf_counter() - t
    times, report = [], None
    for _ in range(runs):
        t = time.perf_counter()
        report = audit(graph)
        times.append(time.perf_counter() - t)
    return load, statistics.median(times), report.summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per bundled measurement (synthetic: at most 3)")
    ap.add_argument("--sizes", default="10000,100000", help="synthetic timeline sizes, comma-separated")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]

    print("## audit\n")
    print(f"Machine: {machine()}. Script: `bench/bench_audit.py`.\n")
    print("Bundled timeline, end to end (a subprocess each run; median of", args.runs, "runs):\n")
    print("| command | wall s | minus baseline s |\n|---|---:|---:|")
    rows = bundled(args.runs)
    base = rows[0][1]
    for label, secs in rows:
        print(f"| {label} | {secs:.2f} | {secs - base:.2f} |")
    print(f"\nSynthetic timelines (bench/synth.py, seed 1) on the in-memory store; `audit(graph)` median of "
          f"{min(args.runs, 3)} runs:\n")
    print("| events | load s | audit s | reliefs | verdicts (disputed/evidenced/pledge/temporal/unexplained) |")
    print("|---:|---:|---:|---:|---|")
    results = {}
    for n in sizes:
        load, secs, summary = synthetic(n, min(args.runs, 3))
        results[n] = secs
        v = summary["verdicts"]
        counts = "/".join(str(v[k]["count"]) for k in ("disputed", "evidenced", "pledge", "temporal-only",
                                                       "unexplained"))
        print(f"| {n:,} | {load:.1f} | {secs:.2f} | {summary['reliefs']:,} | {counts} |", flush=True)
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        print(f"\nRatio {hi:,}/{lo:,} events: {results[hi] / results[lo]:.1f} "
              f"(size ratio {hi / lo:g}; linear scaling gives about that).")
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}.")


if __name__ == "__main__":
    main()
