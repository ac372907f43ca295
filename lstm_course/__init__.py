"""Helpers for the executable LSTM course.

Small, plain functions that the chapters import instead of repeating code:

- :mod:`lstm_course.profiles`: the run profile (``quick``, ``standard``, ``full``) that sizes everything
- :mod:`lstm_course.data`: dataset loaders (local folder first, download otherwise, cached)
- :mod:`lstm_course.synthetic`: generated series and long-range-memory tasks
- :mod:`lstm_course.numpy_lstm`: an LSTM cell in NumPy that reproduces ``keras.layers.LSTM``
- :mod:`lstm_course.plots` and :mod:`lstm_course.widgets`: figures and the gate explorer
- :mod:`lstm_course.training`: seeds and timings
"""

import os

# Quiet TensorFlow's C++ start-up logging if it is imported after this package.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from .data import DatasetError, decode_review, encode_review, load_imdb, load_imdb_text  # noqa: E402
from .numpy_lstm import LSTMTrace, LSTMWeights, lstm_forward, lstm_param_count  # noqa: E402
from .plots import plot_gate_heatmaps, plot_history, use_course_style  # noqa: E402
from .profiles import choose, current_profile, describe_profile  # noqa: E402
from .training import seconds_per_step, set_seed, trainable_params  # noqa: E402

__version__ = "0.1.0"


def start_notebook(seed: int = 0) -> str:
    """What every chapter runs first: seeds, the course's figure style, and the run profile."""
    set_seed(seed)
    use_course_style()
    print(describe_profile())
    return current_profile()


__all__ = [
    "DatasetError", "LSTMTrace", "LSTMWeights", "choose", "current_profile", "decode_review",
    "describe_profile", "encode_review", "load_imdb", "load_imdb_text", "lstm_forward",
    "lstm_param_count", "plot_gate_heatmaps", "plot_history", "seconds_per_step", "set_seed",
    "start_notebook", "trainable_params", "use_course_style",
]
