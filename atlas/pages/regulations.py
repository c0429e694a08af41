"""Regulation and jurisdiction pages: each law's provisions mapped to it, each jurisdiction's flagged ones.

Those lists grow with the knowledge base (a directive may be mapped from thousands of provisions), so
past LIST_LIMIT rows a page shows how many fall in each clause type, and each clause type's share is
a page of its own: no page grows with the number of provisions, only with the number of platforms.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from .. import model as m
from ..graph import Graph
from ..urls import clause_type_part_url, url_for
from .base import Deferred, Page, page_path
from .core import articles_of
from .feeds import links as feed_links

LIST_LIMIT = 100  # rows one page lists before it lists them by clause type instead


@dataclass(frozen=True)
class RegulationsPage:
    groups: tuple[tuple[m.Jurisdiction, tuple[tuple[m.Regulation, int], ...]], ...]


@dataclass(frozen=True)
class RegulationRow:
    provision: m.Provision
    platform: m.Platform
    ref: m.RegulationRef
    articles: tuple[m.Article, ...]


@dataclass(frozen=True)
class ClauseTypeShare:
    """One clause type's share of a long list, and the page that lists it."""

    clause_type: m.ClauseType
    provisions: int
    platforms: int
    url: str


@dataclass(frozen=True)
class RegulationPage:
    regulation: m.Regulation
    jurisdiction: m.Jurisdiction
    rows: tuple[RegulationRow, ...]  # empty when the rows are listed by clause type (shares)
    mapped: int  # rows in all
    platforms: int
    shares: tuple[ClauseTypeShare, ...]
    analyses: tuple[m.Analysis, ...]


@dataclass(frozen=True)
class RegulationPartPage:
    regulation: m.Regulation
    jurisdiction: m.Jurisdiction
    clause_type: m.ClauseType
    rows: tuple[RegulationRow, ...]
    platforms: int


@dataclass(frozen=True)
class JurisdictionPage:
    jurisdiction: m.Jurisdiction
    parent: m.Jurisdiction | None
    regulations: tuple[tuple[m.Regulation, int], ...]
    flagged: tuple[m.Provision, ...]  # empty when they are listed by clause type (shares)
    flagged_total: int
    shares: tuple[ClauseTypeShare, ...]


@dataclass(frozen=True)
class JurisdictionPartPage:
    jurisdiction: m.Jurisdiction
    clause_type: m.ClauseType
    flagged: tuple[m.Provision, ...]


def regulations_index(graph: Graph) -> Page:
    groups = tuple((j, tuple((g, len(graph.provisions_by_regulation.get(g.id, ())))
                             for g in sorted(graph.regulations_by_jurisdiction[j.id], key=lambda g: g.name.lower())))
                   for j in graph.jurisdictions.values() if j.id in graph.regulations_by_jurisdiction)
    return Page("regulations/index.html", "regulations.html", RegulationsPage(groups), "Regulations",
                "The laws and regulations provisions are mapped to, by jurisdiction.")


def _mappings(provisions: Iterable[m.Provision], regulation: str) -> Iterator[tuple[m.Provision, m.RegulationRef]]:
    """Each mapping of the provisions to the regulation (a provision may map to several of its parts)."""
    return ((p, ref) for p in provisions for ref in p.regulations if ref.regulation == regulation)


def _by_clause_type(provisions: Iterable[m.Provision]) -> dict[str, list[m.Provision]]:
    """The provisions of each clause type, in the order given."""
    grouped: dict[str, list[m.Provision]] = defaultdict(list)
    for p in provisions:
        grouped[p.clause_type].append(p)
    return grouped


def _shares(graph: Graph, owner: m.Regulation | m.Jurisdiction, rows: Iterable[m.Provision]) -> tuple[ClauseTypeShare, ...]:
    """Each clause type's share of the rows (a provision once per row), by clause type name."""
    grouped = _by_clause_type(rows)
    types = sorted((graph.clause_types[t] for t in grouped), key=lambda t: t.name.lower())
    return tuple(ClauseTypeShare(t, len(grouped[t.id]), len({p.platform_id for p in grouped[t.id]}),
                                 clause_type_part_url(owner, t)) for t in types)


def _by_platform_name(graph: Graph, provisions: Iterable[m.Provision]) -> list[m.Provision]:
    return sorted(provisions, key=lambda p: (graph.platforms[p.platform_id].name.lower(), p.key))


def mapped_by_clause_type(graph: Graph, regulation: str) -> dict[str, tuple[m.Provision, ...]]:
    """The provisions mapped to a regulation, by platform name, grouped by clause type (once per build)."""
    mapped = _by_platform_name(graph, graph.provisions_by_regulation.get(regulation, ()))
    return {t: tuple(provisions) for t, provisions in _by_clause_type(mapped).items()}


