"""Hostile contributions, one class per test: each gives a clean `path:line:col: error[code]` or safe, well-formed
output; never a traceback, a hang, a file outside the output folder, or script in a page, feed, JSON, CSV or citation."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import atlas.incremental
import atlas.output
import atlas.pages
import atlas.pipeline
from atlas.output import unsafe_output_path, write_site
from atlas.pages.base import Page
from conftest import REPO, edit, messages, run_build, soup

PLATFORM = "content/alpha/platform.yaml"
PROVISION = "content/alpha/policy/child-safety.yaml"
ANALYSIS_MD = "content/alpha/policy/child-safety.md"


def errors(kb: Path) -> list[str]:
    """The error lines of checking a knowledge base (nothing written)."""
    result = run_build(kb)
    assert not result.ok, "expected the check to fail"
    return [line for line in messages(result) if ": error[" in line]


def codes(kb: Path) -> set[str]:
    """The `path:line:col: error[code]` heads of the errors, without messages."""
    return {line.split("]:")[0] + "]" for line in errors(kb)}


def cli_check(kb: Path) -> subprocess.CompletedProcess:
    """`python build.py check --root kb` as a reader runs it: it fails cleanly, never with a traceback."""
    done = subprocess.run([sys.executable, "build.py", "check", "--root", str(kb)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    for line in done.stderr.splitlines()[:-1]:  # every line but the summary is one problem
        assert re.match(r"^[^:]+:\d+:\d+: (error|warning)\[[a-z0-9-]+\]: ", line), line
    return done


def write(kb: Path, rel: str, data: bytes | str) -> Path:
    path = kb / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- YAML: aliases, duplicate keys, tags, YAML 1.1 surprises, keys, documents --------------------------------

BILLION_LAUGHS = """name: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
website: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
description: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
aliases: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
operator: [*d, *d, *d, *d, *d, *d, *d, *d, *d]
"""


def test_alias_bomb_is_refused_without_expanding(kb: Path) -> None:
    write(kb, PLATFORM, BILLION_LAUGHS)
    found = errors(kb)
    assert f"{PLATFORM}:1:7: error[yaml-anchor]: anchors (&name) are not allowed; write the value out" in found
    assert f"{PLATFORM}:2:14: error[yaml-alias]: aliases (*name) are not allowed; write the value out" in found
    assert f"{PLATFORM}:5:44: error[yaml-alias]: aliases (*name) are not allowed; write the value out" in found
    assert sum("error[yaml-alias]" in line for line in found) == 9 * 4  # one per alias written, none expanded
    done = cli_check(kb)
    assert "error[yaml-alias]" in done.stderr


def test_recursive_alias_is_refused(kb: Path) -> None:
    edit(kb / PLATFORM, "description: Alpha AI offers language models through an API.", "description: &x [*x]")
    assert codes(kb) >= {f"{PLATFORM}:4:14: error[yaml-anchor]", f"{PLATFORM}:4:18: error[yaml-alias]"}


def test_merge_key_is_an_unknown_field_not_a_merge(kb: Path) -> None:
    edit(kb / PLATFORM, "headquarters: us", "<<: {name: Evil}")
    assert errors(kb) == [f"{PLATFORM}:5:1: error[unknown-field]: unknown field '<<' in the record; allowed: aliases, "
                          "description, headquarters, name, operator, website"]


def test_duplicate_keys(kb: Path) -> None:
    edit(kb / PROVISION, "severity: high", "severity: high\ntitle: A second title")
    assert errors(kb) == [f"{PROVISION}:6:1: error[yaml-duplicate-key]: duplicate key 'title' (first at line 2)"]


@pytest.mark.parametrize("tagged, tag", [
    ("!!python/object/apply:os.system ['touch {marker}']", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("!!python/name:os.system", "tag:yaml.org,2002:python/name:os.system"),
    ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
    ("!custom value", "!custom"),
    ("!!int '3'", "tag:yaml.org,2002:int"),
])
def test_tags_are_refused_and_never_run(kb: Path, tmp_path: Path, tagged: str, tag: str) -> None:
    marker = tmp_path / "pwned"
    edit(kb / PROVISION, "title: Child safety ban", "title: " + tagged.format(marker=marker))
    [line] = [e for e in errors(kb) if "yaml-tag" in e]
    assert line == f"{PROVISION}:2:8: error[yaml-tag]: tags like '{tag}' are not allowed"
    assert not marker.exists()


def test_yaml_11_surprises_stay_text(kb: Path, tmp_path: Path) -> None:
    # In YAML 1.1 "NO" is false, "on" is true and 1.10 is 1.1; here NO and on stay the text written.
    edit(kb / PROVISION, "title: Child safety ban", "title: NO")
    edit(kb / PROVISION, "summary: Summary of Child safety ban at alpha.", "summary: on")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "platforms/alpha/policy/child-safety/")
    assert page.h1.get_text(strip=True) == "NO"
    data = json.loads((out / "api/v1/provisions/alpha/policy/child-safety.json").read_text(encoding="utf-8"))
    assert data["title"] == "NO" and data["summary"] == "on"


def test_yaml_numbers_and_booleans_where_text_is_expected(kb: Path) -> None:
    edit(kb / PROVISION, "title: Child safety ban", "title: 1.10")
    edit(kb / PROVISION, "confidence: high", "confidence: yes")  # YAML 1.2: the text "yes", not an enum value
    edit(kb / PROVISION, "  ai_assisted: false", "  ai_assisted: no")  # YAML 1.2: "no" is text, not false
    assert errors(kb) == [
        f"{PROVISION}:2:1: error[schema]: title must be text, not the number 1.1 (put it in quotes)",
        f"{PROVISION}:13:1: error[schema]: confidence is 'yes', which is not one of: high, medium, low",
        f"{PROVISION}:43:3: error[schema]: authorship.ai_assisted must be true or false, not text",
    ]


def test_impossible_dates(kb: Path) -> None:
    edit(kb / PROVISION, "detected: 2026-02-15", "detected: 2026-02-30")
    edit(kb / PROVISION, "written: 2026-01-10", "written: 2026-13-01")
    assert errors(kb) == [f"{PROVISION}:31:5: error[bad-date]: changes.0.detected '2026-02-30' is not a real date",
                          f"{PROVISION}:41:3: error[bad-date]: authorship.written '2026-13-01' is not a real date"]


def test_an_impossible_date_is_reported_with_the_records_other_problems(kb: Path) -> None:
    """One run says everything: the date is not left for a second run once the schema problems are fixed."""
    edit(kb / PROVISION, "severity: high", "severty: high")
    edit(kb / PROVISION, "last_verified: 2026-04-20", "last_verified: 2026-13-20")
    assert errors(kb) == [f"{PROVISION}:2:1: error[missing-field]: missing required field 'severity' in the record",
                          f"{PROVISION}:5:1: error[unknown-field]: unknown field 'severty' in the record; did you mean 'severity'?",
                          f"{PROVISION}:28:1: error[bad-date]: last_verified '2026-13-20' is not a real date"]


def test_a_date_that_is_not_real_is_not_compared_with_others(kb: Path) -> None:
    """Year 0 fits the schema's calendar pattern but is no date: its problem is reported, not a date order it implies."""
    edit(kb / PROVISION, "last_verified: 2026-04-20", "last_verified: 0000-04-20")
    assert errors(kb) == [f"{PROVISION}:28:1: error[bad-date]: last_verified '0000-04-20' is not a real date"]


