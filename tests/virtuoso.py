"""A real, throw-away Virtuoso server for the tests.

``start_virtuoso(folder)`` writes a minimal ``virtuoso.ini`` whose database, logs and HTTP root all live
in ``folder``, starts Debian's ``virtuoso-t`` (package virtuoso-opensource) on two free ports bound to
127.0.0.1, waits until its SPARQL endpoint answers (about 3-4 s on a fresh database) and returns a
:class:`Virtuoso` with the endpoint URLs and credentials. Nothing is written outside ``folder``;
``Virtuoso.stop()`` shuts the server down.

The endpoints, all standard Virtuoso paths:

- ``sparql``: ``/sparql``, anonymous, queries only (an update there is refused with SR186);
- ``update``: ``/sparql-auth``, queries and SPARQL 1.1 Update, HTTP *digest* authentication;
- ``gsp``: ``/sparql-graph-crud-auth``, the SPARQL 1.1 Graph Store HTTP Protocol, HTTP digest
  authentication; ``?graph-uri=`` or ``?graph=`` names the graph.

dba may already write through both authenticated endpoints: no GRANT is needed. The ini lifts two of
Debian's caps that would otherwise bite: ``ResultSetMaxRows`` (10000 rows, truncated silently; only an
``X-SPARQL-MaxRows`` response header tells) and ``MaxSortedTopRows`` (ORDER BY with LIMIT + OFFSET
beyond 10000 rows fails with SR353).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ISQL", "SERVER", "Virtuoso", "start_virtuoso"]

SERVER = "virtuoso-t"
ISQL = "isql-vt"
USER = "dba"
PASSWORD = "dba"  # Virtuoso's default for a new database; fine for a throw-away one on 127.0.0.1.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0

INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
O_DIRECT             = 0
CaseMode             = 2
AllowOSCalls         = 0
DirsAllowed          = {folder}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty_buffers}
MaxQueryMem          = 1G
ThreadsPerQuery      = 4
; ORDER BY with LIMIT + OFFSET beyond this many rows is an error (SR353); Debian's default is 10000.
MaxSortedTopRows     = 1000000

[HTTPServer]
ServerPort                = 127.0.0.1:{http_port}
ServerRoot                = {folder}/www
MaxClientConnections      = 10
ServerThreads             = 10
EnabledDavVSP             = 0
HTTPProxyEnabled          = 0
HttpPrintWarningsInOutput = 0
Charset                   = UTF-8
EnabledGzipContent        = 0

[SPARQL]
; Debian's 10000 rows would truncate results silently, and its 60 s would abort slow queries.
ResultSetMaxRows           = 1000000
MaxConstructTriples        = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 600
"""


@dataclass
class Virtuoso:
    """A running throw-away Virtuoso server: its endpoints, credentials, ports and process."""

    sparql: str
    """Anonymous SPARQL query endpoint."""
    update: str
    """SPARQL query and update endpoint; HTTP digest authentication with ``user`` and ``password``."""
    gsp: str
    """Graph Store Protocol endpoint; HTTP digest authentication with ``user`` and ``password``."""
    user: str
    password: str
    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def log(self) -> Path:
        """Virtuoso's own log file."""
        return self.folder / "virtuoso.log"

    def isql(self, *statements: str, timeout: float = 60.0) -> str:
        """Run SQL statements as dba through ``isql-vt``: their output, or RuntimeError on an error."""
        script = "".join(f"{statement.rstrip().rstrip(';')};\n" for statement in statements)
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", self.user, self.password, "VERBOSE=OFF", "PROMPT=OFF"],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed with status {done.returncode}:\n{script}{output}")
        return output

    def stop(self) -> None:
        """Shut the server down cleanly (isql ``shutdown``); SIGTERM, then SIGKILL, if it hangs."""
        if self.process.poll() is not None:
            return
        # isql may lose its connection as the server exits; the waits below decide.
        with contextlib.suppress(OSError, RuntimeError, subprocess.TimeoutExpired):
            self.isql("shutdown", timeout=STOP_TIMEOUT)
        for escalate in (self.process.terminate, self.process.kill):
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                escalate()
        self.process.wait(timeout=STOP_TIMEOUT)


def start_virtuoso(folder: Path, attempts: int = 3, *, buffers: int = 10_000) -> Virtuoso:
    """Start a throw-away Virtuoso whose files all live in ``folder``; it answers once this returns.

    ``buffers`` is its page cache, 8 KB pages (Virtuoso advises 85,000 a GB of RAM for big loads).

    The free ports are picked before the server binds them; should another process take one in
    between, the server is started again on other ports, up to ``attempts`` times.
    """
    if shutil.which(SERVER) is None:
        raise FileNotFoundError(f"{SERVER} is not on PATH (Debian package virtuoso-opensource)")
    folder = folder.resolve()
    (folder / "www").mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        server = launch(folder, buffers)
        try:
            wait_until_ready(server)
            return server
        except RuntimeError:
            server.stop()
            if attempt == attempts or "Failed HTTP listen" not in log_tail(server):
                raise
            server.log.rename(folder / f"virtuoso.attempt-{attempt}.log")
        except BaseException:
            server.stop()
            raise
    raise AssertionError("unreachable")


def launch(folder: Path, buffers: int = 10_000) -> Virtuoso:
    """Write the ini with two free ports and start the server in the foreground, as our child."""
    sql_port = free_port()
    http_port = free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ports = {"sql_port": sql_port, "http_port": http_port}
    text = INI.format(folder=folder, buffers=buffers, dirty_buffers=buffers * 3 // 4, **ports)
    ini.write_text(text, encoding="utf-8")
    # +foreground keeps the server our child, so that stop() can always wait for it or kill it.
    with (folder / "virtuoso.stdout").open("wb") as output:
        process = subprocess.Popen(
            [SERVER, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    return Virtuoso(
        sparql=f"{base}/sparql",
        update=f"{base}/sparql-auth",
        gsp=f"{base}/sparql-graph-crud-auth",
        user=USER,
        password=PASSWORD,
        folder=folder,
        sql_port=sql_port,
        http_port=http_port,
        process=process,
    )


def wait_until_ready(server: Virtuoso, timeout: float = START_TIMEOUT) -> None:
    """Poll the SPARQL endpoint until it answers; RuntimeError with the end of the log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{SERVER} exited with status {server.process.returncode} while starting; "
                f"end of its log:\n{log_tail(server)}"
            )
        if answers(server.sparql):
            return
        time.sleep(0.25)
    raise RuntimeError(
        f"{SERVER} did not answer at {server.sparql} within {timeout:.0f} s; "
        f"end of its log:\n{log_tail(server)}"
    )


def answers(endpoint: str) -> bool:
    """Whether the SPARQL endpoint answers a trivial ASK query."""
    url = f"{endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(server: Virtuoso, lines: int = 40) -> str:
    """The last lines of the server's log (or of its console output, before the log exists)."""
    for path in (server.log, server.folder / "virtuoso.stdout"):
        if path.is_file() and path.stat().st_size:
            return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    return f"(nothing in {server.log})"
