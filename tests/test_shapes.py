"""Each shape accepts the real data and rejects a broken copy of it."""

from __future__ import annotations

import io

import pytest
from conftest import DATA
from rdflib import Graph, Namespace, URIRef

from kg.convert import convert
from kg.rdfio import write_rdf
from kg.validate import load_shapes, validate_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
QKGSH = Namespace("https://w3id.org/questions-kg/shapes#")
ID = "https://w3id.org/questions-kg/id/"
L16 = DATA / "an" / "organes" / "l16"
FILES = [
    DATA / "seed" / "question-12432.txt",
    DATA / "an" / "questions" / "qe" / "l17" / "QANR5L17QE5268.json",
    DATA / "an" / "acteurs" / "l16" / "PA346782.json",
    DATA / "an" / "acteurs" / "l17" / "PA721764.json",
    *(L16 / f"{uid}.json" for uid in ("PO826644", "PO791605", "PO800508", "PO791932", "PO791579")),
    *(DATA / "an" / "organes" / "l17" / f"{uid}.json" for uid in ("PO845407", "PO855083")),
]
PREFIXES = """
PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/questions-kg/id/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
SEED = f"<{ID}question/QANR5L16QE12432>"
L17 = f"<{ID}question/QANR5L17QE5268>"

# shape -> an update that breaks the data for that shape only
BREAKAGES = {
    "QuestionShape": f"DELETE {{ {SEED} dcterms:issued ?d }} WHERE {{ {SEED} dcterms:issued ?d }}",
    "WrittenQuestionShape": f"DELETE {{ {SEED} qkg:text ?t }} WHERE {{ {SEED} qkg:text ?t }}",
    "AnswerShape": f'INSERT {{ ?a qkg:joPage "quatre" }} WHERE {{ {L17} qkg:answer ?a }}',
    "AttributionShape": f"DELETE {{ ?a qkg:ministry ?m }} WHERE {{ {L17} qkg:attribution ?a . ?a qkg:ministry ?m }}",
    "SourceFileShape": f'INSERT {{ ?s qkg:sha256 "not-a-digest" }} WHERE {{ {SEED} qkg:sourceFile ?s }}',
    "JOEventShape": f"INSERT DATA {{ {SEED} qkg:signalement id:s . id:s a qkg:Signalement }}",
    "DeputyShape": f'INSERT DATA {{ <{ID}acteur/PA346782> dcterms:identifier "346782" }}',
    "MandateShape": 'INSERT { ?m qkg:endDate "2000-01-01"^^xsd:date } WHERE { ?m a qkg:GroupMembership }',
    "ParliamentaryMandateShape": "INSERT { ?m qkg:constituency id:nowhere } WHERE { ?m a qkg:ParliamentaryMandate }",
    "ConstituencyShape": 'INSERT { ?c qkg:department "Hauts-de-Seine" } WHERE { ?c a qkg:Constituency }',
    "LegislatureShape": 'INSERT { ?l qkg:number "seize" } WHERE { ?l a qkg:Legislature }',
    "OrganeShape": f'INSERT DATA {{ <{ID}organe/PO800508> dcterms:identifier "800508" }}',
    "NamedOrganeShape": f'INSERT DATA {{ <{ID}organe/PO826644> skos:prefLabel "Santé"@fr }}',
    "MinistryShape": f"INSERT DATA {{ <{ID}organe/PO826644> qkg:government <{ID}organe/PO800508> }}",
    "ConceptShape": f'INSERT DATA {{ <{ID}rubrique/sante> skos:prefLabel "Santé publique"@fr }}',
    "LegislatureDatesShape": f'INSERT {{ ?a dcterms:issued "2020-01-01"^^xsd:date }} '
    f"WHERE {{ {L17} qkg:answer ?a }} ; DELETE {{ ?a dcterms:issued ?d }} "
    f'WHERE {{ {L17} qkg:answer ?a . ?a dcterms:issued ?d FILTER (?d != "2020-01-01"^^xsd:date) }}',
    "LegislatureSpanShape": f'DELETE {{ {SEED} dcterms:issued ?d }} INSERT {{ {SEED} dcterms:issued "2030-01-01"^^xsd:date }} '
    f"WHERE {{ {SEED} dcterms:issued ?d }}",
    "AnsweredShape": f"DELETE {{ {L17} qkg:answer ?a }} WHERE {{ {L17} qkg:answer ?a }}",
    "ClosedShape": f"DELETE {{ {SEED} qkg:closedOn ?d }} WHERE {{ {SEED} qkg:closedOn ?d }}",
    "NotAnsweredShape": f"DELETE {{ {L17} qkg:status ?s }} INSERT {{ {L17} qkg:status <{ID}status/pending> }} "
    f"WHERE {{ {L17} qkg:status ?s }}",
    "MentionShape": f'INSERT {{ ?m qkg:startOffset "-1"^^xsd:integer }} WHERE {{ {SEED} qkg:mention ?m }}',
    "MentionedEntityShape": f"INSERT DATA {{ {SEED} qkg:mentions id:something }}",
    "EntityShape": f'INSERT DATA {{ <{ID}entity/cnil> owl:sameAs "Q1" }}',
    "TurnShape": f'INSERT DATA {{ {SEED} qkg:turn id:turn . id:turn a qkg:Turn ; qkg:position 0 ; '
    f'qkg:speakerLabel "M. le président" ; qkg:speakerRole <{ID}speaker-role/chair> }}',
    "StageDirectionShape": "INSERT DATA { id:direction a qkg:StageDirection ; qkg:groupLabel \"LR\" }",
}


@pytest.fixture(scope="module")
def base() -> Graph:
    conversion = convert(FILES)
    buffer = io.BytesIO()
    write_rdf(conversion.triples, buffer, "nt")
    return Graph().parse(data=buffer.getvalue(), format="nt")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _failing_shapes(report: Graph, shapes: Graph) -> set[str]:
    """Names of the node shapes with a result (property shapes count for their node shape)."""
    names = set()
    for result in report.subjects(SH.resultSeverity, None):
        source = report.value(result, SH.sourceShape)
        owners = set(shapes.subjects(SH.property, source)) or {source}
        names |= {str(o).removeprefix(str(QKGSH)) for o in owners if isinstance(o, URIRef)}
    return names


def test_every_named_shape_has_a_breakage(shapes: Graph) -> None:
    named = {
        str(s).removeprefix(str(QKGSH)) for s in shapes.subjects(None, SH.NodeShape) if isinstance(s, URIRef)
    }
    assert named == set(BREAKAGES)


def test_the_real_data_conforms(base: Graph, shapes: Graph) -> None:
    report = validate_graph(base, shapes)
    assert report.conforms(), report.text
    # The one warning: PO855083's predecessor is in no AMO file we have.
    focus = {str(f) for f in report.graph.objects(None, SH.focusNode)}
    assert focus == {f"{ID}organe/PO847668"}


@pytest.mark.parametrize("shape", sorted(BREAKAGES))
def test_the_broken_copy_fails_that_shape(base: Graph, shapes: Graph, shape: str) -> None:
    broken = Graph()
    for triple in base:
        broken.add(triple)
    before = len(broken)
    broken.update(PREFIXES + BREAKAGES[shape])
    assert len(broken) != before or shape in {
        "LegislatureDatesShape",
        "LegislatureSpanShape",
        "NotAnsweredShape",
    }
    report = validate_graph(broken, shapes)
    assert shape in _failing_shapes(report.graph, shapes), report.text
