"""What a page's bytes depend on: digests of its context, and the graph reads its templates make.

A page is rendered again only when one of these changed: the template set, the page's own context
(the plain objects the planner gave it), or a value its templates read from the graph while rendering.
Reads go through GraphReads, a view of the graph that notes each mapping key or attribute it is asked
for; the next build looks the same keys up in its own graph and compares digests. Nothing is assumed
about which records a template uses, so a template that starts reading something new is still right.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
import types
from collections.abc import Mapping
from collections import OrderedDict
from typing import Any, Callable, Iterator, TypeVar

_MODEL = "atlas.model"
T = TypeVar("T")
Dep = tuple  # ("platforms", "alpha") for one key of a mapping, ("as_of",) for a whole attribute
_MISSING = ("<missing>",)  # the digest stand-in of a key that is not in a mapping


def digest_bytes(data: bytes) -> str:
    """The digest of some bytes (an output file, a source file)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Fingerprints:
    """Digests of plain values: dataclass trees, tuples, mappings, text, dates.

    Records of the model (atlas.model) are digested once each and stand in their parents' pickles by
    their digest, so a provision shown on a thousand pages is serialised once. They are remembered by
    identity and kept alive, so an identity is never reused for another object during a build. Other
    dataclasses (page contexts, graph figures) are small and pickled in place as class and fields.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}
        self._fields: dict[type, tuple[str, ...] | None] = {}

    def digest(self, value: Any) -> bytes:
        """The digest of a value; raises TypeError (or a pickling error) for a value that cannot be digested."""
        if type(value) is bytes:
            return hashlib.blake2b(value, digest_size=16).digest()
        if type(value).__module__ == _MODEL:
            return self.record(value)
        if type(value) is tuple and value and all(type(item).__module__ == _MODEL for item in value):
            # The graph's groupings (a document's provisions, a regulation's): the records' digests in order,
            # with no pickler calling back into Python for each record.
            return hashlib.blake2b(b"(" + b"".join(map(self.record, value)), digest_size=16).digest()
        buffer = io.BytesIO()
        _Pickler(buffer, self).dump(value)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()

    def record(self, value: Any) -> bytes:
        """The digest of a model object, computed once per object."""
        hit = self._memo.get(id(value))
        if hit is None and getattr(getattr(value, "origin", None), "source", ""):
            # Built from whole files alone: their paths and bytes stand for the record (the generator's
            # version, which the record also follows from, is in every page's key).
            source = f"{type(value).__name__}\0{value.origin.source}".encode("utf-8", "surrogatepass")
            hit = self._memo[id(value)] = (value, hashlib.blake2b(source, digest_size=16).digest())
        if hit is None:
            # A record of the model is a tree of plain values (it names other records by ID, never holds
            # them), so the C pickler serialises it whole, with no call back into Python.
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer, protocol=5)
            pickler.fast = True  # no memo: the bytes depend on the values only, not on which objects are shared
            pickler.dump(value)
            hit = self._memo[id(value)] = (value, hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest())
        return hit[1]

    def field_names(self, cls: type) -> tuple[str, ...] | None:
        """The field names of a dataclass, None for any other class."""
        if cls not in self._fields:
            self._fields[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                                 if dataclasses.is_dataclass(cls) else None)
        return self._fields[cls]


def _digested(value: bytes) -> bytes:
    """What a model record is replaced with in its parent's pickle (never called: only named)."""
    return value


class _Pickler(pickle.Pickler):
    """Pickles a value with model records (and sets, and mappings other than dicts) replaced by digests.

    reducer_override is not consulted for str, int, float, bytes, tuple, list and dict, so the common
    objects stay at the C pickler's speed.
    """

    def __init__(self, buffer: io.BytesIO, owner: Fingerprints) -> None:
        super().__init__(buffer, protocol=5)
        self.fast = True  # no memo: the bytes depend on the values only, never on which objects are shared
        self.owner = owner

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        kind = _KINDS.get(cls)
        if kind is None:
            kind = _KINDS[cls] = _kind(cls)
        if kind is _PLAIN:
            return NotImplemented  # dates, classes and module-level functions pickle as usual; lambdas fail
        if kind is _RECORD:
            return _digested, (self.owner.record(obj),)
        if kind is _DATACLASS:  # a context or figure: its class and fields, in place
            return cls, tuple(getattr(obj, n) for n in self.owner.field_names(cls))  # type: ignore[union-attr]
        if kind is _SET:  # iteration order varies between runs: use the sorted digests
            return _digested, (b"".join(sorted(self.owner.digest(x) for x in obj)),)
        return _digested, (b"".join(self.owner.digest(k) + self.owner.digest(v) for k, v in obj.items()),)


_PLAIN, _RECORD, _DATACLASS, _SET, _MAPPING = "plain", "record", "dataclass", "set", "mapping"
_KINDS: dict[type, str] = {}


def _kind(cls: type) -> str:
    if cls.__module__ == _MODEL:
        return _RECORD
    if dataclasses.is_dataclass(cls) and isinstance(cls, type):
        return _DATACLASS
    if issubclass(cls, (set, frozenset)):
        return _SET
    if issubclass(cls, Mapping) and cls is not dict:
        return _MAPPING
    return _PLAIN


