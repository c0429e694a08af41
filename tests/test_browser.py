"""The starter site in Debian's chromium, served under a sub-path with its search index: search and its filters,
no console error or CSP violation on any page kind, axe-core accessibility in light and dark themes, and
keyboard-only navigation and search."""
from __future__ import annotations

import json
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

from atlas import graph, load, pages, validate
from atlas.pages import regulations
from atlas.pipeline import BuildOptions, build
from browser_prereqs import ensure_axe, ensure_chromium
from browser_support import chromium, serve, wait_until
from conftest import REPO, messages

pytestmark = pytest.mark.browser

BASE_PATH = "/atlas/"
SEARCH_WORD = "safety"  # in many provisions of several platforms
# Pages whose content comes from script: what to wait for before checking them.
READY = {"search.html": ".pagefind-ui__result", "compare.html": "#compare-table"}
QUERIES = {"search.html": f"?q={SEARCH_WORD}", "compare.html": "?p=openai&p=anthropic&p=cohere"}
# Collects every CSP violation of a page (the console shows them too, but only as text).
WATCH_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")


# The starter's longest lists are split by clause type as a large knowledge base's are, so that those pages are checked too.
LIST_LIMIT = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter site (this repository's content/ and data/), built for a sub-path, with the Pagefind index."""
    out = tmp_path_factory.mktemp("browser") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regulations, "LIST_LIMIT", LIST_LIMIT)
        result = build(BuildOptions(root=REPO, out=out, base_url="https://example.org" + BASE_PATH, search=True, cache=False))
    assert result.ok, messages(result)
    assert (out / "pagefind/pagefind-ui.js").is_file()
    return out


@pytest.fixture(scope="module")
def kinds(site: Path) -> dict[str, str]:
    """One page of every kind (template), the largest of its kind, as a URL relative to the base path."""
    tree, _ = load.load_tree(REPO)
    kb, _ = validate.validate(tree)
    assert kb is not None
    linked, _ = graph.link(kb)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regulations, "LIST_LIMIT", LIST_LIMIT)
        planned, _ = pages.plan(linked)
    by_kind: dict[str, list[str]] = {}
    for page in planned:
        if page.path.endswith(".html"):
            by_kind.setdefault(page.template, []).append(page.path)
    urls = {}
    for kind, paths in sorted(by_kind.items()):
        largest = max(paths, key=lambda path: ((site / path).stat().st_size, path))
        urls[kind] = (largest[: -len("index.html")] if largest.endswith("index.html") else largest) + QUERIES.get(kind, "")
    expected = {"home.html", "platforms.html", "platform.html", "document.html", "provision.html", "clause_types.html",
                "clause_type.html", "regulations.html", "regulation.html", "regulation_part.html", "jurisdiction.html",
                "jurisdiction_part.html", "search.html", "404.html"}
    assert expected <= set(urls), expected - set(urls)
    return urls


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with serve(site, BASE_PATH) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ensure_chromium()
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def axe_source() -> str:
    return ensure_axe().read_text(encoding="utf-8")


