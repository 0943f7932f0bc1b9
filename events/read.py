"""Read timeline files (YAML) into the model, with `file:line: message` errors.

Dates are parsed here, not by YAML: PyYAML's implicit timestamps turn "2025-02-30" into a traceback and
"2025-02" into a string, and its YAML 1.1 booleans turn a country code NO into False. The loader below keeps
every scalar as written except numbers, null and true/false, and remembers the line of every key and item.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from .model import (
    ACTOR_KINDS, CONFIDENCE_LEVELS, EVENT_TYPES, LEVER_KINDS, RELATIONS, in_range,
    Actor, DateSpec, Event, Lever, Link, Loc, Source, Timeline,
)

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
QUANTITY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
BASE_RE = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$")

TOP_KEYS = ("timeline", "actors", "levers", "events", "links")
TIMELINE_KEYS = {"id": True, "title": False, "base": False, "description": False}
ACTOR_KEYS = {"id": True, "name": True, "kind": True, "country": False, "role": False, "wikidata": False, "note": False}
LEVER_KEYS = {"id": True, "kind": True, "name": True, "imposed_by": False, "target": False, "legal_basis": False,
              "scope": False, "note": False, "sources": False}
EVENT_KEYS = {"id": True, "date": True, "type": True, "summary": True, "actors": True, "targets": False,
              "lever": False, "rate": False, "scope": False, "effective": False, "until": False, "quantity": False,
              "promises": False, "sources": False, "note": False, "outcome": False, "since": False, "totals": False}
LINK_KEYS = {"id": False, "cause": True, "effect": True, "relation": True, "claimed_by": False, "confidence": False,
             "evidence": False, "sources": False, "disputed_by": False}
SOURCE_KEYS = {"url": True, "title": False, "publisher": False, "date": False}
MAX_RATE = 1000


class TimelineError(Exception):
    """Bad input: one or more `file:line: message` problems."""

    def __init__(self, problems: list[tuple[Loc | None, str]]):
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{loc}: {msg}" if loc else msg for loc, msg in self.problems]


# --- a YAML loader that keeps lines ---------------------------------------------------------------

class _Map(dict):
    line: int
    key_lines: dict


class _Seq(list):
    line: int
    item_lines: list


# libyaml's parser when PyYAML has it: 7x faster than the pure-Python one (0.05 s instead of 0.34 s for a
# 60-event file), same nodes and line marks; the constructors and resolvers below stay ours.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


_C_LOADER = hasattr(yaml, "CSafeLoader") and issubclass(_Loader, yaml.CSafeLoader)


# YAML 1.2 core-schema booleans only, and no implicit timestamps (see module docstring).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _construct(loader, node):
    # Explicit tags (`!!int abc`, `!!timestamp 2025-02-30`) raise ValueError in PyYAML's constructors.
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as e:
        raise _YamlProblem(node.start_mark.line + 1, f"cannot read {node.value!r} as {node.tag}: {e}") from None


def _construct_map(loader, node):
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise _YamlProblem(line, f"key {key!r} is not a string")
        if key in result:
            raise _YamlProblem(line, f"duplicate key '{key}'")
        result[key] = _construct(loader, value_node)
        result.key_lines[key] = line
    return result


def _construct_seq(loader, node):
    result = _Seq(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class _Int(int):
    """An int that remembers how it was written: YAML 1.1 reads `0700` as 448, `0x1F` as 31 and `1:30` as 90,
    but an id or a name must stay as the analyst wrote it."""

    text: str


def _construct_int(loader, node):
    value = _Int(loader.construct_yaml_int(node))
    value.text = node.value
    return value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


# --- checking values ------------------------------------------------------------------------------

class _File:
    """Problems found in one file, each with its line."""

    def __init__(self, name: str, problems: list):
        self.name, self.problems = name, problems

    def loc(self, line: int) -> Loc:
        return Loc(self.name, line)

    def err(self, line: int, message: str) -> None:
        self.problems.append((self.loc(line), message))


def _line(m: _Map, key: str) -> int:
    return m.key_lines.get(key, m.line)


def _check_keys(f: _File, m, allowed: dict, what: str) -> bool:
    if not isinstance(m, _Map):
        return False
    ok = True
    for key in m:
        if key not in allowed:
            f.err(_line(m, key), f"unknown key '{key}' in {what} (expected one of: {', '.join(allowed)})")
            ok = False
    for key, required in allowed.items():
        if required and (key not in m or m[key] is None or (isinstance(m[key], str) and not m[key].strip())):
            f.err(m.line, f"{what} is missing required key '{key}'")
            ok = False
    return ok


def _text(f: _File, m: _Map, key: str, what: str) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        f.err(_line(m, key), f"{what} '{key}' must be text, not {_kind(value)}")
        return None
    text = str(getattr(value, "text", value)).strip()
    control = _CONTROL.search(text)
    if control:  # it would reach terminals as an escape sequence and make the GraphML and GEXF exports ill-formed
        f.err(_line(m, key), f"{what} '{key}': control character U+{ord(control.group()):04X} in the text")
        return None
    return text


# Control characters other than tab and line breaks (YAML's "\e", "\a", "\x00" and the like write them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _kind(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return {dict: "a mapping", _Map: "a mapping", list: "a list", _Seq: "a list", bool: "true/false", str: "text",
            dt.date: "a date"}.get(type(value), type(value).__name__)


def _ident(f: _File, m: _Map, key: str, what: str) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        value = getattr(value, "text", str(value))  # an int as written: `id: 007` is '007'
    if not isinstance(value, str) or not ID_RE.match(value):
        if isinstance(value, (float, bool, dt.date)):  # YAML read it as a number, a boolean or a date
            f.err(_line(m, key), f"{what} '{key}': YAML read this id as "
                                 f"{'true/false' if isinstance(value, bool) else 'a number' if isinstance(value, float) else 'a date'}"
                                 " (" + str(value) + "): quote it to keep it as written")
        else:
            f.err(_line(m, key), f"{what} '{key}': {value!r} is not a valid id "
                                 "(letters, digits, '.', '_' and '-', starting with a letter or digit)")
        return None
    return value


def _parse_day(text) -> dt.date:
    """An ISO calendar day; raises ValueError with a message fit for the user."""
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return in_range(text)
    if not isinstance(text, str) or not DAY_RE.match(text):
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar date") from None
    return in_range(day)


def _day(f: _File, m: _Map, key: str, what: str) -> dt.date | None:
    if m.get(key) is None:
        return None
    try:
        return _parse_day(m[key])
    except ValueError as e:
        f.err(_line(m, key), f"{what} '{key}': {e}")
        return None


def _since(f: _File, m: _Map, what: str, etype: str | None, date: DateSpec | None) -> dt.date | None:
    """A statistic's `since`: the day its totals are counted from, on or before the day it reports."""
    since = _day(f, m, "since", what)
    if since is None:
        return None
    if etype and etype != "statistic":
        f.err(_line(m, "since"), f"{what} 'since': only a statistic counts its totals from a date (type is {etype})")
        return None
    if not m.get("quantity"):
        f.err(_line(m, "since"), f"{what} 'since': the event has no quantity to count")
        return None
    if date and since > date.latest:
        f.err(_line(m, "since"), f"{what} 'since' {since} is after its date {date}")
        return None
    return since


