"""The audit (graph/audit.py) and `parley audit`, on tests/data/audit.yaml, whose every verdict, lag and threat
outcome is worked out by hand in the file's comments; and the issue's examples on the bundled timeline."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.events.read import read_bundled, read_timeline
from parley.graph.audit import AuditError, audit
from parley.graph.store import read_graph
from test_queries_differential import server  # noqa: F401  (the Oxigraph server fixture)

DATA = Path(__file__).parent / "data"
AUDIT = DATA / "audit.yaml"


@pytest.fixture(scope="module")
def graph():
    return read_graph(timeline=read_timeline([AUDIT]))


@pytest.fixture(scope="module")
def report(graph):
    return audit(graph)


@pytest.fixture(scope="module")
def reliefs(report):
    return {r["event"]["id"]: r for r in report.reliefs}


def ids(items, key="event"):
    return [x[key]["id"] for x in items]


# -- relief events ------------------------------------------------------------------------------------------

def test_verdict_of_each_relief(reliefs):
    assert {k: r["verdict"] for k, r in reliefs.items()} == {
        "pause-duty": "pledge", "exempt-duty": "evidenced", "extend-duty": "disputed",
        "reduce-duty": "temporal-only", "pause-levy": "unexplained",
    }


def test_pause_granted_on_a_partly_delivered_pledge(reliefs):
    r = reliefs["pause-duty"]
    assert r["lever"] == {"id": "duty", "name": "Duty on Bordurian goods"}
    [link] = r["links"]
    assert (link["kind"], link["event"]["id"], link["lag_days"], link["sourced"]) == ("pledge", "pledge-guards", 1, True)
    [claim] = link["chain"]
    assert claim["relation"] == "in-exchange-for"
    assert claim["claimed_by"] == {"id": "alice", "name": "Alice"}
    assert claim["confidence_level"] == "high" and claim["confidence"] == 0.9
    assert claim["sources"] == [{"url": "https://example.org/a/4", "title": None}]
    delivery = link["delivery"]
    assert delivery["status"] == "partly delivered"
    assert [(d["event"]["id"], d["lag_days"]) for d in delivery["deliveries"]] == [("deploy-a", 3), ("deploy-b", 7)]
    assert delivery["delivered"] == {"troops": 5000} and delivery["promised"] == {"troops": 6000}
    assert delivery["share"]["troops"] == pytest.approx(5 / 6)
    assert r["candidates"] == []
    # the imposition it overtook never took effect: the day before, the threat held; nothing was collected
    assert (r["before"]["status"], r["before"]["rate"], r["before"]["collected"]) == ("threatened", 25, 0)
    assert r["before"]["set_by"] == "threat-duty"
    assert (r["after"]["status"], r["after"]["until"], r["after"]["collected"]) == ("paused", "2025-02-09", 0)


def test_exemption_evidenced_through_a_chain_of_claims(reliefs):
    r = reliefs["exempt-duty"]
    [link] = r["links"]
    assert (link["kind"], link["event"]["id"], link["lag_days"]) == ("figures", "stats-1", 8)
    assert [(c["cause"], c["effect"]) for c in link["chain"]] == [("stats-1", "call-1"), ("call-1", "exempt-duty")]
    # Carpania's seizure two days before is not the targeted side's
    assert [(c["event"]["id"], c["lag_days"]) for c in r["candidates"]] == [("raid-1", 18)]
    assert r["candidate_count"] == 1
    assert r["before"]["collected"] == 25  # the pause lapsed on 9 February and the 25 % resumed
    assert (r["after"]["status"], r["after"]["scope"], r["after"]["collected"]) == ("in-force", "goods outside the pact", 25)


def test_disputed_comes_before_evidenced(reliefs):
    r = reliefs["extend-duty"]
    assert [(k["event"]["id"], k["lag_days"], k["sourced"], k["disputed"]) for k in r["links"]] == [
        ("raid-1", 38, True, False), ("arrest-1", 19, True, True)]
    assert r["links"][1]["event"]["date"] == "2025-03"  # known to the month: lags count from its first day
    assert r["candidates"] == []  # arrest-1 falls in the window but is linked
    assert "Bob" in r["reason"] and "arrests-for-extension" in r["reason"]
    assert (r["before"]["collected"], r["after"]["collected"]) == (25, 0)


def test_temporal_only_and_the_window(graph, reliefs):
    r = reliefs["reduce-duty"]
    assert r["links"] == [] and r["claims"] == []
    assert [(c["event"]["id"], c["lag_days"]) for c in r["candidates"]] == [("extradite-1", 20)]
    assert (r["after"]["status"], r["after"]["rate"], r["after"]["collected"]) == ("reduced", 10, 10)
    narrow = {x["event"]["id"]: x for x in audit(graph, window_days=10).reliefs}
    assert narrow["reduce-duty"]["verdict"] == "unexplained"
    assert narrow["exempt-duty"]["verdict"] == "evidenced" and narrow["exempt-duty"]["candidates"] == []
    wide = {x["event"]["id"]: x for x in audit(graph, window_days=40).reliefs}
    # designate-1's only link to it is unsourced, no evidence: within 40 days, it is a candidate like any other
    assert [c["event"]["id"] for c in wide["pause-levy"]["candidates"]] == ["designate-1"]
    assert wide["pause-levy"]["verdict"] == "temporal-only"


def test_unsourced_claims_are_not_evidence_and_prevents_is_not_followed(reliefs):
    r = reliefs["pause-levy"]
    [link] = r["links"]
    assert (link["event"]["id"], link["sourced"], link["lag_days"]) == ("designate-1", False, 36)
    assert "pledge-raids" not in [k["event"]["id"] for k in r["links"]]
    assert [c["cause"] for c in r["claims"]] == ["designate-1"]


def test_chain_length_is_bounded(graph):
    short = {x["event"]["id"]: x for x in audit(graph, max_chain=1).reliefs}
    # stats-1 is two claims away: with chains of one claim the exemption rests on timing alone
    assert short["exempt-duty"]["verdict"] == "temporal-only"
    assert short["exempt-duty"]["links"] == []


def test_bad_parameters(graph):
    with pytest.raises(AuditError):
        audit(graph, window_days=-1)
    with pytest.raises(AuditError):
        audit(graph, max_chain=0)


# -- security actions, pledges, threats ---------------------------------------------------------------------

def test_security_actions_rewarded_or_not(report):
    got = {a["event"]["id"]: a for a in report.security}
    assert list(got) == ["deploy-a", "deploy-b", "raid-1", "arrest-1", "extradite-1", "designate-1", "seize-late"]
    assert {k: a["status"] for k, a in got.items()} == {
        "deploy-a": "rewarded", "deploy-b": "rewarded", "raid-1": "rewarded", "arrest-1": "rewarded",
        "extradite-1": "rewarded", "designate-1": "unrewarded", "seize-late": "unrewarded"}
    # the strongest tie each has: claims, a pledge it delivers, or only a relief within the window after it
    assert {k: a["rewarded_by"] for k, a in got.items()} == {
        "deploy-a": "pledge", "deploy-b": "pledge", "raid-1": "claims", "arrest-1": "claims",
        "extradite-1": "timing", "designate-1": None, "seize-late": None}
    assert got["deploy-a"]["delivers"] == [{"pledge": "pledge-guards", "reliefs": ["pause-duty"]}]
    assert got["deploy-a"]["followed_by"] is None  # exempt-duty is 48 days later
    assert got["raid-1"]["followed_by"] == {"relief": "exempt-duty", "lag_days": 18}
    assert [(x["relief"], x["lag_days"]) for x in got["raid-1"]["linked_reliefs"]] == [("extend-duty", 38)]
    assert got["extradite-1"]["linked_reliefs"] == [] and got["extradite-1"]["followed_by"]["lag_days"] == 20
    # an unsourced claim is listed, but is no evidence: it does not reward
    assert [(x["relief"], x["lag_days"], x["sourced"]) for x in got["designate-1"]["linked_reliefs"]] == [
        ("pause-levy", 36, False)]
    assert "designate-1 (designation): unrewarded - linked to pause-levy (36 d, by unsourced claims only)" in (
        report.to_text())


def test_pledges(report):
    got = {p["event"]["id"]: p for p in report.pledges}
    assert got["pledge-guards"]["status"] == "partly delivered"
    assert got["pledge-guards"]["granted"] == ["pause-duty"]
    assert got["pledge-raids"]["status"] == "not yet delivered"
    assert got["pledge-raids"]["deliveries"] == [] and got["pledge-raids"]["granted"] == []


def test_threat_outcomes(report):
    got = {t["event"]["id"]: t for t in report.threats}
    assert {k: (t["status"], t["on"]) for k, t in got.items()} == {
        "threat-duty": ("carried-out", "2025-02-09"), "threat-levy": ("delayed", "2025-09-01"),
        "threat-quota": ("withdrawn", "2025-07-10"), "threat-fees": ("pending", None)}
    assert ids(got["threat-duty"]["settled_by"]) == ["pause-duty"]
    assert got["threat-duty"]["rate_carried_out"] == 25
    assert ids(got["threat-levy"]["settled_by"]) == ["pause-levy"]
    assert ids(got["threat-quota"]["settled_by"]) == ["agree-quota"]
    assert got["threat-fees"]["settled_by"] == []


def test_summary(report):
    s = report.summary
    assert s["reliefs"] == 5
    assert {v: (x["count"], x["share"]) for v, x in s["verdicts"].items()} == {
        v: (1, 0.2) for v in ("disputed", "evidenced", "pledge", "temporal-only", "unexplained")}
    assert s["lags"]["linked"] == {"n": 4, "median": 13.5, "min": 1, "max": 38}  # sourced links only
    assert s["lags"]["temporal"] == {"n": 2, "median": 19, "min": 18, "max": 20}
    assert s["lags"]["delivery"] == {"n": 2, "median": 5, "min": 3, "max": 7}
    assert s["unexplained"] == ["pause-levy"] == report.unexplained
    assert s["disputed"] == [{"claim": "arrests-for-extension", "cause": "arrest-1", "effect": "extend-duty",
                              "relation": "in-exchange-for", "claimed_by": {"id": "alice", "name": "Alice"},
                              "disputed_by": [{"id": "bob", "name": "Bob"}]}]
    assert s["security"] == {"rewarded": 5, "unrewarded": 2, "rewarded_by": {"claims": 2, "pledge": 2, "timing": 1}}
    assert s["pledges"] == {"delivered": 0, "partly delivered": 1, "not yet delivered": 1}
    assert s["threats"] == {"carried-out": 1, "delayed": 1, "withdrawn": 1, "pending": 1}


def test_series(report):
    levers = {s["lever"]: s["points"] for s in report.series["levers"]}
    assert levers["duty"] == [["2025-01-02", 0, "threat-duty"], ["2025-02-09", 25, "pause-duty"],
                              ["2025-03-20", 0, "extend-duty"], ["2025-04-30", 10, "reduce-duty"]]
    assert "guard" not in levers  # a deployment lever has no rate
    figures = {s["kind"]: [p[:2] for p in s["points"]] for s in report.series["figures"]}
    assert figures["troops"] == [["2025-01-11", 4000], ["2025-01-15", 5000]]
    assert figures["labs"] == [["2025-02-10", 3], ["2025-02-20", 40]]  # the statistic is a total to date
    assert figures["kg"] == [["2025-10-01", 100]]  # Carpania's 50 kg are not the targeted side's


# -- renderings ---------------------------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [(tag, k, v) for k, v in attrs if k in ("src", "href") and v is not None]


def test_html_is_self_contained_and_escaped(report):
    page = report.to_html()
    parser = _Links()
    parser.feed(page)
    # what the page loads is inline (data: URIs); the only links are the claims' sources, to follow when online
    loaded = [v for tag, k, v in parser.urls if not (tag == "a" and k == "href")]
    assert loaded and all(v.startswith("data:") for v in loaded)
    sources = {src["url"] for r in report.reliefs for c in r["claims"] for src in c["sources"]}
    links = {v for tag, k, v in parser.urls if tag == "a"}
    assert links and links <= sources and all(v.startswith(("https://", "http://")) for v in links)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<i>" not in page and "&lt;i&gt;earned&lt;/i&gt;" in page
    assert "data:image/svg+xml;base64," in page


def test_markdown_and_text(report):
    md = report.to_markdown(chart_src="audit.svg")
    assert "![Lever rates against cumulative security figures](audit.svg)" in md
    assert "<script>" not in md and "<i>" not in md
    assert "| disputed | 1 | 20% |" in md
    text = report.to_text()
    assert "pause-duty (reprieve, duty): GRANTED ON A PLEDGE" in text
    assert "threat-levy: 40% on levy: delayed to 2025-09-01, not carried out" in text


def test_csv_rows(report):
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert rows == [{k: str(v) for k, v in r.items()} for r in report.to_csv_rows()]
    by_id = {(r["section"], r["id"]): r for r in rows}
    assert by_id[("relief", "exempt-duty")]["verdict"] == "evidenced"
    assert by_id[("relief", "exempt-duty")]["related"] == "stats-1;raid-1"
    assert by_id[("threat", "threat-quota")]["verdict"] == "withdrawn"
    assert by_id[("pledge", "pledge-guards")]["related"] == "deploy-a;deploy-b"


# -- the command --------------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, ["audit", *map(str, args)], catch_exceptions=False)


def test_cli_json_equals_to_dict(report):
    result = run("--timeline", AUDIT, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == report.to_dict()


def test_cli_strict_exit_codes():
    assert run("--timeline", AUDIT).exit_code == 0
    assert run("--timeline", AUDIT, "--strict").exit_code == 1
    assert run("--timeline", DATA / "small.yaml", "--strict").exit_code == 0  # nothing unexplained there


def test_cli_bad_input_exits_2(tmp_path):
    bad = run("--timeline", AUDIT, "--chart", tmp_path / "chart.gif")
    assert bad.exit_code == 2 and "chart.gif" in bad.stderr and not (tmp_path / "chart.gif").exists()
    assert run("--timeline", AUDIT, "--window", "-3").exit_code == 2
    assert run("--graph", tmp_path / "missing.ttl").exit_code == 2


def test_cli_writes_report_and_chart(tmp_path):
    out, chart = tmp_path / "audit.md", tmp_path / "audit.svg"
    result = run("--timeline", AUDIT, "--format", "md", "--out", out, "--chart", chart)
    assert result.exit_code == 0
    assert "](audit.svg)" in out.read_text()
    assert ET.parse(chart).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    png = tmp_path / "audit.png"
    assert run("--timeline", AUDIT, "--chart", png, "--out", tmp_path / "a.txt").exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_report_from_a_turtle_file(tmp_path, report):
    ttl = tmp_path / "x.ttl"
    assert CliRunner().invoke(main, ["build", "--timeline", str(AUDIT), "--out", str(ttl)]).exit_code == 0
    result = run("--graph", ttl, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == report.to_dict()


def test_same_report_through_run_query_on_a_plain_rdflib_store(report):
    """Off Oxigraph the queries go through parley.graph.query.run_query: the report must not change."""
    from rdflib import Graph

    from parley.graph.build import triples

    g = Graph()  # rdflib's own in-memory store
    for t in triples(read_timeline([AUDIT])):
        g.add(t)
    assert audit(g).to_dict() == report.to_dict()


def test_same_report_on_a_store_on_disk_and_on_an_endpoint(tmp_path, server, report):
    """On Oxigraph (here on disk) the audit reads pyoxigraph directly, two queries at a time in worker threads;
    on an endpoint it goes through run_query_text. Both must give the in-memory store's report."""
    from parley.graph.store import load

    timeline = read_timeline([AUDIT])
    load(f"oxigraph:{tmp_path / 'kg'}", timeline)
    assert audit(read_graph(store=f"oxigraph:{tmp_path / 'kg'}")).to_dict() == report.to_dict()
    load(f"sparql:{server}", timeline)
    assert audit(read_graph(store=f"sparql:{server}")).to_dict() == report.to_dict()


