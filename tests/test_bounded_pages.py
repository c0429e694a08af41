"""Lists that grow with the knowledge base (a regulation's crosswalk, a jurisdiction's flagged provisions) are
split by clause type past a limit, so that no page grows with the number of provisions.

The limit is lowered here (atlas.pages.regulations.LIST_LIMIT) so that the small fixture shows the split; the
split pages must list exactly what the single page lists at the normal limit.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from atlas.pages import regulations
from conftest import BASIC, copy_kb, edit, messages, run_build, soup


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture with two more provisions (of two clause types) mapped to the EU AI Act."""
    kb = copy_kb(BASIC, tmp_path_factory.mktemp("kb") / "kb")
    for record, why in (("beta/policy/minors.yaml", "Minors are protected."), ("alpha/policy/training.yaml", "Training data is governed.")):
        edit(kb / "content" / record, "regulations: []", f"regulations: [{{regulation: eu-ai-act, articles: [art-5], rationale: {why}}}]")
    return kb


def _build(kb: Path, out: Path, limit: int) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regulations, "LIST_LIMIT", limit)
        result = run_build(kb, out)
    assert result.ok, messages(result)
    return out


@pytest.fixture(scope="module")
def whole_site(kb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge base built at the normal limit: every list on one page."""
    return _build(kb, tmp_path_factory.mktemp("whole"), regulations.LIST_LIMIT)


@pytest.fixture(scope="module")
def split_site(kb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge base built with a limit of one row, so that every list of two or more is split."""
    return _build(kb, tmp_path_factory.mktemp("split"), 1)


def _crosswalk(site: Path, url: str) -> list[tuple[str, str, str]]:
    """(platform, provision, rationale) of each row of a crosswalk table."""
    return [(row.th.get_text(strip=True), row.select("td")[0].get_text(strip=True), row.select("td")[2].get_text(strip=True))
            for row in soup(site, url).select("#crosswalk tbody tr")]


def _shares(site: Path, url: str) -> list[tuple[str, str, str, str]]:
    """(clause type, provisions, platforms, link) of each row of a by-clause-type table."""
    page = soup(site, url)
    return [(row.th.get_text(strip=True), *(td.get_text() for td in row.select("td")), row.th.a["href"])
            for row in page.select("#by-clause-type tbody tr")]


def _page_url(page_url: str, href: str) -> str:
    """The site-relative URL a relative link of a page points at."""
    from urllib.parse import urljoin
    return urljoin("https://x.invalid/" + page_url, href).removeprefix("https://x.invalid/")


def test_a_long_crosswalk_is_listed_by_clause_type(whole_site: Path, split_site: Path) -> None:
    whole = _crosswalk(whole_site, "regulations/eu-ai-act/")
    assert len(whole) == 3
    page = soup(split_site, "regulations/eu-ai-act/")
    assert page.select_one("#crosswalk") is None
    assert f"{len(whole)} provisions" in page.select_one("#mapped-h").find_next("p").get_text()
    shares = _shares(split_site, "regulations/eu-ai-act/")
    assert [name for name, *_ in shares] == sorted(name for name, *_ in shares)
    rows = []
    for name, provisions, _platforms, href in shares:
        part = _page_url("regulations/eu-ai-act/", href)
        assert part.startswith("regulations/eu-ai-act/") and part != "regulations/eu-ai-act/"
        part_rows = _crosswalk(split_site, part)
        assert len(part_rows) == int(provisions) > 0
        assert soup(split_site, part).h1.get_text() == f"EU AI Act: {name}"
        rows += part_rows
    assert sorted(rows) == sorted(whole)


def test_a_short_crosswalk_stays_on_the_regulations_page(split_site: Path) -> None:
    page = soup(split_site, "regulations/coppa/")
    assert len(page.select("#crosswalk tbody tr")) == 1 and page.select_one("#by-clause-type") is None


def test_many_flagged_provisions_are_listed_by_clause_type(whole_site: Path, split_site: Path) -> None:
    whole = sorted(a.get_text() for a in soup(whole_site, "jurisdictions/eu/").select("#flagged-h ~ ul a"))
    assert len(whole) == 5
    assert soup(split_site, "jurisdictions/eu/").select("#flagged-h ~ ul") == []
    listed = []
    for _name, provisions, _platforms, href in _shares(split_site, "jurisdictions/eu/"):
        part = _page_url("jurisdictions/eu/", href)
        links = [a.get_text() for a in soup(split_site, part).select("#flagged-h ~ ul a")]
        assert len(links) == int(provisions)
        listed += links
    assert sorted(listed) == whole


def test_split_pages_are_in_the_sitemap(split_site: Path) -> None:
    sitemap = (split_site / "sitemap.xml").read_text(encoding="utf-8")
    for _name, _provisions, _platforms, href in _shares(split_site, "regulations/eu-ai-act/"):
        assert _page_url("regulations/eu-ai-act/", href) in sitemap
