"""Derive each event's outcome: the state of its lever after it, and when that state holds.

The timeline need not spell outcomes out; they follow from type, rate, scope, effective and until:

- threat -> threatened (unless the lever is in force, or suspended by a pause, an exemption or a temporary
  reduction that still runs or that ran out with what it suspended in force again or to come (see
  resumed_schedule): a threat neither lowers a tariff nor ends a pause; it is the threat's own later events
  that change the state)
- tariff-imposition, tariff-increase -> in-force at the rate, from `effective`
- reprieve, extension -> paused until `until` (open-ended without one)
- exemption -> exempted; with a rate above 0, in-force at that rate on the remaining `scope` (until `until`)
- tariff-reduction -> reduced to the rate (withdrawn at 0); with an `until`, until then
- agreement on a threatened lever -> withdrawn (the threat averted)
- a security action on a lever -> in-force (a deployment under way, a designation in effect)

An event after a state that ran out by its own `until` starts from what came back (resumed_schedule): a
reduction without a rate cuts the rate that came back, on its scope, not the lapsed exemption's; one that takes
effect before the last change does (which it overtakes), what was in effect that day.

Each state holds from the day the event takes effect until the earlier of its own `until` and the first day
a later event on the same lever takes effect (an empty interval when that comes first: the state never held). Security actions with quantities yield an outcome without a lever
state, carrying the quantities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .model import GROUPS, Event, Lever, Timeline

STATEFUL = {
    "threat", "tariff-imposition", "tariff-increase", "reprieve", "extension", "exemption", "tariff-reduction",
    "agreement", *GROUPS["security"],
}


@dataclass(frozen=True)
class Outcome:
    event: str
    lever: str | None
    status: str | None
    rate: float | None
    scope: str | None
    valid_from: dt.date
    valid_until: dt.date | None
    quantity: dict = field(default_factory=dict, hash=False)


def event_order(e: Event):
    """Date order with ties broken by id, the same everywhere events are sorted."""
    return (e.date.earliest, e.date.latest, e.id)


def outcomes(timeline: Timeline) -> list[Outcome]:
    """Every outcome of the timeline, in event order."""
    facts = [EventFacts(e) for e in timeline.events.values() if bears_outcome(e)]
    order = {f.id: f.order for f in facts}
    return sorted(outcomes_of(facts, timeline.levers), key=lambda o: order[o.event])


def bears_outcome(e: Event) -> bool:
    """Whether an event may have an outcome: the only events `outcomes_of` needs to see."""
    return bool(e.lever) and e.type in STATEFUL or e.type in GROUPS["security"] and bool(e.quantity)


class EventFacts:
    """What the outcomes need of an event. A builder that streams events keeps these, not the events (a tenth
    of the memory: no summary, actors or sources)."""

    __slots__ = ("id", "type", "lever", "rate", "scope", "until", "starts", "order", "quantity")

    def __init__(self, e: Event):
        self.id, self.type, self.lever, self.rate, self.scope, self.until = e.id, e.type, e.lever, e.rate, e.scope, e.until
        self.starts = e.starts
        self.order = event_order(e)
        self.quantity = e.quantity if e.quantity else _NONE


_NONE: dict = {}


def outcomes_of(facts: Iterable[EventFacts], levers: Mapping[str, Lever]) -> Iterator[Outcome]:
    """The outcomes of these events, lever by lever (not in event order); `facts` may be only the events that
    `bears_outcome`, the rest change nothing."""
    by_lever: dict[str, list[EventFacts]] = {}
    loose = []
    for e in sorted(facts, key=lambda f: f.order):
        if e.lever and e.type in STATEFUL:
            by_lever.setdefault(e.lever, []).append(e)
        elif e.type in GROUPS["security"] and e.quantity:
            loose.append(e)
    for lever, events in by_lever.items():
        status = rate = None
        scope = lever_scope = levers[lever].scope if lever in levers else None
        changes = []
        made: list[_Made] = []  # the changes so far, as resumed_schedule reads them
        for e in events:
            last = made[-1] if made else None
            if last is not None and last.valid_from > e.starts and e.type == "tariff-reduction" and e.rate is None:
                # The last change had not taken effect when this cut does: the cut overtakes it (it never holds)
                # and, naming no rate, cuts what was in effect that day: the 25 % in force, not the 30 % still
                # to come. (A pause of a tariff still to come pauses it as announced.)
                last = in_effect(made, e.starts)
                if last is not None:
                    status, rate, scope = last.status, last.rate, last.scope
                else:
                    status, rate, scope = None, None, lever_scope
            if last is not None and last.own_until is not None and last.own_until <= e.starts:
                # The last change ran out by its own end before this event: the event starts from what came back
                # (what a suspension suspended, at its rate and on its scope), or from nothing. Not from the
                # lapsed change: a cut after a 10-day exemption on part of the goods applies to all of them.
                held = in_effect(made[:-1], e.starts) if last.suspends else None
                if held is not None and (held.status in RESUMABLE or held.suspends):
                    status, rate, scope = held.status, held.rate, held.scope
                elif e.type in ("reprieve", "extension") and last.status == "paused":
                    # a pause of a threat ran out (the threat does not come back, as `parley state` says): another
                    # pause or an extension pauses it again, at its rate, on its scope
                    status, rate, scope = None, last.rate, last.scope
                else:  # (a suspended threat, or one withdrawn, does not come back)
                    status, rate, scope = None, None, lever_scope
            if e.type == "threat" and last is not None and last.suspends:
                if last.own_until is not None and last.own_until > e.starts:
                    continue  # a threat does not end a pause, an exemption or a temporary cut that still runs
                if last.own_until is None:
                    if status == "paused":
                        continue  # nor an open-ended pause
                else:
                    # the pause, exemption or reduction ran out: what it suspended holds again, as it would have run
                    schedule = resumed_schedule(made[:-1], e.starts, None)
                    held = schedule[0][1]
                    if held is not None and held.suspends:
                        if held.status == "paused" or held.own_until is not None:
                            continue  # an earlier pause, or a temporary state, still runs: a threat does not end it
                    elif any(c is not None and c.status in ("in-force", "reduced") for _, c in schedule):
                        continue  # in force again, or to be (an order the pause overtook): a threat does not lower it
                    status = held.status if held is not None else None
            # a cut naming no rate cuts the tariff collected (in force, or under a pause or exemption), not a threat
            cut_of = rate if e.type != "tariff-reduction" or e.rate is not None or _collects_under(status, made) else None
            new_status, new_rate = _next_state(e, status, cut_of)
            if new_status is not None:
                status, rate, scope = new_status, new_rate, e.scope or scope
                made.append(_Made(e.starts, e.until, suspends(status, e.type), status, rate, scope))
                changes.append((e, status, rate, scope))
        # A later change can take effect before an earlier one does (a pause signed before the tariff's
        # effective date): a state ends when the first later change takes effect, and may never hold at all.
        later_start = None
        for e, status_i, rate_i, scope_i in reversed(changes):
            ends = [d for d in (e.until, later_start) if d is not None]
            until = max(min(ends), e.starts) if ends else None
            yield Outcome(e.id, lever, status_i, rate_i, scope_i, e.starts, until,
                          dict(e.quantity) if e.type in GROUPS["security"] else {})
            later_start = e.starts if later_start is None else min(later_start, e.starts)
    # A security action on a lever always changes it (in force), so the loose ones are exactly those without.
    for e in loose:
        yield Outcome(e.id, e.lever, None, None, None, e.starts, None, dict(e.quantity))


def _collects_under(status: str | None, made: list) -> bool:
    """Whether the lever's state is a tariff collected (in force or reduced), or a pause or exemption of one."""
    if status in RESUMABLE:
        return True
    if status in SUSPENDING:
        for m in reversed(made):
            if not m.suspends:
                return m.status in RESUMABLE
    return False


