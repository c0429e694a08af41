"""The preview's quick render: an edited provision's own page, from the last good graph with its new record.

A rebuild of the whole site takes seconds at full size, while the page a contributor has open as they edit a
provision is that provision's page, which follows from its record and a few figures of its clause type. So on
such an edit the preview renders that page and its citation files first (the page's BibTeX and CSL-JSON
sections fetch theirs when opened), from the last good build's graph with the one record replaced
(graph.with_provision, which gives exactly the graph linking would), writes them and reloads the page. The
full rebuild follows and brings every other page up to date. Anything the quick render cannot take exactly
(another kind of file, a new or removed file, a record with an error, an edit that moves the provision in the
graph) is left to the full rebuild alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import graph as graph_stage
from . import load, output, render, validate
from .fingerprint import digest_bytes
from .graph import Graph
from .markdown import MarkdownRenderer
from .pages.citations import citation_files
from .pages.core import provision_page
from .problems import has_errors


@dataclass(frozen=True)
class LastBuild:
    """What the quick render takes from the last good build: its graph and what it rendered with."""

    graph: Graph
    templates: Path
    urls: render.SiteUrls
    code: dict[str, bytes]  # compiled templates (render.TemplateCode)
    markdown: dict[str, str]  # rendered Markdown (MarkdownRenderer's cache)


@dataclass(frozen=True)
class QuickFile:
    """A file the quick render wrote: its path in the site and the digest of its bytes."""

    path: str
    digest: str


def edited_record(root: Path, paths: Iterable[Path]) -> str | None:
    """The provision record ("content/<platform>/<document>/<id>.yaml") all the changed paths are files of
    (the record or the analysis beside it), or None when they are not all one provision's.

    A path that is gone and that the build would not read (`sed -i` and some editors save by writing a
    temporary file beside the record and renaming it over it) was never a source: it is passed over.
    """
    content = root.resolve() / "content"
    records = set()
    for path in paths:
        path = Path(path).resolve()
        try:
            parts = path.relative_to(content).parts
        except ValueError:
            return None
        if load.source_kind(parts) is None and not path.exists():
            continue
        if len(parts) != 3 or parts[2] == "document.yaml" or path.suffix not in (".yaml", ".md"):
            return None
        records.add("content/" + "/".join(parts)[: -len(path.suffix)] + ".yaml")
    return records.pop() if len(records) == 1 else None


def render_edited_provision(root: Path, out: Path, last: LastBuild, paths: Iterable[Path]) -> tuple[QuickFile, ...] | None:
    """Render and write the page and citation files of the one provision the changed paths belong to, or None
    (see the module); the page comes first."""
    rel = edited_record(root, paths)
    if rel is None:
        return None
    record, problems = load.read_record(root, rel)
    analysis, found = load.read_record(root, rel[: -len(".yaml")] + ".md")
    problems += found
    if record is None or record.kind != "provision" or has_errors(problems):
        return None
    problems += validate.record_problems(record) + (validate.record_problems(analysis) if analysis else [])
    if has_errors(problems):
        return None
    provision, found = validate.model_record(record, analysis)
    problems += found
    if has_errors(problems):
        return None
    graph, _ = graph_stage.with_provision(last.graph, provision, problems)
    if graph is None:
        return None
    rendered = []
    with render.environment(last.templates, graph, last.urls, MarkdownRenderer(last.markdown),
                            render.TemplateCode(dict(last.code))) as env:
        for page in (provision_page(graph, provision), *citation_files(provision)):
            data, problem = render.render_checked(env, page)
            if data is None or problem is not None:
                return None
            rendered.append((page.path, data))
    for path, data in rendered:  # all or nothing: a page never fetches a citation file of another edit
        output.write_file(out, path, data)
    return tuple(QuickFile(path, digest_bytes(data)) for path, data in rendered)
