"""The live preview's builds: an edited provision's page first, then the whole site (or only the assets when only they changed)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from . import output
from .cache import Cache, KeptInMemory
from .pipeline import GENERATOR_ROOT, BuildOptions, BuildResult, asset_pages, build, resolve_base_url
from .quick import LastBuild, render_edited_provision
from .problems import Problem, sorted_problems
from .yamlsafe import parse_yaml

FULL_REBUILD = ("content", "data", "template")


def source_folder(root: Path, name: str) -> Path:
    """The knowledge base's own templates/ or assets/ folder, else the generator's (as the build chooses)."""
    own = root / name
    return own if own.is_dir() else GENERATOR_ROOT / name


def watched_folders(root: Path) -> dict[Path, str]:
    """The folders the preview watches and the kind of change each one makes (never the output folder)."""
    return {root / "content": "content", root / "data": "data",
            source_folder(root, "templates"): "template", source_folder(root, "assets"): "asset"}


def site_path(root: Path) -> str:
    """The path of data/site.yaml's url ("/atlas/"), so the preview runs under the same sub-path; "/" if unreadable."""
    try:
        parsed = parse_yaml((root / "data" / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return "/"
    url = parsed.data.get("url") if isinstance(parsed.data, dict) else None
    path = urlsplit(url).path if isinstance(url, str) else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


MAX_PATHS_LISTED = 500  # a build that changed more files than this reloads every open page


@dataclass(frozen=True)
class Outcome:
    """What one preview build did: whether it succeeded, its problems, which served files changed."""

    ok: bool
    problems: tuple[Problem, ...]
    pages_changed: bool
    full: bool
    paths: tuple[str, ...] | None = None  # the site files whose bytes changed; None: too many to list


class BackgroundIndex:
    """Pagefind over the preview folder in a thread of its own, so that no reload waits for the index.

    A request while it runs makes it run once more when done: the index ends up matching the last build.
    Builds go on while it runs; Pagefind reads whole files (every file is replaced atomically) and the new
    index replaces the old one whole (output.run_pagefind).
    """

    def __init__(self, out: Path, report: Callable[[list[Problem]], None]) -> None:
        self.out = out
        self.report = report  # given the problems of each run (none when it succeeded)
        self._lock = threading.Lock()
        self._wanted = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        """Index the preview folder as it is once the run under way (if any) is done."""
        with self._lock:
            self._wanted = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="atlas-search-index", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no run is under way or wanted; False if the timeout ran out first."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted = False
            self.report(output.run_pagefind(self.out))


def _report_nothing(problems: list[Problem]) -> None:
    pass


@dataclass
class PreviewBuilder:
    """Builds the preview folder; remembers the last good build, so that an edited provision's page is
    rendered first (atlas.quick) and an asset change rewrites only assets."""

    root: Path
    out: Path
    base_url: str
    search: bool = True
    report_index: Callable[[list[Problem]], None] = _report_nothing  # what the search index's runs found
    _kept: KeptInMemory = field(default_factory=KeptInMemory, repr=False)  # what each build hands the next
    _files: Mapping[str, bytes] | None = field(default=None, repr=False)  # the last good build's files
    _last_ok: bool = field(default=False, repr=False)
    _last: LastBuild | None = field(default=None, repr=False)  # for the quick render
    _quick: dict[str, str] = field(default_factory=dict, repr=False)  # path -> digest of files the quick render wrote
    _index: BackgroundIndex | None = field(default=None, repr=False)

    def options(self) -> BuildOptions:
        """The build options of a full preview build (the search index is built apart, see BackgroundIndex)."""
        return BuildOptions(root=self.root, out=self.out, base_url=self.base_url, search=False,
                            templates=source_folder(self.root, "templates"), assets=source_folder(self.root, "assets"),
                            kept=self._kept)

    def quick(self, paths: Sequence[Path]) -> Outcome | None:
        """Render an edited provision's page (and citation files) first, if the changed paths are one provision's
        files (atlas.quick)."""
        if self._last is None or not self._last_ok:
            return None
        written = render_edited_provision(self.root, self.out, self._last, paths)
        if written is None:
            return None
        self._quick.update((file.path, file.digest) for file in written)
        return Outcome(True, (), True, False, tuple(file.path for file in written))

    def rebuild(self, kind: str | None = "content") -> Outcome:
        """Rebuild for a kind of change: assets only when nothing else changed and a good build exists, else all."""
        if kind == "asset" and self._files is not None and self._last_ok:
            return self._assets_only()
        options = self.options()
        # The last build's graph serves the quick render of the next edit, never this build: let go of it now,
        # so that two graphs are not held at the build's peak.
        self._last = None
        result = build(options)
        self._last_ok = result.ok
        if result.ok and result.files is not None:
            self._files = result.files
        self._last = self._last_build(options, result) if result.ok else None
        quick, self._quick = self._quick, {}
        if result.ok and self.search:
            self.index().request()
        # A page the quick render wrote has changed for the open tabs only if the full build's bytes differ.
        written = result.files if isinstance(result.files, output.SiteFiles) else None
        paths = tuple(path for path in result.changed
                      if not (path in quick and written is not None and path in written and written.digest(path) == quick[path]))
        changed = result.ok and bool(paths)
        return Outcome(result.ok, tuple(sorted_problems(result.problems)), changed, True,
                       paths if len(paths) <= MAX_PATHS_LISTED else None)

    def index(self) -> BackgroundIndex:
        """The preview's search indexer."""
        if self._index is None:
            self._index = BackgroundIndex(self.out, self.report_index)
        return self._index

    def _last_build(self, options: BuildOptions, result: BuildResult) -> LastBuild | None:
        if result.graph is None or options.templates is None:
            return None
        cache = Cache.at(self.root, options.cache, kept=self._kept)
        return LastBuild(result.graph, options.templates, resolve_base_url(options.base_url, result.graph.site.url),
                         cache.load("templates"), cache.load("markdown"))

    def _assets_only(self) -> Outcome:
        assert self._files is not None
        files = {path: data for path, data in self._files.items() if not path.startswith("assets/")}
        files.update((page.path, page.context) for page in asset_pages(source_folder(self.root, "assets")))
        report = output.write_site(self.out, files)
        self._files = files
        changed = report.written + report.removed
        return Outcome(True, (), bool(changed), False, changed if len(changed) <= MAX_PATHS_LISTED else None)
