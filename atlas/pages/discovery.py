"""Discovery files: sitemap.xml listing every HTML page of the site, and robots.txt pointing at it.

A sitemap file may list at most 50,000 URLs (sitemaps.org), which a knowledge base of 50,000 provisions
passes: then sitemap.xml is an index of numbered sitemap files. They sit at the site's root, because a
sitemap may only list URLs at or below its own folder.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from ..graph import Graph
from .base import Page
from .core import EmptyPage

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
URLS_PER_SITEMAP = 50_000  # the protocol's limit for one file


@dataclass(frozen=True)
class Sitemap:
    """The site-relative URLs of the pages a search engine should know, in a stable order."""

    urls: tuple[str, ...]


@dataclass(frozen=True)
class SitemapIndex:
    """The site-relative paths of the sitemap files that share a site's URLs between them."""

    sitemaps: tuple[str, ...]


def sitemap_urls(pages: Sequence[Page]) -> tuple[str, ...]:
    """Every HTML page but the 404 page (served at any address, so it has no URL of its own)."""
    return tuple(sorted(p.url for p in pages if p.path.endswith(".html") and not p.absolute_links and p.path != "404.html"))


def plan(graph: Graph, pages: Sequence[Page]) -> Iterator[Page]:
    """The sitemap of the pages planned so far (an index of several when they are too many), and robots.txt."""
    urls = sitemap_urls(pages)
    if len(urls) <= URLS_PER_SITEMAP:
        yield Page(SITEMAP, "sitemap.xml", Sitemap(urls))
    else:
        parts = [urls[start:start + URLS_PER_SITEMAP] for start in range(0, len(urls), URLS_PER_SITEMAP)]
        paths = tuple(f"sitemap-{number}.xml" for number in range(1, len(parts) + 1))
        yield Page(SITEMAP, "sitemap_index.xml", SitemapIndex(paths))
        yield from (Page(path, "sitemap.xml", Sitemap(part)) for path, part in zip(paths, parts))
    yield Page(ROBOTS, "robots.txt", EmptyPage())
