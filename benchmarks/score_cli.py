"""`wijkinzicht score djg6` on a 1,000,000-row survey file, end to end (process start, reading,
checking, scoring, writing). Issue 4's target names djg11; only djg6 exists so far."""

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["ja!", "ja", "min of meer", "nee", "nee!", "Ja", "Min-of-meer", "NEE", ""]


def main(rows: int = 1_000_000) -> None:
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "enquete.csv", Path(tmp) / "scores.csv"
        with src.open("w", encoding="utf-8") as f:
            f.write("respondent;wijk;djg_3;djg_4;djg_7;djg_8;djg_9;djg_10\n")
            for i in range(rows):
                answers = ";".join(rng.choice(WORDS) for _ in range(6))
                f.write(f"R{i};WK0363{i % 100:02d};{answers}\n")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "wijkinzicht", "score", "djg6", str(src), "--out", str(out)],
                       check=True, capture_output=True)
        wall = time.perf_counter() - t
        n = sum(1 for _ in out.open(encoding="utf-8")) - 1
        print(f"score djg6: {rows} rows in {wall:.2f} s ({src.stat().st_size / 1e6:.0f} MB in, {n} rows out)")


if __name__ == "__main__":
    main()
