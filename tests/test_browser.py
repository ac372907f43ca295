"""The website as a reader meets it: pages served on 127.0.0.1 and opened in headless Chromium.

Everything is asserted from the rendered DOM, after the page's scripts have run. The browser is
offline: every request to anything but 127.0.0.1 fails, and each page is checked to have made none,
so diagrams (mermaid) and equations (MathJax) must come with the site. A screenshot of each page is
saved in ``test-artifacts/screenshots/``, in light and in dark mode. Needs Debian's ``chromium``
and ``chromium-driver`` packages (``.ci/run`` installs them).
"""

from __future__ import annotations

import functools
import http.server
import io
import json
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
THEORY_CHAPTER = "chapters/01_how_lstms_work/02_why_rnns_forget.html"
NOTEBOOK_CHAPTER = "chapters/03_beyond_text/02_real_series_prices_and_weather.html"


LOCAL_PREFIXES = ("http://127.0.0.1:", "data:", "blob:", "about:", "chrome:", "devtools:")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium that reaches 127.0.0.1 only, and logs every request a page makes."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.conftest import _browser_binaries

    chromium, driver_path = _browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--disable-gpu",
        # Offline: names resolve to nothing, and whatever still tries goes to a closed port.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _external_requests(browser) -> list[str]:
    """The non-local URLs requested since the last call (from Chromium's network log)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(LOCAL_PREFIXES):
                urls.append(url)
    return urls


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


def _open(browser, site_url, page, *, prefix=""):
    """Load a page, let its scripts finish, check that it asked for nothing from outside, save a screenshot."""
    from selenium.webdriver.support.ui import WebDriverWait

    _external_requests(browser)  # forget what earlier pages asked for
    browser.get(site_url + page)
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    _wait_for_diagrams(browser)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / (prefix + page.replace("/", "__").replace(".html", ".png"))))
    external = _external_requests(browser)
    assert not external, f"{page} requested files from outside the site, so it does not work offline: {external}"


def _wait_for_diagrams(browser):
    """Every mermaid diagram on the page becomes a drawing (mermaid is served with the site)."""
    from selenium.webdriver.support.ui import WebDriverWait

    if browser.execute_script("return document.querySelectorAll('.mermaid').length") == 0:
        return
    try:
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script(
                "return Array.from(document.querySelectorAll('.mermaid')).every(e => e.querySelector('svg'))"
            )
        )
    except Exception:
        raw = browser.execute_script(
            "return Array.from(document.querySelectorAll('.mermaid'), e => e.textContent.slice(0, 80))"
        )
        pytest.fail(f"mermaid diagrams left as text on {browser.current_url}: {raw}")


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
        " a => a.textContent.trim())"
    )
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
        lambda d: d.execute_script("return document.querySelectorAll('mjx-container').length") > 0
    )
    typeset = browser.execute_script("return document.querySelectorAll('mjx-container').length")
    raw = browser.execute_script(
        "return Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length"
    )
    assert typeset >= 5 and raw == 0, f"{typeset} equations typeset, {raw} left as raw TeX"
    diagrams = browser.execute_script("return document.querySelectorAll('.mermaid svg').length")
    assert diagrams >= 1, "the chapter's mermaid diagram is missing"
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('.mermaid svg'), s => s.textContent).join(' ')"
    )
    assert labels.strip(), "the mermaid drawing has no text: it did not render"
    _assert_internal_links_resolve(browser, site_url)


def test_every_page_with_a_diagram_draws_it_offline(browser, site_url, built_site):
    """Each page that holds mermaid diagrams renders all of them as SVG, with no request outside."""
    import re

    pages = sorted(
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if re.search(r'<pre\s+class="mermaid"', p.read_text(encoding="utf-8"))
        and p.relative_to(built_site).parts[0] not in ("_static", "_sources")
    )
    assert pages, "no page has a mermaid diagram"
    for page in pages:
        _open(browser, site_url, page)  # waits for every diagram and checks the requests
        assert browser.execute_script("return document.querySelectorAll('.mermaid svg').length") >= 1, page


def test_notebook_chapter_shows_executed_figures(browser, site_url):
    _open(browser, site_url, NOTEBOOK_CHAPTER)
    images = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img'),"
        " img => [img.src, img.complete && img.naturalWidth > 0])"
    )
    assert images, "no figure from an executed cell"
    broken = [src for src, loaded in images if not loaded]
    assert not broken, f"figures that did not load: {broken}"
    text = browser.find_element("css selector", "article").text
    assert "Run profile:" in text and "Traceback" not in text
    # Cells that only draw a figure are folded behind a toggle, with their output shown.
    hidden = browser.execute_script(
        "return document.querySelectorAll('.tag_hide-input details.hide, .tag_hide-input .toggle-details').length"
    )
    assert hidden >= 1, "no figure cell has its code folded away (tag: hide-input)"
    _assert_internal_links_resolve(browser, site_url)


def test_search_finds_the_chapters(browser, site_url):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site_url + "search.html?q=forget+gate")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.querySelectorAll('#search-results ul.search li').length") > 0
    )
    hits = browser.execute_script(
        "return Array.from(document.querySelectorAll('#search-results ul.search li a'), a => a.href)"
    )
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
        "binder": f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{owner_and_name}/{branch}?urlpath=lab/tree/{notebook}",
        "colab": f"{launch['colab_url'].rstrip('/')}/github/{owner_and_name}/blob/{branch}/{notebook}",
        "repository": repo,
    }
    links = set(_dom_links(browser))
    for name, url in expected.items():
        assert url in links, f"no {name} link {url} on the page"
    downloads = [href for href in links if href.startswith(site_url) and href.endswith(".ipynb")]
    assert downloads, "the page offers no download of its notebook"
    assert all(_status(href) == 200 for href in downloads)


def test_the_downloaded_notebook_is_the_executed_one(browser, site_url):
    """A reader who downloads a chapter (or opens it on Colab from the download) sees its outputs."""
    _open(browser, site_url, NOTEBOOK_CHAPTER)
    notebook = NOTEBOOK_CHAPTER.replace(".html", ".ipynb")
    downloads = {href for href in _dom_links(browser) if href.startswith(site_url) and href.endswith(notebook)}
    assert downloads, f"no download link for {notebook}"
    for href in downloads:
        with urllib.request.urlopen(href, timeout=10) as response:
            nb = nbformat.reads(response.read().decode("utf-8"), as_version=4)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        with_outputs = [cell for cell in code if cell.outputs]
        assert len(with_outputs) >= len(code) // 2, (
            f"{href}: only {len(with_outputs)} of {len(code)} cells have outputs"
        )
        text = json.dumps([cell.outputs for cell in code])
        assert "Run profile:" in text and "image/png" in text, f"{href} lacks the run's printed profile or figures"


def _luminance(rgb: str) -> float:
    red, green, blue = (int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_figures_stay_readable_in_dark_mode(browser, site_url):
    """In the theme's dark mode, figures (dark text on a transparent background) keep a white page."""
    from PIL import Image, ImageStat

    _open(browser, site_url, NOTEBOOK_CHAPTER)
    browser.execute_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    _open(browser, site_url, NOTEBOOK_CHAPTER, prefix="dark__")
    try:
        theme = browser.execute_script("return document.documentElement.dataset.theme")
        page = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert theme == "dark" and _luminance(page) < 0.3, f"dark mode did not apply: theme {theme}, background {page}"
        figures = browser.find_elements("css selector", ".cell_output img")
        assert figures, "no figure on the page"
        for figure in figures[:3]:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
            shot = Image.open(io.BytesIO(figure.screenshot_as_png))
            brightness = ImageStat.Stat(shot.convert("L")).mean[0] / 255
            assert brightness > 0.6, (
                f"a figure renders dark in dark mode (mean brightness {brightness:.2f}): its text is unreadable"
            )
        shot.save(SCREENSHOTS / "dark__figure.png")
        # The diagrams switch to mermaid's dark theme and still render.
        _open(browser, site_url, THEORY_CHAPTER, prefix="dark__")
    finally:
        browser.execute_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');")


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