def test_huge_integer_is_a_problem_not_a_crash(kb: Path) -> None:
    edit(kb / PROVISION, "title: Child safety ban", "title: " + "9" * 5000)
    assert f"{PROVISION}:2:8: error[yaml-number]: a number of more than 1000 digits; put it in quotes if it is text" in errors(kb)


@pytest.mark.parametrize("key, column", [("1", 1), ("null", 1), ("true", 1), ("? [a, b]", 3), ("? {a: b}", 3)])
def test_non_text_keys(kb: Path, key: str, column: int) -> None:
    text = (kb / PLATFORM).read_text(encoding="utf-8")
    write(kb, PLATFORM, text + (f"{key}\n: x\n" if key.startswith("?") else f"{key}: x\n"))
    [line] = errors(kb)
    assert line.startswith(f"{PLATFORM}:6:{column}: error[yaml-key]: keys must be text")


def test_multi_document_file(kb: Path) -> None:
    text = (kb / PLATFORM).read_text(encoding="utf-8")
    write(kb, PLATFORM, text + "---\nname: Second document\n")
    assert errors(kb) == [
        f"{PLATFORM}:6:1: error[yaml-multiple-documents]: a record file holds exactly one YAML document; remove the extra '---'"]


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_files(kb: Path, content: str) -> None:
    write(kb, PLATFORM, content)
    assert [e.split("]:")[0] + "]" for e in errors(kb)] == [f"{PLATFORM}:1:1: error[empty]"]


@pytest.mark.parametrize("content", ["- a list\n", "just text\n", "42\n"])
def test_a_record_must_be_a_mapping(kb: Path, content: str) -> None:
    write(kb, PLATFORM, content)
    assert errors(kb) == [f"{PLATFORM}:1:1: error[schema]: the record must be a mapping (key: value lines), not "
                          + ("a list" if content.startswith("-") else "text" if content[0] == "j" else "the number 42")]


# --- Bytes: binary, encodings, BOM, line ends, sizes, nesting -----------------------------------------------

def test_binary_file(kb: Path) -> None:
    write(kb, PLATFORM, b"name: x\n\x00\x01\x02")
    assert errors(kb) == [f"{PLATFORM}:2:1: error[encoding]: the file holds NUL bytes: it is binary, not text"]
    write(kb, PLATFORM, b"\x89PNG\r\n\x1a\n\x00\x00")
    assert errors(kb) == [f"{PLATFORM}:1:1: error[encoding]: the file is not UTF-8 text (byte 0x89)"]
    assert "error[encoding]" in cli_check(kb).stderr


