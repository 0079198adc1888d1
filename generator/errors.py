"""Problems found in plan files, and the one exception family plangen raises.

Every problem carries the file, line and column it is about, so a manager can
jump straight to it; the CLI prints these exceptions without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import click

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as ``file:line:column: field: message``."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class PlangenError(click.ClickException):
    """Root of plangen's errors: shown as a message, exit code 1."""

    exit_code = 1


class InvalidFile(PlangenError):
    """A file that must be valid before anything can run, such as the settings file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
