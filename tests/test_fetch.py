"""`kg fetch` against a real HTTP server on 127.0.0.1: resume, caching, checksums, errors, `kg load`."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import socket
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import DATA

import kg.fetch
from kg.cli import main
from kg.fetch import CATALOGUE

AN = DATA / "an"
QUESTIONS = sorted((AN / "questions" / "qg" / "l16").glob("*.json"))
QG = "/" + CATALOGUE[16, "qg"]
AMO = "/" + CATALOGUE[16, "amo"]
QG_NAME, AMO_NAME = QG.rsplit("/", 1)[1], AMO.rsplit("/", 1)[1]


def zip_of(members: dict[str, Path]) -> bytes:
    """A zip laid out as the AN dumps are (json/…), with fixed dates so that its bytes never vary."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(members.items()):
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@cache
def qg_zip() -> bytes:
    return zip_of({f"json/{path.name}": path for path in QUESTIONS})


@cache
def amo_zip() -> bytes:
    acteurs = {f"json/acteur/{path.name}": path for path in sorted((AN / "acteurs" / "l16").glob("*.json"))}
    organes = {f"json/organe/{path.name}": path for path in sorted((AN / "organes" / "l16").glob("*.json"))}
    return zip_of({**acteurs, **organes})


@dataclass
class Site:
    """What the test server serves, how, and a log of what it was asked and answered."""

    base_url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    # Send only the first N bytes of the body of the next GET of a path, then drop the connection.
    cut_after: dict[str, int] = field(default_factory=dict)
    # A plain server: no ETag, no ranges, no conditional requests.
    plain: bool = False
    log: list[tuple[str, str, dict[str, str], int]] = field(default_factory=list)

    def etag(self, path: str) -> str:
        return '"' + hashlib.sha256(self.files[path]).hexdigest()[:16] + '"'

    def answers(self, path: str) -> list[tuple[dict[str, str], int]]:
        """The headers of each GET of `path` and the status it got."""
        return [(headers, status) for method, p, headers, status in self.log if method == "GET" and p == path]


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the site's files, with ETag/If-None-Match, Range/If-Range and cut connections."""

    protocol_version = "HTTP/1.1"
    server: Any

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, *, body: bool) -> None:
        site: Site = self.server.site
        data = site.files.get(self.path)
        if data is None:
            return self._send(404, b"not found", {}, body=body)
        headers = dict(site.headers.get(self.path, {}))
        if site.plain:
            return self._send(200, data, headers, body=body)
        etag = headers["ETag"] = site.etag(self.path)
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", headers, body=body)
        wanted = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if wanted and self.headers.get("If-Range", etag) == etag:
            start = int(wanted[1])
            if start >= len(data):
                return self._send(416, b"", {**headers, "Content-Range": f"bytes */{len(data)}"}, body=body)
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            return self._send(206, data[start:], headers, body=body)
        return self._send(200, data, headers, body=body)

    def _send(self, status: int, data: bytes, headers: dict[str, str], *, body: bool) -> None:
        site: Site = self.server.site
        site.log.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not body or status == 304:
            return
        cut = site.cut_after.pop(self.path, None)
        self.wfile.write(data if cut is None else data[:cut])
        if cut is not None:
            self.wfile.flush()
            self.close_connection = True


class Server(ThreadingHTTPServer):
    """The test server, quiet when a client hangs up (Ctrl-C, or a file it did not read after all)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture
def site() -> Iterator[Site]:
    server = Server(("127.0.0.1", 0), Handler)
    server.site = Site(  # type: ignore[attr-defined]
        base_url=f"http://127.0.0.1:{server.server_port}", files={QG: qg_zip(), AMO: amo_zip()}
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.site  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def fetch(site: Site, folder: Path, *args: str) -> Result:
    command = ["fetch", "16", "--base-url", site.base_url, "--dir", str(folder)]
    return CliRunner().invoke(main, [*command, *(args or ("--kind", "qg", "--kind", "amo"))])


def meta_of(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name + ".meta").read_text(encoding="utf-8"))


def error_line(result: Result) -> str:
    """The one line a failure prints (and there must be only one)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert result.exit_code == 1 and len(errors) == 1, result.stderr
    assert result.stderr.strip().endswith(errors[0]) and "Traceback" not in result.output
    return errors[0]


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["fetch", "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout and "kg fetch 16" in result.stdout


def test_the_catalogue_has_a_zip_of_every_kind_per_legislature() -> None:
    assert {kind for _, kind in CATALOGUE} == set(kg.fetch.KINDS)
    for (legislature, _), path in CATALOGUE.items():
        assert path.startswith(f"{legislature}/") and path.endswith(".json.zip")
    assert kg.fetch.dump_url(16, "qg") == (
        "https://data.assemblee-nationale.fr/static/openData/repository/"
        "16/questions/questions_gouvernement/Questions_gouvernement.json.zip"
    )


def test_an_unknown_legislature_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["fetch", "14", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "no dumps known for legislature 14 (known: 15, 16, 17)" in result.stderr


def test_a_fresh_fetch_writes_the_files_and_their_sha256(site: Site, tmp_path: Path) -> None:
    result = fetch(site, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / QG_NAME), str(tmp_path / AMO_NAME)]
    for name, data in ((QG_NAME, qg_zip()), (AMO_NAME, amo_zip())):
        path = tmp_path / name
        assert path.read_bytes() == data
        meta = meta_of(path)
        assert meta["sha256"] == hashlib.sha256(data).hexdigest()
        assert meta["size"] == len(data) and meta["url"].endswith(name) and meta["etag"]
        assert f"{name}: downloaded {len(data):,} bytes, SHA-256 {meta['sha256']}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [QG_NAME, AMO_NAME, f"{QG_NAME}.meta", f"{AMO_NAME}.meta"]
    )


