"""The build, stage by stage: load -> validate -> link -> plan -> render -> write -> index, each timed."""
from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from . import gcpause, load, output
from .cache import Cache, KeptInMemory, generator_version
from .problems import Problem, has_errors, sorted_problems

if TYPE_CHECKING:
    from .graph import Graph
    from .pages.base import Page
    from .render import SiteUrls

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
    jobs: int = 0  # worker processes for parsing and rendering; 0: one per core, 1: all in this process
    cache: bool = True  # keep what a build worked out in .atlas-cache/ for the next one (see atlas.cache)
    kept: KeptInMemory | None = field(default=None, compare=False)  # keep it in this process's memory instead
    # Without an output folder: return every file's bytes (BuildResult.files), or render them only to find
    # problems (`check` at full scale would otherwise hold the whole site in memory and send it between processes).
    keep_contents: bool = True


@dataclass
class BuildResult:
    """What a build found and did."""

    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    written: int = 0
    removed: int = 0
    indexed: bool = False
    size: int = 0  # bytes of the built site, search index included (0 when nothing was written)
    files: dict[str, bytes] | None = None
    changed: tuple[str, ...] = ()  # the output files written or removed
    graph: Graph | None = None  # the linked graph, when linking found no error (the preview keeps it)

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not has_errors(self.problems)


def resolve_base_url(option: str | None, site_url: str) -> SiteUrls:
    """The absolute base URL (always ending in '/') and its path; a bare path takes the site URL's origin."""
    from .render import SiteUrls  # see _build: the render stage is imported when there is something to render
    url = option or site_url
    if url.startswith("/") or not urlsplit(url).scheme:
        origin = urlsplit(site_url)
        url = f"{origin.scheme}://{origin.netloc}/" + url.lstrip("/")
    if not url.endswith("/"):
        url += "/"
    return SiteUrls(url, urlsplit(url).path or "/")


def _folder(option: Path | None, root: Path, name: str) -> Path:
    if option:
        return option
    own = root / name
    return own if own.is_dir() else GENERATOR_ROOT / name


def asset_pages(assets: Path) -> list[Page]:
    """The files of assets/, published under assets/."""
    from .pages.base import Page  # see _build
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


