"""The embedded store: a pyoxigraph database on disk, each record in its own named graph.

A store folder holds the database (`oxigraph/`), the AMO referential that later loads
resolve authors, groups and ministries against (`referential.json`), the digest of each
record graph as last written (`digests.sqlite`), so that a reload leaves unchanged graphs alone,
and the index of the texts of questions and answers (`texts.sqlite`, see `kg.text_index`).

A load killed at any point (SIGKILL: tests/test_crash.py) leaves a store that opens, and running
the same load again completes it: a graph's digest is forgotten before the graph is touched and
remembered once its new quads are on disk, so the rerun rewrites whatever was cut short; a prune
a load owes is recorded before the first graph goes; the database and the referential appear whole
or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, TypeVar

import platformdirs
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Store

from .concurrent_reads import beside_a_load
from .digests import Digests, by_graph, digest
from .errors import KGError
from .rdfio import FORMATS, PREFIXES, write_quads, write_rdf
from .referential import Referential
from .results import Answer, from_oxigraph
from .text_index import Row, TextIndex, searchable
from .vocab import BASE

__all__ = ["DEFAULT_STORE", "GROWING_KINDS", "EmbeddedStore", "Graph", "Stats", "prune_update"]

DEFAULT_STORE = platformdirs.user_data_path("questions-kg") / "store"
# Graphs of nodes that many records share; they go when no record points to their node any more.
SHARED_KINDS = ("unresolved", "rubrique", "tete-analyse", "constituency", "entity", "legal")
# Of those, the graphs that only grow: an entity's graph is a record, replaced whole on each load.
GROWING_KINDS = ("unresolved", "rubrique", "tete-analyse", "constituency")

# What names a graph.
Graph = NamedNode | BlankNode
T = TypeVar("T")


def read_referential(folder: Path) -> Referential | None:
    """The referential saved in a store's folder, if there is one; the store itself is not opened."""
    saved = folder / "referential.json"
    return Referential.from_json(saved.read_text(encoding="utf-8")) if saved.is_file() else None


def orphan_graphs_pattern(base: str = BASE) -> str:
    """A graph pattern binding ?g, ?s, ?p, ?o to the triples of shared graphs nothing points to any more."""
    starts = " || ".join(f'STRSTARTS(STR(?g), "{base}graph/{kind}/")' for kind in SHARED_KINDS)
    return f"""{{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER({starts})
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?x ?y ?s }} }}
}}"""


def prune_update(base: str = BASE) -> str:
    """SPARQL Update deleting the shared graphs that nothing points to any more."""
    return f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }}\nWHERE {orphan_graphs_pattern(base)}"


def syntax_error(text: str, message: str) -> str:
    """One line for a SPARQL syntax error: its position, the text up to it, what was expected if short.

    pyoxigraph says "error at LINE:COLUMN: expected ...", the position being where it gave up, and
    the expected part may list character classes over several lines: only a short one is shown.
    """
    found = re.match(r"error at (\d+):(\d+)(?::\s*(.*))?", message, re.DOTALL)
    if not found:
        return f"SPARQL syntax error: {' '.join(message.split())}"
    line, column = int(found[1]), int(found[2])
    lines = text.splitlines() or [""]
    before = " ".join(lines[min(line, len(lines)) - 1][:column].split())
    detail = " ".join((found[3] or "").split())
    if "Prefix not found" in detail:
        prefixes = re.findall(r"([A-Za-z][\w.-]*):", before)
        detail = f"unknown prefix {prefixes[-1]}:" if prefixes else "unknown prefix"
    elif len(detail) > 100:
        detail = ""
    where = f'SPARQL syntax error at {line}:{column}, after "{before[-40:]}"'
    return f"{where}: {detail}" if detail else where


