"""Write stage: rendered files -> the output folder, touching only what changed; then the search index."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return "not a relative path"
    if not path.isprintable():  # every page's path is checked: str methods, not a loop over characters
        return "control characters (a newline, a tab...) are not allowed in a path"
    for part in path.split("/"):
        if part.startswith((".", "_")):  # "." and ".." among them
            return f"the path part '{part}' is not allowed"
    return None


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:  # an interrupt or a full disk: the target keeps its old bytes, no temporary file stays
        temp.unlink(missing_ok=True)
        raise


def write_file(out: Path, path: str, data: bytes) -> None:
    """Replace one file of the output folder atomically (the preview's quick render, before its full build)."""
    reason = unsafe_output_path(path)
    if reason:
        raise ValueError(f"refusing to write {path!r}: {reason}")
    _write_atomic(out / path, data)


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size != len(data):
            return False
        with open(target, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _existing_files(out: Path, keep: tuple[str, ...]) -> Iterator[str]:
    """Every file in out but those under the kept folders, one at a time (a site has tens of thousands)."""
    for folder, dirs, files in os.walk(out):
        rel_folder = os.path.relpath(folder, out).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(d for d in dirs if not (prefix + d + "/").startswith(keep))
        yield from (prefix + f for f in files)


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


@dataclass(frozen=True)
class Written:
    """One file of the output folder as a build left it: enough to know it is still there, unchanged."""

    size: int
    mtime_ns: int
    inode: int
    digest: str  # of its bytes


@dataclass
class Manifest:
    """What the last successful build wrote into an output folder (kept in the cache between builds).

    With it a rebuild verifies the output by one stat per file instead of reading every file back.
    """

    inputs: str = ""  # digest of everything that build read: sources, templates, assets, options, generator
    stamp: str = ""  # digest of the stat of every input file when that build began (see load.stamp)
    files: dict[str, Written] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # its warnings, reported again when nothing changed
    pages: int = 0
    search: str | None = None  # digest of the HTML files the search index was built from, if it was
    folders: dict[str, int] = field(default_factory=dict)  # each folder's modification time: no file came or went

    def html_digest(self) -> str:
        """A digest of every HTML file's path and bytes: the search index is current while it holds."""
        h = hashlib.blake2b(digest_size=16)
        for path in sorted(p for p in self.files if p.endswith(".html")):
            h.update(f"{path}\0{self.files[path].digest}\n".encode("utf-8", "surrogatepass"))
        return h.hexdigest()


def stat_written(stat: os.stat_result, digest: str) -> Written:
    """The manifest entry of a file just written."""
    return Written(stat.st_size, stat.st_mtime_ns, stat.st_ino, digest)


def intact(out: Path, path: str, written: Written) -> bool:
    """True if the file is still the one the manifest describes (same size, time and inode)."""
    try:
        stat = os.lstat(os.path.join(out, path))
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (written.size, written.mtime_ns, written.inode)


def folder_times(out: Path, paths: Iterable[str]) -> dict[str, int]:
    """The modification time of the output folder and of every folder holding one of paths.

    A file (or folder) added to or removed from a folder changes the folder's time, so these times
    unchanged and every file intact mean the output folder holds exactly those files.
    """
    folders = {""} | {path.rsplit("/", 1)[0] for path in paths if "/" in path}
    for folder in list(folders):
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            folders.add(folder)
    times = {}
    for folder in folders:
        try:
            times[folder] = os.lstat(os.path.join(out, folder)).st_mtime_ns
        except OSError:
            pass
    return times


def all_intact(out: Path, manifest: Manifest) -> bool:
    """True if every file of the manifest is intact and the output folder holds no other file (by stat only)."""
    if not manifest.folders or not all(intact(out, path, written) for path, written in manifest.files.items()):
        return False
    return folder_times(out, manifest.files) == manifest.folders


def same_bytes(target: Path, data: bytes) -> bool:
    """True if the file at target holds exactly data."""
    return _same_bytes(target, data)


class Staging:
    """A folder beside the output folder where changed files wait until every page has rendered.

    Nothing in the output folder changes before the whole build succeeded; then each staged file is
    moved into place with one rename, atomically. Worker processes stage files side by side.
    """

    def __init__(self, out: Path) -> None:
        self.folder = out.parent / f".{out.name}.staging-{os.getpid()}"
        self._made: set[str] = set()  # folders made so far (by this process)

    def put(self, path: str, data: bytes) -> os.stat_result:
        """Stage the bytes of one output file; returns its stat (the rename into place keeps it)."""
        target = os.path.join(self.folder, path)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # as open() does: the umask decides
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view):]
            return os.fstat(fd)
        finally:
            os.close(fd)

    def discard(self) -> None:
        """Remove the staging folder and whatever is in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


def commit(out: Path, staging: Staging, staged: list[str], paths: set[str] | dict,
           keep: tuple[str, ...] = (SEARCH_DIR + "/",), previous: Manifest | None = None) -> WriteReport:
    """Make out hold exactly `paths` (plus the kept folders): move the staged files in, remove the rest.

    previous: the manifest of the last build into out, which spares walking the folder when it still holds
    exactly that build's files.
    """
    for path in staged:
        reason = unsafe_output_path(path)
        if reason:
            raise ValueError(f"refusing to write {path!r}: {reason}")
    out.mkdir(parents=True, exist_ok=True)
    # Stale files go first, so that a file may take the place of a folder of the old site and the reverse.
    removed = sorted(path for path in _files_in(out, keep, previous) if path not in paths)
    for path in removed:
        (out / path).unlink(missing_ok=True)
    exists: dict[str, bool] = {"": True}
    moved: set[str] = set()  # folders new to the output folder, moved in whole with every file staged in them
    for path in sorted(staged):
        parts = path.split("/")
        new_folder = next(("/".join(parts[:i]) for i in range(1, len(parts))
                           if not _exists(out, "/".join(parts[:i]), exists)), None)
        if new_folder is not None:
            if new_folder not in moved:
                os.replace(staging.folder / new_folder, out / new_folder)
                moved.add(new_folder)
            continue
        target = out / path
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(staging.folder / path, target)
    if removed:
        for folder, dirs, filenames in os.walk(out, topdown=False):
            if folder != str(out) and not dirs and not filenames and not os.listdir(folder):
                os.rmdir(folder)
    staging.discard()
    return WriteReport(tuple(sorted(staged)), len(paths) - len(staged), tuple(removed))


def _files_in(out: Path, keep: tuple[str, ...], previous: Manifest | None) -> Iterable[str]:
    """The files in out (but the kept folders'): the last build's, if no file was added or removed since.

    Adding or removing a file changes its folder's time, so folder times equal to those the last build
    recorded mean the folders hold the files it wrote: a few thousand stats instead of a walk of the site.
    """
    if previous is not None and previous.folders and folder_times(out, previous.files) == previous.folders:
        return previous.files
    return _existing_files(out, keep)


def _exists(out: Path, folder: str, known: dict[str, bool]) -> bool:
    if folder not in known:
        known[folder] = os.path.isdir(out / folder) and not os.path.islink(out / folder)
    return known[folder]


class SiteFiles(Mapping):
    """The files of a built site, read from the output folder when asked for: the site is not held in memory."""

    def __init__(self, out: Path, written: Mapping[str, Written]) -> None:
        self.out = out
        self._written = written  # the manifest's entries: each file's digest is known without reading it

    def digest(self, path: str) -> str:
        """The digest of a file's bytes (fingerprint.digest_bytes), as the build wrote it."""
        return self._written[path].digest

    def __getitem__(self, path: str) -> bytes:
        if path not in self._written:
            raise KeyError(path)
        return (self.out / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._written))

    def __len__(self) -> int:
        return len(self._written)

    def __contains__(self, path: object) -> bool:
        return path in self._written


