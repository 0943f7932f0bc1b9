"""The interactive HTML view of a graph: one self-contained pyvis page, a timeline with swimlanes or a force layout.

`graph_view()` reads the graph through SPARQL (graph/queries/view-*.rq) and computes everything the page
shows: nodes with positions, colours, shapes and sizes, edges, lanes and date ticks, tooltips, and what the
page's search, filters and date slider work on. `View.to_html()` renders it; `write_view()` writes the page.

The page works offline: vis-network is inlined (pyvis `cdn_resources="in_line"`), the Bootstrap CDN tags pyvis's
template still carries are removed, and nothing is written besides the page (pyvis copies a `lib/` folder into
the working directory only in its "local" mode, which is never used). pyvis shows a node's HTML `title` as
plain text, so no node has one: tooltips are rendered by the page's own script from data embedded as JSON,
with every user string put into the DOM as text and only http(s) URLs made into links.

Above `max_nodes` the events are aggregated (by type or group, per week, month or year: the finest that fits)
and the page says so, so a very large timeline still gives a page that loads quickly.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..events.model import EVENT_TYPES, amount_text, group_of, in_range
from ..ontology.namespace import ACTOR_CLASSES, LEVER_CLASSES, PROPERTY_RELATIONS, TYPE
from .query import AMONG_LIMIT, QueryError, run_query, run_query_among
from .reading import merge_bound, quantity_bound

LAYOUTS = ("timeline", "network")
DEFAULT_MAX_NODES = 2000
DEFAULT_DEPTH = 1
EDGE_BUDGET_PER_NODE = 3  # aggregated pages keep at most this many edges per node
GROUP_ORDER = ("pressure", "relief", "security", "diplomacy", "statistics")
GROUP_COLORS = {
    "pressure": "#d62728", "relief": "#2ca02c", "security": "#1f77b4", "diplomacy": "#9467bd",
    "statistics": "#7f7f7f",
}
KIND_COLORS = {"actor": "#ff7f0e", "lever": "#8c564b"}
KIND_SHAPES = {"event": "dot", "bucket": "hexagon", "actor": "diamond", "lever": "square"}
RELATION_COLORS = {
    "causes": "#444444", "enables": "#17becf", "prevents": "#000000", "in-response-to": "#bcbd22",
    "in-exchange-for": "#e6550d", "conditional-on": "#756bb1", "delivered-by": "#3182bd",
}
PARTICIPATION_COLOR = "rgba(120,120,120,0.22)"
LEVER_EDGE_COLOR = "rgba(140,86,75,0.30)"
# Aggregation levels, finest first: (what events are grouped by, the period).
AGGREGATION_LEVELS = (("type", "week"), ("group", "week"), ("type", "month"), ("group", "month"),
                      ("type", "year"), ("group", "year"))
_ACTOR_KINDS = {v: k for k, v in ACTOR_CLASSES.items()}
_LEVER_KINDS = {v: k for k, v in LEVER_CLASSES.items()}

# Timeline geometry, in canvas units.
_ROW_H = {"event": 56, "bucket": 56, "actor": 70, "lever": 64}
_MAX_ROWS = {"event": 14, "bucket": 14, "actor": 6, "lever": 6}
_LANE_GAP = 24
_LANE_PAD = 12


class ViewError(Exception):
    """A view that cannot be drawn as asked: unknown type, actor or focus id, bad dates, unwritable path."""


# -- reading the graph -------------------------------------------------------------------------------------


@dataclass
class _Event:
    iri: str
    id: str
    type: str
    group: str
    earliest: dt.date
    latest: dt.date
    precision: str
    summary: str = ""
    lever: str | None = None
    rate: float | None = None
    scope: str | None = None
    effective: dt.date | None = None
    until: dt.date | None = None
    note: str | None = None
    outcome: str | None = None
    defined_at: str | None = None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    quantities: dict[str, float] = field(default_factory=dict)
    counted_since: dt.date | None = None  # a statistic's: the day its totals count from
    not_totals: set[str] = field(default_factory=set)  # a statistic's quantity kinds that are not totals
    bounds: dict = field(default_factory=dict)  # kind -> (bound, upper), as Event.bounds
    sources: list[dict] = field(default_factory=list)

    @property
    def mid(self) -> dt.date:
        return self.earliest + (self.latest - self.earliest) / 2

    @property
    def date_text(self) -> str:
        if self.precision == "month":
            return self.earliest.strftime("%Y-%m")
        if self.latest == self.earliest:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"


@dataclass
class _Actor:
    iri: str
    id: str
    name: str
    kind: str = "actor"
    country: str | None = None
    role: str | None = None


@dataclass
class _Lever:
    iri: str
    id: str
    name: str
    kind: str = "lever"
    imposed_by: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    legal_basis: str | None = None
    scope: str | None = None
    note: str | None = None
    sources: list[dict] = field(default_factory=list)


@dataclass
class _Claim:
    iri: str
    id: str
    cause: str
    effect: str
    relation: str
    claimant: str | None = None
    confidence: float | None = None
    level: str | None = None
    evidence: str | None = None
    disputed_by: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


@dataclass
class _Data:
    titles: list[str]
    events: dict[str, _Event]
    actors: dict[str, _Actor]
    levers: dict[str, _Lever]
    claims: dict[str, _Claim]


def _s(term) -> str | None:
    return None if term is None else str(term)


def _day(term, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        raise ViewError(f"{what}: {str(term)!r} is not a date (YYYY-MM-DD)") from None
    try:
        return in_range(day)  # (as the timeline, the state and the audit read a graph's dates)
    except ValueError as e:
        raise ViewError(f"{what}: {e}") from None


def _as_day(value, what: str) -> dt.date | None:
    """A date given as a date or 'YYYY-MM-DD' text (None stays None)."""
    if value is None:
        return value
    if isinstance(value, dt.datetime):  # a datetime is a date too: its day
        value = value.date()
    try:
        return in_range(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
    except ValueError as e:
        if isinstance(value, dt.date) or "outside the dates" in str(e):
            raise ViewError(f"{what}: {e}") from None
        raise ViewError(f"{what} {value!r}: not a date (YYYY-MM-DD)") from None


def _num(term) -> float | int | None:
    if term is None:
        return None
    try:
        x = float(str(term))
    except ValueError:
        return None
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _local(iri, namespace) -> str:
    text = str(iri)
    return text[len(str(namespace)):] if text.startswith(str(namespace)) else re.split(r"[/#]", text)[-1]


def _rows(graph, name: str, variable: str, iris) -> list:
    """Rows of a view query whose ?variable is one of `iris`, or of the whole graph (iris None)."""
    return run_query_among(graph, name, variable, iris)


def _read(graph, date_from: dt.date | None, date_to: dt.date | None, types=(), actor_ids=()) -> _Data:
    """Everything the view shows, from the graph alone (events within the dates, all actors, levers, and the
    claims between events within the dates). With `types` or `actor_ids`, the other events keep only what the
    events query gives (their participants, figures and claims are not drawn)."""
    params = {"from": date_from, "to": date_to}
    events: dict[str, _Event] = {}
    for r in run_query(graph, "view-events", params=params):
        iri = str(r["event"])
        etype = _local(r["type"], TYPE)
        earliest = _day(r["earliest"], f"event {r['id']}: earliest date")
        latest = _day(r["latest"], f"event {r['id']}: latest date") if r["latest"] is not None else earliest
        if iri in events:
            # a hand-edited graph's several values: the smallest id and type, the widest dates, as the network
            # (analyze, export), the timeline and the audit read them
            e = events[iri]
            if str(r["id"]) < e.id:
                e.id = str(r["id"])
            if etype < e.type:
                e.type = etype
                e.group = _s(r["group"]) or group_of(etype)
                e.group = e.group if e.group in GROUP_COLORS else "diplomacy"
            e.earliest, e.latest = min(e.earliest, earliest), max(e.latest, latest, earliest)
            if e.precision == "day" and e.latest != e.earliest:
                e.precision = "range"
            continue
        group = _s(r["group"]) or group_of(etype)
        precision = _s(r["precision"]) or ("day" if latest == earliest else "range")
        events[iri] = _Event(
            iri, str(r["id"]), etype, group if group in GROUP_COLORS else "diplomacy", earliest, max(latest, earliest),
            precision, summary=_s(r["summary"]) or "", lever=_s(r["lever"]), rate=_num(r["rate"]),
            scope=_s(r["scope"]),
            effective=_day(r["effective"], f"event {r['id']}: effective") if r["effective"] is not None else None,
            until=_day(r["until"], f"event {r['id']}: until") if r["until"] is not None else None,
            note=_s(r["note"]), outcome=_s(r["outcome"]), defined_at=_s(r["definedAt"]))
    actors: dict[str, _Actor] = {}
    for r in run_query(graph, "view-actors"):
        iri = str(r["actor"])
        kind = _ACTOR_KINDS.get(r["class"], "actor")
        if iri in actors:
            if actors[iri].kind == "actor":  # prefer the specific class over parley:Actor
                actors[iri].kind = kind
            continue
        actors[iri] = _Actor(iri, str(r["id"]), _s(r["name"]) or str(r["id"]), kind, _s(r["country"]), _s(r["role"]))
    # within dates, of the wanted types, or with the wanted actors, only those events' participants, figures and
    # claims are read (claims between them are all the view draws); the actors' events are found by their IRIs
    wanted = [iri for iri, e in events.items() if e.type in types] if types else list(events)
    if actor_ids:
        mine = {iri for iri, a in actors.items() if a.id in actor_ids or iri in actor_ids}  # (an id, or an IRI)
        theirs = {str(r["event"]) for r in _rows(graph, "view-participants", "actor", mine) if str(r["actor"]) in mine}
        wanted = [iri for iri in wanted if iri in theirs]
    some = wanted if (date_from or date_to or types or actor_ids) and len(wanted) <= AMONG_LIMIT else None
    for r in _rows(graph, "view-participants", "event", some):
        e = events.get(str(r["event"]))
        if e is not None:
            have, actor = (e.actors if str(r["role"]) == "actor" else e.targets), str(r["actor"])
            if actor not in have:  # (an event of two types is two rows of each actor)
                have.append(actor)
    for r in _rows(graph, "view-quantities", "event", some):
        e = events.get(str(r["event"]))
        amount = _num(r["amount"])
        if e is not None and amount is not None:
            e.quantities.setdefault(str(r["kind"]), amount)
            if r["since"] is not None:  # several (a hand-edited graph): the earliest, as the audit keeps it
                day = _day(r["since"], f"event {e.id}: counted since")
                if e.counted_since is None or day < e.counted_since:
                    e.counted_since = day
            if r["total"] is not None and str(r["total"]).strip().lower() in ("false", "0"):
                e.not_totals.add(str(r["kind"]))
            bound = quantity_bound(r["bound"], r["max"])
            if bound:
                e.bounds[str(r["kind"])] = merge_bound(e.bounds.get(str(r["kind"])), bound)
    levers: dict[str, _Lever] = {}
    for r in run_query(graph, "view-levers"):
        iri = str(r["lever"])
        lv = levers.get(iri)
        if lv is None:
            lv = levers[iri] = _Lever(iri, str(r["id"]), _s(r["name"]) or str(r["id"]), legal_basis=_s(r["legalBasis"]),
                                      scope=_s(r["scope"]), note=_s(r["note"]))
        kind = _LEVER_KINDS.get(r["class"], "lever")
        if lv.kind == "lever":
            lv.kind = kind
        for attr, key in (("imposed_by", "imposedBy"), ("targets", "target")):
            value = _s(r[key])
            if value and value not in getattr(lv, attr):
                getattr(lv, attr).append(value)
    claims: dict[str, _Claim] = {}
    for r in _rows(graph, "view-claims", "cause", some):
        iri = str(r["claim"])
        c = claims.get(iri)
        if c is None:
            relation = PROPERTY_RELATIONS.get(r["relation"], _local(r["relation"], ""))
            c = claims[iri] = _Claim(iri, _s(r["id"]) or iri, str(r["cause"]), str(r["effect"]), relation,
                                     claimant=_s(r["claimedBy"]), confidence=_num(r["confidence"]),
                                     level=_s(r["confidenceLevel"]), evidence=_s(r["evidence"]))
        who = _s(r["disputedBy"])
        if who and who not in c.disputed_by:
            c.disputed_by.append(who)
    # Query results come in no fixed order: sort, so the same graph gives the same page on every store.
    for e in events.values():
        e.actors.sort()
        e.targets.sort()
    for lv in levers.values():
        lv.imposed_by.sort()
        lv.targets.sort()
    for c in claims.values():
        c.disputed_by.sort()
    claims = dict(sorted(claims.items(), key=lambda kv: (kv[1].id, kv[0])))
    titles = []
    for r in run_query(graph, "view-timelines"):
        t = _s(r["title"]) or _s(r["id"])
        if t and t not in titles:
            titles.append(t)
    return _Data(titles, events, actors, levers, claims)


def _read_sources(graph, data: _Data, shown) -> None:
    """Add the sources of the `shown` events, levers and claims (only single events' tooltips show them)."""
    by_subject = {x.iri: x for x in shown}
    some = list(by_subject) if len(by_subject) <= AMONG_LIMIT else None
    for r in _rows(graph, "view-sources", "subject", some):
        thing = by_subject.get(str(r["subject"]))
        if thing is None:
            continue
        src = {"url": str(r["url"]), "title": _s(r["title"]), "publisher": _s(r["publisher"]),
               "date": _s(r["date"])}
        if src not in thing.sources:
            thing.sources.append(src)
    for thing in by_subject.values():
        thing.sources.sort(key=lambda src: (src["url"], src["title"] or "", src["date"] or ""))


# -- the view ----------------------------------------------------------------------------------------------


@dataclass
class View:
    """What the page shows. `to_dict()` is the page's data; `to_html()` the page."""

    title: str
    layout: str
    nodes: list[dict]
    edges: list[dict]
    tooltips: dict[str, dict]
    meta: dict[str, dict]
    lanes: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    day0: str | None = None
    days: int = 0
    groups: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    actors: list[dict] = field(default_factory=list)
    note: str | None = None
    aggregation: dict | None = None
    counts: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "title": self.title, "layout": self.layout, "note": self.note, "aggregation": self.aggregation,
            "counts": self.counts, "day0": self.day0, "days": self.days, "groups": self.groups,
            "types": self.types, "actors": self.actors, "lanes": self.lanes, "ticks": self.ticks,
            "nodes": self.nodes, "edges": self.edges, "tooltips": self.tooltips, "meta": self.meta,
            "legend": _legend(),
        }

    def summary(self) -> str:
        c = self.counts
        # (an aggregated page draws buckets of the events, and links between buckets for their claims)
        among = "aggregating " if self.aggregation else ""
        text = (f"{c['nodes']} nodes, {c['edges']} edges ({among}{c['events']} events, {c['actors']} actors, "
                f"{c['levers']} levers, {c['claims']} claims), {self.layout} layout")
        return f"{text}; {self.note}" if self.note else text

    def to_html(self) -> str:
        """The page: pyvis's template with vis-network inlined, plus this module's controls and script."""
        from pyvis.network import Network

        net = Network(height="76vh", width="100%", directed=True, cdn_resources="in_line")
        # Set the lists directly: add_node/add_edge check membership in lists (quadratic).
        net.nodes = self.nodes
        net.edges = self.edges
        net.node_ids = [n["id"] for n in self.nodes]
        net.node_map = {n["id"]: n for n in self.nodes}
        net.options = self.options
        page = net.generate_html()
        # pyvis's template already holds the nodes and edges; the page's script reads them from vis.
        data = {k: v for k, v in self.to_dict().items() if k not in ("nodes", "edges")}
        return _finish_page(page, data)


