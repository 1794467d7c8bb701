"""Property-based tests of the readers and the mapping (hypothesis).

1. No input crashes the readers: arbitrary bytes, arbitrary JSON trees, and mutations of the real
   record files and page text of tests/data (keys dropped, values replaced by text, numbers, None,
   lists…) always give records or Rejected, never an exception; nor does any text crash the
   finders of legal references and entities.
2. Every question that `convert` accepts gives triples that the shipped SHACL shapes accept (no
   sh:Violation), resolved against the acteurs and organes of the bundled sample.

Each bug these tests found is kept as an explicit `@example`.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, Triple
from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral

from kg.convert import Conversion, convert
from kg.legal import find_legal_references
from kg.mapping import IRIs
from kg.mentions import Extractor
from kg.model import Acteur, Organe, Question
from kg.readers import Rejected, read_document
from kg.readers.files import Document
from kg.validate import SH, load_shapes, validate_graph
from kg.vocab import BASE

QUESTION_FILES = sorted((DATA / "an" / "questions").rglob("*.json"))
ACTEUR_FILES = sorted((DATA / "an" / "acteurs").rglob("*.json"))[:5]
ORGANE_FILES = sorted((DATA / "an" / "organes").rglob("*.json"))[:5]
PAGE = (DATA / "seed" / "question-12432.txt").read_text(encoding="utf-8")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@cache
def _trees(kind: str) -> tuple[Any, ...]:
    files = {"question": QUESTION_FILES, "acteur": ACTEUR_FILES, "organe": ORGANE_FILES}[kind]
    return tuple(json.loads(path.read_bytes()) for path in files)


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


# The keys of the real files, so that random trees reach the readers' fields.
REAL_KEYS = sorted({key for kind in ("question", "acteur", "organe") for key in _keys(list(_trees(kind)))})
# Letters that case-fold oddly: re.IGNORECASE matches them to i, i, s and k, str.lower() does not.
DOTLESS_I, DOTTED_I, LONG_S, KELVIN = "\u0131", "\u0130", "\u017f", "\u212a"
ODD_LAW = f"Lo{DOTLESS_I} n° 2020-1 du 1 janvier 2020"
# Words that the finders of entities and legal references look for, markup, odd letters.
WORDS = [
    "loi", "Loi", "n°", "2020-1", "du", "1er", "janvier", "décret", "ordonnance", "article", "L. 123-4",
    "code", "civil", "de la santé publique", "même", "directive", "(UE)", "2016/679", "règlement",
    "Constitution", "ministère", "Mme", "M.", "Dupont", "CNIL", "SNCF",
    DOTLESS_I, DOTTED_I, LONG_S, KELVIN, "\ufb01", "&amp;", "<p>", "</p>", "<br/>", "\u00a0", "\n", "",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    # Values the readers parse: numbers, dates (possible or not), uids.
    | st.from_regex(r"\A[0-9]{1,5}\Z")
    | st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
    | st.from_regex(r"\A[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\Z")
    | st.sampled_from(["QE", "QG", "QOSD", "POnull", "PA1", "PO1", "QANR5L16QE1", "", " ", "0", "-1", "²"])
)
json_trees = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(REAL_KEYS) | st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)
words = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=12).map(" ".join)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


def _places(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of a tree: where a mutation can strike."""
    places = []
    if isinstance(node, dict):
        for key, value in node.items():
            places.append((node, key))
            places += _places(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            places.append((node, index))
            places += _places(value)
    return places


def _like(old: str) -> st.SearchStrategy[str]:
    """Values of the same shape as a real one: a date for a date, digits for digits, text for text."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", old):
        return dates.map(date.isoformat)
    if re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4}", old):
        return dates.map(lambda day: day.strftime("%d/%m/%Y"))
    if old.isdigit():
        return st.integers(min_value=0, max_value=99999).map(str)
    return words | st.text()


@st.composite
def mutated(draw: st.DrawFn, kind: str = "question") -> Any:
    """A real record file with a few of its keys dropped or its values replaced.

    A text is mostly replaced by a value of its own shape, so that many mutants are still records
    that the readers accept; else by any JSON tree.
    """
    tree = copy.deepcopy(draw(st.sampled_from(_trees(kind))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = _places(tree[kind])  # the record, not its wrapper: `{"question": …}` stays
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        operation = draw(st.sampled_from(["drop", "like", "any"]))
        if operation == "drop" and isinstance(container, dict):
            del container[key]
        elif operation == "like" and isinstance(container[key], str):
            container[key] = draw(_like(container[key]))
        else:
            container[key] = draw(json_trees)
    return tree


@st.composite
def mutated_page(draw: st.DrawFn) -> str:
    """The seed page text with a few lines dropped, or their values (after `:`) or whole text replaced."""
    lines = PAGE.splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "value", "line", "digits"]))
        if operation == "drop":
            del lines[index]
        elif operation == "value" and ":" in lines[index]:
            label = lines[index].split(":", 1)[0]
            lines[index] = f"{label}: {draw(words | dates.map(_long_date) | st.text())}"
        elif operation == "digits":
            lines[index] = re.sub(r"\d+", lambda _: str(draw(st.integers(0, 99999))), lines[index])
        else:
            lines[index] = draw(words | st.text())
    return "\n".join(lines)


_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]


def _long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _read(data: bytes, name: str = "input.json") -> list[Question | Acteur | Organe | Rejected]:
    """All that the readers make of these bytes; each item must be a record or a rejection."""
    records = list(read_document(Document(name, data)))
    assert records
    for record in records:
        assert isinstance(record, Question | Acteur | Organe | Rejected), record
        if isinstance(record, Rejected):
            assert record.reason and "\n" not in record.reason and len(record.reason) < 200, record
    return records


def _json(tree: Any) -> bytes:
    return json.dumps(tree, ensure_ascii=False).encode()


_DROP = object()


def _edited(uid: str, path: tuple[str, ...], value: Any = _DROP) -> Any:
    """A real question file with one value replaced, or dropped: a regression example."""
    tree = copy.deepcopy(next(t for t in _trees("question") if t["question"]["uid"] == uid))
    node = tree["question"]
    for key in path[:-1]:
        node = node[key]
    if value is _DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return tree


# -- 1. no input crashes the readers ----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["x.json", "x.xml", "x.txt"]))
# Malformed XML raised expat's ExpatError, which is no ValueError.
@example(b"<", "x.xml")
# Deep nesting exhausted Python's stack (RecursionError) in the walk through export wrappers.
@example(b"[" * 1000 + b"]" * 1000, "x.json")
@example(b'{"export":' * 1000 + b"{}" + b"}" * 1000, "x.json")
@example(b"<export>" * 5000 + b"</export>" * 5000, "x.xml")
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    _read(data, name)


@settings(max_examples=300, deadline=None)
@given(json_trees, st.sampled_from([None, "question", "acteur", "organe", "export"]))
def test_arbitrary_json_trees(tree: Any, wrapper: str | None) -> None:
    _read(_json({wrapper: tree} if wrapper else tree))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["question", "acteur", "organe"]).flatmap(mutated))
# "²".isdigit() is true, but int("²") raised a ValueError, whose reason said nothing of the field.
@example(_edited("QANR5L17QE5268", ("identifiant", "numero"), "²"))
def test_mutated_real_records(tree: Any) -> None:
    _read(_json(tree))


@settings(max_examples=200, deadline=None)
@given(mutated_page())
# A page header with a dotless i matched the regex but folded to no known kind: KeyError.
@example(PAGE.replace("Question écrite n°", f"Quest{DOTLESS_I}on écrite n°"))
def test_mutated_pages(text: str) -> None:
    _read(text.encode(), "page.txt")


@pytest.fixture(scope="module")
def extractor(sample: Conversion) -> Extractor:
    return Extractor(sample.referential)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=words | st.text())
# The known crash: "Lo" + dotless i matched "loi" case-insensitively, then folded to "lo": KeyError.
@example(text=ODD_LAW)
def test_any_text_gives_mentions_at_their_place(text: str, extractor: Extractor) -> None:
    for reference in find_legal_references(text):
        assert text[reference.start : reference.end] == reference.surface
    for mention in extractor.extract(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface


def _amo_edited(kind: str, key: str, value: Any) -> Any:
    """The first real acteur or organe file of the sample with one top-level value replaced."""
    tree = copy.deepcopy(_trees(kind)[0])
    tree[kind][key] = value
    return tree


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=st.sampled_from(["acteur", "organe"]).flatmap(mutated))
# Their uids, minted into IRIs unchecked, stopped the whole conversion: "Invalid IRI code point ' '".
@example(tree=_amo_edited("acteur", "uid", "PA 1"))
@example(tree=_amo_edited("organe", "uid", "PO<1>"))
def test_converting_amo_records_never_raises(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(_json(tree))
    conversion = convert([path], jobs=1)  # a referential of its own: the sample's stays as it is
    assert conversion.summary.records_read == 1
    for rejected in conversion.summary.rejected:
        assert "\n" not in rejected.reason and "a bug of kg" not in rejected.reason, rejected


# -- 2. what the readers accept is SHACL-valid --------------------------------------------------


class _Checker:
    """Converts one file as `kg convert` does, against the sample's referential, and validates it
    with the sample's description of the acteurs, organes and other nodes it points to."""

    def __init__(self, sample: Conversion, folder: Path) -> None:
        self.referential, self.folder, self.shapes = sample.referential, folder, load_shapes()
        self.context: dict[str, list[Triple]] = {}
        for triple in sample.triples:
            self.context.setdefault(triple.subject.value, []).append(triple)
        iris = IRIs(BASE)
        self.referential_nodes = tuple(iris.base + f"id/{kind}/" for kind in ("acteur", "organe", "mandate"))
        self.question_graphs = iris.graph("question", "").value

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return "checker"

    def convert(self, data: bytes, name: str) -> Conversion:
        path = self.folder / name
        path.write_bytes(data)
        return convert([path], referential=self.referential, jobs=1)

    def violations(self, conversion: Conversion) -> list[str]:
        """The sh:Violation messages about the nodes of the conversion, but the referential's."""
        quads = conversion.quads
        own = {q.subject.value for q in quads if q.graph_name.value.startswith(self.question_graphs)}
        nodes = {q.subject.value for q in quads}
        nodes |= {q.object.value for q in quads if isinstance(q.object, NamedNode)}
        data = Graph()
        for quad in quads:
            data.add(_rdflib(quad.triple))
        for node in nodes - own:
            for triple in self.context.get(node, []):
                data.add(_rdflib(triple))
        report = validate_graph(data, self.shapes)
        focus = {node for node in nodes if not node.startswith(self.referential_nodes)}
        return [
            f"{report.graph.value(result, SH.focusNode)}: {report.graph.value(result, SH.resultMessage)}"
            for result in report.graph.subjects(SH.resultSeverity, SH.Violation)
            if str(report.graph.value(result, SH.focusNode)) in focus
        ]


def _rdflib(triple: Triple) -> tuple[Any, Any, Any]:
    return (URIRef(triple.subject.value), URIRef(triple.predicate.value), _term(triple.object))


def _term(term: Any) -> Any:
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if term.language:
        return RDFLiteral(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib's parsers give it
        return RDFLiteral(term.value)
    return RDFLiteral(term.value, datatype=URIRef(term.datatype.value))


@pytest.fixture(scope="module")
def checker(sample: Conversion) -> Iterator[_Checker]:
    with tempfile.TemporaryDirectory(prefix="kg-properties-") as folder:
        yield _Checker(sample, Path(folder))


def _check(checker: _Checker, data: bytes, name: str) -> None:
    conversion = checker.convert(data, name)
    rejected = conversion.summary.rejected
    event(f"rejected: {rejected[0].reason[:25]}" if rejected else "converted")
    assert not any("a bug of kg" in r.reason for r in rejected), rejected
    assert conversion.summary.records_read == 1
    if not rejected:
        assert sum(conversion.summary.questions.values()) == 1
        assert checker.violations(conversion) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=mutated("question"))
# Each of these converted into triples that broke the shapes, or raised.
@example(tree=_edited("QANR5L15QG1707", ("uid",), ["a"]))  # a list as uid: "Invalid IRI code point '['"
@example(tree=_edited("QANR5L15QG2055", ("auteur", "identite", "acteurRef")))  # no qkg:askedBy
@example(tree=_edited("QANR5L15QG644", ("minAttribs", "minAttrib", "denomination")))  # no qkg:ministry
@example(tree=_edited("QANR5L15QG1586", ("identifiant", "numero"), "0"))  # qkg:number 0
@example(tree=_edited("QANR5L17QE5268", ("auteur", "identite", "acteurRef"), "PA 1"))  # a space in an IRI
# "Lo" and a dotless i, as the legal finder met it, raised a KeyError.
@example(tree=_edited("QANR5L17QE5268", ("textesQuestion", "texteQuestion", "texte"), ODD_LAW))
def test_accepted_questions_are_shacl_valid(tree: Any, checker: _Checker) -> None:
    _check(checker, _json(tree), "question.json")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_page())
@example(text=PAGE.replace("Question écrite n° 12432", "Question écrite n° 0"))  # qkg:number 0
def test_accepted_pages_are_shacl_valid(text: str, checker: _Checker) -> None:
    _check(checker, text.encode(), "page.txt")
