"""Validate stage: raw records + JSON Schemas -> model objects; every problem is reported."""
from __future__ import annotations

import difflib
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

import fastjsonschema

if TYPE_CHECKING:  # imported where a record failed its schema: a build whose records all pass never needs it
    import jsonschema

from . import model as m
from .load import LoadedTree, RawRecord
from .problems import Problem, error
from .textrules import HIDDEN as _HIDDEN
from .textrules import PLACEHOLDER_START as _PLACEHOLDER

SCHEMA_DIR = Path(__file__).parent / "schemas"
RECORD_KINDS = ("site", "clause-types", "regulations", "jurisdictions", "platform", "document", "provision", "analysis")
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "object": "a mapping (key: value lines)", "array": "a list (- item lines)", "null": "empty"}


@lru_cache(maxsize=None)
def load_schema(kind: str) -> dict:
    """The JSON Schema of a record kind, from the package."""
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _whole_text_pattern(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262, where '$' ends the text; Python's '$' also matches before a final
    # newline, so "child-safety\n" would pass as an ID and become a folder name with a newline in it.
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern)


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[jsonschema.ValidationError]:
    import jsonschema

    if validator.is_type(instance, "string") and not _whole_text_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=None)
def _validator(kind: str) -> jsonschema.protocols.Validator:
    import jsonschema  # about 40 ms, paid only by a build that has a record to explain

    schema = load_schema(kind)
    cls = jsonschema.validators.extend(jsonschema.validators.validator_for(schema), {"pattern": _pattern_keyword})
    # Dates are the one format the schemas use: a date that does not exist is reported with the record's
    # other schema problems, in the same run, not only once they are fixed and the record is modelled.
    return cls(schema, format_checker=jsonschema.FormatChecker(formats=["date"]))


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field(path: tuple) -> str:
    return ".".join(str(p) for p in path) or "the record"


@lru_cache(maxsize=None)
def _compiled(kind: str) -> Callable[[Any], Any]:
    # Dates are asserted, as _validator's format checker does; patterns end at the end of the text ('$' as
    # '\Z'), as _pattern_keyword makes jsonschema do.
    return fastjsonschema.compile(load_schema(kind), use_formats=True)


