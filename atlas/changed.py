"""Which files a change touched (from git) and which problems concern them, for `check --changed`."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterable

from .problems import Problem

DEFAULT_BASES = ("origin/main", "main")


class ChangedFilesError(Exception):
    """git could not say which files changed (no git, not a repository, unknown base)."""


def problems_in(problems: Iterable[Problem], changed: Iterable[str]) -> list[Problem]:
    """The problems whose file is one of the changed paths (or a folder holding one of them)."""
    paths = frozenset(changed)
    folders = frozenset(parent for path in paths for parent in _parents(path))
    return [p for p in problems if p.path in paths or p.path in folders]


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise ChangedFilesError("--changed needs git, which is not installed (or not on PATH)") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangedFilesError(f"git could not run: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise ChangedFilesError(f"git {' '.join(args[:2])} failed: {detail}")
    return result.stdout


def _exists(root: Path, ref: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    except ChangedFilesError:
        return False
    return True


def default_base(root: Path) -> str:
    """origin/main if the repository has it, else main."""
    for ref in DEFAULT_BASES:
        if _exists(root, ref):
            return ref
    raise ChangedFilesError(f"no base to compare with: neither {' nor '.join(DEFAULT_BASES)} exists; "
                            "name one with --changed BASE (a branch, tag or commit)")


def _lines(text: str) -> set[str]:
    # -z output: NUL-separated, so names with spaces or newlines arrive intact.
    return {name for name in text.split("\0") if name}


def changed_files(root: Path, base: str | None) -> tuple[str, frozenset[str]]:
    """The base used and the files (relative to root) changed since it: commits, staged, unstaged, untracked."""
    if not root.is_dir():
        raise ChangedFilesError(f"{root} is not a folder")
    inside = _git(root, "rev-parse", "--is-inside-work-tree").strip()
    if inside != "true":
        raise ChangedFilesError(f"{root} is not inside a git working tree")
    base = base or default_base(root)
    if not _exists(root, base):
        raise ChangedFilesError(f"unknown base '{base}': fetch it first (git fetch origin) or name another with --changed BASE")
    # --relative: paths relative to root (and only under it), as the problems name them.
    committed = _git(root, "diff", "--name-only", "-z", "--relative", "--no-renames", f"{base}...HEAD")
    uncommitted = _git(root, "diff", "--name-only", "-z", "--relative", "--no-renames", "HEAD")
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
    return base, frozenset(_lines(committed) | _lines(uncommitted) | _lines(untracked))
