"""validate(): SHACL on the graph and the model checks, each finding with its code, id and file:line."""

import json
import textwrap
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns

from parley.events.read import read_timeline
from parley.graph.build import build_graph
from parley.graph.validate import Report, validate
from parley.ontology.namespace import PARLEY, PROV, SEM, bind_prefixes

DATA = Path(__file__).parent / "data"

HEADER = """\
timeline: {id: t, base: "https://example.org/t/"}
actors:
  - {id: a, name: Aland, kind: government}
  - {id: b, name: Borduria, kind: government}
levers:
  - {id: duty, kind: tariff, name: Duty, imposed_by: a, target: b}
"""


def write(tmp_path, body: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def only(report: Report, code: str):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, report.to_text()
    return found[0]


def test_the_small_timeline_is_clean():
    report = validate(read_timeline([DATA / "small.yaml"]))
    assert report.ok, report.to_text()
    assert report.findings == []
    assert report.to_dict()["ok"] is True
    assert report.to_text().splitlines() == ["small: ok, no findings"]


def test_a_graph_on_oxigraph_is_clean_too():
    # Oxigraph hands back plain strings as "day"^^xsd:string; the shapes must not mind.
    timeline = read_timeline([DATA / "small.yaml"])
    report = validate(timeline, graph=build_graph(timeline))
    assert report.ok, report.to_text()


def test_anachronism(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: early, date: 2025-01-01, type: reprieve, lever: duty, actors: [a], summary: Pause.}
          - {id: late, date: 2025-02-01, type: threat, lever: duty, actors: [a], summary: Threat.}
        links:
          - {cause: late, effect: early, relation: causes, sources: [{url: "https://example.org/1"}]}
        """)
    report = validate(read_timeline([path]))
    f = only(report, "anachronism")
    assert (f.severity, f.id) == ("violation", "late.causes.early")
    assert str(f.loc) == f"{path}:{line_of(path, 'cause: late')}"
    assert "'early' (2025-01-01) is dated before its cause 'late' (2025-02-01)" in f.message
    assert not report.ok


def test_uncertain_dates_that_may_overlap_are_no_anachronism(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: cause, date: 2025-02-10, type: threat, lever: duty, actors: [a], summary: Threat.}
          - {id: effect, date: 2025-02, type: reprieve, lever: duty, actors: [a], summary: Pause sometime in February.}
        links:
          - {cause: cause, effect: effect, relation: causes, sources: [{url: "https://example.org/1"}]}
        """)
    assert validate(read_timeline([path])).ok


def test_cycle(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: x, date: 2025-01-01, type: threat, lever: duty, actors: [a], summary: Threat.}
          - {id: y, date: 2025-01-01, type: statement, actors: [b], summary: Reply.}
          - {id: z, date: 2025-01-01, type: statement, actors: [a], summary: Answer.}
        links:
          - {id: first, cause: x, effect: y, relation: causes, sources: [{url: "https://example.org/1"}]}
          - {id: second, cause: y, effect: z, relation: in-response-to, sources: [{url: "https://example.org/2"}]}
          - {id: third, cause: z, effect: x, relation: enables, sources: [{url: "https://example.org/3"}]}
        """)
    report = validate(read_timeline([path]))
    f = only(report, "cycle")
    assert (f.severity, f.id) == ("violation", "first")
    assert str(f.loc) == f"{path}:{line_of(path, 'id: first')}"
    assert "x -> y -> z -> x" in f.message
    assert "claims: first, second, third" in f.message


def test_relief_without_lever(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: pause, date: 2025-01-01, type: reprieve, actors: [a], summary: A pause of nothing in particular.}
          - {id: fine, date: 2025-01-02, type: extension, lever: duty, actors: [a], summary: Longer pause.}
        """)
    report = validate(read_timeline([path]))
    f = only(report, "relief-without-lever")
    assert (f.severity, f.id) == ("warning", "pause")
    assert str(f.loc) == f"{path}:{line_of(path, 'id: pause')}"
    assert report.findings == [f]


def test_commitment_without_promise(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: vague, date: 2025-01-01, type: commitment, actors: [b], summary: B promises to do better.}
          - {id: clear, date: 2025-01-02, type: commitment, promises: arrest, actors: [b], summary: B promises arrests.}
        """)
    report = validate(read_timeline([path]))
    f = only(report, "commitment-without-promise")
    assert (f.severity, f.id) == ("warning", "vague")
    assert str(f.loc) == f"{path}:{line_of(path, 'id: vague')}"


def test_delivery_of_no_commitment(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: threat, date: 2025-01-01, type: threat, lever: duty, actors: [a], summary: Threat.}
          - {id: pledge, date: 2025-01-02, type: commitment, promises: arrest, actors: [b], summary: B promises arrests.}
          - {id: raid, date: 2025-01-05, type: arrest, actors: [b], summary: Arrests.}
        links:
          - {cause: threat, effect: raid, relation: delivered-by, sources: [{url: "https://example.org/1"}]}
          - {cause: pledge, effect: raid, relation: delivered-by, sources: [{url: "https://example.org/2"}]}
        """)
    report = validate(read_timeline([path]))
    f = only(report, "delivery-of-no-commitment")
    assert (f.severity, f.id) == ("warning", "threat.delivered-by.raid")
    assert str(f.loc) == f"{path}:{line_of(path, 'cause: threat')}"
    assert "'threat' is a threat, so the audit counts this as no delivery" in f.message


