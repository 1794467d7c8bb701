"""Any SPARQL 1.1 server: queries through SPARQLWrapper, graphs pushed by SPARQL Update or GSP."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .errors import KGError
from .results import Answer, Triples, from_json
from .store import prune_update
from .vocab import BASE

__all__ = ["RemoteEndpoint"]

TIMEOUT_SECONDS = 300


@dataclass
class RemoteEndpoint:
    """A SPARQL server: its query URL and, to load it, its update or Graph Store Protocol URL."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    # Triples per update request: big enough to be fast, small enough for servers' request limits.
    batch_triples: int = 5_000

    def _wrapper(self, url: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(TIMEOUT_SECONDS)
        if self.user:
            wrapper.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
            wrapper.setCredentials(self.user, self.password or "")
        return wrapper

    def query(self, text: str) -> Answer:
        """Run a query; SELECT and ASK come back as JSON results, graphs as Turtle."""
        wrapper = self._wrapper(self.query_url)
        wrapper.setQuery(text)
        graph = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph else JSON)
        body = self._send(wrapper)
        if graph:
            data = body if isinstance(body, bytes) else str(body).encode("utf-8")
            return Triples(list(parse(data, RdfFormat.TURTLE)))
        return from_json(body)

    def write(self, quads: list[Quad], replace: list[NamedNode]) -> None:
        """Replace the `replace` graphs and add the rest: by Graph Store Protocol if given, else Update."""
        by_graph: dict[NamedNode, list[Quad]] = defaultdict(list)
        for quad in quads:
            by_graph[quad.graph_name].append(quad)
        if self.gsp_url:
            for graph, members in by_graph.items():
                self._gsp("PUT" if graph in replace else "POST", graph, _ntriples(members))
            return
        drops = [f"DROP SILENT GRAPH <{graph.value}>" for graph in replace]
        inserts = " ".join(
            f"GRAPH <{graph.value}> {{ {_ntriples(members)} }}" for graph, members in by_graph.items()
        )
        self.update(" ;\n".join([*drops, f"INSERT DATA {{ {inserts} }}"]))

    def prune(self, base: str = BASE) -> None:
        self.update(prune_update(base))

    def update(self, text: str) -> None:
        if not self.update_url:
            raise KGError("loading a server needs its update URL (--update-endpoint) or its GSP URL (--gsp)")
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery(text)
        self._send(wrapper)

    def _send(self, wrapper: SPARQLWrapper) -> Any:
        try:
            return wrapper.query().convert()
        except SPARQLWrapperException as error:
            raise KGError(_one_line(f"{wrapper.endpoint}: {error}")) from error
        except (urllib.error.URLError, OSError) as error:
            raise KGError(f"{wrapper.endpoint}: cannot reach the server ({error})") from error

    def _gsp(self, method: str, graph: NamedNode, body: str) -> None:
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph.value})}"
        request = urllib.request.Request(
            url, data=body.encode("utf-8"), method=method, headers={"Content-Type": "application/n-triples"}
        )
        opener = urllib.request.build_opener(*self._auth_handlers())
        try:
            with opener.open(request, timeout=TIMEOUT_SECONDS):
                pass
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")
            message = f"{self.gsp_url}: {method} {graph.value}: {error.code} {detail}"
            raise KGError(_one_line(message)) from error
        except (urllib.error.URLError, OSError) as error:
            raise KGError(f"{self.gsp_url}: cannot reach the server ({error})") from error

    def _auth_handlers(self) -> list[urllib.request.BaseHandler]:
        if not self.user:
            return []
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.gsp_url or "", self.user, self.password or "")
        if self.auth == "digest":
            return [urllib.request.HTTPDigestAuthHandler(passwords)]
        return [urllib.request.HTTPBasicAuthHandler(passwords)]


def _ntriples(quads: list[Quad]) -> str:
    return serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES).decode("utf-8")


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]
