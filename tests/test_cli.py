"""The `kg` command line: output, summaries, exit codes, errors without tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA
from rdflib import Dataset, Graph

from kg.cli import main
from kg.vocab import QKG, RDF

QUESTIONS = DATA / "an" / "questions" / "qg" / "l16"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["convert"], ["validate"]])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command:
        assert "Example:" in result.output and f"kg {command[0]}" in result.output


def test_convert_writes_turtle_to_stdout_and_summary_to_stderr(runner: CliRunner) -> None:
    result = runner.invoke(main, ["convert", str(QUESTIONS)])
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 0
    assert "questions: 12 (QG 12)" in result.stderr
    assert "rejected 0" in result.stderr


def test_convert_to_a_file_in_another_format(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    result = runner.invoke(main, ["convert", str(QUESTIONS), "-o", str(out), "-f", "nt", "-q"])
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""
    assert len(Graph().parse(out, format="nt")) > 0


@pytest.mark.parametrize(
    ("name", "syntax"),
    [("graph.nt", "nt"), ("graph.nq", "nquads"), ("graph.jsonld", "json-ld"), ("graph.owl", "turtle")],
)
def test_the_output_suffix_names_the_syntax(
    runner: CliRunner, tmp_path: Path, name: str, syntax: str
) -> None:
    """Without -f, `-o graph.nt` writes N-Triples, not Turtle in a file so named."""
    out = tmp_path / name
    assert runner.invoke(main, ["convert", str(QUESTIONS), "-o", str(out), "-q"]).exit_code == 0
    graph = Graph().parse(out, format=syntax) if syntax != "nquads" else Dataset().parse(out, format=syntax)
    assert len(graph) > 0


def test_one_broken_file_among_good_ones(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(QUESTIONS, folder)
    good = len(list(folder.glob("*.json")))
    (folder / "QANR5L16QG9999.json").write_text('{"question": {"uid": "QANR5L16QG9999", ', encoding="utf-8")
    result = runner.invoke(main, ["convert", str(folder), "-f", "nt"])
    assert result.exit_code == 3  # partial
    assert f"questions: {good} (QG {good})" in result.stderr
    assert f"records read: {good + 1} = converted {good} + rejected 1" in result.stderr
    assert "QANR5L16QG9999.json: invalid JSON" in result.stderr
    assert "Traceback" not in result.output


def test_missing_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["convert", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_validate_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    amo = [str(DATA / "an" / "acteurs"), str(DATA / "an" / "organes")]
    assert runner.invoke(main, ["convert", str(QUESTIONS), *amo, "-o", str(good)]).exit_code == 0
    result = runner.invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.stdout
    assert "conforms" in result.stderr

    uid = sorted(QUESTIONS.glob("*.json"))[0].stem
    bad = tmp_path / "bad.ttl"
    wrong_number = f'<https://w3id.org/questions-kg/id/question/{uid}> <{QKG.number}> "douze" .'
    bad.write_text(good.read_text(encoding="utf-8") + "\n" + wrong_number + "\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert uid in result.stdout and "does not conform" in result.stderr

    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_validate_loads_rdf_in_batches(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RDF files are bulk-loaded in batches of quads: the verdict of a whole load, a blank node kept
    whole across batches but apart from another file's of the same label, syntax errors placed in
    the whole file."""
    amo = [str(DATA / "an" / "acteurs"), str(DATA / "an" / "organes")]
    graph = tmp_path / "graph.nt"
    assert runner.invoke(main, ["convert", str(QUESTIONS), *amo, "-o", str(graph)]).exit_code == 0
    lines = graph.read_text(encoding="utf-8").splitlines()
    question = next(line.split()[0] for line in lines if line.endswith(f"<{QKG}Question> ."))
    ministry = next(line.split()[0] for line in lines if line.endswith(f"<{QKG}Ministry> ."))
    # An attribution as a blank node: pointed to on the first line, described on the last ones.
    pointer = f"{question} <{QKG}attribution> _:a ."
    described = [f"_:a <{RDF.type}> <{QKG}Attribution> .", f"_:a <{QKG}ministry> {ministry} ."]
    graph.write_text("\n".join([pointer, *lines, *described]) + "\n", encoding="utf-8")
    whole = runner.invoke(main, ["validate", str(graph)])
    assert whole.exit_code == 0, whole.stdout
    monkeypatch.setattr("kg.cli.convert._IN_MEMORY", 0)
    monkeypatch.setattr("kg.cli.convert._BATCH", 50)
    batched = runner.invoke(main, ["validate", str(graph)])
    assert (batched.exit_code, batched.stderr) == (whole.exit_code, whole.stderr)

    # The same lines in two files: the description is of another blank node.
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    first.write_text("\n".join([pointer, *lines]) + "\n", encoding="utf-8")
    second.write_text("\n".join(described) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(first), str(second)])
    assert result.exit_code == 1 and "ClassConstraintComponent" in result.stdout

    lines[len(lines) // 2] = "<https://example.org/a> <https://example.org/b> oops ."
    graph.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(graph)])
    assert result.exit_code == 2
    assert f"line {len(lines) // 2 + 1} " in result.stderr and "Traceback" not in result.output


def test_validate_converts_question_files_first(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(QUESTIONS), "-f", "turtle"])
    assert result.exit_code == 0
    assert "ValidationReport" in result.stdout


def test_strict_fails_on_warnings(runner: CliRunner) -> None:
    # Without the AMO files the authors have no names: warnings, not violations.
    assert runner.invoke(main, ["validate", str(QUESTIONS)]).exit_code == 0
    result = runner.invoke(main, ["validate", str(QUESTIONS), "--strict"])
    assert result.exit_code == 1
    assert "No acteur record was given" in result.stdout
