"""Time training steps of chapter 2.5's character models at the `full` profile's sizes.

The `full` run of chapter 2.5 trains a character LSTM and, for the connectivity plot, a
SimpleRNN of the same width, 30 epochs each. This prints what one step of each costs on this
machine and what an epoch and the 30 epochs would therefore take, without running them:

    python benchmarks/char_lm_step_time.py [--steps 20] [--layers LSTM SimpleRNN]
"""

import argparse
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import numpy as np

import lstm_course as lc
from lstm_course import charlm

# The full profile's sizes in chapters/02_lstms_for_language/05_inside_a_trained_lstm.ipynb
TRAIN_CHARS, WINDOW, UNITS, BATCH, EPOCHS = 2_400_000, 100, 512, 64, 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="timed training steps (after 2 warm-up steps)")
    parser.add_argument("--layers", nargs="+", default=["LSTM", "SimpleRNN"], choices=["LSTM", "SimpleRNN", "GRU"])
    args = parser.parse_args()
    lc.start_notebook(seed=16)
    train_text = charlm.select_text(charlm.load_sources(charlm.TRAIN_FILES), TRAIN_CHARS)
    vocab = charlm.CharVocabulary(train_text, min_count=2)
    x, y = lc.sequences.next_token_windows(vocab.encode(train_text), WINDOW, seed=16)
    print(f"{len(train_text):,} characters, {len(x):,} windows of {WINDOW}, vocabulary {len(vocab)}")
    steps = int(np.ceil(len(x) / BATCH))
    total = {"wall": 0.0, "cpu": 0.0}
    for layer in args.layers:
        model = keras.Sequential(
            [
                keras.Input(shape=(None,), dtype="int32"),
                keras.layers.Embedding(len(vocab), 32),
                getattr(keras.layers, layer)(UNITS, return_sequences=True),
                keras.layers.Dense(len(vocab)),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(0.01, clipnorm=1.0),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        print(f"{layer}: {lc.trainable_params(model):,} trainable parameters")
        timings = lc.timing.time_train_steps(
            model, x[: BATCH * 30], y[: BATCH * 30], batch_size=BATCH, steps=args.steps, warmup=2
        )
        print(f"{layer}: one step: {timings}")
        for kind in total:
            per_step = timings.median(kind)
            total[kind] += EPOCHS * steps * per_step
            print(
                f"{layer} {kind}: {per_step:.3f} s per step, {steps} steps per epoch: "
                f"{steps * per_step / 60:.1f} min per epoch, {EPOCHS} epochs {EPOCHS * steps * per_step / 3600:.1f} h"
            )
    print(
        f"training of {', '.join(args.layers)} together: {total['wall'] / 3600:.1f} h wall, {total['cpu'] / 3600:.1f} CPU h"
    )


if __name__ == "__main__":
    main()
