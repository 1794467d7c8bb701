"""The `kg` command line: options, formatting and exit codes only."""

from . import convert, entities, fetch, link, query, report, serve, store
from .base import main

__all__ = ["convert", "entities", "fetch", "link", "main", "query", "report", "serve", "store"]
