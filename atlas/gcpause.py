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
