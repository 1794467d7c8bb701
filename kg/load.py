"""Loading: convert as a stream, and write each record's named graph into a store, replacing the old one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pyoxigraph import NamedNode

from .convert import ConversionStream, Summary
from .links import Links
from .store import EmbeddedStore
from .vocab import BASE

__all__ = ["Loaded", "Target", "load"]


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
    stream = ConversionStream(
        paths, base=base, referential=store.referential(), entities=entities, ner=ner, links=links,
        jobs=jobs, progress=progress,
    )
    records = 0
    for chunk in stream:
        target.write_nquads(chunk.data, chunk.records)
        records += len(chunk.records)
    target.prune(base)
    store.save_referential(stream.referential)
    return Loaded(stream.summary, records)
