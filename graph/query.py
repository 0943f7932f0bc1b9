"""Named SPARQL queries (graph/queries/*.rq) and running them with parameters bound as RDF terms.

A query file starts with a comment header:

    # causes-of: What led to an event, transitively.
    # param event: event -- the event whose causes to list
    # param from: date? -- optional start date

Parameter types: event, actor, lever, claim (an id, resolved to its IRI through dcterms:identifier), date
(xsd:date), integer, decimal, string, iri. A trailing `?` marks an optional parameter; an unbound optional
parameter is simply left unbound in the query.

A header may also name columns that parley computes from the rows after the query, for what plain SPARQL 1.1
cannot say portably:

    # derive lag_days: days security_date relief_date   -- relief_date minus security_date, in days
    # derive distance: hops-to event       -- 1 + shortest hops from the row's effect to the parameter `event`
    # derive distance: hops-from event     -- 1 + shortest hops from the parameter `event` to the row's cause
    # derive sources: sorted sources       -- a space-separated list (GROUP_CONCAT) in sorted order, "" if none

A query that follows chains with `parley:leadsTo+` says so with `# needs leads-to`: it then refuses (QueryError)
a graph that has direct causal edges but no parley:leadsTo triples, where it would silently find no chain.

Hops are counted over the rows' own cause -> effect edges, which for a transitive query are exactly the edges
on the chains asked about. Derived values are rdflib terms like the rest (integers as xsd:integer); a column
that the SELECT does not project is appended.

Values are never formatted into the query text as strings: each becomes an rdflib term, and the terms are
bound with a VALUES block (serialised by rdflib, so quotes and braces in a value stay inside its literal)
placed first in the query's top-level WHERE group, so the engine starts from the bound values. The same text
then runs unchanged on every store. Use parameters in the top-level group (a sub-select does not see them), or
mark with `#@values` lines each group that should start from them (see with_values).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD

ID_TYPES = ("event", "actor", "lever", "claim")
PARAM_TYPES = (*ID_TYPES, "date", "integer", "decimal", "string", "iri")
_HEADER = re.compile(r"^#\s*([A-Za-z0-9_-]+)\s*:\s*(.+)$")
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([a-z]+)(\?)?\s*(?:--\s*(.*))?$")
_DERIVE = re.compile(r"^#\s*derive\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([a-z-]+)((?:\s+[A-Za-z_][A-Za-z0-9_]*)+)\s*$")
DERIVE_ARGS = {"days": 2, "hops-to": 1, "hops-from": 1, "sorted": 1}
_NEEDS = re.compile(r"^#\s*needs\s+(leads-to)\s*$")


class QueryError(Exception):
    """A query that cannot run as asked: unknown name, bad parameter, syntax error (exit 2)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool = False
    description: str = ""


@dataclass(frozen=True)
class Derived:
    """A column parley computes after the query (a `# derive` header line)."""

    column: str
    function: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default=())
    derived: tuple[Derived, ...] = field(default=())
    needs: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description,
                "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                           for p in self.params]}


def parse_query_text(text: str, *, name: str = "query") -> NamedQuery:
    """A NamedQuery from .rq text with an optional comment header."""
    description, params, derived, needs = "", [], [], []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        m = _DERIVE.match(line)
        if m:
            column, function, args = m.group(1), m.group(2), tuple(m.group(3).split())
            if DERIVE_ARGS.get(function) != len(args):
                raise QueryError(f"{name}: derive {column}: expected one of "
                                 f"{', '.join(f'{f} ({n} argument(s))' for f, n in DERIVE_ARGS.items())}")
            derived.append(Derived(column, function, args))
            continue
        m = _NEEDS.match(line)
        if m:
            needs.append(m.group(1))
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
        if m and not description and m.group(1) not in ("param", "derive", "needs"):
            description = m.group(2).strip()
    names = {p.name for p in params}
    for d in derived:
        if d.function.startswith("hops") and d.args[0] not in names:
            raise QueryError(f"{name}: derive {d.column}: '{d.args[0]}' is not a parameter of the query")
    return NamedQuery(name, description, text, tuple(params), tuple(derived), tuple(needs))


def query_names() -> list[str]:
    folder = resources.files("parley.graph.queries")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".rq"))


def named_query(name: str) -> NamedQuery:
    """The query graph/queries/NAME.rq; QueryError listing the known names if there is none."""
    if not re.match(r"^[a-z0-9-]+$", name) or name not in query_names():
        raise QueryError(f"unknown query '{name}' (known: {', '.join(query_names())})")
    text = resources.files("parley.graph.queries").joinpath(f"{name}.rq").read_text(encoding="utf-8")
    return parse_query_text(text, name=name)


