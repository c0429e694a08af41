"""Pages of change tracking: the changes timeline (by month, and upcoming), diffs between document versions, feeds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from .. import model as m
from ..citation import document_name
from ..graph import ChangeEvent, Graph
from ..history import VERSION_CONTEXT, TimelineEntry, VersionPair, timeline_entry, version_pairs
from ..urls import changes_url, feed_url, version_diff_url
from . import feeds
from .base import Page, page_path

TIMELINE_SHOWN = 100  # newest changes on the timeline page; every month has its own pages
UPCOMING_SHOWN = 20  # upcoming changes on the timeline page; all of them are on changes/upcoming/
PAGE_SIZE = 200  # changes per page of a month (or of the upcoming list), so that no page grows without bound


@dataclass(frozen=True)
class MonthGroup:
    """The changes of one calendar month (those shown here, and how many the month has in all)."""

    month: date  # the first day of the month
    entries: tuple[TimelineEntry, ...]
    total: int

    @property
    def id(self) -> str:
        """The month as YYYY-MM, for anchors and URLs."""
        return f"{self.month:%Y-%m}"

    @property
    def label(self) -> str:
        """The month as words: "March 2026"."""
        return f"{self.month:%B} {self.month.year}"

    @property
    def url(self) -> str:
        """The month's own page."""
        return changes_url(self.month)


@dataclass(frozen=True)
class Pagination:
    """Where a page sits in a list split over several pages."""

    number: int
    count: int
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class ChangesPage:
    """The timeline: upcoming changes, the newest changes by month, and every month with its count."""

    upcoming: tuple[TimelineEntry, ...]
    upcoming_total: int
    months: tuple[MonthGroup, ...]
    archive: tuple[MonthGroup, ...]  # every month, newest first (entries left empty)
    total: int
    feed: str


@dataclass(frozen=True)
class ChangeListPage:
    """One page of a month's changes, or of the upcoming changes."""

    heading: str
    kind: str  # month | upcoming
    entries: tuple[TimelineEntry, ...]
    total: int
    pagination: Pagination
    feed: str


@dataclass(frozen=True)
class VersionDiffPage:
    """The diff between two consecutive archived versions of a document."""

    pair: VersionPair
    platform: m.Platform
    previous: VersionPair | None
    following: VersionPair | None
    changes: tuple[ChangeEvent, ...]  # provision changes detected in the period the pair spans
    context_words: int  # unchanged words kept around each change


def by_month(entries: tuple[TimelineEntry, ...]) -> tuple[MonthGroup, ...]:
    """Entries (newest first) grouped by the month they were detected in, newest month first."""
    groups: list[tuple[date, list[TimelineEntry]]] = []
    for e in entries:
        month = e.event.date.replace(day=1)
        if not groups or groups[-1][0] != month:
            groups.append((month, []))
        groups[-1][1].append(e)
    return tuple(MonthGroup(month, tuple(items), len(items)) for month, items in groups)


def upcoming(graph: Graph) -> tuple[TimelineEntry, ...]:
    """Changes whose effective date is after the as-of date, soonest first."""
    events = [e for e in graph.changes if e.change.effective and e.change.effective > graph.as_of]
    events.sort(key=lambda e: (e.change.effective, e.provision.key, e.index))
    return tuple(timeline_entry(graph, e) for e in events)


def _paginated(entries: tuple[TimelineEntry, ...], url, heading: str, kind: str, graph: Graph,
               title: str, description: str) -> Iterator[Page]:
    count = max(1, -(-len(entries) // PAGE_SIZE))
    for number in range(1, count + 1):
        pagination = Pagination(number, count, url(number - 1) if number > 1 else None, url(number + 1) if number < count else None)
        chunk = entries[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        suffix = f" (page {number} of {count})" if count > 1 else ""
        yield Page(page_path(url(number)), "change_list.html",
                   ChangeListPage(heading, kind, chunk, len(entries), pagination, feed_url()),
                   title + suffix, description, feeds=feeds.links(graph))


def timeline(graph: Graph) -> Iterator[Page]:
    """The timeline page, a page per month (split when long) and the upcoming changes."""
    everything = tuple(timeline_entry(graph, e) for e in graph.changes)
    months = by_month(everything)
    shown = by_month(everything[:TIMELINE_SHOWN])
    # A month cut short on the timeline page still says how many changes it has (its page has them all).
    totals = {g.month: g.total for g in months}
    shown = tuple(MonthGroup(g.month, g.entries, totals[g.month]) for g in shown)
    soon = upcoming(graph)
    ctx = ChangesPage(soon[:UPCOMING_SHOWN], len(soon), shown, tuple(MonthGroup(g.month, (), g.total) for g in months),
                      len(everything), feed_url())
    yield Page(page_path(changes_url()), "changes.html", ctx, "Changes",
               f"Every recorded change to the provisions of {len(graph.platforms)} platforms, newest first, and the changes still to take effect.",
               feeds=feeds.links(graph))
    for g in months:
        yield from _paginated(g.entries, lambda n, g=g: changes_url(g.month, n), f"Changes in {g.label}", "month",
                              graph, f"Changes in {g.label}", f"{g.total} provision change{'' if g.total == 1 else 's'} detected in {g.label}.")
    yield from _paginated(soon, lambda n: changes_url("upcoming", n), "Upcoming changes", "upcoming", graph,
                          "Upcoming changes", f"Changes that take effect after {graph.as_of.isoformat()}.")


def version_diffs(graph: Graph) -> Iterator[Page]:
    """A page per pair of consecutive archived versions of each document."""
    for document in graph.documents.values():
        pairs = version_pairs(graph, document)
        platform = graph.platforms[document.platform_id]
        events = graph.changes_by_document.get(document.key, ())
        for i, pair in enumerate(pairs):
            start, end = pair.old.version.captured, pair.new.version.captured
            ctx = VersionDiffPage(pair, platform, pairs[i - 1] if i else None, pairs[i + 1] if i + 1 < len(pairs) else None,
                                  tuple(e for e in events if start < e.date <= end), VERSION_CONTEXT)
            yield Page(page_path(version_diff_url(document, start, end)), "version_diff.html", ctx,
                       f"{document.title} ({platform.name}): changes from {start.isoformat()} to {end.isoformat()}",
                       f"What changed in the {document_name(platform, document)} between the versions captured on "
                       f"{start.isoformat()} and {end.isoformat()}, word by word.")


def plan(graph: Graph) -> Iterator[Page]:
    """The change-tracking pages: timeline, version diffs, Atom feeds and the feeds page."""
    yield from timeline(graph)
    yield from version_diffs(graph)
    yield from feeds.plan(graph)

