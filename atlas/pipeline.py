"""The build, stage by stage: load -> validate -> link -> plan -> render -> write -> index, each timed."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from . import graph as graph_stage
from . import load, output, pages, render, validate
from .markdown import MarkdownRenderer
from .pages.base import Page
from .problems import Problem, has_errors, sorted_problems

GENERATOR_ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "validate", "link", "plan", "render", "write", "index")


@dataclass(frozen=True)
class BuildOptions:
    """What to build, from where, to where, for which address."""

    root: Path
    out: Path | None  # None: check only, write nothing
    base_url: str | None = None
    search: bool = True
    templates: Path | None = None
    assets: Path | None = None


@dataclass
class BuildResult:
    """What a build found and did."""

    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    written: int = 0
    removed: int = 0
    indexed: bool = False
    files: dict[str, bytes] | None = None

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not has_errors(self.problems)


def resolve_base_url(option: str | None, site_url: str) -> render.SiteUrls:
    """The absolute base URL (always ending in '/') and its path; a bare path takes the site URL's origin."""
    url = option or site_url
    if url.startswith("/") or not urlsplit(url).scheme:
        origin = urlsplit(site_url)
        url = f"{origin.scheme}://{origin.netloc}/" + url.lstrip("/")
    if not url.endswith("/"):
        url += "/"
    return render.SiteUrls(url, urlsplit(url).path or "/")


def _folder(option: Path | None, root: Path, name: str) -> Path:
    if option:
        return option
    own = root / name
    return own if own.is_dir() else GENERATOR_ROOT / name


def asset_pages(assets: Path) -> list[Page]:
    """The files of assets/, published under assets/."""
    found = []
    for file in sorted(assets.rglob("*")):
        if file.is_file() and not any(part.startswith((".", "_")) for part in file.relative_to(assets).parts):
            found.append(Page("assets/" + file.relative_to(assets).as_posix(), "@bytes", file.read_bytes()))
    return found


@contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        result.timings[stage] = result.timings.get(stage, 0.0) + time.perf_counter() - start


def build(options: BuildOptions) -> BuildResult:
    """Run the whole build; nothing is written unless every stage before writing found no error."""
    result = BuildResult()
    with _timed(result, "load"):
        tree, found = load.load_tree(options.root)
        result.problems += found
    with _timed(result, "validate"):
        kb, found = validate.validate(tree)
        result.problems += found
    if kb is None:
        return result
    with _timed(result, "link"):
        graph, found = graph_stage.link(kb)
        result.problems += found
        # Warnings reach the plan stage on the graph: the data-quality page lists the records that carry them.
        graph = replace(graph, warnings=tuple(sorted_problems(p for p in result.problems if not p.is_error)))
    if not result.ok:
        return result  # pages are planned only from a graph whose every reference resolved
    with _timed(result, "plan"):
        planned, found = pages.plan(graph)
        planned += asset_pages(_folder(options.assets, options.root, "assets"))
        result.problems += found
        result.pages = len(planned)
    with _timed(result, "render"):
        urls = resolve_base_url(options.base_url, graph.site.url)
        env = render.make_environment(_folder(options.templates, options.root, "templates"), graph, urls, MarkdownRenderer())
        files, found = render.render_all(env, planned)
        result.problems += found
        for path in files:
            reason = output.unsafe_output_path(path)
            if reason:
                result.problems.append(Problem("content", 1, 1, "bad-output-path", f"{path}: {reason}"))
    result.files = files
    if options.out is None or not result.ok:
        return result
    with _timed(result, "write"):
        report = output.write_site(options.out, files)
        result.written, result.removed = len(report.written), len(report.removed)
    if options.search and (report.html_changed or not (options.out / output.SEARCH_DIR).is_dir()):
        with _timed(result, "index"):
            result.problems += output.run_pagefind(options.out)
            result.indexed = True
    return result