def _inputs_digest(sources: load.SourceTree, templates: Path, assets: Path, options: BuildOptions) -> str:
    """A digest of everything a build's output follows from: equal digests, equal sites."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{generator_version()}\0{options.base_url}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\0".encode())
    h.update(sources.digest().encode())
    for folder in (templates, assets):
        h.update(f"\0{folder}\0".encode("utf-8", "surrogatepass"))
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                h.update(file.relative_to(folder).as_posix().encode("utf-8", "surrogatepass") + b"\0")
                h.update(hashlib.blake2b(file.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


MARKDOWN_KEPT = 100_000  # texts of rendered Markdown kept in the cache; the newest are kept


def build(options: BuildOptions) -> BuildResult:
    """Run the whole build; nothing is written unless every stage before writing found no error.

    The cyclic garbage collector is paused throughout: a build holds millions of records, pages and
    contexts that make no cycle and live until it ends, and each collection walked all of them again (at
    13,250 provisions most of the plan stage and a quarter of rendering). Forked workers inherit the pause.
    """
    with gcpause.paused():
        return _build(options)


def _build(options: BuildOptions) -> BuildResult:
    """The build itself (see build).

    With an output folder, a build remembers what it wrote (atlas.cache): a rebuild with no change at
    all only checks the output folder by stat, and a rebuild after a change renders only the pages the
    change reaches and writes only the files whose bytes changed.
    """
    result = BuildResult()
    cache = Cache.at(options.root, options.cache, kept=options.kept)
    out_cache = Cache.at(options.root, options.cache, versioned=False, kept=options.kept)
    out_name = hashlib.blake2b(str(options.out.resolve()).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() if options.out else ""
    templates = _folder(options.templates, options.root, "templates")
    assets = _folder(options.assets, options.root, "assets")
    with _timed(result, "load"):
        # What the last build wrote into the output folder: nothing to know of a folder that is not there (CI's).
        manifest: output.Manifest = (out_cache.load(f"{out_name}.manifest", output.Manifest)
                                     if options.out and options.out.is_dir() else output.Manifest())
        # Taken before any file is read, so that a file written during this build shows in the next one's stamp.
        stamp = _stamp(options, templates, assets) if options.out is not None else ""
        # No input file was touched since the last build into this folder, which is as it left it.
        unchanged = options.out is not None and manifest.stamp == stamp and output.all_intact(options.out, manifest)
        if not unchanged:
            known_files = cache.load("sources")
            sources = load.read_tree(options.root, known_files)  # reads only the files whose stat changed
            if sources.known != known_files:
                cache.store("sources", sources.known)
            del known_files
            inputs = _inputs_digest(sources, templates, assets, options)
            # Files were touched but hold what they held: nothing changed since the last build into this folder.
            unchanged = options.out is not None and manifest.inputs == inputs and output.all_intact(options.out, manifest)
            if unchanged:
                manifest.stamp = stamp
                out_cache.store(f"{out_name}.manifest", manifest)
    if unchanged:  # out of the load stage's time: the search index may still be built
        return _unchanged(options, result, manifest, out_cache, out_name)
    # The later stages are imported only now, so that a build with nothing to do never imports them, Jinja and
    # markdown-it: 0.13 s of a no-change rebuild's 1 s at 13,250 provisions.
    from . import graph as graph_stage, history, incremental, pages, render, validate
    from .markdown import MarkdownRenderer
    with _timed(result, "load"):
        known = cache.load_parts("parsed", load.PARSE_CACHE_PARTS)
        # Each record is checked against its schema where it is parsed, while its data is at hand.
        tree, found, parsed = load.parse_tree(sources, known, options.jobs, check=validate.record_problems)
        del sources  # the bytes of every record: parsed now
        if parsed is not known:  # else the cache holds exactly this tree's files already
            cache.store_parts("parsed", parsed, load.PARSE_CACHE_PARTS, load.parse_cache_part, known)
        del parsed, known
        result.problems += found
    with _timed(result, "validate"):
        kb, found = validate.validate(tree, tree.checks)
        del tree  # the raw records: the model objects hold what is needed from now on
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
    result.graph = graph
    with _timed(result, "plan"):
        planned, found = pages.plan(graph)
        planned += asset_pages(assets)
        result.problems += found
        result.pages = len(planned)
        for page in planned:
            reason = output.unsafe_output_path(page.path)
            if reason:
                result.problems.append(Problem("content", 1, 1, "bad-output-path", f"{page.path}: {reason}"))
    if not result.ok:
        return result
    with _timed(result, "render"):
        urls = resolve_base_url(options.base_url, graph.site.url)
        markdown = MarkdownRenderer(cache.load("markdown"))
        code = render.TemplateCode(cache.load("templates"))
        key = incremental.render_key(generator_version(), templates, urls.base_url)
        staging = output.Staging(options.out) if options.out else None
        # Of use only where the last build's files are there to keep.
        memory = (out_cache.load(f"{out_name}.pages", incremental.RenderMemory) if options.out and manifest.files
                  else incremental.RenderMemory())
        # Document diffs, computed while rendering, are kept in the cache for later builds.
        try:
            with render.environment(templates, graph, urls, markdown, code, history.DocumentDiffs(cache)) as env:
                rendered = incremental.render_pages(env, markdown, planned, key, out=options.out, staging=staging,
                                                    previous=manifest, memory=memory, jobs=options.jobs,
                                                    keep_contents=options.keep_contents, remember=out_cache.enabled)
        except BaseException:
            if staging:
                staging.discard()
            raise
        result.problems += rendered.problems
        # The pages and their contexts are done with: freed here, their memory serves the write stage's.
        del planned, memory
        if rendered.markdown:
            kept = {**markdown.cache, **rendered.markdown}
            cache.store("markdown", dict(list(kept.items())[-MARKDOWN_KEPT:]))
        if code.fresh:
            cache.store("templates", code.code)
    if options.out is None or not result.ok:
        if staging:
            staging.discard()
        result.files = rendered.contents if options.out is None else None
        return result
    with _timed(result, "write"):
        try:
            report = output.commit(options.out, staging, rendered.staged, rendered.files,  # type: ignore[arg-type]
                                   previous=manifest)
        except BaseException:  # interrupted midway: no staged file may linger into the next build's commit
            staging.discard()  # type: ignore[union-attr]
            raise
        result.written, result.removed = len(report.written), len(report.removed)
        result.changed = report.written + report.removed
        manifest = output.Manifest(inputs, stamp, rendered.files, tuple(result.problems), result.pages, manifest.search,
                                   output.folder_times(options.out, rendered.files))
        out_cache.store(f"{out_name}.manifest", manifest)
        out_cache.store(f"{out_name}.pages", rendered.memory)
    result.files = output.SiteFiles(options.out, rendered.files)
    _index(options, result, manifest, out_cache, out_name)
    _measure(options.out, result, manifest)
    return result


def _stamp(options: BuildOptions, templates: Path, assets: Path) -> str:
    """The stat stamp of every input file (load.stamp), with the options and generator the output depends on."""
    files = load.stamp(options.root / "content", options.root / "data", templates, assets)
    return f"{files}:{generator_version()}:{options.base_url}:{os.environ.get('SOURCE_DATE_EPOCH', '')}"


def _unchanged(options: BuildOptions, result: BuildResult, manifest: output.Manifest, out_cache: Cache,
               out_name: str) -> BuildResult:
    """The result of a build that found nothing to do: the last build's problems and files (and search index)."""
    assert options.out is not None
    result.problems, result.pages = list(manifest.problems), manifest.pages
    result.files = output.SiteFiles(options.out, manifest.files)
    _index(options, result, manifest, out_cache, out_name)
    _measure(options.out, result, manifest)
    return result


def _measure(out: Path, result: BuildResult, manifest: output.Manifest) -> None:
    """The built site's size, and a warning when it nears what GitHub Pages publishes (measured each build)."""
    result.size = output.site_size(out, manifest.files)
    result.problems += output.size_problems(out, result.size)


def _index(options: BuildOptions, result: BuildResult, manifest: output.Manifest, out_cache: Cache, out_name: str) -> None:
    """Run Pagefind if the search index is wanted and was not built from exactly these HTML files."""
    assert options.out is not None
    html = manifest.html_digest()
    if not options.search or (manifest.search == html and (options.out / output.SEARCH_DIR).is_dir()):
        return
    with _timed(result, "index"):
        found = output.run_pagefind(options.out)
        result.problems += found
        result.indexed = True
    if not found:
        manifest.search = html
        manifest.folders = output.folder_times(options.out, manifest.files)  # the index's folder came in
        out_cache.store(f"{out_name}.manifest", manifest)
