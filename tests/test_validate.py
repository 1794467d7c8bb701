"""Batched validation (`validate_store`) gives exactly pyshacl's results on the whole graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, serialize
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg.convert import ConversionStream
from kg.errors import ValidationRunError
from kg.graph_file import GraphFile
from kg.validate import SH, Report, _lift, load_shapes, validate_graph, validate_store

ID = "https://w3id.org/questions-kg/id/"
QKGSH = "https://w3id.org/questions-kg/shapes#"
QKG = "https://w3id.org/questions-kg/ontology#"
GRAPH = "https://w3id.org/questions-kg/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")
PREFIXES = f"""
PREFIX qkg: <{QKG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# (focus, path, value, source shape, constraint component, severity)
KEYS = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent,
        SH.resultSeverity)
DATA_NODES = {SH.focusNode, SH.value}
Key = tuple[Node | None, ...]
Expectation = tuple[str, Callable[[Key], bool]]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _converted(paths: list[Path], **options: object) -> Store:
    store = Store()
    for chunk in ConversionStream(paths, quads=True, jobs=2, **options):  # type: ignore[arg-type]
        store.load(chunk.data, RdfFormat.N_QUADS)
    return store


def _whole(store: Store) -> Graph:
    """The union of the store's graphs as one rdflib graph, parsed as `kg validate` used to."""
    data = serialize((quad.triple for quad in store), format=RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt")


def _results(report: Report) -> Counter[Key]:
    """The results as (focus, path, value, source shape, component, severity); blank nodes of the data
    are named alike, since each parse names them anew."""
    graph = report.graph
    return Counter(
        tuple("a blank node" if key in DATA_NODES and isinstance(node, BNode) else node
              for key, node in ((key, graph.value(r, key)) for key in KEYS))
        for r in graph.objects(None, SH.result)
    )


def _select(store: Store, query: str) -> list[str]:
    return [row[0].value for row in store.query(PREFIXES + query, use_default_graph_as_union=True)]


def _question_graph(question: str) -> str:
    return GRAPH + "question/" + question.removeprefix(ID + "question/")


def _replace(subject: str, predicate: str, new: str) -> str:
    """An update replacing the objects of a subject's predicate, in the graph that holds them."""
    return f"""DELETE {{ GRAPH ?g {{ <{subject}> {predicate} ?old }} }}
        INSERT {{ GRAPH ?g {{ <{subject}> {predicate} {new} }} }}
        WHERE {{ GRAPH ?g {{ <{subject}> {predicate} ?old }} }}"""


def _inject(store: Store) -> list[Expectation]:
    """Break the data in many ways, across the batches; what each breakage must be reported as."""
    questions = _select(store, "SELECT ?q WHERE { ?q a qkg:Question } ORDER BY ?q")
    answered = _select(store, f"""SELECT DISTINCT ?q WHERE {{ ?q qkg:status <{ID}status/answered> ;
        qkg:answer ?a . ?a dcterms:issued ?d }} ORDER BY ?q""")
    first, last, early, late = questions[0], questions[-1], answered[0], answered[-1]
    middle = questions[len(questions) // 2]
    answer = _select(store, f"SELECT ?a WHERE {{ <{early}> qkg:answer ?a }} ORDER BY ?a")[0]
    rubrique = _select(store, f"SELECT ?r WHERE {{ <{middle}> qkg:rubrique ?r }}")[0]
    group = _select(store, "SELECT ?g WHERE { ?g a qkg:ParliamentaryGroup } ORDER BY ?g")[0]
    mandate = _select(store, "SELECT ?m WHERE { ?m a qkg:Mandate ; qkg:startDate ?d } ORDER BY ?m")[0]
    mention, entity, nowhere = f"{first}/mention/99", f"{ID}entity/sans-nom", f"{ID}rubrique/nulle-part"
    in_first, in_last = f"GRAPH <{_question_graph(first)}>", f"GRAPH <{_question_graph(last)}>"
    updates = [
        # two dates of publication, the second in another question's graph (another batch)
        f'INSERT DATA {{ {in_last} {{ <{first}> dcterms:issued "2001-01-01"^^xsd:date }} }}',
        # an answer published before its question; a question long before its legislature (a warning)
        _replace(answer, "dcterms:issued", '"1901-01-01"^^xsd:date'),
        _replace(middle, "dcterms:issued", '"1900-01-01"^^xsd:date'),
        # answered without an answer; pending, yet answered (a warning)
        f"DELETE WHERE {{ GRAPH ?g {{ <{late}> qkg:answer ?a }} }}",
        _replace(early, "qkg:status", f"<{ID}status/pending>"),
        # a number that is not an integer; asked by a group, not a deputy
        f'INSERT DATA {{ GRAPH <{_question_graph(middle)}> {{ <{middle}> qkg:number "douze" }} }}',
        _replace(last, "qkg:askedBy", f"<{group}>"),
        # a mention at a negative offset, of an entity without a label, in two texts of two batches
        f"""INSERT DATA {{
            {in_first} {{
                <{first}> qkg:mention <{mention}> ; qkg:mentions <{entity}> .
                <{mention}> a qkg:Mention ; qkg:refersTo <{entity}> ; qkg:surfaceForm "X" ;
                    qkg:startOffset -1 ; qkg:endOffset 3 ; qkg:extractionMethod "gazetteer" ;
                    qkg:confidence 0.90 }}
            GRAPH <{GRAPH}entity/sans-nom> {{ <{entity}> a org:Organization }}
            {in_last} {{ <{last}> qkg:mention <{mention}> }} }}""",
        # a rubrique without its label; another described nowhere, used in two batches
        f"DELETE WHERE {{ GRAPH ?g {{ <{rubrique}> skos:prefLabel ?l }} }}",
        f"""INSERT DATA {{ {in_first} {{ <{first}> qkg:rubrique <{nowhere}> }}
            {in_last} {{ <{last}> qkg:rubrique <{nowhere}> }} }}""",
    ]
    for update in updates:
        store.update(PREFIXES + update)
    # As from an N-Triples file: no graph; `validate_store` must find the mandate's acteur.
    store.add(Quad(NamedNode(mandate), NamedNode(QKG + "endDate"), Literal("1900-01-02", datatype=XSD_DATE)))
    sparql, span = "SPARQLConstraintComponent", "LegislatureSpanShape"
    return [
        ("two dates", _is(first, "MaxCountConstraintComponent", path="http://purl.org/dc/terms/issued")),
        ("answer first", _is(None, sparql, value=early, shape="LegislatureDatesShape")),
        ("before its legislature", _is(None, sparql, value=middle, shape=span, severity="Warning")),
        ("no answer", _is(ID + "status/answered", sparql, value=late)),
        ("pending, answered", _is(ID + "status/pending", sparql, value=early, severity="Warning")),
        ("datatype", _is(middle, "DatatypeConstraintComponent", path=QKG + "number")),
        ("not a deputy", _is(last, "ClassConstraintComponent", value=group)),
        ("negative offset", _is(mention, "MinInclusiveConstraintComponent", path=QKG + "startOffset")),
        ("two texts", _is(mention, "MaxCountConstraintComponent")),
        ("entity without label", _is(entity, "MinCountConstraintComponent")),
        ("rubrique without label", _is(rubrique, "MinCountConstraintComponent")),
        ("rubrique nowhere", _is(nowhere, "MinCountConstraintComponent")),
        ("mandate ends first", _is(mandate, "LessThanOrEqualsConstraintComponent")),
    ]


def _is(
    focus: str | None, component: str, *, path: str | None = None, value: str | None = None,
    shape: str | None = None, severity: str = "Violation",
) -> Callable[[Key], bool]:
    def matches(key: Key) -> bool:
        got_focus, got_path, got_value, got_shape, got_component, got_severity = key
        return (
            (focus is None or got_focus == URIRef(focus))
            and got_component == SH[component]
            and (path is None or got_path == URIRef(path))
            and (value is None or got_value == URIRef(value))
            and (shape is None or got_shape == URIRef(QKGSH + shape))
            and got_severity == SH[severity]
        )

    return matches


def _check(store: Store, shapes: Graph, batch_size: int, copies: GraphFile | None = None) -> None:
    """Batches give pyshacl's results on the broken data; with `copies`, reading their graphs from there."""
    expected = _inject(store)
    if copies is not None:
        copies.add(store)  # as `kg validate` loads them: the default graph's triples are left out
    whole = validate_graph(_whole(store), shapes)
    batched = validate_store(store, shapes, jobs=2, batch_size=batch_size, copies=copies)
    results = _results(whole)
    assert _results(batched) == results
    assert batched.severities == whole.severities
    assert batched.text == whole.text
    missing = [name for name, matches in expected if not any(matches(key) for key in results)]
    assert missing == []


def test_the_sample_in_batches(shapes: Graph) -> None:
    _check(_converted(SAMPLE), shapes, batch_size=20)


def test_the_sample_in_batches_read_from_copies_of_its_graphs(shapes: Graph, tmp_path: Path) -> None:
    _check(_converted(SAMPLE), shapes, batch_size=20, copies=GraphFile(tmp_path / "graphs.nq"))


@pytest.mark.shared
def test_a_legislature_in_batches(shared_data: Path, shapes: Graph, tmp_path: Path) -> None:
    """The QG of the 16th legislature with every acteur and organe: batches of 200 on two processes,
    their graphs read from copies as `kg validate` reads those of a store on disk."""
    an = shared_data / "an"
    store = _converted([an / "questions" / "qg" / "l16", an / "acteurs", an / "organes"], entities=False)
    _check(store, shapes, batch_size=200, copies=GraphFile(tmp_path / "graphs.nq"))


@pytest.fixture(scope="module")
def graphless() -> list[Triple]:
    """The sample as from N-Triples: no graphs."""
    return [quad.triple for quad in _converted(SAMPLE)]


def test_graphless_triples_go_to_their_subject_graph(graphless: list[Triple], shapes: Graph) -> None:
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in graphless)
    whole = validate_graph(_whole(store), shapes)
    assert _results(validate_store(store, shapes, jobs=2, batch_size=40)) == _results(whole)
    assert not list(store.quads_for_pattern(None, None, None, DefaultGraph()))
    # a mandate went to its acteur's graph
    mandate = next(t.subject for t in graphless if t.subject.value.startswith(ID + "mandate/"))
    assert next(store.quads_for_pattern(mandate, None, None)).graph_name.value.startswith(GRAPH + "acteur/")


def test_data_with_blank_nodes_is_validated_whole(graphless: list[Triple], shapes: Graph) -> None:
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in graphless)
    question = next(t.subject for t in graphless if t.object == NamedNode(QKG + "Question"))
    blank = BlankNode()
    store.add(Quad(question, NamedNode(QKG + "attribution"), blank))
    store.add(Quad(blank, NamedNode(RDF_TYPE), NamedNode(QKG + "Attribution")))
    whole = validate_graph(_whole(store), shapes)
    assert _results(validate_store(store, shapes, jobs=2, batch_size=40)) == _results(whole)
    assert ("a blank node", SH.MinCountConstraintComponent) in {(k[0], k[4]) for k in _results(whole)}


