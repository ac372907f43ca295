"""Small helpers around Keras training: seeds and honest timings."""

from __future__ import annotations

import time

import numpy as np


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and the backend, so a notebook gives the same numbers on every run."""
    import keras

    keras.utils.set_random_seed(seed)


def seconds_per_step(model, x, y, batch_size: int = 32, steps: int = 10, warmup: int = 2) -> float:
    """Median wall time of one training step (forward, backward, update) on a compiled model.

    The first ``warmup`` steps are not counted: they include tracing and graph building.
    Training changes the model's weights, so time a throwaway copy if that matters.
    """
    if len(x) < batch_size:
        raise ValueError(f"need at least one full batch: {len(x)} samples < batch_size {batch_size}")
    rng = np.random.default_rng(0)
    times = []
    for k in range(warmup + steps):
        idx = rng.choice(len(x), size=batch_size, replace=False)
        start = time.perf_counter()
        model.train_on_batch(x[idx], y[idx])
        if k >= warmup:
            times.append(time.perf_counter() - start)
    return float(np.median(times))


def trainable_params(model) -> int:
    """Trainable parameters only: after ``fit``, Keras 3's "Total params" also counts the
    optimizer's variables, so that figure is not the model's size."""
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))
