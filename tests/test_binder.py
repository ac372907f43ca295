"""The files Binder (repo2docker) reads give an environment in which every chapter can run.

Binder cannot be launched from here (no internet), so these tests check what repo2docker would
do with the repository: which files it reads (the `binder/` folder, which makes it ignore the
root), that they pin Python and install the helper package at the locked versions, and that every
package a notebook imports is a direct requirement.
"""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import nbformat
from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
NOTEBOOKS = sorted((ROOT / "chapters").rglob("*.ipynb"))
# Files that repo2docker would prefer to requirements.txt, or run in addition to it.
OVERRIDING = [
    "environment.yml",
    "Pipfile",
    "Pipfile.lock",
    "setup.py",
    "Project.toml",
    "install.R",
    "apt.txt",
    "postBuild",
    "start",
    "Dockerfile",
]
# The machine Binder builds on (mybinder.org: x86-64 Linux), with the Python of binder/runtime.txt.
BINDER_PYTHON = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
BINDER_ENV = {
    "python_version": BINDER_PYTHON,
    "python_full_version": f"{BINDER_PYTHON}.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(environment: dict) -> dict[str, str]:
    """The versions requirements.lock pins on a machine described by ``environment``."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        name_version, _, marker = line.partition(";")
        name, _, version = name_version.strip().partition("==")
        if not marker.strip() or Marker(marker).evaluate(environment):
            pins[_normal(name)] = version
    return pins


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


def test_binder_reads_its_folder_requirements_and_a_python_pin():
    present = sorted(p.name for p in BINDER.iterdir())
    assert present == ["requirements.txt", "runtime.txt"], f"binder/ holds {present}: repo2docker would run the others"
    assert not (ROOT / ".binder").exists(), "repo2docker would read .binder/ or binder/, not both"
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), f"runtime.txt must read like python-3.11, not {runtime!r}"
    minor = int(runtime.split(".")[1])
    assert minor >= 10, "pyproject.toml requires Python 3.10 or newer"


def test_binder_installs_the_requirements_through_the_lock():
    """binder/requirements.txt adds the course's requirements and constrains them with the lock."""
    lines = [line.split("#")[0].strip() for line in (BINDER / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert lines == ["-r ../requirements.txt", "-c ../requirements.lock"], lines
    for line in lines:  # pip resolves nested files relative to the file that names them
        assert (BINDER / line.split()[1]).resolve().is_file()


def test_the_lock_pins_every_requirement_within_its_range():
    """On Binder's machine (and this one), every requirement is pinned, inside the range it states."""
    for environment in (BINDER_ENV, None):
        pins = _locked(environment or {})
        for file in ("requirements.txt", "requirements-dev.txt"):
            for line in (ROOT / file).read_text().splitlines():
                line = line.split("#")[0].strip()
                if not line or line.startswith("-"):
                    continue
                requirement = Requirement(line)
                if requirement.marker and not requirement.marker.evaluate(environment):
                    continue
                pinned = pins.get(_normal(requirement.name))
                assert pinned, f"requirements.lock does not pin {requirement.name} ({file}); run `make lock`"
                assert requirement.specifier.contains(pinned, prereleases=True), (
                    f"requirements.lock pins {requirement.name}=={pinned}, outside {requirement.specifier} ({file})"
                )


def test_this_environment_was_installed_from_the_lock():
    """Every locked package installed here has the locked version (`make venv` installs through the lock)."""
    different = {}
    for name, version in _locked({}).items():
        if name in ("pip", "setuptools", "wheel"):
            continue  # the venv's own installers, seeded by `python -m venv`
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if installed != version:
            different[name] = f"installed {installed}, locked {version}"
    assert not different, f"run `make venv` (or pip install -c requirements.lock): {different}"


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
