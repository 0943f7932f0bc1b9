"""Benchmark: load N synthetic events into an on-disk Oxigraph store (`oxigraph:DIR`), against Oxigraph alone.

    .venv/bin/python bench/bench_load.py                       # 1k, 10k, 100k events, 3 runs each
    .venv/bin/python bench/bench_load.py --events 1000000 --runs 1

Every measurement is a fresh process (so its peak RSS is its own), into a new folder, timed from the start of
the work (after imports). For each N, interleaved run by run:

- parley: `parley.graph.store.load("oxigraph:DIR", head, chunks=...)` over `bench/synth.py`'s
  `synthetic_stream(N, seed)` (the events made as they are loaded, never the whole timeline at once).
- triples: the same triples made as pyoxigraph Quads and thrown away: parley's own share, without a store.
- floor-file: Oxigraph alone, `pyoxigraph.Store(DIR).bulk_load(path=<those quads as N-Quads>)`.
- floor-quads: Oxigraph alone with parley's loader calls: `bulk_extend` of quads parsed natively from the same
  file, in slices of `store.BULK_SLICE` quads, as `load` slices its own.

The N-Quads file is dumped from the first parley run's store (not timed); `--nquads-dir DIR` keeps it there
and reuses it. Reports wall and CPU (user + system, all threads) seconds and peak RSS; medians of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODES = ("parley", "triples", "floor-file", "floor-quads")


def child(mode: str, n: int, seed: int, folder: str, dump: str | None) -> dict:
    """One measurement, in this process."""
    import resource

    sys.path.insert(0, str(HERE))
    import pyoxigraph as ox
    from synth import synthetic_stream

    from parley.graph import store as store_module
    from parley.graph.build import graph_iri, oxigraph_triples

    start, cpu0 = time.perf_counter(), _cpu()
    count = 0
    if mode == "parley":
        head, chunks = synthetic_stream(n, seed=seed)
        count = store_module.load(f"oxigraph:{folder}", head, chunks=chunks).triples
    elif mode == "triples":
        head, chunks = synthetic_stream(n, seed=seed)
        g = ox.NamedNode(str(graph_iri(head)))
        for s, p, o in oxigraph_triples(head, chunks=chunks):
            ox.Quad(s, p, o, g)
            count += 1
    elif mode == "floor-file":
        ox.Store(folder).bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    elif mode == "floor-quads":
        import itertools

        store = ox.Store(folder)
        quads = ox.parse(path=dump, format=ox.RdfFormat.N_QUADS)  # native quads, made in Rust
        total = [0]

        def counted(items):
            for q in items:
                total[0] += 1
                yield q

        while True:
            before = total[0]
            store.bulk_extend(counted(itertools.islice(quads, store_module.BULK_SLICE)))
            if total[0] - before < store_module.BULK_SLICE:
                break
        count = total[0]
        del store
    wall, cpu = time.perf_counter() - start, _cpu() - cpu0
    if mode.startswith("floor"):
        count = sum(1 for _ in ox.Store(folder))  # not timed
    return {"mode": mode, "events": n, "triples": count, "wall": wall, "cpu": cpu,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_child(mode: str, n: int, seed: int, folder: Path, dump: Path | None) -> dict:
    shutil.rmtree(folder, ignore_errors=True)
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", mode, str(n), str(seed),
                          str(folder), str(dump or "")], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{mode} {n}: failed\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def dump_store(folder: Path, path: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    del store


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    ap.add_argument("--tmp", help="where the stores go (default: the system's temporary folder)")
    ap.add_argument("--nquads-dir", help="keep the N-Quads dumps here, and reuse them")
    ap.add_argument("--json", help="also write the measurements here")
    ap.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, n, seed, folder, dump = args.child
        print(json.dumps(child(mode, int(n), int(seed), folder, dump or None)))
        return

    work = Path(tempfile.mkdtemp(prefix="parley-bench-load-", dir=args.tmp))
    results = []
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, load average {loadavg()}", flush=True)
    try:
        for n in args.events:
            dump_dir = Path(args.nquads_dir) if args.nquads_dir else work
            dump = dump_dir / f"synth-{n}-seed{args.seed}.nq"
            for run in range(args.runs):
                for mode in args.modes:
                    if mode.startswith("floor") and not dump.exists():
                        folder = work / "dump-source"
                        run_child("parley", n, args.seed, folder, None)
                        dump_store(folder, dump)
                        shutil.rmtree(folder, ignore_errors=True)
                    r = run_child(mode, n, args.seed, work / "store", dump)
                    if mode == "parley" and not dump.exists() and any(m.startswith("floor") for m in args.modes):
                        dump_store(work / "store", dump)  # the floors load exactly what parley loaded
                    r["run"], r["loadavg"] = run, loadavg()
                    results.append(r)
                    print(f"{n:>9,} {mode:<12} run {run + 1}: {r['wall']:8.1f} s wall {r['cpu']:8.1f} s CPU "
                          f"{r['rss_mb']:7.0f} MB {r['triples']:>11,} triples   load {r['loadavg']}", flush=True)
            shutil.rmtree(work / "store", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"# load average at the end {loadavg()}\n")
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


def table(results: list[dict]) -> str:
    """Medians per (events, mode), with each step's ratio to floor-file (Oxigraph alone) of the same size."""
    lines = ["| events | triples | step | wall (median) | CPU (median) | peak RSS (max) | wall / floor-file "
             "| CPU / floor-file |", "|---:|---:|---|---:|---:|---:|---:|---:|"]
    for n in dict.fromkeys(r["events"] for r in results):
        rows = {m: [r for r in results if r["events"] == n and r["mode"] == m] for m in MODES}
        floor = rows["floor-file"]
        floor_wall = statistics.median(r["wall"] for r in floor) if floor else None
        floor_cpu = statistics.median(r["cpu"] for r in floor) if floor else None
        for mode, rs in rows.items():
            if not rs:
                continue
            wall, cpu = statistics.median(r["wall"] for r in rs), statistics.median(r["cpu"] for r in rs)
            ratios = (f"{wall / floor_wall:.2f} | {cpu / floor_cpu:.2f}" if floor and mode != "floor-file"
                      else " | ")
            lines.append(f"| {n:,} | {rs[0]['triples']:,} | {mode} | {wall:.1f} s | {cpu:.1f} s | "
                         f"{max(r['rss_mb'] for r in rs):,.0f} MB | {ratios} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
