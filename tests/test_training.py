import keras
import numpy as np
import pytest

from lstm_course import training


def _tiny_model():
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_seconds_per_step_is_a_positive_time():
    x = np.zeros((64, 5, 2), "float32")
    y = np.zeros((64, 1), "float32")
    seconds = training.seconds_per_step(_tiny_model(), x, y, batch_size=16, steps=3, warmup=1)
    assert 0 < seconds < 10


def test_seconds_per_step_needs_a_full_batch():
    with pytest.raises(ValueError, match="full batch"):
        training.seconds_per_step(_tiny_model(), np.zeros((8, 5, 2)), np.zeros((8, 1)), batch_size=16)


def test_trainable_params_ignore_the_optimizer_state():
    model = _tiny_model()
    before = training.trainable_params(model)
    assert before == model.count_params() == 4 * (4 * (4 + 2) + 4) + 5
    model.fit(np.zeros((8, 5, 2)), np.zeros((8, 1)), epochs=1, verbose=0)
    assert training.trainable_params(model) == before


def test_set_seed_makes_initialisation_repeatable():
    training.set_seed(3)
    a = _tiny_model().get_weights()[0]
    training.set_seed(3)
    b = _tiny_model().get_weights()[0]
    np.testing.assert_array_equal(a, b)
