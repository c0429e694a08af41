"""Parse YAML text into plain data that remembers the line of every key, refusing what is unsafe."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - the C loader ships with PyYAML wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

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


def _plain_value(value: str) -> Any:
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


def parse_yaml(text: str) -> ParsedYaml:
    """Parse one YAML document: anchors, aliases, tags, duplicate and non-text keys are problems."""
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
