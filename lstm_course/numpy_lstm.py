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

A Keras layer may replace the two squashing functions (``recurrent_activation`` for the gates,
``activation`` for the candidate and the output); :data:`ACTIVATIONS` lists the ones this module
reproduces. Running over a sequence, it also reproduces a mask and ``go_backwards`` exactly as
Keras's standard (non-cuDNN) kernel does: see :func:`lstm_forward`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

GATE_ORDER = ("input", "forget", "candidate", "output")


def sigmoid(z: np.ndarray) -> np.ndarray:
    # tanh form: the same function, without overflow warnings for large negative z
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _softplus(z):
    return np.logaddexp(0.0, z)


def _hard_sigmoid(z):
    # Keras 3's definition (relu6(z + 3) / 6); Keras 2 used clip(0.2 z + 0.5, 0, 1) under the same name
    return np.clip(z / 6.0 + 0.5, 0.0, 1.0)


def _elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
_erf = np.vectorize(math.erf, otypes=[np.float64])

# Keras's element-wise activations, by the name Keras gives them (keras.activations.<name>), with
# Keras 3's default arguments. Softmax-like ones (softmax, log_softmax, sparsemax, glu) mix the
# units of a gate and ``threshold`` needs arguments: the NumPy LSTM does not offer them.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "relu6": lambda z: np.clip(z, 0.0, 6.0),
    "leaky_relu": lambda z: np.maximum(z, 0.2 * z),
    "elu": _elu,
    "selu": lambda z: _SELU_SCALE * _elu(z, _SELU_ALPHA),
    "celu": lambda z: np.maximum(z, 0.0) + np.expm1(np.minimum(z, 0.0)),
    "exponential": np.exp,
    "softplus": _softplus,
    "softsign": lambda z: z / (1.0 + np.abs(z)),
    "squareplus": lambda z: (z + np.sqrt(z * z + 4.0)) / 2.0,
    "hard_sigmoid": _hard_sigmoid,
    "hard_silu": lambda z: z * _hard_sigmoid(z),
    "hard_tanh": lambda z: np.clip(z, -1.0, 1.0),
    "silu": lambda z: z * sigmoid(z),
    "gelu": lambda z: 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0))),  # Keras 3: approximate=False
    "mish": lambda z: z * np.tanh(_softplus(z)),
    "log_sigmoid": lambda z: -_softplus(-z),
    "sparse_sigmoid": lambda z: np.clip(0.5 * (z + 1.0), 0.0, 1.0),
    "sparse_plus": lambda z: np.where(z <= -1, 0.0, np.where(z < 1, 0.25 * (z + 1.0) ** 2, z)),
    "tanh_shrink": lambda z: z - np.tanh(z),
    "hard_shrink": lambda z: np.where(np.abs(z) > 0.5, z, 0.0),
    "soft_shrink": lambda z: np.where(z > 0.5, z - 0.5, np.where(z < -0.5, z + 0.5, 0.0)),
}
_ALIASES = {"swish": "silu", "hard_swish": "hard_silu"}  # Keras's other names for the same functions


