"""Deriving outcomes: the state of a lever after each event, and when that state holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from parley.events.model import Actor, DateSpec, Event, Lever, Timeline
from parley.events.outcomes import Outcome, event_order, outcomes
from parley.events.read import read_timeline

D = dt.date
SMALL = Path(__file__).parent / "data" / "small.yaml"


def ev(ident, day, etype, *, lever="duty", **kw) -> Event:
    return Event(ident, DateSpec.day(day), etype, "s", ("a",), lever=lever, **kw)


def timeline(*events: Event, scope="all goods") -> Timeline:
    return Timeline(
        "t", actors={"a": Actor("a", "A", "person")},
        levers={"duty": Lever("duty", "tariff", "Duty", scope=scope), "guard": Lever("guard", "troop-deployment", "G")},
        events={e.id: e for e in events})


def states(t: Timeline) -> dict[str, tuple]:
    return {o.event: (o.status, o.rate, o.valid_from, o.valid_until) for o in outcomes(t)}


def test_small_timeline_outcomes():
    got = {o.event: o for o in outcomes(read_timeline([SMALL]))}
    assert got["threat-1"] == Outcome("threat-1", "duty", "threatened", 20, "all goods", D(2025, 1, 5), D(2025, 1, 13))
    # Paused on the 13th, before it took effect on the 15th: the in-force state never held.
    assert got["impose-1"] == Outcome("impose-1", "duty", "in-force", 20, "all goods", D(2025, 1, 15), D(2025, 1, 15))
    assert got["pause-1"] == Outcome("pause-1", "duty", "paused", 20, "all goods", D(2025, 1, 13), D(2025, 2, 13))
    assert got["exempt-1"] == Outcome("exempt-1", "duty", "in-force", 20, "goods outside the trade pact",
                                      D(2025, 3, 6), D(2025, 4, 1))
    assert got["extend-1"] == Outcome("extend-1", "duty", "paused", 20, "goods outside the trade pact",
                                      D(2025, 4, 1), D(2025, 6, 30))
    assert got["deploy-1"].status == "in-force" and got["deploy-1"].quantity == {"troops": 5000}
    # A lever-less security action with a quantity: an outcome without a state.
    assert got["raid-1"] == Outcome("raid-1", None, None, None, None, D(2025, 2, 1), None, {"labs": 3})
    # Statistics and commitments change no lever.
    assert "stats-1" not in got and "pledge-1" not in got


def test_outcomes_come_in_event_order():
    t = read_timeline([SMALL])
    order = [e.id for e in sorted(t.events.values(), key=event_order)]
    got = [o.event for o in outcomes(t)]
    assert got == [i for i in order if i in got]


def test_a_state_holds_until_the_next_change_takes_effect():
    t = timeline(ev("t1", D(2025, 1, 1), "threat", rate=25),
                 ev("i1", D(2025, 2, 1), "tariff-imposition", rate=25, effective=D(2025, 2, 4)),
                 ev("r1", D(2025, 3, 1), "tariff-reduction", rate=10))
    assert states(t) == {
        "t1": ("threatened", 25, D(2025, 1, 1), D(2025, 2, 4)),
        "i1": ("in-force", 25, D(2025, 2, 4), D(2025, 3, 1)),
        "r1": ("reduced", 10, D(2025, 3, 1), None),
    }


def test_a_pause_ends_at_its_until_or_the_next_change_whichever_is_first():
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("p1", D(2025, 2, 1), "reprieve", until=D(2025, 3, 1)),
                 ev("x1", D(2025, 2, 20), "extension", until=D(2025, 4, 1)))
    assert states(t) == {
        "i1": ("in-force", 25, D(2025, 1, 1), D(2025, 2, 1)),
        "p1": ("paused", 25, D(2025, 2, 1), D(2025, 2, 20)),
        "x1": ("paused", 25, D(2025, 2, 20), D(2025, 4, 1)),
    }


def test_reduction_to_zero_withdraws_and_exemption_without_rate_exempts():
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("x1", D(2025, 2, 1), "exemption"),
                 ev("r1", D(2025, 3, 1), "tariff-reduction", rate=0))
    assert states(t) == {
        "i1": ("in-force", 25, D(2025, 1, 1), D(2025, 2, 1)),
        "x1": ("exempted", 25, D(2025, 2, 1), D(2025, 3, 1)),
        "r1": ("withdrawn", 0, D(2025, 3, 1), None),
    }


def test_exemption_with_rate_keeps_the_rest_in_force_on_its_scope():
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("x1", D(2025, 2, 1), "exemption", rate=10, scope="energy"))
    (first, second) = outcomes(t)
    assert (first.scope, second.status, second.rate, second.scope) == ("all goods", "in-force", 10, "energy")


def test_an_agreement_withdraws_a_threat_but_not_a_tariff_in_force():
    threatened = timeline(ev("t1", D(2025, 1, 1), "threat", rate=5), ev("g1", D(2025, 1, 9), "agreement"))
    assert states(threatened)["g1"] == ("withdrawn", 5, D(2025, 1, 9), None)
    in_force = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=5), ev("g1", D(2025, 1, 9), "agreement"))
    assert "g1" not in states(in_force)


def test_a_threat_does_not_lower_a_tariff_in_force():
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25), ev("t1", D(2025, 2, 1), "threat", rate=30))
    assert states(t) == {"i1": ("in-force", 25, D(2025, 1, 1), None)}


def test_levers_are_independent_and_events_without_a_lever_change_none():
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("d1", D(2025, 1, 5), "troop-deployment", lever="guard", quantity={"troops": 100}),
                 ev("c1", D(2025, 1, 6), "call", lever=None),
                 ev("s1", D(2025, 1, 7), "seizure", lever=None))
    got = {o.event: o for o in outcomes(t)}
    assert set(got) == {"i1", "d1"}
    assert got["i1"].valid_until is None
    assert (got["d1"].lever, got["d1"].status, got["d1"].quantity) == ("guard", "in-force", {"troops": 100})


def test_ties_on_the_same_day_break_by_id():
    t = timeline(ev("b", D(2025, 1, 1), "tariff-imposition", rate=25), ev("a", D(2025, 1, 1), "threat", rate=25))
    # 'a' (the threat) comes first, so the imposition is the state that remains.
    assert states(t) == {"a": ("threatened", 25, D(2025, 1, 1), D(2025, 1, 1)),
                         "b": ("in-force", 25, D(2025, 1, 1), None)}


def test_valid_until_never_precedes_valid_from():
    t = read_timeline([SMALL])
    for o in outcomes(t):
        assert o.valid_until is None or o.valid_until >= o.valid_from, o


def test_a_threat_during_or_after_a_pause_of_a_tariff_in_force_changes_nothing():
    # During the pause it would end the pause; after it, the tariff the pause suspended is in force again (what
    # `parley state` and the audit read), and a threat does not lower a tariff in force.
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("p1", D(2025, 2, 1), "reprieve", until=D(2025, 3, 4)),
                 ev("t1", D(2025, 2, 24), "threat", rate=25),
                 ev("t2", D(2025, 3, 10), "threat", rate=25))
    assert states(t) == {
        "i1": ("in-force", 25, D(2025, 1, 1), D(2025, 2, 1)),
        "p1": ("paused", 25, D(2025, 2, 1), D(2025, 3, 4)),
    }


def test_a_threat_after_the_pause_of_a_threat_threatens_again():
    t = timeline(ev("t0", D(2025, 1, 1), "threat", rate=25),
                 ev("p1", D(2025, 2, 1), "reprieve", until=D(2025, 3, 4)),
                 ev("t2", D(2025, 3, 10), "threat", rate=30))
    assert states(t)["t2"] == ("threatened", 30, D(2025, 3, 10), None)


def test_a_threat_after_a_pause_threatens_when_what_it_suspended_ran_out_meanwhile():
    # The tariff was to end on 20 February, during the pause: after the pause nothing is in force, so a threat
    # threatens. After an exemption that left 10 % on part of the goods, the tariff it suspended is in force
    # again, and a threat changes nothing.
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25, until=D(2025, 2, 20)),
                 ev("p1", D(2025, 2, 1), "reprieve", until=D(2025, 3, 4)),
                 ev("t1", D(2025, 3, 10), "threat", rate=30))
    assert states(t)["t1"] == ("threatened", 30, D(2025, 3, 10), None)
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("x1", D(2025, 2, 1), "exemption", rate=10, until=D(2025, 3, 4)),
                 ev("t1", D(2025, 3, 10), "threat", rate=30))
    assert "t1" not in states(t)


def test_a_threat_after_a_lapse_leaves_an_order_to_come_and_a_pause_still_running():
    # An order signed before the pause, to take effect after it: it is to come, and a threat does not cancel it.
    t = timeline(ev("i1", D(2025, 1, 10), "tariff-imposition", rate=25, effective=D(2025, 4, 1)),
                 ev("p1", D(2025, 1, 20), "reprieve", until=D(2025, 3, 1)),
                 ev("t1", D(2025, 3, 10), "threat", rate=30))
    assert "t1" not in states(t)
    # A pause inside a longer pause ran out: the longer one still runs, and a threat does not end it.
    t = timeline(ev("i1", D(2025, 1, 10), "tariff-imposition", rate=25),
                 ev("p1", D(2025, 2, 1), "reprieve", until=D(2025, 4, 1)),
                 ev("p2", D(2025, 2, 15), "extension", until=D(2025, 3, 1)),
                 ev("t1", D(2025, 3, 10), "threat", rate=30))
    assert "t1" not in states(t)


def test_a_threat_during_a_temporary_cut_to_nothing_changes_nothing():
    # The cut to 0 withdraws the tariff until 12 August; a threat meanwhile does not stop it coming back.
    t = timeline(ev("i1", D(2025, 4, 9), "tariff-imposition", rate=34),
                 ev("r1", D(2025, 5, 14), "tariff-reduction", rate=0, until=D(2025, 8, 12)),
                 ev("t1", D(2025, 6, 1), "threat", rate=50))
    assert "t1" not in states(t)
    assert states(t)["r1"] == ("withdrawn", 0, D(2025, 5, 14), D(2025, 8, 12))


def test_a_threat_after_a_pause_inside_a_temporary_cut_changes_nothing():
    # The cut to 0 runs until 1 August; a pause inside it ran out on 1 March: the cut still runs.
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("r1", D(2025, 2, 1), "tariff-reduction", rate=0, until=D(2025, 8, 1)),
                 ev("p1", D(2025, 2, 15), "reprieve", until=D(2025, 3, 1)),
                 ev("t1", D(2025, 3, 10), "threat", rate=30))
    assert "t1" not in states(t)


def test_an_event_after_a_lapse_starts_from_what_came_back():
    # A 10-day exemption leaving 25 % on part of the goods ran out: the tariff on all goods came back, and the
    # later cut applies to all goods; a cut without a rate cuts the rate that came back.
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("x1", D(2025, 2, 1), "exemption", rate=10, scope="non-pact goods", until=D(2025, 2, 10)),
                 ev("r1", D(2025, 3, 1), "tariff-reduction", rate=15),
                 ev("x2", D(2025, 4, 1), "exemption", scope="pact goods", until=D(2025, 4, 10)),
                 ev("p1", D(2025, 5, 1), "reprieve"))
    got = {o.event: (o.status, o.rate, o.scope) for o in outcomes(t)}
    assert got["x1"] == ("in-force", 10, "non-pact goods")
    assert got["r1"] == ("reduced", 15, "all goods")
    assert got["x2"] == ("exempted", 15, "pact goods")
    assert got["p1"] == ("paused", 15, "all goods")  # the rate and scope the cut left, which came back
    # nothing came back (a pause with nothing before it): the lever's own scope
    t = timeline(ev("x1", D(2025, 2, 1), "exemption", rate=10, scope="non-pact goods", until=D(2025, 2, 10)),
                 ev("i1", D(2025, 3, 1), "tariff-imposition", rate=20))
    assert {o.event: o.scope for o in outcomes(t)}["i1"] == "all goods"


def test_after_a_lapse_with_nothing_back_an_event_starts_from_nothing():
    # the tariff ran out by its own end: a cut naming no rate has no rate to cut (it collected 25 % before)
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=25, until=D(2025, 2, 1)),
                 ev("r1", D(2025, 3, 1), "tariff-reduction"))
    assert {o.event: (o.status, o.rate) for o in outcomes(t)}["r1"] == ("reduced", None)
    # a paused threat does not come back when the pause runs out: a later agreement withdraws nothing
    t = timeline(ev("t1", D(2025, 1, 1), "threat", rate=25),
                 ev("p1", D(2025, 1, 10), "reprieve", until=D(2025, 2, 1)),
                 ev("a1", D(2025, 3, 1), "agreement"))
    assert "a1" not in states(t)


def test_a_withdrawn_threat_does_not_come_back_and_a_cut_of_a_threat_cuts_no_rate():
    # a threat withdrawn by an agreement, a pause that ran out: nothing comes back; a later cut naming no rate
    # has none to cut (it took the withdrawn threat's 30 % on cars)
    t = timeline(ev("t1", D(2025, 1, 1), "threat", rate=30, scope="cars"),
                 ev("a1", D(2025, 1, 10), "agreement"),
                 ev("p1", D(2025, 1, 20), "reprieve", until=D(2025, 2, 1)),
                 ev("r1", D(2025, 2, 10), "tariff-reduction"))
    got = {o.event: (o.status, o.rate, o.scope) for o in outcomes(t)}
    assert got["a1"] == ("withdrawn", 30, "cars") and got["r1"] == ("reduced", None, "all goods")
    # nor does a cut of a lever only threatened take the threat's rate
    t = timeline(ev("t1", D(2025, 1, 1), "threat", rate=30), ev("r1", D(2025, 2, 10), "tariff-reduction"))
    assert {o.event: o.rate for o in outcomes(t)}["r1"] is None


def test_a_cut_naming_no_rate_cuts_a_tariff_not_a_paused_threat_and_a_pause_of_a_threat_extends():
    # a paused (or exempted) threat is no tariff collected: a cut naming no rate has no rate to cut
    for relief in ("reprieve", "exemption"):
        t = timeline(ev("t1", D(2025, 1, 1), "threat", rate=30),
                     ev("p1", D(2025, 1, 10), relief),
                     ev("r1", D(2025, 3, 1), "tariff-reduction"))
        assert {o.event: o.rate for o in outcomes(t)}["r1"] is None
    # a paused tariff is: the cut takes its rate
    t = timeline(ev("i1", D(2025, 1, 1), "tariff-imposition", rate=30),
                 ev("p1", D(2025, 1, 10), "reprieve"),
                 ev("r1", D(2025, 3, 1), "tariff-reduction"))
    assert {o.event: o.rate for o in outcomes(t)}["r1"] == 30
    # an extension of a threat's pause, on the day it ends or after, pauses it again at its rate
    for day in (D(2025, 2, 1), D(2025, 2, 15)):
        t = timeline(ev("t1", D(2025, 1, 1), "threat", rate=30),
                     ev("p1", D(2025, 1, 10), "reprieve", until=D(2025, 2, 1)),
                     ev("e1", day, "extension", until=D(2025, 4, 1)))
        assert states(t)["e1"] == ("paused", 30, day, D(2025, 4, 1))


def test_a_cut_naming_no_rate_before_an_increase_takes_effect_cuts_what_is_in_force():
    t = timeline(ev("imp", D(2025, 1, 1), "tariff-imposition", rate=25),
                 ev("up", D(2025, 3, 1), "tariff-increase", rate=30, effective=D(2025, 4, 1)),
                 ev("cut", D(2025, 3, 10), "tariff-reduction", scope="pact goods"))
    # the cut overtakes the increase (which never holds) and cuts the 25 % in force, not the 30 % to come
    assert states(t) == {
        "imp": ("in-force", 25, D(2025, 1, 1), D(2025, 3, 10)),
        "up": ("in-force", 30, D(2025, 4, 1), D(2025, 4, 1)),
        "cut": ("reduced", 25, D(2025, 3, 10), None),
    }
    # a pause of a tariff still to come pauses it as announced
    t = timeline(ev("imp", D(2025, 1, 1), "tariff-imposition", rate=25, effective=D(2025, 2, 1)),
                 ev("p", D(2025, 1, 15), "reprieve"))
    assert states(t)["p"] == ("paused", 25, D(2025, 1, 15), None)
