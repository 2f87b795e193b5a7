"""Difference-in-differences against the reference tools issue 15 names, side by side in one run,
on the national buurt panel: every Dutch buurt with % rented dwellings in each year 2013-2025
(real CBS figures, data/cbs/nl_kwb_housing_2013_2025.csv), 1,500 of them given a fictitious start
in 2017, 2019 or 2021 (500 each, seed 1), the others never treated.

1. Callaway & Sant'Anna (never-treated controls, varying base period, analytic se): ours
   against csdid 0.4.3 and differences 0.3.0; estimates compared cell by cell.
2. TWFE event study for the 2019 cohort against the never treated, clustered by buurt: ours
   against pyfixest 0.60.0.
For each: the estimation alone (in its own process, after reading the data) and the whole
command (a fresh process that reads the CSV and prints the result: `wijkinzicht evaluate did`
for ours; a short script for the others, benchmarks/_did_peer.py).

    make bench   (installs the peers into .venv-bench)   or
    .venv/bin/python benchmarks/did_peers.py [--peer-python .venv-bench/bin/python]
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wijkinzicht.analysis.evaluation import Panel, difference_in_differences  # noqa: E402


def national_panel(folder: Path) -> tuple[Path, Panel, dict[str, int]]:
    with open(ROOT / "data" / "cbs" / "nl_kwb_housing_2013_2025.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_type"] == "buurt"]
    panel = Panel.from_records(rows, unit="region_code", time="year", outcome="pct_huurwoningen")
    complete = [i for i, row in enumerate(panel.outcome) if not np.isnan(row).any()]
    rng = np.random.default_rng(1)
    chosen = rng.choice(complete, 1500, replace=False)
    starts = {panel.units[i]: (2017, 2019, 2021)[k % 3] for k, i in enumerate(chosen)}
    units = [panel.units[i] for i in complete]
    panel = Panel.from_arrays(units, panel.periods, panel.outcome[complete], outcome_name="y")
    path = folder / "national_buurten.csv"
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "year", "y", "first_treat"])
        for k, unit in enumerate(units):
            for j, year in enumerate(panel.periods):
                out.writerow([k + 1, int(year), panel.outcome[k, j], starts.get(unit, 0)])
    return path, panel, starts


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peer(python: str, tool: str, path: Path) -> dict:
    start = time.perf_counter()
    done = subprocess.run([python, str(ROOT / "benchmarks" / "_did_peer.py"), tool, str(path)],
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"tool": tool, "error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["command"] = wall
    return result


def ours_command(path: Path, *extra: str) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "wijkinzicht"), "evaluate", "did", "--panel", str(path),
                           "--unit", "id", "--time", "year", "--outcome", "y", *extra, "--json"],
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return wall, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    args = parser.parse_args()
    have_peers = Path(args.peer_python).exists()
    folder = Path(tempfile.mkdtemp(prefix="wijkinzicht-did-peers-"))
    path, panel, starts = national_panel(folder)
    print("# Difference-in-differences against csdid, differences and pyfixest")
    print(f"{len(panel.units):,} buurten x {len(panel.periods)} years (2013-2025, every year known), "
          f"1,500 with a fictitious start (500 each in 2017, 2019, 2021)")
    if not have_peers:
        print(f"(no reference tools: {args.peer_python} does not exist; `make bench` installs them)")

    print("\n## 1. Callaway & Sant'Anna, never-treated controls, simple ATT with analytic se")
    t_est, result = timed(lambda: difference_in_differences(panel, starts, control_group="never"))
    t_cmd, _ = ours_command(path, "--cohort", "first_treat", "--control-group", "never")
    ours_cells = {f"{c['cohort']}-{c['period']}": c["estimate"] for c in result.details["att_gt"]}
    print("| tool | estimation (s) | whole command (s) | simple ATT | se | max cell difference to ours |")
    print("|---|---|---|---|---|---|")
    print(f"| Wijkinzicht (with 1,000 bootstrap draws for the bands; the command adds honest DiD) | "
          f"{t_est:.2f} | {t_cmd:.2f} | {result.estimate:.6f} | {result.se:.6f} | — |")
    for tool in ("csdid", "differences") if have_peers else ():
        out = peer(args.peer_python, tool, path)
        if "error" in out:
            print(f"| {tool} | failed: {out['error'][:80]} | | | | |")
            continue
        diff = max(abs(ours_cells[k] - v) for k, v in out["cells"].items() if k in ours_cells)
        print(f"| {tool} | {out['estimation']:.2f} | {out['command']:.2f} | {out['estimate']:.6f} | "
              f"{out['se']:.6f} | {diff:.1e} |")

    print("\n## 2. TWFE event study, 2019 cohort against the never treated, clustered by buurt")
    cohort = [u for u, g in starts.items() if g == 2019]
    others = [u for u, g in starts.items() if g != 2019]
    t_est, result = timed(lambda: difference_in_differences(panel, cohort, 2019, exclude=others, placebos=False))
    print("| tool | estimation (s) | whole command (s) | mean event-study effect after the start |")
    print("|---|---|---|---|")
    mean_after = float(np.mean([e["estimate"] for e in result.details["event_study"] if e["event_time"] >= 0]))
    print(f"| Wijkinzicht (TWFE, event study, clustered se, Wald pre-trend test) | {t_est:.2f} | — | "
          f"{mean_after:.6f} |")
    if have_peers:
        out = peer(args.peer_python, "pyfixest", path)
        if "error" in out:
            print(f"| pyfixest | failed: {out['error'][:80]} | | |")
        else:
            print(f"| pyfixest feols i(rel, ref=-1) CRV1 | {out['estimation']:.2f} | {out['command']:.2f} | "
                  f"{np.mean([v for k, v in out['cells'].items() if int(k.split('::')[-1].split(']')[0]) >= 0]):.6f}"
                  " |")


if __name__ == "__main__":
    main()
