"""Question documents to serialised graphs, read and mapped in worker processes sharing one referential.

Each question becomes its own graph's lines plus the lines of the shared graphs it touches
(rubriques, unresolved names, entities), with its version key and what it adds to the summary.
The parent keeps the newest version of each question and writes them out (see `kg.convert`).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from .mapping import IRIs, question_triples
from .mentions import Extractor, Mention
from .model import Question
from .readers import Rejected, read_source
from .readers.files import Source
from .referential import Referential, completeness
from .resolve import resolve_question
from .spool import Spooled, SpoolWriter

__all__ = ["QuestionGraph", "QuestionMapper", "Version", "map_sources", "version_bytes", "version_key"]

# How two versions of a question compare: its latest date, how full it is, a digest of its lines.
Version = tuple[date, int, bytes]

# Batches in flight per worker: enough to keep both busy, few enough to bound the memory.
_IN_FLIGHT = 2


@dataclass(frozen=True)
class QuestionGraph:
    """One question converted: its graph's lines and the shared lines it touches."""

    uid: str
    version: Version
    own: bytes
    # (graph, subject, predicate, line) of each triple about a node that is not the question's
    shared: list[tuple[str, str, str, bytes]]
    # what the question adds to the summary: kind, legislature, non-inscrit, unresolved, mention types
    tally: tuple[str, int, bool, tuple[str, ...], tuple[str, ...]]


def version_key(question: Question, lines: bytes) -> Version:
    """Orders two versions of a question (two dumps): latest dates, then fullest record, then content.

    Decided from the content alone (`lines`, its serialised triples), so that the order in which
    files come does not matter.
    """
    dates = [question.published, question.closure.on if question.closure else None]
    dates += [a.published for a in question.answers] + [a.on for a in question.attributions]
    newest = max((d for d in dates if d), default=date.min)
    return newest, completeness(question), hashlib.sha256(lines).digest()


def version_bytes(version: Version) -> bytes:
    """How a version compares with those of other loads, as bytes that sort so: its latest date, then
    its fullness. Not its content: of two versions equal so, the one loaded last is kept."""
    newest, fullness, _ = version
    return f"{newest.isoformat()}|{fullness:010d}".encode()


class QuestionMapper:
    """Resolves and maps questions against a fixed referential; one per process."""

    def __init__(
        self, referential: Referential, base: str, labels: dict[str, str], *, entities: bool, ner: bool,
        quads: bool,
    ) -> None:
        self.settings = (referential, base, labels, {"entities": entities, "ner": ner, "quads": quads})
        self.referential, self.iris, self.labels, self.quads = referential, IRIs(base), labels, quads
        self.extract = Extractor(referential, ner=ner).extract if entities else None

    def sources(self, sources: Iterable[Source]) -> list[QuestionGraph | Rejected]:
        """The questions of these documents, read and converted, and the records that could not be read."""
        out: list[QuestionGraph | Rejected] = []
        for source in sources:
            for record in read_source(source):
                if isinstance(record, Question):
                    out.append(self.guarded(record))
                elif isinstance(record, Rejected):
                    out.append(record)
                else:  # an acteur or organe among the questions: read with the referential instead
                    out.append(Rejected(source.name, f"{type(record).__name__.lower()} among questions"))
        return out

    def guarded(self, question: Question) -> QuestionGraph | Rejected:
        """`question`, but a record that fails to map is rejected with the error, not the whole run."""
        try:
            return self.question(question)
        except Exception as error:  # a bug met on odd input: reported, and the other records convert
            reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
            return Rejected(question.source, f"cannot be converted, a bug of kg: please report it ({reason})")

    def question(self, question: Question) -> QuestionGraph:
        resolution = resolve_question(question, self.referential)
        mentions: list[str] = []

        def extract(text: str) -> list[Mention]:
            assert self.extract is not None
            found = self.extract(text)
            mentions.extend(m.type for m in found)
            return found

        triples = question_triples(question, resolution, self.iris, self.labels, self.extract and extract)
        own, shared = self.graph_lines(self.iris.graph("question", question.uid), triples)
        tally = (question.kind, question.legislature, resolution.non_inscrit, resolution.unresolved,
                 tuple(mentions))
        content = own + b"".join(line for *_, line in shared)
        return QuestionGraph(question.uid, version_key(question, content), own, shared, tally)

    def graph_lines(
        self, record: NamedNode, triples: Iterable[Triple], owns: tuple[str, ...] = ()
    ) -> tuple[bytes, list[tuple[str, str, str, bytes]]]:
        """A record's triples: the lines of its own graph, and those of the shared graphs (see QuestionGraph).

        :param owns: IRI prefixes of the nodes whose triples go to the record's graph too.
        """
        own: dict[Triple, None] = {}
        shared: dict[Triple, NamedNode] = {}
        homes: dict[NamedNode, NamedNode] = {}  # a record's triples are about a few subjects
        for triple in triples:
            subject = triple.subject
            home = homes.get(subject)
            if home is None:
                owned = owns and subject.value.startswith(owns)
                home = homes[subject] = record if owned else self.iris.graph_of(subject)
            if home == record:
                own[triple] = None
            else:
                shared[triple] = home
        lines = serialize(list(shared), None, RdfFormat.N_TRIPLES).splitlines(keepends=True)
        return self.in_graph(serialize(list(own), None, RdfFormat.N_TRIPLES), record), [
            (g.value, t.subject.value, t.predicate.value, self.in_graph(line, g))
            for (t, g), line in zip(shared.items(), lines, strict=True)
        ]

    def in_graph(self, lines: bytes, graph: NamedNode) -> bytes:
        """N-Triples lines as N-Quads lines in `graph`; as they are if N-Triples are written.

        Quads built from triples would cost more than serialising them (a fifth of the mapping).
        """
        # An N-Triples line ends with " .\n", and a literal's line breaks are escaped in it.
        return lines.replace(b" .\n", f" {graph} .\n".encode()) if self.quads else lines


