"""Honest timings: one timer for repeated calls (a training step, a forward pass) and one for epochs.

Both record two clocks:

- **CPU time** (``time.process_time``): the seconds every thread of this process spent computing.
  It hardly changes when other programs compete for the machine, so comparisons of cost use it.
- **Wall time** (``time.perf_counter``): what a learner waits. It depends on the load of the
  machine and on how many cores the work keeps busy, so a page may show it, but never asserts an
  ordering of wall times.

A comparison of CPU times in a notebook uses :func:`costs_more`, with the one tolerance per run
profile defined here (:data:`CPU_TOLERANCE`): in ``quick`` a timed call lasts milliseconds and
scheduling noise is of the same size, so a cost only counts as higher if it is not less than half
the other; in ``standard`` and ``full`` measurements are long enough for a 20% margin.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .profiles import current_profile

# The smallest ratio cost_a / cost_b at which "a costs more than b" is accepted, per run profile.
CPU_TOLERANCE = {"quick": 0.5, "standard": 0.8, "full": 0.8}


@dataclass
class Timings:
    """Seconds of each timed repetition, on both clocks."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median(self, clock: str = "cpu") -> float:
        return float(np.median(self._values(clock)))

    def spread(self, clock: str = "cpu") -> tuple[float, float]:
        """The smallest and largest repetition."""
        values = self._values(clock)
        return float(np.min(values)), float(np.max(values))

    def _values(self, clock: str) -> list[float]:
        if clock not in ("cpu", "wall"):
            raise ValueError(f"clock must be 'cpu' or 'wall', not {clock!r}")
        values = getattr(self, clock)
        if not values:
            raise ValueError("nothing was timed yet")
        return values

    def __str__(self) -> str:
        low, high = self.spread("cpu")
        return (
            f"{self.median('cpu'):.3g} s CPU (range {low:.3g}-{high:.3g} over {len(self.cpu)} runs), "
            f"{self.median('wall'):.3g} s wall"
        )


def time_calls(call, *, repeats: int = 5, warmup: int = 1) -> Timings:
    """Call ``call()`` ``warmup + repeats`` times and time the last ``repeats`` calls.

    The warm-up calls are not counted: the first call of a compiled function traces and builds
    its graph, which is not the cost of a call.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"need repeats >= 1 and warmup >= 0, got repeats={repeats}, warmup={warmup}")
    for _ in range(warmup):
        call()
    timings = Timings()
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        call()
        timings.cpu.append(time.process_time() - cpu)
        timings.wall.append(time.perf_counter() - wall)
    return timings


def time_train_steps(model, x, y, *, batch_size: int = 32, steps: int = 10, warmup: int = 2, seed: int = 0) -> Timings:
    """Time single training steps (forward, backward, update) of a compiled model.

    Each step trains on a random batch of ``batch_size`` samples. Training changes the model's
    weights, so time a throwaway copy if that matters.
    """
    if len(x) < batch_size:
        raise ValueError(f"need at least one full batch: {len(x)} samples < batch_size {batch_size}")
    rng = np.random.default_rng(seed)

    def one_step():
        rows = rng.choice(len(x), size=batch_size, replace=False)
        model.train_on_batch(x[rows], y[rows])

    return time_calls(one_step, repeats=steps, warmup=warmup)


def costs_more(costly, cheap, *, tolerance: float | None = None) -> bool:
    """Whether ``costly`` took more CPU time than ``cheap``, within the run profile's tolerance.

    Both are :class:`Timings` (their medians are compared) or seconds. True when
    ``costly >= tolerance * cheap``, with ``tolerance`` from :data:`CPU_TOLERANCE` by default.
    """
    tolerance = CPU_TOLERANCE[current_profile()] if tolerance is None else tolerance
    costly = costly.median("cpu") if isinstance(costly, Timings) else float(costly)
    cheap = cheap.median("cpu") if isinstance(cheap, Timings) else float(cheap)
    return costly >= tolerance * cheap


def describe_machine() -> str:
    """One line naming what a timing was measured on: the processor, the cores this process may
    use, the GPUs TensorFlow sees, the library versions and the run profile.

    Timings mean little without it; a page prints it next to its measurements.
    """
    import os
    import platform

    cpu = platform.processor() or platform.machine()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import keras

    versions = f"Keras {keras.__version__} on {keras.backend.backend()}"
    gpus = "GPUs unknown"
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        versions = f"TensorFlow {tf.__version__}, " + versions
        gpus = f"{len(tf.config.list_physical_devices('GPU'))} GPU(s)"
    return (
        f"{cpu}, {cores} usable cores, {gpus}; Python {platform.python_version()}, {versions}; "
        f"run profile '{current_profile()}'"
    )


def _epoch_timer_class():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """A ``fit`` callback that records the CPU and wall seconds of every epoch.

        After ``fit``, ``timer.timings`` holds one value per epoch on each clock, and
        :meth:`steady` the median over the epochs after the first, which also traces and builds
        the training function (or all epochs, if there was only one).
        """

        def __init__(self):
            super().__init__()
            self.timings = Timings()

        def on_train_begin(self, logs=None):
            self.timings = Timings()

        def on_epoch_begin(self, epoch, logs=None):
            self._start = (time.process_time(), time.perf_counter())

        def on_epoch_end(self, epoch, logs=None):
            self.timings.cpu.append(time.process_time() - self._start[0])
            self.timings.wall.append(time.perf_counter() - self._start[1])

        def steady(self, clock: str = "cpu") -> float:
            values = self.timings._values(clock)
            return float(np.median(values[1:] if len(values) > 1 else values))

    return EpochTimer


def __getattr__(name: str):
    # EpochTimer subclasses a Keras class: it is defined on first use, so that importing this
    # module does not import Keras (and TensorFlow).
    if name == "EpochTimer":
        cls = _epoch_timer_class()
        globals()["EpochTimer"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
