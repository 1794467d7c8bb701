"""Every named query runs on the bundled sample and answers something."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from kg.resources import resource_files

QUERIES = resource_files("queries", ".rq")


def test_there_are_named_queries() -> None:
    assert QUERIES


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_runs_on_the_sample(query, sample_store: Store) -> None:
    text = query.read_text(encoding="utf-8")
    assert text.startswith("#"), "a named query opens with a comment saying what it returns"
    rows = list(sample_store.query(text))
    assert rows
