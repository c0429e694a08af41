"""`build.py new`: write a new platform, document or provision record for a contributor to fill in.

A record is written from its JSON Schema: every required field holds a "TODO: <what goes here>"
placeholder (the check reports each one as `error[placeholder]` until it is replaced), enumerations list
their choices in a comment, and optional fields are shown commented out with an example.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .load import ANALYSES_DIR, RESERVED_IDS, SLUG, RawRecord
from .problems import Problem
from .textrules import PLACEHOLDER
from .validate import SCHEMA_DIR, load_schema, placeholder_problems
from .yamlsafe import parse_yaml

MAX_ID_LENGTH = 80
# Names that would make the record another kind of file: content/<p>/<d>/document.yaml is the document.
NOT_A_PROVISION = frozenset({"document"})


class ScaffoldError(Exception):
    """The record cannot be created (bad ID, missing parent, file exists, unknown clause type)."""


@dataclass(frozen=True)
class Scaffold:
    """A record about to be written: where, its text, and what the contributor must fill in."""

    path: Path
    relative: str  # the path relative to the knowledge base root, as the check names it
    text: str
    todo: tuple[Problem, ...]
    notes: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- IDs and places


def check_id(ident: str, what: str) -> str:
    """The ID if it is a valid slug, else a ScaffoldError saying how to write one."""
    if not SLUG.fullmatch(ident) or len(ident) > MAX_ID_LENGTH:
        raise ScaffoldError(f"'{ident}' is not a valid {what} ID: use lowercase letters a-z, digits and single hyphens "
                            f"(at most {MAX_ID_LENGTH} characters), e.g. example-ai")
    if ident in RESERVED_IDS:
        raise ScaffoldError(f"'{ident}' is a reserved name; choose another {what} ID")
    return ident


def split_ids(value: str, count: int, shape: str) -> tuple[str, ...]:
    """Split PLATFORM/DOCUMENT/ID into its parts, or fail saying which shape was expected."""
    parts = tuple(value.split("/"))
    if len(parts) != count or not all(parts):
        raise ScaffoldError(f"'{value}' should look like {shape}")
    return parts


def schema_line(record: Path, kind: str) -> str:
    """The editor's `# yaml-language-server: $schema=...` line, relative from the record to the schema."""
    schema = SCHEMA_DIR / f"{kind}.schema.json"
    try:
        target = Path(os.path.relpath(schema.resolve(), record.parent.resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        target = schema.resolve().as_uri()
    return f"# yaml-language-server: $schema={target}"


# ----------------------------------------------------------------------------- YAML from a schema


def _quote(value: Any) -> str:
    # JSON text is YAML: a double-quoted string can hold ': ', '#' and quotes without surprises.
    return json.dumps(value, ensure_ascii=False)


def placeholder(schema: dict) -> str:
    """The "TODO: ..." text for a field, from its schema description."""
    description = " ".join(str(schema.get("description") or schema.get("title") or "fill this in").split())
    if schema.get("type") == "boolean":
        description = f"true or false. {description}"
    return f"{PLACEHOLDER}: {description}"


def _is_long_text(schema: dict) -> bool:
    # Prose goes in a folded block (no quoting to get wrong); IDs, URLs, dates and choices stay on one line.
    if schema.get("type") != "string" or "pattern" in schema or "enum" in schema:
        return False
    return schema.get("maxLength", 0) >= 2000 or "Markdown" in schema.get("description", "")


def _choices(schema: dict) -> str:
    return f"  # one of: {', '.join(map(str, schema['enum']))}" if "enum" in schema else ""


def _commented_example(key: str, schema: dict, indent: str) -> list[str]:
    examples = schema.get("examples") or []
    if not examples:
        return [f"{indent}# {key}: ({schema.get('description', '')})"]
    dumped = yaml.safe_dump({key: examples[0]}, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return [f"{indent}# {line}" for line in dumped.rstrip("\n").split("\n")]


def _field(key: str, schema: dict, indent: str, values: dict, path: tuple) -> list[str]:
    if path in values:
        value, comment = values[path]
        return [f"{indent}{key}: {value}{comment}"]
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return [f"{indent}{key}:", *_mapping(schema, indent + "  ", values, path)]
    if kind == "array" and isinstance(schema.get("items"), dict) and schema["items"].get("type") == "object":
        item = _mapping(schema["items"], indent + "    ", values, path + (0,))
        first = item[0].lstrip(" ")
        return [f"{indent}{key}:", f"{indent}  - {first}", *item[1:]]
    if _is_long_text(schema):
        return [f"{indent}{key}: >-", f"{indent}  {placeholder(schema)}"]
    return [f"{indent}{key}: {_quote(placeholder(schema))}{_choices(schema)}"]


def _mapping(schema: dict, indent: str, values: dict, path: tuple) -> list[str]:
    lines: list[str] = []
    required = set(schema.get("required", ()))
    for key, sub in schema.get("properties", {}).items():
        here = path + (key,)
        if key in required or here in values:
            lines += _field(key, sub, indent, values, here)
        else:
            lines += _commented_example(key, sub, indent)
    return lines


def record_text(kind: str, target: Path, values: dict | None = None, header: tuple[str, ...] = ()) -> str:
    """The text of a new record of a kind: schema line, instructions, required fields as placeholders."""
    lines = [schema_line(target, kind),
             f"# A new {kind} record: replace every \"{PLACEHOLDER}: ...\" value, then run `python build.py check`.",
             "# Optional fields are commented out with an example: remove the '# ' to use one.",
             *header]
    lines += _mapping(load_schema(kind), "", values or {}, ())
    return "\n".join(lines) + "\n"


def todo_list(kind: str, relative: str, text: str) -> tuple[Problem, ...]:
    """The placeholders of a record text, as the check will report them (line, field, what to write)."""
    parsed = parse_yaml(text)
    if parsed.data is None:  # a bug in this module, not the contributor's doing
        raise ScaffoldError(f"internal error: the new {kind} record is not valid YAML: {parsed.problems}")
    return tuple(placeholder_problems(RawRecord(kind, relative, (), parsed.data, parsed.positions, None, "")))


# ----------------------------------------------------------------------------- the three records


def _scaffold(root: Path, relative: str, kind: str, values: dict | None = None,
              header: tuple[str, ...] = (), notes: tuple[str, ...] = ()) -> Scaffold:
    target = root / relative
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{relative} already exists; edit it instead (nothing was written)")
    text = record_text(kind, target, values, header)
    return Scaffold(target, relative, text, todo_list(kind, relative, text), notes)


def plan_platform(root: Path, platform: str) -> Scaffold:
    """content/<platform>/platform.yaml."""
    check_id(platform, "platform")
    if platform == ANALYSES_DIR:
        raise ScaffoldError(f"'{ANALYSES_DIR}' is the folder of cross-platform analyses; choose another platform ID")
    return _scaffold(root, f"content/{platform}/platform.yaml", "platform",
                     notes=(f"then add its documents: python build.py new document {platform}/<document-id>",))


def plan_document(root: Path, platform: str, document: str) -> Scaffold:
    """content/<platform>/<document>/document.yaml, under an existing platform."""
    check_id(platform, "platform")
    check_id(document, "document")
    if not (root / "content" / platform / "platform.yaml").is_file():
        raise ScaffoldError(f"no platform '{platform}' (content/{platform}/platform.yaml); "
                            f"create it first: python build.py new platform {platform}")
    folder = f"content/{platform}/{document}"
    return _scaffold(root, f"{folder}/document.yaml", "document", notes=(
        f"save the document's text as {folder}/snapshots/<captured date>.txt (e.g. snapshots/2026-05-11.txt)",
        f"its SHA-256 for versions.0.sha256: sha256sum {folder}/snapshots/<file>  (or: python -c \"import hashlib,sys; "
        f"print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())\" {folder}/snapshots/<file>)",
        f"then add its provisions: python build.py new provision {platform}/{document}/<provision-id>",
    ))


def clause_types(root: Path) -> dict[str, tuple[str, ...]]:
    """The clause type IDs of data/clause-types.yaml and their positions (empty when unreadable)."""
    path = root / "data" / "clause-types.yaml"
    try:
        parsed = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    items = parsed.data.get("clause_types") if isinstance(parsed.data, dict) else None
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            positions = item.get("positions") if isinstance(item.get("positions"), list) else []
            found[item["id"]] = tuple(p["id"] for p in positions if isinstance(p, dict) and isinstance(p.get("id"), str))
    return found


def plan_provision(root: Path, platform: str, document: str, provision: str, clause_type: str | None = None) -> Scaffold:
    """content/<platform>/<document>/<provision>.yaml, under an existing document."""
    check_id(platform, "platform")
    check_id(document, "document")
    check_id(provision, "provision")
    if provision in NOT_A_PROVISION:
        raise ScaffoldError(f"'{provision}' would be the document's own record; choose another provision ID")
    if not (root / "content" / platform / document / "document.yaml").is_file():
        raise ScaffoldError(f"no document '{platform}/{document}' (content/{platform}/{document}/document.yaml); "
                            f"create it first: python build.py new document {platform}/{document}")
    types = clause_types(root)
    values: dict[tuple, tuple[str, str]] = {}
    header: tuple[str, ...] = ()
    if clause_type is not None:
        if clause_type not in types:
            known = ", ".join(sorted(types)) or "none found (is data/clause-types.yaml readable?)"
            raise ScaffoldError(f"unknown clause type '{clause_type}'; the clause types in data/clause-types.yaml: {known}")
        positions = types[clause_type]
        values[("clause_type",)] = (clause_type, "")
        if positions:
            values[("position",)] = (positions[0], f"  # one of: {', '.join(positions)}")
    elif types:
        header = (f"# clause_type is one of: {', '.join(sorted(types))}",
                  "#   (its positions are listed in data/clause-types.yaml; or run: "
                  f"python build.py new provision {platform}/{document}/{provision} --clause-type <id>)")
    return _scaffold(root, f"content/{platform}/{document}/{provision}.yaml", "provision", values, header, notes=(
        f"quote the clause exactly as content/{platform}/{document}/snapshots/ has it (excerpt.status: verbatim); the check verifies it",
        f"a long-form analysis can go in content/{platform}/{document}/{provision}.md (Markdown, optional)",
    ))


def write(scaffold: Scaffold) -> None:
    """Create the record file, never overwriting one (even one created a moment ago)."""
    scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(scaffold.path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(scaffold.text)
    except FileExistsError:
        raise ScaffoldError(f"{scaffold.relative} already exists; edit it instead (nothing was written)") from None
