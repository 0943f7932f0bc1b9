"""The named queries on hand-made timelines, with expected rows worked out by hand; the runner; the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from parley.cli import main
from parley.events.read import read_timeline
from parley.graph.query import (
    QueryError, answer, load_query, parse_params, parse_query_text, query_catalog, query_names, run_query,
)
from parley.graph.store import read_graph

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small.yaml"
CHAINS = DATA / "chains.yaml"
MINE = ("actor-events", "causes-of", "chain", "disputed-claims", "effects-of", "lever-state",
        "security-before-relief", "threat-outcomes", "unsourced")
INJECTION = 'x" } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def small():
    return read_graph(timeline=read_timeline([SMALL]))


@pytest.fixture(scope="module")
def chains():
    return read_graph(timeline=read_timeline([CHAINS]))


def rows(graph, name, *columns, **params):
    """The query's rows as plain values, cut to `columns`."""
    result = run_query(graph, name, params=params).to_dict()["rows"]
    return [{c: r[c] for c in columns} for r in result] if columns else result


def test_named_queries_are_all_there_with_headers():
    assert set(MINE) <= set(query_names())
    catalog = {q["name"]: q for q in query_catalog().to_dict()["queries"]}
    for name in MINE:
        assert catalog[name]["description"], name
    assert [p["name"] for p in catalog["chain"]["params"]] == ["from", "to"]
    assert [(p["name"], p["type"], p["optional"]) for p in catalog["actor-events"]["params"]] == [
        ("actor", "actor", False), ("from", "date", True), ("to", "date", True)]


# --- each query, by hand ------------------------------------------------------------------------------------

def test_causes_of_direct_cause_with_claim_details(small):
    [row] = rows(small, "causes-of", event="extend-1")
    assert row["cause_id"] == "raid-1" and row["cause_type"] == "lab-raid" and row["cause_date"] == "2025-02-01"
    assert row["relation"] == "in-exchange-for" and row["claimant"] == "alice"
    assert row["confidence"] == 0.3 and row["evidence"] == "Alice says the raids earned the extension."
    assert row["disputed_by"] == "bob" and row["sources"] == "https://example.org/news/9"
    assert row["distance"] == 1


def test_causes_of_follows_chains_with_shortest_distance(chains):
    got = rows(chains, "causes-of", "claim_id", "distance", event="x1")
    assert sorted(got, key=lambda r: r["claim_id"]) == [
        {"claim_id": "d1.in-exchange-for.x1", "distance": 1},
        {"claim_id": "m1.enables.x1", "distance": 1},
        {"claim_id": "p1.delivered-by.d1", "distance": 2},
        {"claim_id": "p1.in-exchange-for.x1", "distance": 1},
        {"claim_id": "s1.causes.m1", "distance": 2},
        {"claim_id": "t1.in-response-to.p1", "distance": 2},   # t1 -> p1 -> x1, not the longer way via d1
    ]


def test_causes_of_lists_every_source_and_disputant_sorted(chains):
    [row] = [r for r in rows(chains, "causes-of", event="x1") if r["claim_id"] == "d1.in-exchange-for.x1"]
    assert row["disputed_by"] == "a b"
    assert row["sources"] == "https://example.org/s/3 https://example.org/s/5"
    [unsourced] = [r for r in rows(chains, "causes-of", event="x1") if r["claim_id"] == "s1.causes.m1"]
    assert unsourced["sources"] == "" and unsourced["disputed_by"] == "" and unsourced["confidence"] is None


def test_effects_of(small, chains):
    assert rows(small, "effects-of", "effect_id", "relation", "distance", event="pledge-1") == [
        {"effect_id": "pause-1", "relation": "in-exchange-for", "distance": 1},
        {"effect_id": "deploy-1", "relation": "delivered-by", "distance": 1},
    ]
    got = rows(chains, "effects-of", "claim_id", "distance", event="t1")
    assert sorted(got, key=lambda r: r["claim_id"]) == [
        {"claim_id": "d1.in-exchange-for.x1", "distance": 3},
        {"claim_id": "p1.delivered-by.d1", "distance": 2},
        {"claim_id": "p1.in-exchange-for.x1", "distance": 2},
        {"claim_id": "t1.in-response-to.p1", "distance": 1},
    ]
    assert rows(small, "effects-of", event="extend-1") == []