def _totals(f: _File, m: _Map, what: str, etype: str | None, quantity: dict) -> tuple[str, ...] | None:
    """A statistic's `totals`: None when every quantity is a total (absent, or true); else the kinds that are
    (a list of its quantity's kinds, one kind without a list; false or [] for none). None too when it is wrong
    (reported), so that nothing else is reported as if no quantity were a total."""
    value, line = m.get("totals"), _line(m, "totals")
    if value is None:
        return None
    if etype and etype != "statistic":
        f.err(line, f"{what} 'totals': only a statistic's quantities are totals (type is {etype})")
        return None
    if value is True:
        return None
    if value is False:
        return ()
    if isinstance(value, str):  # one kind, as one actor may be given without a list
        value = _Seq([value])
        value.line, value.item_lines = line, [line]
    if not isinstance(value, _Seq):
        f.err(line, f"{what} 'totals' must be true, false or a list of its quantity's kinds, not {_kind(value)}")
        return None
    kinds, wrong = [], False
    for item, item_line in zip(value, value.item_lines):
        if not isinstance(item, str) or item not in quantity:
            f.err(item_line, f"{what} 'totals': {item!r} is not one of its quantity's kinds"
                  + (f" ({', '.join(quantity)})" if quantity else " (it has no quantity)"))
            wrong = True
        elif item not in kinds:
            kinds.append(item)
    return None if wrong else tuple(sorted(kinds))


