"""Build the website for the tests, reusing the notebooks that nbval has just executed.

The book is copied to a staging folder; each chapter with a valid executed copy (see
:mod:`tests.executed`) is replaced by it and excluded from execution, and the rest are executed
by the build as usual. So `make test` executes every notebook once, not twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.executed import executed_copy, run_profile

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def book_files() -> list[Path]:
    """The repository's files (tracked, or new and not ignored), relative to the root."""
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True)
    if listing.returncode == 0:
        return [Path(line) for line in listing.stdout.splitlines() if (ROOT / line).is_file()]
    skip = {".git", ".venv", "_build", "test-artifacts"}
    return [p.relative_to(ROOT) for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def stage_book(stage: Path) -> list[str]:
    """Copy the book into ``stage``, executed copies in place of their sources; return those reused."""
    for rel in book_files():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, stage / rel)
    reused = []
    for notebook in sorted((ROOT / "chapters").rglob("*.ipynb")):
        executed = executed_copy(notebook)
        if executed is not None:
            rel = notebook.relative_to(ROOT).as_posix()
            shutil.copy2(executed, stage / rel)
            reused.append(rel)
    config_path = stage / "_config.yml"
    config = yaml.safe_load(config_path.read_text())
    config.setdefault("execute", {})["exclude_patterns"] = reused
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return reused


def build_site(out: Path, builder: str = "html") -> tuple[Path, list[str]]:
    """Build the site (or, with ``builder="pdflatex"``, the PDF) under ``out`` with ``-W``; return
    the output folder (``_build/html`` or ``_build/latex``) and the reused notebooks."""
    stage = out / "book"
    reused = stage_book(stage)
    env = dict(os.environ, LSTM_COURSE_PROFILE=run_profile())  # the profile nbval ran
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(stage), "--path-output", str(out), "--builder", builder, "-W", "--keep-going"],
        capture_output=True,
        text=True,
        env=env,
        timeout=3000,
    )
    log = result.stdout + result.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"book-build-{builder}.log").write_text(
        f"reused from the nbval run ({len(reused)}): {', '.join(reused) or 'none'}\n\n{log}"
    )
    assert result.returncode == 0, f"jupyter-book build failed:\n{log[-6000:]}"
    return out / "_build" / ("latex" if builder == "pdflatex" else builder), reused