def _activation_name(name: str, setting: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{setting} must be the name of an activation (one of {', '.join(ACTIVATIONS)}), got {name!r}")
    name = _ALIASES.get(name, name)
    if name not in ACTIVATIONS:
        raise ValueError(
            f"{setting}={name!r} is not an activation the NumPy LSTM reproduces; use one of {', '.join(ACTIVATIONS)}"
        )
    return name


@dataclass
class LSTMWeights:
    """The weights of one LSTM layer, in Keras's layout, and the layer settings that change its numbers.

    ``recurrent_activation`` squashes the three gates (sigmoid in the equations above) and
    ``activation`` the candidate and the cell state on its way out (tanh); each names an entry of
    :data:`ACTIVATIONS`. ``go_backwards`` and ``zero_output_for_mask`` are the Keras layer's
    settings of the same names, which :func:`lstm_forward` follows. ``bias=None`` is a layer built
    with ``use_bias=False`` (a zero bias).
    """

    kernel: np.ndarray  # (d, 4h)
    recurrent_kernel: np.ndarray  # (h, 4h)
    bias: np.ndarray | None  # (4h,)
    activation: str = "tanh"
    recurrent_activation: str = "sigmoid"
    go_backwards: bool = False
    zero_output_for_mask: bool = False

    def __post_init__(self):
        self.kernel = np.asarray(self.kernel, dtype=np.float64)
        self.recurrent_kernel = np.asarray(self.recurrent_kernel, dtype=np.float64)
        h = self.recurrent_kernel.shape[0] if self.recurrent_kernel.ndim else 0
        self.bias = np.zeros(4 * h) if self.bias is None else np.asarray(self.bias, dtype=np.float64)
        expected = {
            "kernel": (self.kernel.shape[0] if self.kernel.ndim else 0, 4 * h),
            "recurrent_kernel": (h, 4 * h),
            "bias": (4 * h,),
        }
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(
                    f"{name} has shape {getattr(self, name).shape}, expected {shape} for an LSTM "
                    f"with {h} units (Keras layout: blocks i, f, candidate, o side by side)"
                )
        self.activation = _activation_name(self.activation, "activation")
        self.recurrent_activation = _activation_name(self.recurrent_activation, "recurrent_activation")
        self.go_backwards, self.zero_output_for_mask = bool(self.go_backwards), bool(self.zero_output_for_mask)

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]

    @property
    def input_dim(self) -> int:
        return self.kernel.shape[0]

    @classmethod
    def from_keras(cls, layer) -> LSTMWeights:
        """Copy a built ``keras.layers.LSTM``, ``LSTMCell`` or ``RNN(LSTMCell)``: weights and settings.

        Settings that act only in training (dropout, regularisers, constraints) or do not change
        the numbers (``unroll``, ``implementation``, ``return_sequences``, ``return_state``) need
        nothing. A ``stateful`` layer starts from the states it kept: pass them to
        :func:`lstm_forward` as ``h0, c0`` (``[s.numpy() for s in layer.states]``).
        Any other kind of layer (``Bidirectional``, ``GRU``, ``Dense``, a model ...) gets a
        ``TypeError`` that says what to pass; a setting this module cannot reproduce a ``ValueError``.
        """
        cell = _lstm_cell_of(layer)
        if not getattr(cell, "built", False):
            raise ValueError("the layer has no weights yet: call it on an input (or build it) first")
        activation = _keras_activation_name(cell.activation, "activation")
        recurrent_activation = _keras_activation_name(cell.recurrent_activation, "recurrent_activation")
        sequence_layer = layer if layer is not cell else None  # an LSTMCell alone runs one step
        go_backwards = bool(getattr(sequence_layer, "go_backwards", False))
        zero_output_for_mask = bool(getattr(sequence_layer, "zero_output_for_mask", False))
        if go_backwards and zero_output_for_mask and getattr(sequence_layer, "unroll", False):
            raise ValueError(
                "unroll=True together with go_backwards=True and zero_output_for_mask=True (the backward "
                "layer of a Bidirectional built with unroll=True and return_sequences=True) is not "
                "supported: with a mask, Keras zeroes this combination's outputs at the time steps of "
                "the un-reversed mask, which lstm_forward does not imitate. Build the layer with "
                "unroll=False (the same weights give the same numbers) and copy that one"
            )
        kernel, recurrent_kernel = (_to_numpy(w) for w in (cell.kernel, cell.recurrent_kernel))
        bias = _to_numpy(cell.bias) if cell.use_bias else None
        return cls(kernel, recurrent_kernel, bias, activation, recurrent_activation, go_backwards, zero_output_for_mask)

    @classmethod
    def random(cls, input_dim: int, units: int, seed: int = 0, scale: float = 0.5) -> LSTMWeights:
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


def _to_numpy(variable) -> np.ndarray:
    # Variable.numpy() rather than keras.ops.convert_to_numpy, which warns on TensorFlow variables
    return variable.numpy() if hasattr(variable, "numpy") else np.asarray(variable)


def _describe(obj) -> str:
    kind = obj if isinstance(obj, type) else type(obj)
    name = getattr(obj, "__qualname__", None) or kind.__qualname__
    module = getattr(obj, "__module__", None) or kind.__module__
    return f"{module}.{name}"


_OTHER_RECURRENT = (
    "GRU",
    "GRUCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "ConvLSTMCell",
    "StackedRNNCells",
)


