"""Discovery: sitemap.xml and robots.txt, titles, descriptions and canonical links; search filters and sub-results."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import BASIC, messages, run_build, soup

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _html_pages(site: Path) -> set[str]:
    """Site-relative URLs of every HTML file written (folder URLs for index.html files)."""
    urls = set()
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        urls.add(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


@pytest.mark.parametrize("base_url", ["https://example.org/atlas/", "https://other.example.net/"])
def test_sitemap_lists_every_page_and_only_pages(tmp_path: Path, base_url: str) -> None:
    out = tmp_path / "site"
    result = run_build(BASIC, out, base_url=base_url)
    assert result.ok, messages(result)
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [loc.text for loc in root.findall("s:url/s:loc", NS)]
    assert locs == sorted(locs) and len(locs) == len(set(locs))
    listed = set()
    for loc in locs:
        assert loc.startswith(base_url), loc
        rel = loc[len(base_url):]
        target = out / (rel + "index.html" if rel.endswith("/") or not rel else rel)
        assert target.is_file(), loc  # every URL of the sitemap exists in the output
        listed.add(rel)
    assert listed == _html_pages(out) - {"404.html"}
    assert {"", "matrix/", "compare/", "downloads/", "platforms/alpha/policy/child-safety/"} <= listed


def test_a_sitemap_too_long_for_one_file_is_split_under_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 50,000 URLs a sitemap is full (sitemaps.org); here the limit is lowered to 7 to see the index made."""
    from atlas.pages import discovery
    monkeypatch.setattr(discovery, "URLS_PER_SITEMAP", 7)
    out = tmp_path / "site"
    result = run_build(BASIC, out, base_url="https://example.org/atlas/")
    assert result.ok, messages(result)
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    expected = sorted(_html_pages(out) - {"404.html"})
    assert parts == [f"https://example.org/atlas/sitemap-{n}.xml" for n in range(1, -(-len(expected) // 7) + 1)]
    listed = []
    for part in parts:
        root = ET.parse(out / part.rsplit("/", 1)[1]).getroot()
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        locs = [loc.text for loc in root.findall("s:url/s:loc", NS)]
        assert 0 < len(locs) <= 7
        listed += locs
    assert listed == ["https://example.org/atlas/" + url for url in expected]


def test_robots_points_at_the_sitemap(basic_site: Path) -> None:
    lines = (basic_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: https://example.org/atlas/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /") and line != "Disallow: " for line in lines)


def test_every_page_has_a_title_description_and_canonical_link(basic_site: Path) -> None:
    titles: dict[str, str] = {}
    for url in sorted(_html_pages(basic_site)):
        page = soup(basic_site, url)
        title = page.title.get_text(strip=True)
        description = page.find("meta", attrs={"name": "description"})["content"].strip()
        assert title and description, url
        if url not in ("", "404.html"):
            assert title != "Fixture Atlas" and not title.startswith("·"), url
            assert description != "A fixture knowledge base used by the test suite.", f"{url} has no description of its own"
            canonical = page.find("link", rel="canonical")["href"]
            assert canonical == "https://example.org/atlas/" + url
            assert page.find("meta", property="og:url")["content"] == canonical
            assert page.find("meta", property="og:title")["content"]
        titles.setdefault(title, url)
    assert len(titles) == len(_html_pages(basic_site)), "two pages share a title"


def test_provision_pages_carry_every_search_filter(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/child-safety/")
    filters: dict[str, list[str]] = {}
    for el in page.select("[data-pagefind-filter]"):
        filters.setdefault(el["data-pagefind-filter"], []).append(el.get_text())
    # Each value once: the EU is both flagged and the jurisdiction of a mapped regulation.
    assert {name: sorted(values) for name, values in filters.items()} == {
        "platform": ["Alpha AI"], "clause type": ["Child safety"], "category": ["Content restrictions"],
        "severity": ["High"], "position": ["Prohibited"], "kind": ["Provision"],
        "jurisdiction": ["European Union", "United States"], "regulation": ["COPPA", "EU AI Act"]}
    assert page.select_one("[data-pagefind-sort=date]").get_text() == "2026-04-20"
    # Pagefind makes sub-results of headings with an id inside the indexed body (the page's own headings;
    # headings inside contributed Markdown have none).
    body = page.select_one("[data-pagefind-body]")
    headings = [h for h in body.select("h2, h3") if not h.find_parent(class_="prose")]
    assert len(headings) > 10
    assert [h.get_text() for h in headings if not h.get("id")] == []


@pytest.mark.browser
def test_search_results_sort_by_date_in_a_browser(tmp_path: Path) -> None:
    from browser_support import chromium, serve, wait_until

    out = tmp_path / "site"
    result = run_build(BASIC, out, search=True)
    assert result.ok, messages(result)
    # The first link of each result (its page), once every result has loaded.
    first_links = ("(() => { const lis = Array.from(document.querySelectorAll('li.pagefind-ui__result'));"
                   " return lis.every(li => li.querySelector('a')) ? lis.map(li => li.querySelector('a').getAttribute('href')) : []; })()")
    with serve(out, "/atlas/") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "search/?q=training")
        best = wait_until(page, first_links)
        assert "/atlas/clause-types/training-on-inputs/" in best  # best match: every kind of page
        with page.expect_navigation():
            page.select_option("#search-sort", "newest")
        assert parse_qs(urlsplit(page.url).query) == {"q": ["training"], "sort": ["newest"]}  # shareable
        # Sorted by the provisions' last-verified dates, newest first: only provision pages carry one.
        newest = wait_until(page, first_links)
        verified = {f"/atlas/platforms/{path.parent.parent.name}/{path.parent.name}/{path.stem}/":
                    yaml.safe_load(path.read_text(encoding="utf-8"))["last_verified"]
                    for path in (BASIC / "content").glob("*/*/*.yaml") if path.name != "document.yaml"}
        assert set(newest) <= set(verified) and len(newest) >= 3
        dates = [verified[h] for h in newest]
        assert dates == sorted(dates, reverse=True)
        with page.expect_navigation():
            page.select_option("#search-sort", "oldest")
        oldest = wait_until(page, first_links)
        assert sorted(oldest) == sorted(newest)
        assert [verified[h] for h in oldest] == sorted(dates)
        assert page.input_value("#search-sort") == "oldest"
        assert page.input_value(".pagefind-ui__search-input") == "training"
