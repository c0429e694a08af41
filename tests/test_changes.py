"""Change tracking on built pages: redlines, version diffs, the changes timeline, upcoming changes, recent activity."""
from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from atlas import diff, history
from atlas.cache import CACHE_DIR, generator_version
from conftest import edit, messages, run_build, soup

CHILD_SAFETY = "platforms/alpha/policy/child-safety/"
TRAINING = "platforms/alpha/policy/training/"
OLD_CLAUSE = "platforms/beta/policy/old-clause/"
OPT_OUT = "We may train our models on your inputs unless you opt out in settings."  # the training clause before its change


def resolve(site: Path, page_url: str, href: str) -> tuple[Path, str]:
    """The output file a relative link of a page points to, and the link's fragment."""
    parts = urlsplit(urljoin("https://x.invalid/" + page_url, href))
    path = parts.path.lstrip("/")
    return site / (path + "index.html" if path.endswith("/") or not path else path), parts.fragment


def redline_text(element) -> str:
    """A redline as [-deleted-]{+inserted+} text."""
    out = []
    for node in element.select_one(".redline-text").children:
        if getattr(node, "name", None) == "del":
            out.append(f"[-{node.get_text()}-]")
        elif getattr(node, "name", None) == "ins":
            out.append(f"{{+{node.get_text()}+}}")
        else:
            out.append(node.get_text() if hasattr(node, "get_text") else str(node))
    return "".join(out)


def coded(result, code: str) -> list[str]:
    """The problems of a build with that code, formatted as the terminal shows them."""
    return [line for line in messages(result) if f"[{code}]" in line]


def training_built_with(kb: Path, out: Path, old: str, new: str):
    """The fixture built into out with one edit to the training provision's record."""
    edit(kb / "content/alpha/policy/training.yaml", old, new)
    return run_build(kb, out)


# --- Redlines on provision pages ------------------------------------------------------------------------------

def test_modified_change_shows_a_word_level_redline(basic_site: Path) -> None:
    change = soup(basic_site, CHILD_SAFETY).select_one("#change-1")
    assert redline_text(change) == ("You must not use the Services to create{+, distribute+} or [-distribute-]{+promote+} "
                                    "child sexual abuse material, including AI-generated material{+, in any setting+}.")
    assert [d.get_text() for d in change.select(".redline del")] == ["distribute"]
    assert change.select_one("[data-words-added]")["data-words-added"] == "5"
    assert change.select_one("[data-words-removed]")["data-words-removed"] == "1"
    assert "the current excerpt" in change.select_one(".change-redline").get_text()


def test_redline_runs_to_the_current_excerpt(basic_site: Path) -> None:
    change = soup(basic_site, TRAINING).select_one("#change-1")
    assert redline_text(change) == ("We [-may-]{+do not+} train our models on your inputs unless you opt[- out-] in"
                                    "[- settings-].")
    assert (change.select_one("[data-words-added]")["data-words-added"],
            change.select_one("[data-words-removed]")["data-words-removed"]) == ("2", "3")


def test_redline_runs_to_the_text_the_next_change_replaced(kb: Path, tmp_path: Path) -> None:
    # Two modifications: the first is diffed against the second's previous text, the second against the excerpt.
    edit(kb / "content/alpha/policy/training.yaml", "    detected: 2026-04-01\n    effective: 2026-06-01\n",
         "    detected: 2026-02-15\n")
    edit(kb / "content/alpha/policy/training.yaml", "    previous_text: We may train our models on your inputs unless you opt out in settings.\n",
         "    previous_text: We may train our models on your inputs unless you opt out.\n"
         "  - kind: modified\n    detected: 2026-04-01\n    summary: Second change.\n"
         "    previous_text: We may train our models on your inputs unless you opt out in settings.\n")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, TRAINING)
    assert redline_text(page.select_one("#change-1")) == "We may train our models on your inputs unless you opt out{+ in settings+}."
    assert "the text the next change replaced" in page.select_one("#change-1 .change-redline").get_text()
    assert redline_text(page.select_one("#change-2")).startswith("We [-may-]{+do not+} train")
    # The comparison across platforms names the newest of the two as the clause's last change.
    row = next(r for r in soup(out, "clause-types/training-on-inputs/").select("#comparison tbody tr")
               if r.th.get_text(strip=True) == "Alpha AI")
    last = row.select("td")[4]
    assert last.get_text(" ", strip=True) == "April 1, 2026 (modified)" and last.a["href"].endswith("#change-2")


