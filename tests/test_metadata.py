"""One version, one repository URL, and the licences and citation that name them."""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
OWNER, NAME = REPOSITORY.removeprefix("https://github.com/").split("/")


def _package_version() -> str:
    """``lstm_course.__version__``, read without importing the package (and TensorFlow)."""
    tree = ast.parse((ROOT / "lstm_course" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return node.value.value
    raise AssertionError("lstm_course/__init__.py has no __version__")


def test_the_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "lstm_course.__version__"}
    assert importlib.metadata.version("lstm_course") == _package_version(), "reinstall: pip install -e ."
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == _package_version()


def test_the_package_declares_what_it_imports():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.match(r"[A-Za-z0-9_.-]+", d).group(0).lower() for d in dependencies}
    assert {"keras", "numpy", "matplotlib", "tqdm"} <= names


def test_citation_and_licences():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["title"] == CONFIG["title"]
    assert citation["repository-code"] == REPOSITORY
    assert citation["url"] == f"https://{OWNER}.github.io/{NAME}/"
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    content = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0/legalcode" in content


def test_readme_badges_point_at_the_repository():
    readme = (ROOT / "README.md").read_text()
    badges = {
        "website": f"(https://{OWNER}.github.io/{NAME}/)",
        "CI": f"(https://github.com/{OWNER}/{NAME}/actions/workflows/ci.yml/badge.svg)",
        "Binder": f"(https://mybinder.org/v2/gh/{OWNER}/{NAME}/main?urlpath=lab/tree/chapters)",
        "Colab": f"(https://colab.research.google.com/github/{OWNER}/{NAME}/blob/main/chapters/",
    }
    for badge, link in badges.items():
        assert link in readme, f"the README's {badge} badge does not point at {REPOSITORY}"
    colab = re.search(r"colab\.research\.google\.com/github/[^/]+/[^/]+/blob/main/(\S+?\.ipynb)", readme).group(1)
    assert (ROOT / colab).is_file(), f"the Colab badge opens {colab}, which does not exist"
