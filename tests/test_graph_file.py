"""`GraphFile`: the named graphs of a store, copied as they are loaded, read back graph by graph."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from kg.graph_file import GraphFile

A, B = NamedNode("https://example.org/graph/a"), NamedNode("https://example.org/graph/b")
P = NamedNode("https://example.org/p")


def _quad(subject: str, value: str, graph: NamedNode | DefaultGraph) -> Quad:
    return Quad(NamedNode(f"https://example.org/{subject}"), P, Literal(value), graph)


def test_graphs_come_back_whole_from_their_pieces(tmp_path: Path) -> None:
    copies = GraphFile(tmp_path / "graphs.nq")
    first = [_quad("x", "1", A), _quad("y", "é\n\"2\"", B), _quad("z", "3", DefaultGraph())]
    blank = BlankNode("b1")
    second = [_quad("x", "4", A), Quad(blank, P, Literal("5", language="fr"), A)]
    copies.add(first)
    copies.add(iter(second))
    assert list(copies.quads(A)) == [first[0], *second]
    assert list(copies.quads(B)) == [first[1]]
    assert list(copies.quads(NamedNode("https://example.org/graph/none"))) == []
    copies.close()
