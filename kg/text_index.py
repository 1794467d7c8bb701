"""The texts of questions and answers indexed beside the embedded store, for substring search.

pyoxigraph has no text index: `search-text` reads and lowercases every text of the store (7 s at
100,000 questions). This index holds, for each record graph, its questions' titles and the texts of
its questions and answers, lowercased as SPARQL's LCASE does, in SQLite FTS5 with the trigram
tokenizer: a search reads only the rows holding the trigrams of what it looks for, and GLOB keeps
the exact substrings.

The index is trusted only when complete: a write marks it so until its load ends (`finish`), and a
graph's rows are dropped with its digest, before the graph, and added while it is written, before
its digest is remembered again (see `kg.store`). A load cut short leaves the index incomplete, and
searches read the texts again, until a load completes; that load rewrites every graph whose rows
may be missing or stale, as their digests are gone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from .vocab import DCTERMS, QKG, RDF

__all__ = ["Match", "TextIndex", "searchable"]

# (question IRI, part: title, question or answer)
Match = tuple[str, str]
# (question IRI, part, lowercased text)
Row = tuple[str, str, str]

_TITLE, _TEXT, _ANSWER, _TYPE = (str(term) for term in (DCTERMS.title, QKG.text, QKG.answer, RDF.type))
_QUESTION = str(QKG.Question)
# What the lines that may hold what is indexed hold: they are found before any parsing, as most
# lines of a graph (a QG's turns) are not.
_WANTED = (*(f" <{iri}> ".encode() for iri in (_TITLE, _TEXT, _ANSWER)), f"<{_QUESTION}>".encode())
# What GLOB reads as a pattern, each matched as itself when in brackets.
_GLOB_SPECIAL = str.maketrans({"*": "[*]", "?": "[?]", "[": "[[]"})


def searchable(data: bytes) -> list[Row]:
    """The rows of one graph's N-Quads: its questions' titles, and their texts and their answers'."""
    wanted = _wanted_lines(data)
    if not wanted:
        return []
    questions: set[str] = set()
    asked: dict[str, set[str]] = {}  # answer -> its questions
    texts: list[tuple[str, str, str]] = []  # (subject, predicate, text)
    for quad in parse(wanted, format=RdfFormat.N_QUADS):
        subject, predicate, value = quad.subject.value, quad.predicate.value, quad.object.value
        if predicate == _TYPE and value == _QUESTION:
            questions.add(subject)
        elif predicate == _ANSWER:
            asked.setdefault(value, set()).add(subject)
        elif predicate in (_TITLE, _TEXT):
            texts.append((subject, predicate, value))
    rows = []
    for subject, predicate, text in texts:
        if subject in questions:
            rows.append((subject, "title" if predicate == _TITLE else "question", text.lower()))
        if predicate == _TEXT:
            rows += [(question, "answer", text.lower()) for question in asked.get(subject, set()) & questions]
    return rows


def _wanted_lines(data: bytes) -> bytes:
    """The lines of N-Quads that hold one of `_WANTED`, found by bytes.find (far faster than line by line)."""
    starts = set()
    for key in _WANTED:
        found = data.find(key)
        while found >= 0:
            start = data.rfind(b"\n", 0, found) + 1
            starts.add(start)
            end = data.find(b"\n", found)
            found = data.find(key, end) if end >= 0 else -1
    lines = []
    for start in sorted(starts):
        end = data.find(b"\n", start)
        lines.append(data[start:] if end < 0 else data[start : end + 1])
    return b"".join(lines)


class TextIndex:
    """The rows of each record graph in SQLite FTS5, in a file of the store's folder (or in memory)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        if read_only and path is not None:
            self.db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            return
        # Rows are added from a thread of their own while the graphs are bulk-loaded (`kg.store`).
        self.db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        with self.db:
            self.db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5(question UNINDEXED, "
                "part UNINDEXED, content, tokenize='trigram case_sensitive 1', detail='none')"
            )
            # The rows of a graph are added together: their rowids are a span, dropped at once.
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS span (graph TEXT PRIMARY KEY, first INTEGER, last INTEGER) "
                "WITHOUT ROWID"
            )
            self.db.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY) WITHOUT ROWID")

    @staticmethod
    def supported() -> bool:
        """Whether this Python's SQLite has FTS5 and its trigram tokenizer (SQLite 3.34 and later)."""
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(c, tokenize='trigram')")
        except sqlite3.OperationalError:
            return False
        return True

    def writing(self) -> None:
        """Before a write: the index is incomplete until `finish`."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO state VALUES ('writing')")

    def finish(self) -> None:
        """After a whole load: every graph of the store has its rows."""
        with self.db:
            self.db.execute("DELETE FROM state WHERE key = 'writing'")

    def complete(self) -> bool:
        return self.db.execute("SELECT 1 FROM state WHERE key = 'writing'").fetchone() is None

    def forget(self, graphs: Iterable[str]) -> None:
        """Drop the rows of these graphs (terms as in N-Quads: `<iri>`)."""
        with self.db:
            for graph in graphs:
                span = self.db.execute("SELECT first, last FROM span WHERE graph = ?", (graph,)).fetchone()
                if span:
                    self.db.execute("DELETE FROM text WHERE rowid BETWEEN ? AND ?", span)
                    self.db.execute("DELETE FROM span WHERE graph = ?", (graph,))

    def add(self, rows: Mapping[str, list[Row]]) -> None:
        """Add the rows of graphs (by their term), whose old rows are gone."""
        with self.db:
            first = (self.db.execute("SELECT MAX(rowid) FROM text").fetchone()[0] or 0) + 1
            for graph, graph_rows in rows.items():
                if graph_rows:
                    last = first + len(graph_rows) - 1
                    self.db.executemany(
                        "INSERT INTO text (rowid, question, part, content) VALUES (?, ?, ?, ?)",
                        ((rowid, *row) for rowid, row in enumerate(graph_rows, first)),
                    )
                    self.db.execute("INSERT OR REPLACE INTO span VALUES (?, ?, ?)", (graph, first, last))
                    first = last + 1

    def graphs(self) -> int:
        """How many graphs have rows: about how many questions the store holds."""
        return self.db.execute("SELECT COUNT(*) FROM span").fetchone()[0]

    def find(self, text: str) -> set[Match] | None:
        """Where the text is, whatever its case, as CONTAINS(LCASE(…)) finds it; None when incomplete."""
        if not self.complete():
            return None
        pattern = f"*{text.lower().translate(_GLOB_SPECIAL)}*"
        return set(self.db.execute("SELECT question, part FROM text WHERE content GLOB ?", (pattern,)))
