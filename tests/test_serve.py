"""`build.py serve`: change classification, safe file serving, and a live preview that rebuilds and reloads."""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from atlas.serve import CLIENT, classify_change, inject_client, resolve_request
from conftest import REPO, edit

TIMEOUT = 90.0  # generous: the machine may be busy; nothing here measures speed


# ----------------------------------------------------------------------------- pure parts


FOLDERS = {Path("/kb/content"): "content", Path("/kb/data"): "data",
           Path("/gen/templates"): "template", Path("/gen/assets"): "asset"}


@pytest.mark.parametrize("paths, kind", [
    (["/kb/content/alpha/platform.yaml"], "content"),
    (["/kb/data/site.yaml"], "data"),
    (["/gen/templates/base.html"], "template"),
    (["/gen/assets/css/atlas.css"], "asset"),
    (["/gen/assets/css/atlas.css", "/gen/templates/base.html"], "template"),
    (["/gen/assets/js/a.js", "/kb/data/site.yaml", "/kb/content/a/b/c.yaml"], "content"),  # a git checkout: the most
    # an editor's atomic save: a temporary file written, then renamed over the record
    (["/kb/content/alpha/.platform.yaml.swp", "/kb/content/alpha/platform.yaml~", "/kb/content/alpha/platform.yaml"], "content"),
    (["/kb/content/alpha/.platform.yaml.swp", "/kb/content/alpha/4913", "/kb/content/alpha/.#platform.yaml"], None),
    (["/kb/site/index.html", "/elsewhere/x.yaml"], None),
    ([], None),
])
def test_classify_change(paths: list[str], kind: str | None) -> None:
    assert classify_change(paths, FOLDERS) == kind


def test_resolve_request_serves_only_files_inside_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "platforms/alpha").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "platforms/alpha/index.html").write_text("alpha")
    (tmp_path / "secret.txt").write_text("secret")
    assert resolve_request(site, "") == ("file", site / "index.html")
    assert resolve_request(site, "platforms/alpha/") == ("file", site / "platforms/alpha/index.html")
    assert resolve_request(site, "platforms/alpha") == ("redirect", None)
    for bad in ("../secret.txt", "platforms/../../secret.txt", "./index.html", ".hidden", "platforms/alpha/..",
                "x\\..\\secret.txt", "nothing.html"):
        assert resolve_request(site, bad) == ("missing", None), bad


def test_inject_client_adds_one_external_script_before_body_end() -> None:
    html = inject_client(b"<html><body><p>x</p></BODY></html>", 3, "platforms/a&b/index.html")
    assert html.count(b"<script") == 1
    assert re.search(rb'<script src="/__atlas/live-reload\.js" data-generation="3" '
                     rb'data-page="platforms/a&amp;b/index.html" defer></script>\n</BODY>', html)


def test_a_reconnecting_tab_reloads_only_if_a_build_since_its_page_changed_it(tmp_path: Path) -> None:
    from atlas.preview import Outcome
    from atlas.serve import HISTORY_KEPT, PreviewState

    state = PreviewState(tmp_path, "/")
    state.publish(Outcome(True, (), True, True, None))  # the first build: generation 1
    state.publish(Outcome(True, (), True, False, ("a/index.html",)))  # 2
    state.publish(Outcome(True, (), True, True, ("b/index.html", "c.json")))  # 3
    assert state.generation == 3
    assert not state.changed_since("a/index.html", 3)
    assert not state.changed_since("a/index.html", 2)  # only b and c changed since
    assert state.paths_since(1) == ("a/index.html", "b/index.html", "c.json")  # two builds sent as one event
    assert state.changed_since("a/index.html", 1) and state.changed_since("b/index.html", 2)
    assert state.changed_since("", 2) and not state.changed_since("", 3)  # a page of no path: any build counts
    state.publish(Outcome(False, (), False, True, ()))  # broken: every page shows the problems
    assert state.changed_since("a/index.html", 3)
    state.publish(Outcome(True, (), True, True, ()))  # mended after a break: every page reloads
    assert state.paths_since(4) is None and state.changed_since("z/index.html", 4)
    for _ in range(HISTORY_KEPT):
        state.publish(Outcome(True, (), True, True, ("b/index.html",)))
    assert not state.changed_since("a/index.html", state.generation - 1)
    assert not state.changed_since("a/index.html", 5)  # every build since is remembered: none changed it
    assert state.changed_since("a/index.html", 4)  # the build after it is forgotten


