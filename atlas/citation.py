"""Citations of a provision record: plain text, BibTeX, CSL-JSON, Highwire meta tags and JSON-LD."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from . import model as m
from .dates import long_date
from .graph import Graph
from .urls import snapshot_url, url_for


@dataclass(frozen=True)
class Citation:
    """Everything a citation of one provision record says, with site-relative paths."""

    record_id: str  # "platform/document/provision": stable, and the BibTeX key is made from it
    path: str  # the record's page, site-relative ("platforms/p/d/x/")
    title: str  # the provision's own title
    full_title: str  # "Platform, Document: Provision", readable out of context
    summary: str
    platform: str
    platform_url: str
    operator: str | None
    document_title: str
    document_url: str
    section: str | None
    excerpt: str
    excerpt_status: str  # verbatim | paraphrase | unavailable
    quote_verified: bool
    author: str
    written: date
    issued: date  # the record's latest dated revision: written, reviewed or verified
    accessed: date  # the build's as-of date, never the wall clock
    captured: date | None  # the archived version the excerpt cites
    archive_url: str | None
    snapshot_path: str | None  # site-relative path of the published snapshot
    sha256: str | None
    hash_verified: bool
    keywords: tuple[str, ...]
    site_title: str
    publisher: str
    language: str
    licence_name: str
    licence_url: str


@dataclass(frozen=True)
class CitationFormats:
    """One citation in every published format, with absolute URLs under the site's base URL."""

    url: str
    text: str
    bibtex: str
    csl: list[dict[str, Any]]  # a CSL-JSON document: an array of one item
    json_ld: dict[str, Any]
    highwire: tuple[tuple[str, str], ...]  # (name, content) of <meta name="citation_…"> tags


def issued_date(p: m.Provision) -> date:
    """The date of the record's latest dated revision (written, reviewed or last verified)."""
    return max([p.authorship.written, p.last_verified, *(r.date for r in p.authorship.reviewers)])


def document_name(platform: m.Platform, document: m.Document) -> str:
    """The document as a citation names it: its title, prefixed with the platform unless the title says it."""
    return document.title if platform.name.lower() in document.title.lower() else f"{platform.name}, {document.title}"


def citation_for(graph: Graph, p: m.Provision) -> Citation:
    """The citation of a provision, derived from its record and the archived version its excerpt cites."""
    platform = graph.platforms[p.platform_id]
    document = graph.documents[p.document_key]
    quote = graph.quotes[p.key]
    evidence = quote.version or (graph.evidence[document.key][-1] if graph.evidence.get(document.key) else None)
    clause_type = graph.clause_types[p.clause_type]
    return Citation(
        record_id=p.key, path=url_for(p), title=p.title,
        full_title=f"{document_name(platform, document)}: {p.title}", summary=p.summary,
        platform=platform.name, platform_url=platform.website, operator=platform.operator,
        document_title=document.title, document_url=(evidence.version.source_url if evidence and evidence.version.source_url
                                                      else document.url),
        section=p.section, excerpt=p.excerpt.text, excerpt_status=quote.status, quote_verified=quote.verified,
        author=p.authorship.author, written=p.authorship.written, issued=issued_date(p), accessed=graph.as_of,
        captured=evidence.version.captured if evidence else None,
        archive_url=evidence.version.archive_url if evidence else None,
        snapshot_path=snapshot_url(evidence.snapshot_path) if evidence and evidence.snapshot_stored else None,
        sha256=evidence.version.sha256 if evidence else None,
        hash_verified=bool(evidence and evidence.hash_verified),
        keywords=(clause_type.name, *(graph.categories[c].name for c in p.categories if c in graph.categories)),
        site_title=graph.site.title, publisher=graph.site.publisher, language=graph.site.language,
        licence_name=graph.site.licence.name, licence_url=graph.site.licence.url)