@pytest.mark.parametrize(
    "shape",
    [
        # the mandates of the author: two hops from the question
        "<urn:s> sh:targetClass qkg:Question ; sh:property [ sh:path qkg:askedBy ; "
        "sh:node [ sh:property [ sh:path qkg:mandate ; sh:minCount 1 ] ] ] .",
        # the texts of a rubrique described nowhere: spread over the batches that point to it
        "<urn:s> sh:targetObjectsOf qkg:rubrique ; "
        "sh:property [ sh:path [ sh:inversePath qkg:rubrique ] ; sh:maxCount 1 ] .",
    ],
)
def test_shapes_that_batches_cannot_split_are_refused(shape: str) -> None:
    prefixes = f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix qkg: <{QKG}> ."
    with pytest.raises(ValidationRunError, match="cannot split shape"):
        validate_store(Store(), Graph().parse(format="turtle", data=prefixes + shape))


# Shapes whose property shapes batches validate once for all their focus nodes, and shapes whose
# property shapes they must leave as they are; each of them breaks the sample somewhere.
LIFTED_OR_NOT = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix qkg: <{QKG}> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:lifted> sh:targetClass qkg:Question ; sh:property [ sh:path dcterms:issued ; sh:maxCount 0 ] .
# used by another shape
<urn:used> sh:targetClass qkg:Answer ; sh:property [ sh:path dcterms:issued ; sh:maxCount 0 ] .
<urn:user> sh:targetClass qkg:Question ; sh:node <urn:used> .
# a property shape of two node shapes, whose focus nodes overlap
<urn:deputy> sh:targetClass qkg:Deputy ; sh:property _:shared .
<urn:named> sh:targetSubjectsOf foaf:name ; sh:property _:shared .
_:shared sh:path dcterms:identifier ; sh:minCount 2 .
# a property shape with targets of its own, the same
<urn:asked> sh:targetClass qkg:Question ; sh:property <urn:targeted> .
<urn:targeted> sh:targetClass qkg:Question ; sh:path qkg:questionType ; sh:maxCount 0 .
<urn:off> sh:targetClass qkg:Question ; sh:deactivated true ;
    sh:property [ sh:path dcterms:identifier ; sh:minCount 2 ] .
