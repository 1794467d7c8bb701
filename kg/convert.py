"""The conversion pipeline: read every input, keep the newest version of each question, map, count.

It streams, so that memory does not grow with the number of questions. Acteurs and organes are
read first, since questions resolve against them. Question documents are then read and converted on
every core (`kg.question_graphs`), each question spooled to disk with its version key. Last, the newest
version of each question is written out in uid order, then the organes, acteurs, legislatures and
the entities mentioned: the output does not depend on the number of workers or the input order.
"""

from __future__ import annotations

import codecs
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from .errors import InputError
from .links import Links
from .mapping import ORGANE_CLASSES, IRIs, acteur_triples, legislature_triples, organe_triples
from .model import Acteur, Question
from .progress import Progress, progress_bar
from .question_graphs import QuestionGraph, QuestionMapper, map_sources, version_bytes
from .readers import Rejected, Skipped, read_source
from .readers.files import DATA_SUFFIXES, Source, iter_sources
from .referential import Referential
from .resources import resource_dir
from .spool import Spool, Spooled
from .vocab import BASE, FOAF, SKOS

__all__ = ["Chunk", "Conversion", "ConversionStream", "Summary", "convert"]

# Question documents handed to a worker at a time.
_BATCH = 32
# A per-record question file of the AN open data opens with its `question` object; anything else
# (acteurs, organes, whole-dump exports, pages) is read with the referential, in the parent.
_QUESTION_DOCUMENT = re.compile(rb"\s*\{\s*\"question\"\s*:")
# An entity keeps the first label met in uid order: rules and models spell it several ways.
_LABELS = {str(SKOS.prefLabel), str(FOAF.name)}

@dataclass
class Summary:
    """What a conversion read, produced, could not resolve and rejected."""

    records_read: int = 0
    questions: Counter[str] = field(default_factory=Counter)
    superseded: int = 0
    older_than_held: int = 0  # of them, versions older than the one the store holds: left out
    acteurs: int = 0
    organes: int = 0
    triples: int = 0
    skipped: int = 0
    non_inscrit: int = 0
    unresolved: Counter[str] = field(default_factory=Counter)
    unresolved_questions: dict[str, list[str]] = field(default_factory=dict)
    mentions: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True)
class Chunk:
    """Whole named graphs as N-Quads (N-Triples if asked), and those of them that are records.

    A store replaces a record's graph whole (questions, acteurs, organes, legislatures, entities);
    the other graphs (rubriques, constituencies, unresolved names…) only grow.
    """

    data: bytes
    records: list[NamedNode]
    triples: int
    versions: dict[str, bytes] = field(default_factory=dict)  # question graph -> `version_bytes`


@dataclass
class Conversion:
    """The quads of a whole conversion in memory, with its summary and referential (see `convert`).

    Each triple lives in exactly one named graph (see `IRIs.graph_of`).
    """

    quads: list[Quad]
    records: set[NamedNode]
    summary: Summary
    referential: Referential

    @property
    def triples(self) -> list[Triple]:
        """The graph as triples (no triple is in two graphs, so none repeats)."""
        return [quad.triple for quad in self.quads]


def convert(paths: Iterable[Path], **options: object) -> Conversion:
    """Convert question files, AMO files, page texts, folders and zips into one graph in memory.

    Takes the options of `ConversionStream`; for whole legislatures, iterate a stream instead.
    """
    stream = ConversionStream(paths, **options)  # type: ignore[arg-type]
    quads: list[Quad] = []
    records: set[NamedNode] = set()
    for chunk in stream:
        quads.extend(parse(chunk.data, RdfFormat.N_QUADS))
        records.update(chunk.records)
    return Conversion(quads, records, stream.summary, stream.referential)


