"""Problems found in the knowledge base: one value per problem, formatted for terminals and GitHub."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) at a place in a file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        """True when the problem fails the build."""
        return self.severity == "error"


def error(path: str, at: tuple[int, int], code: str, message: str) -> Problem:
    """Build an error problem at (line, col)."""
    return Problem(path, at[0], at[1], code, message)


def warning(path: str, at: tuple[int, int], code: str, message: str) -> Problem:
    """Build a warning problem at (line, col)."""
    return Problem(path, at[0], at[1], code, message, "warning")


def _printable(text: str) -> str:
    """Make contributor text safe to print on one terminal line."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def format_text(problem: Problem) -> str:
    """Format as `path:line:col: error[code]: message`."""
    return (f"{_printable(problem.path)}:{problem.line}:{problem.col}: "
            f"{problem.severity}[{problem.code}]: {_printable(problem.message)}")


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: a message can never end the command or start another.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """Format as a GitHub Actions annotation (`::error file=…,line=…,col=…::message`)."""
    kind = "error" if problem.is_error else "warning"
    props = (f"file={_escape_property(problem.path)},line={problem.line},col={problem.col},"
             f"title={_escape_property(problem.severity + '[' + problem.code + ']')}")
    return f"::{kind} {props}::{_escape_data(_printable(problem.message))}"


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in a stable order: by file, line, column, code."""
    return sorted(set(problems))


def has_errors(problems: Iterable[Problem]) -> bool:
    """True if any problem is an error."""
    return any(p.is_error for p in problems)
