"""The NumPy cell must reproduce keras.layers.LSTM exactly, on the same weights."""

import keras
import numpy as np
import pytest

from lstm_course.numpy_lstm import LSTMWeights, lstm_forward, lstm_param_count, sigmoid, trace_text_classifier


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


def test_text_classifier_trace_reproduces_the_model_after_every_prefix():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(50, 4),
        keras.layers.LSTM(3),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    ids = [1, 7, 3, 42, 9]
    trace, p = trace_text_classifier(model, ids)
    assert trace.h.shape == (1, 5, 3) and p.shape == (5,)
    for k in range(1, 6):
        expected = float(model.predict(np.array([ids[:k]]), verbose=0)[0, 0])
        assert abs(p[k - 1] - expected) < 1e-5


def test_text_classifier_trace_follows_an_averaged_readout_and_skips_dropout():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(50, 4, mask_zero=True),
        keras.layers.Dropout(0.5),
        keras.layers.LSTM(3, return_sequences=True),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    ids = [4, 11, 2, 30, 8, 17]
    _, p = trace_text_classifier(model, ids)
    for k in range(1, 7):
        # padded at the end, as the faster recipe's batches are: the mask keeps the padding out of the mean
        padded = np.array([ids[:k] + [0] * (6 - k)])
        assert abs(p[k - 1] - float(model.predict(padded, verbose=0)[0, 0])) < 1e-5


def test_text_classifier_trace_refuses_other_architectures():
    model = keras.Sequential([keras.Input((None,)), keras.layers.Embedding(10, 2), keras.layers.GRU(2), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="Embedding -> LSTM -> Dense"):
        trace_text_classifier(model, [1, 2])
