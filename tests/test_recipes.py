"""The IMDB recipes: model shapes and parameter counts, padding, bucketing, and a tiny fit."""

import time

import numpy as np
import pytest

from lstm_course import recipes
from lstm_course.models import trainable_params
from lstm_course.numpy_lstm import lstm_param_count
from lstm_course.sequences import padded_steps, split_validation


def test_seed_classifiers_have_the_errata_parameter_counts():
    assert trainable_params(recipes.build_seed_classifier("SimpleRNN")) == 1_313_025
    assert trainable_params(recipes.build_seed_classifier("LSTM")) == 1_411_713
    # masking changes the computation, not the weights
    assert trainable_params(recipes.build_seed_classifier("LSTM", mask_zero=True)) == 1_411_713
    assert trainable_params(recipes.build_large_classifier()) == 2_625_665
    # the faster recipe reads the outputs of a smaller LSTM; with 128 units it has the seed's weights
    assert trainable_params(recipes.build_faster_classifier()) == 10_000 * 128 + lstm_param_count(128, 64) + 64 + 1
    assert trainable_params(recipes.build_faster_classifier()) == 1_329_473
    assert trainable_params(recipes.build_faster_classifier(units=128)) == 1_411_713


def test_small_classifier_counts_and_output_shape():
    model = recipes.build_seed_classifier("LSTM", vocab_size=50, units=4, embedding_dim=3)
    assert trainable_params(model) == 50 * 3 + lstm_param_count(3, 4) + 4 + 1
    out = model.predict(np.array([[1, 2, 3], [0, 4, 5]]), verbose=0)
    assert out.shape == (2, 1) and np.all((out > 0) & (out < 1))
    with pytest.raises(ValueError, match="kind"):
        recipes.build_seed_classifier("GRU")


def _random_reviews(n, seed, max_words=12):
    rng = np.random.default_rng(seed)
    seqs = np.empty(n, dtype=object)
    seqs[:] = [rng.integers(1, 30, size=rng.integers(3, max_words)).tolist() for _ in range(n)]
    return seqs, rng.integers(0, 2, size=n)


def _accuracy_by_hand(model, seqs, labels, maxlen):
    probabilities = model.predict(recipes.pad(seqs, maxlen), verbose=0)[:, 0]
    return float(np.mean((probabilities > 0.5) == labels))


def test_recipes_train_and_time_a_tiny_model(monkeypatch):
    # Small sizes: the point is that both recipes run end to end and report what they promise.
    seqs, labels = _random_reviews(64, seed=0)
    monkeypatch.setitem(recipes.SEED_RECIPE, "maxlen", 12)
    started = time.perf_counter()
    seed = recipes.fit_seed_recipe(seqs, labels, "LSTM", vocab_size=30, epochs=1)
    fast = recipes.fit_faster_recipe(seqs, labels, vocab_size=30, maxlen=12, epochs=2, batch_size=16)
    elapsed = time.perf_counter() - started
    assert len(seed.history["val_accuracy"]) == 1 and len(fast.history["val_accuracy"]) in (1, 2)
    assert 0 < seed.seconds + fast.seconds <= elapsed  # fit alone is timed, nothing before or after
    for result in (seed, fast):
        assert recipes.evaluate_accuracy(result.model, seqs, labels, maxlen=12) == pytest.approx(
            _accuracy_by_hand(result.model, seqs, labels, 12)
        )
    # the kept weights are those of the best epoch: they score its validation accuracy again
    val_accuracy = fast.history["val_accuracy"]
    assert fast.notes["best_epoch"] == int(np.argmax(val_accuracy)) + 1
    (x_fit, _), (x_val, y_val) = split_validation(seqs, labels, 0.2)
    assert recipes.evaluate_accuracy(fast.model, x_val, y_val, maxlen=12) == pytest.approx(max(val_accuracy))
    assert fast.notes["time_steps"] == {
        "bucketed": padded_steps(x_fit, 16, 12, bucketed=True),
        "padded": len(x_fit) * 12,
    }
    assert fast.notes["time_steps"]["bucketed"] < fast.notes["time_steps"]["padded"]  # lengths 3..11 of 12
    assert fast.notes["settings"] == {
        "batch_size": 16,
        "epochs": 2,
        "learning_rate": 2e-3,
        "clipnorm": None,
        "maxlen": 12,
        "units": recipes.FASTER_RECIPE["units"],
    }


def test_cosine_decay_falls_to_zero_over_the_planned_epochs():
    schedule = recipes.cosine_decay(3e-3, n_reviews=1_000, batch_size=128, epochs=2)  # 8 batches an epoch
    assert float(schedule(0)) == pytest.approx(3e-3)
    assert float(schedule(8)) == pytest.approx(1.5e-3)  # half way
    assert float(schedule(16)) == pytest.approx(0.0, abs=1e-9)


def test_best_classifier_counts_and_masked_average():
    # Embedding + a bidirectional LSTM(64) (two LSTMs of 64 units on 128 inputs) + Dense(128 -> 1)
    assert trainable_params(recipes.build_best_classifier()) == (
        10_000 * 128 + 2 * lstm_param_count(128, 64) + 2 * 64 + 1
    )
    model = recipes.build_best_classifier(vocab_size=20, embedding_dim=3, units=2)
    # with the mask, padding after a review changes nothing (dropout is off at inference)
    short = model.predict(np.array([[4, 5, 6]]), verbose=0)
    padded = model.predict(np.array([[4, 5, 6, 0, 0, 0, 0]]), verbose=0)
    np.testing.assert_allclose(short, padded, rtol=1e-5, atol=1e-6)


