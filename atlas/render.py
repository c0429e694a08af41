"""Render stage: pages -> bytes, through Jinja (autoescaped, strict) and the safe Markdown renderer."""
from __future__ import annotations

import json
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
import jinja2.bccache
import markupsafe
from markupsafe import Markup

from . import citation, history
from .csv_export import csv_text
from .dates import long_date
from .fingerprint import GraphReads
from .graph import SnapshotChanged
from .markdown import MarkdownRenderer
from .pages import Page
from .pages.base import Deferred, Parts
from .problems import Problem
from .urls import SiteUrl, absolute, changes_url, feed_url, link_root, snapshot_url, url_for, version_diff_url


@dataclass(frozen=True)
class SiteUrls:
    """The address the site is built for: absolute base URL and its path."""

    base_url: str  # "https://example.github.io/atlas/"
    base_path: str  # "/atlas/"


def json_text(data: Any, base_url: str = "") -> str:
    """Deterministic JSON for data files, safe to embed anywhere (no raw <, >, & or line separators).

    SiteUrl markers in data become absolute URLs under base_url. Compact: with `indent`, json.dumps runs
    its pure-Python encoder (several times slower); `default` is called back from the C encoder.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=lambda value: _json_default(value, base_url))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")) + "\n"


def _json_default(value: Any, base_url: str = "") -> Any:
    if isinstance(value, SiteUrl):  # the most frequent: several in every record
        return value.under(base_url)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


GZIP_LEVEL = 1  # the fastest: a bulk file shrinks about sixfold in about a second per 100 MB (6: tenfold, in three)


def json_lines_gzip(items: Iterable[Any], base_url: str = "") -> bytes:
    """Each item as one line of json_text, as one gzip member (no name or time in the header: deterministic).

    Compressed a line at a time, so that a bulk file's text is never held whole in memory. Members put one
    after the other make one gzip file (RFC 1952), which is how a file in Parts is assembled.
    """
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16 +: gzip's wrapper
    parts = [compressor.compress(json_text(item, base_url).encode("utf-8")) for item in items]
    return b"".join(parts) + compressor.flush()


def _format_date(value: date | None, style: str = "long") -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.isoformat()
    return long_date(value)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _tojson_script(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: nothing in it can close the element."""
    return Markup(json_text(value).strip())


def search_filter(value: Any) -> Markup:
    """A Pagefind filter value, escaped three times: Pagefind's UI inserts filter values as HTML.

    Pagefind (1.5) decodes the entities of a `data-pagefind-filter` element's text twice, and its UI renders
    the stored value with innerHTML. Escaped three times, the value is stored escaped once, so a platform named
    "<img src=x onerror=...>" shows as text; were Pagefind to decode only once, it would show "&lt;": still text.
    tests/test_browser.py checks this in a browser.
    """
    once = str(markupsafe.escape(value))
    return Markup(markupsafe.escape(str(markupsafe.escape(once))))


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates, by template and source checksum, to keep in the build cache between builds.

    Compiling every template costs a few tenths of a second, in every build and every preview rebuild;
    Jinja checks each entry's checksum against the template's source, so an edited template is compiled
    again. The entries are marshalled code: they are only ever read from the sealed cache (atlas.cache).
    """

    def __init__(self, code: dict[str, bytes] | None = None) -> None:
        self.code = code if code is not None else {}
        self.fresh = False  # whether a template was compiled, so that there is something new to store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give Jinja the code compiled before, if any (it discards code whose checksum differs)."""
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code of a template just compiled."""
        self.code[bucket.key] = bucket.bytecode_to_string()
        self.fresh = True


try:
    from markupsafe import _escape_inner as _escape_text  # MarkupSafe 3: the C escaping escape() wraps in Markup
except ImportError:  # pragma: no cover - MarkupSafe 2, whose escape() is C throughout
    _escape_text = markupsafe.escape


def _escape_output(value: Any) -> str:
    """What a template's `{{ value }}` writes: markupsafe.escape, without wrapping plain text in Markup.

    The generated code calls `escape` only on what it outputs, and output is only ever joined into the
    page or into a block's text (which Jinja wraps in Markup itself), so the Markup object markupsafe.escape
    makes of each of the hundreds of values a page outputs is thrown away at once: making it costs a
    tenth of a provision page. Markup (what macros, blocks and filters return) is written as it is, where
    markupsafe.escape would copy it into a new Markup; anything else (an object with __html__, a number)
    goes through markupsafe.escape as before.
    """
    kind = value.__class__
    if kind is str:
        return _escape_text(value)
    return value if kind is Markup else markupsafe.escape(value)


class _Template(jinja2.Template):
    """Jinja's template, whose generated code escapes its output with _escape_output."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any, globals: Any) -> Any:
        # namespace is the module the template's code ran in: the name its functions look `escape` up by.
        namespace["escape"] = _escape_output
        return super()._from_namespace(environment, namespace, globals)  # type: ignore[misc]


