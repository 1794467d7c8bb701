"""Reads of a store that a `kg load` may be writing meanwhile (`kg query`, `kg serve`).

pyoxigraph opens a database read-only from the files its manifest lists at that moment, and the
writer is not told: its compactions delete files that the reader may not have opened yet, and
the open or the read that meets one fails ("No such file or directory", at times reported as a
corruption). Nothing is lost: the database opened again lists the files that replaced them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TypeVar

from .errors import StoreChanging

__all__ = ["TRIES", "beside_a_load", "vanished"]

T = TypeVar("T")
# A read and its reopened retries; 5 tries wait 0.75 s in all, for a compaction to end.
TRIES = 5
_DATABASE_FILE = re.compile(r"\b(\d+\.(sst|log|blob)|MANIFEST-\d+)\b")


def vanished(error: BaseException) -> bool:
    """Whether a read-only database failed on one of its files that a writer has deleted since."""
    text = str(error)
    return (
        isinstance(error, OSError | RuntimeError)
        and "No such file or directory" in text
        and _DATABASE_FILE.search(text) is not None
    )


def beside_a_load(read: Callable[[], T], reopen: Callable[[], object] = lambda: None) -> T:
    """`read()`; when it meets a file that a writer deleted, `reopen()` the database and read again."""
    for attempt in range(TRIES):
        try:
            if attempt:
                reopen()
            return read()
        except (OSError, RuntimeError) as error:
            if not vanished(error):
                raise
            failure = error
            if attempt < TRIES - 1:
                time.sleep(0.05 * 2**attempt)
    raise StoreChanging(
        f"a file of the store's database was missing at {TRIES} reads in a row: a load writing the "
        f"store deletes files (run it again, or once the load ends), or the database lost it ({failure})"
    )
