"""SHACL validation with pyshacl against the shipped shapes; returns a typed report, never prints.

`validate_graph` runs pyshacl on one rdflib graph. `validate_store` gives the same results for the
named graphs of a pyoxigraph store without ever building that whole graph: it runs pyshacl on
batches of graphs in worker processes and keeps each result from the one batch that owns it.

A batch owns some graphs, and a node is owned with the graph that holds its triples. The batch
also holds, as context, the description (triples as subject) of every node its triples point to:
one hop is what the shapes read from a node they validate (its values' types for `sh:class`; the
question and its legislature or answers for the SPARQL rules; `_reach` refuses deeper shapes).
So each result about an owned node comes out of its batch as it comes out of the whole graph.
A result is kept by the batch owning its focus node; for SPARQL constraints, which are focused on
shared nodes (a legislature, a status) but name the question at fault as `sh:value`, by the batch
owning that value; for a node described nowhere (a status), by the first batch that reports it.

Speed: a batch runs the shapes with the property shapes of each targeted node shape lifted to the
top (`_lift`), which pyshacl validates once for all their focus nodes rather than once per focus
node; and what batches read outside their own graphs is found once for the store (`_links`), since
reading quads from an on-disk store costs mostly their decoding.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from math import ceil

import pyshacl
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)
from pyoxigraph import Literal as OxLiteral
from pyshacl.rdfutil import stringify_node
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .errors import ValidationRunError
from .graph_file import GraphFile
from .mapping import IRIs
from .progress import Progress, progress_bar
from .resources import resource_files
from .vocab import BASE, QKG, XSD

__all__ = ["Report", "load_shapes", "validate_graph", "validate_store"]

SH = Namespace("http://www.w3.org/ns/shacl#")

# Owner graphs of each kind in a batch: more share their context nodes and pyshacl's fixed costs,
# fewer bound a worker's memory (some 180 MB for 1,000 questions of the AN corpus). Batches of 1,000
# keep `kg validate` of 10,000 questions within 1.5 GB for all processes (2.6 GB with 4,000), for
# some 5% more time.
BATCH_SIZE = 1000
# Batches waiting beyond one per worker: a batch is built in a fraction of the time it takes to
# validate, and each waiting one is held in memory.
_WAITING = 1
_XSD_STRING = str(XSD.string)
_SUBCLASS = NamedNode(str(RDFS.subClassOf))
_MANDATE = NamedNode(str(QKG.mandate))
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
_UNDESCRIBED_TARGETS = (SH.targetNode, SH.targetObjectsOf)
_NESTED = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
_LISTS = (SH["or"], SH["and"], SH.xone)
_Resource = NamedNode | BlankNode


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: counts by severity, the report graph and its text."""

    severities: Counter[str]
    graph: Graph
    text: str

    @property
    def violations(self) -> int:
        return self.severities["Violation"]

    def conforms(self, *, strict: bool = False) -> bool:
        """No violation; with `strict`, no warning either."""
        return self.violations == 0 and (not strict or self.severities["Warning"] == 0)


