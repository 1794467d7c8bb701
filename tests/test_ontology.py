"""The ontology and SKOS schemes of ontology/: they parse and declare what the code uses."""

from __future__ import annotations

from importlib.resources.abc import Traversable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model import SPEAKER_ROLES
from kg.resources import resource_files
from kg.vocab import BASE, QKG

ID = BASE + "id/"
TERMS = sorted(QKG.__annotations__)
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


def _parse(name: str) -> Graph:
    (path,) = [f for f in resource_files("ontology", ".ttl") if f.name == name]
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse("questions-kg.ttl")


@pytest.mark.parametrize("path", resource_files("ontology", ".ttl"), ids=lambda f: f.name)
def test_every_file_parses(path: Traversable) -> None:
    assert len(Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")) > 0


@pytest.mark.parametrize("term", TERMS)
def test_term_is_declared_and_documented_in_fr_and_en(ontology: Graph, term: str) -> None:
    iri = URIRef(QKG[term])
    assert set(ontology.objects(iri, RDF.type)) & DECLARATIONS, f"{term} has no OWL declaration"
    for prop in (RDFS.label, RDFS.comment):
        languages = {o.language for o in ontology.objects(iri, prop) if isinstance(o, Literal)}
        assert {"fr", "en"} <= languages, f"{term} lacks an {prop} in fr or en"


def test_ontology_declares_no_term_the_code_lacks(ontology: Graph) -> None:
    subjects = {str(s) for t in DECLARATIONS for s in ontology.subjects(RDF.type, t)}
    declared = {s for s in subjects if s.startswith(str(QKG._NS))}
    assert declared == {str(QKG[t]) for t in TERMS}


def test_ontology_metadata(ontology: Graph) -> None:
    node = URIRef(BASE + "ontology")
    assert (node, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(node, OWL.versionIRI) == URIRef(BASE + "ontology/0.1.0")
    assert str(ontology.value(node, OWL.versionInfo)) == "0.1.0"


def test_status_scheme_has_the_five_statuses() -> None:
    graph = _parse("status.ttl")
    scheme = URIRef(ID + "status")
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    keys = {"answered", "withdrawn", "lapsed", "pending", "closed-other"}
    assert concepts == {URIRef(f"{ID}status/{key}") for key in keys}
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert {o.language for o in graph.objects(concept, SKOS.prefLabel)} == {"fr", "en"}


def test_speaker_role_scheme_has_the_roles_the_reader_gives() -> None:
    graph = _parse("speaker-roles.ttl")
    concepts = set(graph.subjects(SKOS.inScheme, URIRef(ID + "speaker-role")))
    assert concepts == {URIRef(f"{ID}speaker-role/{role}") for role in SPEAKER_ROLES}
    for concept in concepts:
        assert {o.language for o in graph.objects(concept, SKOS.prefLabel)} == {"fr", "en"}


def test_question_types_carry_their_solon_code() -> None:
    graph = _parse("question-types.ttl")
    for code in ("QE", "QG", "QOSD", "QOAD", "QOAE", "QC"):
        assert str(graph.value(URIRef(f"{ID}question-type/{code}"), SKOS.notation)) == code


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("santé", "sante"),
        ("État", "etat"),
        ("assurance maladie maternité : prestations", "assurance-maladie-maternite-prestations"),
        ("cours d'eau, étangs et lacs", "cours-d-eau-etangs-et-lacs"),
        ("TVA", "tva"),
    ],
)
def test_rubrique_concept_per_label(label: str, slug: str) -> None:
    graph = _parse("rubriques.ttl")
    concept = URIRef(f"{ID}rubrique/{slug}")
    assert (concept, SKOS.prefLabel, Literal(label, lang="fr")) in graph
    assert (concept, SKOS.topConceptOf, URIRef(ID + "rubrique")) in graph
    assert len(set(graph.subjects(SKOS.prefLabel, Literal(label, lang="fr")))) == 1


def test_rubriques_leave_out_the_list_name() -> None:
    graph = _parse("rubriques.ttl")
    assert not list(graph.subjects(SKOS.prefLabel, Literal("Têtes d'analyse : Liste générale", lang="fr")))


def test_tetes_analyse_merge_labels_with_one_slug() -> None:
    graph = _parse("tetes-analyse.ttl")
    concept = URIRef(ID + "tete-analyse/koweit")
    assert graph.value(concept, SKOS.prefLabel) == Literal("Koweït", lang="fr")
    assert set(graph.objects(concept, SKOS.altLabel)) == {Literal("Koweit", lang="fr")}
    assert (concept, SKOS.relatedMatch, URIRef(ID + "rubrique/politique-exterieure")) in graph
