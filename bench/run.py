#!/usr/bin/env python3
"""Benchmark the build on generated knowledge bases of realistic size.

    python bench/run.py [--sizes 1000,13250,50000] [--out bench/out] [--jobs N] [--no-search] [--no-preview]
                        [--repeat N] [--disk-wait SECONDS] [--json FILE] [--growth]

For each size it generates a corpus with bench/corpus.py (kept in --out, regenerated only when the
generator or the size changed) and measures, each build in a child process of its own:

  cold        no output folder and no .atlas-cache/: everything is parsed, rendered and written
  no change   the same build again: nothing changed, nothing is written
  one edit    one provision's summary edited (then put back): what a contributor's change costs
  warm cache  a new output folder but .atlas-cache/ kept (as a CI that restores the cache)
  search      Pagefind indexing the cold build's HTML, on its own
  search again  the same build with the search index again: nothing changed, so Pagefind does not run
  no cache    a cold build with the cache off, as CI builds (`build --no-cache`): nothing is worked out
              or kept for a next build
  preview     `serve`'s builder, after its first build: one provision edited three times, each time the
              quick render of its page (what the open tab reloads) and the rebuild of the whole site, with
              the preview's server running (as in `serve`, the rebuilds stay in its process, and each one
              collects the last one's leftovers first)

with the wall time of each stage, the CPU time of the build's whole process tree (user and kernel),
pages per second, peak memory and the size of the output; and the
floor, measured in the same run: reading every source byte and writing every output byte to a fresh
folder (one file at a time, as the build does). Every time is also shown as a multiple of the floor.
Pending writes are flushed to disk (sync) before each build and before the floor's writes, so that no
measurement pays for the write-back of the one before it; and folders are moved aside rather than deleted
until the end (see set_aside), so that none pays for deleting the one before it. Before each size's cold
build, a probe times the creation of a few thousand small files and, while that is slow (as it is for a
minute or two after a large deletion, such as the end of the last benchmark run), waits for the disk to be
quiet: up to --disk-wait seconds, after which the report says the figures were measured on a slowed disk.

With --repeat N, the cold build and the no-cache build are each measured N times, every one from a fresh
folder and an empty cache: the report shows the run of median wall time and lists every run's, so that
one slow moment of the machine does not decide a figure (nor the growth from one size to the next).

With several sizes, the report ends with how each kind of build grows from one size to the next
(multiples of wall and CPU time beside the multiple of provisions). With 13,250 provisions among the sizes,
it ends with the budgets set for that size on a 2-core machine, each figure beside its budget: met or not.

With --growth, only the cold build is measured, for every size in turn in each of --repeat rounds (13,250,
50,000, 13,250, 50,000, ...), and each round's multiple is taken between builds minutes apart: the machine's
speed, which drifts by a fifth over an hour on a shared host, then weighs on both sides of a multiple alike,
where measuring each size's runs one after the other puts the drift between the two sizes. The report gives
every round's multiples and their median, and the growth budget's verdict on that median.

Peak memory: the largest resident set (ru_maxrss) of the build's main process and, separately, of
its largest worker process; and the peak of the whole process tree's proportional set size (PSS,
which counts memory shared between forked processes once), sampled four times a second from /proc.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import queue
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the generator is imported from this checkout, in the children as here

from atlas.output import SEARCH_DIR  # noqa: E402 - where the site's search index is: the folder Pagefind writes
DEFAULT_SIZES = (1_000, 13_250, 50_000)
EDIT_MARK = " Edited for the benchmark."
# Reading a process's smaps_rollup walks its page tables while holding its memory map's lock, which the build's
# own page faults and allocations then wait for: sampled every 20 ms, a cold build at 13,250 provisions took
# about a fifth longer (29.5 s against 24.4 s). Every quarter of a second costs nothing measurable, and the
# memory of a build stays near its peak for seconds.
PSS_EVERY = 0.25
# The disk probe: a quiet disk here creates a small file in 15 to 40 microseconds; just after a large deletion
# (ext4 mounted with `discard`) it takes ten times as long, for a minute or two.
PROBE_FILES = 2000
QUIET_SECONDS_PER_FILE = 60e-6
PROBE_EVERY = 10.0  # seconds between two probes while the disk is slow
DISK_WAIT = 300.0  # the longest wait for a quiet disk before each size's cold build


@dataclass
class Run:
    """One build, measured."""

    wall: float  # the child process, from start to exit (interpreter start and imports included)
    build: float  # the build() call alone
    stages: dict[str, float]
    pages: int
    written: int
    removed: int
    indexed: bool
    errors: int
    main_rss_mb: float
    worker_rss_mb: float
    tree_pss_mb: float
    cpu_user: float  # CPU seconds of the whole process tree (the build and its workers, Pagefind), in user mode
    cpu_sys: float  # and in the kernel (file creation, page faults): together, the work whatever the cores


@dataclass(frozen=True)
class DiskState:
    """What the disk probe found before a cold build."""

    probe: float  # seconds the last probe took to create PROBE_FILES files
    waited: float  # seconds spent waiting for the disk to be quiet
    quiet: bool  # False: still slow when the wait ran out

    def describe(self, files: int = PROBE_FILES) -> str:
        """One line for the report."""
        line = f"disk probe: {files:,} files created in {self.probe:.2f} s"
        if not self.quiet:
            return line + f", still slow after waiting {self.waited:.0f} s: the figures below are pessimistic"
        return line + (f" (quiet after waiting {self.waited:.0f} s)" if self.waited else " (quiet)")


@dataclass
class Report:
    """Every figure for one corpus size."""

    provisions: int
    source_files: int
    source_mb: float
    floor_read: float
    floor_write: float
    output_files: int = 0
    output_mb: float = 0.0
    runs: dict[str, Run] = field(default_factory=dict)
    preview: dict | None = None  # child_preview's figures
    serve: dict | None = None  # measure_reload's figures: `serve` and a browser (None: not measured)
    disk: DiskState | None = None  # the disk probe before the cold build (the worst one, when it is repeated)
    search_mb: float = 0.0  # the search index Pagefind wrote (when search is measured)
    repeats: dict[str, list[float]] = field(default_factory=dict)  # wall time of every run of a repeated build

    @property
    def floor(self) -> float:
        """Reading every source byte plus writing every output byte."""
        return self.floor_read + self.floor_write


# ------------------------------------------------------------------ the child: one build, reported as JSON

def child_build(root: Path, out: Path, search: bool, jobs: int, cache: bool = True) -> None:
    """Run one build in this (child) process and print what it did as one JSON line."""
    from atlas.pipeline import BuildOptions, build

    start = time.perf_counter()
    result = build(BuildOptions(root=root, out=out, search=search, jobs=jobs, cache=cache))
    wall = time.perf_counter() - start
    print(json.dumps({
        "build": wall, "stages": result.timings, "pages": result.pages, "written": result.written,
        "removed": result.removed, "indexed": result.indexed, "errors": sum(1 for p in result.problems if p.is_error),
        "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def child_preview(root: Path, out: Path, edits: int = 3) -> None:
    """Time the live preview's rebuilds after an edit to one provision, in this (child) process; print JSON."""
    from atlas.preview import PreviewBuilder
    from atlas.serve import IdleCollection, PreviewServer, PreviewState

    builder = PreviewBuilder(root, out, "http://127.0.0.1:8000/", search=False)
    collection = IdleCollection()  # as in `serve`: a rebuild collects the last build's leftovers first
    start = time.perf_counter()
    first = builder.rebuild(None)
    collection.built()
    figures: dict = {"first_build": time.perf_counter() - start, "quick_ms": [], "rebuild": [], "quick_rendered": []}
    # As in `serve`, the rebuilds run while the preview's server thread does (which keeps them in this process:
    # atlas.parallel does not fork a process that runs threads).
    server = PreviewServer(PreviewState(out, "/"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    path = editable_provision(root)
    original = path.read_bytes()
    try:
        for i in range(edits):
            path.write_bytes(marked(original, f" Preview edit {i}."))  # type: ignore[arg-type]
            start = time.perf_counter()
            quick = builder.quick([path])
            figures["quick_ms"].append((time.perf_counter() - start) * 1000)
            figures["quick_rendered"].append(quick.paths[0] if quick and quick.paths else None)
            collection.owed()
            start = time.perf_counter()
            outcome = builder.rebuild("content")
            figures["rebuild"].append(time.perf_counter() - start)
            collection.built()
            if not (first.ok and outcome.ok):
                raise SystemExit("the preview build failed")
    finally:
        path.write_bytes(original)
        server.shutdown()
        server.server_close()
    figures["main_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


# ------------------------------------------------------------------ the parent: corpora, floor, runs

def _tree_pss_kb(pid: int) -> int:
    """The summed PSS of a process and all its descendants, from /proc (0 where it cannot be read)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(root: Path, out: Path, search: bool, jobs: int, cache: bool = True) -> Run:
    """Build in a child process, sampling the memory of its process tree meanwhile."""
    # Write-back of what the last run wrote (or deleted) would otherwise slow this build's writes: on this
    # kind of machine a build that follows another's 800 MB took half as long again.
    _drain_writes()
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(root), str(out), "--jobs", str(jobs)]
    if not search:
        command.append("--no-search")
    if not cache:
        command.append("--no-cache")
    # Descendants' CPU times reach RUSAGE_CHILDREN once they are waited for: the workers by the child, it by us.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(PSS_EVERY):
            peak = max(peak, _tree_pss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"the build failed:\n{stderr[-4000:]}")
    data = json.loads(stdout.strip().splitlines()[-1])
    return Run(wall=wall, tree_pss_mb=peak / 1024, cpu_user=after.ru_utime - before.ru_utime,
               cpu_sys=after.ru_stime - before.ru_stime, **data)


def corpus_for(provisions: int, out: Path, seed: int) -> Path:
    """The corpus of that size, generated unless the one in out was made by the same generator."""
    folder = out / f"corpus-{provisions}"
    stamp = hashlib.blake2b((HERE / "corpus.py").read_bytes() + f"{provisions}/{seed}".encode(), digest_size=16).hexdigest()
    stamp_file = out / f"corpus-{provisions}.stamp"
    if folder.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return folder
    print(f"generating {provisions} provisions into {folder} ...", file=sys.stderr, flush=True)
    set_aside(folder)
    subprocess.run([sys.executable, str(HERE / "corpus.py"), "--provisions", str(provisions), "--out", str(folder),
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    stamp_file.write_text(stamp)
    return folder


def source_files(root: Path) -> list[Path]:
    """Every file the build reads: content/ and data/."""
    return sorted(p for folder in ("content", "data") for p in (root / folder).rglob("*") if p.is_file())


def _drain_writes() -> None:
    """Flush every pending write to disk, so that a measurement starts with nothing queued."""
    if hasattr(os, "sync"):
        os.sync()


TRASH = ".trash"  # folders set aside between measurements, deleted when the benchmark ends
_set_aside_count = itertools.count()


def set_aside(folder: Path, trash: Path | None = None) -> None:
    """Move a folder out of the way (into .trash/ beside it), to be deleted when the benchmark ends.

    Deleting a site of hundreds of megabytes makes this kind of disk slow to create files for minutes
    afterwards (mounted with `discard`, every freed block is trimmed when the journal commits): a build
    measured just after would pay for deleting the one before, which a CI machine, new each time, never does.
    """
    if folder.exists():
        trash = trash or folder.parent / TRASH  # another trash on the same file system, emptied at the end too
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{folder.name}.{os.getpid()}.{next(_set_aside_count)}")


def empty_trash(out: Path) -> None:
    """Delete what set_aside moved away, once nothing more is measured."""
    shutil.rmtree(out / TRASH, ignore_errors=True)


def probe_disk(out: Path, files: int = PROBE_FILES) -> float:
    """Seconds to create `files` small files in a fresh folder under out (set aside afterwards, as every folder)."""
    folder = out / "disk-probe"
    set_aside(folder)
    folder.mkdir(parents=True)
    _drain_writes()
    data = b"x" * 4096
    start = time.perf_counter()
    for i in range(files):
        with open(folder / f"{i}.html", "wb") as handle:
            handle.write(data)
    took = time.perf_counter() - start
    set_aside(folder)
    return took


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def wait_for_quiet_disk(probe: Callable[[], float], limit: float, files: int = PROBE_FILES,
                        sleep: Callable[[float], None] = time.sleep,
                        say: Callable[[str], None] = _to_stderr) -> DiskState:
    """Probe the disk until creating files is quick again, for at most `limit` seconds of waiting (said once, so
    that a silent wait is not taken for a hang)."""
    waited = 0.0
    while True:
        took = probe()
        if took <= files * QUIET_SECONDS_PER_FILE:
            return DiskState(took, waited, True)
        if waited >= limit:
            return DiskState(took, waited, False)
        if not waited:
            say(f"the disk is slow ({files:,} files created in {took:.2f} s): waiting up to {limit:.0f} s for it to be quiet")
        pause = min(PROBE_EVERY, limit - waited)
        sleep(pause)
        waited += pause


def floor_read(files: list[Path]) -> float:
    """Seconds to read every source byte."""
    start = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            handle.read()
    return time.perf_counter() - start


def floor_write(site: Path, target: Path, batch: int = 2000) -> float:
    """Seconds to write every output byte into a fresh folder, one file at a time (reading them is not timed)."""
    set_aside(target)
    files = sorted(p for p in site.rglob("*") if p.is_file())
    _drain_writes()
    elapsed = 0.0
    for i in range(0, len(files), batch):
        data = [(p.relative_to(site), p.read_bytes()) for p in files[i:i + batch]]
        start = time.perf_counter()
        for rel, content in data:
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content)
        elapsed += time.perf_counter() - start
    set_aside(target)
    return elapsed


def site_size(site: Path) -> tuple[int, float]:
    """Files and megabytes of a folder: a built site, or its search index."""
    sizes = [p.stat().st_size for p in site.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes) / 1e6


def edit_one_provision(root: Path, mark: str = EDIT_MARK) -> tuple[Path, bytes]:
    """Edit the summary of the first provision record; returns the file and its original bytes."""
    path = editable_provision(root)
    original = path.read_bytes()
    path.write_bytes(marked(original, mark))  # type: ignore[arg-type]
    return path, original


def editable_provision(root: Path) -> Path:
    """The first provision record with a one-line summary: the one the benchmark edits."""
    for path in source_files(root):
        parts = path.relative_to(root).parts  # content/<platform>/<document>/<provision>.yaml
        if (parts[0] == "content" and len(parts) == 4 and path.suffix == ".yaml" and path.name != "document.yaml"
                and marked(path.read_bytes(), "") is not None):
            return path
    raise SystemExit(f"no provision with a one-line summary in {root}")


def marked(record: bytes, mark: str) -> bytes | None:
    """A provision record's bytes with mark added to its one-line summary (None: it has none)."""
    lines = record.decode("utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("summary: "):
            lines[i] = line.rstrip() + mark
            return "\n".join(lines).encode("utf-8")
    return None


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (of an even number, the quicker of the two in the middle: a run that happened)."""
    ordered = sorted(runs, key=lambda run: run.wall)
    return ordered[(len(ordered) - 1) // 2]


def worst_disk(states: list[DiskState]) -> DiskState:
    """The probe to report of several: one still slow if any was, else the one that waited longest."""
    return max(states, key=lambda state: (not state.quiet, state.waited, state.probe))


def fresh(root: Path, site: Path, out: Path, keep_cache: bool) -> None:
    """Set the site (and, unless keep_cache, the corpus's build cache) aside: the next build starts without them."""
    set_aside(site)
    set_aside(site.parent / f".{site.name}.pagefind-new")
    if not keep_cache:  # hundreds of megabytes at full size: set aside, as the sites are
        set_aside(root / ".atlas-cache", trash=out / TRASH)


def cold_build(root: Path, site: Path, out: Path, jobs: int, disk_wait: float) -> tuple[Run, DiskState]:
    """A cold build (no site, no cache) once the disk is quiet, and what the disk probe found before it."""
    fresh(root, site, out, keep_cache=False)
    disk = wait_for_quiet_disk(lambda: probe_disk(out), disk_wait)
    return measure(root, site, False, jobs), disk


def bench(provisions: int, out: Path, jobs: int, search: bool, seed: int, preview: bool = True,
          disk_wait: float = DISK_WAIT, repeat: int = 1) -> Report:
    """Every measurement for one corpus size."""
    root = corpus_for(provisions, out, seed)
    site = out / f"site-{provisions}"
    files = source_files(root)
    report = Report(provisions, len(files), sum(p.stat().st_size for p in files) / 1e6, floor_read(files), 0.0)

    disks: list[DiskState] = []

    def cold() -> Run:
        run, disk = cold_build(root, site, out, jobs, disk_wait)
        disks.append(disk)
        return run

    # The site of the last cold build stays for the runs that follow: every cold build makes the same bytes.
    report.runs["cold"] = _repeated(report, "cold", cold, repeat)
    report.disk = worst_disk(disks)
    report.output_files, report.output_mb = site_size(site)
    report.floor_write = floor_write(site, out / f"floor-{provisions}")
    report.runs["no change"] = measure(root, site, False, jobs)
    path, original = edit_one_provision(root)
    try:
        report.runs["one edit"] = measure(root, site, False, jobs)
    finally:
        path.write_bytes(original)
    report.runs["edit undone"] = measure(root, site, False, jobs)
    fresh(root, site, out, keep_cache=True)
    report.runs["warm cache"] = measure(root, site, False, jobs)
    if search:
        report.runs["search"] = measure(root, site, True, jobs)
        report.search_mb = site_size(site / SEARCH_DIR)[1]
        report.runs["search again"] = measure(root, site, True, jobs)
    # CI's build (`build --no-cache`): cold, and nothing worked out or kept for a next build. Measured after the
    # search run, in a folder of its own: it leaves no manifest, and the search run starts from the cold build's.
    plain = out / f"site-{provisions}-no-cache"

    def no_cache() -> Run:
        set_aside(plain)
        return measure(root, plain, False, jobs, cache=False)

    report.runs["no cache"] = _repeated(report, "no cache", no_cache, repeat)
    set_aside(plain)
    if preview:
        report.preview = measure_preview(root, out / f"preview-{provisions}")
        report.serve = measure_reload(root)
    return report


def _repeated(report: Report, name: str, run: Callable[[], Run], times: int) -> Run:
    """The median of `times` runs of one measurement; with more than one, every run's wall time is noted."""
    runs = [run() for _ in range(max(times, 1))]
    if len(runs) > 1:
        report.repeats[name] = [r.wall for r in runs]
    return median_run(runs)


def measure_preview(root: Path, out: Path) -> dict:
    """The live preview's figures (child_preview), in a child process."""
    set_aside(out)
    _drain_writes()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-preview", str(root), str(out)],
                          capture_output=True, text=True)
    set_aside(out)
    if done.returncode != 0:
        raise SystemExit(f"the preview build failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium, driven by playwright (never a browser it downloads)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SERVE_WAIT_S = 900.0  # at most, for `serve`'s first build or one rebuild


class _Serve:
    """`build.py serve` on a free port, in a process of its own, its output read line by line."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-u", str(HERE.parent / "build.py"), "serve", "--root", str(root),
                                         "--port", "0", "--no-search"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: deque[str] = deque(maxlen=20)  # the last lines serve printed to stderr, to say why it failed
        for stream, keep in ((self.process.stdout, self.lines.put), (self.process.stderr, self.errors.append)):
            threading.Thread(target=lambda stream=stream, keep=keep: [keep(line.rstrip("\n")) for line in stream],
                             daemon=True).start()
        self.url = re.match(r"serving (\S+)", self.wait_line("serving "))[1]  # type: ignore[index]

    def wait_line(self, prefix: str) -> str:
        """The next output line that starts with prefix."""
        deadline = time.monotonic() + SERVE_WAIT_S
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(prefix):
                return line
        raise SystemExit(f"serve never printed {prefix!r}; its last errors:\n" + "\n".join(self.errors))

    def peak_rss_mb(self) -> float:
        """The process's largest resident set so far (VmHWM)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C: the preview folder is removed
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure_reload(root: Path, edits: int = 3) -> dict | None:
    """`serve` as a contributor runs it, its edited provision's page open in chromium: the time from saving an edit
    to the reloaded page's load event, and the serve process's peak memory. None without playwright or chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    path = editable_provision(root)
    original = path.read_bytes()
    platform, document, name = path.relative_to(root / "content").with_suffix("").parts
    _drain_writes()
    serve = _Serve(root)
    figures: dict = {"reload_ms": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            # Open once the page's event stream is: from then on, a reload is what the page is told.
            with page.expect_response(lambda response: "/__atlas/events" in response.url):
                page.goto(f"{serve.url}platforms/{platform}/{document}/{name}/")
            for i in range(edits):
                mark = f" Reloaded edit {i}."
                with page.expect_event("load", timeout=SERVE_WAIT_S * 1000):
                    saved = time.time() * 1000
                    path.write_bytes(marked(original, mark))  # type: ignore[arg-type]
                loaded = page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventStart")
                if mark not in page.inner_text("main"):
                    raise SystemExit("the page serve reloaded does not show the edit")
                figures["reload_ms"].append(loaded - saved)
                serve.wait_line("content changed: rebuilt")  # the rest of the site, before the next edit
            browser.close()
        figures["serve_rss_mb"] = serve.peak_rss_mb()
    finally:
        path.write_bytes(original)
        serve.stop()
    return figures


# ------------------------------------------------------------------ printing

STAGES = ("load", "validate", "link", "plan", "render", "write", "index")


def print_report(report: Report) -> None:
    """The figures of one size as a table."""
    floor = report.floor
    print(f"\n== {report.provisions:,} provisions: {report.source_files:,} source files, {report.source_mb:.0f} MB; "
          f"site {report.output_files:,} files, {report.output_mb:.0f} MB")
    print(f"   floor {floor:.2f} s (read sources {report.floor_read:.2f} s + write output {report.floor_write:.2f} s); "
          "wall: the build's process from start to exit; build: the build itself, without starting Python")
    if report.disk:
        print(f"   {report.disk.describe()}")
    header = (f"   {'build':<12}{'wall s':>8}{'x floor':>9}{'build s':>9}{'cpu s':>8}{'sys s':>7}{'pages/s':>9}{'written':>9}"
              + "".join(f"{s:>9}" for s in STAGES))
    print(header + f"{'main MB':>9}{'worker MB':>10}{'tree PSS':>9}")
    for name, run in report.runs.items():
        stages = "".join(f"{run.stages.get(s, 0.0):>9.2f}" if s in run.stages else f"{'-':>9}" for s in STAGES)
        rate = run.pages / run.wall if run.wall else 0.0
        print(f"   {name:<12}{run.wall:>8.2f}{run.wall / floor if floor else 0:>9.1f}{run.build:>9.2f}"
              f"{_cpu(run):>8.1f}{run.cpu_sys:>7.1f}{rate:>9.0f}{run.written:>9}"
              f"{stages}{run.main_rss_mb:>9.0f}{run.worker_rss_mb:>10.0f}{run.tree_pss_mb:>9.0f}")
    for name, walls in report.repeats.items():
        print(f"   {name:<12}measured {len(walls)} times, the median run shown: wall "
              f"{', '.join(f'{wall:.2f}' for wall in walls)} s (spread {max(walls) - min(walls):.2f} s)")
    if report.preview:
        p = report.preview
        rendered = "the edited provision's page and citation files" if all(p["quick_rendered"]) else "NOT every time"
        print(f"   preview     after an edit to one provision: quick render of {rendered} "
              f"{', '.join(f'{ms:.0f}' for ms in p['quick_ms'])} ms; whole site rebuilt "
              f"{', '.join(f'{s:.2f}' for s in p['rebuild'])} s (first build {p['first_build']:.1f} s; "
              f"main process {p['main_rss_mb']:.0f} MB)")
        if report.serve:
            print(f"   serve       an edit saved -> its page reloaded in chromium: "
                  f"{', '.join(f'{ms:.0f}' for ms in report.serve['reload_ms'])} ms "
                  f"(serve's process at most {report.serve['serve_rss_mb']:.0f} MB)")
        else:
            print(f"   serve       not measured in a browser: it needs playwright (the test extra) and {CHROMIUM}")


def _cpu(run: Run) -> float:
    """CPU time of a build's whole process tree, user and kernel."""
    return run.cpu_user + run.cpu_sys


def growth(reports: list[Report]) -> list[str]:
    """How each kind of build grows from one size to the next: the multiples of wall and CPU time, beside
    the multiple of provisions (the budget: at most 4 times the 13,250 figure at 50,000)."""
    lines = []
    ordered = sorted(reports, key=lambda r: r.provisions)
    for small, large in zip(ordered, ordered[1:]):
        for name in ("cold", "no change", "one edit", "warm cache", "no cache"):
            a, b = small.runs.get(name), large.runs.get(name)
            if a and b and a.wall and _cpu(a):
                lines.append(f"   {name:<12}{small.provisions:>7,} -> {large.provisions:<7,} provisions x{large.provisions / small.provisions:.2f}: "
                             f"wall x{b.wall / a.wall:.2f}, cpu x{_cpu(b) / _cpu(a):.2f}, "
                             f"user cpu x{b.cpu_user / a.cpu_user if a.cpu_user else 0:.2f}")
    return lines


def cold_rounds(sizes: list[int], out: Path, jobs: int, seed: int, rounds: int, disk_wait: float = 0.0) -> dict[int, list[Run]]:
    """Cold builds of every size, one size after the other, `rounds` times over: each size's runs, in round order."""
    roots = {size: corpus_for(size, out, seed) for size in sizes}
    runs: dict[int, list[Run]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            runs[size].append(cold_build(roots[size], out / f"site-{size}", out, jobs, disk_wait)[0])
    return runs


def growth_rounds(runs: dict[int, list[Run]]) -> tuple[list[str], dict[tuple[int, int], float]]:
    """The report of cold_rounds: each round's builds and multiples, then the median multiples from one size to
    the next; and those median wall multiples, by (smaller, larger) size."""
    sizes = sorted(runs)
    lines, medians = [], {}
    for index in range(len(runs[sizes[0]])):
        builds = ", ".join(f"{size:,} provisions {runs[size][index].wall:.2f} s (cpu {_cpu(runs[size][index]):.1f} s)"
                           for size in sizes)
        multiples = ", ".join(f"x{runs[large][index].wall / runs[small][index].wall:.2f}"
                              for small, large in zip(sizes, sizes[1:]))
        lines.append(f"   round {index + 1}: {builds}; wall {multiples}")
    for small, large in zip(sizes, sizes[1:]):
        walls = [b.wall / a.wall for a, b in zip(runs[small], runs[large])]
        cpus = [_cpu(b) / _cpu(a) for a, b in zip(runs[small], runs[large]) if _cpu(a)]
        medians[(small, large)] = median(walls)
        lines.append(f"   cold        {small:>7,} -> {large:<7,} provisions x{large / small:.2f}: wall x{median(walls):.2f}, "
                     f"cpu x{median(cpus) if cpus else 0:.2f} (medians of {len(walls)} rounds; wall "
                     f"{', '.join(f'x{w:.2f}' for w in walls)})")
    return lines, medians


# The budgets on a 2-core machine: at 13,250 provisions, and the growth from there to 50,000.
BUDGET_SIZE, GROWTH_SIZE = 13_250, 50_000
BUDGET_COLD_S = 7.0  # cold build without the search index
BUDGET_NO_CHANGE_S = 1.5  # rebuild with no change, which does not run Pagefind again
BUDGET_RELOAD_MS = 250.0  # serve: one provision edited -> the browser reloaded
BUDGET_MEMORY_MB = 500.0  # peak memory of the build process
BUDGET_SITE_MB = 600.0  # the whole site, search index included
BUDGET_GROWTH = 4.0  # the cold build at 50,000 provisions, as a multiple of the one at 13,250


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def budgets(reports: list[Report]) -> list[str]:
    """Each budget beside the figure this run measured for it (nothing when 13,250 provisions were not measured)."""
    at = {report.provisions: report for report in reports}
    report = at.get(BUDGET_SIZE)
    if report is None:
        return []
    runs = report.runs
    rows: list[tuple[str, str, str, bool]] = []
    cold = runs["cold"]
    rows.append(("cold build, no search index", f"{cold.wall:.2f} s", f"<= {BUDGET_COLD_S:.0f} s", cold.wall <= BUDGET_COLD_S))
    if "no cache" in runs:
        plain = runs["no cache"]
        rows.append(("  the same, as CI builds (--no-cache)", f"{plain.wall:.2f} s", f"<= {BUDGET_COLD_S:.0f} s",
                     plain.wall <= BUDGET_COLD_S))
    search, again = runs.get("search"), runs.get("search again")
    if search and again:
        rest = search.wall - search.stages.get("index", 0.0)
        rows.append(("indexing: the build besides Pagefind", f"{rest:.2f} s", "renders, writes nothing",
                     search.indexed and search.written == 0))
        rows.append(("rebuild with no change, search on", f"{again.wall:.2f} s", f"<= {BUDGET_NO_CHANGE_S} s, no index",
                     again.wall <= BUDGET_NO_CHANGE_S and not again.indexed and again.written == 0))
    else:
        unchanged = runs["no change"]
        rows.append(("rebuild with no change", f"{unchanged.wall:.2f} s", f"<= {BUDGET_NO_CHANGE_S} s",
                     unchanged.wall <= BUDGET_NO_CHANGE_S and unchanged.written == 0))
    if report.serve:
        slowest = max(report.serve["reload_ms"])
        rows.append(("serve: edit saved -> browser reloaded", f"{slowest:.0f} ms", f"<= {BUDGET_RELOAD_MS:.0f} ms",
                     slowest <= BUDGET_RELOAD_MS))
    elif report.preview:  # no browser: only the part that serve's own code takes
        slowest = max(report.preview["quick_ms"])
        rows.append(("serve: edit -> page rendered, reload sent", f"{slowest:.0f} ms", f"<= {BUDGET_RELOAD_MS:.0f} ms",
                     slowest <= BUDGET_RELOAD_MS))
    memory = max(run.main_rss_mb for run in runs.values())  # the build's own process (Pagefind is a worker)
    rows.append(("peak memory of the build process", f"{memory:.0f} MB", f"<= {BUDGET_MEMORY_MB:.0f} MB", memory <= BUDGET_MEMORY_MB))
    if report.serve or report.preview:  # serve builds in its own process, which keeps the graph and caches between rebuilds
        serving = report.serve["serve_rss_mb"] if report.serve else report.preview["main_rss_mb"]  # type: ignore[index]
        rows.append(("  the same, serve's process", f"{serving:.0f} MB", f"<= {BUDGET_MEMORY_MB:.0f} MB",
                     serving <= BUDGET_MEMORY_MB))
    site = report.output_mb + report.search_mb
    searched = " with search" if report.search_mb else ", no search"
    rows.append((f"whole site{searched}", f"{site:.0f} MB", f"<= {BUDGET_SITE_MB:.0f} MB", site <= BUDGET_SITE_MB))
    large = at.get(GROWTH_SIZE)
    if large:
        times = large.runs["cold"].wall / cold.wall
        rows.append((f"cold build at {GROWTH_SIZE:,} provisions", f"x{times:.2f}", f"<= x{BUDGET_GROWTH:.0f}", times <= BUDGET_GROWTH))
    return [f"   {label:<44}{figure:>16}  {budget:<26}{_verdict(met)}" for label, figure, budget, met in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="provision counts, comma-separated")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where corpora and sites go (default: bench/out)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for the build (0: one per core)")
    parser.add_argument("--no-search", action="store_true", help="do not measure Pagefind")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpora")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    parser.add_argument("--no-preview", action="store_true", help="do not measure the live preview's rebuilds")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure the cold and no-cache builds this many times and report the median run (default 1)")
    parser.add_argument("--disk-wait", type=float, default=DISK_WAIT,
                        help=f"longest wait, in seconds, for a quiet disk before each cold build (default {DISK_WAIT:.0f}; 0: probe only)")
    parser.add_argument("--growth", action="store_true",
                        help="measure only the cold build, the sizes alternated in each of --repeat rounds (at least two sizes)")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)  # a child build's option
    parser.add_argument("--child-preview", nargs=2, type=Path, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.child:
        child_build(args.child[0], args.child[1], not args.no_search, args.jobs, not args.no_cache)
        return 0
    if args.child_preview:
        child_preview(args.child_preview[0], args.child_preview[1])
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.growth:
        if len(sizes) < 2:
            parser.error("--growth needs at least two sizes")
        return _growth_only(sorted(sizes), args)
    reports = []
    try:
        for size in sizes:
            report = bench(size, args.out.resolve(), args.jobs, not args.no_search, args.seed, not args.no_preview,
                           args.disk_wait, args.repeat)
            print_report(report)
            reports.append(report)
    finally:
        empty_trash(args.out.resolve())
    if len(reports) > 1:
        print("\n== growth from one size to the next" + (f" (median runs of {args.repeat})" if args.repeat > 1 else ""))
        print("\n".join(growth(reports)))
    checked = budgets(reports)
    if checked:
        print(f"\n== budgets at {BUDGET_SIZE:,} provisions on a 2-core machine")
        print("\n".join(checked))
    if args.json:
        args.json.write_text(json.dumps([{**asdict(r), "floor": r.floor} for r in reports], indent=1) + "\n")
    return 0


def _growth_only(sizes: list[int], args: argparse.Namespace) -> int:
    """--growth: the cold builds of cold_rounds, their report, and the growth budget's verdict when it applies."""
    out = args.out.resolve()
    try:
        runs = cold_rounds(sizes, out, args.jobs, args.seed, args.repeat, args.disk_wait)
    finally:
        empty_trash(out)
    lines, medians = growth_rounds(runs)
    print(f"\n== growth of the cold build, the sizes alternated in each of {args.repeat} round(s)")
    print("\n".join(lines))
    times = medians.get((BUDGET_SIZE, GROWTH_SIZE))
    if times is not None:
        print(f"   budget: the cold build at {GROWTH_SIZE:,} provisions <= x{BUDGET_GROWTH:.0f} the one at {BUDGET_SIZE:,}: "
              f"x{times:.2f}, {_verdict(times <= BUDGET_GROWTH)}")
    if args.json:
        args.json.write_text(json.dumps({"growth": {str(size): [asdict(run) for run in size_runs] for size, size_runs in runs.items()}},
                                        indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
