"""Converted questions on disk, so that memory does not grow with the number of questions.

Each process appends the questions it converts to a file of its own (`SpoolWriter`) and hands the
parent only where each one is (`Spooled`): the graphs' bytes never go through a pipe, nor through
the parent until they are written out. The parent keeps the newest version of each uid (`Spool`)
and reads those back in uid order.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .question_graphs import QuestionGraph, Version

__all__ = ["Spool", "SpoolWriter", "Spooled"]


@dataclass(frozen=True)
class Spooled:
    """Where one converted question is: its file in the spool's folder and its span there."""

    uid: str
    version: Version
    file: str
    offset: int
    size: int


class SpoolWriter:
    """The file a process appends its converted questions to."""

    def __init__(self, folder: Path) -> None:
        handle, path = tempfile.mkstemp(suffix=".spool", dir=folder)
        self.folder, self.name = folder, Path(path).name
        self.file = open(handle, "wb")  # noqa: SIM115 - open as long as the process converts
        self.offset = 0

    def put(self, graph: QuestionGraph) -> Spooled:
        data = pickle.dumps((graph.own, graph.shared, graph.tally), pickle.HIGHEST_PROTOCOL)
        self.file.write(data)
        spooled = Spooled(graph.uid, graph.version, self.name, self.offset, len(data))
        self.offset += len(data)
        return spooled

    def flush(self) -> None:
        """Make what was put readable by other processes (a worker may end without closing its file)."""
        self.file.flush()


class Spool:
    """The newest version of each converted question, by uid, read back from the spool's files.

    Its `writer` takes the questions converted in this process; workers open their own in `folder`.
    Each file is opened for reading the first time one of its questions is added, and its name is
    removed then: a conversion killed midway leaves no gigabytes behind.
    """

    def __init__(self, folder: Path) -> None:
        self.folder, self.writer = folder, SpoolWriter(folder)
        self.index: dict[str, Spooled] = {}
        self.files: dict[str, IO[bytes]] = {}
        self.superseded = 0

    def add(self, spooled: Spooled) -> None:
        if spooled.file not in self.files:
            path = self.folder / spooled.file
            self.files[spooled.file] = path.open("rb")
            path.unlink()
        known = self.index.get(spooled.uid)
        if known is not None:
            self.superseded += 1
            if known.version >= spooled.version:
                return
        self.index[spooled.uid] = spooled

    def newest(self) -> Iterator[tuple[str, Version, bytes, list[tuple[str, str, str, bytes]], tuple]]:
        """The kept version of each question, with its key, in uid order."""
        self.writer.file.close()
        try:
            for uid in sorted(self.index):
                spooled = self.index.pop(uid)
                file = self.files[spooled.file]
                file.seek(spooled.offset)
                yield (uid, spooled.version, *pickle.loads(file.read(spooled.size)))
        finally:
            for file in self.files.values():
                file.close()
