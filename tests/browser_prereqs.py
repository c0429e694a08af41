"""What the browser tests need, made ready by the test session itself: Debian's chromium and axe-core.

CI runs only `pip install -e '.[test]' && pytest`, so the first browser test installs what is missing:
chromium with apt-get (when running as root, as CI does), axe-core from the npm registry into
.atlas-cache/npm (git-ignored). Parallel test workers take turns through a file lock.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_VERSION = "4"
NPM_PREFIX = REPO / ".atlas-cache" / "npm"
AXE = NPM_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
LOCK = REPO / ".atlas-cache" / "browser-prereqs.lock"


@contextmanager
def _locked() -> Iterator[None]:
    """One test worker at a time installs (apt and npm both dislike two installs at once)."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=1200)


def _apt_install(package: str) -> str | None:
    """Install a Debian package; None on success, else why it failed."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"install it with `apt-get install -y {package}` (as root)"
    done = _run(["apt-get", "install", "-y", "--no-install-recommends", package])
    if done.returncode != 0:  # the package lists may be missing or stale on a fresh machine
        _run(["apt-get", "update"])
        done = _run(["apt-get", "install", "-y", "--no-install-recommends", package])
    return None if done.returncode == 0 else f"`apt-get install -y {package}` failed: {done.stderr.strip()[-500:]}"


def ensure_chromium() -> Path:
    """Debian's chromium at /usr/bin/chromium, installed with apt-get if missing; fails the test otherwise."""
    if not CHROMIUM.exists():
        with _locked():
            if not CHROMIUM.exists():
                why = _apt_install("chromium")
                if why or not CHROMIUM.exists():
                    pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM}: {why or 'not found after install'}",
                                pytrace=False)
    return CHROMIUM


def ensure_axe() -> Path:
    """axe-core's axe.min.js from the npm registry, installed into .atlas-cache/npm if missing."""
    if not AXE.is_file():
        with _locked():
            if not AXE.is_file():
                if not shutil.which("npm"):
                    why = _apt_install("npm")
                    if why:
                        pytest.fail(f"accessibility tests need npm to fetch axe-core: {why}", pytrace=False)
                done = _run(["npm", "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund", "--no-save",
                             "--loglevel=error", f"axe-core@{AXE_VERSION}"])
                if done.returncode != 0 or not AXE.is_file():
                    pytest.fail(f"`npm install axe-core@{AXE_VERSION}` failed: {done.stderr.strip()[-500:]}", pytrace=False)
    return AXE
