"""Give every chapter the same first code cell, which makes it run on Colab as well as locally.

The cell installs the course's helper package only where it is missing (Colab, a fresh Jupyter),
from the repository that `_config.yml` names (``repository.url`` and ``repository.branch``), and
sets ``KERAS_BACKEND`` before anything imports Keras. Where the package is installed (``make venv``,
Binder, the tests, the website build) it does nothing but set the backend.

    python tools/notebook_setup.py                   # insert or update the cell in every chapter
    python tools/notebook_setup.py --check           # exit 1 if a chapter lacks the current cell
    python tools/notebook_setup.py --repository https://github.com/OWNER/NAME
                                                     # first set repository.url in _config.yml
                                                     # (and the README's badges, CITATION.cff)

The cell goes right before the notebook's first other code cell and keeps the id ``install-course``;
running the script again changes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CELL_ID = "install-course"
# Folded on the website, where the package is always installed; left out of the PDF
# (_ext/course_site.py drops cells tagged "course-setup" from the LaTeX build).
TAGS = ["hide-input", "course-setup"]

TEMPLATE = """\
# Colab, or a Jupyter without the course: install its helper package (a few seconds, only once).
import importlib
import importlib.util
import os
import subprocess
import sys

os.environ["KERAS_BACKEND"] = "tensorflow"  # before Keras is imported: the course runs on TensorFlow
COURSE_PACKAGE = "lstm_course @ git+{url}@{branch}"
if importlib.util.find_spec("lstm_course") is None:
    print(f"Installing the course's helper package: pip install '{{COURSE_PACKAGE}}'")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", COURSE_PACKAGE], check=True)
    importlib.invalidate_caches()"""


def repository() -> tuple[str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return config["url"].rstrip("/"), config.get("branch", "main")


def canonical_source(url: str | None = None, branch: str | None = None) -> str:
    default_url, default_branch = repository()
    return TEMPLATE.format(url=url or default_url, branch=branch or default_branch)


# Files that name the repository besides _config.yml: badges, citation.
NAMING_THE_REPOSITORY = ("README.md", "CITATION.cff")


def set_repository_url(url: str) -> None:
    """Rewrite ``repository.url`` in _config.yml (keeping its comments and layout), and the
    repository's owner/name in the README's badges and CITATION.cff."""
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise SystemExit(f"--repository must look like https://github.com/OWNER/NAME, not {url!r}")
    old_owner, old_name = repository()[0].removeprefix("https://github.com/").split("/")
    new_owner, new_name = url.removeprefix("https://github.com/").split("/")
    path = ROOT / "_config.yml"
    text = path.read_text()
    new, count = re.subn(r"(?m)^(repository:\n(?:[ \t]+.*\n|[ \t]*\n)*?[ \t]+url:[ \t]*)\S+", rf"\g<1>{url}", text)
    if count != 1:
        raise SystemExit("_config.yml: could not find repository.url")
    path.write_text(new)
    for name in NAMING_THE_REPOSITORY:
        other = ROOT / name
        if other.is_file():
            text = other.read_text()
            text = text.replace(f"{old_owner}.github.io/{old_name}", f"{new_owner}.github.io/{new_name}")
            other.write_text(text.replace(f"{old_owner}/{old_name}", f"{new_owner}/{new_name}"))


def _is_setup_cell(cell) -> bool:
    return cell.get("id") == CELL_ID


def apply(nb, source: str) -> bool:
    """Put the canonical cell before the first other code cell of ``nb``; return whether it changed."""
    before = nbformat.writes(nb)
    nb.cells = [cell for cell in nb.cells if not _is_setup_cell(cell)]
    cell = nbformat.v4.new_code_cell(source, id=CELL_ID)
    cell.metadata["tags"] = list(TAGS)
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, cell)
    return nbformat.writes(nb) != before


def problems(nb, source: str) -> list[str]:
    """Why ``nb`` does not open with the canonical cell (empty when it does)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or not _is_setup_cell(code[0]):
        return [f"its first code cell is not the setup cell (id {CELL_ID!r})"]
    found = []
    if code[0].source != source:
        found.append("the setup cell differs from tools/notebook_setup.py's (run it to update)")
    if code[0].metadata.get("tags") != TAGS:
        found.append(f"the setup cell's tags are {code[0].metadata.get('tags')}, not {TAGS}")
    if sum(_is_setup_cell(c) for c in nb.cells) != 1:
        found.append("the setup cell appears more than once")
    return found


def chapters() -> list[Path]:
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs the update")
    parser.add_argument("--repository", help="set repository.url in _config.yml to this GitHub URL first")
    args = parser.parse_args(argv)
    if args.repository:
        set_repository_url(args.repository.rstrip("/"))
    source = canonical_source()
    failed = 0
    for path in args.notebooks or chapters():
        nb = nbformat.read(path, as_version=4)
        if args.check:
            for problem in problems(nb, source):
                print(f"{path}: {problem}")
                failed = 1
        elif apply(nb, source):
            nbformat.write(nb, path)
            print(f"updated {path}")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
