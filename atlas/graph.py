"""Link stage: model objects -> the linked graph (lookups, backlinks, derived figures); reference problems."""
from __future__ import annotations

import difflib
import hashlib
import os
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Mapping, TypeVar

from . import model as m
from .diff import same_wording
from .load import read_unchanged
from .problems import Problem, sorted_problems

T = TypeVar("T")

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
RECENT_DAYS = (30, 90)


@dataclass(frozen=True)
class VersionEvidence:
    """What the build verified about one archived version of a document."""

    version: m.Version
    index: int
    snapshot_path: str  # relative to the knowledge base root
    snapshot_stored: bool
    hash_verified: bool
    actual_sha256: str | None


@dataclass(frozen=True)
class QuoteCheck:
    """Whether a provision's excerpt was found in the snapshot it cites."""

    status: str  # verbatim | paraphrase | unavailable
    verified: bool
    version: VersionEvidence | None


@dataclass(frozen=True)
class ChangeEvent:
    """A change record in the context of its provision."""

    provision: m.Provision
    change: m.Change
    index: int

    @property
    def date(self) -> date:
        """The date the change is filed under: when it was detected."""
        return self.change.detected

    @property
    def id(self) -> str:
        """A stable identity for the change: provision key and its position in the record."""
        return f"{self.provision.key}#change-{self.index + 1}"


@dataclass(frozen=True)
class Stability:
    """How settled a clause is: its change count over the time it was monitored."""

    changes: int
    months_monitored: int
    first_seen: date
    last_seen: date

    @property
    def label(self) -> str:
        """A one-word reading of the figures."""
        return "Stable" if self.changes == 0 else ("Changed once" if self.changes == 1 else "Changed often")


@dataclass(frozen=True)
class Uniqueness:
    """How many platforms hold a clause of a provision's type."""

    platforms_with_type: int
    platforms_total: int
    provisions_of_type: int


@dataclass(frozen=True)
class Ranked:
    """A provision's place in the comparison of its clause type: what ranking and picking the closest need."""

    key: str
    platform_id: str
    position: str


@dataclass(frozen=True)
class Graph:
    """The linked knowledge base: every lookup a page needs, and every derived figure."""

    site: m.Site
    as_of: date
    categories: Mapping[str, m.Category]
    clause_types: Mapping[str, m.ClauseType]
    regulations: Mapping[str, m.Regulation]
    jurisdictions: Mapping[str, m.Jurisdiction]
    platforms: Mapping[str, m.Platform]
    documents: Mapping[str, m.Document]
    provisions: Mapping[str, m.Provision]
    analyses: Mapping[str, m.Analysis]
    documents_by_platform: Mapping[str, tuple[m.Document, ...]]
    provisions_by_document: Mapping[str, tuple[m.Provision, ...]]
    provisions_by_platform: Mapping[str, tuple[m.Provision, ...]]
    provisions_by_clause_type: Mapping[str, tuple[m.Provision, ...]]
    provisions_by_regulation: Mapping[str, tuple[m.Provision, ...]]
    provisions_by_jurisdiction: Mapping[str, tuple[m.Provision, ...]]  # those that flag it, by record ID
    clause_types_by_category: Mapping[str, tuple[m.ClauseType, ...]]
    regulations_by_jurisdiction: Mapping[str, tuple[m.Regulation, ...]]
    # The analyses that discuss a record, newest first (what each analysis's front matter names).
    analyses_by_provision: Mapping[str, tuple[m.Analysis, ...]]
    analyses_by_platform: Mapping[str, tuple[m.Analysis, ...]]  # those naming any of its provisions
    analyses_by_document: Mapping[str, tuple[m.Analysis, ...]]  # those naming any of its provisions
    analyses_by_clause_type: Mapping[str, tuple[m.Analysis, ...]]
    analyses_by_regulation: Mapping[str, tuple[m.Analysis, ...]]
    # The figures alone, so that a page showing them depends on the counts, not on every provision counted.
    uniqueness_by_clause_type: Mapping[str, Uniqueness]
    # Each clause type's provisions, closest-first except for position (active, severity, platform name, ID). Plain
    # values, so that a page listing the closest few depends on the order, not on every provision ranked.
    ranking_by_clause_type: Mapping[str, tuple[Ranked, ...]]
    changes: tuple[ChangeEvent, ...]  # newest first
    changes_by_platform: Mapping[str, tuple[ChangeEvent, ...]]
    changes_by_document: Mapping[str, tuple[ChangeEvent, ...]]
    evidence: Mapping[str, tuple[VersionEvidence, ...]]  # by document key
    quotes: Mapping[str, QuoteCheck]  # by provision key
    snapshots: Mapping[str, m.Snapshot]
    # The build's warnings (load, validate, link), set by the pipeline so that the data-quality page can list them.
    warnings: tuple[Problem, ...] = ()

    def uniqueness(self, provision: m.Provision) -> Uniqueness:
        """Held by N of M platforms: N counts platforms with a provision of this clause type."""
        return self.clause_type_figures(provision.clause_type)

    def clause_type_figures(self, clause_type: str) -> Uniqueness:
        """How many platforms hold a clause of this type, of how many, and how many provisions there are."""
        return self.uniqueness_by_clause_type.get(clause_type) or Uniqueness(0, len(self.platforms), 0)

    def position(self, provision: m.Provision) -> m.Position:
        """The position object a provision takes within its clause type."""
        return next(p for p in self.clause_types[provision.clause_type].positions if p.id == provision.position)

    def recent_changes(self, platform_id: str, days: int) -> tuple[ChangeEvent, ...]:
        """Changes of a platform detected in the `days` days up to the as-of date."""
        # They are newest first, so the period is one run of them, found by bisection: every provision
        # page asks for its platform's.
        events = self.changes_by_platform.get(platform_id, ())
        today = self.as_of.toordinal()
        start = bisect_left(events, -today, key=_newest_first)
        return events[start:bisect_left(events, days - today, key=_newest_first)]

    def stability(self, provision: m.Provision) -> Stability:
        """The stability figures of a provision (the one derivation every page uses)."""
        return stability(provision)

    def remembered(self, function: Callable[..., T], *arguments: Any) -> T:
        """function(graph, *arguments): page builders call derivations through this, so that the view
        of the graph pages are rendered from (fingerprint.GraphReads) computes each one once per build."""
        return function(self, *arguments)


