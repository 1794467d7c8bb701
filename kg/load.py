"""Loading: convert as a stream, and write each record's named graph into a store, replacing the old one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

from .convert import ConversionStream, Summary
from .errors import KGError
from .links import Links
from .store import GROWING_KINDS, EmbeddedStore
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
    """What a load converted, and how many record graphs it wrote."""

    summary: Summary
    records: int


def load(
    paths: Iterable[Path],
    store: EmbeddedStore,
    *,
    target: Target | None = None,
    base: str = BASE,
    progress: bool = False,
    entities: bool = True,
    ner: bool = False,
    links: Links | None = None,
    jobs: int = 1,
) -> Loaded:
    """Convert the paths and load them into `target` (the store itself by default).

    Authors, groups and ministries resolve against the acteurs and organes of the paths and of
    earlier loads into this store. Loading is idempotent: each record's graph is replaced whole.
    """
    target = target or store
    paths = list(paths)
    datasets = [path for path in paths if path.suffix.lower() in DATASET_SUFFIXES]
    records = _load_datasets(datasets, store, target, base)
    stream = ConversionStream(
        [path for path in paths if path not in datasets], base=base, referential=store.referential(),
        entities=entities, ner=ner, links=links, jobs=jobs, progress=progress,
    )
    for chunk in stream if len(datasets) < len(paths) else ():
        target.write_nquads(chunk.data, chunk.records)
        records += len(chunk.records)
    target.prune(base)
    store.save_referential(stream.referential)
    return Loaded(stream.summary, records)


def _load_datasets(paths: list[Path], store: EmbeddedStore, target: Target, base: str) -> int:
    """Load N-Quads or TriG files, a record's graph replaced the first time it comes; the records loaded."""
    growing = tuple(f"{base}graph/{kind}/" for kind in GROWING_KINDS)
    replaced: set[NamedNode] = set()
    records = 0
    for path in paths:
        fmt = DATASET_SUFFIXES[path.suffix.lower()]
        try:
            if target is store:
                records += _bulk_load(path, fmt, store, replaced, growing)
                continue
            batch: list[Quad] = []
            for quad in parse(path=path, format=fmt):
                batch.append(quad)
                if len(batch) >= _CHUNK_QUADS:
                    records += _write_quads(batch, target, replaced, growing)
                    batch = []
            records += _write_quads(batch, target, replaced, growing)
        except (SyntaxError, OSError) as error:
            raise KGError(f"{path}: not loadable {fmt.name} ({error})") from error
    return records


def _bulk_load(
    path: Path, fmt: RdfFormat, store: EmbeddedStore, replaced: set[NamedNode], growing: tuple[str, ...]
) -> int:
    """Drop the file's record graphs from the store, then hand the file whole to the bulk loader.

    Into an empty store the file is not even read by Python. Returns the record graphs loaded.
    """
    graphs: set[NamedNode] = set()
    if not store.is_empty():
        graphs = {q.graph_name for q in parse(path=path, format=fmt)}
    store.write_nquads(b"", [g for g in graphs - replaced if not g.value.startswith(growing)])
    store.db.bulk_load(path=path, format=fmt)
    if not graphs:
        graphs = set(store.db.named_graphs())
    records = {g for g in graphs if not g.value.startswith(growing)}
    replaced |= records
    return len(records)


def _write_quads(
    quads: list[Quad], target: Target, replaced: set[NamedNode], growing: tuple[str, ...]
) -> int:
    """Write quads, replacing the record graphs not replaced yet in this load; how many it replaced."""
    graphs = {quad.graph_name for quad in quads} - replaced
    records = [g for g in graphs if isinstance(g, NamedNode) and not g.value.startswith(growing)]
    replaced.update(records)
    target.write_nquads(serialize(quads, None, RdfFormat.N_QUADS), records)
    return len(records)
