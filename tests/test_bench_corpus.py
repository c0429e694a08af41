"""The synthetic benchmark corpus (bench/corpus.py) is deterministic, schema-valid and self-consistent.

Independent of the generator package atlas/ (only its JSON Schemas are read): validation uses jsonschema
directly, and YAML is read both by PyYAML (YAML 1.1 rules) and by a YAML 1.2 core-schema reading like the
project's loader, which must agree.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "atlas" / "schemas"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = {"snapshots", "index", "versions", "changes", "feed", "feeds", "api", "assets", "document", "analyses"}
N = 60
FIRST, AS_OF, LAST = "2024-01-01", "2026-05-15", "2026-05-31"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


if str(ROOT) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(ROOT))
corpus = importlib.import_module("bench.corpus")  # a real module: worker processes import it by name


# ------------------------------------------------------------------------------------------------ helpers

_INT = re.compile(r"^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")


def _core12(node: yaml.Node):
    """A node as a YAML 1.2 core-schema reader sees it (plain scalars resolved, quoted ones strings)."""
    if isinstance(node, yaml.MappingNode):
        return {_core12(k): _core12(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_core12(v) for v in node.value]
    value = node.value
    if node.style:  # quoted or block scalar
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value, 0) if value.lstrip("+-")[:2] in ("0o", "0x") else int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def read_yaml(text: str):
    """Parse YAML, refusing anchors/aliases/tags; YAML 1.1 (PyYAML) and 1.2 readings must agree."""
    for event in yaml.parse(text, Loader=Loader):
        assert not isinstance(event, yaml.AliasEvent), "alias in YAML"
        assert getattr(event, "anchor", None) is None, "anchor in YAML"
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            assert event.tag is None, f"tag {event.tag} in YAML"
    data11 = yaml.load(text, Loader=Loader)
    data12 = _core12(yaml.compose(text, Loader=Loader))
    assert data11 == data12, "YAML 1.1 and 1.2 readers disagree (an unquoted date, yes/no, number...)"
    return data12


def split_front_matter(text: str) -> tuple[str, str]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 3)
    return text[4:end + 1], text[end + 5:]


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def check_valid(v: Draft202012Validator, data, path) -> None:
    errors = sorted(v.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, f"{path}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def schema_header(text: str, name: str) -> None:
    schema_id = json.loads((SCHEMAS / f"{name}.schema.json").read_text())["$id"]
    assert text.startswith(f"# yaml-language-server: $schema={schema_id}\n"), text.splitlines()[0]


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    counts = corpus.generate(N, out, seed=0)
    return out, counts


@pytest.fixture(scope="module")
def loaded(kb):
    """Every record of the generated corpus, validated against its schema as it is read."""
    root, _ = kb
    v = {name: validator(name) for name in ("site", "clause-types", "regulations", "jurisdictions", "platform",
                                            "document", "provision", "analysis")}
    data = {}
    for name in ("site", "clause-types", "regulations", "jurisdictions"):
        text = (root / "data" / f"{name}.yaml").read_text(encoding="utf-8")
        schema_header(text, name)
        data[name] = read_yaml(text)
        check_valid(v[name], data[name], f"data/{name}.yaml")
    platforms, documents, provisions, analyses, provision_md = {}, {}, {}, {}, set()
    for path in sorted((root / "content").rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root / "content")
        parts = rel.parts
        text = path.read_text(encoding="utf-8")
        if parts[0] == "analyses":
            front, body = split_front_matter(text)
            record = read_yaml(front)
            check_valid(v["analysis"], record, rel)
            assert body.strip()
            analyses[path.stem] = record
        elif len(parts) == 2:
            assert parts[1] == "platform.yaml"
            schema_header(text, "platform")
            platforms[parts[0]] = read_yaml(text)
            check_valid(v["platform"], platforms[parts[0]], rel)
        elif len(parts) == 3 and parts[2] == "document.yaml":
            schema_header(text, "document")
            documents[(parts[0], parts[1])] = read_yaml(text)
            check_valid(v["document"], documents[(parts[0], parts[1])], rel)
        elif len(parts) == 3 and parts[2].endswith(".yaml"):
            schema_header(text, "provision")
            provisions[(parts[0], parts[1], path.stem)] = read_yaml(text)
            check_valid(v["provision"], provisions[(parts[0], parts[1], path.stem)], rel)
        elif len(parts) == 3 and parts[2].endswith(".md"):
            provision_md.add((parts[0], parts[1], path.stem))
        else:
            assert parts[2] == "snapshots" and len(parts) == 4, f"unexpected file {rel}"
    data.update(platforms=platforms, documents=documents, provisions=provisions, analyses=analyses,
                provision_md=provision_md)
    return data


# ------------------------------------------------------------------------------------------------ tests

def test_deterministic_across_runs_and_worker_counts(kb, tmp_path):
    root, _ = kb
    again = tmp_path / "again"
    corpus.generate(N, again, seed=0, jobs=2)  # another folder, another number of processes
    first, second = all_files(root), all_files(again)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, different[:5]


def test_seed_changes_output(kb, tmp_path):
    root, _ = kb
    other = tmp_path / "other"
    corpus.generate(N, other, seed=1)
    assert all_files(root) != all_files(other)


def test_every_record_validates(loaded, kb):
    _, counts = kb
    assert len(loaded["provisions"]) == N == counts["provisions"]
    assert len(loaded["platforms"]) == counts["platforms"]
    assert len(loaded["documents"]) == counts["documents"]
    assert len(loaded["analyses"]) == counts["analyses"] == max(1, N // 500)
    assert len(loaded["provision_md"]) == counts["provision_md"]


def test_ids_are_slugs(loaded):
    for key in loaded["provisions"]:
        for ident in key:
            assert SLUG.match(ident) and len(ident) <= 80 and ident not in RESERVED, key
    for slug in loaded["analyses"]:
        assert SLUG.match(slug)
    assert loaded["provision_md"] <= set(loaded["provisions"])


def test_vocabulary_shape(loaded):
    ct = loaded["clause-types"]
    categories = {c["id"] for c in ct["categories"]}
    assert len(categories) == 6
    assert 35 <= len(ct["clause_types"]) <= 45
    assert len({t["id"] for t in ct["clause_types"]}) == len(ct["clause_types"])
    for t in ct["clause_types"]:
        assert t["category"] in categories
        assert 3 <= len(t["positions"]) <= 4
        assert len({p["id"] for p in t["positions"]}) == len(t["positions"])
    jurisdictions = {j["id"] for j in loaded["jurisdictions"]["jurisdictions"]}
    assert {"eu", "us", "us-ca", "uk", "global"} <= jurisdictions and 12 <= len(jurisdictions) <= 20
    for j in loaded["jurisdictions"]["jurisdictions"]:
        assert j.get("parent", "eu") in jurisdictions
    regs = loaded["regulations"]["regulations"]
    assert 25 <= len(regs) <= 35
    for r in regs:
        assert r["jurisdiction"] in jurisdictions
        assert 5 <= len(r["articles"]) <= 15
        assert len({a["id"] for a in r["articles"]}) == len(r["articles"])
    assert loaded["site"]["as_of"] == AS_OF


def test_platforms_and_documents(kb, loaded):
    root, _ = kb
    jurisdictions = {j["id"] for j in loaded["jurisdictions"]["jurisdictions"]}
    for p in loaded["platforms"].values():
        assert p["headquarters"] in jurisdictions
    for (pid, did), doc in loaded["documents"].items():
        assert pid in loaded["platforms"]
        folder = root / "content" / pid / did
        captured = [v["captured"] for v in doc["versions"]]
        assert 1 <= len(captured) <= 3
        assert captured == sorted(set(captured)), "versions oldest first, distinct dates"
        listed = set()
        for v in doc["versions"]:
            assert FIRST <= v["captured"] <= AS_OF
            assert v["snapshot"] == f"snapshots/{v['captured']}.txt"
            raw = (folder / v["snapshot"]).read_bytes()
            assert hashlib.sha256(raw).hexdigest() == v["sha256"]
            words = len(raw.decode("utf-8").split())
            assert 3000 <= words <= 12000, (v["snapshot"], words)
            assert v.get("last_updated", v["captured"]) <= v["captured"]
            assert v.get("effective", LAST) <= LAST
            listed.add(v["snapshot"].split("/")[1])
        assert {p.name for p in (folder / "snapshots").iterdir()} == listed, "every snapshot is listed"


def test_provision_references_resolve(loaded):
    types = {t["id"]: t for t in loaded["clause-types"]["clause_types"]}
    categories = {c["id"] for c in loaded["clause-types"]["categories"]}
    regs = {r["id"]: {a["id"] for a in r["articles"]} for r in loaded["regulations"]["regulations"]}
    jurisdictions = {j["id"] for j in loaded["jurisdictions"]["jurisdictions"]}
    for key, p in loaded["provisions"].items():
        assert key[:2] in loaded["documents"], key
        t = types[p["clause_type"]]
        assert p["position"] in {x["id"] for x in t["positions"]}, key
        assert set(p["categories"]) <= categories and t["category"] not in p["categories"]
        assert p["regulations"]
        for mapping in p["regulations"]:
            assert mapping["articles"] and set(mapping["articles"]) <= regs[mapping["regulation"]], key
        assert set(p["compliance"]["jurisdiction_flags"]["jurisdictions"]) <= jurisdictions
        versions = {v["captured"] for v in loaded["documents"][key[:2]]["versions"]}
        assert p["excerpt"]["version"] in versions, key


def test_every_provision_field_is_filled(loaded):
    schema = json.loads((SCHEMAS / "provision.schema.json").read_text())

    def fields(s):
        return set(s["properties"])

    props = schema["properties"]
    for key, p in loaded["provisions"].items():
        assert set(p) == fields(schema), (key, fields(schema) - set(p))
        assert set(p["excerpt"]) == fields(props["excerpt"])
        assert set(p["compliance"]) == fields(props["compliance"])
        assert set(p["compliance"]["jurisdiction_flags"]) == fields(props["compliance"]["properties"]["jurisdiction_flags"])
        assert set(p["authorship"]) == fields(props["authorship"])
        assert p["authorship"]["reviewers"]
        assert 1 <= len(p["faq"]) <= 3
        assert 0 <= len(p["changes"]) <= 3
        assert p["section"].startswith("Section ")
        total = sum(len(x) for x in (p["compliance"]["regulatory_landscape"], p["compliance"]["governance_exposure"]["text"],
                                     p["compliance"]["jurisdiction_flags"]["text"], p["compliance"]["contract_implications"],
                                     p["compliance"]["compliance_considerations"]))
        assert 600 <= total <= 2500, (key, total)


PROSE_FIELDS = ("summary", "excerpt", "why_it_matters", "consumer_impact", "interpretive_note", "compliance",
                "regulations", "faq")


def _text_length(value) -> int:
    """Characters of text in a field, however nested."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_length(v) for v in value.values())
    if isinstance(value, list):
        return sum(_text_length(v) for v in value)
    return 0


