"""Live preview: serve the preview folder on 127.0.0.1 under the base path, watch the sources, rebuild, reload tabs.

The server adds three things the built site never holds, under /__atlas/ (no output path starts with "_"):
an event stream that tells open pages to reload (Server-Sent Events), the last build's problems as JSON, and
the small script that listens to both; the script tag is added to HTML responses only, never to the files.
"""
from __future__ import annotations

import gc
import itertools
import json
import mimetypes
import sys
import threading
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from html import escape as html_escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol, Sequence
from urllib.parse import parse_qs, quote, unquote, urlsplit

import watchfiles

from .problems import Problem, format_text, sorted_problems

HOST = "127.0.0.1"
EVENTS = "/__atlas/events"
PROBLEMS = "/__atlas/problems"
CLIENT = "/__atlas/live-reload.js"
CLIENT_FILE = Path(__file__).with_name("live-reload.js")
KEEPALIVE_SECONDS = 15.0
HISTORY_KEPT = 64  # builds whose changed files are remembered for tabs that reconnect
QUICK_RELOAD_WAIT_SECONDS = 1.0  # at most, for open tabs to reload a quick-rendered page before the full rebuild
WATCH_STEP_MS = 20  # quiet time that ends a batch of changes: an editor's save is one batch, yet a reload comes soon
WATCH_TIMEOUT_MS = 200  # the watcher's first (empty) batch, which the first build waits for, comes after this
IDLE_COLLECT_SECONDS = 10.0  # quiet time after a build before its leftover reference cycles are collected
# Which kind of change wins when a batch holds several: the most demanding rebuild.
KIND_ORDER = ("content", "data", "template", "asset")
# Editors' temporary and backup files: an atomic save writes one of these, then renames it over the record.
_TEMP_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload", ".bak", ".orig")
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".json": "application/json", ".xml": "application/xml; charset=utf-8", ".atom": "application/atom+xml",
          ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
          ".svg": "image/svg+xml", ".wasm": "application/wasm", ".webmanifest": "application/manifest+json"}


class BuildOutcome(Protocol):
    """What a rebuild reports (atlas.preview.Outcome): success, problems, whether any served file changed."""

    ok: bool
    problems: Sequence[Problem]
    pages_changed: bool
    paths: tuple[str, ...] | None  # the site files whose bytes changed; None: every open page reloads


def _ignored(name: str) -> bool:
    return not name or name.startswith((".", "#")) or name.endswith(_TEMP_SUFFIXES) or name == "4913"  # vim's write test


def classify_change(paths: Iterable[str | Path], folders: Mapping[Path, str]) -> str | None:
    """The kind of a batch of changed paths (content, data, template, asset), or None when none matters."""
    kinds = set()
    for raw in paths:
        path = Path(raw)
        if _ignored(path.name):
            continue
        for folder, kind in folders.items():
            if path == folder or folder in path.parents:
                kinds.add(kind)
                break
    return next((kind for kind in KIND_ORDER if kind in kinds), None)


