"""Loading: convert, then write each record's named graph into a store, replacing its old version."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from pyoxigraph import NamedNode, Quad
from tqdm import tqdm

from .convert import Conversion, convert
from .links import Links
from .store import EmbeddedStore
from .vocab import BASE

__all__ = ["Target", "load"]


class Target(Protocol):
    """Where graphs are written: the embedded store or a remote SPARQL server."""

    batch_triples: int

    def write(self, quads: list[Quad], replace: list[NamedNode]) -> None:
        """Replace the `replace` graphs by their quads given here; add the other quads."""

    def prune(self, base: str) -> None:
        """Remove the shared graphs that no record points to any more."""


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
) -> Conversion:
    """Convert the paths and load them into `target` (the store itself by default).

    Authors, groups and ministries resolve against the acteurs and organes of the paths and of
    earlier loads into this store. Loading is idempotent: each record's graph is replaced whole.
    """
    target = target or store
    conversion = convert(
        paths, base=base, referential=store.referential(), entities=entities, ner=ner, links=links
    )
    by_graph: dict[NamedNode, list[Quad]] = defaultdict(list)
    for quad in conversion.quads:
        by_graph[quad.graph_name].append(quad)
    with tqdm(
        total=len(conversion.quads), unit="triple", unit_scale=True, disable=None if progress else True
    ) as bar:
        for graphs in _batches(by_graph, target.batch_triples):
            quads = [quad for graph in graphs for quad in by_graph[graph]]
            target.write(quads, [graph for graph in graphs if graph in conversion.records])
            bar.update(len(quads))
    target.prune(base)
    store.save_referential(conversion.referential)
    return conversion


def _batches(by_graph: dict[NamedNode, list[Quad]], size: int) -> Iterator[list[NamedNode]]:
    """Whole graphs, in a stable order, grouped until a batch holds about `size` triples."""
    batch: list[NamedNode] = []
    count = 0
    for graph in sorted(by_graph, key=lambda g: g.value):
        batch.append(graph)
        count += len(by_graph[graph])
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch
