"""What a resource page shows: the resource's triples, its labels, and the named queries about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions, Store, Triple

from ..named_queries import find
from ..rdfio import PREFIXES
from ..results import Term

__all__ = ["Description", "Section", "describe", "labels", "query_union"]

# Rows of a listing shown on a page; the named query gives them all.
ROWS_SHOWN = 200

_QKG = PREFIXES["qkg"]
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_TEXT = NamedNode(_QKG + "text")
_FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
_LABELS = "dcterms:title|foaf:name|skos:prefLabel|rdfs:label|qkg:surfaceForm"

# The resource's triples, and those of the nodes it points to in the same record graph (a question's
# answers, mentions and attributions; an acteur's mandates): what its Turtle and JSON-LD hold.
_DESCRIPTION = """CONSTRUCT { ?s ?p ?o } WHERE {
  { BIND(<{iri}> AS ?s) ?s ?p ?o } UNION { GRAPH ?g { <{iri}> ?link ?s . ?s ?p ?o } }
}"""
_ANSWERS = """SELECT ?answer ?issued ?creator ?text WHERE {
  <{iri}> qkg:answer ?answer .
  OPTIONAL { ?answer dcterms:issued ?issued } OPTIONAL { ?answer dcterms:creator ?creator }
  OPTIONAL { ?answer qkg:text ?text }
} ORDER BY ?issued ?answer"""
_MENTIONS = """SELECT ?entity (SAMPLE(?form) AS ?surfaceForm) (COUNT(?mention) AS ?times) WHERE {
  { <{iri}> qkg:mention ?mention } UNION { <{iri}> qkg:answer/qkg:mention ?mention }
  ?mention qkg:refersTo ?entity ; qkg:surfaceForm ?form .
} GROUP BY ?entity ORDER BY DESC(?times) ?entity"""
_INCOMING = "SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{iri}> }}"


@dataclass
class Section:
    """A table of a page: a named query's rows (the first `ROWS_SHOWN`) and how many there are."""

    title: str
    variables: list[str]
    rows: list[list[Term | None]]
    total: int
    query: str = ""  # the named query that gives them all, with its parameter
    texts: bool = False  # long texts: shown as paragraphs rather than table cells


@dataclass
class Description:
    """A resource as its page shows it."""

    iri: str
    triples: list[Triple]
    types: set[str]
    incoming: int
    sections: list[Section] = field(default_factory=list)

    @property
    def facts(self) -> list[Triple]:
        """The resource's own triples, its long texts apart."""
        return [t for t in self.triples if t.subject.value == self.iri and t.predicate != _TEXT]

    @property
    def texts(self) -> list[str]:
        return [t.object.value for t in self.triples if t.subject.value == self.iri and t.predicate == _TEXT]


def describe(store: Store, iri: str) -> Description | None:
    """The resource's page, or None when the store says nothing about it.

    The IRI comes from a URL: pyoxigraph checks it is one (ValueError) before it goes into a query,
    so that no `>` can end it there.
    """
    iri = NamedNode(iri).value
    triples = list(query_union(store, _DESCRIPTION.replace("{iri}", iri)))
    incoming = int(next(iter(query_union(store, _INCOMING.format(iri=iri))))["n"].value)
    if not triples and not incoming:
        return None
    types = {t.object.value for t in triples if t.subject.value == iri and t.predicate == _RDF_TYPE}
    description = Description(iri, triples, types, incoming)
    description.sections = list(_sections(store, iri, types))
    return description


def labels(store: Store, terms: set[NamedNode]) -> dict[str, str]:
    """A label for each IRI that has one (title, name, preferred label…)."""
    if not terms:
        return {}
    values = " ".join(str(term) for term in terms)
    text = (
        f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} ?s {_LABELS} ?l }} GROUP BY ?s"
    )
    return {row["s"].value: row["label"].value for row in query_union(store, text)}


def _sections(store: Store, iri: str, types: set[str]):
    """The listings of a resource by its kind: named queries where the library has one."""
    node = NamedNode(iri)
    if _QKG + "Question" in types:
        yield _section(store, "Answers", _ANSWERS.replace("{iri}", iri), texts=True)
        yield _section(store, "Mentioned entities", _MENTIONS.replace("{iri}", iri))
    if _QKG + "GovernmentQuestion" in types:
        yield _named(store, "Exchange in the sitting", "qg-exchange", question=node)
    if _QKG + "Deputy" in types or _FOAF_PERSON in types:
        yield _named(store, "Mandates", "deputy-mandates", deputy=node)
        yield _named(store, "Questions asked", "questions-by-deputy", deputy=node)
    if _QKG + "Ministry" in types:
        yield _named(store, "Successive names", "ministry-names", ministry=node)
        delays = _named(store, "Answer delays", "answer-delays-by-ministry")
        delays.rows = [row for row in delays.rows if row[0] == node]
        delays.total, delays.query = len(delays.rows), "answer-delays-by-ministry"
        yield delays
        yield _named(store, "Questions addressed to it", "questions-to-ministry", ministry=node)
    if _QKG + "ParliamentaryGroup" in types:
        yield _named(store, "Questions of its members", "questions-of-a-group", group=node)
    if _QKG + "LegalInstrument" in types:
        yield _named(store, "Questions mentioning it", "questions-mentioning-legal-instrument", legal=node)
    elif iri.rsplit("/id/", 1)[-1].startswith("entity/"):
        yield _named(store, "Questions mentioning it", "questions-mentioning-organisation", entity=node)


def _named(store: Store, title: str, name: str, **params: NamedNode) -> Section:
    text = find(name).bound(**{key: value.value for key, value in params.items()})
    shown = " ".join(f"-p {key}={value.value}" for key, value in params.items())
    return _section(store, title, text, query=f"{name} {shown}".strip())


def _section(store: Store, title: str, text: str, *, query: str = "", texts: bool = False) -> Section:
    result = query_union(store, text)
    assert isinstance(result, QuerySolutions)
    variables = [variable.value for variable in result.variables]
    rows, total = [], 0
    for solution in result:
        total += 1
        if total <= ROWS_SHOWN:
            rows.append([solution[name] for name in variables])
    return Section(title, variables, rows, total, query, texts)


def query_union(store: Store, text: str) -> Any:
    """A query's result over the union of the store's graphs."""
    return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