def _bounded(f: _File, qv: _Map, key: str, what: str) -> tuple[float | None, tuple | None]:
    """A quantity the sources give as a bound or a span: `{over: 2000}` (more than), `{about: 1500}`, or
    `{from: 1600, to: 1650}`; (its figure, its bound) as Event keeps them, (None, None) when it is wrong."""
    value, line = qv[key], _line(qv, key)
    forms = "{over: N}, {about: N} or {from: N, to: M}"
    if any(v is None for v in value.values()):
        f.err(line, f"{what}: {', '.join(k for k, v in value.items() if v is None)} has no number")
        return None, None
    if set(value) in ({"over"}, {"about"}):
        [word] = value
        n = _number(f, value, word, what, 0, float("inf"))
        return (n, (word, None)) if n is not None else (None, None)
    if set(value) == {"from", "to"}:
        lo, hi = _number(f, value, "from", what, 0, float("inf")), _number(f, value, "to", what, 0, float("inf"))
        if lo is None or hi is None:
            return None, None
        if hi <= lo:
            f.err(line, f"{what}: 'to' {hi:g} is not above 'from' {lo:g}")
            return None, None
        return lo, ("range", hi)
    f.err(line, f"{what}: a number, or {forms} (got: {', '.join(map(str, value)) or 'an empty mapping'})")
    return None, None


def _date_spec(f: _File, m: _Map, what: str) -> DateSpec | None:
    value, line = m.get("date"), _line(m, "date")
    if isinstance(value, _Map):
        if set(value) != {"from", "to"}:
            f.err(line, f"{what} 'date': an uncertain date needs exactly 'from' and 'to' (got: {', '.join(value)})")
            return None
        lo, hi = _day(f, value, "from", what), _day(f, value, "to", what)
        if lo is None or hi is None:
            return None
        if hi < lo:
            f.err(line, f"{what} 'date': 'to' {hi} is before 'from' {lo}")
            return None
        return DateSpec(lo, hi, "range")
    if isinstance(value, str) and MONTH_RE.match(value):
        year, month = int(value[:4]), int(value[5:])
        if not 1 <= month <= 12 or year < dt.MINYEAR:
            f.err(line, f"{what} 'date': {value!r} is not a real month")
            return None
        first = dt.date(year, month, 1)
        last = first.replace(day=calendar.monthrange(year, month)[1])
        try:
            return DateSpec(in_range(first), in_range(last), "month")
        except ValueError as e:
            f.err(line, f"{what} 'date': {e}")
            return None
    try:
        return DateSpec.day(_parse_day(value))
    except ValueError as e:
        f.err(line, f"{what} 'date': {e}; or YYYY-MM, or {{from: YYYY-MM-DD, to: YYYY-MM-DD}}")
        return None


def _id_list(f: _File, m: _Map, key: str, what: str) -> tuple[str, ...]:
    value = m.get(key)
    if value is None:
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = _Seq([value])
        value.line, value.item_lines = _line(m, key), [_line(m, key)]
    if not isinstance(value, _Seq):
        f.err(_line(m, key), f"{what} '{key}' must be a list of ids, not {_kind(value)}")
        return ()
    out = []
    for item, line in zip(value, value.item_lines):
        if isinstance(item, int) and not isinstance(item, bool):
            item = getattr(item, "text", str(item))  # as _ident reads `id: 12`, so that such an actor can be named
        if not isinstance(item, str) or not ID_RE.match(item):
            f.err(line, f"{what} '{key}': {item!r} is not a valid id")
        else:
            out.append(item)
    return tuple(out)


def _choice(f: _File, m: _Map, key: str, allowed, what: str) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    if value not in allowed:
        f.err(_line(m, key), f"{what} '{key}': unknown value {value!r} (expected one of: {', '.join(allowed)})")
        return None
    return value


