"""Old code that fails on purpose: run it, show the one line that matters, and check it failed.

Learners meet tf.keras 2 code all over the web. The chapters run such code where its failure
teaches something, inside :func:`expect_error`::

    with lc.expect_error(ValueError, match="batch_input_shape"):
        keras.layers.Embedding(1000, 64, batch_input_shape=(32, None))

The block prints the error's type and first line (not a traceback). It raises ``AssertionError``
if the code ran without an error or failed with a message that does not match, and lets an error
of another type through: so a page can never claim that something fails after a release has
made it work, or fails for another reason.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

# Keras colours some of its messages for terminals; the page shows plain text.
_ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class ExpectedError:
    """What :func:`expect_error` caught: the exception and its message without colour codes."""

    error: BaseException | None = None
    message: str = ""

    @property
    def first_line(self) -> str:
        return next((line for line in self.message.splitlines() if line.strip()), "")


@contextmanager
def expect_error(*types: type[BaseException], match: str | None = None, show: bool = True):
    """Expect the block to raise one of ``types`` (any ``Exception`` if none is given).

    ``match`` is a regular expression that the message must contain (``re.search``); the line
    shown is the first line that matches it, or the message's first line. Yields an
    :class:`ExpectedError` that holds the exception after the block.
    """
    types = types or (Exception,)
    caught = ExpectedError()
    try:
        yield caught
    except types as error:
        caught.error = error
        caught.message = _ANSI_COLOURS.sub("", str(error))
    else:
        names = " or ".join(t.__name__ for t in types)
        raise AssertionError(
            f"expected {names}, but the code ran without an error: has a newer release made it work? Update the page."
        )
    if match is not None and not re.search(match, caught.message):
        raise AssertionError(
            f"{type(caught.error).__name__} was raised, but its message does not match {match!r}:\n{caught.message}"
        )
    if show:
        line = caught.first_line
        if match is not None:
            line = next((ln for ln in caught.message.splitlines() if re.search(match, ln)), line)
        print(f"{type(caught.error).__name__}: {line.strip()}")
