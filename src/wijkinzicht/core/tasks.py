"""Jobs of the platform itself."""

import time

from .jobs import job


@job()
def probe(*, seconds: float = 0.0) -> str:
    """A job that waits ``seconds`` (at most an hour) and answers: shows that a worker takes jobs."""
    time.sleep(max(0.0, min(float(seconds), 3600.0)))
    return "ok"
