"""Unusual rises in counts of signals per area and theme: public-health surveillance for field
signals (issue 17). No Django; numpy and scipy.

**The improved Farrington method** (Noufaily et al. 2013, Statistics in Medicine 32:1206-1222; as
in R's surveillance::farringtonFlexible with its "improved" settings), for series with at least a
year of history besides the most recent half year:

- the reference values are every period of the past `years` years (at most 5) up to `gap` periods
  before the current one (26 weeks, 6 months: a rise that has been going on a while must not raise
  its own baseline);
- a quasi-Poisson model: log E(y_t) = log(effort_t) + a + b*t + season(t), where season is a factor
  with `no_periods` levels: the periods within `window` of the current period's time of year, and
  the rest of the year cut into equal parts (10 levels for weeks, 4 for months);
- the trend b is kept only with three years of reference data or more, when it is significant at
  5 % and when its prediction does not exceed the highest reference rate (Farrington et al. 1996);
- overdispersion phi = max(1, Pearson chi-square / (n - parameters));
- reference values with an Anscombe residual above 2.58 are down-weighted (weight proportional to
  residual^-2, weights summing to n) and the model is refitted, so that past rises do not lift the
  baseline;
- the upper limit is the (1 - alpha) quantile of a negative binomial with the predicted mean and
  variance phi * mean (Noufaily's plug-in threshold; a Poisson when phi = 1).

**EARS C1, C2 and C3** (CDC's Early Aberration Reporting System, Hutwagner et al. 2003) for short
histories: the mean and standard deviation of the 7 periods before the current one (C1), or of the
7 periods ending two periods before it (C2); an alarm at 3 standard deviations; C3 adds up the last
three C2 excesses over 1 and alarms above 2. Used with 7 to `min_history` periods; with fewer, no
assessment is made and the reason says so.

**Signalling effort**: when more professionals report, more signals arrive without the
neighbourhood changing ("zoek je meer, dan vind je meer"). With `effort` given (active reporting
professionals per period), the model is a model of signals *per professional*: effort is an offset
in the Farrington model, and EARS compares counts scaled to the current effort.

**The minimum count guard**: no alarm on fewer than `min_count` signals in the period (5, the
suppression threshold, so an alarm never discloses a small count).

All series of one call share their time axis and are fitted together (batched iteratively
reweighted least squares), which is what makes a whole gemeente fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

ANSCOMBE_LIMIT = 2.58
MIN_EARS = 7


@dataclass(frozen=True)
class Settings:
    freq: int = 52  # periods per year: 52 weeks or 12 months
    years: int = 5
    window: int = 3
    no_periods: int = 10
    gap: int = 26
    alpha: float = 0.01
    min_count: int = 5
    trend_p: float = 0.05

    @classmethod
    def weekly(cls, **kw) -> Settings:
        return cls(**kw)

    @classmethod
    def monthly(cls, **kw) -> Settings:
        return cls(**{"freq": 12, "window": 1, "no_periods": 4, "gap": 6, **kw})

    @property
    def min_history(self) -> int:
        """Periods of history the Farrington method needs: a year beyond the gap, and the window."""
        return self.freq + self.gap + self.window


@dataclass
class Assessment:
    """Per series, the assessment of one period."""

    observed: np.ndarray
    expected: np.ndarray  # what the baseline predicts at the current effort
    upper: np.ndarray  # the alarm limit; an alarm when observed is above it (and >= min_count)
    alarm: np.ndarray
    method: np.ndarray  # "farrington", "ears-c1", "ears-c2", "ears-c3" or "" (too little history)
    trend: np.ndarray  # farrington: the yearly trend factor kept in the model (1.0 when dropped)
    phi: np.ndarray  # farrington: overdispersion
    t0: int  # the assessed period
    years_used: np.ndarray  # farrington: years of history used, per series


def _season_levels(offsets: np.ndarray, s: Settings) -> np.ndarray:
    """Seasonal level of each reference period, by its distance to the current period in the year:
    0 within the window, then 1..no_periods-1 for the rest of the year."""
    d = np.mod(offsets + s.window, s.freq)
    rest = s.freq - 2 * s.window - 1
    level = 1 + np.floor((d - 2 * s.window - 1) * (s.no_periods - 1) / max(rest, 1)).astype(int)
    return np.where(d <= 2 * s.window, 0, np.clip(level, 1, s.no_periods - 1))


def _irls(x, y, offset, weights, iterations=25, tol=1e-7, beta0=None):
    """Batched Poisson regression (iteratively reweighted least squares): x (n, p) shared,
    y/offset/weights (S, n). A series stops iterating once its coefficients change by less than
    `tol`, so the few slow ones (a season level without any signal) do not hold up the rest.
    Returns beta (S, p), the fitted means (S, n) and X'WX at the fit (S, p, p)."""
    series, p = y.shape[0], x.shape[1]
    if beta0 is not None:  # a warm start: the fit before the reweighting
        beta = np.array(beta0, dtype=float)
    else:
        beta = np.zeros((series, p))
        beta[:, 0] = np.log(
            np.maximum(
                (y * weights).sum(axis=1) / np.maximum((np.exp(offset) * weights).sum(axis=1), 1e-9), 1e-6
            )
        )
    ridge = 1e-8 * np.eye(p)
    outer = np.einsum("np,nq->npq", x, x).reshape(len(x), p * p)  # x_i x_i' per row, for X'WX = W @ outer
    active = np.arange(series)
    for _ in range(iterations):
        b, off, yy, wt = beta[active], offset[active], y[active], weights[active]
        eta = b @ x.T + off
        mu = np.exp(np.clip(eta, -30, 30))
        z = eta - off + (yy - mu) / np.maximum(mu, 1e-10)
        w = wt * mu
        xtwx = (w @ outer).reshape(len(active), p, p) + ridge
        xtwz = (w * z) @ x
        new = np.linalg.solve(xtwx, xtwz[..., None])[..., 0]
        change = np.abs(new - b).max(axis=1)
        beta[active] = new
        active = active[change >= tol]
        if not active.size:
            break
    mu = np.exp(np.clip(beta @ x.T + offset, -30, 30))
    xtwx = ((weights * mu) @ outer).reshape(series, p, p) + ridge
    return beta, mu, xtwx


