"""The JSON Schemas document every field (title, description, a valid example): editors show them as help."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import jsonschema
import pytest

from atlas.validate import SCHEMA_DIR

SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))


def fields(node: dict, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every property of a schema at any depth (through objects and array items), with its path."""
    for key, sub in node.get("properties", {}).items():
        yield path + (key,), sub
        yield from fields(sub, path + (key,))
    items = node.get("items")
    if isinstance(items, dict):
        yield from fields(items, path + ("[]",))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(node.get(keyword, ())):
            yield from fields(sub, path + (f"{keyword}{i}",))
    for name, sub in node.get("$defs", {}).items():
        yield from fields(sub, path + ("$defs", name))


def test_there_are_schemas() -> None:
    assert {p.name for p in SCHEMAS} >= {"platform.schema.json", "document.schema.json", "provision.schema.json"}


@pytest.mark.parametrize("schema_file", SCHEMAS, ids=lambda p: p.name)
def test_every_field_has_a_title_a_description_and_a_valid_example(schema_file: Path) -> None:
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema.get("title") and schema.get("description")
    found = list(fields(schema))
    assert found, "no properties found"
    missing = []
    for path, field in found:
        name = ".".join(path)
        for key in ("title", "description"):
            if not isinstance(field.get(key), str) or not field[key].strip():
                missing.append(f"{name}: {key}")
        examples = field.get("examples")
        if not isinstance(examples, list) or not examples:
            missing.append(f"{name}: examples")
            continue
        validator = jsonschema.Draft202012Validator(field)
        for example in examples:
            errors = [e.message for e in validator.iter_errors(example)]
            if errors:
                missing.append(f"{name}: example {example!r} is invalid: {errors[0]}")
            if example in ([], {}, ""):
                missing.append(f"{name}: example {example!r} shows nothing")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("schema_file", SCHEMAS, ids=lambda p: p.name)
def test_array_items_that_are_records_are_described(schema_file: Path) -> None:
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    undocumented = [".".join(path) for path, field in fields(schema)
                    if isinstance(field.get("items"), dict) and "properties" in field["items"]
                    and not (field["items"].get("title") and str(field["items"].get("description", "")).strip())]
    assert not undocumented
