"""The `kg` command line: options, formatting and exit codes only."""

from . import convert, docs, entities, fetch, link, query, report, serve, store
from .base import main

__all__ = ["convert", "docs", "entities", "fetch", "link", "main", "query", "report", "serve", "store"]