def conforms(record: RawRecord) -> bool:
    """True if the record passes its schema: the compiled validator, about 15 times faster than jsonschema.

    It is only trusted to say yes; when it says no, jsonschema finds every violation and words the messages.
    """
    try:
        _compiled(record.kind)(record.data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_problems(record: RawRecord) -> list[Problem]:
    """Every schema violation of a record, each pointing at the offending key."""
    if conforms(record):
        return []
    problems = []
    origin = m.Origin(record.path, record.positions)
    errors = list(_validator(record.kind).iter_errors(record.data))
    # A value of the wrong type also fails its enum or pattern; saying so twice would only confuse.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    for err in errors:
        path = tuple(err.absolute_path)
        if path in mistyped and err.validator != "type":
            continue
        if is_placeholder(err.instance):
            continue  # placeholder_problems says "replace the TODO placeholder", which is what is wrong
        schema = err.schema if isinstance(err.schema, dict) else {}
        title = schema.get("title")
        where = _field(path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = sorted(schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(allowed)):
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
                problems.append(origin.error(path + (key,), "unknown-field", f"unknown field '{key}' in {where}{hint}"))
            continue
        if err.validator == "required":
            missing = [key for key in err.validator_value if key not in err.instance]
            for key in missing:
                problems.append(origin.error(path, "missing-field", f"missing required field '{key}' in {where}"))
            continue
        if err.validator == "format":  # "date", the only format the schemas use
            problems.append(origin.error(path, "bad-date", f"{where} '{_clip(err.instance)}' is not a real date"))
            continue
        if err.validator == "type":
            expected = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
            hint = " (put it in quotes)" if expected == "string" and isinstance(err.instance, (int, float, bool)) else ""
            message = f"{where} must be {_TYPE_NAMES.get(expected, expected)}, not {_type_name(err.instance)}{hint}"
        elif err.validator == "enum":
            message = f"{where} is '{err.instance}', which is not one of: {', '.join(map(str, err.validator_value))}"
        elif err.validator == "pattern":
            message = f"{where} ('{_clip(err.instance)}') is not valid {('for ' + title) if title else ''}: {schema.get('description', 'see the schema')}".replace("  ", " ")
        elif err.validator in ("minLength", "minItems"):
            message = f"{where} must not be empty"
        elif err.validator in ("maxLength", "maxItems"):
            message = f"{where} is too long (at most {err.validator_value} {'characters' if err.validator == 'maxLength' else 'items'})"
        elif err.validator == "uniqueItems":
            message = f"{where} lists the same item twice"
        else:
            message = f"{where}: {err.message}"
        problems.append(origin.error(path, "schema", message))
    return problems


def _clip(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def is_placeholder(value: Any) -> bool:
    """True for a scaffold's "TODO: ..." text that a contributor has not replaced yet."""
    return isinstance(value, str) and _PLACEHOLDER.match(value) is not None


def placeholder_problems(record: RawRecord) -> list[Problem]:
    """Every "TODO: ..." placeholder still in a record (written by `build.py new`)."""
    if record.plain_text:
        return []  # no text of it can hold one
    origin = m.Origin(record.path, record.positions)
    return [origin.error(path, "placeholder",
                         f"replace the TODO placeholder in {_field(path)}: {_clip(_PLACEHOLDER.sub('', text, count=1).lstrip(': '), 120)}")
            for path, text in _strings(record.data) if is_placeholder(text)]


def text_problems(record: RawRecord) -> list[Problem]:
    """Hidden characters (controls, bidi overrides) in any text of a record."""
    origin = m.Origin(record.path, record.positions)
    problems = []
    texts = () if record.plain_text else _strings(record.data)  # plain text: no text of it can hide one
    for path, text in texts:
        found = _HIDDEN.search(text)
        if found:
            problems.append(origin.error(path, "hidden-character",
                                         f"{_field(path)} holds the invisible character U+{ord(found.group()):04X}; remove it"))
    if record.body is not None:
        found = _HIDDEN.search(record.body)
        if found:
            line = record.body.count("\n", 0, found.start()) + record.body_line
            col = found.start() - record.body.rfind("\n", 0, found.start())
            problems.append(error(record.path, (line, col), "hidden-character",
                                  f"the text holds the invisible character U+{ord(found.group()):04X}; remove it"))
    return problems


class _Dates:
    """Parses dates of a record, collecting a problem for each impossible one."""

    def __init__(self, origin: m.Origin) -> None:
        self.origin = origin
        self.problems: list[Problem] = []

    def __call__(self, value: str | None, *path: object) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problems.append(self.origin.error(path, "bad-date", f"{_field(path)} '{value}' is not a real date"))
            return date.min


def _licence(data: dict | None) -> m.Licence | None:
    return m.Licence(data["id"], data["name"], data["url"]) if data else None


def build_site(r: RawRecord, dates: _Dates) -> m.Site:
    d = r.data
    return m.Site(d["title"], d.get("tagline", ""), d["description"], d["url"], d["language"], d["publisher"],
                  _licence(d["licence"]), _licence(d.get("code_licence")), d["repository"], d.get("branch", "main"),
                  dates(d.get("as_of"), "as_of"), dates.origin)


def build_platform(r: RawRecord, dates: _Dates) -> m.Platform:
    d = r.data
    return m.Platform(r.ids[0], d["name"], d.get("operator"), d["website"], d["description"],
                      tuple(d.get("aliases", ())), d.get("headquarters"), dates.origin)


def build_document(r: RawRecord, dates: _Dates) -> m.Document:
    d = r.data
    versions = tuple(
        m.Version(dates(v["captured"], "versions", i, "captured"), v["snapshot"], v["sha256"], v.get("source_url"),
                  v.get("archive_url"), dates(v.get("last_updated"), "versions", i, "last_updated"),
                  dates(v.get("effective"), "versions", i, "effective"), v.get("note"))
        for i, v in enumerate(d["versions"]))
    return m.Document(r.ids[1], r.ids[0], d["title"], d["kind"], d["url"], d.get("description"), versions, dates.origin)


def build_provision(r: RawRecord, dates: _Dates, analysis: RawRecord | None) -> m.Provision:
    d = r.data
    c = d["compliance"]
    ex = d["excerpt"]
    a = d["authorship"]
    changes = tuple(
        m.Change(ch["kind"], dates(ch["detected"], "changes", i, "detected"), dates(ch.get("announced"), "changes", i, "announced"),
                 dates(ch.get("effective"), "changes", i, "effective"), ch["summary"], ch.get("previous_text"),
                 ch.get("previous_text_unavailable"))
        for i, ch in enumerate(d.get("changes", ())))
    return m.Provision(
        id=r.ids[2], platform_id=r.ids[0], document_id=r.ids[1], title=d["title"], clause_type=d["clause_type"],
        position=d["position"], severity=d["severity"], categories=tuple(d.get("categories", ())), section=d.get("section"),
        summary=d["summary"],
        excerpt=m.Excerpt(ex["text"], ex["status"], dates(ex.get("version"), "excerpt", "version")),
        why_it_matters=d["why_it_matters"], consumer_impact=d["consumer_impact"],
        interpretive_note=d.get("interpretive_note"), confidence=d["confidence"],
        compliance=m.Compliance(c["regulatory_landscape"], c["governance_exposure"]["level"], c["governance_exposure"]["text"],
                                tuple(c["jurisdiction_flags"].get("jurisdictions", ())), c["jurisdiction_flags"]["text"],
                                c["contract_implications"], c["compliance_considerations"]),
        regulations=tuple(m.RegulationRef(x["regulation"], tuple(x.get("articles", ())), x["rationale"])
                          for x in d.get("regulations", ())),
        first_seen=dates(d["first_seen"], "first_seen"), last_verified=dates(d["last_verified"], "last_verified"),
        status=d.get("status", "active"), changes=changes,
        faq=tuple(m.Question(q["question"], q["answer"]) for q in d.get("faq", ())),
        authorship=m.Authorship(a["author"], dates(a["written"], "authorship", "written"),
                                tuple(m.Review(x["name"], dates(x["date"], "authorship", "reviewers", i, "date"))
                                      for i, x in enumerate(a.get("reviewers", ()))),
                                a["ai_assisted"], a.get("ai_note")),
        analysis=analysis.body if analysis else None, analysis_path=analysis.path if analysis else None,
        origin=dates.origin)


def build_analysis(r: RawRecord, dates: _Dates) -> m.Analysis:
    d = r.data
    return m.Analysis(r.ids[0], d["title"], d["summary"], dates(d["date"], "date"), dates(d.get("updated"), "updated"),
                      tuple(d["authors"]), tuple(d.get("provisions", ())), tuple(d.get("clause_types", ())),
                      tuple(d.get("regulations", ())), r.body or "", dates.origin)


def build_vocabulary(by_kind: dict[str, RawRecord], dates_of: dict[str, _Dates]) -> m.Vocabulary:
    ct = by_kind["clause-types"]
    regs = by_kind["regulations"]
    jur = by_kind["jurisdictions"]
    return m.Vocabulary(
        categories=tuple(m.Category(c["id"], c["name"], c.get("description", "")) for c in ct.data["categories"]),
        clause_types=tuple(
            m.ClauseType(t["id"], t["name"], t["category"], t["description"],
                         tuple(m.Position(p["id"], p["name"], p.get("description", "")) for p in t["positions"]),
                         dates_of["clause-types"].origin, i)
            for i, t in enumerate(ct.data["clause_types"])),
        regulations=tuple(
            m.Regulation(g["id"], g["name"], g.get("full_name", g["name"]), g["jurisdiction"], g["url"], g["description"],
                         tuple(m.Article(a["id"], a["label"], a.get("title", ""), a.get("url")) for a in g.get("articles", ())),
                         dates_of["regulations"].origin, i)
            for i, g in enumerate(regs.data["regulations"])),
        jurisdictions=tuple(m.Jurisdiction(j["id"], j["code"], j["name"], j.get("parent"), dates_of["jurisdictions"].origin)
                            for j in jur.data["jurisdictions"]),
        clause_types_origin=dates_of["clause-types"].origin, regulations_origin=dates_of["regulations"].origin,
        jurisdictions_origin=dates_of["jurisdictions"].origin)


ONE_FILE_KINDS = ("platform", "document", "provision", "analysis")  # the records built from one file each
_BUILDERS: dict[str, Callable[[RawRecord, _Dates], Any]] = {"platform": build_platform, "document": build_document,
                                                            "analysis": build_analysis}


def _named(value: Any) -> Any:
    """A reference as written, or None for a scaffold's placeholder (reported as such already)."""
    return None if is_placeholder(value) else value


def _items(value: Any) -> tuple[Any, ...]:
    return tuple(map(_named, value)) if isinstance(value, list) else ()


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def raw_references(r: RawRecord) -> m.References:
    """What a provision record that failed its schema names in the vocabularies, read from its data as written."""
    d = r.data
    regulations = tuple((_named(_mapping(x).get("regulation")), _items(_mapping(x).get("articles"))) for x in _items(d.get("regulations")))
    flags = _mapping(_mapping(d.get("compliance")).get("jurisdiction_flags"))
    return m.References(m.Origin(r.path, r.positions), _named(d.get("clause_type")), _named(d.get("position")),
                        _items(d.get("categories")), regulations, _items(flags.get("jurisdictions")))


def model_record(r: RawRecord, analysis: RawRecord | None = None) -> tuple[Any, list[Problem]]:
    """The model object of one valid record file (a provision's with its analysis beside it), and its date problems."""
    dates = _Dates(m.Origin(r.path, r.positions, _built_from(r, analysis)))
    built = build_provision(r, dates, analysis) if r.kind == "provision" else _BUILDERS[r.kind](r, dates)
    return built, dates.problems


def record_problems(record: RawRecord) -> list[Problem]:
    """Schema and text problems of one record (pure: load.parse_tree runs it where it parses the record)."""
    if record.kind == "provision-analysis":
        return text_problems(record)
    return schema_problems(record) + placeholder_problems(record) + text_problems(record)


def _unparsed_record_ids(tree: LoadedTree) -> set[str]:
    """IDs of every record file found, so records that failed to parse do not cause cascades of problems."""
    ids = set()
    for path in tree.paths:
        parts = path.split("/")[1:]
        if parts[-1].endswith(".yaml") and parts[0] != "analyses":
            stem = parts[-1][: -len(".yaml")]
            ids.add("/".join(parts[:-1]) if stem in ("platform", "document") else "/".join(parts[:-1] + [stem]))
    return ids


Checks = Mapping[tuple[str, str, str], Sequence[Problem]]  # (kind, path, digest) -> the record's record_problems


def _built_from(record: RawRecord, analysis: RawRecord | None) -> str:
    """What a record built from one file (and a provision's analysis beside it) is a function of (Origin.source)."""
    parts = (record.kind, record.path, record.digest) + ((analysis.path, analysis.digest) if analysis else ())
    return "\0".join(parts)


def validate(tree: LoadedTree, checks: Checks | None = None) -> tuple[m.KnowledgeBase | None, list[Problem]]:
    """Check every record against its schema and turn the valid ones into model objects.

    `checks` may hold the record_problems of records already checked, by (kind, path, digest): those
    load.parse_tree found when given record_problems as its check.
    """
    checks = checks or {}
    problems: list[Problem] = []
    valid: list[RawRecord] = []
    broken: set[str] = set()
    unmodelled: list[m.References] = []
    for record in tree.records:
        key = (record.kind, record.path, record.digest)
        found = list(checks[key]) if key in checks else record_problems(record)
        problems.extend(found)
        if any(p.is_error for p in found):
            broken.add("/".join(record.ids) if record.ids else record.kind)
            if record.kind == "provision" and isinstance(record.data, dict):
                unmodelled.append(raw_references(record))
        else:
            valid.append(record)

    broken |= _unparsed_record_ids(tree) - {"/".join(r.ids) for r in valid if r.kind != "provision-analysis"}
    singles = {r.kind: r for r in valid if r.kind in ("site", "clause-types", "regulations", "jurisdictions")}
    dates_of = {kind: _Dates(m.Origin(r.path, r.positions)) for kind, r in singles.items()}
    analyses_md = {r.ids: r for r in valid if r.kind == "provision-analysis"}
    for ids, r in analyses_md.items():
        if r.path[:-3] + ".yaml" not in tree.paths:
            problems.append(error(r.path, (1, 1), "orphan-analysis",
                                  f"no provision record {r.path[:-3]}.yaml for this analysis; rename it to match its provision"))

    built: dict[str, list] = {kind: [] for kind in ONE_FILE_KINDS}
    for r in valid:
        if r.kind in built:
            record, found = model_record(r, analyses_md.get(r.ids) if r.kind == "provision" else None)
            built[r.kind].append(record)
            problems.extend(found)
    platforms, documents, provisions, analyses = (built[kind] for kind in ONE_FILE_KINDS)

    if set(singles) != {"site", "clause-types", "regulations", "jurisdictions"}:
        return None, problems  # the vocabularies are needed to link anything; their problems are reported above
    site = build_site(singles["site"], dates_of["site"])
    vocabulary = build_vocabulary(singles, dates_of)
    for d in dates_of.values():
        problems.extend(d.problems)
    kb = m.KnowledgeBase(site, vocabulary, tuple(platforms), tuple(documents), tuple(provisions), tuple(analyses),
                         {path: m.Snapshot(path, s.file, s.size, s.sha256) for path, s in tree.snapshots.items()}, frozenset(broken),
                         tuple(unmodelled))
    return kb, problems