def test_no_redline_without_both_texts(basic_site: Path, kb: Path, tmp_path: Path) -> None:
    # A removed change keeps its previous text, but there is nothing after it to compare with.
    removed = soup(basic_site, OLD_CLAUSE).select_one("#change-1")
    assert removed.select_one(".redline") is None
    assert "Beta trains on all inputs." in removed.select_one("details blockquote").get_text()
    # A paraphrased current excerpt is not the clause's wording: no redline against it.
    edit(kb / "content/alpha/policy/training.yaml", "  status: verbatim", "  status: paraphrase")
    out = tmp_path / "site"
    assert run_build(kb, out).ok
    change = soup(out, TRAINING).select_one("#change-1")
    assert change.select_one(".redline") is None and change.select_one("details") is not None


def test_an_excerpt_from_before_the_last_change_gets_no_redline_and_a_warning(kb: Path, tmp_path: Path) -> None:
    # The excerpt quotes the version of 2026-02-15, whose text the change of 2026-04-01 replaced: a redline from
    # the previous text to it would show no change at all, so there is none; the page and the check say why.
    out = tmp_path / "site"
    result = training_built_with(
        kb, out, "  text: 'We do not train our models on your inputs unless you opt in.'\n  status: verbatim\n  version: 2026-04-01",
        "  text: 'We may train our models on your inputs unless you opt out in settings.'\n  status: verbatim\n  version: 2026-02-15")
    assert result.ok, messages(result)
    assert coded(result, "stale-excerpt") == [
        "content/alpha/policy/training.yaml:10:3: warning[stale-excerpt]: the excerpt quotes the version captured 2026-02-15, "
        "before the last change to the clause (detected 2026-04-01): quote a version captured since, so that the page "
        "shows the clause as it stands and the change's redline"]
    page = soup(out, TRAINING)
    change = page.select_one("#change-1")
    assert change.select_one(".redline") is None and change.select_one("[data-words-added]") is None
    assert "opt out in settings" in change.select_one("details blockquote").get_text()
    notice = page.select_one("#clause [data-figure=superseded-excerpt]")
    assert " ".join(notice.get_text().split()) == (
        "This excerpt quotes the version captured February 15, 2026. The clause changed after it: "
        "see the modified change detected April 1, 2026.")
    assert notice.select_one("a")["href"] == "#change-1"
    # The change's feed entry has no redline either.
    feed = (out / "feeds/changes.xml").read_text(encoding="utf-8")
    assert "training/#change-1" in feed and "Word-level changes" not in feed.split("training/#change-1")[1].split("</entry>")[0]
    # With no excerpt to show, there is nothing stale to warn of.
    result = training_built_with(kb, out, "  status: verbatim\n  version: 2026-02-15", "  status: unavailable\n  version: 2026-02-15")
    assert result.ok and not coded(result, "stale-excerpt")
    assert soup(out, TRAINING).select_one("[data-figure=superseded-excerpt]") is None


def test_an_excerpt_quoting_the_latest_version_has_no_stale_warning(basic_site: Path, kb: Path) -> None:
    result = run_build(kb)
    assert result.ok and not coded(result, "stale-excerpt")
    assert soup(basic_site, TRAINING).select_one("[data-figure=superseded-excerpt]") is None


def test_a_modified_change_whose_previous_text_is_the_text_after_it_is_warned_of(kb: Path, tmp_path: Path) -> None:
    # The contributor copied the current wording into previous_text: the change changes nothing.
    out = tmp_path / "site"
    result = training_built_with(kb, out, f"    previous_text: {OPT_OUT}", "    previous_text: We do not train our models  on your inputs unless you opt in.")
    assert result.ok, messages(result)
    assert coded(result, "unchanged-text") == [
        "content/alpha/policy/training.yaml:28:5: warning[unchanged-text]: previous_text is the wording the excerpt quotes, "
        "word for word: a modified change's previous_text is the clause as it read before that change"]
    change = soup(out, TRAINING).select_one("#change-1")
    # No redline of no change ("+0 words added"); the previous text is still there to read.
    assert change.select_one(".redline") is None and change.select_one("[data-words-added]") is None
    assert "unless you opt in." in change.select_one("details blockquote").get_text()
    warned = soup(out, "data-quality/").get_text()
    assert "previous_text is the wording the excerpt quotes" in warned


