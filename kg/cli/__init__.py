"""The `kg` command line: options, formatting and exit codes only."""

from . import convert, query, store
from .base import main

__all__ = ["convert", "main", "query", "store"]
