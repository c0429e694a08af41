"""Load stage: the files of a knowledge base -> raw records that remember the line of every key."""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from . import parallel
from .keypositions import KeyPositions
from .problems import Problem, error
from .textrules import plain_yaml
from .yamlsafe import parse_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_RECORD_BYTES = 512 * 1024
MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024
DATA_FILES = {"site.yaml": "site", "clause-types.yaml": "clause-types",
              "regulations.yaml": "regulations", "jurisdictions.yaml": "jurisdictions"}
# Names that would collide with the site's own URLs or break on some file systems.
RESERVED_IDS = frozenset({"snapshots", "index", "versions", "changes", "feed", "feeds", "api", "assets",
                          "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
ANALYSES_DIR = "analyses"
_BREAK = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"  # where str.splitlines breaks lines
# A line that is neither blank nor a comment: its first character that is not a space is not '#'.
_DATA_LINE = re.compile(f"(?:^|[{_BREAK}])[^\\S{_BREAK}]*[^\\s#]")


@dataclass(frozen=True)
class RawRecord:
    """One record file: its kind, identity, parsed data, key positions and Markdown body."""

    kind: str  # site | clause-types | regulations | jurisdictions | platform | document | provision | analysis | provision-analysis
    path: str  # POSIX path relative to the knowledge base root
    ids: tuple[str, ...]
    data: Any
    positions: Mapping[tuple, tuple[int, int]]  # KeyPositions, except in records made by hand (tests, scaffold)
    body: str | None
    digest: str
    body_line: int = 1  # the file's line number of the body's first line (after any front matter)
    plain_text: bool = False  # no text in data can hold a hidden character or a placeholder (textrules.plain_yaml)


@dataclass(frozen=True)
class SnapshotSource:
    """An archived text file as read from disk: where it is and the digests of its bytes.

    Its bytes are not kept: at full size the snapshots are tens of megabytes, which would stay in memory
    from the first stage to the last. The pages that publish a snapshot read it again (graph.snapshot_bytes).
    """

    file: str  # the file's path on disk
    size: int
    digest: str  # file_digest of its bytes
    sha256: str


@dataclass(frozen=True)
class LoadedTree:
    """Everything read from a knowledge base folder."""

    records: tuple[RawRecord, ...]
    snapshots: dict[str, SnapshotSource]
    paths: frozenset[str] = frozenset()  # every file found, parsed or not
    checks: dict[tuple[str, str, str], Any] = field(default_factory=dict)  # parse_tree's check of each record, by key


def decode_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is allowed), normalising line ends; report the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start]
        line = prefix.count(b"\n") + 1
        col = exc.start - (prefix.rfind(b"\n") + 1) + 1
        return None, [error(path, (line, col), "encoding", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})")]
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return None, [error(path, (line, 1), "encoding", "the file holds NUL bytes: it is binary, not text")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from a Markdown body; returns (yaml, body, line offset of the yaml)."""
    if not text.startswith("---\n"):
        return None, text, 0
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            return text[4:len(text) - 3], "", 1
        return None, text, 0
    return text[4:end + 1], text[end + 5:], 1


def parse_record(kind: str, path: str, ids: tuple[str, ...], raw: bytes,
                 digest: str | None = None) -> tuple[RawRecord | None, list[Problem]]:
    """Parse the bytes of one record file (pure: no file system access); `digest` is theirs, if known."""
    digest = digest or file_digest(raw)
    if len(raw) > MAX_RECORD_BYTES:
        return None, [error(path, (1, 1), "file-too-large", f"the file is {len(raw)} bytes; a record may hold at most {MAX_RECORD_BYTES}")]
    text, problems = decode_text(raw, path)
    if text is None:
        return None, problems
    if kind == "provision-analysis":
        return RawRecord(kind, path, ids, None, {}, text, digest), []
    body = None
    offset = 0
    source = text
    if kind == "analysis":
        front, body, offset = split_front_matter(text)
        if front is None:
            return None, [error(path, (1, 1), "front-matter", "an analysis starts with YAML front matter between '---' lines")]
        source = front
    if not _DATA_LINE.search(source):
        return None, [error(path, (1, 1), "empty", "the file is empty; it must hold a YAML mapping")]
    parsed = parse_yaml(source)
    problems = [error(path, (line + offset, col), code, message) for line, col, code, message in parsed.problems]
    if parsed.data is None and not problems:
        problems.append(error(path, (1, 1), "empty", "the file holds no data; it must hold a YAML mapping"))
    if parsed.data is None:
        return None, problems
    positions = KeyPositions.of(parsed.positions, offset)
    body_line = text.count("\n", 0, len(text) - len(body)) + 1 if body is not None else 1
    return RawRecord(kind, path, ids, parsed.data, positions, body, digest, body_line, plain_yaml(source)), problems


def file_digest(raw: bytes) -> str:
    """The digest a file's bytes are known by (in caches and in the digest of a whole tree)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _classify(parts: tuple[str, ...]) -> tuple[str | None, tuple[str, ...], str]:
    """Decide what a file under content/ is from its path parts; returns (kind, ids, reason)."""
    name = parts[-1]
    stem, _, ext = name.partition(".")
    if parts[0] == ANALYSES_DIR:
        if len(parts) == 2 and ext == "md":
            return "analysis", (stem,), ""
        return None, (), "content/analyses/ holds only <slug>.md files"
    if len(parts) == 2 and name == "platform.yaml":
        return "platform", (parts[0],), ""
    if len(parts) == 3 and name == "document.yaml":
        return "document", (parts[0], parts[1]), ""
    if len(parts) == 3 and ext == "yaml":
        return "provision", (parts[0], parts[1], stem), ""
    if len(parts) == 3 and ext == "md":
        return "provision-analysis", (parts[0], parts[1], stem), ""
    if len(parts) >= 4 and parts[2] == "snapshots":
        return "snapshot", (parts[0], parts[1]), ""
    if ext == "yml":
        return None, (), "use the .yaml extension"
    return None, (), ("expected content/<platform>/platform.yaml, content/<platform>/<document>/document.yaml, "
                      "content/<platform>/<document>/<provision>.yaml or .md, or content/<platform>/<document>/snapshots/*")


def source_kind(parts: tuple[str, ...]) -> str | None:
    """What a file under content/ (its path parts below content/) is read as, or None for a file the build refuses."""
    return _classify(parts)[0] if parts else None


def check_ids(path: str, ids: tuple[str, ...], kind: str) -> list[Problem]:
    """Each ID in a path must be a slug and not a reserved name."""
    problems = []
    for ident in ids:
        if not SLUG.fullmatch(ident) or len(ident) > 80:  # fullmatch: '$' would accept a trailing newline
            problems.append(error(path, (1, 1), "bad-id",
                                  f"'{ident}' is not a valid ID: use lowercase letters a-z, digits and single hyphens (the file or folder name is the ID)"))
        elif ident in RESERVED_IDS and kind != "snapshot":
            problems.append(error(path, (1, 1), "reserved-id", f"'{ident}' is a reserved name; choose another ID"))
    return problems


# Controls, and lone surrogates: a name that is not UTF-8 reaches Python as those, which no page or message
# can be encoded with.
_BAD_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def walk_files(base: Path | str, rel: str, problems: list[Problem]) -> list[tuple[str, str, os.stat_result]]:
    """List regular files under base as (relative path, path, stat), sorted, refusing symbolic links."""
    found: list[tuple[str, str, os.stat_result]] = []
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError as exc:
        problems.append(error(rel or ".", (1, 1), "unreadable", f"cannot read the folder: {exc.strerror}"))
        return found
    for entry in entries:
        if entry.name.startswith("."):
            continue  # editor and VCS files (.DS_Store, .gitkeep) are not content
        entry_rel = f"{rel}/{entry.name}" if rel else entry.name
        if _BAD_NAME.search(entry.name):
            problems.append(error(entry_rel, (1, 1), "bad-file-name",
                                  "the name is not UTF-8 text or holds control characters; rename it"))
        elif entry.is_symlink():
            problems.append(error(entry_rel, (1, 1), "symlink", "symbolic links are not allowed in the knowledge base; copy the file instead"))
        elif entry.is_dir(follow_symlinks=False):
            found.extend(walk_files(entry.path, entry_rel, problems))
        else:
            status = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(status.st_mode):
                found.append((entry_rel, entry.path, status))
    return found


def _read(path: str, size: int) -> bytes:
    """The bytes of a file of known size, in one system call where a buffered open() makes five."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # O_BINARY: no line end translation on Windows
    try:
        data = os.read(handle, size + 1)  # a byte more than listed: a file that grew since is read whole
        if len(data) <= size:
            return data
        parts = [data]
        while part := os.read(handle, 1 << 16):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(handle)


@dataclass(frozen=True)
class SourceFile:
    """One record file as read from disk, before parsing: where it is and the digest of its bytes.

    Its bytes are not kept. At full size the records are a hundred megabytes, and holding all of them
    while they were parsed set the high-water mark of the build's memory; parsing reads a file again,
    and checks that it still holds the bytes digested (see parse_tree).
    """

    kind: str
    path: str
    ids: tuple[str, ...]
    file: str  # the file's path on disk
    size: int
    digest: str


@dataclass(frozen=True)
class SourceTree:
    """Every file of a knowledge base as read from disk: record files, snapshots, what reading found."""

    files: tuple[SourceFile, ...]
    snapshots: dict[str, SnapshotSource]
    paths: frozenset[str]  # every file found under content/, read or not
    problems: tuple[Problem, ...]
    known: dict[str, KnownFile] = field(default_factory=dict, compare=False)  # for the next read_tree

    def digest(self) -> str:
        """A digest of everything read (and of every problem reading found): equal digests, equal input."""
        h = hashlib.blake2b(digest_size=16)
        for f in self.files:
            h.update(f"{f.kind}\0{f.path}\0{f.digest}\n".encode("utf-8", "surrogatepass"))
        for path in sorted(self.snapshots):
            h.update(f"{path}\0{self.snapshots[path].digest}\n".encode("utf-8", "surrogatepass"))
        for path in sorted(self.paths):
            h.update(path.encode("utf-8", "surrogatepass") + b"\n")
        h.update(repr(self.problems).encode("utf-8", "surrogatepass"))
        return h.hexdigest()


def stamp(*folders: Path) -> str:
    """A digest of the path, size, modification and change times and inode of every file and folder under the folders.

    Equal stamps mean no file was added, removed, replaced or written since (times are in nanoseconds; a
    tool that puts a modification time back cannot put the change time back), so a rebuild can tell that
    nothing changed without reading a byte.
    """
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        h.update(os.fsencode(folder) + b"\0")
        pending = [str(folder)]
        while pending:
            try:
                entries = sorted(os.scandir(pending.pop()), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                try:
                    status = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                h.update(f"{entry.path}\0{status.st_mode}\0{_stat_key(status)}\n"
                         .encode("utf-8", "surrogateescape"))
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return h.hexdigest()


@dataclass(frozen=True)
class KnownFile:
    """What a file under content/ held when it was last read, with the stat it had then."""

    stat: tuple[int, int, int, int]  # size, modification and change times (ns), inode
    digest: str  # file_digest of its bytes
    sha256: str = ""  # a snapshot's


def _stat_key(status: os.stat_result) -> tuple[int, int, int, int]:
    # The change time too: a tool can put a file's modification time back, never its change time.
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def read_tree(root: Path, known: dict[str, KnownFile] | None = None) -> SourceTree:
    """Read every record, analysis and snapshot file of the knowledge base at root (nothing is parsed).

    A file under content/ whose stat is the one in `known` (what a build read before) is not read: its
    digests are taken from there. That is the trust the rebuild with no change already puts in stat, and
    after an edit it leaves one file to read instead of every one. The tree's `known` is for the next build.
    """
    known = known or {}
    now_known: dict[str, KnownFile] = {}
    problems: list[Problem] = []
    files: list[SourceFile] = []
    snapshots: dict[str, SnapshotSource] = {}

    for name, kind in DATA_FILES.items():
        rel = f"data/{name}"
        file = root / "data" / name
        if file.is_symlink() or (root / "data").is_symlink():
            problems.append(error(rel, (1, 1), "symlink", "symbolic links are not allowed in the knowledge base"))
            continue
        try:
            raw = file.read_bytes()
            files.append(SourceFile(kind, rel, (), str(file), len(raw), file_digest(raw)))
        except FileNotFoundError:
            problems.append(error(rel, (1, 1), "missing-file", f"{rel} is missing"))

    content = root / "content"
    if not content.is_dir():
        problems.append(error("content", (1, 1), "missing-file", "the content/ folder is missing"))
        return SourceTree(tuple(files), snapshots, frozenset(), tuple(problems))
    if content.is_symlink():
        problems.append(error("content", (1, 1), "symlink", "symbolic links are not allowed in the knowledge base"))
        return SourceTree(tuple(files), snapshots, frozenset(), tuple(problems))
    found_files = walk_files(content, "content", problems)  # problems name paths from the root: content/...
    for rel, file, status in found_files:
        size = status.st_size
        rel_in_content = rel.removeprefix("content/")
        parts = tuple(rel_in_content.split("/"))
        kind, ids, reason = _classify(parts)
        if kind is None:
            problems.append(error(rel, (1, 1), "unexpected-file", f"unexpected file: {reason}"))
            continue
        id_problems = check_ids(rel, ids, kind)
        if id_problems:
            problems.extend(id_problems)
            continue
        limit = MAX_SNAPSHOT_BYTES if kind == "snapshot" else MAX_RECORD_BYTES
        if size > limit:  # a huge file is refused without being read into memory
            problems.append(error(rel, (1, 1), "file-too-large", f"the file is {size} bytes; a {kind} file may hold at most {limit}"))
            continue
        key, before = _stat_key(status), known.get(rel)
        if before is None or before.stat != key or (kind == "snapshot") != bool(before.sha256):
            raw = _read(file, size)
            if len(raw) != size:  # written since it was listed: known by what was read, never by the stat
                key = (-1, 0, 0, 0)
            before = KnownFile(key, file_digest(raw), hashlib.sha256(raw).hexdigest() if kind == "snapshot" else "")
            size = len(raw)
        now_known[rel] = before
        if kind == "snapshot":
            snapshots[rel] = SnapshotSource(file, size, before.digest, before.sha256)
        else:
            files.append(SourceFile(kind, rel, ids, file, size, before.digest))
    return SourceTree(tuple(files), snapshots, frozenset(rel for rel, _, _ in found_files), tuple(problems), now_known)


def read_unchanged(file: str, size: int, digest: Callable[[bytes], str], expected: str) -> bytes | None:
    """The bytes of a file read before, if it still holds them (None if it changed or is gone since).

    digest: how `expected` was computed from the bytes read first (file_digest for records, SHA-256 for snapshots).
    """
    try:
        raw = _read(file, size)
    except OSError:
        return None
    return raw if len(raw) == size and digest(raw) == expected else None


MIN_FILES_PER_WORKER = 500  # below this, forking a worker costs more than parsing the files
# (kind, path, digest) -> (RawRecord | None, problems, what `check` found or None): what a file's bytes gave
ParseCache = dict
# The parse cache is kept in this many parts, by path, so that a build after one edit writes one part again.
PARSE_CACHE_PARTS = 64


def parse_cache_part(key: tuple[str, str, str]) -> int:
    """The part of the parse cache an entry is kept in: by its file's path, the same in every process."""
    return hashlib.blake2b(key[1].encode("utf-8", "surrogatepass"), digest_size=1).digest()[0] % PARSE_CACHE_PARTS


def parse_tree(sources: SourceTree, cache: ParseCache | None = None, jobs: int = 1,
               check: Callable[[RawRecord], Any] | None = None) -> tuple[LoadedTree, list[Problem], ParseCache]:
    """Parse the record files read; a file whose bytes were parsed before (in `cache`) is not parsed again.

    Returns the tree, every problem (reading's, then parsing's, in file order) and the parse results of
    this tree's files, to keep for the next build: `cache` itself if it holds exactly those. Files not in
    the cache are parsed by `jobs` workers, which also run `check` (a pure function) on each record they
    parse, while its data is at hand: the tree's `checks` hold what it found.
    """
    cache = cache or {}
    keys = [(f.kind, f.path, f.digest) for f in sources.files]
    missing = [i for i, key in enumerate(keys) if key not in cache]
    workers = parallel.worker_count(jobs, len(missing), MIN_FILES_PER_WORKER)

    def parse_slice(start: int, stop: int) -> list[tuple[RawRecord | None, tuple[Problem, ...], Any]]:
        results = []
        for i in missing[start:stop]:
            f = sources.files[i]
            raw = read_unchanged(f.file, f.size, file_digest, f.digest)
            if raw is None:
                results.append((None, (error(f.path, (1, 1), "changed-while-building",
                                             "the file changed while the build was reading it; build again"),), None))
                continue
            record, found = parse_record(f.kind, f.path, f.ids, raw, f.digest)
            checked = check(record) if check is not None and record is not None else None
            results.append((record, tuple(found), checked))
        return results

    parsed = [result for part in parallel.map_slices(parse_slice, len(missing), workers) for result in part]
    if not missing and len(cache) == len(keys):
        results = cache  # this tree's files, every one parsed before
    else:
        results = {keys[i]: result for i, result in zip(missing, parsed)}
        results.update((key, cache[key]) for key in keys if key not in results)
    problems = list(sources.problems)
    records = []
    checks = {}
    for key in keys:
        record, found, checked = results[key]
        problems.extend(found)
        if record is not None:
            records.append(record)
        if checked is not None:
            checks[key] = checked
    return LoadedTree(tuple(records), sources.snapshots, sources.paths, checks), problems, results


def read_record(root: Path, rel: str) -> tuple[RawRecord | None, list[Problem]]:
    """Read and parse one record file under content/ (rel: "content/<platform>/<document>/<id>.yaml").

    The file is refused as read_tree would refuse it (a symbolic link or other non-regular file, an
    unexpected name, a bad ID, too large); a file that is not there is (None, []).
    """
    file = root / rel
    parts = tuple(rel.split("/"))
    kind, ids, reason = _classify(parts[1:]) if parts[0] == "content" and len(parts) > 1 else (None, (), "not under content/")
    if kind is None or kind == "snapshot":
        return None, [error(rel, (1, 1), "unexpected-file", f"unexpected file: {reason or 'a snapshot, not a record'}")]
    problems = check_ids(rel, ids, kind)
    if problems:
        return None, problems
    try:
        status = file.lstat()
        if not stat.S_ISREG(status.st_mode) or any((root / Path(*parts[:i])).is_symlink() for i in range(1, len(parts))):
            return None, [error(rel, (1, 1), "symlink", "symbolic links are not allowed in the knowledge base; copy the file instead")]
        if status.st_size > MAX_RECORD_BYTES:
            return None, [error(rel, (1, 1), "file-too-large", f"the file is {status.st_size} bytes; a record may hold at most {MAX_RECORD_BYTES}")]
        raw = _read(str(file), status.st_size)
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [error(rel, (1, 1), "unreadable", f"cannot read the file: {exc.strerror}")]
    return parse_record(kind, rel, ids, raw)


def load_tree(root: Path) -> tuple[LoadedTree, list[Problem]]:
    """Read every record, analysis and snapshot of the knowledge base at root."""
    tree, problems, _ = parse_tree(read_tree(root))
    return tree, problems
