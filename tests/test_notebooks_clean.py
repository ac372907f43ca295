"""The chapters follow the course's conventions (CONTRIBUTING.md)."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    stack = list(toc.get("parts", [])) + list(toc.get("chapters", []))
    while stack:
        entry = stack.pop()
        if "file" in entry:
            files.append(entry["file"])
        stack.extend(entry.get("chapters", []) + entry.get("sections", []))
    return files


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def test_there_are_chapters():
    assert NOTEBOOKS, "no notebooks under chapters/"


def test_every_notebook_is_in_the_table_of_contents_and_every_entry_exists():
    listed = set(_toc_files())
    for nb in NOTEBOOKS:
        assert nb.relative_to(ROOT).with_suffix("").as_posix() in listed, f"{nb.name} is missing from _toc.yml"
    for entry in listed:
        assert any((ROOT / f"{entry}{ext}").is_file() for ext in (".md", ".ipynb")), (
            f"_toc.yml lists {entry}, which does not exist"
        )


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(nb):
    for i, cell in enumerate(_cells(nb)):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{nb.name} cell {i} has stored outputs"
            assert cell["execution_count"] is None, f"{nb.name} cell {i} has an execution count"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_a_title_and_the_course_setup(nb):
    notebook = json.loads(nb.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    cells = notebook["cells"]
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# "), (
        f"{nb.name} must start with a title"
    )
    code = [_source(c) for c in cells if c["cell_type"] == "code"]
    setup = next((src for src in code[:3] if "lc.start_notebook(" in src), None)
    assert setup is not None, f"{nb.name} must call lc.start_notebook early"
    imports = [line for line in setup.splitlines() if line.startswith(("import ", "from "))]
    assert imports[0].startswith("import lstm_course as lc"), (
        f"{nb.name}: import lstm_course first, so that TensorFlow's start-up log stays off the page"
    )


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_training_output_renders_well_on_the_page(nb):
    for i, cell in enumerate(_cells(nb)):
        if cell["cell_type"] == "code":
            assert not re.search(r"verbose\s*=\s*1\b", _source(cell)), f"{nb.name} cell {i}: use verbose=2"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_ends_with_exercises_and_solutions(nb):
    markdown = "\n".join(_source(c) for c in _cells(nb) if c["cell_type"] == "markdown")
    assert re.search(r"^#+ Exercises", markdown, re.M), f"{nb.name} has no Exercises section"
    assert ":class: dropdown" in markdown, f"{nb.name} has no collapsible solutions"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_control_characters_in_the_sources(nb):
    # A Python string escape gone through ("\a" in "\alpha", "\t" in "\top") leaves a BEL or a TAB
    # that renders as garbage; tabs have no place in a notebook's source either.
    for i, cell in enumerate(_cells(nb)):
        bad = sorted({f"U+{ord(ch):04X}" for ch in _source(cell) if ord(ch) < 32 and ch != "\n"})
        assert not bad, f"{nb.name} cell {i} contains control characters {', '.join(bad)}"


def test_every_chapter_keeps_to_its_reading_budget():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "chapter_stats.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