def load_shapes() -> Graph:
    """All shapes of shapes/*.ttl in one graph."""
    shapes = Graph()
    try:
        for path in resource_files("shapes", ".ttl"):
            shapes.parse(data=path.read_text(encoding="utf-8"), format="turtle")
    except Exception as error:  # rdflib raises many parser exception types
        raise ValidationRunError(f"cannot read the shapes: {error}") from error
    return shapes


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate a data graph against the shapes (all of them unless given)."""
    report_graph, text = _pyshacl(data, shapes if shapes is not None else load_shapes())
    severities = Counter(
        str(severity).rsplit("#", 1)[-1] for severity in report_graph.objects(None, SH.resultSeverity)
    )
    return Report(severities, report_graph, text)


def _pyshacl(data: Graph, shapes: Graph, *, inplace: bool = False) -> tuple[Graph, str]:
    try:
        _, report_graph, text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, inplace=inplace
        )
    except Exception as error:  # pyshacl's own errors and its dependencies'
        raise ValidationRunError(f"validation failed to run: {error}") from error
    return report_graph, str(text)


def validate_store(
    store: Store,
    shapes: Graph | None = None,
    *,
    base: str = BASE,
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    copies: GraphFile | None = None,
) -> Report:
    """Validate the quads of a store as pyshacl validates their union, in batches on `jobs` processes.

    Triples of the default graph are first moved to the named graph of their subject (`IRIs.graph_of`;
    a mandate to its acteur's): the store is changed. Data with blank nodes is validated in one batch.
    With `jobs` > 1 the batches go to spawned processes: a script calling this guards its entry
    point with `if __name__ == "__main__":`. `progress` makes the bar that counts the batches validated
    (see `kg.progress`). `copies`, the store's named graphs as loaded into it, if given: each batch's
    own graphs are read from there, and the default graph's triples are added to it as they move.
    """
    shapes = shapes if shapes is not None else load_shapes()
    reach = _reach(shapes)
    iris = IRIs(base)
    _settle(store, iris, copies)
    graphs = _all_graphs(store)
    lifted, links = _lift(shapes), _links(store, reach)
    plan = _plan(graphs, iris, batch_size, jobs)
    try:
        return _validate(store, plan, lifted, links, jobs, progress, copies)
    except _Unsplittable:
        # A blank node's identity does not survive a split into batches: such data is validated whole.
        return _validate(store, [graphs], lifted, links, jobs, progress, copies)


class _Unsplittable(Exception):
    """A batch holds a blank node."""


def _validate(
    store: Store, plan: list[list[_Resource]], shapes: _Shapes, links: _Links, jobs: int,
    progress: Progress | None = None, copies: GraphFile | None = None,
) -> Report:
    merger = _Merger(store, shapes.written)
    batches = _batches(store, plan, links, copies)
    try:
        with progress_bar(progress, total=len(plan), desc="validating", unit="batch") as bar:
            for owners, results in _map_batches(batches, shapes, min(jobs, len(plan))):
                merger.add(owners, results)
                bar.update(1)
    except BrokenProcessPool as error:
        raise ValidationRunError(f"a validation process died (out of memory?): {error}") from error
    return merger.report()


# -- what the shapes read ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Reach:
    """The predicates whose incoming triples a node's validation reads."""

    inverse: tuple[NamedNode, ...]  # of sh:inversePath: the subjects are values
    targets: tuple[NamedNode, ...]  # of sh:targetObjectsOf: one such triple makes the node a focus


def _reach(shapes: Graph) -> _Reach:
    """What a batch must hold for the shapes; refuses shapes that look further than one hop."""
    for feature in (SH.rule, SH.target):
        if (None, feature, None) in shapes:
            raise ValidationRunError(f"batched validation cannot split shapes using {feature}")
    if (None, RDF.type, SH.ConstraintComponent) in shapes:
        raise ValidationRunError("batched validation cannot split custom constraint components")
    inverse: set[NamedNode] = set()
    for path in set(shapes.objects(None, SH.path)):
        if isinstance(path, BNode):
            inverted = shapes.value(path, SH.inversePath)
            if not isinstance(inverted, URIRef) or len(set(shapes.predicate_objects(path))) != 1:
                raise ValidationRunError("batched validation supports predicate and inverse paths only")
            inverse.add(NamedNode(str(inverted)))
    roots = {s for target in _TARGETS for s in shapes.subjects(target, None)}
    roots |= set(shapes.subjects(RDF.type, RDFS.Class)) & set(shapes.subjects(RDF.type, SH.NodeShape))
    seen: set[tuple[Node, int, bool]] = set()
    for root in roots:
        # A node targeted without being described may lie in several batches, each with some of
        # the triples that point to it: an inverse path would count only those.
        described = not any((root, target, None) in shapes for target in _UNDESCRIBED_TARGETS)
        _walk(shapes, root, 0, described, seen)
    targets = {NamedNode(str(p)) for p in shapes.objects(None, SH.targetObjectsOf) if isinstance(p, URIRef)}
    return _Reach(tuple(sorted(inverse, key=str)), tuple(sorted(targets, key=str)))


def _walk(shapes: Graph, shape: Node, depth: int, described: bool, seen: set[tuple[Node, int, bool]]) -> None:
    """Check that a shape applied `depth` hops from the focus node reads no further than one hop."""
    if (shape, depth, described) in seen:
        return
    seen.add((shape, depth, described))
    is_property = (shape, SH.path, None) in shapes
    if depth > 0 and (is_property or (shape, SH.sparql, None) in shapes):
        raise ValidationRunError(f"batched validation cannot split shape {shape}: it reads two hops away")
    if not described and isinstance(shapes.value(shape, SH.path), BNode):
        raise ValidationRunError(f"batched validation cannot split shape {shape}: an inverse path on "
                                 "nodes targeted by sh:targetNode or sh:targetObjectsOf")
    for nested in _nested(shapes, shape):
        _walk(shapes, nested, depth + 1 if is_property else depth, described, seen)


def _nested(shapes: Graph, shape: Node) -> Iterator[Node]:
    for predicate in _NESTED:
        yield from shapes.objects(shape, predicate)
    for predicate in _LISTS:
        for members in shapes.objects(shape, predicate):
            yield from shapes.items(members)


# -- the shapes as a batch runs them ----------------------------------------------------------


@dataclass(frozen=True)
class _Shapes:
    """The shapes as written (for the report) and as pyshacl runs them (`_lift`)."""

    written: Graph
    run: Graph
    added: tuple[tuple[Node, Node, Node], ...]  # the triples of `run` that `written` lacks


def _lift(shapes: Graph) -> _Shapes:
    """The shapes with the property shapes of each targeted node shape given its targets instead.

    pyshacl validates a node shape's property shapes once per focus node, reading each shape anew:
    three quarters of its time on our data. Targeted, a property shape is validated once for all
    its focus nodes, with the same results (SHACL: for each value node of `sh:property`, here the
    focus node itself, the results of the property shape). Lifted only where nothing else can
    tell: a node shape named by an IRI, with explicit targets only, active, used by no other shape;
    a property shape without targets of its own, used by this node shape alone.
    """
    used = Counter(value for shape in set(shapes.subjects()) for value in _nested(shapes, shape))
    run = Graph()
    run += shapes
    for prefix, namespace in shapes.namespace_manager.namespaces():
        run.namespace_manager.bind(prefix, namespace)
    added: list[tuple[Node, Node, Node]] = []
    for shape in set(shapes.subjects(SH.property, None)):
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(shape, p)]
        if not targets or not _liftable(shapes, shape, used):
            continue
        for prop in shapes.objects(shape, SH.property):
            if used[prop] != 1 or any((prop, p, None) in shapes for p in (*_TARGETS, SH.target)):
                continue
            run.remove((shape, SH.property, prop))
            added += [(prop, p, o) for p, o in targets]
    for triple in added:
        run.add(triple)
    return _Shapes(shapes, run, tuple(added))


