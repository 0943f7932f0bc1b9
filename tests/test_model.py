"""The timeline model: vocabularies, groups, dates, and what equality means."""

from __future__ import annotations

import datetime as dt

import pytest

from parley.events.model import (
    CONFIDENCE_LEVELS, EVENT_TYPES, GROUPS, RELATIONS, Actor, DateSpec, Event, Link, Loc, Timeline, group_of,
)

D = dt.date


def test_every_event_type_in_design_is_in_the_model():
    design = ("call visit meeting statement threat tariff-imposition tariff-increase tariff-reduction reprieve "
              "exemption extension agreement commitment troop-deployment lab-raid seizure arrest extradition "
              "designation statistic ruling countermeasure").split()
    assert sorted(EVENT_TYPES) == sorted(design)
    assert sorted(RELATIONS) == sorted(["causes", "enables", "prevents", "in-response-to", "in-exchange-for",
                                        "conditional-on", "delivered-by"])


@pytest.mark.parametrize("event_type, group", [
    ("threat", "pressure"), ("tariff-imposition", "pressure"), ("tariff-increase", "pressure"),
    ("reprieve", "relief"), ("exemption", "relief"), ("extension", "relief"), ("tariff-reduction", "relief"),
    ("troop-deployment", "security"), ("lab-raid", "security"), ("seizure", "security"), ("arrest", "security"),
    ("extradition", "security"), ("designation", "security"), ("statistic", "statistics"),
    ("call", "diplomacy"), ("commitment", "diplomacy"), ("agreement", "diplomacy"), ("ruling", "diplomacy"),
])
def test_group_of(event_type, group):
    assert group_of(event_type) == group


def test_groups_are_disjoint_and_closed():
    seen = [t for types in GROUPS.values() for t in types]
    assert len(seen) == len(set(seen))
    assert set(seen) <= set(EVENT_TYPES)


def test_datespec_text_by_precision():
    assert str(DateSpec.day(D(2025, 2, 1))) == "2025-02-01"
    assert str(DateSpec(D(2025, 2, 1), D(2025, 2, 28), "month")) == "2025-02"
    assert str(DateSpec(D(2025, 1, 14), D(2025, 1, 15), "range")) == "2025-01-14..2025-01-15"


def _event(**kw) -> Event:
    base = dict(id="e", date=DateSpec.day(D(2025, 1, 10)), type="tariff-imposition", summary="s", actors=("a",))
    return Event(**{**base, **kw})


def test_event_starts_on_effective_date_else_earliest():
    assert _event().starts == D(2025, 1, 10)
    assert _event(effective=D(2025, 1, 15)).starts == D(2025, 1, 15)
    month = DateSpec(D(2025, 2, 1), D(2025, 2, 28), "month")
    assert _event(date=month).starts == D(2025, 2, 1)
    assert _event(type="reprieve").group == "relief"


def test_confidence_value_maps_words_and_keeps_numbers():
    link = Link("l", "a", "b", "causes", confidence="medium")
    assert link.confidence_value == CONFIDENCE_LEVELS["medium"]
    assert Link("l", "a", "b", "causes", confidence=0.25).confidence_value == 0.25
    assert Link("l", "a", "b", "causes").confidence_value is None
    assert CONFIDENCE_LEVELS["low"] < CONFIDENCE_LEVELS["medium"] < CONFIDENCE_LEVELS["high"] <= 1


def test_equality_ignores_where_things_were_written():
    a = Actor("x", "X", "person", loc=Loc("a.yaml", 3))
    b = Actor("x", "X", "person", loc=Loc("b.yaml", 9))
    assert a == b
    assert _event(loc=Loc("a.yaml", 1)) == _event(loc=Loc("b.yaml", 2))
    assert Timeline("t", files=("a.yaml",)) == Timeline("t", files=("b.yaml",))
    assert str(Loc("a.yaml", 3)) == "a.yaml:3"


def test_iri_base_defaults_to_w3id():
    assert Timeline("t").iri_base == "https://w3id.org/parley/timeline/t/"
    assert Timeline("t", base="https://example.org/t#").iri_base == "https://example.org/t#"


def test_loc_of_finds_every_kind_of_id():
    t = Timeline(
        "t",
        actors={"a": Actor("a", "A", "person", loc=Loc("f", 1))},
        events={"e": _event(id="e", loc=Loc("f", 5))},
        links=[Link("l", "e", "e", "causes", loc=Loc("f", 9))],
    )
    assert t.loc_of("a") == Loc("f", 1)
    assert t.loc_of("e") == Loc("f", 5)
    assert t.loc_of("l") == Loc("f", 9)
    assert t.loc_of("nothing") is None
