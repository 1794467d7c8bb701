"""Dumps of different dates loaded in any order: the newest version of each question, with its source."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from click.testing import CliRunner
from conftest import DATA, select, store_of

from kg.cli import main
from kg.load import load
from kg.store import EmbeddedStore

AMO = [DATA / "an" / "acteurs", DATA / "an" / "organes"]
NEWER = DATA / "an" / "questions" / "qg" / "l16"  # the 2024 dump
OLDER = DATA / "an" / "questions" / "qg" / "l16_dump2023"  # six of its questions, as of 2023
SOURCES = """SELECT ?id ?name ?sha WHERE {
  ?q dcterms:identifier ?id ; qkg:sourceFile ?s . ?s qkg:fileName ?name ; qkg:sha256 ?sha }"""


def rows(store: EmbeddedStore, query: str) -> list[dict[str, str]]:
    return select(store_of(quad.triple for quad in store.quads()), query)


def loads(folder: Path, *batches: list[Path]) -> EmbeddedStore:
    """Each batch loaded by a process of its own (the store reopened from its folder)."""
    for paths in batches:
        load(paths, EmbeddedStore(folder))
    return EmbeddedStore(folder)


def test_dumps_loaded_in_any_order_end_with_the_newest_versions(tmp_path: Path) -> None:
    newest_first = loads(tmp_path / "a", [*AMO, NEWER], [OLDER])
    oldest_first = loads(tmp_path / "b", [*AMO, OLDER], [NEWER])
    together = loads(tmp_path / "c", [*AMO, OLDER, NEWER])
    assert set(newest_first.quads()) == set(oldest_first.quads()) == set(together.quads())
    # Nothing of the older versions: each question's source is its file of the newer dump.
    sources = {row["id"]: (row["name"], row["sha"]) for row in rows(newest_first, SOURCES)}
    assert len(sources) == len(list(NEWER.glob("*.json")))
    for path in NEWER.glob("*.json"):
        assert sources[path.stem] == (path.name, hashlib.sha256(path.read_bytes()).hexdigest())


def test_kg_load_says_which_versions_the_store_had_newer(tmp_path: Path) -> None:
    store = ["--store", str(tmp_path)]
    CliRunner().invoke(main, ["load", *map(str, [*AMO, NEWER]), *store])
    result = CliRunner().invoke(main, ["load", str(OLDER), *store])
    older = len(list(OLDER.glob("*.json")))
    assert result.exit_code == 0
    assert f"older versions superseded: {older} ({older} by the store's newer ones)" in result.stderr


def test_every_question_names_its_source_file_and_checksum(sample_db: EmbeddedStore) -> None:
    found = rows(sample_db, SOURCES)
    assert len(found) == len(rows(sample_db, "SELECT ?q WHERE { ?q a qkg:Question }")) > 30
    # Two dumps hold files of the same name: the digest tells which one was read.
    digests = {(path.name, hashlib.sha256(path.read_bytes()).hexdigest()) for path in DATA.rglob("*.*")}
    for row in found:
        assert "/" not in row["name"]  # no local folder
        assert (row["name"], row["sha"]) in digests


def test_a_question_from_a_zip_dump_names_the_dump_and_its_member(tmp_path: Path) -> None:
    dump = tmp_path / "Questions_gouvernement_XVI.json.zip"
    path = NEWER / "QANR5L16QG562.json"
    with zipfile.ZipFile(dump, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, f"json/{path.name}")
    store = EmbeddedStore(None)
    load([*AMO, dump], store)
    (row,) = rows(store, SOURCES)
    assert row["name"] == f"{dump.name}!json/{path.name}"
    assert row["sha"] == hashlib.sha256(path.read_bytes()).hexdigest()