def _liftable(shapes: Graph, shape: Node, used: Counter[Node]) -> bool:
    """A node shape that is validated only as the focus nodes of its targets, all of them explicit."""
    # Another type may make it an implicit class target (pyshacl: rdfs:Class or a subclass of it).
    types = set(shapes.objects(shape, RDF.type))
    return (
        isinstance(shape, URIRef)  # a blank node shape is copied into reports: without its sh:property
        and types <= {SH.NodeShape}
        and used[shape] == 0
        and (shape, SH.deactivated, None) not in shapes
        and (shape, SH.target, None) not in shapes
    )


# -- the store and its batches ----------------------------------------------------------------


def _settle(store: Store, iris: IRIs, copies: GraphFile | None) -> None:
    """Put each triple of the default graph in its subject's graph, as `kg convert -f nquads` would."""
    moved: list[Quad] = []

    def move() -> None:
        store.extend(moved)
        if copies is not None:
            copies.add(moved)
        moved.clear()

    subject, home = None, None  # quads come grouped by subject
    for quad in store.quads_for_pattern(None, None, None, DefaultGraph()):
        if quad.subject != subject:
            subject, home = quad.subject, _graph_for(store, iris, quad.subject)
        moved.append(Quad(quad.subject, quad.predicate, quad.object, home))
        if len(moved) >= 100_000:
            move()
    move()
    store.clear_graph(DefaultGraph())