def test_non_utf8_file_points_at_the_byte(kb: Path) -> None:
    text = (kb / PLATFORM).read_text(encoding="utf-8").replace("Alpha AI offers", "Alpha AI caf\u00e9 offers")
    write(kb, PLATFORM, text.encode("latin-1"))
    assert errors(kb) == [f"{PLATFORM}:4:26: error[encoding]: the file is not UTF-8 text (byte 0xe9)"]


def test_utf16_file_is_not_utf8(kb: Path) -> None:
    write(kb, PLATFORM, (kb / PLATFORM).read_text(encoding="utf-8").encode("utf-16"))
    assert codes(kb) == {f"{PLATFORM}:1:1: error[encoding]"}


def test_bom_and_crlf_files_load_like_any_other(kb: Path, tmp_path: Path) -> None:
    original = (kb / PROVISION).read_text(encoding="utf-8")
    write(kb, PROVISION, b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    write(kb, ANALYSIS_MD, "## Reading\r\rOld Mac line ends.\r")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    page = soup(out, "platforms/alpha/policy/child-safety/")
    assert page.h1.get_text(strip=True) == "Child safety ban"
    assert "\r" not in (out / "platforms/alpha/policy/child-safety/index.html").read_text(encoding="utf-8")
    # Positions are counted in lines, whatever ends them.
    write(kb, PROVISION, b"\xef\xbb\xbf" + original.replace("severity: high", "severity: extreme").replace("\n", "\r\n").encode())
    assert errors(kb) == [f"{PROVISION}:5:1: error[schema]: severity is 'extreme', which is not one of: high, medium, low"]


def test_huge_record_file_is_refused_unread(kb: Path) -> None:
    write(kb, PLATFORM, (kb / PLATFORM).read_text(encoding="utf-8") + "# " + "x" * 600_000 + "\n")
    [line] = errors(kb)
    assert line.startswith(f"{PLATFORM}:1:1: error[file-too-large]: the file is ")


def test_huge_snapshot_is_refused_unread(kb: Path) -> None:
    huge = kb / "content/alpha/policy/snapshots/2027-01-01.txt"
    with open(huge, "wb") as handle:
        handle.truncate(8 * 1024 * 1024 + 1)  # sparse: the test writes nothing, the loader must not read it
    [line] = errors(kb)
    assert line.startswith("content/alpha/policy/snapshots/2027-01-01.txt:1:1: error[file-too-large]: ")


@pytest.mark.parametrize("depth", [60, 50_000])
def test_deep_nesting(kb: Path, depth: int) -> None:
    edit(kb / PLATFORM, "description: Alpha AI offers language models through an API.",
         "description: " + "[" * depth + "]" * depth)
    # The 40th bracket would be the 41st level (the record's mapping is the first).
    assert errors(kb) == [f"{PLATFORM}:4:53: error[yaml-too-deep]: nesting deeper than 40 levels"]


def test_deep_block_nesting(kb: Path) -> None:
    nested = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n"
    write(kb, PLATFORM, (kb / PLATFORM).read_text(encoding="utf-8") + nested)
    assert errors(kb) == [f"{PLATFORM}:46:81: error[yaml-too-deep]: nesting deeper than 40 levels"]


def test_long_markdown_of_brackets_finishes(kb: Path) -> None:
    # Pathological Markdown (deeply nested brackets and emphasis) renders in bounded time, as text.
    write(kb, ANALYSIS_MD, "[" * 20_000 + "*a" * 10_000 + ">" * 5_000 + "\n")
    result = run_build(kb)
    assert result.ok, messages(result)


def test_mismatched_long_quote_against_a_large_snapshot_finishes(kb: Path) -> None:
    # The closest-passage hint compares a bounded prefix with a bounded number of windows: no quadratic hang.
    words = " ".join(f"w{i % 50}" for i in range(200_000))
    snapshot = kb / "content/beta/policy/snapshots/2026-02-01.txt"
    snapshot.write_text(words, encoding="utf-8")
    digest = hashlib.sha256(words.encode()).hexdigest()
    document = kb / "content/beta/policy/document.yaml"
    text = re.sub(r"sha256: [0-9a-f]{64}", f"sha256: {digest}", document.read_text(encoding="utf-8"))
    document.write_text(text, encoding="utf-8")
    minors = kb / "content/beta/policy/minors.yaml"
    text = minors.read_text(encoding="utf-8")
    quote = " ".join(f"w{(i * 7) % 50}" for i in range(3000))[:19000]
    minors.write_text(re.sub(r"(?m)^  text: .*$", f"  text: '{quote}'", text), encoding="utf-8")
    found = errors(kb)
    assert any(line.startswith("content/beta/policy/minors.yaml:8:3: error[quote-not-found]") for line in found)


# --- Hidden characters --------------------------------------------------------------------------------------

@pytest.mark.parametrize("escaped, codepoint", [
    ("\\a", "0007"), ("\\e", "001B"), ("\\x85", "0085"), ("\\x9b", "009B"), ("\\u202e", "202E"), ("\\u2066", "2066"),
    ("\\u061c", "061C"), ("\\u200b", "200B"), ("\\ufeff", "FEFF"), ("\\uffff", "FFFF"), ("\\U000E0049", "E0049"),
])
def test_hidden_characters_in_text(kb: Path, escaped: str, codepoint: str) -> None:
    edit(kb / PROVISION, "title: Child safety ban", f'title: "Child {escaped}safety ban"')
    assert errors(kb) == [f"{PROVISION}:2:1: error[hidden-character]: title holds the invisible character U+{codepoint}; remove it"]


def test_raw_control_character_in_yaml(kb: Path) -> None:
    edit(kb / PROVISION, "title: Child safety ban", "title: Child \x07safety ban")
    assert errors(kb) == [f"{PROVISION}:2:14: error[yaml-syntax]: control characters are not allowed"]


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d\\ude00"])
def test_lone_surrogates(kb: Path, escape: str) -> None:
    edit(kb / PROVISION, "title: Child safety ban", f'title: "Child {escape} ban"')
    [line] = errors(kb)
    assert line.startswith(f"{PROVISION}:2:")
    assert "error[yaml-syntax]" in line and "invalid Unicode character escape" in line
    assert "error[yaml-syntax]" in cli_check(kb).stderr


def test_hidden_character_in_markdown_points_at_line_and_column(kb: Path) -> None:
    write(kb, ANALYSIS_MD, "## Reading\n\nThe ban is \u202eabsolute.\n")
    assert errors(kb) == [f"{ANALYSIS_MD}:3:12: error[hidden-character]: the text holds the invisible character U+202E; remove it"]
    analysis = kb / "content/analyses/child-safety-compared.md"
    analysis.write_text(analysis.read_text(encoding="utf-8") + "Second line \u2067here.\n", encoding="utf-8")
    assert "content/analyses/child-safety-compared.md:11:13: error[hidden-character]: the text holds the invisible character U+2067; remove it" in errors(kb)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\\tscript:alert(1)", "data:text/html,x",
                                 "vbscript:msgbox(1)", "//evil.example/", "http://alpha.example.com", " https://alpha.example.com",
                                 "https://alpha.example.com\\n", "https://alpha.example.com\\u202e", "https://"])
