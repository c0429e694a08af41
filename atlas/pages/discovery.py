"""Discovery files: sitemap.xml listing every HTML page of the site, and robots.txt pointing at it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from ..graph import Graph
from .base import Page
from .core import EmptyPage

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


@dataclass(frozen=True)
class Sitemap:
    """The site-relative URLs of the pages a search engine should know, in a stable order."""

    urls: tuple[str, ...]


def sitemap_urls(pages: Sequence[Page]) -> tuple[str, ...]:
    """Every HTML page but the 404 page (served at any address, so it has no URL of its own)."""
    return tuple(sorted(p.url for p in pages if p.path.endswith(".html") and not p.absolute_links and p.path != "404.html"))


def plan(graph: Graph, pages: Sequence[Page]) -> Iterator[Page]:
    """The sitemap of the pages planned so far, and robots.txt."""
    yield Page(SITEMAP, "sitemap.xml", Sitemap(sitemap_urls(pages)))
    yield Page(ROBOTS, "robots.txt", EmptyPage())
