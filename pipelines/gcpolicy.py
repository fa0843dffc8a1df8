"""How often Python's cyclic garbage collector runs in a pipeline process.

A step holds hundreds of thousands of small objects for its whole length (rows read from
DuckDB, parsed API payloads, the linker's word sets), and CPython's default thresholds
(700, 10, 10) start a collection every 700 net allocations, a full one (every object alive
traversed) every 70,000 or so while the heap grows: building the large bench's linker ran 13
full collections and took 5.2 s, 3.6 s with the thresholds below (3.5 s with no collector at
all), its memory unchanged. Cycles are still reclaimed, in batches of 100,000 allocations.

`raise_thresholds()` is called where a process starts running assets: the Dagster code
location (`pipelines/definitions.py`, imported by `silo run`, Dagster's code server and its
step processes) and the links' spawned child; forked workers inherit it.
"""

import gc

THRESHOLDS = (100_000, 20, 20)


def raise_thresholds() -> None:
    """Set this process's collector thresholds to `THRESHOLDS`."""
    gc.set_threshold(*THRESHOLDS)
