"""CSV data files: a table of plain values -> deterministic CSV text in which no cell can start a formula."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from .urls import SiteUrl

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, as a prefix that
# hides one); contributed text must never run as a formula in a reader's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Table:
    """A CSV file to write: a header row and rows of plain values (str, int, bool, date, None, SiteUrl, lists)."""

    header: tuple[str, ...]  # empty: no header row (a part of a file whose header is another part)
    rows: tuple[tuple[Any, ...], ...]


def safe_cell(text: str) -> str:
    """The text with a single quote prefixed when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Any, base_url: str) -> str:
    """One value as cell text: dates in ISO form, booleans as true/false, lists joined, links absolute."""
    if type(value) is str:  # most cells: first, as a table has hundreds of thousands of them
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, SiteUrl):
        return value.under(base_url)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(cell_text(v, base_url) for v in value)
    return str(value)


def csv_text(table: Table, base_url: str) -> str:
    """The table as CSV (RFC 4180 quoting, CRLF line ends), every cell made safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if table.header:
        writer.writerow([safe_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([safe_cell(cell_text(value, base_url)) for value in row])
    return buffer.getvalue()
