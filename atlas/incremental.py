"""Render with memory of the last build: a page whose inputs did not change is not rendered again.

Each page has a key: the digest of everything rendering it starts from (generator, templates, base URL,
the page and its context). Rendering it notes what it read from the graph (see atlas.fingerprint). A
page is rendered again unless its key is the one of the last build, none of what it read then changed
in today's graph, and its file in the output folder is still the one written then (checked by stat).
What each read returned is remembered once for the whole site (RenderMemory.digests), so which reads
changed is worked out once per build, not once per page.
A file built in Parts (the bulk downloads) is remembered a part at a time: when it must be rendered,
the parts whose inputs did not change are taken from the file written last, by their offsets in it.
Rendered pages whose bytes did not change are not written either; the others are staged beside the
output folder, to be moved in once the whole build has succeeded (output.commit).

The pages are split into a few large slices for forked workers (atlas.parallel), which inherit the
graph, the templates and the pages, and send back only small records and the problems they found.
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from . import gcpause, output, parallel
from .fingerprint import Dep, Fingerprints, GraphReads, ReadDigests, digest_bytes
from .markdown import MarkdownRenderer
from .pages import Page
from .pages.base import Parts
from .problems import Problem
from .render import render_checked

SWEEP_EVERY = 200  # pages rendered between two sweeps of the cycles rendering leaves (see gcpause.sweep)
MIN_PAGES_PER_WORKER = 400  # below this a worker costs more (fork, templates compiled again) than it saves


@dataclass(frozen=True)
class PartRecord:
    """How one part of a file built in Parts was rendered last: its key, its reads, its length in the file."""

    key: bytes
    reads: tuple[Dep, ...]
    size: int


@dataclass(frozen=True)
class PageRecord:
    """How a page was rendered last: the key of its inputs and the graph reads it made."""

    key: bytes
    reads: tuple[Dep, ...]  # each once; a tuple takes a tenth of a frozenset's memory, and many pages share one
    parts: tuple[PartRecord, ...] = ()  # a file built in Parts: each part's record, in file order


@dataclass
class RenderMemory:
    """What the next build needs to know of this one's rendering: each page's record, each read's digest."""

    pages: dict[str, PageRecord] = field(default_factory=dict)
    digests: dict[Dep, bytes] = field(default_factory=dict)  # what each read made by some page returned


@dataclass
class Rendered:
    """What the render stage produced: every file's manifest entry, what to write, what went wrong."""

    files: dict[str, output.Written] = field(default_factory=dict)  # every output file (output folder given)
    records: dict[str, PageRecord] = field(default_factory=dict)  # for the next build
    digests: dict[Dep, bytes] = field(default_factory=dict)  # of the reads of the pages rendered
    memory: RenderMemory = field(default_factory=RenderMemory)  # for the next build (output folder given)
    staged: list[str] = field(default_factory=list)  # files whose bytes changed, waiting in the staging folder
    contents: dict[str, bytes] = field(default_factory=dict)  # every file's bytes (no output folder: check)
    problems: list[Problem] = field(default_factory=list)
    markdown: dict[str, str] = field(default_factory=dict)  # Markdown newly rendered, to keep for the next build
    rendered: int = 0  # pages rendered (the others were known unchanged)
    # The pages known unchanged, by index: a worker sends back these numbers, not a copy of their records, which
    # the parent holds already (at full size, a copy of the whole manifest for a rebuild after one edit).
    kept: list[int] = field(default_factory=list)

    def merge(self, other: Rendered) -> None:
        """Add the results of another slice of the pages."""
        self.files.update(other.files)
        self.records.update(other.records)
        self.digests.update(other.digests)
        self.staged += other.staged
        self.contents.update(other.contents)
        self.problems += other.problems
        self.markdown.update(other.markdown)
        self.rendered += other.rendered
        self.kept += other.kept


