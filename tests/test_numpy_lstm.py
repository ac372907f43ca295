"""The NumPy cell must reproduce keras.layers.LSTM exactly, on the same weights."""

import keras
import numpy as np
import pytest

from lstm_course.numpy_lstm import (
    ACTIVATIONS,
    LSTMWeights,
    lstm_forward,
    lstm_param_count,
    lstm_step,
    sigmoid,
    trace_text_classifier,
)


def _keras_lstm(d, units, seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True, **kwargs)
    layer.build((None, None, d))
    # Random biases too, so that a wrong gate order cannot hide behind zero biases.
    rng = np.random.default_rng(seed)
    layer.set_weights([w + rng.normal(0, 0.3, w.shape) for w in layer.get_weights()])
    return layer


@pytest.mark.parametrize("d,units", [(1, 1), (3, 5), (8, 16)])
def test_forward_matches_keras(d, units):
    layer = _keras_lstm(d, units)
    x = np.random.default_rng(1).normal(size=(4, 7, d)).astype("float32")
    seq, h_last, c_last = (np.asarray(t) for t in layer(x))
    trace = lstm_forward(x, LSTMWeights.from_keras(layer))
    assert trace.h.shape == trace.c.shape == trace.forget.shape == (4, 7, units)
    np.testing.assert_allclose(trace.h, seq, atol=1e-5)
    np.testing.assert_allclose(trace.h[:, -1], h_last, atol=1e-5)
    np.testing.assert_allclose(trace.c[:, -1], c_last, atol=1e-5)


def test_initial_states_match_keras():
    layer = _keras_lstm(2, 3)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 5, 2)).astype("float32")
    h0, c0 = rng.normal(size=(2, 3)).astype("float32"), rng.normal(size=(2, 3)).astype("float32")
    seq, _, _ = layer(x, initial_state=[h0, c0])
    trace = lstm_forward(x, LSTMWeights.from_keras(layer), h0=h0, c0=c0)
    np.testing.assert_allclose(trace.h, np.asarray(seq), atol=1e-5)


def test_unbatched_input_gets_a_batch_axis():
    weights = LSTMWeights.random(3, 4)
    trace = lstm_forward(np.ones((6, 3)), weights)
    assert trace.h.shape == (1, 6, 4)


def test_gates_are_in_range_and_obey_the_update_rule():
    trace = lstm_forward(np.random.default_rng(0).normal(size=(2, 9, 3)), LSTMWeights.random(3, 4, scale=2.0))
    for gate in (trace.input, trace.forget, trace.output):
        assert gate.min() >= 0 and gate.max() <= 1
    assert np.abs(trace.candidate).max() <= 1
    c_prev = np.concatenate([np.zeros((2, 1, 4)), trace.c[:, :-1]], axis=1)
    np.testing.assert_allclose(trace.c, trace.forget * c_prev + trace.input * trace.candidate, atol=1e-12)
    np.testing.assert_allclose(trace.h, trace.output * np.tanh(trace.c), atol=1e-12)


def test_gate_blocks_follow_keras_order():
    weights = LSTMWeights(np.arange(8.0).reshape(1, 8), np.zeros((2, 8)), np.arange(8.0))
    W, U, b = weights.gate("candidate")
    np.testing.assert_array_equal(W, [[4.0, 5.0]])
    np.testing.assert_array_equal(b, [4.0, 5.0])
    assert U.shape == (2, 2)


@pytest.mark.parametrize("d,units", [(1, 50), (128, 128), (128, 512), (10, 7)])
def test_parameter_count_formula_matches_keras(d, units):
    layer = keras.layers.LSTM(units)
    layer.build((None, None, d))
    assert layer.count_params() == lstm_param_count(d, units) == 4 * (units * (units + d) + units)


def test_lstm_has_four_times_the_weights_of_a_simple_rnn():
    rnn = keras.layers.SimpleRNN(128)
    rnn.build((None, None, 128))
    assert rnn.count_params() == 32_896
    assert lstm_param_count(128, 128) == 131_584 == 4 * rnn.count_params()


