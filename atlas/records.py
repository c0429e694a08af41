"""Linked records -> plain, JSON-ready dictionaries: the published form of every record (API, exports, feeds).

Each dictionary carries the record's identity, its fields as contributed, the figures the build derived, its
permalink (its page) and links (its API file and related records). Links are SiteUrl markers, made absolute
under the base URL when the data file is rendered. The *_FIELDS tables document the top-level keys; the
downloads page shows them and a test keeps them in step with the dictionaries.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from . import model as m
from .graph import Graph, stability
from .urls import SiteUrl, api_url, snapshot_url, url_for

Record = dict[str, Any]

COMMON_FIELDS = (
    ("permalink", "Absolute URL of the record's page on the site."),
    ("path", "The page's path relative to the site root (for building links in a browser under any base URL)."),
    ("links", "Absolute URLs: self (the record's JSON file), html (its page) and, in a record's own file, "
              "the JSON files of related records."),
)

PROVISION_SUMMARY_FIELDS = (
    ("id", "Record ID: platform/document/provision. Stable; it is also the path of the record."),
    ("title", "Short name of the clause."),
    ("platform", "Platform ID."),
    ("document", "Document ID: platform/document."),
    ("clause_type", "Clause type ID (data/clause-types.yaml); provisions of one type compare like for like."),
    ("category", "The clause type's category ID."),
    ("position", "Position ID: which of the clause type's positions the clause takes."),
    ("position_name", "The position's name."),
    ("severity", "high, medium or low."),
    ("status", "active, or removed when the platform took the clause out."),
    ("summary", "One sentence saying what the clause does."),
    ("excerpt", "The clause text: text, status (verbatim, paraphrase or unavailable), version (date quoted), "
                "verified (true when the build found a verbatim quote in the archived snapshot whose hash matched)."),
    ("last_verified", "The last day the clause was checked against the live document."),
) + COMMON_FIELDS

# Files about a platform, document, clause type or regulation list its provisions by reference: what a
# consumer filters on and where the whole record is. Embedding whole records made those files megabytes each.
PROVISION_REFERENCE_FIELDS = (
    ("id", "Record ID: platform/document/provision."),
    ("title", "Short name of the clause."),
    ("platform", "Platform ID."),
    ("document", "Document ID: platform/document."),
    ("clause_type", "Clause type ID."),
    ("position", "Position ID within the clause type."),
    ("severity", "high, medium or low."),
    ("status", "active or removed."),
    ("links", "self: absolute URL of the provision's own JSON file, which holds the whole record."),
)

# A platform's file also gives what the side-by-side comparison page shows of each provision.
PLATFORM_PROVISION_FIELDS = PROVISION_REFERENCE_FIELDS + (
    ("position_name", "The position's name."),
    ("excerpt", "The clause text: text, status, version, verified (as in the provision's file)."),
    ("path", "The provision page's path relative to the site root."),
)

PROVISION_FIELDS = PROVISION_SUMMARY_FIELDS[:-len(COMMON_FIELDS)] + (
    ("categories", "Category IDs besides the clause type's own."),
    ("section", "Where the clause sits in the document, or null."),
    ("why_it_matters", "The compliance and governance reading (Markdown)."),
    ("consumer_impact", "What the clause means for users (Markdown)."),
    ("interpretive_note", "Where the reading is uncertain, why (Markdown), or null."),
    ("confidence", "How confident the analysis is in its reading."),
    ("compliance", "The five-part analysis: regulatory_landscape; governance_exposure {level, text}; "
                   "jurisdiction_flags {jurisdictions, text}; contract_implications; compliance_considerations."),
    ("regulations", "Regulations engaged: regulation ID, article IDs and the rationale of the mapping."),
    ("first_seen", "The first day the clause was recorded."),
    ("changes", "Change records, oldest first: kind (added, modified, removed), detected, announced, effective, "
                "summary, previous_text, previous_text_unavailable."),
    ("faq", "Questions and answers (Markdown)."),
    ("authorship", "author, written, reviewers [{name, date}], ai_assisted, ai_note."),
    ("analysis", "The long-form analysis (Markdown), or null."),
    ("derived", "Figures the build derived from the records: platforms_with_clause_type, platforms_total, "
                "changes, months_monitored."),
) + COMMON_FIELDS

PLATFORM_FIELDS = (
    ("id", "Platform ID."),
    ("name", "The platform's name."),
    ("operator", "The legal entity publishing the policies, or null."),
    ("website", "The platform's home page."),
    ("description", "What the platform offers (Markdown)."),
    ("aliases", "Other names of the platform."),
    ("headquarters", "Jurisdiction ID where the operator is based, or null."),
    ("documents", "The platform's documents: id, title, kind, permalink, path, links."),
    ("provisions", "The platform's provisions, by record ID: references with their position name, excerpt and page path."),
) + COMMON_FIELDS

DOCUMENT_FIELDS = (
    ("id", "Document ID: platform/document."),
    ("platform", "Platform ID."),
    ("title", "The document's title as published."),
    ("kind", "What sort of document it is (terms, usage-policy, privacy...)."),
    ("url", "The live document's address."),
    ("description", "What the document covers (Markdown), or null."),
    ("versions", "Captured versions, oldest first: captured, sha256, hash_verified, snapshot (URL of the archived "
                 "text, or null when not stored), source_url, archive_url, last_updated, effective, note."),
    ("provisions", "The document's provisions, as references, by record ID."),
) + COMMON_FIELDS

CLAUSE_TYPE_FIELDS = (
    ("id", "Clause type ID."),
    ("name", "The clause type's name."),
    ("category", "Category ID."),
    ("description", "What clauses of this type are about."),
    ("positions", "The positions a clause of this type can take: id, name, description, provisions (count)."),
    ("platforms_with_type", "How many platforms have a provision of this type."),
    ("provisions", "Every provision of this type, as references, by record ID."),
) + COMMON_FIELDS

REGULATION_FIELDS = (
    ("id", "Regulation ID."),
    ("name", "Short name."),
    ("full_name", "Full name."),
    ("jurisdiction", "Jurisdiction ID."),
    ("url", "The official text."),
    ("description", "What the regulation does (Markdown)."),
    ("articles", "Articles provisions are mapped to: id, label, title, url."),
    ("mappings", "Provisions mapped to it, as references by record ID, each with the IDs of the articles it engages "
                 "(the rationale is in the provision's file, under regulations)."),
) + COMMON_FIELDS


def site_links(obj: object, **related: Any) -> Record:
    """A record's permalink, path and links (its API file, its page, and any related files given)."""
    url = url_for(obj)
    return {"permalink": SiteUrl(url), "path": url, "links": {"self": SiteUrl(api_url(obj)), "html": SiteUrl(url), **related}}


