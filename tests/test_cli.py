"""The `parley` command line: `build` (formats, --out, folders, the default timeline) and the shell around it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from parley import __version__
from parley.cli import main
from parley.events.read import read_timeline
from parley.graph.export import rdf_graph

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small.yaml"
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def small_graph():
    return rdf_graph(read_timeline([SMALL]))


def parse(text: str, fmt: str) -> Graph:
    if fmt == "trig":
        ds = Dataset()
        ds.parse(data=text, format="trig")
        return ds.graph(URIRef("https://example.org/small/graph"))
    return Graph().parse(data=text, format=RDFLIB_FORMATS[fmt])


def test_help_and_version():
    result = run("--help")
    assert result.exit_code == 0
    assert "build" in result.output and "validate" in result.output
    assert run("-h").output == result.output
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMATS))
def test_build_writes_each_format_to_stdout(small_graph, fmt):
    result = run("build", "--timeline", SMALL, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert isomorphic(parse(result.stdout, fmt), small_graph)


def test_build_defaults_to_turtle_on_stdout(small_graph):
    result = run("build", "--timeline", SMALL)
    assert result.exit_code == 0
    assert result.stdout.startswith("@prefix")
    assert isomorphic(Graph().parse(data=result.stdout, format="turtle"), small_graph)


def test_build_out_writes_the_file_and_nothing_on_stdout(tmp_path, small_graph):
    out = tmp_path / "small.ttl"
    result = run("build", "--timeline", SMALL, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert isomorphic(Graph().parse(out, format="turtle"), small_graph)
    assert [p.name for p in tmp_path.iterdir()] == ["small.ttl"]  # no temporary file left behind


def test_build_out_dash_is_stdout():
    assert run("build", "--timeline", SMALL, "--out", "-").stdout == run("build", "--timeline", SMALL).stdout


def test_bad_input_leaves_an_existing_output_untouched(tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("previous contents\n")
    result = run("build", "--timeline", DATA / "bad" / "impossible-date.yaml", "--out", out)
    assert result.exit_code == 2
    assert out.read_text() == "previous contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_a_folder_is_read_as_its_yaml_files_in_name_order(tmp_path, small_graph):
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = lines.index("events:\n")
    # b.yaml holds the header, a.yaml the events: name order must not matter to the result
    (tmp_path / "b.yaml").write_text("".join(lines[:cut]), encoding="utf-8")
    (tmp_path / "a.yaml").write_text("timeline: {id: small}\n" + "".join(lines[cut:]), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a timeline")
    result = run("build", "--timeline", tmp_path, "--format", "nt")
    assert result.exit_code == 0, result.output
    g = Graph().parse(data=result.stdout, format="nt")
    # same graph except where things were written (parley:definedAt names the files)
    assert len(g) == len(small_graph)
    defined_at = "<https://w3id.org/parley/ontology#definedAt>"
    assert f'<https://example.org/small/event/threat-1> {defined_at} "{tmp_path / "a.yaml"}:3" .' in result.stdout
    assert f'<https://example.org/small/actor/alice> {defined_at} "{tmp_path / "b.yaml"}:4" .' in result.stdout


def test_several_timeline_options_make_one_timeline(tmp_path):
    shutil.copy(SMALL, tmp_path / "small.yaml")
    (tmp_path / "more.yaml").write_text(
        "timeline: {id: small}\nevents:\n"
        "  - {id: call-9, date: 2025-05-01, type: call, actors: [alice, bob], summary: A call.}\n", encoding="utf-8")
    result = run("build", "--timeline", tmp_path / "small.yaml", "--timeline", tmp_path / "more.yaml", "--format", "nt")
    assert result.exit_code == 0, result.output
    assert "<https://example.org/small/event/call-9>" in result.stdout
    assert "<https://example.org/small/event/threat-1>" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--timeline", "{tmp}/missing.yaml"], "{tmp}/missing.yaml: no such file"),
    (["--timeline", "{tmp}"], "{tmp}: folder has no .yaml timeline files"),
    (["--timeline", str(SMALL), "--out", "{tmp}/no/such/folder/x.ttl"],
     "{tmp}/no/such/folder/x.ttl: folder {tmp}/no/such/folder does not exist"),
    (["--timeline", str(SMALL), "--out", "{tmp}"], "{tmp}: is a directory"),
    (["--timeline", str(SMALL), "--out", "{tmp}/new/"], "{tmp}/new/: names a folder, not a file; give a file name"),
    (["--timeline", str(SMALL), "--out", "{tmp}/new/."], "{tmp}/new/.: names a folder, not a file; give a file name"),
    (["--timeline", ""], "--timeline: an empty path"),
    (["--timeline", str(SMALL), "--out", ""], "--out: an empty path"),
])
def test_bad_paths_exit_2_with_a_message(tmp_path, args, message):
    result = run("build", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message.replace("{tmp}", str(tmp_path))]


@pytest.mark.parametrize("command", [["build"], ["audit"], ["view"], ["export", "--format", "graphml"]])
def test_an_output_that_is_also_an_input_is_refused(tmp_path, command):
    timeline = tmp_path / "t.yaml"
    shutil.copy(SMALL, timeline)
    result = run(*command, "--timeline", timeline, "--out", timeline)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{timeline}: is also an input of this command: write the output to "
                                          "another file"]
    assert timeline.read_bytes() == SMALL.read_bytes()
    link = tmp_path / "link.svg"  # through a symbolic link, and as --graph or --chart
    graph = tmp_path / "g.ttl"
    assert run("build", "--timeline", SMALL, "--out", graph).exit_code == 0
    link.symlink_to(graph)
    before = graph.read_bytes()
    result = run("audit", "--graph", graph, "--chart", link)
    assert result.exit_code == 2 and result.stderr.startswith(f"{link}: is also an input of this command")
    assert graph.read_bytes() == before
    rq = tmp_path / "q.rq"  # a query file
    rq.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    result = run("query", rq, "--timeline", SMALL, "--format", "csv", "--out", rq)
    assert result.exit_code == 2 and rq.read_text() == "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n"
    svg = tmp_path / "a.svg"  # one file as both the report and the chart
    result = run("audit", "--timeline", SMALL, "--out", svg, "--chart", svg)
    assert result.exit_code == 2 and result.stderr.startswith(f"{svg}: given as both --out and --chart")


def test_an_output_through_a_symbolic_link_replaces_the_file_it_names(tmp_path, small_graph):
    target, link = tmp_path / "target.ttl", tmp_path / "link.ttl"
    target.write_text("old\n")
    link.symlink_to(target)
    assert run("build", "--timeline", SMALL, "--out", link).exit_code == 0
    assert link.is_symlink() and isomorphic(parse(target.read_text(), "ttl"), small_graph)


def test_an_output_to_dev_stdout_is_standard_output(small_graph):
    """Not the file a shell's `> file` or `>> log` opened replaced by a rename."""
    result = run("build", "--timeline", SMALL, "--out", "/dev/stdout")
    assert result.exit_code == 0 and isomorphic(parse(result.stdout, "ttl"), small_graph)