def test_url_fields_take_only_https(kb: Path, url: str) -> None:
    edit(kb / PLATFORM, "website: https://alpha.example.com", f'website: "{url}"')
    [line] = errors(kb)
    assert line.startswith(f"{PLATFORM}:3:1: error[") and ("error[schema]: website" in line or "error[hidden-character]" in line), line


# --- IDs, paths and symbolic links ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Alpha", "al_pha", "al..pha", "alpha.v2", "-alpha", "alpha-", "al--pha",
                                  "\u0430lpha",  # Cyrillic a
                                  "\uff41lpha",  # fullwidth a
                                  "alpha\u200b", "alph\u0430", "alpha\n", "a" * 81, "caf\u00e9", "alpha beta"])
def test_bad_platform_ids(kb: Path, name: str) -> None:
    (kb / "content/alpha").rename(kb / "content" / name)
    shown = name.replace("\n", "\\u000a").replace("\u200b", "\\u200b")
    own = [line for line in errors(kb) if line.startswith(f"content/{shown}")]
    assert own and all(re.search(r":1:1: error\[(bad-id|bad-file-name)\]: ", line) for line in own), own
    # The analysis that cites alpha's provision may say it is unknown (it is: alpha is gone); nothing else fails.


@pytest.mark.parametrize("name", ["index", "snapshots", "feeds", "assets", "con", "nul", "lpt1"])
def test_reserved_ids(kb: Path, name: str) -> None:
    (kb / "content/gamma/policy").rename(kb / "content/gamma" / name)
    found = errors(kb)
    if name == "snapshots":  # content/gamma/snapshots/... : the folder of a document's archived texts
        assert found
    else:
        assert all(f"error[reserved-id]: '{name}' is a reserved name; choose another ID" in line for line in found), found


def test_vocabulary_ids_with_slashes_dots_and_newlines(kb: Path) -> None:
    edit(kb / "data/clause-types.yaml", "  - id: training-on-inputs", '  - id: "training-on-inputs\\n"')
    edit(kb / "data/regulations.yaml", "  - id: coppa", "  - id: ../coppa")
    edit(kb / "data/jurisdictions.yaml", "{id: us-ca,", "{id: us.ca,")
    found = " ".join(errors(kb))
    assert "data/clause-types.yaml:12:5: error[schema]: clause_types.1.id ('training-on-inputs\\u000a') is not valid" in found
    assert "data/regulations.yaml:" in found and "regulations.1.id ('../coppa') is not valid" in found
    assert "jurisdictions.3.id ('us.ca') is not valid" in found


def test_file_names_that_are_not_text(kb: Path) -> None:
    bad = os.fsencode(kb / "content/beta/policy/snapshots") + b"/\xff\xfe.txt"
    with open(bad, "wb") as handle:
        handle.write(b"x")
    (kb / "content/beta/policy/snapshots/tab\there.txt").write_text("x", encoding="utf-8")
    found = errors(kb)
    assert found == [
        "content/beta/policy/snapshots/tab\\u0009here.txt:1:1: error[bad-file-name]: the name is not UTF-8 text or holds control characters; rename it",
        "content/beta/policy/snapshots/\\udcff\\udcfe.txt:1:1: error[bad-file-name]: the name is not UTF-8 text or holds control characters; rename it",
    ]
    cli_check(kb)


