"""Reading a timeline from its graph: the events in order (`timeline_rows`) and where each lever stood on a day
(`lever_states`).

Both read only the RDF graph (graph/queries/timeline-*.rq and state-*.rq), so a Turtle file or a remote store
reads the same as timeline files. Each returns one view object rendered many ways: to_dict() (what `--format
json` prints), to_text(), to_markdown(), to_csv().

An event's date may be uncertain: a window [earliest, latest] with a precision (day, month or range). The
date filters keep an event whose window overlaps [start, end]. A lever's state on a day comes from its outcome
nodes: an outcome holds from validFrom (inclusive) to validUntil (exclusive); where two hold on the same day the
later change in event order wins, and an outcome whose window is empty (a change overtaken before it took
effect) never holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import operator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from rdflib import Literal, URIRef

from ..events.model import EVENT_TYPES, GROUPS, DateSpec, amount_text, group_of, in_range
from ..events.outcomes import RESUMABLE, resumed_schedule, suspends
from .query import AMONG_LIMIT, QueryError, one_line, resolve_id, run_query, run_query_among

GROUP_NAMES = (*GROUPS, "diplomacy")  # group_of() puts every type outside GROUPS in diplomacy
# Colours for the text view on a terminal: one per audit group, so pressure and relief stand apart.
GROUP_COLORS = {"pressure": "red", "relief": "green", "security": "blue", "diplomacy": "yellow",
                "statistics": "magenta"}
STATUS_COLORS = {"threatened": "yellow", "in-force": "red", "paused": "green", "exempted": "green",
                 "reduced": "cyan", "withdrawn": "green"}
TYPE_NS = "https://w3id.org/parley/event-type/"
MIN_SUMMARY = 20  # below this a summary says nothing; the line is cut at the end instead


# ---------------------------------------------------------------------------------------------- helpers

def _local(term) -> str:
    """The last segment of an IRI (what is shown when a node has no dcterms:identifier)."""
    s = str(term)
    return s.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _ident(ident, node) -> str:
    return str(ident) if ident is not None else _local(node)


def _day(term) -> dt.date | None:
    """A date of the graph; QueryError for a value that is no date (a hand-edited graph), not a silent None."""
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else term
    try:
        if not (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            value = dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        raise QueryError(f"the graph has {str(term)!r} where a date (YYYY-MM-DD) belongs") from None
    try:
        return in_range(value)  # (as the timeline files and the audit: a window's arithmetic stays in range)
    except ValueError as e:
        raise QueryError(f"the graph has {str(term)!r}: {e}") from None


def _number(term) -> int | float | None:
    """A decimal literal as an int when whole (25, not 25.0) else a float: plain JSON numbers."""
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else term
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite():
        raise QueryError(f"the graph has {str(term)!r} where a number belongs")
    return int(value) if value == value.to_integral_value() else float(value)


def _text(term) -> str | None:
    return None if term is None else str(term)


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def parse_day(value, *, what: str = "date") -> dt.date:
    """A calendar day from a date or a 'YYYY-MM-DD' string; QueryError naming the bad value otherwise."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        text = str(value)
        if len(text) != 10 or text[4] != "-" or text[7] != "-" or not (text[:4] + text[5:7] + text[8:]).isdigit():
            raise QueryError(f"{what} {text!r} is not a date (expected YYYY-MM-DD)")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError as e:
            raise QueryError(f"{what} {text!r} is not a real calendar date ({e})") from None
    try:
        return in_range(day)
    except ValueError as e:
        raise QueryError(f"{what}: {e}") from None


def _merged(rows, key: tuple, *, smallest: tuple = (), largest: tuple = ()) -> list:
    """The rows, one per `key`: a hand-edited graph's several ids, types or dates of one node give several rows,
    merged as every reader merges them (the smallest id and type, the earliest earliest and the latest latest
    date; values compared as text: ISO dates in their order). Other columns: the first row's."""
    out: dict = {}
    for r in rows:
        k = tuple(r[c] for c in key)
        had = out.get(k)
        if had is None:
            out[k] = r
            continue
        if had is r:
            continue
        merged = dict(had)
        for columns, pick in ((smallest, min), (largest, max)):
            for c in columns:
                values = [v for v in (had[c], r[c]) if v is not None]
                if c == "latest" and "earliest" in r:  # a second earliest date after the latest widens the span
                    values += [v for v in (had.get("_lastEarliest", had["earliest"]), r["earliest"]) if v is not None]
                merged[c] = pick(values, key=str) if values else None
        if "earliest" in r:
            values = [v for v in (had.get("_lastEarliest", had["earliest"]), r["earliest"]) if v is not None]
            merged["_lastEarliest"] = max(values, key=str) if values else None
        out[k] = merged
    return list(out.values())


def date_spec(earliest: dt.date, latest: dt.date | None, precision: str | None) -> DateSpec:
    latest = latest or earliest
    if precision not in ("day", "month", "range") or precision == "day" and latest != earliest:
        # (a day with a span: a hand-edited graph's several dates, read as their widest span)
        precision = "day" if earliest == latest else "range"
    return DateSpec(earliest, latest, precision)


