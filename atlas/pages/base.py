"""The unit of output: a page (or data file) to produce, with the plain context it is rendered from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, how it is rendered and from what.

    template is a Jinja template name ("provision.html", "feed.xml"), or one of the serialisers
    "@json" (context is JSON-ready data; urls.SiteUrl values become absolute URLs), "@jsonl-gzip" (context
    is an iterable of such data: JSON Lines, gzip-compressed), "@csv" (context is a csv_export.Table), "@text"
    (context is a str) and "@bytes" (context is bytes). The context of "@json", "@jsonl-gzip" and "@csv"
    may be Deferred: built when the file is rendered; so may a template's (provision and regulation pages' are).
    The context of "@jsonl-gzip" and "@csv" may also be Parts: a large file built a part at a time.
    """

    path: str  # relative to the site root: "platforms/anthropic/index.html"
    template: str
    context: Any
    title: str = ""
    description: str = ""
    feeds: tuple[tuple[str, str], ...] = ()  # (title, site-relative path) for autodiscovery links
    absolute_links: bool = False  # 404 pages are served at any URL, so their links cannot be relative

    @property
    def url(self) -> str:
        """The page's site-relative URL ("platforms/x/index.html" -> "platforms/x/")."""
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


@dataclass(frozen=True)
class Deferred:
    """A page's context, built only when the page is rendered: build(*args, graph).

    The renderer passes its view of the graph, which notes what building reads, so the file is rendered
    again when (and only when) something it read changed; planning it costs nothing, and so does deciding
    that it is unchanged. build is a module-level function and args are records or plain values: the
    page's key is made from them. Derivations that many pages share go through graph.remembered, which
    computes each once per build and still notes, for every page, what computing it read.
    """

    build: Callable[..., Any]
    args: tuple[Any, ...] = ()

    def __call__(self, graph: Any) -> Any:
        """The context, built from the graph."""
        return self.build(*self.args, graph)


def page_path(url: str) -> str:
    """The output file of a folder URL ("platforms/x/" -> "platforms/x/index.html")."""
    return url + "index.html" if url.endswith("/") or not url else url


@dataclass(frozen=True)
class Parts:
    """The context of a large file built in parts: its bytes are each part's bytes, one after the other.

    Each part is the context of one run of the page's serialiser (usually Deferred), so a rebuild renders
    again only the parts whose inputs changed and takes the others from the file it wrote last
    (atlas.incremental). The bulk downloads are built so, a platform's provisions a part: one provision
    edited costs its platform's part, not the whole corpus.
    """

    parts: tuple[Any, ...]
