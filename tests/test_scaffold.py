"""`build.py new`: scaffolded records fail the check with placeholder errors, then pass once filled."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from atlas.scaffold import ScaffoldError, plan_provision, schema_line
from atlas.validate import SCHEMA_DIR
from conftest import REPO

SNAPSHOT = "Delta Terms\n\nYou must not use Delta to harm children in any way.\n"

# What a contributor writes in place of each placeholder, by field path.
PLATFORM = {"name": "Delta AI", "website": "https://delta.example.com",
            "description": "Delta AI offers a chat assistant."}
DOCUMENT = {"title": "Delta Terms", "kind": "terms-of-service", "url": "https://delta.example.com/terms",
            "versions.0.captured": "2026-03-01", "versions.0.snapshot": "snapshots/2026-03-01.txt",
            "versions.0.sha256": hashlib.sha256(SNAPSHOT.encode()).hexdigest()}
PROVISION = {"title": "No harm to children", "clause_type": "child-safety", "position": "prohibited", "severity": "high",
             "summary": "Bans using Delta to harm children.",
             "excerpt.text": "You must not use Delta to harm children in any way.", "excerpt.status": "verbatim",
             "why_it_matters": "It is a **hard** line.", "consumer_impact": "Accounts are closed.", "confidence": "high",
             "compliance.regulatory_landscape": "Laws apply.", "compliance.governance_exposure.level": "high",
             "compliance.governance_exposure.text": "High.", "compliance.jurisdiction_flags.text": "Everywhere.",
             "compliance.contract_implications": "Flow down.", "compliance.compliance_considerations": "Monitor.",
             "first_seen": "2026-03-01", "last_verified": "2026-03-02", "authorship.author": "A. Writer",
             "authorship.written": "2026-03-02", "authorship.ai_assisted": False}


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def placeholders(value: Any, path: str = "") -> dict[str, str]:
    """Every "TODO..." text in parsed YAML, by dotted path."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in placeholders(item, f"{path}{key}.").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in placeholders(item, f"{path}{i}.").items()}
    return {path[:-1]: value} if isinstance(value, str) and value.startswith("TODO") else {}