def _mean_lengths(records) -> dict[str, float]:
    records = list(records)
    return {field: sum(_text_length(r.get(field)) for r in records) / len(records) for field in PROSE_FIELDS}


def test_prose_lengths_are_like_the_starter_contents(loaded):
    """The benchmark measures records written like ours: each prose field's mean length within a third of the
    starter content's, so that page sizes and render times at scale are those of the real knowledge base."""
    starter = [yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
               for path in sorted((ROOT / "content").glob("*/*/*.yaml")) if path.name != "document.yaml"]
    assert len(starter) >= 10
    ours, theirs = _mean_lengths(starter), _mean_lengths(loaded["provisions"].values())
    ratios = {field: round(theirs[field] / ours[field], 2) for field in PROSE_FIELDS}
    assert all(0.67 <= ratio <= 1.5 for ratio in ratios.values()), ratios
    assert 0.8 <= sum(theirs.values()) / sum(ours.values()) <= 1.25, ratios


def test_dates_and_changes_are_ordered(loaded):
    for key, p in loaded["provisions"].items():
        first, last = p["first_seen"], p["last_verified"]
        assert FIRST <= first <= last <= AS_OF, key
        written = p["authorship"]["written"]
        assert first <= written <= last
        for r in p["authorship"]["reviewers"]:
            assert written <= r["date"] <= AS_OF
        previous = first
        for i, c in enumerate(p["changes"]):
            assert previous <= c["detected"] <= last, key
            previous = c["detected"]
            if "announced" in c:
                assert first <= c["announced"] <= c["detected"]
            if "effective" in c:
                assert c["detected"] <= c["effective"] <= LAST
            if c["kind"] in ("modified", "removed"):
                assert "previous_text" in c or "previous_text_unavailable" in c
            if c["kind"] == "added":
                assert i == 0 and c["detected"] == first
            if c["kind"] == "removed":
                assert i == len(p["changes"]) - 1
        removed = bool(p["changes"]) and p["changes"][-1]["kind"] == "removed"
        assert (p["status"] == "removed") == removed, key


