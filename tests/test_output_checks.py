"""The built starter site, at a domain's root and under a sub-path: every internal link, source and #fragment
resolves; every page is well-formed HTML with lang, a title, one h1, landmarks and the strict CSP; every feed,
JSON and CSV file parses."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest

from atlas.pipeline import BuildOptions, build
from conftest import REPO, messages

BASES = {"root": "https://example.org/", "subpath": "https://example.org/atlas/"}
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'")
URL_ATTRIBUTES = {("a", "href"), ("link", "href"), ("area", "href"), ("script", "src"), ("img", "src"),
                  ("source", "src"), ("iframe", "src"), ("form", "action"), ("blockquote", "cite"), ("q", "cite")}
# Folders that page scripts fetch from (search bundle, JSON API, site root): they must exist too.
FOLDER_ATTRIBUTES = {"data-bundle", "data-api", "data-site-root"}


@pytest.fixture(scope="module", params=sorted(BASES))
def starter(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The starter knowledge base (this repository's content/ and data/), built with its search index."""
    base = BASES[request.param]
    out = tmp_path_factory.mktemp(f"starter-{request.param}") / "site"
    result = build(BuildOptions(root=REPO, out=out, base_url=base, search=True, cache=False))
    assert result.ok, messages(result)
    return out, base


class Page(HTMLParser):
    """The start tags, ids and text-level facts of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.inline_scripts: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if attributes.get("name") and tag == "a":
            self.ids.append(attributes["name"])
        self.h1 += tag == "h1"
        self._in_title = tag == "title"
        if tag == "script":
            self._script = attributes

    def handle_endtag(self, tag) -> None:
        self._in_title = False
        self._script = None if tag == "script" else self._script

    def handle_data(self, data) -> None:
        if self._in_title:
            self.title += data
        if self._script is not None and data.strip() and self._script.get("type") != "application/ld+json":
            self.inline_scripts.append(data)


@lru_cache(maxsize=None)
def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("pagefind/"))


def page_url(site: Path, base: str, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def resolve(site: Path, base: str, absolute: str, folder: bool = False) -> str | None:
    """Why an absolute URL under the site does not resolve to a file (or #id) of the output, or None."""
    parts = urlsplit(absolute)
    here = parts._replace(query="", fragment="").geturl()
    if not here.startswith(base):
        return f"{absolute} leaves the site's base URL {base}"
    rel = unquote(here[len(base):])
    if folder:
        return None if (site / rel).is_dir() or rel == "" else f"{absolute}: no folder {rel}"
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    target = site / rel
    if target.is_dir():
        return f"{absolute}: a folder without the trailing '/'"
    if not target.is_file():
        return f"{absolute}: no file {rel}"
    if parts.fragment:
        if not rel.endswith(".html"):
            return f"{absolute}: a #fragment on a file that is not a page"
        if unquote(parts.fragment) not in parse(target).ids:
            return f"{absolute}: no element with id '{parts.fragment}' in {rel}"
    return None


def link_problems(site: Path, base: str) -> list[str]:
    """Every internal href/src/#fragment of every page that does not resolve."""
    host = urlsplit(base).netloc
    problems = []
    for file in html_files(site):
        here = page_url(site, base, file)
        where = file.relative_to(site).as_posix()
        for tag, attrs in parse(file).tags:
            for name, value in attrs.items():
                if value is None or not ((tag, name) in URL_ATTRIBUTES or name in FOLDER_ATTRIBUTES):
                    continue
                target = urljoin(here, value)
                parts = urlsplit(target)
                if parts.scheme not in ("http", "https") or parts.netloc != host:
                    continue  # external (other sites, mailto:): not ours to resolve
                why = resolve(site, base, target, folder=name in FOLDER_ATTRIBUTES)
                if why:
                    problems.append(f"{where}: <{tag} {name}={value!r}>: {why}")
    return problems


def test_every_internal_link_source_and_fragment_resolves(starter: tuple[Path, str]) -> None:
    site, base = starter
    assert len(html_files(site)) > 50
    assert link_problems(site, base) == []


def test_links_of_data_files_and_feeds_resolve(starter: tuple[Path, str]) -> None:
    # Feeds, the sitemap, the JSON API, CSV exports and citations name pages by absolute URL: each must exist.
    site, base = starter
    pattern = re.compile(re.escape(base) + r"[^\s\"'<>)\]},\\&]*")
    problems, checked = [], 0
    for file in sorted(site.rglob("*")):
        rel = file.relative_to(site).as_posix()
        if not file.is_file() or file.suffix not in (".xml", ".json", ".csv", ".txt", ".bib") or rel.startswith("pagefind/"):
            continue
        for url in set(pattern.findall(file.read_text(encoding="utf-8"))):
            url = url.rstrip(".,;:")
            if url.endswith(".schema.json") and rel.startswith("schemas/"):
                continue  # a schema's $id names where the schema is published, checked below
            checked += 1
            why = resolve(site, base, url)
            if why:
                problems.append(f"{rel}: {why}")
    assert checked > 50
    assert problems == []


def test_links_resolve_checker_catches_broken_links(tmp_path: Path) -> None:
    """The link check can fail: a missing page, a missing #id, a folder without '/', a path leaving the base."""
    base = "https://example.org/atlas/"
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<h1 id="top">A</h1>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#top">ok</a><a href="b/">no</a><a href="a/#nope">no</a><a href="a">no</a>'
        '<a href="/a/">no</a><a href="https://elsewhere.example/">external</a><a href="#">top</a>', encoding="utf-8")
    found = link_problems(tmp_path, base)
    assert [line.split(">:")[0] for line in found] == [
        "index.html: <a href='b/'", "index.html: <a href='a/#nope'", "index.html: <a href='a'", "index.html: <a href='/a/'"]


