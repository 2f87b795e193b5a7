"""Evaluation engine against pysyncon (the reference tool of issue 5), in one run.

1. Proposition 99 (ADH 2010 specification): our synthetic control with data-driven V, against
   pysyncon's Synth with each of its optimisers and both starting points; time and the
   pre-treatment fit (MSPE over 1970-1988, pysyncon's loss_V).
2. One treated unit against 100 / 1,000 / 5,000 simulated donors, 10 predictors, 15
   pre-periods: ours at each size, pysyncon (Nelder-Mead, its default) at 100 and 1,000, on the
   same predictor and outcome matrices.
3. In-space placebos for 200 of the 5,000 donors, each against all other donors.
4. DiD event study on all Dutch buurten 2013-2025 (real CBS housing file, % rented dwellings),
   500 buurten given a fictitious start in 2019.
5. SDID with 200 placebo replications on the synthdid Proposition 99 panel.
6. SDID at national scale: 3 buurten against 2,000 / 8,000 control buurten (real CBS housing file,
   % rented 2016-2025, start 2021), 200 placebo replications; time and peak memory.

Run: .venv/bin/python benchmarks/evaluation_engine.py  (make bench installs pysyncon first)
"""

import csv
import statistics
import sys
import time
import warnings
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wijkinzicht.analysis.evaluation import (  # noqa: E402
    Panel,
    difference_in_differences,
    synthdid,
    synthetic_control,
)
from wijkinzicht.analysis.evaluation import synth as synth_module  # noqa: E402

EVALUATION = ROOT / "data" / "evaluation"
CBS = ROOT / "data" / "cbs"
ADH_PREDICTORS = [
    "lnincome:1980-1988",
    "retprice:1980-1988",
    "age15to24:1980-1988",
    "beer:1984-1988",
    "cigsale:1975",
    "cigsale:1980",
    "cigsale:1988",
]


