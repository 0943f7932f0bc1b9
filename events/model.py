"""The timeline model: plain dataclasses, no rdflib.

The vocabularies below are closed: the reader rejects anything outside them, and the ontology
(ontology/parley.ttl) has one term for each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The dates parley takes: Python's calendar runs from year 1 to 9999, and the audit, the views and the charts
# reckon a century or more either side of a date (windows, margins, axes).
FIRST_DAY, LAST_DAY = dt.date(1000, 1, 1), dt.date(8999, 12, 31)


def in_range(day: dt.date) -> dt.date:
    """The day, or ValueError when parley does not take it (see FIRST_DAY)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day.isoformat()} is outside the dates parley takes ({FIRST_DAY} to {LAST_DAY})")
    return day


EVENT_TYPES = (
    "call", "visit", "meeting", "statement", "threat",
    "tariff-imposition", "tariff-increase", "tariff-reduction",
    "reprieve", "exemption", "extension", "agreement", "commitment",
    "troop-deployment", "lab-raid", "seizure", "arrest", "extradition", "designation",
    "statistic", "ruling", "countermeasure",
)
RELATIONS = (
    "causes", "enables", "prevents", "in-response-to", "in-exchange-for", "conditional-on", "delivered-by",
)
ACTOR_KINDS = ("person", "government", "agency", "court", "organization", "criminal-group")
LEVER_KINDS = ("tariff", "troop-deployment", "enforcement", "extradition", "sanction", "other")
CONFIDENCE_LEVELS = {"low": 0.3, "medium": 0.6, "high": 0.9}
DATE_PRECISIONS = ("day", "month", "range")

# The audit's groups (DESIGN.md). Everything not listed is diplomacy, except statistics.
GROUPS = {
    "pressure": ("threat", "tariff-imposition", "tariff-increase"),
    "relief": ("reprieve", "exemption", "extension", "tariff-reduction"),
    "security": ("troop-deployment", "lab-raid", "seizure", "arrest", "extradition", "designation"),
    "statistics": ("statistic",),
}
LEVER_STATUSES = ("threatened", "in-force", "paused", "exempted", "reduced", "withdrawn")


def amount_text(amount: float, bound: tuple[str, float | None] | None = None) -> str:
    """A quantity's figure as text: `1,319`, `more than 750`, `about 1,500`, `1,600 to 1,650`."""
    def num(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"

    if not bound:
        return num(amount)
    if bound[0] == "over":
        return f"more than {num(amount)}"
    if bound[0] == "about":
        return f"about {num(amount)}"
    if bound[0] == "least":  # (a sum of figures some of which were bounds or spans: parley's own, never read)
        return f"at least {num(amount)}"
    return f"{num(amount)} to {num(bound[1])}"


def group_of(event_type: str) -> str:
    """The audit group of an event type: pressure, relief, security, statistics or diplomacy."""
    for name, types in GROUPS.items():
        if event_type in types:
            return name
    return "diplomacy"


@dataclass(frozen=True)
class Loc:
    """Where something was written: a file and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class DateSpec:
    """A date as precise as the sources allow: a day, a month, or a range [earliest, latest]."""

    earliest: dt.date
    latest: dt.date
    precision: str = "day"

    @classmethod
    def day(cls, d: dt.date) -> "DateSpec":
        return cls(d, d, "day")

    def __str__(self) -> str:
        if self.precision == "day":
            return self.earliest.isoformat()
        if self.precision == "month":
            return self.earliest.strftime("%Y-%m")
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"


@dataclass(frozen=True)
class Source:
    url: str
    title: str | None = None
    publisher: str | None = None
    date: dt.date | None = None


@dataclass
class Actor:
    id: str
    name: str
    kind: str
    country: str | None = None
    role: str | None = None
    wikidata: str | None = None
    note: str | None = None
    loc: Loc | None = field(default=None, compare=False)


@dataclass
class Lever:
    id: str
    kind: str
    name: str
    imposed_by: str | None = None
    target: str | None = None
    legal_basis: str | None = None
    scope: str | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()
    loc: Loc | None = field(default=None, compare=False)


@dataclass
class Event:
    id: str
    date: DateSpec
    type: str
    summary: str
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    lever: str | None = None
    rate: float | None = None
    scope: str | None = None
    effective: dt.date | None = None
    until: dt.date | None = None
    quantity: dict[str, float] = field(default_factory=dict)
    promises: str | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None
    outcome: str | None = None
    loc: Loc | None = field(default=None, compare=False)
    # statistics only: the day their totals are counted from, and which quantity kinds are totals (None: all of
    # them, as the format's default; otherwise the kinds listed, the others being amounts for a period, rates or
    # changes, reported but not running figures)
    since: dt.date | None = None
    totals: tuple[str, ...] | None = None
    # how exact each quantity is, by kind, when the sources give a bound or a span: ("over", None) for "more
    # than" the figure, ("about", None) for about it, ("range", upper) for the figure to `upper`; the figure in
    # `quantity` (the lower end of a span) is what parley computes with
    bounds: dict[str, tuple[str, float | None]] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return group_of(self.type)

    def is_total(self, kind: str) -> bool:
        """Whether a statistic's quantity of `kind` is a total to date (see `totals`)."""
        return self.totals is None or kind in self.totals

    @property
    def starts(self) -> dt.date:
        """The day the event takes effect: `effective`, else the earliest date."""
        return self.effective or self.date.earliest


@dataclass
class Link:
    """A claim that one event led to another; `id` is derived when the file gives none."""

    id: str
    cause: str
    effect: str
    relation: str
    claimed_by: str | None = None
    confidence: float | str | None = None
    evidence: str | None = None
    sources: tuple[Source, ...] = ()
    disputed_by: tuple[str, ...] = ()
    loc: Loc | None = field(default=None, compare=False)

    @property
    def confidence_value(self) -> float | None:
        if isinstance(self.confidence, str):
            return CONFIDENCE_LEVELS[self.confidence]
        return self.confidence


@dataclass
class Timeline:
    id: str
    title: str | None = None
    base: str | None = None
    description: str | None = None
    actors: dict[str, Actor] = field(default_factory=dict)
    levers: dict[str, Lever] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    files: tuple[str, ...] = field(default=(), compare=False)

    @property
    def iri_base(self) -> str:
        return self.base or f"https://w3id.org/parley/timeline/{self.id}/"

    def loc_of(self, ident: str) -> Loc | None:
        """The file:line where an event, actor, lever or link id was defined."""
        for table in (self.events, self.actors, self.levers):
            if ident in table:
                return table[ident].loc
        for link in self.links:
            if link.id == ident:
                return link.loc
        return None
