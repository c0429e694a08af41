"""The records of the knowledge base as frozen dataclasses: what a contributor can say, typed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .problems import Problem, error, warning


@dataclass(frozen=True)
class Origin:
    """Where a record came from: its file and the position of each key in it."""

    path: str
    positions: Mapping[tuple, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    # For a record built from whole files (a platform, document, provision or analysis): a digest of their paths
    # and bytes, which the record is a function of. atlas.fingerprint digests the record from it.
    source: str = field(default="", compare=False, repr=False)

    def at(self, *keys: object) -> tuple[int, int]:
        """Position of the key path, or of its nearest ancestor that has one."""
        path = tuple(keys)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def error(self, keys: tuple, code: str, message: str) -> Problem:
        """An error at a key of this record."""
        return error(self.path, self.at(*keys), code, message)

    def warning(self, keys: tuple, code: str, message: str) -> Problem:
        """A warning at a key of this record."""
        return warning(self.path, self.at(*keys), code, message)


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str


@dataclass(frozen=True)
class Site:
    title: str
    tagline: str
    description: str
    url: str
    language: str
    publisher: str
    licence: Licence
    code_licence: Licence | None
    repository: str
    branch: str
    as_of: date | None
    origin: Origin


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    code: str
    name: str
    parent: str | None
    origin: Origin


@dataclass(frozen=True)
class Article:
    id: str
    label: str
    title: str
    url: str | None


@dataclass(frozen=True)
class Regulation:
    id: str
    name: str
    full_name: str
    jurisdiction: str
    url: str
    description: str
    articles: tuple[Article, ...]
    origin: Origin
    index: int  # position in regulations.yaml, for error locations


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Position:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class ClauseType:
    id: str
    name: str
    category: str
    description: str
    positions: tuple[Position, ...]
    origin: Origin
    index: int


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    operator: str | None
    website: str
    description: str
    aliases: tuple[str, ...]
    headquarters: str | None
    origin: Origin


@dataclass(frozen=True)
class Version:
    captured: date
    snapshot: str  # relative to the document folder: "snapshots/2026-03-06.txt"
    sha256: str
    source_url: str | None
    archive_url: str | None
    last_updated: date | None
    effective: date | None
    note: str | None


@dataclass(frozen=True)
class Document:
    id: str
    platform_id: str
    title: str
    kind: str
    url: str
    description: str | None
    versions: tuple[Version, ...]
    origin: Origin

    @property
    def key(self) -> str:
        """The document's identity: platform/document."""
        return f"{self.platform_id}/{self.id}"


@dataclass(frozen=True)
class Excerpt:
    text: str
    status: str  # verbatim | paraphrase | unavailable
    version: date | None


@dataclass(frozen=True)
class Compliance:
    regulatory_landscape: str
    exposure_level: str
    exposure: str
    jurisdiction_flags: tuple[str, ...]
    jurisdiction_notes: str
    contract_implications: str
    compliance_considerations: str


@dataclass(frozen=True)
class RegulationRef:
    regulation: str
    articles: tuple[str, ...]
    rationale: str


@dataclass(frozen=True)
class Change:
    kind: str  # added | modified | removed
    detected: date
    announced: date | None
    effective: date | None
    summary: str
    previous_text: str | None
    previous_text_unavailable: str | None


@dataclass(frozen=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True)
class Review:
    name: str
    date: date


@dataclass(frozen=True)
class Authorship:
    author: str
    written: date
    reviewers: tuple[Review, ...]
    ai_assisted: bool
    ai_note: str | None


@dataclass(frozen=True)
class Provision:
    id: str
    platform_id: str
    document_id: str
    title: str
    clause_type: str
    position: str
    severity: str
    categories: tuple[str, ...]
    section: str | None
    summary: str
    excerpt: Excerpt
    why_it_matters: str
    consumer_impact: str
    interpretive_note: str | None
    confidence: str
    compliance: Compliance
    regulations: tuple[RegulationRef, ...]
    first_seen: date
    last_verified: date
    status: str  # active | removed
    changes: tuple[Change, ...]
    faq: tuple[Question, ...]
    authorship: Authorship
    analysis: str | None  # the Markdown of <provision>.md, when present
    analysis_path: str | None
    origin: Origin

    @property
    def key(self) -> str:
        """The provision's identity and record ID: platform/document/provision."""
        return f"{self.platform_id}/{self.document_id}/{self.id}"

    @property
    def document_key(self) -> str:
        """The identity of the document the provision belongs to."""
        return f"{self.platform_id}/{self.document_id}"

    @property
    def references(self) -> References:
        """What the provision names in the vocabularies."""
        return References(self.origin, self.clause_type, self.position, self.categories,
                          tuple((r.regulation, r.articles) for r in self.regulations), self.compliance.jurisdiction_flags)


@dataclass(frozen=True)
class Analysis:
    id: str
    title: str
    summary: str
    date: date
    updated: date | None
    authors: tuple[str, ...]
    provisions: tuple[str, ...]
    clause_types: tuple[str, ...]
    regulations: tuple[str, ...]
    body: str
    origin: Origin


@dataclass(frozen=True)
class Vocabulary:
    """The shared vocabularies of data/: categories, clause types, regulations, jurisdictions."""

    categories: tuple[Category, ...]
    clause_types: tuple[ClauseType, ...]
    regulations: tuple[Regulation, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    clause_types_origin: Origin
    regulations_origin: Origin
    jurisdictions_origin: Origin


@dataclass(frozen=True)
class Snapshot:
    """An archived text file of a document version: where it is and the SHA-256 of its bytes (read when needed)."""

    path: str  # relative to the knowledge base root
    file: str  # its path on disk
    size: int
    sha256: str  # of its bytes as the build read them first


@dataclass(frozen=True)
class References:
    """What a provision names in the vocabularies, checked against them when the graph is linked.

    Made from a provision record, or from the data of one that failed its schema, so that a misspelt
    clause type is reported in the same run as the field that broke the record. Values are as written:
    the check passes over any that is not text (the schema problem already says what is wrong with it).
    """

    origin: Origin
    clause_type: Any
    position: Any
    categories: tuple[Any, ...]
    regulations: tuple[tuple[Any, tuple[Any, ...]], ...]  # (regulation, articles) of each mapping
    jurisdictions: tuple[Any, ...]  # compliance.jurisdiction_flags.jurisdictions


@dataclass(frozen=True)
class KnowledgeBase:
    """Every valid record, ready to be linked."""

    site: Site
    vocabulary: Vocabulary
    platforms: tuple[Platform, ...]
    documents: tuple[Document, ...]
    provisions: tuple[Provision, ...]
    analyses: tuple[Analysis, ...]
    snapshots: Mapping[str, Snapshot]
    broken: frozenset[str]  # keys of records that failed validation (to avoid cascades of problems)
    unmodelled: tuple[References, ...] = ()  # of the provision records that failed validation