def test_the_rebuild_waits_for_open_tabs_to_reload_the_page_rendered_first(tmp_path: Path) -> None:
    """After the quick render, the full rebuild starts once each open tab of the page has reloaded it: its new event
    stream is open (so its page, stylesheets and scripts are in), not merely its old stream closed."""
    from atlas.preview import Outcome
    from atlas.serve import PreviewState

    page = "platforms/alpha/index.html"
    state = PreviewState(tmp_path, "/")
    state.publish(Outcome(True, (), True, True, None))  # generation 1
    state.note_open(page, True, 1)  # a tab shows the page
    state.note_open("platforms/beta/index.html", True, 1)  # another, of a page the edit did not change
    state.publish(Outcome(True, (), True, False, (page,)))  # the quick render: generation 2
    ended = threading.Event()
    waiter = threading.Thread(target=lambda: state.wait_for_reloads((page,), TIMEOUT) and ended.set())
    waiter.start()
    state.note_open(page, False)  # the tab reloads: its old stream closes as the new page arrives
    assert not ended.wait(0.3)
    state.note_open(page, True, 1)  # a stream from a page served before the event is not the reload
    assert not ended.wait(0.3)
    state.note_open(page, True, 2)  # the reloaded page's stream
    assert ended.wait(TIMEOUT)
    waiter.join()
    assert state.wait_for_reloads(("platforms/gamma/index.html",), 0)  # no tab shows it: nothing to wait for


def run_saving_during_the_first_build(tmp_path: Path, happened: list | None = None, **options) -> list:
    """`serve.run` in this process over a content folder, with stand-in builds: a record is saved while the first
    build runs, and the run stops after the next build. Returns what happened (added to `happened`, if given):
    ("build", kind) per build."""
    import io

    from atlas.preview import Outcome
    from atlas.serve import PreviewServer, PreviewState, run

    content = tmp_path / "content"
    content.mkdir()
    record = content / "platform.yaml"
    record.write_text("name: Alpha\n", encoding="utf-8")
    stop = threading.Event()
    happened = [] if happened is None else happened

    def rebuild(kind: str | None) -> Outcome:
        happened.append(("build", kind))
        if kind is None:  # the first build: a contributor saves meanwhile
            record.write_text("name: Alpha saved\n", encoding="utf-8")
        else:
            stop.set()
        return Outcome(True, (), True, True, ())

    timer = threading.Timer(TIMEOUT, stop.set)  # ends the run if the save is never seen
    timer.start()
    try:
        server = PreviewServer(PreviewState(tmp_path / "site", "/"))
        assert run(server, {content: "content"}, rebuild, stop=stop, out=io.StringIO(), **options) == 0
    finally:
        timer.cancel()
    return happened


def test_a_file_saved_while_the_first_build_runs_is_rebuilt_for(tmp_path: Path) -> None:
    """The watcher starts before the first build: a save during it (or just as the address prints) is not missed."""
    assert run_saving_during_the_first_build(tmp_path) == [("build", None), ("build", "content")]


def test_a_rebuild_that_comes_before_the_quiet_time_collects_the_last_builds_garbage_first(tmp_path: Path) -> None:
    """Edits closer together than the idle collection's delay: each rebuild starts by collecting the last one's
    leftovers, so that its peak does not come on top of them."""
    from atlas.serve import IdleCollection

    happened: list = []
    collection = IdleCollection(delay=3600.0, collect=lambda: happened.append("collect"))
    assert run_saving_during_the_first_build(tmp_path, collection=collection, happened=happened) == [
        ("build", None), "collect", ("build", "content")]


# ----------------------------------------------------------------------------- the live preview