class GraphReads:
    """The graph as templates see it: every attribute and mapping key read is noted.

    Methods of the graph run against this view too, so what they read is noted as well. Reads made
    outside any page (while the environment is set up) are taken before the first page; the renderer
    keeps them as reads of every page.
    """

    def __init__(self, graph: Any) -> None:
        object.__setattr__(self, "_graph", graph)
        object.__setattr__(self, "_reads", set())
        object.__setattr__(self, "_memos", {})

    def __getattr__(self, name: str) -> Any:
        graph = object.__getattribute__(self, "_graph")
        reads: set = object.__getattribute__(self, "_reads")
        attribute = getattr(type(graph), name, None)
        if isinstance(attribute, types.FunctionType):
            method = types.MethodType(attribute, self)
            object.__setattr__(self, name, method)  # see below
            return method
        if isinstance(attribute, property):
            return attribute.fget(self)  # type: ignore[misc]
        value = getattr(graph, name)
        if isinstance(value, Mapping):
            view = _MappingReads(name, value, reads)
            # Kept on this object, so that the next look-up of the name never reaches __getattr__: a mapping's
            # view notes reads as its keys are read, not as it is handed out, and the graph never changes.
            # (A plain value must be noted at every look-up, and a property computed again: they are not kept.)
            object.__setattr__(self, name, view)
            return view
        reads.add(_dep(name))
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the graph is read-only")

    def memoized(self, function: Callable[..., T], size: int | None = 16) -> Callable[..., T]:
        """function, its results remembered by its arguments (text and numbers by value, others by identity).

        A remembered result notes again the reads that computing it made, so that every page using it
        depends on them, whichever page computed it first. size: how many results to keep (the last
        used), None for all of them.
        """
        reads: set = object.__getattribute__(self, "_reads")
        # Each entry holds its arguments, so that no identity in its key can be reused while it is kept.
        remembered: OrderedDict[tuple, tuple[tuple, T, frozenset]] = OrderedDict()

        def call(*arguments: Any) -> T:
            key = tuple(a if isinstance(a, (str, int)) else id(a) for a in arguments)
            hit = remembered.get(key)
            if hit is None:
                outer = set(reads)
                reads.clear()
                try:
                    result = function(*arguments)
                    hit = remembered[key] = (arguments, result, frozenset(reads))
                finally:
                    reads.update(outer)
                if size is not None and len(remembered) > size:
                    remembered.popitem(last=False)
            elif size is not None:
                remembered.move_to_end(key)
            reads.update(hit[2])
            return hit[1]

        return call

    def remembered(self, function: Callable[..., T], *arguments: Any) -> T:
        """function(this view, *arguments), computed once per build for these arguments (see memoized)."""
        memos: dict = object.__getattribute__(self, "_memos")
        call = memos.get(function)
        if call is None:
            call = memos[function] = self.memoized(lambda *a: function(self, *a), size=None)
        return call(*arguments)

    def underlying(self) -> Any:
        """The graph itself, for reading without noting."""
        return object.__getattribute__(self, "_graph")

    def release(self) -> None:
        """Let go of the graph and of everything this view made from it (its views, methods and memos).

        A view ends up in reference cycles (its bound methods and memos point back at it, templates and render
        contexts at the environment holding it), which only a full collection frees: builds pause collections,
        and a long-running preview seldom reaches one. Released, the view no longer keeps a whole graph alive.
        """
        object.__getattribute__(self, "__dict__").clear()

    def take_reads(self) -> frozenset:
        """The reads noted since the last call, and start a new set."""
        reads = object.__getattribute__(self, "_reads")
        taken = frozenset(reads)
        reads.clear()  # in place: mapping views handed out earlier note into this same set
        return taken


_DEPS: dict[Dep, Dep] = {}


def _dep(*parts: Any) -> Dep:
    """One shared tuple per distinct read: tens of thousands of pages note the same few thousand reads."""
    return _DEPS.setdefault(parts, parts)


class _MappingReads(Mapping):
    """One mapping of the graph: a key looked up is one read, anything that sees every key reads it all."""

    def __init__(self, name: str, mapping: Mapping, reads: set) -> None:
        self._name, self._mapping, self._reads = name, mapping, reads

    def __getitem__(self, key: Any) -> Any:
        self._reads.add(_dep(self._name, key))
        return self._mapping[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._reads.add(_dep(self._name, key))
        return self._mapping.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._reads.add(_dep(self._name, key))
        return key in self._mapping

    def __iter__(self) -> Iterator:
        self._reads.add(_dep(self._name))
        return iter(self._mapping)

    def __len__(self) -> int:
        self._reads.add(_dep(self._name))
        return len(self._mapping)

    def keys(self):  # type: ignore[override]
        self._reads.add(_dep(self._name))
        return self._mapping.keys()

    def values(self):  # type: ignore[override]
        self._reads.add(_dep(self._name))
        return self._mapping.values()

    def items(self):  # type: ignore[override]
        self._reads.add(_dep(self._name))
        return self._mapping.items()


class ReadDigests:
    """The digest of each graph read in one graph, each computed once."""

    def __init__(self, graph: Any, fingerprints: Fingerprints) -> None:
        self.graph = graph
        self.fingerprints = fingerprints
        self._memo: dict[Dep, bytes] = {}

    def of(self, dep: Dep) -> bytes:
        """The digest of what a read returns in this graph (a stand-in if the key or attribute is gone)."""
        hit = self._memo.get(dep)
        if hit is None:
            hit = self._memo[dep] = self.fingerprints.digest(self._value(dep))
        return hit

    def _value(self, dep: Dep) -> Any:
        value = getattr(self.graph, dep[0], _MISSING)
        if len(dep) == 1:
            return value
        if not isinstance(value, Mapping):
            return _MISSING
        return value.get(dep[1], _MISSING)

    def learn(self, digests: Mapping[Dep, bytes]) -> None:
        """Take digests computed elsewhere (in a worker process) from the same graph."""
        for dep, digest in digests.items():
            self._memo.setdefault(dep, digest)

    def changed(self, previous: Mapping[Dep, bytes]) -> frozenset[Dep]:
        """The reads whose value in this graph is not the one `previous` (read, digest) recorded."""
        return frozenset(dep for dep, digest in previous.items() if self.of(dep) != digest)
