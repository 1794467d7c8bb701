"""Serialisation round-trips and determinism of the conversion."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Triple
from rdflib import Graph
from rdflib.compare import to_isomorphic

from kg.convert import Conversion, ConversionStream, convert
from kg.rdfio import FORMATS, write_rdf

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "nt": "nt",
    "trig": "trig",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "xml": "xml",
}


def _graph(triples: list[Triple], fmt: str) -> Graph:
    buffer = io.BytesIO()
    write_rdf(triples, buffer, fmt)
    return Graph().parse(data=buffer.getvalue(), format=RDFLIB_FORMATS[fmt])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_reads_back_isomorphic(sample: Conversion, fmt: str) -> None:
    reference = to_isomorphic(_graph(sample.triples, "nt"))
    assert len(reference) == sample.summary.triples
    assert to_isomorphic(_graph(sample.triples, fmt)) == reference


def _sorted_nt(conversion: Conversion) -> list[bytes]:
    buffer = io.BytesIO()
    write_rdf(conversion.triples, buffer, "nt")
    return sorted(buffer.getvalue().splitlines())


def test_input_order_does_not_change_the_graph(sample: Conversion) -> None:
    files = sorted(p for folder in SAMPLE for p in folder.rglob("*") if p.suffix in {".json", ".txt"})
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != files
    reference = _sorted_nt(sample)
    assert _sorted_nt(convert(shuffled)) == reference
    assert _sorted_nt(convert(list(reversed(SAMPLE)))) == reference


def test_the_newer_dump_wins_in_any_order() -> None:
    """The 2023 dump lacks organeRef and JO pages that the later dump has; the later one wins."""
    old = DATA / "an" / "questions" / "qg" / "l16_dump2023"
    new = DATA / "an" / "questions" / "qg" / "l16"
    twins = sorted(p.name for p in old.glob("*.json"))
    assert twins
    both = [convert([old, new]), convert([new, old], jobs=2)]  # two workers, each its own spool file
    assert both[0].summary.superseded == len(twins)
    assert _sorted_nt(both[0]) == _sorted_nt(both[1]) == _sorted_nt(convert([new]))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_survives_turtle(text: str) -> None:
    # Surrogates cannot be encoded in UTF-8 at all; everything else must come back unchanged.
    text = text.encode("utf-8", "replace").decode("utf-8")
    triple = Triple(
        NamedNode("https://w3id.org/questions-kg/id/question/X"),
        NamedNode("urn:p"),
        Literal(text, language="fr"),
    )
    (parsed,) = list(_graph([triple], "turtle").objects())
    assert str(parsed) == text


def test_the_graph_does_not_depend_on_the_number_of_workers() -> None:
    one = b"".join(chunk.data for chunk in ConversionStream(SAMPLE, jobs=1))
    two = b"".join(chunk.data for chunk in ConversionStream(SAMPLE, jobs=2))
    assert one == two  # byte for byte: questions come out in uid order whoever converted them


def test_a_zip_dump_converts_alike_on_one_worker_and_two(sample: Conversion, tmp_path: Path) -> None:
    """Each worker reads and inflates its members itself, through its own opening of the zip."""
    dump = tmp_path / "dump.zip"
    with zipfile.ZipFile(dump, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in SAMPLE:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                archive.write(path, path.relative_to(folder.parent).as_posix())
    streams = [ConversionStream([dump], jobs=jobs) for jobs in (1, 2)]
    one, two = (b"".join(chunk.data for chunk in stream) for stream in streams)
    assert one == two
    summary = streams[1].summary
    assert (summary.questions, summary.superseded, summary.rejected) == (sample.summary.questions, 6, [])
