"""The cyclic collector is paused while link and plan build their structures, and handed them after."""
from __future__ import annotations

import gc

from atlas import collector


def test_paused_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        made = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 1000  # what the body made went to the oldest generation, not the youngest
    assert gc.is_tracked(made[0])


def test_paused_leaves_the_collector_as_it_found_it() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        with collector.paused():
            pass
        assert gc.get_freeze_count() > 0  # what someone else froze stays frozen
    finally:
        gc.unfreeze()
