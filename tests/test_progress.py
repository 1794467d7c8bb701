"""Progress bars of the long commands: the real `kg` run with its stderr on a pseudo-terminal.

A bar shows on a terminal, with the total of what the command advances on (records converted,
batches validated, bytes downloaded, queries answered); none with --quiet, and none when stderr is
a pipe. --quiet never hides the records rejected.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA
from tqdm import tqdm

from kg.cli import main
from kg.fetch import CATALOGUE

# What a conversion of the sample advances on: each per-record question file, and the question of
# each page text (tests/data/seed).
RECORDS = len(list(DATA.rglob("QANR*.json"))) + len(list((DATA / "seed").glob("*.txt")))
QG_DUMP = CATALOGUE[16, "qg"]
# A tqdm bar as drawn: "converting: 100%|█████| 38/38 [00:01<00:00, 30.1record/s]"
BAR = re.compile(r"(?P<desc>[\w.-]+): +\d+%\|[^|\r\n]*\| (?P<n>[\w.]+)/(?P<total>[\w.]+) \[")
TIMEOUT = 300


def run_kg(args: list[str], *, terminal: bool) -> tuple[int, str]:
    """Run the real `kg` with its stderr on a pseudo-terminal (or a pipe): its exit code and stderr."""
    command = [sys.executable, "-m", "kg", *args]
    env = {**os.environ, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}
    if not terminal:
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=env, timeout=TIMEOUT, check=False,
        )
        return done.returncode, done.stderr.decode()
    controller, terminal_end = os.openpty()
    # A terminal of 120 columns: a pseudo-terminal starts with none, which tqdm would draw in.
    fcntl.ioctl(terminal_end, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    try:
        with subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal_end, env=env
        ) as process:
            os.close(terminal_end)
            output = _read_until_closed(controller)
            code = process.wait(TIMEOUT)
    finally:
        os.close(controller)
    return code, output.decode("utf-8", errors="replace")


def _read_until_closed(fd: int) -> bytes:
    """All a pseudo-terminal receives until its last writer closes it."""
    chunks = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:  # EIO on Linux: no process holds the terminal any more
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def bars(stderr: str) -> dict[str, tuple[str, str]]:
    """The last state of each bar drawn, by its description: (done, total)."""
    return {match["desc"]: (match["n"], match["total"]) for match in BAR.finditer(stderr)}


# -- local servers for `kg fetch` and `kg link` ------------------------------------------------


@pytest.fixture(scope="module")
def dump_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A web server with a QG dump of the 16th legislature: its URL, and the dump's size in bytes."""
    root = tmp_path_factory.mktemp("site")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((DATA / "an" / "questions" / "qg" / "l16").glob("*.json")):
            archive.write(path, f"json/{path.name}")
    dump = root / QG_DUMP
    dump.parent.mkdir(parents=True)
    dump.write_bytes(buffer.getvalue())

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    with _serving(partial(Quiet, directory=str(root))) as url:
        yield url, dump.stat().st_size


@pytest.fixture(scope="module")
def wikidata_like() -> Iterator[str]:
    """A SPARQL endpoint that answers any query with one deputy's P4123 row: its URL."""
    answer = {
        "head": {"vars": ["item", "id", "label"]},
        "results": {"bindings": [{
            "item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q3170481"},
            "id": {"type": "literal", "value": "346782"},
            "label": {"type": "literal", "xml:lang": "fr", "value": "Jean-Luc Warsmann"},
        }]},
    }
    body = json.dumps(answer).encode()

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with _serving(Endpoint) as url:
        yield f"{url}/sparql"


class _serving:
    """A threaded HTTP server on 127.0.0.1 for the time of a `with`: its base URL."""

    def __init__(self, handler: Callable[..., BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- the commands ------------------------------------------------------------------------------


@pytest.fixture
def commands(
    tmp_path: Path, dump_site: tuple[str, int], wikidata_like: str
) -> dict[str, tuple[list[str], dict[str, tuple[str, str]]]]:
    """Each long command on the sample, with the bars it must draw: {description: (done, total)}."""
    records = (str(RECORDS), str(RECORDS))
    url, size = dump_site
    # tqdm writes bytes scaled by 1024, as it does in the bar of `kg fetch`.
    dump_size = tqdm.format_sizeof(size, divisor=1024)
    fast = ["--no-entities", "-j", "1"]
    return {
        "convert": (["convert", str(DATA), "-o", str(tmp_path / "out.nq"), "-f", "nquads", *fast],
                    {"converting": records}),
        "load": (["load", str(DATA), "--store", str(tmp_path / "store"), *fast], {"converting": records}),
        # The sample makes one batch (of at most 4,000 questions with what they point to).
        "validate": (["validate", str(DATA), "-j", "1"], {"converting": records, "validating": ("1", "1")}),
        "fetch": (["fetch", "16", "--kind", "qg", "--dir", str(tmp_path / "dumps"), "--base-url", url],
                  {QG_DUMP.rsplit("/", 1)[1]: (dump_size, dump_size)}),
        "link": (["link", "--endpoint", wikidata_like, "--cache", str(tmp_path / "wikidata")],
                 {"querying": ("1", "1")}),
    }


COMMANDS = ["convert", "load", "validate", "fetch", "link"]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_bar_with_the_right_total_on_a_terminal(name: str, commands: dict) -> None:
    args, expected = commands[name]
    code, stderr = run_kg(args, terminal=True)
    assert code == 0, stderr
    assert bars(stderr) == expected, stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_no_bar_with_quiet(name: str, commands: dict) -> None:
    args, _ = commands[name]
    code, stderr = run_kg([*args, "--quiet"], terminal=True)
    assert code == 0, stderr
    assert not BAR.search(stderr) and "%|" not in stderr, stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_no_bar_when_stderr_is_a_pipe(name: str, commands: dict) -> None:
    args, _ = commands[name]
    code, stderr = run_kg(args, terminal=False)
    assert code == 0, stderr
    assert not BAR.search(stderr) and "%|" not in stderr and "\r" not in stderr, stderr
    if name != "link":
        assert stderr, "the summary still goes to stderr"


def test_quiet_still_reports_the_rejected_records(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "QANR5L16QG9999.json").write_text('{"question": {"uid": "QANR5L16QG9999", ', encoding="utf-8")
    commands = [["convert", "-o", str(tmp_path / "out.ttl")], ["load", "--store", str(tmp_path / "store")]]
    for command in commands:
        result = CliRunner().invoke(main, [*command, str(folder), "--quiet"])
        assert result.exit_code == 3, result.output
        [line] = result.stderr.splitlines()
        assert line.startswith(f"rejected: {folder / 'QANR5L16QG9999.json'}: invalid JSON")
