"""How many cores this machine gives right now: a shared VM may give fewer than `nproc` for minutes at a time.

The benchmarks that run several threads (the projection, the audit) measure it before each run: their wall time
is worth comparing only between runs that had the same.
"""

from __future__ import annotations

import time


def _spin(seconds: float) -> float:
    t, c = time.perf_counter(), time.process_time()
    while time.perf_counter() - t < seconds:
        pass
    return time.process_time() - c


def cores(seconds: float = 1.0) -> float:
    """The cores two busy processes get at once: the CPU seconds they burn over the wall seconds they run.

    The two are fresh interpreters (spawned, not forked): a fork of a benchmark holding a large store would
    leave it copy-on-write page faults that slow the run timed next."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(_spin, 0).result()  # the workers started
        return sum(pool.map(_spin, [seconds] * 2)) / seconds
