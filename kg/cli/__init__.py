"""The `kg` command line: options, formatting and exit codes only."""

from . import convert, entities, link, query, store
from .base import main

__all__ = ["convert", "entities", "link", "main", "query", "store"]
