"""Cronbach's alpha of a set of items (equal to KR-20 for 0/1 items): the reliability that the
reliable change index needs when no published figure is given."""

from __future__ import annotations

import numpy as np


def cronbach_alpha(rows, *, minimum: int = 10) -> float | None:
    """alpha = k/(k-1) * (1 - sum of item variances / variance of the sum), over complete rows;
    None with fewer than `minimum` rows, fewer than 2 items, or no variance in the sum."""
    x = np.asarray(rows, dtype=float)
    if x.ndim != 2 or x.shape[0] < minimum or x.shape[1] < 2:
        return None
    k = x.shape[1]
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var <= 0:
        return None
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))
