"""The timeline model -> RDF triples, with IRIs minted deterministically from the timeline base and ids.

`triples()` yields rdflib terms and never holds the whole graph, so loaders can stream it in batches;
`build_graph()` collects them into an rdflib Graph on the Oxigraph store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ..events.model import Timeline
from ..events.outcomes import outcomes
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


def _decimal(x) -> Literal:
    # One numeric datatype everywhere, so comparisons agree across engines. The lexical form always has a '.'
    # (Turtle writes 20 as 20.0), so a graph read back from our Turtle is term-equal to the one built.
    text = format(Decimal(str(x)), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _date(d) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _text(s: str) -> Literal:
    return Literal(s)


def triples(timeline: Timeline) -> Iterator[tuple]:
    """Every triple of the timeline's graph."""
    mint = Minter(timeline)
    tl = mint.timeline()
    yield tl, RDF.type, PARLEY.Timeline
    yield tl, DCTERMS.identifier, _text(timeline.id)
    if timeline.title:
        yield tl, DCTERMS.title, _text(timeline.title)
    if timeline.description:
        yield tl, DCTERMS.description, _text(timeline.description)
    seen_sources: dict[str, set] = {}

    def sources(subject, items):
        for s in items:
            node = mint.source(s.url)
            yield subject, PROV.hadPrimarySource, node
            done = seen_sources.get(s.url)
            if done is None:
                done = seen_sources[s.url] = set()
                yield node, RDF.type, PARLEY.Source
                yield node, SCHEMA.url, Literal(s.url, datatype=XSD.anyURI)
            # A later mention of the same URL may carry what the first lacked; the first value of each field wins.
            for prop, value in ((DCTERMS.title, s.title and _text(s.title)),
                                (DCTERMS.publisher, s.publisher and _text(s.publisher)),
                                (DCTERMS.date, s.date and _date(s.date))):
                if value and prop not in done:
                    done.add(prop)
                    yield node, prop, value

    def quantities(subject, quantity):
        for kind, amount in sorted(quantity.items()):
            q = URIRef(f"{subject}/quantity/{kind}")
            yield subject, PARLEY.quantity, q
            yield q, RDF.type, PARLEY.Quantity
            yield q, PARLEY.quantityKind, _text(kind)
            yield q, PARLEY.amount, _decimal(amount)

    for a in timeline.actors.values():
        node = mint("actor", a.id)
        yield node, RDF.type, ACTOR_CLASSES[a.kind]
        yield node, DCTERMS.identifier, _text(a.id)
        yield node, PARLEY.inTimeline, tl
        yield node, RDFS.label, _text(a.name)
        if a.country:
            yield node, PARLEY.country, _text(a.country)
        if a.role:
            yield node, PARLEY.role, _text(a.role)
        if a.wikidata:
            yield node, OWL.sameAs, WD[a.wikidata]
        if a.note:
            yield node, SKOS.note, _text(a.note)
        if a.loc:
            yield node, PARLEY.definedAt, _text(str(a.loc))

    first_imposition = {}
    for e in sorted(timeline.events.values(), key=lambda e: (e.date.earliest, e.id)):
        if e.lever and e.type == "tariff-imposition" and e.lever not in first_imposition:
            first_imposition[e.lever] = e
    for lv in timeline.levers.values():
        node = mint("lever", lv.id)
        yield node, RDF.type, LEVER_CLASSES[lv.kind]
        yield node, DCTERMS.identifier, _text(lv.id)
        yield node, PARLEY.inTimeline, tl
        yield node, RDFS.label, _text(lv.name)
        if lv.imposed_by:
            yield node, PARLEY.imposedBy, mint("actor", lv.imposed_by)
        if lv.target:
            yield node, PARLEY.target, mint("actor", lv.target)
        if lv.legal_basis:
            yield node, PARLEY.legalBasis, _text(lv.legal_basis)
        if lv.scope:
            yield node, PARLEY.scope, _text(lv.scope)
        if lv.note:
            yield node, SKOS.note, _text(lv.note)
        if lv.loc:
            yield node, PARLEY.definedAt, _text(str(lv.loc))
        first = first_imposition.get(lv.id)
        if lv.kind == "tariff" and first is not None:
            yield node, SCHEMA.legislationDate, _date(first.date.earliest)
            yield node, SCHEMA.legislationDateOfApplicability, _date(first.starts)
        yield from sources(node, lv.sources)

    for e in timeline.events.values():
        node = mint("event", e.id)
        yield node, RDF.type, EVENT_CLASSES[e.type]
        yield node, DCTERMS.identifier, _text(e.id)
        yield node, PARLEY.inTimeline, tl
        yield node, PARLEY.eventType, TYPE[e.type]
        if e.date.precision == "day":
            yield node, SEM.hasBeginTimeStamp, _date(e.date.earliest)
        yield node, SEM.hasEarliestBeginTimeStamp, _date(e.date.earliest)
        yield node, SEM.hasLatestBeginTimeStamp, _date(e.date.latest)
        yield node, PARLEY.datePrecision, _text(e.date.precision)
        yield node, DCTERMS.description, _text(e.summary)
        for a in e.actors:
            yield node, SEM.hasActor, mint("actor", a)
        for a in e.targets:
            yield node, PARLEY.target, mint("actor", a)
        if e.lever:
            yield node, PARLEY.lever, mint("lever", e.lever)
        if e.rate is not None:
            yield node, PARLEY.rate, _decimal(e.rate)
        if e.scope:
            yield node, PARLEY.scope, _text(e.scope)
        if e.effective:
            yield node, PARLEY.effective, _date(e.effective)
        if e.until:
            yield node, PARLEY.until, _date(e.until)
        if e.promises:
            yield node, PARLEY.promises, TYPE[e.promises]
        if e.note:
            yield node, SKOS.note, _text(e.note)
        if e.outcome:
            yield node, PARLEY.outcomeNote, _text(e.outcome)
        if e.loc:
            yield node, PARLEY.definedAt, _text(str(e.loc))
        yield from quantities(node, e.quantity)
        yield from sources(node, e.sources)

    for o in outcomes(timeline):
        event = mint("event", o.event)
        node = mint("outcome", o.event)
        yield event, PARLEY.hasOutcome, node
        yield node, RDF.type, PARLEY.Outcome
        if o.lever:
            yield node, PARLEY.lever, mint("lever", o.lever)
        if o.status:
            yield node, PARLEY.status, _text(o.status)
        if o.rate is not None:
            yield node, PARLEY.rate, _decimal(o.rate)
        if o.scope:
            yield node, PARLEY.scope, _text(o.scope)
        yield node, PARLEY.validFrom, _date(o.valid_from)
        if o.valid_until:
            yield node, PARLEY.validUntil, _date(o.valid_until)
        yield from quantities(node, o.quantity)

    for link in timeline.links:
        node = mint("claim", link.id)
        cause, effect = mint("event", link.cause), mint("event", link.effect)
        prop = RELATION_PROPERTIES[link.relation]
        yield cause, prop, effect
        yield node, RDF.type, PARLEY.Claim
        yield node, DCTERMS.identifier, _text(link.id)
        yield node, PARLEY.inTimeline, tl
        yield node, PARLEY.cause, cause
        yield node, PARLEY.effect, effect
        yield node, PARLEY.relation, prop
        if link.claimed_by:
            yield node, PARLEY.claimedBy, mint("actor", link.claimed_by)
        if isinstance(link.confidence, str):
            yield node, PARLEY.confidenceLevel, _text(link.confidence)
        if link.confidence is not None:
            yield node, PARLEY.confidence, _decimal(link.confidence_value)
        if link.evidence:
            yield node, PARLEY.evidence, _text(link.evidence)
        for a in link.disputed_by:
            yield node, PARLEY.disputedBy, mint("actor", a)
        if link.loc:
            yield node, PARLEY.definedAt, _text(str(link.loc))
        yield from sources(node, link.sources)


def build_graph(timeline: Timeline, *, graph=None):
    """The timeline as an rdflib Graph (a new in-memory Oxigraph graph unless one is given)."""
    from ..ontology.namespace import new_graph

    g = graph if graph is not None else new_graph(identifier=URIRef(Minter(timeline).base + "graph"))
    g.addN((s, p, o, g) for s, p, o in triples(timeline))
    return g


def graph_iri(timeline: Timeline) -> URIRef:
    """The named graph a timeline is loaded into."""
    return URIRef(Minter(timeline).base + "graph")
