"""Timing, counting and memory helpers. Figures are medians of repeated runs,
and two things compared are measured in alternation, side by side."""

from __future__ import annotations

import resource
import statistics
import time
from contextlib import contextmanager
from typing import Callable, Iterator


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def side_by_side(*runs: Callable[[], object], repeat: int) -> tuple[float, ...]:
    """Median seconds of each run, measured in turn so machine noise hits all alike."""
    for run in runs:
        run()  # warm caches and compiled statements
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, taken in zip(runs, times, strict=True):
            started = time.perf_counter()
            run()
            taken.append(time.perf_counter() - started)
    return tuple(statistics.median(taken) for taken in times)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def counting_calls(module, names: list[str]) -> Iterator[dict[str, int]]:
    """Count calls to ``module``'s functions ``names`` inside the block."""
    counts = dict.fromkeys(names, 0)
    originals = {name: getattr(module, name) for name in names}

    def wrap(name):
        def counted(*args, **kwargs):
            counts[name] += 1
            return originals[name](*args, **kwargs)

        return counted

    for name in names:
        setattr(module, name, wrap(name))
    try:
        yield counts
    finally:
        for name, original in originals.items():
            setattr(module, name, original)
