"""The data-quality page: the invariants the build checks, counted on the records, and the warnings it found."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from ..graph import Graph
from ..problems import Problem
from ..urls import url_for
from .base import Page


@dataclass(frozen=True)
class Invariant:
    """One rule the build enforces, with how many cases it checked and how many hold."""

    id: str
    name: str
    description: str
    checked: int
    held: int
    unit: str  # what a checked case is: "date pairs", "comparison rows"...
    codes: tuple[str, ...]  # the problem codes that report a breach

    @property
    def ok(self) -> bool:
        """True when every checked case holds."""
        return self.held == self.checked


@dataclass(frozen=True)
class QuoteTally:
    """How the excerpts of all provisions stand against their archived snapshots."""

    verbatim_verified: int
    verbatim_unverified: int
    paraphrase: int
    unavailable: int

    @property
    def total(self) -> int:
        """Every provision's excerpt."""
        return self.verbatim_verified + self.verbatim_unverified + self.paraphrase + self.unavailable


@dataclass(frozen=True)
class RecordWarnings:
    """The warnings of one file, with the page of the record when it has one."""

    path: str
    url: str | None
    label: str
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class DataQualityPage:
    """The data-quality page: invariants with counts, excerpt and snapshot tallies, and the records with warnings."""

    invariants: tuple[Invariant, ...]
    quotes: QuoteTally
    versions: int
    snapshots_stored: int
    hashes_verified: int
    records: tuple[RecordWarnings, ...]
    warnings: int
    warnings_by_code: tuple[tuple[str, int], ...]


def date_pairs(graph: Graph) -> Iterator[tuple[date, date, bool]]:
    """Every (earlier, later, strictly) pair of dates the build requires to be in order."""
    for p in graph.provisions.values():
        yield p.first_seen, p.last_verified, False
        for r in p.authorship.reviewers:
            yield p.authorship.written, r.date, False
        for i, c in enumerate(p.changes):
            if i:
                yield p.changes[i - 1].detected, c.detected, False
            yield c.detected, p.last_verified, False
            yield c.detected, graph.as_of, False
            if c.announced and c.effective:
                yield c.announced, c.effective, False
    for d in graph.documents.values():
        for earlier, later in zip(d.versions, d.versions[1:]):
            yield earlier.captured, later.captured, True
    for a in graph.analyses.values():
        if a.updated:
            yield a.date, a.updated, False


def _held(pairs: Iterable[tuple[date, date, bool]]) -> tuple[int, int]:
    checked = held = 0
    for earlier, later, strict in pairs:
        checked += 1
        held += earlier < later if strict else earlier <= later
    return checked, held


def invariants(graph: Graph) -> tuple[Invariant, ...]:
    """The invariants, each counted on the linked records (the same rules the link stage enforces)."""
    dates_checked, dates_held = _held(date_pairs(graph))
    rows = [(t, p) for t, ps in graph.provisions_by_clause_type.items() for p in ps]
    comparisons = sum(1 for ps in graph.provisions_by_clause_type.values() if len({p.platform_id for p in ps}) > 1)
    events = [(key, e) for key, es in graph.changes_by_document.items() for e in es]
    evidence = [e for es in graph.evidence.values() for e in es]
    verbatim = [q for q in graph.quotes.values() if q.status == "verbatim"]
    return (
        Invariant("dates-ordered", "Dates are in order",
                  "First seen before last verified, reviews after writing, changes oldest first and never after the "
                  "last verification or the as-of date, effective dates after announcements, versions oldest first.",
                  dates_checked, dates_held, "date pairs", ("date-order", "date-in-future")),
        Invariant("one-clause-type", "Comparisons join one clause type",
                  f"Every row of a comparison table, and every entry of \u201chow other platforms handle this\u201d, "
                  f"has the clause type being compared ({comparisons} clause types are compared across platforms).",
                  len(rows), sum(1 for t, p in rows if p.clause_type == t), "comparison rows",
                  ("unknown-clause-type", "unknown-position")),
        Invariant("changes-on-own-provision", "Change records sit on their own provision",
                  "Every change shown for a document was recorded on a provision of that document, and is listed "
                  "under that provision.",
                  len(events), sum(1 for key, e in events if e.provision.document_key == key
                                   and e.provision.changes[e.index] is e.change), "change records",
                  ()),  # held by the model itself: a change record is a field of its provision's record
        Invariant("quotes-verified", "Verbatim quotes are found in their snapshot",
                  "A verbatim excerpt must occur in the archived snapshot of the version it cites (after normalising "
                  "white space and typographic quotes only). Paraphrased and unavailable excerpts are not verified.",
                  len(verbatim), sum(1 for q in verbatim if q.verified), "verbatim excerpts", ("quote-not-found",)),
        Invariant("hashes-verified", "Snapshot hashes match",
                  "The SHA-256 of every archived snapshot, computed by the build, equals the one its document declares.",
                  len(evidence), sum(1 for e in evidence if e.hash_verified), "archived versions",
                  ("hash-mismatch", "missing-snapshot")),
    )


