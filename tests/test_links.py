"""Links to Wikidata: the shipped tables, and `kg link` refreshing them from a SPARQL endpoint.

The endpoint is the tests' throw-away Virtuoso holding Wikidata-shaped triples (wdt:P4123, the AN
identifier of a deputy); the values are Wikidata's own, as in linking/deputies-wikidata.csv.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, store_of
from pyoxigraph import NamedNode
from test_virtuoso_server import update
from virtuoso import Virtuoso

from kg.cli import main
from kg.convert import convert
from kg.links import Links
from kg.resources import resource_dir

WD = "http://www.wikidata.org/entity/"
OWL_SAME_AS = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
SKOS_CLOSE = NamedNode("http://www.w3.org/2004/02/skos/core#closeMatch")
SKOS_RELATED = NamedNode("http://www.w3.org/2004/02/skos/core#relatedMatch")
ACTEUR = "https://w3id.org/questions-kg/id/acteur/"
with resource_dir("linking").joinpath("deputies-wikidata.csv").open(encoding="utf-8") as table:
    SHIPPED = {row["acteur"]: row["qid"] for row in csv.DictReader(table)}


def same_as(links: Links | None = None) -> dict[str, str]:
    """acteur uid -> QID, as the sample's conversion states them."""
    store = store_of(convert([DATA / "an"], entities=False, links=links).triples)
    return {
        q.subject.value.removeprefix(ACTEUR): q.object.value.removeprefix(WD)
        for q in store.quads_for_pattern(None, OWL_SAME_AS, None)
        if q.subject.value.startswith(ACTEUR)
    }


def test_the_sample_deputies_get_the_qids_of_the_shipped_table() -> None:
    linked = same_as()
    assert linked, "some deputies of the sample are in the table"
    assert all(SHIPPED[acteur] == qid for acteur, qid in linked.items())
    assert linked["PA346782"] == "Q445705"  # Philippe Juvin, the seed's author


def test_groups_are_related_to_their_party_not_the_same() -> None:
    store = store_of(convert([DATA / "an"], entities=False).triples)
    related = {q.object.value for q in store.quads_for_pattern(None, SKOS_RELATED, None)}
    assert f"{WD}Q20012759" in related  # Les Républicains, the party of the LR groups
    assert not any(q.object.value in related for q in store.quads_for_pattern(None, OWL_SAME_AS, None))


@pytest.fixture
def wikidata_like(virtuoso: Virtuoso) -> Virtuoso:
    """Two real deputies as Wikidata states them, with a French label, in a graph of their own."""
    graph = "http://example.org/wikidata-extract"
    update(virtuoso, f"""DROP SILENT GRAPH <{graph}> ;
        INSERT DATA {{ GRAPH <{graph}> {{
          <{WD}Q445705> <http://www.wikidata.org/prop/direct/P4123> "346782" ;
              <http://www.w3.org/2000/01/rdf-schema#label> "Philippe Juvin"@fr .
          <{WD}Q2271318> <http://www.wikidata.org/prop/direct/P4123> "1198" .
        }} }}""")
    return virtuoso


def test_kg_link_refreshes_the_table_from_an_endpoint(wikidata_like: Virtuoso, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = CliRunner().invoke(main, ["link", "--endpoint", wikidata_like.sparql, "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    assert "2 deputies linked" in result.stderr
    rows = list(csv.DictReader((cache / "deputies-wikidata.csv").open(encoding="utf-8")))
    assert [(r["acteur"], r["qid"], r["label"]) for r in rows] == [
        ("PA1198", "Q2271318", ""),
        ("PA346782", "Q445705", "Philippe Juvin"),
    ]
    # The refreshed table replaces the shipped one: the endpoint's two deputies, no more.
    linked = same_as(Links.load(cache))
    assert linked == {acteur: qid for acteur, qid in same_as().items() if acteur in ("PA1198", "PA346782")}
    assert set(same_as()) > set(linked)


def test_an_endpoint_without_deputies_is_one_clear_error(virtuoso: Virtuoso, tmp_path: Path) -> None:
    nowhere = virtuoso.sparql + "?default-graph-uri=urn:none"
    empty = CliRunner().invoke(main, ["link", "--endpoint", nowhere, "--cache", str(tmp_path)])
    assert empty.exit_code == 1
    assert "knows no deputy" in empty.stderr and "Traceback" not in empty.stderr
    assert not (tmp_path / "deputies-wikidata.csv").exists()


def test_ministries_are_close_to_the_institution_they_belong_to() -> None:
    conversion = convert([DATA / "an"], entities=False)
    store = store_of(conversion.triples)
    close = {
        q.subject.value.rsplit("/", 1)[1]: q.object.value.removeprefix(WD)
        for q in store.quads_for_pattern(None, SKOS_CLOSE, None)
    }
    armies = {
        uid for uid, organe in conversion.referential.organes.items()
        if organe.code_type == "MINISTERE"
        and (organe.label or "").replace("\xa0", " ") == "Ministère des armées"
    }
    assert armies and all(close[uid] == "Q75706" for uid in armies)  # ROR's Ministère des Armées
    assert all(conversion.referential.organes[uid].code_type == "MINISTERE" for uid in close)
