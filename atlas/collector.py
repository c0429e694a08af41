"""The cyclic garbage collector, kept away from the stages that build the site's large, long-lived structures."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """Run the body with the cyclic collector off, then hand what it made to the collector's oldest generation.

    Link and plan allocate millions of objects that live until the build ends and make no garbage
    cycles to speak of. With the collector on, each time the heap grew by a quarter it walked the whole
    of it again: at 13,250 provisions that was three quarters of the plan stage. Once the body is done,
    its objects go straight to the oldest generation (gc.freeze then gc.unfreeze moves them there
    without a walk), which is collected rarely; left in the youngest, the next collections would walk
    every one of them twice on the way. Nothing stays frozen that was not frozen before.
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
