"""The data flows one way: a stage's modules never import a later stage's (DESIGN §4)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ATLAS = Path(__file__).resolve().parent.parent / "atlas"
# Stage by stage, in the order the data flows; helpers that serve any stage (problems, urls, parallel, ...) are not listed.
STAGES = (
    ("load", {"yamlsafe", "load", "textrules"}),
    ("validate", {"validate", "model"}),
    ("link", {"graph"}),
    ("plan", {"pages", "records", "history", "citation"}),
    ("render", {"render", "markdown", "fingerprint"}),
    ("write", {"incremental", "output", "search_bundle"}),
    ("wire", {"pipeline", "preview", "quick", "serve"}),
)


def _stage_of(module: str) -> int | None:
    return next((i for i, (_, modules) in enumerate(STAGES) if module in modules), None)


def _imported(file: Path) -> set[str]:
    """The atlas modules a file imports (relative imports resolved to their first name under atlas/)."""
    names: set[str] = set()
    inside_pages = file.parent.name == "pages"
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            if inside_pages and node.level == 1:
                names.add("pages")
            elif node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("atlas."):
            names.add(node.module.split(".")[1])
    return names


FILES = sorted(ATLAS.rglob("*.py"))


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.relative_to(ATLAS).as_posix())
def test_no_module_imports_a_later_stage(file: Path) -> None:
    own = _stage_of("pages" if file.parent.name == "pages" else file.stem)
    if own is None:
        return
    later = {name for name in _imported(file) if (_stage_of(name) or 0) > own}
    assert not later, f"{file.relative_to(ATLAS)} ({STAGES[own][0]}) imports a later stage: {sorted(later)}"


def test_the_stage_map_names_real_modules() -> None:
    # A renamed module must not silently leave the rule.
    present = {f.stem for f in FILES} | {"pages"}
    assert {m for _, modules in STAGES for m in modules} <= present
