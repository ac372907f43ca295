"""Print how long each chapter notebook takes to execute under a run profile.

    python benchmarks/notebook_times.py --profile quick            # every notebook
    python benchmarks/notebook_times.py --profile standard chapters/01_how_lstms_work/02_*.ipynb

Each notebook runs in a fresh kernel, as on the website. Results go to stdout as a table and to
benchmarks/results/notebook_times_<profile>.csv. This is a benchmark, not a test: it prints
figures and never fails on a slow notebook (a notebook that raises is reported as failed).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("quick", "standard", "full"), default="quick")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()

    notebooks = args.notebooks or sorted((ROOT / "chapters").rglob("*.ipynb"))
    notebooks = [nb for nb in notebooks if ".ipynb_checkpoints" not in nb.parts]
    os.environ["LSTM_COURSE_PROFILE"] = args.profile
    print(
        f"profile {args.profile}; {os.cpu_count()} CPU cores; {platform.processor() or platform.machine()}; "
        f"Python {platform.python_version()}"
    )
    rows = []
    for nb_path in notebooks:
        nb = nbformat.read(nb_path, as_version=4)
        client = NotebookClient(
            nb, timeout=None, kernel_name="python3", resources={"metadata": {"path": str(nb_path.parent)}}
        )
        start = time.perf_counter()
        try:
            client.execute()
            status = "ok"
        except CellExecutionError as exc:
            status = f"failed: {str(exc).strip().splitlines()[-1][:80]}"
        seconds = time.perf_counter() - start
        rows.append((nb_path.resolve().relative_to(ROOT).as_posix(), round(seconds, 1), status))
        print(f"{seconds:8.1f} s  {rows[-1][0]}  {status}", flush=True)
    total = sum(r[1] for r in rows)
    print(f"{total:8.1f} s  total for {len(rows)} notebooks")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"notebook_times_{args.profile}.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["notebook", "seconds", "status"])
        writer.writerows(rows)
    return 0 if all(r[2] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
