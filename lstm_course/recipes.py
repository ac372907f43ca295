"""Three ways to train the IMDB sentiment classifier: the source documents' recipe, a faster one
and a more accurate one.

Shared by the chapter "Sentiment analysis on IMDB" and ``benchmarks/imdb_recipes.py``, so that
both time exactly the same code.

The *seed recipe* is the experiment of the source documents: reviews padded or truncated to 200
words, ``Embedding(10000, 128) -> SimpleRNN(128) or LSTM(128) -> Dense(1, sigmoid)``, Adam at
its default learning rate, batch 32, 5 epochs, the last 20% of the training reviews held out
for validation.

The *faster recipe* keeps the seed's embedding and output layer, the same training reviews and
validation split, and changes how they are used:

- it reads the *average* of the LSTM's outputs over the review's words instead of the last one
  (``GlobalAveragePooling1D``, which adds no weights): every word then has a short path to the
  loss, and the model learns most of what it will learn in its first epoch;
- an LSTM of 64 units instead of 128: with the average read-out the smaller LSTM loses little
  accuracy, and an epoch in batches of 128 costs about a quarter less CPU time (1,329,473
  parameters instead of 1,411,713; the embedding holds most of either);
- it reads up to 400 words instead of 200, made cheap by
- length bucketing: reviews of similar length share a batch, which is padded only to its own
  longest review, so short reviews no longer cost ``maxlen`` steps;
- ``mask_zero=True``, so that the padding left changes nothing (the padding goes at the end, which
  TensorFlow's fused cuDNN kernel requires of a mask on a GPU), and dropout of 0.3 on the
  embeddings and before the output;
- a learning rate that decays to zero along a cosine over the planned epochs, and early stopping:
  at most 2 epochs, keeping the weights of the epoch with the best validation accuracy;
- on the full-size task (from ``LARGE_BATCH_MIN_REVIEWS`` reviews on), batches of 128 instead of
  32, with a 3 times larger learning rate and gradients clipped to norm 1: on a CPU a review
  costs less in a batch of 128, and an epoch of 20,000 reviews still makes 157 updates. On
  fewer reviews too few updates per epoch remain, and the recipe keeps batch 32 with a peak
  learning rate of 2e-3, whose cosine averages the seed's 1e-3 (``FASTER_RECIPE_SMALL``).

The *best recipe* changes the model and uses more text, keeping the vocabulary of 10,000 words.
First it trains an LSTM *language model* (predict each next word) on reviews that need no label:
the 50,000 unlabelled reviews that come with the dataset, plus the training reviews it fits on
(never the validation or test reviews), for one epoch. Then it builds a masked bidirectional LSTM
whose outputs are averaged over up to 400 words, starts its embedding from the language model's,
and trains it on the labelled reviews with the faster recipe's dropout, cosine decay and
bucketing, for 3 epochs, keeping the best one. Words used alike in the unlabelled reviews
("great", "superb", "wonderful") start out close, so the classifier need not learn each from the
few labelled reviews it appears in (Dai and Le, 2015, pretrain the whole LSTM this way).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .sequences import bucketed_dataset, language_model_windows, pad, padded_steps, split_validation

SEED_RECIPE = {"maxlen": 200, "batch_size": 32, "epochs": 5, "learning_rate": 1e-3, "validation_split": 0.2}
# The faster recipe's settings for the full-size task (20,000 training reviews). Large batches pay
# only when there are enough reviews to give many updates per epoch: below
# ``LARGE_BATCH_MIN_REVIEWS`` reviews (validation reviews included) the recipe keeps the seed's
# batch 32 (``FASTER_RECIPE_SMALL``).
FASTER_RECIPE = {
    "maxlen": 400,
    "batch_size": 128,
    "epochs": 2,
    "learning_rate": 3e-3,
    "clipnorm": 1.0,
    "units": 64,
    "dropout": 0.3,
    "validation_split": 0.2,
}
# A cosine decay averages half its peak, so a peak of 2e-3 trains at the seed's 1e-3 on average.
FASTER_RECIPE_SMALL = {"batch_size": 32, "epochs": 2, "learning_rate": 2e-3, "clipnorm": None}
LARGE_BATCH_MIN_REVIEWS = 10_000
BEST_RECIPE = {
    "maxlen": 400,
    "batch_size": 128,
    "epochs": 3,
    "learning_rate": 3e-3,
    "clipnorm": 1.0,
    "units": 64,
    "dropout": 0.3,
    "validation_split": 0.2,
}
# On fewer than LARGE_BATCH_MIN_REVIEWS labelled reviews, batches of 32, as the faster recipe.
BEST_RECIPE_SMALL = {"batch_size": 32, "learning_rate": 2e-3}
# The language model that pretrains the best recipe's embedding: windows of 100 words cut from
# the reviews joined end to end, an LSTM(128), and a softmax over the first 2,000 word indices (the
# markers and the 1,996 most frequent words; rarer next words count as unknown: a softmax over all
# 10,000 made an epoch four times slower).
PRETRAINING = {
    "window": 100,
    "batch_size": 128,
    "epochs": 1,
    "learning_rate": 3e-3,
    "clipnorm": 1.0,
    "units": 128,
    "output_words": 2_000,
}
# The source documents' published test accuracies (5 epochs on all 25,000 reviews).
SEED_TEST_ACCURACY = {"SimpleRNN": 0.8064, "LSTM": 0.8621}


@dataclass
class RecipeResult:
    """A trained model, its per-epoch history, and the wall time and CPU time of ``fit`` in seconds.

    The CPU time counts every thread of this process and nothing else, so unlike the wall time it
    hardly changes when other programs compete for the machine.
    """

    model: object
    history: dict
    seconds: float
    cpu_seconds: float
    notes: dict = field(default_factory=dict)


def build_seed_classifier(
    kind: str = "LSTM",
    vocab_size: int = 10_000,
    units: int = 128,
    embedding_dim: int = 128,
    *,
    mask_zero: bool = False,
    learning_rate: float = 1e-3,
    clipnorm: float | None = None,
):
    """The source documents' IMDB classifier: Embedding -> SimpleRNN or LSTM -> Dense(1, sigmoid).

    Compiled with Adam (optionally clipping each gradient's norm to ``clipnorm``), binary
    cross-entropy and accuracy. ``kind`` is ``"LSTM"`` or ``"SimpleRNN"``. The input accepts
    reviews of any length.
    """
    import keras

    layers = {"LSTM": keras.layers.LSTM, "SimpleRNN": keras.layers.SimpleRNN}
    if kind not in layers:
        raise ValueError(f"kind must be one of {sorted(layers)}, not {kind!r}")
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=mask_zero),
            layers[kind](units),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name=f"{kind.lower()}_classifier",
    )
    return _compile_like_the_seed(model, learning_rate, clipnorm)


def _compile_like_the_seed(model, learning_rate, clipnorm: float | None):
    """Adam (with ``clipnorm``, if given) on the binary cross-entropy, reporting accuracy: every
    classifier of the seed recipe and of the averaged ones is compiled this way."""
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _averaged_classifier(
    make_recurrent,
    vocab_size: int,
    embedding_dim: int,
    dropout: float,
    learning_rate,
    clipnorm: float | None,
    name: str,
):
    """Masked embedding -> Dropout -> ``make_recurrent()`` (outputs at every step) -> their mean over
    the unpadded steps -> Dropout -> Dense(1, sigmoid), compiled like the seed's classifier.

    The recurrent layer is made by a callable so that layers are created in the order they are
    stacked, which keeps results for a given random seed unchanged.
    """
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True),
            keras.layers.Dropout(dropout),
            make_recurrent(),
            keras.layers.GlobalAveragePooling1D(),  # uses the mask: padded steps are not averaged
            keras.layers.Dropout(dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name=name,
    )
    return _compile_like_the_seed(model, learning_rate, clipnorm)


def build_faster_classifier(
    vocab_size: int = 10_000,
    units: int = FASTER_RECIPE["units"],
    embedding_dim: int = 128,
    *,
    dropout: float = FASTER_RECIPE["dropout"],
    learning_rate=1e-3,
    clipnorm: float | None = None,
):
    """The faster recipe's classifier: the seed's embedding and output layer around a smaller LSTM
    (``units=128`` gives the seed's weights exactly), read out differently.

    Embedding(mask_zero=True) -> Dropout -> LSTM(return_sequences=True) -> GlobalAveragePooling1D
    (the mean of the LSTM's outputs over the unpadded words) -> Dropout -> Dense(1, sigmoid).
    ``learning_rate`` may be a number or a Keras learning-rate schedule.
    """
    import keras

    return _averaged_classifier(
        lambda: keras.layers.LSTM(units, return_sequences=True),
        vocab_size,
        embedding_dim,
        dropout,
        learning_rate,
        clipnorm,
        "faster_lstm_classifier",
    )


def build_large_classifier(vocab_size: int = 10_000, embedding_dim: int = 128, units: int = 512):
    """The larger classifier of the source documents: LSTM(512) with both dropouts, a Dense stack."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim),
            keras.layers.LSTM(units, dropout=0.3, recurrent_dropout=0.3),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="large_lstm_classifier",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def fit_seed_recipe(
    sequences,
    labels,
    kind: str = "LSTM",
    *,
    vocab_size: int = 10_000,
    epochs: int = SEED_RECIPE["epochs"],
    verbose: int = 0,
) -> RecipeResult:
    """Train the source documents' classifier exactly as they do (timing ``fit`` only).

    ``sequences`` are unpadded reviews; they are padded and truncated to 200 words here.
    """
    x = pad(sequences, SEED_RECIPE["maxlen"])
    y = np.asarray(labels)
    model = build_seed_classifier(kind, vocab_size)
    start, cpu_start = time.perf_counter(), time.process_time()
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=SEED_RECIPE["batch_size"],
        validation_split=SEED_RECIPE["validation_split"],
        verbose=verbose,
    )
    return RecipeResult(model, history.history, time.perf_counter() - start, time.process_time() - cpu_start)


def _fit_bucketed(
    model, sequences, labels, *, maxlen: int, batch_size: int, epochs: int, patience: int, seed: int, verbose: int
) -> RecipeResult:
    """``fit`` on length buckets, validating on the last 20%, keeping the best epoch's weights."""
    import keras

    (x_fit, y_fit), (x_val, y_val) = split_validation(sequences, np.asarray(labels), SEED_RECIPE["validation_split"])
    train = bucketed_dataset(x_fit, y_fit, batch_size, maxlen, seed=seed)
    val = bucketed_dataset(x_val, y_val, 256, maxlen, seed=seed + 1)
    keep_best = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=patience, restore_best_weights=True)
    start, cpu_start = time.perf_counter(), time.process_time()
    # shuffle=False: the dataset shuffles its batches itself (Keras cannot shuffle a tf.data pipeline).
    history = model.fit(
        train, validation_data=val, epochs=epochs, callbacks=[keep_best], shuffle=False, verbose=verbose
    )
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    steps = {
        "bucketed": padded_steps(x_fit, batch_size, maxlen, bucketed=True),
        "padded": padded_steps(x_fit, batch_size, maxlen, bucketed=False),
    }
    return RecipeResult(
        model, history.history, seconds, cpu_seconds, {"best_epoch": int(keep_best.best_epoch) + 1, "time_steps": steps}
    )


def faster_settings(n_reviews: int) -> dict:
    """Batch size, most epochs, learning rate and gradient clipping of the faster recipe for
    ``n_reviews`` training reviews (validation reviews included): ``FASTER_RECIPE``'s from
    ``LARGE_BATCH_MIN_REVIEWS`` on, ``FASTER_RECIPE_SMALL`` below."""
    source = FASTER_RECIPE if n_reviews >= LARGE_BATCH_MIN_REVIEWS else FASTER_RECIPE_SMALL
    return {key: source[key] for key in ("batch_size", "epochs", "learning_rate", "clipnorm")}


def cosine_decay(learning_rate: float, n_reviews: int, batch_size: int, epochs: int):
    """A learning rate that falls from ``learning_rate`` to zero along a cosine over ``epochs``
    epochs of ``n_reviews`` reviews in batches of ``batch_size``."""
    import keras

    steps = epochs * -(-n_reviews // batch_size)
    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)


def fit_faster_recipe(
    sequences,
    labels,
    *,
    vocab_size: int = 10_000,
    maxlen: int = FASTER_RECIPE["maxlen"],
    batch_size: int | None = None,
    learning_rate: float | None = None,
    epochs: int | None = None,
    clipnorm: float | str | None = "auto",
    units: int = FASTER_RECIPE["units"],
    build=None,
    seed: int = 0,
    verbose: int = 0,
) -> RecipeResult:
    """Train :func:`build_faster_classifier` with the faster recipe (see the module docstring).

    ``batch_size``, ``epochs``, ``learning_rate`` (the peak of the cosine decay) and ``clipnorm``
    default to :func:`faster_settings` for the number of reviews given. The validation reviews
    are the same as the seed recipe's (the last 20%); the weights of the epoch with the best
    validation accuracy are kept. ``units=128`` trains the seed's weights exactly. Timing covers
    ``fit`` only; ``notes["settings"]`` records the settings used.

    ``build``, if given, replaces :func:`build_faster_classifier` (``vocab_size`` and ``units``
    are then ignored): it is called as ``build(learning_rate=schedule, clipnorm=clipnorm)`` and
    returns a compiled classifier that reads post-padded, masked batches of word indices, so that
    a chapter can build the model on its page and train it with the recipe's bucketing, schedule
    and early stopping.
    """
    settings = faster_settings(len(sequences))
    for key, value in (("batch_size", batch_size), ("epochs", epochs), ("learning_rate", learning_rate)):
        if value is not None:
            settings[key] = value
    if clipnorm != "auto":
        settings["clipnorm"] = clipnorm
    n_fit = len(sequences) - int(round(len(sequences) * SEED_RECIPE["validation_split"]))
    schedule = cosine_decay(settings["learning_rate"], n_fit, settings["batch_size"], settings["epochs"])
    if build is None:
        model = build_faster_classifier(vocab_size, units, learning_rate=schedule, clipnorm=settings["clipnorm"])
    else:
        model = build(learning_rate=schedule, clipnorm=settings["clipnorm"])
    result = _fit_bucketed(
        model,
        sequences,
        labels,
        maxlen=maxlen,
        batch_size=settings["batch_size"],
        epochs=settings["epochs"],
        patience=1,
        seed=seed,
        verbose=verbose,
    )
    result.notes["settings"] = dict(settings, maxlen=maxlen, units=units)
    return result


def build_best_classifier(
    vocab_size: int = 10_000,
    embedding_dim: int = 128,
    units: int = 64,
    *,
    dropout: float = BEST_RECIPE["dropout"],
    learning_rate=BEST_RECIPE["learning_rate"],
    clipnorm: float | None = BEST_RECIPE["clipnorm"],
):
    """The best recipe's classifier: a masked embedding with dropout, a bidirectional LSTM whose
    outputs at every (unpadded) step are averaged, dropout, and Dense(1, sigmoid).
    ``learning_rate`` may be a number or a Keras learning-rate schedule.
    """
    import keras

    return _averaged_classifier(
        lambda: keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True)),
        vocab_size,
        embedding_dim,
        dropout,
        learning_rate,
        clipnorm,
        "best_lstm_classifier",
    )


