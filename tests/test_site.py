"""The website builds, executed, with warnings treated as errors; every page is there and its links resolve.

The ``built_site`` fixture (tests/conftest.py) reuses the notebooks nbval has just executed.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.book


def _pages(site):
    """The site's pages; the theme's Jinja templates copied into _static are not pages."""
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] not in ("_static", "_sources")
    }


def test_every_chapter_has_a_page(built_site):
    pages = _pages(built_site)
    chapters = sorted(p.relative_to(ROOT).with_suffix(".html").as_posix() for p in (ROOT / "chapters").rglob("*.ipynb"))
    for chapter in chapters:
        assert chapter in pages, f"{chapter} was not built"


def test_executed_pages_show_figures_and_no_errors(built_site):
    pages = _pages(built_site)
    chapters = {k: v for k, v in pages.items() if k.startswith("chapters/")}
    for name, html in chapters.items():
        assert "Traceback (most recent call last)" not in html, f"{name} shows a traceback"
        assert "Run profile:" in html, f"{name} does not say which profile it ran under"
        assert "absl::InitializeLog" not in html and "oneDNN custom operations are on" not in html, (
            f"{name} shows TensorFlow's start-up log"
        )
    with_images = [name for name, html in chapters.items() if re.search(r'<img[^>]+src="[^"]*_images/', html)]
    assert len(with_images) >= len(chapters) - 1, f"only {with_images} show figures"


def test_math_diagrams_and_citations_are_rendered(built_site):
    html = "\n".join(_pages(built_site).values())
    assert 'class="math' in html
    assert 'class="mermaid' in html
    assert "Hochreiter" in _pages(built_site)["references.html"]


def test_computed_numbers_are_glued_into_the_prose(built_site):
    """Numbers that the prose quotes come from the notebook's own run (myst-nb's glue)."""
    pages = _pages(built_site)
    unresolved = [name for name, html in pages.items() if "{glue" in html]
    assert not unresolved, f"glue roles left unresolved in {unresolved}"
    glued = [name for name, html in pages.items() if 'class="pasted-text"' in html]
    assert len(glued) >= 2, f"only {glued} put computed numbers into their prose"


def test_mathjax_is_served_with_the_site(built_site):
    """Equations render offline: every page loads MathJax from the site itself, not from a CDN."""
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    chapter = _pages(built_site)["chapters/01_how_lstms_work/03_the_lstm_cell.html"]
    assert "_static/mathjax/tex-chtml.js" in chapter and "cdn.jsdelivr.net/npm/mathjax" not in chapter


def test_mermaid_is_served_with_the_site(built_site):
    """Diagrams render offline: pages load the site's copy of mermaid, of the configured version."""
    import yaml

    static = built_site / "_static" / "mermaid"
    assert (static / "loader.mjs").is_file() and (static / "mermaid.min.js").is_file()
    version = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["mermaid_version"]
    assert f'version:"{version}"' in (static / "mermaid.min.js").read_text(encoding="utf-8"), (
        f"_ext/static/mermaid is not mermaid {version}: run `make vendor-mermaid MERMAID_VERSION={version}`"
    )
    chapter = _pages(built_site)["chapters/01_how_lstms_work/01_introduction.html"]
    assert "_static/mermaid/loader.mjs" in chapter
    assert not [name for name, html in _pages(built_site).items() if "cdn.jsdelivr.net" in html]


# A <script src> or stylesheet <link href> that names another host (or is protocol-relative).
_EXTERNAL_ASSET = re.compile(
    r"<script\b[^>]*\bsrc=[\"'](?:https?:)?//[^\"']+|<link\b(?=[^>]*\brel=[\"']?stylesheet)[^>]*\bhref=[\"'](?:https?:)?//[^\"']+",
    re.IGNORECASE,
)


def test_no_page_loads_scripts_or_styles_from_another_host(built_site):
    """Every page works offline: no script or stylesheet comes from a CDN (jsDelivr, cdnjs, unpkg or any
    other host), on pages the browser test opens and on those it does not."""
    assert _EXTERNAL_ASSET.search('<script src="https://cdnjs.cloudflare.com/x.js">')  # the pattern itself
    assert not _EXTERNAL_ASSET.search('<script src="_static/x.js">')
    external = {
        name: sorted(set(_EXTERNAL_ASSET.findall(html)))
        for name, html in _pages(built_site).items()
        if _EXTERNAL_ASSET.search(html)
    }
    assert not external, f"pages that load scripts or styles from outside the site: {external}"


def test_the_notebooks_offered_for_download_are_executed(built_site):
    """`_sources/` holds each chapter as executed by the build, not its output-free source."""
    import nbformat

    for notebook in sorted((ROOT / "chapters").rglob("*.ipynb")):
        rel = notebook.relative_to(ROOT)
        published = nbformat.read(built_site / "_sources" / rel, as_version=4)
        outputs = [cell.outputs for cell in published.cells if cell.cell_type == "code" and cell.outputs]
        assert outputs, f"_sources/{rel} has no outputs: the download button would give the unexecuted notebook"