def _one_line(text: str) -> str:
    # Contributed text may hold line breaks or control characters; a citation is one logical line per field.
    if not text.isprintable():  # rare: only then is the character-by-character pass needed
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def _source_note(c: Citation, base_url: str) -> str:
    """Where the quoted text was archived, for a reader who must check it."""
    if c.captured is None:
        return ""
    where = [base_url + c.snapshot_path] if c.snapshot_path else []
    if c.archive_url:
        where.append(c.archive_url)
    hashed = f" (SHA-256 {c.sha256}{', verified' if c.hash_verified else ', not verified'})" if c.sha256 else ""
    return f"Archived source captured {c.captured.isoformat()}{hashed}" + (": " + ", ".join(where) if where else "") + "."


def plain_text(c: Citation, base_url: str) -> str:
    """A plain-text citation, fit to paste into a brief or a footnote."""
    parts = [f"{_one_line(c.author)}.", f"\u201c{_one_line(c.full_title)}.\u201d"]
    if c.section:
        parts.append(f"{_one_line(c.section)}.")
    parts += [f"{_one_line(c.site_title)}, record {c.record_id}.", f"{_one_line(c.publisher)}, {long_date(c.issued)}.",
              f"{base_url}{c.path}", f"(accessed {long_date(c.accessed)})."]
    note = _source_note(c, base_url)
    return " ".join(parts) + (f"\n{_one_line(note)}" if note else "") + "\n"


# LaTeX's special characters, spelled so that braces stay balanced: BibTeX counts a brace even after a
# backslash, so "\{" would unbalance a field; \textbraceleft{} does not.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}

_BIBTEX_TABLE = str.maketrans(_BIBTEX_ESCAPES)  # every character mapped at once, as the escapes require


def bibtex_escape(text: str) -> str:
    """Contributed text as the value of a braced BibTeX field: every special character escaped, braces balanced."""
    return _one_line(text).translate(_BIBTEX_TABLE)


_BIBTEX_URL_BREAKING = re.compile(r'[{}\\ "]')


def bibtex_url(url: str) -> str:
    """A URL for BibTeX's url field (read verbatim by the url package): percent-encode what could break the field."""
    if url.isprintable() and not _BIBTEX_URL_BREAKING.search(url):  # nearly every URL: nothing to encode
        return url
    return "".join(quote(ch, safe="") if ch in "{}\\ \"" or not ch.isprintable() else ch for ch in url)  # UTF-8 bytes


def bibtex_key(record_id: str) -> str:
    """The stable BibTeX key of a record: its ID with ':' for '/' ("alpha/policy/x" -> "alpha:policy:x")."""
    return re.sub(r"[^A-Za-z0-9:-]", "-", record_id.replace("/", ":"))


def bibtex(c: Citation, base_url: str) -> str:
    """A BibTeX @misc entry (read by BibTeX and biblatex alike)."""
    fields = [
        ("author", "{" + bibtex_escape(c.author) + "}"),  # double braces: a group or organisation, not "Last, First"
        ("title", "{" + bibtex_escape(c.full_title) + "}"),  # double braces keep platform names' capitals
        ("howpublished", bibtex_escape(f"{c.site_title}, record {c.record_id}")),
        ("organization", bibtex_escape(c.publisher)),
        ("publisher", bibtex_escape(c.publisher)),
        ("year", str(c.issued.year)),
        ("date", c.issued.isoformat()),
        ("url", bibtex_url(base_url + c.path)),
        ("urldate", c.accessed.isoformat()),
    ]
    note = _source_note(c, base_url)
    if note:
        fields.append(("note", bibtex_escape(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(c.record_id)},\n{body}\n}}\n"