def test_wrong_shapes_are_explained():
    with pytest.raises(ValueError, match="recurrent_kernel"):
        LSTMWeights(np.zeros((3, 16)), np.zeros((4, 12)), np.zeros(16))
    with pytest.raises(ValueError, match=r"\(batch, time, 3\)"):
        lstm_forward(np.zeros((2, 5, 4)), LSTMWeights.random(3, 4))


def test_unbuilt_layer_is_explained():
    with pytest.raises(ValueError, match="no weights yet"):
        LSTMWeights.from_keras(keras.layers.LSTM(4))


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(all="raise"):
        values = sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, 0.5, 1.0])


# --- layer settings: activations, no bias, go_backwards, masks ------------------------------------


def _keras_outputs(layer, x, **call):
    """(sequence, h_T, c_T, last output) of ``layer``, and of a twin without return_sequences."""
    seq, h_last, c_last = (np.asarray(t) for t in layer(x, **call))
    twin = keras.layers.LSTM.from_config({**layer.get_config(), "return_sequences": False, "return_state": False})
    twin.build(x.shape)
    twin.set_weights(layer.get_weights())
    return seq, h_last, c_last, np.asarray(twin(x, **call))


def _assert_reproduces(trace, seq, h_last, c_last, last_output):
    close = dict(rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(trace.h, seq, **close)
    np.testing.assert_allclose(trace.h[:, -1], last_output, **close)
    np.testing.assert_allclose(trace.final_state[0], h_last, **close)
    np.testing.assert_allclose(trace.final_state[1], c_last, **close)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_each_activation_is_keras_own(name):
    z = np.concatenate([np.linspace(-7, 7, 701), [-3, -1, -0.5, 0, 0.5, 1, 3]]).astype("float32")
    expected = keras.ops.convert_to_numpy(keras.activations.get(name)(z))
    np.testing.assert_allclose(ACTIVATIONS[name](z.astype(np.float64)), expected, rtol=2e-6, atol=2e-6)


def test_hard_sigmoid_is_the_keras_3_definition():
    # Keras 3: relu6(z + 3) / 6, flat beyond +-3 (Keras 2 used 0.2 z + 0.5, flat beyond +-2.5)
    np.testing.assert_allclose(
        ACTIVATIONS["hard_sigmoid"](np.array([-3.0, -2.5, 0.0, 1.5, 3.0])), [0.0, 1 / 12, 0.5, 0.75, 1.0]
    )


@pytest.mark.parametrize(
    "activation,recurrent_activation",
    [
        ("relu", "sigmoid"),
        ("linear", "sigmoid"),
        ("softsign", "sigmoid"),
        ("elu", "sigmoid"),
        ("swish", "sigmoid"),
        ("gelu", "sigmoid"),
        ("tanh", "hard_sigmoid"),
        ("tanh", "sparse_sigmoid"),
        ("tanh", "relu6"),
        ("hard_tanh", "hard_sigmoid"),
    ],
)
def test_chosen_activations_match_keras(activation, recurrent_activation):
    layer = _keras_lstm(2, 3, activation=activation, recurrent_activation=recurrent_activation)
    x = np.random.default_rng(3).normal(size=(2, 6, 2)).astype("float32")
    weights = LSTMWeights.from_keras(layer)
    assert weights.recurrent_activation == recurrent_activation
    assert weights.activation == {"swish": "silu"}.get(activation, activation)  # Keras's other name
    _assert_reproduces(lstm_forward(x, weights), *_keras_outputs(layer, x))


def test_default_activations_are_tanh_and_sigmoid():
    weights = LSTMWeights.random(2, 3)
    assert (weights.activation, weights.recurrent_activation) == ("tanh", "sigmoid")
    assert not weights.go_backwards and not weights.zero_output_for_mask


def test_lstm_cell_step_with_other_activations_matches_keras():
    cell = keras.layers.LSTMCell(3, activation="relu", recurrent_activation="hard_sigmoid")
    rng = np.random.default_rng(4)
    x, h0, c0 = (rng.normal(size=shape).astype("float32") for shape in ((2, 4), (2, 3), (2, 3)))
    h1, (_, c1) = cell(x, [h0, c0])
    h1_np, c1_np, _ = lstm_step(x, h0, c0, LSTMWeights.from_keras(cell))
    np.testing.assert_allclose(h1_np, np.asarray(h1), atol=1e-5)
    np.testing.assert_allclose(c1_np, np.asarray(c1), atol=1e-5)


def test_layer_without_bias_is_a_zero_bias():
    layer = _keras_lstm(3, 4, use_bias=False)
    weights = LSTMWeights.from_keras(layer)
    np.testing.assert_array_equal(weights.bias, np.zeros(16))
    x = np.random.default_rng(5).normal(size=(2, 5, 3)).astype("float32")
    _assert_reproduces(lstm_forward(x, weights), *_keras_outputs(layer, x))
    assert LSTMWeights(np.ones((3, 16)), np.ones((4, 16)), None).bias.shape == (16,)


def test_go_backwards_reads_from_the_end_and_returns_reading_order():
    layer = _keras_lstm(2, 3, go_backwards=True)
    x = np.random.default_rng(6).normal(size=(3, 5, 2)).astype("float32")
    weights = LSTMWeights.from_keras(layer)
    assert weights.go_backwards
    trace = lstm_forward(x, weights)
    _assert_reproduces(trace, *_keras_outputs(layer, x))
    # what Keras returns is the forward reading of the reversed sequence, not re-reversed
    forward = LSTMWeights(weights.kernel, weights.recurrent_kernel, weights.bias)
    np.testing.assert_allclose(trace.h, lstm_forward(x[:, ::-1], forward).h, atol=1e-12)


# One row each: padding at the start, padding at the end, holes inside, nothing read, everything read.
MASK = np.array(
    [
        [0, 0, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 0],
        [1, 0, 1, 0, 0, 1],
        [0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 1],
    ],
    dtype=bool,
)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"go_backwards": True},
        {"zero_output_for_mask": True},
        {"go_backwards": True, "zero_output_for_mask": True},
        {"unroll": True},
        {"unroll": True, "go_backwards": True},
    ],
    ids=lambda settings: "-".join(settings) or "default",
)
@pytest.mark.parametrize("initial", ["zero", "given"])
def test_mask_matches_keras(settings, initial):
    layer = _keras_lstm(2, 3, **settings)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(5, 6, 2)).astype("float32")
    call = {"mask": MASK}
    if initial == "given":  # a masked first step must output zeros, not h0, and keep h0 as the state
        call["initial_state"] = [rng.normal(size=(5, 3)).astype("float32") for _ in range(2)]
    trace = lstm_forward(x, LSTMWeights.from_keras(layer), *call.get("initial_state", ()), mask=MASK)
    _assert_reproduces(trace, *_keras_outputs(layer, x, **call))


