"""A real, throw-away Virtuoso server for the tests.

``start_virtuoso(folder)`` writes a minimal ``virtuoso.ini`` whose database, logs and HTTP root all live
in ``folder``, starts Debian's ``virtuoso-t`` on two free ports bound to 127.0.0.1, waits until its
SPARQL endpoint answers and returns a :class:`Virtuoso` with the endpoint URLs and credentials.
Nothing is written outside ``folder``; ``Virtuoso.stop()`` shuts the server down.

The endpoints (all standard Virtuoso paths):

- ``sparql``: ``/sparql``, anonymous, read-only queries;
- ``update``: ``/sparql-auth``, queries and SPARQL 1.1 Update with HTTP *digest* authentication;
- ``gsp``: ``/sparql-graph-crud-auth``, the SPARQL 1.1 Graph Store HTTP Protocol with digest
  authentication (``?graph-uri=`` or ``?graph=`` names the graph).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SERVER = "virtuoso-t"
ISQL = "isql-vt"
USER = "dba"
PASSWORD = "dba"  # Virtuoso's default for a new database; fine for a throw-away one.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort             = 127.0.0.1:{sql_port}
DisableUnixSocket      = 1
DisableTcpSocket       = 0
MaxClientConnections   = 10
CheckpointInterval     = 0
O_DIRECT               = 0
CaseMode               = 2
MaxStaticCursorRows    = 5000
AllowOSCalls           = 0
DirsAllowed            = ., {db}
NumberOfBuffers        = 10000
MaxDirtyBuffers        = 6000
MaxQueryMem            = 1G
ThreadsPerQuery        = 4
AsyncQueueMaxThreads   = 10
; ORDER BY with LIMIT/OFFSET beyond this many rows is an error (SR353); the default is 10000.
MaxSortedTopRows       = 1000000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {www}
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
; The defaults (10000 rows, 60 s) would silently truncate or abort the tests' queries.
ResultSetMaxRows           = 1000000
MaxConstructTriples        = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 600
"""

# What dba needs beyond its defaults so that /sparql-auth and /sparql-graph-crud-auth can write.
GRANTS = [
    "GRANT SPARQL_SELECT TO dba",
    "GRANT SPARQL_UPDATE TO dba",
    "GRANT SPARQL_SPONGE TO dba",
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('dba', 15)",
]


@dataclass
class Virtuoso:
    """A running throw-away Virtuoso server: its endpoints, credentials and process."""

    sparql: str
    """Anonymous SPARQL query endpoint."""
    update: str
    """SPARQL query and update endpoint, HTTP digest authentication with ``user``/``password``."""
    gsp: str
    """Graph Store Protocol endpoint, HTTP digest authentication with ``user``/``password``."""
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
        """Run SQL statements through ``isql-vt`` as dba; the output, or RuntimeError on an error."""
        script = "".join(f"{s.rstrip().rstrip(';')};\n" for s in statements)
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
            raise RuntimeError(f"isql failed ({done.returncode}):\n{script}\n{output}")
        return output

    def stop(self) -> None:
        """Shut the server down: ``shutdown`` through isql, then SIGTERM, then SIGKILL."""
        if self.process.poll() is not None:
            return
        try:
            self.isql("shutdown", timeout=STOP_TIMEOUT)
        except (RuntimeError, subprocess.TimeoutExpired):
            pass  # the connection drops while the server exits; the wait below decides.
        for escalate in (self.process.terminate, self.process.kill):
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                escalate()
        self.process.wait(timeout=STOP_TIMEOUT)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, or a note that it does not exist."""
    if not path.exists():
        return f"({path} does not exist)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def answers(url: str) -> bool:
    """Whether a trivial ASK query to the endpoint succeeds."""
    query = urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(
        f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_virtuoso(folder: Path) -> Virtuoso:
    """Start a throw-away Virtuoso with its files in ``folder``; ready once this returns."""
    if shutil.which(SERVER) is None:
        raise FileNotFoundError(f"{SERVER} is not on PATH (Debian package virtuoso-opensource)")
    folder = folder.resolve()
    www = folder / "www"
    www.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=folder, www=www, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    with (folder / "virtuoso.stdout").open("wb") as output:
        process = subprocess.Popen(
            [SERVER, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Virtuoso(
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
    try:
        wait_until_ready(server)
        server.isql(*GRANTS)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_ready(server: Virtuoso, timeout: float = START_TIMEOUT) -> None:
    """Poll the SPARQL endpoint until it answers; RuntimeError with the log tail if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{SERVER} exited with status {server.process.returncode} during start-up; "
                f"end of {server.log}:\n{log_tail(server.log)}"
            )
        if answers(server.sparql):
            return
        time.sleep(0.25)
    raise RuntimeError(
        f"{SERVER} did not answer at {server.sparql} within {timeout:.0f} s; "
        f"end of {server.log}:\n{log_tail(server.log)}"
    )
