"""Keep what nbval executed, so that the website test renders it instead of executing it again.

nbval runs every chapter, cell by cell, in a fresh kernel. When all cells of a notebook pass, the
notebook is written with those outputs to ``_build/nbval/`` (see :mod:`tests.executed`), stamped
with the run profile and a fingerprint of its source and of the helper package. The website test
(``tests/test_site.py``) builds the site from these copies where the stamp still matches, and
executes the others itself.
"""

from __future__ import annotations

import pytest

from tests.executed import save_executed

_outputs: dict[str, dict[int, list]] = {}
_failed: set[str] = set()


def _is_nbval_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell" and hasattr(item, "cell_num")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not _is_nbval_cell(item):
        return
    report = outcome.get_result()
    path = str(item.parent.path)
    if report.failed or report.skipped:
        _failed.add(path)
    elif call.when == "call":
        _outputs.setdefault(path, {})[item.cell_num] = list(item.test_outputs or [])


def pytest_runtest_teardown(item, nextitem):
    if not _is_nbval_cell(item):
        return
    if nextitem is not None and getattr(nextitem, "parent", None) is item.parent:
        return  # not the notebook's last cell yet
    path = str(item.parent.path)
    outputs = _outputs.pop(path, {})
    if path not in _failed:
        save_executed(item.parent.path, item.parent.nb, outputs)
    _failed.discard(path)
