"""Pages of the core reading path: home, platforms, documents, provisions, clause types, regulations, search, 404."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator, TypeVar

from .. import model as m
from ..graph import (ChangeEvent, Graph, QuoteCheck, Ranked, SEVERITY_ORDER, Stability, Uniqueness, VersionEvidence, snapshot_bytes,
                     last_change, stability, superseding_change)
from ..citation import document_name
from ..urls import snapshot_url, url_for
from .base import Deferred, Page, page_path
from .feeds import links as feed_links

T = TypeVar("T")
OTHER_PLATFORMS_SHOWN = 3  # as the model site: bounded pages; the clause-type page has the full comparison
SAME_DOCUMENT_SHOWN = 10  # likewise: a provision page lists its closest neighbours, the document page lists all


@dataclass(frozen=True)
class Counts:
    """Headline figures of the whole knowledge base."""

    platforms: int
    documents: int
    provisions: int
    clause_types: int
    regulations: int
    changes: int


@dataclass(frozen=True)
class HomePage:
    counts: Counts
    latest_changes: tuple[ChangeEvent, ...]
    categories: tuple[tuple[m.Category, tuple[m.ClauseType, ...]], ...]


@dataclass(frozen=True)
class PlatformSummary:
    platform: m.Platform
    documents: int
    provisions: int
    high_severity: int
    changes_90_days: int


@dataclass(frozen=True)
class PlatformsPage:
    platforms: tuple[PlatformSummary, ...]


@dataclass(frozen=True)
class DocumentSection:
    document: m.Document
    provisions: tuple[m.Provision, ...]


@dataclass(frozen=True)
class PlatformPage:
    platform: m.Platform
    headquarters: m.Jurisdiction | None
    sections: tuple[DocumentSection, ...]
    provisions: int
    clause_types_covered: int
    clause_types_total: int
    changes_30_days: tuple[ChangeEvent, ...]
    changes_90_days: tuple[ChangeEvent, ...]
    changes: tuple[ChangeEvent, ...]
    analyses: tuple[m.Analysis, ...]
    edit_path: str


@dataclass(frozen=True)
class DocumentPage:
    document: m.Document
    platform: m.Platform
    provisions: tuple[m.Provision, ...]
    versions: tuple[VersionEvidence, ...]  # newest first
    changes: tuple[ChangeEvent, ...]
    analyses: tuple[m.Analysis, ...]
    edit_path: str


@dataclass(frozen=True)
class OtherProvision:
    """A provision of the same clause type on another platform."""

    provision: m.Provision
    platform: m.Platform
    position: m.Position
    same_position: bool


@dataclass(frozen=True)
class RegulationMapping:
    ref: m.RegulationRef
    regulation: m.Regulation
    jurisdiction: m.Jurisdiction
    articles: tuple[m.Article, ...]


@dataclass(frozen=True)
class ProvisionPage:
    provision: m.Provision
    platform: m.Platform
    document: m.Document
    clause_type: m.ClauseType
    category: m.Category
    position: m.Position
    categories: tuple[m.Category, ...]
    uniqueness: Uniqueness
    stability: Stability
    quote: QuoteCheck
    current_version: VersionEvidence | None
    superseding_change: m.Change | None  # the last change, when the excerpt quotes a version from before it
    others_same_type: tuple[OtherProvision, ...]
    others_same_type_total: int
    others_in_document: tuple[m.Provision, ...]  # the closest in reading order, at most SAME_DOCUMENT_SHOWN
    others_in_document_total: int
    regulations: tuple[RegulationMapping, ...]
    flagged_jurisdictions: tuple[m.Jurisdiction, ...]
    document_changes: tuple[ChangeEvent, ...]
    platform_changes_30_days: int
    analyses: tuple[m.Analysis, ...]
    edit_path: str
    analysis_edit_path: str

    @property
    def search_jurisdictions(self) -> tuple[str, ...]:
        """The jurisdictions the search filters by: flagged ones and those of mapped regulations, each once."""
        names = [j.name for j in self.flagged_jurisdictions] + [r.jurisdiction.name for r in self.regulations]
        return tuple(dict.fromkeys(names))

    @property
    def search_regulations(self) -> tuple[str, ...]:
        """The mapped regulations the search filters by, each once (a provision may map to several parts of one)."""
        return tuple(dict.fromkeys(r.regulation.name for r in self.regulations))


@dataclass(frozen=True)
class ClauseTypeRow:
    """One row of a clause type's comparison table."""

    provision: m.Provision
    platform: m.Platform
    position: m.Position
    last_change: ChangeEvent | None


