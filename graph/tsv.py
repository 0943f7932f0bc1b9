"""SPARQL query results as TSV cells (the SPARQL 1.1 Query Results TSV format): what pyoxigraph writes with
`QuerySolutions.serialize`, split with `str.split` instead of iterating solutions (no Python object a row or a
term, and pyoxigraph lets go of the GIL while it answers and writes). Used by the network projection and the
audit; other stores' rdflib terms are written as the same cells (`cell`)."""

from __future__ import annotations

import re


def cell(term) -> str:
    """An rdflib term (or None) as a TSV results cell."""
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"' + text.replace("\r", "\\r") + '"'


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(m: re.Match) -> str:
    s = m.group(1)
    return chr(int(s[1:], 16)) if len(s) > 1 else _ESCAPED.get(s, s)


def text(cell: str) -> str | None:
    """A cell's text, as run_query_text gives it: the IRI, a literal's lexical form, a blank node's id; None
    when unbound."""
    if not cell:
        return None
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == '"':
        lexical = cell[1:cell.rindex('"')]  # then @lang or ^^<datatype>, which hold no quote
        return _ESCAPE.sub(_unescape, lexical) if "\\" in lexical else lexical
    if cell.startswith("_:"):
        return cell[2:]
    return cell  # a number or boolean, written bare


def texts(cells: list[str]) -> list[str | None]:
    """[text(cell) for cell in cells], in two string operations when every cell is an IRI or every cell a
    plain literal with nothing escaped (the usual column)."""
    joined = "\t".join(cells)  # no cell holds a tab: TSV escapes it
    if not joined:
        return [None] * len(cells)
    n = len(cells) - 1
    first, last = joined[0], joined[-1]
    # Every boundary '>' tab '<' (or '"' tab '"'), and the ends alike: every cell is <...> (or "..."), and
    # since IRIs hold no '>' and a literal's quotes are escaped, the separator occurs nowhere else.
    if first == "<" and last == ">" and joined.count(">\t<") == n:
        return joined[1:-1].split(">\t<")
    if first == '"' and last == '"' and joined.count('"\t"') == n and "\\" not in joined:
        return joined[1:-1].split('"\t"')
    return [text(cell) for cell in cells]


def split(body: str, width: int) -> list[str] | None:
    """The cells of a TSV results body (the text after the header line), row after row; None when the text does
    not split into rows of `width` cells: an IRI that a lenient load let in with a raw line break or tab, which
    the TSV writer leaves as it is. (Tabs and line breaks inside a literal are escaped, so the split is sound
    otherwise.)"""
    cells = body.replace("\n", "\t").split("\t")
    cells.pop()  # after the last line break (or the whole of an empty body)
    return cells if len(cells) == body.count("\n") * width else None


def solution_cells(solutions) -> list[str]:
    """The cells of pyoxigraph query solutions, row after row, written as `cell` writes rdflib terms: for the
    answers `split` cannot read."""
    import pyoxigraph as ox

    def one(term) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return f"<{term.value}>"
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
        return '"' + text.replace("\r", "\\r") + '"'

    return [one(term) for solution in solutions for term in solution]