@dataclass
class PreviewState:
    """What the server shows: the folder, the base path, and the outcome of the latest build."""

    site: Path
    base_path: str
    generation: int = 0
    ok: bool = False
    event: str = "problems"
    problems: tuple[Problem, ...] = ()
    closing: bool = False
    open_pages: Counter = field(default_factory=Counter, repr=False)  # site file -> event streams of tabs showing it
    # site file -> the generation of the page shown by the last tab that opened an event stream for it
    connected: dict[str, int] = field(default_factory=dict, repr=False)
    # The files each recent generation changed (None: every page), so that a tab whose page was served at an
    # older generation can tell whether it is out of date when its event stream (re)connects.
    history: deque = field(default_factory=lambda: deque(maxlen=HISTORY_KEPT), repr=False)
    changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def publish(self, outcome: BuildOutcome) -> str | None:
        """Record a build's outcome; returns the event open pages get ("reload", "problems") or None."""
        with self.changed:
            was_ok = self.ok
            self.ok, self.problems = outcome.ok, tuple(sorted_problems(outcome.problems))
            if outcome.ok and was_ok and not outcome.pages_changed:
                return None  # nothing a reader could see has changed
            self.event = "reload" if outcome.ok else "problems"
            self.generation += 1
            # Pages showing the problems overlay reload whatever changed.
            self.history.append((self.generation, outcome.paths if was_ok and outcome.ok else None))
            self.changed.notify_all()
            return self.event

    def paths_since(self, generation: int) -> tuple[str, ...] | None:
        """The site files the builds after `generation` changed (None: every page, or more than is remembered)."""
        with self.changed:
            if self.history and self.history[0][0] > generation + 1:
                return None
            paths: set[str] = set()
            for done, changed in self.history:
                if done > generation:
                    if changed is None:
                        return None
                    paths.update(changed)
            return tuple(sorted(paths))

    def changed_since(self, page: str, generation: int) -> bool:
        """Whether a build after `generation` changed the site file `page` ("": any build after it counts)."""
        with self.changed:
            if generation >= self.generation:
                return False
            paths = self.paths_since(generation)
            return not page or paths is None or page in paths

    def note_open(self, page: str, opened: bool, since: int = -1) -> None:
        """A tab showing a site file, served at generation `since`, opened (or closed) its event stream."""
        with self.changed:
            self.open_pages[page] += 1 if opened else -1
            if self.open_pages[page] <= 0:
                del self.open_pages[page]
            if opened:
                self.connected[page] = max(self.connected.get(page, -1), since)
                self.changed.notify_all()

    def wait_for_reloads(self, paths: Sequence[str], timeout: float) -> bool:
        """Wait until each tab showing one of paths when the wait starts has reloaded it (or timeout): it has
        opened its event stream again, from the page served since the last event.

        The preview's quick render publishes a page, then rebuilds the whole site, which keeps the process
        busy: a tab that reloads first gets its page, stylesheets and scripts at once instead of between the
        rebuild's steps. The event stream opens once they are in (the client script is deferred), whereas
        the tab's old stream closes as soon as the new page starts arriving.
        """
        with self.changed:
            waiting = [page for page in paths if self.open_pages.get(page)]
            return self.changed.wait_for(lambda: self.closing or all(
                self.connected.get(page, -1) >= self.generation for page in waiting), timeout)

    def close(self) -> None:
        """Tell every open event stream to end."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def snapshot(self) -> dict:
        """The state as the problems endpoint and the event stream send it."""
        with self.changed:
            errors = sum(1 for p in self.problems if p.is_error)
            return {"ok": self.ok, "generation": self.generation, "errors": errors, "warnings": len(self.problems) - errors,
                    "problems": [{"path": p.path, "line": p.line, "col": p.col, "severity": p.severity, "code": p.code,
                                  "message": p.message, "text": format_text(p)} for p in self.problems]}


def json_bytes(value: object) -> bytes:
    """JSON that stays inert even if a browser sniffed it as HTML."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("ascii")


def resolve_request(site: Path, relative: str) -> tuple[str, Path | None]:
    """Map a path under the base path to ("file", path), ("redirect", None) for a folder without "/", or ("missing", None)."""
    parts = relative.split("/")
    if any(part in (".", "..") or part.startswith(".") or "\\" in part or "\x00" in part or ":" in part for part in parts):
        return "missing", None
    candidate = site.joinpath(*[part for part in parts if part])
    if candidate.is_dir():
        if relative and not relative.endswith("/"):
            return "redirect", None
        candidate = candidate / "index.html"
    try:
        inside = candidate.resolve().is_relative_to(site.resolve())
    except OSError:
        return "missing", None
    return ("file", candidate) if inside and candidate.is_file() else ("missing", None)


def inject_client(html: bytes, generation: int, page: str = "") -> bytes:
    """The page with the live-reload script tag before </body> (only in responses, never in the built files).

    page: the site file served ("platforms/x/index.html"), so that the script reloads only when a rebuild
    changed it; "" for a page that reloads after every rebuild (the 404 page, served at any URL).
    """
    page_attr = html_escape(page, quote=True).encode("ascii", "xmlcharrefreplace")
    tag = (f'<script src="{CLIENT}" data-generation="{generation}" data-page="'.encode("ascii") + page_attr
           + b'" defer></script>\n')
    at = html.lower().rfind(b"</body>")
    return html + tag if at == -1 else html[:at] + tag + html[at:]