def test_masked_steps_keep_the_state_and_compute_no_gates():
    weights = LSTMWeights.random(2, 3, seed=1)
    x = np.random.default_rng(8).normal(size=(5, 6, 2))
    trace = lstm_forward(x, weights, mask=MASK)
    for gate in (trace.input, trace.forget, trace.candidate, trace.output):
        assert np.isnan(gate[~MASK]).all() and not np.isnan(gate[MASK]).any()
    # row 0: nothing before step 2, so the outputs are zeros and the state is the initial one
    np.testing.assert_array_equal(trace.h[0, :2], 0.0)
    np.testing.assert_array_equal(trace.c[0, :2], 0.0)
    # row 1: padding at the end repeats the last output and keeps the state
    np.testing.assert_array_equal(trace.h[1, 4:], trace.h[1, [3, 3]])
    np.testing.assert_array_equal(trace.c[1, 4:], trace.c[1, [3, 3]])
    # row 2 equals the unpadded sequence of its three real steps
    alone = lstm_forward(x[2, MASK[2]], weights)
    np.testing.assert_allclose(trace.final_state[0][2], alone.h[0, -1], atol=1e-12)
    # an all-ones mask changes nothing
    np.testing.assert_allclose(trace.h[4], lstm_forward(x[4], weights).h[0], atol=1e-12)