def sorted_provisions(provisions: Iterable[m.Provision]) -> list[m.Provision]:
    """Provisions in the order data files list them: by record ID."""
    return sorted(provisions, key=lambda p: p.key)


class Records:
    """The published records of one linked graph.

    Data files build their records when they are rendered, each from the renderer's view of the graph (which
    notes what a file reads, so that it is rendered again when that changes): nothing is remembered from one
    file to the next, and each dictionary is new.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        # The mappings every provision record reads, looked up once: on the renderer's view of the graph, a
        # lookup costs more than reading a key (and each key read is still noted).
        self.platforms, self.documents, self.regulations = graph.platforms, graph.documents, graph.regulations
        self.clause_types, self.quotes = graph.clause_types, graph.quotes

    def provision_summary(self, p: m.Provision) -> Record:
        """The first fields of a provision record: what lists and comparisons need."""
        return {
            "id": p.key, "title": p.title, "platform": p.platform_id, "document": p.document_key,
            "clause_type": p.clause_type, "category": self.clause_types[p.clause_type].category, "position": p.position,
            "position_name": self.graph.position(p).name, "severity": p.severity, "status": p.status, "summary": p.summary,
            "excerpt": self._excerpt(p), "last_verified": p.last_verified,
            **site_links(p),
        }

    def _excerpt(self, p: m.Provision) -> Record:
        return {"text": p.excerpt.text, "status": p.excerpt.status, "version": p.excerpt.version,
                "verified": self.quote_verified(p)}

    def quote_verified(self, p: m.Provision) -> bool:
        """Whether the build found the provision's verbatim excerpt in its archived, hash-verified snapshot."""
        quote = self.quotes.get(p.key)
        return bool(quote and quote.verified)

    def provision_reference(self, p: m.Provision) -> Record:
        """A provision as other records' files list it: the fields of PROVISION_REFERENCE_FIELDS."""
        return {
            "id": p.key, "title": p.title, "platform": p.platform_id, "document": p.document_key,
            "clause_type": p.clause_type, "position": p.position, "severity": p.severity, "status": p.status,
            "links": {"self": SiteUrl(api_url(p))},
        }

    def provision(self, p: m.Provision) -> Record:
        """Everything a provision record says, with its derived figures and links."""
        c = p.compliance
        uniqueness, figures = self.graph.uniqueness(p), stability(p)
        record = self.provision_summary(p)
        record["links"] = {**record["links"], "platform": SiteUrl(api_url(self.platforms[p.platform_id])),
                           "document": SiteUrl(api_url(self.documents[p.document_key])),
                           "clause_type": SiteUrl(api_url(self.clause_types[p.clause_type])),
                           "regulations": [SiteUrl(api_url(self.regulations[r.regulation])) for r in p.regulations]}
        record.update({
            "categories": list(p.categories), "section": p.section, "why_it_matters": p.why_it_matters,
            "consumer_impact": p.consumer_impact, "interpretive_note": p.interpretive_note, "confidence": p.confidence,
            "compliance": {
                "regulatory_landscape": c.regulatory_landscape,
                "governance_exposure": {"level": c.exposure_level, "text": c.exposure},
                "jurisdiction_flags": {"jurisdictions": list(c.jurisdiction_flags), "text": c.jurisdiction_notes},
                "contract_implications": c.contract_implications,
                "compliance_considerations": c.compliance_considerations,
            },
            "regulations": [{"regulation": r.regulation, "articles": list(r.articles), "rationale": r.rationale}
                            for r in p.regulations],
            "first_seen": p.first_seen,
            "changes": [{"kind": ch.kind, "detected": ch.detected, "announced": ch.announced, "effective": ch.effective,
                         "summary": ch.summary, "previous_text": ch.previous_text,
                         "previous_text_unavailable": ch.previous_text_unavailable} for ch in p.changes],
            "faq": [{"question": q.question, "answer": q.answer} for q in p.faq],
            "authorship": {"author": p.authorship.author, "written": p.authorship.written,
                           "reviewers": [{"name": r.name, "date": r.date} for r in p.authorship.reviewers],
                           "ai_assisted": p.authorship.ai_assisted, "ai_note": p.authorship.ai_note},
            "analysis": p.analysis,
            "derived": {"platforms_with_clause_type": uniqueness.platforms_with_type,
                        "platforms_total": uniqueness.platforms_total, "changes": figures.changes,
                        "months_monitored": figures.months_monitored},
        })
        return record

    def _references_of(self, provisions: Iterable[m.Provision]) -> list[Record]:
        return [self.provision_reference(p) for p in sorted_provisions(provisions)]

    def _platform_provision(self, p: m.Provision) -> Record:
        return {**self.provision_reference(p), "position_name": self.graph.position(p).name, "excerpt": self._excerpt(p),
                "path": url_for(p)}

    def platform(self, platform: m.Platform) -> Record:
        """A platform, its documents and its provisions (references, with what the comparison page shows)."""
        graph = self.graph
        documents = sorted(graph.documents_by_platform.get(platform.id, ()), key=lambda d: d.key)
        return {
            "id": platform.id, "name": platform.name, "operator": platform.operator, "website": platform.website,
            "description": platform.description, "aliases": list(platform.aliases), "headquarters": platform.headquarters,
            "documents": [{"id": d.key, "title": d.title, "kind": d.kind, **site_links(d)} for d in documents],
            "provisions": [self._platform_provision(p)
                           for p in sorted_provisions(graph.provisions_by_platform.get(platform.id, ()))],
            **site_links(platform),
        }

    def document(self, d: m.Document) -> Record:
        """A document, its versions with what the build verified, and its provisions."""
        graph = self.graph
        versions = [{
            "captured": e.version.captured, "sha256": e.version.sha256, "hash_verified": e.hash_verified,
            "snapshot": SiteUrl(snapshot_url(e.snapshot_path)) if e.snapshot_stored else None,
            "source_url": e.version.source_url, "archive_url": e.version.archive_url,
            "last_updated": e.version.last_updated, "effective": e.version.effective, "note": e.version.note,
        } for e in graph.evidence.get(d.key, ())]
        return {
            "id": d.key, "platform": d.platform_id, "title": d.title, "kind": d.kind, "url": d.url,
            "description": d.description, "versions": versions,
            "provisions": self._references_of(graph.provisions_by_document.get(d.key, ())),
            **site_links(d, platform=SiteUrl(api_url(self.platforms[d.platform_id]))),
        }

    def clause_type(self, t: m.ClauseType) -> Record:
        """A clause type, its positions with their counts, and every provision of the type."""
        provisions = self.graph.provisions_by_clause_type.get(t.id, ())
        tally = Counter(p.position for p in provisions)
        return {
            "id": t.id, "name": t.name, "category": t.category, "description": t.description,
            "positions": [{"id": x.id, "name": x.name, "description": x.description, "provisions": tally.get(x.id, 0)}
                          for x in t.positions],
            "platforms_with_type": self.graph.clause_type_figures(t.id).platforms_with_type,
            "provisions": self._references_of(provisions),
            **site_links(t),
        }

    def regulation(self, g: m.Regulation) -> Record:
        """A regulation, its articles, and every provision mapped to it (a reference) with the articles it engages."""
        mappings = [{**self.provision_reference(p), "articles": list(ref.articles)}
                    for p in sorted_provisions(self.graph.provisions_by_regulation.get(g.id, ()))
                    for ref in p.regulations if ref.regulation == g.id]
        return {
            "id": g.id, "name": g.name, "full_name": g.full_name, "jurisdiction": g.jurisdiction, "url": g.url,
            "description": g.description,
            "articles": [{"id": a.id, "label": a.label, "title": a.title, "url": a.url} for a in g.articles],
            "mappings": mappings,
            **site_links(g),
        }
