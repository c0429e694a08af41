"""Key positions kept compactly (atlas.keypositions): the same lookups as the parser's own positions, with
the key paths held once for all records of one shape, also after a trip through a pickle (the parse cache,
the workers' results)."""
from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from atlas import load
from atlas.keypositions import KeyPositions
from atlas.model import Origin
from atlas.yamlsafe import parse_yaml

PROVISION = """title: Arbitration
summary: Disputes go to arbitration.
compliance:
  exposure: |
    Some text.
  exposure_level: {level}
faq:
  - question: Why?
    answer: Because.
"""

KEYS = st.text(alphabet="abcxyz", min_size=1, max_size=3)
VALUES = st.recursive(st.sampled_from(["1", "text", "'quoted'"]),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=12)


def _yaml(value: object, indent: str = "") -> str:
    """Block YAML for nested lists and mappings of scalars (each mapping key on a line of its own)."""
    if isinstance(value, dict):
        return "".join(f"{indent}{key}:\n{_yaml(item, indent + '  ')}" for key, item in value.items()) or f"{indent}{{}}\n"
    if isinstance(value, list):
        return "".join(f"{indent}-\n{_yaml(item, indent + '  ')}" for item in value) or f"{indent}[]\n"
    return f"{indent}{value}\n"


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=4), st.integers(0, 5))
def test_same_lookups_as_the_parsers_positions(data: dict, offset: int) -> None:
    parsed = parse_yaml(_yaml(data))
    assert parsed.data is not None and not parsed.problems
    compact = KeyPositions.of(parsed.positions, offset)
    expected = {path: (line + offset, column) for path, (line, column) in parsed.positions.items()}
    assert list(compact.items()) == list(expected.items())
    assert len(compact) == len(expected)
    for path in expected:
        assert path in compact and compact[path] == expected[path]
    assert ("no such key",) not in compact and compact.get(("no such key",)) is None
    assert pickle.loads(pickle.dumps(compact)) == compact


def test_problems_point_where_they_did() -> None:
    record, problems = load.parse_record("provision", "content/x/y/z.yaml", ("x", "y", "z"),
                                         PROVISION.format(level="high").encode())
    assert record is not None and not problems
    origin = Origin(record.path, record.positions)
    assert origin.at("compliance", "exposure_level") == (6, 3)
    assert origin.at("faq", 0, "answer") == (9, 5)
    assert origin.at("faq", 0, "no such key") == (8, 5)  # its nearest ancestor that has a position
    assert origin.at("no such key") == (1, 1)


def test_front_matter_lines_count_from_the_top_of_the_file() -> None:
    text = "---\ntitle: Notes\nwritten: 2024-01-01\n---\nBody.\n"
    record, problems = load.parse_record("analysis", "content/analyses/notes.md", ("notes",), text.encode())
    assert record is not None and not problems
    assert record.positions[("written",)] == (3, 1)


def test_lines_past_what_two_bytes_hold() -> None:
    positions = {(): (1, 1), ("a",): (70_000, 3), ("b",): (3, 80_000)}
    compact = KeyPositions.of(positions)
    assert dict(compact) == positions
    assert pickle.loads(pickle.dumps(compact)) == compact


def test_records_of_one_shape_share_their_key_paths() -> None:
    records = [load.parse_record("provision", f"content/x/y/p{i}.yaml", ("x", "y", f"p{i}"),
                                 PROVISION.format(level=level).encode())[0] for i, level in enumerate(["high", "low"])]
    first, second = (record.positions for record in records)  # type: ignore[union-attr]
    assert first.paths is second.paths
    assert first[("compliance", "exposure_level")] == second[("compliance", "exposure_level")]
    # Unpickled, as the parse cache and the workers' results are: still one tuple for the shape, shared with
    # the records this process holds.
    again = pickle.loads(pickle.dumps(records))
    assert again[0].positions.paths is again[1].positions.paths is first.paths
    other = load.parse_record("provision", "content/x/y/q.yaml", ("x", "y", "q"), b"title: Other\n")[0]
    assert other is not None and other.positions.paths is not first.paths