def test_collector_left_as_the_caller_had_it(graph):
    """audit() pauses the cyclic collector while it works: it must be enabled again after, left disabled when the
    caller had disabled it, and a caller's young objects must stay young (no gc.freeze trick)."""
    import gc

    assert gc.isenabled()
    audit(graph)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        audit(graph)
        assert not gc.isenabled()
    finally:
        gc.enable()
    import weakref

    class Node:
        pass

    gc.collect()
    young = Node()
    young.me = young  # a cycle the caller drops just before the audit
    gone = weakref.ref(young)
    del young
    audit(graph)
    gc.collect(1)  # a young collection frees it: it was not moved to the oldest generation
    assert gone() is None


# -- the bundled timeline: the examples ---------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return audit(read_graph(timeline=read_bundled()))


def _relief_on(report, date, etype):
    [r] = [r for r in report.reliefs if r["event"]["earliest"] == date and r["event"]["type"] == etype]
    return r


def test_bundled_february_pause_granted_on_the_troop_pledge(bundled):
    r = _relief_on(bundled, "2025-02-03", "reprieve")
    assert r["verdict"] == "pledge"
    [link] = [k for k in r["links"] if k["kind"] == "pledge"]
    assert link["quantity"]["troops"] == 10000
    delivery = link["delivery"]
    assert delivery["status"] == "delivered"
    assert [d["event"]["earliest"] for d in delivery["deliveries"]] == ["2025-02-04", "2025-02-05"]
    assert all(d["event"]["type"] == "troop-deployment" for d in delivery["deliveries"])


