"""One broken knowledge base per problem kind: each gives the exact `path:line:col: error[code]: message`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from atlas.yamlsafe import parse_yaml
from conftest import REPO, edit, messages, run_build

PROVISION = "content/alpha/policy/child-safety.yaml"


def only_errors(kb: Path) -> list[str]:
    result = run_build(kb)
    assert not result.ok
    return [m for m in messages(result) if ": error[" in m]


def test_yaml_syntax_error_points_at_the_line(kb: Path) -> None:
    edit(kb / PROVISION, "severity: high", "severity: [high")
    assert only_errors(kb) == [
        f"{PROVISION}:6:8: error[yaml-syntax]: while parsing a flow sequence (started at line 5, column 11) did not find expected ',' or ']'"]


def test_a_colon_in_unquoted_text_says_to_quote_it(kb: Path) -> None:
    edit(kb / PROVISION, "summary: Summary of Child safety ban at alpha.", "summary: Note: the ban is absolute.")
    assert only_errors(kb) == [
        f"{PROVISION}:6:14: error[yaml-syntax]: mapping values are not allowed in this context; "
        "text holding ': ' must be in quotes, or else this line is not indented like the keys above it"]


@pytest.mark.parametrize(("text", "hint"), [
    ("a: x\n\tb: y", "indent with spaces: YAML does not allow tabs"),
    ("a:\n\tb: y", "indent with spaces: YAML does not allow tabs"),
    ("a: @handle", "text that starts with @ or ` must be in quotes"),
    ("a: `code`", "text that starts with @ or ` must be in quotes"),
    ("a: 'it''s\n", "a quotation mark is not closed (in single quotes, write an apostrophe as '')"),
    ("a: 'it's'", "this line is not indented like the keys above it, or text goes on after a closing quotation mark"),
    ("a:\n  b: 1\n c: 2", "this line is not indented like the keys above it, or text goes on after a closing quotation mark"),
    ("a: x\nmore text\nb: y", "each line of a mapping is 'key: value', and text that goes on from the line above must be indented under it"),
    ("a: [x, y", ""),  # libyaml's own words say it: "did not find expected ',' or ']'"
])
def test_common_yaml_mistakes_say_what_to_do(text: str, hint: str) -> None:
    (problem,) = parse_yaml(text).problems
    assert problem[2] == "yaml-syntax"
    assert problem[3].endswith(f"; {hint}") if hint else ";" not in problem[3]


def test_unknown_field_suggests_the_right_one(kb: Path) -> None:
    edit(kb / PROVISION, "summary:", "sumary:")
    assert only_errors(kb) == [
        f"{PROVISION}:2:1: error[missing-field]: missing required field 'summary' in the record",
        f"{PROVISION}:6:1: error[unknown-field]: unknown field 'sumary' in the record; did you mean 'summary'?",
    ]


def test_wrong_type_and_enum(kb: Path) -> None:
    edit(kb / PROVISION, "severity: high", "severity: extreme")
    edit(kb / PROVISION, "confidence: high", "confidence: 3")
    assert only_errors(kb) == [
        f"{PROVISION}:5:1: error[schema]: severity is 'extreme', which is not one of: high, medium, low",
        f"{PROVISION}:13:1: error[schema]: confidence must be text, not the number 3 (put it in quotes)",
    ]


def test_unknown_clause_type_position_regulation_article_jurisdiction(kb: Path) -> None:
    edit(kb / PROVISION, "clause_type: child-safety", "clause_type: child-saftey")
    edit(kb / PROVISION, "regulation: coppa", "regulation: copa")
    edit(kb / PROVISION, "articles: [art-5]", "articles: [art-99]")
    edit(kb / PROVISION, "jurisdictions: [eu]", "jurisdictions: [mars]")
    assert only_errors(kb) == [
        f"{PROVISION}:3:1: error[unknown-clause-type]: unknown clause type 'child-saftey'; did you mean 'child-safety'?",
        f"{PROVISION}:17:40: error[unknown-jurisdiction]: unknown jurisdiction 'mars'; add it to data/jurisdictions.yaml first",
        f"{PROVISION}:22:16: error[unknown-article]: unknown article 'art-99'; did you mean 'art-5'?",
        f"{PROVISION}:24:5: error[unknown-regulation]: unknown regulation 'copa'; did you mean 'coppa'?",
    ]


def test_unknown_position_lists_the_clause_types_positions(kb: Path) -> None:
    edit(kb / PROVISION, "position: prohibited", "position: banned")
    assert only_errors(kb) == [
        f"{PROVISION}:4:1: error[unknown-position]: unknown position 'banned'; add it to the positions of clause type 'child-safety' in data/clause-types.yaml first"]


def test_document_without_platform(kb: Path) -> None:
    (kb / "content/gamma/platform.yaml").unlink()
    assert only_errors(kb) == [
        "content/gamma/policy/customer-content.yaml:2:1: error[missing-document]: no record content/gamma/platform.yaml for this provision",
        "content/gamma/policy/document.yaml:2:1: error[missing-platform]: no platform record content/gamma/platform.yaml for this document",
    ]


def test_duplicate_vocabulary_id(kb: Path) -> None:
    edit(kb / "data/clause-types.yaml", "  - id: training-on-inputs", "  - id: child-safety")
    errors = only_errors(kb)
    assert "data/clause-types.yaml:12:5: error[duplicate-id]: duplicate clause type ID 'child-safety'" in errors


def test_ids_must_be_slugs(kb: Path) -> None:
    (kb / "content/alpha/policy/training.yaml").rename(kb / "content/alpha/policy/Training_Data.yaml")
    assert only_errors(kb) == [
        "content/alpha/policy/Training_Data.yaml:1:1: error[bad-id]: 'Training_Data' is not a valid ID: use lowercase letters a-z, digits and single hyphens (the file or folder name is the ID)"]


def test_dates_in_the_wrong_order(kb: Path) -> None:
    edit(kb / PROVISION, "last_verified: 2026-04-20", "last_verified: 2026-01-01")
    errors = only_errors(kb)
    assert f"{PROVISION}:28:1: error[date-order]: last_verified 2026-01-01 is before first_seen 2026-01-10" in errors
    assert f"{PROVISION}:31:5: error[date-order]: change detected 2026-02-15 after the provision was last verified (2026-01-01)" in errors


def test_impossible_date(kb: Path) -> None:
    edit(kb / PROVISION, "first_seen: 2026-01-10", "first_seen: 2026-02-30")
    assert f"{PROVISION}:27:1: error[bad-date]: first_seen '2026-02-30' is not a real date" in only_errors(kb)


def test_every_problem_in_one_run(kb: Path) -> None:
    edit(kb / PROVISION, "severity: high", "severity: extreme")
    edit(kb / "content/beta/policy/minors.yaml", "clause_type: child-safety", "clause_type: nope")
    edit(kb / "data/regulations.yaml", "jurisdiction: us", "jurisdiction: usa")
    files = {m.split(":")[0] for m in only_errors(kb)}
    assert files == {PROVISION, "content/beta/policy/minors.yaml", "data/regulations.yaml"}


def test_a_record_that_fails_its_schema_still_has_its_references_checked(kb: Path) -> None:
    """A misspelt field and a misspelt clause type, category, article or jurisdiction: all in the first run."""
    edit(kb / PROVISION, "severity: high", "severty: high")
    edit(kb / PROVISION, "clause_type: child-safety", "clause_type: child-saftey")
    edit(kb / PROVISION, "articles: [art-5]", "articles: [art-55]")
    edit(kb / PROVISION, "jurisdiction_flags: {jurisdictions: [eu]", "jurisdiction_flags: {jurisdictions: [euu]")
    assert only_errors(kb) == [
        f"{PROVISION}:2:1: error[missing-field]: missing required field 'severity' in the record",
        f"{PROVISION}:3:1: error[unknown-clause-type]: unknown clause type 'child-saftey'; did you mean 'child-safety'?",
        f"{PROVISION}:5:1: error[unknown-field]: unknown field 'severty' in the record; did you mean 'severity'?",
        f"{PROVISION}:17:40: error[unknown-jurisdiction]: unknown jurisdiction 'euu'; did you mean 'eu'?",
        f"{PROVISION}:22:16: error[unknown-article]: unknown article 'art-55'; did you mean 'art-5'?",
    ]


def test_a_reference_of_the_wrong_type_is_left_to_the_schema(kb: Path) -> None:
    edit(kb / PROVISION, "clause_type: child-safety", "clause_type: [child-safety]")
    edit(kb / PROVISION, "articles: [art-5]", "articles: [{a: 1}]")
    errors = only_errors(kb)
    assert [e.split(": error[")[1].split("]")[0] for e in errors] == ["schema", "schema"], errors


def test_cli_reports_without_traceback_and_keeps_the_previous_site(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    ok = subprocess.run([sys.executable, "build.py", "--root", str(kb), "--out", str(out), "--no-search"],
                        cwd=REPO, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(kb / PROVISION, "title: Child safety ban", "title: [broken")
    edit(kb / "content/beta/policy/minors.yaml", "title: Minors protection", "title: Changed title")
    bad = subprocess.run([sys.executable, "build.py", "--root", str(kb), "--out", str(out), "--no-search"],
                         cwd=REPO, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert f"{PROVISION}:" in bad.stderr and "error[yaml-syntax]" in bad.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    check = subprocess.run([sys.executable, "build.py", "check", "--root", str(kb)], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 1 and "error[yaml-syntax]" in check.stderr


def test_a_duplicate_regulation_id_is_one_error_not_a_cascade(kb: Path) -> None:
    # The second 'coppa' has none of the first one's articles; the provisions citing them must not be blamed.
    path = kb / "data/regulations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "  - id: coppa\n    name: COPPA again\n    full_name: Again\n    jurisdiction: us\n"
        "    url: https://example.org/coppa\n    description: A second entry.\n    articles: []\n"), encoding="utf-8")
    errors = [m for m in messages(run_build(kb)) if "error[" in m]
    assert len(errors) == 1 and "error[duplicate-id]: duplicate regulation ID 'coppa'" in errors[0], errors
