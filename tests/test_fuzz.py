"""Property-based tests: any input to the loader, the validator or the Markdown renderer gives problems or
output, never an exception; and rendered Markdown never carries markup that Markdown itself did not make."""
from __future__ import annotations

import copy
import re
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import graph, load, validate
from atlas.markdown import MarkdownRenderer
from atlas.problems import Problem
from atlas.yamlsafe import parse_yaml
from conftest import BASIC

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that make YAML and Markdown do things: indicators, brackets, quotes, escapes, line ends.
YAML_ALPHABET = st.sampled_from(list("-:?[]{},&*!|>'\"#%@`\\ \n\t.~0123456789abenoyNOTt") + [
    "\r", "\ufeff", "\u202e", "\x85", "\u2028", "\x00", "\x07", "é", "𝔸", "!!python/object:os.system ", "&a ", "*a",
    "---\n", "...\n", "? ", "<<: ", "%YAML 1.1\n", "\\ud800", "\\u202e", "\\x85", "2026-02-30", "1.10", "NO", "on"])
YAMLISH = st.lists(YAML_ALPHABET, max_size=80).map("".join) | st.text(max_size=200)
MARKDOWN_ALPHABET = st.sampled_from(list("[]()<>!*_`#&;:=\"'/\\ \n\t-|~x") + [
    "javascript:", "JaVaScRiPt:", "java\tscript:", "java&#x09;script:", "&#106;avascript:", "data:text/html,",
    "vbscript:", "&colon;", "https://example.org/", "mailto:a@b.c", "//evil.example/", "<script>", "</script>",
    "<img src=x onerror=alert(1)>", " onclick=", "<a href=", "<svg onload=x>", "<!--", "-->", "<![CDATA[",
    "&lt;", "&#x3C;", "\x00", "\x01", "\u202e", "{{ 7*7 }}", "{% if %}", "```", "    ", "> ", "1. ", "* "])
MARKDOWN = st.lists(MARKDOWN_ALPHABET, max_size=60).map("".join) | st.text(max_size=300)


def _check_problems(problems) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.col >= 1
        assert problem.code and problem.message


# --- The YAML parser and the record loader -------------------------------------------------------------------

@FUZZ
@given(YAMLISH)
def test_parse_yaml_never_raises(text: str) -> None:
    parsed = parse_yaml(text)
    for line, col, code, message in parsed.problems:
        assert line >= 1 and col >= 1 and code.startswith("yaml-") and message
    if not parsed.problems:
        # Data is plain: no tagged objects, no aliases, only text keys.
        _assert_plain(parsed.data)


def _assert_plain(value: object, depth: int = 0) -> None:
    assert depth <= 41
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            _assert_plain(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _assert_plain(item, depth + 1)
    else:
        assert value is None or isinstance(value, (str, int, float, bool))


@FUZZ
@given(st.sampled_from(["platform", "document", "provision", "analysis", "provision-analysis", "site"]),
       st.binary(max_size=300) | YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_parse_record_never_raises(kind: str, raw: bytes) -> None:
    if kind == "analysis" and raw[:1] != b"-":
        raw = b"---\n" + raw
    record, problems = load.parse_record(kind, f"content/x/{kind}.yaml", ("x", "y", "z"), raw)
    _check_problems(problems)
    assert record is not None or problems
    if record is not None:
        # Whatever parsed also validates to problems or a clean record, without an exception.
        if kind != "site" and kind != "provision-analysis" and not isinstance(record.data, dict):
            assert any(p.is_error for p in validate.record_problems(record))
        else:
            _check_problems(validate.record_problems(record))


# --- The validator on generated records ----------------------------------------------------------------------

def _basic_tree() -> load.LoadedTree:
    tree, problems = load.load_tree(BASIC)
    assert not problems
    return tree


TREE = _basic_tree()
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "high", "verbatim", "2026-02-30", "2026-01-10", "alpha/policy/child-safety", "eu",
                       "https://example.org/", "javascript:alert(1)", "<script>x</script>", "\u202e", "a" * 300]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(
        ["id", "name", "title", "text", "status", "version", "level", "regulation", "articles", "kind", "date", "x"]),
        children, max_size=4),
    max_leaves=12)


