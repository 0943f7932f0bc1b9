"""The timeline model -> RDF triples, with IRIs minted deterministically from the timeline base and ids.

`triples()` yields rdflib terms; `oxigraph_triples()` yields the same triples as pyoxigraph terms, made
directly (what loaders into Oxigraph use: making rdflib terms and converting them cost several times more).
Both are one generator over a term factory, so they cannot drift apart. Neither holds the whole graph, and
with `chunks` the events and links can be streamed too (see `triples`). `build_graph()` collects the triples
into an rdflib Graph on the Oxigraph store.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from types import SimpleNamespace

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ..events.model import EVENT_TYPES, Event, Link, Timeline
from ..events.outcomes import EventFacts, bears_outcome, outcomes_of
from ..ontology.namespace import (
    ACTOR_CLASSES, EVENT_CLASSES, LEVER_CLASSES, PARLEY, PROV, RELATION_PROPERTIES, SCHEMA, SEM, TYPE, WD,
)


class Minter:
    """Mint the IRIs of one timeline: `{base}event/{id}`, `{base}claim/{id}`, ..."""

    def __init__(self, timeline: Timeline):
        self.base = timeline.iri_base

    def __call__(self, kind: str, ident: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{ident}")

    def timeline(self) -> URIRef:
        return URIRef(self.base)

    def source(self, url: str) -> URIRef:
        return URIRef(f"{self.base}source/{hashlib.sha1(url.encode()).hexdigest()[:16]}")


def _decimal_text(x) -> str:
    # One numeric datatype everywhere, so comparisons agree across engines. The lexical form always has a '.'
    # (Turtle writes 20 as 20.0), so a graph read back from our Turtle is term-equal to the one built.
    text = format(Decimal(str(x)), "f")
    return text if "." in text else f"{text}.0"


def _decimal(x) -> Literal:
    return Literal(_decimal_text(x), datatype=XSD.decimal)


def _date(d) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _text(s: str) -> Literal:
    return Literal(s)


# The vocabulary terms the graph uses, by namespace: made once per kind of term (rdflib, pyoxigraph).
_VOCABULARY = {
    "RDF": (RDF, "type"),
    "RDFS": (RDFS, "label"),
    "OWL": (OWL, "sameAs"),
    "SKOS": (SKOS, "note"),
    "DCTERMS": (DCTERMS, "identifier title description publisher date"),
    "XSD": (XSD, "anyURI date decimal boolean"),
    "SCHEMA": (SCHEMA, "url legislationDate legislationDateOfApplicability"),
    "PROV": (PROV, "hadPrimarySource"),
    "SEM": (SEM, "hasActor hasBeginTimeStamp hasEarliestBeginTimeStamp hasLatestBeginTimeStamp"),
    "PARLEY": (PARLEY, "Timeline Source Quantity Outcome Claim inTimeline country role definedAt imposedBy target "
                       "legalBasis scope eventType datePrecision lever rate effective until promises outcomeNote "
                       "quantity quantityKind amount hasOutcome status validFrom validUntil cause effect relation "
                       "claimedBy confidenceLevel confidence evidence disputedBy leadsTo total countedSince "
                       "amountBound maxAmount"),
}


@functools.cache
def _terms(kind: str) -> SimpleNamespace:
    """How `_triples` makes terms of one kind: `iri(str)`, `text(str)`, `typed(str, datatype)`, and the
    vocabulary (namespaces, class and relation tables) already made in that kind."""
    if kind == "rdflib":
        iri, text, convert = URIRef, Literal, (lambda t: t)

        def typed(value, datatype):
            return Literal(value, datatype=datatype)
    else:
        import pyoxigraph as ox

        iri, text = ox.NamedNode, ox.Literal

        def convert(t):
            return ox.NamedNode(str(t))

        def typed(value, datatype):
            return ox.Literal(value, datatype=datatype)
    vocab = {name: SimpleNamespace(**{term: convert(ns[term]) for term in terms.split()})
             for name, (ns, terms) in _VOCABULARY.items()}
    return SimpleNamespace(
        iri=iri, text=text, typed=typed, **vocab,
        actor_classes={k: convert(v) for k, v in ACTOR_CLASSES.items()},
        lever_classes={k: convert(v) for k, v in LEVER_CLASSES.items()},
        event_classes={k: convert(v) for k, v in EVENT_CLASSES.items()},
        relations={k: convert(v) for k, v in RELATION_PROPERTIES.items()},
        event_types={t: convert(TYPE[t]) for t in EVENT_TYPES},
    )


def triples(timeline: Timeline, *, chunks: Iterable[tuple[Iterable[Event], Iterable[Link]]] = ()) -> Iterator[tuple]:
    """Every triple of the timeline's graph, as rdflib terms.

    `chunks` streams more events and links, (events, links) at a time, after the timeline's own: each is
    turned into triples and let go, keeping only what outcomes and lever dates need (`EventFacts`), so a
    timeline too large to hold can be loaded (bench/synth.py's `synthetic_stream`). The triples are those of
    the timeline holding all of them, except that a source URL's first mention is taken in stream order.
    """
    return _triples(timeline, _terms("rdflib"), chunks)


def oxigraph_triples(timeline: Timeline, *,
                     chunks: Iterable[tuple[Iterable[Event], Iterable[Link]]] = ()) -> Iterator[tuple]:
    """The triples of `triples()`, as pyoxigraph terms (NamedNode, Literal)."""
    return _triples(timeline, _terms("oxigraph"), chunks)


def _triples(timeline: Timeline, terms: SimpleNamespace, chunks) -> Iterator[tuple]:
    iri, text, typed = terms.iri, terms.text, terms.typed
    # The namespaces' terms in the kind being made (these names shadow the rdflib namespaces on purpose).
    RDF, RDFS, OWL, SKOS, DCTERMS, XSD = terms.RDF, terms.RDFS, terms.OWL, terms.SKOS, terms.DCTERMS, terms.XSD  # noqa: N806
    SCHEMA, PROV, SEM, PARLEY = terms.SCHEMA, terms.PROV, terms.SEM, terms.PARLEY  # noqa: N806
    base = timeline.iri_base
    # Caches of the terms that repeat: days, numbers, short vocabulary-like texts, actors and levers.
    # (rdflib parses the lexical form of each typed literal it makes: ~20 µs a date.)
    dates: dict = {}
    decimals: dict = {}
    words: dict = {}
    nodes: dict = {}

    def date(d):
        lit = dates.get(d)
        if lit is None:
            lit = dates[d] = typed(d.isoformat(), XSD.date)
        return lit

    def decimal(x):
        key = (type(x), repr(x))  # repr, not the value: -0.0 == 0.0 and Decimal('1.50') == Decimal('1.5')
        lit = decimals.get(key)
        if lit is None:
            if len(decimals) > 100_000:
                decimals.clear()
            lit = decimals[key] = typed(_decimal_text(x), XSD.decimal)
        return lit

    def word(s: str):
        lit = words.get(s)
        if lit is None:
            if len(words) > 100_000:
                words.clear()
            lit = words[s] = text(s)
        return lit

    def node(kind: str, ident: str):
        key = (kind, ident)
        n = nodes.get(key)
        if n is None:
            n = nodes[key] = iri(f"{base}{kind}/{ident}")
        return n

    def type_iri(t: str):
        n = terms.event_types.get(t)
        return n if n is not None else iri(f"{TYPE}{t}")

    tl = iri(base)
    yield tl, RDF.type, PARLEY.Timeline
    yield tl, DCTERMS.identifier, text(timeline.id)
    if timeline.title:
        yield tl, DCTERMS.title, text(timeline.title)
    if timeline.description:
        yield tl, DCTERMS.description, text(timeline.description)
    # url -> the fields already given, as bits (title 1, publisher 2, date 4); the first value of each wins.
    seen_sources: dict[str, int] = {}

    def sources(subject, items):
        for s in items:
            url = s.url
            source = iri(f"{base}source/{hashlib.sha1(url.encode()).hexdigest()[:16]}")
            yield subject, PROV.hadPrimarySource, source
            done = seen_sources.get(url)
            if done is None:
                done = 0
                yield source, RDF.type, PARLEY.Source
                yield source, SCHEMA.url, typed(url, XSD.anyURI)
            # A later mention of the same URL may carry what the first lacked.
            if s.title and not done & 1:
                done |= 1
                yield source, DCTERMS.title, text(s.title)
            if s.publisher and not done & 2:
                done |= 2
                yield source, DCTERMS.publisher, word(s.publisher)
            if s.date and not done & 4:
                done |= 4
                yield source, DCTERMS.date, date(s.date)
            seen_sources[url] = done

    def quantities(subject, subject_iri: str, quantity, event: Event | None = None):
        for kind, amount in sorted(quantity.items()):
            q = iri(f"{subject_iri}/quantity/{kind}")
            yield subject, PARLEY.quantity, q
            yield q, RDF.type, PARLEY.Quantity
            yield q, PARLEY.quantityKind, word(kind)
            yield q, PARLEY.amount, decimal(amount)
            bound = event.bounds.get(kind) if event is not None and event.bounds else None
            if bound:  # a bound or a span the sources give: the figure above is its lower end
                if bound[0] == "range":
                    yield q, PARLEY.maxAmount, decimal(bound[1])
                else:
                    yield q, PARLEY.amountBound, word(bound[0])
            if event is not None and event.type == "statistic":  # a total unless it says otherwise
                if not event.is_total(kind):
                    yield q, PARLEY.total, typed("false", XSD.boolean)
                elif event.since:
                    yield q, PARLEY.countedSince, date(event.since)

    for a in timeline.actors.values():
        subject = node("actor", a.id)
        yield subject, RDF.type, terms.actor_classes[a.kind]
        yield subject, DCTERMS.identifier, text(a.id)
        yield subject, PARLEY.inTimeline, tl
        yield subject, RDFS.label, text(a.name)
        if a.country:
            yield subject, PARLEY.country, word(a.country)
        if a.role:
            yield subject, PARLEY.role, text(a.role)
        if a.wikidata:
            yield subject, OWL.sameAs, iri(f"{WD}{a.wikidata}")
        if a.note:
            yield subject, SKOS.note, text(a.note)
        if a.loc:
            yield subject, PARLEY.definedAt, text(str(a.loc))

    for lv in timeline.levers.values():
        subject = node("lever", lv.id)
        yield subject, RDF.type, terms.lever_classes[lv.kind]
        yield subject, DCTERMS.identifier, text(lv.id)
        yield subject, PARLEY.inTimeline, tl
        yield subject, RDFS.label, text(lv.name)
        if lv.imposed_by:
            yield subject, PARLEY.imposedBy, node("actor", lv.imposed_by)
        if lv.target:
            yield subject, PARLEY.target, node("actor", lv.target)
        if lv.legal_basis:
            yield subject, PARLEY.legalBasis, word(lv.legal_basis)
        if lv.scope:
            yield subject, PARLEY.scope, word(lv.scope)
        if lv.note:
            yield subject, SKOS.note, text(lv.note)
        if lv.loc:
            yield subject, PARLEY.definedAt, text(str(lv.loc))
        yield from sources(subject, lv.sources)

    # What is kept of the events: the facts outcomes need, and each lever's first imposition (its dates).
    facts: list[EventFacts] = []
    first_imposition: dict[str, tuple] = {}  # lever -> ((earliest, id), the day it took effect)

    def events(items: Iterable[Event]):
        for e in items:
            subject_iri = f"{base}event/{e.id}"
            subject = iri(subject_iri)
            yield subject, RDF.type, terms.event_classes[e.type]
            yield subject, DCTERMS.identifier, text(e.id)
            yield subject, PARLEY.inTimeline, tl
            yield subject, PARLEY.eventType, type_iri(e.type)
            if e.date.precision == "day":
                yield subject, SEM.hasBeginTimeStamp, date(e.date.earliest)
            yield subject, SEM.hasEarliestBeginTimeStamp, date(e.date.earliest)
            yield subject, SEM.hasLatestBeginTimeStamp, date(e.date.latest)
            yield subject, PARLEY.datePrecision, word(e.date.precision)
            yield subject, DCTERMS.description, text(e.summary)
            for a in e.actors:
                yield subject, SEM.hasActor, node("actor", a)
            for a in e.targets:
                yield subject, PARLEY.target, node("actor", a)
            if e.lever:
                yield subject, PARLEY.lever, node("lever", e.lever)
            if e.rate is not None:
                yield subject, PARLEY.rate, decimal(e.rate)
            if e.scope:
                yield subject, PARLEY.scope, word(e.scope)
            if e.effective:
                yield subject, PARLEY.effective, date(e.effective)
            if e.until:
                yield subject, PARLEY.until, date(e.until)
            if e.promises:
                yield subject, PARLEY.promises, type_iri(e.promises)
            if e.note:
                yield subject, SKOS.note, text(e.note)
            if e.outcome:
                yield subject, PARLEY.outcomeNote, text(e.outcome)
            if e.loc:
                yield subject, PARLEY.definedAt, text(str(e.loc))
            yield from quantities(subject, subject_iri, e.quantity, e)
            yield from sources(subject, e.sources)
            if bears_outcome(e):
                facts.append(EventFacts(e))
            if e.lever and e.type == "tariff-imposition":
                key = (e.date.earliest, e.id)
                first = first_imposition.get(e.lever)
                if first is None or key < first[0]:
                    first_imposition[e.lever] = (key, e.starts)

    def links(items: Iterable[Link]):
        for link in items:
            subject = iri(f"{base}claim/{link.id}")
            cause, effect = iri(f"{base}event/{link.cause}"), iri(f"{base}event/{link.effect}")
            prop = terms.relations[link.relation]
            yield cause, prop, effect
            # The super-property too (materialised, as no store infers it): a chain over any relation is then
            # `parley:leadsTo+`, one index lookup a step instead of one for each of the seven relations.
            yield cause, PARLEY.leadsTo, effect
            yield subject, RDF.type, PARLEY.Claim
            yield subject, DCTERMS.identifier, text(link.id)
            yield subject, PARLEY.inTimeline, tl
            yield subject, PARLEY.cause, cause
            yield subject, PARLEY.effect, effect
            yield subject, PARLEY.relation, prop
            if link.claimed_by:
                yield subject, PARLEY.claimedBy, node("actor", link.claimed_by)
            if isinstance(link.confidence, str):
                yield subject, PARLEY.confidenceLevel, word(link.confidence)
            if link.confidence is not None:
                yield subject, PARLEY.confidence, decimal(link.confidence_value)
            if link.evidence:
                yield subject, PARLEY.evidence, text(link.evidence)
            for a in link.disputed_by:
                yield subject, PARLEY.disputedBy, node("actor", a)
            if link.loc:
                yield subject, PARLEY.definedAt, text(str(link.loc))
            yield from sources(subject, link.sources)

    yield from events(timeline.events.values())
    yield from links(timeline.links)
    for more_events, more_links in chunks:
        yield from events(more_events)
        yield from links(more_links)

    for o in outcomes_of(facts, timeline.levers):
        subject_iri = f"{base}outcome/{o.event}"
        subject = iri(subject_iri)
        yield iri(f"{base}event/{o.event}"), PARLEY.hasOutcome, subject
        yield subject, RDF.type, PARLEY.Outcome
        if o.lever:
            yield subject, PARLEY.lever, node("lever", o.lever)
        if o.status:
            yield subject, PARLEY.status, word(o.status)
        if o.rate is not None:
            yield subject, PARLEY.rate, decimal(o.rate)
        if o.scope:
            yield subject, PARLEY.scope, word(o.scope)
        yield subject, PARLEY.validFrom, date(o.valid_from)
        if o.valid_until:
            yield subject, PARLEY.validUntil, date(o.valid_until)
        yield from quantities(subject, subject_iri, o.quantity)

    for lv in timeline.levers.values():
        first = first_imposition.get(lv.id)
        if lv.kind == "tariff" and first is not None:
            (earliest, _), starts = first
            yield node("lever", lv.id), SCHEMA.legislationDate, date(earliest)
            yield node("lever", lv.id), SCHEMA.legislationDateOfApplicability, date(starts)


def build_graph(timeline: Timeline, *, graph=None):
    """The timeline as an rdflib Graph (a new in-memory Oxigraph graph unless one is given)."""
    from ..ontology.namespace import new_graph

    g = graph if graph is not None else new_graph(identifier=URIRef(Minter(timeline).base + "graph"))
    g.addN((s, p, o, g) for s, p, o in triples(timeline))
    return g


def graph_iri(timeline: Timeline) -> URIRef:
    """The named graph a timeline is loaded into."""
    return URIRef(Minter(timeline).base + "graph")
