r"""An LSTM cell in NumPy that keeps every intermediate value, for reading and for checking Keras.

The equations, in the notation the course uses (input x_t of size d, h units)::

    i_t = sigmoid(x_t W_i + h_{t-1} U_i + b_i)          input gate
    f_t = sigmoid(x_t W_f + h_{t-1} U_f + b_f)          forget gate
    g_t = tanh   (x_t W_g + h_{t-1} U_g + b_g)          candidate (written C~_t)
    o_t = sigmoid(x_t W_o + h_{t-1} U_o + b_o)          output gate
    C_t = f_t * C_{t-1} + i_t * g_t
    h_t = o_t * tanh(C_t)

Keras stores the four blocks side by side, in the order i, f, g (candidate), o:
``kernel`` is (d, 4h) = [W_i W_f W_g W_o], ``recurrent_kernel`` is (h, 4h) and ``bias`` is (4h,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GATE_ORDER = ("input", "forget", "candidate", "output")


def sigmoid(z: np.ndarray) -> np.ndarray:
    # tanh form: the same function, without overflow warnings for large negative z
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass
class LSTMWeights:
    """The weights of one LSTM layer, in Keras's layout."""

    kernel: np.ndarray  # (d, 4h)
    recurrent_kernel: np.ndarray  # (h, 4h)
    bias: np.ndarray  # (4h,)

    def __post_init__(self):
        self.kernel = np.asarray(self.kernel, dtype=np.float64)
        self.recurrent_kernel = np.asarray(self.recurrent_kernel, dtype=np.float64)
        self.bias = np.asarray(self.bias, dtype=np.float64)
        h = self.recurrent_kernel.shape[0]
        expected = {"kernel": (self.kernel.shape[0], 4 * h), "recurrent_kernel": (h, 4 * h), "bias": (4 * h,)}
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(
                    f"{name} has shape {getattr(self, name).shape}, expected {shape} for an LSTM "
                    f"with {h} units (Keras layout: blocks i, f, candidate, o side by side)"
                )

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]

    @property
    def input_dim(self) -> int:
        return self.kernel.shape[0]

    @classmethod
    def from_keras(cls, layer) -> "LSTMWeights":
        """Copy the weights of a built ``keras.layers.LSTM`` (or ``LSTMCell``)."""
        cell = getattr(layer, "cell", layer)
        if not getattr(cell, "built", False):
            raise ValueError("the layer has no weights yet: call it on an input (or build it) first")
        if not getattr(cell, "use_bias", True):
            raise ValueError("layers built with use_bias=False are not supported")
        kernel, recurrent_kernel, bias = (w.numpy() if hasattr(w, "numpy") else np.asarray(w)
                                          for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
        return cls(kernel, recurrent_kernel, bias)

    @classmethod
    def random(cls, input_dim: int, units: int, seed: int = 0, scale: float = 0.5) -> "LSTMWeights":
        rng = np.random.default_rng(seed)
        return cls(
            rng.normal(0, scale, (input_dim, 4 * units)),
            rng.normal(0, scale, (units, 4 * units)),
            rng.normal(0, scale, (4 * units,)),
        )

    def gate(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(W, U, b) of one gate: W is (d, h), U is (h, h), b is (h,)."""
        k = GATE_ORDER.index(name)
        block = slice(k * self.units, (k + 1) * self.units)
        return self.kernel[:, block], self.recurrent_kernel[:, block], self.bias[block]


@dataclass
class LSTMTrace:
    """Every value an LSTM computed, each of shape (batch, time, units)."""

    h: np.ndarray
    c: np.ndarray
    input: np.ndarray
    forget: np.ndarray
    candidate: np.ndarray
    output: np.ndarray


def lstm_step(x_t, h_prev, c_prev, weights: LSTMWeights):
    """One time step for a batch: returns (h_t, C_t, (i, f, g, o))."""
    z = x_t @ weights.kernel + h_prev @ weights.recurrent_kernel + weights.bias
    zi, zf, zg, zo = np.split(z, 4, axis=-1)
    i, f, g, o = sigmoid(zi), sigmoid(zf), np.tanh(zg), sigmoid(zo)
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t, (i, f, g, o)


def lstm_forward(x, weights: LSTMWeights, h0=None, c0=None) -> LSTMTrace:
    """Run the LSTM over ``x`` of shape (batch, time, d) or (time, d).

    The result always has a batch axis: ``trace.h[:, -1]`` is what
    ``keras.layers.LSTM(units)`` returns, ``trace.h`` what it returns with
    ``return_sequences=True``.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[-1] != weights.input_dim:
        raise ValueError(
            f"x must have shape (batch, time, {weights.input_dim}) or (time, {weights.input_dim}), "
            f"got {x.shape}"
        )
    batch, steps, _ = x.shape
    h = np.zeros((batch, weights.units)) if h0 is None else np.asarray(h0, dtype=np.float64)
    c = np.zeros((batch, weights.units)) if c0 is None else np.asarray(c0, dtype=np.float64)
    values = {k: np.zeros((batch, steps, weights.units)) for k in ("h", "c", *GATE_ORDER)}
    for t in range(steps):
        h, c, gates = lstm_step(x[:, t], h, c, weights)
        values["h"][:, t], values["c"][:, t] = h, c
        for name, gate in zip(GATE_ORDER, gates):
            values[name][:, t] = gate
    return LSTMTrace(**values)


def lstm_param_count(input_dim: int, units: int) -> int:
    """4 blocks, each with a (units x (units + input_dim)) matrix and a bias of size units."""
    return 4 * (units * (units + input_dim) + units)


def trace_text_classifier(model, ids) -> tuple[LSTMTrace, np.ndarray]:
    """Trace an ``Embedding -> LSTM -> [GlobalAveragePooling1D] -> Dense(1, sigmoid)`` classifier.

    Returns the NumPy trace of the LSTM over one token sequence (every gate at every word) and the
    model's probability of the positive class after each prefix of ``ids``: the Dense layer applied
    to ``h_t``, or, when the model averages the LSTM's outputs, to the mean of ``h_1 .. h_t``.
    Dropout layers are skipped (they do nothing at inference). Feed the sequence unpadded, so that
    the last step is the last word.
    """
    import keras

    layers = [layer for layer in model.layers
              if not isinstance(layer, (keras.layers.InputLayer, keras.layers.Dropout))]
    kinds = [type(layer).__name__ for layer in layers]
    if kinds not in (["Embedding", "LSTM", "Dense"], ["Embedding", "LSTM", "GlobalAveragePooling1D", "Dense"]):
        raise ValueError("expected Embedding -> LSTM -> Dense layers (optionally GlobalAveragePooling1D "
                         f"before Dense, and Dropout anywhere), got {' -> '.join(kinds)}")
    embedding, lstm, dense = layers[0], layers[1], layers[-1]
    table = keras.ops.convert_to_numpy(embedding.embeddings)
    trace = lstm_forward(table[np.asarray(ids)], LSTMWeights.from_keras(lstm))
    features = trace.h[0]
    if len(layers) == 4:  # the running mean of the outputs: what the model reads if the text stopped here
        features = np.cumsum(features, axis=0) / np.arange(1, len(features) + 1)[:, None]
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in dense.weights)
    return trace, sigmoid(features @ kernel[:, 0] + bias[0])
