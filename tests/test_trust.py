"""Provision pages a reader can check: archived snapshots and hashes, verified quotes, derived figures, data quality."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import edit, messages, run_build, soup

ALPHA_SNAPSHOT = "content/alpha/policy/snapshots/2026-04-01.txt"
ALPHA_SHA = "d49be0ede17d36173400e8dfc63526a0f2a0aaa3d5b58886c1eb43d677dac105"
BETA_SNAPSHOT = "content/beta/policy/snapshots/2026-02-01.txt"


def errors(kb: Path) -> list[str]:
    """The error lines of checking a knowledge base (no output written)."""
    result = run_build(kb)
    assert not result.ok
    return [line for line in messages(result) if ": error[" in line]


# --- Archived snapshots: the build recomputes every hash -------------------------------------------------------

def test_tampered_snapshot_is_a_hash_mismatch(kb: Path) -> None:
    snapshot = kb / ALPHA_SNAPSHOT
    edit(snapshot, "(third)", "(3rd)")
    actual = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    assert errors(kb) == [
        f"content/alpha/policy/document.yaml:16:5: error[hash-mismatch]: sha256 of {ALPHA_SNAPSHOT} is {actual}, "
        f"not the declared {ALPHA_SHA}"]


def test_wrong_declared_hash_is_a_hash_mismatch(kb: Path) -> None:
    edit(kb / "content/alpha/policy/document.yaml", f"sha256: {ALPHA_SHA}", "sha256: " + "f" * 64)
    assert errors(kb) == [
        f"content/alpha/policy/document.yaml:16:5: error[hash-mismatch]: sha256 of {ALPHA_SNAPSHOT} is {ALPHA_SHA}, "
        f"not the declared {'f' * 64}"]


def test_missing_snapshot_is_reported(kb: Path) -> None:
    (kb / BETA_SNAPSHOT).unlink()
    assert errors(kb) == [
        f"content/beta/policy/document.yaml:7:5: error[missing-snapshot]: snapshot file {BETA_SNAPSHOT} does not exist"]


# --- Verified quotes ------------------------------------------------------------------------------------------

def test_quote_not_in_its_snapshot_names_the_closest_passage(kb: Path) -> None:
    edit(kb / "content/beta/policy/minors.yaml", "generate sexual content", "generate violent content")
    assert errors(kb) == [
        f"content/beta/policy/minors.yaml:8:3: error[quote-not-found]: the verbatim excerpt is not in {BETA_SNAPSHOT} "
        "(captured 2026-02-01); closest passage: \"Users may not generate sexual content involving minors under any "
        "circumstances.\" — fix the quote, or set excerpt.status to paraphrase"]


def test_paraphrase_labelled_verbatim_fails(kb: Path) -> None:
    edit(kb / "content/beta/policy/old-clause.yaml", "status: paraphrase", "status: verbatim")
    assert errors(kb) == [
        f"content/beta/policy/old-clause.yaml:8:3: error[quote-not-found]: the verbatim excerpt is not in {BETA_SNAPSHOT} "
        "(captured 2026-02-01); closest passage: \"may not generate sexual content\" — fix the quote, or set "
        "excerpt.status to paraphrase"]


def test_quote_is_checked_against_the_version_it_cites(kb: Path) -> None:
    # The excerpt is in the 2026-04-01 snapshot but not in the first one, so citing the first version fails.
    edit(kb / "content/alpha/policy/child-safety.yaml", "version: 2026-04-01", "version: 2026-01-10")
    [line] = errors(kb)
    assert line.startswith("content/alpha/policy/child-safety.yaml:8:3: error[quote-not-found]: the verbatim excerpt "
                           "is not in content/alpha/policy/snapshots/2026-01-10.txt (captured 2026-01-10); closest passage: ")


def test_white_space_and_typographic_quotes_are_normalised(kb: Path, tmp_path: Path) -> None:
    # The snapshot has “customer content” with typographic quotes; line breaks in the record do not matter either.
    edit(kb / "content/gamma/policy/customer-content.yaml", "'Gamma may use \"customer content\" to improve its services.'",
         "\"Gamma may use\\n  \\u201ccustomer content\\u201d   to improve its services.\"")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "platforms/gamma/policy/customer-content/")
    assert page.select_one("[data-figure=quote-verified]") is not None


# --- The evidence block and the quote badges ---------------------------------------------------------------------

def test_verified_quote_and_hash_are_shown_with_their_evidence(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/child-safety/")
    assert page.select_one("[data-figure=quote-verified]") is not None
    assert page.select_one("[data-figure=snapshot-stored]") is not None
    assert page.select_one("[data-figure=hash-verified]") is not None
    assert page.select_one("[data-figure=sha256]").get_text() == ALPHA_SHA
    link = page.select_one(".evidence a[href$='2026-04-01.txt']")
    target = (basic_site / "platforms/alpha/policy/child-safety/index.html").parent / link["href"]
    assert target.resolve().read_bytes() == (Path(__file__).parent / "fixtures/basic" / ALPHA_SNAPSHOT).read_bytes()
    archive = page.select_one(".evidence a[href^='https://web.archive.org/']")
    assert archive["href"] == "https://web.archive.org/web/20260401000000/https://alpha.example.com/policy"


def test_paraphrase_never_carries_a_verified_badge(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/beta/policy/old-clause/")
    assert page.select_one("[data-figure=quote-verified]") is None
    assert "Paraphrase" in page.select_one(".excerpt-status").get_text()
    assert "Quote verified" not in page.get_text()
    assert page.select_one("#clause blockquote").get("cite") is None


def test_unavailable_excerpt_is_labelled(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/gamma/policy/customer-content.yaml", "status: verbatim", "status: unavailable")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "platforms/gamma/policy/customer-content/")
    assert page.select_one(".excerpt-status").get_text(" ", strip=True) == "Text unavailable"
    assert page.select_one("[data-figure=quote-verified]") is None
    assert "Quote verified" not in page.get_text()


# --- Derived figures, the same on every page ---------------------------------------------------------------------

def _provision_links(page, selector: str) -> set[str]:
    """The provision keys (platform/document/provision) linked from the elements matched by selector."""
    keys = set()
    for a in page.select(selector):
        parts = [p for p in a["href"].split("/") if p not in ("", "..", "platforms")]
        keys.add("/".join(parts[:3]))
    return keys


@pytest.mark.parametrize("url", ["platforms/alpha/policy/child-safety/", "platforms/beta/policy/minors/"])
def test_uniqueness_counts_platforms_with_the_clause_type(basic_site: Path, url: str) -> None:
    page = soup(basic_site, url)
    assert page.select_one("[data-figure=uniqueness]").get_text(strip=True) == "Held by 2 of 3 platforms"
    clause_type = soup(basic_site, "clause-types/child-safety/")
    assert clause_type.select_one("[data-figure=uniqueness]").get_text(" ", strip=True).startswith("Held by 2 of 3 platforms")


def test_other_platforms_are_of_the_same_clause_type_only(basic_site: Path) -> None:
    child = soup(basic_site, "platforms/alpha/policy/child-safety/")
    assert _provision_links(child, "#other-platforms ul.others a") == {"beta/policy/minors"}
    training = soup(basic_site, "platforms/alpha/policy/training/")
    # Two training-on-inputs provisions of other platforms; never alpha's own, never a child-safety one.
    assert _provision_links(training, "#other-platforms ul.others a") == {"beta/policy/old-clause", "gamma/policy/customer-content"}
    lonely = soup(basic_site, "platforms/gamma/policy/customer-content/")
    assert _provision_links(lonely, "#other-platforms ul.others a") == {"alpha/policy/training", "beta/policy/old-clause"}


def test_other_provisions_in_the_document(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/child-safety/")
    assert _provision_links(page, "#same-document a") == {"alpha/policy/training"}
    assert soup(basic_site, "platforms/gamma/policy/customer-content/").select_one("#same-document") is None


@pytest.mark.parametrize("key, changes, months", [
    ("alpha/policy/child-safety", 1, 3),  # 2026-01-10 .. 2026-04-20
    ("alpha/policy/training", 1, 3),
    ("beta/policy/minors", 0, 1),  # 2026-02-01 .. 2026-03-20
    ("beta/policy/old-clause", 1, 1),
    ("gamma/policy/customer-content", 0, 0),  # 2026-03-01 .. 2026-03-30: less than a month
])
def test_stability_is_the_same_on_every_page(basic_site: Path, key: str, changes: int, months: int) -> None:
    platform, document, provision = key.split("/")
    own = soup(basic_site, f"platforms/{key}/").select_one("#stability")
    clause_type = next(ct for ct in ("child-safety", "training-on-inputs")
                       if soup(basic_site, f"clause-types/{ct}/").select_one(f"#comparison a[href$='/{document}/{provision}/']"))
    row = soup(basic_site, f"clause-types/{clause_type}/").select_one(f"#comparison a[href$='{platform}/{document}/{provision}/']").find_parent("tr")
    item = soup(basic_site, f"platforms/{platform}/").select_one(f".provision-list a[href$='{document}/{provision}/']").find_parent("li")
    for where in (own, row, item):
        assert where.select_one("[data-figure=changes]").get_text(strip=True) == str(changes)
        assert where.select_one("[data-figure=months]").get_text(strip=True) == str(months)


def test_document_changes_on_a_provision_page_belong_to_its_document(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/child-safety/")
    # alpha's policy has two change records (child-safety and training); no change of another document shows.
    assert _provision_links(page, "#changes ul.changes a") == {"alpha/policy/child-safety", "alpha/policy/training"}
    assert len(page.select("#changes ol.change-records > li")) == 1
    beta = soup(basic_site, "platforms/beta/policy/minors/")
    assert _provision_links(beta, "#changes ul.changes a") == {"beta/policy/old-clause"}
    assert beta.select("#changes ol.change-records > li") == []


# --- The data-quality page ---------------------------------------------------------------------------------------

def _invariant(page, name: str) -> tuple[int, int]:
    row = page.select_one(f"tr[data-invariant={name}]")
    return int(row.select_one("[data-count=checked]").get_text()), int(row.select_one("[data-count=held]").get_text())


def test_data_quality_counts_the_invariants(basic_site: Path) -> None:
    page = soup(basic_site, "data-quality/")
    # 5 provisions: 5 first/last pairs, 5 reviews, 3 changes x (after last verified, before as-of), 1 announced/effective
    # pair, versions: alpha 2 consecutive pairs.
    assert _invariant(page, "dates-ordered") == (5 + 5 + 3 * 2 + 1 + 2, 5 + 5 + 3 * 2 + 1 + 2)
    assert _invariant(page, "one-clause-type") == (5, 5)
    assert _invariant(page, "changes-on-own-provision") == (3, 3)
    assert _invariant(page, "quotes-verified") == (4, 4)
    assert _invariant(page, "hashes-verified") == (5, 5)
    counts = {el["data-count"]: el.get_text(strip=True) for el in page.select("#quotes [data-count], #snapshots [data-count]")}
    assert counts == {"verbatim-verified": "4", "verbatim-unverified": "0", "paraphrase": "1", "unavailable": "0",
                      "versions": "5", "snapshots-stored": "5", "hashes-verified": "5"}
    assert page.select_one("#warnings [data-count=warnings]").get_text(strip=True) == "No record carries a warning."


def test_data_quality_lists_the_records_with_warnings(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/gamma/policy/customer-content.yaml", "  reviewers: [{name: A. Reviewer, date: 2026-03-30}]\n", "")
    (kb / "content/beta/policy/snapshots/2025-12-01.txt").write_text("An old capture nobody lists.\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "data-quality/")
    assert page.select_one("[data-count=warnings]").get_text(strip=True) == "2 warnings"
    records = {li["data-record"]: li for li in page.select("ul.warning-list > li")}
    assert set(records) == {"content/beta/policy/snapshots/2025-12-01.txt", "content/gamma/policy/customer-content.yaml"}
    reviewed = records["content/gamma/policy/customer-content.yaml"]
    assert reviewed.select_one("a")["href"] == "../platforms/gamma/policy/customer-content/"
    assert [w["data-warning"] for w in reviewed.select("[data-warning]")] == ["not-reviewed"]
    assert records["content/beta/policy/snapshots/2025-12-01.txt"].select_one("a") is None
    # The page is linked from every page's footer.
    assert soup(out, "").select_one(".site-footer a[href='data-quality/']") is not None


def test_data_quality_warning_text_is_escaped(kb: Path, tmp_path: Path) -> None:
    # A problem message can quote contributed text; the page must show it as text.
    (kb / "content/beta/policy/snapshots/<b>x.txt").write_text("x\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "data-quality/")
    assert page.select_one(".warning-list b") is None
    assert "content/beta/policy/snapshots/<b>x.txt" in page.select_one(".warning-list").get_text()


# --- Starter content: the verification runs on the repository's own records ------------------------------------

def test_starter_content_quotes_and_hashes_are_verified() -> None:
    from atlas import graph as graph_stage, load, validate
    from conftest import REPO

    tree, _ = load.load_tree(REPO)
    kb_model, _ = validate.validate(tree)
    assert kb_model is not None
    graph, problems = graph_stage.link(kb_model)
    assert [p for p in problems if p.code in ("hash-mismatch", "missing-snapshot", "quote-not-found")] == []
    assert graph.documents, "the starter content has documents"
    for key, evidence in graph.evidence.items():
        assert evidence and all(e.snapshot_stored and e.hash_verified for e in evidence), key
    verbatim = [k for k, q in graph.quotes.items() if q.status == "verbatim"]
    assert verbatim and all(graph.quotes[k].verified for k in verbatim)


def test_a_long_document_lists_only_the_closest_provisions_and_links_to_all(kb: Path, tmp_path: Path) -> None:
    # A provision page stays bounded: in a document of 16 provisions it lists its closest neighbours.
    from atlas.pages.core import SAME_DOCUMENT_SHOWN
    source = kb / "content/alpha/policy/training.yaml"
    for i in range(14):
        text = source.read_text(encoding="utf-8").replace("title: Training on inputs", f"title: Training clause {i:02d}")
        (source.parent / f"training-{i:02d}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "platforms/alpha/policy/training-05/")
    section = page.select_one("#same-document")
    assert "(15)" in section.h2.get_text()
    listed = _provision_links(page, "#same-document li a")
    assert len(listed) == SAME_DOCUMENT_SHOWN and "alpha/policy/training-05" not in listed
    document_page = soup(out, "platforms/alpha/policy/")
    every = {key for key in _provision_links(document_page, ".provision-list a")}
    assert listed <= every and len(every) == 16
    more = section.find("a", string=lambda s: s and s.startswith("All 16 provisions"))
    assert more is not None and more["href"] == "../../../../platforms/alpha/policy/"


def test_nearest_keeps_the_neighbours_of_an_item_in_order() -> None:
    from atlas.pages.core import nearest
    items = tuple(range(20))
    assert nearest(items, 0, 4) == (1, 2, 3, 4)
    assert nearest(items, 10, 4) == (8, 9, 11, 12)
    assert nearest(items, 19, 4) == (15, 16, 17, 18)
    assert nearest((0, 1, 2), 1, 10) == (0, 2)
    assert nearest((7,), 0, 10) == ()


def test_a_provision_page_title_names_the_platform_once(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/child-safety/")
    assert page.title.get_text().startswith("Child safety ban — Alpha AI Usage Policy ·")


def test_other_platforms_show_the_closest_few_and_link_to_the_whole_comparison(kb: Path, tmp_path: Path) -> None:
    # A provision page stays bounded however many platforms hold its clause type (as the model site, the
    # closest few); the clause-type page compares them all.
    import shutil
    from atlas.pages.core import OTHER_PLATFORMS_SHOWN
    extra = OTHER_PLATFORMS_SHOWN + 2
    for i in range(extra):
        copy = kb / f"content/beta-{i}"
        shutil.copytree(kb / "content/beta", copy)
        platform = copy / "platform.yaml"
        platform.write_text(platform.read_text(encoding="utf-8").replace("Beta Labs", f"Beta Labs {i}"), encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "platforms/alpha/policy/child-safety/")
    section = page.select_one("#other-platforms")
    shown = _provision_links(page, "#other-platforms ul.others a")
    assert len(shown) == OTHER_PLATFORMS_SHOWN and all(key.endswith("/policy/minors") for key in shown)
    assert f"the closest {OTHER_PLATFORMS_SHOWN} of {extra + 1}." in section.get_text(" ", strip=True)
    every = section.find("a", string=lambda s: s and s.startswith("Compare every platform"))
    assert every is not None and every["href"] == "../../../../clause-types/child-safety/"
    compared = _provision_links(soup(out, "clause-types/child-safety/"), "a[href*='/minors/']")
    assert shown < compared and len(compared) == extra + 1
