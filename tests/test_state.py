"""lever_states() and `parley state`: where each lever stood on a day, read from the outcome nodes."""

import csv
import datetime as dt
import gc
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.events.read import read_bundled, read_timeline
from parley.graph.query import QueryError, run_query
from parley.graph.reading import lever_states
from parley.graph.store import read_graph

DATA = Path(__file__).parent / "data"
SMALL = str(DATA / "small.yaml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def small():
    return read_graph(timeline=read_timeline([SMALL]))


@pytest.fixture(scope="module")
def bundled():
    return read_graph(timeline=read_bundled())


def state(graph, lever, on):
    [row] = lever_states(graph, lever=lever, on=on).rows
    return row


def run(*args, env=None):
    return CliRunner().invoke(main, ["state", *args], env=env)


def test_each_day_of_the_small_timeline(small):
    # threat-1 (5 Jan), impose-1 (signed 10 Jan, to take effect 15 Jan), pause-1 (13 Jan until 13 Feb),
    # exempt-1 (5 Mar, effective 6 Mar, 20% on goods outside the pact), extend-1 (1 Apr until 30 Jun).
    before = state(small, "duty", "2025-01-04")
    assert before.current is None and before.lapsed is None
    assert (before.next.event, before.next.status, before.next.valid_from) == ("threat-1", "threatened",
                                                                               dt.date(2025, 1, 5))
    threatened = state(small, "duty", "2025-01-12")
    assert (threatened.status, threatened.current.rate, threatened.current.event) == ("threatened", 20, "threat-1")
    assert threatened.current.scope == "all goods"
    # The imposition was overtaken by the pause before it took effect: it never holds, and is not "next".
    assert threatened.next.event == "pause-1"
    for day in ("2025-01-13", "2025-01-15", "2025-02-12"):
        paused = state(small, "duty", day)
        assert (paused.status, paused.current.event, paused.current.valid_until) == ("paused", "pause-1",
                                                                                     dt.date(2025, 2, 13))
        # next: what the pause suspended, back when it runs out on 13 Feb (before exempt-1 on 6 March)
        assert (paused.next.event, paused.next.status, paused.next.valid_from) == ("impose-1", "in-force",
                                                                                   dt.date(2025, 2, 13))
        assert paused.next.valid_until == dt.date(2025, 3, 6)
    # The pause ended on 13 Feb and nothing replaced it until 6 March: what it suspended, the imposition it
    # overtook, holds again from 13 Feb (resumed), up to the next change.
    for day in ("2025-02-13", "2025-03-05"):
        resumed = state(small, "duty", day)
        assert resumed.resumed and (resumed.lapsed.event, resumed.lapsed.status) == ("pause-1", "paused")
        assert (resumed.status, resumed.current.rate, resumed.current.event) == ("in-force", 20, "impose-1")
        assert (resumed.current.valid_from, resumed.current.valid_until) == (dt.date(2025, 2, 13), dt.date(2025, 3, 6))
    exempt = state(small, "duty", "2025-03-06")
    assert (exempt.status, exempt.current.rate, exempt.current.scope) == ("in-force", 20,
                                                                          "goods outside the trade pact")
    assert state(small, "duty", "2025-06-29").status == "paused"
    after = state(small, "duty", "2025-06-30")  # the extension ran out: the exemption's 20 % holds again
    assert after.resumed and after.next is None and after.lapsed.event == "extend-1"
    assert (after.status, after.current.rate, after.current.event) == ("in-force", 20, "exempt-1")
    assert after.current.scope == "goods outside the trade pact" and after.current.valid_until is None
    guard = state(small, "guard", "2025-01-14")
    assert (guard.status, guard.current.event, guard.current.valid_until) == ("in-force", "deploy-1", None)


def test_default_date_is_the_latest_event_date(small):
    view = lever_states(small)
    assert view.date == dt.date(2025, 4, 1) and view.default_date
    assert [(r.lever, r.status) for r in view.rows] == [("duty", "paused"), ("guard", "in-force")]
    assert lever_states(small, on=dt.date(2025, 4, 1)).to_dict()["levers"] == view.to_dict()["levers"]


def test_bad_lever_or_date(small):
    with pytest.raises(QueryError, match="unknown lever id 'tax'"):
        lever_states(small, lever="tax")
    with pytest.raises(QueryError, match="unknown lever id 'alice'"):
        lever_states(small, lever="alice")
    with pytest.raises(QueryError, match=re.escape("'2025-02-30' is not a real calendar date")):
        lever_states(small, on="2025-02-30")


def test_bundled_timeline_states(bundled):
    # The IEEPA tariff on Mexico: paused on 10 Feb; on 10 March 25 % in force on non-USMCA goods only.
    feb = state(bundled, "ieepa-mx", "2025-02-10")
    assert feb.status == "paused"
    march = state(bundled, "ieepa-mx", "2025-03-10")
    assert (march.status, march.current.rate) == ("in-force", 25)
    assert "non-USMCA" in march.current.scope
    # Section 232 steel (and aluminium): 50 % from 4 June.
    steel = state(bundled, "s232-steel-aluminum", "2025-06-10")
    assert (steel.status, steel.current.rate) == ("in-force", 50)


def test_renderings(small):
    view = lever_states(small, on="2025-02-10")
    text = view.to_text().splitlines()
    assert text[0] == "Lever state on 2025-02-10"
    assert text[1].split() == ["LEVER", "STATUS", "RATE", "SCOPE", "SINCE", "UNTIL", "SET", "BY", "NEXT", "CHANGE"]
    assert text[2].split()[:6] == ["duty", "paused", "20%", "all", "goods", "2025-01-13"]
    assert "impose-1 (2025-01-10): in-force 20% from 2025-02-13" in text[2]  # back when the pause ends
    assert "deploy-1 (2025-01-14..15)" in text[3]
    assert all(len(line) <= 70 for line in view.to_text(width=70).splitlines())
    assert "\x1b[" in view.to_text(color=True) and ANSI.sub("", view.to_text(color=True)) == view.to_text()
    one = lever_states(small, lever="duty", on="2025-02-10").to_text().splitlines()
    assert one[0] == "duty (Duty on Bordurian goods) on 2025-02-10"
    assert one[1].split() == ["status", "paused", "20%"]
    assert one[3].split() == ["since", "2025-01-13", "until", "2025-02-13", "(not", "included)"]
    md = view.to_markdown().splitlines()
    assert md[2] == "| Lever | Status | Rate | Scope | Since | Until | Set by | Next change |"
    assert md[4].startswith("| duty | paused | 20% | all goods | 2025-01-13 | 2025-02-13 | pause-1 (2025-01-13) |")
    rows = list(csv.DictReader(io.StringIO(view.to_csv())))
    assert [(r["lever"], r["status"], r["set_by"], r["next_event"]) for r in rows] == [
        ("duty", "paused", "pause-1", "impose-1"), ("guard", "in-force", "deploy-1", "")]
    assert rows[0]["date"] == "2025-02-10" and rows[0]["rate"] == "20"


# ------------------------------------------------------------------------------------------------ CLI

def test_cli_json_equals_the_library(small):
    result = run("--timeline", SMALL, "duty", "2025-02-10", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == lever_states(small, lever="duty", on="2025-02-10").to_dict()
    result = run("--timeline", SMALL, "--all", "--format", "json")
    assert json.loads(result.output) == lever_states(small).to_dict()
    result = run("--timeline", SMALL, "--all", "2025-01-04", "--format", "json")
    assert json.loads(result.output) == lever_states(small, on="2025-01-04").to_dict()


def test_cli_text_md_csv(small):
    assert run("--timeline", SMALL, "duty").output == lever_states(small, lever="duty").to_text()
    assert run("--timeline", SMALL, "--all", "2025-03-06", "--format", "md").output == \
        lever_states(small, on="2025-03-06").to_markdown()
    assert run("--timeline", SMALL, "guard", "2025-01-01", "--format", "csv").output == \
        lever_states(small, lever="guard", on="2025-01-01").to_csv()
    assert run("--timeline", SMALL, "duty", env={"COLUMNS": "50"}).output == \
        lever_states(small, lever="duty").to_text(width=50)


def test_cli_reads_a_turtle_file_and_a_store(tmp_path, small):
    expected = lever_states(small, on="2025-02-10").to_dict()
    ttl = tmp_path / "small.ttl"
    assert CliRunner().invoke(main, ["build", "--timeline", SMALL, "--out", str(ttl)]).exit_code == 0
    result = run("--graph", str(ttl), "--all", "2025-02-10", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == expected
    store = f"oxigraph:{tmp_path / 'store'}"
    assert run("--store", store, "--timeline", SMALL, "--all").exit_code == 0
    gc.collect()  # the first command's store is still open (and locked) until its Dataset is collected
    result = run("--store", store, "--all", "2025-02-10", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == expected


def test_cli_bundled_timeline():
    result = run("ieepa-mx", "2025-03-10", "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)["levers"]
    assert (row["status"], row["rate"]) == ("in-force", 25)


@pytest.mark.parametrize("args, message", [
    (["tax"], "unknown lever id 'tax'"),
    (["duty", "2025-02-30"], "DATE '2025-02-30' is not a real calendar date"),
    (["duty", "tomorrow"], "DATE 'tomorrow' is not a date (expected YYYY-MM-DD)"),
    (["--all", "2025-13-01"], "DATE '2025-13-01' is not a real calendar date"),
    ([], "give a LEVER id (or --all)"),
    (["--all", "duty", "2025-01-01"], "with --all, give at most a DATE"),
    (["duty", "2025-01-01", "extra"], "expected LEVER [DATE], got 3 arguments"),
    (["duty", "--format", "xml"], "'xml' is not one of"),
])
def test_cli_bad_input_exits_2(args, message):
    result = run("--timeline", SMALL, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_no_state_and_no_levers_are_not_errors(tmp_path):
    result = run("--timeline", SMALL, "duty", "2024-12-31")
    assert result.exit_code == 0
    assert "status  none: no change recorded by this date" in result.output
    assert "next    threat-1 (2025-01-05): threatened 20% from 2025-01-05" in result.output
    empty = tmp_path / "empty.ttl"
    empty.write_text("<https://example.org/x> <https://example.org/p> 1 .\n", encoding="utf-8")
    result = run("--graph", str(empty), "--all")
    assert result.exit_code == 0 and result.output == "the graph has no levers\n"


def named_query_state(graph, lever, day):
    """(status, rate, scope, from, until, event) from graph/queries/lever-state.rq, or None."""
    rows = run_query(graph, "lever-state", params={"lever": lever, "date": day})
    assert len(rows) <= 1, (lever, day, rows)
    if not rows:
        return None
    r = rows[0]
    rate = None if r["rate"] is None else float(r["rate"].toPython())
    scope = None if r["scope"] is None else str(r["scope"])
    until = None if r["valid_until"] is None else r["valid_until"].toPython()
    return (str(r["status"]), rate, scope, r["valid_from"].toPython(), until, str(r["event_id"]))


@pytest.mark.parametrize("which", ["small", "bundled"])
def test_agrees_with_the_lever_state_named_query(which, request):
    # The named query reads the outcome node in force; on a day a state resumed after a pause ran out, no node
    # is, so it has no row and `state` has what resumed.
    # Every day on which some state starts or ends, and the day before: where two readings could part.
    graph = request.getfixturevalue(which)
    changes: dict = {}
    for r in run_query(graph, "state-outcomes"):
        for d in (r["validFrom"], r["validUntil"]):
            if d is not None:
                changes.setdefault(r["lever"], set()).update({d.toPython() - dt.timedelta(days=1), d.toPython()})
    ids = {r.lever for r in lever_states(graph).rows}
    checked = 0
    for node, days in changes.items():
        [lever] = [i for i in ids if str(node).endswith(f"/lever/{i}")]
        for day in sorted(days):
            row = state(graph, lever, day)
            c = None if row.resumed else row.current
            mine = None if c is None else (c.status, None if c.rate is None else float(c.rate), c.scope,
                                           c.valid_from, c.valid_until, c.event)
            assert mine == named_query_state(graph, lever, day), (lever, day)
            checked += 1
    assert checked >= (16 if which == "small" else 50)


@pytest.mark.parametrize("which", ["small", "bundled", "lapse"])
def test_the_rate_collected_agrees_with_the_audit_each_day(which, request, tmp_path):
    # `state` and the audit's series must tell one story: on every day from the first change to a year after the
    # last, the rate in force or reduced (0 otherwise) is the audit's collected rate.
    from parley.graph.audit import audit

    if which == "lapse":
        graph = read_graph(timeline=read_timeline([_lapse_timeline(tmp_path)]))
    else:
        graph = request.getfixturevalue(which)
    series = {s["lever"]: s["points"] for s in audit(graph).series["levers"]}
    assert series
    for lever, points in series.items():
        first = dt.date.fromisoformat(points[0][0])
        span = (dt.date.fromisoformat(points[-1][0]) - first).days + 366
        days = [first + dt.timedelta(days=i) for i in range(span)]
        for view_day in days[::7] + [dt.date.fromisoformat(p[0]) for p in points]:
            expected = 0.0
            for day, rate, _ in points:
                if dt.date.fromisoformat(day) <= view_day:
                    expected = rate
            row = state(graph, lever, view_day)
            c = row.current
            mine = _collected(c)
            assert mine == expected, (lever, view_day, row)


def _lapse_timeline(tmp_path) -> Path:
    """duty: in force, then a pause that runs out with nothing after it; levy: a threat paused, the pause runs
    out (a threat does not resume); toll: reduced, exempted for a while, then reduced again by the lapse; cess: in
    force, paused, in force again, then threatened higher (which changes nothing, as on a lever in force); fee:
    in force at 10 %, raised to 25 % from 4 March by an order a pause overtook, the pause over on 20 February."""
    ev = "{{id: {}, date: {}, type: {}, actors: [a], lever: {}{}, summary: s}}"
    events = [ev.format("t1", "2025-01-02", "threat", "duty", ", rate: 20"),
              ev.format("i1", "2025-01-05", "tariff-imposition", "duty", ", rate: 20, effective: 2025-01-10"),
              ev.format("p1", "2025-02-01", "reprieve", "duty", ", until: 2025-03-01"),
              ev.format("t2", "2025-01-02", "threat", "levy", ", rate: 10"),
              ev.format("p2", "2025-01-20", "reprieve", "levy", ", until: 2025-02-20"),
              ev.format("i3", "2025-01-02", "tariff-imposition", "toll", ", rate: 30"),
              ev.format("r3", "2025-01-15", "tariff-reduction", "toll", ", rate: 15"),
              ev.format("e3", "2025-02-01", "exemption", "toll", ", rate: 0, until: 2025-04-01"),
              ev.format("i4", "2025-01-05", "tariff-imposition", "cess", ", rate: 25"),
              ev.format("p4", "2025-02-01", "reprieve", "cess", ", until: 2025-03-01"),
              ev.format("t4", "2025-04-01", "threat", "cess", ", rate: 50"),
              ev.format("i5", "2025-01-01", "tariff-imposition", "fee", ", rate: 10"),
              ev.format("j5", "2025-02-01", "tariff-increase", "fee", ", rate: 25, effective: 2025-03-04"),
              ev.format("p5", "2025-02-03", "reprieve", "fee", ", until: 2025-02-20")]
    path = tmp_path / "lapse.yaml"
    path.write_text("timeline: {id: lapse}\nactors:\n  - {id: a, name: A, kind: government}\nlevers:\n"
                    + "".join(f"  - {{id: {lv}, kind: tariff, name: {lv}}}\n"
                              for lv in ("duty", "levy", "toll", "cess", "fee"))
                    + "events:\n" + "".join(f"  - {e}\n" for e in events), encoding="utf-8")
    return path


def test_what_resumes_when_a_pause_or_exemption_runs_out(tmp_path):
    graph = read_graph(timeline=read_timeline([_lapse_timeline(tmp_path)]))
    duty = state(graph, "duty", "2025-06-01")
    assert duty.resumed and (duty.status, duty.current.rate, duty.current.event) == ("in-force", 20, "i1")
    assert (duty.current.valid_from, duty.current.valid_until, duty.lapsed.event) == (dt.date(2025, 3, 1), None, "p1")
    levy = state(graph, "levy", "2025-06-01")  # a paused threat does not come back by itself
    assert levy.current is None and not levy.resumed and levy.lapsed.event == "p2"
    toll = state(graph, "toll", "2025-06-01")
    assert toll.resumed and (toll.status, toll.current.rate, toll.current.event) == ("reduced", 15, "r3")
    text = lever_states(graph, lever="duty", on="2025-06-01").to_text()
    assert "set by  i1 (2025-01-05), resumed on 2025-03-01 when the pause set by p1 ended" in text
    [row] = csv.DictReader(io.StringIO(lever_states(graph, lever="levy", on="2025-06-01").to_csv()))
    assert (row["status"], row["lapsed_event"], row["lapsed_status"], row["lapsed_until"], row["resumed"]) == (
        "", "p2", "paused", "2025-02-20", "")
    [row] = csv.DictReader(io.StringIO(lever_states(graph, lever="toll", on="2025-06-01").to_csv()))
    assert (row["status"], row["rate"], row["lapsed_event"], row["resumed"]) == ("reduced", "15", "e3", "yes")
    assert lever_states(graph, lever="toll", on="2025-06-01").to_dict()["levers"][0]["resumed"] is True
    # the increase the pause overtook takes effect on its own date: 10 % again from the pause's end until then
    fee = state(graph, "fee", "2025-02-25")
    assert fee.resumed and (fee.status, fee.current.rate, fee.current.event) == ("in-force", 10, "i5")
    assert (fee.current.valid_from, fee.current.valid_until) == (dt.date(2025, 2, 20), dt.date(2025, 3, 4))
    assert (fee.next.event, fee.next.valid_from) == ("j5", dt.date(2025, 3, 4))
    fee = state(graph, "fee", "2025-03-10")
    assert fee.resumed
    assert (fee.current.rate, fee.current.event, fee.current.valid_from) == (25, "j5", dt.date(2025, 3, 4))
    cess = state(graph, "cess", "2025-06-01")  # the threat of 1 April came after the pause ran out
    assert cess.resumed and (cess.status, cess.current.rate, cess.current.event) == ("in-force", 25, "i4")


def test_state_and_the_audit_agree_on_random_timelines(tmp_path):
    """Random sequences of every lever-moving event type (rates, effective dates, ends, month and range dates,
    ties) on one lever: on each day, the rate `state` has in force or reduced is the audit's collected rate."""
    import random

    from parley.graph.audit import audit

    rng = random.Random(20261129)
    types = ["threat", "tariff-imposition", "tariff-increase", "reprieve", "extension", "exemption",
             "tariff-reduction", "agreement", "designation"]
    start = dt.date(2025, 1, 1)

    def day(n):
        return (start + dt.timedelta(days=n)).isoformat()

    resumed_days = 0
    for case in range(25):
        events = []
        for i in range(rng.randrange(1, 6)):
            at, r = rng.randrange(0, 40), rng.random()
            date = "2025-02" if r < 0.15 else f"{{from: {day(at)}, to: {day(at + rng.randrange(0, 5))}}}" if r < 0.3 \
                else day(at)
            etype = rng.choice(types)
            fields = f"id: e{i}, date: {date}, type: {etype}, actors: [a], lever: duty, summary: s"
            if rng.random() < 0.6:
                fields += f", rate: {rng.choice([0, 10, 25, 50])}"
            # effective and until on or after the event's (latest) date
            effective = (59 if r < 0.15 else at + 4) + rng.randrange(0, 30) if rng.random() < 0.4 else None
            if effective is not None:
                fields += f", effective: {day(effective)}"
            # an end, mostly on what the format gives one (a pause, an exemption, an extension, a cut), after
            # the event takes effect
            if rng.random() < (0.7 if etype in ("reprieve", "extension", "exemption", "tariff-reduction") else 0.1):
                until = (59 if r < 0.15 else at + 4) + rng.randrange(0, 40)
                fields += f", until: {day(max(until, (effective or 0) + 1))}"
            events.append(f"  - {{{fields}}}\n")
        path = tmp_path / f"random-{case}.yaml"
        path.write_text("timeline: {id: r}\nactors:\n  - {id: a, name: A, kind: government}\nlevers:\n"
                        "  - {id: duty, kind: tariff, name: duty}\nevents:\n" + "".join(events), encoding="utf-8")
        graph = read_graph(timeline=read_timeline([path]))
        points = {s["lever"]: s["points"] for s in audit(graph).series["levers"]}.get("duty", [])
        for k in range(-3, 110):
            on = start + dt.timedelta(days=k)
            expected = 0.0
            for d, rate, _ in points:
                if dt.date.fromisoformat(d) <= on:
                    expected = rate
            row = state(graph, "duty", on)
            c = row.current
            mine = _collected(c)
            assert mine == expected, (case, on, row, path.read_text())
            resumed_days += row.resumed
    assert resumed_days > 60  # the cases reach the resumptions this checks


def _collected(change) -> float:
    """The rate a state collects, as the audit counts it: its rate when in force or reduced, else 0."""
    in_force = change is not None and change.status in ("in-force", "reduced") and change.rate is not None
    return float(change.rate) if in_force else 0.0


def test_an_exemption_on_part_of_the_goods_and_what_ran_out_during_a_pause(tmp_path):
    """part: 25 % on everything, then an exemption leaving 10 % on the rest until 1 March, nothing after it: the
    25 % comes back on 1 March. nest: the same exemption, paused from 1 to 15 February: 10 % again from the
    15th until the exemption's own end, then 25 %. gone: a 20 % tariff set to end on 10 February, paused from
    1 to 20 February: nothing comes back, since it would have ended during the pause."""
    ev = "{{id: {}, date: {}, type: {}, actors: [a], lever: {}{}, summary: s}}"
    events = [ev.format("i1", "2025-01-01", "tariff-imposition", "part", ", rate: 25"),
              ev.format("x1", "2025-01-10", "exemption", "part", ", rate: 10, until: 2025-03-01"),
              ev.format("i2", "2025-01-01", "tariff-imposition", "nest", ", rate: 25"),
              ev.format("x2", "2025-01-10", "exemption", "nest", ", rate: 10, until: 2025-03-01"),
              ev.format("p2", "2025-02-01", "reprieve", "nest", ", until: 2025-02-15"),
              ev.format("i3", "2025-01-01", "tariff-imposition", "gone", ", rate: 20, until: 2025-02-10"),
              ev.format("p3", "2025-02-01", "reprieve", "gone", ", until: 2025-02-20")]
    path = tmp_path / "part.yaml"
    path.write_text("timeline: {id: part}\nactors:\n  - {id: a, name: A, kind: government}\nlevers:\n"
                    + "".join(f"  - {{id: {lv}, kind: tariff, name: {lv}}}\n" for lv in ("part", "nest", "gone"))
                    + "events:\n" + "".join(f"  - {e}\n" for e in events), encoding="utf-8")
    graph = read_graph(timeline=read_timeline([path]))
    from parley.graph.audit import audit

    points = {s["lever"]: [p[:2] for p in s["points"]] for s in audit(graph).series["levers"]}
    assert points["part"] == [["2025-01-01", 25], ["2025-01-10", 10], ["2025-03-01", 25]]
    assert points["nest"] == [["2025-01-01", 25], ["2025-01-10", 10], ["2025-02-01", 0], ["2025-02-15", 10],
                              ["2025-03-01", 25]]
    assert points["gone"] == [["2025-01-01", 20], ["2025-02-01", 0]]
    part = state(graph, "part", "2025-03-05")
    assert part.resumed and (part.current.event, part.current.rate, part.lapsed.event) == ("i1", 25, "x1")
    text = lever_states(graph, lever="part", on="2025-03-05").to_text()
    assert "resumed on 2025-03-01 when the exemption set by x1 ended" in text
    nest = state(graph, "nest", "2025-02-20")
    assert nest.resumed and (nest.current.event, nest.current.rate) == ("x2", 10)
    assert (nest.current.valid_from, nest.current.valid_until) == (dt.date(2025, 2, 15), dt.date(2025, 3, 1))
    assert (nest.next.event, nest.next.rate, nest.next.valid_from) == ("i2", 25, dt.date(2025, 3, 1))
    nest = state(graph, "nest", "2025-03-05")
    assert nest.resumed and (nest.current.event, nest.current.rate) == ("i2", 25)
    gone = state(graph, "gone", "2025-02-25")
    assert gone.current is None and not gone.resumed and gone.lapsed.event == "p3"
    for lever, pts in points.items():  # and day by day, the two agree
        for k in range(0, 80):
            on = dt.date(2025, 1, 1) + dt.timedelta(days=k)
            expected = [rate for d, rate in pts if dt.date.fromisoformat(d) <= on][-1]
            assert _collected(state(graph, lever, on).current) == expected, (lever, on)


def test_what_shows_when_a_pause_inside_another_runs_out(tmp_path):
    """A pause inside a longer one: the longer one shows again (resumed), then the tariff when it ends; what
    resumed and then reached its own end shows as what lapsed; an order the pause overtook is in effect from
    its own date."""
    ev = "{{id: {}, date: {}, type: {}, actors: [a], lever: {}{}, summary: s}}"
    events = [ev.format("i1", "2025-01-10", "tariff-imposition", "outer", ", rate: 25"),
              ev.format("p1", "2025-02-01", "reprieve", "outer", ", until: 2025-04-01"),
              ev.format("p2", "2025-02-15", "extension", "outer", ", until: 2025-03-01"),
              ev.format("i2", "2025-01-10", "tariff-imposition", "ends", ", rate: 25, until: 2025-04-01"),
              ev.format("p3", "2025-02-01", "reprieve", "ends", ", until: 2025-03-01"),
              ev.format("i3", "2025-01-10", "tariff-imposition", "later", ", rate: 25, effective: 2025-03-01"),
              ev.format("p4", "2025-01-20", "reprieve", "later", ", until: 2025-02-15")]
    path = tmp_path / "nested.yaml"
    path.write_text("timeline: {id: nested}\nactors:\n  - {id: a, name: A, kind: government}\nlevers:\n"
                    + "".join(f"  - {{id: {lv}, kind: tariff, name: {lv}}}\n" for lv in ("outer", "ends", "later"))
                    + "events:\n" + "".join(f"  - {e}\n" for e in events), encoding="utf-8")
    graph = read_graph(timeline=read_timeline([path]))
    outer = state(graph, "outer", "2025-03-15")
    assert outer.resumed and (outer.status, outer.current.event, outer.ended_by.event) == ("paused", "p1", "p2")
    assert (outer.current.valid_from, outer.current.valid_until) == (dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    text = lever_states(graph, lever="outer", on="2025-04-05").to_text()
    assert "i1 (2025-01-10), resumed on 2025-04-01 when the pause set by p1 ended" in text
    ends = state(graph, "ends", "2025-04-05")
    assert ends.current is None and (ends.lapsed.event, ends.lapsed.valid_until) == ("i2", dt.date(2025, 4, 1))
    assert "none (was in-force until 2025-04-01)" in lever_states(graph, on="2025-04-05").to_text()
    text = lever_states(graph, lever="later", on="2025-03-05").to_text()
    assert "i3 (2025-01-10), in effect from 2025-03-01, after the pause set by p4 ended on 2025-02-15" in text
    assert lever_states(graph, lever="outer", on="2025-03-15").to_dict()["levers"][0]["resumed_by"] == "p2"


def test_a_temporary_reduction_gives_way_to_the_rate_it_cut(tmp_path):
    """A 90-day cut from 34 % to 10 %: on its end the 34 % is back, in state and in the audit alike."""
    ev = "{{id: {}, date: {}, type: {}, actors: [a], lever: duty{}, summary: s}}"
    events = [ev.format("i1", "2025-04-09", "tariff-imposition", ", rate: 34"),
              ev.format("r1", "2025-05-14", "tariff-reduction", ", rate: 10, until: 2025-08-12")]
    path = tmp_path / "cut.yaml"
    path.write_text("timeline: {id: cut}\nactors:\n  - {id: a, name: A, kind: government}\nlevers:\n"
                    "  - {id: duty, kind: tariff, name: duty}\nevents:\n" + "".join(f"  - {e}\n" for e in events),
                    encoding="utf-8")
    graph = read_graph(timeline=read_timeline([path]))
    from parley.graph.audit import audit

    [points] = [[p[:2] for p in s["points"]] for s in audit(graph).series["levers"]]
    assert points == [["2025-04-09", 34], ["2025-05-14", 10], ["2025-08-12", 34]]
    during, after = state(graph, "duty", "2025-06-01"), state(graph, "duty", "2025-09-01")
    assert (during.status, during.current.rate, during.resumed) == ("reduced", 10, False)
    assert (after.status, after.current.rate, after.current.event, after.resumed) == ("in-force", 34, "i1", True)
    text = lever_states(graph, lever="duty", on="2025-09-01").to_text()
    assert "resumed on 2025-08-12 when the reduction set by r1 ended" in text


def test_the_next_change_during_a_temporary_state_is_what_comes_back(tmp_path):
    """A paused threat does not come back, so it is not next; an order the pause overtook, to take effect
    after the pause, is."""
    ev = "{{id: {}, date: {}, type: {}, actors: [a], lever: {}{}, summary: s}}"
    events = [ev.format("t1", "2025-01-02", "threat", "levy", ", rate: 10"),
              ev.format("p1", "2025-01-20", "reprieve", "levy", ", until: 2025-02-20"),
              ev.format("i2", "2025-01-10", "tariff-imposition", "duty", ", rate: 25, effective: 2025-04-01"),
              ev.format("p2", "2025-01-20", "reprieve", "duty", ", until: 2025-03-01")]
    path = tmp_path / "next.yaml"
    path.write_text("timeline: {id: next}\nactors:\n  - {id: a, name: A, kind: government}\nlevers:\n"
                    + "".join(f"  - {{id: {lv}, kind: tariff, name: {lv}}}\n" for lv in ("levy", "duty"))
                    + "events:\n" + "".join(f"  - {e}\n" for e in events), encoding="utf-8")
    graph = read_graph(timeline=read_timeline([path]))
    assert state(graph, "levy", "2025-02-01").next is None
    duty = state(graph, "duty", "2025-02-01")
    assert (duty.status, duty.next.event, duty.next.valid_from) == ("paused", "i2", dt.date(2025, 4, 1))


def test_a_graph_without_events_has_no_date_to_default_to(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: person, country: AA}\n"
                    "levers:\n  - {id: l, kind: tariff, name: L, imposed_by: a}\n", encoding="utf-8")
    result = run("--all", "--timeline", str(path))
    assert result.exit_code == 0 and result.output.splitlines()[0] == "Lever state on no date (the graph has no events)"
    result = run("l", "--timeline", str(path))
    assert result.output.splitlines()[0] == "l (L) on no date (the graph has no events)"
