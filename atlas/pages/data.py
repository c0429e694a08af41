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
from .base import Page, page_path
from .compare import MATRIX_CSV, MATRIX_URL, NOT_RECORDED

API_VERSION = "v1"
API_INDEX = API_ROOT + "index.json"
PROVISIONS_INDEX = API_ROOT + "provisions/index.json"
PROVISIONS_JSON = API_ROOT + "provisions.json"
PROVISIONS_CSV = API_ROOT + "provisions.csv"
SCHEMAS_ROOT = "schemas/v1/"  # the path the $id of every schema in atlas/schemas/ names
DOWNLOADS_URL = "downloads/"


def schema_url(kind: str) -> str:
    """Where the JSON Schema of a record kind is published (the path its $id names)."""
    return f"{SCHEMAS_ROOT}{kind}.schema.json"


@dataclass(frozen=True)
class Column:
    """A column of provisions.csv: its name, what it holds, and how it is read from a provision record."""

    name: str
    description: str
    value: Callable[[r.Record, Graph], Any]


def _regulations_cell(record: r.Record, graph: Graph) -> str:
    return LIST_SEPARATOR.join(f"{ref['regulation']} ({', '.join(ref['articles'])})" if ref["articles"] else ref["regulation"]
                               for ref in record["regulations"])


