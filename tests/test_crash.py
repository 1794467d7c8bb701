"""A `kg load` killed at any point (SIGKILL) loses nothing: the store opens, and a rerun completes it.

Each iteration kills the real `python -m kg load` once or more after a random delay (seeded), checks
that `kg stats` and `kg query` read what is left, then reruns the same load to the end: the store
must then hold exactly the quads, digests and referential of the same load never interrupted.
`QKG_CRASH_ITERATIONS=50` makes a longer run on the sample, `QKG_CRASH_CORPUS_ITERATIONS=N` (1 by
default) kills loads of the shared corpus's N-Quads too, `QKG_CRASH_SEED` picks other kill points.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, SAMPLE

from kg.cli import main
from kg.convert import ConversionStream
from kg.load import load
from kg.mapping import IRIs
from kg.store import EmbeddedStore

ITERATIONS = int(os.environ.get("QKG_CRASH_ITERATIONS", "8"))
CORPUS_ITERATIONS = int(os.environ.get("QKG_CRASH_CORPUS_ITERATIONS", "1"))
SEED = int(os.environ.get("QKG_CRASH_SEED", "20240607"))
ROOT = Path(__file__).resolve().parents[1]
AMO = [DATA / "an" / "acteurs", DATA / "an" / "organes"]
QG16 = DATA / "an" / "questions" / "qg" / "l16"
TFEU = " du Traité sur le fonctionnement de l\u2019Union européenne"  # cited by QANR5L16QG1875 alone
QG16_2023 = DATA / "an" / "questions" / "qg" / "l16_dump2023"
IDS = IRIs()
# SIGKILL and process groups are POSIX's.
posix = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals and process groups")


@dataclass(frozen=True)
class Scenario:
    """A load to kill: its inputs, and the store it starts from (None: no store yet)."""

    name: str
    paths: list[Path]
    start: Path | None = None


# What a store holds, as `contents` tells.
Contents = tuple[list[str], list[tuple[str, bytes]], str, list[tuple[str, str, str]]]


@dataclass
class Reference:
    """A scenario's load without interruption: how long it took, and what the store then holds."""

    scenario: Scenario
    seconds: float
    contents: Contents