def _date_parts(value: date) -> dict[str, Any]:
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_json(c: Citation, base_url: str) -> list[dict[str, Any]]:
    """A CSL-JSON document (an array of one item) valid against the CSL data schema."""
    item: dict[str, Any] = {
        "type": "webpage",
        "id": c.record_id,
        "title": _one_line(c.full_title),
        "title-short": _one_line(c.title),
        "author": [{"literal": _one_line(c.author)}],
        "container-title": _one_line(c.site_title),
        "publisher": _one_line(c.publisher),
        "genre": "Provision record",
        "number": c.record_id,
        "URL": base_url + c.path,
        "issued": _date_parts(c.issued),
        "accessed": _date_parts(c.accessed),
        "language": c.language,
        "abstract": _one_line(c.summary),
        "keyword": ", ".join(_one_line(k) for k in c.keywords),
    }
    if c.section:
        item["section"] = _one_line(c.section)
    note = _source_note(c, base_url)
    if note:
        item["note"] = _one_line(note)
    return [item]


def highwire(c: Citation, base_url: str) -> tuple[tuple[str, str], ...]:
    """Highwire Press <meta name="citation_…"> pairs, read by Google Scholar and reference managers."""
    tags = [("citation_title", _one_line(c.full_title)), ("citation_author", _one_line(c.author)),
            ("citation_publication_date", c.issued.strftime("%Y/%m/%d")),
            ("citation_online_date", c.issued.strftime("%Y/%m/%d")),
            ("citation_publisher", _one_line(c.publisher)),
            ("citation_technical_report_institution", _one_line(c.site_title)),
            ("citation_technical_report_number", c.record_id),
            ("citation_public_url", base_url + c.path), ("citation_abstract_html_url", base_url + c.path),
            ("citation_language", c.language)]
    tags += [("citation_keywords", _one_line(k)) for k in c.keywords]
    return tuple(tags)


def json_ld(c: Citation, base_url: str) -> dict[str, Any]:
    """schema.org JSON-LD: the record, the quotation it carries and the archived document quoted."""
    url = base_url + c.path
    document: dict[str, Any] = {
        "@type": "DigitalDocument", "name": _one_line(c.document_title), "url": c.document_url,
        "publisher": {"@type": "Organization", "name": _one_line(c.operator or c.platform), "url": c.platform_url},
    }
    archived = [base_url + c.snapshot_path] if c.snapshot_path else []
    if c.archive_url:
        archived.append(c.archive_url)
    if archived:
        document["archivedAt"] = archived
    if c.captured:
        document["version"] = c.captured.isoformat()  # the archived version quoted, named by its capture date
    if c.sha256:
        document["identifier"] = {"@type": "PropertyValue", "propertyID": "SHA-256", "value": c.sha256}
    # A verbatim excerpt is a Quotation of the document; a paraphrase or a missing text is only about it.
    excerpt: dict[str, Any] = {
        "@type": "Quotation" if c.excerpt_status == "verbatim" else "CreativeWork",
        "text": c.excerpt, ("isPartOf" if c.excerpt_status == "verbatim" else "about"): document,
        "creativeWorkStatus": c.excerpt_status + (", verified in the archived snapshot" if c.quote_verified else ""),
    }
    if c.excerpt_status == "verbatim":
        excerpt["creator"] = document["publisher"]
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url + "#record",
        "identifier": c.record_id,
        "name": c.full_title,
        "headline": c.title,
        "description": c.summary,
        "url": url,
        "inLanguage": c.language,
        "author": {"@type": "Organization", "name": c.author},
        "publisher": {"@type": "Organization", "name": c.publisher, "url": base_url},
        "isPartOf": {"@type": "Dataset", "name": c.site_title, "url": base_url, "license": c.licence_url},
        "license": c.licence_url,
        "dateCreated": c.written.isoformat(),
        "datePublished": c.written.isoformat(),
        "dateModified": c.issued.isoformat(),
        "keywords": list(c.keywords),
        "mainEntity": excerpt,
    }


def formats(c: Citation, base_url: str) -> CitationFormats:
    """Every format of one citation, for the page and the downloadable files alike (so they never differ)."""
    return CitationFormats(base_url + c.path, plain_text(c, base_url), bibtex(c, base_url), csl_json(c, base_url),
                           json_ld(c, base_url), highwire(c, base_url))
