"""The Markdown job summary of a check for GitHub Actions ($GITHUB_STEP_SUMMARY), safe for contributor text."""
from __future__ import annotations

from typing import Iterable

from .output import PAGES_LIMIT, megabytes
from .problems import Problem, sorted_problems

MAX_ROWS = 1000  # GitHub caps a step summary at 1 MiB; the annotations and the log still carry every problem
# Characters that could start Markdown or HTML structure (a table cell break, a tag, a link, emphasis, a mention),
# written as numeric character references: GitHub shows them as the character and never parses them as syntax.
_SPECIAL = set("&<>\"'|\\`*_[](){}#!~=+-:@$^")


def cell(text: str) -> str:
    """Contributor text as the content of one Markdown table cell: one line, no markup, no HTML."""
    out = []
    for ch in text:
        if ch in "\r\n\t" or not ch.isprintable():
            out.append(" ")
        elif ch in _SPECIAL:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out).strip() or " "


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def markdown_summary(problems: Iterable[Problem], checked: int, scope: str | None = None, hidden: int = 0) -> str:
    """A heading, the counts and a table of every problem (the first MAX_ROWS of them)."""
    shown = sorted_problems(problems)
    errors = sum(1 for p in shown if p.is_error)
    warnings = len(shown) - errors
    where = f" in the files changed against {cell(scope)}" if scope else ""
    lines = ["## Governance Atlas check", "",
             f"{'❌' if errors else '✅'} **{_count(errors, 'error')}, {_count(warnings, 'warning')}**{where} "
             f"({_count(checked, 'file')} checked)."]
    if hidden:
        lines[-1] += f" {_count(hidden, 'problem')} in other files not shown."
    if shown:
        lines += ["", "| Severity | File | Line | Code | Message |", "| --- | --- | ---: | --- | --- |"]
        for p in shown[:MAX_ROWS]:
            lines.append(f"| {cell(p.severity)} | {cell(p.path)} | {p.line}&#58;{p.col} | {cell(p.code)} | {cell(p.message)} |")
        if len(shown) > MAX_ROWS:
            lines += ["", f"… and {_count(len(shown) - MAX_ROWS, 'more problem')}: see the job log."]
    return "\n".join(lines) + "\n\n"


def size_summary(files: int, size: int) -> str:
    """The built site's size (search index included) beside what GitHub Pages publishes, for the deploy job."""
    share = f"{100 * size / PAGES_LIMIT:.0f} %" if size >= PAGES_LIMIT / 100 else "under 1 %"
    return (f"**Site**: {files:,} files, {megabytes(size)}: {share} of the {megabytes(PAGES_LIMIT)} "
            f"GitHub Pages publishes.\n\n")
