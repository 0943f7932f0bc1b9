"""The `parley` command: parses options, calls one library function, renders its result.

Exit codes: 0 success; 1 the check ran and found problems; 2 bad input or usage.
Heavy modules (pyshacl, pyvis, matplotlib, networkx, the graph code) are imported inside the commands.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
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


def write_output(text: str | bytes, out: str | None) -> None:
    """Write to stdout for '-' or None, else to a file through a temporary file and a rename."""
    if out in (None, "-"):
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=not text.endswith("\n"))
        return
    write_file(out, text)


def write_file(path: str | Path, data: str | bytes) -> None:
    """Replace `path` only once `data` is fully written (a temporary file in the same folder, then rename)."""
    path = Path(path)
    if path.is_dir():
        fail(f"{path}: is a directory")
    if not path.parent.exists():
        fail(f"{path}: folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def expand_paths(paths) -> list[Path]:
    """Timeline paths: files as given, folders as their *.yaml/*.yml files in name order."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml"))
            if not found:
                fail(f"{p}: folder has no .yaml timeline files")
            out.extend(found)
        else:
            out.append(p)
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


def graph_source(f):
    """Options for commands that read a graph: --timeline, --store, --graph. Passes `graph` to the command."""

    @timeline_option
    @click.option("--store", default="memory", show_default=True, metavar="SPEC",
                  help="memory, oxigraph:DIR or sparql:URL.")
    @click.option("--graph", "graph_file", metavar="FILE", help="Read an RDF file (ttl, nt, jsonld, trig) instead.")
    @functools.wraps(f)
    def wrapper(*args, timelines, store, graph_file, **kwargs):
        kwargs["graph"] = open_graph(timelines, store, graph_file)
        return f(*args, **kwargs)

    return wrapper


def open_graph(timelines, store: str, graph_file: str | None):
    """The rdflib graph to read: a file, or the timeline loaded into the store, or what the store holds."""
    from .graph.store import StoreError, parse_store, read_graph

    try:
        spec = parse_store(store)
        if graph_file is not None and timelines:
            fail("give either --graph or --timeline, not both")
        # A store that already holds data is read as it is unless --timeline is given.
        timeline = None if graph_file or (spec.kind != "memory" and not timelines) else read_timeline(timelines)
        return read_graph(timeline=timeline, store=store, graph_file=graph_file)
    except StoreError as e:
        fail(str(e))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="parley")
def main():
    """parley: a negotiation-timeline knowledge graph.

    Record a negotiation as a YAML timeline (events, actors, levers, and which events were traded for which,
    each with sources); parley turns it into RDF, answers causal questions in SPARQL and audits how security
    progress was tied to tariff relief. Without --timeline, commands use the bundled 2025 US-Mexico timeline.
    """


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
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