def test_chain(chains, small):
    got = rows(chains, "chain", "claim_id", "step", **{"from": "t1", "to": "x1"})
    assert sorted(got, key=lambda r: r["claim_id"]) == [
        {"claim_id": "d1.in-exchange-for.x1", "step": 3},
        {"claim_id": "p1.delivered-by.d1", "step": 2},
        {"claim_id": "p1.in-exchange-for.x1", "step": 2},
        {"claim_id": "t1.in-response-to.p1", "step": 1},
    ]
    # s1 -> m1 -> x1 ends at x1 but does not start at t1
    assert rows(chains, "chain", "claim_id", **{"from": "s1", "to": "x1"}) == [
        {"claim_id": "s1.causes.m1"}, {"claim_id": "m1.enables.x1"}]
    assert rows(small, "chain", **{"from": "deploy-1", "to": "pause-1"}) == []


def test_security_before_relief(small):
    cols = ("relief_id", "relief_type", "relief_date", "lever_id", "security_id", "security_type",
            "security_date", "promises", "direct", "relation", "lag_days")
    assert rows(small, "security-before-relief", *cols) == [
        {"relief_id": "pause-1", "relief_type": "reprieve", "relief_date": "2025-01-13", "lever_id": "duty",
         "security_id": "pledge-1", "security_type": "commitment", "security_date": "2025-01-12",
         "promises": "troop-deployment", "direct": True, "relation": "in-exchange-for", "lag_days": 1},
        {"relief_id": "extend-1", "relief_type": "extension", "relief_date": "2025-04-01", "lever_id": "duty",
         "security_id": "raid-1", "security_type": "lab-raid", "security_date": "2025-02-01",
         "promises": None, "direct": True, "relation": "in-exchange-for", "lag_days": 59},
    ]


def test_security_before_relief_through_a_chain(chains):
    got = rows(chains, "security-before-relief", "relief_id", "security_id", "direct", "relation", "lag_days")
    assert sorted(got, key=lambda r: r["security_id"]) == [
        {"relief_id": "x1", "security_id": "d1", "direct": True, "relation": "in-exchange-for", "lag_days": 5},
        {"relief_id": "x1", "security_id": "p1", "direct": True, "relation": "in-exchange-for", "lag_days": 7},
        # a seizure reaching the extension only through a statement
        {"relief_id": "x1", "security_id": "s1", "direct": False, "relation": "", "lag_days": 8},
    ]


def test_threat_outcomes(small, chains):
    cols = ("threat_id", "threat_date", "lever_id", "rate", "carried_out", "delayed", "delayed_to", "withdrawn",
            "status")
    assert rows(small, "threat-outcomes", *cols) == [
        {"threat_id": "threat-1", "threat_date": "2025-01-05", "lever_id": "duty", "rate": 20,
         "carried_out": "2025-01-10", "delayed": True, "delayed_to": "2025-06-30", "withdrawn": None,
         "status": "delayed"}]
    assert rows(chains, "threat-outcomes", *cols) == [
        # the extension of 2025-01-10 follows t1; the agreement follows t2 (the next threat closes t1's window)
        {"threat_id": "t1", "threat_date": "2025-01-01", "lever_id": "duty", "rate": 25, "carried_out": None,
         "delayed": True, "delayed_to": "2025-02-10", "withdrawn": None, "status": "delayed"},
        {"threat_id": "t2", "threat_date": "2025-03-01", "lever_id": "duty", "rate": 50, "carried_out": None,
         "delayed": False, "delayed_to": None, "withdrawn": "2025-03-05", "status": "withdrawn"},
        {"threat_id": "t3", "threat_date": "2025-04-01", "lever_id": "levy", "rate": 10, "carried_out": None,
         "delayed": False, "delayed_to": None, "withdrawn": None, "status": "pending"},
    ]


