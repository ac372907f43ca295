"""Draw a mermaid diagram as a PDF, for the book's LaTeX build: ``mermaid_pdf.py -i IN.mmd -o OUT.pdf``.

sphinxcontrib-mermaid turns each diagram into a PDF for LaTeX with mermaid's own command line,
``mmdc`` (npm's @mermaid-js/mermaid-cli, which downloads a browser of its own). This stand-in takes
the same two arguments and does the same with what the course already has: the copy of mermaid
the website serves (``_ext/static/mermaid``) and Debian's headless Chromium, through Selenium.
The page is cut to the diagram, so LaTeX scales it like any figure.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import sys
import tempfile
from pathlib import Path

MERMAID = Path(__file__).resolve().parent / "static" / "mermaid" / "mermaid.min.js"
CSS_PX_PER_CM = 96 / 2.54

RENDER = """
const [code, done] = arguments;
mermaid.initialize({startOnLoad: false, theme: "default", securityLevel: "strict",
                    flowchart: {htmlLabels: false}});
mermaid.render("diagram", code).then(({svg}) => {
  document.body.innerHTML = svg;
  const box = document.body.firstElementChild.getBoundingClientRect();
  done({width: box.width, height: box.height});
}).catch((error) => done({error: String(error)}));
"""


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        sys.exit("mermaid_pdf.py needs headless Chromium: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--allow-file-access-from-files",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)


def render(code: str, output: Path) -> None:
    from selenium.webdriver.common.print_page_options import PrintOptions

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "diagram.html"
        page.write_text(
            '<!doctype html><html><head><meta charset="utf-8">'
            "<style>html, body {margin: 0; padding: 0; background: white}</style>"
            f'<script src="{MERMAID.as_uri()}"></script></head><body></body></html>',
            encoding="utf-8",
        )
        browser = _browser()
        try:
            browser.set_script_timeout(60)
            browser.get(page.as_uri())
            size = browser.execute_async_script(RENDER, code)
            if "error" in size:
                sys.exit(f"mermaid could not draw the diagram: {size['error']}")
            options = PrintOptions()
            options.background = True
            options.shrink_to_fit = False
            options.margin_top = options.margin_bottom = options.margin_left = options.margin_right = 0
            # One page, the diagram's size (plus a pixel, so that rounding never adds a blank page).
            options.page_width = (size["width"] + 2) / CSS_PX_PER_CM
            options.page_height = (size["height"] + 2) / CSS_PX_PER_CM
            options.page_ranges = ["1"]
            output.write_bytes(base64.b64decode(browser.print_page(options)))
        finally:
            browser.quit()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-i", dest="input", type=Path, required=True, help="the diagram's mermaid source")
    parser.add_argument("-o", dest="output", type=Path, required=True, help="the PDF to write")
    args, _ = parser.parse_known_args(argv)  # mmdc options that sphinxcontrib-mermaid may pass
    if args.output.suffix != ".pdf":
        sys.exit(f"mermaid_pdf.py writes PDF only, not {args.output.suffix}")
    render(args.input.read_text(encoding="utf-8"), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
