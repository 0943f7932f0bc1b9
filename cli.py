"""The `parley` command: parses options, calls one library function, renders its result.

Exit codes: 0 success; 1 the check ran and found problems; 2 bad input or usage; 130 interrupted (Ctrl-C).
Heavy modules (pyshacl, pyvis, matplotlib, networkx, the graph code) are imported inside the commands.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

import click

from . import __version__


class BadInput(click.ClickException):
    """Bad input: print the message (already `file:line: ...`) and exit 2, never a traceback."""

    exit_code = 2

    def show(self, file=None):
        click.echo(self.format_message(), err=True)


def fail(message: str):
    raise BadInput(message)


def shown(text: str) -> str:
    """Text and Markdown for a reader: a control character read from a graph or a store (a terminal escape
    sequence) shown as \\xNN, never obeyed. (Machine formats, JSON, CSV and RDF, keep the data as it is.)"""
    from .graph.query import shown as escaped

    return escaped(text)


class Interrupted(click.ClickException):
    """Ctrl-C: say so and exit 130 (128 + SIGINT, as shells report it), whatever the command was doing; not
    click's "Aborted!" and exit 1, which parley means as "the check found problems"."""

    exit_code = 130

    def __init__(self):
        super().__init__("interrupted")

    def show(self, file=None):
        click.echo("parley: interrupted", err=True)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None


def write_output(text: str | bytes, out: str | None) -> None:
    """Write to stdout for '-' or None, else to a file through a temporary file and a rename."""
    if out in (None, "-", *_STDOUT):
        # (/dev/stdout through a shell's `> file` or `>> log` would be that file replaced, not written to)
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=not text.endswith("\n"))
        return
    write_file(out, text)


_STDOUT = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def check_output(path: str | Path) -> Path:
    """`path` as a file this command may write, or exit 2 (before anything is written: a command that writes
    two files checks both first)."""
    given = str(path)
    if not given.strip():  # Path("") is the current folder
        fail("--out: an empty path")
    path = Path(path)
    if path.is_dir():
        fail(f"{given}: is a directory")
    if given.endswith(("/", os.sep)) or os.path.basename(given) in (".", ".."):
        # Path() drops a final slash or `/.`: `--out new/` would write a file named new
        fail(f"{given}: names a folder, not a file; give a file name")
    not_an_input(path)
    folder = Path(os.path.realpath(path)).parent if path.is_symlink() else path.parent
    if not folder.exists():
        fail(f"{path}: folder {folder} does not exist")
    if not folder.is_dir():
        fail(f"{path}: cannot write: {folder} is not a folder")
    if not os.access(folder, os.W_OK) and not os.path.exists(path):  # (an existing file, a FIFO: tried as given)
        fail(f"{path}: cannot write: folder {folder} is not writable")
    return path


def write_file(path: str | Path, data: str | bytes) -> None:
    """Replace `path` only once `data` is fully written (a temporary file in the same folder, then rename)."""
    path = check_output(path)
    from .graph.export import write_atomic

    try:
        write_atomic(path, data)
    except OSError as e:
        fail(cannot_write(path, e))


def not_an_input(path) -> None:
    """Exit 2 when `path` (through symbolic links) is a file this command reads: replacing it would lose it."""
    if os.path.realpath(path) in _inputs():
        fail(f"{path}: is also an input of this command: write the output to another file")


def cannot_write(path, e: OSError) -> str:
    return f"{path}: cannot write: {(e.strerror or str(e)).lower()}"