def short_date(d: DateSpec) -> str:
    """A date as compactly as its precision allows: 2025-02-03, 2025-02, 2025-01-14..15, 2025-01-30..02-02."""
    if d.precision == "day" or d.earliest == d.latest:
        return d.earliest.isoformat()
    if d.precision == "month":
        return d.earliest.strftime("%Y-%m")
    lo, hi = d.earliest, d.latest
    if lo.year != hi.year:
        return f"{lo.isoformat()}..{hi.isoformat()}"
    if lo.month != hi.month:
        return f"{lo.isoformat()}..{hi.strftime('%m-%d')}"
    return f"{lo.isoformat()}..{hi.strftime('%d')}"


def date_dict(d: DateSpec) -> dict:
    return {"earliest": d.earliest.isoformat(), "latest": d.latest.isoformat(), "precision": d.precision,
            "text": short_date(d)}


def ellipsize(text: str, width: int) -> str:
    """`text` cut to `width` characters, ending in an ellipsis when cut."""
    if len(text) <= width:
        return text
    return "…" if width <= 1 else text[: width - 1].rstrip() + "…"


def format_rate(rate) -> str:
    return f"{rate}%"


def format_quantity(quantity: dict, *, since: dt.date | None = None, not_totals=(), bounds=None) -> str:
    """`more than 1,193 labs, 50 pct (not a total); totals since 2024-10-01`: a figure the sources give as a
    bound or a span says so, and a statistic says how its figures count."""
    bounds = bounds or {}
    text = ", ".join(f"{amount_text(amount, bounds.get(kind))} {kind}"
                     + (" (not a total)" if kind in not_totals else "") for kind, amount in quantity.items())
    return text + (f"; totals since {since.isoformat()}" if since else "")


def quantity_bound(bound, maximum) -> tuple | None:
    """A quantity's bound as Event.bounds keeps it, from its parley:amountBound and parley:maxAmount terms."""
    if maximum is not None:
        upper = _number(maximum)
        if upper is not None:
            return ("range", upper)
    if bound is not None and str(bound) in ("over", "about"):
        return (str(bound), None)
    return None


def merge_bound(had: tuple | None, new: tuple | None) -> tuple | None:
    """Of two bounds given for one quantity (a hand-edited graph), the one every reader keeps, whatever the
    order the store answers in: a span over a word, the wider span, else the first word alphabetically."""
    if had is None or new is None:
        return had or new
    if new[0] == "range":
        return new if had[0] != "range" or new[1] > had[1] else had
    return had if had[0] == "range" else min(had, new)


def _bounds_dict(bounds: dict) -> dict:
    """Event.bounds for JSON: {"labs": {"bound": "over"}, "troops": {"bound": "range", "to": 1650}}."""
    return {k: {"bound": b, "to": upper} if b == "range" else {"bound": b} for k, (b, upper) in bounds.items()}


def _md(text) -> str:
    """A markdown table cell: no raw HTML (a summary's `<script>` is text), backslashes and pipes escaped (a
    backslash left alone would escape what follows it), line breaks flattened, control characters shown
    (one_line)."""
    if text is None:
        return ""
    return html.escape(one_line(str(text)), quote=False).replace("\\", "\\\\").replace("|", "\\|")


def _md_url(url: str) -> str:
    # A link destination in <...> may hold ')' but not '<', '>', spaces or line breaks; '|' would end the cell.
    return "".join({"<": "%3C", ">": "%3E", " ": "%20", "|": "%7C", "\n": "", "\r": ""}.get(c, c)
                   if c >= " " and not "\x7f" <= c <= "\x9f" or c in "\n\r"
                   else "".join(f"%{b:02X}" for b in c.encode()) for c in url)  # (a control character, UTF-8)


def _table(header: list[str], rows: list[list[str]], *, width: int | None = None, shrink: int | None = None,
           styles=None) -> list[str]:
    """Aligned columns; with `width`, column `shrink` gives way first (down to 10 characters), then each line is
    cut; `styles[i][j]` (click.style arguments) colours cell j of row i."""
    import click

    rows = [[one_line(c) for c in r] for r in rows]  # (a control character in a value: shown, not obeyed)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    over = 0 if width is None else sum(widths) + 2 * (len(widths) - 1) - width
    if over > 0 and shrink is not None and widths[shrink] > 10:
        widths[shrink] = max(10, widths[shrink] - over)
        rows = [[ellipsize(c, widths[shrink]) if i == shrink else c for i, c in enumerate(r)] for r in rows]
    lines = []
    for n, r in enumerate([header, *rows]):
        cells = [cell.ljust(w) for cell, w in zip(r, widths)]
        line = "  ".join(cells).rstrip()
        if width is not None:
            line = ellipsize(line, width)
        style = styles[n - 1] if styles and n else {}
        at = 0
        for j, cell in enumerate(cells):
            # Style after measuring (escape codes take no columns), and only cells the cut left whole.
            if j in style and at + len(cell.rstrip()) <= len(line):
                seg = cell.rstrip()
                line = line[:at] + click.style(seg, **style[j]) + line[at + len(seg):]
                at += len(click.style(seg, **style[j])) - len(seg)
            at += len(cell) + 2
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------------------------- timeline