def _database(folder: Path) -> Path:
    """The database folder of a store folder, created aside and renamed into place if there is none yet.

    pyoxigraph creates a database in steps (RocksDB's files, then its column families and version):
    a first `kg load` killed meanwhile would leave a folder that read-only opens refuse. Created aside,
    `oxigraph/` is whole or absent; a half-created `oxigraph.partial` is completed by the next load.
    """
    database = folder / "oxigraph"
    if not database.is_dir():
        partial = folder / "oxigraph.partial"
        partial.mkdir(parents=True, exist_ok=True)
        Store(str(partial))  # created, then closed as it is dropped
        partial.rename(database)
    return database


@dataclass
class Stats:
    """What a store holds."""

    triples: int
    graphs: int
    size_bytes: int
    classes: dict[str, int] = field(default_factory=dict)
    questions: dict[tuple[str, str], int] = field(default_factory=dict)


class EmbeddedStore:
    """The on-disk store (or an in-memory one when `path` is None)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._referential: Referential | None = None
        self._digests: Digests | None = None
        # Made with the store and kept up to date by every write since; a store of an older kg has none.
        self._text_index: TextIndex | None = None
        # Whether this process has recorded that the store owes a prune (see `_owe_prune`).
        self._replaced = False
        # Whether graphs were removed since the last flush (see `written`).
        self._removed = False
        # Record graphs that writes found unchanged and left alone.
        self.unchanged = 0
        try:
            if path is None:
                self.db = Store()
            elif read_only:
                beside_a_load(self._open_read_only)
            else:
                self.db = Store(str(_database(path)))
        except OSError as error:
            raise KGError(f"cannot open the store at {path}: {error}") from error
        if not read_only and TextIndex.supported():
            file = path / "texts.sqlite" if path else None
            if file is None or file.exists() or self._empty():
                self._text_index = TextIndex(file)

    # -- the referential ----------------------------------------------------------

    def referential(self) -> Referential:
        """The acteurs and organes of earlier loads."""
        if self._referential is None:
            saved = read_referential(self.path) if self.path else None
            self._referential = saved or Referential()
        return self._referential

    def save_referential(self, referential: Referential) -> None:
        self._referential = referential
        if self.path is not None:
            # Written aside then renamed, so that a crash never leaves half a file.
            partial = self.path / "referential.json.partial"
            partial.write_text(referential.to_json(), encoding="utf-8")
            partial.replace(self.path / "referential.json")

    # -- writing -----------------------------------------------------------------

    def write_nquads(self, data: bytes, replace: Iterable[NamedNode]) -> None:
        """Replace the `replace` graphs by their quads in `data`; add the other quads.

        `data` is N-Quads of one quad a line, as pyoxigraph writes it. A graph to replace that
        holds the lines it was last written with is left as it is.
        """
        lines = by_graph(data.splitlines(keepends=True))
        records = {graph: lines.pop(str(graph).encode(), []) for graph in replace}
        digests = {graph: digest(graph_lines) for graph, graph_lines in records.items()}
        changed = self.make_way(digests, added=[term.decode() for term in lines])
        kept = b"".join(chain(*lines.values(), *(records[graph] for graph in changed)))
        # The bulk path, parsed by pyoxigraph itself; a load cut short is made whole by running it again.
        self.bulk_load_indexing(
            lambda: kept and self.db.bulk_load(kept, RdfFormat.N_QUADS),
            lambda: {graph: searchable(b"".join(records[graph])) for graph in changed},
        )
        self.written({graph: digests[graph] for graph in changed})

    def bulk_load_indexing(
        self, bulk_load: Callable[[], object], texts: Callable[[], Mapping[Graph, list[Row]]]
    ) -> None:
        """Run a bulk load while the texts of the graphs it writes go to the text index, on the other core.

        pyoxigraph and SQLite let go of Python's lock for most of their work. Rows may so be in the
        index before their graph is on disk: it is incomplete until the load ends, and a graph whose
        digest is not remembered yet is written again, rows and all, by the next load.
        """
        if self._text_index is None:
            bulk_load()
            return
        index = self._text_index
        with ThreadPoolExecutor(1) as pool:
            indexing = pool.submit(lambda: index.add({str(graph): rows for graph, rows in texts().items()}))
            try:
                bulk_load()
            finally:
                indexing.result()

    def make_way(self, digests: Mapping[Graph, bytes], added: Iterable[str]) -> set[Graph]:
        """Before a write: drop the graphs of `digests` not holding those lines yet; they are to write.

        The graphs written to, these and the `added` ones (terms as in N-Quads), lose their digest
        first: a write cut short then leaves no digest of lines the store does not hold.
        """
        known = self._table().get(str(graph) for graph in digests)
        unchanged = {
            graph for graph, sha in digests.items()
            if known.get(str(graph)) == sha and self.db.contains_named_graph(graph)
        }
        changed = set(digests) - unchanged
        self._table().forget(chain((str(graph) for graph in changed), added))
        if changed and self._text_index:
            self._text_index.writing()
            self._text_index.forget(str(graph) for graph in changed)
        dropped = [graph for graph in changed if self.db.contains_named_graph(graph)]
        if dropped:
            self._owe_prune()
        for graph in dropped:
            self.db.remove_graph(graph)
        self._removed = self._removed or bool(dropped)
        self.unchanged += len(unchanged)
        return changed

    def digests(self) -> dict[str, bytes]:
        """The digest each record graph was last written with, by its term (`<iri>`)."""
        return self._table().all()

    def has_text_index(self) -> bool:
        """Whether writes to this store keep a text index."""
        return self._text_index is not None

    def held_version(self, graph: str) -> bytes | None:
        """The version of the question a graph holds, as the load that wrote it recorded it."""
        return self._table().version(graph)

    def remember_versions(self, versions: dict[str, bytes]) -> None:
        """After a write: the versions of the questions written (their graphs' quads are on disk)."""
        self._table().remember_versions(versions)

    def _owe_prune(self) -> None:
        """Before the first graph a load replaces goes: record that the store owes a prune.

        Recorded in the digests' database, committed before the removal (itself durable at once):
        a load killed before its prune leaves every record graph rewritten with its digest, so the
        rerun writes nothing, and would otherwise leave the orphans of the killed load for good.
        """
        if not self._replaced:
            self._table().owe("prune")
            self._replaced = True

    def written(self, digests: Mapping[Graph, bytes]) -> None:
        """After a write: remember the digests of the graphs written, but the empty ones (lines apart)."""
        # Removals are on disk before the digests that vouch for them, even after a power cut. The
        # bulk loader's files are on disk when it returns, and a flush right after it waits for the
        # compactions it set off (43 s for 100,000 questions): a write that removed nothing does not flush.
        if self._removed:
            self.db.flush()
            self._removed = False
        self._table().remember({str(graph): sha for graph, sha in digests.items() if sha})

    def finish(self) -> None:
        """After a whole load: the text index holds every graph's texts."""
        if self._text_index:
            self._text_index.finish()

    def _empty(self) -> bool:
        return next(self.db.quads_for_pattern(None, None, None), None) is None

    def text_index(self) -> TextIndex | None:
        """The index of the texts, when this store has one and it is complete."""
        if self._text_index is None and self.path and (self.path / "texts.sqlite").is_file():
            self._text_index = TextIndex(self.path / "texts.sqlite", read_only=True)
        index = self._text_index
        return index if index is not None and index.complete() else None

    def _table(self) -> Digests:
        if self._digests is None:
            self._digests = Digests(self.path / "digests.sqlite" if self.path else None)
        return self._digests

    def prune(self, base: str = BASE) -> None:
        """Drop the shared graphs nothing points to; only a replaced record can have left one.

        Walked graph by graph, as the filter of `prune_update` reads every quad of the store; all
        orphans are found before any is dropped, as in that update.
        """
        if not (self._replaced or self._table().owed("prune")):  # owed: by a load killed before its prune
            return
        shared = tuple(f"{base}graph/{kind}/" for kind in SHARED_KINDS)
        graphs = [graph for graph in self.db.named_graphs() if graph.value.startswith(shared)]
        found = {graph: self._orphans(graph) for graph in graphs}
        self._table().forget([str(graph) for graph, orphans in found.items() if orphans])
        for graph, orphans in found.items():
            for quad in orphans:
                self.db.remove(quad)
            if orphans and not self.quads(graph):
                self.db.remove_graph(graph)  # its name too, as a fresh load would not have it
        self.db.flush()  # the removals on disk before the record that they are owed goes
        self._table().done("prune")
        self._replaced = False

    def _orphans(self, graph: Graph) -> list[Quad]:
        """The triples of a graph whose subject no triple of a named graph has as object."""
        quads = self.quads(graph)
        subjects = {subject for subject in {quad.subject for quad in quads} if not self._pointed_to(subject)}
        return [quad for quad in quads if quad.subject in subjects]

    def _pointed_to(self, node: NamedNode | BlankNode) -> bool:
        """Whether a triple of a named graph has the node as object."""
        pointing = self.db.quads_for_pattern(None, None, node)
        return any(not isinstance(quad.graph_name, DefaultGraph) for quad in pointing)

    def flush(self) -> None:
        self.db.flush()

    # -- reading -----------------------------------------------------------------

    def read(self, run: Callable[[Store], T]) -> T:
        """`run(self.db)`: on a read-only store, run again on the database opened anew when a load
        beside it deleted a file it read (see `kg.concurrent_reads`)."""
        if not self.read_only:
            return run(self.db)
        return beside_a_load(lambda: run(self.db), reopen=self._open_read_only)

    def _open_read_only(self) -> None:
        self.db = Store.read_only(str(self.path / "oxigraph"))

    def query(self, text: str) -> Answer:
        """Run a SPARQL query over the union of all graphs."""
        query = {"prefixes": PREFIXES, "use_default_graph_as_union": True}
        try:
            return self.read(lambda db: from_oxigraph(db.query(text, **query)))
        except SyntaxError as error:
            raise KGError(syntax_error(text, str(error))) from error
        except OSError as error:
            raise KGError(f"the query failed: {error}") from error

    def quads(self, graph: NamedNode | None = None) -> list[Quad]:
        return self.read(lambda db: list(db.quads_for_pattern(None, None, None, graph)))

    def export(self, output: IO[bytes], fmt: str, graph: NamedNode | None = None) -> int:
        """Write the store, or one graph, in one of FORMATS; the number of triples written."""
        if fmt not in FORMATS:
            raise KGError(f"unknown format {fmt!r}")
        quads = self.quads(graph)
        if graph is not None and not quads:
            raise KGError(f"the store has no graph {graph.value}")
        if fmt in ("trig", "nquads"):
            write_quads(quads, output, fmt)
        else:
            write_rdf((q.triple for q in quads), output, fmt)
        return len(quads)

    def stats(self) -> Stats:
        """Counts by class, by legislature and type of question, of triples, graphs and bytes."""
        classes = self.query("SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
        questions = self.query(
            "PREFIX qkg: <https://w3id.org/questions-kg/ontology#> "
            "SELECT ?legislature ?type (COUNT(?q) AS ?n) WHERE { ?q a qkg:Question ; "
            "qkg:legislature/qkg:number ?legislature ; qkg:questionType ?t . "
            'BIND(STRAFTER(STR(?t), "question-type/") AS ?type) } GROUP BY ?legislature ?type'
        )
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file()) if self.path else 0
        return Stats(
            triples=self.read(len),
            graphs=self.read(lambda db: sum(1 for _ in db.named_graphs())),
            size_bytes=size,
            classes={row[0].value: int(row[1].value) for row in classes.rows},
            questions={(row[0].value, row[1].value): int(row[2].value) for row in questions.rows},
        )
