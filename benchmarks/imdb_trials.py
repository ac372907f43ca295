"""Trials of IMDB classifiers at full size: test and validation accuracy after every epoch.

    KERAS_BACKEND=jax python benchmarks/imdb_trials.py                 # every trial, in the order below
    python benchmarks/imdb_trials.py --only F2_lstm128_mean_400_cos2   # one trial
    python benchmarks/imdb_trials.py --tokens imdb_tokens_v2.npz       # a copied token cache, no archive

This is how the faster recipe's changes were chosen (see "Full size" in benchmarks/README.md).
Unlike ``imdb_recipes.py`` it runs on any Keras backend and does not need TensorFlow (with
``KERAS_BACKEND=jax``, ``import lstm_course`` leaves TensorFlow alone), and it pads length buckets
to a multiple of 50 words so that JAX compiles a few shapes only. So it runs where TensorFlow is not installed,
such as a GPU machine with JAX. Every trial trains on the first 20,000 training reviews, validates
on the last 5,000 and tests on all 25,000 after each epoch, with random seed 22; the results are
appended to ``benchmarks/results/imdb_trials.jsonl``. A benchmark, not a test.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--only", help="comma-separated trial names (default: all)")
parser.add_argument("--budget", type=float, default=float("inf"), help="start no trial after this many seconds")
parser.add_argument("--tokens", type=Path, help="an imdb_tokens_v2.npz to use instead of building it from the archive")
args = parser.parse_args()

# With KERAS_BACKEND set to another backend, the package does not import TensorFlow.
sys.path.insert(0, str(ROOT))
from lstm_course import data  # noqa: E402

if args.tokens:
    tokens = data._load_npz(args.tokens)
    if tokens is None:
        raise SystemExit(f"{args.tokens} is not a token cache written by lstm_course.data")
    data._imdb_tokens_cache = lambda: tokens
N_TRAIN = int(os.environ.get("N_TRAIN", 25_000))  # smaller values only to check that the script runs
N_TEST = int(os.environ.get("N_TEST", 25_000))
ROUND = 50  # bucket widths are rounded up to a multiple of this many words

import keras  # noqa: E402  (after KERAS_BACKEND is set)

_loaded = {}


def load(vocab: int):
    """Fit, validation and test reviews for a vocabulary of ``vocab`` words (the recipes' split)."""
    if vocab not in _loaded:
        (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=vocab)
        x_train, y_train, x_test, y_test = x_train[:N_TRAIN], y_train[:N_TRAIN], x_test[:N_TEST], y_test[:N_TEST]
        n_fit = int(round(0.8 * len(x_train)))
        _loaded[vocab] = (x_train[:n_fit], y_train[:n_fit], x_train[n_fit:], y_train[n_fit:], x_test, y_test)
    return _loaded[vocab]


def make_batches(seqs, labels, batch_size, maxlen, rng):
    """Length buckets (like ``recipes.length_batches``), widths rounded up to ``ROUND`` words."""
    lengths = np.minimum([len(s) for s in seqs], maxlen)
    order = np.lexsort((rng.random(len(lengths)), lengths))
    batches = []
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        width = int(min(maxlen, -(-lengths[idx].max() // ROUND) * ROUND))
        x = keras.utils.pad_sequences([seqs[i] for i in idx], maxlen=width, padding="post")
        batches.append((x.astype("int32"), np.asarray(labels)[idx].astype("float32")))
    return [batches[k] for k in rng.permutation(len(batches))]


class Buckets(keras.utils.PyDataset):
    """Length buckets, drawn afresh after every epoch."""

    def __init__(self, seqs, labels, batch_size, maxlen, seed):
        super().__init__()
        self.args, self.rng = (seqs, labels, batch_size, maxlen), np.random.default_rng(seed)
        self.batches = make_batches(*self.args, self.rng)

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, i):
        return self.batches[i]

    def on_epoch_end(self):
        self.batches = make_batches(*self.args, self.rng)


def accuracy(model, seqs, labels, maxlen) -> float:
    hits = 0
    for x, y in make_batches(seqs, labels, 500, maxlen, np.random.default_rng(0)):
        p = np.asarray(model.predict_on_batch(x)).reshape(-1)
        hits += int(((p > 0.5) == (y > 0.5)).sum())
    return hits / len(seqs)


def build(
    units=64,
    bidir=False,
    pool="mean",
    dropout=0.3,
    emb=128,
    layers=1,
    lr=3e-3,
    clipnorm=1.0,
    vocab=10_000,
    decay_steps=None,
):
    """Masked embedding, dropout, (bi)LSTM layers, mean over the words or last state, dropout, sigmoid."""
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(vocab, emb, mask_zero=True)(inputs)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    for i in range(layers):
        lstm = keras.layers.LSTM(units, return_sequences=(pool == "mean" or i < layers - 1))
        x = keras.layers.Bidirectional(lstm)(x) if bidir else lstm(x)
    if pool == "mean":
        x = keras.layers.GlobalAveragePooling1D()(x)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x))
    rate = keras.optimizers.schedules.CosineDecay(lr, decay_steps) if decay_steps else lr
    model.compile(
        optimizer=keras.optimizers.Adam(rate, clipnorm=clipnorm), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


CONFIGS = [  # name, model, words read, batch size, epochs ("cos": cosine decay to 0 over them)
    # first round: constant learning rate
    ("F_lstm64_mean_400", dict(units=64), 400, 128, 3),
    ("F_lstm128_mean_200", dict(units=128), 200, 128, 3),
    ("F_seedfast_128_last_200", dict(units=128, pool="last", dropout=0.0), 200, 128, 2),
    ("B_bi64_mean_400", dict(units=64, bidir=True), 400, 128, 6),
    ("B_bi64_mean_800", dict(units=64, bidir=True), 800, 128, 6),
    ("F_lstm64_mean_300", dict(units=64), 300, 128, 3),
    ("B_bi128_mean_600_d4", dict(units=128, bidir=True, dropout=0.4, lr=2e-3), 600, 128, 6),
    ("B_bi64x2_mean_400", dict(units=64, bidir=True, layers=2), 400, 128, 6),
    ("F_lstm128_mean_400", dict(units=128), 400, 128, 3),
    # second round: cosine decay
    ("F2_seedmodel_masked_200_cos2", dict(units=128, pool="last", dropout=0.0, cos=True), 200, 128, 2),
    ("F2_lstm128_mean_200_cos2", dict(units=128, cos=True), 200, 128, 2),
    ("B2_bi64x2_mean_400_cos4_d4", dict(units=64, bidir=True, layers=2, dropout=0.4, cos=True), 400, 128, 4),
    ("B2_bi64_mean_800_v30k_cos4_d5", dict(units=64, bidir=True, dropout=0.5, vocab=30_000, cos=True), 800, 128, 4),
    ("F2_lstm64_mean_400_cos2", dict(units=64, cos=True), 400, 128, 2),
    ("F2_lstm128_mean_400_cos2", dict(units=128, cos=True), 400, 128, 2),  # the faster recipe
    ("B2_bi128_mean_600_v30k_cos4_d5", dict(units=128, bidir=True, dropout=0.5, vocab=30_000, cos=True), 600, 128, 4),
]


def main() -> int:
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only.split(",")) if args.only else None
    start = time.time()
    for name, settings, maxlen, batch_size, epochs in CONFIGS:
        if wanted and name not in wanted:
            continue
        if time.time() - start > args.budget:
            print("time budget spent, skipping", name, flush=True)
            continue
        keras.utils.set_random_seed(22)
        settings = dict(settings)
        cosine = settings.pop("cos", False)
        x_fit, y_fit, x_val, y_val, x_test, y_test = load(settings.get("vocab", 10_000))
        train = Buckets(x_fit, y_fit, batch_size, maxlen, 22)
        model = build(**settings, decay_steps=epochs * len(train) if cosine else None)
        record = {
            "name": name,
            "settings": settings,
            "cosine": cosine,
            "maxlen": maxlen,
            "backend": keras.backend.backend(),
            "epochs": [],
        }
        for epoch in range(1, epochs + 1):
            tic = time.time()
            model.fit(train, epochs=1, verbose=0, shuffle=False)
            fit_seconds = time.time() - tic
            record["epochs"].append(
                {
                    "epoch": epoch,
                    "val": round(accuracy(model, x_val, y_val, maxlen), 4),
                    "test": round(accuracy(model, x_test, y_test, maxlen), 4),
                    "fit_seconds": round(fit_seconds, 1),
                }
            )
            print(name, record["epochs"][-1], flush=True)
        best = max(record["epochs"], key=lambda e: e["val"])  # the first of equals, as EarlyStopping keeps
        record["test_at_best_val"] = best["test"]
        with open(out / "imdb_trials.jsonl", "a") as f:
            f.write(json.dumps(record) + "\n")
        print(f"{name}: test accuracy {best['test']:.2%} at the best validation epoch ({best['epoch']})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
