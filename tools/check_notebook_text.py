"""Fail on control characters in notebook cells: a sign of an escape written wrongly.

A Python string like ``"\alpha"`` holds a bell character (``\\a``) followed by ``lpha``; written
into a Markdown cell, the equation silently loses its ``\\a``. Tabs and newlines are allowed.

    python tools/check_notebook_text.py [NOTEBOOK ...]      # default: every chapter

Exit status 1 lists every offending cell and line (pre-commit runs this on staged notebooks).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"\n", "\t"}


def control_characters(path: Path) -> list[str]:
    """One line per control character found in ``path``'s cell sources: where, and which."""
    problems = []
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for line_number, line in enumerate(source.split("\n"), start=1):
            for char in line:
                if char not in ALLOWED and unicodedata.category(char) == "Cc":
                    problems.append(
                        f"{path}: cell {number} ({cell['cell_type']}), line {line_number}: "
                        f"control character U+{ord(char):04X} in {line.strip()[:60]!r}"
                    )
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "chapters").rglob("*.ipynb"))
    problems = [p for path in paths if path.suffix == ".ipynb" for p in control_characters(path)]
    for problem in problems:
        print(problem)
    if problems:
        print("Write backslashes in Python strings as raw strings (r'\\alpha') or doubled ('\\\\alpha').")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
