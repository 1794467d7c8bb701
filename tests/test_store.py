"""The embedded store: named graphs per record, idempotent and incremental loads, export, stats."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import DATA, SAMPLE
from pyoxigraph import Quad, RdfFormat, parse

from kg.convert import ConversionStream
from kg.load import load
from kg.mapping import IRIs
from kg.store import GROWING_KINDS, EmbeddedStore

AMO = [DATA / "an" / "acteurs", DATA / "an" / "organes"]
QG16 = DATA / "an" / "questions" / "qg" / "l16"
TFEU = " du Traité sur le fonctionnement de l\u2019Union européenne"  # cited by QANR5L16QG1875 alone
QG16_2023 = DATA / "an" / "questions" / "qg" / "l16_dump2023"
IDS = IRIs()


def quads(store: EmbeddedStore) -> set[Quad]:
    return set(store.quads())


def loaded(*batches: list[Path], path: Path | None = None) -> EmbeddedStore:
    store = EmbeddedStore(path)
    for paths in batches:
        load(paths, store)
    return store


def test_every_triple_lives_in_exactly_one_named_graph(sample_db: EmbeddedStore) -> None:
    everything = sample_db.quads()
    assert everything and all(q.graph_name.value.startswith(IDS.base + "graph/") for q in everything)
    triples = [q.triple for q in everything]
    assert len(triples) == len(set(triples))


def test_each_question_is_one_graph_with_its_answers_and_parts(sample_db: EmbeddedStore) -> None:
    graph = IDS.graph("question", "QANR5L16QE12432")
    subjects = {q.subject.value for q in sample_db.quads(graph)}
    assert IDS.question("QANR5L16QE12432").value in subjects
    assert all(s.startswith((IDS.base + "id/question/", IDS.base + "id/answer/")) for s in subjects)
    mandates = {q.subject for q in sample_db.quads(IDS.graph("acteur", "PA346782"))}
    assert any(s.value.startswith(IDS.base + "id/mandate/") for s in mandates)


def test_loading_the_same_files_twice_leaves_the_store_identical(tmp_path: Path) -> None:
    once = loaded(SAMPLE, path=tmp_path / "once")
    twice = loaded(SAMPLE, SAMPLE, path=tmp_path / "twice")
    assert quads(once) == quads(twice)


def test_a_reload_leaves_every_unchanged_record_graph_alone(tmp_path: Path) -> None:
    first = load(SAMPLE, EmbeddedStore(tmp_path / "store"))
    assert first.records > 0 and first.unchanged == 0
    # A new process: what the graphs hold comes back from the store folder.
    store = EmbeddedStore(tmp_path / "store")
    before = quads(store)
    again = load(SAMPLE, store)
    assert again.unchanged == again.records == first.records
    assert quads(store) == before


def inputs_via(via: str, questions: Path, folder: Path) -> list[Path]:
    """The sample's AMO and a folder of questions, as they are ("sources") or as N-Quads made in `folder`."""
    sources = [*AMO, questions]
    return sources if via == "sources" else [_nquads(sources, folder)]


def _edited(questions: Path, uid: str, edit: str) -> None:
    """A question file of the folder edited: its transcript rewritten, or gone."""
    path = questions / f"{uid}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    if edit == "removed answer":
        document["question"]["textesReponse"] = None
    else:
        answer = document["question"]["textesReponse"]["texteReponse"]
        # The one citation of the TFEU taken out, the exchange kept: a version as full and as new.
        answer["texte"] = answer["texte"].replace(TFEU, "")
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("via", ["sources", "N-Quads"])
@pytest.mark.parametrize("edit", ["new answer text", "removed answer"])
def test_a_reload_replaces_the_changed_record_whole_and_prunes_what_it_left(
    tmp_path: Path, edit: str, via: str
) -> None:
    """The transcript of QANR5L16QG1875 alone cites the TFEU: rewritten or gone, the treaty's graph goes."""
    questions = tmp_path / "l16"
    shutil.copytree(QG16, questions)

    def inputs(name: str) -> list[Path]:
        return inputs_via(via, questions, tmp_path / name)

    store = loaded(inputs("first"), path=tmp_path / "store")
    before = quads(store)
    treaty = IDS.graph("legal", "traite-sur-le-fonctionnement-de-l-union-europeenne")
    question = IDS.graph("question", "QANR5L16QG1875")
    assert store.quads(treaty)
    old_answer = {q for q in store.quads(question) if "/id/answer/" in q.subject.value}
    _edited(questions, "QANR5L16QG1875", edit)
    again = load(inputs("edited"), store)
    if (edit, via) == ("removed answer", "sources"):
        # Without its answer, the question's latest date is an earlier one: an older version, left out.
        assert again.summary.older_than_held == 1 and quads(store) == before
        return
    assert again.records - again.unchanged == 1
    fresh = loaded([*AMO, questions])
    assert quads(store) == quads(fresh)
    assert set(store.db.named_graphs()) == set(fresh.db.named_graphs())
    assert old_answer - quads(fresh)  # what lingering would have shown
    assert not store.quads(treaty)
    shutil.copy(QG16 / "QANR5L16QG1875.json", questions)  # and back: the pruned graphs come back too
    load(inputs("reverted"), store)
    assert quads(store) == before