def render_key(generator: str, templates: Path, base_url: str) -> bytes:
    """The part of every page's key that all pages share: generator, every template file, base URL."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{generator}\0{base_url}\0".encode())
    for file in sorted(templates.rglob("*")):
        if file.is_file():
            h.update(file.relative_to(templates).as_posix().encode("utf-8", "surrogatepass") + b"\0")
            h.update(hashlib.blake2b(file.read_bytes(), digest_size=16).digest())
    return h.digest()


def render_pages(env: jinja2.Environment, markdown: MarkdownRenderer, pages: list[Page], key: bytes, *,
                 out: Path | None = None, staging: output.Staging | None = None,
                 previous: output.Manifest | None = None, memory: RenderMemory | None = None,
                 jobs: int = 0, keep_contents: bool = True, remember: bool = True) -> Rendered:
    """Render the pages that need it, in `jobs` forked workers (0: one per core).

    Without an output folder every page is rendered and its bytes returned (for `check`), or only its
    problems when not keep_contents. With one, the files of `previous` (the last build's manifest) whose
    pages are unchanged are kept as they are. remember=False: no build comes after this one (the cache is
    off), so no page's key or reads are worked out for it, and every page is rendered.
    """
    graph: GraphReads = env.globals["graph"]
    setup_reads = graph.take_reads()  # what making the environment read counts as read by every page
    graph_digests = ReadDigests(graph.underlying(), Fingerprints())
    fingerprints = graph_digests.fingerprints
    known = previous.files if previous else {}
    # A cold build into a folder that is not there (CI's) has no file in place to compare a page with.
    compare_in_place = out is not None and out.is_dir()
    memory = memory or RenderMemory()
    records = memory.pages
    # Worked out before the workers fork, so that they share it (and the digests it computed).
    changed = graph_digests.changed(memory.digests) if out is not None else frozenset()
    for name in env.list_templates():  # compiled once here, not once in each worker
        if not name.startswith("."):
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                pass  # reported by the pages that use it

    shared_reads: dict[tuple[Dep, ...], tuple[Dep, ...]] = {}

    def reads_of(reads: frozenset[Dep]) -> tuple[Dep, ...]:
        """The reads as a tuple, one shared by all the pages that made the same reads (cite files, parts)."""
        listed = tuple(reads)
        return shared_reads.setdefault(listed, listed)

    def page_key(page: Page) -> bytes | None:
        try:
            return hashlib.blake2b(key + fingerprints.digest(page), digest_size=16).digest()
        except Exception:  # noqa: BLE001 - a context that cannot be digested: the page is always rendered
            return None

    def unchanged(page: Page, page_key: bytes | None) -> bool:
        record, written = records.get(page.path), known.get(page.path)
        return (page_key is not None and record is not None and written is not None and record.key == page_key
                and changed.isdisjoint(record.reads) and output.intact(out, page.path, written))  # type: ignore[arg-type]

    def previous_parts(page: Page) -> dict[bytes, tuple[PartRecord, bytes]]:
        """The parts of the file written last for this page, by key: each one's record and bytes."""
        record, written = records.get(page.path), known.get(page.path)
        if not (record and record.parts and written and output.intact(out, page.path, written)):  # type: ignore[arg-type]
            return {}
        try:
            data = (out / page.path).read_bytes()  # type: ignore[operator]
        except OSError:
            return {}
        offsets = itertools.accumulate((part.size for part in record.parts), initial=0)
        return {part.key: (part, data[start:start + part.size]) for part, start in zip(record.parts, offsets)}

    def render_in_parts(page: Page) -> tuple[bytes | None, Problem | None, tuple[PartRecord, ...]]:
        """A file in Parts, rendering only the parts whose key or reads changed since it was written."""
        known_parts = previous_parts(page)
        chunks, done = [], []
        for context in page.context.parts:
            part = replace(page, context=context)
            part_key = page_key(part) or b""  # b"": cannot be digested, never taken from the last file
            hit = known_parts.get(part_key) if part_key else None
            if hit is not None and changed.isdisjoint(hit[0].reads):
                done.append(hit[0])
                chunks.append(hit[1])
                continue
            graph.take_reads()
            data, problem = render_checked(env, part)
            if problem is not None:
                return None, problem, ()
            assert data is not None
            chunks.append(data)
            done.append(PartRecord(part_key, reads_of(graph.take_reads() | setup_reads), len(data)))
        return b"".join(chunks), None, tuple(done)

    def render_slice(start: int, stop: int) -> Rendered:
        part = Rendered()
        for index in range(start, stop):
            page = pages[index]
            page_key_ = page_key(page) if out is not None and remember else None
            if out is not None and unchanged(page, page_key_):
                part.kept.append(index)
                continue
            graph.take_reads()
            if part.rendered % SWEEP_EVERY == 0:
                gcpause.sweep()
            parts: tuple[PartRecord, ...] = ()
            if out is not None and page_key_ is not None and isinstance(page.context, Parts):
                data, problem, parts = render_in_parts(page)
            else:
                data, problem = render_checked(env, page)
            part.rendered += 1
            if problem is not None:
                part.problems.append(problem)
                continue
            assert data is not None
            if out is None:
                if keep_contents:
                    part.contents[page.path] = data
                continue
            if page_key_ is not None:
                reads = (graph.take_reads() | setup_reads).union(*(p.reads for p in parts))
                part.records[page.path] = PageRecord(page_key_, reads_of(reads), parts)
                part.digests.update((dep, graph_digests.of(dep)) for dep in reads if dep not in part.digests)
            part.files[page.path], bytes_changed = _place(out, staging, page.path, data, known.get(page.path), compare_in_place)
            if bytes_changed:
                part.staged.append(page.path)
        part.markdown, markdown.fresh = markdown.fresh, {}
        return part

    workers = parallel.worker_count(jobs, len(pages), MIN_PAGES_PER_WORKER)
    result = Rendered()
    with gcpause.frozen():
        rendered = parallel.map_slices(render_slice, len(pages), workers)
    for part in rendered:
        result.merge(part)
    if result.kept:
        kept = {pages[index].path for index in result.kept}
        # In page order, whichever pages were kept: the manifest is the same for the same site.
        result.files = {page.path: known[page.path] if page.path in kept else result.files[page.path]
                        for page in pages if page.path in kept or page.path in result.files}
        result.records = {page.path: records[page.path] if page.path in kept else result.records[page.path]
                          for page in pages if page.path in kept or page.path in result.records}
    result.problems = sorted(set(result.problems))
    if out is not None:
        graph_digests.learn(result.digests)  # computed in the workers
        reads = frozenset().union(*(record.reads for record in result.records.values()))
        result.memory = RenderMemory(result.records, {dep: graph_digests.of(dep) for dep in reads})
    return result


def _place(out: Path, staging: output.Staging | None, path: str, data: bytes,
           written: output.Written | None, compare_in_place: bool) -> tuple[output.Written, bool]:
    """The manifest entry of a rendered file, staging its bytes if they differ from the file in place.

    compare_in_place: whether a file the manifest does not describe may be in place (False: the folder is new).
    """
    digest = digest_bytes(data)
    if written is not None and written.digest == digest and output.intact(out, path, written):
        return written, False
    if written is None and compare_in_place and output.same_bytes(out / path, data):  # no manifest: compare with what is there
        try:
            return output.stat_written((out / path).stat(), digest), False
        except OSError:
            pass
    assert staging is not None
    return output.stat_written(staging.put(path, data), digest), True
