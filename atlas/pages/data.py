"""Open data: the static JSON API under api/v1/, the full exports, the published JSON Schemas and the downloads page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .. import model as m
from .. import records as r
from ..csv_export import LIST_SEPARATOR, Table
from ..graph import Graph
from ..urls import API_ROOT, SiteUrl, api_url, url_for
from ..validate import RECORD_KINDS, SCHEMA_DIR, load_schema
from .base import Deferred, Page, Parts, page_path
from .compare import MATRIX_CSV, MATRIX_URL, NOT_RECORDED

API_VERSION = "v1"
API_INDEX = API_ROOT + "index.json"
# The one bulk download of every whole record: a line per provision, each line the content of the
# provision's own file. Compressed: a plain copy would be as large as all those files (100 MB at 13,000).
PROVISIONS_JSONL = API_ROOT + "provisions.jsonl.gz"
PROVISIONS_CSV = API_ROOT + "provisions.csv"
SCHEMAS_ROOT = "schemas/v1/"  # the path the $id of every schema in atlas/schemas/ names
DOWNLOADS_URL = "downloads/"


def schema_url(kind: str) -> str:
    """Where the JSON Schema of a record kind is published (the path its $id names)."""
    return f"{SCHEMAS_ROOT}{kind}.schema.json"


@dataclass(frozen=True)
class Column:
    """A column of provisions.csv: its name, what it holds, and how it is read from a provision.

    value(p, records) reads the provision's model record, and other records through the lookups of
    `records`: building each provision's whole published record for a row would double the table's cost.
    """

    name: str
    description: str
    value: Callable[[m.Provision, r.Records], Any]


def _regulations_cell(p: m.Provision, records: r.Records) -> str:
    return LIST_SEPARATOR.join(f"{ref.regulation} ({', '.join(ref.articles)})" if ref.articles else ref.regulation
                               for ref in p.regulations)


PROVISION_CSV_COLUMNS = (
    Column("id", "Record ID: platform/document/provision.", lambda p, x: p.key),
    Column("platform", "Platform ID.", lambda p, x: p.platform_id),
    Column("platform_name", "The platform's name.", lambda p, x: x.platforms[p.platform_id].name),
    Column("document", "Document ID: platform/document.", lambda p, x: p.document_key),
    Column("document_title", "The document's title.", lambda p, x: x.documents[p.document_key].title),
    Column("title", "Short name of the clause.", lambda p, x: p.title),
    Column("clause_type", "Clause type ID.", lambda p, x: p.clause_type),
    Column("clause_type_name", "The clause type's name.", lambda p, x: x.clause_types[p.clause_type].name),
    Column("category", "The clause type's category ID.", lambda p, x: x.clause_types[p.clause_type].category),
    Column("categories", "Other category IDs, separated by \"; \".", lambda p, x: p.categories),
    Column("position", "Position ID within the clause type.", lambda p, x: p.position),
    Column("position_name", "The position's name.", lambda p, x: x.graph.position(p).name),
    Column("severity", "high, medium or low.", lambda p, x: p.severity),
    Column("status", "active or removed.", lambda p, x: p.status),
    Column("section", "Where the clause sits in the document.", lambda p, x: p.section),
    Column("summary", "One sentence saying what the clause does.", lambda p, x: p.summary),
    Column("excerpt", "The clause text.", lambda p, x: p.excerpt.text),
    Column("excerpt_status", "verbatim, paraphrase or unavailable.", lambda p, x: p.excerpt.status),
    Column("excerpt_version", "Captured date of the version quoted (empty: the latest).", lambda p, x: p.excerpt.version),
    Column("quote_verified", "true when the verbatim excerpt was found in its archived, hash-verified snapshot.",
           lambda p, x: x.quote_verified(p)),
    Column("confidence", "How confident the analysis is in its reading.", lambda p, x: p.confidence),
    Column("exposure_level", "Governance exposure level.", lambda p, x: p.compliance.exposure_level),
    Column("jurisdiction_flags", "Jurisdiction IDs flagged, separated by \"; \".", lambda p, x: p.compliance.jurisdiction_flags),
    Column("regulations", "Regulation IDs with their article IDs in brackets, separated by \"; \".", _regulations_cell),
    Column("first_seen", "First day the clause was recorded.", lambda p, x: p.first_seen),
    Column("last_verified", "Last day the clause was checked.", lambda p, x: p.last_verified),
    Column("changes", "Number of change records.", lambda p, x: len(p.changes)),
    Column("last_change", "Date the latest change was detected (empty: none).",
           lambda p, x: p.changes[-1].detected if p.changes else None),
    Column("author", "Who wrote the analysis.", lambda p, x: p.authorship.author),
    Column("reviewers", "Who reviewed it, separated by \"; \".", lambda p, x: [v.name for v in p.authorship.reviewers]),
    Column("ai_assisted", "true when an AI tool helped draft the analysis.", lambda p, x: p.authorship.ai_assisted),
    Column("permalink", "Absolute URL of the provision's page.", lambda p, x: SiteUrl(url_for(p))),
)


@dataclass(frozen=True)
class DataFile:
    """A published data file (or family of files) as the downloads page describes it."""

    id: str
    title: str
    path: str  # site-relative; a pattern with <placeholders> for families of files
    link: str | None  # a file to link to (the path itself, or one example of a family)
    format: str
    description: str
    fields: tuple[tuple[str, str], ...]
    count: int | None = None


@dataclass(frozen=True)
class SchemaFile:
    """A published JSON Schema."""

    kind: str
    path: str
    title: str
    description: str


@dataclass(frozen=True)
class DownloadsPage:
    licence: m.Licence
    api_index: str
    files: tuple[DataFile, ...]
    schemas: tuple[SchemaFile, ...]
    csv_safety: str


def _licence(graph: Graph) -> dict[str, Any]:
    site = graph.site
    licence = site.licence
    return {"id": licence.id, "name": licence.name, "url": licence.url,
            "attribution": site.title if site.publisher == site.title else f"{site.title} ({site.publisher})",
            "source": SiteUrl("")}


def envelope(graph: Graph) -> dict[str, Any]:
    """The fields every JSON file carries: API version, data licence and the as-of date."""
    return {"api_version": API_VERSION, "licence": _licence(graph), "as_of": graph.as_of}


def _envelope(graph: Graph, **data: Any) -> dict[str, Any]:
    return {**envelope(graph), **data}


def _listing(obj: object, **fields: Any) -> dict[str, Any]:
    return {**fields, **r.site_links(obj)}


def api_index(graph: Graph) -> dict[str, Any]:
    """api/v1/index.json: what the atlas holds, its licence, and a link to every file."""
    return _envelope(
        graph, title=graph.site.title, description=graph.site.description, publisher=graph.site.publisher,
        counts={"platforms": len(graph.platforms), "documents": len(graph.documents), "provisions": len(graph.provisions),
                "clause_types": len(graph.clause_types), "regulations": len(graph.regulations)},
        links={"self": SiteUrl(API_INDEX), "html": SiteUrl(""), "downloads": SiteUrl(DOWNLOADS_URL),
               "matrix": SiteUrl(MATRIX_URL),
               "exports": {"provisions_jsonl": SiteUrl(PROVISIONS_JSONL), "provisions_csv": SiteUrl(PROVISIONS_CSV),
                           "matrix_csv": SiteUrl(MATRIX_CSV)},
               "schemas": {kind: SiteUrl(schema_url(kind)) for kind in RECORD_KINDS}},
        categories=[{"id": c.id, "name": c.name, "description": c.description} for c in graph.categories.values()],
        clause_types=[_listing(t, id=t.id, name=t.name, category=t.category,
                               positions=[{"id": x.id, "name": x.name} for x in t.positions])
                      for t in graph.clause_types.values()],
        platforms=[_listing(p, id=p.id, name=p.name) for p in graph.platforms.values()],
        documents=[_listing(d, id=d.key, platform=d.platform_id, title=d.title, kind=d.kind) for d in graph.documents.values()],
        regulations=[_listing(g, id=g.id, name=g.name, jurisdiction=g.jurisdiction) for g in graph.regulations.values()],
        jurisdictions=[{"id": j.id, "code": j.code, "name": j.name, "parent": j.parent,
                        "permalink": SiteUrl(url_for(j)), "path": url_for(j)} for j in graph.jurisdictions.values()],
    )


def record_file(record: object, graph: Graph) -> dict[str, Any]:
    """The content of a record's own JSON file: the envelope and the published record."""
    records = r.Records(graph)
    build: Callable[[Any], dict[str, Any]] = {
        m.Platform: records.platform, m.Document: records.document, m.Provision: records.provision,
        m.ClauseType: records.clause_type, m.Regulation: records.regulation}[type(record)]
    return {**envelope(graph), **build(record)}


