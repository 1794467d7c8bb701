"""Find the ontology/, shapes/ and queries/ folders, installed or in a checkout."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["resource_dir", "resource_files"]

_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Traversable:
    """The packaged folder (wheel install), else the checkout's (editable install)."""
    packaged = files("kg") / name
    return packaged if packaged.is_dir() else _CHECKOUT / name


def resource_files(name: str, suffix: str) -> list[Traversable]:
    """The files of a resource folder with that suffix, sorted by name."""
    return sorted((f for f in resource_dir(name).iterdir() if f.name.endswith(suffix)), key=lambda f: f.name)
