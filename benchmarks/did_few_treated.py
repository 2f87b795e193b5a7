"""Size of the DiD pre-trend test and of the effect's p-value with few treated units (issue 15,
item 2): on simulated panels where parallel trends hold by construction (unit and period effects,
heteroskedastic AR(1) noise, no effect), how often each rejects at nominal 5 %; the clustered Wald
test beside randomization inference.

    .venv/bin/python benchmarks/did_few_treated.py [--runs 200] [--units 40] [--staggered]

With --staggered the treated units start in different periods (6, 7 and 8 in turn) and
Callaway-Sant'Anna estimates, with randomization inference as for a common start.

Not a timed test: the figures go to docs/evaluation.md."""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wijkinzicht.analysis.evaluation import difference_in_differences  # noqa: E402
from wijkinzicht.analysis.evaluation.simulate import placebo_panel  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--staggered", action="store_true")
    args = parser.parse_args()
    if args.staggered:
        return staggered(args)
    print(f"{args.runs} panels of {args.units} units x 10 periods, start in period 7, no effect")
    print("treated | pre-trend: Wald  RI | effect p: RI | seconds")
    for k in (1, 2, 5, 10):
        rng = np.random.default_rng(k)
        wald = ri = eff = 0
        began = time.perf_counter()
        for run in range(args.runs):
            panel = placebo_panel(rng, args.units)
            treated = [f"u{i}" for i in rng.choice(args.units, size=k, replace=False)]
            result = difference_in_differences(panel, treated, 2016, seed=run)
            test = result.details["pretrend_test"]
            wald += test["p_value_wald"] < 0.05
            ri += test["p_value"] < 0.05
            eff += result.placebo["p_value"] < 0.05
        took = time.perf_counter() - began
        print(f"{k:7d} | {100 * wald / args.runs:5.1f} % {100 * ri / args.runs:5.1f} % | "
              f"{100 * eff / args.runs:5.1f} % | {took:.1f}")


def staggered(args):
    print(f"{args.runs} panels of {args.units} units x 10 periods, starts in periods 6, 7, 8 in turn, no effect")
    print("treated | pre-trend: Wald  RI | effect: analytic  RI | seconds")
    for k in (2, 3, 4):
        rng = np.random.default_rng(100 + k)
        wald = ri = eff_analytic = eff = 0
        began = time.perf_counter()
        for run in range(args.runs):
            panel = placebo_panel(rng, args.units)
            chosen = rng.choice(args.units, size=k, replace=False)
            starts = {f"u{i}": 2015 + j % 3 for j, i in enumerate(chosen)}
            result = difference_in_differences(panel, starts, seed=run)
            test = result.details["pretrend_test"]
            wald += test["p_value_wald"] < 0.05
            ri += test["p_value"] < 0.05
            z = abs(result.estimate / result.details["se_influence"])
            eff_analytic += z > 1.959964
            eff += result.placebo["p_value"] < 0.05
        took = time.perf_counter() - began
        print(f"{k:7d} | {100 * wald / args.runs:5.1f} % {100 * ri / args.runs:5.1f} % | "
              f"{100 * eff_analytic / args.runs:5.1f} % {100 * eff / args.runs:5.1f} % | {took:.1f}")


if __name__ == "__main__":
    main()
