"""Every chapter opens with the setup cell of tools/notebook_setup.py, and that cell works where
the course is not installed (Colab): it installs the package, once, and sets the Keras backend."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import notebook_setup  # noqa: E402  (tools/ is not a package)

NOTEBOOKS = notebook_setup.chapters()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_opens_with_the_setup_cell(nb):
    found = notebook_setup.problems(nbformat.read(nb, as_version=4), notebook_setup.canonical_source())
    assert not found, f"{nb.name}: {'; '.join(found)}. Run `python tools/notebook_setup.py`."


def test_the_cell_installs_from_the_configured_repository():
    url, branch = notebook_setup.repository()
    assert f'COURSE_PACKAGE = "lstm_course @ git+{url}@{branch}"' in notebook_setup.canonical_source()


def test_inserting_the_cell_is_idempotent_and_keeps_the_setup_cell_next(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("import lstm_course as lc\n\nprofile = lc.start_notebook(seed=0)"),
    ]
    source = notebook_setup.canonical_source()
    assert notebook_setup.apply(nb, source)
    once = nbformat.writes(nb)
    assert not notebook_setup.apply(nb, source), "a second run changed the notebook"
    assert nbformat.writes(nb) == once
    assert [c.get("id") for c in nb.cells][1] == notebook_setup.CELL_ID
    assert "lc.start_notebook" in nb.cells[2].source
    assert not notebook_setup.problems(nb, source)
    nb.cells[1].source += "\n# edited by hand"
    assert notebook_setup.problems(nb, source), "--check must notice an edited setup cell"


def test_set_repository_url_rewrites_the_setting_the_badges_and_the_citation(tmp_path, monkeypatch):
    for name in ("_config.yml", "README.md", "CITATION.cff"):
        shutil.copy2(ROOT / name, tmp_path / name)
    config = (ROOT / "_config.yml").read_text()
    old = notebook_setup.repository()[0].removeprefix("https://github.com/")
    monkeypatch.setattr(notebook_setup, "ROOT", tmp_path)
    notebook_setup.set_repository_url("https://github.com/someone/their-lstm-course")
    changed = (tmp_path / "_config.yml").read_text()
    assert notebook_setup.repository()[0] == "https://github.com/someone/their-lstm-course"
    assert len(changed.splitlines()) == len(config.splitlines())
    assert sum(a != b for a, b in zip(config.splitlines(), changed.splitlines())) == 1
    for name in ("README.md", "CITATION.cff"):
        text = (tmp_path / name).read_text()
        assert old not in text and "someone/their-lstm-course" in text, name
    assert "someone.github.io/their-lstm-course" in (tmp_path / "README.md").read_text()


def _package_copy(target: Path) -> Path:
    """The files `pip install` needs to build lstm_course, outside the worktree (pip builds in place)."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "lstm_course", target / "lstm_course", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_setup_cell_installs_the_package_in_an_environment_without_it(tmp_path):
    """Colab, simulated: a fresh venv without lstm_course runs the cell verbatim, except that the
    package comes from a local copy of this repository instead of GitHub (the stand-in)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The venv borrows this environment's libraries (NumPy, pip, ...) through a plain path entry,
    # which does not run this environment's .pth files: lstm_course's editable install stays invisible.
    (site_packages / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KERAS_BACKEND")}
    env["PIP_NO_DEPS"] = "1"  # the dependencies are borrowed; only the course's package is installed
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    work = tmp_path / "work"
    work.mkdir()
    probe = [str(python), "-c", "import importlib.util; print(importlib.util.find_spec('lstm_course'))"]
    assert subprocess.run(probe, cwd=work, env=env, capture_output=True, text=True).stdout.strip() == "None"

    package = _package_copy(tmp_path / "repo")
    url, branch = notebook_setup.repository()
    cell = notebook_setup.canonical_source()
    stand_in = cell.replace(f"git+{url}@{branch}", package.as_uri())
    assert stand_in != cell
    script = (
        stand_in + "\n\nprint('backend:', os.environ['KERAS_BACKEND'])\n"
        "import lstm_course\nprint('imported from', lstm_course.__file__, lstm_course.__version__)\n"
    )
    first = subprocess.run([str(python), "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Installing the course's helper package" in first.stdout
    assert "backend: tensorflow" in first.stdout
    assert f"imported from {site_packages}" in first.stdout, first.stdout
    # Once installed, the cell does nothing but set the backend.
    again = stand_in + "\n\nprint('backend:', os.environ['KERAS_BACKEND'])\n"
    second = subprocess.run([str(python), "-c", again], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Installing" not in second.stdout and "backend: tensorflow" in second.stdout


def test_the_pdf_leaves_the_setup_cell_out():
    """_ext/course_site.py removes cells tagged course-setup from LaTeX builds only."""
    from types import SimpleNamespace

    from docutils import nodes

    sys.path.insert(0, str(ROOT / "_ext"))
    import course_site

    assert "course-setup" in notebook_setup.TAGS
    for builder_format, kept in (("latex", 1), ("html", 2)):
        doctree = nodes.section()
        doctree += nodes.container(classes=["cell", "tag_hide-input", "tag_course-setup"])
        doctree += nodes.container(classes=["cell"])
        course_site.drop_setup_cells(SimpleNamespace(builder=SimpleNamespace(format=builder_format)), doctree, "x")
        assert len(doctree.children) == kept, builder_format