def _graph_for(store: Store, iris: IRIs, subject: _Resource) -> NamedNode:
    """A subject's graph; a mandate lives in the graph of the acteur whose qkg:mandate points to it."""
    if subject.value.startswith(iris.mandate("").value):
        link = next(store.quads_for_pattern(None, _MANDATE, subject), None)
        if link is not None:
            if isinstance(link.graph_name, NamedNode):
                return link.graph_name
            subject = link.subject
    return iris.graph_of(subject)


def _all_graphs(store: Store) -> list[_Resource]:
    return sorted(store.named_graphs(), key=lambda graph: graph.value)


def _plan(graphs: list[_Resource], iris: IRIs, size: int, jobs: int = 1) -> list[list[_Resource]]:
    """The owner graphs of each batch: `size` questions at most, and as many of the other graphs.

    Sorted names keep neighbours together (a legislature's questions, acteurs), so that batches
    share fewer context nodes. A multiple of `jobs` batches keeps every process busy to the end.
    """
    if any(isinstance(graph, BlankNode) for graph in graphs):
        return [graphs]
    questions, others = [], []
    prefix = iris.graph("question", "").value
    for graph in graphs:
        (questions if graph.value.startswith(prefix) else others).append(graph)
    count = max(ceil(len(questions) / size), ceil(len(others) / size), 1)
    count = ceil(count / jobs) * jobs if count > 1 else 1
    batches = [_slice(questions, count, index) + _slice(others, count, index) for index in range(count)]
    return [owners for owners in batches if owners] or [[]]


def _slice(items: list[_Resource], count: int, index: int) -> list[_Resource]:
    step = ceil(len(items) / count)
    return items[index * step : (index + 1) * step]


@dataclass(frozen=True)
class _Links:
    """What batches read outside the graphs they own, found once for the store by queries that decode
    only their answers, rather than by a lookup for each node of each batch."""

    spread: frozenset[_Resource]  # the nodes described in more than one graph
    # node -> the subjects of the triples pointing to it by an inverse path's predicate, held in a
    # graph other than one that describes it
    inverse: dict[_Resource, set[_Resource]]
    # node -> one triple pointing to it by each predicate of sh:targetObjectsOf
    targets: dict[_Resource, list[Triple]]


def _links(store: Store, reach: _Reach) -> _Links:
    """What batches read outside their graphs, for the whole store (see `_Links`)."""
    inverse: dict[_Resource, set[_Resource]] = {}
    if reach.inverse:
        query = f"""SELECT DISTINCT ?x ?o WHERE {{ VALUES ?p {{ {_terms(reach.inverse)} }}
            GRAPH ?g {{ ?x ?p ?o }} GRAPH ?h {{ ?o ?q ?y }} FILTER (?g != ?h) }}"""
        for row in store.query(query):
            inverse.setdefault(row["o"], set()).add(row["x"])
    targets: dict[_Resource, list[Triple]] = {}
    if reach.targets:
        query = f"""SELECT ?p ?o (SAMPLE(?x) AS ?s) WHERE {{ VALUES ?p {{ {_terms(reach.targets)} }}
            GRAPH ?g {{ ?x ?p ?o }} FILTER EXISTS {{ GRAPH ?h {{ ?o ?q ?y }} }} }} GROUP BY ?p ?o"""
        for row in store.query(query):
            targets.setdefault(row["o"], []).append(Triple(row["s"], row["p"], row["o"]))
    return _Links(_spread(store), inverse, targets)