_LARGEST = 10 ** 18  # a whole number beyond this does not survive a float (the audit's arithmetic, the charts)


def _number(f: _File, m: _Map, key: str, what: str, lo: float, hi: float) -> float | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        f.err(_line(m, key), f"{what} '{key}': {value!r} is not a number")
        return None
    if isinstance(value, float) and math.isinf(value):
        f.err(_line(m, key), f"{what} '{key}': {value!r} is not a finite number")
        return None
    if not lo <= value <= hi:
        shown = f"{value!r}" if abs(value) <= _LARGEST else f"a number of {len(str(abs(value)))} digits"
        f.err(_line(m, key), f"{what} '{key}': {shown} is outside [{lo:g}, {hi:g}]")
        return None
    if abs(value) > _LARGEST:
        digits = len(str(abs(value))) if isinstance(value, int) else len(f"{abs(value):.0f}")
        f.err(_line(m, key), f"{what} '{key}': a number of {digits} digits is too large (at most 10^18)")
        return None
    return int(value) if isinstance(value, int) else value


def _sources(f: _File, m: _Map, key: str, what: str) -> tuple[Source, ...]:
    value = m.get(key)
    if value is None:
        return ()
    if isinstance(value, (str, _Map)):  # one source, as `actors: alice` is one actor
        value = _Seq([value])
        value.line, value.item_lines = _line(m, key), [_line(m, key)]
    if not isinstance(value, _Seq):
        f.err(_line(m, key), f"{what} '{key}' must be a list of sources, not {_kind(value)}")
        return ()
    out = []
    for item, line in zip(value, value.item_lines):
        if isinstance(item, str):
            item = _Map(url=item)
            item.line, item.key_lines = line, {"url": line}
        if not isinstance(item, _Map):
            f.err(line, f"{what} source must be a mapping with a 'url', not {_kind(item)}")
            continue
        if not _check_keys(f, item, SOURCE_KEYS, f"{what} source"):
            continue
        url = _text(f, item, "url", "source")
        if url is None:
            continue
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            bad = re.search(r"[\s<>\"{}|\\^`]", url) if re.match(r"^https?://", url) else None
            f.err(_line(item, "url"), f"source 'url': {url!r} " + (
                f"holds {bad.group()!r}, which a URL may not (percent-encode it)" if bad
                else "is not an http(s) URL"))
            continue
        out.append(Source(url, _text(f, item, "title", "source"), _text(f, item, "publisher", "source"),
                          _day(f, item, "date", "source")))
    return tuple(out)


def _is_base_iri(text: str) -> bool:
    """An absolute IRI ending in '/' or '#' that Oxigraph accepts (the regex alone lets '%zz' or ':port' through)."""
    if not BASE_RE.match(text):
        return False
    import pyoxigraph  # RFC 3987 parsing; cheap to import

    try:
        pyoxigraph.NamedNode(text + "x")
    except ValueError:
        return False
    return True


def _items(f: _File, doc: _Map, key: str):
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, _Seq):
        f.err(_line(doc, key), f"'{key}' must be a list, not {_kind(value)}")
        return []
    out = []
    for item, line in zip(value, value.item_lines):
        if not isinstance(item, _Map):
            f.err(line, f"each entry of '{key}' must be a mapping, not {_kind(item)}")
        else:
            out.append(item)
    return out


# --- the readers ----------------------------------------------------------------------------------

@dataclass
class _Header:
    id: str
    title: str | None
    base: str | None
    description: str | None
    loc: Loc


