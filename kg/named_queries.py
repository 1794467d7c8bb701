"""The library of named SPARQL queries in `queries/`, and the binding of their parameters.

A named query is a `.rq` file whose header comment gives a title (first line), a description
(the lines after it) and its parameters::

    # Questions of a deputy
    #
    # Every question the deputy asked, newest first.
    #
    # @param deputy iri acteur:PA720892 the deputy (an acteur IRI; acteur:PA… is accepted)
    # @param since date - only questions published on or after this date

A parameter line gives the name, the type (iri, string, date, integer, decimal) and the default
(`-` for none: the variable stays unbound); an empty value given leaves it unbound too. Values are
bound as typed RDF terms in a VALUES block at the start of each WHERE group, never pasted into the
query text as SPARQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from .errors import KGError
from .rdfio import PREFIXES
from .resources import resource_dir
from .vocab import XSD

__all__ = [
    "NamedQuery",
    "Parameter",
    "bind",
    "bind_parameters",
    "find",
    "library",
    "parse_query_file",
    "parse_value",
    "query_form",
]

Term = NamedNode | Literal

_PARAM = re.compile(r"@param\s+(\w+)\s+(\w+)\s+(\"[^\"]*\"|\S+)\s*(.*)")
TYPES = ("iri", "string", "date", "integer", "decimal")
# Comments, IRIs and strings are skipped when looking for the WHERE group: they may hold braces.
_TOKENS = re.compile(
    r"#[^\n]*|<[^<>\"{}|^`\\\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|(?P<where>\bWHERE\b)|(?P<brace>\{)|(?P<close>\})"
    r"|[?$](?P<variable>\w+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query: a SPARQL variable with a type and a default."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library, with its header."""

    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default=())

    def bound(self, **values: str) -> str:
        """The text with its parameters bound (see `bind_parameters`)."""
        return bind_parameters(self, values)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        return query_form(self.text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside comment lines."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return found.group(1).upper() if found else "SELECT"


def parse_query_file(path: Path) -> NamedQuery:
    """A named query from its file; the SPARQL itself is checked by the engine that runs it."""
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].strip())
    parameters = []
    prose: list[str] = []
    for line in header:
        if line.startswith("@param"):
            found = _PARAM.fullmatch(line)
            if not found or found.group(2) not in TYPES:
                raise KGError(f"{path.name}: bad parameter line {line!r} (name, type, default, text)")
            name, kind, default, description = found.groups()
            default = None if default == "-" else default.strip('"')
            parameters.append(Parameter(name, kind, default, description))
        else:
            prose.append(line)
    title = prose[0] if prose else ""
    description = " ".join(line for line in prose[1:] if line)
    return NamedQuery(path.stem, title, description, text, tuple(parameters))


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of the folder (the shipped `queries/` by default), by name."""
    folder = folder or resource_dir("queries")
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


def find(name: str) -> NamedQuery:
    """The named query called `name`, or a clear error listing the names there are."""
    queries = library()
    if name not in queries:
        raise KGError(f"no named query {name!r}; `kg query --list` shows them")
    return queries[name]


def bind_parameters(query: NamedQuery, given: dict[str, str]) -> str:
    """The query's text with its declared parameters bound: given values, else the defaults.

    A query that declares no parameters takes any, typed from the form of their values.
    """
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(declared))
    if declared and unknown:
        raise KGError(f"{query.name} has no parameter {unknown[0]!r}; it has {', '.join(sorted(declared))}")
    values: dict[str, Term | None] = {name: parse_value(value, None) for name, value in given.items()}
    for name, parameter in declared.items():
        value = given.get(name, parameter.default)
        values[name] = None if not value else parse_value(value, parameter.type)
    return bind(query.text, values)


def parse_value(value: str, kind: str | None) -> Term:
    """A parameter value typed as an RDF term; `kind` None guesses from the value's form."""
    if kind is None:
        kind = _guess(value)
    try:
        if kind == "iri":
            return NamedNode(_expand(value))
        if kind == "date":
            return Literal(date.fromisoformat(value).isoformat(), datatype=NamedNode(XSD.date))
        if kind == "integer":
            return Literal(str(int(value)), datatype=NamedNode(XSD.integer))
        if kind == "decimal":
            return Literal(str(Decimal(value)), datatype=NamedNode(XSD.decimal))
    except (ValueError, InvalidOperation) as error:
        raise KGError(f"{value!r} is not a valid {kind}") from error
    return Literal(value)


def _guess(value: str) -> str:
    if (value.startswith("<") and value.endswith(">")) or _expand(value) != value:
        return "iri"
    if re.fullmatch(r"-?\d+", value):
        return "integer"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    return "string"


def _expand(value: str) -> str:
    """`<iri>` or `prefix:local` (the prefixes of the exports) to a full IRI."""
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def bind(text: str, values: dict[str, Term | None]) -> str:
    """The query with VALUES blocks binding the parameters at the start of the WHERE groups.

    The query's own WHERE group binds them all; a subquery's binds those it uses, since a subquery
    cannot see the bindings of the group around it and a parameter means one value throughout the
    query (Virtuoso loses rows when a subquery has a VALUES block it does not use). None leaves a
    variable unbound: it is left out of the blocks, which means the same as UNDEF and spares
    Virtuoso, which loses rows when an UNDEF variable meets a UNION. The terms are written by the
    RDF library in their N-Triples form, so a value can never end a string or an IRI early.
    """
    bound = {name: value for name, value in values.items() if value is not None}
    if not bound:
        return text
    groups = _where_groups(text)
    if not groups:
        raise KGError("the query has no WHERE group to bind parameters in")
    for index, (start, used) in reversed(list(enumerate(groups))):
        names = sorted(bound if index == 0 else used & bound.keys())
        if names:
            row = " ".join(str(bound[n]) for n in names)
            block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
            text = text[:start] + block + text[start:]
    return text


def _where_groups(text: str) -> list[tuple[int, set[str]]]:
    """Where each WHERE group's body starts, and the variables it uses, in the order of the text."""
    groups: list[tuple[int, set[str]]] = []
    open_groups: list[tuple[int, set[str]]] = []  # (depth, variables) of the WHERE groups still open
    depth, after_where = 0, not _has_where(text)  # `SELECT * { … }`: the first group is the WHERE group
    for token in _TOKENS.finditer(text):
        if token.group("where"):
            after_where = True
        elif token.group("brace"):
            depth += 1
            if after_where:
                groups.append((token.end(), set()))
                open_groups.append((depth, groups[-1][1]))
                after_where = False
        elif token.group("close"):
            if open_groups and open_groups[-1][0] == depth:
                open_groups.pop()
            depth -= 1
        elif token.group("variable"):
            for _, used in open_groups:
                used.add(token.group("variable"))
    return groups


def _has_where(text: str) -> bool:
    return any(token.group("where") for token in _TOKENS.finditer(text))
