"""A tiny run of the scale bench (bench/scale.py): every section runs and reports sane figures.

The figures themselves are measured by running the bench, never here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import DATA, require_virtuoso

from kg.named_queries import find, library
from kg.store import EmbeddedStore
from kg.text_search import run_named

ROOT = Path(__file__).resolve().parents[1]


def test_the_scale_bench_runs_every_section_on_a_tiny_corpus(tmp_path: Path) -> None:
    require_virtuoso()
    output = tmp_path / "scale.json"
    command = [
        sys.executable, str(ROOT / "bench" / "scale.py"), "--data", str(DATA / "an"), "--sizes", "40",
        "--runs", "1", "--rdflib-timeout", "20", "--work", str(tmp_path / "work"), "-o", str(output),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(output.read_text(encoding="utf-8"))["sizes"]["40"]

    convert = figures["convert"]
    assert convert["triples"] > 40 * 10
    assert convert["kg_no_entities"]["peak_mb"] > 0 and convert["naive_rdflib"]["seconds"] > 0
    assert convert["reading_only"]["seconds"] > 0 and convert["ratios"]["naive_over_reading"] > 0
    assert convert["kg_entities"]["triples"] > convert["triples"]  # mentions and entities on top
    assert figures["load"]["ratios"]["kg_over_bulk_load"] > 0
    assert figures["load"]["virtuoso_bulk_loader"]["seconds"] > 0
    assert figures["validate"]["same_results"]
    queries = {row["query"]: row for row in figures["queries"]}
    assert "questions-by-ministry" in queries and queries["questions-by-ministry"]["rows"] > 0
    assert all("rdflib_ms" in row and row["virtuoso_ms"] > 0 for row in queries.values())
    assert "== 40 questions ==" in done.stdout

    # Past --baselines-up-to, pySHACL and rdflib are not run; kg and Virtuoso still are.
    done = subprocess.run([*command, "--sections", "validate,queries", "--baselines-up-to", "39"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    larger = json.loads(output.read_text(encoding="utf-8"))["sizes"]["40"]
    assert larger["validate"]["pyshacl_whole_graph"] is None
    assert larger["validate"]["results"] == figures["validate"]["results"]
    assert all(row["rdflib_ms"] is None and row["virtuoso_ms"] > 0 for row in larger["queries"])
    assert "pyshacl not run" in done.stdout and "not run" in done.stdout.split("virtuoso ms")[1]

    # With no runs of the slow baselines, the load section measures kg and pyoxigraph only.
    done = subprocess.run([*command, "--sections", "load", "--heavy-runs", "0"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    load = json.loads(output.read_text(encoding="utf-8"))["sizes"]["40"]["load"]
    assert load["kg_load_json"] is None and load["virtuoso_bulk_loader"] is None
    assert load["ratios"]["kg_over_bulk_load"] > 0 and load["kg_reload_nquads"]["seconds"] > 0
    assert "Virtuoso bulk loader not run" in done.stdout
    done = subprocess.run([*command, "--heavy-runs", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "for the load section alone" in done.stderr


def test_a_corpus_replicates_the_kinds_asked_and_is_rebuilt_for_other_kinds(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    command = [sys.executable, str(ROOT / "bench" / "corpus.py"), "5", str(folder)]

    def build(*options: str) -> list[str]:
        done = subprocess.run([*command, "--data", str(DATA / "an"), *options],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return sorted(path.stem for path in (folder / "questions").rglob("*.json"))

    written = build("--kinds", "qe")  # the sample's one QE, as five questions
    assert len(set(written)) == 5 and all("QE" in uid for uid in written)
    assert build("--kinds", "QE") == written
    built = (folder / ".complete").stat().st_mtime_ns
    assert build("--kinds", "qe,QE") == written  # the same kinds, however written: the same corpus, reused
    assert (folder / ".complete").stat().st_mtime_ns == built
    every_kind = build()  # not the QE corpus again: it was built from other kinds
    assert len(every_kind) == 5 and any("QG" in uid for uid in every_kind)
    done = subprocess.run([*command, "--kinds", "QX"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "unknown kinds QX: use QE, QG, QOSD" in done.stderr


def test_the_server_load_test_runs_without_errors(tmp_path: Path) -> None:
    output = tmp_path / "serve-load.json"
    command = [sys.executable, str(ROOT / "bench" / "serve_load.py"), "--clients", "5", "--seconds", "3",
               "-o", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    figures = json.loads(output.read_text(encoding="utf-8"))
    assert figures["errors"] == 0 and figures["requests"] > 20
    assert 0 < figures["latency_ms"]["p50"] <= figures["latency_ms"]["p99"] <= figures["latency_ms"]["max"]


def test_the_query_bench_times_every_named_query_on_a_loaded_store(store: Path) -> None:
    command = [sys.executable, str(ROOT / "bench" / "queries.py"), "--store", str(store), "--runs", "1",
               "--also", "search-text:text=santé", "--also", "questions-mentioning-organisation:entity="]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {tuple(line.split()[:-2]): int(line.split()[-2]) for line in done.stdout.splitlines()[1:]}
    assert set(library()) <= {key[0] for key in rows}
    answer = run_named(EmbeddedStore(store, read_only=True), find("search-text"), {"text": "santé"})
    assert rows["search-text", "text=santé"] == len(answer.rows) > 0
    assert rows["questions-mentioning-organisation", "entity="] > rows["questions-mentioning-organisation",]
