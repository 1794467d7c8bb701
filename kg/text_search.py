"""Named queries on the embedded store, `search-text` answered from its text index when it has one.

The index (`kg.text_index`) gives where the text is; SPARQL then only reads the columns of those
questions (looked up one by one when they are few, from whole columns when many), and the rows are
put in the query's order here, where sorting costs nothing next to the engine's sort of long
strings. Same rows in the same order as the query itself (tests/test_text_index.py).
"""

from __future__ import annotations

from functools import cache

from pyoxigraph import Literal, NamedNode

from .named_queries import NamedQuery, bind_parameters, find
from .results import Answer, Solutions
from .store import EmbeddedStore
from .text_index import Match

__all__ = ["run_named", "search_text"]

# The store's query knows the prefixes (`kg.rdfio.PREFIXES`).
# The columns of a few questions, looked up question by question.
_LOOKED_UP = """SELECT DISTINCT ?question ?foundIn ?issued ?title ?deputyName ?answeringMinistry
WHERE {
  VALUES (?question ?foundIn) { %s }
  OPTIONAL { ?question dcterms:issued ?issued }
  OPTIONAL { ?question dcterms:title ?title }
  OPTIONAL { ?question qkg:askedBy/foaf:name ?deputyName }
  OPTIONAL { ?question qkg:answeringMinistry/skos:prefLabel ?answeringMinistry }
}"""
# The columns of many questions: subqueries over the whole store, each read once and hashed (the
# engine does not push the VALUES into a subquery).
_HASHED = """SELECT DISTINCT ?question ?foundIn ?issued ?title ?deputyName ?answeringMinistry
WHERE {
  VALUES (?question ?foundIn) { %s }
  OPTIONAL { SELECT ?question ?issued WHERE { ?question dcterms:issued ?issued } }
  OPTIONAL { SELECT ?question ?title WHERE { ?question dcterms:title ?title } }
  OPTIONAL {
    SELECT ?question ?deputyName WHERE { ?deputy foaf:name ?deputyName . ?question qkg:askedBy ?deputy }
  }
  OPTIONAL {
    SELECT ?question ?answeringMinistry WHERE {
      ?ministry skos:prefLabel ?answeringMinistry . ?question qkg:answeringMinistry ?ministry
    }
  }
}"""
# Past this share of the store's questions, reading whole columns costs less than looking up each
# row's (for 100,000 questions: 0.7 s for the columns plus 70 µs a row, against 250 µs a row).
_HASHED_FROM = 1 / 20


def run_named(store: EmbeddedStore, query: NamedQuery, given: dict[str, str]) -> Answer:
    """A named query's answer on the embedded store, its parameters bound from `given`."""
    text = bind_parameters(query, given)  # checks the parameters, whichever way the answer comes
    if query == _search_text():
        answer = search_text(store, given.get("text", query.parameters[0].default))
        if answer is not None:
            return answer
    return store.query(text)


@cache
def _search_text() -> NamedQuery:
    """The library's `search-text`, read once: `run_named` runs in the benches' timing loops."""
    return find("search-text")


def search_text(store: EmbeddedStore, text: str) -> Solutions | None:
    """`search-text`'s answer from the store's text index; None when the store has no complete index."""
    index = store.text_index()
    found = index.find(text) if index else None
    if found is None:
        return None
    answer = columns(store, found, hashed=len(found) > _HASHED_FROM * index.graphs())

    def lexical(row: list, column: int) -> str:
        return row[column].value if row[column] is not None else ""

    # The query's order: newest first, then by question IRI and part; the other columns break ties.
    answer.rows.sort(key=lambda row: [lexical(row, column) for column in (0, 1, 3, 4, 5)])
    answer.rows.sort(key=lambda row: lexical(row, 2), reverse=True)
    return answer


def columns(store: EmbeddedStore, found: set[Match], *, hashed: bool) -> Solutions:
    """The columns of `search-text` for where the text was found, in no order."""
    rows = " ".join(f"({NamedNode(question)} {Literal(part)})" for question, part in found)
    answer = store.query((_HASHED if hashed else _LOOKED_UP) % rows)
    assert isinstance(answer, Solutions)
    return answer
