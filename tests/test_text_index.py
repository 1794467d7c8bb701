"""The text index beside the embedded store: it holds what the store holds, and `search-text` answers
from it exactly as the query does by reading every text."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import DATA, SAMPLE
from test_store import QG16, _edited, inputs_via, loaded

from kg.load import load
from kg.named_queries import find
from kg.results import comparable
from kg.store import EmbeddedStore
from kg.text_search import columns, run_named, search_text

# Words of every kind: frequent, rare, none, any case, spaces, apostrophes, GLOB's and FTS's own
# characters, shorter than a trigram, empty.
TEXTS = ["santé", "RETRAITE", "health data hub", "Azure", "l'État", "l\u2019État", "zzzz", "é p", "ab", "[",
         "*", "?", '"', "%", "_", "AND", "", "Ministre de l'intérieur"]
SEARCH = find("search-text")
INDEXED = """SELECT ?question ?part ?content WHERE {
  { ?question a qkg:Question ; dcterms:title ?text . BIND("title" AS ?part) }
  UNION { ?question a qkg:Question ; qkg:text ?text . BIND("question" AS ?part) }
  UNION { ?question a qkg:Question ; qkg:answer/qkg:text ?text . BIND("answer" AS ?part) }
  BIND(LCASE(?text) AS ?content)
}"""


def index_rows(store: EmbeddedStore) -> Counter:
    index = store.text_index()
    assert index is not None
    return Counter(index.db.execute("SELECT question, part, content FROM text"))


def store_rows(store: EmbeddedStore) -> Counter:
    """What the index must hold, as the store's own SPARQL finds and lowercases it."""
    return Counter(tuple(term.value for term in row) for row in store.query(INDEXED).rows)


def same_as_the_query(store: EmbeddedStore, text: str) -> None:
    indexed = search_text(store, text)
    assert indexed is not None
    scanned = store.query(SEARCH.bound(text=text))
    assert comparable(indexed) == comparable(scanned)


@pytest.mark.parametrize("text", TEXTS)
def test_search_text_from_the_index_is_the_query_s_answer(sample_db: EmbeddedStore, text: str) -> None:
    same_as_the_query(sample_db, text)


@pytest.mark.parametrize("text", ["santé", "Azure"])
def test_columns_read_whole_or_looked_up_are_the_same(sample_db: EmbeddedStore, text: str) -> None:
    """Whole columns or a lookup per question: the same rows, for a frequent word and for a rare one."""
    index = sample_db.text_index()
    assert index is not None
    found = index.find(text)
    assert found

    def rows(hashed: bool) -> list:
        return sorted(map(repr, comparable(columns(sample_db, found, hashed=hashed))[1]))

    hashed, looked_up = rows(hashed=True), rows(hashed=False)
    assert hashed == looked_up
    assert len(hashed) >= len(found)  # a question may have several titles or ministries


def test_the_index_holds_the_titles_and_texts_of_questions_and_answers(sample_db: EmbeddedStore) -> None:
    """Not the turns of a QG, nor the titles of legal instruments: what `search-text` reads."""
    rows = index_rows(sample_db)
    assert rows == store_rows(sample_db)
    assert {part for _, part, _ in rows} == {"title", "question", "answer"}


@pytest.mark.parametrize("via", ["sources", "N-Quads"])
def test_a_reload_keeps_the_index_to_what_the_store_holds(tmp_path: Path, via: str) -> None:
    questions = tmp_path / "l16"
    shutil.copytree(QG16, questions)
    store = loaded(inputs_via(via, questions, tmp_path / "first"), path=tmp_path / "store")
    before = index_rows(store)
    assert before == store_rows(store)
    _edited(questions, "QANR5L16QG1875", "new answer text")
    load(inputs_via(via, questions, tmp_path / "edited"), store)
    assert index_rows(store) == store_rows(store) != before
    same_as_the_query(store, "union européenne")
    reopened = EmbeddedStore(tmp_path / "store", read_only=True)  # as `kg query` opens it
    assert index_rows(reopened) == store_rows(store)


def test_a_write_cut_short_leaves_the_index_unused_until_a_load_completes(tmp_path: Path) -> None:
    store = loaded(SAMPLE, path=tmp_path / "store")
    graph = next(g for g in store.db.named_graphs() if "/graph/question/QANR5L16QE12432" in g.value)
    bad = f"<http://example.org/{{bad}}> <http://example.org/p> <http://example.org/o> {graph} .\n"
    with pytest.raises(SyntaxError):
        store.write_nquads("".join([*(f"{q} .\n" for q in store.quads(graph)), bad]).encode(), [graph])
    assert store.text_index() is None and search_text(store, "santé") is None  # the query reads the texts
    load(SAMPLE, store)
    assert index_rows(store) == store_rows(store)
    same_as_the_query(store, "santé")


def test_a_store_of_an_older_kg_searches_by_reading_the_texts(tmp_path: Path) -> None:
    """A store made without the index gets none (its graphs are not in it): the query reads the texts."""
    folder = tmp_path / "store"
    loaded([DATA / "seed"], path=folder)
    (folder / "texts.sqlite").unlink()
    store = loaded(SAMPLE, path=folder)
    assert store.text_index() is None and not (folder / "texts.sqlite").exists()
    answer = run_named(store, SEARCH, {"text": "santé"})
    assert comparable(answer) == comparable(store.query(SEARCH.bound(text="santé")))


@pytest.fixture(scope="module")
def corpus_db(shared_data: Path) -> EmbeddedStore:
    """The whole shared corpus in an embedded store (without entities: the texts are the same)."""
    store = EmbeddedStore(None)
    load([shared_data / "an"], store, entities=False)
    return store


def test_the_corpus_index_holds_what_the_store_holds(corpus_db: EmbeddedStore) -> None:
    assert index_rows(corpus_db) == store_rows(corpus_db)


@pytest.mark.parametrize("text", ["santé", "Glyphosate", "l'État", "COVID-19", "é p", "ab", "zzzz"])
def test_search_text_on_the_corpus(corpus_db: EmbeddedStore, text: str) -> None:
    same_as_the_query(corpus_db, text)
