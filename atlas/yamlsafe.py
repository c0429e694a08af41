"""Parse YAML text into plain data that remembers the line of every key, refusing what is unsafe."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - the C loader ships with PyYAML wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]
    CParser = None  # type: ignore[assignment,misc]

MAX_DEPTH = 40
MAX_DIGITS = 1000

# YAML 1.2 core schema for plain scalars: "no", "on" and "1.10" never surprise a contributor.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_STANDARD_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Path_ = tuple  # a key path inside a record: ("changes", 0, "kind")


@dataclass(frozen=True)
class ParsedYaml:
    """The data of one YAML document, where each key sits, and what was wrong."""

    data: Any
    positions: dict[Path_, tuple[int, int]]
    problems: tuple[tuple[int, int, str, str], ...]  # (line, col, code, message)


# Every plain scalar that is not text (null, a boolean, a number) starts with one of these (or is empty).
_NOT_TEXT_START = frozenset("0123456789+-.~nNtTfF")


def _plain_value(value: str) -> Any:
    if value and value[0] not in _NOT_TEXT_START:
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        return float(value)
    return value


# One shared copy of each key path and each position: every provision has the same hundred-odd key
# paths, and holding one tuple per record and key cost more memory than the records' text.
_SHARED: dict[tuple, tuple] = {}


def _shared(value: tuple) -> tuple:
    return _SHARED.setdefault(value, value)


def _at(mark: Any) -> tuple[int, int]:
    return _shared((mark.line + 1, mark.column + 1))


class _Builder:
    """Turns the parser's event stream into plain data, recording positions and problems."""

    def __init__(self) -> None:
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[tuple[int, int, str, str]] = []
        # Each frame: [container, path, pending_key, pending_key_at, seen_keys]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0

    def problem(self, at: tuple[int, int], code: str, message: str) -> None:
        self.problems.append((at[0], at[1], code, message))

    def _child_path(self) -> tuple[Path_, tuple[int, int] | None]:
        frame = self.stack[-1]
        if isinstance(frame[0], list):
            return _shared(frame[1] + (len(frame[0]),)), None
        return _shared(frame[1] + (frame[2],)), frame[3]

    def add(self, value: Any, at: tuple[int, int]) -> None:
        """Attach a finished value to its parent."""
        if not self.stack:
            self.root = value
            self.positions.setdefault((), at)
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            self.positions[_shared(frame[1] + (len(container),))] = at
            container.append(value)
        elif frame[2] is _NO_KEY:
            self.key(value, at)
        elif frame[2] is _CONTAINER_KEY:
            frame[2] = _SKIP
        else:
            if frame[2] is not _SKIP:
                container[frame[2]] = value
            frame[2] = _NO_KEY

    def key(self, value: Any, at: tuple[int, int]) -> None:
        frame = self.stack[-1]
        if not isinstance(value, str):
            self.problem(at, "yaml-key", f"keys must be text, not {type(value).__name__} {value!r}; quote the key")
            frame[2] = _SKIP
            return
        value = sys.intern(value)  # the same few dozen keys in every record: one copy of each
        if value in frame[4]:
            self.problem(at, "yaml-duplicate-key", f"duplicate key '{value}' (first at line {frame[4][value][0]})")
            frame[2] = _SKIP
            return
        frame[4][value] = at
        frame[2] = value
        frame[3] = at
        self.positions[_shared(frame[1] + (value,))] = at

    def open(self, container: Any, at: tuple[int, int]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(at)
        if self.stack:
            path, _ = self._child_path()
            frame = self.stack[-1]
            if isinstance(frame[0], dict) and frame[2] is _NO_KEY:
                self.problem(at, "yaml-key", "keys must be text, not a list or mapping")
                frame[2] = _CONTAINER_KEY
                path = frame[1] + ("?",)
        else:
            path = ()
        self.positions.setdefault(path, at)
        self.stack.append([container, path, _NO_KEY, None, {}])

    def close(self) -> None:
        frame = self.stack.pop()
        at = self.positions.get(frame[1], (1, 1))
        self.add(frame[0], at)


class _TooDeep(Exception):
    def __init__(self, at: tuple[int, int]) -> None:
        super().__init__(at)
        self.at = at


_NO_KEY = object()
_SKIP = object()
_CONTAINER_KEY = object()


# What libyaml's commonest problems mean for someone editing a record by hand: its own words name the
# parser's state, not the mistake.
_SYNTAX_HINTS = (
    ("mapping values are not allowed", "",
     "text holding ': ' must be in quotes, or else this line is not indented like the keys above it"),
    ("violates indentation", "", "indent with spaces: YAML does not allow tabs"),
    ("cannot start any token", "\t", "indent with spaces: YAML does not allow tabs"),
    ("cannot start any token", "@`", "text that starts with @ or ` must be in quotes"),
    ("found unexpected end of stream", "", "a quotation mark is not closed (in single quotes, write an apostrophe as '')"),
    ("did not find expected key", "",
     "this line is not indented like the keys above it, or text goes on after a closing quotation mark"),
    ("could not find expected ':'", "",
     "each line of a mapping is 'key: value', and text that goes on from the line above must be indented under it"),
)


def _character_at(text: str, mark: Any) -> str:
    """The character a parser's mark points at ('' at the end of the text)."""
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _syntax_hint(problem: str, character: str) -> str:
    """What to do about one of libyaml's problems, if it is a common one ('' otherwise)."""
    for words, characters, hint in _SYNTAX_HINTS:
        if words in problem and (not characters or (character and character in characters)):
            return hint
    return ""


def parse_yaml(text: str) -> ParsedYaml:
    """Parse one YAML document: anchors, aliases, tags, duplicate and non-text keys are problems."""
    return _parse_plain(text) or _parse_events(text)


# The fast path: libyaml composes the whole node tree in C, and one walk over it makes the data. It
# takes only files with nothing unusual in them, which is nearly all; anything else (any problem, any
# anchor, tag or deep nesting) goes to the event-by-event path, which words every problem.

class _Unusual(Exception):
    """The text needs the event-by-event path."""


_PLAIN, _QUOTED, _COLLECTION = "plain", "quoted", "collection"  # what _Composer.resolve tags nodes with


class _Composer(CParser or object):  # type: ignore[misc]
    """libyaml's composer, tagging each node with how it was written instead of resolving a type."""

    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            # implicit[0]: written plain and untagged (or tagged with the bare '!', kept off this path by
            # _PROPERTY: it makes text of what would be plain).
            return _PLAIN if implicit[0] else _QUOTED
        return _COLLECTION

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


# An anchor (&a) or a tag (!a, or the bare '!') starts a token, and a token never follows a letter or a
# digit directly; composed nodes show neither anchors nor the bare '!', so a text that may hold one goes
# to the event path (prose like "R&D" does not; "Q & A" does, harmlessly).
_PROPERTY = re.compile(r"(?<![0-9A-Za-z])[&!]")
# libyaml composes recursively in C, about 300 bytes of stack a level, where very deep nesting would
# overflow the stack. Every level of nesting needs one of these characters, so a text with few of them
# (or few characters at all) nests at most that deep: 8,000 levels, 2.4 MB of the 8 MB a thread has.
_NESTING = "[{-:?"
MAX_FAST_NESTING = 8000


def _scalar(node: Any) -> Any:
    """The value of a composed scalar, as _parse_events makes it."""
    value = node.value
    if node.tag is _PLAIN and not node.style:
        if value and value[0] not in _NOT_TEXT_START:
            return value
        if len(value) > MAX_DIGITS and _INT.match(value):
            raise _Unusual  # the event path reports the number
        return _plain_value(value)
    if node.tag is _QUOTED or node.tag is _PLAIN:
        return value
    raise _Unusual  # an explicit tag


def _collection(node: Any, path: Path_, positions: dict, depth: int) -> Any:
    """The data of a composed mapping or sequence, recording the positions _parse_events records."""
    if depth >= MAX_DEPTH or node.tag is not _COLLECTION:
        raise _Unusual
    shared = _SHARED.setdefault
    if type(node) is yaml.MappingNode:
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise _Unusual
            key = _scalar(key_node)
            if type(key) is not str or key in mapping:
                raise _Unusual  # a key that is not text, or a duplicate
            key = sys.intern(key)
            child = path + (key,)
            child = shared(child, child)
            mark = key_node.start_mark
            at = (mark.line + 1, mark.column + 1)
            positions[child] = shared(at, at)
            mapping[key] = (_scalar(value_node) if type(value_node) is yaml.ScalarNode
                            else _collection(value_node, child, positions, depth + 1))
        return mapping
    items = []
    for index, item in enumerate(node.value):
        child = path + (index,)
        child = shared(child, child)
        mark = item.start_mark
        at = (mark.line + 1, mark.column + 1)
        positions[child] = shared(at, at)
        items.append(_scalar(item) if type(item) is yaml.ScalarNode else _collection(item, child, positions, depth + 1))
    return items


def _parse_plain(text: str) -> ParsedYaml | None:
    """The document of a text with nothing unusual in it, or None if the text needs the event path."""
    if CParser is None or (("&" in text or "!" in text) and _PROPERTY.search(text)):
        return None
    if len(text) > MAX_FAST_NESTING and sum(text.count(char) for char in _NESTING) > MAX_FAST_NESTING:
        return None
    composer = _Composer(text)
    try:
        root = composer.get_single_node()  # a second document is an error here
        if type(root) is not yaml.MappingNode:
            return None
        positions: dict[Path_, tuple[int, int]] = {(): _at(root.start_mark)}
        return ParsedYaml(_collection(root, (), positions, 0), positions, ())
    except (yaml.YAMLError, _Unusual):
        return None
    finally:
        composer.dispose()


def _parse_events(text: str) -> ParsedYaml:
    """Parse one YAML document event by event, recording every problem."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                at = _at(event.start_mark)
                if event.anchor is not None:
                    builder.problem(at, "yaml-anchor", "anchors (&name) are not allowed; write the value out")
                if event.tag not in _STANDARD_TAGS:
                    builder.problem(at, "yaml-tag", f"tags like '{event.tag}' are not allowed")
                plain = event.implicit[0] and not event.style and event.tag is None
                if plain and len(event.value) > MAX_DIGITS and _INT.match(event.value):
                    # Python refuses to convert an integer of more than 4,300 digits; no record needs one.
                    builder.problem(at, "yaml-number", f"a number of more than {MAX_DIGITS} digits; put it in quotes if it is text")
                    plain = False
                builder.add(_plain_value(event.value) if plain else event.value, at)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                at = _at(event.start_mark)
                if event.anchor is not None:
                    builder.problem(at, "yaml-anchor", "anchors (&name) are not allowed; write the value out")
                if event.tag not in _STANDARD_TAGS:
                    builder.problem(at, "yaml-tag", f"tags like '{event.tag}' are not allowed")
                builder.open({} if kind is yaml.MappingStartEvent else [], at)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                builder.close()
            elif kind is yaml.AliasEvent:
                at = _at(event.start_mark)
                builder.problem(at, "yaml-alias", "aliases (*name) are not allowed; write the value out")
                builder.add(None, at)
            elif kind is yaml.DocumentStartEvent:
                builder.documents += 1
                if builder.documents > 1:
                    builder.problem(_at(event.start_mark), "yaml-multiple-documents",
                                    "a record file holds exactly one YAML document; remove the extra '---'")
                    break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = _at(mark) if mark is not None else (1, 1)
        context = exc.context or ""
        if exc.context_mark is not None and exc.context:
            context += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        message = " ".join(part for part in (context, str(exc.problem or "")) if part) or "invalid YAML"
        hint = _syntax_hint(str(exc.problem or ""), _character_at(text, mark) if mark is not None else "")
        message += f"; {hint}" if hint else ""
        return ParsedYaml(None, builder.positions, tuple(builder.problems) + ((at[0], at[1], "yaml-syntax", message),))
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        line, col = 1, 1
        position = getattr(exc, "position", None)
        if position is not None:
            prefix = text[:position]
            line = prefix.count("\n") + 1
            col = position - (prefix.rfind("\n") + 1) + 1
        reason = getattr(exc, "reason", None) or "invalid YAML"
        char = getattr(exc, "character", None)
        message = f"{reason}: character U+{ord(char):04X}" if isinstance(char, str) and char else str(reason)
        return ParsedYaml(None, builder.positions, tuple(builder.problems) + ((line, col, "yaml-syntax", message),))
    except _TooDeep as exc:
        return ParsedYaml(None, builder.positions, tuple(builder.problems) + (
            (exc.at[0], exc.at[1], "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels"),))
    return ParsedYaml(builder.root, builder.positions, tuple(builder.problems))