def test_bidirectional_halves_with_a_mask_match_keras():
    keras.utils.set_random_seed(9)
    bi = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))
    x = np.random.default_rng(9).normal(size=(5, 6, 2)).astype("float32")
    y = np.asarray(bi(x, mask=MASK))
    forward, backward = (LSTMWeights.from_keras(half) for half in (bi.forward_layer, bi.backward_layer))
    assert backward.go_backwards and backward.zero_output_for_mask  # Bidirectional sets both
    np.testing.assert_allclose(y[..., :3], lstm_forward(x, forward, mask=MASK).h, atol=1e-5)
    np.testing.assert_allclose(y[..., 3:], lstm_forward(x, backward, mask=MASK).h[:, ::-1], atol=1e-5)


def test_rnn_around_an_lstm_cell_is_an_lstm():
    keras.utils.set_random_seed(10)
    layer = keras.layers.RNN(keras.layers.LSTMCell(3, activation="relu"), return_sequences=True, go_backwards=True)
    x = np.random.default_rng(10).normal(size=(2, 5, 2)).astype("float32")
    y = np.asarray(layer(x, mask=MASK[:2, :5]))
    weights = LSTMWeights.from_keras(layer)
    assert weights.go_backwards and weights.activation == "relu"
    np.testing.assert_allclose(lstm_forward(x, weights, mask=MASK[:2, :5]).h, y, atol=1e-5)


def test_stateful_layer_continues_from_its_states():
    keras.utils.set_random_seed(11)
    layer = keras.layers.LSTM(3, stateful=True, return_sequences=True)
    rng = np.random.default_rng(11)
    first, second = (rng.normal(size=(2, 4, 2)).astype("float32") for _ in range(2))
    layer(first)
    h0, c0 = (s.numpy() for s in layer.states)
    expected = np.asarray(layer(second))
    np.testing.assert_allclose(lstm_forward(second, LSTMWeights.from_keras(layer), h0, c0).h, expected, atol=1e-5)


def test_unbatched_input_takes_an_unbatched_mask():
    weights = LSTMWeights.random(2, 3)
    x = np.random.default_rng(12).normal(size=(6, 2))
    np.testing.assert_array_equal(
        lstm_forward(x, weights, mask=MASK[2]).h, lstm_forward(x[None], weights, mask=MASK[2:3].astype(int)).h
    )


# --- refusals -----------------------------------------------------------------------------------


def _built(layer, shape=(None, None, 2)):
    layer.build(shape)
    return layer


@pytest.mark.parametrize(
    "make,message",
    [
        (
            lambda: _built(keras.layers.Bidirectional(keras.layers.LSTM(3))),
            r"Bidirectional wrapper.*pass one of them, `layer.forward_layer` or `layer.backward_layer`",
        ),
        (
            lambda: _built(keras.layers.Bidirectional(keras.layers.GRU(3))),
            r"Bidirectional wrapper around GRU layers; the NumPy LSTM reproduces only keras.layers.LSTM",
        ),
        (
            lambda: _built(keras.layers.GRU(3)),
            r"got a GRU layer, which computes other equations than the LSTM's; .*run this layer in Keras",
        ),
        (lambda: _built(keras.layers.SimpleRNN(3)), r"got a SimpleRNN layer, which computes other equations"),
        (lambda: keras.layers.GRUCell(3), r"got a GRUCell layer, which computes other equations"),
        (
            lambda: keras.layers.RNN([keras.layers.LSTMCell(3), keras.layers.LSTMCell(3)]),
            r"got a RNN layer whose cell is StackedRNNCells, which computes other equations",
        ),
        (lambda: _built(keras.layers.Dense(3), (None, 2)), r"got a Dense layer; pass the LSTM layer itself"),
        (lambda: _built(keras.layers.Embedding(10, 2), (None, 4)), r"got a Embedding layer; pass the LSTM layer"),
        (
            lambda: keras.Sequential(
                [keras.Input((None, 2)), keras.layers.LSTM(3, name="encoder"), keras.layers.Dense(1)]
            ),
            r"got a model \(Sequential\); pass one of its LSTM layers \(its LSTM layers: 'encoder', "
            r"e.g. model.get_layer\('encoder'\)\)",
        ),
        (lambda: np.zeros((2, 12)), r"needs a Keras 3 LSTM layer, got numpy.ndarray; .*LSTMWeights\(kernel"),
    ],
    ids=[
        "Bidirectional",
        "Bidirectional-GRU",
        "GRU",
        "SimpleRNN",
        "GRUCell",
        "stacked-cells",
        "Dense",
        "Embedding",
        "model",
        "array",
    ],
)
def test_other_layers_are_refused_with_what_to_pass(make, message):
    with pytest.raises(TypeError, match=message):
        LSTMWeights.from_keras(make())


