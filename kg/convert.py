"""The conversion pipeline: read every input, merge versions, resolve, map to triples, count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from .links import Links
from .mapping import (
    ORGANE_CLASSES,
    IRIs,
    acteur_triples,
    legislature_triples,
    mentioned_entity,
    organe_triples,
    question_triples,
)
from .mentions import Extractor, Mention
from .model import Acteur, Question
from .readers import Rejected, Skipped, read_paths
from .referential import Referential, completeness
from .resolve import Resolution, resolve_question
from .resources import resource_dir
from .vocab import BASE, SKOS

__all__ = ["Conversion", "Summary", "convert"]


@dataclass
class Summary:
    """What a conversion read, produced, could not resolve and rejected."""

    records_read: int = 0
    questions: Counter[str] = field(default_factory=Counter)
    superseded: int = 0
    acteurs: int = 0
    organes: int = 0
    triples: int = 0
    skipped: int = 0
    non_inscrit: int = 0
    unresolved: Counter[str] = field(default_factory=Counter)
    unresolved_questions: dict[str, list[str]] = field(default_factory=dict)
    mentions: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class Conversion:
    """The quads of a conversion, with its summary and the referential it resolved against.

    Each triple lives in exactly one named graph (see `IRIs.graph_of`). `records` are the graphs of
    the records converted (questions, acteurs, organes, legislatures): a store replaces them whole,
    while the other graphs (rubriques, constituencies, unresolved names…) only grow.
    """

    quads: list[Quad]
    records: set[NamedNode]
    summary: Summary
    referential: Referential

    @property
    def triples(self) -> list[Triple]:
        """The graph as triples (no triple is in two graphs, so none repeats)."""
        return [quad.triple for quad in self.quads]


def convert(
    paths: Iterable[Path],
    *,
    base: str = BASE,
    referential: Referential | None = None,
    entities: bool = True,
    ner: bool = False,
    links: Links | None = None,
) -> Conversion:
    """Convert question files, AMO files, page texts, folders and zips into one graph.

    :param referential: acteurs and organes known from earlier loads, to resolve against;
        the records read here are merged into it.
    :param entities: extract the organisations, legal instruments and people the texts mention.
    :param ner: with spaCy's statistical model too.
    :param links: Wikidata QIDs of deputies and parties; the shipped tables by default.
    """
    links = links or Links.load()
    summary = Summary()
    referential = referential if referential is not None else Referential()
    questions: dict[str, Question] = {}
    new_acteurs: set[str] = set()
    new_organes: set[str] = set()
    for item in read_paths(list(paths)):
        if isinstance(item, Skipped):
            summary.skipped += 1
            continue
        summary.records_read += 1
        if isinstance(item, Rejected):
            summary.rejected.append(item)
        elif isinstance(item, Question):
            known = questions.get(item.uid)
            if known is not None:
                summary.superseded += 1
                item = newest_version(known, item)
            questions[item.uid] = item
        else:
            referential.add(item)
            (new_acteurs if isinstance(item, Acteur) else new_organes).add(item.uid)

    iris = IRIs(base)
    quads: dict[Quad, None] = {}
    records: set[NamedNode] = set()

    def emit(record: NamedNode, new: Iterable[Triple], owns: tuple[str, ...] = ()) -> None:
        """Add a record's triples; those about nodes it owns (IRI prefixes) go to its graph."""
        records.add(record)
        for t in new:
            graph = record if owns and t.subject.value.startswith(owns) else iris.graph_of(t.subject)
            quads[Quad(t.subject, t.predicate, t.object, graph)] = None

    labels = _rubrique_labels()
    # An entity's graph is a record of its own too, replaced whole on each load like the others.
    entity_graphs: set[NamedNode] = set()
    extract = None
    if entities:
        extract = _recording(Extractor(referential, ner=ner).extract, summary, iris, entity_graphs)
    for uid in sorted(questions):
        question = questions[uid]
        resolution = resolve_question(question, referential)
        _count(summary, question, resolution)
        emit(iris.graph("question", uid), question_triples(question, resolution, iris, labels, extract))
    for uid in sorted(new_organes):
        organe = referential.organes[uid]
        if organe.code_type in ORGANE_CLASSES:
            summary.organes += 1
            emit(iris.graph("organe", uid), organe_triples(organe, iris, links.of_organe(organe)))
    # An acteur's mandates live in the acteur's graph: they have no record of their own.
    mandates = iris.mandate("").value
    for uid in sorted(new_acteurs):
        summary.acteurs += 1
        owns = (iris.acteur(uid).value, mandates)
        triples = acteur_triples(referential.acteurs[uid], iris, links.deputies.get(uid))
        emit(iris.graph("acteur", uid), triples, owns)
    for number, (start, end) in sorted(_legislatures(questions.values(), referential).items()):
        emit(iris.graph("legislature", str(number)), legislature_triples(number, start, end, iris))
    summary.triples = len(quads)
    return Conversion(list(quads), records | entity_graphs, summary, referential)


def newest_version(first: Question, second: Question) -> Question:
    """Of two versions of a question (two dumps), the newer: latest dates, then fullest record.

    Decided from the content alone, so the order in which files are given does not matter.
    """

    def key(question: Question) -> tuple[date, int, str]:
        dates = [question.published, question.closure.on if question.closure else None]
        dates += [a.published for a in question.answers] + [a.on for a in question.attributions]
        return max((d for d in dates if d), default=date.min), completeness(question), repr(question)

    return max(first, second, key=key)


def _recording(
    extract: Callable[[str], list[Mention]], summary: Summary, iris: IRIs, graphs: set[NamedNode]
) -> Callable[[str], list[Mention]]:
    """`extract`, counting its mentions by type in the summary and noting the graphs of their entities."""

    def recorded(text: str) -> list[Mention]:
        mentions = extract(text)
        summary.mentions.update(m.type for m in mentions)
        graphs.update(iris.graph_of(mentioned_entity(m, iris)) for m in mentions if not m.acteur)
        return mentions

    return recorded


def _count(summary: Summary, question: Question, resolution: Resolution) -> None:
    summary.questions[question.kind] += 1
    summary.non_inscrit += resolution.non_inscrit
    for what in resolution.unresolved:
        summary.unresolved[what] += 1
        summary.unresolved_questions.setdefault(what, []).append(question.uid)


def _legislatures(
    questions: Iterable[Question], referential: Referential
) -> dict[int, tuple[date | None, date | None]]:
    """Dates of each legislature from the AMO assembly organes; an open end closes when the next starts."""
    spans: dict[int, tuple[date | None, date | None]] = {q.legislature: (None, None) for q in questions}
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