def _phi(y, mu, weights, p, n):
    pearson = (weights * (y - mu) ** 2 / np.maximum(mu, 1e-10)).sum(axis=1)
    return np.maximum(1.0, pearson / np.maximum(n - p, 1))


def _farrington(counts, effort, t0, s: Settings, start):
    """The improved Farrington method for series whose history begins at `start` (per series); the
    periods before it are missing, not zero, and carry no weight."""
    series = counts.shape[0]
    years = np.minimum(s.years, (t0 - s.gap - s.window - start) // s.freq)
    first = max(0, t0 - int(years.max()) * s.freq - s.window)
    times = np.arange(first, t0 - s.gap + 1)
    y = counts[:, times].astype(float)
    offset = np.log(np.maximum(effort[:, times], 1e-9))
    valid = (times[None, :] >= start[:, None]) & (times[None, :] >= (t0 - years * s.freq - s.window)[:, None])
    levels = _season_levels(times - t0, s)
    present = np.unique(levels)
    dummies = [(levels == lev).astype(float) for lev in present if lev != 0]
    t_scaled = (times - t0) / s.freq  # in years, 0 at the current period
    x_trend = np.column_stack([np.ones(len(times)), t_scaled, *dummies])
    x_flat = np.column_stack([np.ones(len(times)), *dummies])
    ones = valid.astype(float)
    n = ones.sum(axis=1)

    def fit(x, weights, beta0=None):
        beta, mu, xtwx = _irls(x, y, offset, weights, beta0=beta0)
        phi = _phi(y, mu, weights, x.shape[1], n)
        return beta, mu, xtwx, phi

    beta_t, mu_t, xtwx_t, phi_t = fit(x_trend, ones)
    cov = np.linalg.inv(xtwx_t) * phi_t[:, None, None]
    z_trend = beta_t[:, 1] / np.sqrt(np.maximum(cov[:, 1, 1], 1e-12))
    keep_trend = 2 * stats.norm.sf(np.abs(z_trend)) < s.trend_p
    # Farrington's second condition: a trend is kept only if its prediction stays within the range of
    # the reference rates, so that a short history is never extrapolated into a runaway limit
    rates = np.where(valid, y / np.maximum(effort[:, times], 1e-9), 0.0)
    keep_trend &= np.exp(beta_t[:, 0]) <= rates.max(axis=1)
    # and only with three years of reference data or more (Farrington et al. 1996): with fewer, a trend
    # cannot be told from the season (each season level is one block of time) and runs off to extremes
    keep_trend &= years >= 3
    beta_f, mu_f, _, phi_f = fit(x_flat, ones)
    mu = np.where(keep_trend[:, None], mu_t, mu_f)
    phi = np.where(keep_trend, phi_t, phi_f)
    # Anscombe residuals; down-weight the high ones and refit
    anscombe = (
        1.5 * (y ** (2 / 3) - mu ** (2 / 3)) / (np.sqrt(phi)[:, None] * np.maximum(mu, 1e-10) ** (1 / 6))
    )
    weights = np.where(anscombe > ANSCOMBE_LIMIT, 1 / np.maximum(anscombe, 1e-9) ** 2, 1.0) * ones
    weights = weights * (n[:, None] / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9))
    beta_t, mu_t, _, phi_t = fit(x_trend, weights, beta_t)
    beta_f, mu_f, _, phi_f = fit(x_flat, weights, beta_f)
    # the prediction for the current period: season level 0, time 0, the current effort
    log_e0 = np.log(np.maximum(effort[:, t0], 1e-9))
    pred = np.where(keep_trend, beta_t[:, 0], beta_f[:, 0]) + log_e0
    mean = np.exp(pred)
    phi = np.where(keep_trend, phi_t, phi_f)
    empty = (y * ones).sum(axis=1) == 0
    mean = np.where(empty, 0.0, mean)
    upper = np.zeros(series)
    nb = (mean > 0) & (phi > 1 + 1e-9)
    pois = (mean > 0) & ~nb
    if nb.any():
        size = mean[nb] / (phi[nb] - 1)
        upper[nb] = stats.nbinom.ppf(1 - s.alpha, size, size / (size + mean[nb]))
    if pois.any():
        upper[pois] = stats.poisson.ppf(1 - s.alpha, mean[pois])
    trend = np.where(keep_trend, np.exp(beta_t[:, 1]), 1.0)
    return mean, upper, trend, phi, years


