"""The cyclic collector is paused while a stage builds its large structures, and handed them after."""
from __future__ import annotations

import gc

from atlas import gcpause


def test_paused_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        made = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 1000  # what the block made went to the oldest generation, not the youngest
    assert gc.is_tracked(made[0])


def test_paused_leaves_the_collector_as_it_found_it() -> None:
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()  # as atlas.parallel does before forking its workers
    try:
        with gcpause.paused():
            pass
        assert gc.get_freeze_count() > 0  # what was frozen stays frozen
    finally:
        gc.unfreeze()
