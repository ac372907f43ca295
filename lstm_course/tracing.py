"""Trace a model's training step once, not twice, on Keras's TensorFlow backend.

Keras 3 on TensorFlow creates the optimizer's variables (Adam's two moments per weight) and the
metrics' variables inside the first ``fit`` or ``evaluate`` step, unless the model was created
under a ``tf.distribute`` strategy. A ``tf.function`` that creates variables on its first call is
traced twice: once to find and lift out the variables, once more without them (TensorFlow issue
48851). Every model's first epoch pays for that second trace: on a two-core CPU about a second
for a small LSTM, more for larger graphs; in the ``quick`` profile, about a fifth of the
notebooks' time (``benchmarks/README.md``).

:func:`build_before_first_step` makes ``fit``, ``evaluate``, ``train_on_batch`` and
``test_on_batch`` build that state first, symbolically, from the shapes of the data: what Keras
already does under a distribution strategy and on its JAX and PyTorch backends. Nothing else
changes: the same variables with the same initial values, the same random draws, the same
losses (``tests/test_tracing.py``). Where a symbolic build cannot run (data that are not plain
dense tensors, a model that cannot be called symbolically), Keras builds its state inside the
first step as it does by default.

:func:`.start_notebook` turns it on for every chapter. Code copied out of the course runs the
same without it; only its first epochs take longer.
"""

from __future__ import annotations

import contextlib
import functools

_PATCHED_FLAG = "_lstm_course_builds_before_first_step"


def _tensorflow_trainer():
    """Keras's TensorFlow trainer class, or None where it is not the one in use."""
    import keras

    if keras.backend.backend() != "tensorflow":
        return None
    try:
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    except ImportError:
        return None
    needed = ("_maybe_symbolic_build", "_symbolic_build")
    return TensorFlowTrainer if all(hasattr(TensorFlowTrainer, name) for name in needed) else None


def _dense_element_spec(epoch_iterator):
    """The structure of ``tf.TensorSpec`` a Keras epoch iterator yields, or None.

    Reads the dataset's ``element_spec``: no batch is drawn, so no shuffle or generator state
    moves.
    """
    import keras
    import tensorflow as tf

    dataset = getattr(epoch_iterator, "_distributed_dataset", None)
    spec = getattr(dataset, "element_spec", None)
    if spec is None:
        return None
    leaves = keras.tree.flatten(spec)
    if not leaves or not all(type(leaf) is tf.TensorSpec for leaf in leaves):
        return None  # ragged or sparse inputs: leave them to Keras's own first-step build
    return spec


def is_on() -> bool:
    """Whether :func:`build_before_first_step` is in effect."""
    trainer = _tensorflow_trainer()
    return trainer is not None and getattr(trainer._maybe_symbolic_build, _PATCHED_FLAG, False)


def build_before_first_step() -> bool:
    """Make Keras build optimizer and metric state before tracing the first training step.

    Returns True when it is in effect (the TensorFlow backend of a Keras that has the build
    step this relies on, checked by the unit tests against the version the course pins), False
    where it changes nothing. Calling it again does nothing more.
    """
    trainer = _tensorflow_trainer()
    if trainer is None:
        return False
    if is_on():
        return True
    original = trainer._maybe_symbolic_build

    @functools.wraps(original)
    def maybe_symbolic_build(self, iterator=None, data_batch=None):
        if self._distribute_strategy is not None:  # Keras builds first by itself here
            return original(self, iterator=iterator, data_batch=data_batch)
        if data_batch is None and iterator is not None:
            data_batch = _dense_element_spec(iterator)
        if data_batch is None:
            return None
        # Any failure here leaves the rest to Keras, which builds inside the first step as by default.
        with contextlib.suppress(Exception):
            self._symbolic_build(data_batch=data_batch)
        return None

    setattr(maybe_symbolic_build, _PATCHED_FLAG, True)
    trainer._maybe_symbolic_build = maybe_symbolic_build
    return True


def build_inside_first_step() -> None:
    """Undo :func:`build_before_first_step`: Keras's default (used by the unit tests)."""
    if is_on():
        trainer = _tensorflow_trainer()
        trainer._maybe_symbolic_build = trainer._maybe_symbolic_build.__wrapped__  # functools.wraps