def _spread(store: Store) -> frozenset[_Resource]:
    """The nodes described in more than one graph, from the subjects of each graph in turn.

    Only the subjects' hashes are kept, and the few that repeat are checked. SPARQL's GROUP BY over
    all the subjects at once takes half the time, but 900 MB at 100,000 questions (which the heap
    keeps after); this takes 200 MB.
    """
    seen: set[int] = set()
    repeated: set[_Resource] = set()
    for graph in store.named_graphs():
        for (subject,) in store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", default_graph=graph):
            key = hash(subject)
            if key in seen:
                repeated.add(subject)
            seen.add(key)
    return frozenset(
        node
        for node in repeated
        if len({quad.graph_name for quad in store.quads_for_pattern(node, None, None)}) > 1
    )


def _terms(nodes: tuple[NamedNode, ...]) -> str:
    return " ".join(str(node) for node in nodes)


@dataclass(frozen=True)
class _Batch:
    owners: set[str]  # the graphs whose nodes' results this batch keeps
    data: bytes  # N-Triples
    foreign: frozenset[str]  # the nodes it holds only as context: their results belong elsewhere


def _batches(
    store: Store, plan: list[list[_Resource]], links: _Links, copies: GraphFile | None
) -> Iterator[_Batch]:
    """The batches of a plan, each built as the workers ask for it; `_Unsplittable` if one holds a blank
    node while there are several. The owner graphs are read from `copies` if given."""
    quads_of = copies.quads if copies is not None else partial(_quads_of, store)
    for owners in plan:
        triples = [quad.triple for graph in owners for quad in quads_of(graph)]
        if len(plan) > 1 and any(_is_blank(triple) for triple in triples):
            raise _Unsplittable
        yield _batch_data(store, owners, triples, links)


def _quads_of(store: Store, graph: _Resource) -> Iterator[Quad]:
    return store.quads_for_pattern(None, None, None, graph)


def _is_blank(triple: Triple) -> bool:
    return isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)


def _batch_data(store: Store, owners: list[_Resource], triples: list[Triple], links: _Links) -> _Batch:
    """The triples of the owner graphs and what validating their nodes reads (see the module)."""
    owned = set(owners)
    subjects = {triple.subject for triple in triples}
    # A node described in several graphs is validated with all of them (never in our data).
    triples += [
        quad.triple
        for subject in subjects & links.spread
        for quad in store.quads_for_pattern(subject, None, None)
        if quad.graph_name not in owned
    ]
    nodes = {triple.object for triple in triples if isinstance(triple.object, NamedNode)}
    for subject in subjects:
        nodes.update(links.inverse.get(subject, ()))
    context = nodes - subjects
    described: set[str] = set()
    for node in context:
        for quad in store.quads_for_pattern(node, None, None):
            triples.append(quad.triple)
            described.add(node.value)
    # An owned node targeted by the objects of a predicate must be a focus node here too.
    for subject in subjects:
        triples += links.targets.get(subject, ())
    triples += [quad.triple for quad in store.quads_for_pattern(None, _SUBCLASS, None)]
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    return _Batch({graph.value for graph in owners}, data, frozenset(described))


def _home(store: Store, node: Node) -> str | None:
    """The graph that owns a node: the first holding a triple about it; none for a node never described."""
    if isinstance(node, URIRef):
        subject: _Resource = NamedNode(str(node))
    elif isinstance(node, BNode):
        subject = BlankNode(str(node))
    else:
        return None
    quad = next(store.quads_for_pattern(subject, None, None), None)
    return None if quad is None else quad.graph_name.value


# -- one batch, in a worker -------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    """One validation result of a batch: its own triples and its line of the report text."""

    node: BNode
    triples: list[tuple[Node, Node, Node]]
    text: str

    def value(self, predicate: URIRef) -> Node | None:
        return next((o for _, p, o in self.triples if p == predicate), None)


@dataclass(frozen=True)
class _BatchResults:
    results: list[_Result]
    # The blank nodes the results point to (copies of property shapes, paths…) with their triples.
    structures: dict[BNode, list[tuple[Node, Node, Node]]]


_shapes: _Shapes | None = None


def _start_worker(shapes: _Shapes) -> None:
    global _shapes
    _shapes = shapes


