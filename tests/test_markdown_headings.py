"""Headings in contributed Markdown sit below the page heading the text is shown under: the outline stays a tree."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from atlas.markdown import HEADING_LINK_SYMBOL, MarkdownRenderer
from conftest import edit, run_build, soup

HEADING = re.compile(r"^h[1-6]$")


def _levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])>", html)]


@pytest.mark.parametrize(("text", "under", "levels"), [
    ("## A\n\n### B\n\n## C", 1, [2, 3, 2]),   # an article under the page's <h1>: as written
    ("## A\n\n### B\n\n## C", 2, [3, 4, 3]),   # under a section's <h2>
    ("# A\n\n## B", 3, [4, 5]),                # the text's top level is what moves, whatever it is
    ("### A\n\n#### B", 1, [2, 3]),            # raised too: no level is skipped
    ("## A\n\n###### B", 3, [4, 6]),           # never below <h6>
])
def test_a_texts_headings_start_one_level_below_its_place(text: str, under: int, levels: list[int]) -> None:
    assert _levels(MarkdownRenderer().html(text, under)) == levels


def test_long_form_headings_get_ids_a_page_cannot_hold_already() -> None:
    html = MarkdownRenderer().html("## Why it matters\n\n## Why it matters\n\n### Reading <the> ban!\n\n## ***", 2, anchors=True)
    assert re.findall(r'<h\d id="([^"]*)">', html) == [
        "section-why-it-matters", "section-why-it-matters-1", "section-reading-the-ban", "section-untitled"]
    assert "id=" not in MarkdownRenderer().html("## Why it matters", 2)  # short fields: no ids


def test_the_same_text_under_two_levels_is_remembered_twice() -> None:
    renderer = MarkdownRenderer()
    assert _levels(renderer.html("## A", 2)) == [3]
    assert _levels(renderer.html("## A")) == [2]
    assert len(renderer.fresh) == 2


def _prose_headings_below_their_section(page) -> list[str]:
    """Each heading in contributed text, as "hN under hM: text", with M the heading the text is shown under."""
    found = []
    for prose in page.select(".prose"):
        owner = prose.find_previous(HEADING)
        for heading in prose.find_all(HEADING):
            words = "".join(heading.find_all(string=True, recursive=False)).strip()  # not the link to itself
            found.append(f"{heading.name} under {owner.name}: {words}")
    return found


def test_headings_in_a_provisions_fields_nest_under_their_sections(kb: Path, tmp_path: Path) -> None:
    provision = kb / "content/alpha/policy/child-safety.yaml"
    edit(provision, "why_it_matters: It matters", "why_it_matters: \"## Scope\\n\\nIt matters")
    edit(provision, "It matters because **alpha** says so.", "It matters because **alpha** says so.\"")
    edit(provision, "answer: Yes, *any setting*.", "answer: \"## In short\\n\\nYes, *any setting*.\"")
    edit(provision, "contract_implications: Flow it down.", "contract_implications: \"### Resellers\\n\\nFlow it down.\"")
    result = run_build(kb, tmp_path / "site")
    assert result.ok
    page = soup(tmp_path / "site", "platforms/alpha/policy/child-safety/")
    assert _prose_headings_below_their_section(page) == [
        "h3 under h2: Scope",
        "h4 under h3: Resellers",
        "h3 under h2: Reading the ban",  # the analysis beside the record, written with "##"
        "h4 under h3: In short",
    ]
    assert page.select_one("#analysis-h").name == "h2"
    # The analysis's headings can be linked to (and Pagefind's sub-results lead to them); short fields' cannot.
    assert [h["id"] for h in page.select(".prose [id]")] == ["section-reading-the-ban"]


def test_an_articles_headings_stay_as_written(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/analyses/child-safety-compared.md", "Both platforms ban it.", "## Findings\n\nBoth platforms ban it.")
    assert run_build(kb, tmp_path / "site").ok
    page = soup(tmp_path / "site", "analyses/child-safety-compared/")
    assert _prose_headings_below_their_section(page) == ["h2 under h1: Findings"]
    assert page.select_one(".prose h2")["id"] == "section-findings"


def test_each_heading_with_an_id_ends_with_a_named_link_to_itself() -> None:
    html = MarkdownRenderer().html("## Why it *matters*\n\ntext\n\n### Reading <the> ban", 2, anchors=True)
    headings = BeautifulSoup(html, "html.parser").find_all(HEADING)
    assert len(headings) == 2
    for heading in headings:
        link = heading.contents[-1]
        assert link.name == "a" and link["class"] == ["heading-link"] and link["href"] == "#" + heading["id"]
        assert link.get_text() == HEADING_LINK_SYMBOL and link["aria-label"] == "Link to this section"
        assert link.has_attr("data-pagefind-ignore")  # search results show the heading's own words
    assert headings[0].find("em").get_text() == "matters"  # the heading's own markup is kept
    assert "heading-link" not in MarkdownRenderer().html("## Why it matters", 2)  # short fields: no ids, no links


def test_search_results_name_sections_by_their_words_alone(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/analyses/child-safety-compared.md", "Both platforms ban it.", "## Findings\n\nBoth platforms ban it.")
    site = tmp_path / "site"
    assert run_build(kb, site, search=True).ok
    page = soup(site, "analyses/child-safety-compared/")
    assert page.select_one("#section-findings .heading-link")["href"] == "#section-findings"
    indexed = {}
    for fragment in (site / "pagefind/fragment").iterdir():  # each: "pagefind_dcd" and the page's record, gzipped
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        indexed[record["url"]] = record
    record = indexed["/analyses/child-safety-compared/"]
    assert {"id": "section-findings", "text": "Findings"}.items() <= next(
        a for a in record["anchors"] if a["id"] == "section-findings").items()
    assert HEADING_LINK_SYMBOL not in record["content"]
