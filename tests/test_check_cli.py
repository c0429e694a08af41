"""`build.py check --format github` (annotations, step summary) and `--changed` against a real git repository."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.changed import problems_in
from atlas.problems import Problem, format_github
from atlas.summary import cell, markdown_summary
from conftest import BASIC, REPO, copy_kb, edit

EVIL_KEY = "evil|<b>bold</b>\n::set-output name=x::owned %0A [link](https://example.com) @someone"
ANNOTATION = re.compile(r"^::(error|warning) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    """GitHub's reading of an escaped annotation message."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the CI variables of a real run, and git isolated from the user's configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="t@example.org")
    env.update(extra)
    return env


def check(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", *args], cwd=cwd, capture_output=True,
                          text=True, env=env or clean_env(), timeout=300)


def annotations(stdout: str) -> list[dict[str, str]]:
    """Each annotation line as {kind, file, line, col, title, message}; fails on any other line."""
    found = []
    for line in stdout.splitlines():
        match = ANNOTATION.match(line)
        assert match, f"not an annotation: {line!r}"
        props = dict(part.split("=", 1) for part in match["props"].split(","))
        found.append({"kind": match[1], **{k: unescape(v) for k, v in props.items()}, "message": unescape(match["message"])})
    return found


def break_record(path: Path) -> None:
    """Add a field no schema allows (an unknown-field error at that record)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("colour: blue\n")


# ----------------------------------------------------------------------------- annotation format


def test_annotation_escapes_newlines_percent_and_property_separators() -> None:
    problem = Problem("content/a,b:c/x.yaml", 3, 7, "schema", "line one\n::set-output name=x::y\r%0A done")
    line = format_github(problem)
    assert "\n" not in line and "\r" not in line
    match = ANNOTATION.match(line)
    assert match and match[1] == "error"
    assert match["props"] == "file=content/a%2Cb%3Ac/x.yaml,line=3,col=7,title=error[schema]"
    shown = unescape(match["message"])  # what GitHub shows: the whole text, in one annotation
    assert shown.startswith("line one") and shown.endswith("::set-output name=x::y\\u000d%0A done")
    assert "\n" not in shown and "\r" not in shown  # control characters are shown as \\uXXXX, never acted on
    assert "%250A" in match["message"]  # a literal "%0A" in the text is not read as a newline


def test_warning_annotation() -> None:
    assert format_github(Problem("data/site.yaml", 1, 1, "not-reviewed", "w", "warning")).startswith("::warning file=data/site.yaml,")


# ----------------------------------------------------------------------------- step summary


def test_summary_cell_cannot_break_the_table_or_inject_html() -> None:
    text = cell(EVIL_KEY + "\r\n`code` *em* \\| <img src=x onerror=alert(1)>")
    assert "\n" not in text and "\r" not in text
    for char in "|<>`*[]()@\\":
        assert char not in text, char
    assert "&#124;" in text and "&#60;" in text


def test_summary_lists_every_problem_in_a_table() -> None:
    problems = [Problem("content/a/platform.yaml", 2, 1, "schema", EVIL_KEY),
                Problem("content/b/platform.yaml", 5, 3, "not-reviewed", "not reviewed", "warning")]
    text = markdown_summary(problems, checked=10, scope="origin/main", hidden=4)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(problems)  # header, rule, one row each
    assert all(line.count("|") == 6 for line in rows), rows  # five cells: the message never adds one
    assert "1 error, 1 warning" in text and "4 problems in other files not shown" in text
    assert "<" not in text and "::set-output" not in text


def test_check_github_format_annotates_and_writes_the_step_summary(tmp_path: Path) -> None:
    kb = copy_kb(BASIC, tmp_path / "kb")
    with open(kb / "content/alpha/platform.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"{json.dumps(EVIL_KEY)}: 1\n")  # a double-quoted YAML key (JSON is YAML)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    done = check("--root", str(kb), "--format", "github", env=clean_env(GITHUB_STEP_SUMMARY=str(summary)), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    found = annotations(done.stdout)  # every stdout line is an annotation: no injected workflow command
    evil = [a for a in found if "evil" in a["message"]]
    assert len(evil) == 1
    assert evil[0]["file"] == "kb/content/alpha/platform.yaml"  # relative to the working directory (the checkout)
    assert evil[0]["kind"] == "error" and evil[0]["title"] == "error[unknown-field]"
    assert "::set-output name=x::owned %0A [link]" in evil[0]["message"]
    assert not any(line.startswith("::set-output") for line in done.stdout.splitlines())

    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Governance Atlas check")  # appended, never overwritten
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(found)
    assert all(row.count("|") == 6 for row in rows)
    assert "<b>" not in text and "::set-output" not in text


def test_build_github_format_annotates_and_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    """The deploy workflow builds once, with annotations: a broken record fails it with the same annotation a
    check gives, and the site built before stays as it was; a good build prints annotations only (its warnings)."""
    kb = copy_kb(BASIC, tmp_path / "kb")
    site = tmp_path / "site"
    summary = tmp_path / "summary.md"
    env = clean_env(GITHUB_STEP_SUMMARY=str(summary))

    def build_cli() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(kb), "--out", str(site),
                               "--no-search", "--format", "github"], cwd=tmp_path, capture_output=True, text=True,
                              env=env, timeout=300)

    good = build_cli()
    assert good.returncode == 0, good.stderr
    assert all(a["kind"] == "warning" for a in annotations(good.stdout))  # stdout: annotations and nothing else
    assert "built " in good.stderr
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # The summary states the site's size, where maintainers follow it from deploy to deploy.
    megabytes = sum(len(data) for data in before.values()) / 1e6
    assert f"**Site**: {len(before)} files, {megabytes:.1f} MB: under 1 % of the 1,000 MB GitHub Pages publishes." \
        in summary.read_text(encoding="utf-8")

    break_record(kb / "content/alpha/platform.yaml")
    bad = build_cli()
    assert bad.returncode == 1
    errors = [a for a in annotations(bad.stdout) if a["kind"] == "error"]
    assert [(a["file"], a["title"]) for a in errors] == [("kb/content/alpha/platform.yaml", "error[unknown-field]")]
    assert "was left as it was" in bad.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert summary.read_text(encoding="utf-8").count("## Governance Atlas check") == 2
    assert summary.read_text(encoding="utf-8").count("**Site**") == 1  # a failed build has no site to measure


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`build.py check --format github | head -1`: the annotations stop where the reader stopped, without a traceback."""
    kb = copy_kb(BASIC, tmp_path / "kb")
    break_record(kb / "content/alpha/platform.yaml")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "check", "--root", str(kb), "--format", "github"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
    process.stdout.close()  # before the check has printed anything
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=300) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_check_text_format_writes_no_annotations(tmp_path: Path) -> None:
    kb = copy_kb(BASIC, tmp_path / "kb")
    break_record(kb / "content/alpha/platform.yaml")
    done = check("--root", str(kb), env=clean_env(GITHUB_STEP_SUMMARY=str(tmp_path / "s.md")))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "content/alpha/platform.yaml:" in done.stderr and "error[unknown-field]" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("checked the records (the pages are rendered once they have no error): ")
    assert not (tmp_path / "s.md").exists()


