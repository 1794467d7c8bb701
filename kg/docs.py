"""HTML documentation of the ontology and of the SHACL shapes, made by pyLODE from the files as shipped.

pyLODE's OntPub profile documents OWL classes and properties, with one label and one description
per term. The ontology is handed to it as an English view: the French label and comment of each
term become a note, and so do the statements it does not show (close matches, see-also links,
disjoint classes, a super-property that is an inverse). The pyLODE releases for Python 3.11 have no
SHACL profile, and their VocPub lists no concept, so the shapes go through OntPub too: each node
shape is an entry, its targets and constraints a table in its description. The SKOS schemes are
not documented here.

On both pages a term's fragment identifier is its local name, so that a term's IRI
(`https://w3id.org/questions-kg/ontology#Question`) lands on its entry of the page served there.
The pages are made once per process: pyLODE takes a second or two.
"""

from __future__ import annotations

import html
import logging
import textwrap
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN
from rdflib.term import Node

from .errors import KGError
from .resources import resource_dir, resource_files
from .vocab import BASE

__all__ = ["PAGES", "ontology_html", "shapes_html", "write_docs"]

SH = Namespace("http://www.w3.org/ns/shacl#")
ONTOLOGY_FILE = "questions-kg.ttl"
SHAPES = URIRef(f"{BASE}shapes")
SHAPES_NAMESPACE = f"{BASE}shapes#"

# The texts of which pyLODE shows one per term: the English one is kept.
_TEXTS = (RDFS.label, RDFS.comment, DCTERMS.title, DCTERMS.description, SKOS.prefLabel, SKOS.definition)
# Statements pyLODE's OntPub does not show, written as notes: their predicate, as the note names it.
_UNSHOWN = {SKOS.closeMatch: "Close match", RDFS.seeAlso: "See also", OWL.inverseOf: "Inverse of"}
# Parameters of a shape that are not constraints of the table's Values column.
_NOT_VALUES = {
    SH.path, SH.minCount, SH.maxCount, SH.severity, SH.message, SH.property, SH.sparql, SH.targetClass,
    SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.declare, SH.name, SH.description,
    SH.order, SH.group, SH.deactivated,
}
_TARGETS = {
    SH.targetClass: "instances of", SH.targetNode: "the node", SH.targetObjectsOf: "objects of",
    SH.targetSubjectsOf: "subjects of",
}
# pyLODE and the page it writes are not made for several threads at once (a web server's).
_LOCK = threading.Lock()


@cache
def ontology_html() -> str:
    """The documentation page of the OWL ontology (ontology/questions-kg.ttl)."""
    ontology = _parse([resource_dir("ontology") / ONTOLOGY_FILE])
    namespace = str(next(ontology.objects(None, VANN.preferredNamespaceUri), ""))
    return _render(_english_view(ontology), namespace)


@cache
def shapes_html() -> str:
    """The documentation page of the SHACL shapes (shapes/*.ttl), one entry per node shape."""
    page = _render(_shapes_view(_parse(resource_files("shapes", ".ttl"))), SHAPES_NAMESPACE)
    # The shapes are listed as OntPub lists classes: they are named for what they are.
    for generic, specific in (
        ("<h2>Classes</h2>", "<h2>Node shapes</h2>"),
        ('href="#classes">Classes</a>', 'href="#classes">Node shapes</a>'),
        ("<td>Classes</td>", "<td>Node shapes</td>"),
        ('title="OWL/RDFS Class"', 'title="SHACL node shape"'),
    ):
        page = page.replace(generic, specific)
    return page


PAGES: dict[str, Callable[[], str]] = {"ontology.html": ontology_html, "shapes.html": shapes_html}


