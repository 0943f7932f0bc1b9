"""The HTML view in a real browser: Debian's Chromium, headless, driven by Playwright.

Each page is loaded from file:// with every request recorded (and any request for another host refused),
and the tests check that the network is drawn, that nothing leaves the machine, that hostile text is shown
as text and never runs, and that search, filters and the date slider work.

Without Chromium (or Playwright) these tests skip, except under CI=true, where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from parley.events.read import read_timeline
from parley.graph.store import read_graph
from parley.graph.view import GROUP_COLORS, graph_view
from parley.ontology.namespace import PARLEY, PROV, SCHEMA

SMALL = str(Path(__file__).parent / "data" / "small.yaml")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = {
    "summary": 'Boom <script>window.__xss = "script"</script> <img src=x onerror="window.__xss = \'img\'"> end',
    "note": '<img src=x onerror="alert(1)">',
    "title": '</title><script>window.__xss = "title"</script>',
    "actor": '<b onmouseover="window.__xss = \'actor\'">Alice</b>',
    "source": '<img src=x onerror="window.__xss = \'source\'">',
}


def _need_browser():
    reason = None
    if CHROMIUM is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install playwright; never `playwright install`)"
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _need_browser()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1280, "height": 860})
        yield context
        context.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Pages written once per module: the small timeline (both layouts), aggregated, and a hostile one."""
    folder = tmp_path_factory.mktemp("views")
    g = read_graph(timeline=read_timeline([SMALL]))
    out = {}
    for name, options in {"small": {}, "network": {"layout": "network"}, "aggregated": {"max_nodes": 10}}.items():
        path = folder / f"{name}.html"
        path.write_text(graph_view(g, **options).to_html(), encoding="utf-8")
        out[name] = path
    hostile = read_graph(timeline=read_timeline([SMALL]))
    base = "https://example.org/small/"
    pause = URIRef(base + "event/pause-1")
    hostile.set((pause, DCTERMS.description, Literal(HOSTILE["summary"])))
    hostile.add((pause, URIRef("http://www.w3.org/2004/02/skos/core#note"), Literal(HOSTILE["note"])))
    hostile.set((URIRef(base), DCTERMS.title, Literal(HOSTILE["title"])))
    hostile.set((URIRef(base + "actor/alice"), RDFS.label, Literal(HOSTILE["actor"])))
    for i, url in enumerate(["javascript:window.__xss='href'", "https://example.org/ok"]):
        src = URIRef(f"{base}source/hostile-{i}")
        hostile.add((pause, PROV.hadPrimarySource, src))
        hostile.add((src, SCHEMA.url, Literal(url)))
        hostile.add((src, DCTERMS.title, Literal(HOSTILE["source"] + str(i))))
    assert (pause, PARLEY.eventType, None) in hostile
    path = folder / "hostile.html"
    path.write_text(graph_view(hostile).to_html(), encoding="utf-8")
    out["hostile"] = path
    return out


class Loaded:
    def __init__(self, page, requests, dialogs, errors):
        self.page, self.requests, self.dialogs, self.errors = page, requests, dialogs, errors

    def js(self, code, arg=None):
        return self.page.evaluate(code, arg)

    def node_point(self, label):
        """The page coordinates of the node with this label."""
        box = self.page.locator("#mynetwork").bounding_box()
        at = self.js("""label => {
            const id = nodes.getIds().find(i => nodes.get(i).label === label);
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            return [p.x, p.y];
        }""", label)
        return box["x"] + at[0], box["y"] + at[1]


