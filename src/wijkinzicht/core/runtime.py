"""What a web process does once it has loaded: `settle` loads the URL configuration (and so every
view module) and then moves everything loaded so far out of reach of CPython's cyclic garbage
collector (`gc.freeze`).

Why: a full collection walks every tracked object. With Django, DRF and the app loaded that is
about 180,000 objects, and a full collection every ~20 pages of 500 participants took about 120 ms
-- the slowest 5 % of those pages were the collector, not the page (benchmarks/privacy.py, docs/
benchmarks.md). Objects loaded at start-up live as long as the process; freezing them is what
CPython's documentation advises for long-running servers, and takes nothing from what is freed.
"""

import gc


def settle() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on the first request
    gc.collect()
    gc.freeze()
