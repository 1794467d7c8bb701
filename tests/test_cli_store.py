"""`kg load`, `kg export`, `kg stats` and `kg query` as users run them."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA
from pyoxigraph import RdfFormat, parse

from kg.cli import main

SEED_TITLE_WORD = "cloud"


def run(*args: str, store: Path | None = None) -> tuple[int, str, str]:
    extra = ["--store", str(store)] if store else []
    result = CliRunner().invoke(main, [*args, *extra])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["load", "export", "stats", "query"])
def test_help_has_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Example:" in out and f"kg {command}" in out


def test_load_reports_what_it_loaded(tmp_path: Path) -> None:
    code, _, err = run("load", str(DATA / "an" / "questions" / "qg" / "l16"), store=tmp_path)
    assert code == 0
    assert "questions: 12 (QG 12)" in err and "loaded into" in err
    assert "unchanged" not in err
    code, _, again = run("load", str(DATA / "an" / "questions" / "qg" / "l16"), store=tmp_path)
    assert code == 0
    records = re.search(r"loaded into .*: (\d+) record graphs", err)[1]
    assert f"{records} record graphs ({records} unchanged, left as they were)" in again


def test_the_store_folder_comes_from_kg_store(store: Path) -> None:
    result = CliRunner(env={"KG_STORE": str(store)}).invoke(main, ["stats", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["triples"] > 0


def test_a_missing_store_is_one_clear_line(tmp_path: Path) -> None:
    code, _, err = run("stats", store=tmp_path / "none")
    assert code == 1
    expected = f"Error: no store at {tmp_path / 'none'}: load one first with `kg load PATHS`"
    assert err.strip().splitlines() == [expected]


def test_stats(store: Path) -> None:
    code, out, _ = run("stats", "--json", store=store)
    stats = json.loads(out)
    assert code == 0
    assert {"legislature": 16, "type": "QE", "count": 1} in stats["questions"]
    assert stats["graphs"] > 32 and stats["size_bytes"] > 0


def test_export_one_question_as_turtle(store: Path) -> None:
    code, out, _ = run("export", "--question", "QANR5L16QE12432", "-f", "turtle", store=store)
    assert code == 0
    subjects = {q.subject.value for q in parse(out.encode(), RdfFormat.TURTLE)}
    assert "https://w3id.org/questions-kg/id/question/QANR5L16QE12432" in subjects


def test_export_of_an_unknown_question_is_an_error(store: Path) -> None:
    code, _, err = run("export", "--question", "QANR5L16QE0", store=store)
    assert code == 1 and "no graph" in err


def test_query_list_names_every_query_with_its_title() -> None:
    code, out, _ = run("query", "--list")
    assert code == 0
    assert "questions-by-ministry" in out and "Questions per answering ministry" in out


COUNT = "SELECT (COUNT(?q) AS ?n) WHERE { ?q a <https://w3id.org/questions-kg/ontology#Question> }"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_select_in_every_table_format(store: Path, fmt: str) -> None:
    code, out, _ = run("query", "-e", COUNT, "-f", fmt, store=store)
    assert code == 0
    if fmt == "json":
        document = json.loads(out)
        assert document["head"]["vars"] == ["n"]
        assert document["results"]["bindings"][0]["n"]["value"] == "32"
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(out))) == [["n"], ["32"]]
    elif fmt == "tsv":
        assert out.splitlines() == ["?n", '"32"^^<http://www.w3.org/2001/XMLSchema#integer>']
    else:
        assert out.splitlines()[2].strip() == "32"


def test_ask_as_json(store: Path) -> None:
    code, out, _ = run("query", "-e", "ASK { ?s ?p ?o }", "-f", "json", store=store)
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_construct_in_every_graph_format(store: Path, fmt: str) -> None:
    query = "PREFIX qkg: <https://w3id.org/questions-kg/ontology#> CONSTRUCT WHERE { ?q a qkg:Question }"
    code, out, _ = run("query", "-e", query, "-f", fmt, store=store)
    assert code == 0
    syntax = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD}[fmt]
    assert len(list(parse(out.encode(), syntax))) == 32


def test_a_table_format_for_a_graph_is_a_usage_error(store: Path) -> None:
    code, _, err = run("query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }", "-f", "csv", store=store)
    assert code == 2 and "does not fit" in err


def test_a_syntax_error_is_one_line_with_its_position(store: Path) -> None:
    code, out, err = run("query", "-e", "SELECT * WHERE {\n  ?s ?p \n}", store=store)
    assert code == 1 and not out
    assert err.strip().splitlines() == [err.strip()]
    assert "error at 3:" in err and "Traceback" not in err


def test_our_prefixes_are_predefined_and_an_unknown_one_is_named(store: Path) -> None:
    count = "SELECT (COUNT(?q) AS ?n) WHERE {{ ?q a {} }}"
    declared = "PREFIX q: <https://w3id.org/questions-kg/ontology#> " + count.format("q:WrittenQuestion")
    assert run("query", "-e", count.format("qkg:WrittenQuestion"), "-f", "csv", store=store) == run(
        "query", "-e", declared, "-f", "csv", store=store
    )
    code, out, err = run("query", "-e", count.format("nope:Question"), store=store)
    assert code == 1 and not out and "unknown prefix nope:" in err


def test_a_query_file(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# Mine\n" + COUNT + "\n", encoding="utf-8")
    code, out, _ = run("query", str(path), "-f", "csv", store=store)
    assert code == 0 and out.splitlines()[1] == "32"


def test_a_parameter_value_is_data_not_sparql(store: Path) -> None:
    hostile = 'x" } DROP ALL #'
    query = "SELECT ?q WHERE { ?q <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, ?term)) }"
    before = json.loads(run("stats", "--json", store=store)[1])["triples"]
    code, out, _ = run("query", "-e", query, "-p", f"term={hostile}", "-f", "csv", store=store)
    assert code == 0 and out.splitlines() == ["q"]
    code, out, _ = run("query", "-e", "SELECT ?term {}", "-p", f"term={hostile}", "-f", "csv", store=store)
    assert out.splitlines()[1] == '"x"" } DROP ALL #"'
    assert json.loads(run("stats", "--json", store=store)[1])["triples"] == before


def test_a_hostile_iri_parameter_is_refused(store: Path) -> None:
    code, _, err = run("query", "-e", "SELECT ?x WHERE {}", "-p", "x=<http://a> } DROP ALL {>", store=store)
    assert code == 1 and "not a valid iri" in err


def test_updates_are_refused_by_kg_query(store: Path) -> None:
    code, _, err = run("query", "-e", "DROP ALL", store=store)
    assert code == 1 and "syntax" in err.lower()
    assert json.loads(run("stats", "--json", store=store)[1])["triples"] > 0


def test_an_unknown_named_query_says_where_to_look(store: Path) -> None:
    code, _, err = run("query", "no-such-query", store=store)
    assert code == 1 and "kg query --list" in err


def test_an_unreachable_endpoint_is_one_clear_line() -> None:
    code, _, err = run("query", "-e", COUNT, "--endpoint", "http://127.0.0.1:9/sparql")
    assert code == 1 and "cannot reach" in err and "Traceback" not in err