def test_snapshot_path_traversal_is_refused(kb: Path) -> None:
    edit(kb / "content/alpha/policy/document.yaml", "snapshot: snapshots/2026-01-10.txt",
         "snapshot: snapshots/../../../../../../etc/passwd")
    found = errors(kb)
    assert any(line.startswith("content/alpha/policy/document.yaml:7:5: error[schema]: versions.0.snapshot") for line in found)
    assert not any("root:" in line for line in found)


def test_references_with_dot_segments_are_refused(kb: Path) -> None:
    analysis = kb / "content/analyses/child-safety-compared.md"
    edit(analysis, "provisions: [alpha/policy/child-safety, beta/policy/minors]", "provisions: [alpha/../beta/policy/minors]")
    assert any("content/analyses/child-safety-compared.md:6:" in line and "error[schema]" in line for line in errors(kb))


def test_unexpected_files(kb: Path) -> None:
    write(kb, "content/alpha/policy/training.v2.yaml", "title: x\n")
    write(kb, "content/alpha/notes.txt", "x")
    write(kb, "content/alpha/policy/extra.yml", "title: x\n")
    assert codes(kb) == {"content/alpha/notes.txt:1:1: error[unexpected-file]",
                         "content/alpha/policy/extra.yml:1:1: error[unexpected-file]",
                         "content/alpha/policy/training.v2.yaml:1:1: error[unexpected-file]"}


def test_colliding_ids(kb: Path) -> None:
    edit(kb / "data/regulations.yaml", "  - id: coppa", "  - id: eu-ai-act")
    edit(kb / "data/jurisdictions.yaml", "{id: us-ca,", "{id: us,")
    found = errors(kb)
    assert "data/regulations.yaml:11:5: error[duplicate-id]: duplicate regulation ID 'eu-ai-act'" in found
    assert "data/jurisdictions.yaml:5:6: error[duplicate-id]: duplicate jurisdiction ID 'us'" in found


def test_colliding_page_paths(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two planners wanting one path is a problem, never a silent overwrite.
    monkeypatch.setattr(atlas.pages, "PLANNERS", atlas.pages.PLANNERS + (
        lambda graph: [Page("platforms/alpha/index.html", "@text", "shadow")],))
    result = run_build(kb, tmp_path / "site")
    assert "content:1:1: error[url-collision]: two pages would be written to platforms/alpha/index.html" in messages(result)
    assert not (tmp_path / "site").exists()


def test_symlinks_in_content_are_refused(kb: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("name: TOP SECRET\n", encoding="utf-8")
    (kb / "content/alpha/policy/leak.yaml").symlink_to(secret)
    snapshot = kb / "content/alpha/policy/snapshots/2026-01-10.txt"
    snapshot.unlink()
    snapshot.symlink_to(secret)
    (kb / "content/delta").symlink_to(kb / "content/gamma", target_is_directory=True)
    found = codes(kb)
    assert {"content/alpha/policy/leak.yaml:1:1: error[symlink]", "content/delta:1:1: error[symlink]",
            "content/alpha/policy/snapshots/2026-01-10.txt:1:1: error[symlink]"} <= found
    done = cli_check(kb)
    assert "TOP SECRET" not in done.stderr + done.stdout


def test_symlinked_content_and_data_folders_are_refused(kb: Path, tmp_path: Path) -> None:
    (kb / "content").rename(tmp_path / "elsewhere")
    (kb / "content").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert "content:1:1: error[symlink]" in codes(kb)
    (kb / "content").unlink()
    (tmp_path / "elsewhere").rename(kb / "content")
    (kb / "data/site.yaml").rename(tmp_path / "site.yaml")
    (kb / "data/site.yaml").symlink_to(tmp_path / "site.yaml")
    assert "data/site.yaml:1:1: error[symlink]" in codes(kb)


# --- Output paths and interrupted builds ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["../escape.html", "a/../../escape.html", "/etc/passwd", ".git/config", "_private/x",
                                  "a/.hidden", "a/./b.html", "a\\..\\x", "a\x00b", "a\nb/index.html", ""])
def test_unsafe_output_paths_are_refused(tmp_path: Path, path: str) -> None:
    assert unsafe_output_path(path)
    with pytest.raises(ValueError):
        write_site(tmp_path / "out", {"ok.html": b"ok", path: b"evil"})
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "escape.html").exists()


def test_a_planned_path_outside_the_output_is_a_problem(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atlas.pages, "PLANNERS", atlas.pages.PLANNERS + (
        lambda graph: [Page("../escape.html", "@text", "x"), Page("assets/../../../escape2.html", "@text", "x")],))
    out = tmp_path / "deep/site"
    result = run_build(kb, out)
    assert not result.ok
    assert any("error[bad-output-path]: ../escape.html" in line for line in messages(result))
    assert not out.exists() and not list(tmp_path.rglob("escape*.html"))


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(kb: Path, out: Path):
    return atlas.pipeline.build(atlas.pipeline.BuildOptions(root=kb, out=out, search=False, jobs=1))


