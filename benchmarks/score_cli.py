"""`wijkinzicht score` on a 1,000,000-row survey file, end to end (process start, reading,
checking, scoring, writing), for djg11 (issue 4's target: under 10 s) and djg6.

The issue names no reference tool. For djg11 the same file is also scored by a plain reference:
the scale's rules written row by row with the csv module, as a researcher would in a short
Python script (no numpy, no Django). It is timed in the same run, and its output is compared
with the command's, row by row: the two must agree on every score and category."""

import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["ja!", "ja", "min of meer", "nee", "nee!", "Ja", "Min-of-meer", "NEE", ""]
ITEMS = {"djg11": list(range(1, 12)), "djg6": [3, 4, 7, 8, 9, 10]}


def survey(path: Path, instrument: str, rows: int) -> None:
    rng = random.Random(4)
    items = ITEMS[instrument]
    with path.open("w", encoding="utf-8") as f:
        f.write("respondent;wijk;" + ";".join(f"djg_{n}" for n in items) + "\n")
        for i in range(rows):
            answers = ";".join(rng.choice(WORDS) for _ in items)
            f.write(f"R{i};WK0363{i % 100:02d};{answers}\n")


EMOTIONAL = {2, 3, 5, 6, 9, 10}  # negatively worded: "ja", "ja!" and "min of meer" count as lonely
CATEGORIES = [(0, 2, "niet eenzaam"), (3, 8, "matig eenzaam"), (9, 10, "ernstig eenzaam"), (11, 11, "zeer ernstig eenzaam")]


def reference_djg11(src: Path, out: Path) -> None:
    """The 11-item scale as in PRODUCT.md and decision 0009, one row at a time."""
    words = {"ja!": 0, "ja": 1, "minofmeer": 2, "nee": 3, "nee!": 4}
    with src.open(encoding="utf-8", newline="") as f, out.open("w", encoding="utf-8", newline="") as g:
        reader = csv.DictReader(f, delimiter=";")
        writer = csv.writer(g, delimiter=";")
        writer.writerow([*reader.fieldnames, "score", "emotional", "social", "category"])
        for row in reader:
            lonely = {}
            for n in range(1, 12):
                word = row[f"djg_{n}"].strip().lower().replace(" ", "").replace("-", "")
                if word:
                    code = words[word]
                    lonely[n] = code <= 2 if n in EMOTIONAL else code >= 2
            emotional = sum(lonely[n] for n in EMOTIONAL) if lonely.keys() >= EMOTIONAL else ""
            social_items = set(range(1, 12)) - EMOTIONAL
            social = sum(lonely[n] for n in social_items) if lonely.keys() >= social_items else ""
            total = emotional + social if len(lonely) == 11 else ""
            category = next((c for lo, hi, c in CATEGORIES if lo <= total <= hi), "") if total != "" else ""
            writer.writerow([*row.values(), total, emotional, social, category])


def same_scores(a: Path, b: Path) -> int:
    """Number of rows compared; AssertionError at the first row where the files disagree."""
    def numeric(v):
        return "" if v == "" else float(v)

    with a.open(encoding="utf-8", newline="") as f, b.open(encoding="utf-8", newline="") as g:
        n = 0
        for n, (x, y) in enumerate(zip(csv.DictReader(f, delimiter=";"), csv.DictReader(g, delimiter=";"), strict=True)):
            for col in ("score", "emotional", "social"):
                assert numeric(x[col]) == numeric(y[col]), (n + 2, col, x[col], y[col])
            assert x["category"] == y["category"], (n + 2, x["category"], y["category"])
        return n + 1


def main(rows: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for instrument in ITEMS:
            src, out = Path(tmp) / f"{instrument}.csv", Path(tmp) / f"{instrument}-scores.csv"
            survey(src, instrument, rows)
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "wijkinzicht", "score", instrument, str(src), "--out", str(out)],
                check=True,
                capture_output=True,
            )
            wall = time.perf_counter() - t
            n = sum(1 for _ in out.open(encoding="utf-8")) - 1
            size = src.stat().st_size / 1e6
            print(f"score {instrument}: {rows} rows in {wall:.2f} s ({size:.0f} MB in, {n} rows out)")
            if instrument == "djg11":
                ref = Path(tmp) / "reference.csv"
                t = time.perf_counter()
                reference_djg11(src, ref)
                print(f"  reference (csv module, row by row): {time.perf_counter() - t:.2f} s; "
                      f"scores and categories agree on all {same_scores(out, ref)} rows")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