def test_bundled_march_exemption_evidenced_by_fentanyl_figures(bundled):
    r = _relief_on(bundled, "2025-03-06", "exemption")
    assert r["verdict"] == "evidenced"
    figures = [k for k in r["links"] if k["kind"] == "figures"]
    assert figures and all(k["sourced"] for k in figures)
    assert any(c["claimed_by"]["name"] == "Claudia Sheinbaum" for k in figures for c in k["chain"])
    transfer = [c for c in r["candidates"] if c["event"]["type"] == "extradition"]
    assert [(c["event"]["earliest"], c["lag_days"]) for c in transfer] == [("2025-02-27", 7)]


def test_bundled_july_extension_disputed(bundled):
    r = _relief_on(bundled, "2025-07-31", "extension")
    assert r["verdict"] == "disputed"
    [claim] = [c for c in r["claims"] if c["disputed_by"]]
    assert claim["claimed_by"]["name"] == "Donald Trump"
    assert [a["name"] for a in claim["disputed_by"]] == ["Claudia Sheinbaum"]


def test_bundled_late_october_extension_unexplained_names_the_call(bundled):
    r = _relief_on(bundled, "2025-10-27", "extension")
    assert r["verdict"] == "unexplained"
    assert r["reason"].endswith("claims link only call-2025-10-25 to it, which is no security action, figures or "
                                "pledge of the targeted side")


def test_a_source_that_is_not_an_http_url_is_no_link():
    from parley.graph.audit import _source_html

    assert _source_html("https://example.org/a?b=1&c=2") == (
        '<a class="url" href="https://example.org/a?b=1&amp;c=2" rel="noreferrer">https://example.org/a?b=1&amp;c=2</a>')
    assert "href" not in _source_html("javascript:alert(1)") and "href" not in _source_html('https://x/"onmouseover=')


def test_bundled_july_threat_delayed_never_carried_out(bundled):
    [t] = [t for t in bundled.threats if t["event"]["earliest"] == "2025-07-11" and t["rate"] == 30]
    assert t["status"] == "delayed"
    assert t["rate_carried_out"] is None
    assert "2025-07-31" in [x["event"]["earliest"] for x in t["settled_by"]]


def test_an_empty_summary_with_a_language_does_not_hide_the_summary():
    """A second, empty description ("" or ""@en) counts as none on every store: the relief keeps its summary."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS

    g = read_graph(timeline=read_bundled())
    want = {r["event"]["id"]: r["event"]["summary"] for r in audit(g).reliefs}
    assert want["eo-14198-pause"]
    event = next(s for s, _, o in g.triples((None, DCTERMS.identifier, None)) if str(o) == "eo-14198-pause"
                 and "/event/" in str(s))
    g.add((URIRef(event), DCTERMS.description, Literal("", lang="en")))
    g.add((URIRef(event), DCTERMS.description, Literal("")))
    got = {r["event"]["id"]: r["event"]["summary"] for r in audit(g).reliefs}
    assert got == want


def test_an_iri_with_a_raw_line_break_gives_the_same_report():
    """A lenient load can let in an IRI with a raw line break or tab, which Oxigraph's TSV results leave as they
    are: the audit reads those answers from the solutions, and reports what rdflib's own store gives."""
    import pyoxigraph as ox
    from rdflib import Dataset

    g = read_graph(timeline=read_bundled())
    ctx = next(iter(g.graphs())).identifier
    odd = "https://example.org/odd/event/seizure\nraw"
    data = (f'<{odd}> <https://w3id.org/parley/ontology#eventType> <https://w3id.org/parley/event-type/seizure> <{ctx}> .\n'
            f'<{odd}> <http://purl.org/dc/terms/identifier> "odd-seizure" <{ctx}> .\n'
            f'<{odd}> <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> '
            f'"2025-03-01"^^<http://www.w3.org/2001/XMLSchema#date> <{ctx}> .\n'
            f'<{odd}> <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> '
            f'<https://w3id.org/parley/timeline/us-mexico-2025/actor/sedena> <{ctx}> .\n'
            f'<{odd}> <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> <urn:x:odd\tactor> <{ctx}> .\n')
    g.store._inner.load(data.encode(), format=ox.RdfFormat.N_QUADS, lenient=True)
    memory = Dataset(default_union=True)
    for s, p, o, c in g.quads((None, None, None, None)):
        memory.graph(c).add((s, p, o))
    report = audit(g).to_dict()
    assert "odd-seizure" in json.dumps(report)
    assert report == audit(memory).to_dict()