def timed(fn, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def adh_panel():
    with open(EVALUATION / "prop99_adh2010_smoking.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows, Panel.from_records(
        rows,
        unit="state",
        time="year",
        outcome="cigsale",
        covariates=["lnincome", "beer", "age15to24", "retprice"],
    )


def prop99(pysyncon):
    rows, panel = adh_panel()
    t, ours = timed(
        lambda: synthetic_control(
            panel, "California", 1989, predictors=ADH_PREDICTORS, fit_period=(1970, 1988), robustness=False
        ),
        repeat=5,
    )
    t_full, _ = timed(
        lambda: synthetic_control(
            panel, "California", 1989, predictors=ADH_PREDICTORS, fit_period=(1970, 1988)
        )
    )
    mspe = ours.details["fit_rmspe"] ** 2
    print("\n## 1. Proposition 99, ADH specification, data-driven V")
    print(
        "| tool | optimiser | time (s) | pre-treatment MSPE 1970-1988 "
        "| Utah, Nevada, Montana, Colorado, Connecticut |"
    )
    print("|---|---|---|---|---|")
    w = ours.weights
    print(
        f"| Wijkinzicht | nested search (median of 5) | {t:.2f} | {mspe:.4f} | "
        f"{w['Utah']:.3f}, {w['Nevada']:.3f}, {w['Montana']:.3f}, "
        f"{w['Colorado']:.3f}, {w['Connecticut']:.3f} |"
    )
    print(f"| Wijkinzicht | same, with leave-one-out and in-time placebo | {t_full:.2f} | {mspe:.4f} | |")
    if pysyncon is None:
        return
    import pandas as pd

    df = pd.DataFrame(rows)
    for column in ("cigsale", "lnincome", "beer", "age15to24", "retprice"):
        df[column] = pd.to_numeric(df[column], errors="coerce")
    df["year"] = df["year"].astype(float).astype(int)
    controls = sorted(set(df["state"]) - {"California"})
    dataprep = pysyncon.Dataprep(
        foo=df,
        predictors=["lnincome", "retprice", "age15to24"],
        predictors_op="mean",
        time_predictors_prior=range(1980, 1989),
        special_predictors=[
            ("beer", range(1984, 1989), "mean"),
            ("cigsale", [1975], "mean"),
            ("cigsale", [1980], "mean"),
            ("cigsale", [1988], "mean"),
        ],
        dependent="cigsale",
        unit_variable="state",
        time_variable="year",
        treatment_identifier="California",
        controls_identifier=controls,
        time_optimize_ssr=range(1970, 1989),
    )
    best = None
    for method in ("Nelder-Mead", "Powell", "BFGS", "L-BFGS-B", "COBYLA"):
        for initial in ("equal", "ols"):
            model = pysyncon.Synth()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t_ref, _ = timed(
                        lambda m=model, me=method, i=initial: m.fit(
                            dataprep=dataprep, optim_method=me, optim_initial=i
                        )
                    )
            except Exception as exc:  # noqa: BLE001 - report the reference tool's failure, go on
                print(f"| pysyncon 1.7.0 | {method}, {initial} | failed: {exc} | | |")
                continue
            weights = dict(zip(model.W_names, model.W, strict=True))
            best = model.loss_V if best is None else min(best, model.loss_V)
            print(
                f"| pysyncon 1.7.0 | {method}, start {initial} | {t_ref:.2f} | {model.loss_V:.4f} | "
                f"{weights['Utah']:.3f}, {weights['Nevada']:.3f}, {weights['Montana']:.3f}, "
                f"{weights['Colorado']:.3f}, {weights['Connecticut']:.3f} |"
            )
    print(
        f"\nBest pysyncon fit: MSPE {best:.4f}; ours {mspe:.4f} "
        f"({'at least as good' if mspe <= best + 1e-9 else 'WORSE'})."
    )


def simulated(donors, predictors=10, pre=15, post=5, seed=0):
    """A factor model: 3 random-walk factors, unit loadings, noise; covariates driven by the loadings."""
    rng = np.random.default_rng(seed)
    n, t = donors + 1, pre + post
    factors = np.cumsum(rng.normal(0, 1, (t, 3)), axis=0)
    loadings = rng.normal(0, 1, (n, 3))
    y = 50 + loadings @ factors.T + rng.normal(0, 0.5, (n, t))
    covariates = {
        f"x{k}": (loadings @ rng.normal(0, 1, 3))[:, None] + rng.normal(0, 0.3, (n, t))
        for k in range(predictors - 3)
    }
    units = ["treated"] + [f"d{i:05d}" for i in range(donors)]
    specs = [f"x{k}" for k in range(predictors - 3)] + [
        f"outcome:{2000 + pre - 1}",
        f"outcome:2000-{2000 + pre // 2}",
        f"outcome:{2000 + pre // 2 + 1}-{2000 + pre - 1}",
    ]
    return Panel.from_arrays(units, range(2000, 2000 + t), y, covariates), 2000 + pre, specs


def matrices(panel, start, specs):
    design = synth_module._design(panel, "treated", start, specs, None, None, None)
    x = synth_module._predictor_values(design, design.treated + design.donors)
    z = panel.outcome[:, design.fit]
    return x[:, 0], x[:, 1:], z[0], z[1:].T


PYSYNCON_LIMIT = 900  # seconds: a reference fit that takes longer is stopped and reported so


def _pysyncon_fit(x1, x0, z1, z0, queue) -> None:
    import pandas as pd
    import pysyncon

    names = [f"d{i:05d}" for i in range(x0.shape[1])]
    model = pysyncon.Synth()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, _ = timed(
            partial(
                model.fit,
                X0=pd.DataFrame(x0, columns=names),
                X1=pd.Series(x1, name="treated"),
                Z0=pd.DataFrame(z0, columns=names),
                Z1=pd.Series(z1, name="treated"),
            )
        )
    queue.put((t, model.loss_V))


def limited(target, seconds):
    """Run target(queue) in a child process; its result, or None when it takes longer than seconds."""
    import multiprocessing

    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=target, args=(queue,))
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()


def scaling(pysyncon):
    print("\n## 2. One treated unit, 10 predictors, 15 pre-periods, data-driven V")
    print(
        "| donors | Wijkinzicht (s) | Wijkinzicht MSPE | pysyncon Nelder-Mead (s) "
        "| pysyncon MSPE | speed-up |"
    )
    print("|---|---|---|---|---|---|")
    for donors in (100, 1000, 5000):
        panel, start, specs = simulated(donors)
        t, ours = timed(
            lambda p=panel, s=start, sp=specs: synthetic_control(
                p, "treated", s, predictors=sp, robustness=False
            )
        )
        ours_mspe = ours.details["fit_rmspe"] ** 2
        if pysyncon is not None and donors <= 1000:
            x1, x0, z1, z0 = matrices(panel, start, specs)
            outcome = limited(partial(_pysyncon_fit, x1, x0, z1, z0), PYSYNCON_LIMIT)
            if outcome is None:
                ref = f"stopped after {PYSYNCON_LIMIT} s | | > {PYSYNCON_LIMIT / t:.0f}x"
            else:
                t_ref, loss = outcome
                ref = f"{t_ref:.1f} | {loss:.4f} | {t_ref / t:.0f}x"
        else:
            ref = "not run | | "
        print(f"| {donors:,} | {t:.2f} | {ours_mspe:.4f} | {ref} |")