@st.composite
def mutated_record(draw) -> tuple[int, object]:
    """One record of the basic fixture with some of its values replaced, removed or added."""
    index = draw(st.integers(0, len(TREE.records) - 1))
    data = copy.deepcopy(TREE.records[index].data)
    for _ in range(draw(st.integers(1, 4))):
        if not isinstance(data, dict) or not data:
            break
        target = data
        # Walk down a little, so nested mappings and lists are mutated too.
        for _ in range(draw(st.integers(0, 2))):
            key = draw(st.sampled_from(sorted(target)))
            child = target[key]
            if isinstance(child, list) and child and isinstance(child[0], dict):
                child = child[draw(st.integers(0, len(child) - 1))]
            if not isinstance(child, dict) or not child:
                break
            target = child
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        key = draw(st.sampled_from(sorted(target)))
        if action == "replace":
            target[key] = draw(JSONISH)
        elif action == "delete":
            del target[key]
        else:
            target[draw(st.text(max_size=8))] = draw(JSONISH)
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        data = draw(JSONISH)  # sometimes not a mapping at all
    return index, data


@FUZZ
@given(mutated_record())
def test_validate_never_raises_on_generated_records(mutation: tuple[int, object]) -> None:
    index, data = mutation
    records = list(TREE.records)
    records[index] = replace(records[index], data=data)
    kb, problems = validate.validate(replace(TREE, records=tuple(records)))
    _check_problems(problems)
    if kb is None:
        assert any(p.is_error for p in problems)
    else:
        _check_problems(graph.link(kb)[1])  # and whatever validated links to a graph or to problems


@FUZZ
@given(st.dictionaries(st.text(max_size=10), JSONISH, max_size=6))
def test_validate_never_raises_on_arbitrary_mappings(data: dict) -> None:
    for kind in validate.RECORD_KINDS:
        record = load.RawRecord(kind, f"content/{kind}.yaml", ("a", "b", "c"), data, {}, "" if kind == "analysis" else None, "")
        _check_problems(validate.record_problems(record))


# --- The Markdown renderer ------------------------------------------------------------------------------------

# What markdown-it makes from CommonMark, tables and strikethrough; anything else was smuggled in.
MARKDOWN_TAGS = {"p", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4",
                 "h5", "h6", "hr", "br", "span", "table", "thead", "tbody", "tr", "th", "td", "s"}
MARKDOWN_ATTRIBUTES = {"href", "title", "rel", "class", "start"}


class _Collect(HTMLParser):
    """Every start tag and its attributes, with entities decoded as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))


def _browser_scheme(url: str) -> str | None:
    """The scheme a browser would see: it drops tabs and newlines anywhere and spaces and controls around."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                                  "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def assert_safe_markdown_html(html: str) -> None:
    """No script, no event handler, no dangerous URL, no tag or attribute Markdown does not produce."""
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<svg" not in lowered
    parser = _Collect()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in MARKDOWN_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (name, html)
            assert name in MARKDOWN_ATTRIBUTES, (name, html)
            if name == "href":
                assert _browser_scheme(value or "") in (None, "https", "mailto"), (value, html)
                assert not (value or "").startswith("//"), html


@FUZZ
@given(MARKDOWN)
def test_markdown_never_emits_executable_markup(text: str) -> None:
    html = MarkdownRenderer().html(text)
    assert_safe_markdown_html(str(html))


def test_the_markdown_checker_catches_what_it_must() -> None:
    """The property above can fail: each of these would be caught."""
    for bad in ('<p><script>x</script></p>', '<p onclick="x">a</p>', '<a href="javascript:x">a</a>',
                '<a href="java&#x09;script:x">a</a>', '<a href=" JaVaScRiPt:x">a</a>', '<a href="data:text/html,x">a</a>',
                '<a href="//evil.example/">a</a>', '<img src="x">', '<td style="color:red">x</td>', '<div>x</div>', '<a href="x" target="_blank">a</a>'):
        try:
            assert_safe_markdown_html(bad)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {bad}")


def test_fuzz_inputs_include_the_hostile_examples() -> None:
    """Deterministic spot checks of the forms the fuzzer mixes, so a regression shows without luck."""
    for text in ("[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](&#106;avascript:x)", "[a](java&#x09;script:x)",
                 "[a](<java\x01script:x>)", "[a](data:text/html;base64,PHNjcmlwdD4=)", "[a](vbscript:x)",
                 "[a][r]\n\n[r]: javascript:x", "<javascript:alert(1)>", "[a](&Tab;javascript:x)", "[a](/\\/evil.example)",
                 "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "[a](https://x.example \"t\" onclick=x)",
                 "![x](https://e.example/a.png)", "| a |\n| :-: |\n| <b>x</b> |", "| a | b |\n| :- | -: |\n| x | y |"):
        assert_safe_markdown_html(str(MarkdownRenderer().html(text)))
