"""Shared fixtures: every test gets its own empty data and cache folders; the site and browser tests
share one built site and one headless Chromium."""

import dataclasses
import io
import os
import re
import shutil
import tarfile
from collections import Counter

import pytest

# Reviews built so that word frequencies are known: "film" is the most frequent training word,
# then "good", then "bad"; "unseen" appears only in the test split.
TRAIN_POS = ["A good film.<br />A good, good film!", "good film film"]
TRAIN_NEG = ["A bad film. Bad!", "bad film film"]
TEST_POS = ["good unseen film"]
TEST_NEG = ["bad bad film"]
UNSUP = ["film without a label"]


def write_imdb_archive(
    path, *, train_pos=TRAIN_POS, train_neg=TRAIN_NEG, test_pos=TEST_POS, test_neg=TEST_NEG, unsup=UNSUP
):
    """A tiny archive with the layout of aclImdb_v1.tar.gz (ID_RATING.txt files)."""
    groups = {
        "train/pos": (train_pos, 9),
        "train/neg": (train_neg, 2),
        "test/pos": (test_pos, 8),
        "test/neg": (test_neg, 1),
        "train/unsup": (unsup, 0),
    }
    with tarfile.open(path, "w:gz") as tar:

        def add(name, text):
            payload = text.encode("utf-8")
            info = tarfile.TarInfo(f"aclImdb/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))

        add("README", "tiny test copy")
        add("imdb.vocab", "film\ngood\nbad\n")
        for folder, (texts, rating) in groups.items():
            for i, text in enumerate(texts):
                add(f"{folder}/{i}_{rating}.txt", text)
    return path


@pytest.fixture
def course_dirs(tmp_path, monkeypatch):
    """Point the loaders at empty temporary data and cache folders."""
    data = tmp_path / "data"
    cache = tmp_path / "cache"
    data.mkdir()
    monkeypatch.setenv("LSTM_COURSE_DATA", str(data))
    monkeypatch.setenv("LSTM_COURSE_CACHE", str(cache))
    return data, cache


def imdb_folder_counts(path):
    """Reviews per folder (``train/pos``, ...) of an archive, as ``data.IMDB_EXPECTED_REVIEWS`` holds them."""
    with tarfile.open(path, "r:gz") as tar:
        found = (re.search(r"aclImdb/(\w+/\w+)/\d+_\d+\.txt$", name) for name in tar.getnames())
        return dict(Counter(match.group(1) for match in found if match))


@pytest.fixture
def accept_imdb(monkeypatch):
    """``accept(path, counts=None)``: let the loader take a tiny archive that a test wrote.

    The real archive's checksums and review counts would refuse it, so its checksum joins the
    published ones and its review counts (or ``counts``) become the expected ones.
    """
    from lstm_course import data

    def accept(path, counts=None):
        spec = data.DATASETS["imdb"]
        accepted = dataclasses.replace(spec, sha256=(*spec.sha256, data.sha256_of(path)))
        monkeypatch.setitem(data.DATASETS, "imdb", accepted)
        monkeypatch.setattr(data, "IMDB_EXPECTED_REVIEWS", counts or imdb_folder_counts(path))
        return path

    return accept


@pytest.fixture
def imdb_archive(course_dirs, accept_imdb):
    data, _ = course_dirs
    return accept_imdb(write_imdb_archive(data / "aclImdb_v1.tar.gz"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The website, built once per test session in the run profile (``quick`` by default).

    Chapters that nbval has just executed are rendered from that run, not executed again.
    Set ``LSTM_COURSE_TEST_SITE`` to the HTML folder of a site built before (for example
    ``_build/html`` after ``make site``) to check that site instead of building one.
    """
    import os
    from pathlib import Path

    from tests.site import build_site

    prebuilt = os.environ.get("LSTM_COURSE_TEST_SITE")
    if prebuilt:
        html = Path(prebuilt).resolve()
        if not (html / "index.html").is_file():
            pytest.fail(f"LSTM_COURSE_TEST_SITE={prebuilt} has no index.html: point it at a built site's html folder")
        return html
    html, _ = build_site(tmp_path_factory.mktemp("site"))
    return html


def _browser_binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    message = (
        "headless Chromium is missing: install Debian's packages with "
        "`apt-get install chromium chromium-driver` (.ci/run does this)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Selenium (skipped without Chromium, except in CI)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = _browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