class ConversionStream:
    """A conversion as chunks of whole graphs; `summary` is complete once they have all been read.

    :param referential: acteurs and organes known from earlier loads, to resolve against;
        the records read here are merged into it.
    :param entities: extract the organisations, legal instruments and people the texts mention.
    :param ner: with spaCy's statistical model too.
    :param links: Wikidata QIDs of deputies and parties; the shipped tables by default.
    :param jobs: worker processes converting questions.
    :param quads: chunks in N-Quads (named graphs kept); else N-Triples.
    :param progress: makes the bar that counts the question records converted (see `kg.progress`).
    :param held: the version (`version_bytes`) a store holds of a question graph, if any: an older
        version is left out, so that dumps loaded in any order end with the newest.
    """

    def __init__(
        self,
        paths: Iterable[Path],
        *,
        base: str = BASE,
        referential: Referential | None = None,
        entities: bool = True,
        ner: bool = False,
        links: Links | None = None,
        jobs: int = 1,
        quads: bool = True,
        progress: Progress | None = None,
        chunk_triples: int = 100_000,
        held: Callable[[str], bytes | None] | None = None,
    ) -> None:
        self.paths = list(paths)
        self.base, self.entities, self.ner, self.jobs, self.quads = base, entities, ner, jobs, quads
        self.links = links or Links.load()
        self.referential = referential if referential is not None else Referential()
        self.progress, self.chunk_triples, self.held = progress, chunk_triples, held
        self.summary = Summary()
        self.iris = IRIs(base)
        self.question_files = 0

    def __iter__(self) -> Iterator[Chunk]:
        questions, acteurs, organes = self._read_referential()
        if not (self.summary.records_read or self.question_files or questions):
            raise InputError(_nothing_to_read(self.paths, self.summary.skipped))
        mapper = QuestionMapper(
            self.referential, self.base, _rubrique_labels(), entities=self.entities, ner=self.ner,
            quads=self.quads,
        )
        with tempfile.TemporaryDirectory(prefix="kg-spool-") as folder:
            spool = Spool(Path(folder))
            # A record is a per-record question file, or a question of another document (a page, a
            # whole-dump export): what the conversion advances on, read or rejected alike.
            records = self.question_files + len(questions)
            with progress_bar(self.progress, total=records, desc="converting", unit="record") as bar:
                for graph in map(mapper.guarded, questions):
                    self._take(spool.writer.put(graph) if isinstance(graph, QuestionGraph) else graph, spool)
                    bar.update(1)
                sources = _batches(self._question_sources())
                for files, results in map_sources(sources, mapper, self.jobs, spool.writer):
                    for result in results:
                        self._take(result, spool)
                    bar.update(files)
            self.summary.superseded += spool.superseded
            yield from _Writer(self, mapper).chunks(spool, acteurs, organes)
        self.summary.rejected.sort(key=lambda r: r.source)

    def _read_referential(self) -> tuple[list[Question], set[str], set[str]]:
        """Read every document that is not a per-record question file: acteurs, organes, the rest.

        Returns the questions found there (pages, whole-dump exports) and the uids of the acteurs
        and organes read; counts the question files left for the workers.
        """
        questions: list[Question] = []
        acteurs: set[str] = set()
        organes: set[str] = set()
        self.question_files = 0
        for source in iter_sources(self.paths):
            if isinstance(source, Skipped):
                self.summary.skipped += 1
            elif isinstance(source, Rejected):  # an unreadable zip, an unsafe zip member
                self.summary.records_read += 1
                self.summary.rejected.append(source)
            elif _is_question_source(source):
                self.question_files += 1
            else:
                for record in read_source(source):
                    if isinstance(record, Question):
                        questions.append(record)  # counted when converted, as the others
                        continue
                    self.summary.records_read += 1
                    if isinstance(record, Rejected):
                        self.summary.rejected.append(record)
                    else:
                        self.referential.add(record)
                        (acteurs if isinstance(record, Acteur) else organes).add(record.uid)
        return questions, acteurs, organes

    def _question_sources(self) -> Iterator[Source]:
        for source in iter_sources(self.paths):
            if isinstance(source, Source) and _is_question_source(source):
                yield source

    def _take(self, result: Spooled | Rejected, spool: Spool) -> None:
        self.summary.records_read += 1
        if isinstance(result, Rejected):
            self.summary.rejected.append(result)
        else:
            spool.add(result)


def _batches(sources: Iterator[Source]) -> Iterator[list[Source]]:
    while batch := list(islice(sources, _BATCH)):
        yield batch


def _nothing_to_read(paths: list[Path], skipped: int) -> str:
    """Why a conversion that found no document fails: a mistyped folder would give an empty graph."""
    kinds = ", ".join(sorted(DATA_SUFFIXES))
    others = f" ({skipped} file{'s' * (skipped > 1)} of other kinds skipped)" if skipped else ""
    return f"no document to read in {', '.join(map(str, paths)) or 'no path'}: kg reads {kinds} files{others}"


def _is_question_source(source: Source) -> bool:
    """Whether a document is a per-record question file, from its first bytes (a worker reads the rest)."""
    return bool(_QUESTION_DOCUMENT.match(source.head(100).removeprefix(codecs.BOM_UTF8)))


