"""The benchmark runs end to end at a small size (a smoke test: no time is asserted)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(REPO))


def measured(wall: float, *, user: float | None = None, system: float = 0.0, main_mb: float = 400, worker_mb: float = 300,
             written: int = 0, indexed: bool = False, stages: dict | None = None):
    """A Run of the benchmark's report, as one build's figures would fill it."""
    from bench import run

    return run.Run(wall=wall, build=wall, stages=stages or {}, pages=10, written=written, removed=0, indexed=indexed,
                   errors=0, main_rss_mb=main_mb, worker_rss_mb=worker_mb, tree_pss_mb=600,
                   cpu_user=wall if user is None else user, cpu_sys=system)


@pytest.mark.slow
@pytest.mark.browser  # it measures `serve` with its page open in chromium
def test_benchmark_runs_at_a_small_size(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, "bench/run.py", "--sizes", "60", "--out", str(tmp_path / "out"),
                           "--disk-wait", "0", "--repeat", "2", "--json", str(figures)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "60 provisions" in done.stdout and "floor" in done.stdout
    [report] = json.loads(figures.read_text(encoding="utf-8"))
    runs = report["runs"]
    assert set(runs) >= {"cold", "no change", "one edit", "edit undone", "warm cache", "search", "search again", "no cache"}
    # Pagefind indexed the built site once; the same build again, search on, found nothing to index.
    assert runs["search"]["indexed"] and runs["search"]["written"] == 0 and report["search_mb"] > 0
    assert not runs["search again"]["indexed"] and runs["search again"]["written"] == 0
    assert "== budgets" not in done.stdout  # set for 13,250 provisions only
    assert all(run["errors"] == 0 for run in runs.values())
    assert runs["cold"]["written"] == runs["cold"]["pages"] > 0
    assert runs["no change"]["written"] == 0
    assert runs["no cache"]["written"] == runs["no cache"]["pages"] == runs["cold"]["pages"]  # CI's build: all of it
    assert 0 < runs["one edit"]["written"] < runs["cold"]["pages"]
    assert set(runs["cold"]["stages"]) >= {"load", "validate", "link", "plan", "render", "write"}
    assert report["output_files"] == runs["cold"]["pages"] and report["floor"] > 0
    assert runs["cold"]["main_rss_mb"] > 0
    # The disk was probed before the cold build, and the report says what the probe found.
    assert report["disk"]["probe"] > 0 and "disk probe: 2,000 files created in" in done.stdout
    # Measured twice, the cold and the no-cache builds: one of the two runs is reported, and both are listed.
    for name in ("cold", "no cache"):
        assert len(report["repeats"][name]) == 2 and runs[name]["wall"] in report["repeats"][name]
    assert "cold        measured 2 times, the median run shown: wall " in done.stdout
    assert set(report["repeats"]) == {"cold", "no cache"}
    # CPU time of the whole process tree: the cold build does more work than the rebuild that finds nothing to do.
    assert runs["cold"]["cpu_user"] > runs["no change"]["cpu_user"] > 0 and runs["cold"]["cpu_sys"] >= 0
    # The live preview's rebuilds: the edited provision's page rendered first each time, then the whole site.
    preview = report["preview"]
    assert len(preview["quick_ms"]) == len(preview["rebuild"]) == 3
    assert all(path and path.startswith("platforms/") and path.endswith("/index.html") for path in preview["quick_rendered"])
    assert "preview     after an edit to one provision: quick render of the edited provision's page and citation files" in done.stdout
    # `serve` itself, the edited provision's page open in chromium: each edit saved, the page reloaded showing it.
    serve = report["serve"]
    assert len(serve["reload_ms"]) == 3 and all(ms > 0 for ms in serve["reload_ms"]) and serve["serve_rss_mb"] > 0
    assert "serve       an edit saved -> its page reloaded in chromium: " in done.stdout
    # Folders replaced between measurements (the cache and the disk probe's too) were set aside, not deleted before
    # the next (see bench.run.set_aside), and are gone once it ends; the site of the last build stays.
    out = tmp_path / "out"
    assert not (out / ".trash").exists()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["corpus-60", "site-60"]
    # The edits are undone: the corpus is left as generated.
    sources = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*.yaml"))
    assert b"Edited for the benchmark" not in sources and b"Preview edit" not in sources


def test_folders_are_set_aside_between_measurements_and_deleted_at_the_end(tmp_path: Path) -> None:
    from bench import run

    site = tmp_path / "site-1"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("x", encoding="utf-8")
    run.set_aside(site)
    run.set_aside(tmp_path / "not-there")  # nothing to move
    assert not site.exists()
    [moved] = (tmp_path / run.TRASH).iterdir()
    assert (moved / "a" / "index.html").read_text(encoding="utf-8") == "x"
    site.mkdir()
    run.set_aside(site)  # a second folder of the same name does not replace the first
    assert len(list((tmp_path / run.TRASH).iterdir())) == 2
    run.empty_trash(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_growth_compares_each_size_with_the_next(tmp_path: Path) -> None:
    from bench import run

    def report(provisions: int, wall: float, user: float, system: float) -> run.Report:
        return run.Report(provisions, 1, 1.0, 0.1, 0.1, runs={"cold": measured(wall, user=user, system=system)})

    lines = run.growth([report(50_000, 120.0, 160.0, 40.0), report(13_250, 30.0, 45.0, 5.0)])
    assert lines == ["   cold         13,250 -> 50,000  provisions x3.77: wall x4.00, cpu x4.00, user cpu x3.56"]
    assert run.growth([report(1_000, 2.0, 3.0, 1.0)]) == []


def test_a_repeated_build_reports_its_median_run_and_the_worst_disk_probe() -> None:
    from bench import run

    assert run.median_run([measured(30.0), measured(24.0), measured(25.0)]).wall == 25.0
    assert run.median_run([measured(26.0), measured(24.0)]).wall == 24.0  # of two, the quicker: a run that happened
    assert run.median_run([measured(24.0)]).wall == 24.0
    walls = iter([30.0, 24.0, 25.0])
    report = run.Report(1, 1, 1.0, 0.1, 0.1)
    assert run._repeated(report, "cold", lambda: measured(next(walls)), 3).wall == 25.0
    assert report.repeats == {"cold": [30.0, 24.0, 25.0]}
    assert run._repeated(report, "no cache", lambda: measured(20.0), 1).wall == 20.0 and "no cache" not in report.repeats
    quick, waited, slow = run.DiskState(0.05, 0.0, True), run.DiskState(0.06, 20.0, True), run.DiskState(0.5, 300.0, False)
    assert run.worst_disk([quick, waited]) == waited and run.worst_disk([slow, waited, quick]) == slow
    assert run.worst_disk([quick]) == quick


def test_the_benchmark_waits_for_a_quiet_disk_and_says_when_it_did_not_get_one() -> None:
    from bench import run

    def probes(*seconds: float):
        taken = iter(seconds)
        return lambda: next(taken)

    slept: list[float] = []
    said: list[str] = []
    quiet = run.PROBE_FILES * run.QUIET_SECONDS_PER_FILE
    # Slow twice (as after a large deletion), then quick: measured after two pauses, the wait said once.
    state = run.wait_for_quiet_disk(probes(quiet * 20, quiet * 5, quiet / 2), limit=300, sleep=slept.append, say=said.append)
    assert state == run.DiskState(quiet / 2, 2 * run.PROBE_EVERY, True) and slept == [run.PROBE_EVERY] * 2
    assert "(quiet after waiting 20 s)" in state.describe()
    assert len(said) == 1 and "waiting up to 300 s for it to be quiet" in said[0]
    # Quick at once: no wait, nothing said.
    slept.clear()
    said.clear()
    assert run.wait_for_quiet_disk(probes(quiet), limit=300, sleep=slept.append, say=said.append) == run.DiskState(quiet, 0.0, True)
    assert slept == [] and said == []
    # Still slow when the wait runs out: the last pause is cut to the limit, and the report warns.
    state = run.wait_for_quiet_disk(probes(*[quiet * 10] * 4), limit=25, sleep=slept.append, say=said.append)
    assert state == run.DiskState(quiet * 10, 25.0, False) and slept == [10.0, 10.0, 5.0]
    assert "still slow after waiting 25 s: the figures below are pessimistic" in state.describe()
    # No wait at all: probed once, and reported (nothing said of a wait that does not happen).
    said.clear()
    assert run.wait_for_quiet_disk(probes(quiet * 10), limit=0, sleep=slept.append, say=said.append).quiet is False
    assert said == []


def test_the_disk_probe_creates_its_files_and_sets_them_aside(tmp_path: Path) -> None:
    from bench import run

    assert run.probe_disk(tmp_path, files=50) > 0
    [probe] = (tmp_path / run.TRASH).iterdir()
    assert len(list(probe.iterdir())) == 50 and not (tmp_path / "disk-probe").exists()


def test_the_report_sets_each_budget_beside_its_figure() -> None:
    from bench import run

    runs = {"cold": measured(24.0, written=10), "no change": measured(1.0), "no cache": measured(6.5, written=10),
            "search": measured(34.0, main_mb=180, indexed=True, stages={"index": 33.0}, worker_mb=4000),
            "search again": measured(1.1, main_mb=180)}
    report = run.Report(13_250, 1, 1.0, 0.1, 0.1, output_mb=550.0, search_mb=54.0, runs=runs,
                        preview={"quick_ms": [43.0, 16.0, 13.0], "main_rss_mb": 630.0})
    large = run.Report(50_000, 1, 1.0, 0.1, 0.1, runs={"cold": measured(90.0, written=10)})
    lines = run.budgets([report, large])
    verdicts = {line[3:47].strip(): line.rsplit("  ", 1)[-1].strip() for line in lines}
    assert verdicts == {
        "cold build, no search index": "NOT met", "the same, as CI builds (--no-cache)": "met",
        "indexing: the build besides Pagefind": "met", "rebuild with no change, search on": "met",
        "serve: edit -> page rendered, reload sent": "met", "peak memory of the build process": "met",
        "the same, serve's process": "NOT met", "whole site with search": "NOT met",
        "cold build at 50,000 provisions": "met"}, lines
    assert "24.00 s" in lines[0] and "630 MB" in lines[6] and "604 MB" in lines[7] and "x3.75" in lines[8]
    # Pagefind's memory (the search run's worker) is not the build's, but the build's own process is, in every run;
    # a rebuild that indexed again fails its budget.
    runs["search again"] = measured(1.1, main_mb=520, indexed=True)
    verdicts = {line[3:47].strip(): line.rsplit("  ", 1)[-1].strip() for line in run.budgets([report])}
    assert verdicts["rebuild with no change, search on"] == verdicts["peak memory of the build process"] == "NOT met"
    assert "cold build at 50,000 provisions" not in verdicts
    # Measured with serve and a browser, the reload is what the budget names: from the save to the reloaded page;
    # and serve's memory is its own process's.
    report.serve = {"reload_ms": [120.0, 260.0, 118.0], "serve_rss_mb": 480.0}
    lines = run.budgets([report])
    verdicts = {line[3:47].strip(): line.rsplit("  ", 1)[-1].strip() for line in lines}
    assert verdicts["serve: edit saved -> browser reloaded"] == "NOT met" and "260 ms" in lines[4]
    assert "serve: edit -> page rendered, reload sent" not in verdicts
    assert verdicts["the same, serve's process"] == "met" and "480 MB" in lines[6]
    # Budgets are set for 13,250 provisions: without that size, none is reported.
    assert run.budgets([large]) == []


def test_growth_rounds_take_each_multiple_within_one_round() -> None:
    from bench import run

    # The machine slowed down between the rounds: each round's multiple is taken between its own two builds.
    runs = {13_250: [measured(10.0), measured(20.0), measured(12.0)],
            50_000: [measured(40.0), measured(90.0), measured(45.0)]}
    lines, medians = run.growth_rounds(runs)
    assert medians == {(13_250, 50_000): 4.0}  # rounds x4.00, x4.50, x3.75
    assert lines[0] == "   round 1: 13,250 provisions 10.00 s (cpu 10.0 s), 50,000 provisions 40.00 s (cpu 40.0 s); wall x4.00"
    assert lines[-1] == ("   cold         13,250 -> 50,000  provisions x3.77: wall x4.00, cpu x4.00 "
                         "(medians of 3 rounds; wall x4.00, x4.50, x3.75)")
    # An even number of rounds: the mean of the middle two.
    _, medians = run.growth_rounds({1: [measured(1.0), measured(1.0)], 2: [measured(2.0), measured(3.0)]})
    assert medians == {(1, 2): 2.5}


@pytest.mark.slow
def test_the_growth_mode_alternates_the_sizes_cold_build_by_cold_build(tmp_path: Path) -> None:
    figures = tmp_path / "growth.json"
    done = subprocess.run([sys.executable, "bench/run.py", "--growth", "--sizes", "80,40", "--out", str(tmp_path / "out"),
                           "--disk-wait", "0", "--repeat", "2", "--json", str(figures)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = json.loads(figures.read_text(encoding="utf-8"))["growth"]
    assert set(runs) == {"40", "80"} and all(len(size_runs) == 2 for size_runs in runs.values())
    # Every one a cold build: each wrote its whole site, which the larger corpus makes larger.
    assert all(r["written"] == r["pages"] > 0 and r["errors"] == 0 for size_runs in runs.values() for r in size_runs)
    assert runs["80"][0]["pages"] > runs["40"][0]["pages"]
    lines = done.stdout.splitlines()
    assert [line.split(":")[0].strip() for line in lines if line.strip().startswith("round")] == ["round 1", "round 2"]
    assert any(line.startswith("   cold             40 -> 80      provisions x2.00: wall x") and "medians of 2 rounds" in line
               for line in lines)
    assert "budget:" not in done.stdout  # the growth budget is set from 13,250 to 50,000 provisions
    assert not (tmp_path / "out" / ".trash").exists()
    no_growth = subprocess.run([sys.executable, "bench/run.py", "--growth", "--sizes", "40"], cwd=REPO, capture_output=True, text=True)
    assert no_growth.returncode == 2 and "--growth needs at least two sizes" in no_growth.stderr


def test_the_growth_mode_gives_the_growth_budgets_verdict(tmp_path: Path, monkeypatch, capsys) -> None:
    from bench import run

    def rounds(sizes, out, jobs, seed, count, disk_wait):
        assert sizes == [13_250, 50_000] and count == 2
        return {13_250: [measured(20.0), measured(30.0)], 50_000: [measured(90.0), measured(114.0)]}

    monkeypatch.setattr(run, "cold_rounds", rounds)
    assert run.main(["--growth", "--sizes", "50000,13250", "--repeat", "2", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "   budget: the cold build at 50,000 provisions <= x4 the one at 13,250: x4.15, NOT met" in printed


@pytest.mark.slow
def test_the_preview_is_measured_with_its_server_running_as_serve_runs_it(tmp_path: Path) -> None:
    """`serve` rebuilds while its server thread runs, so in its own process (no fork), each rebuild collecting the
    last one's leftovers first: the benchmark measures that."""
    from bench import corpus

    corpus.generate(40, tmp_path / "kb", jobs=1)
    probe = ("import json, sys, threading\n"
             "from atlas import parallel\n"
             "from bench import run\n"
             "seen = []\n"
             "counted = parallel.worker_count\n"
             "def worker_count(*args):\n"
             "    seen.append(threading.active_count())\n"
             "    return counted(*args)\n"
             "parallel.worker_count = worker_count\n"
             "from atlas.serve import IdleCollection\n"
             "owed = IdleCollection.owed\n"
             "IdleCollection.owed = lambda self: seen.append('collected') if owed(self) else None\n"
             "run.child_preview(run.Path(sys.argv[1]), run.Path(sys.argv[2]), edits=2)\n"
             "print(json.dumps(seen))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "kb"), str(tmp_path / "site")], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    figures, threads = (json.loads(line) for line in done.stdout.strip().splitlines()[-2:])
    assert len(figures["rebuild"]) == 2
    # The stages that may fork (parsing, rendering) ask how many workers to use: the first build alone, before
    # the server starts, may fork; every rebuild after an edit runs beside the server's thread, once the last
    # build's garbage is collected.
    assert len(threads) == 8 and threads[:3] == [1, 1, "collected"] and threads[5] == "collected"
    assert all(count > 1 for count in threads[3:5] + threads[6:])