PROVISION_CSV_COLUMNS = (
    Column("id", "Record ID: platform/document/provision.", lambda x, g: x["id"]),
    Column("platform", "Platform ID.", lambda x, g: x["platform"]),
    Column("platform_name", "The platform's name.", lambda x, g: g.platforms[x["platform"]].name),
    Column("document", "Document ID: platform/document.", lambda x, g: x["document"]),
    Column("document_title", "The document's title.", lambda x, g: g.documents[x["document"]].title),
    Column("title", "Short name of the clause.", lambda x, g: x["title"]),
    Column("clause_type", "Clause type ID.", lambda x, g: x["clause_type"]),
    Column("clause_type_name", "The clause type's name.", lambda x, g: g.clause_types[x["clause_type"]].name),
    Column("category", "The clause type's category ID.", lambda x, g: x["category"]),
    Column("categories", "Other category IDs, separated by \"; \".", lambda x, g: x["categories"]),
    Column("position", "Position ID within the clause type.", lambda x, g: x["position"]),
    Column("position_name", "The position's name.", lambda x, g: x["position_name"]),
    Column("severity", "high, medium or low.", lambda x, g: x["severity"]),
    Column("status", "active or removed.", lambda x, g: x["status"]),
    Column("section", "Where the clause sits in the document.", lambda x, g: x["section"]),
    Column("summary", "One sentence saying what the clause does.", lambda x, g: x["summary"]),
    Column("excerpt", "The clause text.", lambda x, g: x["excerpt"]["text"]),
    Column("excerpt_status", "verbatim, paraphrase or unavailable.", lambda x, g: x["excerpt"]["status"]),
    Column("excerpt_version", "Captured date of the version quoted (empty: the latest).", lambda x, g: x["excerpt"]["version"]),
    Column("quote_verified", "true when the verbatim excerpt was found in its archived, hash-verified snapshot.",
           lambda x, g: x["excerpt"]["verified"]),
    Column("confidence", "How confident the analysis is in its reading.", lambda x, g: x["confidence"]),
    Column("exposure_level", "Governance exposure level.", lambda x, g: x["compliance"]["governance_exposure"]["level"]),
    Column("jurisdiction_flags", "Jurisdiction IDs flagged, separated by \"; \".",
           lambda x, g: x["compliance"]["jurisdiction_flags"]["jurisdictions"]),
    Column("regulations", "Regulation IDs with their article IDs in brackets, separated by \"; \".", _regulations_cell),
    Column("first_seen", "First day the clause was recorded.", lambda x, g: x["first_seen"]),
    Column("last_verified", "Last day the clause was checked.", lambda x, g: x["last_verified"]),
    Column("changes", "Number of change records.", lambda x, g: len(x["changes"])),
    Column("last_change", "Date the latest change was detected (empty: none).",
           lambda x, g: x["changes"][-1]["detected"] if x["changes"] else None),
    Column("author", "Who wrote the analysis.", lambda x, g: x["authorship"]["author"]),
    Column("reviewers", "Who reviewed it, separated by \"; \".", lambda x, g: [v["name"] for v in x["authorship"]["reviewers"]]),
    Column("ai_assisted", "true when an AI tool helped draft the analysis.", lambda x, g: x["authorship"]["ai_assisted"]),
    Column("permalink", "Absolute URL of the provision's page.", lambda x, g: x["permalink"]),
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
    licence = graph.site.licence
    return {"id": licence.id, "name": licence.name, "url": licence.url,
            "attribution": graph.site.title if graph.site.publisher == graph.site.title
            else f"{graph.site.title} ({graph.site.publisher})", "source": SiteUrl("")}


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
               "provisions": SiteUrl(PROVISIONS_INDEX), "matrix": SiteUrl(MATRIX_URL),
               "exports": {"provisions_json": SiteUrl(PROVISIONS_JSON), "provisions_csv": SiteUrl(PROVISIONS_CSV),
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


def provisions_index(graph: Graph, records: r.Records) -> dict[str, Any]:
    """api/v1/provisions/index.json: every provision, in its shortest form, with its links."""
    provisions = r.sorted_provisions(graph.provisions.values())
    return _envelope(graph, count=len(provisions), provisions=[records.provision_listing(p) for p in provisions])


def provisions_export(graph: Graph, records: r.Records) -> dict[str, Any]:
    """api/v1/provisions.json: every provision record in full."""
    provisions = r.sorted_provisions(graph.provisions.values())
    return _envelope(graph, count=len(provisions), provisions=[records.provision(p) for p in provisions])


def provisions_table(graph: Graph, records: r.Records) -> Table:
    """api/v1/provisions.csv: a row per provision, in record ID order."""
    full = [records.provision(p) for p in r.sorted_provisions(graph.provisions.values())]
    rows = tuple(tuple(column.value(record, graph) for column in PROVISION_CSV_COLUMNS) for record in full)
    return Table(tuple(c.name for c in PROVISION_CSV_COLUMNS), rows)


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
                             ("links", "The index, downloads page, provisions list, matrix, exports and schemas."),
                             ("categories, clause_types, platforms, documents, regulations, jurisdictions",
                              "Lists of records, each with id, name, permalink, path and links."))),
        DataFile("platforms", "Platforms", API_ROOT + "platforms/<platform>.json", p and api_url(p), "JSON",
                 "One file per platform.", r.PLATFORM_FIELDS, len(graph.platforms)),
        DataFile("documents", "Documents", API_ROOT + "documents/<platform>/<document>.json", d and api_url(d), "JSON",
                 "One file per policy document, with its archived versions.", r.DOCUMENT_FIELDS, len(graph.documents)),
        DataFile("provisions", "Provisions", API_ROOT + "provisions/<platform>/<document>/<provision>.json",
                 provision and api_url(provision), "JSON", "One file per provision: the whole record.",
                 r.PROVISION_FIELDS, len(graph.provisions)),
        DataFile("provisions-index", "Provision list", PROVISIONS_INDEX, PROVISIONS_INDEX, "JSON",
                 "Every provision in its shortest form, with links to its file and page.",
                 common_fields + (("count", "How many provisions."),
                             ("provisions", "By record ID: " + ", ".join(key for key, _ in r.PROVISION_LISTING_FIELDS) + ".")),
                 len(graph.provisions)),
        DataFile("clause-types", "Clause types", API_ROOT + "clause-types/<clause-type>.json", t and api_url(t), "JSON",
                 "One file per clause type, with every provision of the type.", r.CLAUSE_TYPE_FIELDS, len(graph.clause_types)),
        DataFile("regulations", "Regulations", API_ROOT + "regulations/<regulation>.json", g and api_url(g), "JSON",
                 "One file per regulation: the crosswalk of provisions mapped to it.", r.REGULATION_FIELDS,
                 len(graph.regulations)),
        DataFile("provision-summary", "Provision summary", "(inside the files above)", None, "JSON",
                 "The short form of a provision used in lists: platform, document, clause type and provision lists.",
                 r.PROVISION_SUMMARY_FIELDS),
        DataFile("provisions-json", "All provisions (JSON)", PROVISIONS_JSON, PROVISIONS_JSON, "JSON",
                 "Every provision record in full, in one file.",
                 common_fields + (("count", "How many provisions."),
                             ("provisions", "The records, by record ID, with the fields of a provision file.")),
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
    """The API files, the exports, the schemas and the downloads page."""
    records = r.Records(graph)
    common = envelope(graph)  # one shared dictionary: thousands of files embed it
    yield Page(API_INDEX, "@json", api_index(graph))
    yield Page(PROVISIONS_INDEX, "@json", provisions_index(graph, records))
    yield Page(PROVISIONS_JSON, "@json", provisions_export(graph, records))
    yield Page(PROVISIONS_CSV, "@csv", provisions_table(graph, records))
    for platform in graph.platforms.values():
        yield Page(api_url(platform), "@json", {**common, **records.platform(platform)})
    for document in graph.documents.values():
        yield Page(api_url(document), "@json", {**common, **records.document(document)})
    for provision in graph.provisions.values():
        yield Page(api_url(provision), "@json", {**common, **records.provision(provision)})
    for t in graph.clause_types.values():
        yield Page(api_url(t), "@json", {**common, **records.clause_type(t)})
    for g in graph.regulations.values():
        yield Page(api_url(g), "@json", {**common, **records.regulation(g)})
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
