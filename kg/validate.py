"""SHACL validation with pyshacl against the shipped shapes; returns a typed report, never prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyshacl
from rdflib import Graph, Namespace

from .errors import ValidationRunError
from .resources import resource_files

__all__ = ["Report", "load_shapes", "validate_graph"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: counts by severity, the report graph and its text."""

    severities: Counter[str]
    graph: Graph
    text: str

    @property
    def violations(self) -> int:
        return self.severities["Violation"]

    def conforms(self, *, strict: bool = False) -> bool:
        """No violation; with `strict`, no warning either."""
        return self.violations == 0 and (not strict or self.severities["Warning"] == 0)


def load_shapes() -> Graph:
    """All shapes of shapes/*.ttl in one graph."""
    shapes = Graph()
    try:
        for path in resource_files("shapes", ".ttl"):
            shapes.parse(data=path.read_text(encoding="utf-8"), format="turtle")
    except Exception as error:  # rdflib raises many parser exception types
        raise ValidationRunError(f"cannot read the shapes: {error}") from error
    return shapes


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate a data graph against the shapes (all of them unless given)."""
    try:
        _, report_graph, text = pyshacl.validate(
            data, shacl_graph=shapes if shapes is not None else load_shapes(), inference="none", advanced=True
        )
    except Exception as error:  # pyshacl's own errors and its dependencies'
        raise ValidationRunError(f"validation failed to run: {error}") from error
    severities = Counter(
        str(severity).rsplit("#", 1)[-1] for severity in report_graph.objects(None, SH.resultSeverity)
    )
    return Report(severities, report_graph, str(text))
