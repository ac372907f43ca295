"""The book as one PDF (`make pdf`): every chapter, with its equations, diagrams and figures.

Building the PDF takes minutes and a LaTeX toolchain (benchmarks/README.md), so `make test` does
not build it: this test checks the PDF that `make pdf` wrote (or the one named by
``LSTM_COURSE_TEST_PDF``, as the publishing workflow does), and is skipped, saying so, when there
is none.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def pdf() -> Path:
    named = os.environ.get("LSTM_COURSE_TEST_PDF")
    path = Path(named) if named else ROOT / "_build" / "latex" / "lstm-course.pdf"
    if not path.is_file():
        if named:
            pytest.fail(f"LSTM_COURSE_TEST_PDF={named} does not exist")
        pytest.skip(f"no PDF at {path.relative_to(ROOT)}: run `make pdf` to build and check it")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (make pdf installs it)")
    return path


def _poppler(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True, timeout=120).stdout


def _page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf)), re.M).group(1))


def _chapter_page(pdf: Path, notebook: Path) -> int:
    """The page where a chapter's text begins: the first words of its first paragraph."""
    intro = nbformat.read(notebook, as_version=4).cells[0].source.split("\n\n")[1]
    words = " ".join(re.sub(r"[*_`$\\]", "", intro).split()[:6])
    pages = [" ".join(page.split()) for page in _poppler("pdftotext", str(pdf), "-").split("\f")]
    found = [i + 1 for i, page in enumerate(pages) if words in page]
    assert found, f"the PDF lacks the opening words of {notebook.name}: {words!r}"
    return found[0]


def test_every_chapter_is_in_the_pdf(pdf):
    text = " ".join(_poppler("pdftotext", str(pdf), "-").split())
    for notebook in sorted((ROOT / "chapters").rglob("*.ipynb")):
        title = nbformat.read(notebook, as_version=4).cells[0].source.splitlines()[0].removeprefix("# ").strip()
        assert title in text, f"the PDF lacks the chapter {title!r}"
    assert _page_count(pdf) > 100


def test_a_chapter_page_reads_as_text_with_its_equations_and_diagram(pdf):
    """The LSTM-cell chapter's page: its prose as text and math set in a math font."""
    page = _chapter_page(pdf, ROOT / "chapters" / "01_how_lstms_work" / "03_the_lstm_cell.ipynb")
    text = _poppler("pdftotext", "-f", str(page), "-l", str(page + 6), "-layout", str(pdf), "-")
    assert "forget gate" in text and "cell state" in text.lower(), text[:2000]
    fonts = _poppler("pdffonts", "-f", str(page), "-l", str(page + 6), str(pdf))
    assert re.search(r"CMMI|LMMath|LatinModernMath|CMSY", fonts), f"no math font on those pages:\n{fonts}"


def test_figures_are_in_the_pdf(pdf):
    """Figures from executed cells: raster images at least 400 pixels wide (matplotlib's are ~800)."""
    rows = [line.split() for line in _poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]]
    figures = [row for row in rows if row[2] == "image" and int(row[3]) >= 400]
    assert len(figures) >= 20, f"only {len(figures)} figures in the PDF: were the notebooks executed?"
