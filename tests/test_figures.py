"""How figures are known and how they count: a quantity given as a bound or a span (`{over: N}`, `{about: N}`,
`{from: N, to: M}`), and a statistic's `since` (the day its totals count from) and `totals` (which of its
quantities are totals to date), from the file to the graph, the audit's series, chart and text, the timeline
and the view."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.events.read import TimelineError, read_bundled, read_timeline
from parley.graph.audit import audit
from parley.graph.reading import timeline_rows
from parley.graph.store import read_graph
from parley.graph.view import graph_view

TIMELINE = """\
timeline: {id: figures, base: "https://example.org/figures/"}
actors:
  - {id: us, name: United States, kind: government, country: US}
  - {id: mx, name: Mexico, kind: government, country: MX}
  - {id: cabinet, name: Security Cabinet, kind: agency, country: MX}
levers:
  - {id: duty, kind: tariff, name: Duty, imposed_by: us, target: mx}
events:
  - {id: duty-on, date: 2025-01-01, type: tariff-imposition, actors: [us], targets: [mx], lever: duty, rate: 25,
     summary: s}
  - {id: since-oct, date: 2025-02-01, type: statistic, actors: [mx], summary: s, quantity: {labs: 300, kg: 40},
     since: 2024-10-01}
  - {id: border-op, date: 2025-02-10, type: statistic, actors: [cabinet], summary: s, quantity: {labs: 20},
     since: 2025-02-05}
  - {id: monthly, date: 2025-02-12, type: statistic, actors: [mx], summary: s,
     quantity: {kg_january: 450, percent_decrease: 41.5}, totals: false}
  - {id: mixed, date: 2025-02-20, type: statistic, actors: [mx], summary: s,
     quantity: {labs: 400, percent_decrease: 50}, since: 2024-10-01, totals: [labs]}
  - {id: to-date, date: 2025-02-21, type: statistic, actors: [mx], summary: s, quantity: {labs: 7}}
  - {id: raid, date: 2025-02-22, type: lab-raid, actors: [mx], summary: s, quantity: {labs: 2}}
  - {id: deploy, date: 2025-02-23, type: troop-deployment, actors: [mx], summary: s,
     quantity: {troops: {from: 1600, to: 1650}, vehicles: {about: 30}}}
  - {id: six-months, date: 2025-02-24, type: statistic, actors: [mx], summary: s, since: 2024-10-01,
     quantity: {labs: {over: 750}}}
  - {id: pause, date: 2025-03-01, type: reprieve, actors: [us], targets: [mx], lever: duty, until: 2025-04-01,
     summary: s, sources: [{url: "https://example.org/a"}]}
links:
  - {cause: monthly, effect: pause, relation: causes, claimed_by: mx, confidence: medium,
     sources: [{url: "https://example.org/b"}]}
