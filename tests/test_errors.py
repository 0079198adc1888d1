"""How problems print, and the exception that carries several."""

from __future__ import annotations

from plangen.errors import InvalidFile, PlangenError, Problem


def test_problem_prints_file_line_column_field_message() -> None:
    problem = Problem("plans/2027/west.yml", 14, 5, "goals[2].target", 'expected a number, got "多"')
    assert str(problem) == 'plans/2027/west.yml:14:5: goals[2].target: expected a number, got "多"'
    assert str(Problem("a.yml", 1, 1, "", "the file is empty")) == "a.yml:1:1: the file is empty"


def test_invalid_file_shows_every_problem_and_exits_1() -> None:
    error = InvalidFile([Problem("s.yml", 1, 1, "a", "x"), Problem("s.yml", 2, 1, "b", "y")])
    assert isinstance(error, PlangenError)
    assert (error.message, error.exit_code) == ("s.yml:1:1: a: x\ns.yml:2:1: b: y", 1)
