"""Foundation speed (issue 2): `parley --help`, and `parley build` / `parley validate` of a 60-event timeline.

    .venv/bin/python bench/bench_foundation.py [--runs 7] [--events 60] [--phases]

Each command runs as a fresh process (what a user waits for), wall clock, median of --runs runs, interleaved
with two baselines measured in the same run: `python -c pass` (interpreter start) and `python -c "import
rdflib"` (the library every graph command needs). The 60-event timeline comes from bench/synth.py, written
as YAML, so the reader is part of what is timed. Prints a Markdown section for bench/README.md.
Targets: --help <= 0.3 s; build and validate <= 1.5 s each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import synthetic_timeline, write_yaml  # noqa: E402  (bench/ is not a package)

BIN = Path(sys.executable).parent
TARGETS = {"parley --help": 0.3, "parley build": 1.5, "parley validate": 1.5}


def run(cmd: list[str], ok=(0,)) -> tuple[float, float]:
    """Wall clock and CPU (user + system) seconds of one run of `cmd` as a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine() -> str:
    try:
        mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
        mem = f"{mem} GB RAM"
    except (OSError, IndexError):
        mem = "RAM unknown"
    load = ", load average %.2f %.2f %.2f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return (f"{os.cpu_count()} cores (`nproc` {len(os.sched_getaffinity(0))}), {mem}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.machine()}{load}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--events", type=int, default=60)
    ap.add_argument("--phases", action="store_true", help="also time each step in process (where the time goes)")
    args = ap.parse_args()

    py, parley = str(BIN / "python"), str(BIN / "parley")
    with tempfile.TemporaryDirectory() as tmp:
        timeline = Path(tmp) / "synthetic.yaml"
        write_yaml(synthetic_timeline(args.events, seed=1), timeline)
        out = Path(tmp) / "out.ttl"
        commands = {
            "python -c pass": ([py, "-c", "pass"], (0,)),
            "python -c 'import rdflib'": ([py, "-c", "import rdflib"], (0,)),
            "parley --help": ([parley, "--help"], (0,)),
            "parley build": ([parley, "build", "--timeline", str(timeline), "--out", str(out)], (0,)),
            # 1 = the check ran and found something (the synthetic timeline leaves a few events unsourced)
            "parley validate": ([parley, "validate", "--timeline", str(timeline)], (0, 1)),
        }
        for cmd, ok in commands.values():  # warm the file cache and .pyc files
            run(cmd, ok)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so load from other processes hits every command alike
            for name, (cmd, ok) in commands.items():
                w, c = run(cmd, ok)
                times[name].append(w)
                cpu[name].append(c)
        n_triples = sum(1 for line in out.read_text(encoding="utf-8").splitlines()
                        if line.rstrip().endswith((".", ";", ",")))

    median = {name: statistics.median(ts) for name, ts in times.items()}
    base = median["python -c pass"]
    print(f"Measured {dt.date.today().isoformat()} on {machine()}.")
    print(f"Timeline: bench/synth.py, {args.events} events (seed 1), written as YAML; "
          f"wall clock and CPU (user + system) of each process, median of {args.runs} runs.\n")
    print("| command | wall median | wall min-max | x `python -c pass` | CPU median | target | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, ts in times.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("met" if median[name] <= target else "**missed**")
        print(f"| `{name}` | {median[name]:.3f} s | {min(ts):.3f}-{max(ts):.3f} | {median[name] / base:.1f} | "
              f"{statistics.median(cpu[name]):.3f} s | {'' if target is None else f'<= {target} s'} | {verdict} |")
    print(f"\n(build wrote ~{n_triples} Turtle statements.)")
    if args.phases:
        with tempfile.TemporaryDirectory() as tmp:
            timeline = Path(tmp) / "synthetic.yaml"
            write_yaml(synthetic_timeline(args.events, seed=1), timeline)
            phases(timeline, args.runs)


def phases(timeline_path: Path, runs: int) -> None:
    """Where a build's and a validation's time goes: imports (fresh processes) and each step (in process)."""
    import yaml

    from parley.events import read
    from parley.graph.build import triples
    from parley.graph.export import rdf_graph
    from parley.graph.validate import validate

    def med(f) -> float:
        ts = []
        for _ in range(runs):
            start = time.perf_counter()
            f()
            ts.append(time.perf_counter() - start)
        return statistics.median(ts)

    def import_cost(modules: str) -> float:
        code = f"import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
        return statistics.median(float(subprocess.run([str(BIN / "python"), "-c", code], capture_output=True,
                                                      text=True, check=True).stdout) for _ in range(runs))

    text = timeline_path.read_text(encoding="utf-8")

    class PurePython(yaml.SafeLoader):  # the reader's loader on PyYAML's pure-Python parser, for comparison
        yaml_implicit_resolvers = read._Loader.yaml_implicit_resolvers
        yaml_constructors = read._Loader.yaml_constructors

    t = read.read_timeline([timeline_path])
    g = rdf_graph(t)
    validate(t)  # first call parses the shapes and the ontology
    rows = [
        ("import rdflib", import_cost("rdflib")),
        ("import parley.graph.export (rdflib, reader, build)", import_cost("parley.graph.export, parley.events.read")),
        ("import parley.graph.validate + pyshacl", import_cost("parley.graph.validate, pyshacl")),
        ("YAML parse, pure-Python parser", med(lambda: list(yaml.load_all(text, Loader=PurePython)))),
        (f"YAML parse, the reader's loader ({read._Loader.__mro__[1].__name__})",
         med(lambda: list(yaml.load_all(text, Loader=read._Loader)))),
        ("read_timeline (parse + checks)", med(lambda: read.read_timeline([timeline_path]))),
        ("triples()", med(lambda: list(triples(t)))),
        ("rdf_graph() (rdflib Memory graph)", med(lambda: rdf_graph(t))),
        ("Turtle serialisation (rdflib)", med(lambda: g.serialize(format="turtle"))),
        ("N-Triples serialisation (rdflib)", med(lambda: g.serialize(format="nt"))),
        ("validate() (build + SHACL + checks), warm", med(lambda: validate(t))),
    ]
    print(f"\nSteps, median of {runs} runs (imports in fresh processes, the rest in one process):\n")
    print("| step | seconds |")
    print("|---|---:|")
    for name, secs in rows:
        print(f"| {name} | {secs:.3f} |")


if __name__ == "__main__":
    main()
