"""Rebuilds: after any kind of change a rebuild gives exactly the site a cold build gives; no change, no write.

Each test builds the same knowledge base twice: incrementally, into a folder an earlier build filled (with
the cache the earlier build left), and cold, into a fresh folder with no cache. Every file of the two
sites is compared byte for byte.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from atlas import cache as cache_module
from atlas import incremental, load, parallel, records
from atlas.pages import core, data
from atlas.fingerprint import Fingerprints, GraphReads, ReadDigests
from atlas.pipeline import GENERATOR_ROOT, BuildOptions, BuildResult, build
from conftest import edit, messages

PROVISION = "content/alpha/policy/training.yaml"


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def mtimes(site: Path) -> dict[str, int]:
    """The modification time of every file of a built site."""
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def ok_build(root: Path, out: Path, **options) -> BuildResult:
    result = build(BuildOptions(root=root, out=out, search=False, **options))
    assert result.ok, messages(result)
    return result


def assert_same_as_cold(kb: Path, site: Path, tmp_path: Path, **options) -> None:
    """The site in `site` is byte for byte what a cold build (no cache, fresh folder) makes."""
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    ok_build(kb, cold, cache=False, **options)
    built, expected = site_files(site), site_files(cold)
    assert sorted(built) == sorted(expected)
    assert [path for path in expected if built[path] != expected[path]] == []


@pytest.fixture
def own_kb(kb: Path) -> Path:
    """The basic fixture with its own copy of the templates and assets, to edit."""
    shutil.copytree(GENERATOR_ROOT / "templates", kb / "templates")
    shutil.copytree(GENERATOR_ROOT / "assets", kb / "assets")
    return kb


CHANGES = {
    "content": lambda kb: edit(kb / PROVISION, "summary: Summary of Training on inputs at alpha.",
                               "summary: Alpha trains on nothing you send unless you opt in."),
    "analysis-markdown": lambda kb: (kb / "content/alpha/policy/child-safety.md").write_text(
        "A *new* reading of the clause.\n\n- first\n- second\n", encoding="utf-8"),
    # An article's title is listed on the pages of every record it discusses.
    "analysis-article": lambda kb: edit(kb / "content/analyses/child-safety-compared.md",
                                        "title: Child safety compared", "title: Child safety bans compared"),
    # A platform's name is shown on other platforms' provision pages and orders their comparisons.
    "platform": lambda kb: edit(kb / "content/beta/platform.yaml", "name: Beta Labs", "name: Aardvark Beta Labs"),
    "vocabulary": lambda kb: edit(kb / "data/clause-types.yaml", "name: Training on inputs", "name: Training on user inputs"),
    "template": lambda kb: edit(kb / "templates/base.html", "<main id=\"main\"", "<main data-edited id=\"main\""),
    "asset": lambda kb: (kb / "assets/css/atlas.css").write_text(
        (kb / "assets/css/atlas.css").read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8"),
    "record-deleted": lambda kb: (kb / "content/beta/policy/old-clause.yaml").unlink(),
    "record-added": lambda kb: (kb / "content/alpha/policy/training-copy.yaml").write_text(
        (kb / PROVISION).read_text(encoding="utf-8").replace("title: Training on inputs", "title: Training, again"),
        encoding="utf-8"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_rebuild_after_a_change_equals_a_cold_build(own_kb: Path, tmp_path: Path, change: str) -> None:
    site = tmp_path / "site"
    ok_build(own_kb, site)
    before = site_files(site)
    CHANGES[change](own_kb)
    result = ok_build(own_kb, site)
    assert result.written + result.removed > 0
    assert_same_as_cold(own_kb, site, tmp_path)
    # Only what changed was written: every file the rebuild left alone has its old bytes.
    after = site_files(site)
    assert result.written == sum(1 for path in after if before.get(path) != after[path])


def test_rebuild_after_undoing_a_change_equals_a_cold_build(kb: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    original = (kb / PROVISION).read_bytes()
    ok_build(kb, site)
    CHANGES["content"](kb)
    ok_build(kb, site)
    (kb / PROVISION).write_bytes(original)
    assert ok_build(kb, site).written > 0
    assert_same_as_cold(kb, site, tmp_path)


def test_a_build_for_another_base_url_equals_a_cold_build(kb: Path, tmp_path: Path) -> None:
    """Compiled templates are kept between builds: none may keep the base URL of the build that compiled it
    (Jinja computes a filter of a constant, such as '' | absolute, when it compiles)."""
    ok_build(kb, tmp_path / "first", base_url="https://one.example/atlas/")
    site = tmp_path / "second"
    ok_build(kb, site, base_url="https://two.example/")
    assert "Sitemap: https://two.example/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert "https://one.example" not in (site / "feeds/changes.xml").read_text(encoding="utf-8")
    assert_same_as_cold(kb, site, tmp_path, base_url="https://two.example/")


def test_a_rebuild_with_no_change_writes_nothing(kb: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = ok_build(kb, site)
    times = mtimes(site)
    again = ok_build(kb, site)
    assert (again.written, again.removed) == (0, 0)
    assert mtimes(site) == times
    assert again.pages == first.pages
    assert messages(again) == messages(first)  # the warnings are reported again
    assert sorted(again.files) == sorted(site_files(site))


def test_files_in_place_are_compared_only_where_a_folder_was_there(kb: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a manifest (the cache deleted), a file holding the right bytes is kept, not written again;
    a build into a folder that is not there yet (CI's) has nothing in place to look at, and looks at nothing."""
    from atlas import output

    compared: list[Path] = []
    same_bytes = output.same_bytes
    monkeypatch.setattr(output, "same_bytes", lambda target, data: compared.append(target) or same_bytes(target, data))
    site = tmp_path / "site"
    first = ok_build(kb, site, cache=False)
    assert compared == [] and first.written == first.pages
    times = mtimes(site)
    again = ok_build(kb, site, cache=False)
    assert len(compared) == first.pages and again.written == 0
    assert mtimes(site) == times


