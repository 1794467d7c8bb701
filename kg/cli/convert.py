"""`kg convert` and `kg validate`: files in, RDF or a SHACL report out."""

from __future__ import annotations

import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, nullcontext
from itertools import islice
from pathlib import Path
from typing import IO

import click
from pyoxigraph import RdfFormat, Store, parse

from ..convert import ConversionStream, Summary
from ..errors import KGError
from ..graph_file import GraphFile
from ..links import Links
from ..progress import Progress
from ..rdfio import FORMATS, write_quads, write_rdf
from ..validate import validate_store
from .base import (
    base_option,
    entities_option,
    jobs_option,
    main,
    paths_argument,
    progress_bars,
    quiet_option,
    wikidata_cache_option,
)

__all__ = ["format_rejected", "format_summary", "report_summary"]

# `kg convert` exit codes (also in the README).
EXIT_PARTIAL = 3
# `kg validate` exit codes, as pySHACL's.
EXIT_VIOLATIONS, EXIT_CANNOT_RUN = 1, 2

# RDF input up to this size is validated from a store in memory: loaded 3x and read 10x faster than
# from disk, in some 700 MB for 400 MB of N-Quads.
_IN_MEMORY = 400 * 2**20
# Quads given to the bulk loader at a time (see `_bulk_load`).
_BATCH = 100_000
RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
}

@main.command(name="convert")
@paths_argument
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)),
    help="RDF syntax; by default the output's suffix tells (.ttl .nt .nq .trig .jsonld .rdf), else turtle.",
)
@base_option
@entities_option
@jobs_option
@wikidata_cache_option
@quiet_option
def convert_command(
    paths: tuple[Path, ...], output: Path | None, fmt: str | None, base: str, entities: bool, ner: bool,
    jobs: int, cache: Path, quiet: bool,
) -> None:
    """Convert question files, AMO acteurs/organes, page texts, folders and zip dumps to RDF.

    Give the acteurs and organes beside the questions so that authors, groups and ministries
    resolve. TriG and N-Quads keep each record's named graph. A summary goes to stderr, with a
    progress bar when stderr is a terminal (and the output does not go to that terminal).
    Exit 0: all converted; 3: some files were rejected (listed in the summary), the rest
    converted; 1: nothing could be done.

    \b
    Example:
        kg convert tests/data/an -o questions.ttl
        kg convert Questions_ecrites_XVI.json.zip AMO.zip -f nt > graph.nt
    """
    fmt = fmt or _format_of(output)
    # A bar drawn on the terminal that the RDF is written to would be torn by it.
    to_terminal = output is None and sys.stdout.isatty()
    stream = ConversionStream(
        paths, base=base, entities=entities, ner=ner, links=Links.load(cache), jobs=jobs,
        quads=fmt != "nt", progress=progress_bars(quiet or to_terminal),
    )
    try:
        if output is None:
            _write(stream, sys.stdout.buffer, fmt)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                _write(stream, out, fmt)
    except OSError as error:
        raise click.ClickException(f"cannot write the output: {error}") from error
    except KGError as error:
        raise click.ClickException(str(error)) from error
    report_summary(stream.summary, quiet)
    if stream.summary.rejected:
        sys.exit(EXIT_PARTIAL)


def _format_of(output: Path | None) -> str:
    """The syntax an output file's suffix names; Turtle when it names none."""
    named = RDF_SUFFIXES.get(output.suffix.lower()) if output else None
    return {"json-ld": "jsonld"}.get(named or "", named) or "turtle"


def _write(stream: ConversionStream, out: IO[bytes], fmt: str) -> None:
    """N-Triples and N-Quads chunks go out as they are; other syntaxes are serialised as they come."""
    if fmt in ("nt", "nquads"):
        # A thread writes each chunk while the next is made: writing gigabytes takes as long as making them.
        with ThreadPoolExecutor(1) as writer:
            written: Future[int] | None = None
            for chunk in stream:
                if written is not None:
                    written.result()
                written = writer.submit(out.write, chunk.data)
            if written is not None:
                written.result()
        return
    quads = (quad for chunk in stream for quad in parse(chunk.data, RdfFormat.N_QUADS))
    if fmt == "trig":
        write_quads(quads, out, fmt)
    else:
        write_rdf((quad.triple for quad in quads), out, fmt)


