"""Markdown for contributed text: CommonMark without raw HTML, links limited to https, mailto and the site."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ALLOWED_SCHEMES = {"https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_safe_link(url: str) -> bool:
    """True for https:, mailto: and scheme-less (in-site) links; everything else is dropped."""
    cleaned = _CONTROL.sub("", url)
    match = _SCHEME.match(cleaned)
    if match:
        return match.group(1).lower() in _ALLOWED_SCHEMES
    return not cleaned.startswith("//")  # protocol-relative URLs leave the site


def _external(url: str) -> bool:
    return url.lower().startswith("https:")


def make_parser(anchors: bool = False) -> MarkdownIt:
    """The Markdown parser used for every field of contributed text; with `anchors`, headings get ids
    ("section-" and GitHub's slug of the heading), so that a reader can link to a section and search
    results lead straight to it. No id of a page's own starts with "section-", so none can be taken."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").enable("strikethrough")
    md.validateLink = is_safe_link

    def link_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        if _external(token.attrGet("href") or ""):
            token.attrSet("rel", "noopener noreferrer")
        return renderer.renderToken(tokens, idx, options, env)

    def image(renderer, tokens, idx, options, env):
        # Contributed images would load third-party content on readers' machines: show the alt text instead.
        token = tokens[idx]
        alt = renderer.renderInlineAsText(token.children or [], options, env)
        return f"<span class=\"md-image\">{_escape(alt)}</span>"

    def table_cell_open(renderer, tokens, idx, options, env):
        # The Content Security Policy refuses inline styles, so a column's alignment becomes a class.
        token = tokens[idx]
        style = token.attrGet("style")
        if style:
            del token.attrs["style"]
            token.attrSet("class", "align-" + style.removeprefix("text-align:"))
        return renderer.renderToken(tokens, idx, options, env)

    md.core.ruler.push("nest_headings", _nest_headings)
    if anchors:
        anchors_plugin(md, min_level=1, max_level=6, slug_func=lambda title: "section-" + (slugify(title) or "untitled"))
        md.core.ruler.push("heading_links", _heading_links)
    md.add_render_rule("link_open", link_open)
    md.add_render_rule("image", image)
    md.add_render_rule("th_open", table_cell_open)
    md.add_render_rule("td_open", table_cell_open)
    return md


HEADING_LINK_SYMBOL = "¶"


def _heading_links(state: StateCore) -> None:
    """End each heading that has an id with a link to itself ("¶", shown on hover or focus), as MkDocs does.

    The link is named for assistive technology and left out of the search index, so that search results
    show the heading's own words (the anchors plugin's own permalink option cannot set either attribute).
    """
    for index, token in enumerate(state.tokens):
        slug = token.attrGet("id") if token.type == "heading_open" else None
        inline = state.tokens[index + 1] if slug else None
        if inline is None or inline.children is None:
            continue
        link = Token("link_open", "a", 1)
        link.attrs = {"class": "heading-link", "href": f"#{slug}", "aria-label": "Link to this section",
                      "data-pagefind-ignore": ""}
        inline.children += [Token("text", "", 0, content=" "), link,
                            Token("text", "", 0, content=HEADING_LINK_SYMBOL), Token("link_close", "a", -1)]


def _nest_headings(state: StateCore) -> None:
    """Move a text's headings under the page heading it is shown beneath (env["under"], 1 for the <h1>).

    The text's highest heading becomes one level below that one and the others keep their depth relative
    to it (at most <h6>), so that "## Background" in an analysis shown under the page's "Analysis" <h2>
    is an <h3>: the page's outline, which screen readers navigate by, stays a tree.
    """
    headings = [token for token in state.tokens if token.type in ("heading_open", "heading_close")]
    if not headings:
        return
    under = state.env.get("under", 1) if isinstance(state.env, dict) else 1
    shift = under + 1 - min(int(token.tag[1]) for token in headings)
    for token in headings:
        token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# Most contributed text is prose without any Markdown in it, which CommonMark renders as paragraphs of
# escaped text. Such text is recognised conservatively: no character that can start inline markup or an
# entity, no line that could start a block (heading, quote, list, fence, table, setext underline, HTML,
# indented code), no white space at either end of a line (hard breaks, indentation), no control character.
# Anything else goes to the parser; tests/test_markdown_plain.py checks both agree on what is recognised.
# The checks run on nearly every text of every page, so each is the cheapest form of its rule: a character class
# alone, an entity looked for only after an '&', and a one-line text's block start matched at its beginning only.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>~|\x00-\x09\x0b-\x1f\x7f]")
_ENTITY = re.compile(r"&[#A-Za-z0-9]+;")
_BLOCK_START = re.compile(r"^(?:[#>+\-*=_|~`<]|[0-9]+[.)])", re.MULTILINE)


def plain_paragraphs(text: str) -> str | None:
    """The HTML CommonMark gives text that holds no Markdown at all, or None if it might hold some."""
    if _INLINE_MARKUP.search(text) or ("&" in text and _ENTITY.search(text)):
        return None
    if _BLOCK_START.search(text) if "\n" in text else _BLOCK_START.match(text):
        return None
    paragraphs = []
    lines: list[str] = []
    for line in text.split("\n") + [""]:
        if line != line.strip():
            return None
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append("<p>" + _escape("\n".join(lines)) + "</p>\n")
            lines = []
    return "".join(paragraphs)


class MarkdownRenderer:
    """Renders Markdown to safe HTML, remembering each parsed text's result (the same text renders once).

    `fresh` holds what this renderer parsed that the cache it was given did not have, for the build to
    keep for the next one. Plain prose is not remembered: it renders faster than it could be looked up.
    """

    def __init__(self, cache: dict[str | tuple[int, bool, str], str] | None = None) -> None:
        self.parsers = {False: make_parser(), True: make_parser(anchors=True)}
        # By text, or by (level, anchors, text) for a text shown beneath a heading other than the page's <h1>
        # or with ids on its headings: the same text renders differently then.
        self.cache: dict[str | tuple[int, bool, str], str] = cache if cache is not None else {}
        self.fresh: dict[str | tuple[int, bool, str], str] = {}

    def html(self, text: str | None, under: int = 1, anchors: bool = False) -> Markup:
        """The HTML of a Markdown text shown beneath a heading of level `under` (its headings go below it);
        with `anchors`, its headings get ids (see make_parser)."""
        if not text:
            return Markup("")
        key = text if under == 1 and not anchors else (under, anchors, text)
        hit = self.cache.get(key)
        if hit is None:
            hit = plain_paragraphs(text)
            if hit is None:
                hit = self.cache[key] = self.fresh[key] = self.parsers[anchors].render(text, {"under": under})
        return Markup(hit)