def write_docs(folder: Path) -> list[Path]:
    """Write the pages (`PAGES`) into `folder`, made if need be; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, page in PAGES.items():
        path = folder / name
        path.write_bytes(page().encode("utf-8"))
        written.append(path)
    return written


def _parse(files: Iterable[Any]) -> Graph:
    """The triples of Turtle files (Paths or Traversables) in one graph."""
    graph = Graph()
    for file in files:
        try:
            graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
        except Exception as error:  # rdflib raises many parser exception types
            raise KGError(f"cannot read {file}: {error}") from error
    return graph


# -- pyLODE -----------------------------------------------------------------------------------


def _render(graph: Graph, namespace: str) -> str:
    """The OntPub page of a graph, the fragment of each term of `namespace` its local name."""
    with _LOCK, _root_logging_kept():
        page = _pylode().OntPub(graph, sort_subjects=True)  # entries in the order of their IRIs
        ours = sorted({str(s) for s in graph.subjects() if namespace and str(s).startswith(namespace)})
        page.fids.update({iri: iri[len(namespace) :] for iri in ours})
        return page.make_html()


@contextmanager
def _root_logging_kept() -> Iterator[None]:
    """Keep pyLODE from setting up the root logger, which is the application's to set up.

    pyLODE calls logging.basicConfig(level=DEBUG) on import, and logging.info(), which gives a root
    logger without handlers one of its own; with a handler (a NullHandler if need be), neither acts.
    """
    root = logging.getLogger()
    placeholder = logging.NullHandler() if not root.handlers else None
    if placeholder is not None:
        root.addHandler(placeholder)
    try:
        yield
    finally:
        if placeholder is not None:
            root.removeHandler(placeholder)


@cache
def _pylode() -> ModuleType:
    """pyLODE, its one unordered list sorted."""
    import pylode
    import pylode.utils

    _sort_set_members(pylode.utils)
    return pylode


def _sort_set_members(utils: ModuleType) -> None:
    """Make pyLODE list the members of a union (a domain `Question or Organe`) in a fixed order.

    pyLODE 3.3 collects them in a set of HTML elements, whose order changes from run to run: sorted
    here, so that the same files always give the same page (and docs/ cannot seem to drift).
    """
    original = getattr(utils, "intersperse", None)
    if original is None or getattr(original, "sorted_by_kg", False):
        return

    def intersperse(items: Iterable[Any], separator: Any) -> list[Any]:
        return original(sorted(items, key=_rendered), separator)

    intersperse.sorted_by_kg = True  # type: ignore[attr-defined]
    utils.intersperse = intersperse


def _rendered(element: Any) -> str:
    return element.render() if hasattr(element, "render") else str(element)


# -- the ontology, in English with notes ----------------------------------------------------------


def _english_view(ontology: Graph) -> Graph:
    """The ontology with one English label and description per term, the rest as notes (`skos:note`)."""
    view = _empty_like(ontology)
    for s, p, o in ontology:
        if p in _TEXTS and _is_foreign(o) and _has_english(ontology, s, p):
            continue
        if p == RDFS.label and (s, DCTERMS.title, None) in ontology:
            continue  # pyLODE would show it as a second title
        if p == RDFS.subPropertyOf and isinstance(o, BNode):
            continue  # an anonymous inverse, which pyLODE would show as an empty item: see _notes
        view.add((s, p, o))
    for subject in sorted(set(ontology.subjects()), key=str):
        if isinstance(subject, URIRef):
            for note in _notes(ontology, subject):
                view.add((subject, SKOS.note, note))
    return view


def _is_foreign(node: Node) -> bool:
    return isinstance(node, Literal) and node.language is not None and node.language != "en"


def _has_english(graph: Graph, subject: Node, predicate: Node) -> bool:
    return any(isinstance(o, Literal) and o.language == "en" for o in graph.objects(subject, predicate))


def _notes(graph: Graph, term: URIRef) -> list[Literal]:
    """What the page would not show of a term: its French name and text, and the statements of `_UNSHOWN`."""
    notes = []
    name = _french(graph, term, (DCTERMS.title, RDFS.label))
    text = _french(graph, term, (DCTERMS.description, RDFS.comment))
    if name or text:
        notes.append(Literal(f"In French: **{name}**" + (f". {text}" if text else ""), lang="fr"))
    for predicate, label in _UNSHOWN.items():
        for value in sorted(graph.objects(term, predicate), key=str):
            notes.append(Literal(f"{label}: {_markdown_link(graph, value)}"))
    for value in sorted(graph.objects(term, RDFS.subPropertyOf), key=str):
        for inverse in sorted(graph.objects(value, OWL.inverseOf), key=str):
            notes.append(Literal(f"Sub property of the inverse of {_markdown_link(graph, inverse)}"))
    others = {
        member
        for group in graph.subjects(RDF.type, OWL.AllDisjointClasses)
        for members in graph.objects(group, OWL.members)
        if term in (listed := list(Collection(graph, members)))
        for member in listed
    } - {term}
    if others:
        links = ", ".join(_markdown_link(graph, other) for other in sorted(others, key=str))
        notes.append(Literal(f"Disjoint with: {links}"))
    return notes


def _french(graph: Graph, subject: Node, predicates: tuple[URIRef, ...]) -> str:
    """The first French text of the subject under these predicates, in their order ("" if none)."""
    for predicate in predicates:
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal) and value.language == "fr":
                return str(value)
    return ""


def _markdown_link(graph: Graph, iri: Node) -> str:
    return f"[{_name(graph, iri)}]({iri})"


# -- the shapes, as entries with their constraints ------------------------------------------------


def _shapes_view(shapes: Graph) -> Graph:
    """A graph that OntPub documents: the shapes graph as an ontology, each node shape as a class."""
    view = _empty_like(shapes)
    view.add((SHAPES, RDF.type, OWL.Ontology))
    view.add((SHAPES, DCTERMS.title, Literal("SHACL shapes of questions-kg", lang="en")))
    view.add((SHAPES, DCTERMS.description, Literal(
        "The data contract of the questions-kg graph, which `kg validate` checks: a `sh:Violation` is "
        "what the graph guarantees, a `sh:Warning` a gap of the sources or of the input (a question "
        "without rubrique, an acteur referred to but not given). Each node shape lists its targets and "
        "its constraints; the terms are those of the questions-kg ontology "
        f"({BASE}ontology).", lang="en",
    )))
    view.add((SHAPES, VANN.preferredNamespaceUri, Literal(SHAPES_NAMESPACE)))
    prefix = next((prefix for prefix, ns in shapes.namespaces() if str(ns) == SHAPES_NAMESPACE), "")
    view.add((SHAPES, VANN.preferredNamespacePrefix, Literal(prefix)))
    for shape in _node_shapes(shapes):
        view.add((shape, RDF.type, OWL.Class))
        view.add((shape, DCTERMS.title, Literal(_local(shape))))
        view.add((shape, DCTERMS.description, Literal(_shape_description(shapes, shape))))
    return view


def _node_shapes(shapes: Graph) -> list[URIRef]:
    """The named node shapes: declared so, or with a target."""
    found = dict.fromkeys(shapes.subjects(RDF.type, SH.NodeShape))
    for target in _TARGETS:
        found.update(dict.fromkeys(shapes.subjects(target, None)))
    return [shape for shape in found if isinstance(shape, URIRef)]


def _shape_description(shapes: Graph, shape: URIRef) -> str:
    """Markdown: the shape's comment, then HTML blocks of its targets, constraints and SPARQL rules."""
    comment = next((str(c) for c in shapes.objects(shape, RDFS.comment) if not _is_foreign(c)), "")
    targets = [
        f"{label} {_html_term(shapes, value)}"
        for predicate, label in _TARGETS.items()
        for value in shapes.objects(shape, predicate)
    ]
    blocks = [f"<p>Targets: {'; '.join(targets) or 'none (used by other shapes)'}.</p>"]
    rows = [_row(shapes, shape, focus=True)] if _values(shapes, shape) else []
    rows += [_row(shapes, prop) for prop in shapes.objects(shape, SH.property)]
    if rows:
        head = "".join(f"<th>{h}</th>" for h in ("Path", "Count", "Values", "Severity", "Message"))
        blocks.append(f"<table><tr>{head}</tr>{''.join(rows)}</table>")
    severity = _severity(shapes, shape)
    for rule in shapes.objects(shape, SH.sparql):
        message = " ".join(html.escape(str(m)) for m in shapes.objects(rule, SH.message))
        query = textwrap.dedent(str(shapes.value(rule, SH.select) or "")).strip()
        blocks.append(f"<p>SPARQL constraint ({severity}): {message}</p><pre>{html.escape(query)}</pre>")
    # Markdown passes HTML blocks through when they stand alone, without blank lines inside.
    return "\n\n".join(([comment] if comment else []) + blocks)


