"""Download the Assemblée nationale open-data dumps: resumed, cached and checked."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import platformdirs
from tqdm import tqdm

from . import __version__
from .errors import KGError

__all__ = [
    "BASE_URL", "CATALOGUE", "DEFAULT_KINDS", "KINDS", "LEGISLATURES", "DownloadError", "Fetched",
    "default_folder", "dump_url", "fetch_dump", "fetch_dumps",
]

BASE_URL = "https://data.assemblee-nationale.fr/static/openData/repository"

KINDS = {
    "qe": "written questions (questions écrites)",
    "qg": "questions au Gouvernement",
    "qosd": "oral questions without debate (questions orales sans débat)",
    "amo": "AMO10: the deputies in office, their mandates in force, the organes",
    "amo-history": "AMO30: every acteur since the 11th legislature, all mandates, all organes",
}
DEFAULT_KINDS = ("qe", "qg", "qosd", "amo")

_AMO10 = "amo/deputes_actifs_mandats_actifs_organes/AMO10_deputes_actifs_mandats_actifs_organes"
_AMO30 = "amo/tous_acteurs_mandats_organes_xi_legislature/AMO30_tous_acteurs_tous_mandats_tous_organes"

# Paths under BASE_URL. Each one is used, as written here, by several public projects that download
# these dumps; none could be checked against the live server when this table was written (no
# network there). The 15th legislature's files carry its numeral (_XV), except AMO30. The 14th is
# left out: its dumps sat under another layout (repository/QUESTIONS/…), one big JSON per kind.
CATALOGUE: dict[tuple[int, str], str] = {
    (15, "qe"): "15/questions/questions_ecrites/Questions_ecrites_XV.json.zip",
    (15, "qg"): "15/questions/questions_gouvernement/Questions_gouvernement_XV.json.zip",
    (15, "qosd"): "15/questions/questions_orales_sans_debat/Questions_orales_sans_debat_XV.json.zip",
    (15, "amo"): f"15/{_AMO10}_XV.json.zip",
    (15, "amo-history"): f"15/{_AMO30}_historique.json.zip",
    (16, "qe"): "16/questions/questions_ecrites/Questions_ecrites.json.zip",
    (16, "qg"): "16/questions/questions_gouvernement/Questions_gouvernement.json.zip",
    (16, "qosd"): "16/questions/questions_orales_sans_debat/Questions_orales_sans_debat.json.zip",
    (16, "amo"): f"16/{_AMO10}.json.zip",
    (16, "amo-history"): f"16/{_AMO30}_historique.json.zip",
    (17, "qe"): "17/questions/questions_ecrites/Questions_ecrites.json.zip",
    (17, "qg"): "17/questions/questions_gouvernement/Questions_gouvernement.json.zip",
    (17, "qosd"): "17/questions/questions_orales_sans_debat/Questions_orales_sans_debat.json.zip",
    (17, "amo"): f"17/{_AMO10}.json.zip",
    (17, "amo-history"): f"17/{_AMO30}_historique.json.zip",
}
LEGISLATURES = tuple(sorted({legislature for legislature, _ in CATALOGUE}))

CHUNK = 1 << 16
TIMEOUT = httpx.Timeout(60.0, connect=30.0)


class DownloadError(KGError):
    """A dump could not be downloaded, or the download failed its checks."""


@dataclass(frozen=True)
class Fetched:
    """A dump on disk: where it came from, and whether this run downloaded it."""

    url: str
    path: Path
    downloaded: bool
    size: int
    sha256: str
    resumed_from: int = 0


def default_folder(legislature: int) -> Path:
    """Where dumps go without --dir: the user's cache folder."""
    return platformdirs.user_cache_path("questions-kg") / "dumps" / str(legislature)


def dump_url(legislature: int, kind: str, base_url: str = BASE_URL) -> str:
    """The URL of one dump in the catalogue."""
    try:
        path = CATALOGUE[legislature, kind]
    except KeyError:
        known = ", ".join(map(str, LEGISLATURES))
        raise DownloadError(f"no {kind} dump known for legislature {legislature} (known: {known})") from None
    return f"{base_url.rstrip('/')}/{path}"


def fetch_dumps(
    legislature: int, kinds: Iterable[str], folder: Path, *, base_url: str = BASE_URL, progress: bool = False
) -> Iterator[Fetched]:
    """Fetch the dumps of these kinds into `folder`, one after the other (see `fetch_dump`)."""
    urls = [dump_url(legislature, kind, base_url) for kind in kinds]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DownloadError(f"cannot create {folder}: {error.strerror or error}") from error
    # Identity encoding: byte ranges and Content-Length then count the bytes of the file itself.
    headers = {"Accept-Encoding": "identity", "User-Agent": f"questions-kg/{__version__}"}
    with httpx.Client(follow_redirects=True, timeout=TIMEOUT, headers=headers) as client:
        for url in urls:
            yield fetch_dump(url, folder / url.rsplit("/", 1)[-1], client=client, progress=progress)


