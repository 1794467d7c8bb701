"""`kg report` on the bundled sample and on an empty store: every chart drawn, with as many bars as the data.

The expected numbers of bars come from SPARQL queries of this file over the store, not from kg/report.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

import kg.cli.report  # noqa: F401  (registers `kg report` until kg/cli/__init__.py imports it)
from kg.cli import main
from kg.store import EmbeddedStore

PREFIXES = """
PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# For each chart: the SPARQL counting the things it draws, and how many it shows at most.
EXPECTED = {
    # One bar segment per month and type with questions.
    "questions-per-month": ("""
        SELECT (COUNT(DISTINCT ?key) AS ?n) WHERE {
          ?q a qkg:Question ; dcterms:issued ?issued ; qkg:questionType ?type .
          BIND(CONCAT(SUBSTR(STR(?issued), 1, 7), STR(?type)) AS ?key) }""", None),
    # One box per ministry name with answer delays, questions au Gouvernement left out.
    "answer-delays": ("""
        SELECT (COUNT(DISTINCT ?name) AS ?n) WHERE {
          ?q qkg:answerDelayDays ?delay ; qkg:answeringMinistry ?m ; qkg:questionType ?type .
          FILTER(!STRENDS(STR(?type), "/QG"))
          OPTIONAL { ?m skos:prefLabel ?label } BIND(COALESCE(STR(?label), STR(?m)) AS ?name) }""", 12),
    # One bar per ministry name with questions.
    "answer-rate": ("""
        SELECT (COUNT(DISTINCT ?name) AS ?n) WHERE {
          ?q a qkg:Question ; qkg:answeringMinistry ?m .
          OPTIONAL { ?m skos:prefLabel ?label } BIND(COALESCE(STR(?label), STR(?m)) AS ?name) }""", 20),
    "top-rubriques": ("""
        SELECT (COUNT(DISTINCT ?name) AS ?n) WHERE {
          ?q a qkg:Question ; qkg:rubrique ?r .
          OPTIONAL { ?r skos:prefLabel ?label } BIND(COALESCE(STR(?label), STR(?r)) AS ?name) }""", 15),
    "active-deputies": ("""
        SELECT (COUNT(DISTINCT ?deputy) AS ?n) WHERE { ?q a qkg:Question ; qkg:askedBy ?deputy }""", 20),
    # Groups of one name and abbreviation are one bar.
    "active-groups": ("""
        SELECT (COUNT(DISTINCT ?key) AS ?n) WHERE {
          { SELECT ?g (MIN(STR(?alt)) AS ?abbreviation) WHERE {
              ?q a qkg:Question ; qkg:authorGroup ?g . OPTIONAL { ?g skos:altLabel ?alt } } GROUP BY ?g }
          OPTIONAL { ?g skos:prefLabel ?label }
          BIND(CONCAT(COALESCE(STR(?label), STR(?g)), "|", COALESCE(?abbreviation, "")) AS ?key) }""", 20),
    "mentioned-organisations": ("""
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?q a qkg:Question . { ?q qkg:mentions ?e } UNION { ?q qkg:answer/qkg:mentions ?e }
          ?e a org:Organization . FILTER(CONTAINS(STR(?e), "/id/entity/")) }""", 15),
    "mentioned-legal-instruments": ("""
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?q a qkg:Question . { ?q qkg:mentions ?e } UNION { ?q qkg:answer/qkg:mentions ?e }
          ?e a qkg:LegalInstrument }""", 15),
}
MARK = re.compile(r"(bar|box)-\d+")


@pytest.fixture(scope="module")
def report(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["report", "--store", str(store), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"report written to {out / 'index.html'}" in result.stderr
    return out


def count(store: Path, query: str) -> int:
    """The number a COUNT query gives over the union of the store's graphs."""
    db = Store.read_only(str(store / "oxigraph"))
    rows = list(db.query(PREFIXES + query, use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


def marks(svg: Path) -> int:
    """How many elements of the SVG have a bar-N or box-N id."""
    tree = ET.parse(svg)
    return sum(1 for element in tree.iter() if MARK.fullmatch(element.get("id", "")))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_chart_draws_a_bar_per_item(store: Path, report: Path, name: str) -> None:
    query, limit = EXPECTED[name]
    expected = count(store, query)
    if limit is not None:
        expected = min(expected, limit)
    assert expected > 0  # the sample has something to draw in every chart
    assert (report / f"{name}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert marks(report / f"{name}.svg") == expected


def test_the_page_shows_every_chart_and_the_store_figures(store: Path, report: Path) -> None:
    page = (report / "index.html").read_text(encoding="utf-8")
    questions = count(store, "SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a qkg:Question }")
    assert f"{questions} questions" in page
    for name in EXPECTED:
        assert f'src="{name}.svg"' in page and f'href="{name}.png"' in page
    assert sorted(path.stem for path in report.glob("*.svg")) == sorted(EXPECTED)


def test_a_long_title_says_how_many_it_keeps(report: Path) -> None:
    # The sample has more than 20 ministries and 15 rubriques: the titles say only the first are shown.
    assert "(20 ministères les plus interrogés)" in (report / "answer-rate.svg").read_text(encoding="utf-8")
    assert "(15 premières rubriques)" in (report / "top-rubriques.svg").read_text(encoding="utf-8")


def test_an_empty_store_gives_charts_saying_no_data(tmp_path: Path) -> None:
    EmbeddedStore(tmp_path / "store").flush()  # an empty store, on disk as `kg load` leaves one
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", "--store", str(tmp_path / "store"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    for name in EXPECTED:
        svg = out / f"{name}.svg"
        assert marks(svg) == 0
        assert "Aucune donnée" in svg.read_text(encoding="utf-8")
        assert (out / f"{name}.png").stat().st_size > 0
    assert "Aucune question" in (out / "index.html").read_text(encoding="utf-8")


def test_a_missing_store_is_one_clear_line(tmp_path: Path) -> None:
    args = ["report", "--store", str(tmp_path / "none"), "-o", str(tmp_path / "r")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: no store at {tmp_path / 'none'}: load one first with `kg load PATHS`"
    ]
    assert not (tmp_path / "r").exists()


def test_an_unwritable_folder_is_one_clear_line(store: Path, tmp_path: Path) -> None:
    taken = tmp_path / "file"
    taken.write_text("not a folder")
    result = CliRunner().invoke(main, ["report", "--store", str(store), "-o", str(taken / "report")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write the report in {taken / 'report'}")
    assert "Traceback" not in result.output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout and "kg report" in result.stdout
