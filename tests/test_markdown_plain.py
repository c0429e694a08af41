"""The fast path for Markdown without any markup gives exactly what the CommonMark parser gives."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from atlas.markdown import MarkdownRenderer, make_parser, plain_paragraphs

PARSER = make_parser()
# Letters and spaces, every character CommonMark gives a meaning to, and the kinds of white space it
# treats specially (tabs, non-breaking and other Unicode spaces, line and paragraph separators).
TRICKY = list("ab Z9.:;'\"()!?/&#*_`~[]<>|=+-\\\n\t\r\x00\x0b\u00a0\u2028\u2003") + ["&amp;", "&#65;", "1. ", "- ", "    ", "\n\n", "  \n"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), max_size=40).map("".join))
@example("Plain prose, with punctuation: yes (really) \"quoted\" & 'single'.\n\nA second paragraph\nover two lines.")
@example("1. a list")
@example("2024 was the year.")
@example("text\n===")
@example("B&P Code 17208")
@example("&copy; not an entity here")
def test_plain_text_fast_path_matches_the_parser(text: str) -> None:
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == PARSER.render(text)


def test_prose_takes_the_fast_path_and_markup_does_not() -> None:
    assert plain_paragraphs("Users may opt out.\n\nSee the terms (section 4).") == (
        "<p>Users may opt out.</p>\n<p>See the terms (section 4).</p>\n")
    for markup in ("**bold**", "a [link](https://example.com)", "- item", "# Heading", "<b>x</b>", "a  \nb", "    code"):
        assert plain_paragraphs(markup) is None, markup


def test_only_parsed_text_is_kept_for_the_next_build() -> None:
    renderer = MarkdownRenderer()
    assert renderer.html("Plain.") == "<p>Plain.</p>\n"
    assert renderer.html("*Marked*") == "<p><em>Marked</em></p>\n"
    assert renderer.fresh == {"*Marked*": "<p><em>Marked</em></p>\n"}