def small_graph():
    timeline = read_timeline([DATA / "small.yaml"])
    g = Graph()
    bind_prefixes(g)
    build_graph(timeline, graph=g)
    return timeline, g


def test_shacl_claim_without_sources():
    timeline, g = small_graph()
    claim = URIRef("https://example.org/small/claim/stats-to-exempt")
    g.remove((claim, PROV.hadPrimarySource, None))
    report = validate(timeline, graph=g)
    f = only(report, "shacl")
    assert (f.severity, f.id) == ("violation", "stats-to-exempt")
    assert str(f.loc) == f"{DATA / 'small.yaml'}:{line_of(DATA / 'small.yaml', 'id: stats-to-exempt')}"
    assert "source" in f.message


def test_shacl_wrong_date_datatype_and_rate_out_of_range():
    timeline, g = small_graph()
    event = URIRef("https://example.org/small/event/threat-1")
    g.set((event, SEM.hasLatestBeginTimeStamp, Literal("2025-01-05T00:00:00", datatype=rdfns.XSD.dateTime)))
    g.set((event, PARLEY.rate, Literal("2000", datatype=rdfns.XSD.decimal)))
    report = validate(timeline, graph=g)
    assert {f.code for f in report.findings} == {"shacl"}
    assert {f.id for f in report.findings} == {"threat-1"}
    line = line_of(DATA / "small.yaml", "id: threat-1")
    assert all(f.loc.line == line for f in report.findings)
    messages = " | ".join(f.message for f in report.findings)
    assert "sem:hasLatestBeginTimeStamp is an xsd:date" in messages
    assert "[0, 1000]" in messages


def test_shacl_results_on_parts_map_to_their_event():
    timeline, g = small_graph()
    quantity = URIRef("https://example.org/small/event/raid-1/quantity/labs")
    outcome = URIRef("https://example.org/small/outcome/impose-1")
    g.set((quantity, PARLEY.amount, Literal("-3", datatype=rdfns.XSD.decimal)))
    g.set((outcome, PARLEY.status, Literal("frozen")))
    report = validate(timeline, graph=g)
    assert sorted(f.id for f in report.findings) == ["impose-1", "raid-1"]
    assert all(f.code == "shacl" and f.loc is not None for f in report.findings)


def test_a_given_graph_is_not_changed():
    timeline, g = small_graph()
    before = len(g)
    validate(timeline, graph=g)
    assert len(g) == before


def test_renderings(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: pause, date: 2025-01-01, type: reprieve, actors: [a], summary: Pause.}
          - {id: vague, date: 2025-01-02, type: commitment, actors: [b], summary: Promise.}
        """)
    report = validate(read_timeline([path]))
    lines = report.to_text().splitlines()
    assert lines == [
        f"{path}:{line_of(path, 'id: pause')}: relief-without-lever: pause: "
        "reprieve does not name the lever it relieves (add 'lever:')",
        f"{path}:{line_of(path, 'id: vague')}: commitment-without-promise: vague: "
        "commitment does not say what it promises (add 'promises:' with an event type)",
        "t: 2 findings (2 warnings)",
    ]
    data = json.loads(report.to_json())
    assert data == report.to_dict()
    assert data["ok"] is False and data["warnings"] == 2 and data["violations"] == 0
    assert data["findings"][0] == {"severity": "warning", "code": "relief-without-lever", "id": "pause",
                                   "file": str(path), "line": line_of(path, "id: pause"),
                                   "message": "reprieve does not name the lever it relieves (add 'lever:')"}


def test_findings_are_sorted_by_file_and_line(tmp_path):
    path = write(tmp_path, """\
        events:
          - {id: p, date: 2025-03-01, type: commitment, actors: [b], summary: Promise.}
          - {id: q, date: 2025-01-01, type: extension, actors: [a], summary: Earlier.}
        links:
          - {cause: p, effect: q, relation: delivered-by, sources: [{url: "https://example.org/1"}]}
        """)
    report = validate(read_timeline([path]))
    assert [f.code for f in report.findings] == ["commitment-without-promise", "relief-without-lever", "anachronism"]
    assert [f.loc.line for f in report.findings] == sorted(f.loc.line for f in report.findings)


def test_shacl_a_span_whose_upper_end_is_not_above_its_figure():
    timeline, g = small_graph()
    quantity = URIRef("https://example.org/small/event/raid-1/quantity/labs")  # 3 labs
    g.set((quantity, PARLEY.maxAmount, Literal("5", datatype=rdfns.XSD.decimal)))
    assert validate(timeline, graph=g).findings == []
    g.set((quantity, PARLEY.maxAmount, Literal("3", datatype=rdfns.XSD.decimal)))
    f = only(validate(timeline, graph=g), "shacl")
    assert f.id == "raid-1" and "below its parley:maxAmount" in f.message
