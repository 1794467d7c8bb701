"""Any SPARQL 1.1 server: queries through SPARQLWrapper, graphs pushed by SPARQL Update or GSP."""

from __future__ import annotations

import re
import urllib.error
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx
from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .errors import KGError
from .named_queries import query_form
from .rdfio import PREFIXES
from .results import Answer, Solutions, Triples, from_json
from .store import orphan_graphs_pattern, prune_update
from .vocab import BASE

__all__ = ["RemoteEndpoint"]

TIMEOUT_SECONDS = 300
MAX_OPERATIONS = 100


@dataclass
class RemoteEndpoint:
    """A SPARQL server: its query URL and, to load it, its update or Graph Store Protocol URL."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    # Triples per request: big enough to be fast, small enough for servers' limits (Virtuoso
    # refuses one INSERT DATA block of about 5,000 triples, and request bodies of a few MB).
    batch_triples: int = 2_000
    _primed: bool = field(default=False, repr=False)

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
        wrapper.setQuery(with_prefixes(text))
        # SPARQLWrapper's own guess reads every other line of a block of comments as SPARQL (its
        # comment pattern eats the newline): "workload" in one made a query an update (LOAD).
        wrapper.queryType = query_form(text)
        graph = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph else JSON)
        body = self._send(wrapper)
        if graph:
            data = body if isinstance(body, bytes) else str(body).encode("utf-8")
            return Triples(list(parse(data, RdfFormat.TURTLE)))
        return from_json(body)

    def write_nquads(self, data: bytes, replace: list[NamedNode]) -> None:
        """Replace the `replace` graphs by their quads in `data` (N-Quads); add the other quads.

        Sent in requests of whole graphs of about `batch_triples` triples.
        """
        by_graph: dict[NamedNode, list[Quad]] = defaultdict(list)
        for quad in parse(data, RdfFormat.N_QUADS):
            by_graph[quad.graph_name].append(quad)
        records = set(replace)
        batch: list[Quad] = []
        for members in by_graph.values():
            batch += members
            if len(batch) >= self.batch_triples:
                self.write(batch, records)
                batch = []
        if batch:
            self.write(batch, records)

    def write(self, quads: list[Quad], replace: Collection[NamedNode]) -> None:
        """Replace the `replace` graphs and add the rest: by Graph Store Protocol if given, else Update."""
        by_graph: dict[NamedNode, list[Quad]] = defaultdict(list)
        for quad in quads:
            by_graph[quad.graph_name].append(quad)
        if self.gsp_url:
            for graph, members in by_graph.items():
                self._gsp("PUT" if graph in replace else "POST", graph, _ntriples(members))
            return
        # Virtuoso refuses a request of a few hundred operations (SQ200) as it refuses a block of
        # about 5,000 triples: requests of whole graphs, at most MAX_OPERATIONS operations each.
        size = self.batch_triples
        requests: list[list[str]] = [[]]
        for graph, members in by_graph.items():
            operations = [f"DROP SILENT GRAPH <{graph.value}>"] if graph in replace else []
            operations += [
                f"INSERT DATA {{ GRAPH <{graph.value}> {{ {_ntriples(members[start : start + size])} }} }}"
                for start in range(0, len(members), size)
            ]
            if requests[-1] and len(requests[-1]) + len(operations) > MAX_OPERATIONS:
                requests.append([])
            requests[-1] += operations
        for operations in requests:
            if operations:
                self.update(" ;\n".join(operations))

    def prune(self, base: str = BASE) -> None:
        """Drop the shared graphs nothing points to any more: by Update, or one GSP DELETE each."""
        if self.update_url or not self.gsp_url:
            self.update(prune_update(base))
            return
        orphans = self.query(f"SELECT DISTINCT ?g WHERE {orphan_graphs_pattern(base)}")
        assert isinstance(orphans, Solutions)
        for (graph,) in orphans.rows:
            self._gsp("DELETE", graph)

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

    @cached_property
    def _http(self) -> httpx.Client:
        auth: httpx.Auth | None = None
        if self.user:
            scheme = httpx.DigestAuth if self.auth == "digest" else httpx.BasicAuth
            auth = scheme(self.user, self.password or "")
        return httpx.Client(auth=auth, timeout=TIMEOUT_SECONDS)

    def _gsp(self, method: str, graph: NamedNode, body: str = "") -> None:
        try:
            if not self._primed:
                # A bodiless request first: digest auth then sends its header with every body, as a
                # server may drop the connection on a big body it is about to refuse with 401.
                self._http.head(self.gsp_url or "", params={"graph": graph.value})
                self._primed = True
            response = self._http.request(
                method, self.gsp_url or "", params={"graph": graph.value}, content=body.encode("utf-8"),
                headers={"Content-Type": "application/n-triples"},
            )
        except httpx.HTTPError as error:
            raise KGError(f"{self.gsp_url}: cannot reach the server ({error})") from error
        if response.is_error:
            message = f"{self.gsp_url}: {method} {graph.value}: {response.status_code} {response.text}"
            raise KGError(_one_line(message))


def with_prefixes(text: str) -> str:
    """The query with a PREFIX line for each of our prefixes it uses without declaring it.

    The embedded store predefines them; a server does not.
    """
    missing = [
        name for name in PREFIXES
        if re.search(rf"(?<![\w:<]){name}:", text) and not re.search(rf"(?i)PREFIX\s+{name}:", text)
    ]
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in missing) + text


def _ntriples(quads: list[Quad]) -> str:
    return serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES).decode("utf-8")


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]