# -- worker processes -------------------------------------------------------------------------

_mapper: QuestionMapper | None = None
_writer: SpoolWriter | None = None


def _start_worker(
    parent: int, folder: Path, settings: tuple[Referential, str, dict[str, str], dict[str, bool]] | None
) -> None:
    """In a worker: outlive no killed parent, open its spool file, and build the mapper from its
    settings if not forked with it."""
    global _mapper, _writer
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()
    _writer = SpoolWriter(folder)
    if settings is not None:
        referential, base, labels, options = settings
        _mapper = QuestionMapper(referential, base, labels, **options)


def _exit_without(parent: int) -> None:
    """Exit once the parent is gone (a `kg load` SIGKILLed).

    A forked worker holds the write end of the pool's task pipe too, so it never sees the pipe
    close: it would wait for work forever, holding the files of the parent's store open.
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _map_in_worker(sources: list[Source]) -> list[Spooled | Rejected]:
    assert _mapper is not None and _writer is not None
    return _spooled(_mapper.sources(sources), _writer)


def _spooled(results: list[QuestionGraph | Rejected], writer: SpoolWriter) -> list[Spooled | Rejected]:
    spooled = [writer.put(result) if isinstance(result, QuestionGraph) else result for result in results]
    writer.flush()
    return spooled


def map_sources(
    batches: Iterable[list[Source]], mapper: QuestionMapper, jobs: int, writer: SpoolWriter
) -> Iterator[tuple[int, list[Spooled | Rejected]]]:
    """Read and map batches of question files on `jobs` processes, each writing the graphs to a spool
    file of its own (this one's is `writer`): each batch's size and results, in order."""
    # Frozen, the referential's millions of objects are not scanned by every collection (half the
    # mapping's time, else), and forked workers share its pages copy-on-write without copying them.
    gc.freeze()
    try:
        if jobs <= 1:
            yield from ((len(batch), _spooled(mapper.sources(batch), writer)) for batch in batches)
        else:
            yield from _map_in_pool(batches, mapper, jobs, writer.folder)
    finally:
        gc.unfreeze()


def _map_in_pool(
    batches: Iterable[list[Source]], mapper: QuestionMapper, jobs: int, folder: Path
) -> Iterator[tuple[int, list[Spooled | Rejected]]]:
    global _mapper
    # Forked workers inherit the mapper, its referential and its lists at no cost; others build theirs.
    forking = "fork" in multiprocessing.get_all_start_methods()
    _mapper = mapper if forking else None
    with ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork" if forking else None),
        initializer=_start_worker,
        initargs=(os.getpid(), folder, None if forking else mapper.settings),
    ) as pool:
        pending: list[tuple[int, Future[list[Spooled | Rejected]]]] = []
        for batch in batches:
            pending.append((len(batch), pool.submit(_map_in_worker, batch)))
            while len(pending) >= jobs * _IN_FLIGHT:
                size, future = pending.pop(0)
                yield size, future.result()
        for size, future in pending:
            yield size, future.result()
    _mapper = None


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
