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
import sys


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with its C++ start-up notices silenced.

    At import, TensorFlow's C++ core writes informational lines (oneDNN, CPU features) straight
    to file descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` takes effect; in a notebook they would
    appear on every page. Importing this package before Keras keeps them off. Real warnings
    and errors later on are untouched.
    """
    if "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to silence
        saved = None
    if saved is None:
        import tensorflow  # noqa: F401
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                import tensorflow
            except ImportError:
                pass  # the package's NumPy parts work without TensorFlow
            else:
                # On CPUs without AVX-512, oneDNN logs "supports DT_BOOL only on platforms with
                # AVX-512" once per process, at the first transpose of a boolean tensor, which
                # every masked RNN layer does. Trigger it now, while the notice goes nowhere.
                tensorflow.transpose(tensorflow.zeros((1, 1), dtype=tensorflow.bool))
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_import_tensorflow_quietly()

from .data import (DatasetError, decode_review, encode_review, load_imdb, load_imdb_text,  # noqa: E402
                   load_imdb_unlabelled)
from .numpy_lstm import LSTMTrace, LSTMWeights, lstm_forward, lstm_param_count  # noqa: E402
from .plots import plot_gate_heatmaps, plot_history, use_course_style  # noqa: E402
from .profiles import choose, current_profile, describe_profile  # noqa: E402
from .training import seconds_per_step, set_seed, trainable_params  # noqa: E402

__version__ = "0.1.0"


def start_notebook(seed: int = 0) -> str:
    """What every chapter runs first: seeds, the course's figure style, and the run profile.

    It also makes NumPy print scalars as plain numbers (``0.5``, not NumPy 2's ``np.float64(0.5)``),
    so that printed results read cleanly and numbers glued into the prose can be formatted.
    """
    import numpy as np

    np.set_printoptions(legacy="1.25")
    set_seed(seed)
    use_course_style()
    print(describe_profile())
    return current_profile()


__all__ = [
    "DatasetError", "LSTMTrace", "LSTMWeights", "choose", "current_profile", "decode_review",
    "describe_profile", "encode_review", "load_imdb", "load_imdb_text", "load_imdb_unlabelled", "lstm_forward",
    "lstm_param_count", "plot_gate_heatmaps", "plot_history", "seconds_per_step", "set_seed",
    "start_notebook", "trainable_params", "use_course_style",
]
