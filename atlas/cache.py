"""The build cache: .atlas-cache/ in the knowledge base root, what earlier builds worked out, by content.

Everything in it is an optimisation: a missing, unreadable, corrupt or foreign file reads as empty and
the build works it out again. Entries are keyed by digests of what they were made from, and each folder
is named by the digest of the generator's own code and schemas, so a changed generator never reads a
cache an older one wrote. Files are replaced atomically, so concurrent builds at worst redo work.

Cache files are pickles, and unpickling runs code, while a pull request could add files under
.atlas-cache/ (a .gitignore does not stop `git add -f`). So each file is sealed with a keyed digest
whose key never lives in the knowledge base: $ATLAS_CACHE_KEY, else a random key kept in the user's
cache folder. A file sealed with another key is ignored like any other damage.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Callable

CACHE_DIR = ".atlas-cache"
PACKAGE = Path(__file__).resolve().parent
_SEAL = 32  # bytes of keyed digest in front of each cache file


@lru_cache(maxsize=None)
def generator_version() -> str:
    """A digest of the generator's code and schemas: any change to them starts a fresh cache."""
    h = hashlib.blake2b(digest_size=8)
    for file in sorted(PACKAGE.rglob("*")):
        if file.suffix in (".py", ".json") and "__pycache__" not in file.parts:
            h.update(file.relative_to(PACKAGE).as_posix().encode())
            h.update(file.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=None)
def _key() -> bytes | None:
    """The key cache files are sealed with (None: no key can be had, so nothing is cached)."""
    configured = os.environ.get("ATLAS_CACHE_KEY")
    if configured:
        return hashlib.blake2b(configured.encode("utf-8"), digest_size=32).digest()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "governance-atlas"
    file = home / "cache.key"
    try:
        key = file.read_bytes() if file.is_file() else b""
        if len(key) != 32:  # none yet (or a damaged one): make one, atomically, readable by this user only
            home.mkdir(parents=True, exist_ok=True)
            temp = home / f".cache.key.{os.getpid()}"
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(32))
            os.replace(temp, file)
            key = file.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def _seal(key: bytes, data: bytes | memoryview) -> bytes:
    return hashlib.blake2b(data, key=key, digest_size=_SEAL).digest()


class _SealingWriter:
    """Writes to a file and computes the seal of what it wrote."""

    def __init__(self, handle: BinaryIO, key: bytes) -> None:
        self.handle = handle
        self.seal = hashlib.blake2b(key=key, digest_size=_SEAL)

    def write(self, data: bytes) -> int:
        self.seal.update(data)
        return self.handle.write(data)


@dataclass(frozen=True)
class _Pickled:
    """A kept entry held as its pickle (see Cache.compact)."""

    data: bytes


@dataclass
class KeptInMemory:
    """Cache entries a long-running process (the live preview) keeps between its builds.

    What one build stores is handed to the next as the object itself: neither pickled nor written, so
    an edit in the preview does not pay for a round trip of every parsed record through the disk, and
    the preview's throwaway output folder leaves nothing in .atlas-cache/. A build makes new entries to
    store rather than changing those it loaded (at most it adds to a memo of a pure function), so
    handing the same objects on is safe.
    """

    entries: dict[tuple[Path, str], Any] = field(default_factory=dict)


class Cache:
    """One knowledge base's cache folder, for this version of the generator (None: caching is off)."""

    def __init__(self, folder: Path | None, kept: KeptInMemory | None = None, compact: bool = False) -> None:
        self.folder = folder
        self.kept = kept  # if given, entries are stored there instead of on disk (and looked up there first)
        # Entries kept in memory as their pickles, not as the objects: for large entries read again only when a
        # page that shows them changes (document diffs), whose many small objects take three times the memory.
        self.compact = compact

    @classmethod
    def at(cls, root: Path, enabled: bool = True, versioned: bool = True, kept: KeptInMemory | None = None) -> Cache:
        """The cache of the knowledge base at root (off when disabled or when no key can be had).

        Versioned: for this version of the generator only. Unversioned: what describes the output
        folders, which stays true whatever generator wrote them.
        """
        try:
            key = _key() if enabled else None
        except OSError:
            key = None
        return cls(root / CACHE_DIR / (generator_version() if versioned else "outputs") if key else None, kept)

    @property
    def enabled(self) -> bool:
        """True if this cache reads and writes anything."""
        return self.folder is not None

    def load(self, name: str, kind: type = dict) -> Any:
        """What was stored under name, or an empty `kind` if nothing (usable) was."""
        key = _key() if self.folder is not None else None
        if key is None or self.folder is None:
            return kind()
        if self.kept is not None:
            value = self.kept.entries.get((self.folder, name))
            if isinstance(value, _Pickled):
                value = pickle.loads(value.data)
            if isinstance(value, kind):
                return value
        try:
            data = (self.folder / name).read_bytes()
            body = memoryview(data)[_SEAL:]
            if len(data) < _SEAL or not hmac.compare_digest(data[:_SEAL], _seal(key, body)):
                return kind()
            value = pickle.loads(body)
        except Exception:  # noqa: BLE001 - any damage to a cache file only costs the work it saved
            return kind()
        if not isinstance(value, kind):
            return kind()
        if self.kept is not None:  # read from disk once: a build that stores nothing new must not read it again
            self.kept.entries[(self.folder, name)] = _Pickled(bytes(body)) if self.compact else value
        return value

    def load_parts(self, name: str, parts: int) -> dict:
        """A mapping stored with store_parts: its parts merged (a missing or damaged part only costs its work)."""
        merged: dict = {}
        for part in range(parts):
            merged.update(self.load(f"{name}.{part}"))
        return merged

    def store_parts(self, name: str, mapping: dict, parts: int, part_of: Callable[[Any], int], before: dict) -> None:
        """Store a large mapping as `parts` files, writing only the parts whose keys are not those of `before`.

        Keys must name their values (hold a digest of what the value is made from), so that a part with the
        same keys holds the same values: after one edit, one part is written instead of the whole mapping.
        """
        new: list[dict] = [{} for _ in range(parts)]
        for key, value in mapping.items():
            new[part_of(key)][key] = value
        old: list[set] = [set() for _ in range(parts)]
        for key in before:
            old[part_of(key)].add(key)
        for part in range(parts):
            if new[part].keys() != old[part]:
                self.store(f"{name}.{part}", new[part])

    def store(self, name: str, value: Any) -> None:
        """Store value under name, atomically; a cache that cannot be written is skipped."""
        key = _key() if self.folder is not None else None
        if key is None or self.folder is None:
            return
        if self.kept is not None:
            self.kept.entries[(self.folder, name)] = (
                _Pickled(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) if self.compact else value)
            return
        temp = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                # Pickled straight to the file, sealed as it goes: a cache of every parsed record is a
                # hundred megabytes that need not be held in memory at once.
                handle.write(bytes(_SEAL))
                writer = _SealingWriter(handle, key)
                pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(0)
                handle.write(writer.seal.digest())
            os.replace(temp, self.folder / name)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            temp.unlink(missing_ok=True)
