"""The simulated staggered panel with covariates and its reference values from csdid 0.4.3.

Step 1 (any Python with numpy) writes data/reference/staggered_covariates.csv: 400 units,
2001-2006, cohorts 2003/2004/2005 and never treated, treatment more likely with higher x1,
trends that depend on x1 (parallel only given the covariates), a time-varying x2 and a unit
weight w. Step 2 needs csdid 0.4.3 and pandas (`pip install csdid==0.4.3 pandas`; they are not
project dependencies) and writes data/reference/csdid_0.4.3_staggered_covariates.json: ATT(g, t)
and the four aggregations with analytic standard errors (bstrap=False) for both control groups,
both base periods, with and without covariates and weights, plus the critical values of the
uniform bands (20,000 multiplier draws) and a result on an unbalanced copy.

    python scripts/reference/csdid_staggered_covariates.py simulate
    /path/to/csdid-venv/bin/python scripts/reference/csdid_staggered_covariates.py reference
"""

import csv
import json
import random
import sys
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
PANEL = REFERENCE / "staggered_covariates.csv"
OUT = REFERENCE / "csdid_0.4.3_staggered_covariates.json"
CONFIGS = [(cg, bp, xf, wn) for cg in ("nevertreated", "notyettreated") for bp in ("varying", "universal")
           for xf, wn in ((None, None), ("y~x1+x2", None), ("y~x1+x2", "w"), ("y~x1", "w"))]


def simulate() -> None:
    rng = np.random.default_rng(2026)
    n, years = 400, list(range(2001, 2007))
    x1 = rng.normal(size=n)
    treated = rng.random(n) < 0.7 / (1 + np.exp(-0.8 * x1))
    first = np.where(treated, rng.choice([2003, 2004, 2005], size=n), 0)
    w = np.round(rng.uniform(0.5, 2.0, size=n), 3)
    alpha = rng.normal(size=n)
    with open(PANEL, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["unit", "year", "y", "first_treat", "x1", "x2", "w"])
        for i in range(n):
            for k, t in enumerate(years):
                x2 = round(0.5 * x1[i] + 0.3 * k + rng.normal(scale=0.5), 4)
                effect = (1.0 + 0.5 * (t - first[i])) if first[i] and t >= first[i] else 0.0
                y = alpha[i] + 0.2 * k + 0.5 * k * x1[i] + 0.3 * x2 + effect + rng.normal(scale=0.5)
                out.writerow([f"u{i:03d}", t, round(y, 6), first[i], round(x1[i], 6), x2, w[i]])


def unbalanced_rows() -> list[dict]:
    """The panel less 60 rows drawn with seed 3 (also used by the test)."""
    with open(PANEL, newline="") as f:
        rows = list(csv.DictReader(f))
    drop = set(random.Random(3).sample(range(len(rows)), 60))
    return [r for i, r in enumerate(rows) if i not in drop]


def reference() -> None:
    import warnings

    import pandas as pd
    from csdid.att_gt import ATTgt

    warnings.filterwarnings("ignore")
    df = pd.read_csv(PANEL)
    df["id"] = df["unit"].str[1:].astype(int)
    out: dict = {"configs": {}}
    for cg, bp, xf, wn in CONFIGS:
        m = ATTgt(yname="y", tname="year", idname="id", gname="first_treat", data=df, control_group=[cg],
                  xformla=xf, weights_name=wn).fit(est_method="dr", base_period=bp, bstrap=False)
        r = m.results
        cells = [[int(g), int(t), float(a), float(s)]
                 for g, t, a, s in zip(r["group"], r["year"], r["att"], r["se"], strict=True)]
        agg = {}
        for typ in ("simple", "dynamic", "group", "calendar"):
            m.aggte(typec=typ, bstrap=False)
            res = m.atte
            agg[typ] = {"overall": [float(res["overall_att"]), float(res["overall_se"])]}
            if typ != "simple":
                agg[typ]["by"] = [[float(e), float(v), float(s)]
                                  for e, v, s in zip(res["egt"], res["att_egt"], res["se_egt"], strict=True)]
        out["configs"][f"{cg}|{bp}|{xf}|{wn}"] = {"cells": cells, "agg": agg}
    np.random.seed(1)
    never = ["nevertreated"]
    m = ATTgt(yname="y", tname="year", idname="id", gname="first_treat", data=df, control_group=never,
              xformla="y~x1+x2", weights_name="w", biters=20000).fit(est_method="dr", bstrap=False)
    out["critical_values"] = {}
    for typ in ("dynamic", "group", "calendar"):
        m.aggte(typec=typ, bstrap=True, cband=True, biters=20000)
        out["critical_values"][typ] = float(m.atte["crit_val_egt"])
    ub = pd.DataFrame(unbalanced_rows())
    ub = ub.astype({"year": int, "y": float, "first_treat": int, "x1": float, "x2": float, "w": float})
    ub["id"] = ub["unit"].str[1:].astype(int)
    m = ATTgt(yname="y", tname="year", idname="id", gname="first_treat", data=ub, control_group=never,
              xformla="y~x1+x2").fit(est_method="dr", bstrap=False)
    m.aggte(typec="simple", bstrap=False)
    out["unbalanced_simple"] = [float(m.atte["overall_att"]), float(m.atte["overall_se"])]
    OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    {"simulate": simulate, "reference": reference}[sys.argv[1]]()
