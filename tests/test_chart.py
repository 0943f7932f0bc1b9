"""The audit chart (graph/chart.py): PNG and SVG, deterministic SVG, empty series, bad formats, drawn in a child
process."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from parley.graph.chart import ChartError, ChartProcess, chart_format, chart_image

SVG = "{http://www.w3.org/2000/svg}"
SERIES = {
    "levers": [{"lever": "duty", "name": "Duty", "points": [["2025-01-02", 0, "t"], ["2025-02-09", 25, "p"],
                                                            ["2025-03-20", 0, "x"]]}],
    "figures": [{"kind": "troops", "points": [["2025-01-11", 4000, "a"], ["2025-01-15", 5000, "b"]]},
                {"kind": "labs", "points": [["2025-02-10", 3, "r"], ["2025-02-20", 40, "s"]]}],
    "reliefs": [{"id": "p", "date": "2025-01-09", "lever": "duty"}],
}
EMPTY = {"levers": [], "figures": [], "reliefs": []}


def test_svg_is_deterministic_and_undated():
    first = chart_image(SERIES, fmt="svg")
    assert first == chart_image(SERIES, fmt="svg")
    assert b"<dc:date>" not in first
    ET.fromstring(first)  # parses


def test_svg_draws_each_lever_and_figure():
    svg = chart_image(SERIES, fmt="svg").decode()
    # text is drawn as paths (svg.fonttype = path); matplotlib writes each text as a comment beside it
    for label in ("duty", "troops", "labs"):
        assert label in svg
    assert "no security figures" not in svg


def test_png_magic_bytes():
    png = chart_image(SERIES, fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_empty_series_still_draws():
    svg = chart_image(EMPTY, fmt="svg")
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert b"no security figures" in svg and b"no lever with a rate" in svg


def test_formats():
    assert chart_format("out/a.SVG") == "svg" and chart_format("a.png") == "png"
    for bad in ("a.gif", "chart", "a.svg.txt"):
        with pytest.raises(ChartError):
            chart_format(bad)
    with pytest.raises(ChartError):
        chart_image(SERIES, fmt="pdf")


def test_levers_beyond_the_limit_are_left_out_and_said_so():
    many = dict(SERIES, levers=[dict(SERIES["levers"][0], lever=f"lever-{i}") for i in range(3)],
                reliefs=[{"id": "p", "date": "2025-01-09", "lever": "lever-2"}])
    svg = chart_image(many, fmt="svg", max_levers=2).decode()
    assert "2 more levers not drawn" not in svg and "1 more levers not drawn" in svg
    assert "lever-2" in svg and "lever-0" in svg and "lever-1" not in svg  # the lever with relief is kept


def _running(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a child not yet reaped is a zombie: it has stopped
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_chart_process_draws_what_chart_image_draws_and_stops_when_closed():
    with ChartProcess() as drawer:
        pid = drawer._process.pid
        assert _running(pid)
        assert drawer.image(SERIES, fmt="svg") == chart_image(SERIES, fmt="svg")
        assert drawer.image(SERIES, fmt="png") == chart_image(SERIES, fmt="png")
        with pytest.raises(ChartError):
            drawer.image(SERIES, fmt="pdf")
        # an error while drawing reaches the caller as itself, and the child goes on drawing
        with pytest.raises(KeyError):
            drawer.image({"levers": []}, fmt="svg")
        assert drawer.image(EMPTY, fmt="svg") == chart_image(EMPTY, fmt="svg")
    assert not _running(pid)


def test_a_chart_process_that_died_draws_here():
    drawer = ChartProcess()
    drawer._process.kill()
    drawer._process.join()
    assert drawer.image(SERIES, fmt="svg") == chart_image(SERIES, fmt="svg")
    drawer.close()
