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
from .graph import Graph
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

PROVISION_LISTING_FIELDS = tuple((key, text) for key, text in PROVISION_SUMMARY_FIELDS
                                 if key not in ("category", "position_name", "summary", "excerpt", "last_verified"))

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
    ("provisions", "The platform's provisions, as summaries (the fields of a provision summary)."),
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
    ("provisions", "The document's provisions, as summaries."),
) + COMMON_FIELDS

CLAUSE_TYPE_FIELDS = (
    ("id", "Clause type ID."),
    ("name", "The clause type's name."),
    ("category", "Category ID."),
    ("description", "What clauses of this type are about."),
    ("positions", "The positions a clause of this type can take: id, name, description, provisions (count)."),
    ("platforms_with_type", "How many platforms have a provision of this type."),
    ("provisions", "Every provision of this type, as summaries."),
) + COMMON_FIELDS

REGULATION_FIELDS = (
    ("id", "Regulation ID."),
    ("name", "Short name."),
    ("full_name", "Full name."),
    ("jurisdiction", "Jurisdiction ID."),
    ("url", "The official text."),
    ("description", "What the regulation does (Markdown)."),
    ("articles", "Articles provisions are mapped to: id, label, title, url."),
    ("mappings", "Provisions mapped to it: provision (record ID), platform, articles, rationale, permalink, path, links."),
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

    Each provision's summary and full record is built once and shared by every file that embeds it (its own
    file, its platform's, document's and clause type's, the exports): at 13,000 provisions, building them
    again for each file would cost seconds. The dictionaries are shared, so callers must not modify them.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._summaries: dict[str, Record] = {}
        self._records: dict[str, Record] = {}

    def provision_summary(self, p: m.Provision) -> Record:
        """The fields of a provision that lists and comparisons need."""
        found = self._summaries.get(p.key)
        if found is None:
            graph = self.graph
            clause_type = graph.clause_types[p.clause_type]
            quote = graph.quotes.get(p.key)
            found = self._summaries[p.key] = {
                "id": p.key, "title": p.title, "platform": p.platform_id, "document": p.document_key,
                "clause_type": p.clause_type, "category": clause_type.category, "position": p.position,
                "position_name": graph.position(p).name, "severity": p.severity, "status": p.status, "summary": p.summary,
                "excerpt": {"text": p.excerpt.text, "status": p.excerpt.status, "version": p.excerpt.version,
                            "verified": bool(quote and quote.verified)},
                "last_verified": p.last_verified,
                **site_links(p),  # a summary sits inside its platform's, document's or clause type's file
            }
        return found

    def provision_listing(self, p: m.Provision) -> Record:
        """The shortest form of a provision, for the list of every provision."""
        summary = self.provision_summary(p)
        return {key: summary[key] for key, _ in PROVISION_LISTING_FIELDS}

    def provision(self, p: m.Provision) -> Record:
        """Everything a provision record says, with its derived figures and links."""
        found = self._records.get(p.key)
        if found is None:
            found = self._records[p.key] = self._provision(p)
        return found

    def _provision(self, p: m.Provision) -> Record:
        graph = self.graph
        c = p.compliance
        uniqueness, stability = graph.uniqueness(p), graph.stability(p)
        record = dict(self.provision_summary(p))
        record["links"] = {**record["links"], "platform": SiteUrl(api_url(graph.platforms[p.platform_id])),
                           "document": SiteUrl(api_url(graph.documents[p.document_key])),
                           "clause_type": SiteUrl(api_url(graph.clause_types[p.clause_type])),
                           "regulations": [SiteUrl(api_url(graph.regulations[r.regulation])) for r in p.regulations]}
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
                        "platforms_total": uniqueness.platforms_total, "changes": stability.changes,
                        "months_monitored": stability.months_monitored},
        })
        return record

    def _summaries_of(self, provisions: Iterable[m.Provision]) -> list[Record]:
        return [self.provision_summary(p) for p in sorted_provisions(provisions)]

    def platform(self, platform: m.Platform) -> Record:
        """A platform, its documents and its provisions (as summaries)."""
        graph = self.graph
        documents = sorted(graph.documents_by_platform.get(platform.id, ()), key=lambda d: d.key)
        return {
            "id": platform.id, "name": platform.name, "operator": platform.operator, "website": platform.website,
            "description": platform.description, "aliases": list(platform.aliases), "headquarters": platform.headquarters,
            "documents": [{"id": d.key, "title": d.title, "kind": d.kind, **site_links(d)} for d in documents],
            "provisions": self._summaries_of(graph.provisions_by_platform.get(platform.id, ())),
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
            "provisions": self._summaries_of(graph.provisions_by_document.get(d.key, ())),
            **site_links(d, platform=SiteUrl(api_url(graph.platforms[d.platform_id]))),
        }

    def clause_type(self, t: m.ClauseType) -> Record:
        """A clause type, its positions with their counts, and every provision of the type."""
        provisions = self.graph.provisions_by_clause_type.get(t.id, ())
        tally = Counter(p.position for p in provisions)
        return {
            "id": t.id, "name": t.name, "category": t.category, "description": t.description,
            "positions": [{"id": x.id, "name": x.name, "description": x.description, "provisions": tally.get(x.id, 0)}
                          for x in t.positions],
            "platforms_with_type": len(self.graph.platforms_by_clause_type.get(t.id, ())),
            "provisions": self._summaries_of(provisions),
            **site_links(t),
        }

    def regulation(self, g: m.Regulation) -> Record:
        """A regulation, its articles, and every provision mapped to it with the articles and rationale."""
        mappings = [{"provision": p.key, "platform": p.platform_id, "articles": list(ref.articles),
                     "rationale": ref.rationale, **site_links(p)}
                    for p in sorted_provisions(self.graph.provisions_by_regulation.get(g.id, ()))
                    for ref in p.regulations if ref.regulation == g.id]
        return {
            "id": g.id, "name": g.name, "full_name": g.full_name, "jurisdiction": g.jurisdiction, "url": g.url,
            "description": g.description,
            "articles": [{"id": a.id, "label": a.label, "title": a.title, "url": a.url} for a in g.articles],
            "mappings": mappings,
            **site_links(g),
        }
