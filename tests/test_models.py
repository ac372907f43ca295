"""Seeds, parameter counts, gate-bias initialisers, stateful layers and training curves."""

import keras
import numpy as np
import pytest

from lstm_course import models
from lstm_course.numpy_lstm import lstm_param_count


def _tiny_model():
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_trainable_params_ignore_the_optimizer_state():
    model = _tiny_model()
    before = models.trainable_params(model)
    assert before == model.count_params() == lstm_param_count(2, 4) + 5
    model.fit(np.zeros((8, 5, 2)), np.zeros((8, 1)), epochs=1, verbose=0)
    assert models.trainable_params(model) == before
    assert model.count_params() == before  # count_params too; summary()'s total is what grows


def test_trainable_params_skip_frozen_layers():
    model = _tiny_model()
    model.layers[0].trainable = False
    assert models.trainable_params(model) == 5


def test_set_seed_makes_initialisation_repeatable():
    models.set_seed(3)
    a = _tiny_model().get_weights()[0]
    models.set_seed(3)
    b = _tiny_model().get_weights()[0]
    models.set_seed(4)
    c = _tiny_model().get_weights()[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_forget_gate_bias_fills_the_second_of_four_blocks():
    layer = keras.layers.LSTM(3, unit_forget_bias=False, bias_initializer=models.forget_gate_bias(2.5))
    layer.build((None, None, 2))
    bias = keras.ops.convert_to_numpy(layer.cell.bias).reshape(4, 3)  # input, forget, candidate, output
    np.testing.assert_array_equal(bias, [[0] * 3, [2.5] * 3, [0] * 3, [0] * 3])


def test_gate_bias_fills_the_first_row_of_a_two_row_gru_bias():
    layer = keras.layers.GRU(2, reset_after=True, bias_initializer=models.gate_bias(-1.0, block=0, n_blocks=3))
    layer.build((None, None, 4))
    bias = keras.ops.convert_to_numpy(layer.cell.bias)
    assert bias.shape == (2, 6)
    np.testing.assert_array_equal(bias[0], [-1, -1, 0, 0, 0, 0])
    np.testing.assert_array_equal(bias[1], np.zeros(6))


def test_gate_bias_refuses_impossible_blocks():
    with pytest.raises(ValueError, match=r"block must be in 0\.\.3"):
        models.gate_bias(1.0, block=4)
    with pytest.raises(ValueError, match="does not split into 4"):
        models.gate_bias(1.0, block=1)((10,))


def test_reset_stateful_layers_zeroes_the_state_of_nested_layers():
    inner = keras.Sequential(
        [keras.Input(batch_shape=(2, None, 1)), keras.layers.LSTM(3, stateful=True, return_sequences=True)]
    )
    model = keras.Sequential([inner, keras.layers.Dense(1)])
    chunk = np.ones((2, 4, 1), "float32")
    first = keras.ops.convert_to_numpy(model(chunk))
    second = keras.ops.convert_to_numpy(model(chunk))
    assert np.abs(second - first).max() > 1e-4  # the second call starts from the first's state
    assert models.reset_stateful_layers(model) == 1
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(chunk)), first, atol=1e-6)


def test_reset_stateful_layers_counts_nothing_in_a_stateless_model():
    assert models.reset_stateful_layers(_tiny_model()) == 0


def test_epochs_to_reach_counts_from_one_and_handles_losses():
    assert models.epochs_to_reach([0.5, 0.8, 0.95, 0.99], 0.9) == 3
    assert models.epochs_to_reach([0.5, 0.6], 0.9) is None
    assert models.epochs_to_reach([], 0.9) is None
    assert models.epochs_to_reach([0.7, 0.3, 0.1], 0.3, higher_is_better=False) == 2


def test_predict_in_one_call_matches_predict_with_dropout_off():
    models.set_seed(0)
    model = keras.Sequential(
        [keras.Input((5, 2)), keras.layers.LSTM(4), keras.layers.Dropout(0.5), keras.layers.Dense(3)]
    )
    x = np.random.default_rng(0).normal(size=(7, 5, 2)).astype("float32")
    outputs = models.predict_in_one_call(model, x)
    assert isinstance(outputs, np.ndarray) and outputs.shape == (7, 3)
    np.testing.assert_allclose(outputs, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(outputs, models.predict_in_one_call(model, x))  # no dropout: repeatable
