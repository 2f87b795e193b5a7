"""Run every benchmark and print its figures (see docs/benchmarks.md)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
for name in ("import_housing", "profile_page", "api_load"):
    runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