class Preview:
    """A `build.py serve` subprocess on a free port, its output lines and an open event stream."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0", "--no-search"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self.events: queue.Queue[tuple[str, dict]] = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append), daemon=True).start()
        try:
            self.url = self._wait_for_url()
        except BaseException:
            self.process.kill()
            self.process.wait()
            raise
        self.origin = re.match(r"http://[^/]+", self.url)[0]

    @staticmethod
    def _read(stream, put: Callable[[str], None]) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, f"serve exited: {self.errors}"
                continue
            match = re.match(r"serving (http://127\.0\.0\.1:\d+/\S*)", line)
            if match:
                return match[1]
        raise AssertionError(f"serve did not start: {self.errors}")

    def wait_line(self, prefix: str) -> str:
        """The next output line starting with prefix."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line.startswith(prefix):
                return line
        raise AssertionError(f"serve never printed {prefix!r}: {self.errors}")

    def get(self, path: str) -> tuple[int, str, dict]:
        """Status, text and headers of a URL path ("platforms/alpha/" under the base, or "/__atlas/...")."""
        url = self.origin + path if path.startswith("/") else self.url + path
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read().decode("utf-8"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8"), dict(exc.headers)

    def listen(self) -> None:
        """Open the event stream and queue each (event, data) it sends."""
        response = urllib.request.urlopen(self.origin + "/__atlas/events", timeout=TIMEOUT)
        assert response.headers["Content-Type"].startswith("text/event-stream")

        def read() -> None:
            name = None
            try:
                for raw in response:
                    line = raw.decode("utf-8").rstrip("\n")
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: ") and name:
                        self.events.put((name, json.loads(line[6:])))
                        name = None
            except OSError:
                pass
        threading.Thread(target=read, daemon=True).start()

    def next_event(self, wanted: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                name, data = self.events.get(timeout=1)
            except queue.Empty:
                continue
            if name == wanted:
                return data
        raise AssertionError(f"no {wanted!r} event; serve said: {self.errors}")

    def poll(self, check: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; serve said: {self.errors}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            try:
                return self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode


@pytest.fixture
def preview(kb: Path) -> Iterator[Preview]:
    server = Preview(kb)
    try:
        yield server
    finally:
        server.stop()  # Ctrl-C, so the preview folder is removed; killed if it does not stop


def atomic_save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside the target, then rename it over the target."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def test_serve_rebuilds_reloads_and_shows_problems_over_the_last_good_site(kb: Path, preview: Preview) -> None:
    assert preview.url.endswith("/atlas/")  # data/site.yaml's url is https://example.org/atlas/
    status, home, headers = preview.get("")
    assert status == 200 and "no-store" in headers["Cache-Control"]
    assert f'<script src="{CLIENT}"' in home  # added to the response...
    folder = preview.wait_line("preview files in ")
    built = Path(folder.removeprefix("preview files in ").split(" (")[0])
    assert "live-reload" not in (built / "index.html").read_text(encoding="utf-8")  # ...never to the built file
    assert not (built / "__atlas").exists()
    assert preview.get("/")[0] == 200  # the server root leads to the base path
    assert preview.get("/__atlas/live-reload.js")[0] == 200
    problems = json.loads(preview.get("/__atlas/problems")[1])
    assert problems["ok"] is True and problems["errors"] == 0

    preview.listen()
    hello = preview.next_event("hello")
    assert hello["ok"] is True

    # An edit: the new text is served and open pages are told to reload.
    record = kb / "content/alpha/platform.yaml"
    good = record.read_text(encoding="utf-8").replace("name: Alpha AI", "name: Alpha Renamed AI")
    atomic_save(record, good)
    reload = preview.next_event("reload")
    assert reload["ok"] is True and reload["generation"] > hello["generation"]
    status, page, _ = preview.get("platforms/alpha/")
    assert status == 200 and "Alpha Renamed AI" in page

    # A broken edit: the problems are listed, the last good page is still served.
    atomic_save(record, good + '"<img src=x onerror=alert(1)>": 1\n')
    preview.next_event("problems")
    problems = json.loads(preview.get("/__atlas/problems")[1])
    assert problems["ok"] is False and problems["errors"] >= 1
    listed = [p for p in problems["problems"] if p["path"] == "content/alpha/platform.yaml"]
    assert listed and listed[0]["code"] == "unknown-field" and listed[0]["severity"] == "error"
    assert "<img" in listed[0]["message"]  # the text as written: the client sets it with textContent only
    raw = preview.get("/__atlas/problems")[1]
    assert "<img" not in raw  # and the JSON itself holds no markup a browser could sniff
    status, page, _ = preview.get("platforms/alpha/")
    assert status == 200 and "Alpha Renamed AI" in page
    # A page opened now gets the overlay script with the current state, and the problems on "hello".
    assert f'<script src="{CLIENT}"' in page

    # Fixed: the problems are cleared and pages reload.
    atomic_save(record, good.replace("Alpha Renamed AI", "Alpha Fixed AI"))
    preview.next_event("reload")
    problems = json.loads(preview.get("/__atlas/problems")[1])
    assert problems["ok"] is True and problems["errors"] == 0 and problems["problems"] == []
    preview.poll(lambda: "Alpha Fixed AI" in preview.get("platforms/alpha/")[1], "the fixed page")

    # Ctrl-C: a clean exit, and the preview folder is removed.
    assert preview.stop() == 0
    assert not any("Traceback" in line for line in preview.errors), preview.errors
    assert not built.exists()


def test_serve_renders_an_edited_provision_first_and_names_the_pages_each_build_changed(kb: Path, preview: Preview) -> None:
    page = "platforms/alpha/policy/child-safety/index.html"
    status, served, _ = preview.get("platforms/alpha/policy/child-safety/")
    assert status == 200 and 'data-page="platforms/alpha/policy/child-safety/index.html"' in served
    preview.listen()
    preview.next_event("hello")
    record = kb / "content/alpha/policy/child-safety.yaml"
    atomic_save(record, record.read_text(encoding="utf-8").replace("summary: Summary of", "summary: Quick summary of"))
    first = preview.next_event("reload")
    cites = [f"platforms/alpha/policy/child-safety/cite.{ext}" for ext in ("txt", "bib", "json")]
    assert sorted(first["paths"]) == sorted([page, *cites])  # the provision's own page and citation files, before the rest of the site
    preview.wait_line("content changed: platforms/alpha/policy/child-safety/index.html (and 3 files beside it) rendered first")
    rest = preview.next_event("reload")
    assert rest["generation"] == first["generation"] + 1
    assert page not in rest["paths"] and "platforms/alpha/policy/index.html" in rest["paths"]
    assert "Quick summary of" in preview.get("platforms/alpha/policy/child-safety/")[1]
    # Saved as `sed -i` saves (a temporary file of an ordinary name, renamed over the record): still rendered first.
    temporary = record.with_name("sedX1b2c3")
    temporary.write_text(record.read_text(encoding="utf-8").replace("Quick summary of", "Sed summary of"), encoding="utf-8")
    os.replace(temporary, record)
    assert sorted(preview.next_event("reload")["paths"]) == sorted([page, *cites])
    preview.next_event("reload")  # the rest of the site
    assert "Sed summary of" in preview.get("platforms/alpha/policy/child-safety/")[1]
    # Another kind of change has no quick render: one reload, for the pages it changed.
    edit(kb / "content/alpha/platform.yaml", "name: Alpha AI", "name: Alpha Other AI")
    reload = preview.next_event("reload")
    assert "platforms/alpha/index.html" in reload["paths"] and "platforms/beta/index.html" not in reload["paths"]


def test_serve_rebuilds_once_many_files_change_at_once(kb: Path, preview: Preview) -> None:
    """Like a `git checkout`: several records and the vocabulary change together; the result shows all of them."""
    preview.listen()
    preview.next_event("hello")
    edit(kb / "content/alpha/platform.yaml", "name: Alpha AI", "name: Alpha Checked-out AI")
    edit(kb / "content/beta/platform.yaml", "name: ", "name: Checked-out ")
    edit(kb / "data/site.yaml", "title: Fixture Atlas", "title: Checked-out Atlas")
    preview.next_event("reload")
    preview.poll(lambda: all(text in preview.get(path)[1] for path, text in (
        ("platforms/alpha/", "Alpha Checked-out AI"), ("platforms/beta/", "Checked-out "), ("", "Checked-out Atlas"))),
        "every change to be served")
    assert json.loads(preview.get("/__atlas/problems")[1])["ok"] is True


def test_serve_stops_cleanly_when_terminated(preview: Preview) -> None:
    folder = Path(preview.wait_line("preview files in ").removeprefix("preview files in ").split(" (")[0])
    assert folder.is_dir()
    preview.process.terminate()
    assert preview.process.wait(timeout=TIMEOUT) == 0
    assert not folder.exists()
    assert not any("Traceback" in line for line in preview.errors), preview.errors


def test_serve_rejects_traversal_and_unknown_paths(preview: Preview) -> None:
    for path in ("../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "platforms/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/etc/passwd", "nothing-here/"):
        status, body, _ = preview.get(path)
        assert status == 404, path
        assert "root:" not in body
    status, _, headers = preview.get("platforms")
    assert status == 200  # redirected to platforms/ and served


def _poll_page(page, expression: str, timeout: float = TIMEOUT):
    """Poll a JavaScript expression until truthy, surviving the reloads the preview triggers."""
    from playwright.sync_api import Error  # noqa: PLC0415 - only browser tests need playwright

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = page.evaluate(expression)
        except Error:  # the page was reloading
            value = None
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for: {expression}")


@pytest.mark.browser
def test_only_the_open_pages_an_edit_changed_reload(kb: Path, preview: Preview) -> None:
    from browser_support import chromium  # noqa: PLC0415 - only browser tests need playwright

    record = kb / "content/alpha/policy/child-safety.yaml"
    with chromium() as browser:
        edited, other = browser.new_page(), browser.new_page()
        edited.goto(preview.url + "platforms/alpha/policy/child-safety/")
        other.goto(preview.url + "platforms/gamma/")
        for page in (edited, other):
            page.evaluate("window.notReloaded = true")
            page.wait_for_function("() => document.readyState === 'complete'")
        atomic_save(record, record.read_text(encoding="utf-8").replace("summary: Summary of", "summary: Seen at once, summary of"))
        _poll_page(edited, "document.body && document.body.textContent.includes('Seen at once, summary of')")
        assert edited.evaluate("window.notReloaded") is None  # reloaded
        preview.wait_line("content changed: rebuilt")  # the whole site is rebuilt too
        other.wait_for_timeout(500)
        assert other.evaluate("window.notReloaded") is True  # its page did not change: it was left alone


@pytest.mark.browser
def test_overlay_shows_problems_over_the_last_good_page_then_reloads(kb: Path, preview: Preview) -> None:
    from browser_support import chromium  # noqa: PLC0415 - only browser tests need playwright

    record = kb / "content/alpha/platform.yaml"
    good = record.read_text(encoding="utf-8")
    with chromium() as browser:
        page = browser.new_page()
        blocked: list[str] = []
        page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
        page.on("dialog", lambda dialog: blocked.append("dialog: " + dialog.message))
        page.goto(preview.url + "platforms/alpha/")
        assert page.locator("#atlas-preview-problems").count() == 0

        atomic_save(record, good + '"<img src=x onerror=alert(1)>": 1\n')
        text = _poll_page(page, "(document.getElementById('atlas-preview-problems') || {}).textContent")
        assert "unknown-field" in text and "<img src=x onerror=alert(1)>" in text  # shown as text...
        assert page.locator("#atlas-preview-problems img").count() == 0  # ...never as markup
        assert "Alpha AI" in page.locator("h1").first.inner_text()  # over the last good page

        atomic_save(record, good.replace("name: Alpha AI", "name: Alpha Mended AI"))
        _poll_page(page, "!document.getElementById('atlas-preview-problems') && "
                         "document.querySelector('h1') && document.querySelector('h1').textContent.includes('Alpha Mended AI')")
        assert blocked == []


def test_the_garbage_of_a_build_is_collected_once_the_preview_is_quiet() -> None:
    """Builds pause the cyclic collector and leave cycles behind; serve collects them once quiet after each build."""
    from atlas.serve import IdleCollection

    now = [100.0]
    collections: list[float] = []
    idle = IdleCollection(delay=2.0, clock=lambda: now[0], collect=lambda: collections.append(now[0]))
    assert not idle.quiet() and collections == []  # no build yet: nothing to collect
    idle.built()
    now[0] += 1.5
    assert not idle.quiet() and collections == []  # too soon: the reload after the build is served first
    idle.built()  # another change came and was built: the quiet time starts again
    now[0] += 1.5
    assert not idle.quiet()
    now[0] += 0.5
    assert idle.quiet() and collections == [103.5]
    now[0] += 10
    assert not idle.quiet() and collections == [103.5]  # once per build, not at every quiet moment
    assert not idle.owed() and collections == [103.5]  # a rebuild that starts now has nothing to collect first
    idle.built()
    assert idle.owed() and collections == [103.5, 113.5]  # a rebuild before the quiet time collects first...
    now[0] += 5
    assert not idle.quiet() and collections == [103.5, 113.5]  # ...and then the quiet time has nothing left to do