def quote_tally(graph: Graph) -> QuoteTally:
    """Excerpts by status: verbatim and verified, verbatim but not verified, paraphrase, unavailable."""
    tally = Counter((q.status, q.verified) for q in graph.quotes.values())
    return QuoteTally(tally[("verbatim", True)], tally[("verbatim", False)],
                      tally[("paraphrase", False)] + tally[("paraphrase", True)],
                      tally[("unavailable", False)] + tally[("unavailable", True)])


def _record_pages(graph: Graph) -> dict[str, tuple[str, str]]:
    """Each record file's page and a label for it, so a warning can link to what it is about."""
    pages: dict[str, tuple[str, str]] = {}
    for p in graph.provisions.values():
        pages[p.origin.path] = (url_for(p), f"{graph.platforms[p.platform_id].name}: {p.title}")
        if p.analysis_path:
            pages[p.analysis_path] = pages[p.origin.path]
    for d in graph.documents.values():
        pages[d.origin.path] = (url_for(d), f"{graph.platforms[d.platform_id].name}: {d.title}")
        for e in graph.evidence[d.key]:
            pages.setdefault(e.snapshot_path, (url_for(d), f"{graph.platforms[d.platform_id].name}: {d.title}"))
    for pl in graph.platforms.values():
        pages[pl.origin.path] = (url_for(pl), pl.name)
    for a in graph.analyses.values():
        pages[a.origin.path] = (url_for(a), a.title)
    return pages


def record_warnings(graph: Graph) -> tuple[RecordWarnings, ...]:
    """The build's warnings grouped by file, in path order."""
    pages = _record_pages(graph)
    by_path: dict[str, list[Problem]] = {}
    for problem in sorted(graph.warnings):
        by_path.setdefault(problem.path, []).append(problem)
    return tuple(RecordWarnings(path, *(pages.get(path) or (None, path)), tuple(found)) for path, found in by_path.items())


def data_quality(graph: Graph) -> Page:
    """The data-quality page."""
    evidence = [e for es in graph.evidence.values() for e in es]
    records = record_warnings(graph)
    codes = Counter(w.code for w in graph.warnings)
    ctx = DataQualityPage(invariants(graph), quote_tally(graph), len(evidence), sum(1 for e in evidence if e.snapshot_stored),
                          sum(1 for e in evidence if e.hash_verified), records, len(graph.warnings),
                          tuple(sorted(codes.items())))
    return Page("data-quality/index.html", "data_quality.html", ctx, "Data quality",
                "The invariants the build checks on every record, with counts, and the records that carry warnings.")


def plan(graph: Graph) -> Iterator[Page]:
    """The data-quality page."""
    yield data_quality(graph)
