"""The audit: how the targeted side's security actions were tied to the tariff relief it received.

`audit(graph)` reads the RDF graph (the audit-*.rq queries) and returns one AuditReport, rendered as a dict
(JSON), text, Markdown, self-contained HTML or CSV rows. Nothing here knows about any particular negotiation.

Terms (DESIGN.md "Groups used by the audit"):

- relief: reprieve, exemption, extension, tariff-reduction; security: troop-deployment, lab-raid, seizure,
  arrest, extradition, designation; a security pledge: a commitment whose parley:promises is a security type;
  figures: a statistic event's quantities (totals to date).
- The targeted side of a relief event: its lever's parley:target actor and the event's own parley:target
  actors, plus every actor with the same parley:country as one of them. Only that side's security actions,
  pledges and statistics count for the relief (every security action, for a relief that targets no one).
- A relief event is linked to an earlier event X when a chain of claims (cause -> effect, at most `max_chain`
  claims, `prevents` claims not followed) runs from X to it. The linking claims are the claims whose effect
  is the relief event and the claims on the chain from a linked security action, statistic or pledge (the
  shortest chain; of several as short, one with a disputed claim if there is one).
- Lags are in days between the earliest dates of cause and effect (sem:hasEarliestBeginTimeStamp); a
  date known only to the month or as a range counts from its first day. Windows use the same dates.

Verdict of a relief event, the first that applies:

1. disputed: a linking claim has parley:disputedBy. A contested story is what a reader must see first,
   even when some other claim would evidence the relief; the evidence is still listed.
2. evidenced: a chain of sourced claims links a security action of the targeted side, or a statistic of
   that side (security figures), to it. An action that happened is delivered by definition.
3. granted on a pledge: a chain of sourced claims links a security pledge of that side to it; the pledge's
   delivery (delivered-by claims, when, how much of the promised quantity) is reported with it.
4. temporal-only: no such claim, but the targeted side's security actions fall in the window before it
   (window_days before its date up to and including that date).
5. unexplained: none of the above.

A claim with no source (prov:hadPrimarySource) is listed but is not evidence: it never makes a relief
evidenced or granted on a pledge. Nor is a claim whose effect is surely dated before its cause (the effect's
latest date before the cause's earliest: an anachronism, which `parley validate` reports).
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import math
import operator
import os
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import quote

from ..events.model import FIRST_DAY, GROUPS, LAST_DAY, amount_text, group_of, in_range
from ..events.outcomes import SUSPENDING, resumed_schedule, suspends
from .reading import merge_bound, one_line, state_on
from .tsv import solution_cells, split as split_cells, text as _text, texts

VERDICTS = ("disputed", "evidenced", "pledge", "temporal-only", "unexplained")
VERDICT_LABELS = {
    "disputed": "disputed", "evidenced": "evidenced", "pledge": "granted on a pledge",
    "temporal-only": "temporal-only", "unexplained": "unexplained",
}
THREAT_STATUSES = ("carried-out", "delayed", "withdrawn", "pending")
TYPE_NS = "https://w3id.org/parley/event-type/"
PARLEY_NS = "https://w3id.org/parley/ontology#"
RELATION_NAMES = {
    "http://purl.org/faro/causes": "causes", "http://purl.org/faro/enables": "enables",
    "http://purl.org/faro/prevents": "prevents", "https://w3id.org/parley/ontology#prompts": "in-response-to",
    "https://w3id.org/parley/ontology#inExchangeFor": "in-exchange-for",
    "https://w3id.org/parley/ontology#isConditionOf": "conditional-on",
    "https://w3id.org/parley/ontology#deliveredBy": "delivered-by",
}
# Lever statuses under which the recorded rate is actually collected.
COLLECTING = ("in-force", "reduced")
# Lever statuses that settle a threat without carrying it out (see _threat).
_SETTLING = frozenset(("withdrawn", "paused", "exempted"))
_SUSPENDING = SUSPENDING


class AuditError(Exception):
    """The graph cannot be audited as asked (bad parameter, failed query): exit 2."""


# -- what the graph holds -------------------------------------------------------------------------------------

class _Event:
    """An event as the audit reads it. A plain class with slots: a large graph makes one per event, and this
    __init__ sets what every event has in one call (no default factories)."""

    __slots__ = ("iri", "id", "type", "earliest", "latest", "precision", "rank", "lever", "rate", "effective",
                 "promises", "actors", "targets", "quantity", "ref", "sorted_quantity")

    def __init__(self, iri: str, id: str, type: str, earliest: dt.date, latest: dt.date, precision: str = "day"):
        self.iri = iri
        self.id = id
        self.type = type
        self.earliest = earliest
        self.latest = latest  # the earliest date when no latest one is given
        self.precision = precision
        # the event's place in date order, ties broken by id (the order events/outcomes.py derives lever states
        # in); events equal in all three share a rank. Set once every event is read (_Data._order_events).
        self.rank = 0
        # set by _Data.set_fields for the reliefs, threats and commitments (the only events that use them)
        self.lever = self.rate = self.effective = self.promises = None
        # actor and target IRIs: a tuple, empty until the first is read (cheaper than a set an event)
        self.actors = self.targets = ()
        self.quantity = _NO_QUANTITY  # kind -> amount; a dict of its own once the first is read
        self.ref = None  # event_ref's dict, made once
        self.sorted_quantity = None  # _quantity's

    def __repr__(self) -> str:
        return f"_Event({self.iri!r}, {self.id!r}, {self.type!r}, {self.date_text!r})"

    @property
    def group(self) -> str:
        return group_of(self.type)

    @property
    def date_text(self) -> str:
        if self.precision == "month":
            return self.earliest.strftime("%Y-%m")
        if self.precision == "range" or self.latest != self.earliest:
            return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"
        return self.earliest.isoformat()


# The longest window (a century): with the dates parley takes (FIRST_DAY), the window arithmetic stays in the
# calendar.
MAX_WINDOW = 36500
_NO_QUANTITY = MappingProxyType({})  # an event's quantities until one is read: shared, and read-only


class _Claim:
    """A causal claim as the audit reads it (slots, as _Event)."""

    __slots__ = ("iri", "id", "cause", "effect", "relation", "sources", "disputants", "backwards", "as_dict",
                 "listed_linked", "listed_other")

    def __init__(self, iri: str, id: str, cause: str, effect: str, relation: str):
        self.iri = iri
        self.id = id
        self.cause = cause
        self.effect = effect
        self.relation = relation
        self.sources = ()  # (url, title) cells, as read: a list once the first is read
        self.disputants = ()  # actor IRIs: a list once the first is read
        self.backwards = False  # its effect is dated before its cause (an anachronism): no evidence
        self.as_dict = None  # _claim_dict's, made once
        # the claim as a relief lists it (with in_link), in a link's chain or not: made once each
        self.listed_linked = self.listed_other = None

    def __repr__(self) -> str:
        return f"_Claim({self.iri!r}, {self.id!r}, {self.relation!r})"


@dataclass(slots=True)
class _Outcome:
    event: str
    lever: str
    status: str | None
    rate: float | None
    scope: str | None
    valid_from: dt.date
    valid_until: dt.date | None
    rank: int = 0  # its event's
    states: dict | None = field(default=None, repr=False, compare=False)  # _state's dicts, by collected rate
    own_until: dt.date | None = None  # its event's `until`: the end it set itself (valid_until may come sooner)
    suspends: bool = False  # a pause, exemption or reduction: what it suspended resumes when it ends (outcomes.py)

    # what state_on (graph/reading.py) reads of a change besides the fields above
    @property
    def order(self) -> int:
        return self.rank

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def ever_holds(self) -> bool:
        return self.valid_until is None or self.valid_from < self.valid_until


MAX_CHAIN = 4  # claims in a chain that links an event to a relief (analyze whatif uses it too)

# The columns the audit reads from each audit-*.rq query, in the order its rows are unpacked.
_COLUMNS = {
    "outcomes": ("event", "lever", "status", "rate", "scope", "from", "until"),
    "quantities": ("event", "kind", "amount", "since", "total", "bound", "max"),
    "levers": ("lever", "id", "name", "imposedBy", "target"),
    "actors": ("actor", "id", "name", "country"),
    "claims": ("claim", "cause", "effect", "relation"),
    "claim-sources": ("claim", "url", "title"),
    "claim-disputants": ("claim", "disputant"),
}
# Single-valued properties read as (subject, value) rows with audit-property, one narrow scan each, instead of
# a join or an OPTIONAL each in a wider query: on Oxigraph a scan costs less than an OPTIONAL (which hashes the
# whole property), and the scans run side by side on the two workers. An event is a subject with a type, an
# identifier and an earliest date (three scans the two workers answer in about the time a three-way join
# takes on one, so the audit starts on the events sooner). They become dicts in C
# (`dict(zip(...))`) that the audit looks up only for what it reports: a claim's details for the claims it
# shows, an event's summary for the events it cites, its lever, rate and promised type for the reliefs,
# threats and commitments. A subject with several values keeps the first in the answer. The identifiers are
# the claims' as well (audit-claims leaves them out). None: read with the query audit-NAME, which leaves out
# the values that are the default (a latest date that is also the earliest, precision "day": 98 % of the
# rows at 100k events).
_PROPERTIES = {
    "event-type": PARLEY_NS + "eventType",
    "latest": None,
    "precision": None,
    "identifier": "http://purl.org/dc/terms/identifier",
    "earliest": "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp",
    "lever": PARLEY_NS + "lever",
    "rate": PARLEY_NS + "rate",
    "effective": PARLEY_NS + "effective",
    "until": PARLEY_NS + "until",
    "promises": PARLEY_NS + "promises",
    "summary": "http://purl.org/dc/terms/description",
    "claimant": PARLEY_NS + "claimedBy",
    "confidence": PARLEY_NS + "confidence",
    "confidence-level": PARLEY_NS + "confidenceLevel",
    "evidence": PARLEY_NS + "evidence",
}
# Properties with several values a subject, also read with audit-property: who acted in each event, and whom
# it targeted (levers have parley:target too: the rows whose subject is not an event are skipped, which is
# cheaper than joining every row with the event's type in the query). Two scans, not a UNION with a role
# column: less for the engine to write and for the audit to read.
_SCANS = {
    "event-actor": "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor",
    "event-target": PARLEY_NS + "target",
}
# The order the answers are read in: the events and what the model needs with them first, then the event
# fields the audit looks up, and the claims last: the audit works out what needs no claim (lever steps,
# threats, series) while the engine answers them.
_ORDER = ("event-type", "identifier", "earliest", "latest", "precision", "event-actor", "event-target", "until",
          "outcomes",
          "quantities", "levers", "actors", "lever", "rate", "effective", "promises", "summary",
          "claims", "claim-sources", "claim-disputants", "claimant", "confidence", "confidence-level", "evidence")
_CLAIM_TABLES = _ORDER[_ORDER.index("claims"):]
# The order the queries are asked in (two at a time): the same, but the identifiers (the longest of the three
# event scans, events' and claims' and others') first, so that the other worker answers the types and the
# earliest dates meanwhile.
_ASKED = ("identifier", *(name for name in _ORDER if name != "identifier"))


# The event properties of which a hand-edited graph's several values are merged (_Data._read), and how their
# cells compare: ids as text, types as IRIs, dates as days.
_WIDEST = {"identifier": str, "event-type": str, "earliest": lambda cell: _text(cell)[:10],
           "latest": lambda cell: _text(cell)[:10]}


def _jobs() -> list[tuple]:
    """(name, NamedQuery, parameters, columns wanted) of every query the audit runs, in _ORDER."""
    from rdflib import URIRef

    from .query import named_query

    scan = named_query("audit-property")
    return [(name, named_query(f"audit-{name}"), {}, _COLUMNS.get(name, ("subject", "value")))
            if name in _COLUMNS or (name in _PROPERTIES and _PROPERTIES[name] is None)
            else (name, scan, {"property": URIRef(_PROPERTIES.get(name) or _SCANS[name])}, ("subject", "value"))
            for name in _ORDER]


def _tables(graph):
    """(name, columns) for each query in _COLUMNS and each property in _PROPERTIES and _SCANS, in _ORDER: a
    list of cells per column, a cell being a term as SPARQL TSV results write it (<iri>, "literal"^^<datatype>,
    a bare number; "" when unbound).

    The model keys nodes by their cells and reads text (_text) only from the cells it shows or computes with.
    On Oxigraph the queries run on pyoxigraph directly in two worker threads (asked in _ASKED's order), which
    also write the answers as TSV and split them into cells: pyoxigraph lets go of the GIL meanwhile and makes
    no Python object a term (iterating the solutions costs a Python object a row and a term, the GIL taken for
    each), so the engine answers the next queries on the other core while the caller builds its model from
    the answers read. Other stores answer through run_query, and their terms are written as cells the same
    way.
    """
    from .tsv import cell as _cell
    from .query import QueryError, _oxigraph_target, bind_params, run_query, with_values

    try:
        jobs = _jobs()
        direct = _oxigraph_target(graph)
        if direct is None:
            for name, q, params, wanted in jobs:
                rows = run_query(graph, q, params=params)
                yield name, [[_cell(r.get(c)) for r in rows] for c in wanted]
            return
        texts = {name: with_values(q.text, bind_params(graph, q, params)) for name, q, params, _ in jobs}
    except QueryError as e:
        raise AuditError(str(e)) from None
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    inner, options = direct

    def answer(text: str) -> tuple[list[str], list[str]]:
        """(variables, cells) of a query, split here in the worker: this thread waits for the first answers
        meanwhile, and reads the later ones as they come."""
        head, _, body = inner.query(text, **options).serialize(format=ox.QueryResultsFormat.TSV).decode(
            "utf-8").partition("\n")
        variables = [v[1:] for v in head.split("\t")]
        cells = split_cells(body, len(variables))
        del body
        if cells is None:  # an IRI with a raw line break or tab: read the solutions themselves
            cells = solution_cells(inner.query(text, **options))
        return variables, cells

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(answer, texts[name]) for name in _ASKED}
        try:
            for name, q, _, wanted in jobs:
                try:
                    variables, cells = futures.pop(name).result()
                except (SyntaxError, ValueError, OSError, RuntimeError) as e:
                    raise AuditError(f"{q.name}: the query failed: {str(e).strip() or type(e).__name__}") from None
                width = len(variables)
                at = [variables.index(c) if c in variables else None for c in wanted]
                if None in at:  # a column the query does not project: unbound in every row
                    n = len(cells) // width
                    columns = [cells[i::width] if i is not None else [""] * n for i in at]
                else:
                    columns = [cells[i::width] for i in at]
                del cells
                yield name, columns
        finally:
            for future in futures.values():
                future.cancel()


def _literal(cell: str) -> str | None:
    """A cell's text (_text), with a fast path for the common simple literal."""
    if cell and cell[0] == '"' and cell[-1] == '"' and "\\" not in cell:
        return cell[1:-1]
    return _text(cell)


class _Converted(dict):
    """cell -> convert(cell), each distinct cell converted once (dates, numbers, types: few distinct values)."""

    def __init__(self, convert, what: str = ""):
        super().__init__({"": None})
        self._convert = convert
        self._what = what  # what a value that does not convert should have been, for the error

    def __missing__(self, cell):
        try:
            out = self[cell] = self._convert(cell)
        except ValueError:  # a hand-edited graph: an error that says which value, not a traceback
            raise AuditError(f"the graph has {_text(cell)!r} where {self._what or 'a value'} belongs") from None
        return out


def _finite(cell: str) -> float:
    x = float(_text(cell))
    if not math.isfinite(x):
        raise ValueError(cell)
    return x


def _local_type(cell: str) -> str:
    iri = _text(cell)
    return iri[len(TYPE_NS):] if iri.startswith(TYPE_NS) else iri.rsplit("/", 1)[-1]


class _Data:
    """Everything the audit reads. Nodes are keyed by their cells (IRIs; ids are for display: two timelines
    may reuse one); what the report shows or computes with is text, numbers and dates.

    Made with the events, actors and levers read; read_claims() reads the claims (close() if it is not called).
    """

    def __init__(self, graph):
        self._sides: dict[frozenset, frozenset] = {}
        self._side_ids: dict[frozenset, list[str]] = {}
        self._by_country: dict[str, set] | None = None
        self.actors: dict[str, dict] = {}
        self.levers: dict[str, dict] = {}
        self.events: dict[str, _Event] = {}
        self.claims: dict[str, _Claim] = {}
        self.outcomes: dict[str, list[_Outcome]] = defaultdict(list)  # lever -> outcomes in event order
        self.outcome_of: dict[str, _Outcome] = {}  # event -> the outcome it left (the first read)
        self._days = _Converted(lambda cell: in_range(dt.date.fromisoformat(_text(cell)[:10])),
                                f"a date (YYYY-MM-DD, {FIRST_DAY} to {LAST_DAY})")
        self._numbers = _Converted(_finite, "a finite number")
        self._words = _Converted(_text)  # statuses, kinds, precisions, levels: a few distinct values
        self._types = _Converted(_local_type)  # event types (eventType and promises)
        self.iso = _Converted(dt.date.isoformat)  # date -> its ISO text (a few thousand distinct days)
        self.iso[None] = None
        # _PROPERTIES: name -> {subject cell: value cell}. A claim's details are looked up for the claims the
        # report shows; an event's type, identifier and earliest date make the events (_make_events), its
        # latest date and precision are set just after (_order_events), and those are then dropped (the
        # identifiers once the claims are read).
        self.properties: dict[str, dict[str, str]] = {}
        self._last_earliest: dict[str, str] = {}  # an event given several earliest dates: the latest of them
        self._tables = _tables(graph)
        try:
            self._read(len(_ORDER) - len(_CLAIM_TABLES))
        except BaseException:  # the caller gets no _Data to close: stop the queries still running here
            self.close()
            raise
        self._actor_refs: dict[str, dict] = {}  # actor_ref's dicts, made once per IRI and shared
        self._lever_refs: dict[str, dict] = {}  # lever_ref's
        self._actor_ids: dict[tuple, list[str]] = {}  # actor_ids's lists, by actors as read

    def _prepare_outcomes(self) -> None:
        """Sort each lever's outcomes and work out its steps: done as soon as the outcomes are read, while the
        engine still answers the queries after them."""
        events, rank = self.events, operator.attrgetter("rank")
        for outs in self.outcomes.values():
            outs.sort(key=rank)
        self.outcome_ranks = {lever: [o.rank for o in outs] for lever, outs in self.outcomes.items()}
        # What can settle a threat short of carrying it out: each lever's outcomes that withdrew, paused or
        # exempted it, of events other than threats, in event order, with their ranks (a lever carries many
        # threats and other outcomes; later threats never settle one)
        self.settling: dict[str, tuple[list, list]] = {}
        for lever, outs in self.outcomes.items():
            kept = [(o, events[o.event]) for o in outs
                    if o.status in _SETTLING and events[o.event].type != "threat"]
            self.settling[lever] = ([o.rank for o, _ in kept], kept)
        self.steps = {lever: _lever_steps(outs) for lever, outs in self.outcomes.items()}
        self.step_days = {lever: [s[0] for s in st] for lever, st in self.steps.items()}

    def _read(self, count: int) -> None:
        """Read the next `count` tables of _tables."""
        for _ in range(count):
            name, columns = next(self._tables)
            if name in _PROPERTIES:
                subjects, values = columns
                if name == "summary" and any(v.startswith('""') for v in values):
                    # an empty summary ("", or ""@en) counts as none: skip it
                    kept = [i for i, v in enumerate(values) if not v.startswith('""')]
                    subjects, values = [subjects[i] for i in kept], [values[i] for i in kept]
                if name == "identifier":  # as text: shown as they are
                    values = texts(values)
                # the first value of each subject: dict() keeps the last of a key, so the rows go in reversed
                table = self.properties[name] = dict(zip(reversed(subjects), reversed(values)))
                if name in _WIDEST and len(table) < len(subjects):
                    # a hand-edited graph's several ids, types or dates of one event: the smallest id and type,
                    # the earliest earliest and the latest latest date, as every reader keeps them
                    pick, day = (max if name == "latest" else min), _WIDEST[name]
                    for subject, value in zip(subjects, values):
                        had = table[subject]
                        if value != had:
                            table[subject] = pick(had, value, key=day)
                            if name == "earliest":  # its latest date is the latest of them (audit-latest.rq)
                                last = self._last_earliest.get(subject, had)
                                self._last_earliest[subject] = max(last, value, key=day)
                if name == "earliest":
                    self._make_events()
                elif name == "precision":
                    self._order_events()
            else:
                getattr(self, "_read_" + name.replace("-", "_"))(*columns)

    def read_claims(self) -> None:
        """Read the claims, with their sources, disputants and details."""
        self._read(len(_CLAIM_TABLES))
        self.close()
        props = self.properties
        self.claim_details = (props["claimant"], props["confidence"], props["confidence-level"], props["evidence"])
        for c in self.claims.values():
            if len(c.disputants) > 1:
                c.disputants.sort(key=self.actor_id)

    def close(self) -> None:
        """Stop the queries still running (the reading is over)."""
        self._tables.close()

    def _make_events(self) -> None:
        """The events (subjects with a type, an identifier and an earliest date), their dates exact to the day
        until _order_events reads the latest dates and precisions."""
        events, days, types, event = self.events, self._days, self._types, _Event
        ids, earliest = self.properties["identifier"], self.properties["earliest"]  # ids: the claims' too
        # in the order the scan gave them (the table's keys run backwards, see _read)
        for iri, etype in reversed(self.properties.pop("event-type").items()):
            eid = ids.get(iri)
            if eid is None:
                continue
            cell = earliest.get(iri)
            if cell is None:
                continue
            first = days[cell]
            events[iri] = event(iri, eid, types[etype], first, first)

    def _order_events(self) -> None:
        """Set the latest dates and precisions that are not the defaults, then put every event in date order."""
        events, days, words = self.events, self._days, self._words
        earliest, latest = self.properties.pop("earliest"), self.properties.pop("latest")
        # the few latest dates other than the earliest (a set difference of two item views, made in C)
        for iri, cell in latest.items() - earliest.items():
            e = events.get(iri)
            if e is not None:
                # (a hand-edited latest date before the earliest: the span runs from the earliest, as every reader
                # widens it; audit-latest leaves out a latest date equal to the earliest, the latest of two then)
                e.latest = max(days[cell], e.earliest) if days[cell] else e.earliest
        # an event given several earliest dates (a hand-edited graph): audit-latest.rq leaves out a latest date
        # equal to any of them; the widest reading runs to the latest of them at least
        for iri, cell in self._last_earliest.items():
            e = events.get(iri)
            if e is not None and days[cell] > e.latest:
                e.latest = days[cell]
        for iri, cell in self.properties.pop("precision").items():
            if cell != '"day"':
                e = events.get(iri)
                if e is not None:
                    e.precision = words[cell] or "day"
        # every event in date order (stable sorts, cheaper than a tuple key each), sorted now, while the engine
        # answers the next queries; then ranked, so that later comparisons are of ints, not tuples. Events equal
        # in date and id (two timelines may share ids) go in the order of their IRIs (as cells, `<iri>`),
        # whatever order a store gives them in.
        ordered = sorted(events.values(), key=operator.attrgetter("iri"))
        ordered.sort(key=operator.attrgetter("id"))
        ordered.sort(key=operator.attrgetter("latest"))
        ordered.sort(key=operator.attrgetter("earliest"))
        rank, day, last, eid = -1, None, None, None
        for e in ordered:
            if e.id != eid or e.earliest != day or e.latest != last:
                rank, day, last, eid = rank + 1, e.earliest, e.latest, e.id
            e.rank = rank
        self.ordered = ordered

    def _read_event_actor(self, events_, actors):
        events = self.events
        for iri, actor in zip(events_, actors):
            e = events.get(iri)
            if e is not None:
                had = e.actors
                if not had:
                    e.actors = (actor,)
                elif actor not in had:
                    e.actors = (*had, actor)

    def _read_event_target(self, events_, targets):
        events = self.events
        for iri, target in zip(events_, targets):
            e = events.get(iri)
            if e is not None:
                had = e.targets
                if not had:
                    e.targets = (target,)
                elif target not in had:
                    e.targets = (*had, target)

    def _read_quantities(self, events_, kinds, amounts, sinces, totals, bounds, maxima):
        events, words, numbers = self.events, self._words, self._numbers
        for iri, kind, amount in zip(events_, kinds, amounts):
            e = events.get(iri)
            if e is not None:
                if e.quantity:
                    e.quantity[words[kind]] = numbers[amount]
                else:
                    e.quantity = {words[kind]: numbers[amount]}
        # a statistic's few quantities that say how they count (parley:countedSince, parley:total false)
        self.counted_since: dict[str, dt.date] = {}
        self.not_totals: dict[str, set] = defaultdict(set)
        if any(sinces) or any(totals):
            days = self._days
            for iri, kind, since, total in zip(events_, kinds, sinces, totals):
                if since and iri in events:  # several (a hand-edited graph): the earliest, whatever the row order
                    day = days[since]
                    if iri not in self.counted_since or day < self.counted_since[iri]:
                        self.counted_since[iri] = day
                if total and iri in events and _text(total).strip().lower() in ("false", "0"):
                    self.not_totals[iri].add(words[kind])
        # the few figures the sources give as a bound or a span (parley:amountBound, parley:maxAmount): kind ->
        # {"bound": "over"} or {"bound": "range", "to": upper}, by event, as the report shows them
        self.bounds: dict[str, dict] = {}
        if any(bounds) or any(maxima):
            numbers = self._numbers
            for iri, kind, bound, maximum in zip(events_, kinds, bounds, maxima):
                if iri not in events:
                    continue
                new = (("range", numbers[maximum]) if maximum
                       else (_text(bound), None) if bound and _text(bound) in ("over", "about") else None)
                if new is not None:
                    kind = words[kind]
                    mine = self.bounds.setdefault(iri, {})
                    had = mine.get(kind)
                    # several (a hand-edited graph): merge_bound's choice, whatever the row order
                    b = merge_bound((had["bound"], had.get("to")) if had else None, new)
                    mine[kind] = {"bound": "range", "to": b[1]} if b[0] == "range" else {"bound": b[0]}

    def _read_claims(self, iris, causes, effects, relations):
        events, claims, ids = self.events, self.claims, self.properties.pop("identifier")
        names = _Converted(lambda cell: RELATION_NAMES.get(_text(cell))
                           or _text(cell).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        claim = _Claim
        for iri, cause, effect, relation in zip(iris, causes, effects, relations):
            if iri in claims or cause not in events or effect not in events:
                continue
            claims[iri] = claim(iri, ids.get(iri) or _text(iri).rsplit("/", 1)[-1], cause, effect, names[relation])

    def _read_claim_sources(self, iris, urls, titles):
        claims = self.claims
        for iri, url, title in zip(iris, urls, titles):
            c = claims.get(iri)
            if c is not None:
                if c.sources:
                    c.sources.append((url, title))
                else:
                    c.sources = [(url, title)]

    def _read_claim_disputants(self, iris, disputants):
        claims = self.claims
        for iri, disputant in zip(iris, disputants):
            c = claims.get(iri)
            if c is not None:
                if not c.disputants:
                    c.disputants = [disputant]
                elif disputant not in c.disputants:
                    c.disputants.append(disputant)

    def _read_outcomes(self, events_, levers, statuses, rates, scopes, valid_froms, valid_untils):
        events, days, numbers, words = self.events, self._days, self._numbers, self._words
        outcome_of, outcomes, outcome = self.outcome_of, self.outcomes, _Outcome
        untils = self.properties.pop("until")
        for iri, lever, status, rate, scope, valid_from, valid_until in zip(events_, levers, statuses, rates, scopes,
                                                                            valid_froms, valid_untils):
            if iri in outcome_of:
                continue
            e = events.get(iri)
            if e is None:
                continue
            status = words[status]
            o = outcome_of[iri] = outcome(iri, lever, status, numbers[rate], words[scope], days[valid_from],
                                          days[valid_until], e.rank)
            if iri in untils:
                o.own_until = days[untils[iri]]
            if status in _SUSPENDING or e.type in ("exemption", "tariff-reduction"):
                o.suspends = suspends(status, e.type)
            outcomes[lever].append(o)
        self._prepare_outcomes()

    def _read_levers(self, *columns):
        for lever, lid, name, imposed_by, target in zip(*columns):
            lv = self.levers.get(lever)
            if lv is None:
                lid = _text(lid)
                lv = self.levers[lever] = {"id": lid, "name": _text(name) or lid, "targets": set(),
                                           "imposed_by": imposed_by or None}
            if target:
                lv["targets"].add(target)

    def _read_actors(self, *columns):
        for actor, aid, name, country in zip(*columns):
            if actor not in self.actors:
                aid = _text(aid)
                self.actors[actor] = {"id": aid, "name": _text(name) or aid, "country": _text(country)}

    def event_ref(self, e: _Event) -> dict:
        """The event as the report names it. Made once per event and shared by every place that cites it (the
        report is read, never edited in place), which saves a dict per mention on large graphs."""
        ref = e.ref
        if ref is None:
            cell = self.properties["summary"].get(e.iri)
            day = self.iso[e.earliest]
            ref = e.ref = {"id": e.id, "type": e.type,
                           "date": day if e.precision == "day" and e.latest == e.earliest else e.date_text,
                           "earliest": day, "summary": _literal(cell) if cell else ""}
        return ref

    def set_fields(self, events, *, lever: bool = False, rate: bool = False, promises: bool = False) -> None:
        """Set the lever (`lever`), rate and effective date (`rate`) or promised type (`promises`) of `events`
        from their properties: the first value of each, as read."""
        props, days, numbers = self.properties, self._days, self._numbers
        levers, rates, effective, promised = props["lever"], props["rate"], props["effective"], props["promises"]
        types = self._types
        for e in events:
            iri = e.iri
            if lever:
                e.lever = levers.get(iri)
            if rate:
                e.rate = numbers[rates.get(iri, "")]
                e.effective = days[effective.get(iri, "")]
            if promises:
                e.promises = types[promised.get(iri, "")]

    def actor_id(self, iri: str | None) -> str | None:
        if iri is None:
            return None
        a = self.actors.get(iri)
        return a["id"] if a else _text(iri).rsplit("/", 1)[-1]

    def actor_ids(self, actors: tuple) -> list[str]:
        """The actors' ids, sorted: one list per tuple of actors (as read), shared like event_ref's."""
        ids = self._actor_ids.get(actors)
        if ids is None:
            ids = self._actor_ids[actors] = [self.actor_id(a) for a in actors]
            if len(ids) > 1:
                ids.sort()
        return ids

    def actor_ref(self, iri: str | None) -> dict | None:
        """The actor as the report names it; one dict per actor, shared like event_ref's."""
        if iri is None:
            return None
        ref = self._actor_refs.get(iri)
        if ref is None:
            a = self.actors.get(iri)
            ref = self._actor_refs[iri] = ({"id": a["id"], "name": a["name"]} if a
                                     else {"id": self.actor_id(iri), "name": self.actor_id(iri)})
        return ref

    def lever_ref(self, iri: str | None) -> dict | None:
        """The lever as the report names it; one dict per lever, shared like event_ref's."""
        if iri is None:
            return None
        ref = self._lever_refs.get(iri)
        if ref is None:
            lv = self.levers.get(iri)
            ref = self._lever_refs[iri] = ({"id": lv["id"], "name": lv["name"]} if lv
                                     else {"id": _text(iri).rsplit("/", 1)[-1], "name": _text(iri)})
        return ref

    def side_of(self, actors) -> frozenset:
        """The actors plus every actor sharing a country with one of them."""
        key = frozenset(actors)
        side = self._sides.get(key)
        if side is None:
            if self._by_country is None:
                self._by_country = defaultdict(set)
                for a, info in self.actors.items():
                    if info["country"]:
                        self._by_country[info["country"]].add(a)
            countries = {self.actors[a]["country"] for a in key if a in self.actors and self.actors[a]["country"]}
            side = self._sides[key] = key.union(*(self._by_country[c] for c in countries))
        return side

    def side_ids(self, side: frozenset) -> list[str]:
        """The side's actor ids, sorted; one list per side, shared by the reliefs that target it."""
        ids = self._side_ids.get(side)
        if ids is None:
            ids = self._side_ids[side] = sorted(self.actor_id(a) for a in side)
        return ids

    def relief_side(self, e: _Event) -> frozenset:
        targets = set(e.targets)
        if e.lever and e.lever in self.levers:
            targets |= self.levers[e.lever]["targets"]
        return self.side_of(targets)


# -- the report -----------------------------------------------------------------------------------------------

def _quantity(e: _Event) -> dict:
    """The event's figures by kind, sorted; one dict per event, shared like event_ref's."""
    q = e.sorted_quantity
    if q is None:
        q = e.sorted_quantity = dict(sorted(e.quantity.items()))
    return q


def _claim_dict(data: _Data, c: _Claim) -> dict:
    """The claim as the report shows it; made once per claim and shared, like event_ref's (copy to add keys)."""
    d = c.as_dict
    if d is None:
        sources = c.sources
        if len(sources) == 1:
            url, title = sources[0]
            listed = [{"url": _literal(url), "title": _literal(title)}]
        else:
            first: dict[str, str | None] = {}  # url -> title, the first of each url
            for url, title in sources:
                first.setdefault(_literal(url), _literal(title))
            listed = [{"url": u, "title": t} for u, t in sorted(first.items())]
        iri, events = c.iri, data.events
        claimants, confidences, levels, evidence = data.claim_details
        claimant = claimants.get(iri)
        d = c.as_dict = {
            "id": c.id, "cause": events[c.cause].id, "effect": events[c.effect].id, "relation": c.relation,
            "claimed_by": data._actor_refs.get(claimant) or data.actor_ref(claimant),
            "confidence": data._numbers[confidences.get(iri, "")],
            "confidence_level": data._words[levels.get(iri, "")],
            "evidence": _literal(evidence.get(iri, "")),
            "sources": listed,
            "disputed_by": [data.actor_ref(a) for a in c.disputants] if c.disputants else [],
        }
    return d


def _bounds(data: _Data, e: _Event, *, key: str = "quantity_bounds") -> dict:
    """{key: the event's figures given as a bound or a span} when it has any, else {}."""
    b = data.bounds.get(e.iri) if data.bounds else None
    return {key: b} if b else {}


def _counting(data: _Data, e: _Event) -> dict:
    """How a statistic's figures count: `counted_since`, the day its totals count from, and `not_totals`, its
    kinds that are not totals to date; each only when there is one."""
    out = {}
    since = data.counted_since.get(e.iri)
    if since:
        out["counted_since"] = data.iso[since]
    not_totals = data.not_totals.get(e.iri)
    if not_totals:
        out["not_totals"] = sorted(not_totals)
    return out


def _figures_text(link: dict) -> str:
    """A linked statistic's figures, saying which are not totals and the day the totals count from."""
    not_totals, bounds = link.get("not_totals", ()), link.get("quantity_bounds") or {}
    text = ", ".join(f"{_bounded_text(v, bounds.get(k))} {k}" + (" (not a total)" if k in not_totals else "")
                     for k, v in link.get("quantity", {}).items())
    return text + (f"; totals since {link['counted_since']}" if link.get("counted_since") else "")


def _lag_stats(lags: list[int]) -> dict:
    if not lags:
        return {"n": 0, "median": None, "min": None, "max": None}
    return {"n": len(lags), "median": statistics.median(lags), "min": min(lags), "max": max(lags)}


def _pct(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}%"


def _num_text(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def _quantity_text(q: dict, bounds: dict | None = None) -> str:
    """`17,258 arrests, more than 750 labs`: each figure as recorded (not rounded), and one given as a bound or
    a span (`bounds`) says so."""
    bounds = bounds or {}
    return ", ".join(f"{_bounded_text(v, bounds.get(k))} {k}" for k, v in sorted(q.items()))


def _bounded_text(v: float, b: dict | None) -> str:
    return amount_text(v, (b["bound"], b.get("to")) if b else None)


@dataclass
class AuditReport:
    """The audit of one graph. Every section is plain data (lists of dicts), as to_dict() returns it.

    Read-only: what appears in several places is one shared object, built once, which is what keeps a
    100k-event audit fast: an event, claim, lever or actor; a lever state (one relief's `after` is the next
    one's `before`); a list of actor ids (an event's actors, a threat's targets); a threat's settling events.
    Changing it in one entry changes it everywhere: copy (copy.deepcopy) before editing.
    """

    window_days: int
    max_chain: int
    reliefs: list[dict]
    security: list[dict]
    pledges: list[dict]
    threats: list[dict]
    summary: dict
    series: dict
    _charts: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def unexplained(self) -> list[str]:
        return self.summary["unexplained"]

    def to_dict(self) -> dict:
        return {"window_days": self.window_days, "max_chain": self.max_chain, "summary": self.summary,
                "reliefs": self.reliefs, "security": self.security, "pledges": self.pledges,
                "threats": self.threats, "series": self.series}

    def chart(self, *, fmt: str = "svg", draw=None) -> bytes:
        """The rate/figures chart as PNG or SVG bytes (graph/chart.py), drawn once per format: by `draw`, when
        given (chart_image's signature, e.g. a ChartProcess's image), else by chart_image."""
        if fmt not in self._charts:
            if draw is None:
                from .chart import chart_image as draw
            self._charts[fmt] = draw(self.series, fmt=fmt)
        return self._charts[fmt]

    # -- text ---------------------------------------------------------------------------------------------

    def _relief_lines(self, r: dict) -> list[str]:
        lever = r["lever"]["id"] if r["lever"] else "no lever"
        out = [f"{r['event']['date']}  {r['event']['id']} ({r['event']['type']}, {lever}): "
               f"{VERDICT_LABELS[r['verdict']].upper()}",
               f"    {_line(r['event']['summary'])}",
               f"    lever: {_state_text(r['before'])} -> {_state_text(r['after'])}",
               f"    why: {r['reason']}"]
        for link in r["links"]:
            out.append(f"    linked {link['kind']}: {link['event']['id']} ({link['event']['type']}, "
                       f"{link['event']['date']}), lag {link['lag_days']} d"
                       + ("" if link["sourced"] else ", UNSOURCED") + (", BACKWARDS IN TIME" if link["backwards"] else "")
                       + (", DISPUTED" if link["disputed"] else ""))
            if link["kind"] == "figures":
                out.append(f"      figures: {_figures_text(link)}")
            for c in link["chain"]:
                out.append("      " + _claim_text(c))
            if link.get("delivery"):
                out.append(f"      pledge: {_delivery_text(link['delivery'])}")
        for c in r["claims"]:
            if not c["in_link"]:
                out.append("    other claim: " + _claim_text(c))
        if r["candidates"]:
            shown = ", ".join(f"{c['event']['id']} ({c['event']['date']}, {c['lag_days']} d before)"
                              for c in r["candidates"])
            more = r["candidate_count"] - len(r["candidates"])
            out.append(f"    temporal-only candidates: {shown}" + (f" and {more} more" if more > 0 else ""))
        return out

    def _count_lines(self) -> list[str]:
        """The summary's counts of security actions, pledges and threats, as every format words them."""
        sec, pl, th = self.summary["security"], self.summary["pledges"], self.summary["threats"]
        by = sec["rewarded_by"]
        how = (f" ({by['claims']} linked by claims, {by['pledge']} delivering a pledge relief was granted on, "
               f"{by['timing']} only followed by relief within the window)" if sec["rewarded"] else "")
        return [f"Security actions: {sec['rewarded']} rewarded{how}, {sec['unrewarded']} unrewarded",
                "Security pledges: " + ", ".join(f"{n} {k}" for k, n in pl.items()),
                "Threats: " + ", ".join(f"{n} {k}" for k, n in th.items())]

    def to_text(self) -> str:
        s = self.summary
        lines = [f"Audit: security actions and tariff relief (window {self.window_days} days; lags between "
                 "earliest dates)", ""]
        lines.append(f"Relief events: {s['reliefs']}")
        for v in VERDICTS:
            lines.append(f"  {VERDICT_LABELS[v]:<20} {s['verdicts'][v]['count']:>4}  {_share(s['verdicts'][v]['count'], s['reliefs'])}")
        for name, label in (("linked", "claim-linked lags"), ("temporal", _CANDIDATE_LAGS),
                            ("delivery", "pledge-to-delivery lags")):
            st = s["lags"][name]
            if st["n"]:
                lines.append(f"  {label}: median {st['median']:g} d, range {st['min']}..{st['max']} d (n={st['n']})")
        lines.append("  unexplained: " + (", ".join(s["unexplained"]) or "none"))
        for d in s["disputed"]:
            lines.append(f"  disputed: {d['claim']} ({d['cause']} -{d['relation']}-> {d['effect']}) claimed by "
                         f"{_who(d['claimed_by'])}, disputed by {', '.join(_who(a) for a in d['disputed_by'])}")
        lines += self._count_lines()
        lines += ["", "== Relief events"]
        for r in self.reliefs:
            lines += self._relief_lines(r)
        lines += ["", "== Security actions"]
        for a in self.security:
            lines.append(f"{a['event']['date']}  {a['event']['id']} ({a['event']['type']}"
                         + (f", {_quantity_text(a['quantity'], a.get('quantity_bounds'))}" if a["quantity"] else "")
                         + f"): {a['status']}"
                         + (f" - {_reward_text(a)}" if a["status"] == "rewarded" or a["linked_reliefs"] else ""))
        lines += ["", "== Security pledges"]
        for p in self.pledges:
            lines.append(f"{p['event']['date']}  {p['event']['id']} (promises {p['promises']}"
                         + (f", {_quantity_text(p['promised'], p.get('promised_bounds'))}" if p["promised"] else "")
                         + "): "
                         + _delivery_text(p))
        lines += ["", "== Threats"]
        for t in self.threats:
            lines.append(f"{t['event']['date']}  {t['event']['id']}: {_threat_text(t)}")
        return "\n".join(lines) + "\n"

    # -- markdown -----------------------------------------------------------------------------------------

    def to_markdown(self, *, chart_src: str | None = None) -> str:
        """Markdown; the chart is `chart_src` (a path or URL) when given, else embedded as an SVG data: URI."""
        s = self.summary
        md = ["# Audit: security actions and tariff relief", "",
              f"Window: {self.window_days} days before each relief. Lags are days between earliest dates.", "",
              "## Summary", "", "| verdict | reliefs | share |", "|---|---:|---:|"]
        for v in VERDICTS:
            md.append(f"| {VERDICT_LABELS[v]} | {s['verdicts'][v]['count']} | {_share(s['verdicts'][v]['count'], s['reliefs'])} |")
        md.append("")
        for name, label in (("linked", "Claim-linked lags"), ("temporal", _CANDIDATE_LAGS.capitalize()),
                            ("delivery", "Pledge-to-delivery lags")):
            st = s["lags"][name]
            if st["n"]:
                md.append(f"- {label}: median {st['median']:g} days, range {st['min']}–{st['max']} (n={st['n']})")
        md.append(f"- Unexplained reliefs: {', '.join(_mdc(x) for x in s['unexplained']) or 'none'}")
        for d in s["disputed"]:
            md.append(f"- Disputed: {_mdc(d['claim'])} ({_mdc(d['cause'])} {_md(d['relation'])} {_mdc(d['effect'])}) "
                      f"claimed by {_md(_who(d['claimed_by']))}, disputed by "
                      f"{_md(', '.join(_who(a) for a in d['disputed_by']))}")
        md += [f"- {_md(line)}" for line in self._count_lines()]
        # a path as a relative URL: spaces, brackets, '#', '?', '%' and backslashes percent-encoded; a URL (a scheme,
        # not a Windows drive) is one already
        src = chart_src or self._chart_data_uri()
        if chart_src and not (re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", src) and not re.match(r"[A-Za-z]:[\\/]", src)):
            src = quote(src.replace("\\", "/") if os.sep == "\\" else src, safe="/-._~")
        md += ["", f"![Lever rates against cumulative security figures]({src})", "",
               "## Relief events", ""]
        for r in self.reliefs:
            md.append(f"### {_md(r['event']['date'])} {_mdc(r['event']['id'])}: {VERDICT_LABELS[r['verdict']]}")
            md += ["", _md(r["event"]["summary"]), "",
                   f"- Lever: {_md(r['lever']['name']) if r['lever'] else 'none'}; "
                   f"{_md(_state_text(r['before']))} → {_md(_state_text(r['after']))}",
                   f"- Why: {_md(r['reason'])}"]
            for link in r["links"]:
                md.append(f"- Linked {link['kind']} {_mdc(link['event']['id'])} ({_md(link['event']['date'])}), "
                          f"lag {link['lag_days']} days" + ("" if link["sourced"] else " (unsourced)")
                          + (" (backwards in time)" if link["backwards"] else "") + (" (disputed)" if link["disputed"] else ""))
                if link["kind"] == "figures":
                    md.append(f"  - Figures: {_md(_figures_text(link))}")
                for c in link["chain"]:
                    md.append(f"  - {_md(_claim_text(c))}")
                if link.get("delivery"):
                    md.append(f"  - Pledge: {_md(_delivery_text(link['delivery']))}")
            for c in r["claims"]:
                if not c["in_link"]:
                    md.append(f"- Other claim: {_md(_claim_text(c))}")
            if r["candidates"]:
                more = r["candidate_count"] - len(r["candidates"])
                md.append("- Temporal-only candidates: " + ", ".join(
                    f"{_mdc(c['event']['id'])} ({c['lag_days']} days before)" for c in r["candidates"])
                    + (f" and {more} more" if more > 0 else ""))
            md.append("")
        md += ["## Security actions", "", "| date | event | type | figures | status |", "|---|---|---|---|---|"]
        for a in self.security:
            md.append(f"| {_md(a['event']['date'])} | {_mdc(a['event']['id'], cell=True)} | {_md(a['event']['type'])} | "
                      f"{_md(_quantity_text(a['quantity'], a.get('quantity_bounds')))} | {a['status']}"
                      + (f": {_md(_reward_text(a))}" if a["status"] == "rewarded" or a["linked_reliefs"] else "")
                      + " |")
        md += ["", "## Security pledges", "", "| date | pledge | promised | delivery |", "|---|---|---|---|"]
        for p in self.pledges:
            md.append(f"| {_md(p['event']['date'])} | {_mdc(p['event']['id'], cell=True)} | {_md(p['promises'] or '')} "
                      f"{_md(_quantity_text(p['promised'], p.get('promised_bounds')))} | {_md(_delivery_text(p))} |")
        md += ["", "## Threats", "", "| date | threat | outcome |", "|---|---|---|"]
        for t in self.threats:
            md.append(f"| {_md(t['event']['date'])} | {_mdc(t['event']['id'], cell=True)} | {_md(_threat_text(t))} |")
        return "\n".join(md) + "\n"

    def _chart_data_uri(self) -> str:
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.chart(fmt="svg")).decode("ascii")

    # -- html ---------------------------------------------------------------------------------------------

    def to_html(self) -> str:
        """A self-contained page: inline style, the chart as an SVG data: URI, no external src or href."""
        e = html.escape
        s = self.summary
        h = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>parley audit: security actions and tariff relief</title>", f"<style>{_CSS}</style>",
             "</head><body>", "<h1>Audit: security actions and tariff relief</h1>",
             f"<p>Window: {self.window_days} days before each relief. Lags are days between earliest dates.</p>",
             "<h2>Summary</h2>", "<table><tr><th>verdict</th><th>reliefs</th><th>share</th></tr>"]
        for v in VERDICTS:
            h.append(f'<tr class="{v}"><td>{e(VERDICT_LABELS[v])}</td><td>{s["verdicts"][v]["count"]}</td>'
                     f"<td>{e(_share(s['verdicts'][v]['count'], s['reliefs']))}</td></tr>")
        h.append("</table><ul>")
        for name, label in (("linked", "Claim-linked lags"), ("temporal", _CANDIDATE_LAGS.capitalize()),
                            ("delivery", "Pledge-to-delivery lags")):
            st = s["lags"][name]
            if st["n"]:
                h.append(f"<li>{label}: median {st['median']:g} days, range {st['min']}–{st['max']} "
                         f"(n={st['n']})</li>")
        h.append(f"<li>Unexplained reliefs: {e(', '.join(s['unexplained']) or 'none')}</li>")
        for d in s["disputed"]:
            h.append(f"<li>Disputed: <code>{e(d['claim'])}</code> (<code>{e(d['cause'])}</code> {e(d['relation'])} "
                     f"<code>{e(d['effect'])}</code>) claimed by {e(_who(d['claimed_by']))}, "
                     f"disputed by {e(', '.join(_who(a) for a in d['disputed_by']))}</li>")
        h += [f"<li>{e(line)}</li>" for line in self._count_lines()]
        h.append("</ul>")
        h.append(f'<figure><img alt="Lever rates against cumulative security figures" '
                 f'src="{e(self._chart_data_uri())}"></figure>')
        h.append("<h2>Relief events</h2>")
        for r in self.reliefs:
            h.append(f'<section class="relief {r["verdict"]}"><h3>{e(r["event"]["date"])} '
                     f"<code>{e(r['event']['id'])}</code>: {e(VERDICT_LABELS[r['verdict']])}</h3>")
            h.append(f"<p>{e(r['event']['summary'])}</p><ul>")
            h.append(f"<li>Lever: {e(r['lever']['name']) if r['lever'] else 'none'}; "
                     f"{e(_state_text(r['before']))} → {e(_state_text(r['after']))}</li>")
            h.append(f"<li>Why: {e(r['reason'])}</li>")
            for link in r["links"]:
                h.append(f"<li>Linked {e(link['kind'])} <code>{e(link['event']['id'])}</code> "
                         f"({e(link['event']['date'])}), lag {link['lag_days']} days"
                         + ("" if link["sourced"] else " (unsourced)") + (" (backwards in time)" if link["backwards"] else "")
                         + (" (disputed)" if link["disputed"] else "")
                         + "<ul>" + (f"<li>Figures: {e(_figures_text(link))}</li>" if link["kind"] == "figures" else "")
                         + "".join(_claim_html(c) for c in link["chain"])
                         + (f"<li>Pledge: {e(_delivery_text(link['delivery']))}</li>" if link.get("delivery") else "")
                         + "</ul></li>")
            for c in r["claims"]:
                if not c["in_link"]:
                    h.append("<li>Other claim:<ul>" + _claim_html(c) + "</ul></li>")
            if r["candidates"]:
                more = r["candidate_count"] - len(r["candidates"])
                h.append("<li>Temporal-only candidates: " + ", ".join(
                    f"<code>{e(c['event']['id'])}</code> ({c['lag_days']} days before)" for c in r["candidates"])
                    + (f" and {more} more" if more > 0 else "") + "</li>")
            h.append("</ul></section>")
        h += ["<h2>Security actions</h2>",
              "<table><tr><th>date</th><th>event</th><th>type</th><th>figures</th><th>status</th></tr>"]
        for a in self.security:
            h.append(f"<tr><td>{e(a['event']['date'])}</td><td><code>{e(a['event']['id'])}</code></td>"
                     f"<td>{e(a['event']['type'])}</td>"
                     f"<td>{e(_quantity_text(a['quantity'], a.get('quantity_bounds')))}</td>"
                     f"<td>{e(a['status'])}" + (f": {e(_reward_text(a))}" if a["status"] == "rewarded"
                                                or a["linked_reliefs"] else "")
                     + "</td></tr>")
        h += ["</table>", "<h2>Security pledges</h2>",
              "<table><tr><th>date</th><th>pledge</th><th>promised</th><th>delivery</th></tr>"]
        for p in self.pledges:
            h.append(f"<tr><td>{e(p['event']['date'])}</td><td><code>{e(p['event']['id'])}</code></td>"
                     f"<td>{e(p['promises'] or '')} {e(_quantity_text(p['promised'], p.get('promised_bounds')))}</td>"
                     f"<td>{e(_delivery_text(p))}</td></tr>")
        h += ["</table>", "<h2>Threats</h2>", "<table><tr><th>date</th><th>threat</th><th>outcome</th></tr>"]
        for t in self.threats:
            h.append(f"<tr><td>{e(t['event']['date'])}</td><td><code>{e(t['event']['id'])}</code></td>"
                     f"<td>{e(_threat_text(t))}</td></tr>")
        h += ["</table>", "</body></html>"]
        return "\n".join(h) + "\n"

    # -- csv ----------------------------------------------------------------------------------------------

    CSV_COLUMNS = ("section", "id", "type", "date", "lever", "verdict", "lag_days", "related", "detail")

    def to_csv_rows(self) -> list[dict]:
        """One row per relief, security action, pledge and threat (columns: CSV_COLUMNS)."""
        rows = []
        for r in self.reliefs:
            # the lag of the evidence (a claim without a source or dated backwards is none), else of the
            # nearest candidate
            lags = [link["lag_days"] for link in r["links"] if _evidence(link)] or [c["lag_days"]
                                                                                    for c in r["candidates"]]
            rows.append({"section": "relief", "id": r["event"]["id"], "type": r["event"]["type"],
                         "date": r["event"]["date"], "lever": r["lever"]["id"] if r["lever"] else "",
                         "verdict": r["verdict"], "lag_days": min(lags) if lags else "",
                         "related": ";".join(dict.fromkeys([x["event"]["id"] for x in r["links"]]
                                                           + [x["event"]["id"] for x in r["candidates"]])),
                         "detail": r["reason"]})
        for a in self.security:
            # the reliefs that rewarded it the way the verdict says (and their lags), as the summary counts it;
            # an unrewarded one's linked reliefs (no evidence)
            how = a["rewarded_by"]
            ties = ([(x["relief"], x["lag_days"]) for x in a["linked_reliefs"] if _evidence(x)] if how == "claims"
                    else [(relief, None) for d in a["delivers"] for relief in d["reliefs"]] if how == "pledge"
                    else [(a["followed_by"]["relief"], a["followed_by"]["lag_days"])] if how == "timing"
                    else [(x["relief"], None) for x in a["linked_reliefs"]])
            lags = [lag for _, lag in ties if lag is not None]
            rows.append({"section": "security", "id": a["event"]["id"], "type": a["event"]["type"],
                         "date": a["event"]["date"], "lever": "",
                         "verdict": a["status"] + (f" ({how})" if how else ""),
                         "lag_days": min(lags) if lags else "",
                         "related": ";".join(dict.fromkeys(relief for relief, _ in ties)),
                         "detail": _quantity_text(a["quantity"], a.get("quantity_bounds"))})
        for p in self.pledges:
            rows.append({"section": "pledge", "id": p["event"]["id"], "type": p["promises"] or "",
                         "date": p["event"]["date"], "lever": "", "verdict": p["status"],
                         "lag_days": p["deliveries"][0]["lag_days"] if p["deliveries"] else "",
                         "related": ";".join(d["event"]["id"] for d in p["deliveries"]),
                         "detail": _delivery_text(p)})
        for t in self.threats:
            rows.append({"section": "threat", "id": t["event"]["id"], "type": t["event"]["type"],
                         "date": t["event"]["date"], "lever": t["lever"]["id"] if t["lever"] else "",
                         "verdict": t["status"], "lag_days": "",
                         "related": ";".join(x["event"]["id"] for x in t["settled_by"]), "detail": _threat_text(t)})
        return rows

    def to_csv(self) -> str:
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=self.CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(self.to_csv_rows())
        return buf.getvalue()


# The temporal-only lags are of every relief's candidates (security actions in its window no sourced claim links
# to it), whatever its verdict: an evidenced relief may have some too.
_CANDIDATE_LAGS = "temporal-only candidate lags (security actions in a relief's window no sourced claim links)"
_CSS = ("body{font-family:system-ui,sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;"
        "vertical-align:top;text-align:left}img{max-width:100%}section{border-left:4px solid #999;"
        "padding-left:.8em;margin:1em 0}.evidenced{border-color:#2a7}.pledge{border-color:#58c}"
        ".disputed{border-color:#d80}.temporal-only{border-color:#aa3}.unexplained{border-color:#c33}"
        ".url{color:#555;word-break:break-all}")


def _share(count: int, total: int) -> str:
    return "–" if not total else _whole_percent(count, total)


def _whole_percent(part: float, whole: float) -> str:
    """part / whole as a whole percentage, halves rounded up, worked out exactly: format's rounding gives 62 %
    for 5 of 8, and 100 * 23 / 40 in binary floats is 57.4999…"""
    from fractions import Fraction

    if not (math.isfinite(part) and math.isfinite(whole)) or not whole:  # (a hand-edited graph's huge sums)
        return "–"
    part, whole = float(part), float(whole)
    if part.is_integer() and whole.is_integer():  # most figures: the same, in ints (Fraction is slow)
        p, w = int(part), int(whole)
        return f"{(200 * p + w) // (2 * w)}%"
    share = Fraction(repr(part)) * 100 / Fraction(repr(whole))  # the decimals as written
    return f"{math.floor(share + Fraction(1, 2))}%"


def _who(a: dict | None) -> str:
    return "unknown" if a is None else _line(a["name"])


def _line(text) -> str:
    """Text for one line of the text report: a line break or carriage return in it would break the layout, and
    a control character could command the terminal (one_line)."""
    return one_line(str(text))


def _md(text: str) -> str:
    """Markdown-safe text: escape the characters that would start markup, and no raw HTML; on one line, control
    characters shown (one_line). A line can start with it: a leading list, quote or heading marker is escaped."""
    out = html.escape(one_line(str(text)), quote=False)
    for ch in "\\`*_[]|#~":
        out = out.replace(ch, "\\" + ch)
    if out[:1] in ("-", "+", ">", "="):
        out = "\\" + out
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", out)


def _mdc(text: str, *, cell: bool = False) -> str:
    """Code: kept as it is, in a fence longer than its own backticks; in a table `cell`, a pipe escaped (it would
    end the cell, even in code)."""
    text = one_line(str(text))
    if cell:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if fence != "`" or text[:1] == "`" or text[-1:] == "`" else f"`{text}`"


def _state_text(st: dict | None) -> str:
    if st is None:
        return "no recorded state"
    if st["status"] is None:
        lp = st.get("lapsed")
        rate = "" if not lp or lp["rate"] is None else f" {lp['rate']:g}%"
        return ("nothing in force" + (f" ({lp['status']}{rate} set by {lp['event']} ended on {lp['until']})" if lp else "")
                + f" (collected: {st['collected']:g}%)")
    rate = "" if st["rate"] is None else f" {st['rate']:g}%"
    scope = f" on {_line(st['scope'])}" if st.get("scope") else ""
    if st.get("never_held"):
        return (f"{st['status']}{rate}{scope} (set, but overtaken before it took effect on {st['from']}; collected: "
                f"{st['collected']:g}%)")
    until = f" until {st['until']}" if st.get("until") else ""
    # (a tariff whose rate is not known: what it collected is not known either)
    collected = "" if st["rate"] is None and st["status"] in COLLECTING else f" (collected: {st['collected']:g}%)"
    if "set_by" in st:  # in force after the last change ran out
        if st.get("resumed_by"):
            since = f"again from {st['from']}, when {st['resumed_by']} ended" + ("," if until else "")
        else:
            since = f"from {st['from']}"
        return f"{st['status']}{rate}{scope} (set by {st['set_by']}) {since}{until}{collected}"
    return f"{st['status']}{rate}{scope} from {st['from']}{until}{collected}"


def _claim_text(c: dict) -> str:
    conf = c["confidence_level"] or ("" if c["confidence"] is None else f"{c['confidence']:g}")
    text = (f"{c['cause']} -{c['relation']}-> {c['effect']} [{c['id']}], claimed by {_who(c['claimed_by'])}"
            + (f", confidence {conf}" if conf else ""))
    if c["evidence"]:
        text += f'; evidence: "{_line(c["evidence"])}"'
    text += "; sources: " + (", ".join(s["url"] for s in c["sources"]) or "none")
    if c["disputed_by"]:
        text += "; disputed by " + ", ".join(_who(a) for a in c["disputed_by"])
    return text


def _claim_html(c: dict) -> str:
    e = html.escape
    conf = c["confidence_level"] or ("" if c["confidence"] is None else f"{c['confidence']:g}")
    out = (f"<li><code>{e(c['cause'])}</code> {e(c['relation'])} <code>{e(c['effect'])}</code> "
           f"[<code>{e(c['id'])}</code>], claimed by "
           f"{e(_who(c['claimed_by']))}" + (f", confidence {e(conf)}" if conf else ""))
    if c["evidence"]:
        out += f"; evidence: <q>{e(c['evidence'])}</q>"
    out += "; sources: " + (", ".join(_source_html(s["url"]) for s in c["sources"]) or "none")
    if c["disputed_by"]:
        out += "; <strong>disputed by " + e(", ".join(_who(a) for a in c["disputed_by"])) + "</strong>"
    return out + "</li>"


def _source_html(url: str) -> str:
    """A source as a link when it is an http(s) URL (the page still opens offline; following it needs the
    network), else as text."""
    e = html.escape
    if re.match(r"https?://[^\s\"<>\x00-\x1f\x7f-\x9f]+$", url or ""):
        return f'<a class="url" href="{e(url)}" rel="noreferrer">{e(url)}</a>'
    return f'<span class="url">{e(one_line(url or ""))}</span>'


def _delivery_text(p: dict) -> str:
    unsourced, backdated = p.get("unsourced_deliveries"), p.get("backdated_deliveries")
    claimed = ("; claimed without a source (no evidence): " + ", ".join(
        f"{d['event']['id']} ({d['event']['date']})" for d in unsourced)) if unsourced else ""
    if backdated:
        claimed += "; claimed, but dated before the pledge (no evidence): " + ", ".join(
            f"{d['event']['id']} ({d['event']['date']})" for d in backdated)
    if not p["deliveries"]:
        return "not yet delivered" + claimed
    parts = [f"{d['event']['id']} ({d['event']['date']}, {d['lag_days']} d after the pledge"
             + (f", {_quantity_text(d['quantity'], d.get('quantity_bounds'))}" if d["quantity"] else "")
             + (f"; disputed by {', '.join(_who(a) for a in d['disputed_by'])}" if d.get("disputed_by") else "") + ")"
             for d in p["deliveries"]]
    text = f"{p['status']} by " + "; ".join(parts)
    bounds = p.get("promised_bounds") or {}
    for kind, amount in sorted(p["promised"].items()):
        got = p["delivered"].get(kind)
        if got is None:
            text += f"; {kind}: amount delivered not reported"
        else:
            promised = _bounded_text(amount, bounds.get(kind))
            got_text = _bounded_text(got, (p.get("delivered_bounds") or {}).get(kind))
            text += f"; {kind}: {got_text} of {promised} ({_whole_percent(got, amount)})" if amount \
                else f"; {kind}: {got_text}"
    return text + claimed


def _reward_text(a: dict) -> str:
    parts = [f"linked to {x['relief']} ({x['lag_days']} d" + (")" if _evidence(x) else ", by unsourced claims only)"
                                                             if not x["sourced"] else ", by a claim dated backwards)")
             for x in a["linked_reliefs"]]
    parts += [f"delivers the pledge {x['pledge']}, on which {', '.join(x['reliefs'])} was granted"
              for x in a["delivers"]]
    if a["followed_by"]:
        parts.append(f"followed by {a['followed_by']['relief']} {a['followed_by']['lag_days']} d later")
    return "; ".join(parts)


def _threat_text(t: dict) -> str:
    what = (f"{t['rate']:g}% " if t["rate"] is not None else "") + (f"on {t['lever']['id']}" if t["lever"] else
                                                                     "(no lever)")
    status = t["status"]
    if status == "carried-out":
        text = f"{what}: carried out on {t['on']}"
        if t["rate"] is not None and t["rate_carried_out"] != t["rate"]:
            text += f" at {_pct(t['rate_carried_out'])}"
    elif status == "delayed":
        text = (f"{what}: delayed" + (f" to {t['on']}" if t["on"] else f", open-ended since {t['open_ended_since']}")
                + ", not carried out")
    elif status == "withdrawn":
        text = f"{what}: withdrawn on {t['on']}"
    else:
        text = f"{what}: pending"
    if t["settled_by"]:
        text += " (" + "; ".join(f"{x['event']['id']} {x['event']['date']}: {x['effect']}" for x in t["settled_by"]) + ")"
    return text


# -- the audit ------------------------------------------------------------------------------------------------

def audit(graph, *, window_days: int = 30, max_chain: int = MAX_CHAIN, max_candidates: int = 20) -> AuditReport:
    """Audit how security actions and pledges were tied to tariff relief in `graph` (see the module docstring).

    `window_days`: how far before a relief event the targeted side's unlinked security actions count as
    temporal-only candidates, and how soon after a security action a relief makes it rewarded.
    `max_chain`: the longest chain of claims followed. `max_candidates`: how many temporal-only candidates
    each relief lists (the nearest first; `candidate_count` has them all).
    """
    if not 0 <= window_days <= MAX_WINDOW:
        raise AuditError(f"window must be 0 to {MAX_WINDOW} days, not {window_days}")
    if max_chain < 1:
        raise AuditError(f"max_chain must be >= 1, not {max_chain}")
    # The audit makes millions of small dicts, lists and tuples on a large graph and frees none of them until
    # it returns; the cyclic garbage collector would walk them all again and again to find no garbage (about a
    # fifth of the CPU time at 10k events). Paused for the audit only; the report it returns goes straight to
    # the oldest generation (long_lived), instead of a young pass walking it once more (about 0.2 s at 100k).
    from .query import collector_paused

    with collector_paused(long_lived=True):
        return _audit(graph, window_days=window_days, max_chain=max_chain, max_candidates=max_candidates)


def _audit(graph, *, window_days: int, max_chain: int, max_candidates: int) -> AuditReport:
    data = _Data(graph)
    try:
        ev, steps, ordered = data.events, data.steps, data.ordered
        security_types, relief_types = frozenset(GROUPS["security"]), frozenset(GROUPS["relief"])

        # the events the audit reports on, by group, in date order (one pass)
        reliefs, security_events, threats, commitments, figures = [], [], [], [], []
        statistic = "statistic"
        for e in ordered:
            t = e.type
            if t in relief_types:
                reliefs.append(e)
            elif t in security_types:
                security_events.append(e)
                if e.quantity:
                    figures.append(e)
            elif t == "threat":
                threats.append(e)
            elif t == "commitment":
                commitments.append(e)
            elif t == statistic and e.quantity:
                figures.append(e)

        # Security actions of each side, sorted by earliest date, for the window look-ups (bisect, not a scan).
        data.set_fields(reliefs, lever=True)
        relief_sides = [data.relief_side(r) for r in reliefs]
        # Every targeted side: of the relief events, and of every lever with a target.
        sides = set(relief_sides) | {data.side_of(lv["targets"]) for lv in data.levers.values() if lv["targets"]}
        sides.discard(frozenset())
        side_security: dict[frozenset, list[_Event]] = {}
        side_reliefs: dict[frozenset, list[_Event]] = {}
        actor_sides: dict[str, list[frozenset]] = defaultdict(list)
        for side in sides:
            for a in side:
                actor_sides[a].append(side)
        sides_of: dict[tuple, set] = {}  # the sides of an event's actors, by its actors as read
        security: list[tuple[_Event, set]] = []  # the security actions in order, with their sides
        for e in security_events:
            x_sides = sides_of.get(e.actors)
            if x_sides is None:
                x_sides = sides_of[e.actors] = {s for a in e.actors for s in actor_sides.get(a, ())}
            security.append((e, x_sides))
            for side in x_sides:
                side_security.setdefault(side, []).append(e)
        for r, side in zip(reliefs, relief_sides):
            side_reliefs.setdefault(side, []).append(r)
        # every actor's security actions, pledges and figures count when no side is targeted, or when a relief
        # targets no one (no target on it or its lever): for it, as every claim does
        everyone = not sides or frozenset() in side_reliefs
        if frozenset() in side_reliefs:
            side_security[frozenset()] = [e for e, _ in security]
        security_dates = {side: [e.earliest for e in items] for side, items in side_security.items()}

        # What needs no claim comes first, while the engine answers the claim queries on the other core: the
        # threats, the series, each relief's lever states and the security actions in the window before it,
        # each security action's next relief.
        data.set_fields(threats, lever=True, rate=True)
        threat_items = _threats(data, threats)
        series = _series(data, figures, steps, set() if everyone else sides, reliefs)
        relief_starts = _relief_starts(data, reliefs, relief_sides, side_security, security_dates, window_days)
        security_starts = _security_starts(data, security, sides, side_reliefs, window_days)
        data.set_fields(commitments, promises=True)
        data.read_claims()
    finally:
        data.close()

    # the claims into each event (but 'prevents'), and the sourced ones: a chain with a claim without a source
    # is listed but is no evidence, and must not hide a sourced chain from the same event (_chains_into keeps
    # one chain an event)
    incoming: dict[str, list[_Claim]] = defaultdict(list)
    sourced_incoming: dict[str, list[_Claim]] = defaultdict(list)
    delivered_by: dict[str, list[_Claim]] = defaultdict(list)
    unsourced_delivered_by: dict[str, list[_Claim]] = defaultdict(list)
    backdated_delivered_by: dict[str, list[_Claim]] = defaultdict(list)
    for c in sorted(data.claims.values(), key=_claim_id):
        relation = c.relation
        if relation != "prevents":
            # a claim whose effect is surely dated before its cause (`parley validate` reports it) is no evidence
            if ev[c.effect].latest < ev[c.cause].earliest:
                c.backwards = True
            incoming[c.effect].append(c)
            if c.sources and not c.backwards:
                sourced_incoming[c.effect].append(c)
            if relation == "delivered-by":
                (unsourced_delivered_by if not c.sources else backdated_delivered_by if c.backwards
                 else delivered_by)[c.cause].append(c)

    # the security pledges of a targeted side (all of them when no side is targeted, or a relief targets no
    # one), as for security actions
    pledges = {e.iri: e for e in commitments if e.promises in security_types
               and (everyone or any(actor_sides.get(a) for a in e.actors))}
    pledge_info = {iri: _pledge(data, p, delivered_by.get(iri, ()), unsourced_delivered_by.get(iri, ()),
                                backdated_delivered_by.get(iri, ()))
                   for iri, p in pledges.items()}
    granted_on: dict[str, list[str]] = defaultdict(list)
    linked_to: dict[str, list[dict]] = defaultdict(list)

    relief_items = []
    lags_linked, lags_temporal = [], []
    disputed_list, seen_disputed, pledge_reasons = [], set(), {}
    event_ref, claimants = data.event_ref, data.properties["claimant"]
    for r, side, (item, in_window) in zip(reliefs, relief_sides, relief_starts):
        r_iri, r_earliest = r.iri, r.earliest
        direct = incoming.get(r_iri, ())
        chains = _chains_into(r_iri, incoming, max_chain) if direct else _NO_CHAINS
        sourced_chains = None  # the sourced chains, made when a link's chain has a claim without a source
        links = []
        evidence: set[str] = set()  # the events sourced chains link to it
        linked_claims: dict[str, _Claim] = {}  # the claims on the links' chains
        contested: dict[str, _Claim] = {}  # disputed claims of a chain a sourced one replaced: linking too
        for x_iri in chains:
            if x_iri == r_iri:
                continue
            x = ev[x_iri]
            t = x.type
            if t in security_types:
                kind = "security"
            elif t == "statistic" and x.quantity:
                kind = "figures"
            elif x_iri in pledges:
                kind = "pledge"
            else:
                continue
            if side and side.isdisjoint(x.actors):
                continue
            chain = _chain(chains, x_iri)
            if not all(c.sources and not c.backwards for c in chain):
                # a claim without a source (or dated backwards) on the shortest chain: a sourced chain from the
                # event, if there is one, comes first (it is evidence; the other is not), but the other's claims
                # still link it: a dispute among them is the relief's (listed, and first in the verdict)
                if sourced_chains is None:
                    sourced_chains = _chains_into(r_iri, sourced_incoming, max_chain)
                if x_iri in sourced_chains:
                    for c in chain:
                        if c.disputants:
                            contested[c.iri] = c
                    chain = _chain(sourced_chains, x_iri)
            sourced, backwards, disputed, chain_dicts = True, False, False, []
            for c in chain:
                linked_claims[c.iri] = c
                if not c.sources:
                    sourced = False
                if c.backwards:
                    backwards = True
                if c.disputants:
                    disputed = True
                chain_dicts.append(c.as_dict or _claim_dict(data, c))
            lag = (r_earliest - x.earliest).days
            link = {"kind": kind, "event": x.ref or event_ref(x), "lag_days": lag, "sourced": sourced,
                    "backwards": backwards, "disputed": disputed, "chain": chain_dicts}
            evident = sourced and not backwards
            if x.quantity:
                link["quantity"] = x.sorted_quantity or _quantity(x)
                if x_iri in data.bounds:
                    link["quantity_bounds"] = data.bounds[x_iri]
                if kind == "figures":
                    link.update(_counting(data, x))
            # an unsourced or backwards chain is listed, but is no evidence: no grant on a pledge, no lag of a
            # linked relief
            if kind == "pledge":
                link["delivery"] = pledge_info[x_iri]
                if evident:
                    granted_on[x_iri].append(r.id)
            elif kind == "security":
                linked_to[x_iri].append({"relief": r.id, "lag_days": lag, "claims": [c.id for c in chain],
                                         "sourced": sourced, "backwards": backwards})
            links.append(link)
            if evident:
                lags_linked.append(lag)
                evidence.add(x_iri)
        if len(links) > 1:
            links.sort(key=lambda k: (k["event"]["earliest"], k["kind"], k["event"]["id"]))
        if linked_claims or contested:
            linking = {c.iri: c for c in direct}
            linking.update(linked_claims)
            linking.update(contested)
            linking = linking.values()
        else:
            linking = direct
        claims = []
        if len(linking) > 1:  # by cause, then id (most reliefs have one claim: no sort)
            linking = sorted(linking, key=lambda c: (ev[c.cause].rank, c.id))
        for c in linking:
            in_link = c.iri in linked_claims
            d = c.listed_linked if in_link else c.listed_other
            if d is None:
                d = dict(c.as_dict or _claim_dict(data, c), in_link=in_link)
                if in_link:
                    c.listed_linked = d
                else:
                    c.listed_other = d
            claims.append(d)
            if c.disputants and c.iri not in seen_disputed:
                seen_disputed.add(c.iri)
                disputed_list.append({"claim": c.id, "cause": ev[c.cause].id, "effect": ev[c.effect].id,
                                      "relation": c.relation, "claimed_by": data.actor_ref(claimants.get(c.iri)),
                                      "disputed_by": [data.actor_ref(a) for a in c.disputants]})
        # temporal-only candidates: the side's security actions in the window before it, not linked
        # (one linked by unsourced claims only is one: that link is no evidence)
        if evidence:
            candidates = [candidate for x, candidate in in_window if x.iri not in evidence]
        else:
            candidates = [candidate for _, candidate in in_window]
        lags_temporal.extend([candidate["lag_days"] for candidate in candidates])
        item["verdict"], item["reason"] = _verdict(claims, links, candidates, window_days, pledge_reasons,
                                                   side=" of the targeted side" if side else "")
        item["links"], item["claims"] = links, claims
        item["candidates"], item["candidate_count"] = candidates[:max_candidates], len(candidates)
        relief_items.append(item)

    # security actions: rewarded when linked, or followed by relief on their side within the window
    # (security_starts), or when they deliver a pledge on which relief was granted (rewarded in advance)
    delivers: dict[str, list[dict]] = defaultdict(list)
    for iri, info in pledge_info.items():
        if granted_on.get(iri):
            for d in info["deliveries"]:
                delivers[d["event"]["id"]].append({"pledge": info["event"]["id"], "reliefs": granted_on[iri]})
    security_items = []
    rewarded_by = {"claims": 0, "pledge": 0, "timing": 0}
    for x, item, followed in security_starts:
        linked = linked_to.get(x.iri, [])
        delivered = delivers.get(x.id, [])
        # the strongest tie: claims linking it to relief, a pledge it delivers, else only relief soon after it
        how = ("claims" if any(_evidence(x) for x in linked) else "pledge" if delivered else "timing" if followed
               else None)
        item["status"] = "unrewarded" if how is None else "rewarded"
        if how is not None:
            rewarded_by[how] += 1
        item["rewarded_by"] = how
        item["linked_reliefs"], item["delivers"], item["followed_by"] = linked, delivered, followed
        security_items.append(item)
    rewarded = sum(rewarded_by.values())

    pledge_items = []
    for iri, p in pledges.items():
        info = dict(pledge_info[iri])
        info["granted"] = granted_on.get(iri, [])
        pledge_items.append(info)

    verdicts = [r["verdict"] for r in relief_items]
    counts = {v: verdicts.count(v) for v in VERDICTS}
    n = len(relief_items)
    delivery_lags = [d["lag_days"] for p in pledge_items for d in p["deliveries"]]
    pledge_statuses = [p["status"] for p in pledge_items]
    threat_statuses = [t["status"] for t in threat_items]
    summary = {
        "reliefs": n,
        "verdicts": {v: {"count": counts[v], "share": counts[v] / n if n else None} for v in VERDICTS},
        "lags": {"linked": _lag_stats(lags_linked), "temporal": _lag_stats(lags_temporal),
                 "delivery": _lag_stats(delivery_lags)},
        "unexplained": [r["event"]["id"] for r in relief_items if r["verdict"] == "unexplained"],
        "disputed": disputed_list,
        "security": {"rewarded": rewarded, "unrewarded": len(security_items) - rewarded, "rewarded_by": rewarded_by},
        "pledges": {s: pledge_statuses.count(s) for s in ("delivered", "partly delivered", "not yet delivered")},
        "threats": {s: threat_statuses.count(s) for s in THREAT_STATUSES},
    }
    return AuditReport(window_days, max_chain, relief_items, security_items, pledge_items, threat_items,
                       summary, series)


_claim_id = operator.attrgetter("id")
_NO_CHAINS: dict = {}  # _chains_into's answer for a relief no claim names as its effect (never changed)
_DAY = dt.timedelta(days=1)


def _relief_starts(data: _Data, reliefs: list[_Event], sides: list[frozenset], side_security: dict,
                   security_dates: dict, window_days: int) -> list[tuple[dict, list[tuple[_Event, dict]]]]:
    """What each relief's report entry holds that needs no claim: the entry with its event, lever, targeted
    side and lever states before and after (the audit adds the rest), and the side's security actions in the
    window before it (window_days before its date up to and including that date), nearest first, each with
    its entry as a temporal-only candidate (event and lag), which it is unless a claim links it."""
    steps, step_days, outcome_of, outcomes, ranks = (data.steps, data.step_days, data.outcome_of, data.outcomes,
                                                     data.outcome_ranks)
    event_ref, lever_ref, side_ids = data.event_ref, data.lever_ref, data.side_ids
    window, bisect_left, bisect_right = dt.timedelta(days=window_days), bisect.bisect_left, bisect.bisect_right
    out = []
    for r, side in zip(reliefs, sides):
        outcome = outcome_of.get(r.iri)
        starts = outcome.valid_from if outcome else r.earliest
        lever = r.lever
        if lever:
            lever_steps, lever_days = steps.get(lever, ()), step_days.get(lever, ())
            # the lever's state set by the last event before the relief (in event order)
            i = bisect_left(ranks.get(lever, ()), r.rank)
            previous = outcomes[lever][i - 1] if i else None
        else:
            lever_steps = lever_days = ()
            previous = None
        before, day = _collected_on(lever_steps, lever_days, starts - _DAY), starts - _DAY
        if lever and (previous is None or not previous.holds_on(day)):
            # the last change before it did not hold the day before (it ran out by its own end, or had not
            # taken effect): what held then, as `parley state` says
            before = _state_on(data, lever, day, before) if data.outcomes.get(lever) else None
        else:
            before = _state(data, previous, before)
        item = {"event": r.ref or event_ref(r), "lever": lever_ref(lever), "targeted_side": side_ids(side),
                "before": before,
                "after": _state(data, outcome, _collected_on(lever_steps, lever_days, starts))}
        in_window = []
        if side in side_security:
            dates, r_earliest = security_dates[side], r.earliest
            lo = bisect_left(dates, r_earliest - window)
            hi = bisect_right(dates, r_earliest)
            if hi > lo:
                for x in reversed(side_security[side][lo:hi]):
                    in_window.append((x, {"event": x.ref or event_ref(x), "lag_days": (r_earliest - x.earliest).days}))
        out.append((item, in_window))
    return out


def _security_starts(data: _Data, security: list[tuple[_Event, set]], sides: set, side_reliefs: dict,
                     window_days: int) -> list[tuple[_Event, dict, dict | None]]:
    """What a security action's report entry holds that needs no claim, for those of a targeted side (all of
    them when no side is targeted, or a relief targets no one): (event, the entry with its event, actors and figures, the first relief of
    its side within the window after it or None)."""
    relief_dates = {side: [r.earliest for r in items] for side, items in side_reliefs.items()}
    event_ref, actor_ids, bisect_left = data.event_ref, data.actor_ids, bisect.bisect_left
    anyone = frozenset() if frozenset() in side_reliefs else None  # the reliefs that target no one follow any action
    out = []
    for x, x_sides in security:
        if sides and not x_sides and anyone is None:
            continue
        followed = None
        x_earliest = x.earliest
        for side in (x_sides if anyone is None else (*x_sides, anyone)):
            items = side_reliefs.get(side)
            if items is None:
                continue
            i = bisect_left(relief_dates[side], x_earliest)
            if i < len(items):
                lag = (items[i].earliest - x_earliest).days
                if lag <= window_days and (followed is None or (lag, items[i].id) < (followed["lag_days"],
                                                                                      followed["relief"])):
                    followed = {"relief": items[i].id, "lag_days": lag}
        out.append((x, {"event": x.ref or event_ref(x), "actors": actor_ids(x.actors),
                        "quantity": x.sorted_quantity or _quantity(x), **_bounds(data, x)}, followed))
    return out


def _chains_into(target: str, incoming: dict, max_chain: int) -> dict[str, _Claim | None]:
    """Every event with a chain of claims into `target` (and `target`, mapped to None), breadth first: event ->
    the first claim of its shortest chain, whose effect is the next event on it (_chain follows them). Only
    the chains that become links are made into lists. Of an event's shortest chains, one with a disputed claim
    if there is one (a contested story comes first, whatever the claims are called), else the first by claim
    id."""
    via: dict[str, _Claim | None] = {target: None}
    disputed: set[str] = set()  # the events whose chain has a disputed claim
    step_of: dict[str, int] = {}  # the length of each event's chain
    frontier = [target]
    for step in range(max_chain):
        nxt = []
        for node in frontier:
            contested = node in disputed
            for c in incoming.get(node, ()):
                cause = c.cause
                if cause not in via:
                    via[cause] = c
                    nxt.append(cause)
                    step_of[cause] = step
                    if contested or c.disputants:
                        disputed.add(cause)
                elif (contested or c.disputants) and cause not in disputed and step_of.get(cause) == step:
                    via[cause] = c  # as short, and contested
                    disputed.add(cause)
        if not nxt:
            break
        frontier = nxt
    return via


def _chain(via: dict, event: str) -> list[_Claim]:
    """The claims of the chain from `event` in _chains_into's answer, cause first."""
    c = via[event]
    chain = [c]
    while True:
        c = via[c.effect]
        if c is None:
            return chain
        chain.append(c)


_DELIVERY_RANK = {"delivered": 0, "partly delivered": 1, "not yet delivered": 2}


def _evidence(link: dict) -> bool:
    """Whether a link (or a security action's linked relief) is evidence: every claim on its chain has a source
    and runs forward in time."""
    return link["sourced"] and not link["backwards"]


def _no_evidence(links: list[dict]) -> str:
    """What makes links that are no evidence so: "only unsourced claims link a, b to it", and/or the claims
    dated backwards."""
    unsourced = [k["event"]["id"] for k in links if not k["sourced"]]
    backwards = [k["event"]["id"] for k in links if k["sourced"] and k["backwards"]]
    parts = ([f"unsourced claims link {', '.join(unsourced)} to it"] if unsourced else []) + (
        [f"claims with an effect dated before its cause link {', '.join(backwards)} to it"] if backwards else [])
    return "only " + "; ".join(parts)


def _verdict(claims: list[dict], links: list[dict], candidates: list[dict], window: int,
             pledge_reasons: dict, *, side: str = " of the targeted side") -> tuple[str, str]:
    """The verdict and its reason. `pledge_reasons`: the reason for a relief granted on a pledge, by id() of the
    pledge's delivery dict (made once per pledge: several reliefs may be granted on one)."""
    for c in claims:
        if c["disputed_by"]:
            return "disputed", (f"claim {c['id']} ({c['cause']} {c['relation']} {c['effect']}) is claimed by "
                                f"{_who(c['claimed_by'])} and disputed by "
                                f"{', '.join(_who(a) for a in c['disputed_by'])}")
    pledged = None  # the best delivered of the sourced links to a pledge (the first of them), if none is evidence
    for k in links:
        if k["sourced"] and not k["backwards"]:
            if k["kind"] in ("security", "figures"):
                what = "security action" if k["kind"] == "security" else "security figures"
                return "evidenced", (f"sourced claims link the {what} {k['event']['id']} ({k['event']['date']}) to "
                                     f"it, {k['lag_days']} days before")
            if k["kind"] == "pledge" and (pledged is None or _DELIVERY_RANK[k["delivery"]["status"]]
                                          < _DELIVERY_RANK[pledged["delivery"]["status"]]):
                pledged = k
    if pledged is not None:
        k = pledged
        reason = pledge_reasons.get(id(k["delivery"]))
        if reason is None:
            reason = pledge_reasons[id(k["delivery"])] = (
                f"granted on the pledge {k['event']['id']} ({k['event']['date']}), which is "
                f"{_delivery_text(k['delivery'])}")
        return "pledge", reason
    if candidates:
        lead = (_no_evidence(links) + " (no evidence)") if links else "no claim links a security action to it"
        return "temporal-only", (f"{lead}, but {len(candidates)} security action(s){side} fall in "
                                 f"the {window} days before it" + ("" if side else " (it targets no one: any actor's count)"))
    others = sorted({c["cause"] for c in claims})
    other = (f"; claims link only {', '.join(others)} to it, which {'is' if len(others) == 1 else 'are'} no "
             f"security action, figures or pledge{side}") if others and not links else ""
    if links:
        return "unexplained", (f"{_no_evidence(links)}, and no security action{side} falls in the "
                               f"{window} days before it")
    return "unexplained", (f"no claim links security to it and no security action falls in the {window} days "
                           f"before it{other}")


def _pledge(data: _Data, p: _Event, claims, unsourced=(), backdated=()) -> dict:
    """A pledge's deliveries: the events its sourced delivered-by claims name (`unsourced`: the claims without a
    source, listed as `unsourced_deliveries` but no delivery; `backdated`: the sourced claims naming an event dated
    before the pledge, `backdated_deliveries`)."""
    deliveries, delivered, inexact = [], {}, {}
    events, bounds = data.events, data.bounds
    if len(claims) > 1:
        claims = sorted(claims, key=lambda c: (events[c.effect].rank, c.id))
    promised = p.quantity
    for c in claims:
        d = events[c.effect]
        deliveries.append({"event": d.ref or data.event_ref(d), "lag_days": (d.earliest - p.earliest).days,
                           "quantity": d.sorted_quantity or _quantity(d), **_bounds(data, d), "claim": c.id})
        if c.disputants:  # a delivery one side denies still counts (a sourced claim), and says so
            deliveries[-1]["disputed_by"] = [data.actor_ref(a) for a in c.disputants]
        if promised:
            for kind in promised:
                if kind in d.quantity:
                    delivered[kind] = delivered.get(kind, 0) + d.quantity[kind]
                    b = bounds.get(d.iri, {}).get(kind) if bounds else None
                    if b is not None:  # a sum is as inexact as its least exact part (as the figures' series)
                        inexact[kind] = "about" if "about" in (b["bound"], inexact.get(kind)) else "least"
    if not deliveries:
        status = "not yet delivered"
    elif any(delivered.get(k, 0) < amount for k, amount in promised.items() if k in delivered):
        status = "partly delivered"
    else:
        status = "delivered"
    return {"event": p.ref or data.event_ref(p), "actors": data.actor_ids(p.actors), "promises": p.promises,
            "promised": p.sorted_quantity or _quantity(p), **_bounds(data, p, key="promised_bounds"), "status": status,
            "deliveries": deliveries,
            "unsourced_deliveries": _unsourced_deliveries(data, unsourced, {c.effect for c in claims}),
            "backdated_deliveries": _unsourced_deliveries(data, backdated, {c.effect for c in claims}),
            "delivered": dict(sorted(delivered.items())) if len(delivered) > 1 else dict(delivered),
            **({"delivered_bounds": {k: {"bound": inexact[k]} for k in sorted(inexact)}} if inexact else {}),
            "share": {k: delivered[k] / a for k, a in sorted(promised.items()) if k in delivered and a}}


def _unsourced_deliveries(data: _Data, unsourced, delivered: set) -> list[dict]:
    """The events delivered-by claims that are no evidence name, once each, but those a delivery names, with the
    first such claim of each."""
    events, out, seen = data.events, [], set(delivered)
    for c in sorted(unsourced, key=lambda c: (events[c.effect].rank, c.id)):
        if c.effect not in seen:
            seen.add(c.effect)
            d = events[c.effect]
            out.append({"event": d.ref or data.event_ref(d), "claim": c.id})
    return out


def _collected(o: _Outcome | None) -> float:
    """The rate actually collected under an outcome: its rate when in force or reduced, else 0."""
    if o is None or o.status not in COLLECTING or o.rate is None:
        return 0.0
    return o.rate


def _lever_steps(outs: list[_Outcome]) -> list[tuple]:
    """The collected rate of one lever as steps (day, rate from that day, event IRI, what happened).

    Each outcome that held for at least a day starts a step. When a pause, an exemption (one that leaves a rate
    on part of the goods too) or a reduction ends by its own end before the next change, what it suspended
    resumes (see _suspended); when any other state ends so, nothing is collected.
    What happened is (outcome, None, outcome) for a state set and (outcome, rate resumed, the outcome whose state
    came back or None) for one that ended: _step_text says it in words, for the few steps a report shows.
    """
    pauses = {o.event: i for i, o in enumerate(outs) if o.suspends}  # their places in event order
    held = sorted((o for o in outs if o.valid_until is None or o.valid_until > o.valid_from),
                  key=lambda o: (o.valid_from, o.rank))
    steps: list[tuple] = []
    # a step on the day of the last one replaces it; a step at the last one's rate is not one
    last_day = last_value = None
    for i, o in enumerate(held):
        day, value = o.valid_from, _collected(o)
        if day == last_day:
            steps[-1] = (day, value, o.event, (o, None, o))
            last_value = value
        elif value != last_value or not steps:
            steps.append((day, value, o.event, (o, None, o)))
            last_day, last_value = day, value
        until = o.valid_until
        if until and (i + 1 == len(held) or held[i + 1].valid_from > until):
            end = held[i + 1].valid_from if i + 1 < len(held) else None
            after = _suspended(outs, pauses[o.event], until, end) if o.event in pauses else [(until, 0.0, None)]
            for day, resumed, taking in after:
                # the day the pause ended says so; a suspended change taking effect later is that change's step
                if day == until or taking is None:
                    event, note = o.event, (o, resumed, taking)
                else:
                    event, note = taking.event, (taking, None, taking)
                if day == last_day:
                    steps[-1] = (day, resumed, event, note)
                    last_value = resumed
                elif resumed != last_value:
                    steps.append((day, resumed, event, note))
                    last_day, last_value = day, resumed
    return steps


def _suspended(outs: list[_Outcome], at: int, start: dt.date, end: dt.date | None) -> list[tuple]:
    """(day, rate collected, the change that sets it) from `start`, when the pause, exemption or reduction outs[at] ran
    out, until `end` (the next change; None: none): what it suspended, the changes before it in event order, as
    they would have run without it (events/outcomes.py, resumed_schedule: an imposition the pause overtook
    counts from its own date; an earlier pause, exemption or reduction holds until its own end)."""
    return [(day, _collected(c), c) for day, c in resumed_schedule(outs[:at], start, end)]


def _step_text(note: tuple) -> str:
    """What a step of _lever_steps records, in words."""
    o, resumed, _ = note
    if resumed is None:
        return f"{o.status}" + (f" at {_pct(o.rate)}" if o.rate is not None else "") + f" from {o.valid_from}"
    return f"{o.status} ended on {o.valid_until}: {_pct(resumed)} collected"


def _collected_on(steps: list[tuple], days: list[dt.date], day: dt.date) -> float:
    """The rate collected on `day`; `days` are the steps' days (made once per lever, not per look-up)."""
    i = bisect.bisect_right(days, day)
    return steps[i - 1][1] if i else 0.0


def _state(data: _Data, o: _Outcome | None, collected: float) -> dict | None:
    """The lever state an outcome set, with the rate collected; one dict per outcome and collected rate,
    shared like event_ref's (a relief's state after is often the next relief's state before)."""
    if o is None:
        return None
    states = o.states
    if states is None:
        states = o.states = {}
    st = states.get(collected)
    if st is None:
        iso = data.iso
        st = states[collected] = {"status": o.status, "rate": o.rate, "scope": o.scope, "from": iso[o.valid_from],
                                  "until": iso[o.valid_until], "collected": collected}
        if not o.ever_holds():  # a later change took effect first: `parley state` never shows it
            st["never_held"] = True
    return st


def _state_on(data: _Data, lever: str, day: dt.date, collected: float) -> dict | None:
    """The lever's state on `day` as `parley state` reckons it (graph/reading.py, state_on), for a day on which
    the last change before a relief did not hold: what held (`set_by`, and `resumed_by`
    the pause, exemption or reduction whose end brought it back, None for an order that took effect on its own
    date after it), or nothing (`status` None, and `lapsed`: what ran out), or None when nothing had held."""
    # all the lever's changes, as `parley state` reads them: a later one can end what held that day
    current, _, lapsed, resumed, ended_by = state_on(data.outcomes[lever], day)
    iso, events = data.iso, data.events
    if current is None:
        if lapsed is None:
            return None
        return {"status": None, "rate": None, "scope": None, "from": iso[lapsed.valid_until] if lapsed else None,
                "until": None, "collected": collected,
                "lapsed": {"event": events[lapsed.event].id, "status": lapsed.status, "rate": lapsed.rate,
                           "until": iso[lapsed.valid_until]} if lapsed else None}
    st = {"status": current.status, "rate": current.rate, "scope": current.scope, "from": iso[current.valid_from],
          "until": iso[current.valid_until], "collected": collected, "set_by": events[current.event].id}
    if resumed:
        st["resumed_by"] = events[ended_by.event].id if ended_by is not None else None
    return st


def _threats(data: _Data, threats: list[_Event]) -> list[dict]:
    """Each threat carried out, delayed, withdrawn or pending, with the events that settled it.

    Carried out: the first day on or after the threat on which the lever's collected rate rises above what it
    was the day before the threat (at the threatened rate or another: both are reported), so an imposition
    overtaken by a pause before it took effect does not count, and a pause that lapses does. A rise that
    changes made before the threat bring (what comes back when a temporary cut or pause runs out, an earlier
    order taking effect) carries it out only when it reaches the threatened rate (never, for a threat that
    names none); short of it, it raises the level instead: a 40 % threat made during a month's cut is not
    carried out by the 25 % that comes back.
    Before that, later
    events on the lever that paused or exempted it delay it (to their end), and one that withdrew it withdraws
    it; later threats on the same lever do not settle it.

    What settled a threat (an event and its effect) is one dict per settling outcome or step, shared by the
    threats it settled, like event_ref's.
    """
    all_steps, all_days, outcome_of, settling = data.steps, data.step_days, data.outcome_of, data.settling
    event_ref, lever_ref, actor_ids, iso, events = data.event_ref, data.lever_ref, data.actor_ids, data.iso, data.events
    bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
    settled_by: dict[int, dict] = {}  # id(outcome) or id(step note) -> what it did, as a threat lists it
    out = []
    for t in threats:
        own = outcome_of.get(t.iri)
        rate = t.rate if t.rate is not None else (own.rate if own else None)
        status, on, settled, carried, carried_rate = "pending", None, [], None, None
        withdrawn = delayed = delayed_from = None
        lever = t.lever
        steps = all_steps.get(lever) if lever else None
        if steps:
            days = all_days[lever]
            i = bisect_right(days, t.earliest - _DAY)
            base = steps[i - 1][1] if i else 0.0
            # steps are in day order and outcomes in event order: start at the threat instead of scanning from
            # the first (a lever can carry many threats)
            for i in range(bisect_left(days, t.earliest), len(steps)):
                step = steps[i]
                if step[1] > base:
                    source = step[3][2]
                    if source is not None and source.rank < t.rank and (rate is None or step[1] < rate):
                        # set before the threat: a rate that came back when a temporary cut or pause ran out, or
                        # an earlier order taking effect, short of the threatened rate, is not the threat
                        # carried out, but the level it would be carried out above
                        base = step[1]
                        continue
                    carried, carried_rate = step, step[1]
                    break
            ranks, kept = settling.get(lever, ((), ()))
            for i in range(bisect_right(ranks, t.rank), len(kept)):
                o, e = kept[i]
                if carried and o.valid_from >= carried[0]:
                    continue
                entry = settled_by.get(id(o))
                if entry is None:
                    if o.status == "withdrawn":
                        effect = f"withdrawn from {o.valid_from}"
                    else:
                        effect = f"{o.status} from {o.valid_from}" + (f" until {o.valid_until}" if o.valid_until
                                                                        else "")
                    entry = settled_by[id(o)] = {"event": e.ref or event_ref(e), "effect": effect}
                settled.append(entry)
                if o.status == "withdrawn":
                    withdrawn = o.valid_from
                    break  # nothing after a withdrawal settles it
                delayed, delayed_from = o.valid_until, o.valid_from
            if carried:
                day, _, event, note = carried
                entry = settled_by.get(id(note))
                if entry is None:
                    e = events[event]
                    entry = settled_by[id(note)] = {"event": e.ref or event_ref(e), "effect": _step_text(note)}
                if not settled or settled[-1]["event"]["id"] != entry["event"]["id"]:
                    settled.append(entry)
                else:  # the same event settled it and carried it out: one entry saying both
                    settled[-1] = {"event": settled[-1]["event"],
                                   "effect": f"{settled[-1]['effect']}; {entry['effect']}"}
                status, on = "carried-out", iso[day]
            elif withdrawn:
                status, on = "withdrawn", iso[withdrawn]
            elif settled:
                status, on = "delayed", iso[delayed]
        out.append({"event": t.ref or event_ref(t), "lever": lever_ref(lever), "rate": rate,
                    "effective": iso[t.effective], "targets": actor_ids(t.targets), "status": status, "on": on,
                    "rate_carried_out": carried_rate,
                    "open_ended_since": iso[delayed_from] if status == "delayed" and on is None else None,
                    "settled_by": settled})
    return out


def _series(data: _Data, figure_events: list[_Event], steps: dict, sides: set, reliefs: list[_Event]) -> dict:
    """The collected rate per lever (steps: [day, rate, event id]), and cumulative security figures per kind
    ([day, figure, event id, exactness]: None when exact, "at least" when a figure counted in it was given as
    "more than" or a span, "about" when one was approximate).

    Figures: a statistic's quantities are totals to date (they replace the running figure); a security
    action's add to it (`figure_events`: the security actions and statistics with figures, in date order). Only
    the targeted sides' events count (every event's when no lever has a target), each country's apart (`by`: the
    countries of the event's actors, or their ids for actors without one): one country's totals do not replace
    another's, whichever sides overlap. A statistic's totals counted
    from a stated day (parley:countedSince) are a series of their own, one per kind and day; its quantities that
    are not totals (parley:total false) are in no series. A security action adds to every series of its kind
    begun by then (it happened after each began), or begins the kind's series to date.
    """
    iso, events, lever_ref = data.iso, data.events, data.lever_ref
    levers = []
    for lever, st in sorted(steps.items(), key=lambda kv: lever_ref(kv[0])["id"]):
        if not any(o.rate is not None for o in data.outcomes[lever]):
            continue
        ref = lever_ref(lever)
        levers.append({"lever": ref["id"], "name": ref["name"],
                       "points": [[iso[d], v, events[e].id] for d, v, e, _ in st]})
    figures: dict[tuple, list] = {}  # (kind, since or "", side) -> points
    running: dict[tuple, float] = {}
    inexact: dict[tuple, str | None] = {}  # how far the running figure is exact: None, "at least" or "about"
    begun: dict[tuple, list[tuple]] = {}  # (kind, side) -> its series' keys, in the order they began
    counted_since, not_totals, bounds = data.counted_since, data.not_totals, data.bounds
    targeted = set().union(*sides) if sides else None
    owners: dict[tuple, tuple | None] = {}  # whose figures an event's are (its actors' countries), by its actors
    actors = data.actors
    for e in figure_events:
        owner = owners.get(e.actors, ())
        if owner == ():
            if targeted is not None and targeted.isdisjoint(e.actors):
                owner = None
            else:
                owner = tuple(sorted({actors[a]["country"] if a in actors and actors[a]["country"]
                                      else data.actor_id(a) for a in e.actors}))
            owners[e.actors] = owner
        if owner is None:
            continue
        mine_sides = (owner,)
        day, statistic = iso[e.earliest], e.type == "statistic"
        since = iso[counted_since.get(e.iri)] if statistic and counted_since else None
        skip = not_totals.get(e.iri, ()) if statistic and not_totals else ()
        mine = bounds.get(e.iri) if bounds else None
        for kind, amount in (sorted(e.quantity.items()) if len(e.quantity) > 1 else e.quantity.items()):
            if kind in skip:
                continue
            # a figure given as "more than" or a span is counted at its lower end: the figure is at least that
            b = mine.get(kind) if mine else None
            mark = None if b is None else "about" if b["bound"] == "about" else "at least"
            for side in mine_sides:
                if statistic:
                    keys = ((kind, since or "", side),)
                    running[keys[0]], inexact[keys[0]] = amount, mark
                else:
                    keys = begun.get((kind, side)) or ((kind, "", side),)
                    for key in keys:
                        running[key] = running.get(key, 0.0) + amount
                        had = inexact.get(key)  # a sum is as inexact as its least exact part
                        inexact[key] = "about" if "about" in (had, mark) else had or mark
                for key in keys:
                    total, mark_ = running[key], inexact[key]
                    pts = figures.get(key)
                    if pts is None:
                        figures[key] = [[day, total, e.id, mark_]]
                        begun.setdefault((kind, side), []).append(key)
                    elif pts[-1][0] == day:
                        pts[-1][1:] = [total, e.id, mark_]
                    else:
                        pts.append([day, total, e.id, mark_])
    return {"levers": levers,
            "figures": [{"kind": k, "since": since or None, "by": list(by), "points": v}
                        for (k, since, by), v in sorted(figures.items())],
            "reliefs": [{"id": r.id, "date": iso[r.earliest], "lever": lever_ref(r.lever)["id"]
                         if r.lever else None} for r in reliefs]}
