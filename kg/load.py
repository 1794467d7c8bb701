"""Loading: convert as a stream, and write each record's named graph into a store, replacing the old one."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse, serialize

from .convert import ConversionStream, Summary
from .digests import Run
from .errors import KGError
from .links import Links
from .nquads_scan import scan
from .progress import Progress, progress_bar
from .store import GROWING_KINDS, EmbeddedStore, Graph
from .text_index import Row, searchable
from .vocab import BASE

__all__ = ["DATASET_SUFFIXES", "Loaded", "Target", "load"]

# RDF files that keep each record's named graph (what `kg convert -f nquads|trig` and `kg export` write).
DATASET_SUFFIXES = {".nq": RdfFormat.N_QUADS, ".trig": RdfFormat.TRIG}
# Quads of a dataset file written at a time.
_CHUNK_QUADS = 100_000


class Target(Protocol):
    """Where graphs are written: the embedded store or a remote SPARQL server."""

    def write_nquads(self, data: bytes, replace: list[NamedNode]) -> None:
        """Replace the `replace` graphs by their quads in `data` (N-Quads); add the other quads."""

    def prune(self, base: str) -> None:
        """Remove the shared graphs that no record points to any more."""


@dataclass(frozen=True)
class Loaded:
    """What a load converted, how many record graphs it wrote, and how many of them were unchanged."""

    summary: Summary
    records: int
    unchanged: int = 0


def load(
    paths: Iterable[Path],
    store: EmbeddedStore,
    *,
    target: Target | None = None,
    base: str = BASE,
    progress: Progress | None = None,
    entities: bool = True,
    ner: bool = False,
    links: Links | None = None,
    jobs: int = 1,
) -> Loaded:
    """Convert the paths and load them into `target` (the store itself by default).

    Authors, groups and ministries resolve against the acteurs and organes of the paths and of
    earlier loads into this store. Loading is idempotent: each record's graph is replaced whole,
    or left as it is when it holds what the load would write (see `kg.digests`). A question read from
    source files is left out when the store holds a newer version of it (a later latest date, or the
    same and a fuller record: `kg.question_graphs.version_bytes`), so that dumps loaded in any order
    end with the newest; N-Quads and TriG files are loaded as they are. `progress` makes
    the bars (see `kg.progress`) that count the dataset files loaded and the records converted.
    """
    target = target or store
    unchanged = store.unchanged
    paths = list(paths)
    datasets = [path for path in paths if path.suffix.lower() in DATASET_SUFFIXES]
    records = _load_datasets(datasets, store, target, base, progress)
    stream = ConversionStream(
        [path for path in paths if path not in datasets], base=base, referential=store.referential(),
        entities=entities, ner=ner, links=links, jobs=jobs, progress=progress, held=store.held_version,
    )
    for chunk in stream if len(datasets) < len(paths) else ():
        target.write_nquads(chunk.data, chunk.records)
        store.remember_versions(chunk.versions)  # kept in the store folder for a server too
        records += len(chunk.records)
    target.prune(base)
    if target is store:
        store.finish()
    store.save_referential(stream.referential)
    return Loaded(stream.summary, records, store.unchanged - unchanged)


def _load_datasets(
    paths: list[Path], store: EmbeddedStore, target: Target, base: str, progress: Progress | None = None
) -> int:
    """Load N-Quads or TriG files, a record's graph replaced the first time it comes; the records loaded."""
    if not paths:
        return 0
    growing = tuple(f"{base}graph/{kind}/" for kind in GROWING_KINDS)
    replaced: set[Graph] = set()
    records = 0
    with progress_bar(progress, total=len(paths), desc="loading", unit="file") as bar:
        for path in paths:
            records += _load_dataset(path, store, target, replaced, growing)
            bar.update(1)
    return records


def _load_dataset(
    path: Path, store: EmbeddedStore, target: Target, replaced: set[Graph], growing: tuple[str, ...]
) -> int:
    """Load one N-Quads or TriG file (see `_load_datasets`); the records loaded."""
    fmt = DATASET_SUFFIXES[path.suffix.lower()]
    try:
        if target is store:
            return _bulk_load(path, fmt, store, replaced, growing)
        records = 0
        batch: list[Quad] = []
        for quad in parse(path=path, format=fmt):
            batch.append(quad)
            if len(batch) >= _CHUNK_QUADS:
                records += _write_quads(batch, target, replaced, growing)
                batch = []
        return records + _write_quads(batch, target, replaced, growing)
    except (SyntaxError, OSError, ValueError) as error:
        raise KGError(f"{path}: not loadable {fmt.name} ({error})") from error


