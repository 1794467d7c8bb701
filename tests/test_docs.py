"""The HTML documentation (pyLODE): every term and shape on its page, the same bytes every time,
and docs/ as `kg docs` writes it."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, Graph, Namespace, URIRef

import kg.cli.docs  # noqa: F401  (registers `kg docs`)
from kg.cli import main
from kg.docs import ontology_html, shapes_html

CHECKOUT = Path(__file__).resolve().parents[1]
SH = Namespace("http://www.w3.org/ns/shacl#")
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def terms(path: Path, *types: URIRef) -> set[URIRef]:
    """The named subjects of a Turtle file that have one of these types."""
    graph = Graph().parse(path, format="turtle")
    return {s for kind in types for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def entry(iri: URIRef) -> str:
    """How a documented term starts on its page: its fragment (the local name), then its IRI."""
    # Up to the IRI, no other entry starts.
    return rf'id="{re.escape(iri.split("#")[-1])}">(?:(?!id=").)*?<code>{re.escape(iri)}</code>'


def test_the_ontology_page_has_every_class_and_property() -> None:
    page = ontology_html()
    classes = terms(CHECKOUT / "ontology" / "questions-kg.ttl", OWL.Class)
    properties = terms(CHECKOUT / "ontology" / "questions-kg.ttl", *PROPERTY_TYPES)
    assert len(classes) > 30 and len(properties) > 30
    missing = [iri for iri in sorted(classes | properties) if not re.search(entry(iri), page, re.S)]
    assert missing == []


def test_the_ontology_page_is_in_english_with_the_french_as_a_note() -> None:
    page = ontology_html()
    assert "<title>Ontology of parliamentary questions (questions-kg)</title>" in page
    assert re.search(r'id="WrittenQuestion">\s*<h3>written question', page)
    assert "In French: <strong>question écrite</strong>" in page
    assert re.search(r'Disjoint with: <a href="[^"]+#GovernmentQuestion">qkg:GovernmentQuestion</a>', page)
    assert 'Close match: <a href="https://schema.org/recipient">schema:recipient</a>' in page


def test_the_shapes_page_has_every_node_shape() -> None:
    page = shapes_html()
    files = sorted((CHECKOUT / "shapes").glob("*.ttl"))
    shapes = {shape for path in files for shape in terms(path, SH.NodeShape)}
    assert len(shapes) > 20
    missing = [iri for iri in sorted(shapes) if not re.search(entry(iri), page, re.S)]
    assert missing == []
    assert "<h2>Node shapes</h2>" in page and "OWL/RDFS Class" not in page
    # A constraint, a warning with its message, a SPARQL rule.
    assert "<code>dcterms:identifier</code></a></td><td>1</td>" in page
    assert "The source gives no rubrique for this question." in page
    assert "SPARQL constraint (Warning): Question {?value}: a question is published within" in page


def test_the_pages_are_the_same_whatever_the_hash_seed() -> None:
    """docs/ can only be checked against `kg docs` if the same files always give the same bytes."""
    script = "import sys; from kg.docs import PAGES; sys.stdout.write(''.join(p() for p in PAGES.values()))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_making_the_pages_leaves_the_root_logger_alone() -> None:
    """pyLODE sets up logging when imported: not in an application that uses kg.docs."""
    script = (
        "import logging; from kg.docs import PAGES; [p() for p in PAGES.values()]; "
        "root = logging.getLogger(); print(len(root.handlers), root.level)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", str(30)]
    assert done.stderr == ""


def test_kg_docs_writes_both_pages(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["docs", "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    written = [tmp_path / "site" / "ontology.html", tmp_path / "site" / "shapes.html"]
    assert result.stdout.split() == [str(path) for path in written]
    assert [path.read_text(encoding="utf-8") for path in written] == [ontology_html(), shapes_html()]


@pytest.mark.parametrize("name", ["ontology.html", "shapes.html"])
def test_the_committed_docs_are_what_kg_docs_writes(name: str) -> None:
    """docs/ is regenerated with `kg docs` whenever the ontology or the shapes change."""
    committed = (CHECKOUT / "docs" / name).read_text(encoding="utf-8")
    made_by = re.search(r'id="version">([^<]+)</a>', committed)
    installed = importlib.metadata.version("pylode")
    if made_by is None or made_by[1] != installed:
        pytest.skip(f"docs/{name} was made by another pyLODE than the one installed ({installed})")
    page = ontology_html() if name == "ontology.html" else shapes_html()
    assert committed == page, f"docs/{name} is out of date: run `kg docs`"