def test_a_change_of_punctuation_alone_keeps_its_redline(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = training_built_with(kb, out, f"    previous_text: {OPT_OUT}", "    previous_text: We do not train our models on your inputs unless you opt in!")
    assert result.ok and not coded(result, "unchanged-text")
    change = soup(out, TRAINING).select_one("#change-1")
    assert redline_text(change) == "We do not train our models on your inputs unless you opt in[-!-]{+.+}"
    assert change.select_one("[data-words-added]")["data-words-added"] == "0"


def test_contributed_text_in_a_redline_is_escaped(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/alpha/policy/child-safety.yaml",
         "previous_text: You must not use the Services to create or distribute",
         "previous_text: <script>alert(1)</script> <b>You</b> must not use the Services to create or distribute")
    out = tmp_path / "site"
    assert run_build(kb, out).ok
    html = (out / CHILD_SAFETY / "index.html").read_text(encoding="utf-8")
    change = soup(out, CHILD_SAFETY).select_one("#change-1")
    assert change.select("script, b") == []
    assert "<script>alert(1)</script>" in change.select_one(".redline del").get_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Document versions and their diffs ------------------------------------------------------------------------

def test_document_page_lists_version_diffs_with_counts(basic_site: Path) -> None:
    page = soup(basic_site, "platforms/alpha/policy/")
    rows = page.select("#version-diffs li")
    assert [r["id"] for r in rows] == ["diff-2026-02-15-to-2026-04-01", "diff-2026-01-10-to-2026-02-15"]
    counts = [(r.select_one("[data-words-added]")["data-words-added"], r.select_one("[data-words-removed]")["data-words-removed"])
              for r in rows]
    assert counts == [("3", "4"), ("6", "1")]
    for row in rows:
        target, _ = resolve(basic_site, "platforms/alpha/policy/", row.a["href"])
        assert target.is_file()
    # A document with one version has nothing to compare.
    assert soup(basic_site, "platforms/beta/policy/").select_one("#version-diffs") is None


def test_version_diff_page(basic_site: Path) -> None:
    url = "platforms/alpha/policy/versions/2026-02-15-to-2026-04-01/"
    page = soup(basic_site, url)
    assert redline_text(page) == (
        "Alpha Usage Policy ([-revised-]{+third+})\n\nYou must not use the Services to create, distribute or promote "
        "child sexual abuse material, including AI-generated material, in any setting.\n\nWe [-may-]{+do not+} train our "
        "models on your inputs unless you opt[- out-] in[- settings-].")
    assert page.select_one("main [data-words-added]")["data-words-added"] == "3"
    assert page.select_one("main [data-words-removed]")["data-words-removed"] == "4"
    snapshots = [a["href"] for a in page.select("table.versions a") if a.get_text() == "snapshot"]
    assert [resolve(basic_site, url, h)[0].name for h in snapshots] == ["2026-02-15.txt", "2026-04-01.txt"]
    assert all(resolve(basic_site, url, h)[0].is_file() for h in snapshots)
    previous = page.select_one("nav.pager a[rel=prev]")
    assert resolve(basic_site, url, previous["href"])[0] == basic_site / "platforms/alpha/policy/versions/2026-01-10-to-2026-02-15/index.html"
    assert page.select_one("nav.pager a[rel=next]") is None
    # The provision change detected on the day of the newer capture is listed with the diff.
    assert [a.get_text() for a in page.select("main ul.changes a")] == ["Training on inputs"]


def _long_document(kb: Path) -> tuple[str, str, str]:
    """Add a 12,000-word terms document with three versions to gamma; return the three texts."""
    rng = random.Random(4)
    vocabulary = "the provider may suspend access to services where customer data notice terms law party".split()
    paragraphs = [f"{n}. " + " ".join(rng.choice(vocabulary) for _ in range(59)) + "." for n in range(1, 201)]
    first = "\n\n".join(paragraphs) + "\n"
    paragraphs[9] = paragraphs[9].replace("10. ", "10. Subject to applicable law, ", 1)
    second = "\n\n".join(paragraphs) + "\n"
    del paragraphs[120]
    paragraphs[180] += " Amended."
    third = "\n\n".join(paragraphs) + "\n"
    folder = kb / "content/gamma/terms"
    (folder / "snapshots").mkdir(parents=True)
    versions = []
    for day, text in (("2026-01-05", first), ("2026-02-05", second), ("2026-03-05", third)):
        data = text.encode("utf-8")
        (folder / f"snapshots/{day}.txt").write_bytes(data)
        versions.append(f"  - captured: {day}\n    snapshot: snapshots/{day}.txt\n    sha256: {hashlib.sha256(data).hexdigest()}\n")
    (folder / "document.yaml").write_text("title: Gamma Terms\nkind: terms-of-service\nurl: https://gamma.example.com/terms\n"
                                          "versions:\n" + "".join(versions), encoding="utf-8")
    return first, second, third


def test_long_document_diffs_stay_readable(kb: Path, tmp_path: Path) -> None:
    first, _, third = _long_document(kb)
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    rows = soup(out, "platforms/gamma/terms/").select("#version-diffs li")
    counts = [(r.select_one("[data-words-added]")["data-words-added"], r.select_one("[data-words-removed]")["data-words-removed"])
              for r in rows]
    assert counts == [("1", "60"), ("4", "0")]  # newest first: paragraph 121 out and a word in; 4 words in
    url = "platforms/gamma/terms/versions/2026-02-05-to-2026-03-05/"
    html = (out / url / "index.html").read_text(encoding="utf-8")
    assert len(html) < len(third) / 3  # 12,000 words of text, but the page shows only the changes and their context
    page = soup(out, url)
    skips = [p.get_text(" ", strip=True) for p in page.select(".redline-skip")]
    assert len(skips) == 3 and all("unchanged words" in s for s in skips)
    assert len(page.select(".redline-text")) == 2  # one hunk per change
    assert [i.get_text() for i in page.select(".redline ins")] == [" Amended."]
    assert page.select_one(".redline del").get_text().startswith("121. ")


def clause_redlines_only(old: str, new: str, context: int | None = None) -> diff.TextDiff:
    """diff.compare for clause redlines (no context); a document diff (with context) fails the test."""
    assert context is None, "a document diff was computed again"
    return diff.compare(old, new, context)


def test_document_diffs_are_kept_for_later_builds(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _long_document(kb)
    first = run_build(kb, tmp_path / "first")
    assert first.ok, messages(first)
    pairs = list((tmp_path / "first").glob("platforms/*/*/versions/*/index.html"))
    kept = list((kb / CACHE_DIR / generator_version() / "diffs").iterdir())
    assert len(pairs) >= 3 and len(kept) == len(pairs)  # a file per diff

    monkeypatch.setattr(history, "compare", clause_redlines_only)
    second = run_build(kb, tmp_path / "second")
    assert second.ok, messages(second)
    files = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "second") for p in (tmp_path / "second").rglob("*") if p.is_file())
    assert all((tmp_path / "first" / f).read_bytes() == (tmp_path / "second" / f).read_bytes() for f in files)