def _legend() -> dict:
    return {
        "groups": [{"name": g, "color": GROUP_COLORS[g]} for g in GROUP_ORDER],
        "kinds": [{"name": k, "shape": KIND_SHAPES[k],
                   "label": {"bucket": "events aggregated"}.get(k, k)} for k in KIND_SHAPES],
        "relations": [{"name": r, "color": c} for r, c in RELATION_COLORS.items()],
        "actorColor": KIND_COLORS["actor"], "leverColor": KIND_COLORS["lever"],
        "participation": PARTICIPATION_COLOR,
    }


def _split(values) -> list[str]:
    """'a,b' 'c' -> ['a', 'b', 'c'] (options may be repeated or comma-separated)."""
    out = []
    for v in values or ():
        out.extend(x.strip() for x in str(v).split(",") if x.strip())
    return out


def graph_view(graph, *, layout: str = "timeline", focus: str | None = None, depth: int | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None, types=(), actors=(),
               max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """The view of a graph: events within the dates, of these types, involving these actors, near the focus.

    `types` and `actors` are ids (repeated or comma-separated); `focus` is an event, actor or lever id and
    `depth` the number of steps from it (default 1). Above `max_nodes` nodes the events are aggregated.
    """
    date_from, date_to = _as_day(date_from, "--from"), _as_day(date_to, "--to")
    if layout not in LAYOUTS:
        raise ViewError(f"unknown layout {layout!r} (expected one of: {', '.join(LAYOUTS)})")
    if date_from and date_to and date_from > date_to:
        raise ViewError(f"--from {date_from} is after --to {date_to}")
    if depth is not None and focus is None:
        raise ViewError("--depth needs --focus")
    if depth is not None and depth < 0:
        raise ViewError(f"--depth {depth}: expected 0 or more")
    if max_nodes < 1:
        raise ViewError(f"--max-nodes {max_nodes}: expected 1 or more")
    want_types, want_actors = _split(types), _split(actors)
    try:
        data = _read(graph, date_from, date_to, want_types, want_actors)
    except QueryError as e:
        raise ViewError(str(e)) from None

    known_types = set(EVENT_TYPES) | {e.type for e in data.events.values()}
    for t in want_types:
        if t not in known_types:
            raise ViewError(f"--types: unknown event type {t!r} (known: {', '.join(sorted(known_types))})")
    actor_iris: set[str] = set()
    for a in want_actors:
        found = {iri for iri, x in data.actors.items() if x.id == a} or ({a} if a in data.actors else set())
        if not found:
            known = ", ".join(sorted({x.id for x in data.actors.values()})) or "none"
            raise ViewError(f"--actors: unknown actor id {a!r} (known: {known})")
        if len(found) > 1:  # (two timelines in one store may share ids, as every command refuses)
            raise ViewError(f"--actors: the id {a!r} is ambiguous: {', '.join(sorted(found))} (give one of these IRIs "
                            "instead of the id)")
        actor_iris |= found

    events = [e for e in data.events.values()
              if (not want_types or e.type in want_types)
              and (not actor_iris or actor_iris & (set(e.actors) | set(e.targets)))]
    events.sort(key=lambda e: (e.earliest, e.latest, e.id))
    lever_iris = {e.lever for e in events if e.lever in data.levers}
    shown_actors = {a for e in events for a in (*e.actors, *e.targets) if a in data.actors}
    shown_actors |= {a for lv in lever_iris for a in (*data.levers[lv].imposed_by, *data.levers[lv].targets)
                     if a in data.actors}
    if not (want_types or want_actors or date_from or date_to):
        shown_actors |= set(data.actors)  # an unfiltered view shows every actor and lever
        lever_iris |= set(data.levers)
    event_iris = {e.iri for e in events}
    claims = [c for c in data.claims.values() if c.cause in event_iris and c.effect in event_iris]

    if focus is not None:
        events, shown_actors, lever_iris, claims = _focus(data, focus, DEFAULT_DEPTH if depth is None else depth,
                                                          events, shown_actors, lever_iris, claims,
                                                          graph if date_from or date_to else None)
    actor_list = sorted((data.actors[a] for a in shown_actors), key=lambda a: (a.name.lower(), a.id, a.iri))
    lever_list = sorted((data.levers[lv] for lv in lever_iris), key=lambda lv: (lv.name.lower(), lv.id, lv.iri))

    aggregation, note = None, None
    wanted = (len(events), len(actor_list), len(lever_list))  # the nodes a page of single events would draw
    aggregate = sum(wanted) > max_nodes
    left_out = ""
    if aggregate:
        # Actors and levers may take at most a quarter of the nodes: keep the most active.
        actor_list, lever_list, left_out = _most_active(events, actor_list, lever_list, max(2, max_nodes // 4))
    else:
        _read_sources(graph, data, [*events, *lever_list, *claims])
    builder = _Builder(data, layout)
    for a in actor_list:
        builder.actor(a)
    for lv in lever_list:
        builder.lever(lv)
    if aggregate:
        budget = max(1, max_nodes - len(actor_list) - len(lever_list))
        by, per, buckets = _aggregate(events, budget)
        dropped = builder.buckets(buckets, by, per, claims, max_edges=EDGE_BUDGET_PER_NODE * max_nodes)
        aggregation = {"by": by, "per": per, "events": len(events), "nodes": len(buckets), "max_nodes": max_nodes}
        drawn = len(buckets) + len(actor_list) + len(lever_list)
        # over the limit all the same: say why rather than imply the limit was kept
        over = ""
        if drawn > max_nodes:
            why = ("even the coarsest aggregation has more buckets" if len(buckets) > budget
                   else "at least 2 actors and levers are drawn beside the events")
            over = f" ({_count(drawn, 'node')} in all, more than --max-nodes allows: {why})"
        note = (f"{_count(sum(wanted), 'node')} ({_count(wanted[0], 'event')}, {_count(wanted[1], 'actor')}, "
                f"{_count(wanted[2], 'lever')}) are more than --max-nodes {max_nodes:,}: the events are aggregated by "
                f"{by} per {per} into {_count(len(buckets), 'node')}{left_out}{over}. Each aggregate links to its 3 most frequent actors "
                f"and 2 levers{f'; the {dropped:,} rarest links between aggregates are left out' if dropped else ''}. "
                f"Narrow the view (--from/--to, --types, --actors, --focus) to see single events.")
    else:
        for e in events:
            builder.event(e)
        for c in claims:
            builder.claim(c)
    if not events:
        note = "No events match this view."
    view = builder.finish(title=" / ".join(data.titles) or "parley timeline", note=note, aggregation=aggregation)
    view.counts.update(events=len(events), actors=len(actor_list), levers=len(lever_list), claims=len(claims))
    return view


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _most_active(events, actor_list, lever_list, budget: int):
    """The actors and levers with the most events, at most `budget` together, and a note on what was left out."""
    counts: dict[str, int] = {}
    for e in events:
        for a in {*e.actors, *e.targets, e.lever}:
            counts[a] = counts.get(a, 0) + 1
    if len(actor_list) + len(lever_list) <= budget:
        return actor_list, lever_list, ""

    def ranked(items):
        return sorted(items, key=lambda x: (-counts.get(x.iri, 0), x.id, x.iri))

    # Half for each kind; what one kind does not use goes to the other.
    n_levers = min(len(lever_list), max(budget // 2, budget - len(actor_list)))
    n_actors = min(len(actor_list), budget - n_levers)
    n_levers = min(len(lever_list), budget - n_actors)
    keep = {x.iri for x in (*ranked(actor_list)[:n_actors], *ranked(lever_list)[:n_levers])}
    actors = [a for a in actor_list if a.iri in keep]
    levers = [lv for lv in lever_list if lv.iri in keep]
    note = (f"; only the {len(actors):,} most active of {_count(len(actor_list), 'actor')} and {len(levers):,} of "
            f"{_count(len(lever_list), 'lever')} are drawn")
    return actors, levers, note


def _focus(data: _Data, focus: str, depth: int, events, actors: set, levers: set, claims, graph=None):
    """What lies within `depth` steps of the event, actor or lever `focus` (through any edge of the view).
    `graph`: the whole graph, when the dates left events out of `data` (to tell an event outside them)."""
    import networkx as nx

    everything = [*data.events.values(), *data.actors.values(), *data.levers.values()]
    matches = [x.iri for x in everything if x.id == focus] or [x.iri for x in everything if x.iri == focus]
    if not matches and graph is not None:
        from .query import resolve_id

        try:
            resolve_id(graph, "event", focus)
        except QueryError:
            pass
        else:
            raise ViewError(f"--focus: the event {focus!r} is outside the --from/--to dates")
    if not matches:
        raise ViewError(f"--focus: no event, actor or lever has the id {focus!r}")
    if len(matches) > 1:
        raise ViewError(f"--focus: the id {focus!r} is ambiguous: {', '.join(sorted(matches))} (give one of these "
                        "IRIs instead of the id)")
    g = nx.Graph()
    g.add_nodes_from(e.iri for e in events)
    g.add_nodes_from(actors)
    g.add_nodes_from(levers)
    if matches[0] not in g:
        raise ViewError(f"--focus: {focus!r} is outside the --from/--to, --types and --actors filters")
    for e in events:
        g.add_edges_from((e.iri, a) for a in (*e.actors, *e.targets) if a in actors)
        if e.lever in levers:
            g.add_edge(e.iri, e.lever)
    for lv in levers:
        g.add_edges_from((lv, a) for a in (*data.levers[lv].imposed_by, *data.levers[lv].targets) if a in actors)
    g.add_edges_from((c.cause, c.effect) for c in claims)
    keep = set(nx.single_source_shortest_path_length(g, matches[0], cutoff=depth))
    return ([e for e in events if e.iri in keep], actors & keep, levers & keep,
            [c for c in claims if c.cause in keep and c.effect in keep])


# -- aggregation -------------------------------------------------------------------------------------------


def _period_start(d: dt.date, per: str) -> dt.date:
    if per == "week":
        return d - dt.timedelta(days=d.weekday())
    if per == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def _period_end(start: dt.date, per: str) -> dt.date:
    if per == "week":
        return start + dt.timedelta(days=6)
    if per == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start.replace(month=12, day=31)


def _aggregate(events, budget: int):
    """(by, per, {(category, period start): [events]}) at the finest level with at most `budget` buckets."""
    for by, per in AGGREGATION_LEVELS:
        buckets: dict[tuple, list] = {}
        for e in events:
            buckets.setdefault((getattr(e, by), _period_start(e.earliest, per)), []).append(e)
        if len(buckets) <= budget:
            break
    return by, per, buckets


# -- building nodes, edges, tooltips and the layout -------------------------------------------------------


def _clip(text: str | None, n: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class _Builder:
    def __init__(self, data: _Data, layout: str):
        self.data = data
        self.layout = layout
        self.nodes: dict[str, dict] = {}
        self.edges: list[dict] = []
        self.tooltips: dict[str, dict] = {}
        self.meta: dict[str, dict] = {}
        self.dates: dict[str, tuple[dt.date, dt.date]] = {}  # node -> (start, end) for events and buckets
        self.lane: dict[str, str] = {}
        self.parallel: dict[frozenset, int] = {}  # claims drawn so far between two events
        self.edge_no = 0

    def _name(self, iri: str) -> str:
        a = self.data.actors.get(iri)
        return a.name if a else _local(iri, "")

    def _edge(self, src: str, dst: str, **opts) -> None:
        if src in self.nodes and dst in self.nodes:
            self.edge_no += 1
            opts.setdefault("id", f"e{self.edge_no}")
            self.edges.append({"from": src, "to": dst, **opts})

    def actor(self, a: _Actor) -> None:
        self.nodes[a.iri] = {"id": a.iri, "label": a.name, "shape": KIND_SHAPES["actor"],
                             "color": KIND_COLORS["actor"]}
        self.lane[a.iri] = "actors"
        rows = [("id", a.id), ("kind", a.kind), ("country", a.country), ("role", a.role)]
        self.tooltips[a.iri] = {"title": a.name, "rows": [[k, v] for k, v in rows if v]}
        self.meta[a.iri] = {"k": "actor", "s": f"{a.name} {a.id}".lower()}

    def lever(self, lv: _Lever) -> None:
        self.nodes[lv.iri] = {"id": lv.iri, "label": lv.name, "shape": KIND_SHAPES["lever"],
                              "color": KIND_COLORS["lever"]}
        self.lane[lv.iri] = "levers"
        rows = [("id", lv.id), ("kind", lv.kind), ("legal basis", lv.legal_basis), ("scope", lv.scope),
                ("imposed by", ", ".join(map(self._name, lv.imposed_by))),
                ("target", ", ".join(map(self._name, lv.targets)))]
        self.tooltips[lv.iri] = {"title": lv.name, "rows": [[k, v] for k, v in rows if v],
                                 "text": [lv.note] if lv.note else [], "sources": lv.sources}
        self.meta[lv.iri] = {"k": "lever", "s": f"{lv.name} {lv.id}".lower()}
        for a in lv.imposed_by:
            self._edge(a, lv.iri, color=LEVER_EDGE_COLOR, width=1, arrows="")
        for a in lv.targets:
            self._edge(lv.iri, a, color=LEVER_EDGE_COLOR, width=1, arrows="")

    def event(self, e: _Event) -> None:
        self.nodes[e.iri] = {"id": e.iri, "label": e.id, "shape": KIND_SHAPES["event"],
                             "color": GROUP_COLORS[e.group]}
        self.lane[e.iri] = e.group
        self.dates[e.iri] = (e.earliest, e.latest)
        lever = self.data.levers.get(e.lever) if e.lever else None
        rows = [("date", e.date_text), ("type", e.type), ("group", e.group),
                ("actors", ", ".join(map(self._name, e.actors))), ("targets", ", ".join(map(self._name, e.targets))),
                ("lever", lever.name if lever else None),
                ("rate", f"{e.rate}%" if e.rate is not None else None), ("scope", e.scope),
                ("effective", e.effective.isoformat() if e.effective else None),
                ("until", e.until.isoformat() if e.until else None)]
        rows += [(kind, amount_text(amount, e.bounds.get(kind)) + (" (not a total)" if kind in e.not_totals else ""))
                 for kind, amount in sorted(e.quantities.items())]
        rows += [("totals since", e.counted_since.isoformat() if e.counted_since else None),
                 ("outcome", e.outcome), ("defined at", e.defined_at)]
        self.tooltips[e.iri] = {"title": e.id, "rows": [[k, str(v)] for k, v in rows if v not in (None, "")],
                                "text": [t for t in (e.summary, e.note) if t], "sources": e.sources}
        self.meta[e.iri] = {"k": "event", "g": e.group, "t": [e.type], "a": sorted(set(e.actors) | set(e.targets)),
                            "s": f"{e.id} {e.summary}".lower()}
        for a in e.actors:
            self._edge(a, e.iri, color=PARTICIPATION_COLOR, width=1, arrows="")
        for a in e.targets:
            self._edge(e.iri, a, color=PARTICIPATION_COLOR, width=1, arrows="")
        if e.lever:
            self._edge(e.iri, e.lever, color=LEVER_EDGE_COLOR, width=1, arrows="")

    def claim(self, c: _Claim) -> None:
        edge_id = f"claim:{c.iri}"
        disputed = bool(c.disputed_by)
        conf = c.confidence if c.confidence is not None else 0.5
        # several claims between two events (either way) are curved apart: each is seen, and can be hovered
        pair = frozenset((c.cause, c.effect))
        k = self.parallel[pair] = self.parallel.get(pair, -1) + 1
        # the side, for the pair in one order: vis bends curvedCW to the right of each edge's own direction, so a
        # claim the other way round takes the other type to bend to the same side
        clockwise = (k % 2 == 1) == (c.cause <= c.effect)
        curve = {} if k == 0 else {"smooth": {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                                              "roundness": round(0.2 * ((k + 1) // 2), 2)}}
        self._edge(c.cause, c.effect, id=edge_id, color=RELATION_COLORS.get(c.relation, "#444444"),
                   width=round(1.5 + 3 * max(0.0, min(1.0, conf)), 2), dashes=disputed, arrows="to",
                   label=c.relation if self.layout == "network" else None, **curve)
        cause, effect = self.data.events[c.cause], self.data.events[c.effect]
        confidence = " ".join(x for x in (c.level, f"({c.confidence})" if c.confidence is not None else None) if x)
        rows = [("relation", c.relation), ("cause", cause.id), ("effect", effect.id),
                ("claimant", self._name(c.claimant) if c.claimant else None), ("confidence", confidence),
                ("disputed by", ", ".join(map(self._name, c.disputed_by)))]
        self.tooltips[edge_id] = {"title": f"{cause.id} {c.relation} {effect.id}",
                                  "rows": [[k, v] for k, v in rows if v],
                                  "text": [f"Evidence: {c.evidence}"] if c.evidence else [], "sources": c.sources}

    def buckets(self, buckets: dict, by: str, per: str, claims, *, max_edges: int) -> int:
        """Add aggregate nodes and their edges; return how many aggregated causal edges were left out."""
        where = {}
        for (cat, start), events in sorted(buckets.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            node = f"bucket:{by}:{cat}:{start.isoformat()}"
            end = _period_end(start, per)
            group = cat if by == "group" else events[0].group
            types: dict[str, int] = {}
            actor_counts: dict[str, int] = {}
            totals: dict[str, float] = {}
            lever_counts: dict[str, int] = {}
            for e in events:
                where[e.iri] = node
                types[e.type] = types.get(e.type, 0) + 1
                for a in set(e.actors) | set(e.targets):
                    actor_counts[a] = actor_counts.get(a, 0) + 1
                if e.type != "statistic":  # a statistic's figures are totals to date, not amounts to add up
                    for k, v in e.quantities.items():
                        totals[k] = totals.get(k, 0) + v
                if e.lever:
                    lever_counts[e.lever] = lever_counts.get(e.lever, 0) + 1
            n = len(events)
            self.nodes[node] = {"id": node, "label": f"{cat} ×{n}", "shape": KIND_SHAPES["bucket"],
                                "color": GROUP_COLORS.get(group, GROUP_COLORS["diplomacy"]), "value": n}
            self.lane[node] = group
            self.dates[node] = (start, end)
            top = sorted(actor_counts.items(), key=lambda kv: (-kv[1], self._name(kv[0])))
            rows = [("period", f"{start.isoformat()}..{end.isoformat()}"), ("group", group),
                    ("types", ", ".join(f"{t} {k}" for t, k in sorted(types.items()))),
                    ("actors", ", ".join(f"{self._name(a)} {k}" for a, k in top[:6])
                     + (f", +{len(top) - 6} more" if len(top) > 6 else ""))]
            rows += [(k, f"{round(v, 2):,} in total") for k, v in sorted(totals.items())]
            sample = [f"{e.date_text} {e.id}: {_clip(e.summary, 140)}" for e in events[:8]]
            if n > 8:
                sample.append(f"+{n - 8:,} more")
            self.tooltips[node] = {"title": f"{n:,} {cat} events, {per} of {start.isoformat()}",
                                   "rows": [[k, v] for k, v in rows if v], "items": sample}
            self.meta[node] = {"k": "bucket", "g": group, "t": sorted(types),
                               "a": sorted(a for a in actor_counts if a in self.nodes),
                               "s": f"{cat} {start.isoformat()}".lower()}
            # The few strongest participation links only: all of them would swamp the page.
            for a, k in [x for x in top if x[0] in self.nodes][:3]:
                self._edge(a, node, color=PARTICIPATION_COLOR, width=round(1 + math.log10(k), 2), arrows="")
            levers = sorted(lever_counts.items(), key=lambda kv: (-kv[1], kv[0]))
            for lv, k in [x for x in levers if x[0] in self.nodes][:2]:
                self._edge(node, lv, color=LEVER_EDGE_COLOR, width=round(1 + math.log10(k), 2), arrows="")
        joined: dict[tuple, list] = {}
        for c in claims:
            src, dst = where.get(c.cause), where.get(c.effect)
            if src and dst and src != dst:
                joined.setdefault((src, dst, c.relation), []).append(c)
        ranked = sorted(joined.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        room = max(0, max_edges - len(self.edges))
        for (src, dst, relation), cs in ranked[:room]:
            disputed = sum(1 for c in cs if c.disputed_by)
            edge_id = f"claims:{src}>{dst}:{relation}"
            self._edge(src, dst, id=edge_id, color=RELATION_COLORS.get(relation, "#444444"),
                       width=round(1.5 + math.log10(len(cs)) * 2, 2), dashes=disputed == len(cs), arrows="to")
            self.tooltips[edge_id] = {"title": f"{len(cs):,} {relation} claims",
                                      "rows": [["relation", relation], ["claims", f"{len(cs):,}"],
                                               ["disputed", f"{disputed:,}"]],
                                      "items": [f"{self.data.events[c.cause].id} → {self.data.events[c.effect].id}"
                                                for c in cs[:8]] + ([f"+{len(cs) - 8:,} more"] if len(cs) > 8 else [])}
        return max(0, len(ranked) - room)

    # -- finishing: sizes, positions, controls --------------------------------------------------------------

    def _sizes(self) -> None:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((e["from"], e["to"]) for e in self.edges)
        centrality = nx.degree_centrality(g) if len(g) > 1 else {n: 0.0 for n in g}
        ranges = {"event": (7, 15), "bucket": (8, 16), "actor": (12, 18), "lever": (11, 13)}
        top: dict[str, float] = {}
        for n, c in centrality.items():
            k = self.meta[n]["k"]
            top[k] = max(top.get(k, 0.0), c)
        for n, node in self.nodes.items():
            k = self.meta[n]["k"]
            lo, span = ranges[k]
            if k == "bucket":  # an aggregate's size says how many events it holds
                share = math.log1p(node.pop("value")) / math.log1p(self._max_bucket)
            else:
                share = centrality[n] / top[k] if top.get(k) else 0.0
            node["size"] = round(lo + span * math.sqrt(share), 1)
            self.meta[n]["c"] = round(centrality[n], 4)

    def finish(self, *, title: str, note: str | None, aggregation: dict | None) -> View:
        self._max_bucket = max((n.get("value", 1) for n in self.nodes.values()), default=1)
        self._sizes()
        # Edges without a label key, and no None values, keep the embedded data small.
        for e in self.edges:
            for k in [k for k, v in e.items() if v is None]:
                del e[k]
        spans = list(self.dates.values())
        day0 = min((s for s, _ in spans), default=None)
        day_n = max((t for _, t in spans), default=None)
        days = (day_n - day0).days if day0 else 0
        for n, (s, t) in self.dates.items():
            self.meta[n]["d0"], self.meta[n]["d1"] = (s - day0).days, (t - day0).days
        lanes, ticks = [], []
        if self.layout == "timeline":
            lanes, ticks = self._timeline(day0, days)
            options = {"physics": {"enabled": False},
                       "layout": {"improvedLayout": False},
                       "edges": {"smooth": False, "selectionWidth": 2},
                       "nodes": {"font": {"size": 12, "face": "sans-serif"}, "borderWidth": 1},
                       "interaction": {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": True,
                                       "navigationButtons": False, "multiselect": True}}
        else:
            options = {"physics": {"enabled": True, "solver": "barnesHut",
                                   "barnesHut": {"gravitationalConstant": -6000, "springLength": 140,
                                                 "avoidOverlap": 0.2},
                                   "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
                       "layout": {"improvedLayout": len(self.nodes) <= 200},
                       "edges": {"smooth": {"enabled": True, "type": "continuous"},
                                 "font": {"size": 10, "align": "middle"}},
                       "nodes": {"font": {"size": 12, "face": "sans-serif"}, "borderWidth": 1},
                       "interaction": {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": True,
                                       "multiselect": True}}
        present = {m.get("g") for m in self.meta.values()}
        types = sorted({t for m in self.meta.values() for t in m.get("t", ())})
        actors = sorted(({"id": n, "label": self.nodes[n]["label"]} for n, m in self.meta.items() if m["k"] == "actor"),
                        key=lambda a: a["label"].lower())
        counts = {"nodes": len(self.nodes), "edges": len(self.edges)}
        return View(title=title, layout=self.layout, nodes=list(self.nodes.values()), edges=self.edges,
                    tooltips=self.tooltips, meta=self.meta, lanes=lanes, ticks=ticks,
                    day0=day0.isoformat() if day0 else None, days=days,
                    groups=[g for g in GROUP_ORDER if g in present], types=types, actors=actors, note=note,
                    aggregation=aggregation, counts=counts, options=options)

    def _timeline(self, day0: dt.date | None, days: int):
        """Positions: x by date, one lane per group (actors on top, levers at the bottom), rows within a lane.

        The width starts at about 110 units per distinct date (labels stay apart) and shrinks, stacking more
        rows where dates crowd, until the drawing is at most about twice as wide as it is tall, so the
        page opens readable rather than as a thin strip.
        """
        distinct = len({s + (t - s) / 2 for s, t in self.dates.values()})
        width = max(900.0, min(6000.0, 110.0 * distinct))
        while True:
            px_per_day = min(40.0, width / (days + 1))
            placed, lanes, height = self._place(day0, px_per_day)
            if width <= 2 * height or width <= 900:
                break
            width = max(900.0, width * 0.85)
        for n, x, y in placed:
            self.nodes[n]["x"], self.nodes[n]["y"] = x, y
        ticks = []
        if day0 is not None:
            unit = "week" if days <= 120 else "month" if days <= 3 * 366 else "year"
            d = _period_start(day0, unit)
            if d < day0:
                d = _period_end(d, unit) + dt.timedelta(days=1)
            end = day0 + dt.timedelta(days=days)
            while d <= end and len(ticks) < 400:
                label = d.isoformat() if unit == "week" else d.strftime("%Y-%m") if unit == "month" else str(d.year)
                ticks.append({"x": round((d - day0).days * px_per_day, 1), "label": label})
                d = _period_end(d, unit) + dt.timedelta(days=1)
        return lanes, ticks

    def _place(self, day0: dt.date | None, px_per_day: float):
        """([(node, x, y)], lanes, total height) at this scale."""

        def x_of(d: dt.date) -> float:
            return round((d - day0).days * px_per_day, 1)

        event_x = {n: x_of(s + (t - s) / 2) for n, (s, t) in self.dates.items()}
        neighbours: dict[str, list[float]] = {}
        for e in self.edges:
            for a, b in ((e["from"], e["to"]), (e["to"], e["from"])):
                if b in event_x and self.lane.get(a) in ("actors", "levers"):
                    neighbours.setdefault(a, []).append(event_x[b])
        middle = (max(event_x.values()) / 2) if event_x else 500.0
        by_lane: dict[str, list] = {}
        for n in self.nodes:
            if n in event_x:
                x = event_x[n]
            elif neighbours.get(n):  # an actor or lever sits at the median date of its events
                xs = sorted(neighbours[n])
                x = xs[len(xs) // 2]
            else:
                x = middle
            by_lane.setdefault(self.lane[n], []).append((x, n))
        placed, lanes, y = [], [], 0.0
        for lane in ("actors", *GROUP_ORDER, "levers"):
            items = by_lane.get(lane)
            if not items:
                continue
            kind = "actor" if lane == "actors" else "lever" if lane == "levers" else self.meta[items[0][1]]["k"]
            row_h, max_rows = _ROW_H[kind], _MAX_ROWS[kind]
            rights: list[float] = []
            near: list[list[float]] = []  # each row's nodes within reach of the next one's date
            rows = []
            for x, n in sorted(items):
                node = self.nodes[n]
                half = max(node["size"] + 4, 3.4 * min(len(node["label"]), 40) + 6)
                row = next((i for i, r in enumerate(rights) if r + 6 <= x - half), None)
                dy = 0.0
                if row is None:
                    if len(rights) < max_rows:
                        rights.append(x + half)
                        near.append([])
                        row = len(rights) - 1
                    else:  # the lane is full here: overlap in the row that ends first, labels over labels, but
                        # never a node on a node (it could not be seen or hovered): at its own date, a little
                        # above or below the nodes already there
                        step = node["size"] + 3
                        for i in range(len(near)):
                            near[i] = [px for px in near[i] if x - px < step]
                        row = min(range(len(rights)), key=lambda i: (len(near[i]), rights[i]))  # the least stacked
                        k = len(near[row])
                        # 0, +1, -1, +2, -2, ... steps, as far as the row's half height; past that, the same again a
                        # few units later (never the same point twice)
                        fit = 2 * max(0, int((row_h / 2 - 2) // step)) + 1
                        j = k % fit
                        dy = (j + 1) // 2 * step * (1 if j % 2 else -1)
                        x = round(x + 3 * (k // fit), 1)
                rights[row] = max(rights[row], x + half)
                near[row].append(x)
                rows.append((n, x, row, dy))
            top = y
            placed += [(n, x, round(top + _LANE_PAD + row_h * (row + 0.5) + dy, 1)) for n, x, row, dy in rows]
            y = top + 2 * _LANE_PAD + row_h * max(1, len(rights))
            lanes.append({"name": lane, "label": lane, "y0": top, "y1": y,
                          "color": GROUP_COLORS.get(lane) or KIND_COLORS.get(lane.rstrip("s"), "#999999")})
            y += _LANE_GAP
        return placed, lanes, y


# -- the page ----------------------------------------------------------------------------------------------

_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>\s*",
    re.IGNORECASE)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*")
# pyvis's template keeps its local vis tags in a comment: harmless, but a reader checking that the page needs
# nothing from elsewhere finds them
_COMMENTED_TAGS = re.compile(r"<!--\s*<link\b[^>]*node_modules[^>]*>\s*<script\b[^>]*node_modules.*?-->\s*",
                             re.IGNORECASE | re.DOTALL)


class _Refs(HTMLParser):
    """Collects the src/href attributes of a page's elements (script and style contents are not elements)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.refs.extend(v or "" for k, v in attrs if k in ("src", "href"))

    handle_startendtag = handle_starttag


def external_refs(page: str) -> list[str]:
    """The src/href attributes of a page that point at another host (anything but a fragment, data: or blob:)."""
    parser = _Refs()
    parser.feed(page)
    parser.close()
    return [r for r in parser.refs if r.strip() and not re.match(r"^\s*(#|data:|blob:)", r, re.IGNORECASE)]


def _json_for_script(data) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _finish_page(page: str, data: dict) -> str:
    page = _REMOTE_TAG.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _COMMENTED_TAGS.sub("", page)
    refs = external_refs(page)
    if refs:  # pyvis's template changed: refuse to write a page that would go online
        raise RuntimeError(f"the pyvis page still loads from other hosts: {refs}")
    for marker in ("<html>", "</head>", "<body>", "</body>"):
        if page.count(marker) != 1:
            raise RuntimeError(f"unexpected pyvis template: {marker} found {page.count(marker)} times")
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="en">', 1)
    page = page.replace("</head>", f'<title>{htmllib.escape(data["title"])}</title>\n<style>{_CSS}</style>\n</head>', 1)
    page = page.replace("<body>", f"<body>\n{_HEADER}", 1)
    script = (f'<script type="application/json" id="parley-data">{_json_for_script(data)}</script>\n'
              f"<script>{_SCRIPT}</script>\n</body>")
    return page.replace("</body>", script, 1)


def view_html(graph, **options) -> str:
    """The page of `graph_view(graph, **options)`."""
    return graph_view(graph, **options).to_html()


def write_view(graph, path, **options) -> View:
    """Compute the view, write its page to `path` (through a temporary file, then a rename) and return it."""
    path = Path(path)
    if path.is_dir():
        raise ViewError(f"{path}: is a directory")
    if not path.parent.exists():
        raise ViewError(f"{path}: folder {path.parent} does not exist")
    view = graph_view(graph, **options)
    write_html(view.to_html(), path)
    return view


def write_html(page: str, path) -> None:
    """Replace `path` with `page` only once it is fully written."""
    from .export import write_atomic

    write_atomic(path, page)


_HEADER = """<div id="parley-header">
  <h1 id="parley-title"></h1>
  <p id="parley-note" hidden></p>
  <div id="parley-controls">
    <label>Search <input id="parley-search" type="search" placeholder="label or id" autocomplete="off"></label>
    <span id="parley-search-count" aria-live="polite"></span>
    <span id="parley-dates">
      <label>From <input id="parley-from" type="range" min="0" max="0" value="0"></label>
      <output id="parley-from-label"></output>
      <label>to <input id="parley-to" type="range" min="0" max="0" value="0"></label>
      <output id="parley-to-label"></output>
    </span>
    <details id="parley-types-box"><summary>Types</summary><div id="parley-types"></div></details>
    <details id="parley-actors-box"><summary>Actors</summary><div id="parley-actors"></div></details>
    <button id="parley-reset" type="button">Reset</button>
    <span id="parley-shown"></span>
  </div>
</div>
"""

_CSS = """
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; }
#parley-header { padding: 8px 14px 4px; }
#parley-title { font-size: 20px; margin: 0 0 4px; }
#parley-note { margin: 4px 0; padding: 6px 10px; background: #fff4d6; border: 1px solid #e8c96a; border-radius: 4px; }
#parley-controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
#parley-controls details { position: relative; }
#parley-controls details > div { position: absolute; z-index: 20; background: #fff; border: 1px solid #bbb;
  padding: 6px 10px; max-height: 50vh; overflow: auto; min-width: 220px; box-shadow: 2px 2px 8px rgba(0,0,0,.15); }
#parley-controls details label { display: block; white-space: nowrap; }
#parley-controls output { display: inline-block; min-width: 6.5em; font-variant-numeric: tabular-nums; }
.card { display: flex; align-items: flex-start; }
#mynetwork { float: none !important; flex: 1 1 auto; min-width: 0; }
#parley-legend { flex: 0 0 auto; background: #fff; border: 1px solid #ccc; border-left: 0; padding: 6px 10px;
  font-size: 12px; width: 190px; box-sizing: border-box; }
#parley-legend h2 { font-size: 12px; margin: 4px 0 2px; }
#parley-legend label, #parley-legend div.item { display: block; white-space: nowrap; }
#parley-legend .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 5px; vertical-align: -1px; }
#parley-legend .line { display: inline-block; width: 22px; margin-right: 5px; vertical-align: 3px;
  border-top: 3px solid; }
#parley-tooltip { position: absolute; z-index: 30; max-width: 420px; background: #fffef6; border: 1px solid #888;
  border-radius: 4px; padding: 8px 10px; box-shadow: 3px 3px 10px rgba(0,0,0,.2); font-size: 13px; }
#parley-tooltip h3 { font-size: 14px; margin: 0 0 4px; }
#parley-tooltip table { border-collapse: collapse; }
#parley-tooltip th { text-align: left; padding: 0 8px 0 0; color: #555; font-weight: normal; vertical-align: top; }
#parley-tooltip p { margin: 4px 0; }
#parley-tooltip ul { margin: 4px 0; padding-left: 18px; }
#parley-tooltip.pinned { border-color: #333; }
"""

# The page's own script: tooltips, legend, search, filters and the date slider. Every string from the data
# goes into the DOM through textContent; links get an href only for http(s) URLs.
_SCRIPT = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("parley-data").textContent);
  var META = DATA.meta, TIPS = DATA.tooltips;
  var container = document.getElementById("mynetwork");
  var DAY = 86400000;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function dayText(i) {
    if (!DATA.day0) return "";
    var p = DATA.day0.split("-").map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2]) + i * DAY).toISOString().slice(0, 10);
  }
  function sourceItem(s) {
    var li = el("li"), url = String(s.url || ""), label = s.title || url;
    if (/^https?:\/\//i.test(url)) {
      var a = el("a", label);
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else {
      li.appendChild(el("span", label));
    }
    var extra = [s.publisher, s.date].filter(Boolean).join(", ");
    if (extra) li.appendChild(el("span", " (" + extra + ")"));
    return li;
  }

  document.getElementById("parley-title").textContent = DATA.title;
  if (DATA.note) {
    var note = document.getElementById("parley-note");
    note.textContent = DATA.note; note.hidden = false;
  }

  // Tooltips: shown on hover, pinned by a click (so their links can be followed), closed by a click elsewhere.
  var tip = el("div"); tip.id = "parley-tooltip"; tip.hidden = true; tip.setAttribute("role", "tooltip");
  container.appendChild(tip);
  var pinned = null;
  function showTip(id, pointer) {
    var t = TIPS[id];
    if (!t) return;
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    tip.appendChild(el("h3", t.title));
    if (t.rows && t.rows.length) {
      var table = el("table");
      t.rows.forEach(function (r) {
        var tr = el("tr"); tr.appendChild(el("th", r[0])); tr.appendChild(el("td", r[1])); table.appendChild(tr);
      });
      tip.appendChild(table);
    }
    (t.text || []).forEach(function (p) { tip.appendChild(el("p", p)); });
    if (t.items && t.items.length) {
      var ul = el("ul");
      t.items.forEach(function (s) { ul.appendChild(el("li", s)); });
      tip.appendChild(ul);
    }
    if (t.sources && t.sources.length) {
      tip.appendChild(el("p", "Sources:"));
      var sl = el("ul");
      t.sources.forEach(function (s) { sl.appendChild(sourceItem(s)); });
      tip.appendChild(sl);
    }
    tip.hidden = false;
    var w = container.clientWidth, x = pointer.x + 14, y = pointer.y + 14;
    if (x + tip.offsetWidth > w) x = Math.max(0, pointer.x - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > container.clientHeight) y = Math.max(0, pointer.y - tip.offsetHeight - 14);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hideTip() { if (!pinned) tip.hidden = true; }
  network.on("hoverNode", function (p) { if (!pinned) showTip(p.node, p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("hoverEdge", function (p) { if (!pinned) showTip(p.edge, p.pointer.DOM); });
  network.on("blurEdge", hideTip);
  network.on("click", function (p) {
    var id = p.nodes.length ? p.nodes[0] : (p.edges.length === 1 && TIPS[p.edges[0]] ? p.edges[0] : null);
    pinned = null; tip.classList.remove("pinned");
    if (id && TIPS[id]) { showTip(id, p.pointer.DOM); pinned = id; tip.classList.add("pinned"); }
    else tip.hidden = true;
  });

  // Legend: colour by group (each a filter), shape by kind, edge styles by relation.
  var legend = el("div"); legend.id = "parley-legend";
  var L = DATA.legend, groupsOn = {};
  legend.appendChild(el("h2", "Event groups"));
  L.groups.forEach(function (g) {
    var present = DATA.groups.indexOf(g.name) >= 0;
    groupsOn[g.name] = true;
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.disabled = !present; box.dataset.group = g.name;
    box.addEventListener("change", function () { groupsOn[g.name] = box.checked; applyFilters(); });
    var sw = el("span", null, "swatch"); sw.style.background = g.color; sw.style.borderRadius = "50%";
    label.appendChild(box); label.appendChild(sw); label.appendChild(document.createTextNode(g.name));
    if (!present) label.style.color = "#aaa";
    legend.appendChild(label);
  });
  legend.appendChild(el("h2", "Nodes"));
  var glyph = {dot: "\u25CF", hexagon: "\u2B22", diamond: "\u25C6", square: "\u25A0"};
  L.kinds.forEach(function (k) {
    if (k.name === "bucket" && !DATA.aggregation) return;
    var d = el("div", null, "item"), g = el("span", glyph[k.shape] + " ");
    g.style.color = k.name === "actor" ? L.actorColor : k.name === "lever" ? L.leverColor : "#555";
    d.appendChild(g); d.appendChild(document.createTextNode(k.label)); legend.appendChild(d);
  });
  legend.appendChild(el("div", DATA.aggregation ? "size: events held" : "size: centrality", "item"));
  legend.appendChild(el("h2", "Causal claims"));
  L.relations.forEach(function (r) {
    var d = el("div", null, "item"), line = el("span", null, "line");
    line.style.borderTopColor = r.color;
    d.appendChild(line); d.appendChild(document.createTextNode(r.name)); legend.appendChild(d);
  });
  var dd = el("div", null, "item"), dl = el("span", null, "line");
  dl.style.borderTopStyle = "dashed"; dl.style.borderTopColor = "#444";
  dd.appendChild(dl); dd.appendChild(document.createTextNode("disputed")); legend.appendChild(dd);
  var pd = el("div", null, "item"), pl = el("span", null, "line");
  pl.style.borderTopColor = L.participation; pl.style.borderTopWidth = "2px";
  pd.appendChild(pl); pd.appendChild(document.createTextNode("participation, lever")); legend.appendChild(pd);
  container.parentNode.appendChild(legend);

  // Filters: group (legend), type, actor, date range.
  var typesOn = {}, actorsOn = {}, actorBoxes = [], typeBoxes = [];
  function checkList(holder, items, state, boxes) {
    var all = el("label"), allBox = el("input");
    allBox.type = "checkbox"; allBox.checked = true;
    all.appendChild(allBox); all.appendChild(document.createTextNode("all")); holder.appendChild(all);
    allBox.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = allBox.checked; state[b.dataset.key] = allBox.checked; });
      applyFilters();
    });
    items.forEach(function (it) {
      var label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = true; box.dataset.key = it.id; state[it.id] = true;
      box.addEventListener("change", function () { state[it.id] = box.checked; applyFilters(); });
      boxes.push(box);
      label.appendChild(box); label.appendChild(document.createTextNode(it.label)); holder.appendChild(label);
    });
  }
  checkList(document.getElementById("parley-types"), DATA.types.map(function (t) { return {id: t, label: t}; }),
            typesOn, typeBoxes);
  checkList(document.getElementById("parley-actors"), DATA.actors, actorsOn, actorBoxes);
  // One drop-down open at a time (an open one would cover the next).
  var boxes = document.querySelectorAll("#parley-controls details");
  boxes.forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (d.open) boxes.forEach(function (o) { if (o !== d) o.open = false; });
    });
  });
  var from = document.getElementById("parley-from"), to = document.getElementById("parley-to");
  from.max = to.max = String(DATA.days); to.value = String(DATA.days); from.value = "0";
  if (!DATA.day0) document.getElementById("parley-dates").hidden = true;
  function showDates() {
    document.getElementById("parley-from-label").textContent = dayText(+from.value);
    document.getElementById("parley-to-label").textContent = dayText(+to.value);
  }
  from.addEventListener("input", function () {
    if (+from.value > +to.value) to.value = from.value;
    showDates(); applyFilters();
  });
  to.addEventListener("input", function () {
    if (+to.value < +from.value) from.value = to.value;
    showDates(); applyFilters();
  });
  showDates();

  var hidden = {};
  function visible(id) {
    var m = META[id], allActors = actorBoxes.every(function (b) { return b.checked; });
    if (m.k === "lever") return true;
    if (m.k === "actor") return allActors || !!actorsOn[id];
    if (!groupsOn[m.g]) return false;
    if (!m.t.some(function (t) { return typesOn[t]; })) return false;
    if (m.d1 < +from.value || m.d0 > +to.value) return false;
    if (!allActors && !m.a.some(function (a) { return actorsOn[a]; })) return false;
    return true;
  }
  function applyFilters() {
    var changes = [], shown = 0, total = 0;
    nodes.getIds().forEach(function (id) {
      var h = !visible(id);
      if (META[id].k === "event" || META[id].k === "bucket") { total++; if (!h) shown++; }
      if (!!hidden[id] !== h) { hidden[id] = h; changes.push({id: id, hidden: h}); }
    });
    if (changes.length) nodes.update(changes);
    document.getElementById("parley-shown").textContent =
      shown === total ? "" : "showing " + shown + " of " + total + (DATA.aggregation ? " aggregates" : " events");
  }

  // Search by label or id: the matches and their neighbours stay bright, the rest fade.
  var search = document.getElementById("parley-search"), faded = {};
  function highlight(query) {
    var q = query.trim().toLowerCase(), keep = null, matches = [];
    if (q) {
      keep = {};
      nodes.forEach(function (n) {
        if (hidden[n.id]) return;
        var label = String(n.label || "").toLowerCase();
        if (label.indexOf(q) >= 0 || (META[n.id].s || "").indexOf(q) >= 0) {
          matches.push(n.id); keep[n.id] = true;
          network.getConnectedNodes(n.id).forEach(function (m) { keep[m] = true; });
        }
      });
    }
    var changes = [];
    nodes.getIds().forEach(function (id) {
      var f = !!keep && !keep[id];
      if (!!faded[id] !== f) { faded[id] = f; changes.push({id: id, opacity: f ? 0.12 : 1}); }
    });
    if (changes.length) nodes.update(changes);
    network.selectNodes(matches, true);
    document.getElementById("parley-search-count").textContent =
      q ? matches.length + (matches.length === 1 ? " match" : " matches") : "";
    return matches;
  }
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer); timer = setTimeout(function () { highlight(search.value); }, 120);
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var m = highlight(search.value);
    if (m.length) {
      var around = m.slice();
      m.forEach(function (id) { around = around.concat(network.getConnectedNodes(id)); });
      network.fit({nodes: around, animation: false});
    }
  });
  document.getElementById("parley-reset").addEventListener("click", function () {
    search.value = ""; highlight("");
    typeBoxes.forEach(function (b) { b.checked = true; typesOn[b.dataset.key] = true; });
    actorBoxes.forEach(function (b) { b.checked = true; actorsOn[b.dataset.key] = true; });
    document.querySelectorAll("#parley-controls details input").forEach(function (b) { b.checked = true; });
    legend.querySelectorAll("input[data-group]").forEach(function (b) {
      b.checked = true; groupsOn[b.dataset.group] = true;
    });
    from.value = "0"; to.value = String(DATA.days); showDates(); applyFilters(); fitView();
  });

  // The timeline's lanes and date axis, drawn under the network; labels stick to the visible edges.
  if (DATA.lanes.length) {
    network.on("beforeDrawing", function (ctx) {
      var s = network.getScale(), tl = network.DOMtoCanvas({x: 0, y: 0}),
          br = network.DOMtoCanvas({x: container.clientWidth, y: container.clientHeight});
      var top = DATA.lanes[0].y0, bottom = DATA.lanes[DATA.lanes.length - 1].y1;
      DATA.lanes.forEach(function (l, i) {
        ctx.fillStyle = i % 2 ? "rgba(0,0,0,0.035)" : "rgba(0,0,0,0.0)";
        ctx.fillRect(tl.x, l.y0, br.x - tl.x, l.y1 - l.y0);
        ctx.fillStyle = l.color; ctx.fillRect(tl.x, l.y0, 5 / s, l.y1 - l.y0);
      });
      ctx.strokeStyle = "rgba(0,0,0,0.10)"; ctx.lineWidth = 1 / s;
      DATA.ticks.forEach(function (t) {
        if (t.x < tl.x || t.x > br.x) return;
        ctx.beginPath(); ctx.moveTo(t.x, top); ctx.lineTo(t.x, bottom); ctx.stroke();
      });
    });
    network.on("afterDrawing", function (ctx) {
      var s = network.getScale(), tl = network.DOMtoCanvas({x: 0, y: 0}),
          br = network.DOMtoCanvas({x: container.clientWidth, y: container.clientHeight});
      ctx.font = "bold " + (13 / s) + "px sans-serif"; ctx.textBaseline = "middle"; ctx.textAlign = "left";
      DATA.lanes.forEach(function (l) {
        var y = Math.min(Math.max((l.y0 + l.y1) / 2, tl.y + 20 / s), br.y - 10 / s);
        if (l.y1 < tl.y || l.y0 > br.y) return;
        ctx.fillStyle = "rgba(255,255,255,0.85)";
        ctx.fillRect(tl.x + 8 / s, y - 9 / s, ctx.measureText(l.label).width + 8 / s, 18 / s);
        ctx.fillStyle = l.color; ctx.fillText(l.label, tl.x + 12 / s, y);
      });
      ctx.font = (11 / s) + "px sans-serif"; ctx.textAlign = "center"; ctx.fillStyle = "#555";
      var last = -Infinity;
      DATA.ticks.forEach(function (t) {
        if (t.x < tl.x || t.x > br.x || (t.x - last) * s < 70) return;
        last = t.x; ctx.fillText(t.label, t.x, tl.y + 10 / s);
      });
    });
  }

  window.parleyDrawn = false;
  network.once("afterDrawing", function () { window.parleyDrawn = true; document.body.dataset.drawn = "1"; });
  applyFilters();
  function fitView() {
    network.fit({animation: false});
    if (DATA.layout !== "timeline") return;
    // Leave room on the left for the lane labels.
    var sc = network.getScale() * 0.94, at = network.getViewPosition();
    network.moveTo({position: {x: at.x - 55 / sc, y: at.y}, scale: sc, animation: false});
  }
  fitView();
  network.redraw();
  window.parleyView = {highlight: highlight, applyFilters: applyFilters, data: DATA};
})();
"""
