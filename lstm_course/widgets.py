"""The gate explorer: one LSTM unit whose gate weights you set with sliders.

A single unit reads a one-dimensional input. Each gate has an input weight and a bias
(the recurrent weights are held at zero, so each gate depends only on the current input and
what you see is the gates' own effect). :func:`plot_single_unit` draws the result, so the same
picture can be produced statically on the website, where widgets do not run.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .numpy_lstm import LSTMWeights, lstm_forward
from .plots import COLORS, TITLES

# Settings that store the first pulse and hold it: the forget gate stays open (bias 6 -> f = 0.998),
# and the input gate opens only for large positive inputs.
DEFAULT_GATES = {
    "w_input": 6.0,
    "b_input": -3.0,
    "w_forget": 0.0,
    "b_forget": 6.0,
    "w_candidate": 2.0,
    "b_candidate": 0.0,
    "w_output": 0.0,
    "b_output": 2.0,
}

INPUT_PATTERNS = ("pulses", "step", "noise")


def explorer_input(pattern: str = "pulses", length: int = 40, seed: int = 0) -> np.ndarray:
    """A one-dimensional input sequence for the explorer."""
    x = np.zeros(length)
    if pattern == "pulses":
        x[5], x[20] = 1.0, -1.0
    elif pattern == "step":
        x[10:25] = 1.0
    elif pattern == "noise":
        x = np.random.default_rng(seed).normal(0, 0.7, length)
    else:
        raise ValueError(f"pattern must be one of {INPUT_PATTERNS}, not {pattern!r}")
    return x


def single_unit_weights(
    w_input, b_input, w_forget, b_forget, w_candidate, b_candidate, w_output, b_output, recurrent: float = 0.0
) -> LSTMWeights:
    """Weights of a one-unit LSTM with a one-dimensional input, in Keras's i, f, g, o layout."""
    return LSTMWeights(
        kernel=[[w_input, w_forget, w_candidate, w_output]],
        recurrent_kernel=[[recurrent] * 4],
        bias=[b_input, b_forget, b_candidate, b_output],
    )


def plot_single_unit(x, trace, title: str | None = None, axes=None):
    """Input, gates, cell state and hidden state of a one-unit LSTM over time."""
    if axes is None:
        fig, axes = plt.subplots(3, 1, figsize=(7.5, 5.4), sharex=True)
    else:
        fig = axes[0].figure
    t = np.arange(len(x))
    axes[0].bar(t, x, color="#888888")
    axes[0].set_ylabel("input $x_t$")
    for name in ("input", "forget", "output"):
        axes[1].plot(t, getattr(trace, name)[0, :, 0], color=COLORS[name], label=TITLES[name])
    axes[1].set_ylim(-0.05, 1.05)
    axes[1].set_ylabel("gate value")
    axes[1].legend(fontsize=8, ncol=3, loc="lower right")
    for name in ("c", "h"):
        axes[2].plot(t, getattr(trace, name)[0, :, 0], color=COLORS[name], label=TITLES[name], lw=2)
    axes[2].axhline(0, color="#999999", lw=0.8)
    axes[2].set_ylabel("state")
    axes[2].set_xlabel("time step $t$")
    axes[2].legend(fontsize=8, loc="lower right")
    if title:
        axes[0].set_title(title)
    fig.tight_layout()
    return fig


def gate_explorer(pattern: str = "pulses"):
    """An interactive explorer (needs a running kernel with ipywidgets, e.g. JupyterLab)."""
    import ipywidgets as widgets
    from IPython.display import display

    sliders = {
        name: widgets.FloatSlider(
            value=value,
            min=-8.0,
            max=8.0,
            step=0.5,
            description=name,
            continuous_update=False,
            layout=widgets.Layout(width="300px"),
        )
        for name, value in DEFAULT_GATES.items()
    }
    chooser = widgets.Dropdown(options=INPUT_PATTERNS, value=pattern, description="input")
    out = widgets.Output()

    def redraw(*_):
        x = explorer_input(chooser.value)
        weights = single_unit_weights(**{k: s.value for k, s in sliders.items()})
        trace = lstm_forward(x[:, None], weights)
        with out:
            out.clear_output(wait=True)
            plot_single_unit(x, trace)
            plt.show()

    for control in (*sliders.values(), chooser):
        control.observe(redraw, names="value")
    names = list(sliders)
    grid = widgets.GridBox(
        [chooser] + [sliders[n] for n in names],
        layout=widgets.Layout(grid_template_columns="repeat(3, 320px)"),
    )
    redraw()
    box = widgets.VBox([grid, out])
    display(box)
    return box