def _lstm_cell_of(layer):
    """The LSTMCell inside ``layer``, or a TypeError that says what to pass instead."""
    import keras

    lstm_kinds = "keras.layers.LSTM (or an LSTMCell, or RNN(LSTMCell))"
    if isinstance(layer, keras.layers.LSTMCell):
        return layer
    if isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, keras.layers.LSTMCell):
        return layer.cell
    kind = type(layer).__name__
    if isinstance(layer, keras.layers.Bidirectional):
        inner = type(layer.forward_layer).__name__
        if isinstance(layer.forward_layer, keras.layers.RNN) and isinstance(
            layer.forward_layer.cell, keras.layers.LSTMCell
        ):
            raise TypeError(
                f"LSTMWeights.from_keras got a Bidirectional wrapper, which holds two {inner} layers with "
                "weights of their own: pass one of them, `layer.forward_layer` or `layer.backward_layer` "
                "(the backward one has go_backwards=True, which lstm_forward follows: it reads the "
                "sequence from the end and, like Keras, returns the outputs in reading order; Bidirectional "
                "flips them back before merging)"
            )
        raise TypeError(
            f"LSTMWeights.from_keras got a Bidirectional wrapper around {inner} layers; the "
            f"NumPy LSTM reproduces only {lstm_kinds}"
        )
    if isinstance(layer, keras.Model):
        names = [sub.name for sub in getattr(layer, "layers", []) if isinstance(sub, keras.layers.LSTM)]
        hint = (
            f"its LSTM layers: {', '.join(map(repr, names))}, e.g. model.get_layer({names[0]!r})"
            if names
            else "it has no LSTM layer at its top level"
        )
        raise TypeError(f"LSTMWeights.from_keras got a model ({kind}); pass one of its LSTM layers ({hint})")
    if isinstance(layer, keras.layers.RNN) or kind in _OTHER_RECURRENT:
        cell = getattr(layer, "cell", layer)
        what = f"{kind} layer" + (f" whose cell is {type(cell).__name__}" if type(layer) is keras.layers.RNN else "")
        raise TypeError(
            f"LSTMWeights.from_keras got a {what}, which computes other equations than the "
            f"LSTM's; the NumPy LSTM reproduces only {lstm_kinds}: run this layer in Keras"
        )
    if isinstance(layer, keras.layers.Layer):
        raise TypeError(
            f"LSTMWeights.from_keras got a {kind} layer; pass the LSTM layer itself, a "
            f"{lstm_kinds} (in a model: model.get_layer('<its name>'))"
        )
    raise TypeError(
        f"LSTMWeights.from_keras needs a Keras 3 LSTM layer, got {_describe(layer)}; to build "
        "weights from arrays, call LSTMWeights(kernel, recurrent_kernel, bias)"
    )


def _keras_activation_name(function, setting: str) -> str:
    """The name in ACTIVATIONS of the Keras activation ``function`` is, or a ValueError."""
    import keras

    for name in (*ACTIVATIONS, *_ALIASES):
        try:
            if keras.activations.get(name) is function:
                return _ALIASES.get(name, name)
        except ValueError:  # an older Keras without this activation
            continue
    raise ValueError(
        f"{setting}={_describe(function)} is not supported: the NumPy LSTM reproduces only Keras's "
        f"element-wise activations given by name ({', '.join(ACTIVATIONS)}). Build the layer with one "
        f"of them (e.g. {setting}={'tanh' if setting == 'activation' else 'sigmoid'!r}), or run it in Keras"
    )


@dataclass
class LSTMTrace:
    """Every value an LSTM computed, each of shape (batch, time, units), in the order it read the steps.

    ``h`` is what the Keras layer returns with ``return_sequences=True`` (``h[:, -1]`` what it returns
    without), ``c`` the cell state, and ``final_state`` the ``[h, c]`` it returns with
    ``return_state=True``. At a masked step the cell stands still: ``c`` and ``hidden_state`` keep
    their values, the gates (not computed) are NaN, and ``h`` repeats the previous output, as Keras
    does (zeros before the first step read, or at every masked step with ``zero_output_for_mask``).
    ``hidden_state`` is the h that the cell carries to the next step, equal to ``h`` at every step read.
    """

    h: np.ndarray
    c: np.ndarray
    input: np.ndarray
    forget: np.ndarray
    candidate: np.ndarray
    output: np.ndarray
    hidden_state: np.ndarray | None = None

    def __post_init__(self):
        if self.hidden_state is None:
            self.hidden_state = self.h

    @property
    def final_state(self) -> tuple[np.ndarray, np.ndarray]:
        """(h_T, C_T), each (batch, units): the states after the last step read."""
        return self.hidden_state[:, -1], self.c[:, -1]