def _with_copy_of_statistic(name, amount):
    """audit.yaml's graph with a second statistic of the same id and date as stats-1 (two timelines may share
    ids), at event/`name`, reporting `amount` labs; and the same quads in rdflib's own store."""
    from rdflib import Dataset, Literal, URIRef
    from rdflib.namespace import XSD

    g = read_graph(timeline=read_timeline([AUDIT]))
    ctx = next(iter(g.graphs()))
    base, quantity_of = "https://example.org/audit/", URIRef("https://w3id.org/parley/ontology#quantity")
    stats, copy = URIRef(base + "event/stats-1"), URIRef(base + "event/" + name)
    for p, o in list(g.predicate_objects(stats)):
        if p != quantity_of:
            g.add((copy, p, o, ctx))
    labs = next(q for q in g.objects(stats, quantity_of) if "labs" in {str(o) for o in g.objects(q, None)})
    copied = URIRef(base + "quantity/copy")
    g.add((copy, quantity_of, copied, ctx))
    for p, o in list(g.predicate_objects(labs)):
        g.add((copied, p, Literal(amount, datatype=XSD.decimal) if str(p).endswith("amount") else o, ctx))
    memory = Dataset(default_union=True)
    for s, p, o, c in g.quads((None, None, None, None)):
        memory.graph(c).add((s, p, o))
    return g, memory


@pytest.mark.parametrize("name, total", [("stats-0", 40), ("stats-1b", 999)])
def test_events_equal_in_date_and_id_go_in_iri_order_on_every_store(name, total):
    """Two statistics of one id and day: the later IRI's figure is the total of that day, whatever order the
    store answers in, so the report is the same on Oxigraph and on rdflib's own store."""
    g, memory = _with_copy_of_statistic(name, 999)
    report = audit(g)
    labs = {s["kind"]: [p[:2] for p in s["points"]] for s in report.series["figures"]}["labs"]
    assert labs == [["2025-02-10", 3], ["2025-02-20", total]]
    assert audit(memory).to_dict() == report.to_dict()


def test_a_value_that_is_no_date_is_an_error_not_a_traceback(tmp_path):
    from rdflib import Literal, URIRef

    g = read_graph(timeline=read_timeline([AUDIT]))
    begin = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp")
    g.set((URIRef("https://example.org/audit/event/raid-1"), begin, Literal("sometime")))
    with pytest.raises(AuditError, match="'sometime' where a date"):
        audit(g)
    path = tmp_path / "bad.trig"
    path.write_text(g.serialize(format="trig"), encoding="utf-8")
    result = run("--graph", path)
    assert result.exit_code == 2 and "'sometime' where a date" in result.stderr and "Traceback" not in result.output


def test_bundled_dates_known_as_ranges_are_shown_as_ranges(bundled):
    """Latest dates other than the earliest reach the report (the audit reads only those)."""
    reliefs = {r["event"]["id"]: r["event"]["date"] for r in bundled.reliefs}
    security = {s["event"]["id"]: s["event"]["date"] for s in bundled.security}
    assert reliefs["fincen-extension"] == "2025-06-26..2025-10-19"
    assert security["transfer-29-2025-02-27"] == "2025-02-27..2025-02-28"
    assert reliefs["eo-14198-pause"] == "2025-02-03"


def _memory_copy(g):
    from rdflib import Dataset

    memory = Dataset(default_union=True)
    for s, p, o, c in g.quads((None, None, None, None)):
        memory.graph(c).add((s, p, o))
    return memory


def test_a_claim_is_named_by_its_identifier_not_its_iri():
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS

    g = read_graph(timeline=read_timeline([AUDIT]))
    claim = URIRef("https://example.org/audit/claim/raid-1.causes.extend-duty")
    g.set((claim, DCTERMS.identifier, Literal("raid-claim")))
    report = audit(g)
    named = {c["id"] for r in report.reliefs for c in r["claims"]}
    assert "raid-claim" in named and "raid-1.causes.extend-duty" not in named
    assert audit(_memory_copy(g)).to_dict() == report.to_dict()


def test_a_stated_precision_wins_over_day_on_every_store():
    """An event given two precisions, "day" and "month" (a hand-edited graph), is dated to the month, on
    Oxigraph and on rdflib's own store alike."""
    from rdflib import Literal, URIRef

    g = read_graph(timeline=read_timeline([AUDIT]))
    precision = URIRef("https://w3id.org/parley/ontology#datePrecision")
    raid = URIRef("https://example.org/audit/event/raid-1")
    ctx = next(iter(g.graphs()))
    assert {str(o) for o in g.objects(raid, precision)} == {"day"}
    g.add((raid, precision, Literal("month"), ctx))
    report = audit(g)
    [entry] = [s for s in report.security if s["event"]["id"] == "raid-1"]
    assert entry["event"]["date"] == entry["event"]["earliest"][:7]
    assert audit(_memory_copy(g)).to_dict() == report.to_dict()


def test_a_subject_without_an_identifier_is_no_event_on_every_store():
    """An event is a subject with a type, an identifier and an earliest date: a relief that lost its identifier
    leaves the report, on Oxigraph (the identifiers read after the events are made) as on rdflib's store."""
    from rdflib import Dataset, URIRef
    from rdflib.namespace import DCTERMS

    g = read_graph(timeline=read_bundled())
    before = audit(g)
    event = next(s for s, _, o in g.triples((None, DCTERMS.identifier, None)) if str(o) == "eo-14198-pause"
                 and "/event/" in str(s))
    g.remove((URIRef(event), DCTERMS.identifier, None))
    memory = Dataset(default_union=True)
    for s, p, o, c in g.quads((None, None, None, None)):
        memory.graph(c).add((s, p, o))
    after = audit(g)
    assert "eo-14198-pause" in ids(before.reliefs)
    assert "eo-14198-pause" not in ids(after.reliefs) and not any(str(event) in json.dumps(r) for r in after.reliefs)
    assert len(after.reliefs) == len(before.reliefs) - 1
    assert after.to_dict() == audit(memory).to_dict()


