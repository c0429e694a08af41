"""Comparison pages: the clause-type × platform matrix (HTML and CSV) and the side-by-side comparison page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .. import model as m
from ..csv_export import Table
from ..graph import SEVERITY_ORDER, Graph
from ..urls import API_ROOT
from .base import Page, page_path

MATRIX_URL = "matrix/"
MATRIX_CSV = API_ROOT + "matrix.csv"
COMPARE_URL = "compare/"
COMPARE_MIN, COMPARE_MAX = 2, 4  # how many platforms the side-by-side page compares
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class MatrixEntry:
    """One provision in a matrix cell, with the position it takes."""

    provision: m.Provision
    position: m.Position


@dataclass(frozen=True)
class MatrixRow:
    """A clause type, and for each platform column the provisions of that type (empty: not recorded)."""

    clause_type: m.ClauseType
    cells: tuple[tuple[MatrixEntry, ...], ...]  # in the order of Matrix.platforms
    platforms_recorded: int


@dataclass(frozen=True)
class MatrixGroup:
    """The rows of one clause-type category."""

    category: m.Category
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class Matrix:
    """Clause types (rows, grouped by category) × platforms (columns)."""

    platforms: tuple[m.Platform, ...]
    groups: tuple[MatrixGroup, ...]

    @property
    def rows(self) -> tuple[MatrixRow, ...]:
        """Every row, category after category."""
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def cells_recorded(self) -> int:
        """How many cells hold at least one provision."""
        return sum(1 for row in self.rows for cell in row.cells if cell)


@dataclass(frozen=True)
class MatrixPage:
    matrix: Matrix
    csv_path: str
    compare_path: str


@dataclass(frozen=True)
class ComparePage:
    platforms: tuple[m.Platform, ...]  # the choices, by name
    slots: int  # how many platforms a reader may pick
    minimum: int
    api_root: str
    matrix_path: str


def entry_order(p: m.Provision) -> tuple:
    """Reading order of the provisions in one cell: active first, then the most severe, then by title."""
    return (p.status != "active", SEVERITY_ORDER[p.severity], p.title.lower(), p.key)


def platforms_by_name(graph: Graph) -> tuple[m.Platform, ...]:
    """Every platform, by name: the column order of the matrix and the order of the comparison's choices."""
    return tuple(sorted(graph.platforms.values(), key=lambda p: (p.name.lower(), p.id)))


def matrix(graph: Graph) -> Matrix:
    """The matrix, derived once for the page and the CSV so that the two cannot disagree."""
    platforms = platforms_by_name(graph)
    groups = []
    for category in graph.categories.values():
        rows = []
        for t in graph.clause_types_by_category.get(category.id, ()):
            positions = {x.id: x for x in t.positions}
            by_platform: dict[str, list[m.Provision]] = {}
            for p in graph.provisions_by_clause_type.get(t.id, ()):
                by_platform.setdefault(p.platform_id, []).append(p)
            cells = tuple(tuple(MatrixEntry(p, positions[p.position]) for p in sorted(by_platform.get(platform.id, ()), key=entry_order))
                          for platform in platforms)
            rows.append(MatrixRow(t, cells, sum(1 for c in cells if c)))
        if rows:
            groups.append(MatrixGroup(category, tuple(rows)))
    return Matrix(platforms, tuple(groups))


def cell_label(entry: MatrixEntry) -> str:
    """A provision as one CSV cell value: position ID and severity ("prohibited (high)"), marked when removed."""
    removed = ", removed" if entry.provision.status == "removed" else ""
    return f"{entry.position.id} ({entry.provision.severity}{removed})"


def matrix_table(grid: Matrix) -> Table:
    """The matrix as a CSV table: a row per clause type, a column per platform ID."""
    header = ("category", "clause_type", "clause_type_name") + tuple(p.id for p in grid.platforms)
    rows = tuple((group.category.id, row.clause_type.id, row.clause_type.name)
                 + tuple("; ".join(cell_label(e) for e in cell) if cell else NOT_RECORDED for cell in row.cells)
                 for group in grid.groups for row in group.rows)
    return Table(header, rows)


def plan(graph: Graph) -> Iterator[Page]:
    """The matrix page, its CSV and the comparison page."""
    grid = matrix(graph)
    yield Page(page_path(MATRIX_URL), "matrix.html", MatrixPage(grid, MATRIX_CSV, COMPARE_URL),
               "Clause types × platforms matrix",
               f"Every platform's position and severity on each of {len(grid.rows)} clause types, "
               f"across {len(grid.platforms)} platforms, in one table.")
    yield Page(MATRIX_CSV, "@csv", matrix_table(grid))
    yield Page(page_path(COMPARE_URL), "compare.html",
               ComparePage(platforms_by_name(graph), COMPARE_MAX, COMPARE_MIN, API_ROOT, MATRIX_URL),
               "Compare platforms side by side",
               f"Pick {COMPARE_MIN} to {COMPARE_MAX} AI platforms and see their provisions aligned by clause type, "
               "with positions, severity, excerpts and the differences highlighted.")
