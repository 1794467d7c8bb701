"""Walk the user's paths: files, folders (recursive) and zip dumps -> named documents.

The walk gives sources (`iter_sources`): where each document is, not read yet, so that a worker
process can read it (and inflate it, from a zip) rather than the process that walks. A document is
read whole into memory, so its size is capped (`max_document_size`): a file or zip
member above the cap is rejected before it is read, and a zip member is read with the cap, whatever
size it declares. Zip members are read into memory by name, never extracted to disk; members whose
path is absolute or climbs with `..` (zip slip) are rejected all the same.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ..errors import InputError

__all__ = [
    "DATA_SUFFIXES", "Document", "Rejected", "Skipped", "Source", "iter_sources", "max_document_size",
    "public_name",
]

# Inside folders and zips, other files (READMEs, manifests, images) are skipped, not rejected.
DATA_SUFFIXES = {".json", ".xml", ".txt", ".zip"}
# The largest document read, in MB, unless KG_MAX_DOCUMENT_MB says otherwise. The AN's per-record
# files weigh a few kB (the largest of the real corpus, an acteur with thirty years of mandates,
# 150 kB), so 20 MB leaves a margin of a hundredfold; and a document is held whole in memory, where
# its parsed tree takes some ten times its size: 20 MB keeps each process within a few hundred MB.
# Whole-dump exports in one file (XML) may need more: raise it for them.
DEFAULT_MAX_DOCUMENT_MB = 20
# A zip member that inflates more than this many times its compressed size (and to more than
# _BOMB_FLOOR) is taken for a zip bomb: the AN's JSON and XML deflate some 5 to 15 times.
_BOMB_RATIO = 200
_BOMB_FLOOR = 2**20
# What a broken or hostile zip member raises when read.
_MEMBER_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError
)


@dataclass(frozen=True)
class Document:
    """The bytes of one file, named by its path (zip members as `dump.zip!member`)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Skipped:
    """A file inside a folder or zip that is not of a kind we read."""

    name: str


@dataclass(frozen=True)
class Rejected:
    """A document or record that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Source:
    """Where a document is, not read yet: a file, or a member of the zip at `path`."""

    name: str
    path: str
    member: str | None
    limit: int  # the largest document read, in bytes (`max_document_size`)

    def head(self, size: int) -> bytes:
        """The document's first bytes, which tell its kind; none if it cannot be read (`read` says why)."""
        try:
            if self.member is None:
                with open(self.path, "rb", buffering=0) as file:
                    return file.read(size)
            with _archive(self.path).open(self.member) as member:
                return member.read(size)
        except (*_MEMBER_ERRORS, KeyError):
            return b""

    def read(self) -> Document | Rejected:
        """The document's bytes, or why they cannot be read."""
        if self.member is None:
            return _read_plain(Path(self.path), self.limit)
        try:
            archive = _archive(self.path)
            info = archive.getinfo(self.member)
        except (*_MEMBER_ERRORS, KeyError) as error:  # the zip changed since it was walked
            return Rejected(self.name, f"not a readable zip ({error})")
        return _read_member(archive, info, self.name, self.limit)


def iter_sources(paths: list[Path]) -> Iterator[Source | Skipped | Rejected]:
    """Every document under the given paths, in a stable order, not read yet; unreadable zips as Rejected."""
    limit = max_document_size()
    for path in paths:
        if path.is_dir():
            for child in _files(path):
                yield from _sources(child, limit, explicit=False)
        elif path.is_file():
            yield from _sources(path, limit, explicit=True)
        else:
            raise InputError(f"no such file or folder: {path}")


def public_name(name: str) -> str:
    """A document's name without the folders above its file (`dump.zip!json/QANR….json`, `QANR….json`).

    What the graph records of where a question comes from: the local folders are the user's own.
    """
    file, bang, member = name.partition("!")
    return PurePosixPath(file.replace("\\", "/")).name + bang + member


def max_document_size() -> int:
    """The largest document read, in bytes: KG_MAX_DOCUMENT_MB, else DEFAULT_MAX_DOCUMENT_MB."""
    setting = os.environ.get("KG_MAX_DOCUMENT_MB", "").strip()
    if not setting:
        return DEFAULT_MAX_DOCUMENT_MB * 2**20
    try:
        megabytes = float(setting)
    except ValueError:
        megabytes = -1
    if not megabytes > 0:
        raise InputError(f"KG_MAX_DOCUMENT_MB must be a positive number of MB, not {setting!r}")
    return int(megabytes * 2**20)


