"""The malformed-timeline corpus (tests/data/bad/): each file gives exact `file:line: message` lines and exit 2.

Every file is a small valid timeline with one thing wrong, so each case pins one check of the reader.
The table is the contract: a change of wording or line shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from parley.cli import main
from parley.events.model import Loc
from parley.events.read import TimelineError, read_timeline

BAD = Path(__file__).parent / "data" / "bad"

EVENT_KEYS = ("id, date, type, summary, actors, targets, lever, rate, scope, effective, until, quantity, promises, "
              "sources, note, outcome, since, totals")
EVENT_TYPES = ("call, visit, meeting, statement, threat, tariff-imposition, tariff-increase, tariff-reduction, "
               "reprieve, exemption, extension, agreement, commitment, troop-deployment, lab-raid, seizure, arrest, "
               "extradition, designation, statistic, ruling, countermeasure")
RELATIONS = "causes, enables, prevents, in-response-to, in-exchange-for, conditional-on, delivered-by"
DATE_FORMS = "; or YYYY-MM, or {from: YYYY-MM-DD, to: YYYY-MM-DD}"
BAD_ID = "is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)"
TOP = "the top level must be a mapping with 'timeline' and 'events'"
# The reader uses libyaml's parser when PyYAML has it; its syntax errors are worded differently.
NOT_YAML = ("did not find expected ',' or ']'" if yaml.__with_libyaml__ else "expected ',' or ']', but got ':'")

# name -> (files, [(file index, line, message), ...]); the line None means the message names the file itself.
CASES = {
    # unknown keys, at every level
    "unknown-key-top": (["unknown-key-top"], [
        (0, 21, "unknown key 'link' at the top level (expected one of: timeline, actors, levers, events, links)")]),
    "unknown-key-timeline": (["unknown-key-timeline"], [
        (0, 1, "unknown key 'author' in timeline (expected one of: id, title, base, description)")]),
    "unknown-key-event": (["unknown-key-event"], [
        (0, 13, f"unknown key 'sumary' in event (expected one of: {EVENT_KEYS})"),
        (0, 8, "event is missing required key 'summary'")]),
    "unknown-key-link": (["unknown-key-link"], [
        (0, 26, "unknown key 'confidance' in link (expected one of: id, cause, effect, relation, claimed_by, "
                "confidence, evidence, sources, disputed_by)")]),
    "unknown-key-actor": (["unknown-key-actor"], [
        (0, 3, "unknown key 'nationality' in actor (expected one of: id, name, kind, country, role, wikidata, note)")]),
    "unknown-key-lever": (["unknown-key-lever"], [
        (0, 6, "unknown key 'rate' in lever (expected one of: id, kind, name, imposed_by, target, legal_basis, "
               "scope, note, sources)")]),
    "unknown-key-source": (["unknown-key-source"], [
        (0, 14, "unknown key 'author' in event 'e1' source (expected one of: url, title, publisher, date)")]),
    # closed vocabularies
    "unknown-event-type": (["unknown-event-type"], [
        (0, 10, f"event 'e1' 'type': unknown value 'tariff' (expected one of: {EVENT_TYPES})")]),
    "unknown-relation": (["unknown-relation"], [
        (0, 24, f"link 'relation': unknown value 'caused' (expected one of: {RELATIONS})")]),
    # dates
    "malformed-date": (["malformed-date"], [
        (0, 9, f"event 'e1' 'date': '2025/01/05' is not a date (expected YYYY-MM-DD){DATE_FORMS}")]),
    "impossible-date": (["impossible-date"], [
        (0, 9, f"event 'e1' 'date': '2025-02-30' is not a real calendar date{DATE_FORMS}")]),
    "impossible-month": (["impossible-month"], [(0, 9, "event 'e1' 'date': '2025-13' is not a real month")]),
    "year-zero-month": (["year-zero-month"], [(0, 9, "event 'e1' 'date': '0000-01' is not a real month")]),
    "explicit-tag-bad-date": (["explicit-tag-bad-date"], [
        (0, 9, "cannot read '2025-02-30' as tag:yaml.org,2002:timestamp: day is out of range for month")]),
    "range-reversed": (["range-reversed"], [(0, 9, "event 'e1' 'date': 'to' 2025-01-01 is before 'from' 2025-01-05")]),
    "range-extra-key": (["range-extra-key"], [
        (0, 9, "event 'e1' 'date': an uncertain date needs exactly 'from' and 'to' (got: from, to, on)")]),
    "until-before-date": (["until-before-date"], [
        (0, 20, "event 'e2' 'until' 2025-01-01 is not after its date 2025-01-10")]),
    "effective-before-date": (["effective-before-date"], [
        (0, 20, "event 'e2' 'effective' 2025-01-09 is before its date 2025-01-10")]),
    # required fields
    "missing-summary": (["missing-summary"], [(0, 8, "event is missing required key 'summary'")]),
    "blank-summary": (["blank-summary"], [(0, 8, "event is missing required key 'summary'")]),
    "missing-actors": (["missing-actors"], [(0, 8, "event is missing required key 'actors'")]),
    "empty-actors": (["empty-actors"], [(0, 11, "event 'e1' 'actors' must name at least one actor")]),
    "missing-cause": (["missing-cause"], [(0, 22, "link is missing required key 'cause'")]),
    "no-header": (["no-header"], [(0, 1, "missing required key 'timeline' (the header: {id: ..., title: ...})")]),
    # ids
    "duplicate-event-id": (["duplicate-event-id"], [
        (0, 14, "duplicate id 'e1' (event; first defined at {0}:8)")]),
    "duplicate-id-event-actor": (["duplicate-id-event-actor"], [
        (0, 8, "duplicate id 'alice' (event; first defined at {0}:3)")]),
    "invalid-id-space": (["invalid-id-space"], [(0, 14, f"event 'id': 'tariff imposed' {BAD_ID}")]),
    "invalid-id-iri": (["invalid-id-iri"], [(0, 14, f"event 'id': 'e<2>' {BAD_ID}")]),
    "id-read-as-number": (["id-read-as-number"], [
        (0, 14, "event 'id': YAML read this id as a number (1.5): quote it to keep it as written")]),
    "control-character": (["control-character"], [
        (0, 13, "not valid YAML: character U+0007 is not allowed (a control character)")]),
    "timeline-id-differs": (["timeline-id-differs-1", "timeline-id-differs-2"], [
        (1, 1, "timeline id 'worse' differs from 'bad' at {0}:1: all files of one timeline share its id")]),
    "bad-base": (["bad-base"], [
        (0, 1, "timeline 'base': 'https://example.org/%zz/' is not a valid absolute IRI ending in '/' or '#'")]),
    "base-not-absolute": (["base-not-absolute"], [
        (0, 1, "timeline 'base': 'example.org/bad/' is not a valid absolute IRI ending in '/' or '#'")]),
    # references (checked once everything else is clean)
    "undefined-actor": (["undefined-actor"], [(0, 14, "event 'e2' 'actors' refers to undefined actor 'alicia'")]),
    "undefined-lever": (["undefined-lever"], [(0, 8, "event 'e1' 'lever' refers to undefined lever 'dutty'")]),
    "undefined-event": (["undefined-event"], [(0, 22, "link 'e1.causes.e3' 'effect' refers to undefined event 'e3'")]),
    "undefined-claimant": (["undefined-claimant"], [
        (0, 22, "link 'e1.causes.e2' 'claimed_by' refers to undefined actor 'bob'")]),
    # numbers
    "confidence-out-of-range": (["confidence-out-of-range"], [
        (0, 26, "link 'confidence': 1.5 is neither low, medium or high nor a number in [0, 1]")]),
    "confidence-word": (["confidence-word"], [
        (0, 26, "link 'confidence': 'certain' is neither low, medium or high nor a number in [0, 1]")]),
    "negative-quantity": (["negative-quantity"], [(0, 20, "event 'e2' quantity 'troops': -5 is outside [0, inf]")]),
    "infinite-quantity": (["infinite-quantity"], [(0, 20, "event 'e2' quantity 'troops': inf is not a finite number")]),
    "rate-out-of-range": (["rate-out-of-range"], [(0, 19, "event 'e2' 'rate': 2500 is outside [0, 1000]")]),
    "rate-not-number": (["rate-not-number"], [(0, 19, "event 'e2' 'rate': 'twenty' is not a number")]),
    # other field rules
    "promises-non-commitment": (["promises-non-commitment"], [
        (0, 20, "event 'e2' 'promises': only a commitment promises (type is tariff-imposition)")]),
    "source-not-http": (["source-not-http"], [(0, 14, "source 'url': 'ftp://example.org/1' is not an http(s) URL")]),
    "source-bad-character": (["source-bad-character"], [
        (0, 14, "source 'url': 'https://example.org/a\"b' holds '\"', which a URL may not (percent-encode it)")]),
    # shapes of the file
    "scalar-for-list": (["scalar-for-list"], [(0, 14, "event 'e1' 'sources' must be a list of sources, not a number")]),
    "events-not-a-list": (["events-not-a-list"], [(0, 7, "'events' must be a list, not text")]),
    "duplicate-yaml-key": (["duplicate-yaml-key"], [(0, 13, "duplicate key 'type'")]),
    "not-yaml": (["not-yaml"], [
        (0, 18, f"not valid YAML: {NOT_YAML} (while parsing a flow sequence at line 17)")]),
    "not-utf8": (["not-utf8"], [(0, 13, "not UTF-8 text (byte 0xe9)")]),
    "empty": (["empty"], [(0, 1, "empty file: expected a mapping with 'timeline' and 'events'")]),
    "comment-only": (["comment-only"], [(0, 1, "empty file: expected a mapping with 'timeline' and 'events'")]),
    "top-level-list": (["top-level-list"], [(0, 1, f"{TOP}, not a list")]),
    "top-level-scalar": (["top-level-scalar"], [(0, 1, f"{TOP}, not text")]),
    "two-documents": (["two-documents"], [
        (0, 1, "more than one YAML document: put one timeline document in each file")]),
    "no-such-file": (["no-such-file"], [(0, None, "no such file")]),
}


def _paths(case: str) -> list[Path]:
    return [BAD / f"{name}.yaml" for name in CASES[case][0]]


def _expected(case: str) -> list[tuple[Loc | None, str]]:
    paths = [str(p) for p in _paths(case)]
    out = []
    for index, line, message in CASES[case][1]:
        for i, path in enumerate(paths):  # {i} stands for the i-th file's path
            message = message.replace(f"{{{i}}}", path)
        out.append((Loc(paths[index], line), message) if line else (None, f"{paths[index]}: {message}"))
    return out


def _lines(problems) -> list[str]:
    return [f"{loc}: {msg}" if loc else msg for loc, msg in problems]


def test_corpus_and_table_agree():
    on_disk = {p.stem for p in BAD.glob("*.yaml")}
    in_table = {name for files, _ in CASES.values() for name in files} - {"no-such-file"}
    assert on_disk == in_table
    assert not (BAD / "no-such-file.yaml").exists()
    assert len(on_disk) >= 25


@pytest.mark.parametrize("case", sorted(CASES))
def test_reader_reports_file_line_and_message(case):
    with pytest.raises(TimelineError) as info:
        read_timeline(_paths(case))
    assert info.value.problems == _expected(case)


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_prints_problems_and_exits_2(case, command):
    if command == "validate":
        pytest.importorskip("parley.graph.validate", reason="graph/validate.py has not landed yet")
    args = [command]
    for p in _paths(case):
        args += ["--timeline", str(p)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == _lines(_expected(case))
    assert "Traceback" not in result.output


def test_an_end_before_the_event_takes_effect_is_refused(tmp_path):
    from parley.events.read import TimelineError, read_timeline

    p = tmp_path / "t.yaml"
    p.write_text("timeline: {id: t}\nactors:\n  - {id: a, name: A, kind: government}\nevents:\n"
                 "  - {id: e, date: 2025-05-01, type: tariff-imposition, actors: [a], summary: s,\n"
                 "     effective: 2025-05-15, until: 2025-05-10}\n", encoding="utf-8")
    with pytest.raises(TimelineError) as e:
        read_timeline([p])
    assert e.value.lines() == [f"{p}:6: event 'e' 'until' 2025-05-10 is not after its 'effective' 2025-05-15"]  # the line of until
    # a state that would end the day it takes effect never holds: refused too
    p.write_text(p.read_text(encoding="utf-8").replace("until: 2025-05-10", "until: 2025-05-15"), encoding="utf-8")
    with pytest.raises(TimelineError) as e:
        read_timeline([p])
    assert e.value.lines() == [f"{p}:6: event 'e' 'until' 2025-05-15 is not after its 'effective' 2025-05-15"]
