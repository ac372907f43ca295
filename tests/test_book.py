"""The website builds from scratch, executed, with warnings treated as errors."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    env = dict(os.environ, LSTM_COURSE_PROFILE=os.environ.get("LSTM_COURSE_PROFILE", "quick"))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "--keep-going"],
        capture_output=True, text=True, env=env, timeout=3000,
    )
    log = result.stdout + result.stderr
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "book-build.log").write_text(log)
    assert result.returncode == 0, f"jupyter-book build failed:\n{log[-6000:]}"
    return out / "_build" / "html"


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
        assert "absl::InitializeLog" not in html and "oneDNN" not in html, f"{name} shows TensorFlow's start-up log"
    with_images = [name for name, html in chapters.items() if re.search(r'<img[^>]+src="[^"]*_images/', html)]
    assert len(with_images) >= len(chapters) - 1, f"only {with_images} show figures"


def test_math_diagrams_and_citations_are_rendered(built_site):
    html = "\n".join(_pages(built_site).values())
    assert 'class="math' in html
    assert 'class="mermaid' in html
    assert "Hochreiter" in _pages(built_site)["references.html"]


def test_internal_links_resolve(built_site):
    missing = []
    for name, html in _pages(built_site).items():
        page = built_site / name
        for href in re.findall(r'href="([^"#?]+)(?:[#?][^"]*)?"', html):
            if re.match(r"^[a-z]+:|^//", href):
                continue
            if not (page.parent / href).resolve().exists():
                missing.append(f"{name} -> {href}")
    assert not missing, "broken internal links:\n" + "\n".join(missing[:20])