def lstm_step(x_t, h_prev, c_prev, weights: LSTMWeights):
    """One time step for a batch: returns (h_t, C_t, (i, f, g, o))."""
    # sigmoid and tanh unless the layer chose other activations
    sigmoid, tanh = ACTIVATIONS[weights.recurrent_activation], ACTIVATIONS[weights.activation]
    z = x_t @ weights.kernel + h_prev @ weights.recurrent_kernel + weights.bias
    zi, zf, zg, zo = np.split(z, 4, axis=-1)
    i, f, g, o = sigmoid(zi), sigmoid(zf), tanh(zg), sigmoid(zo)
    c_t = f * c_prev + i * g
    h_t = o * tanh(c_t)
    return h_t, c_t, (i, f, g, o)


def _as_mask(mask, shape: tuple[int, int], batched: bool) -> np.ndarray:
    mask = np.asarray(mask)
    if not batched and mask.ndim == 1:
        mask = mask[None]
    if mask.shape != shape:
        expected = shape if batched else shape[1:]
        raise ValueError(
            f"mask must have shape {expected} ({'batch, ' if batched else ''}time: "
            f"one flag per step of x), got {mask.shape}"
        )
    if mask.dtype != bool:
        if not (np.issubdtype(mask.dtype, np.number) and np.isin(mask, (0, 1)).all()):
            raise ValueError(
                "mask must hold booleans (True: read this step, False: skip it) or 0/1, "
                f"got values of type {mask.dtype}"
            )
        mask = mask.astype(bool)
    return mask


def _initial_state(value, batch: int, units: int, name: str) -> np.ndarray:
    if value is None:
        return np.zeros((batch, units))
    value = np.asarray(value, dtype=np.float64)
    try:
        return np.broadcast_to(value, (batch, units)).copy()
    except ValueError:
        raise ValueError(f"{name} must have shape ({batch}, {units}) (batch, units), got {value.shape}") from None


