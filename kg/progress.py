"""Progress reporting for the long library calls: they count, the caller decides how to show it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

__all__ = ["Progress", "progress_bar"]

# A maker of progress bars, which the command line passes in: called with `total=`, `desc=` (what is
# being done) and `unit=` (what is counted), it returns a context manager whose `update(n)` advances
# the bar by n: tqdm fits. The library counts; drawing, and whether to draw, is the caller's business.
Progress = Callable[..., AbstractContextManager[Any]]


def progress_bar(progress: Progress | None, **options: object) -> AbstractContextManager[Any]:
    """The bar that `progress` makes with these options, or one that shows nothing."""
    return progress(**options) if progress is not None else nullcontext(_NoBar())


class _NoBar:
    def update(self, n: int = 1) -> None:
        """Nothing is shown."""
