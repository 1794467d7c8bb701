"""`kg serve`'s web application: SPARQL endpoint, query page, resource pages, dashboard and documentation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pyoxigraph import BlankNode, NamedNode, Store, serialize
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import KGError, StoreChanging
from ..mapping import BASE
from ..named_queries import library
from ..rdfio import PREFIXES
from ..results import compact
from ..store import EmbeddedStore
from .answers import GRAPH_NAMES, GRAPH_TYPES
from .describe import describe, labels, query_union
from .negotiation import negotiate
from .runner import Limits, QueryRunner
from .sparql import sparql_endpoint

__all__ = ["create_app"]

_HERE = Path(__file__).parent
# A page's representations, HTML first for browsers and clients that accept anything; also asked
# for by ?format= (html, turtle, jsonld, nt, xml), as at the SPARQL endpoint.
_PAGE_TYPES = ["text/html", *GRAPH_TYPES]
_PAGE_FORMATS = {"html": "text/html", **GRAPH_NAMES}
_SUMMARY = """SELECT ?type (COUNT(?question) AS ?questions) WHERE {
  ?question a qkg:Question ; qkg:questionType ?type } GROUP BY ?type ORDER BY ?type"""
_SAMPLES = """SELECT ?question ?title WHERE {
  { SELECT ?question WHERE { ?question a qkg:Question } LIMIT 8 } OPTIONAL { ?question dcterms:title ?title }
}"""


def create_app(
    store: EmbeddedStore, *, base: str = BASE, workers: int = 2, limits: Limits | None = None
) -> Starlette:
    """The application over a store opened from its folder; it serves the `id/…` URIs of the data's
    `base` at `/id/…`, and runs users' queries on `workers` processes within `limits`."""
    if store.path is None:
        raise KGError("kg serve needs a store on disk")
    folder = store.path

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.runner = QueryRunner(folder, workers, limits or Limits())
        try:
            yield
        finally:
            app.state.runner.close()

    app = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", _home),
            Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
            Route("/query", _query_page),
            Route("/dashboard", _dashboard),
            Route("/ontology", _ontology),
            Route("/shapes", _shapes),
            Route("/id/{path:path}", _resource),
            Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
        ],
        exception_handlers={StoreChanging: _store_changing},
    )
    app.state.store = store
    app.state.base = base if base.endswith("/") else base + "/"
    app.state.templates = Jinja2Templates(directory=_HERE / "templates")
    # The store does not change while it is served: charts are drawn once for each legislature asked.
    app.state.charts = lru_cache(maxsize=8)(lambda legislature: _charts(store, legislature))
    return app


async def _store_changing(request: Request, error: Exception) -> Response:
    return PlainTextResponse(f"{error}\n", status_code=503)


def _page(
    request: Request,
    template: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code, headers=headers)


async def _home(request: Request) -> Response:
    summary, samples = await run_in_threadpool(request.app.state.store.read, _overview)
    cell = _cell_renderer(request, {question.value: title for question, title in samples if title})
    return _page(
        request,
        "home.html",
        summary=summary,
        samples=[question for question, _ in samples],
        queries=library().values(),
        cell=cell,
    )


def _overview(db: Store) -> tuple[list[tuple[str, str]], list[tuple[NamedNode, str | None]]]:
    """Questions by type, and a few questions with their titles (read in the thread that queries)."""
    summary = [
        (row["type"].value.rsplit("/", 1)[-1], row["questions"].value) for row in query_union(db, _SUMMARY)
    ]
    samples = [(row["question"], row["title"] and row["title"].value) for row in query_union(db, _SAMPLES)]
    return summary, samples


async def _query_page(request: Request) -> Response:
    examples = {query.name: {"title": query.title, "text": query.bound()} for query in library().values()}
    chosen = request.query_params.get("name")
    return _page(request, "query.html", examples=examples, chosen=chosen if chosen in examples else None)


async def _dashboard(request: Request) -> Response:
    given = request.query_params.get("legislature", "")
    if given and not given.isdigit():
        return PlainTextResponse("legislature: a number, e.g. 16\n", status_code=400)
    charts = await run_in_threadpool(request.app.state.charts, int(given) if given else None)
    return _page(request, "dashboard.html", charts=charts, legislature=given)


def _charts(store: EmbeddedStore, legislature: int | None) -> list[Any]:
    from ..report import charts  # matplotlib: imported when a chart is first asked for

    return charts(store, legislature)


async def _ontology(request: Request) -> Response:
    from ..docs import ontology_html  # pyLODE: imported when the documentation is first asked for

    return HTMLResponse(await run_in_threadpool(ontology_html))


async def _shapes(request: Request) -> Response:
    from ..docs import shapes_html

    return HTMLResponse(await run_in_threadpool(shapes_html))


async def _resource(request: Request) -> Response:
    """A resource of the data: an HTML page for browsers, its triples in Turtle, JSON-LD or N-Triples."""
    state = request.app.state
    iri = state.base + "id/" + request.path_params["path"]
    asked = request.query_params.get("format", "")
    accept = _PAGE_FORMATS.get(asked, asked) or request.headers.get("accept", "")
    chosen = negotiate(accept, _PAGE_TYPES)
    if chosen is None:
        return PlainTextResponse(f"cannot answer in {accept}; offered: {', '.join(_PAGE_TYPES)}\n", 406)
    try:
        description = await run_in_threadpool(state.store.read, lambda db: describe(db, iri))
    except (SyntaxError, ValueError):  # not an IRI the store can hold
        description = None
    headers = {"Vary": "Accept"}
    if description is None:
        if chosen == "text/html":
            return _page(request, "missing.html", status_code=404, iri=iri)
        return PlainTextResponse(f"nothing is known of {iri}\n", status_code=404, headers=headers)
    if chosen != "text/html":
        body = serialize(description.triples, format=GRAPH_TYPES[chosen], prefixes=PREFIXES)
        return Response(body, media_type=chosen, headers=headers)
    shown = {t.object for t in description.triples if isinstance(t.object, NamedNode)}
    shown |= {
        term
        for section in description.sections
        for row in section.rows
        for term in row
        if isinstance(term, NamedNode)
    }
    names = await run_in_threadpool(state.store.read, lambda db: labels(db, shown | {NamedNode(iri)}))
    return _page(
        request,
        "resource.html",
        headers=headers,
        item=description,
        title=names.get(iri),
        cell=_cell_renderer(request, names),
    )


def _cell_renderer(request: Request, names: dict[str, str]):
    """Renders a term: IRIs of the data as links to their pages here, with their labels."""
    base = request.app.state.base

    def cell(term: object) -> Markup:
        if term is None:
            return Markup("")
        if isinstance(term, NamedNode):
            href = "/" + term.value.removeprefix(base) if term.value.startswith(base + "id/") else term.value
            text = names.get(term.value) or compact(term)
            return Markup('<a href="{}">{}</a>').format(href, text)
        if isinstance(term, BlankNode):
            return escape(f"_:{term.value}")
        return escape(term.value)

    return cell
