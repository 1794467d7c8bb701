"""`kg query`: named queries, files and expressions, on the embedded store or any SPARQL server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import KGError
from ..named_queries import NamedQuery, bind_parameters, find, library, parse_query_file
from ..results import GRAPH_FORMATS, TABLE_FORMATS, Triples, write_answer
from ..text_search import run_named
from .base import main, store_option
from .store import endpoint_options, open_store, remote_endpoint


@main.command(name="query")
@click.argument("query", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a parameter.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their titles.")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(TABLE_FORMATS + GRAPH_FORMATS),
    help="Output: table (default), csv, tsv, json for rows; turtle (default), nt, jsonld for graphs.",
)
@store_option
@endpoint_options
def query_command(
    query: str | None, expression: str | None, params: tuple[str, ...], list_queries: bool, fmt: str | None,
    store: Path, endpoint: str | None, user: str | None, password: str | None, auth: str,
) -> None:
    """Run a named query, a query file or a query expression, on the store or on --endpoint.

    Parameters are bound as typed RDF terms (never pasted into the query): IRIs may be
    written with the usual prefixes (acteur:PA720892, organe:PO800484), dates as 2023-01-31.

    \b
    Example:
        kg query --list
        kg query questions-by-deputy -p deputy=acteur:PA720892
        kg query unanswered-after-deadline -f csv > late.csv
        kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        kg query my-query.rq --endpoint http://127.0.0.1:8890/sparql
    """
    if list_queries:
        queries = library()
        width = max(map(len, queries))
        for named in queries.values():
            click.echo(f"{named.name:<{width}}  {named.title}")
        return
    try:
        named = _named(query, expression)
        given = _pairs(params)
        if endpoint:
            answer = remote_endpoint(endpoint, user, password, auth).query(bind_parameters(named, given))
        else:
            answer = run_named(open_store(store), named, given)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    if fmt is None:
        fmt = "turtle" if isinstance(answer, Triples) else "table"
    elif (fmt in GRAPH_FORMATS) != isinstance(answer, Triples):
        raise click.UsageError(f"-f {fmt} does not fit the answer of a {named.form} query")
    write_answer(answer, sys.stdout.buffer, fmt)
    sys.stdout.buffer.flush()


def _named(query: str | None, expression: str | None) -> NamedQuery:
    if (query is None) == (expression is None):
        raise KGError("give a named query, a .rq file or -e 'SPARQL' (one of them); --list shows the names")
    if expression is not None:
        return NamedQuery("expression", "", "", expression)
    if query.endswith(".rq") or Path(query).is_file():
        try:
            return parse_query_file(Path(query))
        except OSError as error:
            raise KGError(f"cannot read {query}: {error.strerror}") from error
    return find(query)


def _pairs(params: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for param in params:
        key, equals, value = param.partition("=")
        if not equals or not key:
            raise KGError(f"-p {param!r}: write KEY=VALUE")
        pairs[key.lstrip("?$")] = value
    return pairs