def _inputs() -> set[str]:
    """The files this command reads (real paths): an output may not replace one of them."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.setdefault("parley.inputs", set()) if ctx is not None else set()


def expand_paths(paths) -> list[Path]:
    """Timeline paths: files as given, folders as their *.yaml/*.yml files in name order; a file reached twice
    (a folder and a file in it) is read once."""
    out = []
    for given in paths:
        if not str(given).strip():  # Path("") is the current folder: never read a folder nobody named
            fail("--timeline: an empty path")
        p = Path(given)
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.suffix.lower() in (".yaml", ".yml"))
            if not found:
                fail(f"{p}: folder has no .yaml timeline files")
            out.extend(found)
        else:
            out.append(p)
    seen: set[str] = set()
    out = [p for p in out if not (os.path.realpath(p) in seen or seen.add(os.path.realpath(p)))]
    _inputs().update(seen)
    return out


def read_timeline(paths):
    """The timeline from these files, or the bundled one when none are given; exit 2 on bad input."""
    from .events.read import TimelineError, read_bundled
    from .events.read import read_timeline as read

    try:
        return read(expand_paths(paths)) if paths else read_bundled()
    except TimelineError as e:
        fail("\n".join(e.lines()))


timeline_option = click.option(
    "--timeline", "timelines", multiple=True, metavar="PATH",
    help="Timeline YAML file or folder (repeatable). Default: the bundled us-mexico-2025 timeline.")


def graph_source(f=None, *, ahead=None):
    """Options for commands that read a graph: --timeline, --store, --graph. Passes `graph` to the command.

    `ahead`, a function of the command's other options, gives a context manager entered before the graph is
    read, for work that can run meanwhile (a chart's child process); what it gives is passed as `ahead`.
    """
    if f is None:
        return functools.partial(graph_source, ahead=ahead)

    @timeline_option
    @click.option("--store", default="memory", show_default=True, metavar="SPEC",
                  help="memory, oxigraph:DIR or sparql:URL.")
    @click.option("--graph", "graph_file", metavar="FILE", help="Read an RDF file (ttl, nt, jsonld, trig) instead.")
    @functools.wraps(f)
    def wrapper(*args, timelines, store, graph_file, **kwargs):
        with contextlib.ExitStack() as stack:
            if ahead is not None:
                kwargs["ahead"] = stack.enter_context(ahead(**kwargs))
            graph = kwargs["graph"] = open_graph(timelines, store, graph_file)
            try:
                return f(*args, **kwargs)
            finally:
                # An oxigraph:DIR store is locked while open: release it now, not at the next garbage collection
                # (a traceback or a result kept by the caller can still hold the store through a cycle).
                graph.close()
                if store.startswith("oxigraph:"):
                    import gc

                    gc.collect()

    return wrapper


def open_graph(timelines, store: str, graph_file: str | None):
    """The rdflib graph to read: a file, or the timeline loaded into the store, or what the store holds."""
    from .graph.store import StoreError, parse_store, read_graph

    try:
        spec = parse_store(store)
        if graph_file is not None and timelines:
            fail("give either --graph or --timeline, not both")
        if graph_file is not None and spec.kind != "memory":
            fail("give either --graph or --store, not both")
        if graph_file is not None:
            _inputs().add(os.path.realpath(graph_file))
        # A store that already holds data is read as it is unless --timeline is given.
        timeline = None if graph_file or (spec.kind != "memory" and not timelines) else read_timeline(timelines)
        return read_graph(timeline=timeline, store=store, graph_file=graph_file)
    except StoreError as e:
        fail(str(e))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="parley")
def main():
    """parley: a negotiation-timeline knowledge graph.

    Record a negotiation as a YAML timeline (events, actors, levers, and which events were traded for which,
    each with sources); parley turns it into RDF, answers causal questions in SPARQL and audits how security
    progress was tied to tariff relief. Without --timeline, commands use the bundled 2025 US-Mexico timeline.
    """
    import logging

    # An ill-typed literal in a graph (an xsd:date that is no date): rdflib logs a traceback for it; one line
    # is enough (the commands that need the value report it themselves, exit 2).
    term_log = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _IllTypedLiteral) for f in term_log.filters):
        term_log.addFilter(_IllTypedLiteral())


class _IllTypedLiteral:
    """A logging filter: rdflib's "Failed to convert Literal lexical form" record, with its traceback, becomes one
    line naming the value (the commands that need the value say more, and exit 2)."""

    def filter(self, record) -> bool:
        if str(record.msg).startswith("Failed to convert Literal lexical form"):
            datatype = str(record.msg).partition("Datatype=")[2].partition(",")[0].rsplit("#", 1)[-1]
            why = record.exc_info[1] if record.exc_info else None
            record.msg = f"warning: the graph has a value that is no {datatype or 'value of its type'}" + (
                f" ({why})" if why else "")
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


BUILD_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


@main.command()
@timeline_option
@click.option("--format", "fmt", type=click.Choice(list(BUILD_FORMATS)), default="ttl", show_default=True)
@click.option("--out", metavar="FILE|-", default="-", show_default=True, help="Where to write the graph.")
def build(timelines, fmt, out):
    """Build the RDF graph of a timeline.

    \b
    parley build --timeline my-timeline.yaml --out my-timeline.ttl
    parley build --format jsonld | head
    """
    from .graph.export import serialize

    timeline = read_timeline(timelines)
    write_output(serialize(timeline, fmt=BUILD_FORMATS[fmt]), out)


@main.command()
@timeline_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(timelines, fmt):
    """Check a timeline: SHACL shapes, plus anachronisms, causal cycles and relief without a lever.

    Exit 0 when clean, 1 with findings, 2 on bad input.

    \b
    parley validate --timeline my-timeline.yaml
    """
    from .graph.validate import validate as run

    report = run(read_timeline(timelines))
    click.echo(report.to_json() if fmt == "json" else shown(report.to_text()))
    sys.exit(0 if report.ok else 1)


# --- reading the timeline: parley timeline, parley state ---------------------------------------------------

READING_FORMATS = ["text", "md", "csv", "json"]
# graph.reading.GROUP_NAMES, spelt out so that `parley --help` imports nothing more (tests/test_timeline.py checks).
EVENT_GROUPS = ["pressure", "relief", "security", "statistics", "diplomacy"]


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def terminal_style() -> tuple[int | None, bool]:
    """(width, colour) for text on stdout: the terminal's width and colour on a terminal; when piped, no limit
    (or $COLUMNS if set) and no colour; NO_COLOR (any non-empty value) turns colour off."""
    import shutil

    tty = stdout_is_terminal()
    color = tty and not os.environ.get("NO_COLOR")
    if tty:
        return shutil.get_terminal_size().columns, color
    columns = os.environ.get("COLUMNS", "")
    return (int(columns) if columns.isdigit() and int(columns) > 0 else None), color


def render_reading(view, fmt: str) -> None:
    """Print a timeline or state view in the chosen format; an empty view is said so (exit 0)."""
    import json

    if fmt == "json":
        click.echo(json.dumps(view.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "md":
        click.echo(shown(view.to_markdown()), nl=False)
    elif fmt == "csv":
        click.echo(view.to_csv(), nl=False)
    else:
        width, color = terminal_style()
        # (coloured text is made of values shown already: its own escape codes are the colours)
        text = view.to_text(width=width, color=color)
        click.echo(text if color else shown(text), nl=False, color=color)


@main.command("timeline")
@graph_source
@click.option("--from", "start", metavar="DATE", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="Only events on or before this day (YYYY-MM-DD).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only events of this type (repeatable), e.g. reprieve, tariff-imposition.")
@click.option("--group", "groups", multiple=True, type=click.Choice(EVENT_GROUPS),
              help="Only events of this group (repeatable).")
@click.option("--actor", "actors", multiple=True, metavar="ID",
              help="Only events this actor took part in or was targeted by (repeatable).")
@click.option("--lever", "levers", multiple=True, metavar="ID", help="Only events on this lever (repeatable).")
@click.option("--format", "fmt", type=click.Choice(READING_FORMATS), default="text", show_default=True)
def timeline_command(graph, start, end, types, groups, actors, levers, fmt):
    """The events in date order, one line each, filtered.

    Each line: the date (a month, or a range when uncertain), type, actors -> targets, the lever with the rate
    and the state it left the lever in (or the quantities), the summary, the number of sources, and the claims
    in (<-) and out (->) with their relation. Text fits the terminal and is coloured by group on a terminal
    (not when piped, nor with NO_COLOR set). An event with an uncertain date is kept when its window overlaps
    --from/--to. Repeated options are alternatives; different options must all hold.

    \b
    parley timeline --from 2025-02-01 --to 2025-03-31 --group relief --group pressure
    parley timeline --lever ieepa-mx --format md > ieepa.md
    parley timeline --actor mx --format csv > mexico.csv
    """
    from .graph.query import QueryError
    from .graph.reading import parse_day, timeline_rows

    try:
        start = None if start is None else parse_day(start, what="--from")
        end = None if end is None else parse_day(end, what="--to")
        if start and end and start > end:
            fail(f"--from {start} is after --to {end}")
        view = timeline_rows(graph, start=start, end=end, types=types, groups=groups, actors=actors, levers=levers)
    except QueryError as e:
        fail(str(e))
    if not view.rows and fmt in ("csv", "json"):
        click.echo(view.empty_message(), err=True)
    render_reading(view, fmt)


@main.command("state")
@graph_source
@click.argument("args", nargs=-1, metavar="[LEVER] [DATE]")
@click.option("--all", "all_levers", is_flag=True, help="Every lever (then the only argument is the DATE).")
@click.option("--format", "fmt", type=click.Choice(READING_FORMATS), default="text", show_default=True)
def state_command(graph, args, all_levers, fmt):
    """Where a lever stood on a day: status, rate, scope, since when, the event that set it, the next change.

    DATE defaults to the latest event date in the graph. Read from the outcome nodes: a state holds from its
    first day until (not including) the day it ends or the next change takes effect. When a pause, exemption
    or reduction runs out by its own `until` before the next change, what it suspended holds again ("resumed").

    \b
    parley state ieepa-mx 2025-02-10
    parley state --all 2025-06-10 --format md
    """
    from .graph.query import QueryError
    from .graph.reading import lever_states, parse_day

    args = list(args)
    if all_levers:
        if len(args) > 1:
            fail(f"with --all, give at most a DATE (got: {' '.join(args)})")
        lever = None
    else:
        if not args:
            fail("give a LEVER id (or --all) and optionally a DATE, e.g. `parley state LEVER 2025-02-10`")
        if len(args) > 2:
            fail(f"expected LEVER [DATE], got {len(args)} arguments: {' '.join(args)}")
        lever = args.pop(0)
    try:
        day = parse_day(args[0], what="DATE") if args else None
        view = lever_states(graph, on=day, lever=lever)
    except QueryError as e:
        fail(str(e))
    render_reading(view, fmt)


# --- the interactive HTML view: parley view -------------------------------------------------------------------


@main.command("view")
@graph_source
@click.option("--out", default="view.html", show_default=True, metavar="FILE.html|-", help="Where to write the page.")
@click.option("--layout", type=click.Choice(["timeline", "network"]), default="timeline", show_default=True,
              help="timeline: x by date, one lane per event group; network: a force layout for small graphs.")
@click.option("--focus", metavar="ID", help="Only this event, actor or lever and what lies within --depth steps.")
@click.option("--depth", type=int, metavar="N", help="Steps from --focus (default 1).")
@click.option("--from", "date_from", metavar="DATE", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Only events on or before this day (YYYY-MM-DD).")
@click.option("--types", multiple=True, metavar="TYPE[,TYPE]", help="Only events of these types (repeatable).")
@click.option("--actors", multiple=True, metavar="ID[,ID]",
              help="Only events these actors took part in or were targeted by (repeatable).")
@click.option("--max-nodes", type=int, default=2000, show_default=True, metavar="N",
              help="Above this many nodes, aggregate events by type (or group) per week, month or year.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
def view_command(graph, out, layout, focus, depth, date_from, date_to, types, actors, max_nodes, open_page):
    """Write an interactive HTML page of the graph (self-contained: it works offline).

    The timeline layout puts events at their dates, one lane per group (pressure, relief, security, diplomacy,
    statistics), actors above and levers below. Colour is the group, shape the kind (event, actor, lever), size
    the centrality; causal claims are coloured by relation and dashed when disputed. Hover for details (click
    to pin them); search, filter by group, type and actor, and narrow the dates on the page.

    \b
    parley view --out out/view.html
    parley view --focus eo-14198-pause --depth 2 --layout network --out pause.html
    parley view --from 2025-02-01 --to 2025-03-31 --types reprieve,threat --open
    """
    from .graph.view import ViewError, graph_view, write_view

    options = dict(layout=layout, focus=focus, depth=depth, date_from=date_from, date_to=date_to, types=types,
                   actors=actors, max_nodes=max_nodes)
    if out in ("-", *_STDOUT):  # the page on standard output, as the other commands' `--out -`
        if open_page:
            fail("--open needs a file: give --out FILE.html")
        try:
            page = graph_view(graph, **options)
        except ViewError as e:
            fail(str(e))
        write_output(page.to_html(), out)
        click.echo(f"wrote the page to standard output: {page.summary()}", err=True)
        return
    check_output(out)
    try:
        page = write_view(graph, out, **options)
    except ViewError as e:
        fail(str(e))
    except OSError as e:
        fail(cannot_write(out, e))
    click.echo(f"wrote {out}: {page.summary()}", err=True)
    if open_page:
        import webbrowser

        try:  # webbrowser knows when there is no browser to start (click.launch would not say)
            opened = webbrowser.get().open(Path(out).resolve().as_uri())
        except webbrowser.Error:
            opened = False
        if not opened:
            click.echo(f"no browser to open it with here: open {Path(out).resolve()} in one", err=True)


# --- the audit: parley audit ----------------------------------------------------------------------------------


def _chart_process(*, fmt, chart_path, **_):
    """A child process that imports matplotlib while the graph is read and audited, when a chart is drawn."""
    if fmt != "html" and not chart_path:
        return contextlib.nullcontext()
    from .graph.chart import ChartProcess

    return ChartProcess()


@main.command("audit")
@graph_source(ahead=_chart_process)
@click.option("--window", "window_days", type=click.IntRange(min=0, max=36500), default=30, show_default=True, metavar="DAYS",
              help="Security actions this many days before a relief are its temporal-only candidates.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json", "csv"]), default="text",
              show_default=True)
@click.option("--out", metavar="FILE|-", default="-", show_default=True, help="Where to write the report.")
@click.option("--chart", "chart_path", metavar="FILE.png|FILE.svg",
              help="Also write the chart: each lever's collected rate against the cumulative security figures.")
@click.option("--strict", is_flag=True, help="Exit 1 when any relief is unexplained.")
def audit_command(graph, ahead, window_days, fmt, out, chart_path, strict):
    """Audit how the targeted side's security actions were tied to the tariff relief it received.

    Each relief event (reprieve, exemption, extension, tariff reduction) gets a verdict, the first that
    applies: disputed (a linking claim is disputed), evidenced (sourced claims link a security action or
    security figures to it), granted on a pledge (they link a security pledge; its delivery is reported),
    temporal-only (no claim, but security actions in the window before it), unexplained. Also: which security
    actions were rewarded, which pledges delivered, what became of each threat, and a summary with lags.

    \b
    parley audit
    parley audit --format html --out out/audit.html
    parley audit --format md --out audit.md --chart audit.svg
    parley audit --graph x.ttl --window 14 --strict
    """
    import json

    from .graph.audit import AuditError, audit
    from .graph.chart import ChartError, chart_format

    if chart_path is not None and not chart_path.strip():
        fail("--chart: an empty path")
    if chart_path and out not in (None, "-") and os.path.realpath(chart_path) == os.path.realpath(out):
        fail(f"{out}: given as both --out and --chart: write them to two files")
    try:
        chart_fmt = chart_format(chart_path) if chart_path else None
        report = audit(graph, window_days=window_days)
    except (AuditError, ChartError) as e:
        fail(str(e))
    if out not in (None, "-", *_STDOUT):
        check_output(out)  # before the chart is written: a bad --out leaves no chart behind
    draw = ahead.image if ahead is not None else None
    if chart_path:
        write_file(chart_path, report.chart(fmt=chart_fmt, draw=draw))
    if fmt == "html":
        report.chart(fmt="svg", draw=draw)  # drawn now, by the child, for to_html
    if fmt == "json":
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        src = None
        if chart_path:
            base = Path(out).parent if out not in (None, "-", *_STDOUT) else Path(".")
            src = os.path.relpath(Path(chart_path).resolve(), base.resolve())
        text = shown(report.to_markdown(chart_src=src))
    else:
        text = {"text": lambda: shown(report.to_text()), "html": report.to_html, "csv": report.to_csv}[fmt]()
    write_output(text, out)
    sys.exit(1 if strict and report.unexplained else 0)


QUERY_FORMATS = ["table", "csv", "tsv", "json"]


@main.command("query")
@graph_source
@click.argument("query_name", required=False, metavar="NAME|FILE.rq")
@click.option("-e", "--expression", "text", metavar="TEXT", help="SPARQL text to run instead of a named query.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query (repeatable): ids become IRIs, dates xsd:date; bound as data.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True)
@click.option("--out", metavar="FILE|-", default="-", show_default=True, help="Where to write the rows.")
def query_command(graph, query_name, text, params, fmt, out):
    """Run a named query (see `parley queries`), a .rq file, or SPARQL text, and print the rows.

    Parameter values are bound as RDF terms (a VALUES block), never pasted into the query text.
    Exit 2 on a syntax error, an unknown or missing parameter, or a store that does not answer.

    \b
    parley query causes-of --param event=eo-14198-pause
    parley query lever-state --param lever=ieepa-mx --param date=2025-03-10 --format json
    parley query my-question.rq --format csv --out answers.csv
    parley query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --store oxigraph:kg
    """
    from .graph.query import QueryError, answer, parse_params

    if query_name and os.path.isfile(query_name):  # a .rq file: an input the output may not replace
        _inputs().add(os.path.realpath(query_name))
    try:
        result = answer(graph, query_name, text=text, params=parse_params(params))
    except QueryError as e:
        fail(str(e))
    rendered = {"table": lambda: shown(result.to_text()), "csv": result.to_csv, "tsv": result.to_tsv,
                "json": result.to_json}[fmt]()
    write_output(rendered, out)


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list the queries the audit, view, network, timeline "
              "and state commands read their data with.")
def queries_command(fmt, show_all):
    """List the named queries: name, what each answers, and its parameters.

    \b
    parley queries
    parley queries --format json
    parley queries --all
    """
    import json

    from .graph.query import QueryError, query_catalog

    try:
        catalog = query_catalog(internal=show_all)
    except QueryError as e:
        fail(str(e))
    click.echo(json.dumps(catalog.to_dict(), indent=2) if fmt == "json" else shown(catalog.to_text()), nl=fmt == "json")


@main.command("load")
@timeline_option
@click.option("--store", required=True, metavar="SPEC", help="oxigraph:DIR or sparql:URL (or sparql:QUERY_URL|UPDATE_URL).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def load_command(timelines, store, fmt):
    """Put a timeline into its own named graph of a persistent store, replacing it atomically.

    A load that fails half way leaves the store as it was (a switch to a complete new version that is cut
    short is finished when the store is next opened). Shows a progress bar on a terminal.

    \b
    parley load --store oxigraph:kg --timeline my-timeline.yaml
    parley load --store sparql:http://localhost:7878/query
    """
    import json

    from .graph.store import StoreError, estimated_triples, load

    timeline = read_timeline(timelines)
    try:
        if sys.stderr.isatty():
            length = max(1, estimated_triples(timeline))
            with click.progressbar(length=length, label="loading", file=sys.stderr, show_pos=True) as bar:
                report = load(store, timeline, progress=lambda n: bar.update(min(n, length - 1) - bar.pos))
                bar.update(length - bar.pos)
        else:
            report = load(store, timeline)
    except StoreError as e:
        fail(str(e))
    click.echo(json.dumps(report.to_dict(), indent=2) if fmt == "json" else shown(report.to_text()), nl=fmt == "json")


# --- network analysis and export: parley analyze, parley export --------------------------------------------

ANALYZE_FORMATS = ["text", "json", "csv"]
analyze_format_option = click.option("--format", "fmt", type=click.Choice(ANALYZE_FORMATS), default="text",
                                      show_default=True)


def render_analysis(result, fmt: str) -> None:
    """Print an analysis result: text, CSV, or JSON equal to its to_dict()."""
    import json

    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(result.to_csv() if fmt == "csv" else shown(result.to_text()), nl=False)


def run_analysis(name: str, *args, **kwargs):
    """Call graph.analysis.NAME; bad ids, options and failing queries exit 2."""
    from .graph import analysis
    from .graph.query import QueryError

    try:
        return getattr(analysis, name)(*args, **kwargs)
    except (analysis.AnalysisError, QueryError) as e:
        fail(str(e))


@main.group("analyze")
def analyze():
    """Analyse the causal network (networkx): centrality, paths, what-if, consistency, lags.

    The network is projected from the RDF graph: events, actors, levers and sources as nodes; causal claims
    (cause -> effect), participation, targets and levers as edges. Every subcommand takes --format text|json|csv.
    """


@analyze.command("centrality")
@graph_source
@click.option("--kind", type=click.Choice(["event", "actor", "lever"]), default="event", show_default=True,
              help="Rank events, or actors (by the events they acted in), or levers (by the events that moved them).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, metavar="N")
@analyze_format_option
def analyze_centrality(graph, kind, top, fmt):
    """The events, actors and levers the negotiation turns on: betweenness and PageRank on the causal subgraph.

    Betweenness is estimated from a seeded sample of events when there are more than 2,000.

    \b
    parley analyze centrality --top 5
    parley analyze centrality --kind actor --format csv
    """
    render_analysis(run_analysis("centrality", graph, kind=kind, top=top), fmt)


@analyze.command("paths")
@graph_source
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-length", type=click.IntRange(min=1), default=6, show_default=True, metavar="K",
              help="At most this many hops.")
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True, metavar="N",
              help="At most this many chains.")
@analyze_format_option
def analyze_paths(graph, source, target, max_length, limit, fmt):
    """Every causal chain from event FROM to event TO, each hop with its claim, claimant and evidence.

    \b
    parley analyze paths pledge-troops-2025-02-03 eo-14198-pause
    parley analyze paths proclamation-10886 eo-14198-pause --max-length 4 --format json
    """
    render_analysis(run_analysis("causal_paths", graph, source, target, max_length=max_length, limit=limit), fmt)


@analyze.command("whatif")
@graph_source
@click.argument("ident", metavar="ID")
@analyze_format_option
def analyze_whatif(graph, ident, fmt):
    """Which relief events lose all evidenced security support if event or claim ID is removed.

    A relief event has evidenced security support when a security action, a pledge of one, or a statistic
    reaches it through a chain of claims (other than 'prevents').

    \b
    parley analyze whatif pledge-troops-2025-02-03
    parley analyze whatif fentanyl-data-for-exemption --format json
    """
    render_analysis(run_analysis("what_if", graph, ident), fmt)


@analyze.command("consistency")
@graph_source
@analyze_format_option
def analyze_consistency(graph, fmt):
    """Causal cycles, anachronisms (an effect dated before its cause) and claims whose events are missing.

    Each finding names its claim ids and their file:line. Exit 0 when clean, 1 with findings.

    \b
    parley analyze consistency --graph merged.ttl
    """
    report = run_analysis("consistency", graph)
    render_analysis(report, fmt)
    sys.exit(0 if report.ok else 1)


@analyze.command("lags")
@graph_source
@analyze_format_option
def analyze_lags(graph, fmt):
    """Days from cause to effect (earliest dates) by relation and by pair of event types: count, min, median, max.

    \b
    parley analyze lags --format csv
    """
    render_analysis(run_analysis("lags", graph), fmt)


@main.command("export")
@graph_source
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "ttl", "nt", "jsonld", "trig"]),
              default="graphml", show_default=True)
@click.option("--out", metavar="FILE|DIR", help="Where to write (default: stdout); for csv, a folder (made if missing, in a folder that exists).")
def export_command(graph, fmt, out):
    """Export the graph: the network for Gephi and Cytoscape (GraphML, GEXF), nodes.csv + edges.csv for
    notebooks, or the RDF itself (Turtle, N-Triples, JSON-LD, TriG).

    Nodes carry kind, id, type, group, label and dates; causal edges their claim, claimant, confidence,
    evidence and whether they are disputed. Files are replaced only once fully written.

    \b
    parley export --format graphml --out negotiation.graphml
    parley export --format gexf --out negotiation.gexf
    parley export --format csv --out network/
    parley export --store oxigraph:kg --format trig --out kg.trig
    """
    from .graph.export import ExportError, export_files
    from .graph.query import QueryError

    if fmt == "csv" and out in (None, "-"):
        fail("--format csv writes nodes.csv and edges.csv: give --out DIR")
    try:
        files = export_files(graph, fmt=fmt)
    except (QueryError, ExportError) as e:
        fail(str(e))
    if fmt != "csv":
        write_output(next(iter(files.values())), out)
        return
    if not out.strip():  # Path("") is the current folder: never write into a folder nobody named
        fail("--out: an empty path")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        fail(f"{folder}: not a folder (--format csv writes nodes.csv and edges.csv into a folder)")
    if not folder.parent.exists():
        fail(f"{folder}: folder {folder.parent} does not exist")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        fail(cannot_write(folder, e))
    for name in files:  # both checked before either is written
        check_output(folder / name)
    from .graph.export import write_all_atomic

    try:
        write_all_atomic({folder / name: data for name, data in files.items()})
    except OSError as e:
        fail(cannot_write(folder, e))


if __name__ == "__main__":
    main()
