"""The load stage: records are checked where they are parsed, in one process or several, and a parse
cache that already holds exactly the tree's files comes back as it was (so it need not be written again)."""
from __future__ import annotations

import hashlib

import pytest

from atlas import load, parallel, validate
from conftest import BASIC


def _parse(jobs: int = 1, cache: load.ParseCache | None = None):
    return load.parse_tree(load.read_tree(BASIC), cache, jobs, check=validate.record_problems)


def test_each_record_is_checked_where_it_is_parsed() -> None:
    tree, _, _ = _parse()
    assert tree.records
    for record in tree.records:
        assert tree.checks[(record.kind, record.path, record.digest)] == validate.record_problems(record)
    assert validate.validate(tree, tree.checks) == validate.validate(tree)


def test_parsing_in_workers_gives_what_one_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MIN_FILES_PER_WORKER", 1)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # fork even inside a test runner's threads
    serial, serial_problems, _ = _parse(jobs=1)
    forked, forked_problems, _ = _parse(jobs=2)
    assert forked == serial and forked.checks == serial.checks and forked_problems == serial_problems


def test_a_cache_of_exactly_these_files_comes_back_as_it_was() -> None:
    tree, problems, parsed = _parse()
    again, again_problems, cached = _parse(cache=parsed)
    assert cached is parsed
    assert again == tree and again.checks == tree.checks and again_problems == problems
    # A cache that holds more (files since removed) is pruned to this tree's files.
    larger = {**parsed, ("provision", "content/gone/gone/gone.yaml", "0"): (None, (), None)}
    _, _, pruned = _parse(cache=larger)
    assert pruned is not larger and pruned == parsed


def test_reading_keeps_no_record_bytes_and_parsing_sees_a_file_changed_since(kb) -> None:
    sources = load.read_tree(kb)
    assert all(not hasattr(f, "raw") for f in sources.files)  # the bytes were digested, not kept
    record = kb / "content/alpha/policy/training.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("Training on inputs", "Training on INPUTS", 1),
                      encoding="utf-8")
    tree, problems, _ = load.parse_tree(sources)
    assert [(p.path, p.code) for p in problems if p.is_error] == [("content/alpha/policy/training.yaml",
                                                                   "changed-while-building")]
    assert "content/alpha/policy/training.yaml" not in {r.path for r in tree.records}
    # Read again, the file is parsed as it now is.
    tree, problems, _ = load.parse_tree(load.read_tree(kb))
    assert not [p for p in problems if p.is_error]


SNAPSHOT = "content/alpha/policy/snapshots/2026-04-01.txt"


def test_reading_keeps_no_snapshot_bytes(kb) -> None:
    sources = load.read_tree(kb)
    source = sources.snapshots[SNAPSHOT]
    data = (kb / SNAPSHOT).read_bytes()
    assert not hasattr(source, "data") and source.size == len(data)
    assert source.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("stage", ["link", "render"])
def test_a_snapshot_changed_during_the_build_fails_it(kb, tmp_path, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    """Its hash was checked on the bytes read first: the quote check (link) and the published copy (render)
    read it again, and bytes other than the checked ones are an error, not a page."""
    from atlas import graph as graph_stage
    from atlas import incremental
    from conftest import run_build

    def tamper() -> None:
        path = kb / SNAPSHOT
        path.write_bytes(path.read_bytes().replace(b"You must not", b"You may not", 1))

    if stage == "link":
        real_link = graph_stage.link
        monkeypatch.setattr(graph_stage, "link", lambda kb_: (tamper(), real_link(kb_))[1])
    else:
        real_render = incremental.render_pages
        monkeypatch.setattr(incremental, "render_pages", lambda *a, **k: (tamper(), real_render(*a, **k))[1])
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert (SNAPSHOT, "changed-while-building") in {(p.path, p.code) for p in result.problems if p.is_error}
    assert not out.exists()  # nothing written
