"""The bundled us-mexico-2025 timeline: it loads, validates clean, is sourced, and says what the fact sheet says.

The spot checks pin facts from shared/data/us-mexico-2025-facts.md; the lever checks pin the states the
outcome rules derive from them on given days.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.events.model import GROUPS
from parley.events.outcomes import outcomes
from parley.events.read import bundled_paths, read_timeline

D = dt.date


@pytest.fixture(scope="module")
def t():
    return read_timeline(bundled_paths())


def only(items, what: str):
    items = list(items)
    assert len(items) == 1, f"expected one {what}, found {[getattr(i, 'id', i) for i in items]}"
    return items[0]


def events_on(t, day: dt.date, etype: str, lever: str | None = None):
    return [e for e in t.events.values()
            if e.type == etype and e.date.earliest == day and (lever is None or e.lever == lever)]


def state_on(t, lever: str, day: dt.date):
    """The outcome of `lever` that holds on `day` (valid_from <= day < valid_until), or None."""
    holding = [o for o in outcomes(t) if o.lever == lever and o.status is not None
               and o.valid_from <= day and (o.valid_until is None or day < o.valid_until)]
    return holding[-1] if holding else None


# --- it loads and validates ---------------------------------------------------------------------------------

def test_bundled_files_are_split_by_period_with_one_header_id():
    paths = bundled_paths()
    assert len(paths) >= 2
    assert paths[0].name.startswith("00-")
    assert all(p.suffix == ".yaml" for p in paths)


def test_bundled_timeline_loads(t):
    assert t.id == "us-mexico-2025"
    assert t.title and t.base == "https://w3id.org/parley/timeline/us-mexico-2025/"
    assert len(t.events) >= 55
    days = sorted(e.date.earliest for e in t.events.values())
    assert days[0] == D(2024, 11, 25)
    assert max(e.date.latest for e in t.events.values()) == D(2026, 1, 31)  # the lab count to 31 January 2026


def test_validate_on_the_bundled_timeline_exits_0():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "ok, no findings" in result.output


def test_validate_json_reports_ok():
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["findings"] == []


# --- sources and references -----------------------------------------------------------------------------------

def test_every_event_and_link_has_a_web_source(t):
    # (one address the fact sheet gives is http://: kept as given, not guessed at as https://)
    web = ("https://", "http://")
    for e in t.events.values():
        assert any(s.url.startswith(web) for s in e.sources), f"event {e.id} has no web source"
    for link in t.links:
        assert any(s.url.startswith(web) for s in link.sources), f"link {link.id} has no web source"


def test_no_source_url_is_abbreviated(t):
    sources = [s for e in t.events.values() for s in e.sources] + [s for link in t.links for s in link.sources]
    for s in sources:
        assert "..." not in s.url and "…" not in s.url, s.url


def test_every_referenced_id_exists(t):
    for lever in t.levers.values():
        assert lever.imposed_by in t.actors and lever.target in t.actors, lever.id
    for e in t.events.values():
        for a in (*e.actors, *e.targets):
            assert a in t.actors, f"{e.id}: unknown actor {a}"
        assert e.lever is None or e.lever in t.levers, f"{e.id}: unknown lever {e.lever}"
    for link in t.links:
        assert link.cause in t.events and link.effect in t.events, link.id
        assert link.claimed_by in t.actors, link.id
        assert all(a in t.actors for a in link.disputed_by), link.id
    assert set(t.levers) == {e.lever for e in t.events.values() if e.lever}, "a lever no event moves"


def test_every_link_runs_forward_in_time_and_is_claimed(t):
    for link in t.links:
        cause, effect = t.events[link.cause], t.events[link.effect]
        assert cause.date.earliest <= effect.date.earliest, link.id
        assert link.claimed_by and link.confidence is not None and link.evidence, link.id


def test_groups_carry_what_the_audit_needs(t):
    mexican = {a for a, actor in t.actors.items() if actor.country == "MX"}
    for e in t.events.values():
        if e.type in GROUPS["relief"]:
            assert e.lever, f"relief {e.id} names no lever"
        if e.type in ("tariff-imposition", "tariff-increase"):
            assert e.lever and e.rate is not None, f"tariff {e.id} needs lever and rate"
        if e.type in GROUPS["security"] and e.type != "designation":
            assert e.actors and set(e.actors) <= mexican, f"{e.id}: Mexico's security action needs Mexican actors"
        if e.type == "commitment":
            assert e.promises, e.id


# --- spot checks against the fact sheet ------------------------------------------------------------------------

def test_the_3_february_pause_runs_to_4_march(t):
    pause = only(events_on(t, D(2025, 2, 3), "reprieve", "ieepa-mx"), "3 February reprieve")
    assert pause.until == D(2025, 3, 4)
    assert pause.actors == ("trump",)


def test_10000_troops_pledged_granted_the_pause_and_were_deployed(t):
    pledge = only((e for e in events_on(t, D(2025, 2, 3), "commitment") if e.promises == "troop-deployment"),
                  "troop pledge")
    assert pledge.quantity["troops"] == 10000
    pause = only(events_on(t, D(2025, 2, 3), "reprieve", "ieepa-mx"), "3 February reprieve")
    granted = only((lk for lk in t.links if lk.cause == pledge.id and lk.effect == pause.id), "pledge claim")
    assert granted.relation == "in-exchange-for" and granted.claimed_by == "trump"
    assert "In recognition of the steps taken by the Government of Mexico" in granted.evidence
    delivered = sorted(t.events[lk.effect].date.earliest for lk in t.links
                       if lk.cause == pledge.id and lk.relation == "delivered-by")
    assert delivered == [D(2025, 2, 4), D(2025, 2, 5)]


def test_the_us_gun_pledge_is_mexico_s_claim_only(t):
    gun = only((lk for lk in t.links if lk.effect.startswith("us-gun-pledge")), "gun-pledge claim")
    assert t.actors[gun.claimed_by].country == "MX"
    assert gun.disputed_by == ()  # Trump was silent, not denying
    assert gun.confidence == "low"


def test_29_and_26_persons_transferred(t):
    transfers = sorted((e for e in t.events.values() if e.type == "extradition"), key=lambda e: e.date.earliest)
    assert [e.quantity["persons"] for e in transfers] == [29, 26]
    first, second = transfers
    # 27 vs 28 February: the sources disagree, so the date is a range.
    assert (first.date.precision, first.date.earliest, first.date.latest) == ("range", D(2025, 2, 27), D(2025, 2, 28))
    assert second.date.earliest == D(2025, 8, 12)
    assert any(lk.effect == second.id and lk.relation == "conditional-on" for lk in t.links)


def test_the_first_transfer_is_not_linked_to_tariff_relief(t):
    first = only((e for e in t.events.values() if e.type == "extradition" and e.quantity.get("persons") == 29),
                 "first transfer")
    assert not [lk for lk in t.links if first.id in (lk.cause, lk.effect)]


def test_the_6_march_exemption_is_linked_from_the_fentanyl_figures(t):
    exemption = only(events_on(t, D(2025, 3, 6), "exemption", "ieepa-mx"), "6 March exemption")
    assert exemption.effective == D(2025, 3, 7) and exemption.until == D(2025, 4, 2)
    figures = [t.events[c] for c in sorted({lk.cause for lk in t.links if lk.effect == exemption.id})]
    stat = only((e for e in figures if e.type == "statistic"), "fentanyl statistic")
    assert stat.date.earliest == D(2025, 3, 6)
    assert stat.quantity["percent_decrease"] == 41.5
    assert (stat.quantity["fentanyl_kg_january"], stat.quantity["fentanyl_kg_february"]) == (450, 263)


def test_steel_and_aluminium_went_from_25_to_50_on_4_june(t):
    before, after = state_on(t, "s232-steel-aluminum", D(2025, 6, 3)), state_on(t, "s232-steel-aluminum", D(2025, 6, 4))
    assert (before.status, before.rate) == ("in-force", 25)
    assert (after.status, after.rate) == ("in-force", 50)
    assert state_on(t, "s232-steel-aluminum", D(2025, 6, 10)).rate == 50
    assert any(e.type == "tariff-increase" and e.date.earliest == D(2025, 6, 4) and e.rate == 50
               for e in t.events.values())


def test_the_31_july_extension_is_90_days_and_disputed(t):
    ext = only(events_on(t, D(2025, 7, 31), "extension"), "31 July extension")
    assert ext.lever == "ieepa-mx-30"
    assert ext.until == D(2025, 10, 30)  # the fact sheet's end of the 90-day window (31 July + 90 is the 29th)
    disputed = only((lk for lk in t.links if lk.effect == ext.id and lk.disputed_by), "disputed claim")
    assert disputed.claimed_by == "trump" and "sheinbaum" in disputed.disputed_by


def test_the_12_december_water_agreement_averts_the_5_percent_threat(t):
    threat = only(events_on(t, D(2025, 12, 8), "threat", "water-tariff"), "water threat")
    assert threat.rate == 5
    agreement = only(events_on(t, D(2025, 12, 12), "agreement", "water-tariff"), "water agreement")
    assert agreement.quantity["acre_feet"] == 202000
    assert state_on(t, "water-tariff", D(2025, 12, 10)).status == "threatened"
    assert state_on(t, "water-tariff", D(2025, 12, 20)).status == "withdrawn"


def test_lever_states_on_key_days(t):
    assert state_on(t, "ieepa-mx", D(2025, 2, 10)).status == "paused"
    march = state_on(t, "ieepa-mx", D(2025, 3, 10))
    assert (march.status, march.rate) == ("in-force", 25) and march.scope.startswith("non-USMCA")
    assert state_on(t, "ieepa-mx-30", D(2025, 7, 20)).status == "threatened"
    assert state_on(t, "ieepa-mx-30", D(2025, 8, 15)).status == "paused"
    assert not [o for o in outcomes(t) if o.lever == "ieepa-mx-30" and o.status == "in-force"], "30 % never imposed"


def test_uncertain_dates_are_ranges(t):
    ranged = {e.id: (e.date.earliest, e.date.latest) for e in t.events.values() if e.date.precision == "range"}
    spans = set(ranged.values())
    assert (D(2025, 2, 6), D(2025, 2, 20)) in spans      # FTO designation: notice vs publication
    assert (D(2025, 3, 12), D(2025, 3, 13)) in spans     # steel and aluminium start
    assert (D(2025, 7, 11), D(2025, 7, 12)) in spans     # the 30 % letter
    assert (D(2025, 10, 23), D(2025, 10, 25)) in spans   # late-October call
    for ident in ranged:
        assert t.events[ident].note, f"{ident}: a range needs a note saying who says what"


def test_lab_series_grows_and_trade_figures_are_the_verified_ones(t):
    labs = [e.quantity["labs"] for e in sorted(t.events.values(), key=lambda e: e.date.earliest)
            if e.type == "statistic" and "labs" in e.quantity]
    assert labs == [329, 475, 644, 750, 915, 1193, 1887, 2000]
    quantities = [v for e in t.events.values() for v in e.quantity.values()]
    assert 79.442 not in quantities and 16.6 not in quantities  # the seed article's unverified figures
    assert 79.4 in quantities and 96.21 in quantities and 16.7 in quantities


def test_actors_have_kind_and_country(t):
    for a in t.actors.values():
        assert a.kind
        if a.kind != "criminal-group" and a.kind != "organization":
            assert a.country, a.id
