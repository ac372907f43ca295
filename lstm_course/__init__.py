"""Helpers for the executable LSTM course.

Small, plain functions that the chapters import instead of repeating code. Code that two
chapters use, or that deserves a unit test, lives here. The modules:

- :mod:`lstm_course.profiles`: the run profile (``quick``, ``standard``, ``full``) that sizes everything
- :mod:`lstm_course.data`: dataset loaders (local folder first, download otherwise, verified, cached)
- :mod:`lstm_course.series`: real time series, chronological splits, windows and forecasting baselines
- :mod:`lstm_course.synthetic`: generated signals and long-range-memory tasks
- :mod:`lstm_course.sequences`: token sequences: padding, validation split, length buckets, next-token windows
- :mod:`lstm_course.models`: seeds, parameter counts, gate-bias initialisers, stateful layers, training curves, one-call predictions
- :mod:`lstm_course.timing`: one step timer and one epoch timer, both recording CPU and wall time
- :mod:`lstm_course.tracing`: Keras's first training step traced once, not twice (faster first epochs)
- :mod:`lstm_course.distributed`: two replicas of a model on one CPU, trained in a fresh process
- :mod:`lstm_course.legacy`: running old tf.keras 2 code that Keras 3 rejects, and showing the error
- :mod:`lstm_course.numpy_lstm`: an LSTM in NumPy that reproduces ``keras.layers.LSTM``
- :mod:`lstm_course.scratch`: training by hand: a small character corpus, TBPTT chunks, global-norm clipping
- :mod:`lstm_course.generation`: sampling and text generation
- :mod:`lstm_course.charlm`: a character language model on Python's own source code, n-gram baselines, and tools to look inside it
- :mod:`lstm_course.recipes`: the IMDB sentiment recipes (seed, faster, best)
- :mod:`lstm_course.shipping`: sizes of saved models, and a record of the environment a result came from
- :mod:`lstm_course.plots` and :mod:`lstm_course.widgets`: figures and the gate explorer

Importing the package runs no TensorFlow operation: thread and device settings (``tf.config``)
can still be changed afterwards. When Keras will run on TensorFlow (``KERAS_BACKEND`` unset or
``tensorflow``) and TensorFlow is installed, it imports TensorFlow with the informational lines
that TensorFlow's C++ core writes at start-up kept off the notebook page (see :mod:`.quiet`);
with another backend it does not import TensorFlow at all.
"""

import importlib

from .quiet import import_tensorflow_quietly

import_tensorflow_quietly()

from .data import DatasetError, decode_review, encode_review, load_imdb, load_imdb_text, load_imdb_unlabelled  # noqa: E402
from .legacy import expect_error  # noqa: E402
from .models import (  # noqa: E402
    epochs_to_reach,
    forget_gate_bias,
    predict_in_one_call,
    reset_stateful_layers,
    set_seed,
    trainable_params,
)
from .numpy_lstm import LSTMTrace, LSTMWeights, lstm_forward, lstm_param_count  # noqa: E402
from .profiles import choose, current_profile, describe_profile  # noqa: E402

__version__ = "0.1.0"

SUBMODULES = (
    "charlm",
    "data",
    "diagrams",
    "distributed",
    "generation",
    "legacy",
    "models",
    "numpy_lstm",
    "plots",
    "profiles",
    "quiet",
    "recipes",
    "scratch",
    "sequences",
    "series",
    "shipping",
    "synthetic",
    "timing",
    "tracing",
    "widgets",
)


def __getattr__(name: str):
    """``lc.timing``, ``lc.plots`` ...: a submodule is imported the first time it is used."""
    if name in SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in ("plot_gate_heatmaps", "plot_history", "use_course_style"):
        return getattr(importlib.import_module(".plots", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def start_notebook(seed: int = 0) -> str:
    """What every chapter runs first: seeds, the course's figure style, and the run profile.

    It makes Keras trace each model's first training step once instead of twice
    (:func:`.tracing.build_before_first_step`: same results, faster first epochs). It also
    triggers, with its output discarded, the one-time notice that TensorFlow prints at a masked
    recurrent layer's first step on many CPUs (:func:`.quiet.silence_first_use_notices`): change
    TensorFlow's thread or device settings before calling it. It makes NumPy print scalars as plain
    numbers (``0.5``, not NumPy 2's ``np.float64(0.5)``), so that printed results read cleanly and
    numbers glued into the prose can be formatted.
    Returns the profile's name.
    """
    import numpy as np

    from .plots import use_course_style
    from .quiet import silence_first_use_notices
    from .tracing import build_before_first_step

    np.set_printoptions(legacy="1.25")
    build_before_first_step()
    silence_first_use_notices()
    set_seed(seed)
    use_course_style()
    print(describe_profile())
    return current_profile()


__all__ = [
    "DatasetError",
    "LSTMTrace",
    "LSTMWeights",
    "choose",
    "current_profile",
    "decode_review",
    "describe_profile",
    "encode_review",
    "epochs_to_reach",
    "expect_error",
    "forget_gate_bias",
    "load_imdb",
    "load_imdb_text",
    "load_imdb_unlabelled",
    "lstm_forward",
    "lstm_param_count",
    "plot_gate_heatmaps",
    "plot_history",
    "predict_in_one_call",
    "reset_stateful_layers",
    "set_seed",
    "start_notebook",
    "trainable_params",
    "use_course_style",
    *SUBMODULES,
]
