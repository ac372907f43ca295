"""Small generated datasets: series to forecast and tasks that need long-range memory.

Every generator takes a ``seed`` and returns float32 arrays, so a notebook gets the same
data on every run.
"""

from __future__ import annotations

import numpy as np


def sine_wave(n_points: int = 1000, step: float = 0.1, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """``sin(t)`` sampled every ``step`` from 0, plus optional Gaussian noise (the seeds' series)."""
    t = np.arange(n_points) * step
    rng = np.random.default_rng(seed)
    return (np.sin(t) + noise * rng.standard_normal(n_points)).astype(np.float32)


def first_bit_problem(n: int, length: int, seed: int = 0):
    """Recall the first of ``length`` random bits: the lag between cue and answer is ``length``.

    Channel 0 holds random values in {-1, +1}, channel 1 marks the first step. The label is 1
    when the first bit is +1. Every later bit is noise of the same size as the signal, so a
    model must keep one value untouched through ``length - 1`` distracting steps.
    Returns ``x`` (n, length, 2) and ``y`` (n,).
    """
    rng = np.random.default_rng(seed)
    x = np.zeros((n, length, 2), dtype=np.float32)
    x[:, :, 0] = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(n, length))
    x[:, 0, 1] = 1.0
    y = (x[:, 0, 0] > 0).astype(np.float32)
    return x, y


def adding_problem(n: int, length: int, seed: int = 0):
    """The adding problem of Hochreiter & Schmidhuber (1997).

    Channel 0 holds uniform random numbers, channel 1 marks exactly two positions, one in each
    half of the sequence; the target is the sum of the two marked numbers. Always answering 1.0
    gives a mean squared error of about 1/6 = 0.167, the baseline to beat.
    Returns ``x`` (n, length, 2) and ``y`` (n,).
    """
    if length < 2:
        raise ValueError("length must be at least 2")
    rng = np.random.default_rng(seed)
    x = np.zeros((n, length, 2), dtype=np.float32)
    x[:, :, 0] = rng.uniform(0, 1, size=(n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    rows = np.arange(n)
    x[rows, first, 1] = 1.0
    x[rows, second, 1] = 1.0
    y = x[rows, first, 0] + x[rows, second, 0]
    return x, y.astype(np.float32)


def copy_problem(n: int, n_symbols: int = 8, n_copy: int = 10, delay: int = 50, seed: int = 0):
    """The copy-memory problem: read a few symbols, wait ``delay`` steps, then write them back.

    Symbols are 1..n_symbols, 0 is blank and ``n_symbols + 1`` is the cue to start writing.
    Inputs and targets are integer sequences of length ``n_copy + delay + n_copy``; the
    targets are blank except for the last ``n_copy`` steps. Guessing without memory scores
    an accuracy of 1 / n_symbols on those steps.
    Returns ``x`` (n, T) and ``y`` (n, T), int32.
    """
    # The cue takes the last step of the delay: with no delay it would overwrite a symbol.
    for name, value in (("n_symbols", n_symbols), ("n_copy", n_copy), ("delay", delay)):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    rng = np.random.default_rng(seed)
    total = n_copy + delay + n_copy
    symbols = rng.integers(1, n_symbols + 1, size=(n, n_copy))
    x = np.zeros((n, total), dtype=np.int32)
    y = np.zeros((n, total), dtype=np.int32)
    x[:, :n_copy] = symbols
    x[:, n_copy + delay - 1] = n_symbols + 1
    y[:, -n_copy:] = symbols
    return x, y


def moving_squares(n: int, frames: int = 7, size: int = 16, side: int = 3, seed: int = 0):
    """Clips of a white square moving one pixel per frame over a black frame, bouncing off the walls.

    Each clip starts at a random position with one of the eight directions (straight or diagonal).
    Returns the first ``frames - 1`` frames, shape (n, frames - 1, size, size, 1), and the last
    frame, shape (n, size, size, 1): the input and target of a next-frame task.
    """
    if not 0 < side < size or frames < 2:
        raise ValueError(f"need 0 < side < size and frames >= 2, got side={side}, size={size}, frames={frames}")
    rng = np.random.default_rng(seed)
    clips = np.zeros((n, frames, size, size, 1), dtype=np.float32)
    directions = np.array([(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)])
    for k in range(n):
        position = rng.integers(0, size - side + 1, size=2)
        velocity = directions[rng.integers(len(directions))].copy()
        for t in range(frames):
            clips[k, t, position[0] : position[0] + side, position[1] : position[1] + side, 0] = 1.0
            for axis in range(2):  # bounce: turn round before leaving the frame
                if not 0 <= position[axis] + velocity[axis] <= size - side:
                    velocity[axis] = -velocity[axis]
            position = position + velocity
    return clips[:, :-1], clips[:, -1]
