"""Time `timeline_rows` and `lever_states` (parley timeline / parley state --all) on synthetic timelines.

    .venv/bin/python bench/reading.py [N ...]      # default: 1000 10000 events

Baseline, measured in the same run: loading the timeline into the in-memory store (what every reading
command pays first). Prints medians of 3 runs and the ratio of each reading to the load.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import synthetic_timeline  # noqa: E402

from parley.graph.reading import lever_states, timeline_rows  # noqa: E402
from parley.graph.store import read_graph  # noqa: E402

RUNS = 3


def median_seconds(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main(sizes: list[int]) -> None:
    print(f"{'events':>7}  {'load s':>7}  {'timeline s':>10}  {'ratio':>5}  {'text s':>6}  "
          f"{'state --all s':>13}  {'ratio':>5}")
    for n in sizes:
        timeline = synthetic_timeline(n, seed=1)
        load, graph = median_seconds(lambda: read_graph(timeline=timeline))
        rows_t, view = median_seconds(lambda: timeline_rows(graph))
        text_t, _ = median_seconds(lambda: view.to_text(width=120))
        state_t, states = median_seconds(lambda: lever_states(graph))
        assert len(view.rows) == n
        print(f"{n:>7}  {load:>7.2f}  {rows_t:>10.2f}  {rows_t / load:>5.2f}  {text_t:>6.2f}  {state_t:>13.2f}  "
              f"{state_t / load:>5.2f}   ({len(states.rows)} levers)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
