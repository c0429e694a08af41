"""The built site's size: measured each build, stated by the CLI, warned of near GitHub Pages' 1 GB limit."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from atlas import output, summary
from conftest import BASIC, REPO, run_build


def _bytes_on_disk(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def test_the_size_is_every_byte_of_the_site_search_index_included(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(BASIC, out, search=True)
    assert result.ok and (out / output.SEARCH_DIR).is_dir()
    assert result.size == _bytes_on_disk(out)
    assert result.size > _bytes_on_disk(out / output.SEARCH_DIR) > 0
    assert not [p for p in result.problems if p.code == "site-size"]


def test_a_site_near_or_over_the_limit_is_warned_of_in_every_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    size = run_build(BASIC, out).size
    monkeypatch.setattr(output, "PAGES_LIMIT", size - 1)
    for build in ("first", "no change"):  # a rebuild with nothing to do measures the site again
        found = [p for p in run_build(BASIC, out).problems if p.code == "site-size"]
        assert len(found) == 1, build
        assert found[0].severity == "warning" and found[0].path == "site"
        assert f"the site is {output.megabytes(size)}, over the" in found[0].message


@pytest.mark.parametrize(("size", "expected"), [(899_000_000, None), (950_000_000, "near"), (1_200_000_000, "over")])
def test_the_warning_starts_at_nine_tenths_of_the_limit(size: int, expected: str | None) -> None:
    found = output.size_problems(Path("site"), size)
    if expected is None:
        assert found == []
    else:
        assert [p.message.split(", ")[1].split(" ")[0] for p in found] == [expected]
        assert "1,000 MB GitHub Pages publishes" in found[0].message


def test_megabytes_reads_as_people_state_sizes() -> None:
    assert output.megabytes(1_534_000) == "1.5 MB"
    assert output.megabytes(859_275_772) == "859 MB"
    assert output.megabytes(2_909_000_000) == "2,909 MB"


def test_the_cli_states_the_size_it_built(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "build.py", "build", "--root", str(BASIC), "--out", str(out), "--no-search"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    stated = re.search(r"built (\d+) files, ([\d.]+) MB, into ", done.stdout)
    assert stated, done.stdout
    assert int(stated.group(1)) == sum(1 for p in out.rglob("*") if p.is_file())
    assert float(stated.group(2)) == round(_bytes_on_disk(out) / 1e6, 1)


@pytest.mark.parametrize(("size", "share"), [(2_200_000, "under 1 %"), (860_000_000, "86 %"), (1_200_000_000, "120 %")])
def test_the_deploy_summary_states_the_share_of_the_limit(size: int, share: str) -> None:
    assert summary.size_summary(72314, size) == (
        f"**Site**: 72,314 files, {output.megabytes(size)}: {share} of the 1,000 MB GitHub Pages publishes.\n\n")
