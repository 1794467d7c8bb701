"""A SPARQL query's answer, serialised in the negotiated format within a size limit.

Runs in the query worker processes (`kg.server.runner`): it needs pyoxigraph and nothing of the web.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode, QueryResultsFormat, QueryTriples, RdfFormat, Store

from ..concurrent_reads import vanished
from ..rdfio import PREFIXES
from .negotiation import negotiate

__all__ = ["GRAPH_NAMES", "GRAPH_TYPES", "RESULT_TYPES", "Answer", "Refusal", "answer"]

# The first of each is the default, for `*/*` or no Accept header.
RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "application/json": QueryResultsFormat.JSON,
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
# `format=` in the URL, as Fuseki and Virtuoso take it (and SPARQLWrapper sends it), for links and
# browsers: a short name or a media type; one that does not fit the answer leaves it to Accept.
_RESULT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_NAMES = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json", "xml": "application/rdf+xml",
                "rdf+xml": "application/rdf+xml"}


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str


@dataclass(frozen=True)
class Refusal:
    """Why a query gets no answer, as an HTTP status and one line."""

    status: int
    message: str


def answer(
    store: Store, text: str, params: dict[str, list[str]], accept: str, max_bytes: int
) -> Answer | Refusal:
    """The query's answer over the union of graphs (or the protocol's dataset), at most `max_bytes` long."""
    try:
        result = _run(store, text, params)
        graph = isinstance(result, QueryTriples)
        offers, names = (GRAPH_TYPES, GRAPH_NAMES) if graph else (RESULT_TYPES, _RESULT_NAMES)
        asked = params.get("format", [""])[0]
        asked = names.get(asked, asked)
        chosen = asked if asked in offers else negotiate(accept, list(offers))
        if chosen is None:
            return Refusal(406, f"cannot answer in {accept}; offered: {', '.join(offers)}")
        output = _Capped(max_bytes)
        result.serialize(output, format=offers[chosen])
        return Answer(b"".join(output.parts), chosen)
    except _TooLong:
        return Refusal(503, f"the answer is longer than the server's limit of {max_bytes:,} bytes: "
                            "narrow the query or add a LIMIT")
    except (SyntaxError, ValueError) as error:
        return Refusal(400, f"the query is not valid SPARQL: {error}")
    except OSError as error:
        if vanished(error):  # read again by the worker on the database opened anew
            raise
        return Refusal(500, f"the query failed: {error}")


def _run(store: Store, text: str, params: dict[str, list[str]]) -> Any:
    default = [NamedNode(iri) for iri in params.get("default-graph-uri", [])]
    named = [NamedNode(iri) for iri in params.get("named-graph-uri", [])]
    if default or named:
        return store.query(text, prefixes=PREFIXES, default_graph=default or None, named_graphs=named or None)
    return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)


class _TooLong(Exception):
    pass


class _Capped:
    """A binary output that refuses to grow past its limit: the answer is never held whole beyond it."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size, self.limit = 0, limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLong
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""