@dataclass(frozen=True)
class ClaimRef:
    """One end of a causal claim as seen from an event: the claim, the event at the other end, the relation."""

    claim: str
    event: str
    relation: str

    def to_dict(self) -> dict:
        return {"claim": self.claim, "event": self.event, "relation": self.relation}


@dataclass(frozen=True)
class TimelineRow:
    id: str
    date: DateSpec
    type: str
    summary: str
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    lever: str | None = None
    rate: int | float | None = None
    status: str | None = None
    scope: str | None = None
    effective: dt.date | None = None
    until: dt.date | None = None
    quantity: dict = field(default_factory=dict, hash=False)
    sources: tuple[str, ...] = ()
    claims_in: tuple[ClaimRef, ...] = ()
    claims_out: tuple[ClaimRef, ...] = ()
    defined_at: str | None = None
    counted_since: dt.date | None = None  # a statistic's: the day its totals count from
    not_totals: tuple[str, ...] = ()  # a statistic's quantity kinds that are not totals
    bounds: dict = field(default_factory=dict, hash=False)  # kind -> (bound, upper), as Event.bounds

    @property
    def group(self) -> str:
        return group_of(self.type)

    @property
    def who(self) -> str:
        who = ", ".join(self.actors) or "-"
        return f"{who} -> {', '.join(self.targets)}" if self.targets else who

    @property
    def what(self) -> str:
        """The lever and what the event did to it (rate, resulting status), then any quantities."""
        parts = []
        if self.lever:
            parts.append(self.lever)
        if self.rate is not None:
            parts.append(format_rate(self.rate))
        if self.status:
            parts.append(f"[{self.status}]")
        if self.quantity:
            parts.append(self.quantity_text)
        return " ".join(parts)

    @property
    def quantity_text(self) -> str:
        return format_quantity(self.quantity, since=self.counted_since, not_totals=self.not_totals,
                               bounds=self.bounds)

    def claims_text(self) -> str:
        return ", ".join([f"<- {c.event} ({c.relation})" for c in self.claims_in]
                         + [f"-> {c.event} ({c.relation})" for c in self.claims_out])

    def tails(self) -> list[str]:
        """The end of the text line, from the fullest to the shortest: on a narrow terminal the claims shrink
        to counts (<-2 in, ->1 out) before the summary goes below MIN_SUMMARY."""
        src = f"{len(self.sources)} src"
        if not (self.claims_in or self.claims_out):
            return [src]
        counts = " ".join(f"{arrow}{len(c)}" for arrow, c in (("<-", self.claims_in), ("->", self.claims_out)) if c)
        return [f"{src}  {self.claims_text()}", f"{src}  {counts}"]

    def to_dict(self) -> dict:
        return {
            "id": self.id, "date": date_dict(self.date), "type": self.type, "group": self.group,
            "actors": list(self.actors), "targets": list(self.targets), "lever": self.lever, "rate": self.rate,
            "status": self.status, "scope": self.scope, "effective": _iso(self.effective),
            "until": _iso(self.until), "quantity": dict(self.quantity), "counted_since": _iso(self.counted_since),
            "not_totals": list(self.not_totals), "quantity_bounds": _bounds_dict(self.bounds), "summary": self.summary,
            "sources": list(self.sources), "claims_in": [c.to_dict() for c in self.claims_in],
            "claims_out": [c.to_dict() for c in self.claims_out], "defined_at": self.defined_at,
        }


CSV_COLUMNS = ("date", "earliest", "latest", "precision", "id", "type", "group", "actors", "targets", "lever",
               "rate", "status", "scope", "effective", "until", "quantity", "quantity_bounds", "counted_since",
               "not_totals", "summary",
               "sources", "source_urls",
               "claims_in", "claims_out")