@pytest.mark.parametrize(
    "settings,message",
    [
        (
            {"activation": lambda z: z * 2},
            r"activation=\S*<lambda> is not supported: .*Build the "
            r"layer with one of them \(e.g. activation='tanh'\)",
        ),
        (
            {"recurrent_activation": keras.ops.sigmoid},
            r"recurrent_activation=keras.*sigmoid is not supported: .*recurrent_activation='sigmoid'",
        ),
        ({"activation": "softmax"}, r"activation=keras.*softmax is not supported: the NumPy LSTM reproduces only"),
        (
            {"unroll": True, "go_backwards": True, "zero_output_for_mask": True},
            r"unroll=True together with go_backwards=True and zero_output_for_mask=True .* "
            r"Build the layer with unroll=False",
        ),
    ],
)
def test_settings_it_cannot_reproduce_are_refused(settings, message):
    layer = _built(keras.layers.LSTM(3, **settings))
    with pytest.raises(ValueError, match=message):
        LSTMWeights.from_keras(layer)


def test_direct_construction_checks_activations():
    arrays = np.zeros((2, 12)), np.zeros((3, 12)), np.zeros(12)
    with pytest.raises(
        ValueError,
        match=r"activation='softmax' is not an activation the NumPy LSTM "
        r"reproduces; use one of tanh, sigmoid",
    ):
        LSTMWeights(*arrays, activation="softmax")
    with pytest.raises(TypeError, match=r"recurrent_activation must be the name of an activation"):
        LSTMWeights(*arrays, recurrent_activation=np.tanh)
    assert LSTMWeights(*arrays, activation="hard_swish").activation == "hard_silu"


def test_bad_masks_and_states_are_explained():
    weights, x = LSTMWeights.random(2, 3), np.zeros((2, 4, 2))
    with pytest.raises(
        ValueError,
        match=r"mask must have shape \(2, 4\) \(batch, time: one flag per step "
        r"of x\), got \(4,\)",
    ):
        lstm_forward(x, weights, mask=np.ones(4, bool))
    with pytest.raises(ValueError, match=r"mask must have shape \(4,\) \(time: one flag"):
        lstm_forward(x[0], weights, mask=np.ones(5, bool))
    with pytest.raises(ValueError, match=r"mask must hold booleans .* or 0/1, got values of type float64"):
        lstm_forward(x, weights, mask=np.full((2, 4), 0.5))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 3\) \(batch, units\), got \(2, 4\)"):
        lstm_forward(x, weights, h0=np.zeros((2, 4)))


def test_text_classifier_trace_reproduces_the_model_after_every_prefix():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(50, 4),
            keras.layers.LSTM(3),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    ids = [1, 7, 3, 42, 9]
    trace, p = trace_text_classifier(model, ids)
    assert trace.h.shape == (1, 5, 3) and p.shape == (5,)
    for k in range(1, 6):
        expected = float(model.predict(np.array([ids[:k]]), verbose=0)[0, 0])
        assert abs(p[k - 1] - expected) < 1e-5


def test_text_classifier_trace_follows_an_averaged_readout_and_skips_dropout():
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(50, 4, mask_zero=True),
            keras.layers.Dropout(0.5),
            keras.layers.LSTM(3, return_sequences=True),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    ids = [4, 11, 2, 30, 8, 17]
    _, p = trace_text_classifier(model, ids)
    for k in range(1, 7):
        # padded at the end, as the faster recipe's batches are: the mask keeps the padding out of the mean
        padded = np.array([ids[:k] + [0] * (6 - k)])
        assert abs(p[k - 1] - float(model.predict(padded, verbose=0)[0, 0])) < 1e-5


