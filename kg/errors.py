"""Exceptions of questions-kg: one base class, subclasses that only say what failed."""

from __future__ import annotations

__all__ = ["InputError", "KGError", "RecordError", "StoreChanging", "ValidationRunError"]


class KGError(Exception):
    """Base class of every error raised by questions-kg."""


class InputError(KGError):
    """A path given by the user cannot be read."""


class RecordError(KGError):
    """One source record is broken; the others still convert."""


class StoreChanging(KGError):
    """A database file stayed missing across a reader's tries: a load beside it, or a damaged store."""


class ValidationRunError(KGError):
    """SHACL validation could not run (bad shapes, unreadable data)."""
