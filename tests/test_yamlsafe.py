"""The YAML parser's fast path (libyaml's composer) gives exactly what the event-by-event path gives, or
declines the text: the same data, the same key positions, and no problem it could miss."""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.yamlsafe import ParsedYaml, _parse_events, _parse_plain, parse_yaml

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same(fast: ParsedYaml, slow: ParsedYaml) -> None:
    assert fast == slow
    assert repr(fast.data) == repr(slow.data)  # 1, 1.0 and True are equal, but not the same value
    assert list(fast.positions.items()) == list(slow.positions.items())


def _agrees(text: str) -> bool:
    """The fast path gives what the event path gives; True if it took the text."""
    fast = _parse_plain(text)
    if fast is not None:
        _same(fast, _parse_events(text))
    return fast is not None


# Texts with what YAML does things with: indicators, quotes, escapes, properties, line ends.
SNIPPETS = st.sampled_from(list("-:?[]{},&*!|>'\"#%@`\\ \n\t.~0123456789abenoyNOTt") + [
    "\ufeff", "\u202e", "\x85", "\u2028", "é", "𝔸", "&a ", "*a", "! ", "!!str ", "!x ", "---\n", "...\n", "? ",
    "<<: ", "%YAML 1.1\n", "%TAG !e! tag:x,2000:\n", "\\x41", "null", "true", "1.10", "1e3", "-.5", "+7", "0o7",
    "\n  ", "\n- ", "\n  - ", "key: ", "\nkey: ", "'q''q'", '"a\\"b"', "|\n  x\n", ">-\n  y\n"])
YAMLISH = st.lists(SNIPPETS, max_size=60).map("".join)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=30))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=30)


@SETTINGS
@given(YAMLISH)
def test_fast_path_agrees_on_any_text(text: str) -> None:
    _agrees(text)


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), DATA, min_size=1, max_size=6), st.booleans(), st.integers(20, 200))
def test_fast_path_takes_and_agrees_on_records(data: dict, flow: bool, width: int) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, width=width, sort_keys=False)
    _agrees(text)


RECORD = """\
# a comment
title: Age requirements
position: adults-only
count: 12
ratio: -1.5e3
flags: [true, False, ~, null, '', "yes", no, on, 1.10, 0x1F]
text: >
  folded
  text
literal: |
  one
  two
quoted: 'it''s "quoted"'
escaped: "tab\\there"
nested:
  - a: 1
    b: [x, {c: d}]
  -
  - - deep
    - 'R&D, Q&A!'
"""


def test_fast_path_takes_an_ordinary_record() -> None:
    assert _agrees(RECORD)
    assert parse_yaml(RECORD).data["nested"][2] == ["deep", "R&D, Q&A!"]


def test_fast_path_declines_what_the_event_path_reports() -> None:
    declined = [
        "a: &x 1\nb: *x\n",  # an anchor and an alias
        "a: ! 1\n",  # the bare tag makes text where a plain 1 is a number
        "a: !!str 1\n",
        "a: !x 1\n",
        "a: 1\na: 2\n",  # a duplicate key
        "1: a\n",  # keys that are not text
        "null: a\n",
        "[a]: b\n",
        "? [a]\n: b\n",
        "a: 1\n---\nb: 2\n",  # two documents
        "a: " + "9" * 1001 + "\n",  # a number Python will not convert
        "a: [" * 50 + "]" * 50 + "\n",  # deeper than 40 levels
        "a: " + "[" * 3_990 + "]" * 3_990 + "\n",  # as deep as a short text goes: composed, then declined
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",  # deep enough to overflow libyaml's composer
        "a: [b\n",  # a syntax error
        "- a\n",  # not a mapping
        "",
        "a: \x07\n",
        "\ufeff! a\n",
        "a: b\n\ufeff!x c\n",
    ]
    for text in declined:
        assert _parse_plain(text) is None, text
        assert parse_yaml(text) == _parse_events(text)


def test_plain_scalars_follow_the_core_schema_on_both_paths() -> None:
    text = "a: [no, on, yes, 1.10, 010, 0x1F, .5, -7, +7., 1e3, ~, Null, TRUE]\n"
    assert _agrees(text)
    assert parse_yaml(text).data == {"a": ["no", "on", "yes", 1.1, 10, "0x1F", 0.5, -7, 7.0, 1000.0, None, None, True]}
