"""Where each key of a parsed record stands in its file, held compactly: records of one shape share its keys.

A provision names the same keys in the same order as most others, so the key paths of a record (its shape)
are held once for all the records of that shape, and each record keeps only its lines and columns, packed in
an array. At 13,250 provisions this is 15 MB where a dict per record took 31 MB, and `serve` keeps them all
for as long as it runs (the problems of the next build point into them).
"""
from __future__ import annotations

import weakref
from array import array
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

KeyPath = tuple  # keys and list indexes from the record's root, e.g. ("compliance", "exposure") or ("faq", 0)
Place = tuple[int, int]  # line and column, from 1


class _Shape:
    """The key paths of every record of one shape, in order; indexed on first lookup (lookups are for problems)."""

    __slots__ = ("paths", "_index", "__weakref__")

    def __init__(self, paths: tuple[KeyPath, ...]) -> None:
        self.paths = paths
        self._index: dict[KeyPath, int] | None = None

    def index(self) -> dict[KeyPath, int]:
        if self._index is None:
            self._index = {path: i for i, path in enumerate(self.paths)}
        return self._index


# Weak: a shape no record uses any more (after edits, in a long `serve`) is let go.
_SHAPES: weakref.WeakValueDictionary[tuple, _Shape] = weakref.WeakValueDictionary()


def _shape(paths: tuple[KeyPath, ...]) -> _Shape:
    shape = _SHAPES.get(paths)
    if shape is None:
        shape = _SHAPES[paths] = _Shape(paths)
    return shape


def _packed(numbers: list[int]) -> array:
    """The numbers in the smallest array that holds them: two bytes each, unless a line or column passes 65,535."""
    return array("H" if max(numbers, default=0) < 1 << 16 else "L", numbers)


class KeyPositions(Mapping[KeyPath, Place]):
    """A read-only mapping of key path to (line, column), as the parser recorded it."""

    __slots__ = ("_shape", "_places")

    def __init__(self, shape: _Shape, places: array) -> None:
        self._shape = shape
        self._places = places  # line, column, line, column, ... in the order of the shape's paths

    @classmethod
    def of(cls, positions: Mapping[KeyPath, Place], line_offset: int = 0) -> KeyPositions:
        """The compact form of a parser's positions, each line moved down by line_offset (front matter)."""
        numbers = list(chain.from_iterable(positions.values()))
        if line_offset:
            numbers[::2] = [line + line_offset for line in numbers[::2]]
        return cls(_shape(tuple(positions)), _packed(numbers))

    @property
    def paths(self) -> tuple[KeyPath, ...]:
        """The key paths in the order the file has them: one tuple shared by every record of this shape."""
        return self._shape.paths

    def __getitem__(self, path: KeyPath) -> Place:
        i = 2 * self._shape.index()[path]
        return self._places[i], self._places[i + 1]

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._shape.paths)

    def __len__(self) -> int:
        return len(self._shape.paths)

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled records (the parse cache, the workers' results) share shapes again. Within one pickle,
        # records of one shape share its paths tuple, so it is written once.
        return _restore, (self._shape.paths, self._places)


def _restore(paths: tuple[KeyPath, ...], places: array) -> KeyPositions:
    return KeyPositions(_shape(paths), places)