def build_language_model(
    vocab_size: int = 10_000,
    embedding_dim: int = 128,
    *,
    units: int = PRETRAINING["units"],
    output_words: int = PRETRAINING["output_words"],
    learning_rate=PRETRAINING["learning_rate"],
    clipnorm: float | None = PRETRAINING["clipnorm"],
):
    """Embedding -> LSTM(return_sequences) -> Dense(``output_words``): next-word logits at every step,
    compiled with Adam and sparse categorical cross-entropy on the logits."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim, name="embedding"),
            keras.layers.LSTM(units, return_sequences=True),
            keras.layers.Dense(output_words, name="next_word"),
        ],
        name="review_language_model",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def pretrain_language_model(
    sequences, *, vocab_size: int = 10_000, epochs: int = PRETRAINING["epochs"], seed: int = 0, verbose: int = 0
) -> RecipeResult:
    """Train :func:`build_language_model` on ``sequences`` (any reviews, no labels) with the
    ``PRETRAINING`` settings and a cosine-decayed learning rate. ``notes["windows"]`` and
    ``notes["words"]`` say how much text it read per epoch. Timing covers ``fit`` only."""
    inputs, targets = language_model_windows(sequences, PRETRAINING["window"], PRETRAINING["output_words"], seed=seed)
    schedule = cosine_decay(PRETRAINING["learning_rate"], len(inputs), PRETRAINING["batch_size"], epochs)
    model = build_language_model(
        vocab_size,
        units=PRETRAINING["units"],
        output_words=PRETRAINING["output_words"],
        learning_rate=schedule,
        clipnorm=PRETRAINING["clipnorm"],
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    history = model.fit(inputs, targets, batch_size=PRETRAINING["batch_size"], epochs=epochs, verbose=verbose)
    return RecipeResult(
        model,
        history.history,
        time.perf_counter() - start,
        time.process_time() - cpu_start,
        {"windows": len(inputs), "words": int(inputs.size)},
    )


def best_settings(n_reviews: int) -> dict:
    """Batch size and peak learning rate of the best recipe for ``n_reviews`` labelled reviews
    (validation reviews included), chosen like :func:`faster_settings`."""
    source = BEST_RECIPE if n_reviews >= LARGE_BATCH_MIN_REVIEWS else BEST_RECIPE_SMALL
    return {key: source[key] for key in ("batch_size", "learning_rate")}


def fit_best_recipe(
    sequences,
    labels,
    unlabelled=None,
    *,
    vocab_size: int = 10_000,
    maxlen: int = BEST_RECIPE["maxlen"],
    epochs: int = BEST_RECIPE["epochs"],
    batch_size: int | None = None,
    learning_rate: float | None = None,
    units: int = BEST_RECIPE["units"],
    dropout: float = BEST_RECIPE["dropout"],
    pretraining_epochs: int = PRETRAINING["epochs"],
    seed: int = 0,
    verbose: int = 0,
) -> RecipeResult:
    """The best recipe (see the module docstring): pretrain a language model on ``unlabelled``
    plus the training part of ``sequences``, then train :func:`build_best_classifier`, its
    embedding copied from the language model, on length buckets of up to ``maxlen`` words.

    With ``unlabelled=None`` nothing is pretrained and the embedding starts at random, which
    measures what the pretraining adds. ``batch_size`` and ``learning_rate`` (the peak of the
    cosine decay) default to :func:`best_settings` for the number of reviews given. The
    validation reviews are the other recipes'; the weights of the epoch with the best validation
    accuracy are kept. ``seconds`` and ``cpu_seconds`` cover both ``fit`` calls;
    ``notes["pretraining"]`` holds the language model's :class:`RecipeResult` (None without
    pretraining) and ``notes["settings"]`` the settings used.
    """
    settings = dict(best_settings(len(sequences)), maxlen=maxlen, epochs=epochs)
    for key, value in (("batch_size", batch_size), ("learning_rate", learning_rate)):
        if value is not None:
            settings[key] = value
    pretrained = None
    if unlabelled is not None:
        (x_fit, _), _ = split_validation(sequences, np.asarray(labels), SEED_RECIPE["validation_split"])
        pretrained = pretrain_language_model(
            [*x_fit, *unlabelled], vocab_size=vocab_size, epochs=pretraining_epochs, seed=seed, verbose=verbose
        )
    n_fit = len(sequences) - int(round(len(sequences) * SEED_RECIPE["validation_split"]))
    schedule = cosine_decay(settings["learning_rate"], n_fit, settings["batch_size"], epochs)
    model = build_best_classifier(vocab_size, units=units, dropout=dropout, learning_rate=schedule)
    if pretrained is not None:
        model.get_layer(index=0).set_weights(pretrained.model.get_layer("embedding").get_weights())
    result = _fit_bucketed(
        model,
        sequences,
        labels,
        maxlen=maxlen,
        batch_size=settings["batch_size"],
        epochs=epochs,
        patience=epochs,
        seed=seed,
        verbose=verbose,
    )
    if pretrained is not None:
        result.seconds += pretrained.seconds
        result.cpu_seconds += pretrained.cpu_seconds
    result.notes.update(pretraining=pretrained, settings=settings)
    return result


def masks_padding(model) -> bool:
    """Whether ``model`` skips padding: one of its layers is an ``Embedding(mask_zero=True)`` or a
    ``Masking`` layer."""
    import keras

    return any(
        (isinstance(layer, keras.layers.Embedding) and layer.mask_zero) or isinstance(layer, keras.layers.Masking)
        for layer in model.layers
    )


def evaluate_accuracy(model, sequences, labels, maxlen: int = 200, *, bucketed: bool = False) -> float:
    """Accuracy on reviews truncated like the training data (last ``maxlen`` words).

    By default every review is padded to ``maxlen``: in front, as the seed recipe trains, or at the
    end for a model that masks its padding, like the faster and best recipes' (it reads both the
    same, and on a GPU only end padding runs with a mask in cuDNN's kernel; see :func:`.sequences.pad`).
    ``bucketed=True`` evaluates length buckets instead, which is faster for a masking model.
    """
    if bucketed:
        data = bucketed_dataset(sequences, np.asarray(labels), 256, maxlen)
        _, accuracy = model.evaluate(data, verbose=0)
    else:
        padded = pad(sequences, maxlen, padding="post" if masks_padding(model) else "pre")
        _, accuracy = model.evaluate(padded, np.asarray(labels), batch_size=256, verbose=0)
    return float(accuracy)
