"""Executed copies of the chapters: written by the nbval run, read by the website test.

A copy is valid only for the notebook source, helper package and run profile it was made from;
:func:`executed_copy` checks all three, so a stale copy is never rendered.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
EXECUTED_DIR = ROOT / "_build" / "nbval"


def _profiles_module():
    """``lstm_course/profiles.py`` loaded on its own (it needs only the standard library).

    Importing it as ``lstm_course.profiles`` runs the package's ``__init__``, which imports
    TensorFlow (6 to 8 s): every pytest process loads this module through the root conftest,
    including the ones that never run a model (the xdist controller, the website stage).
    """
    spec = importlib.util.spec_from_file_location("_lstm_course_profiles", ROOT / "lstm_course" / "profiles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_profiles = _profiles_module()


def run_profile() -> str:
    """The profile the notebooks run under."""
    return _profiles.current_profile()


def fingerprint(nb) -> str:
    """A hash of the notebook's cells, the helper package's code and the run profile."""
    digest = hashlib.sha256(run_profile().encode())
    cells = [(cell.cell_type, cell.source, sorted(cell.get("metadata", {}).get("tags", []))) for cell in nb.cells]
    digest.update(json.dumps(cells).encode())
    for module in sorted((ROOT / "lstm_course").rglob("*.py")):
        digest.update(module.relative_to(ROOT).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _copy_path(source: Path) -> Path:
    return EXECUTED_DIR / Path(source).resolve().relative_to(ROOT)


def save_executed(source: Path, nb, outputs: dict[int, list]) -> Path | None:
    """Write ``nb`` with the outputs nbval collected (``{code cell number: outputs}``)."""
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    if sorted(outputs) != list(range(len(code_cells))):
        return None  # some cells did not run (a test selection, or an interrupted run)
    executed = copy.deepcopy(nb)
    for number, cell in enumerate(c for c in executed.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.from_dict(dict(out)) for out in outputs[number]]
        cell.execution_count = number + 1
        for out in cell.outputs:
            if out.output_type == "execute_result":
                out.execution_count = number + 1
    executed.metadata["lstm_course"] = {"profile": run_profile(), "fingerprint": fingerprint(nb)}
    target = _copy_path(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".ipynb.part")
    nbformat.write(executed, partial)
    partial.replace(target)
    return target


def executed_copy(source: Path) -> Path | None:
    """The executed copy of ``source`` if one exists and was made from what is here now."""
    target = _copy_path(source)
    if not target.is_file():
        return None
    executed = nbformat.read(target, as_version=4)
    stamp = executed.metadata.get("lstm_course", {})
    current = nbformat.read(source, as_version=4)
    if stamp.get("profile") != run_profile() or stamp.get("fingerprint") != fingerprint(current):
        return None
    return target
