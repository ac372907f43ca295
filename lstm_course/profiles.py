"""Run profiles: one setting that sizes the data and the training in every notebook.

Set the environment variable ``LSTM_COURSE_PROFILE`` before starting Jupyter (or the
book build, or the tests):

``quick``
    CI and the tests: every notebook runs in well under two minutes on two CPU cores.
    Numbers are real but small; they prove the code runs and the claims hold.
``standard`` (the default)
    The website build and a learner's laptop: meaningful results within minutes.
``full``
    The source documents' own sizes, to reproduce (and beat) their published numbers.

A notebook asks for its sizes with :func:`choose`::

    epochs = choose(quick=2, standard=5, full=5)
"""

from __future__ import annotations

import os
from typing import TypeVar

PROFILE_ENV = "LSTM_COURSE_PROFILE"
PROFILES = ("quick", "standard", "full")
DEFAULT_PROFILE = "standard"

T = TypeVar("T")


def current_profile() -> str:
    """The active run profile's name, read from ``LSTM_COURSE_PROFILE``."""
    name = os.environ.get(PROFILE_ENV, "").strip().lower() or DEFAULT_PROFILE
    if name not in PROFILES:
        raise ValueError(
            f"{PROFILE_ENV}={os.environ[PROFILE_ENV]!r} is not a run profile. "
            f"Use one of {', '.join(PROFILES)} (or unset it for {DEFAULT_PROFILE!r})."
        )
    return name


def choose(*, quick: T, standard: T, full: T) -> T:
    """Return the value given for the active profile."""
    return {"quick": quick, "standard": standard, "full": full}[current_profile()]


def describe_profile() -> str:
    """One line that says which profile runs and how to change it."""
    return f"Run profile: {current_profile()}  ({PROFILE_ENV} = {' | '.join(PROFILES)})"