@pytest.mark.parametrize("date, expected", [
    ("2025-01-04", None),                                                          # before the threat
    ("2025-01-14", ("paused", 20, "all goods", "2025-01-13", "2025-02-13", "pause-1")),
    ("2025-02-20", None),                                                          # the pause has ended
    ("2025-03-06", ("in-force", 20, "goods outside the trade pact", "2025-03-06", "2025-04-01", "exempt-1")),
    ("2025-06-29", ("paused", 20, "goods outside the trade pact", "2025-04-01", "2025-06-30", "extend-1")),
    ("2025-06-30", None),                                                          # valid_until is exclusive
])
def test_lever_state(small, date, expected):
    got = rows(small, "lever-state", "lever_id", "date", "status", "rate", "scope", "valid_from", "valid_until",
               "event_id", lever="duty", date=date)
    if expected is None:
        assert got == []
    else:
        status, rate, scope, start, until, event = expected
        assert got == [{"lever_id": "duty", "date": date, "status": status, "rate": rate, "scope": scope,
                        "valid_from": start, "valid_until": until, "event_id": event}]


HAND_MADE_OUTCOMES = """
@prefix parley: <https://w3id.org/parley/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix ptype: <https://w3id.org/parley/event-type/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/hand/> .
:duty a parley:TariffMeasure ; dcterms:identifier "duty" .
:e1 parley:eventType ptype:threat ; dcterms:identifier "e1" ; sem:hasEarliestBeginTimeStamp "2025-01-01"^^xsd:date ;
    parley:hasOutcome :o1 .
:e2 parley:eventType ptype:tariff-imposition ; dcterms:identifier "e2" ;
    sem:hasEarliestBeginTimeStamp "2025-01-05"^^xsd:date ; parley:hasOutcome :o2 .
:e3 parley:eventType ptype:reprieve ; dcterms:identifier "e3" ; sem:hasEarliestBeginTimeStamp "2025-01-06"^^xsd:date ;
    parley:hasOutcome :o3 .
:o1 a parley:Outcome ; parley:lever :duty ; parley:status "threatened" ; parley:rate 25.0 ;
    parley:validFrom "2025-01-01"^^xsd:date .
:o2 a parley:Outcome ; parley:lever :duty ; parley:status "in-force" ; parley:rate 25.0 ;
    parley:validFrom "2025-01-10"^^xsd:date ; parley:validUntil "2025-03-01"^^xsd:date .
:o3 a parley:Outcome ; parley:lever :duty ; parley:status "paused" ;
    parley:validFrom "2025-01-10"^^xsd:date ; parley:validUntil "2025-02-01"^^xsd:date .
"""


@pytest.mark.parametrize("date, event", [
    ("2024-12-31", None),
    ("2025-01-09", "e1"),          # open-ended threat
    ("2025-01-10", "e3"),          # three in force: the latest valid_from, then the latest event date
    ("2025-01-31", "e3"),
    ("2025-02-01", "e2"),          # valid_until is exclusive
    ("2025-03-01", "e1"),          # only the open-ended threat is left
])
def test_lever_state_semantics_on_hand_made_outcomes(tmp_path, date, event):
    f = tmp_path / "hand.ttl"
    f.write_text(HAND_MADE_OUTCOMES)
    got = rows(read_graph(graph_file=str(f)), "lever-state", "event_id", lever="duty", date=date)
    assert got == ([] if event is None else [{"event_id": event}])


def test_lever_state_open_ended(chains):
    assert rows(chains, "lever-state", "status", "valid_until", "event_id", lever="duty", date="2030-01-01") == [
        {"status": "withdrawn", "valid_until": None, "event_id": "g2"}]


def test_disputed_claims(small):
    assert rows(small, "disputed-claims", "claim_id", "cause_id", "relation", "effect_id", "claimant",
                "disputed_by", "sources") == [
        {"claim_id": "raid-1.in-exchange-for.extend-1", "cause_id": "raid-1", "relation": "in-exchange-for",
         "effect_id": "extend-1", "claimant": "alice", "disputed_by": "bob", "sources": "https://example.org/news/9"}]


def test_unsourced(small, chains):
    assert rows(small, "unsourced") == []
    assert rows(chains, "unsourced", "kind", "id", "type", "date") == [
        {"kind": "claim", "id": "s1.causes.m1", "type": "causes", "date": "2025-01-04"},
        {"kind": "event", "id": "m1", "type": "statement", "date": "2025-01-04"},
    ]
    assert all(r["defined_at"].startswith(str(CHAINS)) for r in rows(chains, "unsourced"))


