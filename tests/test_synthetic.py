import numpy as np
import pytest

from lstm_course import synthetic


def test_sine_wave_matches_the_seed_series():
    series = synthetic.sine_wave(1000, step=0.1)
    np.testing.assert_allclose(series, np.sin(np.arange(0, 100, 0.1)), atol=1e-6)
    assert series.dtype == np.float32


def test_first_bit_problem_label_is_the_marked_first_bit():
    x, y = synthetic.first_bit_problem(200, 30, seed=3)
    assert x.shape == (200, 30, 2) and y.shape == (200,)
    np.testing.assert_array_equal(y, (x[:, 0, 0] > 0).astype(np.float32))
    assert set(np.unique(x[:, :, 0])) == {-1.0, 1.0}
    assert x[:, 0, 1].sum() == 200 and x[:, 1:, 1].sum() == 0
    assert 0.35 < y.mean() < 0.65
    x2, _ = synthetic.first_bit_problem(200, 30, seed=3)
    np.testing.assert_array_equal(x, x2)


def test_adding_problem_sums_one_marked_number_in_each_half():
    x, y = synthetic.adding_problem(500, 50, seed=1)
    assert x.shape == (500, 50, 2)
    np.testing.assert_array_equal(x[:, :25, 1].sum(axis=1), 1)
    np.testing.assert_array_equal(x[:, 25:, 1].sum(axis=1), 1)
    np.testing.assert_allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    # Predicting 1.0 everywhere gives about 1/6: the baseline the docstring promises.
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.03
    with pytest.raises(ValueError):
        synthetic.adding_problem(10, 1)


def test_copy_problem_layout():
    x, y = synthetic.copy_problem(20, n_symbols=8, n_copy=5, delay=10, seed=0)
    assert x.shape == y.shape == (20, 20)
    np.testing.assert_array_equal(y[:, -5:], x[:, :5])
    assert (x[:, 14] == 9).all(), "the cue sits on the last step of the delay"
    assert (y[:, :-5] == 0).all()
    assert x[:, :5].min() >= 1 and x[:, :5].max() <= 8


@pytest.mark.parametrize("argument", ["delay", "n_copy", "n_symbols"])
def test_copy_problem_refuses_sizes_that_leave_no_room(argument):
    # delay=0 used to put the cue on the last symbol to copy, silently corrupting the task.
    with pytest.raises(ValueError, match=f"{argument} must be at least 1"):
        synthetic.copy_problem(4, **{argument: 0})
    x, _ = synthetic.copy_problem(4, n_symbols=3, n_copy=2, delay=1)
    assert (x[:, 2] == 4).all() and (x[:, :2] <= 3).all(), "with delay=1 the cue follows the symbols"


def test_moving_squares_move_one_pixel_per_frame_and_stay_inside():
    frames, last = synthetic.moving_squares(20, frames=7, size=12, side=3, seed=4)
    assert frames.shape == (20, 6, 12, 12, 1) and last.shape == (20, 12, 12, 1)
    clips = np.concatenate([frames, last[:, None]], axis=1)[..., 0]
    assert np.all(clips.sum(axis=(2, 3)) == 9)  # the whole square, in every frame
    for clip in clips:
        corners = np.array([np.argwhere(frame).min(axis=0) for frame in clip])
        steps = np.abs(np.diff(corners, axis=0))
        assert np.all(steps <= 1) and np.all(steps.max(axis=1) == 1)  # it moves, one pixel at a time


def test_moving_squares_refuse_a_square_that_does_not_fit():
    with pytest.raises(ValueError, match="side"):
        synthetic.moving_squares(2, size=3, side=3)