"""


@pytest.fixture(scope="module")
def path(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("figures") / "figures.yaml"
    p.write_text(TIMELINE, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def graph(path):
    return read_graph(timeline=read_timeline([path]))


def test_the_file_says_how_a_statistic_counts(path):
    t = read_timeline([path])
    assert t.events["since-oct"].since == dt.date(2024, 10, 1) and t.events["since-oct"].totals is None
    assert t.events["monthly"].totals == () and not t.events["monthly"].is_total("kg_january")
    mixed = t.events["mixed"]
    assert mixed.totals == ("labs",) and mixed.is_total("labs") and not mixed.is_total("percent_decrease")
    assert t.events["to-date"].since is None and t.events["to-date"].is_total("labs")


@pytest.mark.parametrize("fields, message", [
    ("type: seizure, quantity: {kg: 1}, since: 2024-10-01",
     "'since': only a statistic counts its totals from a date (type is seizure)"),
    ("type: seizure, quantity: {kg: 1}, totals: false", "'totals': only a statistic's quantities are totals (type is seizure)"),
    ("type: statistic, quantity: {kg: 1}, since: 2025-03-02", "'since' 2025-03-02 is after its date 2025-03-01"),
    ("type: statistic, since: 2024-10-01", "'since': the event has no quantity to count"),
    ("type: statistic, quantity: {kg: 1}, totals: [labs]", "'totals': 'labs' is not one of its quantity's kinds (kg)"),
    ("type: statistic, quantity: {kg: 1}, totals: 3",
     "'totals' must be true, false or a list of its quantity's kinds, not a number"),
    ("type: statistic, quantity: {kg: 1}, since: 2024-10-01, totals: false",
     "'since': none of its quantities is a total ('totals' lists none)"),
    ("type: statistic, quantity: {kg: 1}, since: 2024-10-01, totals: [x]",  # one error, not a second about since
     "'totals': 'x' is not one of its quantity's kinds (kg)"),
    ("type: seizure, quantity: {kg: 1}, totals: true", "'totals': only a statistic's quantities are totals (type is seizure)"),
])
def test_bad_counting_is_reported_with_its_line(tmp_path, fields, message):
    p = tmp_path / "bad.yaml"
    p.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: government}\nevents:\n"
                 f"  - {{id: e, date: 2025-03-01, actors: [a], summary: s, {fields}}}\n", encoding="utf-8")
    with pytest.raises(TimelineError) as e:
        read_timeline([p])
    assert [str(line) for line in e.value.lines()] == [f"{p}:5: event 'e' {message}"]


def test_one_kind_may_be_given_without_a_list(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: government}\nevents:\n"
                 "  - {id: e, date: 2025-03-01, type: statistic, actors: [a], summary: s, quantity: {kg: 1, pct: 2},"
                 " totals: kg}\n", encoding="utf-8")
    assert read_timeline([p]).events["e"].totals == ("kg",)


def test_series_keep_totals_counted_from_different_days_apart_and_leave_out_what_is_not_a_total(graph):
    figures = {(s["kind"], s["since"]): [p[:2] for p in s["points"]] for s in audit(graph).series["figures"]}
    assert figures == {
        ("kg", "2024-10-01"): [["2025-02-01", 40]],
        # the raid of 22 February adds to every labs series begun by then
        ("labs", "2024-10-01"): [["2025-02-01", 300], ["2025-02-20", 400], ["2025-02-22", 402], ["2025-02-24", 750]],
        ("labs", "2025-02-05"): [["2025-02-10", 20], ["2025-02-22", 22]],  # the border operation's own count
        ("labs", None): [["2025-02-21", 7], ["2025-02-22", 9]],  # a total to date
        ("troops", None): [["2025-02-23", 1600]],  # a span counts from its lower end
        ("vehicles", None): [["2025-02-23", 30]],
    }  # no percent_decrease or kg_january: amounts for a period and changes are not running figures


def test_series_say_which_figures_are_bounds_or_approximate(graph, tmp_path):
    marks = {(s["kind"], s["since"]): [p[3] for p in s["points"]] for s in audit(graph).series["figures"]}
    assert marks[("labs", "2024-10-01")] == [None, None, None, "at least"]  # "more than 750"
    assert marks[("troops", None)] == ["at least"] and marks[("vehicles", None)] == ["about"]  # a span; about
    # a running sum stays as inexact as its least exact part, until a statistic gives the total again
    path = tmp_path / "sums.yaml"
    path.write_text(TIMELINE.split("events:")[0] + """events:
  - {id: r1, date: 2025-01-01, type: lab-raid, actors: [mx], summary: s, quantity: {labs: {over: 10}}}
  - {id: r2, date: 2025-01-02, type: lab-raid, actors: [mx], summary: s, quantity: {labs: 5}}
  - {id: r3, date: 2025-01-03, type: lab-raid, actors: [mx], summary: s, quantity: {labs: {about: 4}}}
  - {id: r4, date: 2025-01-04, type: lab-raid, actors: [mx], summary: s, quantity: {labs: 1}}
  - {id: st, date: 2025-01-05, type: statistic, actors: [mx], summary: s, quantity: {labs: 30}}
  - {id: r5, date: 2025-01-06, type: lab-raid, actors: [mx], summary: s, quantity: {labs: 2}}