def _bulk_load(
    path: Path, fmt: RdfFormat, store: EmbeddedStore, replaced: set[Graph], growing: tuple[str, ...]
) -> int:
    """Load a dataset file by the bulk loader; the record graphs loaded.

    Its graphs are told apart by its N-Quads lines: a file in another form is first written so, aside.
    """
    known = store.digests() if store.has_text_index() else None
    if fmt is RdfFormat.N_QUADS:
        try:
            found = _runs(path, known)
        except ValueError:  # not one quad a line as pyoxigraph writes it
            pass
        else:
            return _bulk_load_runs(path, *found, store, replaced, growing)
    with tempfile.TemporaryDirectory(prefix="kg-load-") as folder:
        nquads = Path(folder) / "dataset.nq"
        serialize(parse(path=path, format=fmt), nquads, RdfFormat.N_QUADS)
        return _bulk_load_runs(nquads, *_runs(nquads, known), store, replaced, growing)


def _runs(
    path: Path, known: Mapping[str, bytes] | None
) -> tuple[list[tuple[Graph | None, Run]], dict[bytes, list[Row]]]:
    """The runs of lines of an N-Quads file, each with its named graph (None: the default graph), and
    the text index's rows of those whose graph `known` does not hold with their digest (`kg.nquads_scan`).

    Raises ValueError if the file is not one quad a line as pyoxigraph writes it, or names a graph
    by an IRI that pyoxigraph would not write so (escaped characters).
    """
    found = scan(path, known)
    return [(_graph(run.term), run) for run in found.runs], found.rows


def _bulk_load_runs(
    path: Path, graph_runs: list[tuple[Graph | None, Run]], scanned: dict[bytes, list[Row]],
    store: EmbeddedStore, replaced: set[Graph], growing: tuple[str, ...],
) -> int:
    """Hand the bulk loader the file, or its lines but those of the record graphs the store holds already.

    A record graph is replaced the first time it comes in a load; the other graphs only grow.
    """
    digests: dict[Graph, bytes] = {}
    for graph, run in graph_runs:
        if graph is not None:
            # The digest of a graph whose lines are not all together is of none of them: never the same.
            digests[graph] = b"" if graph in digests else run.sha256
    records = {
        graph: sha for graph, sha in digests.items()
        if graph not in replaced and not graph.value.startswith(growing)
    }
    changed = store.make_way(records, added=[str(graph) for graph in digests.keys() - records.keys()])

    def bulk_load() -> None:
        if changed == records.keys():
            store.db.bulk_load(path=path, format=RdfFormat.N_QUADS)
            return
        with path.open("rb") as source, tempfile.TemporaryFile() as rest:
            for graph, run in graph_runs:
                if graph is None or graph not in records or graph in changed:
                    source.seek(run.start)
                    rest.write(source.read(run.end - run.start))
            rest.seek(0)
            store.db.bulk_load(rest, RdfFormat.N_QUADS)

    store.bulk_load_indexing(bulk_load, lambda: _texts(path, graph_runs, changed, scanned))
    store.written({graph: records[graph] for graph in changed})
    replaced.update(records)
    return len(records)


def _texts(
    path: Path, graph_runs: list[tuple[Graph | None, Run]], graphs: set[Graph],
    scanned: dict[bytes, list[Row]],
) -> dict[Graph, list[Row]]:
    """The rows of the text index of these graphs: as scanned, else from their runs in the file."""
    texts = {}
    with path.open("rb") as source:
        for graph, run in graph_runs:
            if graph in graphs:
                if run.term in scanned:
                    texts[graph] = scanned[run.term]
                else:  # its digest was known, but the store had lost the graph
                    source.seek(run.start)
                    texts[graph] = searchable(source.read(run.end - run.start))
    return texts


def _graph(term: bytes) -> Graph | None:
    if not term:
        return None
    return NamedNode(term[1:-1].decode()) if term[:1] == b"<" else BlankNode(term[2:].decode())


def _write_quads(
    quads: list[Quad], target: Target, replaced: set[Graph], growing: tuple[str, ...]
) -> int:
    """Write quads, replacing the record graphs not replaced yet in this load; how many it replaced."""
    graphs = {quad.graph_name for quad in quads} - replaced
    records = [g for g in graphs if isinstance(g, NamedNode) and not g.value.startswith(growing)]
    replaced.update(records)
    target.write_nquads(serialize(quads, None, RdfFormat.N_QUADS), records)
    return len(records)
