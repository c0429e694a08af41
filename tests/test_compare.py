"""The clause-type × platform matrix (page and CSV), the side-by-side comparison (in a real browser), the crosswalk."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import yaml

from conftest import BASIC, copy_kb, messages, run_build, soup

PLATFORM_NAMES = {"alpha": "Alpha AI", "beta": "Beta Labs", "gamma": "Gamma Models"}


def _fixture_provisions() -> list[dict]:
    """The provision records of the basic fixture, read straight from its YAML (not through the generator)."""
    found = []
    for path in sorted((BASIC / "content").glob("*/*/*.yaml")):
        if path.name == "document.yaml":
            continue
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        platform, document = path.parts[-3], path.parts[-2]
        record.update(platform=platform, key=f"{platform}/{document}/{path.stem}")
        found.append(record)
    return found


def _position_names() -> dict[tuple[str, str], str]:
    data = yaml.safe_load((BASIC / "data/clause-types.yaml").read_text(encoding="utf-8"))
    return {(t["id"], p["id"]): p["name"] for t in data["clause_types"] for p in t["positions"]}


def _expected_cells() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(clause type, platform) -> {(link target, text)} as the matrix must show them."""
    names = _position_names()
    cells: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for r in _fixture_provisions():
        removed = " · removed" if r.get("status") == "removed" else ""
        text = f"{names[(r['clause_type'], r['position'])]} · {r['severity']}{removed}"
        cells.setdefault((r["clause_type"], r["platform"]), set()).add((f"platforms/{r['key']}/", text))
    return cells


def test_matrix_cells_match_the_fixture_records(basic_site: Path) -> None:
    page = soup(basic_site, "matrix/")
    table = page.select_one("#matrix")
    columns = [th["data-platform"] for th in table.select("thead th[data-platform]")]
    assert columns == ["alpha", "beta", "gamma"]  # by platform name
    assert [th.get_text(strip=True) for th in table.select("thead th[data-platform]")] == [PLATFORM_NAMES[c] for c in columns]
    expected = _expected_cells()
    seen_rows = []
    for row in table.select("tbody tr[data-clause-type]"):
        clause_type = row["data-clause-type"]
        seen_rows.append(clause_type)
        cells = row.find_all("td")
        assert len(cells) == len(columns)
        for platform, cell in zip(columns, cells):
            links = {(urljoin("matrix/", a["href"]), a.get_text()) for a in cell.find_all("a")}
            want = expected.get((clause_type, platform), set())
            assert links == want, (clause_type, platform)
            if not want:
                assert cell.get_text(strip=True) == "not recorded", (clause_type, platform)
    assert seen_rows == ["child-safety", "training-on-inputs"]
    # The one empty cell of the fixture says so explicitly.
    assert ("child-safety", "gamma") not in expected


def test_matrix_rows_are_grouped_by_category(basic_site: Path) -> None:
    bodies = soup(basic_site, "matrix/").select("#matrix tbody")
    groups = [(b.select_one("tr.matrix-category th").get_text(strip=True), [r["data-clause-type"] for r in b.select("tr[data-clause-type]")])
              for b in bodies]
    assert groups == [("Content restrictions", ["child-safety"]), ("Data rights", ["training-on-inputs"])]
    corner = soup(basic_site, "matrix/").select_one("#matrix thead th")
    assert corner["scope"] == "col"


def test_matrix_links_resolve(basic_site: Path) -> None:
    page = soup(basic_site, "matrix/")
    for a in page.select("#matrix a"):
        target = urljoin("matrix/", a["href"])
        assert (basic_site / target / "index.html").is_file(), target
    csv_link = page.find("a", string=lambda s: s and "CSV" in s)
    assert (basic_site / urljoin("matrix/", csv_link["href"])).is_file()


def test_matrix_has_no_inline_script_and_loads_its_filter(basic_site: Path) -> None:
    page = soup(basic_site, "matrix/")
    scripts = page.find_all("script")
    assert all(s.get("src") for s in scripts), "inline script"
    assert any(s["src"].endswith("assets/js/matrix.js") for s in scripts)
    assert page.select_one("#matrix-filter").has_attr("hidden")  # shown by the script, never a dead form without it