def _row(shapes: Graph, node: Node, *, focus: bool = False) -> str:
    """A table row for a property shape, or for the constraints of a node shape on its focus node."""
    path = "(the focus node)" if focus else _html_path(shapes, shapes.value(node, SH.path))
    low, high = shapes.value(node, SH.minCount), shapes.value(node, SH.maxCount)
    count = _count(low.toPython() if low is not None else None, high.toPython() if high is not None else None)
    messages = " ".join(html.escape(str(m)) for m in shapes.objects(node, SH.message))
    cells = (path, count, "<br>".join(_values(shapes, node)), _severity(shapes, node), messages)
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _count(low: int | None, high: int | None) -> str:
    """A cardinality as `1`, `0..1`, `1..*`: blank when the shape sets none."""
    if low is None and high is None:
        return ""
    if low == high:
        return str(low)
    return f"{low or 0}..{'*' if high is None else high}"


def _values(shapes: Graph, node: Node) -> list[str]:
    """The other constraints of a shape, `name value` each, sorted by name."""
    found = [
        f"{_local(predicate)} {_html_value(shapes, value)}"
        for predicate, value in shapes.predicate_objects(node)
        if str(predicate).startswith(str(SH)) and predicate not in _NOT_VALUES
    ]
    return sorted(found)


