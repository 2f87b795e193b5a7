"""`wijkinzicht score` on a 1,000,000-row survey file, end to end (process start, reading,
checking, scoring, writing), for djg11 (issue 4's target: under 10 s) and djg6."""

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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
