"""Shared helpers: fixture knowledge bases, builds into temporary folders, parsed pages."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from atlas.pipeline import BuildOptions, BuildResult, build

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"


def copy_kb(source: Path, target: Path) -> Path:
    """A writable copy of a fixture knowledge base."""
    # Not the fixture's build cache: other test processes may be writing it while this one copies.
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".atlas-cache"))
    return target


def _private_copy(fixture: Path) -> Path:
    """A copy of a fixture for this test process, so that builds from it keep their cache there: never in the
    repository, and never in a folder other test processes are writing at the same time."""
    folder = Path(tempfile.mkdtemp(prefix="atlas-fixture-"))
    atexit.register(shutil.rmtree, folder, True)
    return copy_kb(fixture, folder / fixture.name)


BASIC = _private_copy(FIXTURES / "basic")  # built from by many tests, read only


def run_build(root: Path, out: Path | None = None, base_url: str | None = None, search: bool = False) -> BuildResult:
    """Build (or, with out=None, check) the knowledge base at root."""
    return build(BuildOptions(root=root, out=out, base_url=base_url, search=search))


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def soup(site: Path, url: str) -> BeautifulSoup:
    """The parsed page at a site-relative URL ("platforms/alpha/" or "404.html")."""
    path = site / (url + "index.html" if url.endswith("/") or not url else url)
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def messages(result: BuildResult) -> list[str]:
    """The problems of a build, formatted as the terminal shows them."""
    from atlas.problems import format_text, sorted_problems
    return [format_text(p) for p in sorted_problems(result.problems)]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A fresh writable copy of the basic fixture knowledge base."""
    return copy_kb(BASIC, tmp_path / "kb")


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture built once per test module (without the search index)."""
    out = tmp_path_factory.mktemp("site")
    result = run_build(BASIC, out)
    assert result.ok, messages(result)
    return out


@pytest.fixture(autouse=True)
def _browser_prerequisites(request: pytest.FixtureRequest) -> None:
    """Tests marked `browser` get Debian's chromium first (installed with apt-get when missing; see browser_prereqs)."""
    if request.node.get_closest_marker("browser"):
        from browser_prereqs import ensure_chromium
        ensure_chromium()