class _Writer:
    """Turns the spooled questions and the referential's new records into chunks of whole graphs.

    A record's graph must come whole in one chunk, since a store replaces it: the lines that
    questions give about the acteurs, organes and entities of this conversion wait for their record.
    """

    def __init__(self, stream: ConversionStream, mapper: QuestionMapper) -> None:
        self.stream, self.mapper, self.summary, self.iris = stream, mapper, stream.summary, stream.iris
        self.seen: set[bytes] = set()  # lines of the shared graphs already written
        self.waiting: dict[str, dict[bytes, None]] = {}  # lines of records written later, by graph
        self.later: set[str] = set()  # the graphs of those records
        self.labelled: set[str] = set()
        self.entity_graphs = (f"{self.iris.base}graph/entity/", f"{self.iris.base}graph/legal/")
        self.parts: list[bytes] = []
        self.records: list[NamedNode] = []
        self.triples = 0
        self.versions: dict[str, bytes] = {}

    def chunks(self, spool: Spool, acteurs: set[str], organes: set[str]) -> Iterator[Chunk]:
        referential, links = self.stream.referential, self.stream.links
        organes = {uid for uid in organes if referential.organes[uid].code_type in ORGANE_CLASSES}
        self.later = {self.iris.graph("acteur", uid).value for uid in acteurs}
        self.later |= {self.iris.graph("organe", uid).value for uid in organes}
        legislatures: set[int] = set()
        for uid, version, own, shared, tally in spool.newest():
            graph = self.iris.graph("question", uid)
            key = version_bytes(version)
            held = self.stream.held(graph.value) if self.stream.held else None
            if held is not None and held > key:  # nothing of it is written, its shared lines neither
                self.summary.superseded += 1
                self.summary.older_than_held += 1
                continue
            self.versions[graph.value] = key
            legislatures.add(tally[1])
            self._count(uid, tally)
            self._route(shared)
            yield from self._write(graph, own)
        # The acteurs', organes' and legislatures' lines about one another are routed before any is written.
        records = []
        for uid in sorted(organes):
            organe = referential.organes[uid]
            graph = self.iris.graph("organe", uid)
            records.append((graph, organe_triples(organe, self.iris, links.of_organe(organe)), ()))
        # An acteur's mandates live in the acteur's graph: they have no record of their own.
        mandates = self.iris.mandate("").value
        for uid in sorted(acteurs):
            triples = acteur_triples(referential.acteurs[uid], self.iris, links.deputies.get(uid))
            records.append((self.iris.graph("acteur", uid), triples, (self.iris.acteur(uid).value, mandates)))
        for number, (start, end) in sorted(_legislatures(legislatures, referential).items()):
            triples = legislature_triples(number, start, end, self.iris)
            records.append((self.iris.graph("legislature", str(number)), triples, ()))
        self.summary.organes, self.summary.acteurs = len(organes), len(acteurs)
        lines = [(graph, *self.mapper.graph_lines(graph, triples, owns)) for graph, triples, owns in records]
        for _, _, shared in lines:
            self._route(shared)
        for graph, own, _ in lines:
            yield from self._write(graph, own)
        for graph in sorted(self.waiting):  # the entities
            yield from self._write(NamedNode(graph), b"")
        if self.parts:
            yield self._take()

    def _route(self, shared: list[tuple[str, str, str, bytes]]) -> None:
        """Lines of shared graphs: written now if new, or kept for their record."""
        for graph, subject, predicate, line in shared:
            if graph in self.later or graph.startswith(self.entity_graphs):
                if predicate in _LABELS and graph.startswith(self.entity_graphs):
                    if subject in self.labelled:
                        continue
                    self.labelled.add(subject)
                self.waiting.setdefault(graph, {})[line] = None
            elif line not in self.seen:
                self.seen.add(line)
                self.parts.append(line)
                self.triples += 1

    def _write(self, record: NamedNode, own: bytes) -> Iterator[Chunk]:
        """A record's whole graph: its own lines and those kept for it."""
        waiting = self.waiting.pop(record.value, None)
        if waiting:
            own = b"".join(dict.fromkeys([*own.splitlines(keepends=True), *waiting]))
        self.parts.append(own)
        self.records.append(record)
        self.triples += own.count(b"\n")
        if self.triples >= self.stream.chunk_triples:
            yield self._take()

    def _take(self) -> Chunk:
        self.summary.triples += self.triples
        chunk = Chunk(b"".join(self.parts), self.records, self.triples, self.versions)
        self.parts, self.records, self.triples, self.versions = [], [], 0, {}
        return chunk

    def _count(self, uid: str, tally: tuple) -> None:
        kind, _, non_inscrit, unresolved, mentions = tally
        self.summary.questions[kind] += 1
        self.summary.non_inscrit += non_inscrit
        self.summary.mentions.update(mentions)
        for what in unresolved:
            self.summary.unresolved[what] += 1
            self.summary.unresolved_questions.setdefault(what, []).append(uid)


def _legislatures(
    numbers: Iterable[int], referential: Referential
) -> dict[int, tuple[date | None, date | None]]:
    """Dates of each legislature from the AMO assembly organes; an open end closes when the next starts."""
    spans: dict[int, tuple[date | None, date | None]] = dict.fromkeys(numbers, (None, None))
    for organe in referential.organes.values():
        if organe.code_type == "ASSEMBLEE" and organe.legislature:
            spans[organe.legislature] = (organe.start, organe.end)
    for number, (start, end) in spans.items():
        following = spans.get(number + 1, (None, None))[0]
        if end is None and following is not None:
            spans[number] = (start, following - timedelta(days=1))
    return spans


def _rubrique_labels() -> dict[str, str]:
    """The canonical label of each rubrique of the shipped SKOS scheme, by slug."""
    scheme = resource_dir("ontology") / "rubriques.ttl"
    if not scheme.is_file():
        return {}
    pref = SKOS.prefLabel
    return {
        t.subject.value.rsplit("/", 1)[-1]: t.object.value
        for t in parse(scheme.read_bytes(), RdfFormat.TURTLE)
        if t.predicate.value == str(pref)
    }
