"""The preview's quick render: an edited provision's page first, exactly as the full rebuild then makes it."""
from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from atlas import graph as graph_stage
from atlas import load, validate
from atlas.preview import PreviewBuilder
from atlas.problems import Problem
from atlas.quick import edited_record
from conftest import edit, run_build

RECORD = "content/alpha/policy/child-safety.yaml"
PAGE = "platforms/alpha/policy/child-safety/index.html"
CITES = tuple(f"platforms/alpha/policy/child-safety/cite.{ext}" for ext in ("txt", "bib", "json"))


def _provision(root: Path, rel: str = RECORD):
    """The model record of one provision file (with its analysis) and the problems reading it found."""
    record, problems = load.read_record(root, rel)
    analysis, found = load.read_record(root, rel[: -len(".yaml")] + ".md")
    assert record is not None, problems + found
    problems += found + validate.record_problems(record) + (validate.record_problems(analysis) if analysis else [])
    provision, found = validate.model_record(record, analysis)
    return provision, problems + found


# Edits a provision's own figures take: the patched graph must be the one linking the edited records gives.
TAKEN = {
    "summary": (RECORD, "summary: Summary of", "summary: Edited summary of"),
    "severity (ranking)": (RECORD, "severity: high", "severity: low"),
    "title (reading order)": (RECORD, "title: Child safety ban", "title: A child safety ban"),
    "position (ranking)": (RECORD, "position: prohibited", "position: restricted"),
    "excerpt paraphrased": (RECORD, "status: verbatim", "status: paraphrase"),
    "regulation articles": (RECORD, "articles: [art-5]", "articles: []"),
    "analysis": ("content/alpha/policy/child-safety.md", "", "More analysis.\n\n"),
}


@pytest.mark.parametrize("name", sorted(TAKEN))
def test_with_provision_gives_the_graph_linking_gives(kb: Path, name: str) -> None:
    rel, old, new = TAKEN[name]
    before = run_build(kb).graph
    assert before is not None
    path = kb / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1) if old else new + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    provision, problems = _provision(kb)
    patched, _ = graph_stage.with_provision(before, provision, [p for p in problems if not p.is_error])
    linked = run_build(kb).graph
    assert patched is not None and linked is not None
    assert patched == linked
    assert patched.provisions[provision.key] is provision


def test_with_provision_keeps_the_warnings_of_the_edited_record(kb: Path) -> None:
    edit(kb / RECORD, "  reviewers: [{name: A. Reviewer, date: 2026-04-20}]\n", "")
    before = run_build(kb).graph
    edit(kb / RECORD, "summary: Summary of", "summary: Edited summary of")
    provision, problems = _provision(kb)
    patched, found = graph_stage.with_provision(before, provision, problems)
    assert patched == run_build(kb).graph
    assert [p.code for p in found] == ["not-reviewed"]
    assert [p.code for p in patched.warnings if p.path == RECORD] == ["not-reviewed"]


# Edits that reach beyond the provision's own figures, or records with an error: left to the full rebuild.
DECLINED = {
    "clause type": ("clause_type: child-safety", "clause_type: training-on-inputs"),
    "a change record": ("summary: Added promotion", "summary: Added more promotion"),
    "a date (the as-of date may follow)": ("last_verified: 2026-04-20", "last_verified: 2026-04-21"),
    "a regulation": ("  - regulation: coppa\n    articles: [sec-312-5]\n    rationale: Children's data is protected.\n", ""),
    "a jurisdiction flag": ("jurisdictions: [eu]", "jurisdictions: []"),
    "an unknown position": ("position: prohibited", "position: nowhere"),
    "a quote not in its snapshot": ("child sexual abuse material, including", "child abuse material, including"),
}


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_with_provision_declines_what_reaches_beyond_the_provision(kb: Path, name: str) -> None:
    before = run_build(kb).graph
    edit(kb / RECORD, *DECLINED[name])
    provision, _ = _provision(kb)
    patched, _ = graph_stage.with_provision(before, provision)
    assert patched is None


def test_edited_record_names_one_provision_file_or_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    record = content / "alpha/policy/child-safety.yaml"
    assert edited_record(tmp_path, [record]) == RECORD
    assert edited_record(tmp_path, [record, record.with_suffix(".md")]) == RECORD
    assert edited_record(tmp_path, [record, content / "alpha/policy/training.yaml"]) is None
    assert edited_record(tmp_path, [content / "alpha/policy/document.yaml"]) is None
    assert edited_record(tmp_path, [content / "alpha/platform.yaml"]) is None
    assert edited_record(tmp_path, [content / "alpha/policy/snapshots/2026-04-01.txt"]) is None
    assert edited_record(tmp_path, [tmp_path / "data/site.yaml"]) is None
    # A temporary file renamed over the record (sed -i, some editors) is gone by now: it was never a source.
    temporary = content / "alpha/policy/sedX1b2c3"
    assert edited_record(tmp_path, [temporary, record]) == RECORD
    assert edited_record(tmp_path, [temporary]) is None  # nothing but it: no provision
    # A file the build would refuse that is still there is not passed over (the full build reports it)...
    temporary.parent.mkdir(parents=True)
    temporary.write_text("x", encoding="utf-8")
    assert edited_record(tmp_path, [temporary, record]) is None
    # ...nor is a source file that is gone (a removed snapshot changes the quotes the page verifies).
    assert edited_record(tmp_path, [content / "alpha/policy/snapshots/2026-04-01.txt", record]) is None