def provision_parts(graph: Graph) -> tuple[tuple[str, ...], ...]:
    """The record IDs of every provision in record ID order, a part per platform (see Parts)."""
    parts: dict[str, list[str]] = {}
    for p in r.sorted_provisions(graph.provisions.values()):
        parts.setdefault(p.platform_id, []).append(p.key)
    return tuple(tuple(keys) for keys in parts.values()) or ((),)


def provision_files(keys: tuple[str, ...], graph: Graph) -> Iterator[dict[str, Any]]:
    """A part of api/v1/provisions.jsonl.gz, a line each: the content of each provision's own file.

    Each is built as it is written, so the bulk download is never held whole in memory.
    """
    records, common = r.Records(graph), envelope(graph)
    for key in keys:
        yield {**common, **records.provision(graph.provisions[key])}


def provisions_header(graph: Graph) -> Table:
    """The first part of api/v1/provisions.csv: its header row."""
    return Table(tuple(c.name for c in PROVISION_CSV_COLUMNS), ())


def provisions_table(keys: tuple[str, ...], graph: Graph) -> Table:
    """A part of api/v1/provisions.csv: a row per provision, with no header row."""
    records = r.Records(graph)
    return Table((), tuple(tuple(column.value(graph.provisions[key], records) for column in PROVISION_CSV_COLUMNS)
                           for key in keys))