def test_bundled_pledges_are_the_targeted_side_s(bundled):
    # the US pledge on arms trafficking (Mexico's account) is no pledge of the side the tariffs target
    assert [p["event"]["id"] for p in bundled.pledges] == ["pledge-troops-2025-02-03"]
    assert bundled.summary["pledges"] == {"delivered": 1, "partly delivered": 0, "not yet delivered": 0}


def test_csv_says_what_rewarded_each_security_action(report):
    import csv as csv_module
    import io

    rows = {r["id"]: r for r in csv_module.DictReader(io.StringIO(report.to_csv())) if r["section"] == "security"}
    assert rows["deploy-a"]["verdict"] == "rewarded (pledge)" and rows["raid-1"]["verdict"] == "rewarded (claims)"
    assert rows["extradite-1"]["verdict"] == "rewarded (timing)" and rows["seize-late"]["verdict"] == "unrewarded"


def test_a_number_that_is_not_finite_is_a_clean_error():
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from parley.ontology.namespace import PARLEY

    g = read_graph(timeline=read_timeline([AUDIT]))
    event = next(s for s, _, o in g.triples((None, PARLEY.rate, None)))
    g.set((URIRef(event), PARLEY.rate, Literal("INF", datatype=XSD.double)))
    with pytest.raises(AuditError, match="a finite number"):
        audit(g)


LAPSES = """\
timeline: {id: lapses, base: "https://example.org/lapses/"}
actors:
  - {id: us, name: Land A, kind: government, country: AA}
  - {id: them, name: Land B, kind: government, country: BB}
levers:
  - {id: L, kind: tariff, name: Main tariff, imposed_by: us, target: them, scope: all goods}
events:
  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 25, summary: s}
  - {id: p1, date: 2025-01-31, type: reprieve, actors: [us], lever: L, until: 2025-03-01, summary: s}
  - {id: ex1, date: 2025-03-10, type: exemption, actors: [us], lever: L, scope: pact goods, rate: 10, summary: s}
  - {id: q, date: 2025-06-01, type: tariff-imposition, actors: [us], lever: L, rate: 30, until: 2025-06-10,
     summary: s}
  - {id: r3, date: 2025-07-01, type: reprieve, actors: [us], lever: L, summary: s}
"""


def test_the_state_before_a_relief_is_what_came_back_after_a_lapse(tmp_path):
    path = tmp_path / "lapses.yaml"
    path.write_text(LAPSES, encoding="utf-8")
    report = audit(read_graph(timeline=read_timeline([path])))
    before = {r["event"]["id"]: r["before"] for r in report.reliefs}
    # the pause p1 ran out on 1 March: the tariff came back, as `parley state` says, not the pause
    assert before["ex1"] == {"status": "in-force", "rate": 25, "scope": "all goods", "from": "2025-03-01",
                             "until": "2025-03-10", "collected": 25, "set_by": "imp", "resumed_by": "p1"}
    # q ran out by its own end with nothing before it: nothing was in force
    assert before["r3"]["status"] is None and before["r3"]["lapsed"] == {
        "event": "q", "status": "in-force", "rate": 30, "until": "2025-06-10"}
    text = report.to_text()
    assert ("in-force 25% on all goods (set by imp) again from 2025-03-01, when p1 ended, until 2025-03-10 "
            "(collected: 25%)") in text
    assert "nothing in force (in-force 30% set by q ended on 2025-06-10)" in text
    assert before["p1"]["status"] == "in-force" and "set_by" not in before["p1"]  # a state that still held


def test_a_rate_that_comes_back_short_of_a_threat_does_not_carry_it_out(tmp_path):
    path = tmp_path / "cut.yaml"
    path.write_text(LAPSES.split("events:")[0] + """events:
  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 25, summary: s}
  - {id: cut, date: 2025-03-01, type: tariff-reduction, actors: [us], lever: L, rate: 0, until: 2025-04-01,
     summary: s}
  - {id: t40, date: 2025-03-15, type: threat, actors: [us], targets: [them], lever: L, rate: 40, summary: s}
  - {id: t25, date: 2025-03-16, type: threat, actors: [us], targets: [them], lever: L, rate: 25, summary: s}
  - {id: t50, date: 2025-03-17, type: threat, actors: [us], targets: [them], lever: L, rate: 50, summary: s}
  - {id: up, date: 2025-05-01, type: tariff-increase, actors: [us], lever: L, rate: 30, summary: s}
""", encoding="utf-8")
    threats = {t["event"]["id"]: t for t in audit(read_graph(timeline=read_timeline([path]))).threats}
    # the 25 % that came back on 1 April was set before the threats: short of 40 %, it raises the level the
    # threat is carried out above; the 30 % of 1 May is a rise above it
    assert (threats["t40"]["status"], threats["t40"]["on"], threats["t40"]["rate_carried_out"]) == (
        "carried-out", "2025-05-01", 30)
    # what came back is the threatened rate: carried out when it came back
    assert (threats["t25"]["status"], threats["t25"]["on"]) == ("carried-out", "2025-04-01")
    path.write_text(path.read_text(encoding="utf-8").replace("rate: 30", "rate: 25"), encoding="utf-8")
    threats = {t["event"]["id"]: t for t in audit(read_graph(timeline=read_timeline([path]))).threats}
    assert threats["t50"]["status"] == "pending" and threats["t50"]["on"] is None


def test_a_relief_granted_on_several_pledges_names_the_best_delivered(tmp_path):
    path = tmp_path / "pledges.yaml"
    path.write_text(LAPSES.split("events:")[0] + """events:
  - {id: p1, date: 2025-01-01, type: commitment, actors: [them], promises: troop-deployment,
     quantity: {troops: 8000}, summary: s}
  - {id: p2, date: 2025-01-02, type: commitment, actors: [them], promises: troop-deployment,
     quantity: {troops: {over: 1000}}, summary: s}
  - {id: p3, date: 2025-01-03, type: commitment, actors: [them], promises: extradition, summary: s}
  - {id: d1, date: 2025-01-05, type: troop-deployment, actors: [them], quantity: {troops: 5000}, summary: s}
  - {id: r, date: 2025-01-10, type: reprieve, actors: [us], lever: L, summary: s}
links:
  - {cause: p3, effect: r, relation: in-exchange-for, claimed_by: us, sources: ["https://example.org/1"]}
  - {cause: p1, effect: r, relation: in-exchange-for, claimed_by: us, sources: ["https://example.org/2"]}
  - {cause: p2, effect: r, relation: in-exchange-for, claimed_by: us, sources: ["https://example.org/3"]}
  - {cause: p1, effect: d1, relation: delivered-by, claimed_by: them, sources: ["https://example.org/4"]}
  - {cause: p2, effect: d1, relation: delivered-by, claimed_by: them, sources: ["https://example.org/5"]}
""", encoding="utf-8")
    report = audit(read_graph(timeline=read_timeline([path])))
    [relief] = report.reliefs
    statuses = {p["event"]["id"]: p["status"] for p in report.pledges}
    assert statuses == {"p1": "partly delivered", "p2": "delivered", "p3": "not yet delivered"}
    # the best delivered pledge, not the first linked
    assert relief["verdict"] == "pledge" and relief["reason"].startswith("granted on the pledge p2 (2025-01-02)")
    assert "troops: 5,000 of more than 1,000 (500%)" in relief["reason"]
    text = report.to_text()
    assert "troops: 5,000 of 8,000 (63%)" in text  # 62.5 % rounds up


