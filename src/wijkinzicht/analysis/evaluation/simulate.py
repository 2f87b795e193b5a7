"""Panels without any treatment effect and with parallel trends by construction: for measuring
how often a test rejects when it should not (its size). No Django."""

from __future__ import annotations

import numpy as np

from .panel import Panel


def placebo_panel(rng: np.random.Generator, n_units: int = 40, n_periods: int = 10,
                  first: int = 2010) -> Panel:
    """Unit effects (sd 5), a random-walk period effect shared by all, and AR(1) noise (rho 0.5)
    whose size differs per unit (sd 0.5 to 3, as small and large buurten differ)."""
    unit = rng.normal(0, 5, n_units)[:, None]
    period = np.cumsum(rng.normal(0, 1, n_periods))[None, :]
    sd = rng.uniform(0.5, 3, n_units)[:, None]
    noise = np.zeros((n_units, n_periods))
    for t in range(n_periods):
        noise[:, t] = (0.5 * noise[:, t - 1] if t else 0) + rng.normal(0, 1, n_units)
    return Panel.from_arrays([f"u{i}" for i in range(n_units)], list(range(first, first + n_periods)),
                             unit + period + sd * noise)
