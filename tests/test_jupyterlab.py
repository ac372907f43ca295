"""Local use, as a learner meets it: JupyterLab from this environment, driven in headless Chromium.

The gate explorer of the chapter "Gates you can move" is the course's one interactive widget. This
test starts JupyterLab on 127.0.0.1, opens a notebook that shows the explorer, runs the cell,
and checks in the rendered page that the sliders appear with the figure, and that moving a
slider redraws the figure (which needs the kernel, ipywidgets and its JupyterLab extension to
work together).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab serving a folder with one notebook that shows the gate explorer."""
    folder = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import lstm_course as lc\nfrom lstm_course import widgets\n\nexplorer = widgets.gate_explorer()"
        )
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "explorer.ipynb")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={folder}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "api/status", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("JupyterLab did not start within 60 s")
            time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _figure(driver):
    return driver.execute_script(
        "const img = document.querySelector('.jp-OutputArea-output img'); return img ? img.src : null"
    )


def test_gate_explorer_works_in_jupyterlab(jupyterlab, browser):
    try:
        _run_explorer(jupyterlab, browser)
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "jupyterlab__last_state.png"))


def _run_explorer(jupyterlab, browser):
    from selenium.common.exceptions import (
        ElementNotInteractableException,
        StaleElementReferenceException,
        TimeoutException,
    )
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(jupyterlab + "lab/tree/explorer.ipynb")
    # The kernel starts when the notebook opens; the editor is ready when its text is rendered.
    WebDriverWait(browser, 90).until(lambda d: d.find_elements("css selector", ".jp-Notebook .jp-Cell .cm-content"))
    # Run the cell only once the status bar reports the kernel idle: a cell run while the kernel
    # is still connecting is silently dropped (its prompt stays "[ ]").
    WebDriverWait(browser, 120).until(
        lambda d: d.execute_script(
            "const bar = document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar');"
            " return !!bar && /\\|\\s*Idle/.test(bar.textContent)"
        )
    )
    started = (
        "const p = document.querySelector('.jp-Notebook .jp-Cell .jp-InputPrompt');"
        " return !!p && /\\[(\\*|\\d+)\\]/.test(p.textContent)"
    )
    for attempt in range(2):  # a key press can still be lost while the page settles: try twice
        WebDriverWait(
            browser, 30, ignored_exceptions=(StaleElementReferenceException, ElementNotInteractableException)
        ).until(lambda d: d.find_element("css selector", ".jp-Notebook .jp-Cell .cm-content").click() or True)
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        try:
            WebDriverWait(browser, 30).until(lambda d: d.execute_script(started))
            break
        except TimeoutException:
            if attempt:
                raise AssertionError("the explorer cell never started running") from None

    WebDriverWait(browser, 180).until(
        lambda d: len(d.find_elements("css selector", ".widget-slider")) >= 3 and _figure(d) is not None
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "jupyterlab__gate_explorer.png"))
    errors = browser.find_elements(
        "css selector", ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert not [e.text for e in errors if "Error" in e.text], "the explorer cell printed an error"

    # Move the first slider one step with the keyboard: the kernel must redraw the figure.
    before = _figure(browser)
    handle = browser.find_element("css selector", ".widget-slider .noUi-handle, .widget-slider [role='slider']")
    handle.click()
    handle.send_keys(Keys.ARROW_RIGHT)
    WebDriverWait(browser, 60).until(lambda d: _figure(d) not in (None, before))
    browser.save_screenshot(str(SCREENSHOTS / "jupyterlab__gate_explorer_moved.png"))
