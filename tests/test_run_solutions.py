"""benchmarks/run_solutions.py finds the code of each exercise solution in a chapter's Markdown."""

import importlib.util
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("run_solutions", ROOT / "benchmarks" / "run_solutions.py")
run_solutions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_solutions)


def _notebook(*markdown):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown]
    return nb


def test_solution_code_joins_the_python_blocks_of_each_solution_and_skips_other_code():
    nb = _notebook(
        "## Exercises\n\n```python\nnot_a_solution()\n```",
        "````{admonition} Solution 1\n:class: dropdown\nText.\n\n```python\na = 1\n```\n\nMore.\n\n"
        "```python\nb = a + 1\n```\n````",
        "````{admonition} Solution 2\n:class: dropdown\nNo code here.\n````",
        "````{admonition} Solution 3\n:class: dropdown\n```python\nprint(b)\n```\n````",
    )
    assert run_solutions.solution_code(nb) == {1: "a = 1\n\nb = a + 1", 2: "", 3: "print(b)"}


def test_every_chapter_solution_with_code_is_found():
    for path in sorted((ROOT / "chapters").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        n_solutions = len(re.findall(r"\{admonition\} Solution \d+\s*$", markdown, re.M))
        assert len(run_solutions.solution_code(nb)) == n_solutions, path.name
