"""Time the whole website build: from an empty cache, from a warm cache, and after editing one chapter.

    python benchmarks/site_build.py --profile quick
    python benchmarks/site_build.py --profile standard --edit chapters/01_how_lstms_work/01_introduction.ipynb

The book is copied to a scratch folder (the repository is not touched) and built there with
``jupyter-book build -W`` three times:

1. **cold**: empty execution cache, every chapter executed;
2. **warm**: nothing changed, nothing executed (only Sphinx's work);
3. **one edit**: a comment is added to the first code cell of one chapter (``--edit``), so that
   chapter, and only it, is executed again.

It prints the wall time of each build, and the execution time of every notebook from the
execution cache (jupyter-cache). A benchmark, not a test: it prints figures and fails only if a
build fails. Set ``LSTM_COURSE_DATA`` when offline.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.site import book_files  # noqa: E402  (the list of files that make up the book)


def build(book: Path, out: Path, profile: str) -> tuple[float, str]:
    env = dict(os.environ, LSTM_COURSE_PROFILE=profile)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    result = subprocess.run(
        [str(jupyter_book), "build", str(book), "--path-output", str(out), "-W", "--keep-going"],
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        print(log[-4000:])
        raise SystemExit(f"the build failed (exit {result.returncode})")
    return seconds, log


def execution_times(out: Path, book: Path) -> dict[str, float]:
    """Seconds per notebook, as the execution cache recorded them."""
    from jupyter_cache import get_cache

    cache = get_cache(out / "_build" / ".jupyter_cache")
    return {
        Path(record.uri).resolve().relative_to(book.resolve()).as_posix(): record.data.get("execution_seconds", 0.0)
        for record in cache.list_cache_records()
    }


def edit_first_code_cell(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\n# edited by benchmarks/site_build.py"
    nbformat.write(nb, notebook)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("quick", "standard", "full"), default="quick")
    parser.add_argument(
        "--edit",
        default="chapters/01_how_lstms_work/01_introduction.ipynb",
        help="the chapter to edit before the third build",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (its path is printed)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="site_build_"))
    book, out = scratch / "book", scratch
    for rel in book_files():
        (book / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, book / rel)
    print(
        f"profile {args.profile}; {os.cpu_count()} CPU cores; {platform.machine()}; Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )

    cold, _ = build(book, out, args.profile)
    per_notebook = execution_times(out, book)
    warm, _ = build(book, out, args.profile)
    edit_first_code_cell(book / args.edit)
    edited, log = build(book, out, args.profile)
    reexecuted = log.count("Executing notebook")

    print(f"\n{'notebook':<72}{'seconds':>9}")
    for name, seconds in sorted(per_notebook.items()):
        print(f"{name:<72}{seconds:9.1f}")
    print(f"{'executing all notebooks':<72}{sum(per_notebook.values()):9.1f}")
    print(f"\ncold build (empty cache):        {cold:8.1f} s")
    print(f"warm rebuild (nothing changed):  {warm:8.1f} s")
    print(f"rebuild after editing {args.edit}: {edited:8.1f} s ({reexecuted} notebook(s) executed)")
    if args.keep:
        print(f"scratch folder: {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
