from typing import ClassVar

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lstm_course import plots, widgets
from lstm_course.numpy_lstm import LSTMWeights, lstm_forward


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class FakeHistory:
    history: ClassVar[dict] = {"loss": [0.7, 0.5, 0.4], "val_loss": [0.69, 0.6, 0.55], "accuracy": [0.5, 0.7, 0.8]}


def test_history_of_one_run_has_a_panel_per_metric():
    fig = plots.plot_history(FakeHistory())
    assert len(fig.axes) == 2
    loss_axis = fig.axes[0]
    assert len(loss_axis.lines) == 2  # train and validation
    np.testing.assert_allclose(loss_axis.lines[1].get_ydata(), [0.69, 0.6, 0.55])


def test_histories_are_compared_on_shared_axes():
    fig = plots.plot_history({"SimpleRNN": FakeHistory(), "LSTM": FakeHistory().history}, metrics=("loss",))
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 4
    assert fig.axes[0].lines[0].get_color() == plots.COLORS["SimpleRNN"]


def test_history_without_the_metrics_is_refused():
    with pytest.raises(ValueError, match="none of the requested metrics"):
        plots.plot_history(FakeHistory(), metrics=("auc",))


def test_gate_heatmaps_draw_one_row_per_quantity_with_token_labels():
    trace = lstm_forward(np.random.default_rng(0).normal(size=(5, 2)), LSTMWeights.random(2, 3))
    tokens = ["the", "movie", "was", "not", "boring"]
    fig = plots.plot_gate_heatmaps(trace, tokens=tokens)
    heatmap_axes = [ax for ax in fig.axes if ax.get_images()]
    assert len(heatmap_axes) == 6
    assert [t.get_text() for t in heatmap_axes[-1].get_xticklabels()] == tokens
    assert heatmap_axes[0].get_images()[0].get_array().shape == (3, 5)  # units x time


def test_course_style_is_applied():
    plots.use_course_style()
    assert plt.rcParams["axes.spines.top"] is False


def test_default_explorer_settings_store_and_hold_the_first_pulse():
    x = widgets.explorer_input("pulses")
    trace = lstm_forward(x[:, None], widgets.single_unit_weights(**widgets.DEFAULT_GATES))
    c = trace.c[0, :, 0]
    assert c[5] > 0.5, "the pulse is written"
    assert c[19] > 0.9 * c[6], "and kept until the next pulse"


def test_a_closed_forget_gate_leaks_the_memory():
    settings = dict(widgets.DEFAULT_GATES, b_forget=-3.0)
    trace = lstm_forward(widgets.explorer_input()[:, None], widgets.single_unit_weights(**settings))
    assert abs(trace.c[0, 15, 0]) < 0.01


@pytest.mark.parametrize("pattern", widgets.INPUT_PATTERNS)
def test_input_patterns(pattern):
    assert widgets.explorer_input(pattern, length=30).shape == (30,)


def test_unknown_pattern_is_refused():
    with pytest.raises(ValueError, match="pulses"):
        widgets.explorer_input("square")


def test_plot_single_unit_draws_input_gates_and_states():
    x = widgets.explorer_input()
    trace = lstm_forward(x[:, None], widgets.single_unit_weights(**widgets.DEFAULT_GATES))
    fig = widgets.plot_single_unit(x, trace, title="store and hold")
    assert len(fig.axes) == 3
    assert len(fig.axes[1].lines) == 3 and len(fig.axes[2].lines) >= 2


def test_gate_explorer_builds_its_controls_and_redraws_what_they_set(monkeypatch):
    drawn = []
    monkeypatch.setattr(widgets, "plot_single_unit", lambda x, trace, **kw: drawn.append((x, trace)) or plt.figure())
    box = widgets.gate_explorer()
    grid, _output = box.children
    assert len(grid.children) == 1 + len(widgets.DEFAULT_GATES)
    assert len(drawn) == 1 and drawn[0][1].c[0, 19, 0] > 0.5  # the defaults store and hold the first pulse
    forget_bias = next(c for c in grid.children if getattr(c, "description", "") == "b_forget")
    forget_bias.value = -4.0  # a closed forget gate: the memory leaks away
    assert len(drawn) == 2 and abs(drawn[1][1].c[0, 15, 0]) < 0.01
    chooser = grid.children[0]
    chooser.value = "step"
    x, trace = drawn[-1]
    np.testing.assert_array_equal(x, widgets.explorer_input("step"))
    assert trace.forget[0, :, 0].max() < 0.05  # the slider setting is kept when the input changes
