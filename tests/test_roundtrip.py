"""Property: any valid timeline survives model -> YAML -> model, and builds the same RDF every time.

Hypothesis draws the model directly (ids, all three date precisions, every event type and relation, numbers,
unicode text, sources), writes it in the timeline file format, reads it back and builds it.
"""

from __future__ import annotations

import datetime as dt
import string

import pyoxigraph
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from parley.events.model import (
    ACTOR_KINDS, CONFIDENCE_LEVELS, EVENT_TYPES, FIRST_DAY, LAST_DAY, LEVER_KINDS, RELATIONS,
    Actor, DateSpec, Event, Lever, Link, Source, Timeline,
)
from parley.events.read import read_timeline
from parley.graph.build import triples
from parley.graph.export import rdf_graph, serialize
from parley.ontology.namespace import PARLEY

# --- strategies ----------------------------------------------------------------------------------

ID_CHARS = string.ascii_letters + string.digits + "_-"
ids = st.builds(lambda first, rest: first + rest, st.sampled_from(string.ascii_lowercase + string.digits),
                st.text(ID_CHARS, max_size=8))
# Any printable text, as analysts write it (quotes, backslashes, accents, emoji, inner newlines); the reader
# strips the ends, so the model never has surrounding blanks.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
               min_size=1, max_size=30).map(str.strip).filter(bool)
maybe_text = st.none() | text
days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
numbers = st.integers(0, 10**12) | st.floats(0, 1e12, allow_nan=False, allow_infinity=False)


@st.composite
def date_specs(draw) -> DateSpec:
    kind = draw(st.sampled_from(("day", "month", "range")))
    first = draw(days)
    if kind == "day":
        return DateSpec.day(first)
    if kind == "month":
        start = first.replace(day=1)
        nxt = dt.date(start.year + 1, 1, 1) if start.month == 12 and start.year < 9999 else None
        if start.month < 12:
            nxt = start.replace(month=start.month + 1)
        last = (nxt - dt.timedelta(days=1)) if nxt else dt.date(9999, 12, 31)
        return DateSpec(start, last, "month")
    last = draw(st.dates(min_value=first, max_value=LAST_DAY))
    return DateSpec(first, last, "range")


def later_or_none(draw, earliest: dt.date):
    return draw(st.none() | st.dates(min_value=earliest, max_value=LAST_DAY))


urls = st.builds(lambda host, path: f"https://{host}.example.org/{path}",
                 st.text(string.ascii_lowercase, min_size=1, max_size=6),
                 st.text(string.ascii_letters + string.digits + "-._~/?=&%", max_size=12))
sources = st.lists(st.builds(Source, urls, maybe_text, maybe_text, st.none() | days), max_size=2).map(tuple)