def test_a_second_fetch_downloads_nothing(site: Site, tmp_path: Path) -> None:
    assert fetch(site, tmp_path).exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    site.log.clear()
    result = fetch(site, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / QG_NAME), str(tmp_path / AMO_NAME)]
    assert f"{QG_NAME}: unchanged on the server since the last fetch, not downloaded" in result.stderr
    assert [(h["if-none-match"], status) for h, status in site.answers(QG)] == [(site.etag(QG), 304)]
    assert [status for _, status in site.answers(AMO)] == [304]
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_without_validators_the_size_says_unchanged(site: Site, tmp_path: Path) -> None:
    site.plain = True
    assert fetch(site, tmp_path, "--kind", "qg").exit_code == 0
    result = fetch(site, tmp_path, "--kind", "qg")
    assert result.exit_code == 0 and "unchanged" in result.stderr
    site.files[QG] = amo_zip()
    result = fetch(site, tmp_path, "--kind", "qg")
    assert result.exit_code == 0 and "downloaded" in result.stderr
    assert (tmp_path / QG_NAME).read_bytes() == amo_zip()


def test_an_interrupted_download_resumes_with_a_range_request(site: Site, tmp_path: Path) -> None:
    cut = len(qg_zip()) // 3
    site.cut_after[QG] = cut
    line = error_line(fetch(site, tmp_path, "--kind", "qg"))
    assert line.startswith(f"Error: {site.base_url}{QG}: interrupted after {cut:,} bytes")
    assert line.endswith("run again to resume")
    assert (tmp_path / f"{QG_NAME}.part").read_bytes() == qg_zip()[:cut]
    assert not (tmp_path / QG_NAME).exists()

    result = fetch(site, tmp_path, "--kind", "qg")
    assert result.exit_code == 0, result.stderr
    headers, status = site.answers(QG)[-1]
    assert (headers["range"], headers["if-range"], status) == (f"bytes={cut}-", site.etag(QG), 206)
    assert (tmp_path / QG_NAME).read_bytes() == qg_zip()
    assert meta_of(tmp_path / QG_NAME)["sha256"] == hashlib.sha256(qg_zip()).hexdigest()
    assert f"resumed at {cut:,} bytes" in result.stderr
    assert not (tmp_path / f"{QG_NAME}.part").exists()


def test_a_part_of_an_older_version_is_not_continued(site: Site, tmp_path: Path) -> None:
    site.cut_after[QG] = 1000
    fetch(site, tmp_path, "--kind", "qg")
    site.files[QG] = amo_zip()
    assert fetch(site, tmp_path, "--kind", "qg").exit_code == 0
    assert site.answers(QG)[-1][1] == 200
    assert (tmp_path / QG_NAME).read_bytes() == amo_zip()


def test_a_part_that_is_already_whole_is_kept(site: Site, tmp_path: Path) -> None:
    (tmp_path / f"{QG_NAME}.part").write_bytes(qg_zip())
    result = fetch(site, tmp_path, "--kind", "qg")
    assert result.exit_code == 0, result.stderr
    assert site.answers(QG)[-1][1] == 416
    assert (tmp_path / QG_NAME).read_bytes() == qg_zip()


