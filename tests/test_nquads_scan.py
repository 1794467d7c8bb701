"""Reading an N-Quads file before its bulk load: in two halves, on two processes, as in one piece."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import pytest
from conftest import SAMPLE

from kg import nquads_scan
from kg.convert import ConversionStream
from kg.digests import digest, graph_term, runs
from kg.nquads_scan import Scan, _joined, _line_start, _scan, scan


@pytest.fixture(scope="module")
def sample_nquads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample converted to N-Quads, as `kg convert -f nquads` writes it."""
    out = tmp_path_factory.mktemp("scan") / "sample.nq"
    out.write_bytes(b"".join(chunk.data for chunk in ConversionStream(SAMPLE)))
    return out


def test_the_runs_are_those_of_grouping_the_lines_by_their_graph(sample_nquads: Path) -> None:
    expected, offset = [], 0
    with sample_nquads.open("rb") as file:
        for term, group in groupby(file, graph_term):
            lines = list(group)
            expected.append((term, offset, offset + sum(map(len, lines)), digest(lines)))
            offset += sum(map(len, lines))
    found = [(run.term, run.start, run.end, run.sha256) for run, _ in runs(sample_nquads)]
    assert found == expected
    assert len(found) > 100


def test_a_triple_whose_object_is_the_graph_before_is_of_the_default_graph(tmp_path: Path) -> None:
    """The fast path tells a line's graph by how it ends: `<s> <p> <g> .` ends as the lines of <g> do."""
    lines = [b'<s> <p> "o" <g> .\n', b"<s> <p> <o> <g> .\n", b"<s> <p> <g> .\n", b"<s> <q> <o> <g> .\n"]
    path = tmp_path / "g.nq"
    path.write_bytes(b"".join(lines))
    assert [(run.term, lines) for run, lines in runs(path)] == [
        (b"<g>", lines[:2]), (b"", lines[2:3]), (b"<g>", lines[3:])
    ]


def test_two_halves_cut_anywhere_join_into_the_scan_of_the_whole(sample_nquads: Path) -> None:
    """Cut inside a graph's lines or between two graphs: the same runs, digests and text rows."""
    whole = _scan(sample_nquads, 0, None, {})
    size = sample_nquads.stat().st_size
    cuts = sorted({_line_start(sample_nquads, size * k // 7) for k in range(1, 7)})
    starts = {run.start for run in whole.runs}
    assert any(cut not in starts for cut in cuts), "no cut fell inside a graph's lines"
    for cut in [*cuts, starts.difference([0]).pop()]:
        halves = _scan(sample_nquads, 0, cut, {}), _scan(sample_nquads, cut, None, {})
        assert _joined(sample_nquads, *halves, {}) == whole, cut
    assert sum(map(len, whole.rows.values())) > 50


def test_rows_are_read_only_for_the_graphs_whose_digest_is_not_known(sample_nquads: Path) -> None:
    every = _scan(sample_nquads, 0, None, {})
    questions = [run for run in every.runs if b"/question/" in run.term]
    known = {run.term.decode(): run.sha256 for run in questions[::2]}
    some = _scan(sample_nquads, 0, None, known)
    assert some.runs == every.runs
    assert set(some.rows) == set(every.rows) - {run.term for run in questions[::2]}
    assert _scan(sample_nquads, 0, None, None) == Scan(every.runs)


def test_a_large_file_is_read_by_two_processes_as_by_one(
    sample_nquads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nquads_scan, "SPLIT_ABOVE", 0)
    assert scan(sample_nquads, {}) == _scan(sample_nquads, 0, None, {})


def test_a_line_not_in_pyoxigraphs_form_is_told_from_either_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller writes such a file anew with pyoxigraph: a comment after a quad, here in the second half."""
    monkeypatch.setattr(nquads_scan, "SPLIT_ABOVE", 0)
    path = tmp_path / "commented.nq"
    path.write_bytes(b"<s> <p> <o> <g> .\n" * 1000 + b"<s> <p> <o> <g> . # a comment\n")
    with pytest.raises(ValueError, match="not one quad a line"):
        scan(path)