# an implicit class target, besides an explicit one
qkg:Legislature a rdfs:Class , sh:NodeShape ; sh:targetClass qkg:Government ;
    sh:property [ sh:path qkg:number ; sh:maxInclusive 0 ] .
# a blank node shape, reported with its property shape
[ sh:targetClass qkg:Mandate ; sh:nodeKind sh:BlankNode ;
    sh:property [ sh:path qkg:organe ; sh:maxCount 0 ] ] .
"""


def test_shapes_lifted_or_not_give_pyshacls_results(graphless: list[Triple]) -> None:
    shapes = Graph().parse(data=LIFTED_OR_NOT, format="turtle")
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in graphless)
    whole = validate_graph(_whole(store), shapes)
    batched = validate_store(store, shapes, jobs=2, batch_size=40)
    # Not the text: pyshacl writes there the details of a failed sh:node, which `kg validate` does not
    # (the shipped shapes have none).
    assert _results(batched) == _results(whole)
    dcterms = "http://purl.org/dc/terms/"
    fired = {
        (URIRef(dcterms + "issued"), SH.MaxCountConstraintComponent),
        (None, SH.NodeConstraintComponent),
        (URIRef(dcterms + "identifier"), SH.MinCountConstraintComponent),
        (URIRef(QKG + "questionType"), SH.MaxCountConstraintComponent),
        (URIRef(QKG + "number"), SH.MaxInclusiveConstraintComponent),
        (URIRef(QKG + "organe"), SH.MaxCountConstraintComponent),
        (None, SH.NodeKindConstraintComponent),
    }
    assert fired <= {(key[1], key[4]) for key in _results(whole)}
    # The report copies the blank node shapes as they are written.
    for shape in set(whole.graph.objects(None, SH.sourceShape)):
        if isinstance(shape, BNode):
            assert _described(batched.graph, shape) == _described(whole.graph, shape)


def _described(graph: Graph, node: Node) -> object:
    """A node, or the description of a blank node (its copies in reports have new nested blank nodes)."""
    if not isinstance(node, BNode):
        return node
    return frozenset((p, _described(graph, o)) for _, p, o in graph.triples((node, None, None)))


def test_every_shipped_property_shape_is_validated_at_once_for_all_its_focus_nodes(shapes: Graph) -> None:
    """pyshacl validates a property shape nested in a node shape once for each focus node: 7x slower."""
    assert (None, SH.property, None) not in _lift(shapes).run