@dataclass(frozen=True)
class TimelineView:
    """The events that pass the filters, in date order, and the filters themselves."""

    rows: tuple[TimelineRow, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    levers: tuple[str, ...] = ()

    def filters(self) -> dict:
        return {"from": _iso(self.start), "to": _iso(self.end), "types": list(self.types),
                "groups": list(self.groups), "actors": list(self.actors), "levers": list(self.levers)}

    def describe_filters(self) -> str:
        parts = [f"{k} {v}" for k, v in (("from", self.start), ("to", self.end)) if v is not None]
        parts += [f"{k} {', '.join(v)}" for k, v in (("type", self.types), ("group", self.groups),
                                                     ("actor", self.actors), ("lever", self.levers)) if v]
        return "; ".join(parts)

    def empty_message(self) -> str:
        filters = self.describe_filters()
        return f"no events match ({filters})" if filters else "the graph has no events"

    def to_dict(self) -> dict:
        return {"filters": self.filters(), "count": len(self.rows), "events": [r.to_dict() for r in self.rows]}

    def to_text(self, *, width: int | None = None, color: bool = False) -> str:
        """One line per event; with `width`, each line fits it (the summary is cut first); colour by group."""
        if not self.rows:
            return self.empty_message() + "\n"
        import click

        cells = [[short_date(r.date), r.type, one_line(r.who), one_line(r.what)] for r in self.rows]
        widths = [max(len(c[i]) for c in cells) for i in range(4)]
        if width is not None:
            # Who and what take at most a quarter each of what the date, the type and the shortest tail leave,
            # so the summary keeps at least half of it (and MIN_SUMMARY); the wider of the two gives way first.
            flex = width - widths[0] - widths[1] - 8 - 2 - max(len(r.tails()[-1]) for r in self.rows)
            cap = max(min(max(widths[2], widths[3]), flex // 4), 6)
            while cap > 6 and min(widths[2], cap) + min(widths[3], cap) > flex - MIN_SUMMARY:
                cap -= 1
            for c in cells:
                c[2], c[3] = ellipsize(c[2], cap), ellipsize(c[3], cap)
            widths = [max(len(c[i]) for c in cells) for i in range(4)]
        lines = []
        for r, c in zip(self.rows, cells):
            head = [c[i].ljust(widths[i]) for i in range(4) if widths[i]]
            prefix = "  ".join(head) + "  "
            tails = r.tails()
            tail, summary = tails[0], one_line(r.summary)
            if width is not None:
                fits = [t for t in tails if width - len(prefix) - len(t) - 2 >= MIN_SUMMARY]
                tail = fits[0] if fits else tails[-1]
                # Past the shortest tail the summary gives way (down to a stub) before the line is cut.
                summary = ellipsize(summary, max(width - len(prefix) - len(tail) - 2, 8))
            line = f"{prefix}{summary}  {tail}"
            if width is not None:
                line = ellipsize(line, width)
            if color:
                # Style after measuring: escape codes take no columns on screen.
                at = len(head[0]) + 2
                styled = click.style(line[at:at + len(head[1])], fg=GROUP_COLORS[r.group], bold=r.group != "diplomacy")
                line = line[:at] + styled + line[at + len(head[1]):]
            lines.append(line.rstrip())
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """A complete table (nothing cut) to paste into a memo; sources as numbered links."""
        if not self.rows:
            return f"_{_md(self.empty_message())}_\n"
        header = ["Date", "Event", "Type", "Actors", "Targets", "Lever", "Rate", "Status", "Quantity", "Summary",
                  "Sources", "Claims in", "Claims out"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for r in self.rows:
            sources = " ".join(f"[{i}](<{_md_url(u)}>)" if "://" in u else str(i)
                               for i, u in enumerate(r.sources, 1))
            cells = [short_date(r.date), r.id, r.type, ", ".join(r.actors), ", ".join(r.targets), r.lever,
                     None if r.rate is None else format_rate(r.rate), r.status, r.quantity_text,
                     r.summary]
            row = [_md(c) for c in cells] + [sources or "0"]
            row += [_md("; ".join(f"{c.event} ({c.relation})" for c in claims))
                    for claims in (r.claims_in, r.claims_out)]
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """One row per event, every field in full; lists joined with '; ' (source URLs with spaces)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for r in self.rows:
            w.writerow([
                short_date(r.date), r.date.earliest.isoformat(), r.date.latest.isoformat(), r.date.precision, r.id,
                r.type, r.group, "; ".join(r.actors), "; ".join(r.targets), r.lever or "",
                "" if r.rate is None else r.rate, r.status or "", r.scope or "", _iso(r.effective) or "",
                _iso(r.until) or "", "; ".join(f"{k}={v}" for k, v in r.quantity.items()),
                "; ".join(f"{k} {amount_text(r.quantity[k], b)}" for k, b in r.bounds.items()),
                _iso(r.counted_since) or "",
                "; ".join(r.not_totals), r.summary,
                len(r.sources), " ".join(r.sources),
                "; ".join(f"{c.event} {c.relation}" for c in r.claims_in),
                "; ".join(f"{c.event} {c.relation}" for c in r.claims_out),
            ])
        return out.getvalue()


def _check_choices(values, allowed, what: str) -> tuple[str, ...]:
    for v in values:
        if v not in allowed:
            raise QueryError(f"unknown {what} '{v}' (expected one of: {', '.join(allowed)})")
    return tuple(dict.fromkeys(values))


def timeline_rows(graph, *, start=None, end=None, types=(), groups=(), actors=(), levers=()) -> TimelineView:
    """The events of the graph in date order, filtered.

    `start`/`end` (dates or 'YYYY-MM-DD') keep events whose date window overlaps [start, end]; `types` and
    `groups` keep events of those types or audit groups; `actors` keeps events in which one of these actor ids
    acted or was targeted; `levers` keeps events on one of these lever ids. Values within one filter are
    alternatives; different filters must all hold. QueryError (a bad-input error) for an unknown type, group,
    actor or lever, an impossible date, or `start` after `end`.
    """
    start = None if start is None else parse_day(start, what="start")
    end = None if end is None else parse_day(end, what="end")
    if start and end and start > end:
        raise QueryError(f"start {start} is after end {end}")
    types = _check_choices(types, EVENT_TYPES, "event type")
    groups = _check_choices(groups, GROUP_NAMES, "group")
    actors, levers = tuple(dict.fromkeys(actors)), tuple(dict.fromkeys(levers))
    actor_nodes = {resolve_id(graph, "actor", a) for a in actors}
    lever_nodes = {resolve_id(graph, "lever", lv) for lv in levers}

    events = run_query(graph, "timeline-events", params={"from": start, "to": end})
    if types or groups or lever_nodes:  # the filters the event rows can answer, before anything else is read
        events = [r for r in events if (not types or _event_type(r["type"]) in types)
                  and (not groups or group_of(_event_type(r["type"])) in groups)
                  and (not lever_nodes or r["lever"] in lever_nodes)]
    if actor_nodes:  # the events the actors took part in or were targeted by, asked for by the actors' IRIs
        theirs = {r["event"] for r in run_query_among(graph, "timeline-participants", "actor", actor_nodes)
                  if r["actor"] in actor_nodes}
        events = [r for r in events if r["event"] in theirs]
    # Within dates or other filters, what the rows show of their events is asked for by IRI, not read for the
    # whole graph.
    narrowed = start or end or types or groups or lever_nodes or actor_nodes
    some = [r["event"] for r in events] if narrowed and len(events) <= AMONG_LIMIT else None
    participants: dict = {}
    for r in run_query_among(graph, "timeline-participants", "event", some):
        # once each (role, actor): an event of two types is two rows of each, an actor of two ids (hand-edited
        # graphs) is named by the smallest, as every reader names it
        mine = participants.setdefault(r["event"], {})
        key, ident = (r["role"], r["actor"]), _ident(r["actorId"], r["actor"])
        if key not in mine or ident < mine[key]:
            mine[key] = ident
    participants = {event: [(role, actor, ident) for (role, actor), ident in mine.items()]
                    for event, mine in participants.items()}
    quantities: dict = {}
    counted_since: dict = {}
    not_totals: dict = {}
    bounds: dict = {}
    for r in run_query_among(graph, "timeline-quantities", "event", some):
        quantities.setdefault(r["event"], {})[str(r["kind"])] = _number(r["amount"])
        bound = quantity_bound(r["bound"], r["max"])
        if bound:
            mine = bounds.setdefault(r["event"], {})
            mine[str(r["kind"])] = merge_bound(mine.get(str(r["kind"])), bound)
        if r["since"] is not None:  # several (a hand-edited graph): the earliest, as the audit keeps it
            day = _day(r["since"])
            if day is not None and (r["event"] not in counted_since or day < counted_since[r["event"]]):
                counted_since[r["event"]] = day
        if r["total"] is not None and str(r["total"]).strip().lower() in ("false", "0"):
            not_totals.setdefault(r["event"], set()).add(str(r["kind"]))
    sources: dict = {}
    for r in run_query_among(graph, "timeline-sources", "event", some):
        sources.setdefault(r["event"], set()).add(str(r["url"] if r["url"] is not None else r["source"]))
    if some is None:
        claim_rows = run_query(graph, "timeline-claims")
    else:  # the claims from those events, then the claims into them that are not among the first
        claim_rows = list(run_query_among(graph, "timeline-claims", "cause", some))
        seen = {tuple(r.values()) for r in claim_rows}
        claim_rows += [r for r in run_query_among(graph, "timeline-claims", "effect", some)
                       if tuple(r.values()) not in seen]
    claims_in: dict = {}
    claims_out: dict = {}
    for r in _merged(claim_rows, ("claim", "cause", "effect", "relation"),
                     smallest=("claimId", "causeId", "effectId")):
        relation = _relation(r["relation"])
        claim = _ident(r["claimId"], r["claim"])
        cause, effect = _ident(r["causeId"], r["cause"]), _ident(r["effectId"], r["effect"])
        claims_out.setdefault(r["cause"], []).append(ClaimRef(claim, effect, relation))
        claims_in.setdefault(r["effect"], []).append(ClaimRef(claim, cause, relation))

    rows = []
    for r in events:
        node = r["event"]
        etype = _event_type(r["type"])
        if types and etype not in types or groups and group_of(etype) not in groups:
            continue
        if lever_nodes and r["lever"] not in lever_nodes:
            continue
        people = sorted(participants.get(node, []), key=lambda p: p[2])
        if actor_nodes and not any(a in actor_nodes for _, a, _ in people):
            continue
        earliest = _day(r["earliest"])
        if earliest is None:
            continue
        rows.append(TimelineRow(
            id=_ident(r["id"], node), date=date_spec(earliest, _day(r["latest"]), _text(r["precision"])),
            type=etype, summary=_text(r["summary"]) or "",
            actors=tuple(i for role, _, i in people if role.toPython() == "actor"),
            targets=tuple(i for role, _, i in people if role.toPython() == "target"),
            lever=None if r["lever"] is None else _ident(r["leverId"], r["lever"]), rate=_number(r["rate"]),
            status=_text(r["status"]), scope=_text(r["scope"]), effective=_day(r["effective"]),
            until=_day(r["until"]), quantity=dict(sorted(quantities.get(node, {}).items())),
            sources=tuple(sorted(sources.get(node, ()))),
            claims_in=tuple(sorted(claims_in.get(node, []), key=lambda c: (c.event, c.relation, c.claim))),
            claims_out=tuple(sorted(claims_out.get(node, []), key=lambda c: (c.event, c.relation, c.claim))),
            defined_at=_text(r["definedAt"]), counted_since=counted_since.get(node),
            not_totals=tuple(sorted(not_totals.get(node, ()))), bounds=dict(sorted(bounds.get(node, {}).items())),
        ))
    rows.sort(key=lambda x: (x.date.earliest, x.date.latest, x.id))
    return TimelineView(tuple(rows), start, end, types, groups, actors, levers)


def _event_type(term) -> str:
    s = str(term)
    return s[len(TYPE_NS):] if s.startswith(TYPE_NS) else _local(term)


def _relation(prop) -> str:
    from ..ontology.namespace import PROPERTY_RELATIONS

    return PROPERTY_RELATIONS.get(URIRef(str(prop)), _local(prop))


# ---------------------------------------------------------------------------------------------- state

@dataclass(frozen=True)
class Change:
    """An outcome: a lever's state after an event, and the days it holds ([valid_from, valid_until))."""

    event: str
    date: DateSpec
    status: str
    rate: int | float | None
    scope: str | None
    valid_from: dt.date
    valid_until: dt.date | None
    kind: str | None = None  # the event's type
    own_until: dt.date | None = None  # the event's `until`: the end it set itself (valid_until may come sooner)

    @property
    def suspends(self) -> bool:
        """A pause, an exemption or a reduction: what it suspended resumes when it runs out (events/outcomes.py)."""
        return suspends(self.status, self.kind)

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def ever_holds(self) -> bool:
        return self.valid_until is None or self.valid_from < self.valid_until

    @property
    def order(self):
        return (self.date.earliest, self.date.latest, self.event)

    def describe(self) -> str:
        rate = f" {format_rate(self.rate)}" if self.rate is not None else ""
        return f"{self.status}{rate}"

    def to_dict(self) -> dict:
        return {"event": self.event, "date": date_dict(self.date), "status": self.status, "rate": self.rate,
                "scope": self.scope, "from": self.valid_from.isoformat(), "until": _iso(self.valid_until)}


@dataclass(frozen=True)
class LeverState:
    """A lever on one day: the change in force (`current`), the next one to take effect, and `lapsed`, the last
    change that ran out, when nothing holds or when `resumed`: a pause, exemption or reduction that ran out
    before the next change, after which what it suspended holds again (`current`, from the day the pause ended;
    see state_on). `ended_by`: the pause, exemption or reduction whose end brought `current` back (None when it
    took effect on its own date after the pause ended: an order the pause overtook)."""

    lever: str
    name: str | None
    current: Change | None
    next: Change | None
    lapsed: Change | None = None
    resumed: bool = False
    ended_by: Change | None = None

    @property
    def status(self) -> str | None:
        return self.current.status if self.current else None

    @property
    def set_by_text(self) -> str:
        c, lp = self.current, self.lapsed
        text = f"{c.event} ({short_date(c.date)})"
        if self.resumed and self.ended_by is not None:
            what = _suspension(self.ended_by)
            text += f", resumed on {c.valid_from} when the {what} set by {self.ended_by.event} ended"
        elif self.resumed:
            text += (f", in effect from {c.valid_from}, after the {_suspension(lp)} set by {lp.event} ended on "
                     f"{lp.valid_until}")
        return text

    def to_dict(self) -> dict:
        c = self.current
        return {
            "lever": self.lever, "name": self.name, "status": c.status if c else None,
            "rate": c.rate if c else None, "scope": c.scope if c else None,
            "since": c.valid_from.isoformat() if c else None, "until": _iso(c.valid_until) if c else None,
            "set_by": {"event": c.event, "date": date_dict(c.date)} if c else None,
            "next": self.next.to_dict() if self.next else None,
            "lapsed": self.lapsed.to_dict() if self.lapsed else None,
            "resumed": self.resumed, "resumed_by": self.ended_by.event if self.ended_by else None,
        }

    def cells(self) -> list[str]:
        c = self.current
        if c is None:
            status = f"none (was {self.lapsed.status} until {self.lapsed.valid_until})" if self.lapsed else "none"
            return [self.lever, status, "", "", "", "", "", self._next_text()]
        return [self.lever, c.status, "" if c.rate is None else format_rate(c.rate), one_line(c.scope or ""),
                c.valid_from.isoformat(), _iso(c.valid_until) or "", self.set_by_text, self._next_text()]

    def _next_text(self) -> str:
        n = self.next
        return "" if n is None else f"{n.event} ({short_date(n.date)}): {n.describe()} from {n.valid_from}"


STATE_HEADER = ["lever", "status", "rate", "scope", "since", "until", "set by", "next change"]


@dataclass(frozen=True)
class StateView:
    """Where each lever stood on `date` (None only when the graph has no events)."""

    date: dt.date | None
    rows: tuple[LeverState, ...]
    lever: str | None = None
    default_date: bool = False

    def to_dict(self) -> dict:
        return {"date": _iso(self.date), "default_date": self.default_date, "lever": self.lever,
                "levers": [r.to_dict() for r in self.rows]}

    def title(self) -> str:
        when = "no date (the graph has no events)" if self.date is None else str(self.date)
        return f"Lever state on {when}" + (" (the latest event date)" if self.default_date and self.date else "")

    def to_text(self, *, width: int | None = None, color: bool = False) -> str:
        """A table, one lever a line; with `width`, lines are cut to fit; with `color`, statuses coloured."""
        if not self.rows:
            return "the graph has no levers\n"
        if self.lever is not None and len(self.rows) == 1:
            return self._block(self.rows[0], width=width, color=color)
        styles = [{1: {"fg": STATUS_COLORS.get(r.status, "white"), "bold": True}} if color and r.status else {}
                  for r in self.rows]
        table = _table([h.upper() for h in STATE_HEADER], [r.cells() for r in self.rows], width=width,
                       shrink=STATE_HEADER.index("scope"), styles=styles)
        return "\n".join([self.title(), *table]) + "\n"

    def _block(self, r: LeverState, *, width: int | None, color: bool) -> str:
        """One lever as labelled lines: easier to read than a one-row table."""
        import click

        c, n = r.current, r.next
        on = "no date (the graph has no events)" if self.date is None else str(self.date)
        head = f"{r.lever}" + (f" ({one_line(r.name)})" if r.name else "") + f" on {on}"
        head += " (the latest event date)" if self.default_date and self.date else ""
        if c is not None:
            status = c.describe()
            since = f"{c.valid_from}" + (f" until {c.valid_until} (not included)" if c.valid_until else
                                         " until further notice")
            fields = [("status", status), ("scope", one_line(c.scope or "")), ("since", since),
                      ("set by", r.set_by_text)]
        elif r.lapsed is not None:
            lp = r.lapsed
            fields = [("status", f"none: {lp.describe()} ended on {lp.valid_until} (set by {lp.event})")]
        else:
            fields = [("status", "none: no change recorded by this date")]
        fields.append(("next", f"{n.event} ({short_date(n.date)}): {n.describe()} from {n.valid_from}"
                       if n else "none recorded"))
        lines = [one_line(head)]
        for label, value in fields:
            if not value:
                continue
            line = f"  {label:<7} {one_line(value)}"
            if width is not None:
                line = ellipsize(line, width)
            if color and label == "status" and c is not None:
                line = line.replace(c.status, click.style(c.status, fg=STATUS_COLORS.get(c.status, "white"),
                                                          bold=True), 1)
            lines.append(line)
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        if not self.rows:
            return "_the graph has no levers_\n"
        header = [h.capitalize() for h in STATE_HEADER]
        lines = [f"**{_md(self.title())}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_md(c) for c in r.cells()) + " |" for r in self.rows]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["date", "lever", "name", "status", "rate", "scope", "since", "until", "set_by", "set_by_date",
                    "next_event", "next_date", "next_status", "next_rate", "next_from", "lapsed_event",
                    "lapsed_status", "lapsed_until", "resumed"])
        for r in self.rows:
            c, n, lp = r.current, r.next, r.lapsed
            w.writerow([_iso(self.date) or "", r.lever, r.name or "", c.status if c else "",
                        "" if c is None or c.rate is None else c.rate, (c.scope or "") if c else "",
                        c.valid_from.isoformat() if c else "", (_iso(c.valid_until) or "") if c else "",
                        c.event if c else "", short_date(c.date) if c else "", n.event if n else "",
                        short_date(n.date) if n else "", n.status if n else "",
                        "" if n is None or n.rate is None else n.rate, n.valid_from.isoformat() if n else "",
                        lp.event if lp else "", lp.status if lp else "", (_iso(lp.valid_until) or "") if lp else "",
                        "yes" if r.resumed else ""])
        return out.getvalue()


# A pause, an exemption or a reduction suspends what was in force; when it runs out, that holds again (the
# audit reckons the rate collected each day the same way).
_RESUMABLE = RESUMABLE


def _coming(schedule: list[tuple], start: int) -> tuple | None:
    """The first (day, change) of a resumed schedule from `start` that holds again (in force, reduced, or a
    pause or exemption still running; a suspended threat does not come back)."""
    for day, c in schedule[start:]:
        if c is not None and (c.status in _RESUMABLE or c.suspends):
            return day, c
    return None


def _suspension(c: Change) -> str:
    return "pause" if c.status == "paused" else "reduction" if c.kind == "tariff-reduction" else "exemption"


def state_on(changes: list[Change], day: dt.date) -> tuple[Change | None, Change | None, Change | None, bool,
                                                           Change | None]:
    """(current, next, lapsed, resumed, ended_by) for one lever's changes on `day`.

    When no change holds on the day, `lapsed` is the last one that did. If that was a pause, an exemption (one
    that leaves a rate on part of the goods too) or a reduction, what it suspended holds again from the day it
    ended: the changes before it in event order, as they would have run without it (events/outcomes.py,
    resumed_schedule: an imposition the pause overtook counts from its own date; an earlier pause, exemption or
    reduction holds until its own end). When that is in force or reduced, or an earlier pause, exemption or
    reduction still running, `current` is it, from the day it holds again up to the next change, `resumed` is
    True and `ended_by` the pause, exemption or reduction whose end brought it back (None: it took effect on its
    own date). A suspended threat does not resume; when what resumed ran out by its own end, `lapsed` is it.
    While a temporary state runs out before the next change, `next` is what comes back then. The audit reckons
    the rate collected the same way (graph/audit.py, _suspended).
    """
    order = operator.attrgetter("order")
    real = [c for c in changes if c.ever_holds()]
    holding = [c for c in real if c.holds_on(day)]
    current = max(holding, key=order) if holding else None
    upcoming = [c for c in real if c.valid_from > day]
    nxt = min(upcoming, key=lambda c: (c.valid_from, c.order)) if upcoming else None
    lapsed, resumed, ended_by = None, False, None
    if (current is not None and current.suspends and current.own_until is not None
            and current.valid_until == current.own_until and (nxt is None or nxt.valid_from > current.own_until)):
        # a temporary state running out before the next change: what it suspended and comes back is next
        before = sorted((c for c in changes if c.order < current.order), key=order)
        coming = _coming(resumed_schedule(before, current.own_until, nxt.valid_from if nxt else None), 0)
        if coming is not None:
            nxt = replace(coming[1], valid_from=coming[0], valid_until=nxt.valid_from if nxt else None)
    if current is None:
        past = [c for c in real if c.valid_from <= day]
        lapsed = max(past, key=order) if past else None
        if lapsed is not None and lapsed.suspends and lapsed.valid_until is not None:
            before = sorted((c for c in changes if c.order < lapsed.order), key=order)
            schedule = resumed_schedule(before, lapsed.valid_until, nxt.valid_from if nxt else None)
            at = max(i for i, (d, _) in enumerate(schedule) if d <= day)
            since, suspended = schedule[at]
            # a change of the suspended schedule still to come takes over from it (before the next change)
            coming = _coming(schedule, at + 1)
            if coming is not None:
                nxt = replace(coming[1], valid_from=coming[0], valid_until=nxt.valid_from if nxt else None)
            if suspended is not None and (suspended.status in _RESUMABLE or suspended.suspends):
                current = replace(suspended, valid_from=since,
                                  valid_until=schedule[at + 1][0] if at + 1 < len(schedule)
                                  else nxt.valid_from if nxt else None)
                resumed = True
                # what ended that day: the lapsed pause, or a pause, exemption or reduction resumed before (an order the
                # pause overtook takes effect on its own date instead)
                if at == 0:
                    ended_by = lapsed
                else:
                    prev_since, prev = schedule[at - 1]
                    if prev is not None and prev.suspends and prev.own_until == since:
                        ended_by = lapsed = replace(prev, valid_from=prev_since, valid_until=since)
            elif at > 0 and schedule[at - 1][1] is not None:
                # what resumed ran out by its own end, with nothing after it: that is what lapsed
                prev_since, prev = schedule[at - 1]
                lapsed = replace(prev, valid_from=prev_since, valid_until=since)
    return current, nxt, lapsed, resumed, ended_by


def lever_states(graph, *, on=None, lever: str | None = None) -> StateView:
    """Each lever's state on `on` (a date or 'YYYY-MM-DD'; default: the latest event date in the graph), or
    only `lever`'s. QueryError for an unknown lever id or an impossible date."""
    day = None if on is None else parse_day(on)
    params = {"lever": lever} if lever is not None else {}
    levers = run_query(graph, "state-levers", params=params)
    default = day is None
    if day is None:
        rows = run_query(graph, "state-default-date")
        day = _day(rows[0]["date"]) if rows else None
    changes: dict = {}
    for r in _merged(run_query(graph, "state-outcomes", params=params), ("lever", "outcome"),
                     smallest=("eventId", "earliest", "type"), largest=("latest",)):
        start, earliest = _day(r["validFrom"]), _day(r["earliest"]) or _day(r["validFrom"])
        if start is None:
            continue
        changes.setdefault(r["lever"], []).append(Change(
            event=_ident(r["eventId"], r["event"]),
            date=date_spec(earliest, _day(r["latest"]), _text(r["precision"])), status=str(r["status"]),
            rate=_number(r["rate"]), scope=_text(r["scope"]), valid_from=start, valid_until=_day(r["validUntil"]),
            kind=_event_type(r["type"]) if r["type"] is not None else None, own_until=_day(r["ownUntil"])))
    seen = {}
    for r in levers:
        if r["lever"] not in seen:
            seen[r["lever"]] = (_ident(r["leverId"], r["lever"]), _text(r["name"]))
    rows = []
    for node, (ident, name) in sorted(seen.items(), key=lambda kv: kv[1][0]):
        current = nxt = lapsed = ended_by = None
        resumed = False
        if day is not None:
            current, nxt, lapsed, resumed, ended_by = state_on(changes.get(node, []), day)
        rows.append(LeverState(ident, name, current, nxt, lapsed, resumed, ended_by))
    return StateView(day, tuple(rows), lever, default)
