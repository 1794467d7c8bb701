"""`kg serve` under hostile or heavy requests: time and size limits, injection, path traversal."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest
from conftest import DATA
from kg_server import Server, load_store, start_server

# Every triple against every triple against every triple: hours on a few thousand triples.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SMALL = "SELECT ?q WHERE { ?q a qkg:Question } LIMIT 1"


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a 2 s time limit and 20 kB answers, on the QG of the 16th legislature."""
    store = tmp_path_factory.mktemp("strict")
    load_store([DATA / "an" / "questions" / "qg" / "l16"], store)
    server = start_server(store, "--timeout", "2", "--max-answer-mb", "0.02", "--workers", "1")
    yield server
    server.stop()


def sparql(server: Server, query: str, timeout: float = 30) -> httpx.Response:
    return httpx.post(server.url + "/sparql", data={"query": query}, timeout=timeout)


def test_a_query_past_the_time_limit_is_stopped_and_the_next_one_runs(strict: Server) -> None:
    stopped = sparql(strict, ENDLESS)
    assert stopped.status_code == 503 and "longer than the server's limit of 2 s" in stopped.text
    # Its process was replaced: the one worker answers again.
    assert sparql(strict, SMALL).status_code == 200
    process = psutil.Process(strict.process.pid)
    busy = [child for child in process.children(recursive=True) if child.cpu_percent(interval=0.5) > 50]
    assert not busy, "the stopped query still runs"


def test_an_answer_past_the_size_limit_is_refused(strict: Server) -> None:
    refused = sparql(strict, "SELECT * WHERE { ?s ?p ?o }")
    assert refused.status_code == 503 and "longer than the server's limit of 20,971 bytes" in refused.text
    assert sparql(strict, SMALL).status_code == 200


def test_a_request_past_the_size_limit_is_refused(strict: Server) -> None:
    padding = "#" + "x" * (2 << 20) + "\n"
    huge = httpx.post(strict.url + "/sparql", content=padding + SMALL,
                      headers={"Content-Type": "application/sparql-query"})
    assert huge.status_code == 413
    form = httpx.post(strict.url + "/sparql", data={"query": padding + SMALL})
    assert form.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/id/question/x%3E%20%3Fp%20%3Fo%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23",
        "/id/question/QANR5L16QG562%3E%20a%20%3Fx%20%7D%20%23",
        "/id/%7B%7D",
    ],
)
def test_no_sparql_injection_through_page_urls(strict: Server, path: str) -> None:
    page = httpx.get(strict.url + path, headers={"Accept": "text/turtle"})
    assert page.status_code == 404 and "nothing is known" in page.text


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/../../server/app.py",
     "/id/../../../etc/passwd", "/static//etc/passwd"],
)
def test_no_path_traversal(strict: Server, path: str) -> None:
    url = urlsplit(strict.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("GET", path)  # sent as written: clients would normalise the dots away
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    assert response.status in (400, 404)
    assert "create_app" not in body and "root:" not in body


def test_named_query_parameters_are_values_not_text(strict: Server) -> None:
    """The query page binds nothing itself; `kg query -p` binds terms: an IRI with a `>` is refused."""
    from kg.errors import KGError
    from kg.named_queries import find

    with pytest.raises(KGError):
        find("questions-by-deputy").bound(deputy="acteur:PA1> . ?s ?p ?o } #")
    page = httpx.get(strict.url + "/query", params={"name": "<script>alert(1)</script>"})
    assert page.status_code == 200 and "<script>alert(1)" not in page.text


def test_the_server_listens_on_the_loopback_only_by_default(strict: Server) -> None:
    listening = [c for c in psutil.Process(strict.process.pid).net_connections() if c.status == "LISTEN"]
    assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening)


def test_an_update_cannot_slip_through_the_query_parameter(strict: Server) -> None:
    update = sparql(strict, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert update.status_code == 400
    assert sparql(strict, "ASK { <urn:a> <urn:b> <urn:c> }").text.find("false") > 0


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="no store"):
        start_server(tmp_path / "none")