def test_a_claim_without_a_source_hides_no_sourced_chain_and_delivers_nothing(tmp_path):
    path = tmp_path / "hide.yaml"
    path.write_text(LAPSES.split("events:")[0] + """events:
  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 25, summary: s}
  - {id: deploy, date: 2025-01-05, type: troop-deployment, actors: [them], quantity: {troops: 100}, summary: s}
  - {id: raid, date: 2025-01-06, type: lab-raid, actors: [them], quantity: {labs: 2}, summary: s}
  - {id: call, date: 2025-01-20, type: call, actors: [us, them], summary: s}
  - {id: pause, date: 2025-03-01, type: reprieve, actors: [us], lever: L, until: 2025-04-01, summary: s}
  - {id: pledge, date: 2025-03-02, type: commitment, actors: [them], promises: troop-deployment,
     quantity: {troops: 40}, summary: s}
  - {id: deploy2, date: 2025-03-20, type: troop-deployment, actors: [them], quantity: {troops: 23}, summary: s}
  - {id: deploy3, date: 2025-03-25, type: troop-deployment, actors: [them], quantity: {troops: 50}, summary: s}
links:
  # deploy: an unsourced claim straight to the pause, and a sourced one beside it
  - {cause: deploy, effect: pause, relation: causes, claimed_by: us}
  - {cause: deploy, effect: pause, relation: in-exchange-for, claimed_by: us, sources: ["https://example.org/1"]}
  # raid: an unsourced claim straight to the pause, and a longer sourced chain through the call
  - {cause: raid, effect: pause, relation: causes, claimed_by: us}
  - {cause: raid, effect: call, relation: causes, claimed_by: us, sources: ["https://example.org/2"]}
  - {cause: call, effect: pause, relation: causes, claimed_by: us, sources: ["https://example.org/3"]}
  - {cause: pledge, effect: deploy2, relation: delivered-by, claimed_by: them, sources: ["https://example.org/4"]}
  - {cause: pledge, effect: deploy3, relation: delivered-by, claimed_by: them}
""", encoding="utf-8")
    report = audit(read_graph(timeline=read_timeline([path])))
    [relief] = report.reliefs
    links = {link["event"]["id"]: link for link in relief["links"]}
    assert relief["verdict"] == "evidenced"
    assert (links["deploy"]["sourced"], [c["id"] for c in links["deploy"]["chain"]]) == (
        True, ["deploy.in-exchange-for.pause"])
    assert (links["raid"]["sourced"], len(links["raid"]["chain"])) == (True, 2)
    security = {a["event"]["id"]: a for a in report.security}
    assert security["deploy"]["rewarded_by"] == security["raid"]["rewarded_by"] == "claims"
    # the unsourced delivery of 50 troops is listed, but delivers nothing: 23 of 40, 58 % (57.5 rounded up)
    [pledge] = report.pledges
    assert pledge["status"] == "partly delivered" and pledge["delivered"] == {"troops": 23}
    assert [d["event"]["id"] for d in pledge["unsourced_deliveries"]] == ["deploy3"]
    text = report.to_text()
    assert "troops: 23 of 40 (58%); claimed without a source (no evidence): deploy3 (2025-03-25)" in text
    assert security["deploy3"]["status"] == "unrewarded"


def test_a_threat_naming_no_rate_is_not_carried_out_by_a_rate_that_comes_back(tmp_path):
    path = tmp_path / "norate.yaml"
    path.write_text(LAPSES.split("events:")[0] + """events:
  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 25, summary: s}
  - {id: cut, date: 2025-02-01, type: tariff-reduction, actors: [us], lever: L, rate: 10, until: 2025-03-01,
     summary: s}
  - {id: t, date: 2025-02-15, type: threat, actors: [us], targets: [them], lever: L, summary: s}
""", encoding="utf-8")
    [threat] = audit(read_graph(timeline=read_timeline([path]))).threats
    assert (threat["status"], threat["on"]) == ("pending", None)


def test_a_relief_linked_only_without_a_source_says_so_and_is_temporal_only(tmp_path):
    path = tmp_path / "only.yaml"
    path.write_text(LAPSES.split("events:")[0] + """events:
  - {id: s1, date: 2025-01-05, type: lab-raid, actors: [them], summary: s}
  - {id: p1, date: 2025-01-15, type: reprieve, actors: [us], lever: L, summary: s}
links:
  - {cause: s1, effect: p1, relation: causes, claimed_by: us}
""", encoding="utf-8")
    report = audit(read_graph(timeline=read_timeline([path])))
    [relief] = report.reliefs
    assert relief["verdict"] == "temporal-only" and [c["event"]["id"] for c in relief["candidates"]] == ["s1"]
    assert relief["reason"] == ("only unsourced claims link s1 to it (no evidence), but 1 security action(s) of "
                                "the targeted side fall in the 30 days before it")
    [row] = [r for r in report.to_csv_rows() if r["section"] == "relief"]
    assert row["related"] == "s1"


def _audit_of(tmp_path, events: str, name: str = "t.yaml", head: str | None = None):
    path = tmp_path / name
    path.write_text((head or LAPSES.split("events:")[0]) + "events:\n" + events, encoding="utf-8")
    return audit(read_graph(timeline=read_timeline([path])))


TIED = """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: raid, date: 2025-01-02, type: lab-raid, actors: [them], summary: s}
  - {id: ca, date: 2025-01-03, type: call, actors: [them], summary: s}
  - {id: cb, date: 2025-01-03, type: call, actors: [them], summary: s}
  - {id: r, date: 2025-03-10, type: reprieve, actors: [us], lever: L, until: 2025-04-01, summary: s}
links:
  - {id: A1, cause: raid, effect: ca, relation: causes, claimed_by: us, disputed_by: [them], sources: [{url: "https://x.org/1"}]}
  - {id: A2, cause: ca, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: B1, cause: raid, effect: cb, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: B2, cause: cb, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
"""


@pytest.mark.parametrize("disputed,other", [("k", "m"), ("m", "k")])
def test_of_two_chains_as_short_the_disputed_one_is_kept_whatever_the_names(tmp_path, disputed, other):
    # the same graph with the claims' names swapped (the chains were once picked by claim id): the verdict must
    # not follow the names
    report = _audit_of(tmp_path, TIED.replace("A1", disputed + "1").replace("A2", disputed + "2")
                       .replace("B1", other + "1").replace("B2", other + "2"))
    [relief] = report.reliefs
    assert relief["verdict"] == "disputed"
    [link] = relief["links"]
    assert [c["id"] for c in link["chain"]] == [disputed + "1", disputed + "2"] and link["disputed"] is True


