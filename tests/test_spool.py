"""The conversion's spool: the questions converted, on disk, until they are written out in uid order."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import SAMPLE

from kg.convert import ConversionStream


def test_spool_files_lose_their_names_once_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent holds each file open and removes its name: a killed conversion leaves no gigabytes."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stream = ConversionStream(SAMPLE, jobs=2)
    chunks = iter(stream)
    first = next(chunks)  # every question is converted and spooled by now
    (folder,) = tmp_path.glob("kg-spool-*")
    assert list(folder.iterdir()) == []
    assert sum(chunk.triples for chunk in chunks) + first.triples == stream.summary.triples > 0
    assert list(tmp_path.iterdir()) == []