def _ranking(provisions: Iterable[m.Provision], platforms: Mapping[str, m.Platform]) -> tuple[Ranked, ...]:
    """Provisions of one clause type, closest-first except for position (see Graph.ranking_by_clause_type)."""
    ranked = sorted(provisions, key=lambda o: (o.status != "active", SEVERITY_ORDER[o.severity],
                                               platforms[o.platform_id].name.lower(), o.key))
    return tuple(Ranked(o.key, o.platform_id, o.position) for o in ranked)


def _newest_first(event: ChangeEvent) -> int:
    """The sort key under which events listed newest first are in ascending order."""
    return -event.date.toordinal()


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (0 when less than a month)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def stability(provision: m.Provision) -> Stability:
    """The stability figures of a provision, derived from its own record only."""
    return Stability(len(provision.changes), months_between(provision.first_seen, provision.last_verified),
                     provision.first_seen, provision.last_verified)


def _provision_dates(p: m.Provision) -> Iterable[date]:
    """The dates of a provision's record that the build's as-of date may be taken from."""
    yield p.first_seen
    yield p.last_verified
    yield p.authorship.written
    for r in p.authorship.reviewers:
        yield r.date
    for c in p.changes:
        yield c.detected
        if c.announced:
            yield c.announced


def _record_dates(kb: m.KnowledgeBase) -> Iterable[date]:
    for p in kb.provisions:
        yield from _provision_dates(p)
    for d in kb.documents:
        for v in d.versions:
            yield v.captured
    for a in kb.analyses:
        yield a.date
        if a.updated:
            yield a.updated


def _set_as_of(site: m.Site) -> date | None:
    """The as-of date set for the build (site.as_of, else SOURCE_DATE_EPOCH), if any."""
    if site.as_of:
        return site.as_of
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return None


def as_of_date(kb: m.KnowledgeBase) -> date:
    """The build's "now": site.as_of, else SOURCE_DATE_EPOCH, else the latest date in the records."""
    return _set_as_of(kb.site) or max((d for d in _record_dates(kb) if d != date.min), default=date(2026, 1, 1))


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})


def normalise_quote(text: str) -> str:
    """Collapse white space and straighten typographic quotes (nothing else)."""
    # str.translate looks every character of a non-ASCII text up in a dict (about 90 ns each, seconds over
    # all snapshots); one str.replace per quote character does the same mapping at memchr speed.
    for typographic, straight in _QUOTES.items():
        text = text.replace(chr(typographic), straight)
    return " ".join(text.split())


# Bounds on the search for the closest passage: comparing a long excerpt with every window of a large snapshot
# is quadratic, and a hostile excerpt (20,000 characters against a few megabytes) would hang the build for hours.
CLOSEST_NEEDLE_CHARS = 240
CLOSEST_MAX_WINDOWS = 500