def test_a_write_cut_short_leaves_no_digest_of_the_graph_it_dropped(
    sample_db: EmbeddedStore, tmp_path: Path
) -> None:
    """The digest goes before the graph, and comes back after the new quads: a reload rewrites it."""
    store = loaded(SAMPLE, path=tmp_path / "store")
    graph = IDS.graph("question", "QANR5L16QE12432")
    table = sqlite3.connect(tmp_path / "store" / "digests.sqlite")
    digest = "SELECT sha256 FROM digest WHERE graph = ?"
    assert table.execute(digest, (str(graph),)).fetchall()
    bad = f"<http://example.org/{{bad}}> <http://example.org/p> <http://example.org/o> {graph} .\n"
    with pytest.raises(SyntaxError):
        store.write_nquads("".join([*(f"{q} .\n" for q in store.quads(graph)), bad]).encode(), [graph])
    assert not table.execute(digest, (str(graph),)).fetchall()
    load(SAMPLE, store)
    assert quads(store) == quads(sample_db)
    assert table.execute(digest, (str(graph),)).fetchall()


def test_a_graph_the_store_lost_is_written_again(sample_db: EmbeddedStore) -> None:
    store = loaded(SAMPLE)
    store.db.remove_graph(IDS.graph("question", "QANR5L16QE12432"))
    load(SAMPLE, store)
    assert quads(store) == quads(sample_db)


def test_a_newer_dump_replaces_the_older_version_whole() -> None:
    newer_only = loaded([*AMO, QG16])
    older_then_newer = loaded([*AMO, QG16_2023], [QG16])
    assert quads(older_then_newer) == quads(newer_only)


def test_questions_loaded_after_the_referential_resolve_against_it(tmp_path: Path) -> None:
    at_once = loaded([*AMO, QG16], path=tmp_path / "together")
    store = tmp_path / "apart"
    loaded(AMO, path=store)
    # A new process: the referential comes back from the store folder.
    apart = loaded([QG16], path=store)
    assert quads(apart) == quads(at_once)


def test_shared_nodes_that_no_record_points_to_any_more_are_pruned(sample_db: EmbeddedStore) -> None:
    """Pruned after a load that replaced records (newer versions), as only those can leave one."""
    store = loaded([*AMO, QG16_2023])
    unresolved = IDS.graph("unresolved", "ministry/nowhere")
    node = IDS.unresolved("ministry", "nowhere")
    label = f'<{node.value}> <http://www.w3.org/2004/02/skos/core#prefLabel> "Nowhere" <{unresolved.value}> .'
    store.write_nquads(label.encode(), [])
    load(SAMPLE, store)
    assert not store.quads(unresolved)
    assert quads(store) == quads(sample_db)


def test_export_keeps_graphs_in_trig_and_merges_them_in_turtle(sample_db: EmbeddedStore) -> None:
    trig, turtle = io.BytesIO(), io.BytesIO()
    assert sample_db.export(trig, "trig") == len(sample_db.quads())
    sample_db.export(turtle, "turtle")
    assert set(parse(trig.getvalue(), RdfFormat.TRIG)) == quads(sample_db)
    merged = {q.triple for q in parse(turtle.getvalue(), RdfFormat.TURTLE)}
    assert merged == {q.triple for q in sample_db.quads()}


def test_export_of_one_question(sample_db: EmbeddedStore) -> None:
    out = io.BytesIO()
    sample_db.export(out, "nt", IDS.graph("question", "QANR5L16QE12432"))
    triples = [q.triple for q in parse(out.getvalue(), RdfFormat.N_TRIPLES)]
    assert {t.subject.value for t in triples} >= {IDS.question("QANR5L16QE12432").value}


def test_stats_count_what_the_sources_hold(sample_db: EmbeddedStore) -> None:
    stats = sample_db.stats()
    files = [p for p in (DATA / "an" / "questions").rglob("*.json") if p.parent.name != "l16_dump2023"]
    expected: dict[tuple[str, str], int] = {}
    for path in files:
        question = json.loads(path.read_text(encoding="utf-8"))["question"]
        key = (question["identifiant"]["legislature"], question["type"])
        expected[key] = expected.get(key, 0) + 1
    expected[("16", "QE")] = expected.get(("16", "QE"), 0) + 1  # the seed page
    assert stats.questions == expected
    qkg = "https://w3id.org/questions-kg/ontology#"
    assert stats.classes[qkg + "Question"] == sum(expected.values())
    assert stats.triples == len(sample_db.quads())