def fetch_dump(url: str, path: Path, *, client: httpx.Client, progress: bool = False) -> Fetched:
    """Download `url` to `path`, unless the copy there is current; resume a `path.part` left over.

    The bytes land in `path.part`, which replaces `path` only once it is complete, a readable zip and
    equal to any checksum the server gives. `path.meta` keeps the server's validators (for the
    next conditional request) and the file's SHA-256.
    """
    try:
        return _fetch(url, path, client, progress)
    except OSError as error:
        where = error.filename or path
        raise DownloadError(f"{url}: cannot write {where}: {error.strerror or error}") from error


def _fetch(url: str, path: Path, client: httpx.Client, progress: bool) -> Fetched:
    part, meta_path = _part(path), _meta_path(path)
    meta = _read_meta(meta_path)
    have = part.stat().st_size if part.is_file() else 0
    cached = path.is_file() and meta.get("size") == path.stat().st_size and bool(meta.get("sha256"))
    headers = _conditions(meta) if cached else {}
    if have:
        headers["Range"] = f"bytes={have}-"
        if meta.get("partial"):
            # The part is only continued if the server still has the version it came from.
            headers["If-Range"] = meta["partial"]
    expected: dict[str, str] = {}
    try:
        with client.stream("GET", url, headers=headers) as response:
            status, start = response.status_code, _start(response)
            if cached and (status == 304 or (status == 200 and _unchanged(meta, response.headers))):
                _discard(part, meta, meta_path)
                return Fetched(url, path, downloaded=False, size=meta["size"], sha256=meta["sha256"])
            if have and status == 416 and _unsatisfied_total(response) == have:
                # The part already holds the whole file (a stop came after its last byte).
                return _keep(url, path, response.headers, expected, have, client)
            restart = bool(have) and status in (206, 416) and start != have
            if not restart:
                if status not in (200, 206) or (status == 206 and start != have):
                    raise DownloadError(f"{url}: {status} {response.reason_phrase}".rstrip())
                meta.pop("partial", None)
                if validator := _validator(response.headers):
                    meta["partial"] = validator
                _write_meta(meta_path, meta)
                expected = _announced(response.headers, whole_body=status == 200)
                _receive(response, part, start, _total(response, start), url, progress)
    except httpx.HTTPError as error:
        raise DownloadError(f"{url}: cannot reach the server ({_one_line(error)})") from error
    if restart:
        # The part does not fit the file the server has now: start again from zero, once.
        _discard(part, meta, meta_path)
        return _fetch(url, path, client, progress)
    return _keep(url, path, response.headers, expected, start, client)


def _receive(
    response: httpx.Response, part: Path, start: int, total: int | None, url: str, progress: bool
) -> None:
    """Append the body to the part (or write it anew from byte 0), with a progress bar."""
    received = start
    bar = tqdm(
        total=total, initial=start, unit="B", unit_scale=True, unit_divisor=1024, desc=part.name[:-5],
        disable=None if progress else True,
    )
    try:
        with bar, part.open("ab" if start else "wb") as out:
            # Chunks as they arrive: a fixed chunk size would hold back bytes that a cut then loses.
            for chunk in response.iter_bytes():
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    except httpx.TransportError as error:
        message = f"interrupted after {received:,} bytes ({_one_line(error)})"
        raise DownloadError(f"{url}: {message}; run again to resume") from error
    except KeyboardInterrupt:
        raise DownloadError(f"{url}: interrupted after {received:,} bytes; run again to resume") from None
    if total is not None and received != total:
        raise DownloadError(f"{url}: interrupted after {received:,} of {total:,} bytes; run again to resume")