def _first(items: Any) -> Any:
    return next(iter(items), None)


def data_files(graph: Graph) -> tuple[DataFile, ...]:
    """Every published data file, described for the downloads page."""
    common_fields = (("api_version", f"\"{API_VERSION}\"."), ("licence", "The data licence: id, name, url, attribution, source."),
                ("as_of", "The date the figures are as of."))
    # The first record of each kind is linked as an example of its family of files.
    p, d, t, g = (_first(x.values()) for x in (graph.platforms, graph.documents, graph.clause_types, graph.regulations))
    provision = _first(r.sorted_provisions(graph.provisions.values()))
    matrix_fields = (("category", "Category ID of the clause type."), ("clause_type", "Clause type ID."),
                     ("clause_type_name", "The clause type's name."),
                     ("<platform ID>", f"One column per platform: each provision of the type as position ID and severity "
                                       f"(\"prohibited (high)\", \"removed\" added for removed clauses), separated by \"; \"; "
                                       f"\"{NOT_RECORDED}\" when the platform has none."))
    return (
        DataFile("api-index", "API index", API_INDEX, API_INDEX, "JSON",
                 "The entry point: counts, licence, links to every file, and every platform, document, clause type "
                 "(with positions), category, regulation and jurisdiction.",
                 common_fields + (("title", "The site's title."), ("description", "What the atlas is."),
                             ("publisher", "Who publishes it."), ("counts", "How many records of each kind."),
                             ("links", "The index, downloads page, matrix, exports and schemas."),
                             ("categories, clause_types, platforms, documents, regulations, jurisdictions",
                              "Lists of records, each with id, name, permalink, path and links."))),
        DataFile("platforms", "Platforms", API_ROOT + "platforms/<platform>.json", p and api_url(p), "JSON",
                 "One file per platform, listing its provisions by reference, each with its position name, excerpt "
                 "and page path (what the comparison page shows).", r.PLATFORM_FIELDS, len(graph.platforms)),
        DataFile("documents", "Documents", API_ROOT + "documents/<platform>/<document>.json", d and api_url(d), "JSON",
                 "One file per policy document, with its archived versions and its provisions by reference.",
                 r.DOCUMENT_FIELDS, len(graph.documents)),
        DataFile("provisions", "Provisions", API_ROOT + "provisions/<platform>/<document>/<provision>.json",
                 provision and api_url(provision), "JSON", "One file per provision: the whole record.",
                 r.PROVISION_FIELDS, len(graph.provisions)),
        DataFile("clause-types", "Clause types", API_ROOT + "clause-types/<clause-type>.json", t and api_url(t), "JSON",
                 "One file per clause type, with every provision of the type by reference.", r.CLAUSE_TYPE_FIELDS,
                 len(graph.clause_types)),
        DataFile("regulations", "Regulations", API_ROOT + "regulations/<regulation>.json", g and api_url(g), "JSON",
                 "One file per regulation: the crosswalk of provisions mapped to it.", r.REGULATION_FIELDS,
                 len(graph.regulations)),
        DataFile("provision-reference", "Provision reference", "(inside the files above)", None, "JSON",
                 "How platform, document, clause type and regulation files list provisions: the fields to filter "
                 "on, and the URL of the provision's own file, which holds the whole record.",
                 r.PROVISION_REFERENCE_FIELDS),
        DataFile("provisions-jsonl", "All provisions (JSON Lines, gzip)", PROVISIONS_JSONL, PROVISIONS_JSONL,
                 "JSON Lines", "The bulk download: every provision record in full, by record ID, a line each; each line "
                 "is the content of the provision's own file. Compressed with gzip, a gzip member per platform, which "
                 "gunzip and gzip libraries read as one stream; read it as a stream "
                 "(for instance: gunzip -c provisions.jsonl.gz | jq .title).",
                 common_fields + (("<the fields of a provision file>", "As in the provision's own file."),),
                 len(graph.provisions)),
        DataFile("provisions-csv", "All provisions (CSV)", PROVISIONS_CSV, PROVISIONS_CSV, "CSV",
                 "A row per provision, by record ID.", tuple((c.name, c.description) for c in PROVISION_CSV_COLUMNS),
                 len(graph.provisions)),
        DataFile("matrix-csv", "Clause type × platform matrix (CSV)", MATRIX_CSV, MATRIX_CSV, "CSV",
                 "The matrix page as a table: a row per clause type, a column per platform.", matrix_fields,
                 len(graph.clause_types)),
    )