def _ears(counts, effort, t0, lag, s: Settings):
    """EARS statistic at t0 on counts scaled to the effort at t0: (mean, sd, statistic)."""
    base = np.arange(t0 - lag - 7, t0 - lag)
    scaled = counts[:, base] * (effort[:, [t0]] / np.maximum(effort[:, base], 1e-9))
    mean = scaled.mean(axis=1)
    sd = np.maximum(scaled.std(axis=1, ddof=1), np.sqrt(np.maximum(mean, 1.0)) / 2)
    return mean, sd, (counts[:, t0] - mean) / sd


def assess(
    counts, effort=None, *, t0: int | None = None, settings: Settings | None = None, start=None
) -> Assessment:
    """Assess period t0 (default: the last) of every series in counts (series x periods). `start`:
    per series the first period of its history (default 0); earlier periods are missing, not zero.
    Each series gets the method its history allows: Farrington with `min_history` periods or more,
    EARS with 7 or more, none with fewer."""
    s = settings or Settings()
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    if effort is None:
        effort = np.ones_like(counts)
    effort = np.broadcast_to(np.asarray(effort, dtype=float), counts.shape)
    t0 = counts.shape[1] - 1 if t0 is None else t0
    series = counts.shape[0]
    start = (
        np.zeros(series, dtype=int)
        if start is None
        else np.broadcast_to(np.asarray(start, dtype=int), (series,))
    )
    history = t0 - start
    observed = counts[:, t0]
    method = np.full(series, "", dtype=object)
    trend = np.ones(series)
    phi = np.ones(series)
    years = np.zeros(series, dtype=int)
    expected = np.full(series, np.nan)
    upper = np.full(series, np.nan)
    alarm = np.zeros(series, dtype=bool)
    far = history >= s.min_history
    if far.any():
        e, u, tr, ph, yr = _farrington(counts[far], effort[far], t0, s, start[far])
        expected[far], upper[far], trend[far], phi[far], years[far] = e, u, tr, ph, yr
        alarm[far] = observed[far] > u
        method[far] = "farrington"
    for lag, name, need in (
        (2, "ears-c3", MIN_EARS + 4),
        (2, "ears-c2", MIN_EARS + 2),
        (0, "ears-c1", MIN_EARS),
    ):
        group = ~far & (method == "") & (history >= need)
        if not group.any():
            continue
        mean, sd, stat = _ears(counts[group], effort[group], t0, lag, s)
        expected[group], upper[group] = mean, mean + 3 * sd
        hit = stat > 3
        if name == "ears-c3":  # the last three C2 excesses over 1, added up
            c3 = sum(
                np.maximum(0, _ears(counts[group], effort[group], t0 - i, 2, s)[2] - 1) for i in range(3)
            )
            hit = hit | (c3 > 2)
        alarm[group] = hit
        method[group] = name
    alarm = alarm & (observed >= s.min_count)
    return Assessment(observed, expected, upper, alarm, method, trend, phi, t0, years)


