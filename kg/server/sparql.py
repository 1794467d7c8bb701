"""The SPARQL 1.1 Protocol endpoint: read-only queries on the embedded store, answers as negotiated."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .answers import Refusal

__all__ = ["MAX_REQUEST_BYTES", "sparql_endpoint"]

# A query, or a form holding one, larger than this is refused (413): no real query comes near.
MAX_REQUEST_BYTES = 1 << 20
_READ_ONLY = "this endpoint is read-only: SPARQL Update is refused\n"


async def sparql_endpoint(request: Request) -> Response:
    """GET ?query=, POST of a form or of `application/sparql-query`; updates are refused (403)."""
    params: dict[str, list[str]] = {key: request.query_params.getlist(key) for key in request.query_params}
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            return PlainTextResponse(_READ_ONLY, status_code=403)
        body = await _body(request)
        if body is None:
            return PlainTextResponse(f"the request is larger than {MAX_REQUEST_BYTES:,} bytes\n", 413)
        if kind == "application/sparql-query":
            params["query"] = [body.decode("utf-8", errors="replace")]
        elif kind == "application/x-www-form-urlencoded":
            params.update(parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True))
        else:
            return PlainTextResponse(f"unsupported content type {kind!r}\n", status_code=415)
    if "update" in params:
        return PlainTextResponse(_READ_ONLY, status_code=403)
    queries = params.get("query", [])
    if len(queries) != 1:
        return PlainTextResponse("give one query: ?query=SELECT…\n", status_code=400)
    runner = request.app.state.runner
    result = await run_in_threadpool(runner.run, queries[0], params, request.headers.get("accept", ""))
    if isinstance(result, Refusal):
        return PlainTextResponse(result.message + "\n", status_code=result.status)
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


async def _body(request: Request) -> bytes | None:
    """The request's body, or None past the size limit (read no further than it)."""
    if int(request.headers.get("content-length") or 0) > MAX_REQUEST_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