@contextmanager
def _collected_once() -> Iterator[None]:
    """No garbage collection while a batch is validated, one after.

    A batch's rdflib graph and pyshacl's work make millions of objects; the collector's passes over
    them took a third of a batch's time. What they leave in cycles (the graph and its store) is
    collected once, at the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


@_collected_once()
def _validate_batch(data: bytes, foreign: frozenset[str]) -> _BatchResults:
    assert _shapes is not None
    graph = _rdflib_graph(data)
    # The batch's graph is ours to spoil: spare pyshacl its copy (it only writes to it for sh:rule,
    # which `_reach` refuses).
    report, _ = _pyshacl(graph, _shapes.run, inplace=True)
    # The report copies the lifted property shapes: as written, they have no targets.
    for triple in _shapes.added:
        report.remove(triple)
    results, structures = [], {}
    for node in report.objects(None, SH.result):
        result = _Result(node, list(report.triples((node, None, None))), "")
        if not _surely_foreign(result, foreign):
            results.append(_Result(node, result.triples, _describe(report, node, graph, _shapes.written)))
            for _, _, obj in result.triples:
                _structure(report, obj, structures)
    return _BatchResults(results, structures)


def _surely_foreign(result: _Result, foreign: frozenset[str]) -> bool:
    """A result about a context node, that `_Merger` would drop: not worth describing and sending."""
    value = result.value(SH.value)
    sparql = result.value(SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    if sparql and isinstance(value, URIRef):
        return str(value) in foreign
    return str(result.value(SH.focusNode)) in foreign


def _rdflib_graph(data: bytes) -> Graph:
    """The rdflib graph of N-Triples, as rdflib's parser makes it but twice as fast."""
    graph = Graph()
    # Terms repeat (classes, dates, offsets, methods…): each is made once.
    terms: dict[_Resource | OxLiteral, Node] = {}

    def term(node: _Resource | OxLiteral) -> Node:
        made = terms.get(node)
        if made is None:
            made = terms[node] = _rdflib_term(node)
        return made

    add = graph.store.add  # Graph.addN checks every quad's graph and terms: a tenth more time
    for t in parse(data, RdfFormat.N_TRIPLES):
        add((term(t.subject), term(t.predicate), term(t.object)), graph)
    return graph


def _rdflib_term(node: _Resource | OxLiteral) -> Node:
    if isinstance(node, OxLiteral):
        if node.language:
            return Literal(node.value, lang=node.language)
        datatype = node.datatype.value
        return Literal(node.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    if isinstance(node, BlankNode):
        return BNode(node.value)
    return URIRef(node.value)


def _structure(report: Graph, node: Node, structures: dict[BNode, list[tuple[Node, Node, Node]]]) -> None:
    if not isinstance(node, BNode) or node in structures:
        return
    structures[node] = triples = list(report.triples((node, None, None)))
    for _, _, obj in triples:
        _structure(report, obj, structures)


def _describe(report: Graph, result: Node, data: Graph, shapes: Graph) -> str:
    """A result's paragraph of the report text, written as pyshacl writes it."""
    severity = report.value(result, SH.resultSeverity)
    component = report.value(result, SH.sourceConstraintComponent)
    kind = "Constraint Violation" if severity == SH.Violation else "Validation Result"
    lines = [
        f"{kind} in {str(component).rsplit('#', 1)[-1]} ({component}):",
        f"\tSeverity: {stringify_node(shapes, severity)}",
        f"\tSource Shape: {stringify_node(shapes, report.value(result, SH.sourceShape))}",
        f"\tFocus Node: {stringify_node(data, report.value(result, SH.focusNode))}",
    ]
    for predicate, label, graph in (
        (SH.value, "Value Node", data),
        (SH.resultPath, "Result Path", shapes),
        (SH.sourceConstraint, "Source Constraint", shapes),
    ):
        node = report.value(result, predicate)
        if node is not None:
            lines.append(f"\t{label}: {stringify_node(graph, node)}")
    messages = sorted(report.objects(result, SH.resultMessage), key=str)
    lines += [f"\tMessage: {m.value if isinstance(m, Literal) else m}" for m in messages]
    return "\n".join(lines) + "\n"


# -- the batches on worker processes, and their results merged ---------------------------------


def _map_batches(
    batches: Iterator[_Batch], shapes: _Shapes, jobs: int
) -> Iterator[tuple[set[str], _BatchResults]]:
    """Validate each batch on `jobs` processes: the owner graphs and results of each, in order."""
    global _shapes
    if jobs <= 1:
        _shapes = shapes
        try:
            yield from ((batch.owners, _validate_batch(batch.data, batch.foreign)) for batch in batches)
        finally:
            _shapes = None
        return
    # Spawned rather than forked: a forked worker holds the parent's memory at the time (the store's
    # caches, the heap left by the load: some 300 MB), counted again in each worker's. Each gets a
    # pickled copy of the shapes with the same blank nodes, so that the results of all batches point
    # to the same shape nodes.
    with ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(shapes,)
    ) as pool:
        pending: list[tuple[set[str], Future[_BatchResults]]] = []
        for batch in batches:
            pending.append((batch.owners, pool.submit(_validate_batch, batch.data, batch.foreign)))
            while len(pending) >= jobs + _WAITING:
                done, future = pending.pop(0)
                yield done, future.result()
        for done, future in pending:
            yield done, future.result()


