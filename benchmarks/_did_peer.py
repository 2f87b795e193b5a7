"""One reference tool on one DiD design, in its own interpreter (the bench venv of
benchmarks/did_peers.py): reads the panel CSV, times the estimation, prints one JSON line.

    python _did_peer.py {csdid,differences,pyfixest} PANEL.csv
"""

import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def main() -> None:
    tool, path = sys.argv[1], sys.argv[2]
    began = time.perf_counter()
    import numpy as np
    import pandas as pd

    df = pd.read_csv(path)
    read = time.perf_counter() - began
    start = time.perf_counter()
    if tool == "csdid":
        from csdid.att_gt import ATTgt

        model = ATTgt(yname="y", tname="year", idname="id", gname="first_treat", data=df,
                      control_group=["nevertreated"]).fit(est_method="dr", bstrap=False)
        model.aggte(typec="simple", bstrap=False)
        estimate, se = float(model.atte["overall_att"]), float(model.atte["overall_se"])
        cells = {f"{int(g)}-{int(t)}": float(a) for g, t, a in
                 zip(model.results["group"], model.results["year"], model.results["att"], strict=True)}
    elif tool == "differences":
        from differences import ATTgt

        data = df.assign(cohort=df["first_treat"].where(df["first_treat"] > 0)).set_index(["id", "year"])
        model = ATTgt(data=data, cohort_column="cohort")
        model.fit(formula="y", est_method="reg", control_group="never_treated", progress_bar=False)
        simple = model.aggregate("simple")
        estimate, se = float(simple.iloc[0, 0]), float(simple.iloc[0, 1])
        table = model.results()
        cells = {f"{int(g)}-{int(t)}": float(a) for (g, _b, t), a in
                 zip(table.index, table.iloc[:, 0], strict=True)}
    elif tool == "pyfixest":
        import pyfixest as pf

        treated = df["first_treat"] == 2019
        df["rel"] = np.where(treated, df["year"] - 2019, -1000)
        df = df[(df["first_treat"] == 0) | treated]
        fit = pf.feols("y ~ i(rel, ref=-1) | id + year", data=df.assign(rel=df["rel"].astype(int)),
                       vcov={"CRV1": "id"})
        coef = fit.coef()
        names = [n for n in coef.index if "-1000" not in n]
        estimate, se = float(coef[names].mean()), float(fit.se()[names].mean())
        cells = {n: float(coef[n]) for n in names}
    else:
        raise SystemExit(f"unknown tool {tool}")
    took = time.perf_counter() - start
    print(json.dumps({"tool": tool, "read": read, "estimation": took, "estimate": estimate, "se": se,
                      "cells": cells}))


if __name__ == "__main__":
    main()
