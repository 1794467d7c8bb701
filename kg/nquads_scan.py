"""An N-Quads file read before its bulk load, on both cores: its graphs' runs of lines and their texts.

`kg.load` needs the digest of each graph's lines (`kg.digests`) before it hands the file to the bulk
loader, and the text index's rows of the graphs it writes (`kg.text_index`). Reading the file line
by line is Python's work, on one core: a large file is read in two halves at once, by this
process and a spawned one, and the run of a graph that spans the middle is joined again.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .digests import Run, digest, runs
from .errors import KGError
from .text_index import Row, searchable

__all__ = ["Scan", "scan"]

# Files up to this size are read by this process alone: a spawned one takes about a second to start,
# what reading 150 MB in halves saves.
SPLIT_ABOVE = 256 << 20


@dataclass
class Scan:
    """The runs of lines of each graph of a file, in order, and the text index's rows of some of them."""

    runs: list[Run]
    # Of each run (by its graph's term) whose graph is not known with that digest, when rows were asked for.
    rows: dict[bytes, list[Row]] = field(default_factory=dict)


def scan(path: Path, known: Mapping[str, bytes] | None = None) -> Scan:
    """Read an N-Quads file's runs, and the rows of those not in `known` (digests by graph; None: no rows).

    Raises ValueError if the file is not one quad a line as pyoxigraph writes it (see `graph_term`).
    """
    size = path.stat().st_size
    if size <= SPLIT_ABOVE:
        return _scan(path, 0, None, known)
    middle = _line_start(path, size // 2)
    # Spawned: a fork would copy the threads of the open store, and their locks.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        second = pool.submit(_scan, path, middle, None, known)
        first = _scan(path, 0, middle, known)
        try:
            return _joined(path, first, second.result(), known)
        except BrokenProcessPool as error:
            raise KGError(f"{path}: the process reading its second half died (out of memory?)") from error


def _scan(path: Path, start: int, end: int | None, known: Mapping[str, bytes] | None) -> Scan:
    """The scan of the lines from `start` to `end` (the file's end if None)."""
    found = Scan([])
    for run, lines in runs(path, start, end):
        found.runs.append(run)
        if known is not None and known.get(run.term.decode()) != run.sha256:
            found.rows[run.term] = searchable(b"".join(lines))
    return found


def _joined(path: Path, first: Scan, second: Scan, known: Mapping[str, bytes] | None) -> Scan:
    """The scan of two spans in a row: a graph's lines on both sides of the cut are one run again."""
    if not (first.runs and second.runs and first.runs[-1].term == second.runs[0].term):
        return Scan(first.runs + second.runs, first.rows | second.rows)
    before, after = first.runs.pop(), second.runs.pop(0)
    with path.open("rb") as file:
        file.seek(before.start)
        data = file.read(after.end - before.start)
    joined = Run(before.term, before.start, after.end, digest(data.splitlines(keepends=True)))
    rows = first.rows | second.rows
    rows.pop(joined.term, None)
    if known is not None and known.get(joined.term.decode()) != joined.sha256:
        rows[joined.term] = searchable(data)
    return Scan([*first.runs, joined, *second.runs], rows)


def _line_start(path: Path, offset: int) -> int:
    """Where the first line at or after `offset` starts."""
    with path.open("rb") as file:
        file.seek(max(offset - 1, 0))
        return file.tell() + len(file.readline()) if offset else 0
