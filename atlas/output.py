"""Write stage: rendered files -> the output folder, touching only what changed; then the search index."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import search_bundle
from .problems import Problem

SEARCH_DIR = "pagefind"


@dataclass(frozen=True)
class WriteReport:
    """What a write did to the output folder."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]

    @property
    def html_changed(self) -> bool:
        """True if any page (not just a data file) was written or removed."""
        return any(p.endswith(".html") for p in self.written + self.removed)


def unsafe_output_path(path: str) -> str | None:
    """Why a planned output path is unsafe (escapes the folder, or would be dropped by GitHub Pages), or None."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or "\\" in path or "\x00" in path:
        return "not a relative path"
    for part in pure.parts:
        if part in ("..", ".") or part.startswith((".", "_")):
            return f"the path part '{part}' is not allowed"
    return None


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    with open(temp, "wb") as handle:
        handle.write(data)
    os.replace(temp, target)


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size != len(data):
            return False
        with open(target, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _existing_files(out: Path, keep: tuple[str, ...]) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(out):
        rel_folder = os.path.relpath(folder, out).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(d for d in dirs if not (prefix + d + "/").startswith(keep))
        found.extend(prefix + f for f in files)
    return found


def write_site(out: Path, files: dict[str, bytes], keep: tuple[str, ...] = (SEARCH_DIR + "/",)) -> WriteReport:
    """Make out hold exactly files (plus the kept folders), writing only files whose bytes changed."""
    for path in files:
        reason = unsafe_output_path(path)
        if reason:
            raise ValueError(f"refusing to write {path!r}: {reason}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    unchanged = 0
    for path in sorted(files):
        target = out / path
        if _same_bytes(target, files[path]):
            unchanged += 1
            continue
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        _write_atomic(target, files[path])
        written.append(path)
    removed = []
    for path in _existing_files(out, keep):
        if path not in files:
            (out / path).unlink()
            removed.append(path)
    for folder, dirs, filenames in os.walk(out, topdown=False):
        if folder != str(out) and not dirs and not filenames and not os.listdir(folder):
            os.rmdir(folder)
    return WriteReport(tuple(written), unchanged, tuple(sorted(removed)))


def run_pagefind(out: Path) -> list[Problem]:
    """Index the written HTML with Pagefind's command-line tool, then swap the new bundle in whole.

    Pagefind adds files to an existing bundle without removing stale ones, and a failed run must not
    damage the index being served, so it writes to a fresh folder beside the site that replaces the old one.
    """
    fresh = out.parent / f".{out.name}.{SEARCH_DIR}-new"
    stale = out.parent / f".{out.name}.{SEARCH_DIR}-old"
    for folder in (fresh, stale):
        shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--output-path", str(fresh), "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        return [Problem("site", 1, 1, "search-index", f"Pagefind could not run: {exc}")]
    if result.returncode != 0 or not fresh.is_dir():
        shutil.rmtree(fresh, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        return [Problem("site", 1, 1, "search-index", f"Pagefind failed: {detail[0]}")]
    try:
        search_bundle.canonicalise(fresh)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        return [Problem("site", 1, 1, "search-index", f"the Pagefind bundle has an unexpected layout: {exc}")]
    target = out / SEARCH_DIR
    if target.exists():
        target.rename(stale)
    fresh.rename(target)
    shutil.rmtree(stale, ignore_errors=True)
    return []
