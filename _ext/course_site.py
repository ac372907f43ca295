"""The course's own Sphinx additions (``sphinx.local_extensions`` in _config.yml).

- Static files from ``_ext/static``: the dark-mode style for figures (``course.css``) and the copy
  of mermaid that the site serves (``mermaid/``, loaded through ``mermaid_use_local``), so that
  diagrams render offline. Outside the book's ``_static`` folder on purpose: Jupyter Book would
  add every ``.js`` file there to every page.
- The PDF (``make pdf``): without mermaid's own command line (``mmdc``, from npm), diagrams are
  drawn for LaTeX by ``mermaid_pdf.py`` beside this file, with the same copy of mermaid.
- The PDF leaves out the chapters' Colab setup cell (tagged ``course-setup``), which a reader of
  paper has no use for.
- The download button gives the *executed* notebook: Sphinx copies each chapter's source, stored
  without outputs, to ``_sources/``; when the build finishes, the notebook as myst-nb executed it
  (``_build/jupyter_execute/``) replaces that copy, so a reader who downloads a chapter, or opens
  it from the site, sees its outputs before running anything.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

STATIC = Path(__file__).resolve().parent / "static"
logger = logging.getLogger(__name__)


def _configure(app: Sphinx, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    if config.mermaid_cmd == "mmdc" and not shutil.which("mmdc"):
        # A string, as the setting is declared (a list would be a config warning, fatal under -W).
        config.mermaid_cmd = shlex.join([sys.executable, str(Path(__file__).with_name("mermaid_pdf.py"))])


def publish_executed_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    executed_root = Path(app.outdir).parent / "jupyter_execute"
    sources = Path(app.outdir) / "_sources"
    copied = 0
    for docname in sorted(app.env.found_docs):
        if not app.env.doc2path(docname).endswith(".ipynb"):
            continue
        executed = executed_root.joinpath(*f"{docname}.ipynb".split("/"))
        published = sources.joinpath(*f"{docname}.ipynb".split("/"))
        if executed.is_file() and published.is_file():
            shutil.copyfile(executed, published)
            copied += 1
        else:
            logger.warning(f"no executed copy of {docname}.ipynb to publish ({executed})")
    logger.info(f"published {copied} executed notebooks in _sources/")


def drop_setup_cells(app: Sphinx, doctree, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.Element) and "tag_course-setup" in n["classes"])):
        node.parent.remove(node)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure)
    app.add_css_file("course.css")
    app.connect("build-finished", publish_executed_notebooks)
    app.connect("doctree-resolved", drop_setup_cells)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