def test_ctrl_c_leaves_the_part_for_resume(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class CtrlC:
        """A progress bar on which the user presses Ctrl-C after the first chunk."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def __enter__(self) -> CtrlC:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def update(self, n: int) -> None:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(kg.fetch, "tqdm", CtrlC)
        line = error_line(fetch(site, tmp_path, "--kind", "amo"))
    part = tmp_path / f"{AMO_NAME}.part"
    assert f"interrupted after {part.stat().st_size:,} bytes; run again to resume" in line
    assert 0 < part.stat().st_size < len(amo_zip())
    result = fetch(site, tmp_path, "--kind", "amo")
    assert result.exit_code == 0 and "resumed at" in result.stderr
    assert (tmp_path / AMO_NAME).read_bytes() == amo_zip()


def test_a_truncated_zip_is_refused_and_nothing_kept(site: Site, tmp_path: Path) -> None:
    site.files[QG] = qg_zip()[: len(qg_zip()) // 2]
    line = error_line(fetch(site, tmp_path, "--kind", "qg"))
    assert line.startswith(f"Error: {site.base_url}{QG}: not a readable zip (")
    assert line.endswith("; not kept")
    assert list(tmp_path.iterdir()) == []

    # A bad new version leaves the good old file, and its record, as they were.
    site.files[QG] = qg_zip()
    assert fetch(site, tmp_path, "--kind", "qg").exit_code == 0
    record = meta_of(tmp_path / QG_NAME)
    site.files[QG] = qg_zip()[:-100]
    assert "not a readable zip" in error_line(fetch(site, tmp_path, "--kind", "qg"))
    assert (tmp_path / QG_NAME).read_bytes() == qg_zip() and meta_of(tmp_path / QG_NAME) == record
    assert not (tmp_path / f"{QG_NAME}.part").exists()


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


WRONG = hashlib.sha256(b"something else").digest()


@pytest.mark.parametrize(
    ("headers", "sidecar"),
    [
        ({"X-Checksum-Sha256": WRONG.hex()}, None),
        ({"Digest": f"SHA-256={_b64(WRONG)}"}, None),
        ({"Repr-Digest": f"sha-256=:{_b64(WRONG)}:"}, None),
        ({"Content-MD5": _b64(hashlib.md5(b"something else").digest())}, None),
        ({}, f"{WRONG.hex()}  {QG_NAME}\n"),
    ],
    ids=["x-checksum-sha256", "digest", "repr-digest", "content-md5", "sha256-file"],
)
def test_a_wrong_checksum_is_refused(
    site: Site, tmp_path: Path, headers: dict[str, str], sidecar: str | None
) -> None:
    site.headers[QG] = headers
    if sidecar:
        site.files[QG + ".sha256"] = sidecar.encode()
    line = error_line(fetch(site, tmp_path, "--kind", "qg"))
    assert line.startswith(f"Error: {site.base_url}{QG}: corrupted download, ")
    assert "but the server announced" in line and line.endswith("; not kept")
    assert list(tmp_path.iterdir()) == []


def test_a_right_checksum_is_accepted(site: Site, tmp_path: Path) -> None:
    data = qg_zip()
    site.headers[QG] = {"Digest": f"SHA-256={_b64(hashlib.sha256(data).digest())}"}
    site.files[QG + ".sha256"] = f"{hashlib.sha256(data).hexdigest()}  {QG_NAME}\n".encode()
    result = fetch(site, tmp_path, "--kind", "qg")
    assert result.exit_code == 0, result.stderr
    assert [status for _, status in site.answers(QG + ".sha256")] == [200]


def test_a_404_is_one_clear_line(site: Site, tmp_path: Path) -> None:
    line = error_line(fetch(site, tmp_path, "--kind", "qg", "--kind", "qe"))
    assert line == f"Error: {site.base_url}/{CATALOGUE[16, 'qe']}: 404 Not Found"
    assert not (tmp_path / f"{CATALOGUE[16, 'qe'].rsplit('/', 1)[1]}.part").exists()


def test_an_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more once the probe is closed.
    line = error_line(fetch(Site(base_url=f"http://127.0.0.1:{port}"), tmp_path, "--kind", "qg"))
    assert line.startswith(f"Error: http://127.0.0.1:{port}/{CATALOGUE[16, 'qg']}: cannot reach the server (")


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is how platformdirs is steered on Linux")
def test_files_go_to_the_user_cache_folder_by_default(site: Site, tmp_path: Path) -> None:
    command = ["fetch", "16", "--kind", "qg", "--base-url", site.base_url, "-q"]
    result = CliRunner(env={"XDG_CACHE_HOME": str(tmp_path)}).invoke(main, command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "questions-kg" / "dumps" / "16" / QG_NAME)]


def test_kg_load_takes_the_fetched_files(site: Site, tmp_path: Path) -> None:
    fetched = fetch(site, tmp_path / "dumps", "--kind", "qg", "--kind", "amo", "--quiet")
    assert fetched.exit_code == 0 and fetched.stderr == ""
    store = str(tmp_path / "store")
    loaded = CliRunner().invoke(main, ["load", *fetched.stdout.split(), "--store", store, "-q"])
    assert loaded.exit_code == 0, loaded.stderr
    # The folder too: its .meta sidecars are passed over, not rejected.
    folder = CliRunner().invoke(main, ["load", str(tmp_path / "dumps"), "--store", store, "-q"])
    assert folder.exit_code == 0, folder.stderr
    stats = CliRunner().invoke(main, ["stats", "--json", "--store", store])
    questions = json.loads(stats.stdout)["questions"]
    assert questions == [{"legislature": 16, "type": "QG", "count": len(QUESTIONS)}]