@main.command(name="validate")
@paths_argument
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "turtle"]), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@base_option
@jobs_option
@quiet_option
def validate_command(
    paths: tuple[Path, ...], fmt: str, strict: bool, base: str, jobs: int, quiet: bool
) -> None:
    """Validate RDF files, or question files converted on the fly, against the SHACL shapes.

    The graph is validated in batches of named graphs, on --jobs processes (which also convert the
    question files), with the results pySHACL gives for the whole graph. N-Quads and TriG keep
    their graphs; the triples of other syntaxes go to their subject's graph. The verdict goes to
    stderr, with progress bars when it is a terminal. Exit 0: conforms (warnings allowed unless
    --strict); 1: violations, report on stdout; 2: could not run.

    \b
    Example:
        kg validate questions.nq -j 4
        kg validate tests/data/an --strict
    """
    try:
        with tempfile.TemporaryDirectory(prefix="kg-validate-") as folder:
            store, copies = _data_store(paths, base, jobs, Path(folder), progress_bars(quiet))
            with closing(copies) if copies else nullcontext():
                report = validate_store(
                    store, base=base, jobs=jobs, progress=progress_bars(quiet), copies=copies
                )
            triples = len(store)
            del store  # closed before its folder goes
    except KGError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    if fmt == "turtle":
        click.echo(report.graph.serialize(format="turtle"))
    elif not report.conforms(strict=strict):
        click.echo(report.text)
    counts = ", ".join(f"{n} {severity.lower()}(s)" for severity, n in sorted(report.severities.items()))
    verdict = "conforms" if report.conforms(strict=strict) else "does not conform"
    if not quiet:
        click.echo(f"{triples} triples: {verdict}" + (f" ({counts})" if counts else ""), err=True)
    sys.exit(0 if report.conforms(strict=strict) else EXIT_VIOLATIONS)


def _data_store(
    paths: tuple[Path, ...], base: str, jobs: int, folder: Path, progress: Progress | None = None
) -> tuple[Store, GraphFile | None]:
    """RDF files are loaded as they are; anything else is converted first, chunk by chunk.

    RDF files of `_IN_MEMORY` bytes at most go to a store in memory; other inputs to a temporary
    store on disk, so that memory does not grow with them, with a copy of its named graphs (see
    `GraphFile`).
    """
    sources = [p for p in paths if p.suffix.lower() not in RDF_SUFFIXES]
    small = not sources and sum(path.stat().st_size for path in paths) <= _IN_MEMORY
    store = Store() if small else Store(str(folder / "store"))
    copies = None if small else GraphFile(folder / "graphs.nq")
    for path in paths:
        if path.suffix.lower() in RDF_SUFFIXES:
            try:
                _bulk_load(store, path, RdfFormat.from_extension(path.suffix.lower()[1:]), copies)
                continue
            except (SyntaxError, ValueError, OSError) as error:
                reason = f"{path}: not readable RDF ({error})"
            # Raised out of the handler, so that no traceback keeps the store open: it would go on
            # writing in the folder that `kg validate` is removing.
            del store
            if copies:
                copies.close()
            raise KGError(reason)
    if sources:
        for chunk in ConversionStream(sources, base=base, jobs=jobs, quads=True, progress=progress):
            store.bulk_load(chunk.data, RdfFormat.N_QUADS)
            if copies:
                copies.add(parse(chunk.data, RdfFormat.N_QUADS))
    return store, copies


def _bulk_load(store: Store, path: Path, fmt: RdfFormat, copies: GraphFile | None) -> None:
    """Load an RDF file into a store, in batches of `_BATCH` quads.

    Given a whole file, pyoxigraph's bulk loader holds some 2 GB at 100,000 questions, which this
    process's heap then keeps through the validation; given batches, some 200 MB, as fast. Parsed
    here, a blank node keeps its identity from batch to batch (the loader would name it anew in
    each), and no other file's blank node of the same label takes it.
    """
    quads = parse(path=path, format=fmt, rename_blank_nodes=True)
    while batch := list(islice(quads, _BATCH)):
        store.bulk_extend(batch)
        if copies:
            copies.add(batch)


def format_summary(summary: Summary) -> str:
    """The human summary of a conversion."""
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(summary.questions.items())) or "none"
    total = sum(summary.questions.values())
    lines = [
        f"questions: {total} ({kinds}); older versions superseded: {summary.superseded}"
        + (f" ({summary.older_than_held} by the store's newer ones)" if summary.older_than_held else ""),
        f"acteurs: {summary.acteurs}; organes (groups, ministries, governments, assemblies): "
        f"{summary.organes}",
        f"triples: {summary.triples}",
        f"records read: {summary.records_read} = converted "
        f"{summary.records_read - len(summary.rejected)} + rejected {len(summary.rejected)}"
        + (f"; other files skipped: {summary.skipped}" if summary.skipped else ""),
        f"non-inscrit authors (no group): {summary.non_inscrit}",
    ]
    if summary.mentions:
        found = ", ".join(f"{kind} {summary.mentions[kind]}" for kind in ("ORG", "LAW", "PERSON"))
        lines.append(f"mentions: {found}")
    for what in ("author", "group", "ministry", "attribution", "minister"):
        uids = summary.unresolved_questions.get(what, [])
        example = f" (e.g. {', '.join(uids[:3])})" if uids else ""
        lines.append(f"unresolved {what}: {summary.unresolved[what]}{example}")
    return "\n".join(lines + format_rejected(summary))


def format_rejected(summary: Summary) -> list[str]:
    """One line for each file or record rejected, with its reason."""
    return [f"rejected: {r.source}: {r.reason}" for r in summary.rejected]


def report_summary(summary: Summary, quiet: bool) -> None:
    """The summary on stderr; with --quiet, only the records rejected, which are never kept silent."""
    lines = format_rejected(summary) if quiet else [format_summary(summary)]
    if lines:
        click.echo("\n".join(lines), err=True)