def _places(number: Decimal) -> int:
    """The decimal places a number needs (1.50 needs 1)."""
    _, digits, exponent = number.as_tuple()
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros))


def typed_value(param: Param, value) -> object:
    """A parameter's value as an rdflib term (ids stay strings here: resolve_ids turns them into IRIs)."""
    if not isinstance(value, str):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    t = param.type
    if t in ID_TYPES:
        return value
    if t == "date":
        from ..events.model import in_range

        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"parameter '{param.name}': {value!r} is not a date (YYYY-MM-DD)") from None
        try:
            return Literal(in_range(day).isoformat(), datatype=XSD.date)
        except ValueError as e:
            raise QueryError(f"parameter '{param.name}': {e}") from None
    if t == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"parameter '{param.name}': {value!r} is not an integer") from None
    if t == "decimal":
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():  # (an xsd:decimal has no NaN or infinity)
            raise QueryError(f"parameter '{param.name}': {value!r} is not a number")
        # Oxigraph's decimals hold 18 digits after the point and less than 10^20 before it: a value beyond them
        # would compare wrongly (or take gigabytes to write out), so it is refused, not rounded
        if number != 0 and (number.adjusted() >= 20 or _places(number) > 18):
            raise QueryError(f"parameter '{param.name}': {value!r} is beyond what a decimal holds here "
                             "(less than 10^20, at most 18 decimal places)")
        return Literal(number if number else Decimal(0), datatype=XSD.decimal)  # (0e-99999: 0, not 99,999 zeros)
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
_CLASSES = "SELECT ?class WHERE { ?node a ?class . }"
_IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", re.IGNORECASE)


def resolve_id(graph, kind: str, ident: str) -> URIRef:
    """The IRI of the event/actor/lever/claim with this id, or given as its IRI (which names it whatever the id:
    two timelines in one store may share ids); QueryError when there is none, or several."""
    from ..ontology.namespace import ACTOR_CLASSES, CLASS_EVENT_TYPES, LEVER_CLASSES, PARLEY

    wanted = {"event": set(CLASS_EVENT_TYPES), "actor": set(ACTOR_CLASSES.values()),
              "lever": set(LEVER_CLASSES.values()), "claim": {PARLEY.Claim}}[kind]
    rows = run_sparql(graph, _RESOLVE, {"id": Literal(ident)})
    nodes = sorted({r["node"] for r in rows if r["class"] in wanted})
    if not nodes and _IRI.match(ident):
        iri = URIRef(ident)
        if any(r["class"] in wanted for r in run_sparql(graph, _CLASSES, {"node": iri})):
            return iri
    if not nodes:
        raise QueryError(f"unknown {kind} id '{ident}'")
    if len(nodes) > 1:
        raise QueryError(f"{kind} id '{ident}' is ambiguous: {', '.join(map(str, nodes))} (give one of these IRIs "
                         "instead of the id)")
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
    dates = {name: bound[name].toPython() for name in ("from", "to")
             if name in bound and known[name].type == "date"}
    if len(dates) == 2 and dates["from"] > dates["to"]:  # an empty answer would look like "nothing happened"
        raise QueryError(f"{query.name}: 'from' {dates['from']} is after 'to' {dates['to']}")
    return bound


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:").match  # a scheme: not a blank node's id taken for an IRI
_UNWRITABLE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]').search
_VALUES_MARK = re.compile(r"^[ \t]*#@values[ \t]*$", re.M)


