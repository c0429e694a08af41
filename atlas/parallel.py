"""Work split over the machine's cores: forked worker processes, each given a few large slices of a list.

Workers are forked, so they start with everything the parent holds (the graph, the templates, the
pages) and nothing is sent to them but the bounds of their slice; only their results travel back.
A few large slices per worker keep that traffic and the scheduling overhead small, and still let a
worker that drew cheap pages take another slice.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from typing import Callable, TypeVar

from . import gcpause

T = TypeVar("T")
SLICES_PER_WORKER = 4

_task: Callable[[int, int], object] | None = None  # what the forked workers run; set just before forking


def available_cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def worker_count(jobs: int, items: int, minimum_per_worker: int) -> int:
    """How many workers to use: `jobs` (0: one per core), never more than the work fills, 1 without fork."""
    if jobs <= 0:
        jobs = available_cores()
    if sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # pragma: no cover
    if threading.active_count() > 1:
        return 1  # forking a process that runs threads can deadlock the child
    return max(1, min(jobs, items // max(minimum_per_worker, 1)))


def slices(count: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous slices covering range(count): a few per worker (one when there is one worker)."""
    parts = 1 if workers <= 1 else workers * SLICES_PER_WORKER
    size = -(-count // parts) if count else 0
    return [(start, min(start + size, count)) for start in range(0, count, size)] if size else []


def _run(bounds: tuple[int, int]) -> object:
    assert _task is not None
    return _task(*bounds)


def map_slices(task: Callable[[int, int], T], count: int, workers: int) -> list[T]:
    """task(start, stop) for each slice of range(count), in order; over `workers` processes when > 1.

    This process is one of them: it takes its share of the slices while workers - 1 forked processes
    take the rest. (Every process ends up with its own copy of what it touches, reference counts being
    written, so one process fewer is one copy of the graph fewer.)
    """
    global _task
    parts = slices(count, workers)
    if workers <= 1 or len(parts) <= 1:
        return [task(start, stop) for start, stop in parts]
    own = set(range(0, len(parts), workers))  # every workers-th slice: costs vary along the list
    _task = task
    # Objects that exist before the fork are moved out of the collector's sight, so that collections in
    # the workers do not write to (and so copy) every page of memory they share with the parent.
    try:
        with gcpause.frozen(), multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = pool.map_async(_run, [part for i, part in enumerate(parts) if i not in own], chunksize=1)
            mine = {i: task(*parts[i]) for i in sorted(own)}
            theirs = iter(pending.get())
            return [mine[i] if i in own else next(theirs) for i in range(len(parts))]
    finally:
        _task = None
