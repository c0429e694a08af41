"""The basic fixture builds end to end: pages exist, tables hold the right rows, counts are derived."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import BASIC, REPO, copy_kb, messages, run_build, soup


def test_every_core_page_exists(basic_site: Path) -> None:
    for url in ["", "platforms/", "platforms/alpha/", "platforms/alpha/policy/", "platforms/alpha/policy/child-safety/",
                "clause-types/", "clause-types/child-safety/", "regulations/", "regulations/eu-ai-act/",
                "jurisdictions/eu/", "analyses/", "analyses/child-safety-compared/", "search/", "methodology/"]:
        assert (basic_site / url / "index.html").is_file(), url
    assert (basic_site / "404.html").is_file()
    assert (basic_site / "assets/css/atlas.css").is_file()


def test_home_counts_are_derived(basic_site: Path) -> None:
    page = soup(basic_site, "")
    counts = {el["data-count"]: el.get_text() for el in page.select("[data-count]")}
    assert counts == {"platforms": "3", "documents": "3", "provisions": "5", "clause-types": "2",
                      "regulations": "2", "changes": "3"}


def test_platforms_index_lists_each_platform_once(basic_site: Path) -> None:
    rows = soup(basic_site, "platforms/").select("#platforms-table tbody tr")
    assert [r.th.get_text(strip=True) for r in rows] == ["Alpha AI", "Beta Labs", "Gamma Models"]
    alpha = [td.get_text() for td in rows[0].select("td")]
    assert alpha[:3] == ["1", "2", "1"]  # documents, provisions, high severity


def test_clause_type_comparison_table(basic_site: Path) -> None:
    page = soup(basic_site, "clause-types/child-safety/")
    rows = page.select("#comparison tbody tr")
    platforms = [r.th.get_text(strip=True) for r in rows]
    assert platforms == ["Alpha AI", "Beta Labs"]
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert cells[0].startswith("Child safety ban")
    assert cells[1] == "Prohibited"
    assert "High" in cells[2]
    assert "in any setting" in cells[3]
    assert "February 15, 2026" in cells[4]
    assert "Held by 2 of 3" in page.select_one("[data-figure=uniqueness]").get_text(" ", strip=True)


def test_provision_page_shows_its_record(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/child-safety/")
    assert page.h1.get_text() == "Child safety ban"
    assert page.select_one("[data-figure=record-id]").get_text() == "alpha/policy/child-safety"
    assert "Held by 2 of 3 platforms" in page.select_one("[data-figure=uniqueness]").get_text()
    others = page.select("#other-platforms .others li")
    assert len(others) == 1 and "Beta Labs" in others[0].get_text()
    assert page.select_one("#compliance h3#governance-exposure") is not None
    assert page.select_one("#analysis h2") and "absolute" in page.select_one("#analysis").get_text()
    assert page.select_one("[data-figure=hash-verified]") is not None
    assert page.select_one("[data-figure=quote-verified]") is not None
    regs = [a.get_text() for a in page.select("#regulations .regulations strong")]
    assert regs == ["EU AI Act", "COPPA"]


def test_authorship_sentences_are_separated(basic_site: Path) -> None:
    text = soup(basic_site, "platforms/alpha/policy/training/").select_one("#authorship p").get_text()
    assert " ".join(text.split()) == ("Written by Fixture Editors on January 10, 2026. "
                                      "Reviewed by A. Reviewer (April 20, 2026). No AI assistance was used.")


def test_records_link_to_the_analyses_that_discuss_them(basic_site: Path) -> None:
    """The analysis names two provisions (of alpha and beta), a clause type and a regulation: each of their pages, and
    their platforms' and documents', link to it."""
    def discussed_in(url: str) -> list[str]:
        return [a.get_text() for a in soup(basic_site, url).select("#discussed-in li > a")]
    for url in ("platforms/alpha/policy/child-safety/", "platforms/alpha/", "platforms/beta/", "platforms/alpha/policy/",
                "clause-types/child-safety/", "regulations/eu-ai-act/"):
        assert discussed_in(url) == ["Child safety compared"], url
    for url in ("platforms/gamma/", "platforms/gamma/policy/", "platforms/alpha/policy/training/", "clause-types/training-on-inputs/", "regulations/coppa/"):
        assert discussed_in(url) == [], url


def test_paraphrase_never_carries_a_verified_badge(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/beta/policy/old-clause/")
    assert page.select_one("[data-figure=quote-verified]") is None
    assert "Paraphrase" in page.select_one("#clause .excerpt-status").get_text()
    assert "removed" in page.select_one(".notice").get_text()


def test_regulation_page_lists_mapped_provisions(basic_site: Path) -> None:
    rows = soup(basic_site, "regulations/eu-ai-act/").select("#crosswalk tbody tr")
    assert len(rows) == 1
    assert "Article 5" in rows[0].get_text()
    assert "bans some practices" in rows[0].get_text()


def _internal_targets(site: Path, base_path: str):
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        page_url = base_path + rel
        html = soup(site, rel)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in html.find_all(tag):
                value = el.get(attr)
                if not value or urlsplit(value).scheme in ("https", "http", "mailto"):
                    continue
                yield rel, value, urlsplit(urljoin(page_url, value)).path


@pytest.mark.parametrize("base_url", [None, "https://example.org/atlas/"])
def test_internal_links_resolve_under_any_base(tmp_path: Path, base_url: str | None) -> None:
    out = tmp_path / "site"
    result = run_build(BASIC, out, base_url=base_url)
    assert result.ok, messages(result)
    base_path = urlsplit(base_url).path if base_url else "/"
    for source, value, path in _internal_targets(out, base_path):
        if source == "404.html" or "pagefind/" in path:
            continue  # 404 links are absolute by design; the search bundle is checked by the browser tests
        assert path.startswith(base_path), (source, value)
        target = out / path[len(base_path):]
        if path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), f"{source}: {value} -> {target}"


def test_404_links_use_the_base_path(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(BASIC, out, base_url="https://example.org/atlas/").ok
    hrefs = [a["href"] for a in soup(out, "404.html").select("main a")]
    assert hrefs and all(h.startswith("/atlas/") for h in hrefs)


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    # The search bundle included: Pagefind's own filter order varies between runs (Pagefind/pagefind#638)
    # and atlas.search_bundle sorts it.
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_build(BASIC, first, search=True).ok
    assert run_build(BASIC, second, search=True).ok
    one, two = _site_files(first), _site_files(second)
    assert sorted(one) == sorted(two)
    assert any(p.startswith("pagefind/filter/") for p in one)
    for rel in one:
        assert one[rel] == two[rel], rel


def test_search_bundle_is_canonical(tmp_path: Path) -> None:
    import gzip

    import cbor2

    out = tmp_path / "site"
    assert run_build(BASIC, out, search=True).ok
    for path in (out / "pagefind/filter").iterdir():
        name, values = cbor2.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        assert [v for v, _ in values] == sorted(v for v, _ in values), name


def test_search_index_is_built(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(BASIC, out, search=True)
    assert result.ok and result.indexed
    assert (out / "pagefind/pagefind-ui.js").is_file()
    assert (out / "pagefind/pagefind-entry.json").is_file()


def test_cli_build_and_help(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "build.py", "build", "--root", str(BASIC), "--out", str(out), "--no-search"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file()
    # --no-cache (CI's build): the same site, and no .atlas-cache/ left in the knowledge base.
    kb = copy_kb(BASIC, tmp_path / "kb")
    done = subprocess.run([sys.executable, "build.py", "build", "--root", str(kb), "--out", str(tmp_path / "plain"),
                           "--no-search", "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (kb / ".atlas-cache").exists()
    built = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {p.relative_to(tmp_path / "plain"): p.read_bytes() for p in (tmp_path / "plain").rglob("*") if p.is_file()} == built
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        shown = subprocess.run([sys.executable, "build.py", *args], cwd=REPO, capture_output=True, text=True)
        assert shown.returncode == 0 and "usage:" in shown.stdout


def test_starter_knowledge_base_checks_clean() -> None:
    result = run_build(REPO, None)
    assert result.ok, messages(result)
    assert result.pages > 50


def test_a_build_whose_records_all_pass_never_imports_jsonschema(tmp_path: Path) -> None:
    """jsonschema words a record's schema problems; the fast validator decides which records have any. So a clean
    build (and the preview's, and the check before a commit) does not pay for importing it; a broken record does."""
    broken = copy_kb(BASIC, tmp_path / "kb")
    record = next((broken / "content").rglob("child-safety.yaml"))
    record.write_text(record.read_text(encoding="utf-8").replace("severity: high", "severity: extreme"), encoding="utf-8")
    script = ("import sys; from pathlib import Path; from atlas.pipeline import build, BuildOptions; "
              "result = build(BuildOptions(root=Path(sys.argv[1]), out=None, cache=False)); "
              "print(result.ok, 'jsonschema' in sys.modules)")
    for root, expected in ((BASIC, "True False"), (broken, "False True")):
        done = subprocess.run([sys.executable, "-c", script, str(root)], cwd=REPO, capture_output=True, text=True)
        assert done.stdout.split() == expected.split(), done.stderr[-2000:]


def _environment(kb: Path):
    """The Jinja environment of the knowledge base's build, as the render stage makes it."""
    from atlas import render
    from atlas.markdown import MarkdownRenderer

    graph = run_build(kb).graph
    assert graph is not None
    return render.make_environment(REPO / "templates", graph, render.SiteUrls("https://x.example/", "/"), MarkdownRenderer())


def test_templates_share_the_environments_globals(kb: Path) -> None:
    """Templates read the environment's globals dict itself: Jinja copies or compares a template's globals at every
    render, include and import, key by key over a ChainMap (see atlas.render._Environment)."""
    env = _environment(kb)
    assert env.get_template("provision.html").globals is env.globals
    assert env.get_template("_macros.html").globals is env.globals
    # A template given globals of its own still gets them, on top of the environment's, which stay as they are.
    own = env.from_string("{{ extra }} {{ base_url }}", globals={"extra": "mine"})
    assert own.render() == "mine https://x.example/" and "extra" not in env.globals


def test_templates_escape_their_output_without_making_markup_of_plain_text(kb: Path) -> None:
    """Output goes through render._escape_output: text is escaped as markupsafe.escape does, without a Markup object
    made for each value; Markup, objects with __html__, numbers and blocks behave as with Jinja's own escape."""
    from markupsafe import Markup

    from atlas import render

    env = _environment(kb)
    assert env.get_template("provision.html").root_render_func.__globals__["escape"] is render._escape_output

    class Html:
        def __html__(self) -> str:
            return "<em>own</em>"

    template = env.from_string(
        "{{ text }}|{{ safe }}|{{ html }}|{{ number }}|{{ text | e }}|{% set block %}<b>{{ text }}</b>{% endset %}"
        "{{ block }}|{{ block | length }}|{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m(text) }}|{{ m(text) | upper }}")
    out = template.render(text="<a href=\"x\">'&", safe=Markup("<q>"), html=Html(), number=3)
    text = "&lt;a href=&#34;x&#34;&gt;&#39;&amp;"
    assert out == (f"{text}|<q>|<em>own</em>|3|{text}|<b>{text}</b>|{len('<b>' + text + '</b>')}|<i>{text}</i>|"
                   f"<I>{text.upper()}</I>")
    assert render._escape_output("<") == "&lt;" and type(render._escape_output("<")) is str
    markup = Markup("<i>")
    assert render._escape_output(markup) is markup  # written as it is, not copied