@dataclass(frozen=True)
class ClauseTypesPage:
    categories: tuple[tuple[m.Category, tuple[tuple[m.ClauseType, int, int], ...]], ...]  # (type, provisions, platforms)


@dataclass(frozen=True)
class ClauseTypePage:
    clause_type: m.ClauseType
    category: m.Category
    rows: tuple[ClauseTypeRow, ...]
    positions: tuple[tuple[m.Position, int], ...]  # each position and how many provisions take it
    platforms_with_type: int
    platforms_total: int
    analyses: tuple[m.Analysis, ...]


@dataclass(frozen=True)
class AnalysisPage:
    analysis: m.Analysis
    provisions: tuple[m.Provision, ...]
    clause_types: tuple[m.ClauseType, ...]
    regulations: tuple[m.Regulation, ...]


@dataclass(frozen=True)
class AnalysesPage:
    analyses: tuple[m.Analysis, ...]


@dataclass(frozen=True)
class EmptyPage:
    """A page whose template needs nothing but the site."""


def _sorted_provisions(provisions) -> tuple[m.Provision, ...]:
    return tuple(sorted(provisions, key=lambda p: (SEVERITY_ORDER[p.severity], p.title.lower(), p.key)))


def _edit_path(origin: m.Origin) -> str:
    return origin.path


def counts(graph: Graph) -> Counts:
    """The headline figures, derived once so every page shows the same numbers."""
    return Counts(len(graph.platforms), len(graph.documents), len(graph.provisions), len(graph.clause_types),
                  len(graph.regulations), len(graph.changes))


def home(graph: Graph) -> Page:
    cats = tuple((c, graph.clause_types_by_category.get(c.id, ())) for c in graph.categories.values())
    ctx = HomePage(counts(graph), graph.changes[:8], cats)
    return Page("index.html", "home.html", ctx, graph.site.title, graph.site.description, feeds=feed_links(graph))


def platforms_index(graph: Graph) -> Page:
    rows = tuple(
        PlatformSummary(p, len(graph.documents_by_platform.get(p.id, ())), len(graph.provisions_by_platform.get(p.id, ())),
                        sum(1 for x in graph.provisions_by_platform.get(p.id, ()) if x.severity == "high"),
                        len(graph.recent_changes(p.id, 90)))
        for p in sorted(graph.platforms.values(), key=lambda p: p.name.lower()))
    return Page("platforms/index.html", "platforms.html", PlatformsPage(rows), "Platforms",
                f"The {len(rows)} AI platforms whose policies the atlas records.")


def platform_page(graph: Graph, platform: m.Platform) -> Page:
    docs = sorted(graph.documents_by_platform.get(platform.id, ()), key=lambda d: d.title.lower())
    sections = tuple(DocumentSection(d, _sorted_provisions(graph.provisions_by_document.get(d.key, ()))) for d in docs)
    provisions = graph.provisions_by_platform.get(platform.id, ())
    ctx = PlatformPage(platform, graph.jurisdictions.get(platform.headquarters or ""), sections, len(provisions),
                       len({p.clause_type for p in provisions}), len(graph.clause_types),
                       graph.recent_changes(platform.id, 30), graph.recent_changes(platform.id, 90),
                       graph.changes_by_platform.get(platform.id, ()), graph.analyses_by_platform.get(platform.id, ()),
                       _edit_path(platform.origin))
    return Page(page_path(url_for(platform)), "platform.html", ctx, platform.name,
                f"{platform.name}: {len(provisions)} provisions in {len(docs)} policy documents, with analysis and change history.",
                feeds=feed_links(graph, platform))


def document_page(graph: Graph, document: m.Document) -> Page:
    platform = graph.platforms[document.platform_id]
    ctx = DocumentPage(document, platform, _sorted_provisions(graph.provisions_by_document.get(document.key, ())),
                       tuple(reversed(graph.evidence[document.key])), graph.changes_by_document.get(document.key, ()),
                       graph.analyses_by_document.get(document.key, ()), _edit_path(document.origin))
    return Page(page_path(url_for(document)), "document.html", ctx, f"{document.title} ({platform.name})",
                f"{platform.name}'s {document.title}: provisions, archived versions and changes.")


def document_order(graph: Graph, document_key: str) -> tuple[m.Provision, ...]:
    """The provisions of a document in reading order (severity, then title)."""
    return _sorted_provisions(graph.provisions_by_document.get(document_key, ()))


