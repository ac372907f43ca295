"""Two replicas on one CPU: the all-reduce gives every replica the gradient of the whole batch."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_course import distributed, recipes


def _reviews(n=8, length=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(1, 10_000, size=(n, length)).astype("int32"), rng.integers(0, 2, size=n).astype("float32")


def test_two_replicas_split_each_batch_and_stay_identical(tmp_path):
    x, y = _reviews()
    report = distributed.run_two_replicas(x, y, batch=4, epochs=1, seed=3, folder=str(tmp_path))
    assert report["replicas"] == 2 and len(report["devices"]) == 2
    assert report["slice_sizes"] == [2, 2] and report["per_replica_batch"] == 2
    assert report["first_ids"] == [[0, 1], [2, 3]]
    assert report["local_gradients_differ_by"] > 0 and report["summed_gradients_differ_by"] == 0.0
    assert report["copies_differ_by"] == 0.0 and len(report["history"]["loss"]) == 1

    # The all-reduced gradient is the gradient of the mean loss over the whole first batch.
    keras.utils.set_random_seed(3)
    model = recipes.build_seed_classifier("LSTM")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(y[:4, None], model(x[:4], training=True)))
    whole = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, model.trainable_variables)]
    assert np.isclose(sum(report["replica_losses"]), float(loss), rtol=1e-5)
    for summed, expected in zip(report["summed_gradients"], whole):
        np.testing.assert_allclose(summed, expected, atol=1e-5 * max(np.abs(expected).max(), 1e-12))
    assert [w.shape for w in report["weights"]] == [w.shape for w in model.get_weights()]


def test_replica_step_is_shown_with_its_all_reduce():
    import inspect

    assert "all_reduce" in inspect.getsource(distributed.replica_step)


@pytest.mark.parametrize(
    ("batch", "message"), [(3, "must be even"), (6, "divide the number of examples"), (0, "must be even")]
)
def test_batches_that_do_not_split_evenly_are_refused(batch, message):
    x, y = _reviews()
    with pytest.raises(ValueError, match=message):
        distributed.run_two_replicas(x, y, batch=batch, epochs=1, seed=0)


def test_mismatched_labels_and_epochs_are_refused():
    x, y = _reviews()
    with pytest.raises(ValueError, match="8 examples but y has 7"):
        distributed.run_two_replicas(x, y[:7], batch=4, epochs=1, seed=0)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        distributed.run_two_replicas(x, y, batch=4, epochs=0, seed=0)