NO_SITE = b"""<!doctype html><html lang="en"><meta charset="utf-8"><title>No preview yet</title>
<body><h1>No preview yet</h1><p>The site has not been built successfully yet; its problems are listed above and in the terminal.</p></body></html>
"""


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the preview: files under the base path, and the /__atlas/ endpoints."""

    server: "PreviewServer"
    server_version = "AtlasPreview/1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # a request log would bury the rebuild messages the contributor needs

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        path = url.path
        if path == EVENTS and not head:
            query = parse_qs(url.query)
            since = query.get("since", [""])[0]
            return self._events(state, query.get("page", [""])[0], int(since) if since.isdigit() else -1)
        if path == PROBLEMS:
            return self._send(HTTPStatus.OK, "application/json", json_bytes(state.snapshot()), head)
        if path == CLIENT:
            return self._send(HTTPStatus.OK, _TYPES[".js"], CLIENT_FILE.read_bytes(), head)
        base = state.base_path
        if not path.startswith(base):
            if path == "/" or path + "/" == base:
                return self._redirect(base)
            return self._not_found(state, head)
        relative = unquote(path[len(base):], errors="replace")  # bytes that are not UTF-8 name no file
        found, file = resolve_request(state.site, relative)
        if found == "redirect":
            return self._redirect(quote(path + "/"))
        if file is None:
            return self._not_found(state, head)
        self._send_file(HTTPStatus.OK, file, state, head)

    def _send_file(self, status: HTTPStatus, file: Path, state: PreviewState, head: bool) -> None:
        try:
            body = file.read_bytes()
        except OSError:  # removed by a rebuild between the look-up and the read
            return self._send(HTTPStatus.NOT_FOUND, _TYPES[".txt"], b"not found\n", head)
        kind = _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix.lower() == ".html":
            served = file.relative_to(state.site).as_posix() if status == HTTPStatus.OK else ""
            body = inject_client(body, state.generation, served)
        self._send(status, kind, body, head)

    def _not_found(self, state: PreviewState, head: bool) -> None:
        page = state.site / "404.html"
        if page.is_file():
            return self._send_file(HTTPStatus.NOT_FOUND, page, state, head)
        self._send(HTTPStatus.NOT_FOUND, _TYPES[".html"], inject_client(NO_SITE, state.generation), head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY if location.endswith("/") and location != "/" else HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, state: PreviewState, page: str, since: int) -> None:
        """A Server-Sent Events stream: "hello" with the current state, then "reload" or "problems" per build.

        page: the site file the tab shows, served at generation `since` (the live-reload script sends both):
        "hello" says whether a build since then changed it.
        """
        if page:
            state.note_open(page, True, since)
        try:
            self._stream_events(state, state.changed_since(page, since))
        finally:
            if page:
                state.note_open(page, False)

    def _stream_events(self, state: PreviewState, stale: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        try:
            with state.changed:
                seen, ok = state.generation, state.ok
            self._event("hello", {"generation": seen, "ok": ok, "stale": stale}, retry=True)
            while True:
                with state.changed:
                    state.changed.wait_for(lambda: state.closing or state.generation != seen, timeout=KEEPALIVE_SECONDS)
                    closing, generation, event, ok = state.closing, state.generation, state.event, state.ok
                    # Every build since the last event sent, should several have followed each other quickly.
                    paths = state.paths_since(seen)
                if closing:
                    return
                if generation == seen:
                    self.wfile.write(b": keep-alive\n\n")  # lets a closed tab be noticed (the write fails)
                else:
                    seen = generation
                    self._event(event, {"generation": generation, "ok": ok, "paths": None if paths is None else list(paths)})
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            return  # the tab was closed or reloaded

    def _event(self, name: str, data: dict, retry: bool = False) -> None:
        prefix = b"retry: 1000\n" if retry else b""
        self.wfile.write(prefix + f"event: {name}\n".encode("ascii") + b"data: " + json_bytes(data) + b"\n\n")
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: one thread per request, none of them holding up the exit."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: PreviewState, port: int = 0) -> None:
        self.state = state
        super().__init__((HOST, port), PreviewHandler)

    @property
    def port(self) -> int:
        """The port listened on (the one the system chose when asked for port 0)."""
        return self.server_address[1]


def report_problems(problems: Sequence[Problem], stream=sys.stderr) -> None:
    """Print problems as the terminal shows them (a build's, or a run of the search index's)."""
    for problem in sorted_problems(problems):
        print(format_text(problem), file=stream)


def _safe_rebuild(rebuild: Callable[[str | None], BuildOutcome], kind: str | None) -> BuildOutcome:
    try:
        return rebuild(kind)
    except Exception as exc:  # noqa: BLE001 - a bug in a template helper must not stop the preview
        traceback.print_exc()
        return _Failed((Problem("build", 1, 1, "internal", f"the build crashed: {type(exc).__name__}: {exc}"),))


@dataclass(frozen=True)
class _Failed:
    problems: tuple[Problem, ...]
    ok: bool = False
    pages_changed: bool = False
    paths: tuple[str, ...] | None = None


def _listed(paths: Sequence[str]) -> str:
    """The first path a build wrote (the page), and how many more came with it."""
    if len(paths) <= 1:
        return paths[0] if paths else "nothing"
    more = len(paths) - 1
    return f"{paths[0]} (and {more} file{'s' if more > 1 else ''} beside it)"


def _safe_quick(quick: Callable[[Sequence[Path]], BuildOutcome | None], paths: Sequence[Path]) -> BuildOutcome | None:
    try:
        return quick(paths)
    except Exception:  # noqa: BLE001 - the full rebuild that follows reports what is wrong
        return None


class IdleCollection:
    """One full garbage collection after each build: once the preview has been quiet for a while, or else
    just before the next full rebuild.

    A build pauses the cyclic collector and leaves reference cycles behind (template contexts, environments),
    which only a full collection frees; in a preview that runs for hours, the collector's own schedule seldom
    comes to one, and each rebuild left a few megabytes more. A full collection walks every object the preview
    keeps between builds (0.7 s at 13,250 provisions), so it waits until no change has come for a while: the
    reload after a build is served first, and an edit arriving meanwhile is not kept waiting for it. When edits
    come closer together than that, the next rebuild collects first (once the quick render has been reloaded):
    otherwise each rebuild's peak came on top of the earlier ones' leftovers (at 13,250 provisions, with an edit
    saved every few seconds, serve's memory peaked at 535 MB; collecting first, at 500 MB).
    """

    def __init__(self, delay: float = IDLE_COLLECT_SECONDS, clock: Callable[[], float] = time.monotonic,
                 collect: Callable[[], object] = gc.collect) -> None:
        self.delay, self.clock, self.collect = delay, clock, collect
        self.due: float | None = None

    def built(self) -> None:
        """A build just ended: collect once the preview has been quiet for `delay` seconds."""
        self.due = self.clock() + self.delay

    def quiet(self) -> bool:
        """No change came for a while: collect if a build is waiting for it; True if it did."""
        if self.due is None or self.clock() < self.due:
            return False
        return self.owed()

    def owed(self) -> bool:
        """A build is about to start: collect now if the last one's collection is still to come; True if it did."""
        if self.due is None:
            return False
        self.due = None
        self.collect()
        return True


def run(server: PreviewServer, folders: Mapping[Path, str], rebuild: Callable[[str | None], BuildOutcome],
        stop: threading.Event | None = None, out=sys.stdout,
        quick: Callable[[Sequence[Path]], BuildOutcome | None] | None = None,
        collection: IdleCollection | None = None) -> int:
    """Build, serve, and rebuild on every change until Ctrl-C (or stop is set); returns the exit status.

    quick: given the paths of a content change, renders the few pages it can render at once (an edited
    provision's: atlas.quick), or returns None; open pages it changed reload before the full rebuild.
    """
    state = server.state
    folders = {folder.resolve(): kind for folder, kind in folders.items()}
    watched = [folder for folder in folders if folder.is_dir()]
    stop = stop or threading.Event()
    thread = threading.Thread(target=server.serve_forever, name="atlas-preview", daemon=True)
    collection = collection or IdleCollection()
    # debounce/step: a `git checkout` of many files or an editor's write-then-rename arrives as one batch
    # (the batch ends after WATCH_STEP_MS with no change).
    # Every WATCH_TIMEOUT_MS without a change, an empty batch: the time to collect a build's leftovers.
    batches = watchfiles.watch(*watched, stop_event=stop, debounce=1600, step=WATCH_STEP_MS, rust_timeout=WATCH_TIMEOUT_MS,
                               yield_on_timeout=True, raise_interrupt=True)
    try:
        # The watcher starts (on the first batch asked for) before the first build: a file saved while that build
        # runs, or the moment the address is printed, is rebuilt for, not missed.
        first_batch = next(batches, set())
        outcome = _safe_rebuild(rebuild, None)
        collection.built()
        state.publish(outcome)
        report_problems(outcome.problems)
        thread.start()
        url = f"http://{HOST}:{server.port}{state.base_path}"
        status = "" if outcome.ok else " (the build failed: fix the problems above; the page shows them too)"
        print(f"serving {url}{status}\npreview files in {state.site} (removed on exit)\n"
              f"watching {', '.join(str(f) for f in watched)}; Ctrl-C to stop", file=out, flush=True)
        for changes in itertools.chain([first_batch], batches):
            if not changes:
                collection.quiet()
                continue
            paths = sorted({Path(path) for _, path in changes if not _ignored(Path(path).name)})
            kind = classify_change(paths, folders)
            if kind is None:
                continue
            first = _safe_quick(quick, paths) if quick is not None and kind == "content" else None
            if first is not None and first.ok and state.publish(first):
                print(f"content changed: {_listed(first.paths or ())} rendered first; rebuilding the rest", file=out, flush=True)
                state.wait_for_reloads(first.paths or (), QUICK_RELOAD_WAIT_SECONDS)
            collection.owed()
            outcome = _safe_rebuild(rebuild, kind)
            collection.built()
            event = state.publish(outcome)
            report_problems(outcome.problems)
            if outcome.ok:
                print(f"{kind} changed: rebuilt{'; reloading open pages' if event else ' (no page changed)'}", file=out, flush=True)
            else:
                errors = sum(1 for p in outcome.problems if p.is_error)
                print(f"{kind} changed: {errors} error(s); still serving the last good build", file=out, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        batches.close()
        state.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    print("preview stopped", file=out, flush=True)
    return 0