def article_order(graph: Graph, regulation: str) -> dict[str, int]:
    """Each article's place in its regulation's list (a regulation may list hundreds)."""
    return {a.id: i for i, a in enumerate(graph.regulations[regulation].articles)}


def platform_counts(graph: Graph, clause_type: str) -> Counter:
    """How many provisions of a clause type each platform has."""
    return Counter(o.platform_id for o in graph.ranking_by_clause_type.get(clause_type, ()))


def articles_of(graph: Graph, ref: m.RegulationRef) -> tuple[m.Article, ...]:
    """The articles a mapping names, in the regulation's order."""
    index = graph.remembered(article_order, ref.regulation)
    articles = graph.regulations[ref.regulation].articles
    return tuple(articles[i] for i in sorted({index[a] for a in ref.articles if a in index}))


def ranking_by_position(graph: Graph, clause_type: str) -> dict[str, tuple[Ranked, ...]]:
    """A clause type's ranking (Graph.ranking_by_clause_type) split by position, each part in ranking order."""
    parts: dict[str, list[Ranked]] = {}
    for o in graph.ranking_by_clause_type.get(clause_type, ()):
        parts.setdefault(o.position, []).append(o)
    return {position: tuple(part) for position, part in parts.items()}


def _others(graph: Graph, p: m.Provision) -> tuple[tuple[OtherProvision, ...], int]:
    ranked = graph.ranking_by_clause_type.get(p.clause_type, ())
    positions = {x.id: x for x in graph.clause_types[p.clause_type].positions}
    # The closest first: same position, then severity, then platform name. `ranked` is already in the order
    # after position, so taking the same position first and then the rest is a stable sort on position.
    # The same position's provisions are looked up, not searched for: a rare position would otherwise mean
    # a pass over every provision of the type, on each of its pages (quadratic in the provisions of a type).
    # Only the provisions shown are read: editing any other leaves this page as it is.
    same = graph.remembered(ranking_by_position, p.clause_type).get(p.position, ())
    shown: list[OtherProvision] = []
    for candidates, same_position in ((same, True), (ranked, False)):
        for o in candidates:
            if len(shown) == OTHER_PLATFORMS_SHOWN:
                break
            if o.platform_id != p.platform_id and (o.position == p.position) == same_position:
                shown.append(OtherProvision(graph.provisions[o.key], graph.platforms[o.platform_id], positions[o.position],
                                            same_position))
    return tuple(shown), len(ranked) - graph.remembered(platform_counts, p.clause_type)[p.platform_id]