def test_a_claim_dated_backwards_is_listed_but_no_evidence(tmp_path):
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: early, date: 2025-08-01, type: lab-raid, actors: [them], summary: s}
  - {id: r, date: 2025-08-06, type: reprieve, actors: [us], lever: L, summary: s}
  - {id: late, date: 2025-08-20, type: lab-raid, actors: [them], summary: s}
  - {id: pl, date: 2025-09-01, type: commitment, actors: [them], promises: troop-deployment, quantity: {troops: 10}, summary: s}
  - {id: dep, date: 2025-08-25, type: troop-deployment, actors: [them], quantity: {troops: 10}, summary: s}
links:
  - {id: back, cause: late, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: early-delivery, cause: pl, effect: dep, relation: delivered-by, claimed_by: them, sources: [{url: "https://x.org/1"}]}
""")
    [relief] = report.reliefs
    [link] = relief["links"]
    assert (link["event"]["id"], link["lag_days"], link["sourced"], link["backwards"]) == ("late", -14, True, True)
    # no evidence: temporal-only on the raid before it; the -14 days are in no lag statistic
    assert relief["verdict"] == "temporal-only"
    assert relief["reason"].startswith("only claims with an effect dated before its cause link late to it (no evidence)")
    assert report.summary["lags"]["linked"]["n"] == 0
    security = {s["event"]["id"]: s for s in report.security}
    assert security["late"]["status"] == "unrewarded" and security["late"]["linked_reliefs"][0]["backwards"] is True
    assert "by a claim dated backwards" in report.to_text()
    [pledge] = report.pledges
    assert pledge["status"] == "not yet delivered" and pledge["deliveries"] == []
    assert [d["event"]["id"] for d in pledge["backdated_deliveries"]] == ["dep"]
    assert "dated before the pledge (no evidence): dep (2025-08-25)" in report.to_text()
    assert "BACKWARDS IN TIME" in report.to_text()


def test_a_relief_that_targets_no_one_counts_every_security_action(tmp_path):
    head = """timeline: {id: nobody, base: "https://example.org/nobody/"}
actors:
  - {id: us, name: Land A, kind: government, country: AA}
  - {id: police, name: B police, kind: agency, country: BB}
levers:
  - {id: L, kind: tariff, name: Main tariff, imposed_by: us}
"""
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: raid, date: 2025-02-05, type: lab-raid, actors: [police], summary: s}
  - {id: r1, date: 2025-02-10, type: reprieve, actors: [us], lever: L, until: 2025-03-01, summary: s}
""", head=head)
    [relief] = report.reliefs
    assert relief["targeted_side"] == [] and relief["verdict"] == "temporal-only"
    assert [(c["event"]["id"], c["lag_days"]) for c in relief["candidates"]] == [("raid", 5)]
    assert relief["reason"].endswith("1 security action(s) fall in the 30 days before it (it targets no one: any "
                                     "actor's count)")
    [action] = report.security
    assert action["status"] == "rewarded" and action["followed_by"] == {"relief": "r1", "lag_days": 5}
    # so do a pledge and the security actions of a side no other relief targets, whatever other levers target
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: ca-pledge, date: 2025-02-01, type: commitment, actors: [ca], promises: seizure, summary: s}
  - {id: ca-seize, date: 2025-02-05, type: seizure, actors: [ca], summary: s}
  - {id: r1, date: 2025-02-10, type: reprieve, actors: [us], lever: L, until: 2025-03-01, summary: s}
links:
  - {cause: ca-pledge, effect: r1, relation: in-exchange-for, claimed_by: us, sources: [{url: "https://x.org/1"}]}
""", name="other.yaml", head=head.replace(
        "levers:\n", "levers:\n  - {id: M, kind: tariff, name: Other tariff, imposed_by: us, target: police}\n").replace(
        "actors:\n", "actors:\n  - {id: ca, name: Land C, kind: government, country: CC}\n"))
    [relief] = report.reliefs
    assert relief["verdict"] == "pledge" and [k["event"]["id"] for k in relief["links"]] == ["ca-pledge"]
    assert [s["event"]["id"] for s in report.security] == ["ca-seize"]
    assert [p["event"]["id"] for p in report.pledges] == ["ca-pledge"]


def test_each_targeted_side_has_its_own_figures(tmp_path):
    head = """timeline: {id: sides, base: "https://example.org/sides/"}
actors:
  - {id: us, name: Land A, kind: government, country: AA}
  - {id: bob, name: Land B, kind: government, country: BB}
  - {id: cat, name: Land C, kind: government, country: CC}
levers:
  - {id: duty, kind: tariff, name: D, imposed_by: us, target: bob}
  - {id: duty2, kind: tariff, name: D2, imposed_by: us, target: cat}
"""
    report = _audit_of(tmp_path, """  - {id: i1, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: duty, rate: 10, summary: s}
  - {id: b1, date: 2025-01-05, type: lab-raid, actors: [bob], quantity: {labs: 2}, summary: s}
  - {id: cc, date: 2025-01-13, type: statistic, actors: [cat], quantity: {labs: 999}, summary: s}
  - {id: stat2, date: 2025-01-20, type: statistic, actors: [bob], quantity: {labs: 150}, summary: s}
  - {id: b3, date: 2025-01-25, type: lab-raid, actors: [bob], quantity: {labs: 3}, summary: s}
""", head=head)
    lines = {(s["kind"], tuple(s["by"])): [p[:3] for p in s["points"]] for s in report.series["figures"]}
    # Carpania's total does not replace Borduria's running count, nor the other way round
    assert lines == {("labs", ("BB",)): [["2025-01-05", 2, "b1"], ["2025-01-20", 150, "stat2"], ["2025-01-25", 153, "b3"]],
                     ("labs", ("CC",)): [["2025-01-13", 999, "cc"]]}
    # nor when a relief targets both (its side holds both countries): each figure is drawn once, by country
    report = _audit_of(tmp_path, """  - {id: i1, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: duty, rate: 10, summary: s}
  - {id: mx-stat, date: 2025-02-01, type: statistic, actors: [bob], quantity: {labs: 500}, summary: s}
  - {id: ca-stat, date: 2025-02-10, type: statistic, actors: [cat], quantity: {labs: 3}, summary: s}
  - {id: mx-raid, date: 2025-02-15, type: lab-raid, actors: [bob], quantity: {labs: 2}, summary: s}
  - {id: p2, date: 2025-03-02, type: exemption, actors: [us], lever: duty, targets: [bob, cat], summary: s}
""", name="both.yaml", head=head.replace("target: cat", "target: us"))
    lines = {(s["kind"], tuple(s["by"])): [p[1] for p in s["points"]] for s in report.series["figures"]}
    assert lines == {("labs", ("BB",)): [500, 502], ("labs", ("CC",)): [3]}


def test_a_relief_overtaken_before_it_took_effect_says_it_never_held(tmp_path):
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 20, summary: s}
  - {id: f-pause, date: 2025-01-10, type: reprieve, actors: [us], lever: L, effective: 2025-01-20, until: 2025-02-20,
     summary: s}
  - {id: f-inc, date: 2025-01-15, type: tariff-increase, actors: [us], lever: L, rate: 40, summary: s}
""")
    [relief] = report.reliefs
    assert relief["after"]["never_held"] is True and relief["after"]["status"] == "paused"
    assert "set, but overtaken before it took effect on 2025-01-20" in report.to_text()
    assert "never_held" not in relief["before"]