def lstm_forward(x, weights: LSTMWeights, h0=None, c0=None, mask=None) -> LSTMTrace:
    """Run the LSTM over ``x`` of shape (batch, time, d) or (time, d), as the Keras layer does.

    The result always has a batch axis: ``trace.h[:, -1]`` is what
    ``keras.layers.LSTM(units)`` returns, ``trace.h`` what it returns with
    ``return_sequences=True``, ``trace.final_state`` the states it returns with ``return_state=True``.

    ``mask`` (booleans, (batch, time) or (time,): what ``Embedding(mask_zero=True)`` or ``Masking``
    hands the layer) says which steps to read. A masked step leaves the state as it was, wherever it
    lies: padding at the start, at the end, in the middle, or a row with no step read at all (its
    output is zeros and its final state ``h0, c0``). With ``weights.go_backwards`` the layer reads
    the time axis from the end and, as Keras does, the trace stays in reading order:
    ``trace.h[:, 0]`` belongs to the last input step, ``trace.h[:, ::-1]`` lines up with ``x``.
    This is the kernel Keras runs on a CPU. On a GPU, Keras may choose cuDNN for a tanh/sigmoid
    layer, which by Keras's source returns zeros, not the previous output, at the masked steps of
    the sequence and takes only masks padded at the end: compare with ``use_cudnn=False`` there.
    """
    x = np.asarray(x, dtype=np.float64)
    batched = x.ndim != 2
    if not batched:
        x = x[None]
    if x.ndim != 3 or x.shape[-1] != weights.input_dim:
        raise ValueError(
            f"x must have shape (batch, time, {weights.input_dim}) or (time, {weights.input_dim}), got {x.shape}"
        )
    batch, steps, _ = x.shape
    if mask is not None:
        mask = _as_mask(mask, (batch, steps), batched)
    if weights.go_backwards:
        x = x[:, ::-1]
        mask = None if mask is None else mask[:, ::-1]
    h = _initial_state(h0, batch, weights.units, "h0")
    c = _initial_state(c0, batch, weights.units, "c0")
    names = ("h", "c", *GATE_ORDER) + (() if mask is None else ("hidden_state",))
    values = {k: np.zeros((batch, steps, weights.units)) for k in names}
    out = np.zeros((batch, weights.units))  # the output Keras repeats at a masked first step
    for t in range(steps):
        h_new, c_new, gates = lstm_step(x[:, t], h, c, weights)
        if mask is None:
            h, c, out = h_new, c_new, h_new
        else:
            read = mask[:, t, None]
            h, c = np.where(read, h_new, h), np.where(read, c_new, c)
            out = np.where(read, h_new, 0.0 if weights.zero_output_for_mask else out)
            gates = tuple(np.where(read, gate, np.nan) for gate in gates)
            values["hidden_state"][:, t] = h
        values["h"][:, t], values["c"][:, t] = out, c
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
    ``p[k - 1]`` is what the model predicts for ``ids[:k]``. Dropout layers are skipped (they do
    nothing at inference).

    Padding is read as the model reads it. With ``Embedding(mask_zero=True)`` the id 0 is masked:
    the LSTM skips it (its gates are NaN in the trace, its state stands still) and the average
    leaves it out; a prefix of padding only has no average, and its probability is NaN, as in Keras.
    Without ``mask_zero`` the id 0 is a word like any other, to the model and to the trace.
    """
    import keras

    layers = [layer for layer in model.layers if not isinstance(layer, (keras.layers.InputLayer, keras.layers.Dropout))]
    kinds = [type(layer).__name__ for layer in layers]
    if kinds not in (["Embedding", "LSTM", "Dense"], ["Embedding", "LSTM", "GlobalAveragePooling1D", "Dense"]):
        raise ValueError(
            "expected Embedding -> LSTM -> Dense layers (optionally GlobalAveragePooling1D "
            f"before Dense, and Dropout anywhere), got {' -> '.join(kinds)}"
        )
    embedding, lstm, dense = layers[0], layers[1], layers[-1]
    weights = LSTMWeights.from_keras(lstm)
    if weights.go_backwards:
        raise ValueError(
            "the LSTM has go_backwards=True: it reads each text from its last word, so its "
            "state after a prefix of the text is never computed and there is no probability "
            "per prefix to trace. Run lstm_forward(embeddings, LSTMWeights.from_keras(layer)) "
            "on the whole text instead"
        )
    table = _to_numpy(embedding.embeddings)
    ids = _token_ids(ids, len(table))
    mask = ids != 0 if embedding.mask_zero else None
    trace = lstm_forward(table[ids], weights, mask=mask)
    features = trace.h[0]
    if len(layers) == 4:  # the running mean of the outputs read: what the model reads if the text stopped here
        read = np.ones(len(ids)) if mask is None else mask.astype(np.float64)
        total, count = np.cumsum(features * read[:, None], axis=0), np.cumsum(read)[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            features = np.where(count > 0, total / count, np.nan)
    kernel, bias = (_to_numpy(w) for w in dense.weights)
    return trace, sigmoid(features @ kernel[:, 0] + bias[0])


def _token_ids(ids, vocabulary_size: int) -> np.ndarray:
    ids = np.asarray(ids)
    if ids.ndim == 2 and ids.shape[0] == 1:
        ids = ids[0]
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(f"ids must be one non-empty sequence of token ids, got an array of shape {ids.shape}")
    if not np.issubdtype(ids.dtype, np.integer):
        if not (np.issubdtype(ids.dtype, np.floating) and np.all(ids == np.round(ids))):
            raise ValueError(f"ids must be integer token ids, got values of type {ids.dtype}")
        ids = ids.astype(np.int64)
    bad = ids[(ids < 0) | (ids >= vocabulary_size)]
    if bad.size:
        raise ValueError(
            f"token ids must lie in [0, {vocabulary_size}) for this Embedding, got {bad[:5].tolist()}; "
            "encode the text with the vocabulary size the model was trained with"
        )
    return ids