def _severity(shapes: Graph, node: Node) -> str:
    return _local(shapes.value(node, SH.severity) or SH.Violation)


def _html_path(shapes: Graph, path: Node | None) -> str:
    """A property path: an IRI, `^IRI` for an inverse path, `a/b` for a sequence."""
    if path is None:
        return ""
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if inverse is not None:
        return "^" + _html_path(shapes, inverse)
    if isinstance(path, BNode) and shapes.value(path, RDF.first) is not None:
        return "/".join(_html_path(shapes, step) for step in Collection(shapes, path))
    return _html_term(shapes, path)


def _html_value(shapes: Graph, value: Node) -> str:
    """The value of a constraint: a term, a list `(a, b)`, or a nested shape's constraints."""
    if isinstance(value, BNode) and (value == RDF.nil or shapes.value(value, RDF.first) is not None):
        items = [_html_value(shapes, item) for item in Collection(shapes, value)]
        return "(" + ", ".join(items) + ")"
    if isinstance(value, BNode):
        return "[" + "; ".join(_values(shapes, value)) + "]"
    return _html_term(shapes, value)


def _html_term(shapes: Graph, term: Node) -> str:
    """An IRI as a link named by its prefixed name; a literal as code."""
    if isinstance(term, Literal):
        text = f'"{term}"' if term.datatype is None or str(term.datatype).endswith("#string") else str(term)
        return f"<code>{html.escape(text)}</code>"
    return f'<a href="{html.escape(str(term))}"><code>{html.escape(_name(shapes, term))}</code></a>'


# -- both ---------------------------------------------------------------------------------------


def _empty_like(graph: Graph) -> Graph:
    """An empty graph with the prefixes of `graph`."""
    empty = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        empty.bind(prefix, namespace, override=True)
    return empty


def _name(graph: Graph, iri: Node) -> str:
    """The prefixed name of an IRI if the graph has a prefix for it, else the IRI."""
    try:
        return graph.namespace_manager.normalizeUri(iri).strip("<>")
    except Exception:  # rdflib refuses some IRIs as names
        return str(iri)


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