def _keep(
    url: str, path: Path, headers: httpx.Headers, expected: dict[str, str], resumed_from: int,
    client: httpx.Client,
) -> Fetched:
    """Check the complete part, then put it in place of the file and record it in the sidecar."""
    part, meta_path = _part(path), _meta_path(path)
    digests = _digests(part)
    if published := _published_sha256(client, url):
        expected.setdefault("sha256", published)
    for algorithm, value in sorted(expected.items()):
        if digests[algorithm] != value:
            _discard(part, _read_meta(meta_path), meta_path)
            message = f"{algorithm.upper()} {digests[algorithm]} but the server announced {value}"
            raise DownloadError(f"{url}: corrupted download, {message}; not kept")
    if problem := _zip_problem(part):
        _discard(part, _read_meta(meta_path), meta_path)
        raise DownloadError(f"{url}: not a readable zip ({problem}); not kept")
    size = part.stat().st_size
    os.replace(part, path)
    _write_meta(meta_path, {
        "url": url,
        "etag": headers.get("ETag"),
        "last_modified": headers.get("Last-Modified"),
        "size": size,
        "sha256": digests["sha256"],
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    return Fetched(url, path, downloaded=True, size=size, sha256=digests["sha256"], resumed_from=resumed_from)


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta")


def _read_meta(path: Path) -> dict[str, Any]:
    # A sidecar that cannot be read only costs a download: never an error.
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    if meta:
        path.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def _discard(part: Path, meta: dict[str, Any], meta_path: Path) -> None:
    """Drop the part and what the sidecar says of it; the complete file and its record stay."""
    part.unlink(missing_ok=True)
    if meta.pop("partial", None) is not None:
        _write_meta(meta_path, meta)


def _conditions(meta: dict[str, Any]) -> dict[str, str]:
    headers = {}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    return headers


def _unchanged(meta: dict[str, Any], headers: httpx.Headers) -> bool:
    """Whether a full answer (from a server that ignored the conditions) is the file we have."""
    etag, modified = headers.get("ETag"), headers.get("Last-Modified")
    if etag or modified:
        return etag == meta.get("etag") and modified == meta.get("last_modified")
    # With neither validator, the size is the only hint the server gives.
    length = headers.get("Content-Length")
    return length is not None and length.isdigit() and int(length) == meta.get("size")


def _validator(headers: httpx.Headers) -> str | None:
    """What If-Range can name: a strong ETag, else the Last-Modified date."""
    etag = headers.get("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return headers.get("Last-Modified")


def _content_range(response: httpx.Response) -> tuple[int, int | None] | None:
    match = re.fullmatch(r"bytes\s+(\d+)-\d+/(\d+|\*)", response.headers.get("Content-Range", "").strip())
    if response.status_code != 206 or not match:
        return None
    return int(match[1]), None if match[2] == "*" else int(match[2])


def _unsatisfied_total(response: httpx.Response) -> int | None:
    """The file size that a 416 answer gives (`Content-Range: bytes */SIZE`)."""
    match = re.fullmatch(r"bytes\s+\*/(\d+)", response.headers.get("Content-Range", "").strip())
    return int(match[1]) if match else None


def _start(response: httpx.Response) -> int:
    """Where the body starts in the file: 0, or the first byte of a partial answer."""
    if response.status_code != 206:
        return 0
    content_range = _content_range(response)
    return content_range[0] if content_range else -1


def _total(response: httpx.Response, start: int) -> int | None:
    """The size of the whole file, if the answer says it (sizes of an encoded body are not the file's)."""
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    content_range = _content_range(response)
    if content_range and content_range[1] is not None:
        return content_range[1]
    length = response.headers.get("Content-Length")
    return start + int(length) if length and length.isdigit() else None


def _announced(headers: httpx.Headers, *, whole_body: bool) -> dict[str, str]:
    """The checksums of the whole file that the server sends along, as {"sha256"|"md5": hex}."""
    found: dict[str, str] = {}
    # Digest (RFC 3230) and Repr-Digest (RFC 9530) are of the whole file, even in a partial answer.
    for header in ("Digest", "Repr-Digest"):
        for item in headers.get(header, "").split(","):
            name, _, value = item.strip().partition("=")
            algorithm = name.lower().replace("-", "")
            if algorithm in ("sha256", "md5") and (digest := _hex(value.strip(":"))):
                found[algorithm] = digest
    if (value := headers.get("X-Checksum-Sha256")) and (digest := _hex(value)):
        found["sha256"] = digest
    # Content-MD5 is of this body only, so of the file only when the answer is the whole file.
    if whole_body and (value := headers.get("Content-MD5")) and (digest := _hex(value)):
        found["md5"] = digest
    return found


def _hex(value: str) -> str | None:
    """A digest given in hex or in base64, as lower-case hex; None if it is neither."""
    value = value.strip()
    if re.fullmatch(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{64}", value):
        return value.lower()
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) in (16, 32) else None


def _published_sha256(client: httpx.Client, url: str) -> str | None:
    """The SHA-256 of a `URL.sha256` file beside the dump (sha256sum format), if the server has one."""
    try:
        response = client.get(url + ".sha256")
    except httpx.HTTPError:
        return None
    match = re.match(r"\s*([0-9a-fA-F]{64})(\s|$)", response.text) if response.status_code == 200 else None
    return match[1].lower() if match else None


def _digests(path: Path) -> dict[str, str]:
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            sha256.update(chunk)
            md5.update(chunk)
    return {"sha256": sha256.hexdigest(), "md5": md5.hexdigest()}


def _zip_problem(path: Path) -> str | None:
    """Why the file is not a zip whose every member reads back with its CRC, or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as error:
        return _one_line(error) or type(error).__name__
    return f"member {bad} is damaged" if bad else None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]
