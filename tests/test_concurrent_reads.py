"""Reading a store while a `kg load` writes it: `kg query` and `kg serve` beside a running load.

The writer is kg's own load, in a process of its own, loading two versions of the sample's
questions in turn: each load replaces their graphs, and the database compacts meanwhile.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import DATA, SAMPLE
from kg_server import KG, load_store, start_server

from kg.concurrent_reads import TRIES
from kg.load import load
from kg.store import EmbeddedStore

LOADS = 40  # even: the last load is of version b
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SEED = "/id/question/QANR5L16QE12432"


def _versions(folder: Path) -> list[Path]:
    """The sample's questions twice, each with every question's first text ending in its mark."""
    versions = []
    for version in ("a", "b"):
        questions = folder / version
        shutil.copytree(DATA / "an" / "questions", questions)
        for path in questions.rglob("*.json"):
            document = json.loads(path.read_text(encoding="utf-8"))
            question = document["question"]
            first = (question.get("textesQuestion") or {}).get("texteQuestion")
            first = first or question["textesReponse"]["texteReponse"]
            first["texte"] += f"<p>marked {version * 3}</p>"
            path.write_text(json.dumps(document), encoding="utf-8")
        versions.append(questions)
    return versions


def _write(store: Path, versions: list[Path], loads: int) -> None:
    """The writer's process: `loads` loads, each replacing the questions' graphs."""
    writer = EmbeddedStore(store)
    for turn in range(loads):
        load([versions[turn % 2]], writer)


Loading = tuple[Path, multiprocessing.process.BaseProcess]


@pytest.fixture
def loading(tmp_path: Path) -> Iterator[Loading]:
    """A store of the sample, and a process loading into it for a few seconds."""
    store = tmp_path / "store"
    load_store(SAMPLE, store)
    spawn = multiprocessing.get_context("spawn")
    writer = spawn.Process(target=_write, args=(store, _versions(tmp_path), LOADS))
    writer.start()
    yield store, writer
    writer.join(timeout=120)
    assert writer.exitcode == 0


def test_kg_query_beside_a_running_load_never_fails(loading: Loading) -> None:
    """Opened, queried and read whole over and over while the load runs, as `kg query` and `kg export` do."""
    store, writer = loading
    reads = 0
    while writer.is_alive():
        reader = EmbeddedStore(store, read_only=True)
        triples = int(reader.query(COUNT).rows[0][0].value)
        assert triples > 0 and len(reader.quads()) > 0
        reads += 1
    writer.join()
    assert reads >= 10, "the load ended before the reads could race it"
    texts = " ".join(quad.object.value for quad in EmbeddedStore(store, read_only=True).quads())
    assert "marked bbb" in texts and "marked aaa" not in texts  # the last load's version, whole


def test_kg_serve_started_and_queried_beside_a_running_load(loading: Loading) -> None:
    """Each start opens the store in the server and in its query workers, while the load runs."""
    store, writer = loading
    starts = 0
    while writer.is_alive():
        server = start_server(store, "--workers", "2")
        try:
            for path in ("/sparql?query=" + COUNT, SEED, "/"):
                assert httpx.get(server.url + path, timeout=60).status_code == 200, path
        finally:
            server.stop()
        starts += 1
    assert starts >= 2, "the load ended before the server could race it"


def test_a_file_missing_for_good_gets_a_clear_error_after_a_few_tries(tmp_path: Path) -> None:
    """Not a load's doing but a damaged database: the reads give up with the reason, no traceback."""
    store = tmp_path / "store"
    load_store(SAMPLE, store)
    for table in (store / "oxigraph").glob("*.sst"):
        table.unlink()
    run = subprocess.run([*KG, "stats", "--store", str(store)], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"missing at {TRIES} reads in a row" in run.stderr and ".sst: No such file" in run.stderr
