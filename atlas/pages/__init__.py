"""Plan stage: the linked graph -> every page and data file of the site, as plain context objects."""
from __future__ import annotations

from ..graph import Graph
from ..problems import Problem
from .base import Page, page_path
from . import changes, citations, compare, core, data, discovery, quality, regulations

# Each planner turns the graph into the pages of one family; a feature adds its planner here.
PLANNERS = (core.plan, regulations.plan, citations.plan, quality.plan, changes.plan, compare.plan, data.plan)
# Planners of files that describe the site itself (the sitemap) run last, over every page planned before them.
SITE_PLANNERS = (discovery.plan,)


def plan(graph: Graph) -> tuple[list[Page], list[Problem]]:
    """Every page of the site, in a stable order; two pages wanting one path is a problem."""
    pages: list[Page] = []
    for planner in PLANNERS:
        pages.extend(planner(graph))
    for site_planner in SITE_PLANNERS:
        pages.extend(site_planner(graph, tuple(pages)))
    seen: dict[str, Page] = {}
    problems: list[Problem] = []
    for page in pages:
        if page.path in seen:
            problems.append(Problem("content", 1, 1, "url-collision", f"two pages would be written to {page.path}"))
        seen[page.path] = page
    return sorted(seen.values(), key=lambda p: p.path), problems


__all__ = ["Page", "page_path", "plan", "PLANNERS", "SITE_PLANNERS"]