def test_verbatim_excerpts_are_in_their_snapshots(kb, loaded):
    root, _ = kb
    statuses = {}
    for key, p in loaded["provisions"].items():
        ex = p["excerpt"]
        statuses[ex["status"]] = statuses.get(ex["status"], 0) + 1
        if ex["status"] != "verbatim":
            continue
        assert 150 <= len(ex["text"]) <= 600, (key, len(ex["text"]))
        snapshot = (root / "content" / key[0] / key[1] / "snapshots" / f"{ex['version']}.txt").read_text(encoding="utf-8")
        assert ex["text"] in snapshot, key
        # the section named is the paragraph that holds the excerpt in that version
        number = p["section"].removeprefix("Section ")
        assert f"\n\n{number} " in snapshot
        paragraph = snapshot.split(f"\n\n{number} ", 1)[1].split("\n\n", 1)[0]
        assert ex["text"] in paragraph, key
    assert statuses["verbatim"] >= 0.75 * N


def test_change_history_matches_snapshots(kb, loaded):
    """A modified clause's previous text is in the snapshot before the change; a removed one is gone after."""
    root, _ = kb
    for key, p in loaded["provisions"].items():
        doc = loaded["documents"][key[:2]]
        texts = {v["captured"]: (root / "content" / key[0] / key[1] / v["snapshot"]).read_text(encoding="utf-8")
                 for v in doc["versions"]}
        captured = sorted(texts)
        for c in p["changes"]:
            if c["kind"] == "removed":
                assert c["detected"] in texts
                assert c["previous_text"] not in texts[c["detected"]]
                earlier = [d for d in captured if d < c["detected"]]
                assert c["previous_text"] in texts[earlier[-1]]
            elif c["kind"] == "modified" and "previous_text" in c:
                earlier = [d for d in captured if d < c["detected"]]
                assert c["previous_text"] in texts[earlier[-1]], key


