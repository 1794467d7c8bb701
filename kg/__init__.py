"""questions-kg: French parliamentary questions as a knowledge graph."""

from __future__ import annotations

from .convert import Conversion, Summary, convert
from .errors import InputError, KGError, RecordError, ValidationRunError
from .validate import Report, validate_graph

__all__ = [
    "Conversion",
    "InputError",
    "KGError",
    "RecordError",
    "Report",
    "Summary",
    "ValidationRunError",
    "convert",
    "validate_graph",
]
__version__ = "0.1.0"