def schema_files() -> tuple[SchemaFile, ...]:
    """The published JSON Schemas, one per record kind."""
    return tuple(SchemaFile(kind, schema_url(kind), load_schema(kind).get("title", kind), load_schema(kind).get("description", ""))
                 for kind in RECORD_KINDS)


def plan(graph: Graph) -> Iterator[Page]:
    """The API files, the exports, the schemas and the downloads page.

    The records' files and the exports are Deferred: built when rendered, so that planning them is free and
    a rebuild builds only the files whose records changed; the exports are built in Parts, a platform each.
    """
    yield Page(API_INDEX, "@json", api_index(graph))
    parts = provision_parts(graph)
    yield Page(PROVISIONS_JSONL, "@jsonl-gzip", Parts(tuple(Deferred(provision_files, (keys,)) for keys in parts)))
    yield Page(PROVISIONS_CSV, "@csv", Parts((Deferred(provisions_header),)
                                             + tuple(Deferred(provisions_table, (keys,)) for keys in parts)))
    for kind in (graph.platforms, graph.documents, graph.provisions, graph.clause_types, graph.regulations):
        for record in kind.values():
            yield Page(api_url(record), "@json", Deferred(record_file, (record,)))
    for kind in RECORD_KINDS:
        # Published byte for byte: the $id inside each schema already names this path.
        yield Page(schema_url(kind), "@bytes", (SCHEMA_DIR / f"{kind}.schema.json").read_bytes())
    csv_note = ("In the CSV files, a cell that would begin with =, +, -, @, a tab or a carriage return is prefixed "
                "with a single quote (') so that no spreadsheet reads contributed text as a formula.")
    yield Page(page_path(DOWNLOADS_URL), "downloads.html",
               DownloadsPage(graph.site.licence, API_INDEX, data_files(graph), schema_files(), csv_note),
               "Open data: downloads and JSON API",
               f"Every record of the atlas as JSON and CSV, under {graph.site.licence.name}: the JSON API, "
               "full exports, the matrix and the JSON Schemas, with every field described.")
