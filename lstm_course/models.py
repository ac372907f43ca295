"""Small helpers around Keras models: seeds, parameter counts, gate biases, stateful layers, curves,
and predictions from one direct call.

Nothing here builds a chapter's model: the pages show their models in full. These are the pieces
of plumbing that several chapters need in exactly the same form.
"""

from __future__ import annotations

import math

import numpy as np


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and the backend, so a notebook gives the same numbers on every run."""
    import keras

    keras.utils.set_random_seed(seed)


def trainable_params(model) -> int:
    """Trainable parameters only: after ``fit``, Keras 3's "Total params" also counts the
    optimizer's variables, so that figure is not the model's size."""
    return int(sum(math.prod(w.shape) for w in model.trainable_weights))


def predict_in_one_call(model, x) -> np.ndarray:
    """The model's outputs for all of ``x`` from one direct call, ``model(x, training=False)``, as NumPy.

    ``model.predict`` compiles a prediction function for each model it is called on; a page that
    compares many small models on arrays that fit in memory gets nothing from it but TensorFlow's
    warning about frequent retracing. The direct call runs the layers eagerly in one batch, with
    dropout off (``training=False``). ``x`` is an array, or a list of arrays for a model with
    several inputs.
    """
    import keras

    return keras.ops.convert_to_numpy(model(x, training=False))


def gate_bias(value: float, block: int, n_blocks: int = 4):
    """A bias initialiser: zeros, except ``value`` in one of ``n_blocks`` equal blocks.

    Keras's recurrent cells keep their gates' biases side by side in one vector: an LSTM's in the
    order input, forget, candidate, output (4 blocks, the forget gate is block 1); a GRU's in the
    order update, reset, candidate (3 blocks). For a two-row bias (a GRU with ``reset_after=True``
    has one row for the input and one for the recurrent part) only the first row gets ``value``.
    """
    if not 0 <= block < n_blocks:
        raise ValueError(f"block must be in 0..{n_blocks - 1}, not {block}")

    def initializer(shape, dtype=None):
        import keras

        if shape[-1] % n_blocks:
            raise ValueError(f"a bias of size {shape[-1]} does not split into {n_blocks} gate blocks")
        bias = np.zeros(shape, dtype="float32")
        size = shape[-1] // n_blocks
        bias.reshape(-1, shape[-1])[0, block * size : (block + 1) * size] = value
        return keras.ops.convert_to_tensor(bias, dtype=dtype)

    return initializer


def forget_gate_bias(value: float):
    """Bias initialiser for ``keras.layers.LSTM``: zeros, and ``value`` in the forget gate's block.

    Use it with ``unit_forget_bias=False``, which otherwise adds 1 to the forget block::

        keras.layers.LSTM(32, unit_forget_bias=False, bias_initializer=lc.forget_gate_bias(3.0))
    """
    return gate_bias(value, block=1, n_blocks=4)


def reset_stateful_layers(model) -> int:
    """Zero the state of every stateful recurrent layer in ``model``, nested ones included.

    Keras 3 has no ``Model.reset_states``; each stateful layer has ``reset_states()``. A
    ``Bidirectional`` wrapper is reset through its own ``reset_states``. Returns how many layers
    were reset, so that a caller can check that the model had any.
    """
    count = 0
    for layer in _walk_layers(model):
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
            layer.reset_states()
            count += 1
    return count


def _walk_layers(model):
    for layer in getattr(model, "layers", []):
        yield layer
        if getattr(layer, "layers", None) and layer is not model:
            yield from _walk_layers(layer)


def epochs_to_reach(values, level: float, *, higher_is_better: bool = True) -> int | None:
    """The first epoch (counted from 1) whose value reaches ``level``, or None if none does.

    ``values`` is one metric per epoch, for example ``history.history["val_accuracy"]``; with
    ``higher_is_better=False`` (a loss) the value must fall to ``level`` or below.
    """
    for epoch, value in enumerate(values, start=1):
        if (value >= level) if higher_is_better else (value <= level):
            return epoch
    return None
