"""Browser-test helpers: serve a built site under a sub-path, and launch Debian's chromium through playwright.

    with serve(site_dir, "/atlas/") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "compare/")

serve() answers like GitHub Pages: only paths under base_path exist, a folder URL serves its index.html,
a folder URL without its trailing slash is redirected, and anything missing gets 404.html with status 404.
"""
from __future__ import annotations

import functools
import http.server
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium: never a browser downloaded by playwright
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder at base_path, and nothing outside it."""

    base_path = "/"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _site_path(self) -> str | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.base_path):
            return None
        return path[len(self.base_path):]

    def translate_path(self, path: str) -> str:
        inner = self._site_path()
        if inner is None:
            return str(Path(self.directory) / "\x00missing")  # a path that cannot exist: 404
        return super().translate_path("/" + inner)

    def send_head(self):  # type: ignore[override]
        target = Path(self.translate_path(self.path))
        if self._site_path() is not None and (target.is_file() or (target.is_dir() and (target / "index.html").is_file())):
            return super().send_head()
        missing = Path(self.directory) / "404.html"
        if not missing.is_file():
            self.send_error(404)
            return None
        data = missing.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return _BytesFile(data)


class _BytesFile:
    """The body of a generated response, read by SimpleHTTPRequestHandler like an open file."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:  # a browser closing a connection early
        pass


@contextmanager
def serve(site_dir: Path, base_path: str = "/") -> Iterator[str]:
    """Serve site_dir at http://127.0.0.1:<free port><base_path> in a thread; yields that base URL."""
    if not base_path.startswith("/") or not base_path.endswith("/"):
        raise ValueError(f"base_path must start and end with '/': {base_path!r}")
    handler = type("Handler", (_SubPathHandler,), {"base_path": base_path})
    server = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright: Any, **options: Any) -> Any:
    """Debian's chromium, headless, with the flags a container needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options)


@contextmanager
def chromium(**options: Any) -> Iterator[Any]:
    """A running chromium browser for the length of the block."""
    from playwright.sync_api import sync_playwright  # imported here: only browser tests need playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, **options)
        try:
            yield browser
        finally:
            browser.close()


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> Any:
    """Poll a JavaScript expression until it is truthy; returns its value.

    page.wait_for_function evaluates its predicate with eval(), which the site's Content Security Policy
    forbids once the first check fails; page.evaluate goes through the debugging protocol instead.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(50)