def _load_yaml(path: Path, name: str, problems: list) -> _Map | None:
    f = _File(name, problems)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append((None, f"{name}: no such file"))
        return None
    except IsADirectoryError:
        problems.append((None, f"{name}: is a directory, not a timeline file"))
        return None
    except OSError as e:
        problems.append((None, f"{name}: cannot read: {e.strerror}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        f.err(line, f"not UTF-8 text (byte 0x{raw[e.start]:02x})")
        return None
    try:
        docs = list(yaml.load_all(text, Loader=_Loader))
    except _YamlProblem as e:
        f.err(e.line, e.message)
        return None
    except RecursionError:
        f.err(1, "not valid YAML: nested too deeply")
        return None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow: it gives a position, not a line
        # (libyaml's position counts the UTF-8 bytes it was given, the Python reader's the characters)
        before = text.encode("utf-8")[: e.position] if _C_LOADER else text[: e.position]
        f.err(before.count(b"\n" if _C_LOADER else "\n") + 1,
              f"not valid YAML: character U+{e.character:04X} is not allowed (a control character)"
              if isinstance(e.character, int) else f"not valid YAML: {e.reason}")
        return None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        context, context_mark = getattr(e, "context", None), getattr(e, "context_mark", None)
        if context and context_mark and (mark is None or context_mark.line != mark.line):
            # Where the unclosed bracket or quote began, which is usually the line to fix.
            problem = f"{problem} ({context} at line {context_mark.line + 1})"
        f.err(mark.line + 1 if mark else 1, f"not valid YAML: {problem}")
        return None
    docs = [d for d in docs if d is not None]
    if not docs:
        f.err(1, "empty file: expected a mapping with 'timeline' and 'events'")
        return None
    if len(docs) > 1:
        f.err(1, "more than one YAML document: put one timeline document in each file")
        return None
    doc = docs[0]
    if not isinstance(doc, _Map):
        f.err(1, f"the top level must be a mapping with 'timeline' and 'events', not {_kind(doc)}")
        return None
    return doc


def read_timeline(paths, *, display_names=None) -> Timeline:
    """Read one timeline from one or more YAML files; raise TimelineError listing every problem found."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise TimelineError([(None, "no timeline files given")])
    names = list(display_names) if display_names else [str(p) for p in paths]
    problems: list = []
    headers: list[_Header] = []
    actors, levers, events, links = {}, {}, {}, []
    defined: dict[str, Loc] = {}

    def define(f: _File, ident: str | None, line: int, what: str) -> bool:
        if ident is None:
            return False
        if ident in defined:
            f.err(line, f"duplicate id '{ident}' ({what}; first defined at {defined[ident]})")
            return False
        defined[ident] = f.loc(line)
        return True

    docs = []
    for path, name in zip(paths, names):
        doc = _load_yaml(path, name, problems)
        if doc is not None:
            docs.append((_File(name, problems), doc))
    for f, doc in docs:
        for key in doc:
            if key not in TOP_KEYS:
                f.err(_line(doc, key), f"unknown key '{key}' at the top level (expected one of: {', '.join(TOP_KEYS)})")
        head = doc.get("timeline")
        if head is None:
            f.err(doc.line, "missing required key 'timeline' (the header: {id: ..., title: ...})")
        elif not isinstance(head, _Map):
            f.err(_line(doc, "timeline"), f"'timeline' must be a mapping with an 'id', not {_kind(head)}")
        elif _check_keys(f, head, TIMELINE_KEYS, "timeline"):
            ident = _ident(f, head, "id", "timeline")
            base = _text(f, head, "base", "timeline")
            if base is not None and not _is_base_iri(base):
                f.err(_line(head, "base"),
                      f"timeline 'base': {base!r} is not a valid absolute IRI ending in '/' or '#'")
                base = None
            if ident:
                headers.append(_Header(ident, _text(f, head, "title", "timeline"), base,
                                       _text(f, head, "description", "timeline"), f.loc(head.line)))

        for m in _items(f, doc, "actors"):
            if not _check_keys(f, m, ACTOR_KEYS, "actor"):
                continue
            ident = _ident(f, m, "id", "actor")
            kind = _choice(f, m, "kind", ACTOR_KINDS, "actor")
            country = _text(f, m, "country", "actor")
            if country is not None and not COUNTRY_RE.match(country):
                f.err(_line(m, "country"), f"actor 'country': {country!r} is not a two-letter country code")
            wikidata = _text(f, m, "wikidata", "actor")
            if wikidata is not None and not WIKIDATA_RE.match(wikidata):
                f.err(_line(m, "wikidata"), f"actor 'wikidata': {wikidata!r} is not a Wikidata id like Q22686")
            if define(f, ident, m.line, "actor") and kind:
                actors[ident] = Actor(ident, _text(f, m, "name", "actor"), kind, country, _text(f, m, "role", "actor"),
                                      wikidata, _text(f, m, "note", "actor"), f.loc(m.line))

        for m in _items(f, doc, "levers"):
            if not _check_keys(f, m, LEVER_KEYS, "lever"):
                continue
            ident = _ident(f, m, "id", "lever")
            kind = _choice(f, m, "kind", LEVER_KINDS, "lever")
            lever = Lever(ident, kind, _text(f, m, "name", "lever"), _ident(f, m, "imposed_by", "lever"),
                          _ident(f, m, "target", "lever"), _text(f, m, "legal_basis", "lever"),
                          _text(f, m, "scope", "lever"), _text(f, m, "note", "lever"),
                          _sources(f, m, "sources", "lever"), f.loc(m.line))
            if define(f, ident, m.line, "lever") and kind:
                levers[ident] = lever

        for m in _items(f, doc, "events"):
            if not _check_keys(f, m, EVENT_KEYS, "event"):
                continue
            ident = _ident(f, m, "id", "event")
            what = f"event '{ident}'" if ident else "event"
            date = _date_spec(f, m, what)
            etype = _choice(f, m, "type", EVENT_TYPES, what)
            promises = _choice(f, m, "promises", EVENT_TYPES, what)
            if promises and etype and etype != "commitment":
                f.err(_line(m, "promises"), f"{what} 'promises': only a commitment promises (type is {etype})")
            effective, until = _day(f, m, "effective", what), _day(f, m, "until", what)
            # (`until` is the first day the state no longer holds: on the day it takes effect, it would never hold)
            if date and until and until <= date.earliest:
                f.err(_line(m, "until"), f"{what} 'until' {until} is not after its date {date}")
            if date and effective and effective < date.earliest:
                f.err(_line(m, "effective"), f"{what} 'effective' {effective} is before its date {date}")
            elif effective and until and until <= effective:
                f.err(_line(m, "until"), f"{what} 'until' {until} is not after its 'effective' {effective}")
            quantity, bounds = {}, {}
            qv = m.get("quantity")
            if qv is not None:
                if not isinstance(qv, _Map):
                    f.err(_line(m, "quantity"), f"{what} 'quantity' must be a mapping like {{troops: 10000}}")
                else:
                    for key in qv:
                        if not QUANTITY_RE.match(key):
                            f.err(_line(qv, key), f"{what} quantity '{key}': names are lowercase letters, digits and '_'")
                            continue
                        if isinstance(qv[key], _Map):
                            n, bound = _bounded(f, qv, key, f"{what} quantity '{key}'")
                            if bound:
                                bounds[key] = bound
                        else:
                            n = _number(f, qv, key, f"{what} quantity", 0, float("inf"))
                        if n is not None:
                            quantity[key] = n
            kinds = qv if isinstance(qv, _Map) else {}  # every kind written, even one whose figure was wrong
            since, totals = _since(f, m, what, etype, date), _totals(f, m, what, etype, kinds)
            if since and totals is not None and not totals:
                f.err(_line(m, "since"), f"{what} 'since': none of its quantities is a total ('totals' lists none)")
            summary = _text(f, m, "summary", what)
            event = Event(
                ident, date, etype, summary, _id_list(f, m, "actors", what), _id_list(f, m, "targets", what),
                _ident(f, m, "lever", what), _number(f, m, "rate", what, 0, MAX_RATE), _text(f, m, "scope", what),
                effective, until, quantity, promises, _sources(f, m, "sources", what), _text(f, m, "note", what),
                _text(f, m, "outcome", what), f.loc(m.line), since=since, totals=totals, bounds=bounds)
            if isinstance(m.get("actors"), list) and not m["actors"]:  # (a bad list is reported above)
                f.err(_line(m, "actors"), f"{what} 'actors' must name at least one actor")
            if define(f, ident, m.line, "event") and date and etype:
                events[ident] = event

        for m in _items(f, doc, "links"):
            if not _check_keys(f, m, LINK_KEYS, "link"):
                continue
            cause, effect = _ident(f, m, "cause", "link"), _ident(f, m, "effect", "link")
            relation = _choice(f, m, "relation", RELATIONS, "link")
            confidence = m.get("confidence")
            if confidence is not None:
                if isinstance(confidence, str) and confidence in CONFIDENCE_LEVELS:
                    pass
                elif isinstance(confidence, (int, float)) and not isinstance(confidence, bool) and 0 <= confidence <= 1:
                    confidence = float(confidence)
                else:
                    f.err(_line(m, "confidence"),
                          f"link 'confidence': {confidence!r} is neither low, medium or high nor a number in [0, 1]")
                    confidence = None
            ident = _ident(f, m, "id", "link") if "id" in m else None
            if not (cause and effect and relation):
                continue
            explicit = ident is not None
            ident = ident or f"{cause}.{relation}.{effect}"
            link = Link(ident, cause, effect, relation, _ident(f, m, "claimed_by", "link"), confidence,
                        _text(f, m, "evidence", "link"), _sources(f, m, "sources", "link"),
                        _id_list(f, m, "disputed_by", "link"), f.loc(m.line))
            if not explicit and ident in defined:
                # Two claims of the same link by different claimants: name the second by its claimant.
                ident = link.id = f"{ident}.by.{link.claimed_by or len(links)}"
            if define(f, ident, m.line, "link"):
                links.append(link)

    if not headers and not problems:
        problems.append((None, "no timeline header found"))
    if headers:
        first = headers[0]
        for h in headers[1:]:
            if h.id != first.id:
                problems.append((h.loc, f"timeline id '{h.id}' differs from '{first.id}' at {first.loc}: "
                                        "all files of one timeline share its id"))
        title = _one(headers, "title", problems)
        base = _one(headers, "base", problems)
        description = _one(headers, "description", problems)
    if problems:
        raise TimelineError(problems)

    timeline = Timeline(first.id, title, base, description, actors, levers, events, links, tuple(names))
    _check_references(timeline, problems)
    if problems:
        raise TimelineError(problems)
    return timeline


def _one(headers: list[_Header], attr: str, problems: list):
    given = [(getattr(h, attr), h.loc) for h in headers if getattr(h, attr) is not None]
    for value, loc in given[1:]:
        if value != given[0][0]:
            problems.append((loc, f"timeline '{attr}' {value!r} differs from {given[0][0]!r} at {given[0][1]}"))
    return given[0][0] if given else None


def _check_references(t: Timeline, problems: list) -> None:
    def need(table, ident, loc, what, kind):
        if ident is not None and ident not in table:
            problems.append((loc, f"{what} refers to undefined {kind} '{ident}'"))

    for lever in t.levers.values():
        need(t.actors, lever.imposed_by, lever.loc, f"lever '{lever.id}' 'imposed_by'", "actor")
        need(t.actors, lever.target, lever.loc, f"lever '{lever.id}' 'target'", "actor")
    for e in t.events.values():
        for a in e.actors:
            need(t.actors, a, e.loc, f"event '{e.id}' 'actors'", "actor")
        for a in e.targets:
            need(t.actors, a, e.loc, f"event '{e.id}' 'targets'", "actor")
        need(t.levers, e.lever, e.loc, f"event '{e.id}' 'lever'", "lever")
    for link in t.links:
        need(t.events, link.cause, link.loc, f"link '{link.id}' 'cause'", "event")
        need(t.events, link.effect, link.loc, f"link '{link.id}' 'effect'", "event")
        need(t.actors, link.claimed_by, link.loc, f"link '{link.id}' 'claimed_by'", "actor")
        for a in link.disputed_by:
            need(t.actors, a, link.loc, f"link '{link.id}' 'disputed_by'", "actor")


BUNDLED = "us-mexico-2025"


def bundled_paths(name: str = BUNDLED) -> list[Path]:
    """The YAML files of a timeline shipped in events/data/, in reading order."""
    folder = resources.files("parley.events.data").joinpath(name)
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def read_bundled(name: str = BUNDLED) -> Timeline:
    paths = bundled_paths(name)
    return read_timeline(paths, display_names=[f"parley/events/data/{name}/{p.name}" for p in paths])