def test_interrupted_render_leaves_the_previous_site_intact(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert _build(kb, out).ok
    before = _tree_bytes(out)
    edit(kb / "data/site.yaml", "title: Fixture Atlas", "title: Renamed Atlas")  # every page changes
    real = atlas.incremental.render_checked
    rendered: list[str] = []

    def render_then_interrupt(env, page, *args):
        if len(rendered) == 30:
            raise KeyboardInterrupt
        rendered.append(page.path)
        return real(env, page, *args)

    monkeypatch.setattr(atlas.incremental, "render_checked", render_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _build(kb, out)
    assert len(rendered) == 30, "the interruption came midway through rendering"
    assert _tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]  # no staging folder left beside it
    monkeypatch.undo()
    assert _build(kb, out).ok
    assert "Renamed Atlas" in (out / "index.html").read_text(encoding="utf-8")


def test_interrupted_write_leaves_whole_files_and_the_next_build_completes(
        kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Interrupted while moving files in: every file holds its old or its new bytes, never a part of either.
    out = tmp_path / "site"
    assert _build(kb, out).ok
    before = _tree_bytes(out)
    edit(kb / "data/site.yaml", "title: Fixture Atlas", "title: Renamed Atlas")
    real_replace = os.replace
    calls = []

    def replace_then_interrupt(src, dst):
        calls.append(dst)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(atlas.output.os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _build(kb, out)
    monkeypatch.undo()
    after = _tree_bytes(out)
    for path, data in after.items():
        assert data == before.get(path) or b"Renamed Atlas" in data, path
    assert [path for path in after if after[path] != before.get(path)], "some files were moved in before the interrupt"
    assert not list(out.rglob(".*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]  # the staging folder is gone too
    assert _build(kb, out).ok  # the next build completes the site
    clean = tmp_path / "clean"
    assert _build(kb, clean).ok
    assert _tree_bytes(out) == _tree_bytes(clean)


def test_cli_interrupt_is_reported_without_traceback(kb: Path, tmp_path: Path) -> None:
    script = ("import sys, atlas.incremental as i\n"
              "def boom(*a, **k): raise KeyboardInterrupt\n"
              "i.render_checked = boom\n"
              "import build\n"
              f"sys.exit(build.main(['--root', {str(kb)!r}, '--out', {str(tmp_path / 'site')!r}, '--no-search']))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 130, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "interrupted" in done.stderr
    assert not (tmp_path / "site").exists()


# --- Hostile text: it reaches every output as inert text ---------------------------------------------------------

# Fits every field's length limit; each piece tries a different way out of its context.
HOSTILE = ("</script><script>alert(1)</script><img src=x onerror=alert(2)>\"' onmouseover='alert(3)' "
           "{{ 1234*5678 }} {% raw %}]]><!-- & &amp; {x} \\ % # _ ^ ~ @")
FORMULA = "=HYPERLINK(\"https://evil.example/\",\"click\")"
LINKS = "\n".join([
    "[a](javascript:alert(1))", "[b](JaVaScRiPt:alert(1))", "[c](&#106;avascript:alert(1))", "[d](&#x6A;avascript:alert(1))",
    "[e](java&#x09;script:alert(1))", "[f](<java\tscript:alert(1)>)", "[g](<java\nscript:alert(1)>)", "[h](&Tab;javascript:x)",
    "[i](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[j](DATA:text/html,x)", "[k](vbscript:msgbox(1))",
    "[l](VBScript:msgbox(1))", "[m](javascript&colon;alert(1))", "[n](//evil.example/)", "[o](/\\/evil.example/)",
    "[p](  javascript:alert(1))", "[q][ref]", "", "[ref]: javascript:alert(1)", "",
    "<a href=\"javascript:alert(1)\">raw</a> <script>alert(1)</script> <img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg> <iframe src=\"https://evil.example/\"></iframe> <javascript:alert(1)>",
    "![img](https://evil.example/track.png) ![x](javascript:alert(1)) [ok](https://example.org/ok)",
    "{{ 1234*5678 }} {% for x in range(3) %}loop{% endfor %}",
])


def _yaml_quote(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def make_hostile_kb(target: Path) -> Path:
    """A copy of the basic fixture with hostile text in every kind of field (also used by the browser tests)."""
    from conftest import BASIC, copy_kb
    kb = copy_kb(BASIC, target)
    q = _yaml_quote
    edit(kb / "data/site.yaml", "title: Fixture Atlas", f"title: {q('Fixture <b>Atlas</b> {{ 1234*5678 }}')}")
    edit(kb / PLATFORM, "name: Alpha AI", f"name: {q('Alpha ' + HOSTILE[:150])}")
    edit(kb / PLATFORM, "description: Alpha AI offers language models through an API.", f"description: {q(LINKS)}")
    edit(kb / "content/alpha/policy/document.yaml", "title: Alpha AI Usage Policy", f"title: {q('Policy ' + HOSTILE)}")
    edit(kb / PROVISION, "title: Child safety ban", f"title: {q(HOSTILE[:199])}")
    edit(kb / PROVISION, "summary: Summary of Child safety ban at alpha.", f"summary: {q(FORMULA + ' ' + HOSTILE[:300])}")
    edit(kb / PROVISION, "why_it_matters: It matters because **alpha** says so.", f"why_it_matters: {q(LINKS)}")
    edit(kb / PROVISION, "consumer_impact: Users of alpha are bound by it.", f"consumer_impact: {q('+' + LINKS)}")
    edit(kb / PROVISION, "    summary: Added promotion and any setting to the ban.", f"    summary: {q('-1+1 ' + HOSTILE[:300])}")
    edit(kb / PROVISION, "  - question: Does it cover fiction?", f"  - question: {q('@SUM(1) ' + HOSTILE[:300])}")
    edit(kb / PROVISION, "    answer: Yes, *any setting*.", f"    answer: {q(LINKS)}")
    edit(kb / PROVISION, "  author: Fixture Editors", f"  author: {q('@' + HOSTILE[:190])}")
    edit(kb / PROVISION, "    rationale: The Act bans some practices outright.", f"    rationale: {q(LINKS)}")
    write(kb, ANALYSIS_MD, LINKS + "\n\n" + HOSTILE + "\n")
    edit(kb / "data/clause-types.yaml", "    name: Child safety", f"    name: {q('Child ' + HOSTILE[:150])}")
    edit(kb / "data/clause-types.yaml", "    description: Clauses that protect minors.", f"    description: {q(LINKS)}")
    edit(kb / "data/regulations.yaml", "    name: EU AI Act", f"    name: {q('EU ' + HOSTILE[:150])}")
    analysis = kb / "content/analyses/child-safety-compared.md"
    edit(analysis, "title: Child safety compared", f"title: {q(HOSTILE)}")
    edit(analysis, "Both platforms ban it. Alpha's wording is broader.", LINKS)
    edit(kb / PLATFORM, "website: https://alpha.example.com", "website: 'https://alpha.example.com/\"><script>alert(1)</script>'")
    return kb


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile knowledge base, built with every output."""
    base = tmp_path_factory.mktemp("hostile")
    kb = make_hostile_kb(base / "kb")
    out = base / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    return out


DANGEROUS_SCHEMES = {"javascript", "vbscript", "data", "file", "blob", "filesystem"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "xlink:href", "background", "cite", "data",
                  "ping", "manifest", "codebase", "longdesc", "usemap", "lowsrc", "dynsrc"}


class Elements(HTMLParser):
    """Every start tag with its decoded attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._in_script = None


def url_scheme(url: str) -> str | None:
    """The scheme a browser sees: it drops tabs and newlines anywhere, and controls and spaces at the ends."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def assert_inert_html(html: str, where: str) -> None:
    """No script but the site's own files and JSON-LD, no event handler, no dangerous URL, no frame or object."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in {"iframe", "frame", "object", "embed", "base", "svg", "math", "img", "applet"}, (where, tag)
        if tag == "form":
            assert url_scheme(attrs.get("action") or "") is None, (where, attrs)  # a form only ever posts in-site
        if tag == "meta":
            assert (attrs.get("http-equiv") or "").lower() in ("", "content-security-policy"), (where, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            assert name != "style", (where, tag)  # the CSP refuses inline styles; none may be produced
            assert name != "srcdoc", (where, tag)
            if name in URL_ATTRIBUTES and value:
                assert url_scheme(value) not in DANGEROUS_SCHEMES, (where, tag, name, value)
                if tag == "a" and url_scheme(value) is None:
                    assert not re.sub(r"[\t\n\r]", "", value).replace("\\", "/").startswith("//"), (where, value)
    for attrs, text in parser.scripts:
        if attrs.get("type") == "application/ld+json":
            json.loads(text)  # the whole element is JSON: nothing closed it early
            assert "<" not in text, where
        else:
            assert set(attrs) <= {"src", "defer", "type"} and attrs.get("src"), (where, attrs)
            assert not text.strip(), (where, "inline script")
            assert re.search(r"(^|/)(assets/js/[a-z0-9-]+\.js|pagefind/pagefind-[a-z-]+\.js)$", attrs["src"]), (where, attrs)


def test_hostile_text_is_inert_in_every_page(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(hostile_site).as_posix()
        assert_inert_html(html, where)
        assert "7006652" not in html, where  # Jinja syntax in text was never evaluated
        assert "<script>alert" not in html and "<img" not in html, where


def test_hostile_text_appears_literally(hostile_site: Path) -> None:
    page = soup(hostile_site, "platforms/alpha/policy/child-safety/")
    assert page.h1.get_text() == HOSTILE[:199]
    assert "{{ 1234*5678 }}" in page.get_text() and "{% for x in range(3) %}loop{% endfor %}" in page.get_text()
    assert page.title.get_text().startswith(HOSTILE[:199])
    analysis = soup(hostile_site, "analyses/child-safety-compared/")
    assert analysis.h1.get_text() == HOSTILE
    # The one safe link of the Markdown survives, marked as external.
    ok = page.select_one("a[href='https://example.org/ok']")
    assert ok is not None and ok["rel"] == ["noopener", "noreferrer"]


def test_every_external_link_has_noopener_noreferrer(hostile_site: Path) -> None:
    for page in hostile_site.rglob("*.html"):
        parsed = Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.tags:
            href = attrs.get("href") or ""
            if tag == "a" and url_scheme(href) in ("https", "http") and not href.startswith("https://example.org/atlas/"):
                rel = set((attrs.get("rel") or "").split())
                assert {"noopener", "noreferrer"} <= rel, (page, attrs)


def test_title_with_script_end_reaches_json_ld_as_data(hostile_site: Path) -> None:
    html = (hostile_site / "platforms/alpha/policy/child-safety/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert blocks, "the provision page carries JSON-LD"
    data = json.loads(blocks[0])
    assert data["headline"] == HOSTILE[:199]
    assert "</script" not in blocks[0].lower() and "<!--" not in blocks[0]


def test_json_files_parse_and_carry_the_text_inert(hostile_site: Path) -> None:
    found = sorted(hostile_site.rglob("*.json"))
    assert found
    for path in found:
        raw = path.read_text(encoding="utf-8")
        json.loads(raw)
        if not path.is_relative_to(hostile_site / "pagefind") and not path.is_relative_to(hostile_site / "schemas"):
            assert "<" not in raw and ">" not in raw, path  # escaped as \u003c: safe to embed anywhere
    provision = json.loads((hostile_site / "api/v1/provisions/alpha/policy/child-safety.json").read_text(encoding="utf-8"))
    assert provision["title"] == HOSTILE[:199]


def test_feeds_and_xml_parse_and_their_html_is_inert(hostile_site: Path) -> None:
    found = sorted(hostile_site.rglob("*.xml"))
    assert found
    atom = "{http://www.w3.org/2005/Atom}"
    for path in found:
        root = ET.parse(path).getroot()
        for element in root.iter():
            if element.tag in (f"{atom}content", f"{atom}summary", f"{atom}title", f"{atom}subtitle", f"{atom}rights"):
                if element.get("type") == "html":
                    assert_inert_html(element.text or "", f"{path}:{element.tag}")
                elif element.get("type") == "xhtml":
                    assert_inert_html(ET.tostring(element, encoding="unicode"), f"{path}:{element.tag}")
            for name, value in element.attrib.items():
                if name in ("href", "src"):
                    assert url_scheme(value) in ("https", "http", "mailto"), (path, value)
    feed = (hostile_site / "feeds/changes.xml").read_text(encoding="utf-8")
    assert "<script>alert" not in feed


def test_csv_files_parse_and_never_start_a_formula(hostile_site: Path) -> None:
    found = sorted(hostile_site.rglob("*.csv"))
    assert found
    seen_formula_text = False
    for path in found:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        assert rows and all(len(row) == len(rows[0]) for row in rows), path
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)
                seen_formula_text |= "HYPERLINK" in cell
    assert seen_formula_text, "the formula text is kept, as text"


def test_bibtex_stays_balanced(hostile_site: Path) -> None:
    bib = (hostile_site / "platforms/alpha/policy/child-safety/cite.bib").read_text(encoding="utf-8")
    depth = 0
    for ch in bib:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert re.fullmatch(r"@misc\{[a-z0-9:-]+,\n(  [a-z]+ = \{.*\},?\n)+\}\n", bib), bib
    title = re.search(r"^  title = \{(.*)\},$", bib, re.M).group(1)
    for special in ("%", "#", "_", "&", "$", "~", "^", "\\"):
        # Every special character is escaped (or spelled as a command): none stands bare.
        assert not re.search(r"(?<!\\)" + re.escape(special) if special != "\\" else r"\\(?![a-z]+\{\}|[%#_&$])", title), (special, title)
    assert json.loads((hostile_site / "platforms/alpha/policy/child-safety/cite.json").read_text(encoding="utf-8"))[0]["title"].endswith(HOSTILE[:199])


def test_plain_text_citation_is_one_line_per_field(hostile_site: Path) -> None:
    text = (hostile_site / "platforms/alpha/policy/child-safety/cite.txt").read_text(encoding="utf-8")
    assert HOSTILE[:199] in text
    assert len(text.splitlines()) <= 2


def test_text_that_breaks_xml_csv_and_bibtex_in_one_record(kb: Path, tmp_path: Path) -> None:
    # Line breaks, quotes, commas and CDATA ends in a summary; the change is in every feed, the CSV and the citation.
    edit(kb / PROVISION, "summary: Summary of Child safety ban at alpha.",
         'summary: "Line one,\\nline \\"two\\"; ]]> <![CDATA[ x ]]> \\n end\\t%}"')
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    for path in out.rglob("*.xml"):
        ET.parse(path)
    for path in out.rglob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        assert all(len(row) == len(rows[0]) for row in rows)
        if any("Line one" in cell for row in rows for cell in row):
            assert any('line "two"' in cell for row in rows for cell in row)
    bib = (out / "platforms/alpha/policy/child-safety/cite.bib").read_text(encoding="utf-8")
    assert bib.count("{") == bib.count("}")