def nearest(items: tuple[T, ...], index: int, count: int) -> tuple[T, ...]:
    """At most `count` items around items[index] (without it), as many after it as before it where there are."""
    start = max(0, min(index - count // 2, len(items) - 1 - count))
    return tuple(item for i, item in enumerate(items[start:start + count + 1], start) if i != index)[:count]


def _index_of(provisions: tuple[m.Provision, ...], p: m.Provision) -> int:
    """Where p is in provisions, found by key (tuple.index compares every field of each provision before it)."""
    return next(i for i, other in enumerate(provisions) if other.key == p.key)


def provision_context(key: str, graph: Graph) -> ProvisionPage:
    """What a provision's page shows, built from the graph when the page is rendered (see Deferred)."""
    p = graph.provisions[key]
    platform = graph.platforms[p.platform_id]
    document = graph.documents[p.document_key]
    clause_type = graph.clause_types[p.clause_type]
    others, others_total = _others(graph, p)
    regulations = tuple(
        RegulationMapping(ref, graph.regulations[ref.regulation], graph.jurisdictions[graph.regulations[ref.regulation].jurisdiction],
                          articles_of(graph, ref))
        for ref in p.regulations)
    evidence = graph.evidence[document.key]
    in_document = graph.remembered(document_order, document.key)
    return ProvisionPage(
        provision=p, platform=platform, document=document, clause_type=clause_type,
        category=graph.categories[clause_type.category], position=graph.position(p),
        categories=tuple(graph.categories[c] for c in p.categories if c != clause_type.category),
        uniqueness=graph.uniqueness(p), stability=stability(p), quote=graph.quotes[p.key],
        current_version=evidence[-1] if evidence else None,
        superseding_change=superseding_change(p, document),
        others_same_type=others, others_same_type_total=others_total,
        others_in_document=nearest(in_document, _index_of(in_document, p), SAME_DOCUMENT_SHOWN),
        others_in_document_total=len(in_document) - 1,
        regulations=regulations,
        flagged_jurisdictions=tuple(graph.jurisdictions[j] for j in p.compliance.jurisdiction_flags),
        document_changes=graph.changes_by_document.get(document.key, ())[:5],
        platform_changes_30_days=len(graph.recent_changes(platform.id, 30)),
        analyses=graph.analyses_by_provision.get(p.key, ()),
        edit_path=_edit_path(p.origin), analysis_edit_path=p.analysis_path or p.origin.path[:-5] + ".md")


def provision_page(graph: Graph, p: m.Provision) -> Page:
    """A provision's page. Its context is built when it is rendered, from the graph view that notes what it
    reads: most provision pages are unchanged by an edit, and deciding so then costs a few reads' digests."""
    platform, document = graph.platforms[p.platform_id], graph.documents[p.document_key]
    return Page(page_path(url_for(p)), "provision.html", Deferred(provision_context, (p.key,)),
                f"{p.title} — {document_name(platform, document)}", p.summary)


def _with_counts(graph: Graph, t: m.ClauseType) -> tuple[m.ClauseType, int, int]:
    figures = graph.clause_type_figures(t.id)
    return t, figures.provisions_of_type, figures.platforms_with_type


def clause_types_index(graph: Graph) -> Page:
    cats = tuple((c, tuple(_with_counts(graph, t) for t in graph.clause_types_by_category.get(c.id, ())))
                 for c in graph.categories.values())
    return Page("clause-types/index.html", "clause_types.html", ClauseTypesPage(cats), "Clause types",
                "Every kind of clause the atlas compares across platforms.")


def clause_type_page(graph: Graph, t: m.ClauseType) -> Page:
    provisions = graph.provisions_by_clause_type.get(t.id, ())
    positions = {x.id: x for x in t.positions}
    rows = tuple(ClauseTypeRow(p, graph.platforms[p.platform_id], positions[p.position], last_change(p))
                 for p in sorted(provisions, key=lambda p: (graph.platforms[p.platform_id].name.lower(), p.key)))
    tally = Counter(p.position for p in provisions)
    ctx = ClauseTypePage(t, graph.categories[t.category], rows, tuple((x, tally.get(x.id, 0)) for x in t.positions),
                         graph.clause_type_figures(t.id).platforms_with_type, len(graph.platforms),
                         graph.analyses_by_clause_type.get(t.id, ()))
    return Page(page_path(url_for(t)), "clause_type.html", ctx, f"{t.name}: comparison across platforms",
                f"How {ctx.platforms_with_type} of {ctx.platforms_total} platforms handle {t.name.lower()}, side by side.",
                feeds=feed_links(graph, t))


def analysis_page(graph: Graph, a: m.Analysis) -> Page:
    ctx = AnalysisPage(a, tuple(graph.provisions[k] for k in a.provisions if k in graph.provisions),
                       tuple(graph.clause_types[t] for t in a.clause_types), tuple(graph.regulations[g] for g in a.regulations))
    return Page(page_path(url_for(a)), "analysis.html", ctx, a.title, a.summary)


def snapshot_file(path: str, graph: Graph) -> bytes:
    """An archived snapshot as published: its bytes, read when the file is rendered (see Deferred)."""
    return snapshot_bytes(graph.snapshots[path])


def plan(graph: Graph) -> Iterator[Page]:
    """The core pages."""
    yield home(graph)
    yield platforms_index(graph)
    for platform in graph.platforms.values():
        yield platform_page(graph, platform)
    for document in graph.documents.values():
        yield document_page(graph, document)
        for evidence in graph.evidence[document.key]:
            if evidence.snapshot_stored:  # the archived text is published beside the page that cites it
                yield Page(snapshot_url(evidence.snapshot_path), "@bytes", Deferred(snapshot_file, (evidence.snapshot_path,)))
    for provision in graph.provisions.values():
        yield provision_page(graph, provision)
    yield clause_types_index(graph)
    for t in graph.clause_types.values():
        yield clause_type_page(graph, t)
    analyses = tuple(sorted(graph.analyses.values(), key=lambda a: (a.date, a.id), reverse=True))
    yield Page("analyses/index.html", "analyses.html", AnalysesPage(analyses), "Analyses", "Cross-platform analyses of AI platform policies.")
    for a in analyses:
        yield analysis_page(graph, a)
    yield Page("methodology/index.html", "methodology.html", EmptyPage(), "Methodology",
               "How the atlas records, verifies and derives what it shows.")
    yield Page("search/index.html", "search.html", EmptyPage(), "Search", "Search every provision, platform and regulation.")
    yield Page("404.html", "404.html", EmptyPage(), "Page not found", "", absolute_links=True)
