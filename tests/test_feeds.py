"""Atom feeds of changes: valid Atom (IDs, dates, links), under a sub-path base URL, with autodiscovery and a feeds page."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import BASIC, edit, messages, run_build, soup

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/atlas/"
MIRROR = "https://mirror.example.net/deep/path/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ENTRY_ID = re.compile(r"^tag:example\.org,\d{4}-\d{2}-\d{2}:[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+#change-\d+$")
FEEDS = ["feeds/changes.xml", "feeds/platforms/alpha.xml", "feeds/platforms/beta.xml", "feeds/platforms/gamma.xml",
         "feeds/clause-types/child-safety.xml", "feeds/clause-types/training-on-inputs.xml",
         "feeds/regulations/coppa.xml", "feeds/regulations/eu-ai-act.xml"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The basic fixture built for two base URLs, both under a sub-path."""
    built = {}
    for base in (BASE, MIRROR):
        out = tmp_path_factory.mktemp("site")
        result = run_build(BASIC, out, base_url=base)
        assert result.ok, messages(result)
        built[base] = out
    return built


def parse(site: Path, path: str) -> ET.Element:
    return ET.parse(site / path).getroot()


def target_of(site: Path, base: str, url: str) -> tuple[Path, str]:
    """The output file an absolute URL under the base points to, and its fragment."""
    assert url.startswith(base), url
    parts = urlsplit(url)
    rel = parts.path[len(urlsplit(base).path):]
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel), parts.fragment


def rfc3339(value: str) -> datetime:
    assert RFC3339.match(value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_every_feed_is_written(sites: dict[str, Path]) -> None:
    site = sites[BASE]
    assert sorted(p.relative_to(site).as_posix() for p in (site / "feeds").rglob("*.xml")) == sorted(FEEDS)


@pytest.mark.parametrize("path", FEEDS)
def test_feed_follows_the_atom_rules(sites: dict[str, Path], path: str) -> None:
    site = sites[BASE]
    feed = parse(site, path)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    assert feed.find(f"{ATOM}id").text.startswith("tag:example.org,2026:")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Fixture Publisher"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == BASE + path
    assert target_of(site, BASE, links["alternate"])[0].is_file()
    entries = feed.findall(f"{ATOM}entry")
    updated = [rfc3339(e.find(f"{ATOM}updated").text) for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    if entries:
        assert rfc3339(feed.find(f"{ATOM}updated").text) == max(updated)
    else:
        assert feed.find(f"{ATOM}updated").text == "2026-04-20T00:00:00Z"  # the as-of date
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert ENTRY_ID.match(entry.find(f"{ATOM}id").text)
        assert entry.find(f"{ATOM}title").text
        rfc3339(entry.find(f"{ATOM}published").text)
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        page, fragment = target_of(site, BASE, link)
        assert page.is_file() and BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(id=fragment)
        assert entry.find(f"{ATOM}summary").get("type") == "text"
        assert entry.find(f"{ATOM}content").get("type") == "html"


def test_feed_contents(sites: dict[str, Path]) -> None:
    feed = parse(sites[BASE], "feeds/changes.xml")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        "tag:example.org,2026-04-01:alpha/policy/training#change-1",
        "tag:example.org,2026-03-25:beta/policy/old-clause#change-1",
        "tag:example.org,2026-02-15:alpha/policy/child-safety#change-1"]
    first = entries[0]
    assert first.find(f"{ATOM}title").text == "Modified: Training on inputs — Alpha AI"
    assert first.find(f"{ATOM}summary").text == "Switched from opt-out to opt-in."
    assert first.find(f"{ATOM}link").get("href") == BASE + "platforms/alpha/policy/training/#change-1"
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {"modified", "training-on-inputs"}
    content = BeautifulSoup(first.find(f"{ATOM}content").text, "html.parser")
    assert [d.get_text() for d in content.select(".redline del")] == ["may", " out", " settings"]
    assert "effective June 1, 2026" in content.get_text()
    assert all(a["href"].startswith(BASE) for a in content.select("a"))
    # The removed provision's change links to its page, which stays published.
    removed = parse(sites[BASE], "feeds/platforms/beta.xml").findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in removed] == ["Removed: Old training clause — Beta Labs"]


