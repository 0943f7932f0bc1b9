"""Results on Oxigraph are the same rdflib terms, field for field, as rdflib's own constructors make.

graph/query.py reads Oxigraph's solutions as TSV cells and makes IRIs, simple literals and xsd:date literals
without going through URIRef() and Literal() (which cost microseconds each): these tests pin that shortcut to
the constructors for every kind of term a store can return, including ill-typed and unusual lexical forms.
"""

from __future__ import annotations

import datetime as dt
import logging

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from parley.graph.query import _iri, _run_on_oxigraph, _simple_literal, _typed_literal

XSD = "http://www.w3.org/2001/XMLSchema#"
# rdflib warns when it reads the ill-typed boolean below (as it should: that is what is being compared)
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")

# (lexical form, datatype or None, language or None), as Turtle would state them.
LITERALS = [
    ("plain", None, None),
    ("", None, None),
    ("with \"quotes\" and a \\ backslash", None, None),
    ("tab\there, newline\nthere, return\rhere", None, None),
    ("  spaces  kept  ", None, None),
    ("é ü 中文 😀", None, None),
    ("\\u00e9 stays as written", None, None),
    ("leader-25", f"{XSD}string", None),
    ("hello", None, "en"),
    ("hello", None, "en-GB"),
    ("2025-03-01", f"{XSD}date", None),
    ("0001-01-01", f"{XSD}date", None),
    ("9999-12-31", f"{XSD}date", None),
    ("2024-02-29", f"{XSD}date", None),
    ("2025-02-29", f"{XSD}date", None),   # no such day: ill-typed
    ("2025-02-30", f"{XSD}date", None),
    ("2025-13-01", f"{XSD}date", None),
    ("2025-1-1", f"{XSD}date", None),
    ("0000-01-01", f"{XSD}date", None),
    ("-0044-03-15", f"{XSD}date", None),
    ("12025-03-01", f"{XSD}date", None),
    ("2025-03-01Z", f"{XSD}date", None),
    ("2025-03-01+02:00", f"{XSD}date", None),
    ("2025-03-01-05:00", f"{XSD}date", None),
    ("March 1st", f"{XSD}date", None),
    ("2025-03-01T10:00:00", f"{XSD}dateTime", None),
    ("42", f"{XSD}integer", None),
    ("042", f"{XSD}integer", None),
    ("-7", f"{XSD}integer", None),
    ("abc", f"{XSD}integer", None),
    ("0.75", f"{XSD}decimal", None),
    ("5", f"{XSD}decimal", None),
    ("1.50", f"{XSD}decimal", None),
    ("1e3", f"{XSD}double", None),
    ("NaN", f"{XSD}double", None),
    ("1.5", f"{XSD}float", None),
    ("true", f"{XSD}boolean", None),
    ("false", f"{XSD}boolean", None),
    ("1", f"{XSD}boolean", None),
    ("yes", f"{XSD}boolean", None),
    ("300", f"{XSD}byte", None),
    ("P1D", f"{XSD}duration", None),
    ("anything", "https://example.org/custom#type", None),
]
IRIS = ["https://example.org/synthetic/event/e-000123", "urn:x:a", "https://example.org/é?q=1#frag",
        f"{XSD}date"]


