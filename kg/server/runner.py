"""Users' SPARQL queries run in worker processes, so that one past its time limit can be stopped.

pyoxigraph cannot interrupt a query, and a thread cannot be killed: a query that runs too long
has its process killed and replaced. Each worker opens the store read-only; the workers bound
how many queries run at once, and the others wait their turn.
"""

from __future__ import annotations

import multiprocessing
import queue
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from .answers import Answer, Refusal, answer

__all__ = ["Limits", "QueryRunner"]


@dataclass(frozen=True)
class Limits:
    """What one query may take."""

    timeout: float = 60.0  # seconds of running
    max_bytes: int = 64 * 2**20  # bytes of its serialised answer
    wait: float = 60.0  # seconds waiting for a free worker


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection

    @classmethod
    def start(cls, store: Path) -> _Worker:
        mine, theirs = multiprocessing.Pipe()
        # Spawned: a fork of the web server would copy its threads' locks and its event loop.
        spawn = multiprocessing.get_context("spawn")
        process = spawn.Process(target=_serve, args=(store, theirs), daemon=True)
        process.start()
        theirs.close()
        return cls(process, mine)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryRunner:
    """A pool of query workers over one store."""

    def __init__(self, store: Path, workers: int, limits: Limits) -> None:
        self.store, self.limits = store, limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(workers):
            self._idle.put(_Worker.start(store))

    def run(self, text: str, params: dict[str, list[str]], accept: str) -> Answer | Refusal:
        """The query's answer, or why there is none; blocks until a worker is free (in a thread)."""
        try:
            worker = self._idle.get(timeout=self.limits.wait)
        except queue.Empty:
            return Refusal(503, f"the server is busy: no query could start within {self.limits.wait:g} s")
        try:
            worker.connection.send((text, params, accept, self.limits.max_bytes))
            if worker.connection.poll(self.limits.timeout):
                return worker.connection.recv()
            worker = self._replace(worker)
            return Refusal(503, f"the query ran longer than the server's limit of {self.limits.timeout:g} s")
        except (EOFError, OSError):  # the worker died: out of memory, killed
            worker = self._replace(worker)
            return Refusal(500, "the query's process died (out of memory?)")
        finally:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        return _Worker.start(self.store)

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().stop()


def _serve(store: Path, connection: Connection) -> None:
    """A worker: answers the queries it is sent, one at a time, until its pipe closes."""
    from ..errors import StoreChanging
    from ..store import EmbeddedStore

    reader = EmbeddedStore(store, read_only=True)
    while True:
        try:
            request = connection.recv()  # text, params, accept, max_bytes
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply = reader.read(lambda db, request=request: answer(db, *request))
        except StoreChanging as error:
            reply = Refusal(503, str(error))
        connection.send(reply)
