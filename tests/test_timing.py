"""The step timer, the epoch timer and the CPU-time comparison with its per-profile tolerance."""

import time

import keras
import numpy as np
import pytest

from lstm_course import timing


def _busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_time_calls_skips_the_warm_up_and_times_each_repeat():
    calls = []
    timings = timing.time_calls(lambda: calls.append(1) or time.sleep(0.02), repeats=3, warmup=2)
    assert len(calls) == 5 and len(timings.wall) == len(timings.cpu) == 3
    assert min(timings.wall) >= 0.02  # a sleep takes wall time ...
    assert timings.median("cpu") < 0.01  # ... but almost no CPU time


def test_cpu_time_follows_computation():
    timings = timing.time_calls(lambda: _busy(0.03), repeats=2, warmup=0)
    assert timings.median("cpu") >= 0.03
    low, high = timings.spread("cpu")
    assert 0.03 <= low <= high
    assert "s CPU" in str(timings) and "over 2 runs" in str(timings)


def test_timings_refuse_unknown_clocks_and_empty_medians():
    with pytest.raises(ValueError, match="'cpu' or 'wall'"):
        timing.Timings([1.0], [1.0]).median("gpu")
    with pytest.raises(ValueError, match="nothing was timed"):
        timing.Timings().median()
    with pytest.raises(ValueError, match="repeats >= 1"):
        timing.time_calls(lambda: None, repeats=0)


def test_costs_more_uses_the_profiles_tolerance(monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "standard")
    assert timing.costs_more(1.0, 1.2)  # 1.0 >= 0.8 * 1.2
    assert not timing.costs_more(1.0, 1.3)
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "quick")
    assert timing.costs_more(1.0, 1.9)  # within a factor of two in quick
    assert not timing.costs_more(1.0, 2.1)
    slow, fast = timing.Timings(wall=[9, 9], cpu=[3.0, 3.2]), timing.Timings(wall=[1], cpu=[1.0])
    assert timing.costs_more(slow, fast) and not timing.costs_more(fast, slow)
    assert not timing.costs_more(1.0, 1.2, tolerance=1.0)


def _tiny_model():
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_time_train_steps_trains_once_per_step():
    model = _tiny_model()
    x, y = np.random.default_rng(0).normal(size=(64, 5, 2)).astype("float32"), np.ones((64, 1), "float32")
    before = [w.copy() for w in model.get_weights()]
    timings = timing.time_train_steps(model, x, y, batch_size=16, steps=3, warmup=1)
    assert len(timings.cpu) == 3
    assert int(model.optimizer.iterations.numpy()) == 4  # warm-up plus timed steps, each an update
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_time_train_steps_needs_a_full_batch():
    with pytest.raises(ValueError, match="full batch"):
        timing.time_train_steps(_tiny_model(), np.zeros((8, 5, 2)), np.zeros((8, 1)), batch_size=16)


def test_epoch_timer_records_every_epoch_on_both_clocks():
    timer = timing.EpochTimer()
    assert isinstance(timer, keras.callbacks.Callback)
    _tiny_model().fit(np.zeros((32, 5, 2)), np.zeros((32, 1)), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.timings.cpu) == len(timer.timings.wall) == 3
    assert timer.steady("cpu") == pytest.approx(float(np.median(timer.timings.cpu[1:])))


def test_epoch_timer_measures_the_work_done_in_an_epoch():
    timer = timing.EpochTimer()
    timer.on_train_begin()
    for seconds in (0.05, 0.01):
        timer.on_epoch_begin(0)
        _busy(seconds)
        timer.on_epoch_end(0)
    assert timer.timings.cpu[0] >= 0.05 and 0.01 <= timer.timings.cpu[1] < timer.timings.cpu[0]
    assert timer.steady("cpu") == timer.timings.cpu[1]  # the first epoch is left out


def test_describe_machine_names_cores_libraries_and_profile(monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "standard")
    line = timing.describe_machine()
    assert "usable cores" in line and "Keras " in line and "Python " in line
    assert line.endswith("run profile 'standard'")
