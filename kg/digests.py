"""Digests of the record graphs a store holds, kept beside it, so that a reload skips the unchanged ones.

Removing a graph from pyoxigraph costs milliseconds, the digest of its N-Quads lines microseconds:
a record graph whose digest is the one it was last written with is left as it is. A digest is of
the lines as written, so the same quads spelt otherwise (`"0.90"` for `"0.9"`) only cost a rewrite.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

__all__ = ["Digests", "Run", "by_graph", "digest", "graph_term", "runs"]


def graph_term(line: bytes) -> bytes:
    """The graph of an N-Quads line as written (`b"<iri>"`, `b"_:id"`); b"" for the default graph or no quad.

    IRIs and blank nodes hold no quote: after a literal's closing quote come its language or
    datatype, the graph if any, and the dot. Raises ValueError for a line in another form than
    one quad a line as pyoxigraph writes it (a trailing comment, an RDF 1.2 triple term).
    """
    quote = line.rfind(b'"')
    terms = line[quote + 1 :].split()
    if quote < 0 and (not terms or line.startswith(b"#")):
        return b""
    if quote >= 0 and terms[:1] and terms[0][:1] in (b"@", b"^"):
        del terms[0]
    graphs = len(terms) - (1 if quote >= 0 else 4)  # what is left but the dot: the graph or nothing
    if terms[-1:] != [b"."] or graphs not in (0, 1) or (graphs and terms[-2][:1] not in (b"<", b"_")):
        raise ValueError(f"not one quad a line: {line[:200]!r}")
    return terms[-2] if graphs else b""


def by_graph(lines: Iterable[bytes]) -> dict[bytes, list[bytes]]:
    """N-Quads lines by the term of their graph."""
    groups: dict[bytes, list[bytes]] = {}
    for line in lines:
        groups.setdefault(graph_term(line), []).append(line)
    return groups


def digest(lines: list[bytes]) -> bytes:
    """The digest of a graph's lines, whatever their order."""
    return hashlib.sha256(b"".join(sorted(lines))).digest()


@dataclass(frozen=True, slots=True)
class Run:
    """Lines of one graph together in an N-Quads file: its term, where they are, their digest."""

    term: bytes
    start: int
    end: int
    sha256: bytes


def runs(path: Path, start: int = 0, end: int | None = None) -> Iterator[tuple[Run, list[bytes]]]:
    """The runs of lines of each graph in an N-Quads file, in order, with their lines.

    Only those from `start` to `end` (the file's end if None), both where a line starts.
    """
    offset = start
    with path.open("rb") as file:
        file.seek(start)
        for term, lines in _same_graph_lines(_lines(file, None if end is None else end - start)):
            stop = offset + sum(map(len, lines))
            yield Run(term, offset, stop, digest(lines)), lines
            offset = stop


def _lines(file: BinaryIO, size: int | None) -> Iterable[bytes]:
    """The lines of the next `size` bytes of a file (all that is left if None), `size` ending a line."""
    return file if size is None else chain.from_iterable(_line_lists(file, size))


def _line_lists(file: BinaryIO, size: int) -> Iterator[list[bytes]]:
    while size > 0 and (lines := file.readlines(min(size, 1 << 20))):  # stops at `size` bytes, not after
        size -= sum(map(len, lines))
        yield lines


def _same_graph_lines(lines: Iterable[bytes]) -> Iterator[tuple[bytes, list[bytes]]]:
    """Lines of the same graph in a row, with that graph's term: `groupby(lines, graph_term)`, faster."""
    term, run = b"", []
    ending = None  # how the lines of the current named graph end
    for line in lines:
        # Most lines are of the graph of the line before, told by their end 5 times faster than
        # by `graph_term`: a triple whose object is that graph has only one space before it.
        if not (ending and line.endswith(ending) and line.count(b" ", 0, -len(ending)) >= 2):
            line_term = graph_term(line)
            if line_term != term:
                if run:
                    yield term, run
                term, run = line_term, []
                ending = b" " + term + b" .\n" if term else None
        run.append(line)
    if run:
        yield term, run


class Digests:
    """The digest each record graph was last written with, by its term (`<iri>`), in SQLite.

    Beside them, the version of the question each question graph holds (`version`), so that an older
    dump loaded later leaves it as it is; and the tasks a load owes the store (`pending`): a load
    killed before doing one leaves it to the next, which may find nothing else to write.
    """

    def __init__(self, path: Path | None) -> None:
        self.db = sqlite3.connect(path or ":memory:")
        with self.db:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS digest (graph TEXT PRIMARY KEY, sha256 BLOB) WITHOUT ROWID"
            )
            self.db.execute("CREATE TABLE IF NOT EXISTS pending (task TEXT PRIMARY KEY) WITHOUT ROWID")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS version (graph TEXT PRIMARY KEY, key BLOB) WITHOUT ROWID"
            )

    def get(self, graphs: Iterable[str]) -> dict[str, bytes]:
        """The digests known of these graphs."""
        found = (self.db.execute("SELECT graph, sha256 FROM digest WHERE graph = ?", (g,)) for g in graphs)
        return dict(row for rows in found for row in rows)

    def all(self) -> dict[str, bytes]:
        """Every digest known, by graph."""
        return dict(self.db.execute("SELECT graph, sha256 FROM digest"))

    def forget(self, graphs: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM digest WHERE graph = ?", ((g,) for g in graphs))

    def remember(self, digests: dict[str, bytes]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO digest VALUES (?, ?)", digests.items())

    def version(self, graph: str) -> bytes | None:
        """The version key of the question a graph holds (`kg.question_graphs.version_bytes`), if known."""
        row = self.db.execute("SELECT key FROM version WHERE graph = ?", (graph,)).fetchone()
        return row[0] if row else None

    def remember_versions(self, versions: dict[str, bytes]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO version VALUES (?, ?)", versions.items())

    def owe(self, task: str) -> None:
        """Record, committed, that the store owes a task, until `done`."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO pending VALUES (?)", (task,))

    def owed(self, task: str) -> bool:
        return self.db.execute("SELECT 1 FROM pending WHERE task = ?", (task,)).fetchone() is not None

    def done(self, task: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM pending WHERE task = ?", (task,))
