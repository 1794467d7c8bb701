"""`kg load`, `kg export` and `kg stats`: the graph as a database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from pyoxigraph import NamedNode

from ..errors import KGError
from ..links import Links
from ..load import load
from ..mapping import IRIs
from ..rdfio import FORMATS
from ..remote import RemoteEndpoint
from ..results import compact
from ..store import EmbeddedStore, Stats
from .base import (
    base_option,
    entities_option,
    jobs_option,
    main,
    paths_argument,
    progress_bars,
    quiet_option,
    store_option,
    wikidata_cache_option,
)
from .convert import EXIT_PARTIAL, report_summary

__all__ = ["endpoint_options", "open_store", "remote_endpoint"]


def endpoint_options(command: click.Command) -> click.Command:
    """Options that point a command at a remote SPARQL server instead of the embedded store."""
    options = [
        click.option("--endpoint", metavar="URL", help="A SPARQL 1.1 query endpoint instead of the store."),
        click.option("--user", envvar="KG_ENDPOINT_USER", help="User name, if the server asks for one."),
        click.option("--password", envvar="KG_ENDPOINT_PASSWORD", help="Password."),
        click.option(
            "--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True,
            help="HTTP authentication scheme.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def remote_endpoint(
    endpoint: str, user: str | None, password: str | None, auth: str, update: str | None = None,
    gsp: str | None = None,
) -> RemoteEndpoint:
    # With only a Graph Store Protocol URL, graphs go there and the query URL stays read-only.
    update = update or (None if gsp else endpoint)
    return RemoteEndpoint(endpoint, update, gsp, user, password, auth)


def open_store(path: Path, *, read_only: bool = True) -> EmbeddedStore:
    """The embedded store, with a clear error if there is none yet or another process holds it.

    Readers open it read-only, so that several can query one store at once.
    """
    if read_only and not (path / "oxigraph").is_dir():
        raise click.ClickException(f"no store at {path}: load one first with `kg load PATHS`")
    try:
        return EmbeddedStore(path, read_only=read_only)
    except KGError as error:
        raise click.ClickException(f"{error} (is another kg command using it?)") from error


@main.command(name="load")
@paths_argument
@store_option
@endpoint_options
@click.option("--update-endpoint", metavar="URL", help="SPARQL Update URL, if not the --endpoint URL.")
@click.option("--gsp", metavar="URL", help="Push graphs by the Graph Store Protocol at this URL instead.")
@base_option
@entities_option
@jobs_option
@wikidata_cache_option
@quiet_option
def load_command(
    paths: tuple[Path, ...], store: Path, endpoint: str | None, user: str | None, password: str | None,
    auth: str, update_endpoint: str | None, gsp: str | None, base: str, entities: bool, ner: bool,
    jobs: int, cache: Path, quiet: bool,
) -> None:
    """Convert files and load them into the store (or a SPARQL server), replacing older versions.

    Each question, acteur and organe lives in its own named graph: loading a newer version
    replaces the old one whole, and loading the same files twice changes nothing. N-Quads and
    TriG files (`kg convert -f nquads`, `kg export`) load as they are, by the bulk path. Give the AMO
    acteurs and organes in the same or an earlier load, so that authors and groups resolve. A
    summary goes to stderr, with progress bars when it is a terminal.
    Exit 0: all loaded; 3: some files were rejected (listed), the rest loaded; 1: failure.

    \b
    Example:
        kg load tests/data
        kg load Questions_ecrites_XVI.json.zip AMO.zip --store ~/kg-store
        kg load graph.nq
        kg load tests/data --endpoint http://127.0.0.1:8890/sparql \
            --update-endpoint http://127.0.0.1:8890/sparql-auth --user dba --auth digest
    """
    local = open_store(store, read_only=False)
    target = None
    if endpoint or update_endpoint or gsp:
        target = remote_endpoint(endpoint or "", user, password, auth, update_endpoint, gsp)
    try:
        links = Links.load(cache)
        loaded = load(
            paths, local, target=target, base=base, progress=progress_bars(quiet),
            entities=entities, ner=ner, links=links, jobs=jobs,
        )
    except KGError as error:
        raise click.ClickException(str(error)) from error
    if loaded.summary.records_read or loaded.summary.skipped:
        report_summary(loaded.summary, quiet)
    if not quiet:
        where = endpoint or gsp or update_endpoint or store
        kept = f" ({loaded.unchanged} unchanged, left as they were)" if loaded.unchanged else ""
        click.echo(f"loaded into {where}: {loaded.records} record graphs{kept}", err=True)
    if loaded.summary.rejected:
        sys.exit(EXIT_PARTIAL)


@main.command(name="export")
@store_option
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("--question", metavar="UID", help="Only this question's graph (e.g. QANR5L16QE12432).")
@base_option
def export_command(store: Path, fmt: str, output: Path | None, question: str | None, base: str) -> None:
    """Write the whole store, or one question's graph, as RDF.

    TriG and N-Quads keep the named graphs; the other syntaxes merge them.

    \b
    Example:
        kg export -f nt -o all.nt
        kg export --question QANR5L16QE12432 -f turtle
    """
    db = open_store(store)
    graph = IRIs(base).graph("question", question) if question else None
    try:
        if output is None:
            db.export(sys.stdout.buffer, fmt, graph)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as stream:
                db.export(stream, fmt, graph)
    except KGError as error:
        raise click.ClickException(str(error)) from error


@main.command(name="stats")
@store_option
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
def stats_command(store: Path, as_json: bool) -> None:
    """Counts in the store: triples, graphs, size, resources by class, questions by legislature and type.

    \b
    Example:
        kg stats
        kg stats --json
    """
    stats = open_store(store).stats()
    click.echo(json.dumps(_stats_json(stats), indent=1) if as_json else _stats_text(stats))


def _stats_json(stats: Stats) -> dict[str, object]:
    return {
        "triples": stats.triples,
        "graphs": stats.graphs,
        "size_bytes": stats.size_bytes,
        "classes": stats.classes,
        "questions": [
            {"legislature": int(legislature), "type": kind, "count": n}
            for (legislature, kind), n in sorted(stats.questions.items())
        ],
    }


def _stats_text(stats: Stats) -> str:
    lines = [
        f"triples: {stats.triples:,}",
        f"named graphs: {stats.graphs:,}",
        f"size on disk: {stats.size_bytes / 1e6:,.1f} MB",
        "questions by legislature and type:",
    ]
    lines += [f"  {leg:>3}  {kind:<5} {n:>8,}" for (leg, kind), n in sorted(stats.questions.items())]
    lines.append("resources by class:")
    by_count = sorted(stats.classes.items(), key=lambda item: -item[1])
    lines += [f"  {n:>8,}  {compact(NamedNode(cls))}" for cls, n in by_count]
    return "\n".join(lines)