class _Environment(jinja2.Environment):
    """Jinja's environment, whose templates share its globals dict instead of each having a ChainMap over it.

    Every render context, include and import copies or compares its template's globals (jinja2.runtime's
    new_context and Context, Template._get_default_module): over a ChainMap that is done key by key in
    Python, about a tenth of a provision page. No template here is given globals of its own, and nothing
    changes a template's globals, so sharing the environment's dict changes nothing else.
    """

    template_class = _Template

    def make_globals(self, d: dict[str, Any] | None) -> Any:
        """The environment's own globals for a template given none (Jinja's ChainMap otherwise)."""
        return self.globals if not d else super().make_globals(d)


def make_environment(templates: Path, graph: Any, urls: SiteUrls, markdown: MarkdownRenderer,
                     code: TemplateCode | None = None, diffs: history.DocumentDiffs | None = None) -> jinja2.Environment:
    """The Jinja environment: autoescape on for HTML and XML, undefined names are errors.

    Templates and globals see the graph through a GraphReads view, which notes what each page reads so
    that the page is rendered again when (and only when) something it read changed. So a global that
    needs the graph must use this `graph`, not one captured elsewhere.
    """
    graph = GraphReads(graph)
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml", "j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False, cache_size=-1, bytecode_cache=code)

    @jinja2.pass_context
    def href(context: jinja2.runtime.Context, target: str) -> str:
        return context["root"] + target or "./"

    @jinja2.pass_context
    def absolute_url(context: jinja2.runtime.Context, target: str) -> str:
        # From the context, not from a value captured here: Jinja computes a filter of a constant ('' | absolute)
        # when it compiles the template, and compiled templates are kept for builds with other base URLs.
        return absolute(target, context["base_url"])

    def render_fragment(name: str, root: str, record: Any) -> Markup:
        return Markup(env.get_template(name).render(root=root, item=record))

    remembered_fragment = graph.memoized(render_fragment, size=None)

    @jinja2.pass_context
    def fragment(context: jinja2.runtime.Context, name: str, record: Any) -> Markup:
        """The partial `name` rendered for one record (as `item`), once per build and link root.

        Lists of records (a document's other provisions, other platforms' provisions of a clause type)
        show the same items on thousands of pages, and an item's links differ only by the page's link
        root. So a fragment sees `item`, `root` (for `| href`) and the globals, never the page.
        """
        return remembered_fragment(name, context["root"], record)

    env.globals["fragment"] = fragment
    env.filters.update(href=href, md=markdown.html, date=_format_date, plural=_plural,
                       absolute=absolute_url, ldjson=_tojson_script,
                       search_filter=search_filter)
    env.globals.update(url_for=url_for, snapshot_url=snapshot_url, graph=graph, site=graph.site, as_of=graph.as_of, base_url=urls.base_url,
                       base_path=urls.base_path)
    # A provision's citation in every format, with URLs under the base URL this build is for.
    # Remembered for the few pages in a row that show one provision's citation (page, cite.bib, .json, .txt).
    env.globals["citation"] = graph.memoized(
        lambda provision: citation.formats(citation.citation_for(graph, provision), urls.base_url))
    # Change history: a provision's redlines and a document's version diffs, computed when a page first asks.
    env.globals.update(redlines=history.provision_redlines, version_pairs=lambda document: history.version_pairs(graph, document),
                       document_diff=(diffs or history.DocumentDiffs()).of,
                       version_diff_url=version_diff_url, feed_url=feed_url, changes_url=changes_url)
    return env


