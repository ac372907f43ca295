"""The checks of .pre-commit-config.yaml, run on the whole repository with the venv's tools.

pre-commit runs them on each commit for those who installed it; these tests make CI run them
for everyone, with the versions pinned in requirements.lock.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = {
    hook["id"]: hook
    for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
    for hook in repo["hooks"]
}
NOTEBOOKS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").rglob("*.ipynb"))


def _tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    if not path.is_file():
        pytest.fail(f"{name} is not installed in {path.parent}: `make venv` installs requirements-dev.txt")
    return str(path)


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _locked_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def test_every_hook_is_local_and_pins_the_locked_version():
    """No hook is fetched from GitHub, and pre-commit's tools are the versions CI tests with."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert all(repo["repo"] == "local" for repo in config["repos"]), "hooks must not need GitHub"
    locked = _locked_versions()
    for hook in HOOKS.values():
        for requirement in hook.get("additional_dependencies", []):
            name, _, version = requirement.partition("==")
            assert version, f"hook {hook['id']}: pin {requirement} with =="
            assert locked.get(name.lower()) == version, (
                f"hook {hook['id']} installs {requirement}, requirements.lock has {locked.get(name.lower())}"
            )
    assert {"nbstripout", "notebook-control-characters", "ruff-check", "ruff-format"} <= set(HOOKS)


def test_ruff_lint():
    result = _run([_tool("ruff"), "check", "--no-fix", "--output-format", "concise", "."])
    assert result.returncode == 0, (
        f"ruff check found problems (`ruff check --fix .` fixes some):\n{result.stdout[-6000:]}{result.stderr}"
    )


def test_ruff_format():
    result = _run([_tool("ruff"), "format", "--check", "."])
    assert result.returncode == 0, f"run `ruff format .`:\n{result.stdout[-6000:]}{result.stderr}"


def test_notebooks_are_stripped_as_the_hook_strips_them():
    """Outputs, execution counts, jupytext residue and editor metadata stay out of the repository."""
    entry = shlex.split(HOOKS["nbstripout"]["entry"])
    assert entry[0] == "nbstripout" and "--keep-id" in entry, "cell ids are kept (the guide's convention)"
    extra = entry[entry.index("--extra-keys") + 1].split()
    assert {"metadata.jupytext", "cell.metadata.lines_to_next_cell"} <= set(extra)
    result = _run([_tool("nbstripout"), *entry[1:], "--verify", *NOTEBOOKS])
    assert result.returncode == 0, f"run `pre-commit run nbstripout --all-files`:\n{result.stdout}{result.stderr}"


def test_notebook_sources_have_no_control_characters():
    result = _run([sys.executable, "tools/check_notebook_text.py", *NOTEBOOKS])
    assert result.returncode == 0, result.stdout


def test_the_control_character_check_catches_a_mistyped_escape(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("$\\sum_t \alpha_t$")]  # "\a" is a bell character
    nbformat.write(nb, tmp_path / "bad.ipynb")
    result = _run([sys.executable, "tools/check_notebook_text.py", str(tmp_path / "bad.ipynb")])
    assert result.returncode == 1 and "U+0007" in result.stdout
