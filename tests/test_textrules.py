"""A YAML source that textrules.plain_yaml calls plain parses to texts without hidden characters or
placeholders, so validate may skip looking for them; and the checks find the same problems either way."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import load, validate
from atlas.textrules import HIDDEN, plain_yaml
from atlas.yamlsafe import parse_yaml

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = st.sampled_from(["a: ", "b: ", "\n", "\n  ", "- ", "'", '"', "\\", "\\t", "\\x07", "\\u200b", "\\x54ODO",
                          "TODO", "TO", "DO", "x", " ", "\t", "\u200b", "\u202e", "\x85", "é", "#", "|\n  ", ">\n  "])


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@SETTINGS
@given(st.lists(PIECES, max_size=40).map("".join))
def test_a_plain_source_parses_to_plain_texts(source: str) -> None:
    if not plain_yaml(source):
        return
    for text in _texts(parse_yaml(source).data):
        assert not HIDDEN.search(text) and not validate.is_placeholder(text) and "TODO" not in text


@SETTINGS
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_checks_find_the_same_problems_with_or_without_the_shortcut(source: str) -> None:
    record, _ = load.parse_record("platform", "content/x/platform.yaml", ("x",), ("name: X\n" + source).encode())
    if record is None:
        return
    full = replace(record, plain_text=False)
    assert validate.placeholder_problems(record) == validate.placeholder_problems(full)
    assert validate.text_problems(record) == validate.text_problems(full)


def test_what_makes_a_source_plain() -> None:
    assert plain_yaml("title: Plain ASCII text, with 'quotes' and \"more\"\n")
    assert plain_yaml("title: Ünïcode without hidden characters\n")
    assert not plain_yaml('title: "an escape: \\u200b"\n')
    assert not plain_yaml("title: a zero\u200bwidth space\n")
    assert not plain_yaml("title: 'TODO: write the title'\n")