def test_a_clean_check_counts_the_files_it_rendered(tmp_path: Path) -> None:
    done = check("--root", str(copy_kb(BASIC, tmp_path / "kb")))
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"checked \d+ files: 0 error\(s\), \d+ warning\(s\)", done.stderr.splitlines()[-1])


# ----------------------------------------------------------------------------- --changed


def test_problems_in_keeps_the_changed_files_and_their_folders() -> None:
    problems = [Problem("content/a/platform.yaml", 1, 1, "x", "a"), Problem("content/b/platform.yaml", 1, 1, "x", "b"),
                Problem("content/a", 1, 1, "x", "folder"), Problem("site", 1, 1, "x", "site")]
    kept = problems_in(problems, {"content/a/platform.yaml", "data/site.yaml"})
    assert [p.message for p in kept] == ["a", "folder"]
    assert problems_in(problems, set()) == []


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=clean_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the fixture in kb/, committed on main with gamma's record broken."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    copy_kb(BASIC, root / "kb")
    break_record(root / "kb/content/gamma/policy/customer-content.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    return root


def annotated_files(stdout: str) -> set[str]:
    return {a["file"] for a in annotations(stdout)}


def test_changed_reports_only_the_changed_files(repo: Path, tmp_path: Path) -> None:
    kb = repo / "kb"
    git(repo, "checkout", "-q", "-b", "feature")
    break_record(kb / "content/alpha/platform.yaml")  # committed on the branch
    git(repo, "commit", "-q", "-am", "change alpha")
    edit(kb / "content/beta/policy/minors.yaml", "severity:", "severity: extreme\nold_severity:")  # uncommitted
    (kb / "content/delta").mkdir()
    (kb / "content/delta/platform.yaml").write_text("name: Delta\n", encoding="utf-8")  # untracked
    summary = tmp_path / "summary.md"

    full = check("--root", "kb", "--format", "github", cwd=repo)
    assert "kb/content/gamma/policy/customer-content.yaml" in annotated_files(full.stdout)

    done = check("--root", "kb", "--format", "github", "--changed", "main", cwd=repo,
                 env=clean_env(GITHUB_STEP_SUMMARY=str(summary)))
    assert done.returncode == 1, done.stderr
    assert annotated_files(done.stdout) == {"kb/content/alpha/platform.yaml", "kb/content/beta/policy/minors.yaml",
                                            "kb/content/delta/platform.yaml"}
    assert "changed against main" in done.stderr and "in other files not shown" in done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "gamma" not in text and "in other files not shown" in text


def test_changed_passes_when_only_unchanged_files_are_broken(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo / "kb/content/alpha/platform.yaml", "Alpha AI offers", "Alpha AI sells")
    assert check("--root", "kb", cwd=repo).returncode == 1  # the whole check still sees gamma
    done = check("--root", "kb", "--changed", "main", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "0 error(s)" in done.stderr and "1 problem(s) in other files not shown" in done.stderr


def test_changed_defaults_to_origin_main_then_main(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    assert "changed against main" in check("--root", "kb", "--changed", cwd=repo).stderr
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    done = check("--root", "kb", "--changed", cwd=repo)
    assert "changed against origin/main" in done.stderr and done.returncode == 0


def test_changed_explains_an_unknown_base_without_a_traceback(repo: Path) -> None:
    done = check("--root", "kb", "--changed", "no-such-branch", cwd=repo)
    assert done.returncode == 2
    assert "unknown base 'no-such-branch'" in done.stderr and "Traceback" not in done.stderr


def test_changed_outside_a_repository_or_without_git(tmp_path: Path) -> None:
    kb = copy_kb(BASIC, tmp_path / "kb")
    env = clean_env(GIT_CEILING_DIRECTORIES=str(tmp_path))
    done = check("--root", str(kb), "--changed", env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "check --changed:" in done.stderr
    no_git = tmp_path / "empty-bin"
    no_git.mkdir()
    done = check("--root", str(kb), "--changed", env=clean_env(PATH=str(no_git)))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "needs git" in done.stderr