def test_an_output_to_a_fifo_writes_into_it(tmp_path, small_graph):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("build", "--timeline", SMALL, "--out", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0
    assert fifo.is_fifo() and isomorphic(parse(received[0].decode(), "ttl"), small_graph)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("command", [["build"], ["audit"], ["view"], ["export", "--format", "csv"]])
def test_an_output_that_cannot_be_written_is_bad_input(command):
    out = "/proc/parley-cannot-write"  # even root cannot make a file there
    result = run(*command, "--timeline", SMALL, "--out", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{out}: cannot write: ")


def test_audit_of_a_graph_with_a_date_at_the_calendars_end_is_bad_input(tmp_path):
    """A graph (not read through the timeline reader) may hold any date; the audit's window arithmetic would
    overflow at the calendar's ends."""
    graph = tmp_path / "g.ttl"
    assert run("build", "--timeline", SMALL, "--out", graph).exit_code == 0
    graph.write_text(graph.read_text().replace('"2025-01-10"^^xsd:date', '"0001-01-01"^^xsd:date'))
    assert '"0001-01-01"' in graph.read_text()
    result = run("audit", "--graph", graph)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("the graph has '0001-01-01' where a date (YYYY-MM-DD, 1000-01-01 to 8999-12-31)")
    result = run("audit", "--timeline", SMALL, "--window", "36501")
    assert result.exit_code == 2 and "0<=x<=36500" in result.stderr


@pytest.mark.parametrize("old, new, message", [
    ('"2025-01-10"^^xsd:date', '"notadate"^^xsd:date', "the graph has 'notadate' where a date (YYYY-MM-DD) belongs"),
    ("parley:amount 5000.0", 'parley:amount "lots"', "the graph has 'lots' where a number belongs"),
    ("parley:amount 5000.0", 'parley:amount "INF"^^xsd:double', "the graph has 'INF' where a number belongs"),
])
def test_timeline_of_a_graph_with_an_ill_typed_value_is_bad_input(tmp_path, old, new, message):
    """Not a silently dropped event, a traceback, nor rdflib's logged traceback."""
    graph = tmp_path / "g.ttl"
    assert run("build", "--timeline", SMALL, "--out", graph).exit_code == 0
    assert old in graph.read_text()
    graph.write_text(graph.read_text().replace(old, new))
    result = run("timeline", "--graph", graph)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.lower().splitlines()[-1] == message.lower()  # (rdflib may write INF as inf)


def test_rdflib_s_warning_for_an_ill_typed_literal_is_one_line(tmp_path, caplog):
    """rdflib logs a traceback for a literal that is no value of its type; parley keeps one line of it."""
    import logging

    graph = tmp_path / "g.ttl"
    assert run("build", "--timeline", SMALL, "--out", graph).exit_code == 0
    graph.write_text(graph.read_text().replace('"2025-01-10"^^xsd:date', '"notadate"^^xsd:date'))
    with caplog.at_level(logging.WARNING, logger="rdflib.term"):
        assert run("analyze", "lags", "--graph", graph).exit_code == 0
    warned = [r for r in caplog.records if r.name == "rdflib.term"]
    assert warned and all(r.exc_info is None and r.getMessage().startswith("warning: the graph has a value that "
                                                                           "is no date") for r in warned)


def test_a_bad_graph_file_is_named_with_its_line(tmp_path):
    graph = tmp_path / "g.ttl"
    assert run("build", "--timeline", SMALL, "--out", graph).exit_code == 0
    lines = graph.read_text().splitlines()
    graph.write_text("\n".join(lines[:30] + ["x"] + lines[30:]) + "\n")
    result = run("timeline", "--graph", graph)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{graph}:31: not valid turtle: "
                                          "expected '.' or '}' or ']' at end of statement"]
    # a string the file's end cuts off: rdflib's error says no line; Oxigraph's parser does
    cut = tmp_path / "cut.ttl"
    cut.write_text('@prefix ex: <http://example.org/> .\n<relative> ex:b "ok" .\nex:a ex:b "never closed',
                   encoding="utf-8")
    result = run("timeline", "--graph", cut)
    assert result.exit_code == 2 and result.stderr.startswith(f"{cut}:3:") and "not valid turtle" in result.stderr
    # a statement the file's end cuts short: rdflib counts lines past the end; the last line is reported
    short = tmp_path / "short.ttl"
    short.write_text("@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b\n", encoding="utf-8")
    assert run("timeline", "--graph", short).stderr == f"{short}:3: not valid turtle: objectList expected\n"
    bad = tmp_path / "g.jsonld"
    bad.write_text('{\n  "@id": }\n')
    assert run("timeline", "--graph", bad).stderr.startswith(f"{bad}:2:10: not valid json-ld: ")
    bad = tmp_path / "g.rdf"
    bad.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n</x>\n')
    assert run("timeline", "--graph", bad).stderr.startswith(f"{bad}:3:2: not valid xml: ")
    # the line-based formats: rdflib's parser does not say where; the line and column come from Oxigraph's
    bad = tmp_path / "g.nt"
    bad.write_text('<http://example.org/a> <http://example.org/b> "c" .\n<http://example.org/a> <b> "c" .\n')
    result = run("timeline", "--graph", bad)
    assert result.exit_code == 2 and result.stderr.startswith(f"{bad}:2:24: not valid nt: ")
    bad = tmp_path / "g.nq"
    bad.write_text('<http://example.org/a> <http://example.org/b> "c" <http://example.org/g> .\n\n<a> .\n')
    result = run("timeline", "--graph", bad)
    assert result.exit_code == 2 and result.stderr.startswith(f"{bad}:3:1: not valid nquads: ")
    # a statement without its final dot: at the end of its own line, not where the next one starts
    bad = tmp_path / "nodot.nt"
    bad.write_text('<http://example.org/a> <http://example.org/b> "c"\n\n<http://example.org/a> <http://example.org/b> "d" .\n')
    result = run("timeline", "--graph", bad)
    assert result.stderr.splitlines() == [f"{bad}:1:50: not valid nt: the statement does not end with ' .'"]
    # a line rdflib refuses and Oxigraph takes: rdflib's line, found by the rest of the line it quotes
    bad = tmp_path / "lang.nt"
    bad.write_text('<http://example.org/a> <http://example.org/b> "c" .\n<http://example.org/a> <http://example.org/b> '
                   '"x"@en--ltr .\n')
    result = run("timeline", "--graph", bad)
    assert result.exit_code == 2 and result.stderr.startswith(f"{bad}:2: not valid nt: ")
    (tmp_path / "folder.ttl").mkdir()
    result = run("timeline", "--graph", tmp_path / "folder.ttl")
    assert result.exit_code == 2 and result.stderr.splitlines() == [f"{tmp_path / 'folder.ttl'}: is a directory "
                                                                     "(give an RDF file)"]


def test_a_folder_s_timeline_files_are_found_whatever_the_case_of_their_suffix(tmp_path):
    shutil.copy(SMALL, tmp_path / "a.YAML")
    assert run("build", "--timeline", tmp_path).exit_code == 0


def test_a_syntax_error_in_a_query_file_is_named_with_its_line_and_column(tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("# a question\nSELECT ?s WHERE { ?s ?p ?o } LIMIT x\n")
    result = run("query", rq, "--timeline", SMALL)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{rq}:2:36: expected one of ")
    rq.write_text("# a question\n# param from: date?\nSELECT ?e WHERE {\n  ?e ?p ?d\n} LIMIT x\n")
    result = run("query", rq, "--param", "from=2025-01-01", "--timeline", SMALL)  # a VALUES block put in
    assert result.exit_code == 2 and result.stderr.startswith(f"{rq}:5:9: expected one of ")


def test_a_query_asked_from_a_day_after_its_to_is_bad_input():
    """Not an empty answer that reads as "nothing happened"."""
    result = run("query", "actor-events", "--param", "actor=alice", "--param", "from=2025-03-01",
                 "--param", "to=2025-01-01", "--timeline", SMALL)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["actor-events: 'from' 2025-03-01 is after 'to' 2025-01-01"]


def test_unknown_format_is_a_usage_error():
    result = run("build", "--timeline", SMALL, "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_build_without_timeline_uses_the_bundled_one():
    from parley.events.read import bundled_paths

    if not bundled_paths():
        pytest.skip("the bundled timeline has not landed yet")
    result = run("build", "--format", "nt")
    assert result.exit_code == 0, result.output
    assert "<https://w3id.org/parley/timeline/us-mexico-2025/>" in result.stdout
    assert "parley/events/data/us-mexico-2025/" in result.stdout


def _help_examples():
    """Each example in the commands' --help that runs on the bundled timeline as written: none that needs a
    file or store of the reader's own, opens a browser or goes through a shell pipe."""
    import re
    import shlex

    from parley import cli

    text = Path(cli.__file__).read_text(encoding="utf-8")
    for line in re.findall(r"^    parley (.+)$", text, re.M):
        words = shlex.split(line.split(" | ")[0].split(" > ")[0])
        if any(w in ("--open", "--store", "--graph", "--timeline") or w.endswith(".rq") for w in words):
            continue
        yield words


@pytest.mark.parametrize("words", list(_help_examples()), ids=" ".join)
def test_every_help_example_runs_on_the_bundled_timeline(words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples write out/view.html, network/ and the like
    (tmp_path / "out").mkdir()
    result = run(*words)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [["view"], ["audit"], ["export", "--format", "graphml"], ["query", "lever-state",
                                     "--param", "lever=duty", "--param", "date=2025-02-01"]])
def test_an_output_named_as_a_missing_folder_writes_nothing(tmp_path, command):
    result = run(*command, "--timeline", SMALL, "--out", f"{tmp_path}/new/")
    assert result.exit_code == 2 and "names a folder, not a file" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_audit_whose_out_cannot_be_written_leaves_no_chart(tmp_path):
    chart = tmp_path / "c.svg"
    result = run("audit", "--timeline", SMALL, "--format", "html", "--out", f"{tmp_path}/no/a.html", "--chart", chart)
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not chart.exists()
    afile = tmp_path / "afile"  # a file where the folder should be
    afile.write_text("x")
    result = run("audit", "--timeline", SMALL, "--format", "html", "--out", afile / "a.html", "--chart", chart)
    assert result.exit_code == 2 and result.stderr == f"{afile / 'a.html'}: cannot write: {afile} is not a folder\n"
    assert not chart.exists()
    result = run("audit", "--timeline", SMALL, "--chart", f"{tmp_path}/ch/")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("the chart is written as .png or .svg: give a file name that ends in one of them")


@pytest.mark.parametrize("command, message", [
    (["state", "duty", "0999-12-31"], "DATE: 0999-12-31 is outside the dates parley takes (1000-01-01 to 8999-12-31)"),
    (["timeline", "--to", "9000-01-01"], "--to: 9000-01-01 is outside the dates parley takes"),
    (["view", "--from", "0001-01-01", "--out", "-"], "--from: 0001-01-01 is outside the dates parley takes"),
    (["query", "lever-state", "--param", "lever=duty", "--param", "date=0999-01-01"],
     "parameter 'date': 0999-01-01 is outside the dates parley takes"),
])
def test_option_dates_are_in_the_range_timelines_take(command, message):
    result = run(*command, "--timeline", SMALL)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_values_with_line_breaks_stay_on_their_line_and_markdown_keeps_backslashes(tmp_path):
    text = SMALL.read_text(encoding="utf-8").replace(
        "summary: Alice threatens a 20% duty on all Bordurian goods.",
        'summary: "Relief granted\\rUNEXPLAINED\\nsecond line, a\\\\|b"')
    assert "UNEXPLAINED" in text
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    out = run("timeline", "--timeline", path).stdout
    [line] = [x for x in out.splitlines() if "UNEXPLAINED" in x]
    assert "\r" not in out and "Relief granted UNEXPLAINED second line" in line
    md = run("timeline", "--timeline", path, "--format", "md").stdout
    assert "a\\\\\\|b" in md  # the backslash escaped, then the pipe: it renders as a\|b, in one cell


def test_an_empty_chart_path_is_bad_input():
    result = run("audit", "--timeline", SMALL, "--chart", "")
    assert result.exit_code == 2 and result.stderr.strip() == "--chart: an empty path"


def test_a_file_given_twice_is_read_once(tmp_path):
    folder = tmp_path / "tl"
    folder.mkdir()
    (folder / "small.yaml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    once = run("timeline", "--timeline", folder, "--format", "json")
    twice = run("timeline", "--timeline", folder, "--timeline", folder / "small.yaml", "--timeline",
                f"{folder}/../tl/small.yaml", "--format", "json")
    assert once.exit_code == twice.exit_code == 0 and twice.stdout == once.stdout


@pytest.mark.parametrize("other, message", [
    (["--timeline", str(SMALL)], "give either --graph or --timeline, not both"),
    (["--store", "oxigraph:{tmp}/kg"], "give either --graph or --store, not both"),
])
def test_a_graph_file_with_another_source_is_refused(tmp_path, other, message):
    ttl = tmp_path / "g.ttl"
    ttl.write_text("", encoding="utf-8")
    result = run("timeline", "--graph", str(ttl), *[a.replace("{tmp}", str(tmp_path)) for a in other])
    assert result.exit_code == 2 and result.stderr.splitlines() == [message]


@pytest.mark.parametrize("command", [
    ["timeline"], ["timeline", "--format", "md"], ["audit"], ["audit", "--format", "md"], ["state", "--all"],
    ["query", "timeline-events"], ["analyze", "centrality", "--kind", "actor"], ["analyze", "lags"],
    ["analyze", "centrality"], ["state", "--all", "--format", "md"],
])
def test_control_characters_from_a_graph_never_reach_the_terminal(tmp_path, command):
    # YAML refuses control characters, but a graph file or a store may hold them: an escape sequence in a
    # summary or a name would set the terminal's title or colours; it is shown as \x1b instead
    ttl = run("build", "--timeline", str(SMALL)).stdout
    ttl = ttl.replace('dcterms:description "', 'dcterms:description "\\u001b]0;pwn\\u0007 ')
    ttl = ttl.replace('rdfs:label "', 'rdfs:label "\\u001b[31m').replace('parley:evidence "', 'parley:evidence "\\u001b[2J')
    ttl = ttl.replace('dcterms:identifier "', 'dcterms:identifier "\\u0001')
    assert ttl.count("\\u001b") > 5
    path = tmp_path / "g.ttl"
    path.write_text(ttl, encoding="utf-8")
    result = run(*command, "--graph", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x01" not in result.stdout
    if command != ["analyze", "lags"]:  # (which shows no names)
        assert "\\x1b" in result.stdout or "\\x01" in result.stdout


def test_ctrl_c_exits_130_saying_so_and_writes_nothing(tmp_path, monkeypatch):
    import parley.graph.audit

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(parley.graph.audit, "audit", interrupted)
    out = tmp_path / "a.json"
    result = run("audit", "--format", "json", "--out", str(out))
    assert (result.exit_code, result.stderr) == (130, "parley: interrupted\n")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_export_csv_into_an_empty_path_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "--timeline", str(SMALL), "--format", "csv", "--out", "")
    assert result.exit_code == 2 and result.stderr == "--out: an empty path\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["timeline"], ["state", "--all"], ["audit"], ["view", "--out", "-"]])
def test_a_graph_date_outside_the_years_parley_takes_is_bad_input_everywhere(tmp_path, command):
    ttl = run("build", "--timeline", str(SMALL)).stdout.replace('"2025-01-10"^^xsd:date', '"9500-01-10"^^xsd:date')
    assert "9500-01-10" in ttl
    path = tmp_path / "g.ttl"
    path.write_text(ttl, encoding="utf-8")
    result = run(*command, "--graph", str(path))
    assert result.exit_code == 2 and "9500-01-10" in result.stderr and "Traceback" not in result.output
