"""`kg serve` over real HTTP: the SPARQL protocol with SPARQLWrapper, content negotiation, pages."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pytest
from conftest import DATA
from kg_server import Server, load_store, start_server
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, POST, RDFXML, SPARQLWrapper

from kg.named_queries import library
from kg.remote import RemoteEndpoint
from kg.results import Triples, comparable, from_json
from kg.store import EmbeddedStore

ID = "https://w3id.org/questions-kg/id/"
QKG = Namespace("https://w3id.org/questions-kg/ontology#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def embedded(sample_db: EmbeddedStore) -> EmbeddedStore:
    """The same sample as the server's, loaded in memory: the answers the server must give."""
    return sample_db


def wrapper(server: Server, query: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    return client


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_answers_through_sparqlwrapper_as_on_the_embedded_store(
    kg_server: Server, embedded: EmbeddedStore, name: str
) -> None:
    named = library()[name]
    text = named.bound()
    expected = embedded.query(text)
    client = wrapper(kg_server, text)
    # SPARQLWrapper guesses the form from the text, but its comment pattern eats the newline after a
    # comment line, so that every other line of a comment block is read as SPARQL ("workload": LOAD).
    client.queryType = named.form
    if isinstance(expected, Triples):
        client.setReturnFormat(RDFXML)
        answer = client.queryAndConvert()
        assert isinstance(answer, Graph)
        mine = Graph()
        for triple in expected.triples:
            mine.parse(data=f"{triple} .", format="nt")
        assert len(answer) == len(expected.triples) > 0
        assert isomorphic(answer, mine)
    else:
        client.setReturnFormat(JSON)
        assert comparable(from_json(client.queryAndConvert())) == comparable(expected)


def test_kg_query_endpoint_gets_the_embedded_answers(kg_server: Server, embedded: EmbeddedStore) -> None:
    """kg's own client of SPARQL servers, on every named query: a strict server sees their true form."""
    remote = RemoteEndpoint(kg_server.url + "/sparql")
    for named in library().values():
        text = named.bound()
        assert comparable(remote.query(text)) == comparable(embedded.query(text)), named.name


def test_an_update_is_refused_and_changes_nothing(kg_server: Server) -> None:
    before = wrapper(kg_server, COUNT)
    before.setReturnFormat(JSON)
    count = before.queryAndConvert()["results"]["bindings"][0]["n"]["value"]
    assert int(count) > 1000
    update = wrapper(kg_server, "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    update.setMethod(POST)
    with pytest.raises(HTTPError) as refused:
        update.query()
    assert refused.value.code == 403
    for body, kind in (
        ("DROP ALL", "application/sparql-update"),
        ("update=DROP%20ALL", "application/x-www-form-urlencoded"),
    ):
        answer = httpx.post(kg_server.url + "/sparql", content=body, headers={"Content-Type": kind})
        assert answer.status_code == 403 and "read-only" in answer.text
    after = wrapper(kg_server, COUNT)
    after.setReturnFormat(JSON)
    assert after.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == count


SELECT = (
    "SELECT ?question ?title WHERE { ?question a qkg:Question ; dcterms:title ?title } ORDER BY ?question"
)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_select_results_by_content_negotiation(
    kg_server: Server, embedded: EmbeddedStore, accept: str, media: str
) -> None:
    expected = embedded.query(SELECT).rows
    answer = httpx.get(kg_server.url + "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    if media.endswith("json"):
        titles = [row["title"]["value"] for row in answer.json()["results"]["bindings"]]
    elif media.endswith("xml"):
        space = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(answer.content)
        titles = [
            b.find(f"{space}literal").text for b in root.iter(f"{space}binding") if b.get("name") == "title"
        ]
    elif media == "text/csv":
        titles = [row["title"] for row in csv.DictReader(io.StringIO(answer.text))]
    else:
        lines = answer.text.splitlines()
        assert lines[0].split("\t") == ["?question", "?title"]
        # A literal as in Turtle: "text"@fr; the titles hold no quote or escape.
        titles = [line.split("\t")[1].removesuffix("@fr").strip('"') for line in lines[1:]]
    assert [str(title) for title in titles] == [row[1].value for row in expected]
    assert len(titles) > 10


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_results_by_content_negotiation(kg_server: Server, accept: str, fmt: str) -> None:
    query = "CONSTRUCT { ?q dcterms:title ?t } WHERE { ?q a qkg:Question ; dcterms:title ?t }"
    answer = httpx.post(kg_server.url + "/sparql", data={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.text, format=fmt)
    assert (
        URIRef(ID + "question/QANR5L16QE12432"),
        DCTERMS.title,
        Literal("Hébergement des données de santé", lang="fr"),
    ) in graph
    assert len(set(graph.predicates())) == 1 and len(graph) > 10


def test_bad_queries_and_formats_get_clear_errors(kg_server: Server) -> None:
    bad = httpx.get(kg_server.url + "/sparql", params={"query": "SELECT WHERE"})
    assert bad.status_code == 400 and "not valid SPARQL" in bad.text
    assert httpx.get(kg_server.url + "/sparql").status_code == 400
    unacceptable = httpx.get(
        kg_server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}
    )
    assert unacceptable.status_code == 406 and "application/sparql-results+json" in unacceptable.text


# One resource of each kind of page, with a fact its page must show and the class of its triples.
PAGES = {
    "question/QANR5L16QE12432": (QKG.Question, "Hébergement des données de santé", "Mentioned entities"),
    "question/QANR5L16QG1": (
        QKG.Question, "Exchange in the sitting", "Mme Élisabeth Borne", "answering-minister"
    ),
    "acteur/PA721764": (QKG.Deputy, "Questions asked", "Mandates"),
    "organe/PO791601": (QKG.Ministry, "Successive names", "Answer delays"),
    "organe/PO800508": (QKG.ParliamentaryGroup, "Questions of its members", ""),
    "entity/cnil": (None, "Questions mentioning it", "QANR5L16QE12432"),
    "legal/us-cloud-act": (QKG.LegalInstrument, "Questions mentioning it", "QANR5L16QE12432"),
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_kind_of_page_by_content_negotiation(
    kg_server: Server, embedded: EmbeddedStore, path: str
) -> None:
    kind, *shown = PAGES[path]
    iri = URIRef(ID + path)
    url = f"{kg_server.url}/id/{path}"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    html = httpx.get(url, headers={"Accept": browser})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert all(text in html.text for text in shown)
    # Links to other resources of the data stay on this server.
    assert 'href="/id/' in html.text and 'href="https://w3id.org/questions-kg/id/' not in html.text
    own = {
        (t.predicate.value, t.object.value)
        for t in embedded.query(f"CONSTRUCT WHERE {{ <{iri}> ?p ?o }}").triples
    }
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        answer = httpx.get(url, headers={"Accept": accept})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
        assert answer.headers["vary"] == "Accept"
        graph = Graph().parse(data=answer.text, format=fmt)
        assert {(str(p), str(o)) for p, o in graph.predicate_objects(iri)} == own
        if kind is not None:
            assert (iri, RDF.type, kind) in graph
    turtle = httpx.get(url, params={"format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_a_question_page_holds_its_answer_and_a_deputy_page_its_mandates(kg_server: Server) -> None:
    question = httpx.get(f"{kg_server.url}/id/question/QANR5L15QG2060").text
    # The deputy's words as the question, the minister's as the answer, the exchange turn by turn.
    assert "le groupe UDI et indépendants souhaite renforcer" in question and 'class="answer"' in question
    assert "Madame la députée, je vous remercie pour cette question" in question
    assert "Exchange in the sitting" in question
    graph = Graph().parse(data=httpx.get(f"{kg_server.url}/id/question/QANR5L15QG2060?format=turtle").text)
    answers = set(graph.objects(URIRef(ID + "question/QANR5L15QG2060"), QKG.answer))
    assert len(answers) == 1 and (next(iter(answers)), QKG.text, None) in graph


def test_unknown_resources_are_not_found(kg_server: Server) -> None:
    assert httpx.get(f"{kg_server.url}/id/question/QANR5L99QE1").status_code == 404
    missing = httpx.get(f"{kg_server.url}/id/question/QANR5L99QE1", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and "nothing is known" in missing.text
    assert httpx.get(f"{kg_server.url}/id/question/x", headers={"Accept": "image/png"}).status_code == 406


def test_the_base_uri_is_configurable(tmp_path: Path) -> None:
    base = "https://kg.example.org/"
    load_store([DATA / "an" / "questions" / "qg" / "l16"], tmp_path, "--base", base)
    server = start_server(tmp_path, "--base", base)
    try:
        page = httpx.get(f"{server.url}/id/question/QANR5L16QG562", headers={"Accept": "text/turtle"})
        graph = Graph().parse(data=page.text, format="turtle")
        assert (URIRef(base + "id/question/QANR5L16QG562"), RDF.type, QKG.Question) in graph
        html = httpx.get(f"{server.url}/id/question/QANR5L16QG562").text
        assert 'href="/id/organe/' in html and f'href="{base}' not in html
    finally:
        server.stop()


def test_the_query_page_offers_the_named_queries_and_ships_its_editor(kg_server: Server) -> None:
    page = httpx.get(kg_server.url + "/query").text
    assert all(f'data-example="{name}"' in page for name in library())
    script = httpx.get(kg_server.url + "/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.content) > 500_000
    assert "MIT" in httpx.get(kg_server.url + "/static/yasgui/LICENSE").text
    assert "//cdn" not in page and "unpkg" not in page


def test_the_home_page_counts_the_questions(kg_server: Server, embedded: EmbeddedStore) -> None:
    counts = embedded.query("SELECT ?t (COUNT(?q) AS ?n) WHERE { ?q qkg:questionType ?t } GROUP BY ?t").rows
    page = httpx.get(kg_server.url + "/").text
    for kind, count in counts:
        assert f"<td>{kind.value.rsplit('/', 1)[-1]}</td><td>{count.value}</td>" in page


def test_the_dashboard_draws_the_report_charts_live(kg_server: Server) -> None:
    page = httpx.get(kg_server.url + "/dashboard")
    assert page.status_code == 200
    figures = re.findall(r'<figure id="chart-([\w-]+)">', page.text)
    assert len(figures) == 8 and "questions-per-month" in figures and page.text.count("<svg") == 8
    # One legislature: fewer bars than all of them.
    bars = len(re.findall(r'id="bar-', page.text))
    only = httpx.get(kg_server.url + "/dashboard", params={"legislature": "16"}).text
    assert 0 < len(re.findall(r'id="bar-', only)) < bars
    assert httpx.get(kg_server.url + "/dashboard", params={"legislature": "x"}).status_code == 400


def test_the_ontology_and_shapes_documentation_is_served(kg_server: Server) -> None:
    ontology = httpx.get(kg_server.url + "/ontology")
    assert ontology.status_code == 200 and 'id="Question"' in ontology.text and "pyLODE" in ontology.text
    shapes = httpx.get(kg_server.url + "/shapes")
    assert shapes.status_code == 200 and "Node shapes" in shapes.text