@contextmanager
def environment(templates: Path, graph: Any, urls: SiteUrls, markdown: MarkdownRenderer,
                code: TemplateCode | None = None, diffs: history.DocumentDiffs | None = None) -> Iterator[jinja2.Environment]:
    """make_environment's environment for the block's rendering, then released (see release_environment)."""
    env = make_environment(templates, graph, urls, markdown, code, diffs)
    try:
        yield env
    finally:
        release_environment(env)


def release_environment(env: jinja2.Environment) -> None:
    """Let go of the graph an environment holds, once everything it renders is rendered.

    An environment, its templates and the render contexts left over are reference cycles, freed only by a
    full collection, which builds pause and a long-running preview seldom reaches. Through its globals (the
    graph view, the remembered fragments and citations), each one kept a whole graph alive: `serve` grew by
    about 50 MB at every rebuild at 13,250 provisions. Released, what is left of it is a few templates.
    """
    env.globals["graph"].release()
    env.globals.clear()


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """The bytes of one page or data file."""
    if page.template == "@text":
        return page.context.encode("utf-8")
    if isinstance(page.context, Parts):
        return b"".join(render_page(env, replace(page, context=part)) for part in page.context.parts)
    # A deferred context is built now, from the graph view that notes what this page reads.
    data = page.context(env.globals["graph"]) if isinstance(page.context, Deferred) else page.context
    if page.template == "@bytes":  # a file as it is (an asset), or read when rendered (an archived snapshot)
        return data
    if page.template == "@json":
        return json_text(data, env.globals["base_url"]).encode("utf-8")
    if page.template == "@jsonl-gzip":  # data: JSON-ready items, one line each
        return json_lines_gzip(data, env.globals["base_url"])
    if page.template == "@csv":  # data: a csv_export.Table
        return csv_text(data, env.globals["base_url"]).encode("utf-8")
    root = link_root(page.path, page.absolute_links, env.globals["base_path"])
    return env.get_template(page.template).render(page=page, ctx=data, root=root).encode("utf-8")


def render_checked(env: jinja2.Environment, page: Page,
                   render: Callable[[jinja2.Environment, Page], bytes] = render_page) -> tuple[bytes | None, Problem | None]:
    """The bytes of one page, or the problem naming the template and line that failed."""
    try:
        return render(env, page), None
    except SnapshotChanged as exc:
        return None, exc.problem()
    except jinja2.TemplateSyntaxError as exc:
        return None, Problem(f"templates/{exc.name or page.template}", exc.lineno or 1, 1, "template", exc.message or str(exc))
    except (jinja2.TemplateError, TypeError, KeyError, AttributeError, ValueError) as exc:
        return None, Problem(f"templates/{page.template}", _template_line(exc), 1, "template",
                             f"rendering {page.path} failed: {exc}")


def render_all(env: jinja2.Environment, pages: list[Page],
               render: Callable[[jinja2.Environment, Page], bytes] = render_page) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every page; a template error becomes a problem naming the template and line."""
    out: dict[str, bytes] = {}
    problems: list[Problem] = []
    for page in pages:
        data, problem = render_checked(env, page, render)
        if problem is not None:
            problems.append(problem)
        else:
            out[page.path] = data  # type: ignore[assignment]
    return out, sorted(set(problems))


def _template_line(exc: BaseException) -> int:
    tb = exc.__traceback__
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".txt", ".j2")) or "template" in tb.tb_frame.f_code.co_name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