def test_feeds_split_by_platform_clause_type_and_regulation(sites: dict[str, Path]) -> None:
    def ids(path: str) -> list[str]:
        return [e.find(f"{ATOM}id").text.split(":", 2)[2] for e in parse(sites[BASE], path).findall(f"{ATOM}entry")]
    assert ids("feeds/platforms/alpha.xml") == ["alpha/policy/training#change-1", "alpha/policy/child-safety#change-1"]
    assert ids("feeds/platforms/gamma.xml") == []
    assert ids("feeds/clause-types/training-on-inputs.xml") == ["alpha/policy/training#change-1", "beta/policy/old-clause#change-1"]
    assert ids("feeds/clause-types/child-safety.xml") == ["alpha/policy/child-safety#change-1"]
    assert ids("feeds/regulations/eu-ai-act.xml") == ["alpha/policy/child-safety#change-1"]
    assert ids("feeds/regulations/coppa.xml") == ["alpha/policy/child-safety#change-1"]


def test_ids_are_stable_across_feeds_and_base_urls(sites: dict[str, Path]) -> None:
    def ids(site: Path, path: str) -> set[str]:
        return {e.find(f"{ATOM}id").text for e in parse(site, path).findall(f"{ATOM}entry")}
    everything = ids(sites[BASE], "feeds/changes.xml")
    assert ids(sites[BASE], "feeds/platforms/alpha.xml") <= everything
    for path in FEEDS:
        assert ids(sites[BASE], path) == ids(sites[MIRROR], path)
        assert parse(sites[BASE], path).find(f"{ATOM}id").text == parse(sites[MIRROR], path).find(f"{ATOM}id").text
    feed_ids = [parse(sites[BASE], path).find(f"{ATOM}id").text for path in FEEDS]
    assert len(set(feed_ids)) == len(FEEDS)
    # Links, unlike IDs, follow the base URL the site is built for.
    mirror = parse(sites[MIRROR], "feeds/changes.xml")
    assert mirror.find(f"{ATOM}link[@rel='self']").get("href") == MIRROR + "feeds/changes.xml"
    assert all(e.find(f"{ATOM}link").get("href").startswith(MIRROR) for e in mirror.findall(f"{ATOM}entry"))


@pytest.mark.parametrize("url, feeds", [
    ("", ["feeds/changes.xml"]),
    ("changes/", ["feeds/changes.xml"]),
    ("feeds/", ["feeds/changes.xml"]),
    ("platforms/alpha/", ["feeds/platforms/alpha.xml", "feeds/changes.xml"]),
    ("clause-types/child-safety/", ["feeds/clause-types/child-safety.xml", "feeds/changes.xml"]),
    ("regulations/eu-ai-act/", ["feeds/regulations/eu-ai-act.xml", "feeds/changes.xml"]),
])
def test_autodiscovery_links(sites: dict[str, Path], url: str, feeds: list[str]) -> None:
    site = sites[BASE]
    page = soup(site, url)
    links = page.select('head link[rel=alternate][type="application/atom+xml"]')
    resolved = [urlsplit(urljoin(BASE + url, link["href"])).path for link in links]
    assert resolved == ["/atlas/" + f for f in feeds]
    assert all(link.get("title") for link in links)


def test_feeds_page_lists_every_feed(sites: dict[str, Path]) -> None:
    site = sites[BASE]
    page = soup(site, "feeds/")
    linked = {urlsplit(urljoin(BASE + "feeds/", a["href"])).path[len("/atlas/"):] for a in page.select("a.feed-link")}
    assert linked == set(FEEDS)
    rows = {tr.th.get_text(strip=True): tr.select_one("[data-count=changes]").get_text() for tr in page.select("table.feeds tbody tr")}
    assert rows == {"Alpha AI": "2", "Beta Labs": "1", "Gamma Models": "0", "Child safety": "1", "Training on inputs": "2",
                    "COPPA": "1", "EU AI Act": "1"}


def test_contributed_text_is_escaped_in_feeds(kb: Path, tmp_path: Path) -> None:
    summary = 'Now <script>alert("x")</script> & <b>bold</b> ]]> text'
    edit(kb / "content/alpha/policy/training.yaml", "    summary: Switched from opt-out to opt-in.",
         f"    summary: '{summary}'")
    out = tmp_path / "site"
    result = run_build(kb, out, base_url=BASE)
    assert result.ok, messages(result)
    entry = parse(out, "feeds/changes.xml").find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary").text == summary
    content = BeautifulSoup(entry.find(f"{ATOM}content").text, "html.parser")
    assert content.select("script, b") == []
    assert summary in content.get_text()


def test_feed_entries_are_capped(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.pages import feeds
    monkeypatch.setattr(feeds, "FEED_ENTRIES", 2)
    out = tmp_path / "site"
    assert run_build(kb, out).ok
    entries = parse(out, "feeds/changes.xml").findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text.split(":", 2)[2] for e in entries] == [
        "alpha/policy/training#change-1", "beta/policy/old-clause#change-1"]
    # The feeds page still counts every change the feed follows.
    assert "(3 changes)" in soup(out, "feeds/").select_one("main p a.feed-link").parent.get_text()