def fill(record: Path, values: dict[str, Any]) -> None:
    """Replace the placeholders as a contributor would; the schema line stays on top."""
    text = record.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    todo = placeholders(data)
    assert set(todo) <= set(values), f"no test value for {sorted(set(todo) - set(values))}"
    for dotted in todo:
        *parents, last = [int(k) if k.isdigit() else k for k in dotted.split(".")]
        target = data
        for key in parents:
            target = target[key]
        target[last] = values[dotted]
    record.write_text(text.split("\n", 1)[0] + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def problem_lines(stderr: str, path: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(path + ":")]


def assert_placeholders_reported(kb: Path, relative: str) -> None:
    """The check fails, and every problem of the new file is a placeholder, one per TODO."""
    done = run("check", "--root", str(kb))
    assert done.returncode == 1
    lines = problem_lines(done.stderr, relative)
    todo = placeholders(yaml.safe_load((kb / relative).read_text(encoding="utf-8")))
    assert lines and len(lines) == len(todo), done.stderr
    assert all("error[placeholder]: replace the TODO placeholder in " in line for line in lines), lines


def test_new_platform_document_provision_fail_until_filled_then_pass(kb: Path) -> None:
    created = run("new", "platform", "delta", "--root", str(kb))
    assert created.returncode == 0, created.stderr
    platform = kb / "content/delta/platform.yaml"
    assert "created content/delta/platform.yaml" in created.stdout
    assert "content/delta/platform.yaml:4: name: The platform's name" in created.stdout  # what to fill in, and where
    assert_placeholders_reported(kb, "content/delta/platform.yaml")
    fill(platform, PLATFORM)

    created = run("new", "document", "delta/terms", "--root", str(kb))
    assert created.returncode == 0, created.stderr
    assert "sha256sum" in created.stdout and "snapshots/" in created.stdout
    document = kb / "content/delta/terms/document.yaml"
    assert_placeholders_reported(kb, "content/delta/terms/document.yaml")
    (document.parent / "snapshots").mkdir()
    (document.parent / "snapshots/2026-03-01.txt").write_text(SNAPSHOT, encoding="utf-8")
    fill(document, DOCUMENT)

    created = run("new", "provision", "delta/terms/child-harm", "--clause-type", "child-safety", "--root", str(kb))
    assert created.returncode == 0, created.stderr
    provision = kb / "content/delta/terms/child-harm.yaml"
    text = provision.read_text(encoding="utf-8")
    assert "\nclause_type: child-safety\n" in text
    assert "\nposition: prohibited  # one of: prohibited, restricted\n" in text  # the first position, and the choices
    assert_placeholders_reported(kb, "content/delta/terms/child-harm.yaml")
    fill(provision, PROVISION)

    done = run("check", "--root", str(kb))
    assert done.returncode == 0, done.stderr
    assert "error[" not in done.stderr  # a warning says the new provision awaits review, which is right


def test_new_provision_without_clause_type_leaves_both_to_fill(kb: Path) -> None:
    created = run("new", "provision", "alpha/policy/extra", "--root", str(kb))
    assert created.returncode == 0, created.stderr
    record = kb / "content/alpha/policy/extra.yaml"
    text = record.read_text(encoding="utf-8")
    assert "# clause_type is one of: child-safety, training-on-inputs" in text
    todo = placeholders(yaml.safe_load(text))
    assert {"clause_type", "position", "severity", "authorship.ai_assisted"} <= set(todo)
    assert_placeholders_reported(kb, "content/alpha/policy/extra.yaml")
    snapshot = (kb / "content/alpha/policy/snapshots/2026-04-01.txt").read_text(encoding="utf-8")
    quote = "We do not train our models on your inputs unless you opt in."
    assert quote in snapshot
    fill(record, {**PROVISION, "clause_type": "training-on-inputs", "position": "opt-out", "excerpt.text": quote})
    done = run("check", "--root", str(kb))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("kind, relative", [("platform", "content/alpha/platform.yaml"),
                                            ("document", "content/alpha/policy/document.yaml"),
                                            ("provision", "content/alpha/policy/child-safety.yaml")])
def test_schema_line_points_at_the_generators_schema(kind: str, relative: str, tmp_path: Path) -> None:
    for record in (REPO / "tests/fixtures/basic" / relative, tmp_path / relative):
        line = schema_line(record, kind)
        assert line.startswith("# yaml-language-server: $schema=")
        target = line.split("=", 1)[1]
        assert not target.startswith("/")
        assert (record.parent / target).resolve() == (SCHEMA_DIR / f"{kind}.schema.json").resolve()


def test_schema_line_of_a_scaffold_matches_the_fixtures_own(kb: Path) -> None:
    assert run("new", "provision", "alpha/policy/extra", "--root", str(kb)).returncode == 0
    line = (kb / "content/alpha/policy/extra.yaml").read_text(encoding="utf-8").split("\n", 1)[0]
    assert line == schema_line(kb / "content/alpha/policy/extra.yaml", "provision")


def test_new_refuses_to_overwrite(kb: Path) -> None:
    record = kb / "content/alpha/platform.yaml"
    before = record.read_bytes()
    done = run("new", "platform", "alpha", "--root", str(kb))
    assert done.returncode == 2 and "already exists" in done.stderr
    assert record.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (("platform", "Delta_AI"), "is not a valid platform ID"),
    (("platform", "delta-"), "is not a valid platform ID"),
    (("platform", "snapshots"), "reserved name"),
    (("platform", "analyses"), "cross-platform analyses"),
    (("document", "delta"), "should look like PLATFORM/DOCUMENT"),
    (("document", "nobody/terms"), "no platform 'nobody'"),
    (("document", "alpha/Terms"), "is not a valid document ID"),
    (("provision", "alpha/nothing/x"), "no document 'alpha/nothing'"),
    (("provision", "alpha/policy/document"), "the document's own record"),
    (("provision", "alpha/policy"), "should look like PLATFORM/DOCUMENT/PROVISION"),
    (("provision", "alpha/policy/x", "--clause-type", "no-such-type"), "unknown clause type 'no-such-type'"),
])
def test_new_explains_what_it_refuses(kb: Path, args: tuple[str, ...], message: str) -> None:
    before = sorted(p.relative_to(kb) for p in kb.rglob("*"))
    done = run("new", *args, "--root", str(kb))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.relative_to(kb) for p in kb.rglob("*")) == before  # nothing written


def test_unknown_clause_type_lists_the_known_ones(kb: Path) -> None:
    with pytest.raises(ScaffoldError, match="child-safety, training-on-inputs"):
        plan_provision(kb, "alpha", "policy", "x", "nope")
