"""A real `kg serve` process on a free local port, for the tests that talk to it over HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

KG = [sys.executable, "-m", "kg"]


@dataclass
class Server:
    url: str  # without the final slash
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def load_store(paths: list[Path], store: Path, *extra: str) -> None:
    """`kg load` of the paths into a store folder, as a user runs it."""
    subprocess.run([*KG, "load", "-q", *map(str, paths), "--store", str(store), *extra], check=True)


def start_server(store: Path, *extra: str) -> Server:
    """`kg serve` on the store, once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [*KG, "serve", "--store", str(store), "--port", str(port), *extra]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kg serve ended: {process.stderr.read().decode()}")
        try:
            httpx.get(url + "/sparql?query=ASK%7B%7D", timeout=5)
            return Server(url, process)
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("kg serve did not answer within 60 s")
