"""Query results from any engine in one shape, and their output formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Triple

from .rdfio import PREFIXES, write_rdf

__all__ = [
    "TABLE_FORMATS",
    "Answer",
    "Boolean",
    "Solutions",
    "Triples",
    "canonical",
    "compact",
    "comparable",
    "from_json",
    "from_oxigraph",
]

Term = NamedNode | BlankNode | Literal
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = NamedNode(f"{XSD}integer")
XSD_DECIMAL = NamedNode(f"{XSD}decimal")
NUMERIC = {f"{XSD}{name}" for name in ("integer", "decimal", "double", "float", "long", "int")}


@dataclass
class Solutions:
    """The rows of a SELECT: one term or None (unbound) per variable."""

    variables: list[str]
    rows: list[list[Term | None]]


@dataclass
class Boolean:
    """The answer of an ASK."""

    value: bool


@dataclass
class Triples:
    """The graph of a CONSTRUCT or DESCRIBE."""

    triples: list[Triple]


Answer = Solutions | Boolean | Triples
TABLE_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")


def canonical(term: Term | None) -> Term | None:
    """A literal in one spelling whatever the engine: numbers by value, booleans as 0 or 1.

    Virtuoso gives a boolean computed in SELECT as 1 or 0, and averages with 15 significant digits
    where pyoxigraph keeps 18 decimals; the named queries ROUND what they average.
    """
    if not isinstance(term, Literal):
        return term
    datatype = term.datatype.value
    if datatype == f"{XSD}boolean":
        return Literal(str(int(term.value in ("true", "1"))), datatype=XSD_INTEGER)
    if datatype in NUMERIC:
        return Literal(format(Decimal(term.value).normalize(), "f"), datatype=XSD_DECIMAL)
    return term


def comparable(answer: Answer) -> object:
    """The answer in a form equal across engines for the same results (rows keep their order)."""
    if isinstance(answer, Boolean):
        return answer.value
    if isinstance(answer, Triples):
        return {(t.subject, t.predicate, canonical(t.object)) for t in answer.triples}
    return answer.variables, [[canonical(term) for term in row] for row in answer.rows]


def from_oxigraph(result: Any) -> Answer:
    """The answer of a pyoxigraph query."""
    if isinstance(result, QueryBoolean):
        return Boolean(bool(result))
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return Solutions(names, [[row[n] for n in names] for row in result])
    return Triples(list(result))


def from_json(document: dict[str, Any]) -> Answer:
    """The answer in the SPARQL 1.1 Query Results JSON Format (remote endpoints)."""
    if "boolean" in document:
        return Boolean(bool(document["boolean"]))
    names = document["head"].get("vars", [])
    rows = [[_term(binding.get(n)) for n in names] for binding in document["results"]["bindings"]]
    return Solutions(names, rows)


def _term(value: dict[str, str] | None) -> Term | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return NamedNode(value["value"])
    if kind == "bnode":
        return BlankNode(value["value"])
    # "typed-literal" is the SPARQL 1.0 name that some servers (Virtuoso) still send.
    if value.get("xml:lang"):
        return Literal(value["value"], language=value["xml:lang"])
    if value.get("datatype"):
        return Literal(value["value"], datatype=NamedNode(value["datatype"]))
    return Literal(value["value"])


def write_answer(answer: Answer, output: IO[bytes], fmt: str) -> None:
    """Write an answer: table, csv, tsv or json for SELECT/ASK; turtle, nt or jsonld for graphs."""
    if isinstance(answer, Triples):
        if fmt not in GRAPH_FORMATS:
            fmt = "turtle"
        write_rdf(answer.triples, output, fmt)
        return
    writers = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}
    text = writers.get(fmt, _table)(answer)
    output.write(text.encode("utf-8"))


def _json(answer: Solutions | Boolean) -> str:
    if isinstance(answer, Boolean):
        return json.dumps({"head": {}, "boolean": answer.value}) + "\n"
    bindings = [
        {name: _json_term(term) for name, term in zip(answer.variables, row, strict=True) if term is not None}
        for row in answer.rows
    ]
    document = {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        found["datatype"] = term.datatype.value
    return found


def _csv(answer: Solutions | Boolean) -> str:
    """SPARQL 1.1 CSV: plain values, no types."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(answer, Boolean):
        writer.writerows([["boolean"], [str(answer.value).lower()]])
    else:
        writer.writerow(answer.variables)
        writer.writerows([["" if t is None else t.value for t in row] for row in answer.rows])
    return buffer.getvalue()


def _tsv(answer: Solutions | Boolean) -> str:
    """SPARQL 1.1 TSV: terms in their N-Triples form."""
    if isinstance(answer, Boolean):
        return f"?boolean\n{str(answer.value).lower()}\n"
    lines = ["\t".join("?" + v for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


def _table(answer: Solutions | Boolean) -> str:
    """An aligned text table for people, IRIs shortened with the usual prefixes."""
    if isinstance(answer, Boolean):
        return f"{str(answer.value).lower()}\n"
    cells = [answer.variables] + [["" if t is None else compact(t) for t in row] for row in answer.rows]
    widths = [min(60, max(len(row[i]) for row in cells)) for i in range(len(answer.variables))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(_fit(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append(f"({len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def compact(term: Term) -> str:
    if isinstance(term, NamedNode):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    return term.value.replace("\n", " ")


def _fit(cell: str, width: int) -> str:
    return cell.ljust(width) if len(cell) <= width else cell[: width - 1] + "…"
