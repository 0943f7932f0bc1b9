"""Benchmark of `parley view`: computing the view, rendering the page, and drawing it in headless Chromium.

    .venv/bin/python bench/bench_view.py            # sizes 900, 10000, 100000 events; prints a Markdown section
    .venv/bin/python bench/bench_view.py 900 5000   # other sizes

For each synthetic timeline (bench/synth.py) it measures, as medians of several runs:
- view: graph_view() on the graph (the SPARQL reads, filters, aggregation, layout, centrality);
- html: View.to_html() (pyvis's template with vis-network inlined, plus the page's data and script);
- draw: from navigation start to the first drawing of the network in Debian's Chromium (headless, fresh page,
  file://, every non-file request refused), read from the page's own performance clock.
Baselines measured in the same run: pyvis's own add_node/add_edge on the same node and edge lists (against
setting the lists directly, as graph/view.py does), and the draw time of the 15-node test timeline's page.

The graph is loaded straight into pyoxigraph (N-Triples bulk load) rather than through rdflib, whose triple
by triple adds take minutes at 100k events; that load is not part of what is measured.
"""

from __future__ import annotations

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

from synth import synthetic_timeline  # noqa: E402

from parley.events.read import read_timeline  # noqa: E402
from parley.graph.build import graph_iri, triples  # noqa: E402
from parley.graph.view import graph_view  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def load_graph(timeline):
    """An rdflib Dataset on an in-memory pyoxigraph store holding the timeline (bulk-loaded N-Triples)."""
    import pyoxigraph
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from parley.ontology.namespace import bind_prefixes

    text = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples(timeline))
    store = pyoxigraph.Store()
    store.bulk_load(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES,
                    to_graph=pyoxigraph.NamedNode(str(graph_iri(timeline))))
    ds = Dataset(store=OxigraphStore(store=store), default_union=True)
    bind_prefixes(ds)
    return ds


def median_time(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def pyvis_api_time(view) -> float:
    """Building the same network through pyvis's add_node/add_edge (membership checks in lists)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    t = time.perf_counter()
    for n in view.nodes:
        net.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in view.edges:
        net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to")})
    return time.perf_counter() - t


def draw_times(paths: dict[str, Path], runs: int) -> dict[str, float]:
    """Median seconds from navigation start to the network's first drawing, per page."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                       args=ARGS, viewport={"width": 1400, "height": 900})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        context.add_init_script("window.__drawnAt = null; new MutationObserver(() => {"
                                " if (document.body && document.body.dataset.drawn && window.__drawnAt === null)"
                                " window.__drawnAt = performance.now(); })"
                                ".observe(document, {attributes: true, subtree: true});")
        for name, path in paths.items():
            times = []
            for _ in range(runs):
                page = context.new_page()
                page.goto(path.as_uri(), timeout=120000)
                page.wait_for_function("window.parleyDrawn === true", timeout=120000)
                times.append(page.evaluate("window.__drawnAt") / 1000)
                page.close()
            out[name] = statistics.median(times)
        context.close()
    return out


def main(sizes: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-view-"))
    rows, pages = [], {}
    small = graph_view(load_graph(read_timeline([HERE.parent / "tests" / "data" / "small.yaml"])))
    pages["small (15 nodes)"] = folder / "small.html"
    pages["small (15 nodes)"].write_text(small.to_html(), encoding="utf-8")
    for n in sizes:
        g = load_graph(synthetic_timeline(n, seed=1))
        runs = 3
        t_view, view = median_time(lambda: graph_view(g), runs)
        t_html, page = median_time(view.to_html, runs)
        name = f"{n:,} events"
        pages[name] = folder / f"view-{n}.html"
        pages[name].write_text(page, encoding="utf-8")
        baseline = pyvis_api_time(view) if len(view.nodes) <= 3000 else None
        direct, _ = median_time(lambda: _direct(view), runs)
        rows.append((name, view, t_view, t_html, len(page), baseline, direct))
        print(f"{name}: view {t_view:.2f}s html {t_html:.2f}s {view.summary()}", file=sys.stderr)
    draws = draw_times(pages, runs=5)

    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    print("## View (`parley view`)\n")
    print(f"`bench/bench_view.py`, {dt.date.today().isoformat()}: {os.cpu_count()} cores, "
          f"{free[1].split()[1] if len(free) > 1 else '?'} GB ({'free -g'}), Python {platform.python_version()}, "
          f"{subprocess.run([CHROMIUM, '--version'], capture_output=True, text=True).stdout.strip()}. "
          "Medians of 3 runs (view, html) and 5 page loads (draw). Synthetic timelines from bench/synth.py, "
          "seed 1; default options (timeline layout, --max-nodes 2000).\n")
    print("| timeline | nodes | edges | aggregated | view (s) | html (s) | page (MB) | draw in Chromium (s) |"
          " draw ÷ 15-node page |")
    print("|---|---|---|---|---|---|---|---|---|")
    base_draw = draws["small (15 nodes)"]
    print(f"| small (test timeline) | {len(small.nodes)} | {len(small.edges)} | no | | | | {base_draw:.2f} | 1.0 |")
    for name, view, t_view, t_html, size, _, _ in rows:
        agg = f"by {view.aggregation['by']} per {view.aggregation['per']}" if view.aggregation else "no"
        print(f"| {name} | {len(view.nodes):,} | {len(view.edges):,} | {agg} | {t_view:.2f} | {t_html:.2f} | "
              f"{size / 1e6:.1f} | {draws[name]:.2f} | {draws[name] / base_draw:.1f} |")
    print("\nBuilding pyvis's lists directly against its add_node/add_edge API (same nodes and edges):\n")
    print("| timeline | nodes + edges | add_node/add_edge (s) | direct lists (s) | ratio |")
    print("|---|---|---|---|---|")
    for name, view, _, _, _, baseline, direct in rows:
        if baseline is not None:
            print(f"| {name} | {len(view.nodes) + len(view.edges):,} | {baseline:.2f} | {direct:.4f} | "
                  f"{baseline / max(direct, 1e-6):,.0f}× |")


def _direct(view):
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.nodes, net.edges = list(view.nodes), list(view.edges)
    net.node_ids = [n["id"] for n in view.nodes]
    net.node_map = {n["id"]: n for n in view.nodes}
    return net


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [900, 10_000, 100_000])