def placebos():
    panel, start, specs = simulated(5000)
    units = [f"d{i:05d}" for i in range(200)]
    print(
        "\n## 3. In-space placebos for 200 of 5,000 donors (each against the other 4,999), plus the main fit"
    )
    print("| worker processes | time (s) | placebo p-value |")
    print("|---|---|---|")
    for workers in (1, 2):
        t, result = timed(
            lambda w=workers: synthetic_control(
                panel,
                "treated",
                start,
                predictors=specs,
                robustness=False,
                placebos=True,
                placebo_units=units,
                workers=w,
            )
        )
        print(f"| {workers} | {t:.1f} | {result.placebo['p_value']:.3f} |")


def did_all_buurten():
    start = time.perf_counter()
    with open(CBS / "nl_kwb_housing_2013_2025.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_type"] == "buurt"]
    panel = Panel.from_records(rows, unit="region_code", time="year", outcome="pct_huurwoningen")
    load = time.perf_counter() - start
    rng = np.random.default_rng(1)
    complete = [u for u, row in zip(panel.units, panel.outcome, strict=True) if not np.isnan(row).any()]
    treated = sorted(rng.choice(complete, 500, replace=False).tolist())
    t, result = timed(lambda: difference_in_differences(panel, treated, 2019))
    print(
        "\n## 4. DiD event study, all Dutch buurten 2013-2025 (% rented), 500 with a fictitious start in 2019"
    )
    print(
        f"- panel: {len(panel.units):,} buurten x {len(panel.periods)} years, "
        f"{result.details['observations']:,} observations (unbalanced: codes come and go); "
        f"read in {load:.1f} s"
    )
    print(
        f"- estimation (two-way fixed effects, event study, clustered SE, pre-trend test): {t:.2f} s; "
        f"estimate {result.estimate:.3f} (se {result.se:.3f}), "
        f"pre-trend p {result.details['pretrend_test']['p_value']:.3f}"
    )


def sdid():
    with open(EVALUATION / "prop99_synthdid_california.csv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    panel = Panel.from_records(rows, unit="State", time="Year", outcome="PacksPerCapita")
    print("\n## 5. synthdid estimators on Proposition 99, 200 placebo replications for the standard error")
    print("| estimator | time (s) | estimate | se |")
    print("|---|---|---|---|")
    for kind in ("did", "sc", "sdid"):
        t, result = timed(lambda k=kind: synthdid(panel, "California", 1989, kind=k, replications=200))
        print(f"| {kind} | {t:.2f} | {result.estimate:.2f} | {result.se:.2f} |")


def sdid_national():
    import resource

    with open(CBS / "nl_kwb_housing_2013_2025.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_type"] == "buurt" and int(r["year"]) >= 2016]
    panel = Panel.from_records(rows, unit="region_code", time="year", outcome="pct_huurwoningen")
    complete = [u for u, row in zip(panel.units, panel.outcome, strict=True) if not np.isnan(row).any()]
    print("\n## 6. SDID at national scale: 3 buurten, start 2021, 200 placebo replications")
    print(f"{len(complete):,} buurten with % rented in every year 2016-2025")
    print("| controls | time (s) | process peak resident memory so far (MB) | estimate | se |")
    print("|---|---|---|---|---|")
    for n in (2000, 8000):
        chosen = np.random.default_rng(1).choice(complete, n + 3, replace=False).tolist()
        t, result = timed(lambda c=chosen: synthdid(panel, c[:3], 2021, donors=c[3:], replications=200))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {n:,} | {t:.1f} | {peak:.0f} | {result.estimate:.3f} | {result.se:.3f} |")


def main():
    try:
        import pysyncon
    except ImportError:
        pysyncon = None
        print("pysyncon is not installed (make bench installs it): reference columns left empty")
    print("# Evaluation engine benchmark")
    prop99(pysyncon)
    scaling(pysyncon)
    placebos()
    did_all_buurten()
    sdid()
    sdid_national()


if __name__ == "__main__":
    main()
