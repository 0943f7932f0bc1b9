"""Redraw docs/view.png, the README's picture of the view: the bundled timeline's page in headless Chromium,
with one event's details pinned.

    .venv/bin/python docs/view_png.py [EVENT_ID]     # default: eo-14198-pause

Needs Debian's chromium and the playwright package (the test dependencies); never `playwright install`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from parley.graph.store import read_graph
from parley.graph.view import graph_view

HERE = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(event: str = "eo-14198-pause") -> None:
    from parley.events.read import read_bundled
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "view.html"
        page_file.write_text(graph_view(read_graph(timeline=read_bundled())).to_html(), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.goto(page_file.as_uri())
            page.wait_for_function("window.parleyDrawn === true", timeout=15000)
            at = page.evaluate("""label => {
                const id = nodes.getIds().find(i => nodes.get(i).label === label);
                if (id === undefined) return null;
                const p = network.canvasToDOM(network.getPositions([id])[id]);
                return [p.x, p.y];
            }""", event)
            if at is None:
                browser.close()
                raise SystemExit(f"no event {event!r} in the bundled timeline's view")
            box = page.locator("#mynetwork").bounding_box()
            page.mouse.click(box["x"] + at[0], box["y"] + at[1])
            page.wait_for_function("!document.getElementById('parley-tooltip').hidden", timeout=5000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(HERE / "view.png"))
            browser.close()
    print(f"wrote {HERE / 'view.png'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