def test_evaluation_pads_a_masking_model_at_the_end_and_others_in_front(monkeypatch):
    # End padding is the layout cuDNN's GPU kernel accepts with a mask; the seed trains on front padding.
    seqs, labels = _random_reviews(20, seed=3, max_words=20)
    masked = recipes.build_faster_classifier(vocab_size=30, units=4, embedding_dim=4)
    plain = recipes.build_seed_classifier("LSTM", vocab_size=30, units=4, embedding_dim=4)
    assert recipes.masks_padding(masked) and not recipes.masks_padding(plain)
    front = _accuracy_by_hand(masked, seqs, labels, 16)  # the mask makes the side of the padding irrelevant
    sides = []
    pad = recipes.pad
    monkeypatch.setattr(recipes, "pad", lambda *a, padding="pre": sides.append(padding) or pad(*a, padding=padding))
    assert recipes.evaluate_accuracy(masked, seqs, labels, maxlen=16) == pytest.approx(front)
    recipes.evaluate_accuracy(plain, seqs, labels, maxlen=16)
    assert sides == ["post", "pre"]


def test_best_recipe_trains_a_tiny_model():
    seqs, labels = _random_reviews(48, seed=1, max_words=20)
    best = recipes.fit_best_recipe(seqs, labels, vocab_size=30, maxlen=16, batch_size=16, epochs=2, units=4)
    assert len(best.history["val_accuracy"]) == 2  # patience = epochs: it never stops early
    assert best.notes["best_epoch"] == int(np.argmax(best.history["val_accuracy"])) + 1
    (x_fit, _), _ = split_validation(seqs, labels, 0.2)
    assert best.notes["time_steps"]["bucketed"] == padded_steps(x_fit, 16, 16, bucketed=True)
    # a masked model scores the same on length buckets as on front-padded reviews
    by_hand = _accuracy_by_hand(best.model, seqs, labels, 16)
    for bucketed in (False, True):
        assert recipes.evaluate_accuracy(best.model, seqs, labels, maxlen=16, bucketed=bucketed) == pytest.approx(
            by_hand
        )


def test_best_recipe_starts_from_the_language_models_embedding(monkeypatch):
    rng = np.random.default_rng(2)
    seqs = np.empty(40, dtype=object)
    seqs[:] = [rng.integers(1, 30, size=rng.integers(3, 20)).tolist() for _ in range(40)]
    labels = rng.integers(0, 2, size=40)
    unlabelled = [rng.integers(1, 30, size=15).tolist() for _ in range(30)]
    monkeypatch.setitem(recipes.PRETRAINING, "window", 8)
    monkeypatch.setitem(recipes.PRETRAINING, "output_words", 20)
    monkeypatch.setitem(recipes.PRETRAINING, "units", 4)
    start = {}
    fit_bucketed = recipes._fit_bucketed

    def record_start(model, *args, **kwargs):
        start["embedding"] = model.get_layer(index=0).get_weights()[0].copy()
        return fit_bucketed(model, *args, **kwargs)

    monkeypatch.setattr(recipes, "_fit_bucketed", record_start)
    best = recipes.fit_best_recipe(seqs, labels, unlabelled, vocab_size=30, maxlen=16, batch_size=16, epochs=1, units=4)
    language_model = best.notes["pretraining"]
    np.testing.assert_array_equal(start["embedding"], language_model.model.get_layer("embedding").get_weights()[0])
    # it read the 32 training reviews (not the 8 validation ones) and the 30 unlabelled ones
    n_words = sum(len(s) for s in seqs[:32]) + 30 * 15
    assert language_model.notes["windows"] == (n_words - 1) // 8
    assert language_model.notes["words"] == 8 * language_model.notes["windows"]
    assert best.seconds > language_model.seconds > 0
    assert best.notes["settings"]["batch_size"] == 16
    assert (
        recipes.fit_best_recipe(seqs, labels, vocab_size=30, maxlen=16, batch_size=16, epochs=1, units=4).notes[
            "pretraining"
        ]
        is None
    )


def test_best_settings_follow_the_faster_recipes_switch():
    assert recipes.best_settings(5_000) == {"batch_size": 32, "learning_rate": 2e-3}
    assert recipes.best_settings(25_000) == {"batch_size": 128, "learning_rate": 3e-3}


def test_faster_settings_switch_to_large_batches_at_full_size():
    small = recipes.faster_settings(5_000)
    full = recipes.faster_settings(25_000)
    assert small == {"batch_size": 32, "epochs": 2, "learning_rate": 2e-3, "clipnorm": None}
    assert full["batch_size"] == recipes.FASTER_RECIPE["batch_size"] == 128
    assert full["epochs"] == 2 and full["clipnorm"] == 1.0
    assert recipes.faster_settings(recipes.LARGE_BATCH_MIN_REVIEWS)["batch_size"] == 128


def test_faster_recipe_trains_a_model_built_elsewhere():
    # A chapter builds the faster recipe's model on its page and hands the builder to the recipe.
    import keras

    seqs, labels = _random_reviews(64, seed=3)
    calls = []

    def build(learning_rate, clipnorm):
        calls.append((learning_rate, clipnorm))
        model = keras.Sequential(
            [
                keras.Input(shape=(None,), dtype="int32"),
                keras.layers.Embedding(30, 4, mask_zero=True),
                keras.layers.LSTM(3, return_sequences=True),
                keras.layers.GlobalAveragePooling1D(),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        return model

    result = recipes.fit_faster_recipe(seqs, labels, maxlen=12, epochs=1, batch_size=16, build=build)
    assert len(calls) == 1
    schedule, clipnorm = calls[0]
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay) and clipnorm is None
    assert result.model.get_layer(index=1).output.shape[-1] == 3  # the model built here was trained
    assert trainable_params(result.model) == 30 * 4 + lstm_param_count(4, 3) + 3 + 1
    assert len(result.history["val_accuracy"]) == 1
