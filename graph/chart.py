"""The audit chart: each lever's collected rate over time against the cumulative security figures.

Drawn with matplotlib (imported here; a bare Figure, no pyplot) from the audit report's `series`
(graph/audit.py), so the chart and the report always agree. The SVG output is deterministic: a fixed hash
salt for its element ids and no date metadata, so the same report gives the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

FORMATS = ("png", "svg")
MAX_NAMED_RELIEFS = 15  # relief lines named on the chart when there are at most this many


class ChartError(Exception):
    """A chart that cannot be drawn as asked (an unknown format): exit 2."""


def chart_format(path: str) -> str:
    """'png' or 'svg' from a file name; ChartError for any other suffix."""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FORMATS:
        raise ChartError(f"{path}: the chart is written as .png or .svg: "
                         + (f"not .{suffix}" if suffix else "give a file name that ends in one of them"))
    return suffix


def chart_image(series: dict, *, fmt: str = "svg", title: str | None = None, max_levers: int = 12) -> bytes:
    """The chart as PNG or SVG bytes.

    Top panel: the rate collected on each lever each day (a step line; relief events marked), at most
    `max_levers` of them (those with the most relief events; the title says how many are left out). Bottom
    panel: each cumulative security figure (troops, labs, persons, kg, ...) on a log scale, since their
    magnitudes differ by orders; totals counted from a stated day are named with it ("labs since 2024-10-01");
    a figure that is a bound or approximate (a point's fourth element) is an open circle. A panel with nothing
    to show says so.
    """
    if fmt not in FORMATS:
        raise ChartError(f"unknown chart format {fmt!r} (expected png or svg)")
    # No pyplot: a bare Figure draws the same thing without pyplot's backend and figure-manager set-up and
    # leaves no global state behind; savefig picks the SVG or Agg (PNG) canvas for the format.
    import matplotlib
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter

    day = dt.date.fromisoformat
    relief_count: dict[str, int] = {}
    for r in series["reliefs"]:
        relief_count[r["lever"]] = relief_count.get(r["lever"], 0) + 1
    levers = sorted(series["levers"], key=lambda s: (-relief_count.get(s["lever"], 0), s["lever"]))[:max_levers]
    levers.sort(key=lambda s: s["lever"])
    left_out = len(series["levers"]) - len(levers)
    shown = {s["lever"] for s in levers}
    # every relief is marked but those on the levers left out (a lever with no rate is drawn nowhere, but its
    # relief is one all the same)
    hidden = {s["lever"] for s in series["levers"]} - shown
    marked = sorted({day(r["date"]) for r in series["reliefs"] if r["lever"] not in hidden})
    # each relief line is named on the chart when there are few enough to read
    names: dict[dt.date, list[str]] = {}
    for r in series["reliefs"]:
        if r["lever"] not in hidden:
            names.setdefault(day(r["date"]), []).append(r["id"])
    last = max([day(p[0]) for s in (*series["levers"], *series["figures"]) for p in s["points"]]
               + [day(r["date"]) for r in series["reliefs"]], default=None)
    end = last + dt.timedelta(days=7) if last else None
    with matplotlib.rc_context({"svg.hashsalt": "parley-audit", "svg.fonttype": "none", "font.size": 8}):
        fig = Figure(figsize=(12, 7))
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1]})
        for s in levers:
            xs = [day(p[0]) for p in s["points"]] + [end]
            ys = [p[1] for p in s["points"]]
            ys.append(ys[-1])
            top.step(xs, ys, where="post", label=_plain(s["lever"]), linewidth=1.5)
        for i, d in enumerate(marked):
            for ax in (top, bottom):
                ax.axvline(d, color="#2a7", linestyle=":", linewidth=0.8,
                           label="relief" if (i == 0 and ax is top) else None)
        if 0 < len(marked) <= MAX_NAMED_RELIEFS:
            for d in marked:
                top.annotate(_plain(", ".join(names[d])), (mdates.date2num(d), 1), xycoords=("data", "axes fraction"),
                             xytext=(2, -3), textcoords="offset points", rotation=90, va="top", ha="left",
                             fontsize=6, color="#2a7")
        top.set_ylabel("rate collected (%)")
        top.set_title((title or "Lever rates against cumulative security figures")
                      + (f" ({left_out} more levers not drawn)" if left_out else ""))
        if levers or marked:
            top.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False)
        else:
            top.text(0.5, 0.5, "no lever with a rate", transform=top.transAxes, ha="center")
        # tab20's ten dark colours first, then their light pairs (neighbours in tab20 look alike)
        palette = matplotlib.colormaps["tab20"].colors[0::2] + matplotlib.colormaps["tab20"].colors[1::2]
        open_markers = False
        # each country's figures are lines of their own: named with it when there are several
        several = len({tuple(s.get("by") or ()) for s in series["figures"]}) > 1
        for i, s in enumerate(series["figures"]):
            # (day, figure, exact): a figure that is a bound or approximate (a fourth element) is an open circle
            pts = [(day(p[0]), p[1], len(p) < 4 or not p[3]) for p in s["points"] if p[1] > 0]
            if not pts:
                continue
            xs = [p[0] for p in pts] + [end]
            ys = [p[1] for p in pts] + [pts[-1][1]]
            # twenty colours, then dashed: no two lines look alike
            label = f"{s['kind']} since {s['since']}" if s.get("since") else s["kind"]
            if several and s.get("by"):
                label += f" ({', '.join(s['by'])})"
            color = palette[i % 20]
            bottom.step(xs, ys, where="post", label=_plain(label), marker="o", markersize=3, color=color,
                        markevery=[j for j, p in enumerate(pts) if p[2]], linestyle="-" if i < 20 else "--")
            inexact = [p for p in pts if not p[2]]
            if inexact:
                open_markers = True
                bottom.plot([p[0] for p in inexact], [p[1] for p in inexact], linestyle="none", marker="o",
                            markersize=4, markerfacecolor="white", markeredgecolor=color)
        if open_markers:  # one legend entry says what an open circle means
            bottom.plot([], [], linestyle="none", marker="o", markersize=4, markerfacecolor="white",
                        markeredgecolor="#555", label="open: at least, or about")
        if any(p[1] > 0 for s in series["figures"] for p in s["points"]):
            bottom.set_yscale("log")
            # plain labels: the default 10^n labels go through mathtext, most of the drawing time
            bottom.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}" if y >= 1 else f"{y:g}"))
            bottom.yaxis.set_minor_formatter(NullFormatter())
            bottom.minorticks_off()
            n = len(series["figures"])
            bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.02), frameon=False,
                          fontsize=7 if n <= 12 else 6, labelspacing=0.5 if n <= 12 else 0.2)
        else:
            bottom.text(0.5, 0.5, "no security figures", transform=bottom.transAxes, ha="center")
        bottom.set_ylabel("cumulative figure (log scale)")
        bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        fig.autofmt_xdate()
        # fixed margins (legends to the right): tight_layout measures every text, a third of the time
        fig.subplots_adjust(left=0.08, right=0.76, top=0.95, bottom=0.11, hspace=0.08)
        buf = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=110)
    return buf.getvalue()



def _plain(text: str) -> str:
    """A label as text: a control character (from a graph or a store) would make the SVG ill-formed XML, so it is
    shown as \\xNN (as in parley's text output); matplotlib's mathtext `$` is escaped."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(str(text).split()))
    return text.replace("$", "\\$")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ChartProcess:
    """Draws charts in a child process, started before the report is computed, which imports matplotlib
    meanwhile.

    matplotlib's import is the largest part of what a chart costs (about 0.4 s of a bundled `parley audit
    --format html` of 1.4 s); on a second core it overlaps with reading the timeline and the audit.
    `image(series, fmt=...)` is chart_image's answer, byte for byte; when the child cannot be started or
    dies, the chart is drawn here instead. Use it as a context manager: leaving it stops the child.
    """

    def __init__(self):
        import multiprocessing

        self._conn = self._process = None
        if multiprocessing.current_process().daemon:  # a daemonic process may have no children: draw here
            return
        try:
            # spawn, not fork: the caller may have threads running (a fork copies their locks, held or not)
            ctx = multiprocessing.get_context("spawn")
            self._conn, theirs = ctx.Pipe()
            self._process = ctx.Process(target=_serve, args=(theirs,), daemon=True, name="parley-chart")
            self._process.start()
            theirs.close()
        except (OSError, ValueError, RuntimeError, AssertionError):  # no processes here (a sandbox): draw here
            self.close()

    def image(self, series: dict, *, fmt: str = "svg") -> bytes:
        """chart_image(series, fmt=fmt)."""
        if fmt not in FORMATS:
            raise ChartError(f"unknown chart format {fmt!r} (expected png or svg)")
        if self._conn is not None:
            try:
                self._conn.send((series, fmt))
                ok, answer = self._conn.recv()
            except (OSError, EOFError):  # the child died: draw here
                self.close()
            else:
                if ok:
                    return answer
                raise answer
        return chart_image(series, fmt=fmt)

    def close(self) -> None:
        """Stop the child."""
        conn, process, self._conn, self._process = self._conn, self._process, None, None
        if conn is not None:
            conn.close()
        if process is not None and process.pid is not None:
            # its work is done (or not wanted: bad input): stopped now, not after its imports
            process.terminate()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(conn) -> None:
    """The child of ChartProcess: import what chart_image needs, then answer (series, fmt) with (True, bytes) or
    (False, the error) until the pipe closes."""
    import signal

    # Ctrl-C reaches the whole process group: the parent stops, and stops this child (no traceback of its own)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Imports only: a first drawing would warm matplotlib's caches too, but costs more than it saves when the
    # report is ready first (the bundled timeline's is)
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.dates  # noqa: F401
    import matplotlib.figure  # noqa: F401

    while True:
        try:
            series, fmt = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, chart_image(series, fmt=fmt))
        except Exception as e:  # noqa: BLE001 - handed to the caller, which raises it
            answer = (False, e)
        try:
            conn.send(answer)
        except Exception:  # noqa: BLE001 - an error that does not pickle, or the caller gone
            with contextlib.suppress(OSError):
                conn.send((False, ChartError(f"the chart could not be drawn: {answer[1]}")))
