"""Run a chapter, then the code of its exercise solutions, in one kernel, and print what they print.

    python benchmarks/run_solutions.py chapters/02_lstms_for_language/07_named_entity_recognition.ipynb
    python benchmarks/run_solutions.py CHAPTER --solutions 3 --profile standard
    python benchmarks/run_solutions.py CHAPTER --solutions 3 --replace 'mask_zero=True)(case_in)' ')(case_in)'

A solution's code lives in the Markdown of its dropdown (```` ```python ```` blocks), so neither nbval
nor the site build ever runs it. This script does: it executes every code cell of the chapter (with
its own folder as the working directory, as the site build does, in the profile given), then the
Python blocks of the chosen solutions, each after the previous one, and prints their output and
wall time. It fails if a solution raises. ``--replace OLD NEW`` runs a variant of the solutions'
code (the text OLD replaced by NEW wherever it occurs, at least once), for example the uncorrected form of a fix.
Figures the solutions quote are measured this way and recorded on ``measurements.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SOLUTION = re.compile(r"^(`{3,})\{admonition\} Solution (\d+)\s*$(.*?)^\1\s*$", re.M | re.S)
_PYTHON = re.compile(r"^```python\s*$(.*?)^```\s*$", re.M | re.S)


def solution_code(notebook) -> dict[int, str]:
    """The Python blocks of each solution, joined: {solution number: code}."""
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return {
        int(number): "\n\n".join(block.strip("\n") for block in _PYTHON.findall(body))
        for _, number, body in _SOLUTION.findall(markdown)
    }


def main() -> int:
    import nbformat
    from nbclient import NotebookClient

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chapter", type=Path)
    parser.add_argument("--solutions", type=int, nargs="*", help="solution numbers (default: all with code)")
    parser.add_argument("--profile", default="quick", choices=("quick", "standard", "full"))
    parser.add_argument("--replace", nargs=2, metavar=("OLD", "NEW"), help="run the solutions with OLD replaced by NEW")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    parser.add_argument("--output", type=Path, help="also write the executed notebook (chapter and solutions) here")
    args = parser.parse_args()

    notebook = nbformat.read(args.chapter, as_version=4)
    solutions = solution_code(notebook)
    chosen = args.solutions or [n for n, code in sorted(solutions.items()) if code]
    missing = [n for n in chosen if not solutions.get(n)]
    if missing:
        parser.error(f"{args.chapter.name} has no Python code in solution(s) {missing}; it has {sorted(solutions)}")
    extra, replaced = [], 0
    for number in chosen:
        code = solutions[number]
        if args.replace and args.replace[0] in code:
            code, replaced = code.replace(*args.replace), replaced + 1
        extra.append((number, nbformat.v4.new_code_cell(code)))
    if args.replace and not replaced:
        parser.error(f"--replace: {args.replace[0]!r} occurs in none of the chosen solutions")
    first_extra = len(notebook.cells)
    notebook.cells += [cell for _, cell in extra]

    os.environ["LSTM_COURSE_PROFILE"] = args.profile
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    client = NotebookClient(
        notebook,
        timeout=args.timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(args.chapter.resolve().parent)}},
    )
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            cell_started = time.perf_counter()
            client.execute_cell(cell, index)  # raises CellExecutionError if the cell fails
            if index >= first_extra:
                number = extra[index - first_extra][0]
                print(f"--- solution {number} ({time.perf_counter() - cell_started:.0f} s)")
                for output in cell.outputs:
                    text = output.get("text") or output.get("data", {}).get("text/plain", "")
                    print(text.rstrip())
    print(f"--- {args.chapter.name}, profile {args.profile}: {time.perf_counter() - started:.0f} s in all")
    if args.output:
        nbformat.write(notebook, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
