"""The website as a reader meets it: pages served on 127.0.0.1 and opened in headless Chromium.

Everything is asserted from the rendered DOM, after the page's scripts have run. A screenshot of
each page is saved in ``test-artifacts/screenshots/``. Needs Debian's ``chromium`` and
``chromium-driver`` packages (``.ci/run`` installs them).
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
pytestmark = pytest.mark.book

LANDING = "index.html"
THEORY_CHAPTER = "chapters/01_how_lstms_work/03_the_lstm_cell.html"
NOTEBOOK_CHAPTER = "chapters/03_beyond_text/02_real_series_prices_and_weather.html"


@pytest.fixture(scope="module")
def site_url(built_site):
    """Serve the built site on a free port of 127.0.0.1 for the duration of the module."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _open(browser, site_url, page):
    """Load a page, let its scripts finish, and save a screenshot."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site_url + page)
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / (page.replace("/", "__").replace(".html", ".png"))))


def _toc_titles() -> list[str]:
    """The chapter titles in reading order: each notebook's (or page's) first heading."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    titles = []
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            path = ROOT / chapter["file"]
            if path.with_suffix(".ipynb").is_file():
                first = nbformat.read(path.with_suffix(".ipynb"), as_version=4).cells[0].source
            else:
                first = path.with_suffix(".md").read_text()
            heading = next(line for line in first.splitlines() if line.startswith("# "))
            titles.append(heading[2:].strip())
    return titles


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _dom_links(browser) -> list[str]:
    return browser.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)")


def _assert_internal_links_resolve(browser, site_url):
    local = {urldefrag(href)[0] for href in _dom_links(browser) if href.startswith(site_url)}
    missing = [href for href in sorted(local) if _status(href) != 200]
    assert not missing, f"links on {browser.current_url} that the site does not serve: {missing}"


def test_landing_page_lists_every_chapter_in_reading_order(browser, site_url):
    _open(browser, site_url, LANDING)
    sidebar = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav.bd-docs-nav a.reference.internal'),"
        " a => a.textContent.trim())")
    titles = _toc_titles()
    positions = []
    for title in titles:
        matches = [i for i, text in enumerate(sidebar) if title in text]
        assert matches, f"the sidebar does not list {title!r}; it shows {sidebar}"
        positions.append(matches[0])
    assert positions == sorted(positions), "the sidebar is not in the order of _toc.yml"
    intro = browser.find_element("css selector", "article").text
    assert "profile" in intro.lower(), "the landing page does not say how to run the course"
    _assert_internal_links_resolve(browser, site_url)


def test_theory_chapter_renders_equations_and_diagrams(browser, site_url):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, site_url, THEORY_CHAPTER)
    # MathJax is served with the site (sphinx-mathjax-offline), so it must typeset offline too.
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.querySelectorAll('mjx-container').length") > 0)
    typeset = browser.execute_script("return document.querySelectorAll('mjx-container').length")
    raw = browser.execute_script(
        "return Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length")
    assert typeset >= 5 and raw == 0, f"{typeset} equations typeset, {raw} left as raw TeX"
    diagrams = browser.execute_script("return document.querySelectorAll('.mermaid').length")
    assert diagrams >= 1, "the chapter's mermaid diagram is missing"
    # Mermaid itself comes from a CDN: where it loaded, every diagram must have become a drawing.
    if browser.execute_script("return typeof window.mermaid !== 'undefined'"):
        WebDriverWait(browser, 30).until(lambda d: d.execute_script(
            "return Array.from(document.querySelectorAll('.mermaid')).every(e => e.querySelector('svg'))"))
    _assert_internal_links_resolve(browser, site_url)


def test_notebook_chapter_shows_executed_figures(browser, site_url):
    _open(browser, site_url, NOTEBOOK_CHAPTER)
    images = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img'),"
        " img => [img.src, img.complete && img.naturalWidth > 0])")
    assert images, "no figure from an executed cell"
    broken = [src for src, loaded in images if not loaded]
    assert not broken, f"figures that did not load: {broken}"
    text = browser.find_element("css selector", "article").text
    assert "Run profile:" in text and "Traceback" not in text
    # Cells that only draw a figure are folded behind a toggle, with their output shown.
    hidden = browser.execute_script(
        "return document.querySelectorAll('.tag_hide-input details.hide, .tag_hide-input .toggle-details').length")
    assert hidden >= 1, "no figure cell has its code folded away (tag: hide-input)"
    _assert_internal_links_resolve(browser, site_url)


def test_search_finds_the_chapters(browser, site_url):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site_url + "search.html?q=forget+gate")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.querySelectorAll('#search-results ul.search li').length") > 0)
    hits = browser.execute_script(
        "return Array.from(document.querySelectorAll('#search-results ul.search li a'), a => a.href)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "search.png"))
    assert any("/chapters/01_how_lstms_work/" in href for href in hits), f"searching 'forget gate' found {hits}"


def test_launch_buttons_follow_the_repository_setting(browser, site_url):
    _open(browser, site_url, NOTEBOOK_CHAPTER)
    repo = CONFIG["repository"]["url"].rstrip("/")
    branch = CONFIG["repository"].get("branch", "main")
    owner_and_name = repo.removeprefix("https://github.com/")
    notebook = NOTEBOOK_CHAPTER.replace(".html", ".ipynb")
    launch = CONFIG["launch_buttons"]
    expected = {
        "binder": f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{owner_and_name}/{branch}"
                  f"?urlpath=lab/tree/{notebook}",
        "colab": f"{launch['colab_url'].rstrip('/')}/github/{owner_and_name}/blob/{branch}/{notebook}",
        "repository": repo,
    }
    links = set(_dom_links(browser))
    for name, url in expected.items():
        assert url in links, f"no {name} link {url} on the page"
    downloads = [href for href in links if href.startswith(site_url) and href.endswith(".ipynb")]
    assert downloads, "the page offers no download of its notebook"
    assert all(_status(href) == 200 for href in downloads)


def test_internal_links_of_every_page_resolve(built_site, site_url):
    """A link check over the whole built site, against the served pages (not the browser)."""
    import re

    pages_linking = {}
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        if rel.split("/")[0] in ("_static", "_sources"):
            continue
        for href in set(re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8"))):
            url = urldefrag(urljoin(site_url + rel, href))[0]
            if url.startswith(site_url):
                pages_linking.setdefault(url, rel)
    assert len(pages_linking) > 50, "the link check found almost nothing to check"
    missing = [f"{rel} -> {url}" for url, rel in sorted(pages_linking.items()) if _status(url) != 200]
    assert not missing, "broken internal links:\n" + "\n".join(missing[:30])
