"""Atom feeds of changes (all, per platform, per clause type, per regulation) and the page that lists them."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterator
from urllib.parse import urlsplit

from .. import model as m
from ..diff import TextDiff
from ..graph import ChangeEvent, Graph
from ..history import TimelineEntry, provision_redlines, timeline_entry
from ..urls import changes_url, feed_url, url_for
from .base import Page

FEED_ENTRIES = 50  # the newest changes in each feed; older ones stay on the timeline
# Tag URIs (RFC 4151) need a date on which the site's domain was held; the year the atlas began.
TAG_YEAR = "2026"


@dataclass(frozen=True)
class FeedEntry:
    """One change as an Atom entry."""

    item: TimelineEntry
    id: str  # tag:host,date:platform/document/provision#change-N
    url: str  # site-relative link to the change on its provision page
    updated: str  # RFC 3339

    @property
    def redline(self) -> TextDiff | None:
        """The change's word-level redline, if it has one (computed when the feed is rendered, not planned)."""
        event = self.item.event
        return provision_redlines(event.provision, self.item.document)[event.index]


@dataclass(frozen=True)
class Feed:
    """An Atom feed: its identity, the page it mirrors and its newest entries."""

    id: str
    title: str
    subtitle: str
    alternate: str  # site-relative URL of the matching HTML page
    updated: str  # RFC 3339
    entries: tuple[FeedEntry, ...]
    total: int


@dataclass(frozen=True)
class FeedLink:
    """A feed as the feeds page lists it."""

    title: str
    path: str
    page: str  # the matching HTML page
    name: str  # what the feed follows: "All changes", a platform name...
    total: int
    latest: date | None


@dataclass(frozen=True)
class FeedsPage:
    everything: FeedLink
    platforms: tuple[FeedLink, ...]
    clause_types: tuple[FeedLink, ...]
    regulations: tuple[FeedLink, ...]


def rfc3339(day: date) -> str:
    """A date as an RFC 3339 timestamp at midnight UTC (the records are dated by day)."""
    return f"{day.isoformat()}T00:00:00Z"


def tag_host(graph: Graph) -> str:
    """The domain the tag: IDs are minted under: the site's canonical host, so a preview build keeps the IDs."""
    return (urlsplit(graph.site.url).hostname or "localhost").lower()


def entry_id(graph: Graph, event: ChangeEvent) -> str:
    """The stable Atom ID of a change: tag:<host>,<date detected>:<record ID>#change-N."""
    return f"tag:{tag_host(graph)},{event.date.isoformat()}:{event.id}"


def feed_title(graph: Graph, obj: object | None = None) -> str:
    """The title of the feed of obj's changes (None: all changes)."""
    if obj is None:
        return f"{graph.site.title}: all changes"
    if isinstance(obj, m.Platform):
        return f"{graph.site.title}: changes at {obj.name}"
    if isinstance(obj, m.ClauseType):
        return f"{graph.site.title}: changes to {obj.name.lower()} clauses"
    if isinstance(obj, m.Regulation):
        return f"{graph.site.title}: changes to provisions mapped to {obj.name}"
    raise TypeError(f"no feed for {type(obj).__name__}")


def links(graph: Graph, obj: object | None = None) -> tuple[tuple[str, str], ...]:
    """The autodiscovery links of a page: its own feed (if any) and the feed of all changes."""
    own = ((feed_title(graph, obj), feed_url(obj)),) if obj is not None else ()
    return own + ((feed_title(graph), feed_url()),)


def feed(graph: Graph, obj: object | None, events: tuple[ChangeEvent, ...]) -> Feed:
    """The feed of the given changes (newest first), capped at the newest FEED_ENTRIES."""
    entries = tuple(
        FeedEntry(timeline_entry(graph, e), entry_id(graph, e), f"{url_for(e.provision)}#change-{e.index + 1}",
                  rfc3339(e.date))
        for e in events[:FEED_ENTRIES])
    alternate = changes_url() if obj is None else url_for(obj)
    subtitle = ("Changes to the terms and policies of AI platforms, clause by clause." if obj is None else
                f"Changes recorded in the atlas, newest first; the page {alternate} has the full record.")
    return Feed(f"tag:{tag_host(graph)},{TAG_YEAR}:{feed_url(obj)}", feed_title(graph, obj), subtitle, alternate,
                entries[0].updated if entries else rfc3339(graph.as_of), entries, len(events))


def _by_clause_type(graph: Graph) -> dict[str, list[ChangeEvent]]:
    grouped: dict[str, list[ChangeEvent]] = defaultdict(list)
    for e in graph.changes:
        grouped[e.provision.clause_type].append(e)
    return grouped


def _by_regulation(graph: Graph) -> dict[str, list[ChangeEvent]]:
    grouped: dict[str, list[ChangeEvent]] = defaultdict(list)
    for e in graph.changes:
        for ref in sorted({r.regulation for r in e.provision.regulations}):
            grouped[ref].append(e)
    return grouped


def plan(graph: Graph) -> Iterator[Page]:
    """Every feed, and the feeds page."""
    sources: list[tuple[object | None, tuple[ChangeEvent, ...], str]] = [(None, graph.changes, "All changes")]
    sources += [(p, graph.changes_by_platform.get(p.id, ()), p.name)
                for p in sorted(graph.platforms.values(), key=lambda p: (p.name.lower(), p.id))]
    by_type, by_regulation = _by_clause_type(graph), _by_regulation(graph)
    sources += [(t, tuple(by_type.get(t.id, ())), t.name)
                for t in sorted(graph.clause_types.values(), key=lambda t: (t.name.lower(), t.id))]
    sources += [(g, tuple(by_regulation.get(g.id, ())), g.name)
                for g in sorted(graph.regulations.values(), key=lambda g: (g.name.lower(), g.id))]
    listed: dict[type, list[FeedLink]] = defaultdict(list)
    for obj, events, name in sources:
        f = feed(graph, obj, events)
        yield Page(feed_url(obj), "feed.xml", f, f.title, f.subtitle)
        listed[type(obj)].append(FeedLink(f.title, feed_url(obj), f.alternate, name, len(events),
                                          events[0].date if events else None))
    ctx = FeedsPage(listed[type(None)][0], tuple(listed[m.Platform]), tuple(listed[m.ClauseType]),
                    tuple(listed[m.Regulation]))
    yield Page("feeds/index.html", "feeds.html", ctx, "Feeds",
               "Atom feeds of the changes the atlas records: all of them, or those of one platform, clause type or regulation.",
               feeds=links(graph))