""", encoding="utf-8")
    [labs] = audit(read_graph(timeline=read_timeline([path]))).series["figures"]
    assert [p[1:] for p in labs["points"]] == [[10, "r1", "at least"], [15, "r2", "at least"], [19, "r3", "about"],
                                               [20, "r4", "about"], [30, "st", None], [32, "r5", None]]


def test_the_chart_draws_a_bound_or_approximate_figure_as_an_open_circle(graph):
    assert "open: at least, or about" in audit(graph).chart(fmt="svg").decode()
    exact = {"levers": [], "reliefs": [], "figures": [{"kind": "labs", "since": None,
                                                        "points": [["2025-01-01", 3, "r", None]]}]}
    from parley.graph.chart import chart_image

    assert "open: at least, or about" not in chart_image(exact, fmt="svg").decode()


def test_a_linked_statistic_says_its_figures_are_not_totals(graph):
    report = audit(graph)
    [relief] = report.reliefs
    [link] = relief["links"]
    assert relief["verdict"] == "evidenced" and link["kind"] == "figures"
    assert link["quantity"] == {"kg_january": 450, "percent_decrease": 41.5}
    assert link["not_totals"] == ["kg_january", "percent_decrease"] and "counted_since" not in link
    assert "figures: 450 kg_january (not a total), 41.5 percent_decrease (not a total)" in report.to_text()
    assert "Figures: 450 kg\\_january (not a total)" in report.to_markdown(chart_src="c.svg")
    assert "Figures: 450 kg_january (not a total)" in report.to_html()


def test_the_chart_names_a_series_with_the_day_it_counts_from(graph):
    svg = audit(graph).chart(fmt="svg").decode()
    assert "labs since 2024-10-01" in svg and "labs since 2025-02-05" in svg
    assert "percent_decrease" not in svg


def test_the_timeline_shows_how_figures_count(graph, path):
    rows = {r.id: r for r in timeline_rows(graph).rows}
    assert rows["mixed"].counted_since == dt.date(2024, 10, 1) and rows["mixed"].not_totals == ("percent_decrease",)
    assert rows["mixed"].what == "400 labs, 50 percent_decrease (not a total); totals since 2024-10-01"
    assert rows["raid"].counted_since is None and rows["raid"].not_totals == ()
    result = CliRunner().invoke(main, ["timeline", "--timeline", str(path), "--type", "statistic", "--format", "csv"])
    assert result.exit_code == 0, result.output
    by_id = {r["id"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert (by_id["mixed"]["counted_since"], by_id["mixed"]["not_totals"]) == ("2024-10-01", "percent_decrease")
    assert (by_id["monthly"]["counted_since"], by_id["monthly"]["not_totals"]) == ("", "kg_january; percent_decrease")
    result = CliRunner().invoke(main, ["timeline", "--timeline", str(path), "--format", "json"])
    events = {e["id"]: e for e in json.loads(result.output)["events"]}
    assert events["since-oct"]["counted_since"] == "2024-10-01" and events["since-oct"]["not_totals"] == []


def test_the_view_details_say_how_figures_count(graph):
    view = graph_view(graph)
    rows = {view.tooltips[n["id"]]["title"]: dict(view.tooltips[n["id"]]["rows"]) for n in view.nodes
            if n["id"] in view.tooltips}
    assert rows["mixed"]["percent_decrease"] == "50 (not a total)" and rows["mixed"]["labs"] == "400"
    assert rows["mixed"]["totals since"] == "2024-10-01"
    assert "totals since" not in rows["raid"]


def test_bundled_statistics_count_from_the_day_the_fact_sheet_gives():
    t = read_bundled()
    assert t.events["stat-2025-03-25"].since == dt.date(2024, 10, 1)  # "1 Oct 2024 to 23 Mar 2025"
    assert t.events["stat-northern-border-2025-03-11"].since == dt.date(2025, 2, 5)  # "since it began on 5 Feb"
    assert t.events["stat-fentanyl-cbp-2025-03-06"].totals == ()  # monthly CBP figures and a 41.5 % fall
    report = audit(read_graph(timeline=t))
    labs = {s["since"]: [p[1] for p in s["points"]] for s in report.series["figures"] if s["kind"] == "labs"}
    assert labs == {"2024-10-01": [329, 475, 644, 750, 915, 1193, 1887, 2000]}
    kinds = {s["kind"] for s in report.series["figures"]}
    assert not kinds & {"percent_decrease", "fentanyl_kg_january", "fentanyl_trafficking_percent_decrease"}


def test_a_figure_given_as_a_bound_or_a_span_is_read_and_built(path, graph):
    from parley.ontology.namespace import PARLEY

    t = read_timeline([path])
    assert t.events["deploy"].quantity == {"troops": 1600, "vehicles": 30}
    assert t.events["deploy"].bounds == {"troops": ("range", 1650), "vehicles": ("about", None)}
    assert t.events["six-months"].bounds == {"labs": ("over", None)}
    assert {str(o) for o in graph.objects(None, PARLEY.amountBound)} == {"over", "about"}
    assert [float(o) for o in graph.objects(None, PARLEY.maxAmount)] == [1650]


@pytest.mark.parametrize("value, message", [
    ("{over: -1}", "quantity 'labs' 'over': -1 is outside [0, inf]"),
    ("{above: 5}", "quantity 'labs': a number, or {over: N}, {about: N} or {from: N, to: M} (got: above)"),
    ("{over: 5, about: 5}", "quantity 'labs': a number, or {over: N}, {about: N} or {from: N, to: M} (got: over, about)"),
    ("{from: 5, to: 5}", "quantity 'labs': 'to' 5 is not above 'from' 5"),
    ("{from: 5}", "quantity 'labs': a number, or {over: N}, {about: N} or {from: N, to: M} (got: from)"),
    ("{about: many}", "quantity 'labs' 'about': 'many' is not a number"),
    ("{over: null}", "quantity 'labs': over has no number"),
    ("{from: 1, to: null}", "quantity 'labs': to has no number"),
    ("{over: 1.0e+300}", "quantity 'labs' 'over': a number of 301 digits is too large (at most 10^18)"),
])
def test_a_bad_bound_is_reported_with_its_line(tmp_path, value, message):
    p = tmp_path / "bad.yaml"
    p.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: government}\nevents:\n"
                 f"  - {{id: e, date: 2025-03-01, type: statistic, actors: [a], summary: s, quantity: {{labs: {value}}}}}\n",
                 encoding="utf-8")
    with pytest.raises(TimelineError) as e:
        read_timeline([p])
    assert e.value.lines() == [f"{p}:5: event 'e' {message}"]


def test_bounds_are_shown_wherever_the_figure_is(graph, path):
    rows = {r.id: r for r in timeline_rows(graph).rows}
    assert rows["deploy"].what == "1,600 to 1,650 troops, about 30 vehicles"
    assert rows["six-months"].what == "more than 750 labs; totals since 2024-10-01"
    result = CliRunner().invoke(main, ["timeline", "--timeline", str(path), "--format", "csv"])
    by_id = {r["id"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert by_id["deploy"]["quantity"] == "troops=1600; vehicles=30"  # numbers stay numbers for a spreadsheet
    assert by_id["deploy"]["quantity_bounds"] == "troops 1,600 to 1,650; vehicles about 30"
    result = CliRunner().invoke(main, ["timeline", "--timeline", str(path), "--format", "json"])
    events = {e["id"]: e for e in json.loads(result.output)["events"]}
    assert events["deploy"]["quantity_bounds"] == {"troops": {"bound": "range", "to": 1650},
                                                   "vehicles": {"bound": "about"}}
    view = graph_view(graph)
    details = {view.tooltips[n["id"]]["title"]: dict(view.tooltips[n["id"]]["rows"]) for n in view.nodes
               if n["id"] in view.tooltips}
    assert details["deploy"]["troops"] == "1,600 to 1,650" and details["six-months"]["labs"] == "more than 750"
    report = audit(graph)
    [deploy] = [a for a in report.security if a["event"]["id"] == "deploy"]
    assert deploy["quantity"] == {"troops": 1600, "vehicles": 30}
    assert deploy["quantity_bounds"] == {"troops": {"bound": "range", "to": 1650}, "vehicles": {"bound": "about"}}
    assert "deploy (troop-deployment, 1,600 to 1,650 troops, about 30 vehicles)" in report.to_text()
    assert "1,600 to 1,650 troops, about 30 vehicles" in report.to_html()


def test_bundled_figures_keep_the_bounds_the_fact_sheet_gives():
    t = read_bundled()
    assert t.events["stat-2025-04-08"].bounds["labs"] == ("over", None)  # ">750 labs"
    assert t.events["stat-2025-04-08"].bounds["fentanyl_kg"] == ("about", None)  # "~1.5 t fentanyl"
    assert t.events["deploy-2025-02-05"].bounds["troops_juarez"] == ("range", 1650)  # "~1,600–1,650 Juárez"
    assert t.events["stat-labs-2026-01-31"].bounds["labs"] == ("over", None)  # "more than 2,000"
    assert "troops_tijuana" not in t.events["deploy-2025-02-05"].bounds  # "1,950 Tijuana": exact


def test_the_audit_shows_figures_as_recorded(tmp_path):
    """Not rounded: a span of 112.587 to 112.588 stays that."""
    p = tmp_path / "t.yaml"
    p.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: government}\nevents:\n"
                 "  - {id: s, date: 2025-03-01, type: seizure, actors: [a], summary: s,"
                 " quantity: {usd_bn: {from: 112.587, to: 112.588}, kg: 41.5}}\n", encoding="utf-8")
    text = audit(read_graph(timeline=read_timeline([p]))).to_text()
    assert "s (seizure, 41.5 kg, 112.587 to 112.588 usd_bn)" in text


def test_a_wrong_figure_is_one_error_not_a_second_about_totals(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: government}\nevents:\n"
                 "  - {id: e, date: 2025-03-01, type: statistic, actors: [a], summary: s,"
                 " quantity: {labs: {over: null}}, totals: [labs]}\n", encoding="utf-8")
    with pytest.raises(TimelineError) as e:
        read_timeline([p])
    assert e.value.lines() == [f"{p}:5: event 'e' quantity 'labs': over has no number"]


def test_every_reader_keeps_the_same_of_two_values_a_hand_edited_graph_gives(path):
    """Two upper ends and two counting days for one figure: each reader keeps the widest span and the earliest
    day, whatever order the store answers in."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from parley.ontology.namespace import PARLEY

    g = read_graph(timeline=read_timeline([path]))
    troops = URIRef("https://example.org/figures/event/deploy/quantity/troops")
    g.add((troops, PARLEY.maxAmount, Literal("1700", datatype=XSD.decimal)))
    labs = URIRef("https://example.org/figures/event/six-months/quantity/labs")
    g.add((labs, PARLEY.countedSince, Literal("2024-09-01", datatype=XSD.date)))
    report = audit(g)
    [deploy] = [a for a in report.security if a["event"]["id"] == "deploy"]
    assert deploy["quantity_bounds"]["troops"] == {"bound": "range", "to": 1700}
    rows = {r.id: r for r in timeline_rows(g).rows}
    assert rows["deploy"].bounds["troops"] == ("range", 1700)
    assert rows["six-months"].counted_since == dt.date(2024, 9, 1)
    view = graph_view(g)
    details = {view.tooltips[n["id"]]["title"]: dict(view.tooltips[n["id"]]["rows"]) for n in view.nodes
               if n["id"] in view.tooltips}
    assert details["deploy"]["troops"] == "1,600 to 1,700" and details["six-months"]["totals since"] == "2024-09-01"
    assert ("labs", "2024-09-01") in {(s["kind"], s["since"]) for s in report.series["figures"]}