def _files(folder: Path) -> list[Path]:
    """The files under a folder, in the order of their paths, as `sorted(folder.rglob("*"))` gives them.

    Linked folders are not walked into, as with `rglob`; `os.scandir` tells files from folders
    without a `stat` of each, a tenth of `rglob`'s time.
    """
    found: list[tuple[str, ...]] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        with os.scandir(folder.joinpath(*parts)) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((*parts, entry.name))
                elif entry.is_file():
                    found.append((*parts, entry.name))
    return [folder.joinpath(*parts) for parts in sorted(found)]


def _sources(path: Path, limit: int, *, explicit: bool) -> Iterator[Source | Skipped | Rejected]:
    suffix = path.suffix.lower()
    if not explicit and suffix not in DATA_SUFFIXES:
        yield Skipped(str(path))
    elif suffix == ".zip" or (explicit and _is_zip(path)):
        yield from _zip_sources(path, limit)
    else:
        yield Source(str(path), str(path), None, limit)


def _is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False  # read as a plain file, which says why it cannot be


def _read_plain(path: Path, limit: int) -> Document | Rejected:
    try:
        size = path.stat().st_size
        if size > limit:
            return Rejected(str(path), _too_large(size, limit))
        with path.open("rb") as file:
            data = file.read(limit + 1)  # it may have grown since
    except OSError as error:
        return Rejected(str(path), f"cannot read the file: {error.strerror or error}")
    if len(data) > limit:
        return Rejected(str(path), _too_large(len(data), limit))
    return Document(str(path), data)


def _zip_sources(path: Path, limit: int) -> Iterator[Source | Skipped | Rejected]:
    try:
        archive = _archive(str(path))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        yield Rejected(str(path), f"not a readable zip ({error})")
        return
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = f"{path}!{info.filename}"
        if unsafe := _unsafe_path(info.filename):
            yield Rejected(name, unsafe)
        elif PurePosixPath(info.filename).suffix.lower() not in DATA_SUFFIXES - {".zip"}:
            yield Skipped(name)
        else:
            yield Source(name, str(path), info.filename, limit)


def _archive(path: str) -> zipfile.ZipFile:
    """A zip, opened once for all the reads of its members (opening reads its whole directory)."""
    stat = os.stat(path)
    return _opened_zip(path, stat.st_ino, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _opened_zip(path: str, *version: int) -> zipfile.ZipFile:
    """A zip opened; `version` opens it anew once the file is replaced or rewritten."""
    return zipfile.ZipFile(path)


# A forked worker opens the zips anew: a file it inherits shares its offset with the parent's.
os.register_at_fork(after_in_child=_opened_zip.cache_clear)


def _unsafe_path(filename: str) -> str | None:
    """Why a member's path would land outside a folder it were extracted to (zip slip), if it would."""
    path = filename.replace("\\", "/")
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return "unsafe path in the zip (absolute): member rejected, never extracted"
    if ".." in path.split("/"):
        return "unsafe path in the zip (climbs out with '..'): member rejected, never extracted"
    return None


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int
) -> Document | Rejected:
    """A zip member's bytes, unless it declares or inflates to more than `limit`."""
    if info.file_size > limit:
        return Rejected(name, _too_large(info.file_size, limit, "declares"))
    if info.file_size > _BOMB_FLOOR and info.file_size > _BOMB_RATIO * info.compress_size:
        ratio = info.file_size // max(info.compress_size, 1)
        return Rejected(name, f"inflates {ratio} times its compressed size: a zip bomb, not read")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)  # a member may inflate beyond the size it declares
    except _MEMBER_ERRORS as error:
        return Rejected(name, f"unreadable zip member ({error})")
    if len(data) > limit:
        return Rejected(name, _too_large(None, limit, "inflates"))
    return Document(name, data)


def _too_large(size: int | None, limit: int, verb: str = "weighs") -> str:
    """The reason of a document over the limit: its size if known, the limit and how to raise it."""
    amount = "beyond it" if size is None else _size(size)
    return f"too large: {verb} {amount}, over the limit of {_size(limit)} (KG_MAX_DOCUMENT_MB sets it)"


def _size(size: int) -> str:
    if size < 2**20:
        return f"{size / 2**10:.0f} kB"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"