def assess_range(counts, effort=None, *, last: int, settings: Settings | None = None) -> list[Assessment]:
    """The assessments of the last `last` periods, oldest first."""
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    periods = counts.shape[1]
    return [assess(counts, effort, t0=t, settings=settings) for t in range(max(0, periods - last), periods)]


# ---- simulation: how often does it cry wolf, and what does it find? ---------------------------------


def simulate_series(
    rng,
    *,
    periods: int,
    freq: int = 52,
    level: float = 4.0,
    trend: float = 0.0,
    season: float = 0.3,
    phi: float = 1.5,
    effort=None,
) -> np.ndarray:
    """Counts from a negative binomial with a yearly wave (Noufaily et al.'s scenarios): mean
    level * exp(trend * t/freq + season * sin(2 pi t / freq)) * effort / effort[0], variance phi * mean."""
    t = np.arange(periods)
    mean = level * np.exp(trend * t / freq + season * np.sin(2 * np.pi * t / freq))
    if effort is not None:
        mean = mean * np.asarray(effort, dtype=float) / float(effort[0])
    if phi <= 1:
        return rng.poisson(mean)
    size = mean / (phi - 1)
    return rng.negative_binomial(size, size / (size + mean))


def simulate(
    *,
    series: int = 200,
    years: int = 6,
    freq: int = 52,
    level: float = 6.0,
    phi: float = 1.5,
    rise: float = 0.0,
    rising_effort: bool = False,
    adjust: bool = True,
    seed: int = 0,
    settings: Settings | None = None,
) -> dict:
    """Assess the last year of simulated series, week by week. With rise > 0, one rise of `rise`
    times the weekly standard deviation, spread over 3 periods, is injected at a random period of
    that year in every series. With rising_effort, the number of reporting professionals grows by
    half in the last year and the counts with it (no real change). Returns the share of periods
    without a rise that alarmed (false-alarm rate) and the share of rises with an alarm during them
    (detection rate)."""
    s = settings or (Settings.weekly() if freq == 52 else Settings.monthly())
    rng = np.random.default_rng(seed)
    periods = years * freq
    effort = np.full(periods, 10.0)
    if rising_effort:
        effort[-freq:] = np.linspace(10, 15, freq)
    counts = np.vstack(
        [
            simulate_series(rng, periods=periods, freq=freq, level=level, phi=phi, effort=effort)
            for _ in range(series)
        ]
    ).astype(float)
    injected = np.zeros_like(counts, dtype=bool)
    if rise > 0:
        for i in range(series):
            start = periods - freq + rng.integers(0, freq - 3)
            extra = rise * np.sqrt(phi * level)
            counts[i, start : start + 3] += np.round(extra * np.array([0.5, 1.0, 0.5]))
            injected[i, start : start + 3] = True
    alarms = np.zeros_like(counts, dtype=bool)
    for t in range(periods - freq, periods):
        result = assess(counts, effort if adjust else None, t0=t, settings=s)
        alarms[:, t] = result.alarm
    window = slice(periods - freq, periods)
    quiet = ~injected[:, window]
    false_alarm_rate = float(alarms[:, window][quiet].mean())
    detected = None
    if rise > 0:
        detected = float(np.mean([alarms[i, injected[i]].any() for i in range(series)]))
    return {
        "series": series,
        "periods_assessed": freq,
        "false_alarm_rate": false_alarm_rate,
        "detection_rate": detected,
        "rise_sd": rise,
        "rising_effort": rising_effort,
        "adjusted": adjust,
    }
