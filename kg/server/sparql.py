"""The SPARQL 1.1 Protocol endpoint: read-only queries on the embedded store, answers as negotiated."""

from __future__ import annotations

from typing import Any

from pyoxigraph import NamedNode, QueryResultsFormat, QueryTriples, RdfFormat, Store
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..rdfio import PREFIXES
from .negotiation import negotiate

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "sparql_endpoint"]

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
_RESULT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_GRAPH_NAMES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}
_READ_ONLY = "this endpoint is read-only: SPARQL Update is refused\n"


async def sparql_endpoint(request: Request) -> Response:
    """GET ?query=, POST of a form or of `application/sparql-query`; updates are refused (403)."""
    params: dict[str, list[str]] = {key: request.query_params.getlist(key) for key in request.query_params}
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            return PlainTextResponse(_READ_ONLY, status_code=403)
        if kind == "application/sparql-query":
            params["query"] = [(await request.body()).decode("utf-8", errors="replace")]
        elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
            async with request.form() as form:
                for key in form:
                    params[key] = [str(value) for value in form.getlist(key)]
        else:
            return PlainTextResponse(f"unsupported content type {kind!r}\n", status_code=415)
    if "update" in params:
        return PlainTextResponse(_READ_ONLY, status_code=403)
    queries = params.get("query", [])
    if len(queries) != 1:
        return PlainTextResponse("give one query: ?query=SELECT…\n", status_code=400)
    accept = request.headers.get("accept", "")
    try:
        return await run_in_threadpool(_answer, request.app.state.store.db, queries[0], params, accept)
    except (SyntaxError, ValueError) as error:
        return PlainTextResponse(f"the query is not valid SPARQL: {error}\n", status_code=400)
    except OSError as error:
        return PlainTextResponse(f"the query failed: {error}\n", status_code=500)


def _answer(store: Store, text: str, params: dict[str, list[str]], accept: str) -> Response:
    """The query's answer in the negotiated format, in one thread: pyoxigraph's results stay in theirs."""
    result = _run(store, text, params)
    graph = isinstance(result, QueryTriples)
    offers, names = (GRAPH_TYPES, _GRAPH_NAMES) if graph else (RESULT_TYPES, _RESULT_NAMES)
    asked = params.get("format", [""])[0]
    asked = names.get(asked, asked)
    chosen = asked if asked in offers else negotiate(accept, list(offers))
    if chosen is None:
        return PlainTextResponse(f"cannot answer in {accept}; offered: {', '.join(offers)}\n", 406)
    return Response(result.serialize(format=offers[chosen]), media_type=chosen, headers={"Vary": "Accept"})


def _run(store: Store, text: str, params: dict[str, list[str]]) -> Any:
    """The query's result over the union of graphs, or over the protocol's dataset when one is given."""
    default = [NamedNode(iri) for iri in params.get("default-graph-uri", [])]
    named = [NamedNode(iri) for iri in params.get("named-graph-uri", [])]
    if default or named:
        return store.query(text, prefixes=PREFIXES, default_graph=default or None, named_graphs=named or None)
    return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
