"""Walk the user's paths: files, folders (recursive) and zip dumps -> named documents."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import InputError

__all__ = ["DATA_SUFFIXES", "Document", "Skipped", "iter_documents"]

# Inside folders and zips, other files (READMEs, manifests, images) are skipped, not rejected.
DATA_SUFFIXES = {".json", ".xml", ".txt", ".zip"}


@dataclass(frozen=True)
class Document:
    """The bytes of one file, named by its path (zip members as `dump.zip!member`)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Skipped:
    """A file inside a folder or zip that is not of a kind we read."""

    name: str


def iter_documents(paths: list[Path]) -> Iterator[Document | Skipped]:
    """Yield every document under the given paths, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from _read_file(child, explicit=False)
        elif path.is_file():
            yield from _read_file(path, explicit=True)
        else:
            raise InputError(f"no such file or folder: {path}")


def _read_file(path: Path, *, explicit: bool) -> Iterator[Document | Skipped]:
    suffix = path.suffix.lower()
    if not explicit and suffix not in DATA_SUFFIXES:
        yield Skipped(str(path))
    elif suffix == ".zip" or (explicit and zipfile.is_zipfile(path)):
        yield from _read_zip(path)
    else:
        yield Document(str(path), path.read_bytes())


def _read_zip(path: Path) -> Iterator[Document | Skipped]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise InputError(f"{path}: not a readable zip ({error})") from error
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            name = f"{path}!{info.filename}"
            if PurePosixPath(info.filename).suffix.lower() not in DATA_SUFFIXES - {".zip"}:
                yield Skipped(name)
            else:
                yield Document(name, archive.read(info))