def test_indexing_after_a_rebuild_with_no_change_is_timed_as_indexing(kb: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage times say where a build spent its time: indexing the last build's pages is not loading."""
    from atlas import output, pipeline

    site = tmp_path / "site"
    ok_build(kb, site)  # no search index yet
    clock = [0.0]
    monkeypatch.setattr(pipeline.time, "perf_counter", lambda: clock[0])

    def pagefind(out: Path) -> list:
        clock[0] += 100.0  # the index takes "100 s"; nothing else moves this clock
        return []

    monkeypatch.setattr(output, "run_pagefind", pagefind)
    result = build(BuildOptions(root=kb, out=site, search=True))
    assert result.ok and result.indexed and result.written == 0
    assert result.timings == {"load": 0.0, "index": 100.0}


def test_a_rebuild_repairs_an_output_folder_changed_behind_its_back(kb: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    ok_build(kb, site)
    (site / "index.html").write_text("tampered", encoding="utf-8")
    (site / "platforms/alpha/index.html").unlink()
    (site / "stray.html").write_text("not ours", encoding="utf-8")
    result = ok_build(kb, site)
    assert result.written == 2 and result.removed == 1
    assert_same_as_cold(kb, site, tmp_path)


def test_stale_files_are_found_without_walking_an_output_folder_left_as_built(kb: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The last build's manifest lists what the folder holds while no folder's time moved: no walk of the site."""
    from atlas import output

    site = tmp_path / "site"
    ok_build(kb, site)
    walked = []
    walk = output._existing_files
    monkeypatch.setattr(output, "_existing_files", lambda out, keep: walked.append(out) or walk(out, keep))
    (kb / "content/alpha/policy/training.yaml").unlink()  # its page, citation and API files become stale
    result = ok_build(kb, site)
    assert result.removed >= 5 and walked == []
    assert not (site / "platforms/alpha/policy/training").exists()
    assert_same_as_cold(kb, site, tmp_path)
    # A file put in a folder of the site moves that folder's time: the folder is walked, the file removed.
    walked.clear()
    (site / "platforms/alpha/notes").mkdir()
    (site / "platforms/alpha/notes/stray.txt").write_text("not ours", encoding="utf-8")
    edit(kb / "content/alpha/platform.yaml", "name: Alpha AI", "name: Alpha Labs")
    ok_build(kb, site)
    assert walked == [site] and not (site / "platforms/alpha/notes").exists()
    assert_same_as_cold(kb, site, tmp_path)


def test_a_failed_rebuild_leaves_the_site_as_it_was(own_kb: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    ok_build(own_kb, site)
    before = site_files(site)
    edit(own_kb / "templates/base.html", "<main id=\"main\"", "{{ no_such_name }}<main id=\"main\"")
    result = build(BuildOptions(root=own_kb, out=site, search=False))
    assert not result.ok
    assert site_files(site) == before
    assert not any(p.name.startswith(f".{site.name}.staging") for p in tmp_path.iterdir())


def test_a_check_renders_every_page_but_keeps_none(own_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` (keep_contents=False) renders the whole site, so a template error fails it, and holds none of it."""
    monkeypatch.setattr(parallel, "worker_count", lambda jobs, items, minimum: 2 if items >= 8 else 1)
    kept = build(BuildOptions(root=own_kb, out=None, search=False, cache=False))
    checked = build(BuildOptions(root=own_kb, out=None, search=False, cache=False, keep_contents=False))
    assert kept.ok and checked.ok and checked.pages == kept.pages == len(kept.files) > 50
    assert not checked.files
    edit(own_kb / "templates/provision.html", "<h1 ", "{{ no_such_name }}<h1 ")
    broken = build(BuildOptions(root=own_kb, out=None, search=False, cache=False, keep_contents=False))
    assert [(p.path, p.code) for p in broken.problems if p.is_error] == [("templates/provision.html", "template")] * len(
        [path for path in kept.files if path.startswith("platforms/") and path.count("/") == 4 and path.endswith("index.html")])


def _garbage_everywhere(folder: Path) -> int:
    damaged = 0
    for path in folder.rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x80\x05garbage" + os.urandom(64))
            damaged += 1
    return damaged


def test_a_build_with_the_cache_off_works_out_nothing_for_a_next_build(kb: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No build follows one with the cache off (CI's): no page is keyed for it, and the site is the same."""
    keyed: list[object] = []
    digest = Fingerprints.digest
    monkeypatch.setattr(Fingerprints, "digest", lambda self, value: (keyed.append(value), digest(self, value))[1])
    ok_build(kb, tmp_path / "plain", cache=False, jobs=1)  # in this process, where the patch counts
    assert keyed == [] and not (kb / cache_module.CACHE_DIR).exists()
    ok_build(kb, tmp_path / "cached", jobs=1)
    assert len(keyed) >= len(site_files(tmp_path / "cached"))  # with the cache on, every page is keyed
    assert site_files(tmp_path / "plain") == site_files(tmp_path / "cached")


def test_caches_survive_corruption(kb: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    ok_build(kb, site)
    assert _garbage_everywhere(kb / cache_module.CACHE_DIR) >= 4  # parsed records, checks, manifest, page records
    CHANGES["content"](kb)
    ok_build(kb, site)
    assert_same_as_cold(kb, site, tmp_path)
    _garbage_everywhere(kb / cache_module.CACHE_DIR)
    assert ok_build(kb, site).written == 0  # a damaged manifest: every file is compared, none differs
    assert_same_as_cold(kb, site, tmp_path)


class _Planted:
    """What a hostile cache file would run when unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_cache_file_not_sealed_with_the_users_key_is_never_unpickled(kb: Path, tmp_path: Path) -> None:
    # A pull request can add files under .atlas-cache/ (git add -f): they must not run anything.
    marker = tmp_path / "pwned"
    ok_build(kb, tmp_path / "site")
    files = [p for p in (kb / cache_module.CACHE_DIR).rglob("*") if p.is_file()]
    payload = pickle.dumps(_Planted(marker))
    for path in files:
        path.write_bytes(b"\0" * 32 + payload)  # a well-formed file, sealed with the wrong key
    CHANGES["content"](kb)
    ok_build(kb, tmp_path / "site")
    assert not marker.exists()


def test_parallel_and_serial_builds_give_the_same_bytes(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok_build(kb, tmp_path / "serial", jobs=1, cache=False)
    # Fork even for this small site (and even inside a test runner that runs threads).
    monkeypatch.setattr(incremental, "MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(load, "MIN_FILES_PER_WORKER", 1)  # records are checked where they are parsed
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    ok_build(kb, tmp_path / "parallel", jobs=2, cache=False)
    assert site_files(tmp_path / "parallel") == site_files(tmp_path / "serial")


def test_work_is_split_over_forked_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    pids = parallel.map_slices(lambda start, stop: (os.getpid(), list(range(start, stop))), 100, 2)
    assert [n for _, numbers in pids for n in numbers] == list(range(100))
    assert len({pid for pid, _ in pids}) >= 2 or os.getpid() not in {pid for pid, _ in pids}


def test_graph_reads_are_noted_and_replayed_by_memoized_helpers() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Toy:
        names: dict
        title: str

        def name_of(self, key: str) -> str:
            return self.names[key]

    view = GraphReads(Toy({"a": "Alpha", "b": "Beta"}, "Toy"))
    assert view.name_of("a") == "Alpha" and view.title == "Toy"
    assert view.take_reads() == {("names", "a"), ("title",)}
    shout = view.memoized(lambda key: view.names[key].upper())
    assert shout("b") == "BETA"
    assert view.take_reads() == {("names", "b")}
    assert shout("b") == "BETA"  # remembered, and its read noted again for this page
    assert view.take_reads() == {("names", "b")}
    assert len(view.names) == 2
    assert view.take_reads() == {("names",)}
    # The view keeps the mapping views it hands out; each page still notes what it reads through them,
    # and a plain value is noted at every look-up.
    assert view.names is view.names and view.take_reads() == frozenset()
    assert view.names["a"] == "Alpha" and view.title == "Toy"
    assert view.take_reads() == {("names", "a"), ("title",)}
    assert view.title == "Toy" and view.take_reads() == {("title",)}
    calls = []

    def initials(graph, key: str) -> str:  # a derivation pages share, called through graph.remembered
        calls.append(key)
        return graph.names[key][0]

    assert view.remembered(initials, "a") == "A" and view.take_reads() == {("names", "a")}
    assert view.remembered(initials, "a") == "A" and view.take_reads() == {("names", "a")}  # noted again
    assert calls == ["a"]  # computed once


def test_read_digests_follow_the_values_read() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Toy:
        names: dict

    one, two = ReadDigests(Toy({"a": "A", "b": "B"}), Fingerprints()), ReadDigests(Toy({"a": "A", "b": "C"}), Fingerprints())
    assert one.of(("names", "a")) == two.of(("names", "a"))
    assert one.of(("names", "b")) != two.of(("names", "b"))
    assert one.of(("names",)) != two.of(("names",))
    assert one.of(("names", "z")) == two.of(("names", "z"))  # absent from both
    reads = [("names", "a"), ("names", "b"), ("names",), ("names", "z")]
    assert two.changed({dep: one.of(dep) for dep in reads}) == {("names", "b"), ("names",)}


def test_fingerprints_ignore_set_order_and_object_identity() -> None:
    prints = Fingerprints()
    assert prints.digest(frozenset({"x", "y", "z"})) == Fingerprints().digest(frozenset({"z", "y", "x"}))
    shared = "text" * 10
    assert prints.digest((shared, shared)) == prints.digest(("text" * 10, "text" * 10))
    assert prints.digest(("a", 1)) != prints.digest(("a", 2))


def test_fingerprints_of_a_grouping_of_records_follow_the_records_and_their_order() -> None:
    from atlas import model as m
    one, two, other = m.Question("Why?", "Because."), m.Question("How?", "So."), m.Question("Why?", "Because!")
    prints = Fingerprints()
    assert prints.digest((one, two)) == Fingerprints().digest((m.Question("Why?", "Because."), two))
    assert prints.digest((one, two)) != prints.digest((two, one))
    assert prints.digest((one, two)) != prints.digest((other, two))
    assert prints.digest((one,)) != prints.digest((one, one))


def test_a_record_built_from_files_is_digested_from_their_digest() -> None:
    from atlas import model as m

    def platform(name: str, source: str) -> m.Platform:
        return m.Platform("alpha", name, None, "https://alpha.example", "A platform.", (), None,
                          m.Origin("content/alpha/platform.yaml", {}, source))

    prints = Fingerprints()
    assert prints.record(platform("Alpha", "platform\0content/alpha/platform.yaml\0aa")) == \
        Fingerprints().record(platform("Alpha", "platform\0content/alpha/platform.yaml\0aa"))
    assert prints.record(platform("Alpha", "platform\0content/alpha/platform.yaml\0aa")) != \
        prints.record(platform("Alpha", "platform\0content/alpha/platform.yaml\0bb"))
    # Without a source (a record of a vocabulary file, which holds many), the record's values are digested.
    assert prints.record(platform("Alpha", "")) != prints.record(platform("Alphas", ""))
    assert prints.record(platform("Alpha", "")) == Fingerprints().record(platform("Alpha", ""))


def test_rendering_leaves_no_dead_template_contexts_behind(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import jinja2.runtime
    monkeypatch.setattr(incremental, "SWEEP_EVERY", 5)
    counted: dict[str, int] = {}
    render_pages = incremental.render_pages

    def counting(*args, **kwargs):
        rendered = render_pages(*args, **kwargs)
        counted["rendered"] = rendered.rendered
        counted["alive"] = sum(isinstance(o, jinja2.runtime.Context) for o in gc.get_objects())
        return rendered

    monkeypatch.setattr(incremental, "render_pages", counting)
    gc.collect()  # what earlier tests left
    ok_build(kb, tmp_path / "site", jobs=1)
    # Collections are paused during a build: without a sweep, every page rendered from a template left one.
    assert counted["rendered"] > 100 and counted["alive"] < 30


def test_a_rebuild_with_no_change_reads_no_source_file(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    reads: list[Path] = []
    original = load.read_tree
    monkeypatch.setattr(load, "read_tree", lambda root, *known: reads.append(root) or original(root, *known))
    again = build(BuildOptions(root=kb, out=site, search=False))
    assert again.ok and again.written == 0 and reads == []  # the stat stamp alone told nothing changed
    # A file written with the same bytes is read again (its time changed) but nothing is written...
    record = kb / "content/alpha/policy/training.yaml"
    record.write_bytes(record.read_bytes())
    os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns + 1_000_000))
    touched = build(BuildOptions(root=kb, out=site, search=False))
    assert touched.ok and touched.written == 0 and reads == [kb]
    # ...and the next build is back to the stamp alone.
    assert build(BuildOptions(root=kb, out=site, search=False)).written == 0 and reads == [kb]
    # A change of the same size is still seen: times and inodes are in the stamp, not only sizes.
    edit(record, "Training on inputs", "Training on INPUTS")
    changed = build(BuildOptions(root=kb, out=site, search=False))
    assert changed.ok and changed.written > 0 and "Training on INPUTS" in (site / "platforms/alpha/policy/training/index.html").read_text(encoding="utf-8")


LATER_STAGES = {"atlas.validate", "atlas.graph", "atlas.pages", "atlas.render", "atlas.incremental", "jinja2", "markdown_it"}


def test_a_rebuild_with_no_change_imports_no_later_stage(kb: Path, tmp_path: Path) -> None:
    """`build.py build` finds that nothing changed before the stages after loading are imported: Jinja, markdown-it
    and the page planners are an eighth of a no-change rebuild's time at 13,250 provisions."""
    site = tmp_path / "site"
    probe = ("import runpy, sys\n"
             f"sys.argv = ['build.py', 'build', '--root', {str(kb)!r}, '--out', {str(site)!r}, '--no-search']\n"
             "try:\n"
             f"    runpy.run_path({str(GENERATOR_ROOT / 'build.py')!r}, run_name='__main__')\n"
             "except SystemExit as end:\n"
             "    assert not end.code, end.code\n"
             "print(' '.join(sorted(sys.modules)))\n")

    def imported_by_a_build() -> set[str]:
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return set(done.stdout.split())

    assert LATER_STAGES <= imported_by_a_build()  # the first build renders: it needs them all
    assert not LATER_STAGES & imported_by_a_build()
    assert (site / "index.html").is_file()


def test_a_rebuild_reads_only_the_records_whose_stat_changed(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, the records under content/ whose stat is unchanged are not read: their digests are known."""
    site = tmp_path / "site"
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    read: list[str] = []
    original = load._read
    monkeypatch.setattr(load, "_read", lambda path, size: read.append(path) or original(path, size))

    def records_read() -> list[str]:
        return [path for path in read if "/snapshots/" not in path]  # snapshots: read by the quote check

    record = kb / "content/alpha/policy/training.yaml"
    edit(record, "Training on inputs", "Training on INPUTS")
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    assert records_read() == [str(record)] * 2  # listed (its digest), then parsed
    assert "Training on INPUTS" in (site / "platforms/alpha/policy/training/index.html").read_text(encoding="utf-8")
    assert_same_as_cold(kb, site, tmp_path)
    # Same size, and the modification time put back as it was: the change time still tells.
    before = record.stat()
    edit(record, "Training on INPUTS", "Training on inputz")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    read.clear()
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    assert records_read() == [str(record)] * 2
    assert "Training on inputz" in (site / "platforms/alpha/policy/training/index.html").read_text(encoding="utf-8")


def test_a_build_after_one_edit_writes_one_part_of_the_parse_cache_again(kb: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    stored: list[str] = []
    store = cache_module.Cache.store
    monkeypatch.setattr(cache_module.Cache, "store", lambda self, name, value: stored.append(name) or store(self, name, value))
    record = "content/alpha/policy/training.yaml"
    edit(kb / record, "Training on inputs", "Training on INPUTS")
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    part = load.parse_cache_part(("provision", record, ""))
    assert [name for name in stored if name.startswith("parsed")] == [f"parsed.{part}"]
    # The parts read back as the whole cache: nothing is parsed again in the next build.
    parsed: list[str] = []
    parse_record = load.parse_record
    monkeypatch.setattr(load, "parse_record", lambda kind, path, *rest: parsed.append(path) or parse_record(kind, path, *rest))
    edit(kb / record, "Training on INPUTS", "Training on inputs")
    assert build(BuildOptions(root=kb, out=site, search=False)).ok
    assert parsed == [record]
    assert_same_as_cold(kb, site, tmp_path)


def test_known_files_are_not_read_again_and_changed_ones_are(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.read_tree(kb)
    read: list[str] = []
    original = load._read
    monkeypatch.setattr(load, "_read", lambda path, size: read.append(path) or original(path, size))
    again = load.read_tree(kb, first.known)
    assert [path for path in read if "/content/" in path] == []
    assert again.digest() == first.digest() and again.snapshots == first.snapshots and again.known == first.known
    snapshot = sorted((kb / "content/alpha/policy/snapshots").iterdir())[0]
    rel = snapshot.relative_to(kb).as_posix()
    snapshot.write_bytes(snapshot.read_bytes() + b"\nAppended.\n")
    read.clear()
    changed = load.read_tree(kb, first.known)
    assert [path for path in read if "/content/" in path] == [str(snapshot)]
    assert changed.snapshots[rel].sha256 == hashlib.sha256(snapshot.read_bytes()).hexdigest() != first.snapshots[rel].sha256
    assert changed.digest() != first.digest()


@pytest.mark.parametrize("built_before", [False, True], ids=["new", "built-before"])
def test_preview_builds_hand_their_caches_on_in_memory(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       built_before: bool) -> None:
    """The live preview's rebuild after an edit gives the cold build's site without reading or writing the disk cache,
    also where a build before it left one (what the preview's first build read from disk, it keeps in memory)."""
    from atlas.preview import PreviewBuilder

    outputs = kb / cache_module.CACHE_DIR / "outputs"
    if built_before:
        ok_build(kb, tmp_path / "site")
    described = sorted(p.name for p in outputs.iterdir()) if built_before else None
    builder = PreviewBuilder(kb, tmp_path / "preview", "http://127.0.0.1:8000/", search=False)
    assert builder.rebuild("content").ok
    disk = tmp_path / "unused-disk-cache-calls"

    read_bytes = Path.read_bytes

    def refuse(*args: object, **kwargs: object) -> None:
        disk.touch()
        raise AssertionError("the preview read or wrote the disk cache")

    def read_outside_the_cache(path: Path) -> bytes:
        data = read_bytes(path)  # a cache file that is not there raises, as the cache expects
        if cache_module.CACHE_DIR in path.parts:
            refuse()
        return data

    monkeypatch.setattr(Path, "read_bytes", read_outside_the_cache)
    monkeypatch.setattr(cache_module, "open", refuse, raising=False)  # the cache writes its files with open()
    CHANGES["content"](kb)
    outcome = builder.rebuild("content")
    assert outcome.ok and outcome.pages_changed
    assert not disk.exists()
    monkeypatch.undo()
    # The throwaway folder's manifest stayed in memory: only the site built before is described on disk.
    assert (sorted(p.name for p in outputs.iterdir()) if outputs.exists() else None) == described
    assert_same_as_cold(kb, tmp_path / "preview", tmp_path, base_url=builder.base_url)


def test_a_provision_edit_rebuilds_only_its_platforms_part_of_the_bulk_files(kb: Path, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    ok_build(kb, site, jobs=1)
    built: list[tuple[str, str]] = []  # (file, provision) for every provision a rebuild encodes
    provision = records.Records.provision
    monkeypatch.setattr(records.Records, "provision", lambda self, p: (built.append(("json", p.key)), provision(self, p))[1])
    first, *rest = data.PROVISION_CSV_COLUMNS
    counted = data.Column(first.name, first.description, lambda p, x: (built.append(("csv", p.key)), first.value(p, x))[1])
    monkeypatch.setattr(data, "PROVISION_CSV_COLUMNS", (counted, *rest))
    # beta's and gamma's parts read the figures of the edited provision's clause type (training-on-inputs).
    CHANGES["content"](kb)
    ok_build(kb, site, jobs=1)
    assert ("csv", "alpha/policy/training") in built and ("json", "alpha/policy/training") in built
    assert {key.split("/")[0] for _, key in built} == {"alpha"}
    monkeypatch.undo()
    assert_same_as_cold(kb, site, tmp_path)


def test_a_bulk_file_changed_behind_the_builds_back_is_not_reused_in_parts(kb: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    ok_build(kb, site)
    bulk = site / "api/v1/provisions.csv"
    bulk.write_bytes(bulk.read_bytes().replace(b"beta", b"BETA"))
    CHANGES["content"](kb)
    ok_build(kb, site)
    assert b"BETA" not in bulk.read_bytes()
    assert_same_as_cold(kb, site, tmp_path)


def test_the_bulk_download_is_one_gzip_stream_of_a_member_per_platform(basic_site: Path) -> None:
    raw = (basic_site / "api/v1/provisions.jsonl.gz").read_bytes()
    members, rest = 0, raw
    while rest:
        reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
        reader.decompress(rest)
        assert reader.eof
        members, rest = members + 1, reader.unused_data
    assert members == 3  # alpha, beta, gamma
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert [json.loads(line)["platform"] for line in lines] == ["alpha", "alpha", "beta", "beta", "gamma"]


def test_a_provision_page_is_rendered_again_only_when_a_provision_it_shows_changes(kb: Path, tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "OTHER_PLATFORMS_SHOWN", 1)  # so that some page of the clause type does not show it
    site = tmp_path / "site"
    ok_build(kb, site, jobs=1)
    edited = "alpha/policy/training"

    def shows_edited(page: Path) -> bool:
        sections = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("#other-platforms, #same-document")
        return any(a["href"].rstrip("/").endswith(edited) for s in sections for a in s.select("a[href]"))

    pages = {p.parent.relative_to(site / "platforms").as_posix(): p for p in (site / "platforms").glob("*/*/*/index.html")}
    expected = {edited} | {key for key, page in pages.items() if shows_edited(page)}
    same_type = {"beta/policy/old-clause", "gamma/policy/customer-content"}  # training-on-inputs, like the edited one
    assert same_type - expected, "the fixture must have a page of the clause type that does not show the edited provision"
    rendered: list[str] = []
    others = core._others
    monkeypatch.setattr(core, "_others", lambda graph, p: (rendered.append(p.key), others(graph, p))[1])
    CHANGES["content"](kb)
    ok_build(kb, site, jobs=1)
    assert set(rendered) == expected
    assert_same_as_cold(kb, site, tmp_path)  # with one shown too


def test_templates_are_compiled_again_only_when_their_source_changed(own_kb: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2
    compiled: list[str | None] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    site = tmp_path / "site"
    ok_build(own_kb, site)
    assert "provision.html" in compiled
    compiled.clear()
    CHANGES["content"](own_kb)
    ok_build(own_kb, site)
    assert [name for name in compiled if name and not name.startswith("<")] == []
    CHANGES["template"](own_kb)
    ok_build(own_kb, site)
    assert [name for name in compiled if name and not name.startswith("<")] == ["base.html"]
    assert_same_as_cold(own_kb, site, tmp_path)
