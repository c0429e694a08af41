"""Where each kind of record lives on the site: the one place URL paths are decided."""
from __future__ import annotations

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


def snapshot_url(snapshot_path: str) -> str:
    """The published copy of an archived snapshot (content/p/d/snapshots/x.txt -> platforms/p/d/snapshots/x.txt)."""
    return "platforms/" + snapshot_path.removeprefix("content/")


def relative(target: str, page_path: str) -> str:
    """A link from the page at page_path (an output file path) to target (a site-relative path)."""
    depth = page_path.count("/")
    return ("../" * depth + target) or "./"


def absolute(target: str, base_url: str) -> str:
    """An absolute URL of a site-relative path under the base URL (for feeds, sitemaps, canonical links)."""
    return base_url + target
