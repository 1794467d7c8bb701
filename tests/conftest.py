"""Shared fixtures: the bundled sample, the full shared corpus when present, SPARQL over results."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from kg_server import Server, load_store, start_server
from pyoxigraph import Quad, Store, Triple
from virtuoso import SERVER, Virtuoso, start_virtuoso

from kg.cli import main
from kg.convert import Conversion, convert
from kg.load import load
from kg.store import EmbeddedStore

DATA = Path(__file__).parent / "data"
SAMPLE = [DATA / "an", DATA / "seed"]
SHARED = Path(os.environ.get("QKG_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
PREFIXES = """
PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX id: <https://w3id.org/questions-kg/id/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def store_of(triples: Iterable[Triple]) -> Store:
    """An in-memory pyoxigraph store holding the triples."""
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def select(store: Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as {variable: lexical value}."""
    results = store.query(PREFIXES + query)
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


@pytest.fixture(scope="session")
def sample() -> Conversion:
    """The bundled real sample, converted once."""
    return convert(SAMPLE)


@pytest.fixture(scope="session")
def sample_store(sample: Conversion) -> Store:
    return store_of(sample.triples)


@pytest.fixture(scope="session")
def sample_db() -> EmbeddedStore:
    """The bundled sample loaded into an in-memory embedded store, as `kg load` does."""
    store = EmbeddedStore(None)
    load(SAMPLE, store)
    return store


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The full real corpus beside the checkout; skipped when absent, an error in CI."""
    if not (SHARED / "an" / "questions").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the shared corpus at {SHARED}")
        pytest.skip("the shared real corpus (../shared/data) is not present")
    return SHARED


@pytest.fixture(scope="session")
def corpus(shared_data: Path) -> Conversion:
    """Every question of the shared corpus with the acteurs and organes beside it."""
    return convert([shared_data / "an"])


@pytest.fixture(scope="session")
def corpus_store(corpus: Conversion) -> Store:
    return store_of(corpus.triples)


def require_virtuoso() -> None:
    """Skip the test when Virtuoso is not installed; in CI, fail it."""
    if shutil.which(SERVER) is None:
        reason = "Virtuoso (Debian package virtuoso-opensource) is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Virtuoso: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A real throw-away Virtuoso server; skipped when not installed, an error in CI."""
    require_virtuoso()
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the bundled sample, loaded by `kg load` (one per test module)."""
    folder = tmp_path_factory.mktemp("store")
    result = CliRunner().invoke(main, ["load", "--store", str(folder), "-q", *map(str, SAMPLE)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def kg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`kg serve` on a store of the bundled sample, loaded by `kg load`."""
    store = tmp_path_factory.mktemp("served")
    load_store(SAMPLE, store)
    server = start_server(store)
    yield server
    server.stop()
