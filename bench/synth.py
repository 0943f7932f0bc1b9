"""A seedable synthetic negotiation timeline, for benchmarks and scale tests.

    from synth import synthetic_timeline          # with bench/ on sys.path
    timeline = synthetic_timeline(10_000, seed=1)  # exactly 10,000 events

The timeline is a set of countries (a leader, a government and an agency each, plus a few criminal groups),
tariff levers between pairs of countries and a troop-deployment lever per country. Events come in episodes
on one tariff lever, each a small negotiation round in date order:

    call/meeting -> threat -> (imposition | increase) -> commitment promising a security action
      -> relief (reprieve, exemption, extension or reduction) in exchange for the commitment
      -> the security action delivering it -> a later extension in exchange for that action

with causal claims (causes, in-response-to, in-exchange-for, delivered-by, conditional-on, enables,
prevents) running forward in time, claimants, confidences, evidence and sources; some threats are left
pending, some withdrawn (an agreement, or a reduction to 0), some claims disputed, a few events and claims
unsourced, a few dates known only to the month or as a range. Consecutive episodes on a lever are chained
(the last relief enables the next round's first event), so causal chains are several rounds long but bounded.
The same (n_events, seed) always gives the same timeline. 100k events take about a second.

`synthetic_stream(n, seed=s)` gives the same timeline without holding it: its actors and levers, and the
events and links in chunks made as they are read (what loading a million events into a store needs:
`parley.graph.store.load(..., chunks=...)`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from parley.events.model import Actor, DateSpec, Event, Lever, Link, Source, Timeline

START = dt.date(2025, 1, 1)
SECURITY = ("troop-deployment", "lab-raid", "seizure", "arrest", "extradition", "designation")
QUANTITY_OF = {"troop-deployment": "troops", "lab-raid": "labs", "seizure": "kg", "arrest": "persons",
               "extradition": "persons", "designation": "groups"}
PUBLISHERS = ("Example Wire", "Daily Example", "Example Times", "Example Post", "Example Gazette")
RATES = (10, 15, 20, 25, 30, 50)
EPISODES_PER_LEVER = 6
EPISODE_DAYS = 90


def synthetic_timeline(n_events: int, *, seed: int = 0) -> Timeline:
    """A timeline with exactly `n_events` events (see the module docstring for what it holds)."""
    if n_events < 0:
        raise ValueError("n_events must be >= 0")
    return _Maker(n_events, seed).make()


def synthetic_stream(n_events: int, *, seed: int = 0,
                     chunk: int = 10_000) -> tuple[Timeline, Iterator[tuple[list[Event], list[Link]]]]:
    """`synthetic_timeline(n_events, seed=seed)` as its head (the timeline without events and links) and an
    iterator of (events, links) chunks of about `chunk` events each, made as they are read."""
    if n_events < 0:
        raise ValueError("n_events must be >= 0")
    maker = _Maker(n_events, seed)
    head = maker.head()

    def chunks():
        events: list[Event] = []
        links: list[Link] = []
        for round_events, round_links in maker.rounds():
            events.extend(round_events)
            links.extend(round_links)
            if len(events) >= chunk:
                yield events, links
                events, links = [], []
        if events or links:
            yield events, links

    return head, chunks()


class _Maker:
    def __init__(self, n_events: int, seed: int):
        self.n = n_events
        self.rng = random.Random(seed)
        self.count = 0  # events made so far
        self.events: dict[str, Event] = {}  # those of the current round
        self.links: list[Link] = []
        self.n_sources = 0

    # -- pieces ------------------------------------------------------------------------------------

    def source(self, day: dt.date) -> Source:
        self.n_sources += 1
        k = self.n_sources
        return Source(f"https://news.example.org/{day.year}/{k}", f"Report {k}", PUBLISHERS[k % len(PUBLISHERS)], day)

    def sources(self, day: dt.date, p_none: float = 0.04) -> tuple[Source, ...]:
        r = self.rng.random()
        if r < p_none:
            return ()
        if r < p_none + 0.15:
            return self.source(day), self.source(day)
        return (self.source(day),)

    def event(self, etype: str, day: dt.date, actors, *, uncertain: bool = False, **kw) -> str | None:
        """Add an event unless the budget is spent; return its id (None when spent)."""
        if self.count >= self.n:
            return None
        ident = f"{etype}-{self.count}"
        date = DateSpec.day(day)
        if uncertain:
            r = self.rng.random()
            if r < 0.02:
                date = DateSpec(day, day + dt.timedelta(days=2), "range")
        self.events[ident] = Event(ident, date, etype, f"Synthetic {etype} {self.count}.", tuple(actors),
                                   sources=self.sources(day), **kw)
        self.count += 1
        return ident

    def link(self, cause, effect, relation, claimant, *, disputed_by=()):
        if cause is None or effect is None:
            return
        rng = self.rng
        r = rng.random()
        confidence = ("low", "medium", "high")[int(r * 3)] if r < 0.7 else round(rng.random(), 2)
        day = self.events[effect].date.earliest
        self.links.append(Link(f"{cause}.{relation}.{effect}", cause, effect, relation, claimant, confidence,
                               f"Claimed by {claimant}: {cause} {relation} {effect}.",
                               self.sources(day, p_none=0.1), tuple(disputed_by)))

    # -- the timeline ------------------------------------------------------------------------------

    def make(self) -> Timeline:
        timeline = self.head()
        for events, links in self.rounds():
            timeline.events.update((e.id, e) for e in events)
            timeline.links.extend(links)
        return timeline

    def head(self) -> Timeline:
        """The timeline's actors and levers, no events yet."""
        rng = self.rng
        n_countries = max(2, min(400, self.n // 400 + 2))
        actors: dict[str, Actor] = {}
        countries = []
        for c in range(n_countries):
            code = chr(65 + c // 26 % 26) + chr(65 + c % 26)
            leader, gov, agency = f"leader-{c}", f"gov-{c}", f"agency-{c}"
            actors[leader] = Actor(leader, f"Leader of country {c}", "person", code, f"Head of state {c}")
            actors[gov] = Actor(gov, f"Government of country {c}", "government", code)
            actors[agency] = Actor(agency, f"Security agency of country {c}", "agency", code)
            countries.append((leader, gov, agency))
        for k in range(max(1, n_countries // 10)):
            actors[f"cartel-{k}"] = Actor(f"cartel-{k}", f"Criminal group {k}", "criminal-group")

        levers: dict[str, Lever] = {}
        for c in range(n_countries):
            levers[f"guard-{c}"] = Lever(f"guard-{c}", "troop-deployment", f"Border deployment of country {c}",
                                         imposed_by=f"gov-{c}")
        n_tariffs = max(1, -(-self.n // (EPISODES_PER_LEVER * 9)))
        tariffs = []
        for k in range(n_tariffs):
            a = rng.randrange(n_countries)
            b = (a + 1 + rng.randrange(n_countries - 1)) % n_countries
            ident = f"duty-{k}"
            levers[ident] = Lever(ident, "tariff", f"Duty {k} of country {a} on goods of country {b}",
                                  f"gov-{a}", f"gov-{b}", rng.choice(("Emergency Act", "Section 232", "Trade Act")),
                                  "all goods")
            tariffs.append((ident, a, b, START + dt.timedelta(days=rng.randrange(365))))
        self.countries, self.tariffs = countries, tariffs
        return Timeline("synthetic", f"Synthetic negotiation, {self.n} events", "https://example.org/synthetic/",
                        None, actors, levers, {}, [])

    def rounds(self) -> Iterator[tuple[list[Event], list[Link]]]:
        """The events and links of each negotiation round, in order (after `head`)."""
        countries, tariffs = self.countries, self.tariffs
        n_tariffs = len(tariffs)
        episode = 0
        last_of_lever: dict[str, str] = {}
        while self.count < self.n:
            lever, a, b, begin = tariffs[episode % n_tariffs]
            round_no = episode // n_tariffs
            day0 = begin + dt.timedelta(days=round_no * EPISODE_DAYS)
            self.episode(lever, countries[a], countries[b], day0, last_of_lever)
            episode += 1
            yield list(self.events.values()), self.links
            self.events, self.links = {}, []

    def episode(self, lever, side_a, side_b, day0, last_of_lever):
        """One negotiation round on a tariff lever, about nine events."""
        rng = self.rng
        lead_a, gov_a, _ = side_a
        lead_b, gov_b, agency_b = side_b
        b_index = gov_b.split("-")[1]
        day = day0

        def later(lo=1, hi=6):
            nonlocal day
            day = day + dt.timedelta(days=rng.randint(lo, hi))
            return day

        opener = self.event(rng.choice(("call", "meeting", "visit", "statement")), later(0, 2), (lead_a, lead_b),
                            targets=(gov_b,))
        prev = last_of_lever.get(lever)
        if prev is not None and rng.random() < 0.7:
            self.link(prev, opener, rng.choice(("enables", "causes")), gov_a)
        rate = rng.choice(RATES)
        threat = self.event("threat", later(), (lead_a,), targets=(gov_b,), lever=lever, rate=rate)
        self.link(opener, threat, "in-response-to", gov_b, disputed_by=(gov_a,) if rng.random() < 0.1 else ())
        fate = rng.random()
        if fate < 0.12:  # left pending: nothing more this round
            last_of_lever[lever] = threat
            self.noise(side_b, day)
            return
        if fate < 0.2:  # withdrawn: an agreement or a reduction to 0
            kind = rng.choice(("agreement", "tariff-reduction"))
            end = self.event(kind, later(), (lead_a, lead_b), lever=lever, rate=0 if kind == "tariff-reduction" else None)
            self.link(threat, end, "prevents" if kind == "agreement" else "causes", gov_a)
            last_of_lever[lever] = end
            self.noise(side_b, day)
            return
        pressure = None
        if fate < 0.75:
            d = later()
            pressure = self.event(rng.choice(("tariff-imposition", "tariff-imposition", "tariff-increase")), d,
                                  (lead_a,), targets=(gov_b,), lever=lever, rate=rate,
                                  effective=d + dt.timedelta(days=rng.randint(0, 4)))
            self.link(threat, pressure, "causes", gov_a)
        promised = rng.choice(SECURITY)
        amount = rng.choice((500, 1000, 5000, 10000))
        pledge = self.event("commitment", later(), (lead_b,), targets=(gov_a,), promises=promised,
                            quantity={QUANTITY_OF[promised]: amount})
        self.link(pressure or threat, pledge, "in-response-to", gov_b)
        relief_type = rng.choice(("reprieve", "reprieve", "exemption", "extension", "tariff-reduction"))
        d = later()
        relief = self.event(relief_type, d, (lead_a,), lever=lever,
                            rate=rng.choice((0, 5, 10)) if relief_type == "tariff-reduction" else None,
                            until=d + dt.timedelta(days=30) if relief_type in ("reprieve", "extension") else None,
                            uncertain=True)
        self.link(pledge, relief, "in-exchange-for", gov_a, disputed_by=(gov_b,) if rng.random() < 0.15 else ())
        action = self.event(promised, later(), (agency_b if promised != "designation" else gov_b,),
                            lever=f"guard-{b_index}" if promised == "troop-deployment" else None,
                            quantity={QUANTITY_OF[promised]: amount}, uncertain=True)
        self.link(pledge, action, "delivered-by", gov_b)
        last = relief
        if rng.random() < 0.6:
            d = later(10, 25)
            ext = self.event("extension", d, (lead_a,), lever=lever, until=d + dt.timedelta(days=30))
            self.link(action, ext, rng.choice(("in-exchange-for", "in-exchange-for", "conditional-on")), gov_a,
                      disputed_by=(gov_b,) if rng.random() < 0.2 else ())
            last = ext or relief
        last_of_lever[lever] = last
        self.noise(side_b, day)

    def noise(self, side_b, day):
        """Unlinked events around a round: statistics, seizures, arrests; some dated only to the month."""
        rng = self.rng
        _, gov_b, agency_b = side_b
        for _ in range(rng.randint(0, 2)):
            etype = rng.choice(("statistic", "seizure", "arrest", "statement", "ruling", "countermeasure"))
            d = day + dt.timedelta(days=rng.randint(1, 20))
            ident = self.event(etype, d, (agency_b if etype != "statement" else gov_b,),
                               quantity={"kg": rng.randint(1, 900)} if etype in ("statistic", "seizure") else {})
            if ident is not None and rng.random() < 0.1:
                e = self.events[ident]
                e.date = DateSpec(d.replace(day=1), _month_end(d), "month")


def _month_end(d: dt.date) -> dt.date:
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def timeline_dict(timeline: Timeline) -> dict:
    """The timeline as the YAML file format's mapping (what `parley` reads back)."""

    def sources(items):
        out = []
        for s in items:
            d = {"url": s.url}
            if s.title:
                d["title"] = s.title
            if s.publisher:
                d["publisher"] = s.publisher
            if s.date:
                d["date"] = s.date.isoformat()
            out.append(d)
        return out

    def date(spec: DateSpec):
        if spec.precision == "day":
            return spec.earliest.isoformat()
        if spec.precision == "month":
            return spec.earliest.strftime("%Y-%m")
        return {"from": spec.earliest.isoformat(), "to": spec.latest.isoformat()}

    def clean(d):
        return {k: v for k, v in d.items() if v not in (None, (), [], {})}

    head = clean({"id": timeline.id, "title": timeline.title, "base": timeline.base,
                  "description": timeline.description})
    actors = [clean({"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "role": a.role,
                     "wikidata": a.wikidata, "note": a.note}) for a in timeline.actors.values()]
    levers = [clean({"id": lv.id, "kind": lv.kind, "name": lv.name, "imposed_by": lv.imposed_by,
                     "target": lv.target, "legal_basis": lv.legal_basis, "scope": lv.scope, "note": lv.note,
                     "sources": sources(lv.sources)}) for lv in timeline.levers.values()]
    events = [clean({"id": e.id, "date": date(e.date), "type": e.type, "actors": list(e.actors),
                     "targets": list(e.targets), "lever": e.lever, "rate": e.rate, "scope": e.scope,
                     "effective": e.effective.isoformat() if e.effective else None,
                     "until": e.until.isoformat() if e.until else None, "quantity": dict(e.quantity),
                     "promises": e.promises, "summary": e.summary, "sources": sources(e.sources), "note": e.note,
                     "outcome": e.outcome}) for e in timeline.events.values()]
    links = [clean({"id": ln.id, "cause": ln.cause, "effect": ln.effect, "relation": ln.relation,
                    "claimed_by": ln.claimed_by, "confidence": ln.confidence, "evidence": ln.evidence,
                    "sources": sources(ln.sources), "disputed_by": list(ln.disputed_by)}) for ln in timeline.links]
    return {"timeline": head, "actors": actors, "levers": levers, "events": events, "links": links}


def write_yaml(timeline: Timeline, path) -> None:
    """Write the timeline as one YAML file in parley's format (through a temporary file, then a rename)."""
    import os
    import tempfile

    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yaml.dump(timeline_dict(timeline), f, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Write a synthetic timeline as YAML.")
    ap.add_argument("n_events", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    write_yaml(synthetic_timeline(args.n_events, seed=args.seed), args.out)