def test_actor_events(small):
    assert rows(small, "actor-events", "event_id", "type", "role", "precision", actor="borduria") == [
        {"event_id": "threat-1", "type": "threat", "role": "target", "precision": "day"},
        {"event_id": "impose-1", "type": "tariff-imposition", "role": "target", "precision": "day"},
        {"event_id": "deploy-1", "type": "troop-deployment", "role": "actor", "precision": "range"},
        {"event_id": "raid-1", "type": "lab-raid", "role": "actor", "precision": "month"},
        {"event_id": "stats-1", "type": "statistic", "role": "actor", "precision": "day"},
    ]
    window = rows(small, "actor-events", "event_id", actor="alice", **{"from": "2025-01-06", "to": "2025-03-05"})
    assert window == [{"event_id": "impose-1"}, {"event_id": "pause-1"}, {"event_id": "exempt-1"}]
    assert [r["event_id"] for r in rows(small, "actor-events", actor="alice", to="2025-01-10")] == [
        "threat-1", "impose-1"]


# --- parameters: typed, bound as data, checked ------------------------------------------------------------

def test_injection_is_looked_up_literally(small):
    before = len(small)
    with pytest.raises(QueryError, match="unknown event id"):
        run_query(small, "causes-of", params={"event": INJECTION})
    text = "# param name: string\nSELECT ?id WHERE { ?e <http://purl.org/dc/terms/identifier> ?id FILTER(?id = ?name) }"
    assert run_query(small, parse_query_text(text), params={"name": INJECTION}) == []
    assert run_query(small, parse_query_text(text), params={"name": "pause-1"})[0]["id"].toPython() == "pause-1"
    assert len(small) == before


@pytest.mark.parametrize("params, message", [
    ({}, "missing parameter 'event'"),
    ({"event": "pause-1", "when": "x"}, "unknown parameter 'when'"),
    ({"event": "nope"}, "unknown event id 'nope'"),
    ({"event": "duty"}, "unknown event id 'duty'"),           # a lever's id is not an event's
])
def test_bad_parameters(small, params, message):
    with pytest.raises(QueryError, match=message):
        run_query(small, "causes-of", params=params)


@pytest.mark.parametrize("value, why", [("NaN", "is not a number"), ("Infinity", "is not a number"),
                                        ("-inf", "is not a number"), ("abc", "is not a number"),
                                        ("-1e21", "is beyond what a decimal holds"), ("1e-19", "is beyond"),
                                        ("-1e999999999", "is beyond")])
def test_a_decimal_parameter_must_be_a_number_the_engine_holds(small, value, why):
    # (Oxigraph's decimals: less than 10^20, 18 places; beyond them a filter compares wrongly)
    text = "# param n: decimal\nSELECT ?x WHERE { BIND(?n AS ?x) }"
    with pytest.raises(QueryError, match=f"parameter 'n': '{value}' {why}"):
        run_query(small, parse_query_text(text), params={"n": value})
    rate = "# param n: decimal\nSELECT ?e WHERE { ?e <https://w3id.org/parley/ontology#rate> ?r FILTER(?r >= ?n) }"
    assert len(run_query(small, parse_query_text(rate), params={"n": "-99999999999999999999"})) == len(
        run_query(small, parse_query_text(rate), params={"n": "0.000000000000000001"})) > 0
    assert run_query(small, parse_query_text(text), params={"n": "1e3"})[0]["x"].toPython() == 1000


def test_bad_date_parameter(small):
    with pytest.raises(QueryError, match="not a date"):
        run_query(small, "lever-state", params={"lever": "duty", "date": "2025-02-30"})


