"""The live preview's builds: the whole site into a preview folder, or only the assets when only they changed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import output
from .cache import KeptInMemory
from .pipeline import GENERATOR_ROOT, BuildOptions, asset_pages, build
from .problems import Problem, sorted_problems
from .yamlsafe import parse_yaml

FULL_REBUILD = ("content", "data", "template")


def source_folder(root: Path, name: str) -> Path:
    """The knowledge base's own templates/ or assets/ folder, else the generator's (as the build chooses)."""
    own = root / name
    return own if own.is_dir() else GENERATOR_ROOT / name


def watched_folders(root: Path) -> dict[Path, str]:
    """The folders the preview watches and the kind of change each one makes (never the output folder)."""
    return {root / "content": "content", root / "data": "data",
            source_folder(root, "templates"): "template", source_folder(root, "assets"): "asset"}


def site_path(root: Path) -> str:
    """The path of data/site.yaml's url ("/atlas/"), so the preview runs under the same sub-path; "/" if unreadable."""
    try:
        parsed = parse_yaml((root / "data" / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return "/"
    url = parsed.data.get("url") if isinstance(parsed.data, dict) else None
    path = urlsplit(url).path if isinstance(url, str) else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


@dataclass(frozen=True)
class Outcome:
    """What one preview build did: whether it succeeded, its problems, whether any page changed."""

    ok: bool
    problems: tuple[Problem, ...]
    pages_changed: bool
    full: bool


@dataclass
class PreviewBuilder:
    """Builds the preview folder; remembers the last good files so an asset change rewrites only assets."""

    root: Path
    out: Path
    base_url: str
    search: bool = True
    _kept: KeptInMemory = field(default_factory=KeptInMemory, repr=False)  # what each build hands the next
    _files: dict[str, bytes] | None = field(default=None, repr=False)  # the last good build's files
    _last_ok: bool = field(default=False, repr=False)

    def options(self) -> BuildOptions:
        """The build options of a full preview build."""
        return BuildOptions(root=self.root, out=self.out, base_url=self.base_url, search=self.search,
                            templates=source_folder(self.root, "templates"), assets=source_folder(self.root, "assets"),
                            kept=self._kept)

    def rebuild(self, kind: str | None = "content") -> Outcome:
        """Rebuild for a kind of change: assets only when nothing else changed and a good build exists, else all."""
        if kind == "asset" and self._files is not None and self._last_ok:
            return self._assets_only()
        result = build(self.options())
        self._last_ok = result.ok
        if result.ok and result.files is not None:
            self._files = result.files
        return Outcome(result.ok, tuple(sorted_problems(result.problems)), result.ok and (result.written + result.removed) > 0, True)

    def _assets_only(self) -> Outcome:
        assert self._files is not None
        files = {path: data for path, data in self._files.items() if not path.startswith("assets/")}
        files.update((page.path, page.context) for page in asset_pages(source_folder(self.root, "assets")))
        report = output.write_site(self.out, files)
        self._files = files
        return Outcome(True, (), bool(report.written or report.removed), False)
