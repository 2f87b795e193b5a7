"""Run every benchmark and print its figures (see docs/benchmarks.md)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(HERE))
    for name in (
        "import_housing",
        "profile_page",
        "api_load",
        "evaluation_engine",
        "did_peers",
        "activities",
        "score_cli",
        "programme_page",
        "signals",
    ):
        runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")


if __name__ == "__main__":  # the evaluation benchmark starts worker processes that import this file
    main()