class _Merger:
    """Keeps each result from the one batch that owns it and builds the whole report."""

    def __init__(self, store: Store, shapes: Graph) -> None:
        self.store = store
        self.graph = Graph(bind_namespaces="core")
        for prefix, namespace in shapes.namespace_manager.namespaces():
            self.graph.namespace_manager.bind(prefix, namespace)
        self.node = BNode()
        self.texts: list[str] = []
        self.severities: Counter[str] = Counter()
        self.structures: set[BNode] = set()
        # (focus, shape) of the nodes described nowhere, by the batch whose results are kept
        self.claims: dict[tuple[Node, Node | None], int] = {}
        self.batches = 0

    def add(self, owners: set[str], batch: _BatchResults) -> None:
        self.batches += 1
        for result in batch.results:
            if self._keeps(owners, result):
                self._take(result, batch.structures)

    def _keeps(self, owners: set[str], result: _Result) -> bool:
        value = result.value(SH.value)
        if result.value(SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent:
            # A rule on a shared node (a legislature, a status) is about the question it names.
            home = _home(self.store, value) if value is not None else None
            if home is not None:
                return home in owners
        focus = result.value(SH.focusNode)
        home = _home(self.store, focus)
        if home is not None:
            return home in owners
        # A node described nowhere (a status, a rubrique only pointed to) is validated alike in every
        # batch that targets it: keep the results of the first.
        claim = self.claims.setdefault((focus, result.value(SH.sourceShape)), self.batches)
        return claim == self.batches

    def _take(self, result: _Result, structures: dict[BNode, list[tuple[Node, Node, Node]]]) -> None:
        self.graph.add((self.node, SH.result, result.node))
        for triple in result.triples:
            self.graph.add(triple)
            self._add_structure(triple[2], structures)
        self.texts.append(result.text)
        self.severities[str(result.value(SH.resultSeverity)).rsplit("#", 1)[-1]] += 1

    def _add_structure(self, node: Node, structures: dict[BNode, list[tuple[Node, Node, Node]]]) -> None:
        if not isinstance(node, BNode) or node in self.structures or node not in structures:
            return
        self.structures.add(node)
        for triple in structures[node]:
            self.graph.add(triple)
            self._add_structure(triple[2], structures)

    def report(self) -> Report:
        conforms = not self.texts
        self.graph.add((self.node, RDF.type, SH.ValidationReport))
        self.graph.add((self.node, SH.conforms, Literal(conforms)))
        text = f"Validation Report\nConforms: {conforms}\n"
        if self.texts:
            text += f"Results ({len(self.texts)}):\n" + "".join(sorted(self.texts))
        return Report(self.severities, self.graph, text)

