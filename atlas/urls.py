"""Where each kind of record lives on the site: the one place URL paths are decided."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import model as m


def url_for(obj: object) -> str:
    """The site-relative URL path of a record's page (a folder path ending in '/')."""
    if isinstance(obj, m.Provision):
        return f"platforms/{obj.platform_id}/{obj.document_id}/{obj.id}/"
    if isinstance(obj, m.Document):
        return f"platforms/{obj.platform_id}/{obj.id}/"
    if isinstance(obj, m.Platform):
        return f"platforms/{obj.id}/"
    if isinstance(obj, m.ClauseType):
        return f"clause-types/{obj.id}/"
    if isinstance(obj, m.Category):
        return f"clause-types/#category-{obj.id}"
    if isinstance(obj, m.Regulation):
        return f"regulations/{obj.id}/"
    if isinstance(obj, m.Jurisdiction):
        return f"jurisdictions/{obj.id}/"
    if isinstance(obj, m.Analysis):
        return f"analyses/{obj.id}/"
    raise TypeError(f"no page for {type(obj).__name__}")


def clause_type_part_url(owner: m.Regulation | m.Jurisdiction, clause_type: m.ClauseType) -> str:
    """The page of one clause type's share of a long list: a regulation's mapped provisions, a jurisdiction's flagged ones."""
    return f"{url_for(owner)}{clause_type.id}/"


def feed_url(obj: object | None = None) -> str:
    """The Atom feed of the changes to a platform's, clause type's or regulation's provisions (None: all changes)."""
    if obj is None:
        return "feeds/changes.xml"
    if isinstance(obj, m.Platform):
        return f"feeds/platforms/{obj.id}.xml"
    if isinstance(obj, m.ClauseType):
        return f"feeds/clause-types/{obj.id}.xml"
    if isinstance(obj, m.Regulation):
        return f"feeds/regulations/{obj.id}.xml"
    raise TypeError(f"no feed for {type(obj).__name__}")


def version_diff_url(document: m.Document, old: date, new: date) -> str:
    """The diff of two versions of a document; "versions" is a reserved ID, so no provision page can take it."""
    return f"{url_for(document)}versions/{old.isoformat()}-to-{new.isoformat()}/"


def changes_url(month: date | str | None = None, page: int = 1) -> str:
    """The changes timeline, or one month of it ("changes/2026-03/", then "changes/2026-03/2/"), or "upcoming"."""
    url = "changes/" if month is None else f"changes/{month if isinstance(month, str) else f'{month:%Y-%m}'}/"
    return url if page == 1 else f"{url}{page}/"


API_ROOT = "api/v1/"  # the version is in the path: a breaking change to the records gets api/v2/


def api_url(obj: object) -> str:
    """The JSON API file of a record ("api/v1/platforms/alpha.json"; a provision's path holds its record ID)."""
    if isinstance(obj, m.Provision):
        return f"{API_ROOT}provisions/{obj.key}.json"
    if isinstance(obj, m.Document):
        return f"{API_ROOT}documents/{obj.key}.json"
    if isinstance(obj, m.Platform):
        return f"{API_ROOT}platforms/{obj.id}.json"
    if isinstance(obj, m.ClauseType):
        return f"{API_ROOT}clause-types/{obj.id}.json"
    if isinstance(obj, m.Regulation):
        return f"{API_ROOT}regulations/{obj.id}.json"
    raise TypeError(f"no API file for {type(obj).__name__}")


def snapshot_url(snapshot_path: str) -> str:
    """The published copy of an archived snapshot (content/p/d/snapshots/x.txt -> platforms/p/d/snapshots/x.txt)."""
    return "platforms/" + snapshot_path.removeprefix("content/")


def link_root(page_path: str, absolute_links: bool, base_path: str) -> str:
    """What every internal link of a page starts with: '../' up to the site's root, or the base path.

    Links are relative, so one build works under any base URL; a page served at varying depths (404.html)
    uses absolute paths instead. A link is then root + a site-relative path (or "./" for the root itself).
    """
    return base_path if absolute_links else "../" * page_path.count("/")


def absolute(target: str, base_url: str) -> str:
    """An absolute URL of a site-relative path under the base URL (for feeds, sitemaps, canonical links)."""
    return base_url + target


@dataclass(frozen=True)
class SiteUrl:
    """A site-relative path in a data file (JSON, CSV), made absolute under the base URL when it is rendered.

    Planners do not know the base URL (the build option decides it at render time), so data records carry
    this marker instead of a finished URL.
    """

    path: str

    def under(self, base_url: str) -> str:
        """The absolute URL under base_url."""
        return absolute(self.path, base_url)