def test_read_record_refuses_what_the_tree_walk_refuses(kb: Path) -> None:
    assert load.read_record(kb, "content/alpha/policy/nothing.yaml") == (None, [])
    link = kb / "content/alpha/policy/linked.yaml"
    link.symlink_to(kb / RECORD)
    record, problems = load.read_record(kb, "content/alpha/policy/linked.yaml")
    assert record is None and [p.code for p in problems] == ["symlink"]
    record, problems = load.read_record(kb, "content/alpha/policy/Bad_Name.yaml")
    assert record is None and [p.code for p in problems] == ["bad-id"]


def _builder(kb: Path, out: Path) -> PreviewBuilder:
    builder = PreviewBuilder(kb, out, "http://127.0.0.1:8000/atlas/", search=False)
    assert builder.rebuild(None).ok
    return builder


def test_quick_render_writes_the_page_the_full_rebuild_then_keeps(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    builder = _builder(kb, out)
    edit(kb / RECORD, "summary: Summary of", "summary: Quickly edited summary of")
    edit(kb / RECORD, "severity: high", "severity: medium")
    edit(kb / RECORD, "title: Child safety ban", "title: Quickly renamed ban")
    first = builder.quick([kb / RECORD])
    assert first is not None and first.ok and first.paths == (PAGE, *CITES)
    quick_bytes = {path: (out / path).read_bytes() for path in first.paths}
    assert b"Quickly edited summary of" in quick_bytes[PAGE]
    # The page's BibTeX and CSL-JSON sections fetch these files: they already name the edited title.
    assert all(b"Quickly renamed ban" in quick_bytes[path] for path in CITES)

    full = builder.rebuild("content")
    assert full.ok and full.paths is not None
    for path, data in quick_bytes.items():
        assert (out / path).read_bytes() == data  # the full rebuild made the same bytes...
        assert path not in full.paths  # ...so the open page is not reloaded twice
    assert "platforms/alpha/policy/index.html" in full.paths  # the document page lists the new severity

    cold = tmp_path / "cold"
    assert run_build(kb, cold, base_url="http://127.0.0.1:8000/atlas/").ok
    assert {path: (cold / path).read_bytes() for path in quick_bytes} == quick_bytes


def test_quick_render_leaves_other_changes_to_the_full_rebuild(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    builder = _builder(kb, out)
    page = (out / PAGE).read_bytes()

    edit(kb / "content/alpha/policy/document.yaml", "title: ", "title: Renamed ")
    assert builder.quick([kb / "content/alpha/policy/document.yaml"]) is None

    new = kb / "content/alpha/policy/new-clause.yaml"
    new.write_text((kb / RECORD).read_text(encoding="utf-8"), encoding="utf-8")
    assert builder.quick([new]) is None  # a new provision: other pages list it

    edit(kb / RECORD, "severity: high", "severity: extreme")  # not one of the severities: a schema error
    assert builder.quick([kb / RECORD]) is None
    assert (out / PAGE).read_bytes() == page
    outcome = builder.rebuild("content")
    assert not outcome.ok and any(p.path == RECORD and p.is_error for p in outcome.problems)
    assert builder.quick([kb / RECORD]) is None  # no good build to start from


def test_an_edit_undone_by_the_full_rebuild_is_reloaded(kb: Path, tmp_path: Path) -> None:
    """A quick page the full rebuild changes again (the file changed once more in between) is listed as changed."""
    out = tmp_path / "preview"
    builder = _builder(kb, out)
    edit(kb / RECORD, "summary: Summary of", "summary: First edit of")
    assert builder.quick([kb / RECORD]) is not None
    edit(kb / RECORD, "summary: First edit of", "summary: Second edit of")
    full = builder.rebuild("content")
    assert full.ok and full.paths is not None and PAGE in full.paths
    assert b"Second edit of" in (out / PAGE).read_bytes()


def test_the_preview_indexes_search_in_the_background(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    found: list[list[Problem]] = []
    builder = PreviewBuilder(kb, out, "http://127.0.0.1:8000/atlas/", search=True, report_index=found.append)
    assert builder.rebuild(None).ok
    assert builder.index().wait(timeout=120)
    assert found and found[-1] == [] and (out / "pagefind" / "pagefind.js").is_file()
    edit(kb / RECORD, "summary: Summary of", "summary: Indexed again, summary of")
    assert builder.rebuild("content").ok
    assert builder.index().wait(timeout=120)
    assert len(found) >= 2 and found[-1] == []


def test_a_preview_rebuild_lets_go_of_the_graph_before_it(kb: Path, tmp_path: Path) -> None:
    """Each build's environment ends up in reference cycles, and serve runs for hours with collections rare: were the
    environment (of the quick render or of the full build) still to hold the graph, every rebuild would keep one
    more whole graph alive (about 50 MB at 13,250 provisions). So it must be freed by reference counting alone."""
    builder = _builder(kb, tmp_path / "preview")
    assert builder._last is not None
    before = weakref.ref(builder._last.graph)
    gc.disable()
    try:
        edit(kb / RECORD, "summary: Summary of", "summary: Once more, the summary of")
        assert builder.quick([kb / RECORD]) is not None
        assert builder.rebuild("content").ok
        assert builder._last is not None and builder._last.graph is not before()
        assert before() is None
    finally:
        gc.enable()
