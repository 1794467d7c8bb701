"""`kg load --endpoint` and `kg query --endpoint` against a real Virtuoso: the same graphs, the same answers.

The bundled sample is loaded into Virtuoso by SPARQL Update (and again by the Graph Store Protocol),
then every named query runs, with its defaults and with other parameter values, on the embedded store
and on Virtuoso; the answers must be equal term for term, row for row, in order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE
from pyoxigraph import Literal, NamedNode, Quad
from virtuoso import Virtuoso

from kg.cli import main
from kg.named_queries import find, library
from kg.remote import RemoteEndpoint
from kg.results import Solutions, canonical, comparable
from kg.store import EmbeddedStore
from kg.vocab import BASE

OUR_QUADS = f"""SELECT ?g ?s ?p ?o WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{BASE}graph/"))
}}"""

# Parameter values beyond the defaults: other deputies, groups, ministries, periods and legislatures,
# non-ASCII and mixed-case searches, a question au Gouvernement and an unknown key.
PARAMETER_SETS: dict[str, list[dict[str, str]]] = {
    "questions-by-deputy": [{"legislature": "15"}, {"deputy": "acteur:PA267622"}],
    "questions-of-a-group": [{"group": "organe:PO723569"}, {"group": "organe:PO730964"}],
    "questions-to-ministry": [
        {"since": "2023-01-01", "until": "2023-06-30"},
        {"ministry": "organe:PO833678"},
    ],
    "unanswered-after-deadline": [{"as_of": "2030-01-01"}, {"as_of": "2023-02-01"}],
    "answer-delays-by-ministry": [{"legislature": "15"}, {"legislature": "16"}],
    "questions-by-ministry": [{"legislature": "16"}],
    "questions-per-rubrique-per-year": [{"legislature": "15"}],
    "questions-per-month-by-type": [{"legislature": "16"}],
    "questions-by-status": [{"legislature": "17"}],
    "most-active-deputies": [{"limit": "2"}, {"legislature": "15", "limit": "3"}],
    "most-active-groups": [{"legislature": "16"}],
    "questions-by-group-and-ministry": [{"legislature": "15"}],
    "questions-by-constituency": [{"department": "92"}, {"department": "2A"}],
    "ministry-names": [{"ministry": "organe:PO834720"}, {"ministry": "organe:PO855083"}],
    "deputies-changing-groups": [{"min_days": "0"}, {"legislature": "15", "min_days": "200"}],
    "deputy-mandates": [{"deputy": "acteur:PA267622"}, {"deputy": "acteur:PA346782"}],
    "search-text": [{"text": "RETRAITE"}, {"text": "health data hub"}, {"text": "zzzz"}],
    "question-neighbourhood": [{"question": "question:QANR5L16QG1"}, {"question": "question:QANR5L15QG1194"}],
}
CASES = [(name, {}) for name in sorted(library())] + [
    (name, values) for name, sets in sorted(PARAMETER_SETS.items()) for values in sets
]


def case_id(value: str | dict[str, str]) -> str:
    if isinstance(value, str):
        return value
    return ",".join(f"{key}={given}" for key, given in value.items()) or "defaults"


def kg(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def push(server: Virtuoso, store: Path, *how: str) -> None:
    """`kg load` of the bundled sample into Virtuoso, with `how` saying by which protocol."""
    kg("load", *map(str, SAMPLE), "--store", str(store), "--quiet", "--endpoint", server.sparql,
       *how, "--user", server.user, "--password", server.password, "--auth", "digest")


def remote_quads(server: Virtuoso) -> set[Quad]:
    answer = RemoteEndpoint(server.sparql).query(OUR_QUADS)
    assert isinstance(answer, Solutions)
    return {Quad(s, p, canonical(o), g) for g, s, p, o in answer.rows}


@pytest.fixture(scope="module")
def sample_on_virtuoso(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> Virtuoso:
    """The bundled sample, loaded into Virtuoso by SPARQL Update with `kg load --endpoint`."""
    push(virtuoso, tmp_path_factory.mktemp("kg-store"), "--update-endpoint", virtuoso.update)
    return virtuoso


def test_virtuoso_holds_the_same_named_graphs(sample_on_virtuoso: Virtuoso, sample_db: EmbeddedStore) -> None:
    ours = {Quad(q.subject, q.predicate, canonical(q.object), q.graph_name) for q in sample_db.quads()}
    assert len(ours) > 5000
    assert remote_quads(sample_on_virtuoso) == ours


def test_reloading_by_update_or_graph_store_protocol_changes_nothing(
    sample_on_virtuoso: Virtuoso, tmp_path: Path
) -> None:
    before = remote_quads(sample_on_virtuoso)
    push(sample_on_virtuoso, tmp_path / "again", "--update-endpoint", sample_on_virtuoso.update)
    assert remote_quads(sample_on_virtuoso) == before
    push(sample_on_virtuoso, tmp_path / "by-gsp", "--gsp", sample_on_virtuoso.gsp)
    assert remote_quads(sample_on_virtuoso) == before


@pytest.mark.parametrize(("name", "values"), CASES, ids=case_id)
def test_every_named_query_gives_the_same_answer_on_both_engines(
    sample_on_virtuoso: Virtuoso, sample_db: EmbeddedStore, name: str, values: dict[str, str]
) -> None:
    text = find(name).bound(**values)
    embedded = sample_db.query(text)
    remote = RemoteEndpoint(sample_on_virtuoso.sparql).query(text)
    assert comparable(remote) == comparable(embedded)


@pytest.mark.parametrize(
    "arguments",
    [
        ["questions-by-deputy"],
        # Our prefixes are predefined for the server too.
        ["-e", "SELECT ?q ?n WHERE { ?q a qkg:WrittenQuestion ; qkg:number ?n } ORDER BY ?n"],
    ],
)
def test_kg_query_endpoint_prints_the_embedded_answer(
    sample_on_virtuoso: Virtuoso, tmp_path: Path, arguments: list[str]
) -> None:
    store = tmp_path / "store"
    kg("load", *map(str, SAMPLE), "--store", str(store), "--quiet")
    local = json.loads(kg("query", *arguments, "-f", "json", "--store", str(store)))
    remote = json.loads(kg("query", *arguments, "-f", "json", "--endpoint", sample_on_virtuoso.sparql))
    assert local["results"]["bindings"]
    assert remote == local


def test_many_small_graphs_in_one_batch(virtuoso: Virtuoso) -> None:
    """Hundreds of tiny entity graphs replaced at once: Virtuoso refuses one request that long (SQ200)."""
    graphs = [NamedNode(f"{BASE}graph/entity/test-{i}") for i in range(700)]
    quads = [
        Quad(NamedNode(f"{BASE}id/entity/test-{i}"), NamedNode(f"{BASE}ontology#n"), Literal(i), graph)
        for i, graph in enumerate(graphs)
    ]
    endpoint = RemoteEndpoint(virtuoso.sparql, virtuoso.update, user=virtuoso.user,
                              password=virtuoso.password, auth="digest")
    endpoint.write(quads, graphs)
    endpoint.write(quads, graphs)  # replacing them again leaves one copy of each
    prefix = f"{BASE}graph/entity/test-"
    answer = endpoint.query(
        f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
    )
    assert isinstance(answer, Solutions) and int(answer.rows[0][0].value) == 700
    endpoint.write([], [])  # nothing to write sends nothing
    for start in range(0, len(graphs), 100):
        endpoint.update(" ;\n".join(f"DROP SILENT GRAPH <{g.value}>" for g in graphs[start : start + 100]))