def test_text_classifier_trace_refuses_other_architectures():
    model = keras.Sequential(
        [keras.Input((None,)), keras.layers.Embedding(10, 2), keras.layers.GRU(2), keras.layers.Dense(1)]
    )
    with pytest.raises(ValueError, match="Embedding -> LSTM -> Dense"):
        trace_text_classifier(model, [1, 2])


def _classifier(mask_zero, pooled, seed=2, **lstm_settings):
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(50, 4, mask_zero=mask_zero),
            keras.layers.LSTM(3, return_sequences=pooled, **lstm_settings),
            *([keras.layers.GlobalAveragePooling1D()] if pooled else []),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def _model_after_each_prefix(model, ids):
    return np.array(
        [float(np.asarray(model(np.array([ids[:k]]), training=False))[0, 0]) for k in range(1, len(ids) + 1)]
    )


@pytest.mark.parametrize("pooled", [False, True], ids=["last-state", "averaged"])
def test_text_classifier_trace_skips_padding_as_the_masked_model_does(pooled):
    model = _classifier(mask_zero=True, pooled=pooled)
    ids = [0, 0, 5, 7, 0, 3, 9, 0, 0]  # padding at the start, inside and at the end
    trace, p = trace_text_classifier(model, ids)
    expected = _model_after_each_prefix(model, ids)
    if pooled:  # a prefix of padding only has no average: NaN in Keras too
        assert np.isnan(expected[:2]).all() and np.isnan(p[:2]).all()
    else:  # before any word the LSTM outputs zeros: the Dense layer's bias alone
        np.testing.assert_allclose(p[:2], sigmoid(model.layers[-1].bias.numpy()[0]), atol=1e-6)
    np.testing.assert_allclose(p[2:], expected[2:], atol=1e-5)
    padding = np.array(ids) == 0
    assert np.isnan(trace.forget[0, padding]).all() and not np.isnan(trace.forget[0, ~padding]).any()
    # the padding is invisible: the text without it ends with the same probability
    np.testing.assert_allclose(p[-1], trace_text_classifier(model, [5, 7, 3, 9])[1][-1], atol=1e-12)


def test_text_classifier_trace_reads_id_zero_as_a_word_without_mask_zero():
    model = _classifier(mask_zero=False, pooled=True)
    ids = [0, 4, 0, 8, 0]
    trace, p = trace_text_classifier(model, ids)
    assert not np.isnan(trace.forget).any()
    np.testing.assert_allclose(p, _model_after_each_prefix(model, ids), atol=1e-5)


def test_text_classifier_trace_refuses_a_backwards_lstm():
    model = _classifier(mask_zero=False, pooled=False, go_backwards=True)
    with pytest.raises(ValueError, match=r"the LSTM has go_backwards=True: .* no probability per prefix"):
        trace_text_classifier(model, [1, 2, 3])


@pytest.mark.parametrize(
    "ids,message",
    [
        ([3, -1], r"token ids must lie in \[0, 50\) for this Embedding, got \[-1\]"),
        ([3, 50, 70], r"token ids must lie in \[0, 50\) for this Embedding, got \[50, 70\]"),
        ([[1, 2], [3, 4]], r"ids must be one non-empty sequence of token ids, got an array of shape \(2, 2\)"),
        ([], r"ids must be one non-empty sequence"),
        ([1.5, 2.0], r"ids must be integer token ids, got values of type float64"),
    ],
)
def test_text_classifier_trace_explains_bad_ids(ids, message):
    model = _classifier(mask_zero=True, pooled=False)
    with pytest.raises(ValueError, match=message):
        trace_text_classifier(model, ids)


def test_text_classifier_trace_takes_a_batch_of_one():
    model = _classifier(mask_zero=True, pooled=False)
    np.testing.assert_array_equal(
        trace_text_classifier(model, np.array([[3, 4, 5]]))[1], trace_text_classifier(model, [3, 4, 5])[1]
    )