def test_a_dispute_on_an_unsourced_chain_is_kept_when_a_sourced_chain_evidences_the_relief(tmp_path):
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: raid, date: 2025-01-02, type: lab-raid, actors: [them], summary: s}
  - {id: call, date: 2025-01-03, type: call, actors: [them], summary: s}
  - {id: talk, date: 2025-01-03, type: call, actors: [them], summary: s}
  - {id: r, date: 2025-03-10, type: reprieve, actors: [us], lever: L, until: 2025-04-01, summary: s}
links:
  - {id: a1, cause: raid, effect: call, relation: causes, claimed_by: us, disputed_by: [them]}
  - {id: a2, cause: call, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: b1, cause: raid, effect: talk, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: b2, cause: talk, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
""")
    [relief] = report.reliefs
    # the sourced chain is the link's (evidence); the disputed claim on the other still makes it disputed
    [link] = relief["links"]
    assert [c["id"] for c in link["chain"]] == ["b1", "b2"] and link["sourced"] is True
    assert relief["verdict"] == "disputed" and "a1" in [c["id"] for c in relief["claims"]]
    assert [d["claim"] for d in report.summary["disputed"]] == ["a1"]


def test_renderings_show_what_the_json_holds(tmp_path, bundled):
    # a disputed claim of a chain a sourced one replaced: listed as another claim, with its dispute
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: raid, date: 2025-01-02, type: lab-raid, actors: [them], summary: s}
  - {id: call, date: 2025-01-03, type: call, actors: [them], summary: s}
  - {id: talk, date: 2025-01-03, type: call, actors: [them], summary: s}
  - {id: r, date: 2025-03-10, type: reprieve, actors: [us], lever: L, until: 2025-04-01, summary: s}
  - {id: pl, date: 2025-01-01, type: commitment, actors: [them], promises: troop-deployment, quantity: {troops: 1000}, summary: s}
  - {id: dep, date: 2025-01-05, type: troop-deployment, actors: [them], quantity: {troops: {about: 400}}, summary: s}
links:
  - {id: a1, cause: raid, effect: call, relation: causes, claimed_by: us, disputed_by: [them], evidence: the disputed one}
  - {id: a2, cause: call, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: b1, cause: raid, effect: talk, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: b2, cause: talk, effect: r, relation: causes, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {id: d1, cause: pl, effect: dep, relation: delivered-by, claimed_by: them, sources: [{url: "https://x.org/1"}]}
""")
    [relief] = report.reliefs
    assert {c["id"] for c in relief["claims"] if not c["in_link"]} == {"a1", "a2"}  # (a2: a direct claim into it)
    for text in (report.to_text(), report.to_markdown(chart_src="c.svg"), report.to_html()):
        assert "the disputed one" in text and "a1" in text
    # a delivery given as "about 400": the amount delivered is about 400 too
    [pledge] = report.pledges
    assert pledge["delivered_bounds"] == {"troops": {"bound": "about"}}
    assert "troops: about 400 of 1,000 (40%)" in report.to_text()
    # the CSV row of a security action rewarded through a pledge names the relief granted on it
    rows = {r["id"]: r for r in bundled.to_csv_rows()}
    assert (rows["deploy-2025-02-04"]["verdict"], rows["deploy-2025-02-04"]["related"]) == (
        "rewarded (pledge)", "eo-14198-pause")
    # every relief is marked on the chart, one on a lever with no rate too
    assert b"fincen-extension" in bundled.chart(fmt="svg")


def test_markdown_keeps_tables_and_markup_whole(tmp_path):
    from parley.graph.audit import _md, _mdc

    assert _mdc("dep|ok", cell=True) == "`dep\\|ok`" and _mdc("x`y") == "`` x`y ``"
    assert _md("1. numbered") == "1\\. numbered" and _md("--- rule") == "\\--- rule" and _md("~~s~~") == "\\~\\~s\\~\\~"
    report = _audit_of(tmp_path, "".join(
        f"  - {{id: raid{i}, date: 2025-01-{i + 1:02d}, type: lab-raid, actors: [them], summary: s}}\n"
        for i in range(25)) + "  - {id: r, date: 2025-01-26, type: reprieve, actors: [us], lever: L, summary: s}\n")
    md = report.to_markdown(chart_src="my chart (1).svg")
    assert "](my%20chart%20%281%29.svg)" in md and " and 5 more" in md
    assert "](x_y%231.svg)" in report.to_markdown(chart_src="x_y#1.svg")
    assert "](https://example.org/c.svg?v=2)" in report.to_markdown(chart_src="https://example.org/c.svg?v=2") and " and 5 more" in report.to_html()


def test_a_hand_edited_latest_date_before_the_earliest_widens_nothing(tmp_path):
    # audit-latest.rq leaves out a latest date equal to the earliest: of two latest dates, one before the
    # earliest, the span is still the earliest day, as every reader reads it, and the claim runs forward
    path = tmp_path / "an.yaml"
    path.write_text(LAPSES.split("events:")[0] + """events:
  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 25, summary: s}
  - {id: raid, date: 2025-01-25, type: lab-raid, actors: [them], summary: s}
  - {id: cut, date: 2025-02-01, type: tariff-reduction, actors: [us], lever: L, rate: 10, summary: s}
links:
  - {cause: raid, effect: cut, relation: in-exchange-for, claimed_by: us, sources: [{url: "https://x.org/1"}]}
""", encoding="utf-8")
    g = read_graph(timeline=read_timeline([path]))
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    g.add((URIRef("https://example.org/lapses/event/cut"),
           URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp"),
           Literal("2025-01-20", datatype=XSD.date)))
    [relief] = audit(g).reliefs
    assert relief["event"]["date"] == "2025-02-01" and relief["verdict"] == "evidenced"
    assert relief["links"][0]["backwards"] is False


def test_a_disputed_delivery_counts_and_says_who_disputes_it(tmp_path):
    report = _audit_of(tmp_path, """  - {id: imp, date: 2025-01-01, type: tariff-imposition, actors: [us], lever: L, rate: 10, summary: s}
  - {id: pl, date: 2025-01-02, type: commitment, actors: [them], promises: troop-deployment, quantity: {troops: 10}, summary: s}
  - {id: r, date: 2025-01-03, type: reprieve, actors: [us], lever: L, summary: s}
  - {id: dep, date: 2025-01-05, type: troop-deployment, actors: [them], quantity: {troops: 10}, summary: s}
links:
  - {cause: pl, effect: r, relation: in-exchange-for, claimed_by: us, sources: [{url: "https://x.org/1"}]}
  - {cause: pl, effect: dep, relation: delivered-by, claimed_by: them, disputed_by: [us], sources: [{url: "https://x.org/2"}]}
""")
    [pledge] = report.pledges
    assert pledge["status"] == "delivered" and pledge["deliveries"][0]["disputed_by"] == [{"id": "us", "name": "Land A"}]
    for text in (report.to_text(), report.to_markdown(chart_src="c.svg"), report.to_html()):
        assert "disputed by Land A" in text
