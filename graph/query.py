"""Named SPARQL queries (graph/queries/*.rq) and running them with parameters bound as RDF terms.

A query file starts with a comment header:

    # causes-of: What led to an event, transitively.
    # param event: event -- the event whose causes to list
    # param from: date? -- optional start date

Parameter types: event, actor, lever, claim (an id, resolved to its IRI through dcterms:identifier), date
(xsd:date), integer, decimal, string, iri. A trailing `?` marks an optional parameter; an unbound optional
parameter is simply left unbound in the query.

Values are never formatted into the query text as strings: each becomes an rdflib term, and the terms are
bound with a VALUES block (serialised by rdflib, so quotes and braces in a value stay inside its literal)
placed first in the query's top-level WHERE group, so the engine starts from the bound values. The same text
then runs unchanged on every store. Use parameters in the top-level group (a sub-select does not see them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD

ID_TYPES = ("event", "actor", "lever", "claim")
PARAM_TYPES = (*ID_TYPES, "date", "integer", "decimal", "string", "iri")
_HEADER = re.compile(r"^#\s*([A-Za-z0-9_-]+)\s*:\s*(.+)$")
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([a-z]+)(\?)?\s*(?:--\s*(.*))?$")


class QueryError(Exception):
    """A query that cannot run as asked: unknown name, bad parameter, syntax error (exit 2)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default=())


def parse_query_text(text: str, *, name: str = "query") -> NamedQuery:
    """A NamedQuery from .rq text with an optional comment header."""
    description, params = "", []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        m = _PARAM.match(line)
        if m:
            pname, ptype, opt, pdesc = m.groups()
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{name}: parameter '{pname}' has unknown type '{ptype}' "
                                 f"(expected one of: {', '.join(PARAM_TYPES)})")
            params.append(Param(pname, ptype, bool(opt), (pdesc or "").strip()))
            continue
        m = _HEADER.match(line)
        if m and not description and m.group(1) != "param":
            description = m.group(2).strip()
    return NamedQuery(name, description, text, tuple(params))


def query_names() -> list[str]:
    folder = resources.files("parley.graph.queries")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".rq"))


def named_query(name: str) -> NamedQuery:
    """The query graph/queries/NAME.rq; QueryError listing the known names if there is none."""
    if not re.match(r"^[a-z0-9-]+$", name) or name not in query_names():
        raise QueryError(f"unknown query '{name}' (known: {', '.join(query_names())})")
    text = resources.files("parley.graph.queries").joinpath(f"{name}.rq").read_text(encoding="utf-8")
    return parse_query_text(text, name=name)


def typed_value(param: Param, value) -> object:
    """A parameter's value as an rdflib term (ids stay strings here: resolve_ids turns them into IRIs)."""
    if not isinstance(value, str):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    t = param.type
    if t in ID_TYPES:
        return value
    if t == "date":
        try:
            return Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"parameter '{param.name}': {value!r} is not a date (YYYY-MM-DD)") from None
    if t == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"parameter '{param.name}': {value!r} is not an integer") from None
    if t == "decimal":
        try:
            return Literal(Decimal(value), datatype=XSD.decimal)
        except InvalidOperation:
            raise QueryError(f"parameter '{param.name}': {value!r} is not a number") from None
    if t == "iri":
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise QueryError(f"parameter '{param.name}': {value!r} is not an IRI")
        return URIRef(value)
    return Literal(value)


_RESOLVE = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX parley: <https://w3id.org/parley/ontology#>
SELECT ?node ?class WHERE { ?node dcterms:identifier ?id ; a ?class . }
"""


def resolve_id(graph, kind: str, ident: str) -> URIRef:
    """The IRI of the event/actor/lever/claim with this id; QueryError when there is none, or several."""
    from ..ontology.namespace import ACTOR_CLASSES, CLASS_EVENT_TYPES, LEVER_CLASSES, PARLEY

    wanted = {"event": set(CLASS_EVENT_TYPES), "actor": set(ACTOR_CLASSES.values()),
              "lever": set(LEVER_CLASSES.values()), "claim": {PARLEY.Claim}}[kind]
    rows = run_sparql(graph, _RESOLVE, {"id": Literal(ident)})
    nodes = sorted({r["node"] for r in rows if r["class"] in wanted})
    if not nodes:
        raise QueryError(f"unknown {kind} id '{ident}'")
    if len(nodes) > 1:
        raise QueryError(f"{kind} id '{ident}' is ambiguous: {', '.join(map(str, nodes))}")
    return nodes[0]


def bind_params(graph, query: NamedQuery, params: dict) -> dict:
    """Check and type the parameters of a named query: {name: rdflib term}."""
    known = {p.name: p for p in query.params}
    for name in params:
        if name not in known:
            raise QueryError(f"{query.name}: unknown parameter '{name}' "
                             f"(parameters: {', '.join(known) or 'none'})")
    bound = {}
    for p in query.params:
        if p.name not in params or params[p.name] is None:
            if not p.optional:
                raise QueryError(f"{query.name}: missing parameter '{p.name}' ({p.type})")
            continue
        value = typed_value(p, params[p.name])
        bound[p.name] = resolve_id(graph, p.type, value) if p.type in ID_TYPES else value
    return bound


def with_values(text: str, bindings: dict) -> str:
    """The query with a VALUES block for `bindings` first in its top-level WHERE group."""
    if not bindings:
        return text
    names = " ".join(Variable(k).n3() for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    at = _top_where_brace(text)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return text[: at + 1] + block + text[at + 1:]


def _top_where_brace(text: str) -> int | None:
    """Index of the '{' opening the top-level WHERE group, skipping comments, strings and IRIs.

    That is the first '{' after the keyword WHERE, or the first '{' of a query without the (optional) keyword.
    """
    i, n = 0, len(text)
    first = None
    seen_where = False
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            quote = text[i: i + 3] if text[i: i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and text[j: j + len(quote)] != quote:
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i += re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]).end()
        elif c == "{":
            if seen_where:
                return i
            first = i if first is None else first
            i += 1
        elif c in "wW" and text[i:i + 5].upper() == "WHERE" and not (i and (text[i - 1].isalnum() or text[i - 1] in "_?$:")) \
                and not text[i + 5:i + 6].isalnum():
            seen_where = True
            i += 5
        else:
            i += 1
    return first


def run_sparql(graph, text: str, bindings: dict | None = None) -> list[dict]:
    """Rows of a SELECT query as dicts {variable name: rdflib term or None}; QueryError on a syntax error."""
    try:
        result = graph.query(with_values(text, bindings or {}))
        variables = [str(v) for v in result.vars]
        return [{v: row[i] for i, v in enumerate(variables)} for row in result]
    except QueryError:
        raise
    except Exception as e:  # engines raise their own types for syntax and evaluation errors
        raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None


def run_query(graph, query: str | NamedQuery, *, params: dict | None = None) -> list[dict]:
    """Rows of a named query (a name or a NamedQuery), with its parameters checked, typed and bound."""
    q = named_query(query) if isinstance(query, str) else query
    return run_sparql(graph, q.text, bind_params(graph, q, params or {}))