def test_analyses_link_existing_records(loaded):
    types = {t["id"] for t in loaded["clause-types"]["clause_types"]}
    regs = {r["id"] for r in loaded["regulations"]["regulations"]}
    for a in loaded["analyses"].values():
        assert a["provisions"]
        for ref in a["provisions"]:
            assert tuple(ref.split("/")) in loaded["provisions"], ref
            assert a["date"] >= loaded["provisions"][tuple(ref.split("/"))]["first_seen"]
        assert set(a["clause_types"]) <= types
        assert set(a["regulations"]) <= regs
        assert a["date"] <= a["updated"] <= AS_OF


def test_counts_scale_with_n():
    assert corpus.plan_counts(13_250) == (350, 820)
    assert corpus.plan_counts(1) == (1, 1)
    assert corpus.plan_counts(5) == (1, 1)
    for n in (1, 2, 10, 60, 500, 1000, 50_000):
        platforms, documents = corpus.plan_counts(n)
        assert 1 <= platforms <= documents <= max(n, 1)
    p1, d1 = corpus.plan_counts(1000)
    p2, d2 = corpus.plan_counts(4000)
    assert 3.8 <= p2 / p1 <= 4.2 and 3.8 <= d2 / d1 <= 4.2


@pytest.mark.parametrize("n", [1, 7])
def test_tiny_corpora(tmp_path, n):
    counts = corpus.generate(n, tmp_path / "kb", seed=3)
    assert counts["provisions"] == n and counts["platforms"] == 1 and counts["analyses"] == 1
    provisions = [p for p in (tmp_path / "kb" / "content").glob("*/*/*.yaml") if p.name != "document.yaml"]
    assert len(provisions) == n


def test_proportions_at_1000(tmp_path):
    counts = corpus.generate(1000, tmp_path / "kb", seed=0)
    assert counts["provisions"] == 1000
    assert (counts["platforms"], counts["documents"]) == corpus.plan_counts(1000)
    assert 0.005 <= counts["removed"] / 1000 <= 0.04
    assert 0.15 <= counts["provision_md"] / 1000 <= 0.25
    assert 1.5 <= counts["versions"] / counts["documents"] <= 2.5
    assert counts["analyses"] == 2


def test_rerun_replaces_and_foreign_folders_are_refused(tmp_path):
    out = tmp_path / "kb"
    corpus.generate(30, out, seed=0)
    corpus.generate(10, out, seed=0)  # smaller: no stale files of the first run may survive
    provisions = [p for p in (out / "content").glob("*/*/*.yaml") if p.name != "document.yaml"]
    assert len(provisions) == 10
    foreign = tmp_path / "foreign"
    (foreign / "content").mkdir(parents=True)
    with pytest.raises(SystemExit):
        corpus.generate(5, foreign)
    assert not any((foreign / "content").iterdir())


def test_emitter_round_trips_awkward_strings():
    data = {"date": "2026-03-06", "yes": "yes", "no": "No", "colon": "x: y", "hash": "a #b", "dash": "- item",
            "quote": "'q' then", "newline": "a\nb", "tab": "a\tb", "lead": " a", "trail": "a ", "empty": "",
            "version": "1.10", "octal": "0o17", "null": "null", "tilde": "~", "at": "@x", "sep": "\u2028x",
            "long": ("word " * 60).strip() + " #tag", "quotes": "It's \u201cquoted\u201d: " * 12, "bool": True,
            "empty_list": [], "items": [{"k": "v", "l": ["a", "2024-01-01"]}, "plain"], "paren": "(d) ok",
            "flow": "[x] {y}", "star": "*x", "amp": "&x", "bang": "!x", "pipe": "|x", "gt": ">x", "pct": "%x"}
    text = corpus.yaml_text(data)
    assert read_yaml(text) == data
    assert yaml.load(corpus.yaml_dump_reference(data), Loader=Loader) == data
    assert max(len(line) for line in text.splitlines()) <= 100
