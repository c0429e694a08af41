"""Change history derived from the records: redlines of provision changes and diffs between document versions."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import model as m
from .diff import TextDiff, compare
from .graph import ChangeEvent, Graph, VersionEvidence

VERSION_CONTEXT = 25  # words of unchanged text kept around each change of a document diff


# Diffs are computed when a page first asks for one. The document page and the pages of its version pairs are
# rendered one after the other, so a small cache computes each diff of a long document once; clause redlines
# are short and shown on provision pages and in several feeds, so all of them are kept.
@lru_cache(maxsize=64)
def _document_compare(old: str, new: str) -> TextDiff:
    return compare(old, new, VERSION_CONTEXT)


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


def following_texts(provision: m.Provision) -> tuple[str | None, ...]:
    """For each change, the clause text that came after it, when the record knows it verbatim.

    That is the previous text of the next change, or the current excerpt for the last change (only when the
    excerpt is verbatim: a redline against a paraphrase would show differences that are not in the clause).
    """
    texts: list[str | None] = []
    for i, _ in enumerate(provision.changes):
        if i + 1 < len(provision.changes):
            texts.append(provision.changes[i + 1].previous_text)
        elif provision.status != "removed" and provision.excerpt.status == "verbatim":
            texts.append(provision.excerpt.text)
        else:
            texts.append(None)
    return tuple(texts)


def provision_redlines(provision: m.Provision) -> tuple[TextDiff | None, ...]:
    """For each change of a provision, its word-level redline: modified changes with both texts known, else None."""
    return tuple(
        _clause_compare(change.previous_text, after)
        if change.kind == "modified" and change.previous_text and after else None
        for change, after in zip(provision.changes, following_texts(provision)))


@dataclass(frozen=True)
class VersionPair:
    """Two consecutive archived versions of a document whose snapshots are both stored."""

    document: m.Document
    old: VersionEvidence
    new: VersionEvidence
    old_data: bytes = field(repr=False, compare=False)
    new_data: bytes = field(repr=False, compare=False)

    @property
    def slug(self) -> str:
        """The pair's folder name: "2026-01-10-to-2026-02-15"."""
        return f"{self.old.version.captured.isoformat()}-to-{self.new.version.captured.isoformat()}"

    @property
    def diff(self) -> TextDiff:
        """The word-level diff of the two snapshots, with unchanged stretches collapsed (computed on first use)."""
        return _document_compare(self.old_data.decode("utf-8", "replace"), self.new_data.decode("utf-8", "replace"))


def version_pairs(graph: Graph, document: m.Document) -> tuple[VersionPair, ...]:
    """The consecutive pairs of a document's stored versions, oldest first."""
    stored = [e for e in graph.evidence.get(document.key, ()) if e.snapshot_stored]
    return tuple(VersionPair(document, old, new, graph.snapshots[old.snapshot_path].data,
                             graph.snapshots[new.snapshot_path].data)
                 for old, new in zip(stored, stored[1:]))