def kg_load(paths: list[Path], store: Path, stderr: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    """`kg load` in a process group of its own, so that its conversion workers can be killed with it."""
    command = [sys.executable, "-m", "kg", "load", "-q", "--store", str(store), *map(str, paths)]
    # A killed load leaves its temporary files: beside the store, where the test's folder goes with them.
    env = {**os.environ, "TMPDIR": str(store.parent)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
    )


def load_to_the_end(paths: list[Path], store: Path) -> float:
    """Run `kg load` uninterrupted; how long it took."""
    started = time.monotonic()
    process = kg_load(paths, store)
    _, err = process.communicate()
    assert process.returncode == 0, err.decode()
    return time.monotonic() - started


def killed_load(paths: list[Path], store: Path, delay: float) -> bool:
    """Run `kg load` and SIGKILL it after `delay` seconds; whether it was still running then."""
    # No pipe: the conversion workers of a killed load would hold it open.
    process = kg_load(paths, store, stderr=subprocess.DEVNULL)
    try:
        process.wait(delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)  # the loading process alone, as the OOM killer or `kill -9` do
    process.wait()
    try:
        # Its conversion workers see their parent gone and exit by themselves.
        assert outlived_by(process.pid, seconds=5) == [], "workers outlived the killed load"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode == -signal.SIGKILL


def outlived_by(group: int, seconds: float) -> list[int]:
    """The processes of a group still running (zombies apart) after waiting up to `seconds` for none."""
    deadline = time.monotonic() + seconds
    while (running := group_members(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return running


def group_members(group: int) -> list[int]:
    """The running processes of a process group, as /proc tells (none where there is no /proc)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):  # gone meanwhile
            continue
        if state != "Z" and int(pgrp) == group:
            members.append(int(stat.parent.name))
    return members


def startup_seconds() -> float:
    """How long `python -m kg` takes to start: kills before that only stop imports."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "kg", "--help"], cwd=ROOT, capture_output=True, check=True)
    return time.monotonic() - started


def fresh(scenario: Scenario, folder: Path) -> Path:
    """A store folder in the state the scenario starts from."""
    if scenario.start is not None:
        shutil.copytree(scenario.start, folder)
    return folder


def reference(scenario: Scenario, folder: Path) -> Reference:
    """The scenario's load, uninterrupted."""
    store = fresh(scenario, folder)
    seconds = load_to_the_end(scenario.paths, store)
    return Reference(scenario, seconds, contents(store))


def assert_readable(store: Path, started_empty: bool) -> None:
    """`kg stats` and `kg query` work on what a killed load left (no store at all, if it had none)."""
    runner = CliRunner()
    stats = runner.invoke(main, ["stats", "--json", "--store", str(store)])
    if started_empty and not (store / "oxigraph").is_dir():  # killed before its database was created
        assert stats.exit_code == 1 and "no store at" in stats.stderr, stats.output
        return
    assert stats.exit_code == 0, stats.output
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    query = runner.invoke(main, ["query", "-e", count, "-f", "json", "--store", str(store)])
    assert query.exit_code == 0, query.output
    rows = json.loads(query.stdout)["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == json.loads(stats.stdout)["triples"]


def contents(store: Path) -> Contents:
    """What a store holds: its sorted N-Quads (`kg export`), its digests table, its referential and
    its text index.

    A load run to the end leaves no task owed (`pending`, see `kg.digests`), and its text index complete.
    """
    export = CliRunner().invoke(main, ["export", "-f", "nquads", "--store", str(store)])
    assert export.exit_code == 0, export.output
    table = sqlite3.connect(store / "digests.sqlite")
    try:
        digests = table.execute("SELECT graph, sha256 FROM digest ORDER BY graph").fetchall()
        assert not table.execute("SELECT task FROM pending").fetchall()
    finally:
        table.close()
    referential = canonical(json.loads((store / "referential.json").read_text(encoding="utf-8")))
    texts = sqlite3.connect(store / "texts.sqlite")
    try:
        assert not texts.execute("SELECT key FROM state").fetchall()
        indexed = sorted(texts.execute("SELECT question, part, content FROM text"))
    finally:
        texts.close()
    return sorted(export.stdout.splitlines()), digests, referential, indexed


def canonical(value: object) -> str:
    """JSON with its lists sorted: two uninterrupted loads may list an acteur's mandates in other orders."""

    def sort(item: object) -> object:
        if isinstance(item, dict):
            return {key: sort(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return sorted((sort(inner) for inner in item), key=lambda x: json.dumps(x, sort_keys=True))
        return item

    return json.dumps(sort(value), sort_keys=True)


def assert_same_store(store: Path, expected: Contents) -> None:
    """Same quads, digests, referential and texts; compared by parts so that a failure says which differs."""
    quads, digests, referential, texts = contents(store)
    quads_0, digests_0, referential_0, texts_0 = expected
    assert set(quads) - set(quads_0) == set() and set(quads_0) - set(quads) == set()
    assert quads == quads_0  # and no duplicates either
    assert dict(digests) == dict(digests_0)
    assert referential == referential_0
    assert texts == texts_0


def crash_and_rerun(ref: Reference, folder: Path, rng: random.Random, floor: float) -> int:
    """Kill the scenario's load once or more at random points, then rerun it to the end; the kills made.

    Delays are spread over the uninterrupted load's duration, from the end of the imports on.
    """
    scenario = ref.scenario
    store = fresh(scenario, folder)
    kills = 0
    while True:
        if killed_load(scenario.paths, store, rng.uniform(floor, ref.seconds)):
            kills += 1
            assert_readable(store, started_empty=scenario.start is None)
        if rng.random() < 0.5:  # half the time, kill the rerun too
            break
    load_to_the_end(scenario.paths, store)
    assert_same_store(store, ref.contents)
    return kills


def kill_iterations(references: list[Reference], tmp_path: Path, iterations: int, seed: int) -> int:
    """Run the iterations, rotating over the scenarios; the kills that landed mid-load."""
    rng = random.Random(seed)
    floor = 0.8 * startup_seconds()
    kills = 0
    for iteration in range(iterations):
        ref = references[iteration % len(references)]
        folder = tmp_path / f"{iteration:03d}-{ref.scenario.name}"
        kills += crash_and_rerun(ref, folder, rng, min(floor, ref.seconds / 2))
        shutil.rmtree(folder)
    return kills


def nquads(paths: list[Path], out: Path) -> Path:
    """The paths converted to N-Quads, as `kg convert -f nquads` writes them."""
    out.write_bytes(b"".join(chunk.data for chunk in ConversionStream(paths)))
    return out


@posix
def test_killed_loads_of_the_sample_complete_on_rerun(tmp_path: Path) -> None:
    """From no store (the sample's files, and their N-Quads) and over an older dump (replacing records)."""
    older = tmp_path / "older"
    load_to_the_end([*AMO, QG16_2023], older)
    scenarios = [
        Scenario("sources", SAMPLE),
        Scenario("nquads", [nquads(SAMPLE, tmp_path / "sample.nq")]),
        Scenario("newer", SAMPLE, start=older),
    ]
    references = [reference(s, tmp_path / f"reference-{s.name}") for s in scenarios]
    kills = kill_iterations(references, tmp_path, ITERATIONS, SEED)
    print(f"{ITERATIONS} iterations, {kills} loads killed mid-way")
    assert kills >= ITERATIONS // 2  # most kills must land while the load runs


@posix
@pytest.mark.shared
def test_killed_bulk_loads_of_the_corpus_complete_on_rerun(shared_data: Path, tmp_path: Path) -> None:
    """The bulk path on a file of half a million quads: more kill points inside pyoxigraph's bulk loader."""
    dataset = tmp_path / "corpus.nq"
    with dataset.open("wb") as out:
        for chunk in ConversionStream([shared_data / "an"], jobs=os.cpu_count() or 1):
            out.write(chunk.data)
    ref = reference(Scenario("corpus", [dataset]), tmp_path / "reference")
    kills = kill_iterations([ref], tmp_path, CORPUS_ITERATIONS, SEED)
    print(f"{CORPUS_ITERATIONS} iterations, {kills} loads killed mid-way")
    assert kills >= CORPUS_ITERATIONS // 2


def _answer_rewritten(folder: Path, uid: str) -> None:
    """The question file of the folder, its transcript rewritten (same dates: a version as new)."""
    path = folder / f"{uid}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    answer = document["question"]["textesReponse"]["texteReponse"]
    # The one citation of the TFEU taken out, the exchange kept: a version as full and as new.
    answer["texte"] = answer["texte"].replace(TFEU, "")
    path.write_text(json.dumps(document), encoding="utf-8")


class Killed(Exception):
    """Stands for a SIGKILL at a chosen point, which random delays seldom hit."""


def test_a_load_killed_before_its_prune_prunes_on_the_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QANR5L16QG1875's transcript alone cites the TFEU: rewritten without it, the treaty's graph goes.

    Killed after writing the new version but before pruning, the load leaves every record graph
    with its digest: the rerun writes nothing, and must still prune what the killed load orphaned.
    """
    questions = tmp_path / "l16"
    shutil.copytree(QG16, questions)
    load([*AMO, questions], EmbeddedStore(tmp_path / "store"))
    _answer_rewritten(questions, "QANR5L16QG1875")

    def killed(self: EmbeddedStore, base: str = "") -> None:
        raise Killed

    monkeypatch.setattr(EmbeddedStore, "prune", killed)
    with contextlib.suppress(Killed):  # the store, out of reach then, is closed as a killed process's
        load([*AMO, questions], EmbeddedStore(tmp_path / "store"))
    monkeypatch.undo()
    store = EmbeddedStore(tmp_path / "store")
    again = load([*AMO, questions], store)
    assert again.unchanged == again.records
    assert not store.quads(IDS.graph("legal", "traite-sur-le-fonctionnement-de-l-union-europeenne"))
    expected = EmbeddedStore(None)
    load([*AMO, questions], expected)
    assert set(store.quads()) == set(expected.quads())
