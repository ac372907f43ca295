"""lstm_course.tracing: one trace of the first training step, and nothing else changed."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_course import tracing


class CountingSequential(keras.Sequential):
    """A Sequential model that counts how often Keras traces its training and test steps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.train_traces = 0
        self.test_traces = 0

    def train_step(self, data):
        self.train_traces += 1  # Python runs here only while TensorFlow traces the step
        return super().train_step(data)

    def test_step(self, data):
        self.test_traces += 1
        return super().test_step(data)


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((64, 6, 3), dtype=np.float32)
    y = (x.sum(axis=(1, 2)) > 9).astype("float32")
    return x, y


def _classifier(with_input=True):
    layers = [
        keras.layers.LSTM(8, dropout=0.2, recurrent_dropout=0.1),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
    model = CountingSequential(([keras.Input((6, 3))] if with_input else []) + layers)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


@pytest.fixture
def keras_default():
    """Keras's own behaviour during the test; the course's setting is restored afterwards."""
    was_on = tracing.is_on()
    tracing.build_inside_first_step()
    yield
    if was_on:
        tracing.build_before_first_step()
    else:
        tracing.build_inside_first_step()


def _fit(with_input=True, dataset=False):
    keras.utils.set_random_seed(3)
    x, y = _data()
    model = _classifier(with_input)
    if dataset:
        data = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).batch(16)
        history = model.fit(data, epochs=2, validation_data=data, shuffle=False, verbose=0)
    else:
        history = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    return model, history.history


@pytest.mark.parametrize("with_input, dataset", [(True, False), (False, True)], ids=["arrays", "tf.data-unbuilt"])
def test_one_trace_and_identical_training(keras_default, with_input, dataset):
    default_model, default_history = _fit(with_input, dataset)
    assert tracing.build_before_first_step() is True
    model, history = _fit(with_input, dataset)

    # Why the module exists; if a Keras release traces once by itself, the module can go.
    assert default_model.train_traces == 2, "Keras alone now traces the first step once"
    assert model.train_traces == 1
    assert history == default_history  # same losses and metrics, to the last bit
    for ours, theirs in zip(model.get_weights(), default_model.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert len(model.optimizer.variables) == len(default_model.optimizer.variables)


def test_evaluate_first_and_train_on_batch_are_unchanged(keras_default):
    def run():
        keras.utils.set_random_seed(5)
        x, y = _data()
        model = _classifier()
        evaluated = model.evaluate(x, y, verbose=0)
        trained = model.train_on_batch(x[:16], y[:16])
        return model, evaluated, trained

    default_model, *default_results = run()
    tracing.build_before_first_step()
    model, *results = run()
    assert results == default_results
    assert (default_model.test_traces, model.test_traces) == (2, 1)
    assert (default_model.train_traces, model.train_traces) == (2, 1)


class NeedsKnownBatch(keras.Model):
    """A model whose call cannot run on the symbolic batch (unknown batch size)."""

    def __init__(self):
        super().__init__()
        self.lstm = keras.layers.LSTM(4)
        self.out = keras.layers.Dense(1)

    def call(self, x):
        if x.shape[0] is None:
            raise ValueError("this model needs a known batch size")
        return self.out(self.lstm(x))


def test_a_model_that_cannot_be_built_symbolically_trains_as_keras_would(keras_default):
    def fit():
        keras.utils.set_random_seed(0)
        x, y = _data()
        model = NeedsKnownBatch()
        model.compile(optimizer="adam", loss="mse")
        return model.fit(x, y, epochs=1, batch_size=16, verbose=0).history

    default_history = fit()
    tracing.build_before_first_step()
    assert fit() == default_history


def test_switching_on_twice_and_off_again(keras_default):
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    original = TensorFlowTrainer._maybe_symbolic_build
    assert not tracing.is_on()
    assert tracing.build_before_first_step() is True
    patched = TensorFlowTrainer._maybe_symbolic_build
    assert patched is not original and tracing.is_on()
    assert tracing.build_before_first_step() is True
    assert TensorFlowTrainer._maybe_symbolic_build is patched  # not wrapped twice
    tracing.build_inside_first_step()
    assert TensorFlowTrainer._maybe_symbolic_build is original and not tracing.is_on()


def test_start_notebook_switches_it_on(keras_default, capsys):
    import lstm_course as lc

    lc.start_notebook(seed=0)
    assert tracing.is_on()