@st.composite
def timelines(draw) -> Timeline:
    pool = draw(st.lists(ids, min_size=3, max_size=14, unique=True))
    n_actors = draw(st.integers(1, max(1, len(pool) // 3)))
    n_levers = draw(st.integers(0, (len(pool) - n_actors) // 3))
    actor_ids, lever_ids = pool[:n_actors], pool[n_actors:n_actors + n_levers]
    event_ids = pool[n_actors + n_levers:]
    some_actor = st.sampled_from(actor_ids)

    actors = {a: Actor(a, draw(text), draw(st.sampled_from(ACTOR_KINDS)),
                       draw(st.none() | st.text(string.ascii_uppercase, min_size=2, max_size=2)),
                       draw(maybe_text), draw(st.none() | st.integers(1, 10**9).map(lambda n: f"Q{n}")),
                       draw(maybe_text))
              for a in actor_ids}
    levers = {lv: Lever(lv, draw(st.sampled_from(LEVER_KINDS)), draw(text), draw(st.none() | some_actor),
                        draw(st.none() | some_actor), draw(maybe_text), draw(maybe_text), draw(maybe_text),
                        draw(sources))
              for lv in lever_ids}
    events = {}
    for e in event_ids:
        date = draw(date_specs())
        etype = draw(st.sampled_from(EVENT_TYPES))
        events[e] = Event(
            e, date, etype, draw(text),
            tuple(draw(st.lists(some_actor, min_size=1, max_size=2))),
            tuple(draw(st.lists(some_actor, max_size=2))),
            draw(st.none() | st.sampled_from(lever_ids)) if lever_ids else None,
            draw(st.none() | st.integers(0, 1000) | st.floats(0, 1000, allow_nan=False)),
            draw(maybe_text), later_or_none(draw, date.earliest), later_or_none(draw, date.earliest),
            draw(st.dictionaries(st.from_regex(r"\A[a-z][a-z0-9_]{0,6}\Z"), numbers, max_size=2)),
            draw(st.sampled_from(EVENT_TYPES)) if etype == "commitment" and draw(st.booleans()) else None,
            draw(sources), draw(maybe_text), draw(maybe_text))
        if events[e].effective and events[e].until and events[e].until < events[e].effective:
            events[e].effective, events[e].until = events[e].until, events[e].effective  # an end after the start
        if events[e].until and events[e].until <= (events[e].effective or date.earliest):
            events[e].until = None  # (an end on the day it takes effect is refused: the state would never hold)
        quantity = events[e].quantity
        for kind, amount in quantity.items():  # a figure the sources give as a bound or a span
            form = draw(st.sampled_from((None, "over", "about", "range")))
            if form == "range":
                events[e].bounds[kind] = ("range", amount + draw(st.integers(1, 10**6)))
            elif form:
                events[e].bounds[kind] = (form, None)
        if etype == "statistic" and quantity:  # how its figures count: all totals, some, none; since a day or not
            kinds = sorted(quantity)
            totals = draw(st.none() | st.just(()) | st.lists(st.sampled_from(kinds), min_size=1, unique=True)
                          .map(lambda k: tuple(sorted(k))))
            events[e].totals = totals
            if totals != () and draw(st.booleans()):
                events[e].since = draw(st.dates(min_value=FIRST_DAY, max_value=date.latest))
    links, used = [], set(pool)
    for _ in range(draw(st.integers(0, 4)) if event_ids else 0):
        cause, effect = draw(st.sampled_from(event_ids)), draw(st.sampled_from(event_ids))
        relation = draw(st.sampled_from(RELATIONS))
        ident = f"{cause}.{relation}.{effect}"
        if ident in used or draw(st.booleans()):
            ident = draw(ids.filter(lambda i: i not in used))
        used.add(ident)
        confidence = draw(st.none() | st.sampled_from(sorted(CONFIDENCE_LEVELS)) | st.floats(0, 1))
        links.append(Link(ident, cause, effect, relation, draw(st.none() | some_actor), confidence,
                          draw(maybe_text), draw(sources), tuple(draw(st.lists(some_actor, max_size=2)))))
    tid = draw(ids)
    base = draw(st.none() | st.sampled_from((f"https://example.org/{tid}/", f"http://example.org/t/{tid}#")))
    return Timeline(tid, draw(maybe_text), base, draw(maybe_text), actors, levers, events, links)


# --- the timeline file format, written independently of the reader ------------------------------

def to_yaml(t: Timeline) -> str:
    def clean(d):
        return {k: v for k, v in d.items() if v not in (None, (), [], {})}

    def date(spec: DateSpec):
        if spec.precision == "day":
            return spec.earliest.isoformat()
        if spec.precision == "month":
            return f"{spec.earliest.year:04d}-{spec.earliest.month:02d}"
        return {"from": spec.earliest.isoformat(), "to": spec.latest.isoformat()}

    def srcs(items):
        return [clean({"url": s.url, "title": s.title, "publisher": s.publisher,
                       "date": s.date.isoformat() if s.date else None}) for s in items]

    def iso(d):
        return d.isoformat() if d else None

    def quantity_value(amount, bound):
        if not bound:
            return amount
        return {"from": amount, "to": bound[1]} if bound[0] == "range" else {bound[0]: amount}

    doc = {
        "timeline": clean({"id": t.id, "title": t.title, "base": t.base, "description": t.description}),
        "actors": [clean(vars(a) | {"loc": None}) for a in t.actors.values()],
        "levers": [clean(vars(lv) | {"loc": None, "sources": srcs(lv.sources)}) for lv in t.levers.values()],
        "events": [clean(vars(e) | {"loc": None, "date": date(e.date), "actors": list(e.actors),
                                    "targets": list(e.targets), "effective": iso(e.effective),
                                    "until": iso(e.until), "sources": srcs(e.sources), "since": iso(e.since),
                                    "totals": False if e.totals == () else e.totals and list(e.totals),
                                    "quantity": {k: quantity_value(v, e.bounds.get(k)) for k, v in e.quantity.items()},
                                    "bounds": None})
                   for e in t.events.values()],
        "links": [clean(vars(ln) | {"loc": None, "sources": srcs(ln.sources), "disputed_by": list(ln.disputed_by),
                                    "id": None if ln.id == f"{ln.cause}.{ln.relation}.{ln.effect}" else ln.id})
                  for ln in t.links],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def graph_of(t: Timeline) -> Graph:
    g = Graph()
    for triple in triples(t):
        g.add(triple)
    return g


def to_rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(timelines())
def test_a_timeline_survives_yaml_and_builds_the_same_rdf(tmp_path, timeline):
    path = tmp_path / "t.yaml"
    path.write_text(to_yaml(timeline), encoding="utf-8")
    back = read_timeline([path])
    assert back == timeline

    # Building twice gives the same graph; the file adds only where things were written.
    built, again = graph_of(back), graph_of(read_timeline([path]))
    assert isomorphic(built, again)
    without_locations = Graph()
    for s, p, o in built:
        if p != PARLEY.definedAt:
            without_locations.add((s, p, o))
    assert isomorphic(without_locations, graph_of(timeline))

    # The Turtle we write is read by Oxigraph as the very graph rdflib holds.
    text = serialize(back, fmt="turtle")
    parsed = Graph()
    for t in pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE):
        parsed.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    assert isomorphic(parsed, rdf_graph(back))