def test_syntax_error_and_non_select(small):
    with pytest.raises(QueryError, match="the query failed"):
        answer(small, text="SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError, match="only SELECT"):
        answer(small, text="ASK { ?s ?p ?o }")


def test_query_sources(tmp_path, small):
    f = tmp_path / "count.rq"
    f.write_text("# count: How many events.\nPREFIX parley: <https://w3id.org/parley/ontology#>\n"
                 "SELECT (COUNT(?e) AS ?n) WHERE { ?e parley:eventType ?t }\n")
    assert load_query(str(f)).description == "How many events."
    assert answer(small, str(f)).to_dict()["rows"] == [{"n": 9}]
    with pytest.raises(QueryError, match="no such query file"):
        load_query(str(tmp_path / "missing.rq"))
    (tmp_path / "d.rq").mkdir()
    with pytest.raises(QueryError, match="d.rq: is a folder, not a query file"):
        load_query(str(tmp_path / "d.rq"))
    with pytest.raises(QueryError, match="unknown query 'nope'"):
        load_query("nope")
    with pytest.raises(QueryError, match="not both"):
        load_query("causes-of", text="SELECT * {}")


def test_parse_params():
    assert parse_params(["event=a=b", "date=2025-01-01"]) == {"event": "a=b", "date": "2025-01-01"}
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_params(["event"])
    with pytest.raises(QueryError, match="given twice"):
        parse_params(["a=1", "a=2"])


def test_bad_derive_header():
    with pytest.raises(QueryError, match="derive"):
        parse_query_text("# derive x: days a\nSELECT * {}")
    with pytest.raises(QueryError, match="not a parameter"):
        parse_query_text("# derive x: hops-to event\nSELECT * {}")


# --- rendering ----------------------------------------------------------------------------------------------

def test_renderings_agree(small):
    result = run_query(small, "security-before-relief")
    d = result.to_dict()
    assert d["query"] == "security-before-relief" and d["columns"][-1] == "lag_days"
    csv_lines = result.to_csv().splitlines()
    assert csv_lines[0].split(",") == d["columns"] and len(csv_lines) == 3
    tsv = [line.split("\t") for line in result.to_tsv().splitlines()]
    assert tsv[1][d["columns"].index("lag_days")] == "1"
    text = result.to_text()
    assert "pledge-1" in text and text.rstrip().endswith("(2 rows)")


# --- the CLI ------------------------------------------------------------------------------------------------

def test_cli_query_json_equals_to_dict(small):
    r = CliRunner().invoke(main, ["query", "causes-of", "--timeline", str(SMALL), "--param", "event=pause-1",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == run_query(small, "causes-of", params={"event": "pause-1"}).to_dict()


def test_cli_query_formats_and_file(tmp_path):
    out = tmp_path / "rows.csv"
    r = CliRunner().invoke(main, ["query", "lever-state", "--timeline", str(SMALL), "--param", "lever=duty",
                                  "--param", "date=2025-03-10", "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0, r.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("lever,lever_id,date,status") and ",in-force,20," in lines[1]
    r = CliRunner().invoke(main, ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?c a "
                                  "<https://w3id.org/parley/ontology#Claim> }", "--timeline", str(SMALL),
                                  "--format", "tsv"])
    assert r.exit_code == 0 and r.output == "n\n4\n"


@pytest.mark.parametrize("args, message", [
    (["query", "causes-of"], "missing parameter 'event'"),
    (["query", "causes-of", "--param", "event=pause-1", "--param", "foo=1"], "unknown parameter 'foo'"),
    (["query", "causes-of", "--param", f"event={INJECTION}"], "unknown event id"),
    (["query", "nope"], "unknown query 'nope'"),
    (["query", "-e", "SELECT ?x WHERE { ?x "], "the query failed"),
    (["query", "causes-of", "--param", "event"], "expected NAME=VALUE"),
    (["query"], "no query given"),
])
def test_cli_query_bad_input_exits_2(args, message):
    r = CliRunner().invoke(main, [*args, "--timeline", str(SMALL)])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output


def test_cli_queries_lists_names_and_parameters():
    r = CliRunner().invoke(main, ["queries"])
    assert r.exit_code == 0
    for name in MINE:
        assert f"\n{name}" in "\n" + r.output
    assert "lever-state  lever=LEVER date=DATE" in r.output
    r = CliRunner().invoke(main, ["queries", "--format", "json"])
    assert json.loads(r.output) == query_catalog().to_dict()


def test_queries_lists_the_named_questions_and_all_adds_the_commands_own_reads():
    listed = CliRunner().invoke(main, ["queries"])
    assert listed.exit_code == 0
    names = {line.split()[0] for line in listed.output.splitlines() if line and not line.startswith(" ")}
    assert names == {"actor-events", "causes-of", "chain", "disputed-claims", "effects-of", "lever-state",
                     "security-before-relief", "threat-outcomes", "unsourced"}
    everything = CliRunner().invoke(main, ["queries", "--all"])
    assert "audit-claims" in everything.output and "view-claims" in everything.output


def test_rows_from_oxigraph_are_the_terms_rdflib_would_give():
    """The Oxigraph path converts each kind of term as rdflib's own engine does, and leaves unbound as None."""
    import gc

    from rdflib import BNode, Dataset, Graph, Literal, URIRef
    from rdflib.namespace import XSD

    text = """SELECT ?iri ?plain ?lang ?typed ?date ?blank ?none WHERE {
      BIND(<https://example.org/a> AS ?iri) BIND("x" AS ?plain) BIND("x"@en AS ?lang)
      BIND("1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> AS ?typed)
      BIND("2025-01-02"^^<http://www.w3.org/2001/XMLSchema#date> AS ?date) BIND(BNODE("b") AS ?blank) }"""
    on_oxigraph = run_query(Dataset(store="Oxigraph", default_union=True), parse_query_text(text))
    on_rdflib = run_query(Graph(), parse_query_text(text))
    row = on_oxigraph[0]
    assert row["iri"] == URIRef("https://example.org/a") and row["plain"] == Literal("x")
    assert row["lang"] == Literal("x", lang="en") and row["typed"] == Literal("1.5", datatype=XSD.decimal)
    assert row["date"] == Literal("2025-01-02", datatype=XSD.date) and isinstance(row["blank"], BNode)
    assert row["none"] is None
    assert {k: v for k, v in row.items() if k != "blank"} == {k: v for k, v in on_rdflib[0].items() if k != "blank"}
    assert gc.isenabled()   # paused while the rows were made, running again


def test_derived_columns_reuse_one_term_per_value(chains):
    result = run_query(chains, "security-before-relief")
    lags = {}
    for r in result:
        lags.setdefault(r["lag_days"].toPython(), set()).add(id(r["lag_days"]))
    assert all(len(ids) == 1 for ids in lags.values())
    assert [r["lag_days"].toPython() for r in result] == [
        (r["relief_date"].toPython() - r["security_date"].toPython()).days for r in result]


def test_collector_paused_restores_the_collector_even_on_error():
    import gc

    from parley.graph.query import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()                       # a caller that had paused it already keeps it paused
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_paused_long_lived_moves_only_the_blocks_objects_to_the_oldest_generation():
    import gc
    import weakref

    from parley.graph.query import collector_paused

    class Node:  # tracked by the collector, and found again by identity
        pass

    if gc.get_freeze_count():  # CPython 3.12 freezes objects of its own at start-up: nothing is promoted then
        frozen = gc.get_freeze_count()
        with collector_paused(long_lived=True):
            made = [Node() for _ in range(3)]
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        assert not any(id(o) in {id(x) for x in gc.get_objects(generation=2)} for o in made)
        return
    before = Node()                    # the caller's young object
    with collector_paused(long_lived=True):
        assert not gc.isenabled()
        made = [Node() for _ in range(3)]
    assert gc.isenabled()
    old = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(o) in old for o in made)          # the block's objects skipped the young passes
    assert id(before) in old                        # the caller's were collected (and survived) on the way in
    assert gc.get_freeze_count() == 0               # nothing left frozen
    garbage = [Node()]
    garbage.append(garbage)                         # a cycle made before the block is still collected on the way in
    ref = weakref.ref(garbage[0])
    del garbage
    with collector_paused(long_lived=True):
        pass
    assert ref() is None


def test_collector_paused_long_lived_leaves_a_callers_frozen_objects_frozen():
    import gc

    from parley.graph.query import collector_paused

    kept = [object()]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused(long_lived=True):
            made = [[] for _ in range(3)]
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled() and made
    finally:
        gc.unfreeze()
    del kept


def test_among_keeps_the_rows_of_the_given_nodes_on_every_store(small):
    """run_query(..., among=(variable, terms)): the rows whose variable is one of the terms, the same on Oxigraph
    and on rdflib's own store (the view reads a date range's participants this way)."""
    from rdflib import Dataset, URIRef

    everything = run_query(small, "view-participants").to_dict()["rows"]
    events = sorted({r["event"] for r in everything})
    some = [URIRef(events[0]), URIRef(events[-1]), URIRef("https://example.org/nothing")]
    wanted = {str(t) for t in some}
    expected = sorted((r["event"], r["role"], r["actor"]) for r in everything if r["event"] in wanted)
    assert expected and len(expected) < len(everything)
    plain = Dataset(default_union=True)  # rdflib's in-memory store: its own SPARQL engine
    for g in (small, plain):
        if g is plain:
            for q in small.quads():
                plain.add(q)
        got = run_query(g, "view-participants", among=("event", some)).to_dict()["rows"]
        assert sorted((r["event"], r["role"], r["actor"]) for r in got) == expected
    assert run_query(small, "view-participants", among=("event", [])).to_dict()["rows"] == []


@pytest.mark.parametrize("odd", ["https://example.org/a\nb", "https://example.org/pledge%zz1", "https://[x/a"])
def test_among_refuses_an_iri_a_query_cannot_hold(small, odd):
    # a lenient load can let in an IRI with a raw line break or a bad escape; written into VALUES it would break
    # the query text, or the query
    odd = URIRef(odd)
    with pytest.raises(QueryError, match="not an IRI a query can hold"):
        run_query(small, "view-participants", among=("event", [odd]))
    # run_query_among answers with every row instead, for the caller to pick from
    from parley.graph.query import run_query_among

    assert run_query_among(small, "view-participants", "event", [odd]) == run_query(small, "view-participants")
    assert run_query_among(small, "view-participants", "event", None) == run_query(small, "view-participants")
    # a blank node (a hand-written graph may make an event one), as a term or as the text of its id
    from rdflib import BNode

    for blank in (BNode("b0"), "b0"):
        assert run_query_among(small, "view-participants", "event", [blank]) == run_query(small, "view-participants")


def test_run_query_among_reads_only_the_given_nodes(small, monkeypatch):
    from parley.graph import query as query_module
    from parley.graph.query import run_query_among

    everything = run_query(small, "view-participants")
    one = sorted({r["event"] for r in everything})[0]
    asked = []
    real = query_module.run_sparql
    monkeypatch.setattr(query_module, "run_sparql", lambda g, text, b=None: asked.append(text) or real(g, text, b))
    got = run_query_among(small, "view-participants", "event", [str(one)])
    assert got and all(r["event"] == one for r in got) and len(got) < len(everything)
    assert sorted(map(str, got)) == sorted(map(str, (r for r in everything if r["event"] == one)))
    assert len(asked) == 1 and f"VALUES ?event {{ <{one}> }}" in asked[0]


def test_among_asks_for_many_terms_a_slice_at_a_time(small, monkeypatch):
    from parley.graph import query as query_module

    events = [URIRef(e) for e in sorted({r["event"] for r in run_query(small, "view-participants").to_dict()["rows"]})]
    whole = sorted(map(str, run_query(small, "view-participants", among=("event", events)).to_dict()["rows"]))
    asked = []
    real = query_module.run_sparql
    monkeypatch.setattr(query_module, "run_sparql", lambda g, text, b=None: asked.append(text) or real(g, text, b))
    monkeypatch.setattr(query_module, "AMONG_SLICE", 2)
    sliced = run_query(small, "view-participants", among=("event", events))
    assert len(asked) == (len(events) + 1) // 2 > 1
    assert sorted(map(str, sliced.to_dict()["rows"])) == whole and sliced.columns == ["event", "role", "actor"]


def test_select_star_keeps_the_query_s_order_of_variables(small):
    result = answer(small, text='SELECT * WHERE { ?zz ?p ?aa FILTER(?aa != "?b") } LIMIT 1')
    assert result.columns == ["zz", "p", "aa"]
    assert answer(small, text="SELECT ?p ?zz WHERE { ?zz ?p ?aa } LIMIT 1").columns == ["p", "zz"]
    # only the outermost projection: a subquery's * leaves an explicit one as written
    text = "SELECT (STR(?b) AS ?label) ?b WHERE { { SELECT * WHERE { ?a a ?b } LIMIT 1 } }"
    assert answer(small, text=text).columns == ["label", "b"]
    assert answer(small, text="SELECT * WHERE { ?zz ?p ?aa FILTER(?zz<?aa) } LIMIT 1").columns == ["zz", "p", "aa"]
    # an IRI holding '?' or '#' is no variable and no comment
    text = "PREFIX ex: <http://e.org/?zz=1&q#>\nSELECT * WHERE { ?aa ?p ?zz } LIMIT 1"
    assert answer(small, text=text).columns == ["aa", "p", "zz"]
