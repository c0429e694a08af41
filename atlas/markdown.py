"""Markdown for contributed text: CommonMark without raw HTML, links limited to https, mailto and the site."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

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


def make_parser() -> MarkdownIt:
    """The Markdown parser used for every field of contributed text."""
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

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("image", image)
    return md


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class MarkdownRenderer:
    """Renders Markdown to safe HTML, remembering each text's result (the same text renders once)."""

    def __init__(self, cache: dict[str, str] | None = None) -> None:
        self.parser = make_parser()
        self.cache: dict[str, str] = cache if cache is not None else {}

    def html(self, text: str | None) -> Markup:
        """The HTML of a Markdown text."""
        if not text:
            return Markup("")
        hit = self.cache.get(text)
        if hit is None:
            hit = self.parser.render(text)
            self.cache[text] = hit
        return Markup(hit)