@pytest.fixture
def load(browser):
    opened = []

    def go(path: Path) -> Loaded:
        page = browser.new_page()
        opened.append(page)
        requests, dialogs, errors = [], [], []

        def route(r):
            requests.append(r.request.url)
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda req: requests.append(req.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function("window.parleyDrawn === true", timeout=15000)
        return Loaded(page, requests, dialogs, errors)

    yield go
    for p in opened:
        p.close()


def non_white_pixels(loaded: Loaded) -> int:
    return loaded.js("""() => {
        const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
        }
        return n;
    }""")


def pixel_at_node(loaded: Loaded, label: str) -> list[int]:
    """The canvas pixel at the centre of a node."""
    return loaded.js("""label => {
        const id = nodes.getIds().find(i => nodes.get(i).label === label);
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const c = document.querySelector('#mynetwork canvas');
        const r = c.width / c.clientWidth;
        return Array.from(c.getContext('2d').getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data);
    }""", label)


def rgb(hex_color: str) -> list[int]:
    return [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]


def close_to(a, b, tol=12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def only_local(requests) -> bool:
    return all(u.startswith(("file://", "data:", "about:", "blob:")) for u in requests)


@pytest.mark.parametrize("name", ["small", "network", "aggregated"])
def test_the_network_is_drawn_and_nothing_leaves_the_machine(load, pages, name):
    loaded = load(pages[name])
    if name == "network":
        loaded.page.wait_for_function("network.physics.stabilized !== false", timeout=15000)
    assert non_white_pixels(loaded) > 2000
    assert loaded.requests and only_local(loaded.requests), loaded.requests
    assert loaded.errors == []
    if name == "small":
        # The events are drawn where vis placed them, in their group's colour.
        assert close_to(pixel_at_node(loaded, "pause-1")[:3], rgb(GROUP_COLORS["relief"]))
        assert close_to(pixel_at_node(loaded, "threat-1")[:3], rgb(GROUP_COLORS["pressure"]))
        assert loaded.js("document.getElementById('parley-title').textContent") == "Small test negotiation"
        assert loaded.js("document.querySelectorAll('#parley-legend input[data-group]').length") == 5
    if name == "aggregated":
        assert "aggregated by" in loaded.js("document.getElementById('parley-note').textContent")
        assert loaded.js("document.getElementById('parley-note').hidden") is False


def test_hostile_text_is_shown_as_text_and_never_runs(load, pages):
    loaded = load(pages["hostile"])
    assert non_white_pixels(loaded) > 2000
    assert loaded.js("document.getElementById('parley-title').textContent") == HOSTILE["title"]
    x, y = loaded.node_point("pause-1")
    loaded.page.mouse.move(x, y)
    loaded.page.wait_for_function("!document.getElementById('parley-tooltip').hidden", timeout=5000)
    tip = loaded.page.locator("#parley-tooltip")
    text = tip.inner_text()
    assert HOSTILE["summary"] in text and HOSTILE["note"] in text
    assert "<b onmouseover" in loaded.js("document.querySelector('#parley-actors').textContent")
    assert loaded.js("document.querySelectorAll('#parley-tooltip img, #parley-tooltip script, "
                     "#parley-actors b, body img').length") == 0
    links = loaded.js("Array.from(document.querySelectorAll('#parley-tooltip a')).map(a => a.href)")
    assert links and all(h.startswith("https://") for h in links)  # the javascript: source is no link
    assert HOSTILE["source"] + "0" in text  # ... but is still listed, as text
    # Pin the tooltip with a click and hover elsewhere: still nothing ran.
    loaded.page.mouse.click(x, y)
    loaded.page.mouse.move(x + 200, y + 150)
    loaded.page.wait_for_timeout(200)
    assert loaded.js("typeof window.__xss") == "undefined"
    assert loaded.dialogs == [] and loaded.errors == []
    assert only_local(loaded.requests), loaded.requests


def test_claim_tooltip_shows_claimant_confidence_evidence_and_sources(load, pages):
    loaded = load(pages["small"])
    shown = loaded.js("""() => {
        const e = edges.getIds().find(i => i.startsWith('claim:') && i.includes('raid-1'));
        const p = network.canvasToDOM(network.getPositions([edges.get(e).from, edges.get(e).to])[edges.get(e).from]);
        const q = network.canvasToDOM(network.getPositions([edges.get(e).to])[edges.get(e).to]);
        return [(p.x + q.x) / 2, (p.y + q.y) / 2];
    }""")
    box = loaded.page.locator("#mynetwork").bounding_box()
    loaded.page.mouse.move(box["x"] + shown[0], box["y"] + shown[1])
    loaded.page.wait_for_function("!document.getElementById('parley-tooltip').hidden", timeout=5000)
    text = loaded.page.locator("#parley-tooltip").inner_text()
    for expected in ("raid-1 in-exchange-for extend-1", "Alice", "low (0.3)", "Bob",
                     "Evidence: Alice says the raids earned the extension.", "https://example.org/news/9"):
        assert expected in text


def test_search_highlights_the_match_and_its_neighbours(load, pages):
    loaded = load(pages["small"])
    loaded.page.fill("#parley-search", "pledge")
    loaded.page.wait_for_function("document.getElementById('parley-search-count').textContent === '1 match'")
    opacity = loaded.js("Object.fromEntries(nodes.get().map(n => [n.label, n.opacity === undefined ? 1 : n.opacity]))")
    for bright in ("pledge-1", "pause-1", "deploy-1", "Bob"):
        assert opacity[bright] == 1, bright
    for faded in ("threat-1", "stats-1", "extend-1"):
        assert opacity[faded] < 0.5, faded
    assert loaded.js("network.getSelectedNodes().map(id => nodes.get(id).label)") == ["pledge-1"]
    loaded.page.fill("#parley-search", "")
    loaded.page.wait_for_function("document.getElementById('parley-search-count').textContent === ''")
    assert loaded.js("nodes.get().every(n => n.opacity === undefined || n.opacity === 1)")


def test_group_type_actor_and_date_filters_hide_events(load, pages):
    loaded = load(pages["small"])

    def hidden():
        return set(loaded.js("nodes.get().filter(n => n.hidden).map(n => n.label)"))

    loaded.page.uncheck("#parley-legend input[data-group=relief]")
    assert hidden() == {"pause-1", "exempt-1", "extend-1"}
    loaded.page.check("#parley-legend input[data-group=relief]")
    assert hidden() == set()
    loaded.page.click("#parley-types-box summary")
    loaded.page.uncheck("#parley-types input[data-key=lab-raid]")
    assert hidden() == {"raid-1"}
    loaded.page.click("#parley-reset")
    assert hidden() == set()
    # Only Bob: his events stay, the other actors go.
    loaded.page.click("#parley-actors-box summary")
    loaded.page.uncheck("#parley-actors label:first-child input")  # "all"
    loaded.js("""() => {
        const box = Array.from(document.querySelectorAll('#parley-actors input[data-key]'))
            .find(b => b.parentNode.textContent === 'Bob');
        box.click();
    }""")
    events_shown = set(loaded.js("nodes.get().filter(n => !n.hidden && n.shape === 'dot').map(n => n.label)"))
    assert events_shown == {"pledge-1", "extend-1"}
    loaded.page.click("#parley-reset")
    # The date slider: from 2025-02-01 on.
    loaded.js("""() => {
        const from = document.getElementById('parley-from');
        from.value = String(27);  // 2025-01-05 + 27 days
        from.dispatchEvent(new Event('input'));
    }""")
    assert loaded.js("document.getElementById('parley-from-label').textContent") == "2025-02-01"
    assert hidden() == {"threat-1", "impose-1", "pledge-1", "pause-1", "deploy-1"}
    assert "showing 4 of 9 events" == loaded.js("document.getElementById('parley-shown').textContent")