def test_matrix_csv_matches_the_fixture_records(basic_site: Path) -> None:
    text = (basic_site / "api/v1/matrix.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["category", "clause_type", "clause_type_name", "alpha", "beta", "gamma"]
    by_type = {r[1]: dict(zip(rows[0][3:], r[3:])) for r in rows[1:]}
    assert set(by_type) == {"child-safety", "training-on-inputs"}
    for r in _fixture_provisions():
        removed = ", removed" if r.get("status") == "removed" else ""
        assert f"{r['position']} ({r['severity']}{removed})" in by_type[r["clause_type"]][r["platform"]]
    assert by_type["child-safety"]["gamma"] == "not recorded"
    assert by_type["training-on-inputs"]["beta"] == "always (low, removed)"


def test_compare_page_without_javascript_links_to_the_matrix(basic_site: Path) -> None:
    page = soup(basic_site, "compare/")
    noscript = page.find("noscript")
    assert noscript is not None
    assert "matrix/" in noscript.decode_contents()
    form = page.select_one("#compare-form")
    assert form.has_attr("hidden")
    selects = form.select("select[name=p]")
    assert len(selects) == 4
    assert [o["value"] for o in selects[0].find_all("option") if o["value"]] == ["alpha", "beta", "gamma"]
    assert all(s.get("src") for s in page.find_all("script"))
    # The API root is a relative link, so the page works under any base path.
    assert form["data-api"] == "../api/v1/"


def test_regulation_crosswalk_lists_articles_and_rationale(basic_site: Path) -> None:
    rows = soup(basic_site, "regulations/coppa/").select("#crosswalk tbody tr")
    assert len(rows) == 1
    assert rows[0].th.get_text(strip=True) == "Alpha AI"
    assert "16 CFR 312.5" in rows[0].get_text()
    assert "Children's data is protected." in rows[0].get_text()
    regulations = [a.get_text() for a in soup(basic_site, "jurisdictions/us/").select(".regulation-list a")]
    assert regulations == ["COPPA"]


def test_unknown_article_is_a_located_error(kb: Path) -> None:
    from conftest import edit
    edit(kb / "content/alpha/policy/child-safety.yaml", "articles: [art-5]", "articles: [art-55]")
    result = run_build(kb, None)
    assert not result.ok
    assert any("child-safety.yaml:" in m and "unknown-article" in m and "art-55" in m for m in messages(result))


# --- In a real browser -------------------------------------------------------------------------------------------

def _rows(page) -> dict[str, dict]:
    """The comparison table as {clause type: {verdict, class, cells: {platform: text}}}."""
    return page.evaluate("""() => {
      const out = {};
      for (const tr of document.querySelectorAll('#compare-table tbody tr[data-clause-type]')) {
        const cells = {};
        for (const td of tr.querySelectorAll('td[data-platform]')) { cells[td.dataset.platform] = td.innerText; }
        out[tr.dataset.clauseType] = {verdict: tr.querySelector('.compare-verdict').innerText, cls: tr.className, cells};
      }
      return out;
    }""")


@pytest.mark.browser
def test_comparison_in_a_browser_under_a_sub_path(basic_site: Path) -> None:
    from browser_support import chromium, serve, wait_until

    with serve(basic_site, "/atlas/") as base, chromium() as browser:
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(base + "compare/")
        assert page.is_visible("#compare-form")
        page.select_option("#compare-p1", "alpha")
        page.select_option("#compare-p2", "beta")
        page.click("#compare-form button[type=submit]")
        page.wait_for_selector("#compare-table")
        assert parse_qs(urlsplit(page.url).query) == {"p": ["alpha", "beta"]}
        rows = _rows(page)
        assert list(rows) == ["child-safety", "training-on-inputs"]
        assert rows["child-safety"]["verdict"] == "Same position"
        assert "Child safety ban" in rows["child-safety"]["cells"]["alpha"]
        assert "Minors protection" in rows["child-safety"]["cells"]["beta"]
        assert "Prohibited" in rows["child-safety"]["cells"]["beta"]
        assert rows["training-on-inputs"]["verdict"] == "Positions differ"
        assert "differs" in rows["training-on-inputs"]["cls"].split()
        assert "Opt-in only" in rows["training-on-inputs"]["cells"]["alpha"]
        assert "Removed" in rows["training-on-inputs"]["cells"]["beta"]
        assert "We do not train our models on your inputs" in rows["training-on-inputs"]["cells"]["alpha"]

        # Links in the table work under the sub-path.
        href = page.get_attribute("#compare-table tr[data-clause-type=child-safety] td[data-platform=alpha] a", "href")
        assert urlsplit(href).path == "/atlas/platforms/alpha/policy/child-safety/"
        assert page.request.get(href).ok

        page.check("#compare-only-diff")
        assert list(_rows(page)) == ["training-on-inputs"]
        assert "diff=1" in page.url

        # A shared link opens the same comparison; an empty cell says so.
        page.goto(base + "compare/?p=gamma&p=alpha&p=nobody")
        page.wait_for_selector("#compare-table")
        assert page.input_value("#compare-p1") == "gamma" and page.input_value("#compare-p3") == ""
        rows = _rows(page)
        assert list(rows["child-safety"]["cells"]) == ["gamma", "alpha"]
        assert rows["child-safety"]["cells"]["gamma"].strip() == "Not recorded"
        assert rows["child-safety"]["verdict"] == "Positions differ"
        assert "Always" in rows["training-on-inputs"]["cells"]["gamma"]

        # One platform is not a comparison.
        page.goto(base + "compare/?p=alpha")
        wait_until(page, "document.getElementById('compare-status').textContent.includes('at least')")
        assert page.query_selector("#compare-table") is None
        assert problems == []


@pytest.mark.browser
def test_matrix_column_filter_in_a_browser(basic_site: Path) -> None:
    from browser_support import chromium, serve

    with serve(basic_site, "/atlas/") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "matrix/?p=beta")
        assert page.is_visible("#matrix-filter")
        visible = lambda: page.eval_on_selector_all("#matrix thead th[data-platform]", "ths => ths.filter(t => !t.hidden).map(t => t.dataset.platform)")
        assert visible() == ["beta"]
        assert page.eval_on_selector_all("#matrix tbody td", "tds => tds.filter(t => !t.hidden).length") == 2
        page.check("#matrix-choices input[value=gamma]")
        assert visible() == ["beta", "gamma"]
        assert parse_qs(urlsplit(page.url).query) == {"p": ["beta", "gamma"]}
        page.click("#matrix-filter button[data-action=all]")
        assert visible() == ["alpha", "beta", "gamma"]
        assert urlsplit(page.url).query == ""
        page.fill("#matrix-find", "gam")
        page.click("#matrix-filter button[data-action=none]")  # acts on the platforms the search lists
        assert visible() == ["alpha", "beta"]


def test_matrix_stays_lean_at_scale(tmp_path: Path, basic_site: Path) -> None:
    """350 platforms × 40 clause types must stay a page a browser can load: each added cell costs few bytes."""
    import shutil
    kb = tmp_path / "kb"
    copy_kb(BASIC, kb)
    for i in range(40):
        target = kb / "content" / f"extra-{i:02d}"
        shutil.copytree(kb / "content/gamma", target)
        text = (target / "platform.yaml").read_text(encoding="utf-8").replace("Gamma Models", f"Extra Platform {i:02d}")
        (target / "platform.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    cells = len(soup(out, "matrix/").select("#matrix tbody td"))
    assert cells == 2 * 43
    added = len((out / "matrix/index.html").read_bytes()) - len((basic_site / "matrix/index.html").read_bytes())
    # A recorded cell is a link with its position and severity; an empty one a short "not recorded".
    assert added / (cells - 2 * 3) < 200, added