def with_values(text: str, bindings: dict) -> str:
    """The query with a VALUES block for `bindings` first in its top-level WHERE group.

    A query may instead mark where the block goes with lines reading `#@values` (a comment, so the file stays
    plain SPARQL): then it goes at every such line, e.g. first in each sub-select, so that each part starts
    from the bound values (Oxigraph joins an OPTIONAL by hashing its whole right-hand side, so an OPTIONAL
    that starts from the parameters is far cheaper than one that does not).
    """
    if not bindings:
        return text
    names = " ".join(Variable(k).n3() for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    if _VALUES_MARK.search(text):
        return _VALUES_MARK.sub(lambda m: f"VALUES ({names}) {{ ({terms}) }}", text)
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    at = _top_where_brace(text)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return text[: at + 1] + block + text[at + 1:]


def _writable_iri(iri: str) -> bool:
    """Whether a query can hold `iri` as an IRI: absolute, no character SPARQL refuses, and one Oxigraph's parser
    takes (a lenient load lets in IRIs such as `pledge%zz1`, which a query then cannot name)."""
    import pyoxigraph as ox

    if _UNWRITABLE_IRI(iri) or not _ABSOLUTE_IRI(iri):
        return False
    try:
        ox.NamedNode(str(iri))
    except ValueError:
        return False
    return True


# Oxigraph answers a query that starts from up to about a thousand rows of VALUES by looking each one up, and
# one with more by another plan that scans and hashes: 1,001 claims' causes at 100k events took 0.03 s, 1,024
# took 6 s. So run_query asks for many terms a slice at a time.
AMONG_SLICE = 500
# Up to this many nodes, what a reader needs of them is asked for by IRI (run_query_among) rather than read for
# the whole graph and picked out: a 3-day view of a 100,000-event graph took 12-15 s, nearly all of it reading
# what it did not show, and 0.5 s by IRI (bench/README.md). Past it, a scan of the whole graph costs about the
# same as the slices.
AMONG_LIMIT = 20_000


def with_rows(text: str, name: str, terms) -> str:
    """The query with `VALUES ?name { ... }` first in its top-level WHERE group: only the solutions whose ?name is
    one of `terms` (rdflib terms, written with their n3(), which refuses an IRI that cannot be written).

    For reading what a few nodes of a large graph have: Oxigraph starts from the values and looks each one up,
    instead of scanning a whole property. A set of many thousands is better scanned: the caller decides.
    """
    terms = list(terms)
    bad = next((t for t in terms if isinstance(t, URIRef) and not _writable_iri(t)), None)
    if bad is not None:  # a lenient load may have let one in; n3() would write a raw line break into the query
        raise QueryError(f"cannot bind values: {str(bad)!r} is not an IRI a query can hold")
    rows = " ".join(t.n3() for t in terms)
    at = _top_where_brace(text)
    if at is None:
        raise QueryError("cannot bind values: the query has no WHERE group")
    return text[: at + 1] + f"\n  VALUES {Variable(name).n3()} {{ {rows} }}\n" + text[at + 1:]


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


class QueryResult(list):
    """The rows of a SELECT query (dicts {column: rdflib term or None}) and their column names, in order.

    A list, so callers iterate rows as before; renders itself as a table, CSV, TSV or a JSON-ready dict.
    """

    def __init__(self, rows=(), *, columns=(), name: str = "query", params: dict | None = None):
        super().__init__(rows)
        self.columns = list(columns)
        self.name = name
        self.params = dict(params or {})

    def to_dict(self) -> dict:
        return {"query": self.name, "params": {k: plain(v) for k, v in self.params.items()},
                "columns": self.columns, "rows": [{c: plain(r.get(c)) for c in self.columns} for r in self]}

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_csv(self, *, delimiter: str = ",") -> str:
        import csv
        import io

        out = io.StringIO()
        w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        w.writerow(self.columns)
        for r in self:
            w.writerow(["" if r.get(c) is None else str(r.get(c)) for c in self.columns])
        return out.getvalue()

    def to_tsv(self) -> str:
        """Tab-separated values, one row a line (tabs and newlines inside values become spaces)."""
        lines = ["\t".join(self.columns)]
        for r in self:
            lines.append("\t".join(" ".join(text_of(r.get(c)).split()) for c in self.columns))
        return "\n".join(lines) + "\n"

    def to_text(self, *, width: int = 60) -> str:
        """An aligned table (long values cut to `width` characters), then the row count."""
        cells = [[_cut(text_of(r.get(c)), width) for c in self.columns] for r in self]
        widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(self.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
        lines.append(f"({len(self)} row{'' if len(self) == 1 else 's'})")
        return "\n".join(lines) + "\n"


def text_of(term) -> str:
    """A term as a table cell: '' for unbound, the lexical form of a literal, the IRI itself (one_line)."""
    return "" if term is None else one_line(str(term))


def one_line(text: str) -> str:
    """Text for one line of a text rendering: line breaks, carriage returns and tabs in it would break the
    layout (and a carriage return overwrite the line on a terminal); other control characters (an escape
    sequence read from a graph or a store, which a terminal would obey) are shown as \\xNN."""
    text = " ".join(text.split())
    return _CONTROL.sub(_escaped, text) if _CONTROL.search(text) else text


# C0 controls (but the whitespace split() takes), DEL and C1 controls
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def _escaped(m) -> str:
    return f"\\x{ord(m.group()):02x}"


def shown(text: str) -> str:
    """Text for a terminal, whatever its lines hold: every control character but line breaks and tabs (an
    escape sequence read from a graph or a store, a carriage return) shown as \\xNN."""
    return _SHOWN.sub(_escaped, text) if _SHOWN.search(text) else text


_SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _cut(s: str, width: int) -> str:
    return s if len(s) <= width else s[: width - 1] + "…"


def plain(term):
    """A term as a JSON value: IRIs and strings as text, numbers as numbers, dates as YYYY-MM-DD, booleans."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, float):
            return value
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return str(term)
    if isinstance(term, (bool, int, float)):
        return term
    return str(term)


def run_sparql(graph, text: str, bindings: dict | None = None) -> QueryResult:
    """Rows of a SELECT query as dicts {variable name: rdflib term or None}; QueryError on a syntax error.

    A store that cannot answer (an endpoint refusing, timing out or answering 4xx/5xx) is a QueryError too,
    with the store's message, which names the URL and the status.
    """
    from .store import StoreError

    text = with_values(text, bindings or {})
    direct = _oxigraph_target(graph)
    if direct is not None:
        return _run_on_oxigraph(*direct, text)
    try:
        result = graph.query(text)
        if result.type != "SELECT":
            raise QueryError(f"only SELECT queries give rows (this is a {result.type} query)")
        variables = [str(v) for v in result.vars]
        return QueryResult(({v: row[i] for i, v in enumerate(variables)} for row in result), columns=variables)
    except QueryError:
        raise
    except StoreError as e:
        raise QueryError(str(e)) from None
    except Exception as e:  # engines raise their own types for syntax and evaluation errors
        raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None


def _oxigraph_target(graph):
    """(pyoxigraph store, query options) for an rdflib graph on oxrdflib, else None.

    Turning every result term into an rdflib term through oxrdflib costs about 25 µs a term, most of the time
    of a query over a large graph; reading the store underneath and converting each distinct term once is
    several times faster, with the same default graph rdflib would give the query.
    """
    try:
        from oxrdflib import OxigraphStore
    except ImportError:
        return None
    store = getattr(graph, "store", None)
    inner = getattr(store, "_inner", None)  # oxrdflib keeps its pyoxigraph.Store here (no public accessor)
    if not isinstance(store, OxigraphStore) or inner is None:
        return None
    if getattr(graph, "default_union", False):
        return inner, {"use_default_graph_as_union": True}
    if isinstance(graph.identifier, URIRef):
        import pyoxigraph as ox

        return inner, {"default_graph": ox.NamedNode(str(graph.identifier))}
    return None


_XSD_STRING = str(XSD.string)
_XSD_DATE = XSD.date  # a URIRef: rdflib terms equal only terms of their own type
_CACHE_LIMIT = 500_000
_NEW_STR = str.__new__
_INVALID_IRI = re.compile(r'[<>" {}|\\^`]').search  # what rdflib's URIRef warns about (Oxigraph refuses them)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


class _RdflibTerms(dict):
    """pyoxigraph term -> rdflib term, each made once (pyoxigraph terms hash and compare by value in Rust).

    Looked up with `terms[t]`, a plain dict lookup on a hit: the per-term cost of a large result is then one
    hash of the pyoxigraph term, instead of a key tuple built from four of its attributes on every term.

    IRIs, simple literals and xsd:date literals in canonical form (nearly every term parley's queries return)
    are made without rdflib's constructors, which check and normalise what Oxigraph has already checked:
    `Literal(text, datatype=XSD.date)` costs ~15 µs, mostly parsing the date twice. They are the same terms,
    field for field, as the constructors make (tests/test_query_terms.py compares every field); anything else
    goes through the constructors.
    """

    def __init__(self):
        import pyoxigraph as ox

        super().__init__({None: None})
        self._kinds = ox.NamedNode, ox.Literal, ox.BlankNode
        self._datatypes: dict = {}

    def __missing__(self, t):
        named, literal, blank = self._kinds
        if isinstance(t, named):
            out = _iri(t.value)
        elif isinstance(t, literal):
            if t.language:
                out = Literal(t.value, lang=t.language)
            else:
                datatype = t.datatype.value
                if datatype == _XSD_STRING:
                    out = _simple_literal(t.value)  # as rdflib builds it (RDF 1.1: the same term as xsd:string)
                else:
                    uri = self._datatypes.get(datatype)
                    if uri is None:
                        uri = self._datatypes[datatype] = URIRef(datatype)
                    out = _typed_literal(t.value, uri)
        elif isinstance(t, blank):
            from rdflib import BNode

            out = BNode(t.value)
        else:
            out = Literal(str(t))
        if len(self) < _CACHE_LIMIT:
            self[t] = out
        return out


def _iri(text: str) -> URIRef:
    """URIRef(text): the same str subclass instance, without its constructor (which only warns on these characters)."""
    if _INVALID_IRI(text) or not _SHORTCUTS_HOLD:
        return URIRef(text)
    return _NEW_STR(URIRef, text)


def _simple_literal(text: str) -> Literal:
    """Literal(text) for a str: its lexical form and value are the text itself, no language, no datatype."""
    if not _SHORTCUTS_HOLD:
        return Literal(text)
    out = _NEW_STR(Literal, text)
    out._language = None
    out._datatype = None
    out._value = text
    out._ill_typed = None
    return out


def _typed_literal(lexical: str, datatype: URIRef) -> Literal:
    """Literal(lexical, datatype=datatype); an xsd:date in canonical form (YYYY-MM-DD, a real day) directly: its
    value is that date, its normalised lexical form (date.isoformat()) the same text, and it is well typed."""
    if datatype == _XSD_DATE and _ISO_DAY(lexical) and _SHORTCUTS_HOLD:
        try:
            value = dt.date.fromisoformat(lexical)
        except ValueError:  # 2025-02-30: ill-typed, as rdflib says
            return Literal(lexical, datatype=datatype)
        out = _NEW_STR(Literal, lexical)
        out._language = None
        out._datatype = datatype
        out._value = value
        out._ill_typed = False
        return out
    return Literal(lexical, datatype=datatype)


def _shortcuts_hold() -> bool:
    """Whether this rdflib's terms are still what the shortcuts above make (they set rdflib's private fields):
    checked once on samples, so that another rdflib version falls back to the constructors instead of making
    different terms."""
    samples = [(_iri("https://example.org/a"), URIRef("https://example.org/a")),
               (_simple_literal("a b"), Literal("a b")),
               (_typed_literal("2025-03-01", _XSD_DATE), Literal("2025-03-01", datatype=_XSD_DATE))]
    try:
        for made, built in samples:
            fields = {name for cls in type(built).__mro__ for name in getattr(cls, "__slots__", ())}
            if (type(made) is not type(built) or made != built or hash(made) != hash(built)
                    or made.n3() != built.n3() or getattr(built, "__dict__", {}) != getattr(made, "__dict__", {})
                    or any(getattr(made, f, None) != getattr(built, f, None) for f in fields)):
                return False
    except Exception:  # a missing or renamed field: rdflib changed, use the constructors
        return False
    return True


_SHORTCUTS_HOLD = True  # the shortcuts run while they are checked, then stay on only if they make the same terms
_SHORTCUTS_HOLD = _shortcuts_hold()


class _LexicalTerms(dict):
    """pyoxigraph term -> its text (an IRI, a literal's lexical form), each read once."""

    def __init__(self):
        super().__init__({None: None})

    def __missing__(self, t):
        out = t.value
        if len(self) < _CACHE_LIMIT:
            self[t] = out
        return out


class _CellTerms(dict):
    """SPARQL TSV results cell -> rdflib term, each made once: the same term _RdflibTerms makes of the
    pyoxigraph term the cell stands for.

    IRIs, simple literals with nothing escaped and xsd:date literals are read off the cell; any other cell is
    Turtle for its term (what the TSV results format writes), read back into a pyoxigraph term by pyoxigraph's
    own parser and converted like one. A cell that is not a term Turtle can hold (an RDF 1.2 triple term) raises
    _UnreadableCell, and the caller reads the solutions themselves instead.
    """

    def __init__(self):
        super().__init__({"": None})
        self._terms = _RdflibTerms()

    def __missing__(self, cell):
        first = cell[0]
        if first == "<" and cell[1] != "<" and cell[-1] == ">" and ">" not in cell[1:-1]:
            # (an IRI a lenient load let in with a raw newline or tab would be cut here: it fails these tests)
            out = _iri(cell[1:-1])
        elif first == '"' and cell[-1] == '"' and "\\" not in cell:  # every quote inside would be escaped
            out = _simple_literal(cell[1:-1])
        elif first == '"' and cell.endswith(_DATE_CELL) and _ISO_DAY(cell[1:-len(_DATE_CELL)]):
            out = _typed_literal(cell[1:-len(_DATE_CELL)], _XSD_DATE)
        elif first == '"' and "\\" not in cell and (tagged := _LANGUAGE_CELL(cell)):
            out = Literal(tagged[1], lang=tagged[2])
        elif _INTEGER_CELL(cell):  # numbers and booleans are written bare
            out = Literal(cell, datatype=XSD.integer)
        elif cell == "true" or cell == "false":
            out = Literal(cell, datatype=XSD.boolean)
        elif cell.startswith("_:"):
            from rdflib import BNode

            out = BNode(cell[2:])  # the store's own label, as pyoxigraph's BlankNode.value gives it
        elif first == "<":
            raise _UnreadableCell(cell)
        else:
            out = self._terms[_turtle_term(cell)]
        if len(self) < _CACHE_LIMIT:
            self[cell] = out
        return out


_DATE_CELL = f'"^^<{XSD.date}>'
_LANGUAGE_CELL = re.compile(r'"(.*)"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)', re.S).fullmatch  # no direction (--ltr)
_INTEGER_CELL = re.compile(r"[+-]?[0-9]+").fullmatch


class _UnreadableCell(Exception):
    """A TSV results cell that is not a term Turtle can hold."""


def _turtle_term(cell: str):
    """The pyoxigraph term a TSV results cell writes in Turtle (a number, a boolean, a literal with a language,
    a datatype or escapes)."""
    import pyoxigraph as ox

    try:
        quads = list(ox.parse(f"<urn:x:s> <urn:x:p> {cell} .", format=ox.RdfFormat.TURTLE))
    except SyntaxError:
        raise _UnreadableCell(cell) from None
    if len(quads) != 1:
        raise _UnreadableCell(cell)
    return quads[0].object


def _run_on_oxigraph(inner, options: dict, text: str, *, lexical: bool = False) -> QueryResult:
    import pyoxigraph as ox

    result = _query_oxigraph(inner, options, text)
    variables = [v.value for v in result.variables]
    if not lexical and variables:
        # The solutions as TSV text, one term a cell: pyoxigraph writes it without making a Python object a term,
        # and each distinct cell becomes an rdflib term once, looked up by the cell's text (the same values repeat
        # row after row). Faster than reading the solutions' pyoxigraph terms: see bench/README.md, round 4.
        try:
            data = result.serialize(format=ox.QueryResultsFormat.TSV).decode()
        except (SyntaxError, ValueError, OSError, RuntimeError) as e:  # evaluation errors surface while writing
            raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None
        convert = _CellTerms().__getitem__
        lines = data.split("\n")  # a header, then one line a solution, each ended by a newline
        try:
            # One dict a row, none of them garbage: pausing the cyclic collector while they are made saves its
            # repeated passes over everything else the process holds (a large timeline model, say), which cost
            # seconds at 65k rows.
            with collector_paused():
                rows = [dict(zip(variables, map(convert, line.split("\t")), strict=True)) for line in lines[1:-1]]
            return QueryResult(rows, columns=variables)
        except (_UnreadableCell, ValueError):  # ValueError: a line of too few or many cells (a raw newline)
            result = _query_oxigraph(inner, options, text)
    convert = (_LexicalTerms() if lexical else _RdflibTerms()).__getitem__
    with collector_paused():
        try:
            rows = [dict(zip(variables, map(convert, solution))) for solution in result]
        except (SyntaxError, ValueError, OSError, RuntimeError) as e:  # evaluation errors surface while iterating
            raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None
    return QueryResult(rows, columns=variables)


def _query_oxigraph(inner, options: dict, text: str):
    import pyoxigraph as ox

    try:
        result = inner.query(text, **options)
    except (SyntaxError, ValueError, OSError, RuntimeError) as e:
        raise QueryError(f"the query failed: {str(e).strip() or type(e).__name__}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries give rows")
    return result


@contextlib.contextmanager
def collector_paused(*, long_lived: bool = False):
    """Pause Python's cyclic garbage collector for the block (restored after, even on an error).

    For code that makes millions of long-lived objects and frees none: the collector would walk them again
    and again and find no garbage.

    `long_lived`: what the block makes outlives it (a model, a report): it goes straight to the collector's
    oldest generation on the way out, where the collector would have moved it after walking it twice more
    (a first young pass over a large audit report costs about 0.2 s). The caller's young objects are
    collected on the way in, as the block's allocations would have had them collected, so that only the
    block's own objects skip those passes. Not when objects are frozen already (gc.freeze: by the caller, or
    by CPython 3.12 itself at start-up): unfreezing would let go of them.
    """
    enabled = gc.isenabled()
    promote = long_lived and enabled and gc.get_freeze_count() == 0
    if promote:
        gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        if promote:
            gc.freeze()  # every tracked object into the permanent generation, then all back into the oldest
            gc.unfreeze()
        if enabled:
            gc.enable()


def run_query_text(graph, query: str | NamedQuery, *, params: dict | None = None) -> list[dict]:
    """Rows of a named query with each value as text (an IRI, or a literal's lexical form) or None.

    The fast read for code that only needs text, on large graphs: on Oxigraph no rdflib term is made at all.
    Queries with derived columns go through run_query.
    """
    q = named_query(query) if isinstance(query, str) else query
    _check_needs(graph, q)
    direct = _oxigraph_target(graph)
    if direct is None or q.derived:
        return [{k: (None if v is None else str(v)) for k, v in row.items()} for row in run_query(graph, q, params=params)]
    text = with_values(q.text, bind_params(graph, q, params or {}))
    return list(_run_on_oxigraph(*direct, text, lexical=True))


def run_query(graph, query: str | NamedQuery, *, params: dict | None = None,
              among: tuple[str, list] | None = None) -> QueryResult:
    """Rows of a named query (a name or a NamedQuery), with its parameters checked, typed and bound.

    Columns named by `# derive` header lines are computed from the rows (see the module docstring).
    `among`: (variable, terms): only the rows whose variable is one of the terms (see with_rows), asked for
    AMONG_SLICE terms at a time.
    """
    q = named_query(query) if isinstance(query, str) else query
    _check_needs(graph, q)
    bound = bind_params(graph, q, params or {})
    if among is None:
        rows = run_sparql(graph, q.text, bound)
    else:
        name, terms = among[0], list(among[1])
        texts = [with_rows(q.text, name, terms[i:i + AMONG_SLICE]) for i in range(0, len(terms), AMONG_SLICE)]
        rows = run_sparql(graph, texts[0] if texts else with_rows(q.text, name, []), bound)
        for text in texts[1:]:  # the slices' rows are disjoint: each row has one value of the variable
            rows.extend(run_sparql(graph, text, bound))
    for d in q.derived:
        _derive(rows, d, bound)
        if d.column not in rows.columns:
            rows.columns.append(d.column)
    rows.name = q.name
    rows.params = {k: v for k, v in (params or {}).items() if v is not None}
    return rows


def run_query_among(graph, query: str | NamedQuery, variable: str, nodes, *, params: dict | None = None) -> QueryResult:
    """run_query's rows whose ?variable is one of `nodes` (IRIs, as text or terms); the whole answer when nodes is
    None, or when one of them cannot be written into a query (a lenient load let it in), for the caller to
    pick from. For reading what a few events of a large graph have: see AMONG_LIMIT."""
    if nodes is not None and not any(isinstance(n, BNode) for n in nodes):
        try:
            return run_query(graph, query, params=params, among=(variable, [URIRef(str(n)) for n in nodes]))
        except QueryError as e:
            if "cannot bind values" not in str(e):
                raise
    return run_query(graph, query, params=params)


def _check_needs(graph, q: NamedQuery) -> None:
    if "leads-to" in q.needs:
        kinds = {str(r["kind"]) for r in run_sparql(graph, named_query("query-leads-to").text)}
        if "direct" in kinds and "leadsTo" not in kinds:
            raise QueryError(f"{q.name}: this graph has causal edges but no parley:leadsTo triples, which parley "
                             "writes beside them and this query follows; rebuild or reload the timeline with this "
                             "version of parley (an RDF file read with --graph gets them when read)")


def _derive(rows: list[dict], d: Derived, bound: dict) -> None:
    # Values repeat across rows (a few relations, a few hundred lags): each Literal is made once, as making
    # one costs tens of microseconds, most of the time of a large result.
    if d.function == "sorted":
        made: dict = {}
        column, arg = d.column, d.args[0]
        for r in rows:
            v = r.get(arg)
            # An empty group gives "" on some engines and unbound on others: "" everywhere.
            out = made.get(v)
            if out is None:
                out = made[v] = Literal(" ".join(sorted(str(v).split())) if v is not None else "")
            r[column] = out
    elif d.function == "days":
        dates: dict = {}
        lags: dict = {}
        column, first, second = d.column, d.args[0], d.args[1]
        for r in rows:
            a, b = r.get(first), r.get(second)
            a = dates[a] if a in dates else dates.setdefault(a, _as_date(a))
            b = dates[b] if b in dates else dates.setdefault(b, _as_date(b))
            if a is None or b is None:
                r[column] = None
                continue
            days = (b - a).days
            out = lags.get(days)
            if out is None:
                out = lags[days] = Literal(days, datatype=XSD.integer)
            r[column] = out
    else:  # hops-to / hops-from: breadth-first over the rows' own cause -> effect edges
        forward = d.function == "hops-from"
        start = bound.get(d.args[0])
        edges: dict = {}
        for r in rows:
            a, b = (r.get("cause"), r.get("effect")) if forward else (r.get("effect"), r.get("cause"))
            if a is not None and b is not None:
                edges.setdefault(a, set()).add(b)
        dist = {start: 0}
        frontier = [start]
        while frontier:
            nxt = []
            for node in frontier:
                for m in edges.get(node, ()):
                    if m not in dist:
                        dist[m] = dist[node] + 1
                        nxt.append(m)
            frontier = nxt
        for r in rows:
            near = r.get("cause") if forward else r.get("effect")
            r[d.column] = Literal(dist[near] + 1, datatype=XSD.integer) if near in dist else None


def _as_date(term) -> dt.date | None:
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else term
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def load_query(name_or_file: str | None = None, *, text: str | None = None) -> NamedQuery:
    """The query to run: `text` (-e), a .rq file (a path ending in .rq or naming a folder), or a named query."""
    from pathlib import Path

    if text is not None:
        if name_or_file is not None:
            raise QueryError("give either a query name/file or -e TEXT, not both")
        return parse_query_text(text, name="-e")
    if not name_or_file:
        raise QueryError(f"no query given: name one of {', '.join(query_names())}, a FILE.rq, or -e TEXT")
    if name_or_file.endswith(".rq") or "/" in name_or_file or "\\" in name_or_file:
        p = Path(name_or_file)
        if p.is_dir():
            raise QueryError(f"{name_or_file}: is a folder, not a query file")
        if not p.is_file():
            raise QueryError(f"{name_or_file}: no such query file")
        try:
            return parse_query_text(p.read_text(encoding="utf-8"), name=name_or_file)
        except UnicodeDecodeError:
            raise QueryError(f"{name_or_file}: not a UTF-8 text file") from None
    return named_query(name_or_file)


def answer(graph, name_or_file: str | None = None, *, text: str | None = None,
           params: dict | None = None) -> QueryResult:
    """What `parley query` shows: the rows of a named query, a .rq file, or query text, with parameters bound.
    A syntax error in a .rq file is `FILE:LINE:COLUMN: what is wrong`."""
    q = load_query(name_or_file, text=text)
    try:
        result = run_query(graph, q, params=params)
    except QueryError as e:
        at = re.match(r"the query failed: error at (\d+):(\d+): (.*)", str(e), re.S)
        if at is None or text is not None or q.name != name_or_file:
            raise
        if params:  # the VALUES block put in moved the lines: where the file's own text fails, if it does
            import pyoxigraph

            try:
                pyoxigraph.Store().query(q.text)
            except SyntaxError as own:
                at = re.match(r"error at (\d+):(\d+): (.*)", str(own), re.S) or at
            except Exception:  # noqa: BLE001 -- it parses: the error came with the parameters
                raise QueryError(f"{name_or_file}: {e}") from None
            else:
                raise QueryError(f"{name_or_file}: {e}") from None
        raise QueryError(f"{name_or_file}:{at[1]}:{at[2]}: {at[3]}") from None
    plain = _IRIS_AND_STRINGS.sub(" ", q.text)
    outer = _SELECT.search(plain)
    if outer is not None and outer[1]:
        # SELECT * (the outermost projection): the engine gives the variables in name order; the reader wrote
        # them in the query's order
        order = {}
        for m in _VARIABLE.finditer(plain):
            order.setdefault(m[1], len(order))
        result.columns.sort(key=lambda c: order.get(c, len(order)))
    return result


_SELECT = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(\*)?", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\uffff]+)")
_IRIS_AND_STRINGS = re.compile(r"<(?![?$])[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*")


def parse_params(pairs) -> dict:
    """['name=value', ...] -> {name: value}; QueryError on a pair without '=' or a repeated name."""
    out: dict = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE")
        if name in out:
            raise QueryError(f"--param {name}: given twice")
        out[name] = value
    return out


@dataclass
class QueryCatalog:
    """The named queries: what `parley queries` lists."""

    queries: list

    def to_dict(self) -> dict:
        return {"queries": [q.to_dict() for q in self.queries]}

    def to_text(self) -> str:
        lines = []
        for q in self.queries:
            params = " ".join(f"{p.name}={p.type.upper()}" if not p.optional else f"[{p.name}={p.type.upper()}]"
                              for p in q.params)
            lines.append(f"{q.name}{'  ' + params if params else ''}")
            if q.description:
                lines.append(f"    {q.description}")
            for p in q.params:
                lines.append(f"    --param {p.name}=...  {p.type}{' (optional)' if p.optional else ''}"
                             f"{': ' + p.description if p.description else ''}")
        return "\n".join(lines) + "\n"


# Queries that feed one command's own model (audit-claims.rq, view-claims.rq, ...) rather than answer a
# question on their own: runnable by name, listed only on request.
INTERNAL_PREFIXES = ("audit-", "network-", "query-", "state-", "timeline-", "view-")


def query_catalog(*, internal: bool = False) -> QueryCatalog:
    """The named queries in graph/queries/, by name; those internal to a command only when asked."""
    return QueryCatalog([named_query(n) for n in query_names() if internal or not n.startswith(INTERNAL_PREFIXES)])