class _Made:
    """A change as in_effect reads it (outcomes_of's forward pass, before the changes' ends are known)."""

    __slots__ = ("valid_from", "own_until", "suspends", "status", "rate", "scope")

    def __init__(self, valid_from, own_until, suspends_, status, rate, scope):
        self.valid_from, self.own_until, self.suspends, self.status = valid_from, own_until, suspends_, status
        self.rate, self.scope = rate, scope


def _next_state(e: EventFacts, status: str | None, rate: float | None) -> tuple[str | None, float | None]:
    t = e.type
    if t == "threat":
        if status in ("in-force", "exempted", "reduced"):
            return None, None
        return "threatened", e.rate if e.rate is not None else rate
    if t in ("tariff-imposition", "tariff-increase"):
        return "in-force", e.rate if e.rate is not None else rate
    if t in ("reprieve", "extension"):
        return "paused", e.rate if e.rate is not None else rate
    if t == "exemption":
        if e.rate:
            return "in-force", e.rate
        return "exempted", 0 if e.rate == 0 else rate
    if t == "tariff-reduction":
        new = e.rate if e.rate is not None else rate
        return ("withdrawn" if new == 0 else "reduced"), new
    if t == "agreement":
        return ("withdrawn", rate) if status == "threatened" else (None, None)
    if t in GROUPS["security"]:
        return "in-force", e.rate if e.rate is not None else rate
    return None, None


# -- what a suspension suspended ----------------------------------------------------------------------------
#
# A pause (reprieve, extension), a full exemption, an exemption that leaves a rate on part of the goods, or a
# reduction suspends what held before it. When it runs out by its own `until` before the next change (a
# temporary reduction, a 90-day exemption), what it suspended holds again, as it would have run without it.
# `state` (graph/reading.py) and the audit (graph/audit.py) both reckon it here, on their own records of the
# changes: anything with `valid_from`, `own_until` (the event's
# `until`, the end it set itself) and `suspends` (whether it is such a suspension).

SUSPENDING = ("paused", "exempted")
RESUMABLE = ("in-force", "reduced")  # what comes back when a suspension runs out (with a suspension still running)


def suspends(status: str | None, event_type: str | None) -> bool:
    """Whether a change with this status, made by an event of this type, suspends what held before it."""
    return (status in SUSPENDING or event_type == "tariff-reduction"
            or event_type == "exemption" and status in ("in-force", "reduced"))


def in_effect(earlier: list, day: dt.date):
    """The change of `earlier` (in event order) in effect on `day` once a suspension after them has run out:
    the last of them that had taken effect by then, unless that one had run out by its own end too: then what
    it suspended if it was a suspension, or nothing (None)."""
    for c in reversed(earlier):
        if c.valid_from > day:
            continue  # not yet in effect: an imposition the suspension overtook counts from its own date
        if c.own_until is not None and c.own_until <= day:
            if c.suspends:
                continue
            return None
        return c
    return None


def resumed_schedule(earlier: list, start: dt.date, end: dt.date | None) -> list[tuple]:
    """[(day, change or None)]: what a suspension that ran out on `start` had suspended (`earlier`, the changes
    before it in event order), from each day on which that changes, up to `end` (the next change; None: none)."""
    days = {start}
    for c in earlier:
        for d in (c.valid_from, c.own_until):
            if d is not None and start < d and (end is None or d < end):
                days.add(d)
    out: list[tuple] = []
    for day in sorted(days):
        c = in_effect(earlier, day)
        if not out or out[-1][1] is not c:
            out.append((day, c))
    return out
