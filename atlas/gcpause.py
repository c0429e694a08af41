"""Pausing Python's cyclic garbage collector while a stage builds large data that holds no cycles."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """Run the block without cyclic collections (reference counting still frees what is dropped).

    Parsed records and model objects are millions of dicts, lists and tuples without a single cycle, kept
    for the whole stage: each collection would walk all of them again for nothing, and at 13,000
    provisions that cost more than the parsing itself. What the block made then joins the oldest
    generation directly (freeze and unfreeze splice lists, touching no object), not through collections
    that would only find it all alive. What was frozen before stays frozen: in a forked worker (see
    atlas.parallel), unfreezing would let its collections write to every page it shares with the parent.
    """
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if not frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Run the block with everything made before it frozen: out of the sight of any collection (see sweep)."""
    was_frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not was_frozen:
            gc.unfreeze()


def sweep() -> None:
    """Free the reference cycles made since the last sweep (or since freezing), walking only what was made since.

    Rendering makes short-lived reference cycles (every Jinja template context is one) that only a
    collection frees: with collections paused, a build kept tens of megabytes of dead contexts. Automatic
    collections would walk, again and again, the records rendering keeps; a sweep of the youngest
    generation every few dozen pages walks each object once, and never the graph or the pages (frozen),
    so forked workers still share them.
    """
    gc.collect(0)
