"""What each chapter asks of its reader: words, figures, code, glued numbers and assertions.

    python benchmarks/chapter_stats.py            # a table per part, with the reading budgets
    python benchmarks/chapter_stats.py --check    # exit 1 if a budget is exceeded

Words are counted in the Markdown cells (exercises and solutions included), as ``\\w+`` runs, so
a formula counts its symbols. Figures are the code cells that draw (``plt.``, ``.plot(``, a
``plots.``/``diagrams.`` call, or ``display(``) plus Markdown images. Glued numbers are the
``{glue:...}`` roles in the prose; assertions are ``assert`` statements, ``np.testing`` checks and
``expect_error`` blocks in the code.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The reading budgets: words of Markdown per chapter, and per group of chapters: (label, part
# folders, chapters left out, budget). Parts I and II were rewritten under one budget that includes
# the chapter on training from scratch (the chapter on a trained LSTM's cells, added later with its
# own brief, keeps to the per-chapter budget); Part IV's budget covers the chapters it had before
# the chapter on shipping a model joined it.
CHAPTER_WORDS = 4_500
PART_WORDS = [
    ("Parts I and II", ("01_how_lstms_work", "02_lstms_for_language"), ("05_inside_a_trained_lstm",), 35_000),
    ("Part IV without 'shipping'", ("04_in_practice",), ("08_shipping_an_lstm",), 22_000),
]
MAX_CODE_CELL_LINES = 40

_WORD = re.compile(r"\w+")
_FIGURE_CODE = re.compile(r"plt\.|\.plot\(|plots\.|diagrams\.|\bdisplay\(|\.imshow\(|fig, ")
_IMAGE = re.compile(r"!\[[^\]]*\]\(|```\{(figure|image)\}|<img ")
_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`")
_ASSERT = re.compile(r"^\s*assert\b|np\.testing\.assert|expect_error\(", re.M)


def chapters() -> list[Path]:
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def stats(path: Path) -> dict:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    prose = "\n".join(markdown)
    return {
        "words": len(_WORD.findall(prose)),
        "figures": sum(bool(_FIGURE_CODE.search(c)) for c in code) + len(_IMAGE.findall(prose)),
        "code_cells": len(code),
        "code_lines": sum(len([ln for ln in c.splitlines() if ln.strip()]) for c in code),
        "longest_cell": max((len(c.splitlines()) for c in code), default=0),
        "glued": len(_GLUE_ROLE.findall(prose)),
        "assertions": sum(len(_ASSERT.findall(c)) for c in code),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if a reading budget is exceeded")
    args = parser.parse_args()
    rows = {path: stats(path) for path in chapters()}
    problems = []
    columns = ("words", "figures", "code_cells", "code_lines", "longest_cell", "glued", "assertions")
    by_part: dict[str, list[Path]] = {}
    for path in rows:
        by_part.setdefault(path.parent.name, []).append(path)
    for part, paths in by_part.items():
        print(f"\n{part}")
        print(f"  {'chapter':<48}" + "".join(f"{c:>13}" for c in columns))
        for path in paths:
            row = rows[path]
            print(f"  {path.stem:<48}" + "".join(f"{row[c]:>13,}" for c in columns))
            if row["words"] > CHAPTER_WORDS:
                problems.append(f"{path.relative_to(ROOT)}: {row['words']:,} words (budget {CHAPTER_WORDS:,})")
            if row["longest_cell"] > MAX_CODE_CELL_LINES:
                problems.append(
                    f"{path.relative_to(ROOT)}: a code cell of {row['longest_cell']} lines "
                    f"(at most {MAX_CODE_CELL_LINES})"
                )
        total = {c: sum(rows[p][c] for p in paths) for c in columns}
        print(f"  {'total':<48}" + "".join(f"{'':>13}" if c == "longest_cell" else f"{total[c]:>13,}" for c in columns))
    print()
    for label, parts, left_out, budget in PART_WORDS:
        words = sum(rows[p]["words"] for p in rows if p.parent.name in parts and p.stem not in left_out)
        print(f"{label}: {words:,} words (budget {budget:,})")
        if words > budget:
            problems.append(f"{label}: {words:,} words (budget {budget:,})")
    if problems:
        print("\nOver budget:\n  " + "\n  ".join(problems))
    else:
        print("\nEvery reading budget is met.")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
