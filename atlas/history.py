"""Change history derived from the records: redlines of provision changes and diffs between document versions."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import model as m
from .cache import Cache
from .diff import TextDiff, compare, same_wording
from .graph import ChangeEvent, Graph, VersionEvidence, following_texts, snapshot_bytes

VERSION_CONTEXT = 25  # words of unchanged text kept around each change of a document diff


# Clause redlines are short and shown on provision pages and in several feeds: all of them are remembered.
@lru_cache(maxsize=32768)
def _clause_compare(old: str, new: str) -> TextDiff:
    return compare(old, new, None)


@dataclass(frozen=True)
class TimelineEntry:
    """A change with the platform, document and clause type it is listed under."""

    event: ChangeEvent
    platform: m.Platform
    document: m.Document
    clause_type: m.ClauseType


def timeline_entry(graph: Graph, event: ChangeEvent) -> TimelineEntry:
    """A change with its platform, document and clause type."""
    p = event.provision
    return TimelineEntry(event, graph.platforms[p.platform_id], graph.documents[p.document_key], graph.clause_types[p.clause_type])


def provision_redlines(provision: m.Provision, document: m.Document) -> tuple[TextDiff | None, ...]:
    """For each change of a provision, its word-level redline: modified changes with both texts known and their
    wording different, else None (a redline of no change would say nothing; the check warns of it: unchanged-text)."""
    return tuple(
        _clause_compare(change.previous_text, after)
        if change.kind == "modified" and change.previous_text and after and not same_wording(change.previous_text, after)
        else None
        for change, after in zip(provision.changes, following_texts(provision, document)))


@dataclass(frozen=True)
class VersionPair:
    """Two consecutive archived versions of a document whose snapshots are both stored."""

    document: m.Document
    old: VersionEvidence
    new: VersionEvidence
    old_snapshot: m.Snapshot
    new_snapshot: m.Snapshot

    @property
    def slug(self) -> str:
        """The pair's folder name: "2026-01-10-to-2026-02-15"."""
        return f"{self.old.version.captured.isoformat()}-to-{self.new.version.captured.isoformat()}"


def version_pairs(graph: Graph, document: m.Document) -> tuple[VersionPair, ...]:
    """The consecutive pairs of a document's stored versions, oldest first."""
    stored = [e for e in graph.evidence.get(document.key, ()) if e.snapshot_stored]
    return tuple(VersionPair(document, old, new, graph.snapshots[old.snapshot_path], graph.snapshots[new.snapshot_path])
                 for old, new in zip(stored, stored[1:]))


class DocumentDiffs:
    """Diffs between document versions, computed when a page first asks for one, kept for later builds.

    Kept in the build cache's folder diffs/, where later builds (and other rendering workers) find them;
    the live preview keeps them in its memory instead (KeptInMemory), pickled: a diff's many small objects
    take about three times the memory of its pickle, and a diff is read again only when its page changes. A
    document page and the pages of its version pairs are rendered one after the other, so the last few
    diffs are also at hand here: each diff of a long document is computed (or read) once per build.
    """

    RECENT = 64

    def __init__(self, cache: Cache | None = None) -> None:
        self._kept = Cache(cache.folder / "diffs", cache.kept, compact=True) if cache is not None and cache.folder else Cache(None)
        self._recent = lru_cache(maxsize=self.RECENT)(self._kept_or_computed)

    def of(self, pair: VersionPair) -> TextDiff:
        """The word-level diff of a pair's two snapshots, with unchanged stretches collapsed."""
        # Named by the digests of the two snapshots: a diff depends on nothing else (the cache's folder is
        # named by the generator's code, so a change to the diff or to VERSION_CONTEXT starts afresh).
        return self._recent(f"{pair.old.actual_sha256}-{pair.new.actual_sha256}", pair.old_snapshot, pair.new_snapshot)

    def _kept_or_computed(self, name: str, old: m.Snapshot, new: m.Snapshot) -> TextDiff:
        found = self._kept.load(name).get(name)
        if not isinstance(found, TextDiff):
            found = compare(snapshot_bytes(old).decode("utf-8", "replace"), snapshot_bytes(new).decode("utf-8", "replace"),
                            VERSION_CONTEXT)
            self._kept.store(name, {name: found})
        return found