def test_store_on_disk_reopens_with_its_contents(tmp_path: Path) -> None:
    first = loaded(SAMPLE, path=tmp_path / "store")
    before = quads(first)
    del first
    again = EmbeddedStore(tmp_path / "store")
    assert quads(again) == before
    assert again.stats().size_bytes > 0
    assert again.referential().acteurs


@pytest.mark.shared
def test_newer_dump_on_the_whole_corpus(shared_data: Path) -> None:
    """qg/l16_dump2023 then qg/l16 gives exactly the store that qg/l16 alone gives."""
    amo = [shared_data / "an" / "acteurs", shared_data / "an" / "organes"]
    qg = shared_data / "an" / "questions" / "qg"
    assert quads(loaded([*amo, qg / "l16_dump2023"], [qg / "l16"])) == quads(loaded([*amo, qg / "l16"]))


def _nquads(paths: list[Path], tmp_path: Path) -> Path:
    """The paths converted to an N-Quads file, as `kg convert -f nquads` writes it."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "graph.nq"
    out.write_bytes(b"".join(chunk.data for chunk in ConversionStream(paths)))
    return out


def test_an_nquads_file_loads_to_the_store_its_sources_give(sample_db: EmbeddedStore, tmp_path: Path) -> None:
    dataset = _nquads(SAMPLE, tmp_path)
    fresh = EmbeddedStore(tmp_path / "bulk")
    records = {g for g in sample_db.db.named_graphs() if "/graph/rubrique/" not in g.value}
    assert 0 < load([dataset], fresh).records <= len(records)
    assert quads(fresh) == quads(sample_db)
    again = load([dataset], fresh)  # a reload leaves the graphs that hold the file's lines alone
    assert again.unchanged == again.records
    assert quads(fresh) == quads(sample_db)


def test_an_nquads_file_in_another_form_loads_and_reloads_as_its_store(
    sample_db: EmbeddedStore, tmp_path: Path
) -> None:
    """Not one quad a line as pyoxigraph writes it: written so aside and loaded; a reload changes nothing."""
    dataset = tmp_path / "commented.nq"
    dataset.write_bytes(_nquads(SAMPLE, tmp_path).read_bytes().replace(b" .\n", b" . # a comment\n"))
    store = EmbeddedStore(tmp_path / "store")
    first = load([dataset], store)
    assert quads(store) == quads(sample_db)
    again = load([dataset], store)
    assert first.records > 0 and again.unchanged == again.records == first.records


def test_an_nquads_file_replaces_the_questions_it_holds_as_they_are(tmp_path: Path) -> None:
    """Source files bring versions to compare; a dataset file is loaded as it is, older or not."""
    older, newer = [*AMO, QG16_2023], [*AMO, QG16]
    store = EmbeddedStore(None)
    load([_nquads(newer, tmp_path / "newer")], store)
    load([_nquads(older, tmp_path / "older")], store)
    alone = loaded(older)
    questions = [g for g in alone.db.named_graphs() if "/graph/question/" in g.value]
    assert questions and all(set(store.quads(g)) == set(alone.quads(g)) for g in questions)


def test_a_graph_a_later_file_added_to_is_replaced_by_the_next_load(tmp_path: Path) -> None:
    """Within a load, the first file holding a record's graph replaces it and the next ones add to it."""
    older = _nquads([*AMO, QG16_2023], tmp_path / "older")
    newer = _nquads([*AMO, QG16], tmp_path / "newer")
    store, alone = EmbeddedStore(None), loaded([older])
    load([older, newer], store)
    question = IDS.graph("question", "QANR5L16QG1")
    assert set(store.quads(question)) - quads(alone)  # the newer file added to it
    load([older], store)
    growing = tuple(f"/graph/{kind}/" for kind in GROWING_KINDS)
    for graph in alone.db.named_graphs():
        if not any(kind in graph.value for kind in growing):
            assert set(store.quads(graph)) == set(alone.quads(graph)), graph


def test_a_trig_export_loads_and_reloads_as_its_store(sample_db: EmbeddedStore, tmp_path: Path) -> None:
    dataset = tmp_path / "export.trig"
    with dataset.open("wb") as out:
        sample_db.export(out, "trig")
    store = EmbeddedStore(None)
    first = load([dataset], store)
    again = load([dataset], store)
    assert quads(store) == quads(sample_db)
    assert first.unchanged == 0 and again.unchanged == again.records == first.records


def test_the_stream_comes_in_bounded_chunks_of_whole_records() -> None:
    chunks = list(ConversionStream(SAMPLE, chunk_triples=500))
    assert len(chunks) > 5
    # A record's graph is in one chunk only, so that a store can replace it whole.
    records = [graph for chunk in chunks for graph in chunk.records]
    assert len(records) == len(set(records))
    for chunk in chunks:
        found = list(parse(chunk.data, RdfFormat.N_QUADS))
        assert chunk.triples == len(found)
        assert set(chunk.records) <= {q.graph_name for q in found}
    assert all(chunk.triples >= 500 for chunk in chunks[:-1])