PAGES_LIMIT = 1_000_000_000  # bytes: "Published GitHub Pages sites may be no larger than 1 GB" (GitHub's limits)
PAGES_WARN_SHARE = 0.9  # a site past this share of the limit is warned of while there is time to act


def site_size(out: Path, files: Mapping[str, Written]) -> int:
    """Bytes of a built site: its files (as the manifest knows them) and its search index."""
    return sum(written.size for written in files.values()) + _folder_bytes(out / SEARCH_DIR)


def _folder_bytes(folder: Path) -> int:
    # Not _existing_files: the preview indexes in a thread, so a file may go between listing and stat.
    total = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(parent, name)).st_size
            except OSError:
                pass
    return total


def size_problems(out: Path, size: int) -> list[Problem]:
    """A warning when the site nears or passes what GitHub Pages publishes (past it, a deployment may fail)."""
    limit = PAGES_LIMIT
    if size <= limit * PAGES_WARN_SHARE:
        return []
    state = "over" if size > limit else "near"
    return [Problem(out.name or str(out), 1, 1, "site-size",
                    f"the site is {megabytes(size)}, {state} the {megabytes(limit)} GitHub Pages publishes; "
                    f"see 'Site size' in README for what takes the space", "warning")]


def megabytes(size: int) -> str:
    """A size in (decimal) megabytes, as GitHub and du -b --si state them."""
    return f"{size / 1e6:,.0f} MB" if size >= 10e6 else f"{size / 1e6:.1f} MB"


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