def ox_literal(lexical, datatype, lang):
    if lang:
        return ox.Literal(lexical, language=lang)
    return ox.Literal(lexical, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(lexical)


def constructed(t):
    """The rdflib term for a pyoxigraph term, made by rdflib's constructors (graph/query.py before the shortcut)."""
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == f"{XSD}string":
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    return Literal(str(t))


def fields(term):
    """Everything a caller can see of a term."""
    if term is None:
        return None
    out = (type(term), str(term), hash(term))
    if isinstance(term, Literal):
        # repr: a NaN value is not equal to itself
        out += (term.datatype, type(term.datatype), term.language, repr(term.value), type(term.value),
                term.ill_typed, term.n3(), repr(term.toPython()))
    return out


def assert_same(got, want):
    assert fields(got) == fields(want), (got, want)
    assert got == want and not (got != want)
    assert {got: 1}.get(want) == 1  # hashes and equality agree both ways


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    g = ox.NamedNode("https://example.org/g")
    quads = [ox.Quad(ox.NamedNode(f"urn:x:lit{i}"), ox.NamedNode("urn:x:value"), ox_literal(*lit), g)
             for i, lit in enumerate(LITERALS)]
    quads += [ox.Quad(ox.NamedNode(f"urn:x:iri{i}"), ox.NamedNode("urn:x:value"), ox.NamedNode(iri), g)
              for i, iri in enumerate(IRIS)]
    quads.append(ox.Quad(ox.NamedNode("urn:x:blank"), ox.NamedNode("urn:x:value"), ox.BlankNode("b0"), g))
    s.extend(quads)
    return s


UNION = {"use_default_graph_as_union": True}


@pytest.mark.parametrize("text", [
    "SELECT ?s ?o WHERE { ?s <urn:x:value> ?o }",
    # unbound cells, a variable bound in no row, repeated values, values computed by the query
    "SELECT ?s ?o ?none ?len WHERE { ?s <urn:x:value> ?o . OPTIONAL { ?s <urn:x:nothing> ?none } "
    "BIND(IF(isLiteral(?o), STRLEN(STR(?o)), ?undefined) AS ?len) }",
    "SELECT ?o WHERE { { ?s <urn:x:value> ?o } UNION { ?s <urn:x:value> ?o } }",
    "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF } }",
    "SELECT ?x WHERE { FILTER(false) }",
    "SELECT * WHERE { }",
    # an RDF 1.2 triple term, which the TSV cells cannot carry as Turtle 1.1: read from the solutions instead
    "SELECT ?s ?t WHERE { ?s <urn:x:value> ?o . BIND(TRIPLE(<urn:x:a>, <urn:x:b>, ?o) AS ?t) }",
])
def test_rows_are_the_constructors_terms(store, text):
    result = store.query(text, **UNION)
    variables = [v.value for v in result.variables]
    want = [{v: constructed(s[v]) for v in variables} for s in result]
    got = _run_on_oxigraph(store, UNION, text)
    assert got.columns == variables
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert list(g) == variables
        for v in variables:
            assert_same(g[v], w[v])


def test_every_literal_kind_is_returned(store):
    """The store really holds each test literal (Oxigraph keeps some in a canonical form), and the query sees it."""
    got = _run_on_oxigraph(store, UNION, "SELECT ?o WHERE { ?s <urn:x:value> ?o FILTER(isLiteral(?o)) }")
    datatypes = {str(r["o"].datatype) for r in got if r["o"].datatype is not None}
    assert {f"{XSD}date", f"{XSD}integer", f"{XSD}decimal", f"{XSD}boolean", f"{XSD}double"} <= datatypes
    assert any(r["o"].ill_typed for r in got) and any(r["o"].language for r in got)


@pytest.mark.parametrize("lexical,datatype,lang", LITERALS)
def test_shortcuts_match_the_constructors(lexical, datatype, lang):
    if lang:
        return  # literals with a language always go through Literal()
    if datatype in (None, f"{XSD}string"):
        assert_same(_simple_literal(lexical), Literal(lexical))
    else:
        assert_same(_typed_literal(lexical, URIRef(datatype)), Literal(lexical, datatype=URIRef(datatype)))


def test_iri_shortcut_matches_the_constructor(caplog):
    for iri in IRIS:
        assert_same(_iri(iri), URIRef(iri))
    # rdflib warns about these characters; the shortcut leaves them to URIRef(), which still does
    with caplog.at_level(logging.WARNING):
        assert_same(_iri("urn:x:a b"), URIRef("urn:x:a b"))
    assert "does not look like a valid URI" in caplog.text


def test_a_date_is_a_date():
    term = _typed_literal("2025-03-01", URIRef(f"{XSD}date"))
    assert term.value == dt.date(2025, 3, 1) and term.ill_typed is False
    bad = _typed_literal("2025-02-30", URIRef(f"{XSD}date"))
    assert bad.value is None and bad.ill_typed is True


def test_the_shortcuts_are_checked_against_this_rdflib():
    from parley.graph import query

    assert query._SHORTCUTS_HOLD is True and query._shortcuts_hold() is True


def test_an_rdflib_whose_terms_differ_turns_the_shortcuts_off(monkeypatch):
    """Were a future rdflib to keep a literal's fields differently, the check finds the shortcut's term unlike the
    constructor's and parley goes back to the constructors."""
    from parley.graph import query

    def stale(text):  # what the shortcut would make if rdflib normalised plain literals' values differently
        out = str.__new__(Literal, text)
        out._language, out._datatype, out._value, out._ill_typed = None, None, text.upper(), None
        return out

    monkeypatch.setattr(query, "_simple_literal", stale)
    assert query._shortcuts_hold() is False


@pytest.mark.parametrize("text", ["SELECT ?s ?o WHERE { ?s <urn:x:value> ?o }"])
def test_without_the_shortcuts_the_rows_are_the_same(store, text, monkeypatch):
    from parley.graph import query

    fast = _run_on_oxigraph(store, UNION, text)
    monkeypatch.setattr(query, "_SHORTCUTS_HOLD", False)
    slow = _run_on_oxigraph(store, UNION, text)
    assert len(fast) == len(slow) == len(LITERALS) + len(IRIS) + 1
    for f, s in zip(fast, slow):
        for v in ("s", "o"):
            assert_same(f[v], s[v])


def test_an_iri_with_a_raw_newline_is_read_whole():
    """A lenient load can let in an IRI with a raw newline, which the TSV writer does not escape: the row must
    not be split in two (the solutions are read instead)."""
    s = ox.Store()
    s.load(b'<urn:x:s> <urn:x:p> <urn:x:a\n<urn:x:b> .\n<urn:x:s> <urn:x:q> <urn:x:c\td> .\n',
           format=ox.RdfFormat.N_TRIPLES, lenient=True)
    for text in ("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?o"):
        result = s.query(text, **UNION)
        variables = [v.value for v in result.variables]
        want = [{v: constructed(sol[v]) for v in variables} for sol in result]
        got = _run_on_oxigraph(s, UNION, text)
        assert len(got) == len(want) == 2
        for g, w in zip(got, want):
            for v in variables:
                assert_same(g[v], w[v])


def test_an_error_the_engine_raises_as_runtime_error_is_a_query_error(store):
    from parley.graph.query import QueryError

    with pytest.raises(QueryError, match="service"):
        _run_on_oxigraph(store, UNION, "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }")
