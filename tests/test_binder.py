"""The files Binder (repo2docker) reads give an environment in which every chapter can run.

Binder cannot be launched from here (no internet), so these tests check what repo2docker would
do with the repository: which files it reads, that they pin Python and install the helper
package, and that every package a notebook imports is a direct requirement.
"""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").rglob("*.ipynb"))
# Files that repo2docker would prefer to requirements.txt, or run in addition to it.
OVERRIDING = ["environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "Project.toml", "install.R", "apt.txt"]


def _requirement_names() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        match = re.match(r"([A-Za-z0-9_.\-]+)", line)
        if match and not line.startswith("-"):
            names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return names


def _imported_modules(nb_path: Path) -> set[str]:
    modules = set()
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def test_binder_reads_requirements_and_a_python_pin():
    present = [name for name in OVERRIDING if (ROOT / name).exists()]
    assert not present, f"repo2docker would use {present} instead of (or besides) requirements.txt"
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), f"runtime.txt must read like python-3.11, not {runtime!r}"
    minor = int(runtime.split(".")[1])
    assert minor >= 10, "pyproject.toml requires Python 3.10 or newer"


def test_requirements_install_the_helper_package_and_the_book():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines, "Binder must install lstm_course from the repository (`-e .`)"
    names = _requirement_names()
    for needed in ("jupyter-book", "jupyterlab", "ipywidgets", "nbval", "keras", "matplotlib"):
        assert needed in names, f"{needed} is missing from requirements.txt"
    assert any(name.startswith("tensorflow") for name in names)


def test_every_package_a_notebook_imports_is_a_direct_requirement():
    distributions = importlib.metadata.packages_distributions()
    names = _requirement_names() | {"lstm-course"}
    missing = {}
    for nb in NOTEBOOKS:
        for module in _imported_modules(nb):
            if module in sys.stdlib_module_names or module == "lstm_course":
                continue
            provided_by = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [module])}
            if not provided_by & names:
                missing.setdefault(module, []).append(nb.name)
    assert not missing, f"imported by notebooks but not in requirements.txt: {missing}"


def test_the_widget_explorer_has_its_jupyterlab_extension():
    """ipywidgets renders in JupyterLab only with the widget manager extension installed."""
    assert importlib.metadata.version("jupyterlab_widgets")
    extension = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager"
    assert (extension / "package.json").is_file(), f"{extension} is missing: reinstall ipywidgets"