class Watched:
    """A page that records console errors, uncaught exceptions, failed requests and CSP violations."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        # A request cut short by leaving the page (net::ERR_ABORTED) is no fault of the page.
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}")
                     if r.failure != "net::ERR_ABORTED" else None)
        self.page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def open(self, url: str, kind: str | None = None) -> Any:
        response = self.page.goto(url, wait_until="load")
        if kind in READY:
            self.page.wait_for_selector(READY[kind])
        self.page.wait_for_timeout(100)  # violation events and late console messages arrive asynchronously
        return response

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")

    def close(self) -> None:
        self.context.close()


# --- Search --------------------------------------------------------------------------------------------------

def _result_count(page: Any) -> int:
    message = page.locator(".pagefind-ui__message").inner_text()
    match = re.match(r"(\d+) results? for ", message)
    assert match, message
    return int(match.group(1))


def test_search_finds_a_word_of_the_starter_content_and_a_filter_narrows_it(browser: Any, served: str) -> None:
    watched = Watched(browser)
    page = watched.page
    watched.open(served + "search/")
    page.fill(".pagefind-ui__search-input", SEARCH_WORD)
    page.wait_for_selector(".pagefind-ui__result")
    wait_until(page, "/^\\d+ results? for /.test((document.querySelector('.pagefind-ui__message') || {}).innerText || '')")
    everything = _result_count(page)
    assert everything >= 3
    # Every result links to a page of the site, under the sub-path.
    for href in page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.href)"):
        assert urlsplit(href).path.startswith(BASE_PATH), href
        assert page.request.get(href).ok, href
    # Filter by one platform: fewer results, and each of them that platform's.
    page.click("summary.pagefind-ui__filter-name:text-is('Platform')")
    labels = page.eval_on_selector_all(
        "input.pagefind-ui__filter-checkbox[name='platform'] + label",
        "labels => labels.map(l => [l.htmlFor, l.innerText])")
    counts = {target: int(re.search(r"\((\d+)\)$", text).group(1)) for target, text in labels}
    target = next(t for t, n in sorted(counts.items(), key=lambda kv: kv[1]) if 0 < n < everything)
    page.check(f"input.pagefind-ui__filter-checkbox[id='{target}']")
    wait_until(page, f"(() => {{ const m = /^(\\d+) results? for /.exec(document.querySelector('.pagefind-ui__message').innerText); "
                     f"return m && Number(m[1]) === {counts[target]}; }})()")
    narrowed = _result_count(page)
    assert 0 < narrowed < everything
    assert watched.problems == [] and watched.violations() == []
    watched.close()


# --- Every page kind: no console error, no CSP violation ---------------------------------------------------------

def test_no_console_error_or_csp_violation_on_any_page_kind(browser: Any, served: str, kinds: dict[str, str]) -> None:
    watched = Watched(browser)
    found = {}
    for kind, url in kinds.items():
        watched.problems.clear()
        response = watched.open(served + url, kind)
        assert response.status == 200, (kind, url)
        trouble = watched.problems + watched.violations()
        if trouble:
            found[f"{kind} ({url})"] = trouble
    assert found == {}
    # A missing page is answered with 404.html, whose absolute links keep it styled at any depth.
    watched.problems.clear()
    response = watched.open(served + "no/such/page/")
    assert response.status == 404
    assert watched.page.locator("h1").count() == 1
    assert watched.page.evaluate("document.styleSheets.length") >= 1
    own = [f"HTTP 404: {served}no/such/page/", "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert sorted(watched.problems) == sorted(own) and watched.violations() == []  # only the page itself is missing
    watched.close()


def test_comparison_page_works_on_the_starter_site(browser: Any, served: str) -> None:
    watched = Watched(browser)
    watched.open(served + "compare/?p=openai&p=anthropic", "compare.html")
    rows = watched.page.locator("#compare-table tbody tr[data-clause-type]").count()
    assert rows >= 3
    assert watched.page.locator("#compare-table td[data-platform=openai]").count() == rows
    assert watched.problems == [] and watched.violations() == []
    watched.close()


# --- Accessibility: axe-core in light and dark themes ------------------------------------------------------------

AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(result => result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_any_page_kind(browser: Any, served: str, kinds: dict[str, str],
                                                              axe_source: str, theme: str) -> None:
    watched = Watched(browser, color_scheme=theme)
    # The reader's choice, as the theme button stores it: theme.js sets data-theme before the first paint.
    watched.context.add_init_script(f"try {{ localStorage.setItem('atlas-theme', '{theme}'); }} catch (e) {{}}")
    page = watched.page
    found = {}
    for kind, url in kinds.items():
        watched.open(served + url, kind)
        assert page.evaluate("document.documentElement.getAttribute('data-theme')") == theme
        # Injected through the debugging protocol, which the page's CSP (rightly) does not allow a script tag to do.
        page.evaluate(axe_source)
        violations = page.evaluate(AXE_RUN)
        if violations:
            found[f"{kind} ({url})"] = violations
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert found == {}
    dark = tuple(int(n) for n in re.findall(r"\d+", background)[:3])
    assert (sum(dark) < 200) == (theme == "dark"), background  # the theme really changed the colours
    watched.close()


def test_axe_finds_what_it_must(browser: Any, served: str, axe_source: str) -> None:
    """The accessibility check can fail: a page made inaccessible on purpose gives serious violations."""
    watched = Watched(browser)
    page = watched.page
    watched.open(served)
    page.evaluate("""() => {
        const img = document.createElement('img'); img.src = 'assets/favicon.svg'; document.querySelector('main').append(img);
        const low = document.createElement('p'); low.textContent = 'faint'; low.className = 'x';
        low.setAttribute('id', 'faint'); document.querySelector('main').append(low);
        document.getElementById('faint').style.color = '#bbbbbb';
    }""")
    page.evaluate(axe_source)
    ids = {line.split(" ")[0] for line in page.evaluate(AXE_RUN)}
    assert {"image-alt", "color-contrast"} <= ids
    watched.close()


# --- Keyboard only ---------------------------------------------------------------------------------------------

def _active(page: Any) -> dict:
    return page.evaluate("""() => { const a = document.activeElement; const r = a.getBoundingClientRect();
        const style = getComputedStyle(a);
        return {tag: a.tagName.toLowerCase(), cls: a.className || '', text: (a.innerText || '').trim(),
                href: a.getAttribute('href'), inNav: !!a.closest('nav.site-nav'), inMain: !!a.closest('main'),
                visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
                outline: style.outlineStyle !== 'none' || style.boxShadow !== 'none'}; }""")


def _tab_until(page: Any, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = _active(page)
        if predicate(active):
            return active
    raise AssertionError(f"Tab never reached the element; last: {active}")


def test_keyboard_only_navigation_and_search(browser: Any, served: str) -> None:
    watched = Watched(browser)
    page = watched.page
    watched.open(served)
    # The first Tab reaches the skip link, shown when focused; it moves on to the main content.
    page.keyboard.press("Tab")
    first = _active(page)
    assert first["cls"] == "skip-link" and first["href"] == "#main" and first["visible"] and first["outline"], first
    page.keyboard.press("Enter")
    # The fragment navigation ends after the key press returns: wait for it (a loaded machine is slower).
    page.wait_for_function("location.hash === '#main'", timeout=5000)
    assert page.url.endswith("#main")
    after_skip = _tab_until(page, lambda a: True, limit=1)
    assert after_skip["inMain"], after_skip
    # From the top again: Tab goes through the main navigation, each link visibly focused, to Search.
    watched.open(served)
    seen = []
    search_link = _tab_until(page, lambda a: (seen.append(a) or True) and a["inNav"] and a["text"] == "Search")
    nav_links = [a for a in seen if a["inNav"]]
    assert len(nav_links) >= 4 and all(a["visible"] and a["outline"] for a in nav_links), nav_links
    assert search_link["href"].endswith("search/")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == BASE_PATH + "search/"
    page.wait_for_selector(".pagefind-ui__search-input")
    # Tab to the search input, type, and the results appear; Tab on to the first result and open it.
    field = _tab_until(page, lambda a: a["tag"] == "input" and "pagefind-ui__search-input" in a["cls"])
    assert field["visible"]
    page.keyboard.type(SEARCH_WORD)
    page.wait_for_selector(".pagefind-ui__result-link")
    wait_until(page, "/^\\d+ results? for /.test((document.querySelector('.pagefind-ui__message') || {}).innerText || '')")
    result = _tab_until(page, lambda a: a["tag"] == "a" and "pagefind-ui__result-link" in a["cls"], limit=150)
    assert result["outline"], result
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path.startswith(BASE_PATH) and "/search/" not in page.url
    assert page.locator("h1").count() == 1
    assert watched.problems == [] and watched.violations() == []
    watched.close()


def test_a_section_link_shows_when_focused_and_leads_to_its_section(browser: Any, served: str) -> None:
    watched = Watched(browser)
    page = watched.page
    watched.open(served + "analyses/child-safety-across-platforms/")
    link = page.locator(".prose h2 .heading-link").first
    section = link.evaluate("a => a.parentElement.id")
    assert section.startswith("section-")
    assert link.evaluate("a => getComputedStyle(a).opacity") == "0"  # out of the way while reading
    focused = _tab_until(page, lambda a: "heading-link" in a["cls"])
    assert focused["href"] == "#" + section and focused["visible"] and focused["outline"], focused
    assert link.evaluate("a => getComputedStyle(a).opacity") == "1"
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#{section}'", timeout=5000)
    assert page.locator(f"#{section}").evaluate("h => h.getBoundingClientRect().top") < 50  # scrolled to it
    assert watched.problems == [] and watched.violations() == []
    watched.close()


# --- Hostile text in the search UI -------------------------------------------------------------------------------

@contextmanager
def _hostile_site(browser: Any, tmp_path_factory: pytest.TempPathFactory, search: bool) -> Iterator[tuple[str, Watched]]:
    """The hostile knowledge base (test_bad_input), built and served; a watched page whose alert() calls are kept."""
    from test_bad_input import make_hostile_kb

    base = tmp_path_factory.mktemp("hostile")
    out = base / "site"
    result = build(BuildOptions(root=make_hostile_kb(base / "kb"), out=out, base_url="https://example.org" + BASE_PATH,
                                search=search, cache=False))
    assert result.ok, messages(result)
    with serve(out, BASE_PATH) as served:
        watched = Watched(browser)
        watched.context.add_init_script("window.__alerts = []; window.alert = m => window.__alerts.push(String(m));")
        yield served, watched


def test_hostile_names_stay_text_in_search_results_and_filters(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Pagefind's UI inserts filter values with innerHTML: a platform named "<img src=x onerror=...>" must still
    # show as text there, with no element made from it and nothing for the CSP to block.
    from test_bad_input import HOSTILE

    with _hostile_site(browser, tmp_path_factory, search=True) as (served, watched):
        page = watched.page
        watched.open(served + "search/?q=onerror", "search.html")
        for summary in page.locator("summary.pagefind-ui__filter-name").all():
            summary.click()
        page.wait_for_timeout(300)
        injected = "#search img, #search script, #search svg, #search iframe, #search b, #search [onerror], #search [onmouseover]"
        assert page.locator(injected).count() == 0
        labels = page.eval_on_selector_all(".pagefind-ui__filter-label", "ls => ls.map(l => l.innerText)")
        assert any(label.startswith("Alpha " + HOSTILE[:150]) for label in labels), labels
        titles = page.eval_on_selector_all(".pagefind-ui__result-link", "ls => ls.map(l => l.innerText)")
        assert HOSTILE[:199] in titles
        assert watched.violations() == [] and page.evaluate("window.__alerts") == []
        assert watched.problems == []
        watched.close()


def test_a_hostile_citation_fetched_into_the_page_stays_text(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # copy.js puts cite.bib and cite.json into the page when their section opens: contributed text in them
    # (a title full of markup) must arrive as text, with no element made from it and no script run.
    from test_bad_input import HOSTILE

    with _hostile_site(browser, tmp_path_factory, search=False) as (served, watched):
        page = watched.page
        watched.open(served + "platforms/alpha/policy/child-safety/")
        for summary in page.locator("#cite details.cite-format summary").all():
            summary.click()
        wait_until(page, "document.querySelector('#cite-bibtex').textContent !== '' && "
                         "document.querySelector('#cite-csl').textContent !== ''")
        assert page.locator("#cite pre *").count() == 0  # text only: not one element
        assert HOSTILE[:40] in json.loads(page.locator("#cite-csl").text_content())[0]["title"]
        assert "</script><script>" in page.locator("#cite-bibtex").text_content()
        assert watched.violations() == [] and page.evaluate("window.__alerts") == []
        assert watched.problems == []
        watched.close()