def test_every_page_is_well_formed_with_lang_title_one_h1_and_landmarks(starter: tuple[Path, str]) -> None:
    site, _ = starter
    problems = []
    for file in html_files(site):
        where = file.relative_to(site).as_posix()
        raw = file.read_bytes()
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(raw)
        if parser.errors:
            problems.append(f"{where}: HTML parse errors {parser.errors[:3]}")
        page = parse(file)
        tags = [tag for tag, _ in page.tags]
        html_attrs = next(attrs for tag, attrs in page.tags if tag == "html")
        if not (html_attrs.get("lang") or "").strip():
            problems.append(f"{where}: no lang")
        if not page.title.strip():
            problems.append(f"{where}: no title")
        if page.h1 != 1:
            problems.append(f"{where}: {page.h1} h1 elements")
        for landmark in ("header", "nav", "main", "footer"):
            if landmark not in tags:
                problems.append(f"{where}: no <{landmark}>")
        if tags.count("main") != 1:
            problems.append(f"{where}: {tags.count('main')} <main> elements")
        duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
        if duplicates:
            problems.append(f"{where}: duplicate ids {duplicates}")
        if not raw.startswith(b"<!doctype html>"):
            problems.append(f"{where}: no doctype")
    assert problems == []


def test_every_page_carries_the_strict_csp_and_no_inline_script_or_style(starter: tuple[Path, str]) -> None:
    site, _ = starter
    problems = []
    for file in html_files(site):
        where = file.relative_to(site).as_posix()
        page = parse(file)
        policies = [attrs.get("content") for tag, attrs in page.tags
                    if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"]
        if policies != [CSP]:
            problems.append(f"{where}: CSP {policies}")
        if page.inline_scripts:
            problems.append(f"{where}: inline script")
        for tag, attrs in page.tags:
            if tag == "style" or "style" in attrs or any(name.startswith("on") for name in attrs):
                problems.append(f"{where}: inline style or event handler on <{tag}>")
            if tag == "a" and urlsplit(attrs.get("href") or "").scheme in ("http", "https") \
                    and urlsplit(attrs["href"]).netloc != "example.org":
                if not {"noopener", "noreferrer"} <= set((attrs.get("rel") or "").split()):
                    problems.append(f"{where}: external link without rel=noopener noreferrer: {attrs['href']}")
    assert problems == []
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP.replace("'wasm-unsafe-eval'", "")


def test_feeds_json_and_csv_parse(starter: tuple[Path, str]) -> None:
    site, _ = starter
    counts = {".xml": 0, ".json": 0, ".csv": 0}
    for file in sorted(site.rglob("*")):
        if file.suffix not in counts or not file.is_file():
            continue
        counts[file.suffix] += 1
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".xml":
            ET.fromstring(text.encode("utf-8"))
        elif file.suffix == ".json":
            json.loads(text)
        else:
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert rows and all(len(row) == len(rows[0]) for row in rows), file
    assert counts[".xml"] >= 2 and counts[".json"] >= 10 and counts[".csv"] >= 1, counts
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feeds/changes.xml").getroot()
    assert feed.tag == f"{atom}feed" and feed.find(f"{atom}title") is not None
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    assert sitemap.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"


def test_the_site_lives_under_its_base_path_only(starter: tuple[Path, str]) -> None:
    # No page links to "/..." outside the base path: under a sub-path such a link would leave the site.
    site, base = starter
    prefix = urlsplit(base).path
    for file in html_files(site):
        for tag, attrs in parse(file).tags:
            for name in ("href", "src", "action"):
                value = attrs.get(name) or ""
                if value.startswith("/") and not value.startswith("//"):
                    assert value.startswith(prefix), (file, tag, value)
