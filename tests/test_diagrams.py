"""The diagrams: what each figure shows, how a highlighted step is coloured, and bad arguments."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.text import Text

from lstm_course import diagrams, plots
from lstm_course.plots import COLORS

EQ = diagrams.EQUATIONS
ROLES = ("forget", "input", "candidate", "output", "c", "h")

ALL_FIGURES = {
    "lstm_cell": lambda: diagrams.lstm_cell(),
    **{f"lstm_cell_{step}": (lambda step=step: diagrams.lstm_cell(step)) for step in diagrams.STEPS},
    "rnn_cell": diagrams.rnn_cell,
    **{f"variant_{kind}": (lambda kind=kind: diagrams.variant_cell(kind)) for kind in diagrams.VARIANTS},
    "unrolled_lstm": lambda: diagrams.unrolled(),
    "unrolled_rnn": lambda: diagrams.unrolled(3, "rnn"),
    "unrolled_one_step": lambda: diagrams.unrolled(1, "gru"),
    "unrolled_longest": lambda: diagrams.unrolled(8),
    "task_shapes": diagrams.task_shapes,
    "attention": lambda: diagrams.attention(["the", "cat", "sat", "on", "the", "mat"]),
    "attention_long": lambda: diagrams.attention(
        ["a", "b", "international", "long-distance", "committees", "f", "g", "h", "i", "j"],
        query_label="decoder state $s_3$",
    ),
}


def texts(fig):
    return [t.get_text() for t in fig.findobj(Text)]


def edge_colours(fig):
    """The colours of every drawn patch (boxes, circles, wires), as hex strings."""
    return [to_hex(p.get_edgecolor()) for p in fig.findobj(Patch) if p.get_edgecolor()[3] > 0]


def roles_in_colour(fig):
    return {role for role in ROLES if COLORS[role] in edge_colours(fig)}


@pytest.mark.parametrize("name", ALL_FIGURES)
def test_every_figure_is_its_own_and_draws_inside_it_in_the_course_style(name):
    before = plt.figure()
    open_figures = plt.get_fignums()
    with matplotlib.rc_context():
        plots.use_course_style()
        fig = ALL_FIGURES[name]()
        png = io.BytesIO()
        fig.savefig(png, format="png")  # mathtext is parsed only now: a typo in an equation fails here
    assert png.getvalue().startswith(b"\x89PNG")
    assert isinstance(fig, Figure)
    assert plt.gcf() is before and not before.axes, "pyplot's current figure is left alone"
    assert plt.get_fignums() == open_figures, "the diagram is not kept open in pyplot"
    assert all(not ax.axison for ax in fig.axes), "no axes, ticks or grid"
    width, height = fig.get_size_inches()
    assert width <= 7.5 + 1e-9, "fits the site's text column"
    box = fig.get_tightbbox()  # every label inside the figure: nothing cut off, nothing outside
    assert box.x0 > -0.01 and box.y0 > -0.01 and box.x1 < width + 0.01 and box.y1 < height + 0.01
    plt.close(before)


def test_the_whole_cell_is_in_colour_with_its_six_equations():
    fig = diagrams.lstm_cell()
    shown = texts(fig)
    for key in ("forget", "input", "candidate", "output", "update", "hidden"):
        assert EQ[key] in shown
    assert roles_in_colour(fig) == set(ROLES)
    assert diagrams.GREY not in edge_colours(fig)
    assert {"$x_t$", "$h_{t-1}$", "$C_{t-1}$", "$C_t$", "$h_t$"} <= set(shown)


# What each step colours: the step's layers and wires, and the states they read or write.
LIT = {
    "forget": {"forget", "c", "h"},
    "input": {"input", "candidate", "h"},
    "update": {"forget", "input", "candidate", "c"},
    "output": {"output", "c", "h"},
}
STEP_EQUATIONS = {
    "forget": ["forget"],
    "input": ["input", "candidate"],
    "update": ["update"],
    "output": ["output", "hidden"],
}


@pytest.mark.parametrize("step", diagrams.STEPS)
def test_a_highlighted_step_is_in_colour_and_the_rest_is_grey(step):
    fig = diagrams.lstm_cell(highlight=step)
    assert roles_in_colour(fig) == LIT[step]
    assert diagrams.GREY in edge_colours(fig)
    shown = texts(fig)
    for key in ("forget", "input", "candidate", "output", "update", "hidden"):
        assert (EQ[key] in shown) == (key in STEP_EQUATIONS[step])


def test_the_forget_gate_is_red_and_thick_only_in_its_own_steps():
    def forget_box(fig):
        (box,) = [p for p in fig.findobj(FancyBboxPatch) if p.get_gid() == "forget"]
        return to_hex(box.get_edgecolor()), box.get_linewidth()

    red, thick = forget_box(diagrams.lstm_cell("forget"))
    grey, thin = forget_box(diagrams.lstm_cell("output"))
    assert red == COLORS["forget"] and grey == diagrams.GREY
    assert thick > thin
    red_in = {step: edge_colours(diagrams.lstm_cell(step)).count(COLORS["forget"]) for step in diagrams.STEPS}
    assert red_in["forget"] >= 3  # the gate, its wire f_t and the product on the cell state
    assert red_in["output"] == red_in["input"] == 0


def test_every_step_draws_the_same_cell():
    def shapes(fig):  # every shape of the drawing (not the keys of the equations), in drawing order
        return [p for p in fig.findobj(Patch) if p.get_gid() and not p.get_gid().startswith("key")]

    figures = [diagrams.lstm_cell(step) for step in (None, *diagrams.STEPS)]
    assert len({tuple(fig.get_size_inches()) for fig in figures}) == 1
    reference = shapes(figures[0])
    for fig in figures[1:]:
        assert [(type(p), p.get_gid()) for p in shapes(fig)] == [(type(p), p.get_gid()) for p in reference]
        # Within 2 pixels: a thicker line's arrowhead is set back so that its tip stays in place.
        for p, q in zip(shapes(fig), reference):
            np.testing.assert_allclose(p.get_extents().bounds, q.get_extents().bounds, atol=2)


def test_an_unknown_step_is_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match="'forget', 'input', 'update', 'output'"):
        diagrams.lstm_cell(highlight="candidate")


def test_the_plain_rnn_cell_has_one_tanh_layer_and_no_cell_state():
    fig = diagrams.rnn_cell()
    assert EQ["rnn"] == r"$h_t = \tanh(x_t W + h_{t-1} U + b)$"  # the course's row notation
    assert EQ["rnn"] in texts(fig)
    assert len([p for p in fig.findobj(FancyBboxPatch) if p.get_gid() == "h"]) == 1
    assert COLORS["c"] not in edge_colours(fig)
    assert "$C_t$" not in texts(fig)


def test_the_peephole_cell_lets_three_gates_read_the_cell_state():
    fig = diagrams.variant_cell("peephole")
    shown = texts(fig)
    for key in ("peephole_input", "peephole_forget", "peephole_output"):
        assert EQ[key] in shown
    assert r"p_o \odot C_t" in EQ["peephole_output"] and r"p_f \odot C_{t-1}" in EQ["peephole_forget"]
    dashed = [p for p in fig.findobj(FancyArrowPatch) if p.get_linestyle() != "-" and p.get_gid() == "c"]
    assert len(dashed) >= 3


def test_the_coupled_cell_has_no_input_gate():
    def sigmoid_boxes(fig):
        return [p.get_gid() for p in fig.findobj(FancyBboxPatch) if p.get_gid() in ROLES]

    assert sorted(sigmoid_boxes(diagrams.lstm_cell())) == ["candidate", "forget", "input", "output"]
    fig = diagrams.variant_cell("coupled")
    assert sorted(sigmoid_boxes(fig)) == ["candidate", "forget", "output"]
    assert EQ["coupled_update"] in texts(fig) and "1−" in texts(fig)


def test_the_gru_follows_keras_convention():
    fig = diagrams.variant_cell("gru")
    shown = texts(fig)
    assert EQ["gru_state"] == r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \hat{h}_t$"
    for key in ("gru_update_gate", "gru_reset_gate", "gru_candidate", "gru_state"):
        assert EQ[key] in shown
    assert diagrams.RESET_COLOR in edge_colours(fig)
    assert COLORS["c"] not in edge_colours(fig), "a GRU has no cell state"


def test_an_unknown_variant_is_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match="'peephole', 'coupled', 'gru'"):
        diagrams.variant_cell("convlstm")


@pytest.mark.parametrize("cell, states", [("lstm", ("h", "C")), ("gru", ("h",)), ("rnn", ("h",))])
def test_unrolled_draws_one_cell_per_step_and_its_states(cell, states):
    fig = diagrams.unrolled(5, cell)
    assert len([p for p in fig.findobj(FancyBboxPatch) if p.get_gid() == "cell"]) == 5
    shown = set(texts(fig))
    assert {f"$x_{{{t}}}$" for t in range(1, 6)} <= shown and {f"$h_{{{t}}}$" for t in range(1, 6)} <= shown
    assert ("$C_{0}$" in shown) == ("C" in states) and ("$C_{5}$" in shown) == ("C" in states)
    assert (COLORS["c"] in edge_colours(fig)) == (cell == "lstm")


@pytest.mark.parametrize("n_steps", [0, 9, 2.5, True, "4"])
def test_unrolled_refuses_a_bad_number_of_steps(n_steps):
    with pytest.raises(ValueError, match="1 to 8"):
        diagrams.unrolled(n_steps)


def test_unrolled_refuses_an_unknown_cell():
    with pytest.raises(ValueError, match="'lstm', 'gru', 'rnn'"):
        diagrams.unrolled(4, "transformer")


def test_task_shapes_has_four_titled_panels_with_an_example_each():
    fig = diagrams.task_shapes()
    shown = texts(fig)
    for title, example in diagrams.TASK_SHAPES:
        assert title in shown and example in shown
    assert [t.replace("\n", " ") for t, _ in diagrams.TASK_SHAPES] == [
        "one to one",
        "many to one",
        "many to many (aligned)",
        "encoder–decoder",
    ]
    cells = [p for p in fig.findobj(FancyBboxPatch) if p.get_gid() == "cell"]
    assert len(cells) == 1 + 3 + 3 + 7


def test_attention_shows_tokens_weights_and_context():
    tokens = ["the", "cat", "sat", "on", "the", "mat"]
    weights = [0.05, 0.55, 0.2, 0.05, 0.05, 0.1]
    fig = diagrams.attention(tokens, query_label="decoder state", weights=weights)
    shown = texts(fig)
    assert [t for t in shown if t in tokens] == tokens
    assert [t for t in shown if t.startswith("0.")] == [f"{w:.2f}" for w in weights]
    assert EQ["attention_weights"] in " ".join(shown) and EQ["attention_context"] in " ".join(shown)
    assert "decoder state" in shown and not any("illustrative" in t for t in shown)
    lines = [p for p in fig.findobj(FancyArrowPatch) if p.get_gid() == "attention"]
    assert len(lines) == len(tokens)
    widths = [line.get_linewidth() for line in lines]
    assert np.argmax(widths) == 1 and widths[1] > widths[2] > widths[0] == widths[3]


def test_attention_without_weights_says_they_are_illustrative():
    fig = diagrams.attention(["I", "love", "long", "memory"])
    assert any("illustrative" in t for t in texts(fig))
    numbers = [float(t) for t in texts(fig) if t.startswith("0.")]
    assert len(numbers) == 4 and abs(sum(numbers) - 1) < 0.02


def test_attention_rescales_weights_that_sum_to_one_within_rounding():
    fig = diagrams.attention(["a", "b"], weights=np.array([0.3004, 0.7003], dtype=np.float32))
    assert [t for t in texts(fig) if t.startswith("0.")] == ["0.30", "0.70"]


def test_attention_shows_tokens_as_they_are():
    assert "costs \\$5" in texts(diagrams.attention(["costs $5", "today"]))


@pytest.mark.parametrize(
    "weights, message",
    [
        ([0.5, 0.5], "one number per source token: 3 tokens"),
        ([[0.2, 0.3, 0.5]], "one number per source token"),
        ([2.0, 1.0, 3.0], "sum to 1 like a softmax output, got a sum of 6"),
        ([0.6, 0.6, -0.2], "non-negative"),
        ([0.5, np.nan, 0.5], "finite"),
    ],
)
def test_attention_refuses_weights_that_are_not_a_softmax_over_the_tokens(weights, message):
    with pytest.raises(ValueError, match=message):
        diagrams.attention(["a", "b", "c"], weights=weights)


@pytest.mark.parametrize(
    "tokens, message",
    [
        ("the cat sat", "not one string: pass text.split()"),
        ([], "1 to 10 source tokens"),
        ([str(k) for k in range(11)], "1 to 10 source tokens"),
    ],
)
def test_attention_refuses_bad_tokens(tokens, message):
    with pytest.raises(ValueError, match=message):
        diagrams.attention(tokens)