def closest_passage(needle: str, haystack: str) -> str:
    """The passage of haystack most like needle (its first 240 characters), about that long, for error messages."""
    needle = needle[:CLOSEST_NEEDLE_CHARS]
    words = haystack.split(" ")
    size = max(len(needle.split(" ")), 1)
    if not words:
        return ""
    best, best_score = "", -1.0
    step = max(size // 4, 1, len(words) // CLOSEST_MAX_WINDOWS)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    for start in range(0, max(len(words) - size, 0) + 1, step):
        candidate = " ".join(words[start:start + size])
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
            continue
        score = matcher.ratio()
        if score > best_score:
            best, best_score = candidate, score
    return best


def _out_of_order(earlier: date | None, later: date | None, strictly: bool = False) -> bool:
    """True when `later` comes before `earlier` (or on the same day, if strictly).

    A date that is absent, or was not a real date (validation reported it and left date.min in its
    place), is compared with nothing: its own problem is the one to fix, not a date order it implies.
    """
    if earlier in (None, date.min) or later in (None, date.min):
        return False
    return later <= earlier if strictly else later < earlier  # type: ignore[operator]


def _group(items: Iterable, key) -> dict:
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return {k: tuple(v) for k, v in grouped.items()}


def _discussed(analyses: Iterable[m.Analysis], refs: Callable[[m.Analysis], Iterable[str]]) -> dict[str, tuple[m.Analysis, ...]]:
    """Each record ID an analysis names, with the analyses naming it (in the given order, each once)."""
    grouped: dict[str, dict[str, m.Analysis]] = defaultdict(dict)
    for a in analyses:
        for ref in refs(a):
            grouped[ref][a.id] = a
    return {ref: tuple(by_id.values()) for ref, by_id in grouped.items()}


class _Checker:
    """Collects the cross-record problems while the graph is linked."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def unknown(self, origin: m.Origin, keys: tuple, what: str, value: str, known: Iterable[str], where: str) -> None:
        close = difflib.get_close_matches(value, list(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; add it to {where} first"
        self.problems.append(origin.error(keys, f"unknown-{what.replace(' ', '-')}", f"unknown {what} '{value}'{hint}"))

    def duplicates(self, items: Iterable, origin_of, keys_of, what: str) -> None:
        seen: dict[str, object] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                self.problems.append(origin_of(item).error(keys_of(index), "duplicate-id",
                                                           f"duplicate {what} ID '{item.id}'"))
            seen[item.id] = item


def _check_vocabulary(kb: m.KnowledgeBase, check: _Checker) -> None:
    v = kb.vocabulary
    check.duplicates(v.categories, lambda _: v.clause_types_origin, lambda i: ("categories", i, "id"), "category")
    check.duplicates(v.clause_types, lambda _: v.clause_types_origin, lambda i: ("clause_types", i, "id"), "clause type")
    check.duplicates(v.regulations, lambda _: v.regulations_origin, lambda i: ("regulations", i, "id"), "regulation")
    check.duplicates(v.jurisdictions, lambda _: v.jurisdictions_origin, lambda i: ("jurisdictions", i, "id"), "jurisdiction")
    categories = {c.id for c in v.categories}
    jurisdictions = {j.id for j in v.jurisdictions}
    for t in v.clause_types:
        if t.category not in categories:
            check.unknown(t.origin, ("clause_types", t.index, "category"), "category", t.category, categories, "data/clause-types.yaml")
        check.duplicates(t.positions, lambda _: t.origin, lambda i, t=t: ("clause_types", t.index, "positions", i, "id"), f"position (in {t.id})")
    for g in v.regulations:
        if g.jurisdiction not in jurisdictions:
            check.unknown(g.origin, ("regulations", g.index, "jurisdiction"), "jurisdiction", g.jurisdiction, jurisdictions, "data/jurisdictions.yaml")
        check.duplicates(g.articles, lambda _: g.origin, lambda i, g=g: ("regulations", g.index, "articles", i, "id"), f"article (in {g.id})")
    for i, j in enumerate(v.jurisdictions):
        if j.parent and j.parent not in jurisdictions:
            check.unknown(j.origin, ("jurisdictions", i, "parent"), "jurisdiction", j.parent, jurisdictions, "data/jurisdictions.yaml")


def _articles_by_regulation(regulations: Iterable[m.Regulation]) -> dict[str, set[str]]:
    """The article IDs of each regulation ID; a duplicated regulation (itself an error) knows the articles of both."""
    articles: dict[str, set[str]] = {}
    for g in regulations:
        articles.setdefault(g.id, set()).update(a.id for a in g.articles)
    return articles


def _reference_index(clause_types: Mapping[str, m.ClauseType], categories: Mapping[str, m.Category],
                     regulations: Mapping[str, m.Regulation], jurisdictions: Mapping[str, m.Jurisdiction],
                     documents: Mapping[str, m.Document], articles: Mapping[str, set[str]]) -> dict[str, Mapping]:
    """What a provision's references are checked against (_check_provision), by the kind of record named."""
    return {"clause_types": clause_types, "categories": categories, "regulations": regulations,
            "jurisdictions": jurisdictions, "documents": documents, "articles": articles}


def _check_references(r: m.References, kb_index: dict, check: _Checker) -> None:
    """Every clause type, position, category, regulation, article and jurisdiction named must exist; a value
    that is not text is passed over (it fails the schema, which says so)."""
    o = r.origin
    clause_types, categories, regulations, jurisdictions = (
        kb_index["clause_types"], kb_index["categories"], kb_index["regulations"], kb_index["jurisdictions"])
    clause_type = clause_types.get(r.clause_type) if isinstance(r.clause_type, str) else None
    if clause_type is None:
        if isinstance(r.clause_type, str):
            check.unknown(o, ("clause_type",), "clause type", r.clause_type, clause_types, "data/clause-types.yaml")
    elif isinstance(r.position, str) and r.position not in {x.id for x in clause_type.positions}:
        check.unknown(o, ("position",), "position", r.position, [x.id for x in clause_type.positions],
                      f"the positions of clause type '{r.clause_type}' in data/clause-types.yaml")
    for i, c in enumerate(r.categories):
        if isinstance(c, str) and c not in categories:
            check.unknown(o, ("categories", i), "category", c, categories, "data/clause-types.yaml")
    for i, (name, cited) in enumerate(r.regulations):
        if not isinstance(name, str):
            continue
        if name not in regulations:
            check.unknown(o, ("regulations", i, "regulation"), "regulation", name, regulations, "data/regulations.yaml")
            continue
        articles = kb_index["articles"][name]
        for j, art in enumerate(cited):
            if isinstance(art, str) and art not in articles:
                check.unknown(o, ("regulations", i, "articles", j), "article", art, articles,
                              f"the articles of '{name}' in data/regulations.yaml")
    for i, jur in enumerate(r.jurisdictions):
        if isinstance(jur, str) and jur not in jurisdictions:
            check.unknown(o, ("compliance", "jurisdiction_flags", "jurisdictions", i), "jurisdiction", jur, jurisdictions, "data/jurisdictions.yaml")


def _check_provision(p: m.Provision, kb_index: dict, check: _Checker) -> None:
    o = p.origin
    _check_references(p.references, kb_index, check)
    if _out_of_order(p.first_seen, p.last_verified):
        check.problems.append(o.error(("last_verified",), "date-order",
                                      f"last_verified {p.last_verified} is before first_seen {p.first_seen}"))
    if p.authorship.reviewers:
        for i, r in enumerate(p.authorship.reviewers):
            if _out_of_order(p.authorship.written, r.date):
                check.problems.append(o.error(("authorship", "reviewers", i, "date"), "date-order",
                                              f"review date {r.date} is before the analysis was written ({p.authorship.written})"))
    else:
        check.problems.append(o.warning(("authorship",), "not-reviewed", "this provision has not been reviewed yet"))
    previous = None
    for i, c in enumerate(p.changes):
        if _out_of_order(previous, c.detected):
            check.problems.append(o.error(("changes", i, "detected"), "date-order",
                                          f"changes are listed oldest first: {c.detected} comes after {previous}"))
        previous = c.detected
        if _out_of_order(c.detected, p.last_verified):
            check.problems.append(o.error(("changes", i, "detected"), "date-order",
                                          f"change detected {c.detected} after the provision was last verified ({p.last_verified})"))
        if _out_of_order(c.announced, c.effective):
            check.problems.append(o.error(("changes", i, "effective"), "date-order",
                                          f"effective date {c.effective} is before the announcement ({c.announced})"))
        if c.kind in ("modified", "removed") and not (c.previous_text or c.previous_text_unavailable):
            check.problems.append(o.error(("changes", i), "missing-previous-text",
                                          f"a {c.kind} change needs previous_text (or previous_text_unavailable saying why)"))
        if c.kind == "removed" and i != len(p.changes) - 1:
            check.problems.append(o.error(("changes", i, "kind"), "removed-not-last", "a removed change must be the last change record"))
        if c.kind == "added" and i != 0:
            check.problems.append(o.error(("changes", i, "kind"), "added-not-first", "an added change must be the first change record"))
    removed = bool(p.changes) and p.changes[-1].kind == "removed"
    if p.status == "removed" and not removed:
        check.problems.append(o.error(("status",), "removed-without-change", "a removed provision needs a final change record of kind removed"))
    if removed and p.status != "removed":
        check.problems.append(o.error(("status",), "removed-status", "the last change removed this provision: set status: removed"))
    document = kb_index["documents"].get(p.document_key)
    if document is None:
        return  # reported where the provision is linked to its document
    if p.excerpt.version and p.excerpt.version not in {v.captured for v in document.versions}:
        check.unknown(o, ("excerpt", "version"), "version", p.excerpt.version.isoformat(),
                      [v.captured.isoformat() for v in document.versions], f"the versions of {document.origin.path}")
    elif superseding_change(p, document):
        check.problems.append(o.warning(
            ("excerpt", "version") if p.excerpt.version else ("excerpt",), "stale-excerpt",
            f"the excerpt quotes the version captured {quoted_capture(p, document)}, before the last change to the clause "
            f"(detected {p.changes[-1].detected}): quote a version captured since, so that the page shows the clause "
            f"as it stands and the change's redline"))
    for i, (c, after) in enumerate(zip(p.changes, following_texts(p, document))):
        if c.kind == "modified" and c.previous_text and after and same_wording(c.previous_text, after):
            replaced = "the excerpt quotes" if i + 1 == len(p.changes) else "the next change replaced"
            check.problems.append(o.warning(
                ("changes", i, "previous_text"), "unchanged-text",
                f"previous_text is the wording {replaced}, word for word: a modified change's previous_text is the "
                f"clause as it read before that change"))


def quoted_capture(p: m.Provision, document: m.Document) -> date | None:
    """When the version a provision's excerpt quotes was captured: the version it names, else the document's latest."""
    if p.excerpt.version:
        return p.excerpt.version
    return document.versions[-1].captured if document.versions else None


def excerpt_predates_last_change(p: m.Provision, document: m.Document) -> bool:
    """True when the excerpt quotes a version captured before the provision's last change was detected.

    Such an excerpt is the clause as it was before that change, not the text the change led to.
    """
    quoted = quoted_capture(p, document)
    return bool(p.changes) and quoted is not None and quoted < p.changes[-1].detected


def following_texts(provision: m.Provision, document: m.Document) -> tuple[str | None, ...]:
    """For each change, the clause text that came after it, when the record knows it verbatim.

    That is the previous text of the next change, or the excerpt for the last change: only when the excerpt
    is verbatim (a redline against a paraphrase would show differences that are not in the clause) and quotes
    a version captured since that change (an older excerpt is the text the change replaced, or older still).
    """
    texts: list[str | None] = []
    for i, _ in enumerate(provision.changes):
        if i + 1 < len(provision.changes):
            texts.append(provision.changes[i + 1].previous_text)
        elif (provision.status != "removed" and provision.excerpt.status == "verbatim"
              and not excerpt_predates_last_change(provision, document)):
            texts.append(provision.excerpt.text)
        else:
            texts.append(None)
    return tuple(texts)


def last_change(p: m.Provision) -> ChangeEvent | None:
    """A provision's last change, as an event: its changes are listed oldest first (the check makes it so)."""
    return ChangeEvent(p, p.changes[-1], len(p.changes) - 1) if p.changes else None


def superseding_change(p: m.Provision, document: m.Document) -> m.Change | None:
    """The last change of a provision still in the document, when its excerpt quotes a version from before it."""
    if p.status == "removed" or p.excerpt.status == "unavailable" or not excerpt_predates_last_change(p, document):
        return None
    return p.changes[-1]


class SnapshotChanged(ValueError):
    """A snapshot file no longer holds the bytes the build read from it first."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} changed while the build was reading it; build again")
        self.path = path

    def problem(self) -> Problem:
        """The error a build reports for it, wherever the snapshot was read (link or render)."""
        return Problem(self.path, 1, 1, "changed-while-building", str(self))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot_bytes(snapshot: m.Snapshot) -> bytes:
    """The bytes of an archived snapshot, read again from its file; SnapshotChanged if they are not the ones
    whose SHA-256 the build checked (the file was replaced or edited during the build)."""
    data = read_unchanged(snapshot.file, snapshot.size, _sha256, snapshot.sha256)
    if data is None:
        raise SnapshotChanged(snapshot.path)
    return data


def _evidence(document: m.Document, snapshots: Mapping[str, m.Snapshot], check: _Checker) -> tuple[VersionEvidence, ...]:
    folder = document.origin.path.rsplit("/", 1)[0]
    out = []
    previous = None
    for i, v in enumerate(document.versions):
        if _out_of_order(previous, v.captured, strictly=True):
            check.problems.append(document.origin.error(("versions", i, "captured"), "date-order",
                                                        f"versions are listed oldest first: {v.captured} does not come after {previous}"))
        previous = v.captured
        path = f"{folder}/{v.snapshot}"
        snap = snapshots.get(path)
        actual = snap.sha256 if snap else None
        if snap is None:
            check.problems.append(document.origin.error(("versions", i, "snapshot"), "missing-snapshot",
                                                        f"snapshot file {path} does not exist"))
        elif actual != v.sha256:
            check.problems.append(document.origin.error(("versions", i, "sha256"), "hash-mismatch",
                                                        f"sha256 of {path} is {actual}, not the declared {v.sha256}"))
        out.append(VersionEvidence(v, i, path, snap is not None, snap is not None and actual == v.sha256, actual))
    return tuple(out)


class _SnapshotTexts:
    """The texts of the snapshots excerpts cite, decoded once, and normalised only when a quote needs it.

    Quotes are checked in record ID order, so document by document: only the texts of the last few
    snapshots are kept, not the decoded text of every snapshot (as much memory again as the snapshots).
    """

    KEPT = 8

    def __init__(self, snapshots: Mapping[str, m.Snapshot], check: _Checker) -> None:
        self.snapshots = snapshots
        self.check = check  # told of a snapshot that changed while the build was reading it
        self._text: OrderedDict[str, str] = OrderedDict()
        self._normalised: OrderedDict[str, str] = OrderedDict()

    def text(self, path: str) -> str:
        """The snapshot's text as it stands ("" if it changed since the build read it first: a problem)."""
        return self._kept(self._text, path, lambda: self._read(path))

    def _read(self, path: str) -> str:
        try:
            return snapshot_bytes(self.snapshots[path]).decode("utf-8", "replace")
        except SnapshotChanged as exc:
            self.check.problems.append(exc.problem())
            return ""

    def normalised(self, path: str) -> str:
        """The snapshot's text with white space collapsed and quotes straightened (see normalise_quote)."""
        return self._kept(self._normalised, path, lambda: normalise_quote(self.text(path)))

    def _kept(self, texts: OrderedDict[str, str], path: str, make: Callable[[], str]) -> str:
        if path not in texts:
            texts[path] = make()
            if len(texts) > self.KEPT:
                texts.popitem(last=False)
        return texts[path]


def _check_quote(p: m.Provision, document: m.Document, evidence: tuple[VersionEvidence, ...], texts: _SnapshotTexts,
                 check: _Checker) -> QuoteCheck:
    if not evidence:
        return QuoteCheck(p.excerpt.status, False, None)
    quoted = quoted_capture(p, document)
    cited = next((e for e in evidence if e.version.captured == quoted), None)
    if p.excerpt.status != "verbatim" or cited is None or not cited.snapshot_stored:
        return QuoteCheck(p.excerpt.status, False, cited)
    # Most excerpts are copied from the snapshot as they stand, and an excerpt found as it stands is found
    # once both sides are normalised too (normalising works character by character and on runs of white
    # space): only the other excerpts need the normalised text.
    if p.excerpt.text in texts.text(cited.snapshot_path):
        return QuoteCheck("verbatim", cited.hash_verified, cited)
    needle, haystack = normalise_quote(p.excerpt.text), texts.normalised(cited.snapshot_path)
    if needle in haystack:
        return QuoteCheck("verbatim", cited.hash_verified, cited)
    nearest = closest_passage(needle, haystack)
    check.problems.append(p.origin.error(
        ("excerpt", "text"), "quote-not-found",
        f"the verbatim excerpt is not in {cited.snapshot_path} (captured {cited.version.captured}); "
        f"closest passage: \"{nearest[:300]}\" — fix the quote, or set excerpt.status to paraphrase"))
    return QuoteCheck("verbatim", False, cited)


def link(kb: m.KnowledgeBase) -> tuple[Graph, list[Problem]]:
    """Link the records into a graph, reporting every unknown reference, bad date order and failed check."""
    check = _Checker()
    _check_vocabulary(kb, check)
    v = kb.vocabulary
    platforms = {p.id: p for p in sorted(kb.platforms, key=lambda p: p.id)}
    jurisdictions = {j.id: j for j in v.jurisdictions}
    for p in platforms.values():
        if p.headquarters and p.headquarters not in jurisdictions:
            check.unknown(p.origin, ("headquarters",), "jurisdiction", p.headquarters, jurisdictions, "data/jurisdictions.yaml")

    documents: dict[str, m.Document] = {}
    for d in sorted(kb.documents, key=lambda d: d.key):
        if d.platform_id not in platforms:
            if d.platform_id not in kb.broken:
                check.problems.append(d.origin.error((), "missing-platform",
                                                     f"no platform record content/{d.platform_id}/platform.yaml for this document"))
            continue
        documents[d.key] = d

    index = _reference_index({t.id: t for t in v.clause_types}, {c.id: c for c in v.categories},
                             {g.id: g for g in v.regulations}, jurisdictions, documents,
                             _articles_by_regulation(v.regulations))
    for references in kb.unmodelled:  # records that failed their schema: what they name is checked all the same
        _check_references(references, index, check)
    provisions: dict[str, m.Provision] = {}
    for p in sorted(kb.provisions, key=lambda p: p.key):
        _check_provision(p, index, check)
        if p.document_key not in documents:
            if p.document_key not in kb.broken and p.platform_id not in kb.broken:
                missing = (f"content/{p.platform_id}/platform.yaml" if p.platform_id not in platforms
                           else f"content/{p.document_key}/document.yaml")
                check.problems.append(p.origin.error((), "missing-document", f"no record {missing} for this provision"))
            continue
        provisions[p.key] = p

    evidence = {key: _evidence(d, kb.snapshots, check) for key, d in documents.items()}
    referenced = {e.snapshot_path for ev in evidence.values() for e in ev}
    for path in sorted(set(kb.snapshots) - referenced):
        check.problems.append(Problem(path, 1, 1, "unused-snapshot", "no document version lists this snapshot", "warning"))
    texts = _SnapshotTexts(kb.snapshots, check)
    quotes = {key: _check_quote(p, documents[p.document_key], evidence[p.document_key], texts, check)
              for key, p in provisions.items()}

    analyses = {a.id: a for a in sorted(kb.analyses, key=lambda a: a.id)}
    # Provisions left out because their platform or document failed: their problem is reported already.
    dropped = {p.key for p in kb.provisions} - set(provisions)
    for a in analyses.values():
        for i, ref in enumerate(a.provisions):
            if ref not in provisions and ref not in kb.broken and ref not in dropped:
                check.unknown(a.origin, ("provisions", i), "provision", ref, provisions, "content/")
        for i, ref in enumerate(a.clause_types):
            if ref not in index["clause_types"]:
                check.unknown(a.origin, ("clause_types", i), "clause type", ref, index["clause_types"], "data/clause-types.yaml")
        for i, ref in enumerate(a.regulations):
            if ref not in index["regulations"]:
                check.unknown(a.origin, ("regulations", i), "regulation", ref, index["regulations"], "data/regulations.yaml")
        if _out_of_order(a.date, a.updated):
            check.problems.append(a.origin.error(("updated",), "date-order", f"updated {a.updated} is before the date {a.date}"))

    linked = [p for p in provisions.values()
              if p.clause_type in index["clause_types"] and p.position in {x.id for x in index["clause_types"][p.clause_type].positions}]
    linked_keys = {p.key for p in linked}
    provisions = {k: p for k, p in provisions.items() if k in linked_keys}

    by_clause_type = _group(provisions.values(), lambda p: p.clause_type)
    by_regulation: dict[str, list] = defaultdict(list)
    for p in provisions.values():
        for ref in {r.regulation for r in p.regulations}:
            if ref in index["regulations"]:
                by_regulation[ref].append(p)
    by_jurisdiction: dict[str, list] = defaultdict(list)
    for p in provisions.values():
        for jurisdiction in dict.fromkeys(p.compliance.jurisdiction_flags):
            by_jurisdiction[jurisdiction].append(p)
    newest_first = sorted(analyses.values(), key=lambda a: (a.date, a.id), reverse=True)
    events = sorted((ChangeEvent(p, c, i) for p in provisions.values() for i, c in enumerate(p.changes)),
                    key=lambda e: (e.date, e.provision.key, e.index), reverse=True)
    graph = Graph(
        site=kb.site, as_of=as_of_date(kb),
        categories=index["categories"], clause_types=index["clause_types"], regulations=index["regulations"],
        jurisdictions=jurisdictions, platforms=platforms, documents=documents, provisions=provisions, analyses=analyses,
        documents_by_platform=_group(documents.values(), lambda d: d.platform_id),
        provisions_by_document=_group(provisions.values(), lambda p: p.document_key),
        provisions_by_platform=_group(provisions.values(), lambda p: p.platform_id),
        provisions_by_clause_type=by_clause_type,
        provisions_by_regulation={k: tuple(v) for k, v in by_regulation.items()},
        provisions_by_jurisdiction={k: tuple(v) for k, v in by_jurisdiction.items()},
        clause_types_by_category=_group(v.clause_types, lambda t: t.category),
        regulations_by_jurisdiction=_group(v.regulations, lambda g: g.jurisdiction),
        analyses_by_provision=_discussed(newest_first, lambda a: a.provisions),
        analyses_by_platform=_discussed(newest_first, lambda a: [provisions[ref].platform_id
                                                                  for ref in a.provisions if ref in provisions]),
        analyses_by_document=_discussed(newest_first, lambda a: [provisions[ref].document_key
                                                                  for ref in a.provisions if ref in provisions]),
        analyses_by_clause_type=_discussed(newest_first, lambda a: a.clause_types),
        analyses_by_regulation=_discussed(newest_first, lambda a: a.regulations),
        uniqueness_by_clause_type={k: Uniqueness(len({p.platform_id for p in v}), len(platforms), len(v))
                                   for k, v in by_clause_type.items()},
        ranking_by_clause_type={k: _ranking(v, platforms) for k, v in by_clause_type.items()},
        changes=tuple(events),
        changes_by_platform=_group(events, lambda e: e.provision.platform_id),
        changes_by_document=_group(events, lambda e: e.provision.document_key),
        evidence=evidence, quotes=quotes, snapshots=kb.snapshots)
    for e in events:
        if e.date > graph.as_of:
            check.problems.append(e.provision.origin.error(("changes", e.index, "detected"), "date-in-future",
                                                           f"change detected {e.date}, after the build's as-of date {graph.as_of}"))
    return graph, check.problems


def _placement(p: m.Provision) -> tuple:
    """What places a provision in the graph's groupings and change lists, beyond its ranking."""
    return (p.platform_id, p.document_id, p.clause_type, frozenset(r.regulation for r in p.regulations),
            p.compliance.jurisdiction_flags, p.changes)


def with_provision(graph: Graph, new: m.Provision, record_warnings: Iterable[Problem] = ()) -> tuple[Graph | None, list[Problem]]:
    """The graph link would make were one provision's record replaced by `new`, and the provision's link problems.

    For the preview's quick render (atlas.quick): None when the record has an error or when the change
    reaches beyond what a provision's own figures hold: another platform, document or clause type, other
    regulations, jurisdictions or change records, or dates the build's as-of date may be taken from.
    record_warnings: the warnings reading and validating the new record's files found (graph.warnings
    lists every build warning, and the old record's are dropped from it).
    """
    old = graph.provisions.get(new.key)
    if old is None or _placement(old) != _placement(new):
        return None, []
    if _set_as_of(graph.site) is None and tuple(_provision_dates(old)) != tuple(_provision_dates(new)):
        return None, []
    check = _Checker()
    _check_provision(new, _reference_index(graph.clause_types, graph.categories, graph.regulations,
                                           graph.jurisdictions, graph.documents,
                                           _articles_by_regulation(graph.regulations.values())), check)
    quote = _check_quote(new, graph.documents[new.document_key], graph.evidence[new.document_key],
                         _SnapshotTexts(graph.snapshots, check), check)
    if any(p.is_error for p in check.problems):
        return None, check.problems

    def swapped(grouping: Mapping[str, tuple], keys: Iterable[str]) -> dict[str, tuple]:
        return {**grouping, **{k: tuple(new if x is old else x for x in grouping[k]) for k in keys}}

    # Its change records are equal, so its events keep their places; they only name the new record.
    events = {id(e): ChangeEvent(new, e.change, e.index) for e in graph.changes_by_document.get(new.document_key, ())
              if e.provision is old}

    def renamed(grouping: Mapping[str, tuple[ChangeEvent, ...]], key: str) -> Mapping[str, tuple[ChangeEvent, ...]]:
        return {**grouping, key: tuple(events.get(id(e), e) for e in grouping[key])} if events else grouping

    by_clause_type = swapped(graph.provisions_by_clause_type, (new.clause_type,))
    files = {old.origin.path, new.origin.path} | {p.analysis_path for p in (old, new) if p.analysis_path}
    warnings = [w for w in graph.warnings if w.path not in files] + list(record_warnings) + check.problems
    return replace(
        graph,
        provisions={**graph.provisions, new.key: new},
        provisions_by_document=swapped(graph.provisions_by_document, (new.document_key,)),
        provisions_by_platform=swapped(graph.provisions_by_platform, (new.platform_id,)),
        provisions_by_clause_type=by_clause_type,
        provisions_by_regulation=swapped(graph.provisions_by_regulation,
                                         {r.regulation for r in new.regulations if r.regulation in graph.regulations}),
        provisions_by_jurisdiction=swapped(graph.provisions_by_jurisdiction, new.compliance.jurisdiction_flags),
        ranking_by_clause_type={**graph.ranking_by_clause_type,
                                new.clause_type: _ranking(by_clause_type[new.clause_type], graph.platforms)},
        changes=tuple(events.get(id(e), e) for e in graph.changes) if events else graph.changes,
        changes_by_platform=renamed(graph.changes_by_platform, new.platform_id),
        changes_by_document=renamed(graph.changes_by_document, new.document_key),
        quotes={**graph.quotes, new.key: quote},
        warnings=tuple(sorted_problems(warnings))), check.problems