def test_each_build_keeps_the_document_diffs_it_shows(kb: Path, tmp_path: Path) -> None:
    """A build keeps every diff its pages show in its cache, whatever builds ran before it in this process."""
    _long_document(kb)
    assert run_build(kb, tmp_path / "first").ok
    shutil.rmtree(kb / CACHE_DIR)  # the same records, an empty cache
    assert run_build(kb, tmp_path / "second").ok
    pairs = list((tmp_path / "second").glob("platforms/*/*/versions/*/index.html"))
    kept = list((kb / CACHE_DIR / generator_version() / "diffs").iterdir())
    assert len(pairs) >= 3 and len(kept) == len(pairs)


def test_the_preview_keeps_document_diffs_in_memory_as_pickles(kb: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The live preview holds each diff pickled, a third of its objects' memory, and reads it back when a version's
    page is rendered again: the same pages as a cold build, no diff computed twice."""
    from atlas.preview import PreviewBuilder

    _long_document(kb)
    builder = PreviewBuilder(kb, tmp_path / "preview", "http://127.0.0.1:8000/", search=False)
    assert builder.rebuild(None).ok
    diffs = [value for (folder, _), value in builder._kept.entries.items() if folder.name == "diffs"]
    assert len(diffs) >= 2 and all(isinstance(getattr(value, "data", None), bytes) for value in diffs)

    monkeypatch.setattr(history, "compare", clause_redlines_only)
    edit(kb / "content/gamma/terms/document.yaml", "title: Gamma Terms", "title: Gamma Terms of Service")
    assert builder.rebuild("content").ok
    monkeypatch.undo()
    cold = run_build(kb, tmp_path / "cold", base_url=builder.base_url)
    assert cold.ok, messages(cold)
    pages = sorted(p.relative_to(tmp_path / "cold") for p in (tmp_path / "cold").glob("platforms/gamma/terms/versions/*/index.html"))
    assert len(pages) == 2
    assert "Gamma Terms of Service" in (tmp_path / "preview" / pages[0]).read_text(encoding="utf-8")
    assert all((tmp_path / "preview" / p).read_bytes() == (tmp_path / "cold" / p).read_bytes() for p in pages)


# --- The changes timeline -------------------------------------------------------------------------------------

def test_timeline_lists_changes_newest_first_by_month(basic_site: Path) -> None:
    page = soup(basic_site, "changes/")
    months = page.select("section.timeline-month")
    assert [m["data-month"] for m in months] == ["2026-04", "2026-03", "2026-02"]
    assert [m.h2.a.get_text() for m in months] == ["April 2026", "March 2026", "February 2026"]
    items = [li["data-change"] for m in months for li in m.select("li.timeline-item")]
    assert items == ["alpha/policy/training#change-1", "beta/policy/old-clause#change-1", "alpha/policy/child-safety#change-1"]
    first = months[0].select_one("li.timeline-item")
    assert first.select_one(".timeline-date")["datetime"] == "2026-04-01"
    assert first.select_one(".badge").get_text() == "Modified"
    assert first.select_one(".timeline-platform").get_text() == "Alpha AI"
    assert first.select_one(".timeline-document").get_text() == "Alpha AI Usage Policy"
    assert first.select_one(".timeline-clause-type").get_text() == "Training on inputs"
    assert "Switched from opt-out to opt-in." in first.select_one(".timeline-summary").get_text()


def test_timeline_links_reach_each_change(basic_site: Path) -> None:
    for li in soup(basic_site, "changes/").select("section.timeline-month li.timeline-item"):
        target, fragment = resolve(basic_site, "changes/", li.select_one(".timeline-summary a")["href"])
        assert target.is_file(), li["data-change"]
        assert fragment == li["data-change"].split("#")[1]
        assert soup(basic_site, target.parent.relative_to(basic_site).as_posix() + "/").select_one(f"#{fragment}") is not None


def test_removed_provision_stays_reachable(basic_site: Path) -> None:
    page = soup(basic_site, OLD_CLAUSE)
    assert page.h1.get_text() == "Old training clause"
    assert page.select_one(".badge.removed") is not None
    assert "removed from the document" in page.select_one(".notice").get_text()
    item = soup(basic_site, "changes/").select_one('li[data-change="beta/policy/old-clause#change-1"]')
    assert item.select_one(".badge").get_text() == "Removed"
    assert "removed" in soup(basic_site, "platforms/beta/").select_one(".provision-list").get_text(" ").lower()


def test_upcoming_section(basic_site: Path) -> None:
    upcoming = soup(basic_site, "changes/").select_one("#upcoming")
    items = upcoming.select("li.timeline-item")
    # Effective 2026-06-01, after the as-of date 2026-04-20; the child-safety change took effect on 2026-03-01.
    assert [li["data-change"] for li in items] == ["alpha/policy/training#change-1"]
    assert items[0].select_one(".timeline-date time")["datetime"] == "2026-06-01"
    assert "April 20, 2026" in upcoming.get_text()
    full = soup(basic_site, "changes/upcoming/")
    assert [li["data-change"] for li in full.select("li.timeline-item")] == ["alpha/policy/training#change-1"]


def test_month_pages(basic_site: Path) -> None:
    archive = soup(basic_site, "changes/").select("#months li a")
    assert [a.get_text() for a in archive] == ["April 2026", "March 2026", "February 2026"]
    page = soup(basic_site, "changes/2026-03/")
    assert page.h1.get_text() == "Changes in March 2026"
    assert [li["data-change"] for li in page.select("li.timeline-item")] == ["beta/policy/old-clause#change-1"]


def test_timeline_pages_stay_bounded(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.pages import changes
    monkeypatch.setattr(changes, "TIMELINE_SHOWN", 2)
    monkeypatch.setattr(changes, "PAGE_SIZE", 1)
    edit(kb / "content/beta/policy/old-clause.yaml", "    summary: The clause was taken out of the terms.\n",
         "    effective: 2026-07-01\n    summary: The clause was taken out of the terms.\n")
    out = tmp_path / "site"
    assert run_build(kb, out).ok
    page = soup(out, "changes/")
    assert len(page.select("section.timeline-month li.timeline-item")) == 2
    assert [m["data-month"] for m in page.select("section.timeline-month")] == ["2026-04", "2026-03"]
    assert [a.get_text() for a in page.select("#months li a")] == ["April 2026", "March 2026", "February 2026"]
    # Two upcoming changes, one per page, linked both ways.
    first, second = soup(out, "changes/upcoming/"), soup(out, "changes/upcoming/2/")
    assert [li["data-change"] for li in first.select("li.timeline-item")] == ["alpha/policy/training#change-1"]
    assert [li["data-change"] for li in second.select("li.timeline-item")] == ["beta/policy/old-clause#change-1"]
    assert resolve(out, "changes/upcoming/", first.select_one("a[rel=next]")["href"])[0] == out / "changes/upcoming/2/index.html"
    assert resolve(out, "changes/upcoming/2/", second.select_one("a[rel=prev]")["href"])[0] == out / "changes/upcoming/index.html"


def test_added_provision_on_the_timeline_and_its_page(kb: Path, tmp_path: Path) -> None:
    edit(kb / "content/gamma/policy/customer-content.yaml", "last_verified: 2026-03-30\n",
         "last_verified: 2026-03-30\nchanges:\n  - kind: added\n    detected: 2026-03-01\n"
         "    summary: The clause first appeared.\n")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    months = soup(out, "changes/").select("section.timeline-month")
    march = [li["data-change"] for m in months if m["data-month"] == "2026-03" for li in m.select("li.timeline-item")]
    assert march == ["beta/policy/old-clause#change-1", "gamma/policy/customer-content#change-1"]
    item = soup(out, "changes/").select_one('li[data-change="gamma/policy/customer-content#change-1"]')
    assert item.select_one(".badge").get_text() == "Added"
    change = soup(out, "platforms/gamma/policy/customer-content/").select_one("#change-1")
    assert "kind-added" in change["class"] and change.select_one(".redline") is None
    assert soup(out, "platforms/gamma/").select_one("[data-count=changes-90]").get_text() == "1"


# --- Recent activity on platform pages ------------------------------------------------------------------------

@pytest.mark.parametrize("platform, last_30, last_90", [("alpha", "1", "2"), ("beta", "1", "1"), ("gamma", "0", "0")])
def test_platform_recent_activity(basic_site: Path, platform: str, last_30: str, last_90: str) -> None:
    # As of 2026-04-20: alpha changed on 2026-04-01 and 2026-02-15, beta on 2026-03-25, gamma never.
    page = soup(basic_site, f"platforms/{platform}/")
    assert page.select_one("[data-count=changes-30]").get_text() == last_30
    assert page.select_one("[data-count=changes-90]").get_text() == last_90


def test_nav_links_to_changes_and_feeds(basic_site: Path) -> None:
    hrefs = [a["href"] for a in soup(basic_site, "platforms/alpha/").select(".site-nav a")]
    assert "../../changes/" in hrefs and "../../feeds/" in hrefs