def _regulation_rows(graph: Graph, g: m.Regulation, provisions: Iterable[m.Provision]) -> tuple[RegulationRow, ...]:
    """The crosswalk rows of the provisions: each mapping of one to the regulation (a provision may map to several parts)."""
    return tuple(RegulationRow(p, graph.platforms[p.platform_id], ref, articles_of(graph, ref)) for p, ref in _mappings(provisions, g.id))


def regulation_context(regulation: str, graph: Graph) -> RegulationPage:
    """What a regulation's page shows: the provisions mapped to it, or their count by clause type if too many."""
    g = graph.regulations[regulation]
    mapped = graph.provisions_by_regulation.get(g.id, ())
    rows = sum(1 for _ in _mappings(mapped, g.id))
    platforms = len({p.platform_id for p in mapped})
    jurisdiction, analyses = graph.jurisdictions[g.jurisdiction], graph.analyses_by_regulation.get(g.id, ())
    if rows > LIST_LIMIT:
        return RegulationPage(g, jurisdiction, (), rows, platforms, _shares(graph, g, (p for p, _ in _mappings(mapped, g.id))), analyses)
    return RegulationPage(g, jurisdiction, _regulation_rows(graph, g, _by_platform_name(graph, mapped)), rows, platforms, (), analyses)


def regulation_part_context(regulation: str, clause_type: str, graph: Graph) -> RegulationPartPage:
    """One clause type's share of a regulation's crosswalk."""
    g = graph.regulations[regulation]
    rows = _regulation_rows(graph, g, graph.remembered(mapped_by_clause_type, g.id)[clause_type])
    return RegulationPartPage(g, graph.jurisdictions[g.jurisdiction], graph.clause_types[clause_type], rows,
                              len({r.platform.id for r in rows}))


def regulation_pages(graph: Graph, g: m.Regulation) -> Iterator[Page]:
    """A regulation's page, and a page per clause type when its crosswalk is long; their contexts (thousands of
    rows at full scale) are Deferred like a provision page's."""
    mapped = graph.provisions_by_regulation.get(g.id, ())
    rows = sum(1 for _ in _mappings(mapped, g.id))
    platforms = len({p.platform_id for p in mapped})
    yield Page(page_path(url_for(g)), "regulation.html", Deferred(regulation_context, (g.id,)),
               f"{g.name}: provisions mapped across platforms",
               f"{g.full_name}: {rows} provision{'' if rows == 1 else 's'} of {platforms} platform{'' if platforms == 1 else 's'} mapped to it.",
               feeds=feed_links(graph, g))
    if rows > LIST_LIMIT:
        for t in _by_clause_type(mapped):
            clause_type = graph.clause_types[t]
            yield Page(page_path(clause_type_part_url(g, clause_type)), "regulation_part.html",
                       Deferred(regulation_part_context, (g.id, t)), f"{g.name}: {clause_type.name} provisions mapped to it",
                       f"The {clause_type.name.lower()} provisions mapped to the {g.full_name}, platform by platform.")


def jurisdiction_pages(graph: Graph, j: m.Jurisdiction) -> Iterator[Page]:
    """A jurisdiction's page, and a page per clause type when many provisions are flagged for it."""
    regulations = tuple((g, len(graph.provisions_by_regulation.get(g.id, ())))
                        for g in sorted(graph.regulations_by_jurisdiction.get(j.id, ()), key=lambda g: g.name.lower()))
    flagged = graph.provisions_by_jurisdiction.get(j.id, ())
    long = len(flagged) > LIST_LIMIT
    ctx = JurisdictionPage(j, graph.jurisdictions.get(j.parent or ""), regulations, () if long else flagged, len(flagged),
                           _shares(graph, j, flagged) if long else ())
    yield Page(page_path(url_for(j)), "jurisdiction.html", ctx, f"{j.name} ({j.code}): regulations",
               f"Regulations of {j.name} in the atlas, and the provisions flagged for it.")
    if long:
        for t, provisions in _by_clause_type(flagged).items():
            clause_type = graph.clause_types[t]
            yield Page(page_path(clause_type_part_url(j, clause_type)), "jurisdiction_part.html",
                       JurisdictionPartPage(j, clause_type, tuple(provisions)), f"{j.name}: {clause_type.name} provisions flagged",
                       f"The {clause_type.name.lower()} provisions flagged for {j.name}.")


def plan(graph: Graph) -> Iterator[Page]:
    """The regulations index, each regulation's and each jurisdiction's pages."""
    yield regulations_index(graph)
    for g in graph.regulations.values():
        yield from regulation_pages(graph, g)
    for j in graph.jurisdictions.values():
        yield from jurisdiction_pages(graph, j)
