"""Figures with one consistent look: training curves and gate heatmaps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

# Colours per quantity, used everywhere in the course so that a gate looks the same on every page.
COLORS = {
    "input": "#2a9d3f",
    "forget": "#d1495b",
    "candidate": "#3b6fb6",
    "output": "#7b4fa3",
    "c": "#e0a100",
    "h": "#2f2f2f",
    "SimpleRNN": "#d1495b",
    "LSTM": "#3b6fb6",
    "GRU": "#2a9d3f",
}
TITLES = {
    "input": "input gate $i_t$",
    "forget": "forget gate $f_t$",
    "candidate": r"candidate $\tilde{C}_t$",
    "output": "output gate $o_t$",
    "c": "cell state $C_t$",
    "h": "hidden state $h_t$",
}

STYLE = {
    "figure.figsize": (7.5, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "font.size": 10,
    "axes.prop_cycle": plt.cycler(color=["#3b6fb6", "#d1495b", "#2a9d3f", "#7b4fa3", "#e0a100", "#2f2f2f"]),
}


def use_course_style() -> None:
    """Apply the course's matplotlib style to every later figure."""
    plt.rcParams.update(STYLE)


def plot_history(histories, metrics=("loss", "accuracy"), title: str | None = None):
    """Training and validation curves.

    ``histories`` is a Keras ``History``, a dict of metric lists, or a dict ``{label: history}``
    to compare several runs on the same axes (training dashed, validation solid).
    """
    if hasattr(histories, "history") or (isinstance(histories, dict) and _is_metric_dict(histories)):
        histories = {"": histories}
    metrics = [m for m in metrics if any(m in _as_dict(h) for h in histories.values())]
    if not metrics:
        raise ValueError("none of the requested metrics was recorded in the history")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.4), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for k, (label, history) in enumerate(histories.items()):
            record = _as_dict(history)
            color = COLORS.get(label, f"C{k}")
            epochs = np.arange(1, len(record.get(metric, [])) + 1)
            prefix = f"{label} " if label else ""
            if metric in record:
                ax.plot(epochs, record[metric], "--", color=color, label=f"{prefix}train")
            if f"val_{metric}" in record:
                ax.plot(epochs, record[f"val_{metric}"], "-o", ms=3, color=color, label=f"{prefix}validation")
        ax.set_xlabel("epoch")
        ax.set_title(metric)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _as_dict(history) -> dict:
    return history.history if hasattr(history, "history") else history


def _is_metric_dict(d: dict) -> bool:
    return all(isinstance(v, (list, tuple, np.ndarray)) for v in d.values())


def plot_gate_heatmaps(
    trace, tokens=None, sample: int = 0, units=None, quantities=("forget", "input", "candidate", "output", "c", "h")
):
    """Heatmaps (unit x time step) of an :class:`~lstm_course.numpy_lstm.LSTMTrace`.

    Gates are drawn on [0, 1], the candidate and hidden state on [-1, 1]; the cell state is
    unbounded, so its colour scale is symmetric around zero. ``tokens`` label the time axis.
    """
    units = slice(None) if units is None else units
    fig, axes = plt.subplots(len(quantities), 1, figsize=(8, 1.25 * len(quantities) + 0.8), sharex=True)
    for ax, name in zip(np.atleast_1d(axes), quantities):
        values = getattr(trace, name)[sample][:, units].T
        if name in ("forget", "input", "output"):
            im = ax.imshow(values, aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        else:
            bound = max(float(np.abs(values).max()), 1e-6) if name == "c" else 1.0
            im = ax.imshow(values, aspect="auto", cmap="RdBu_r", vmin=-bound, vmax=bound, interpolation="nearest")
        ax.set_ylabel("unit", fontsize=8)
        ax.set_title(TITLES[name], fontsize=9, loc="left")
        ax.grid(False)
        fig.colorbar(im, ax=ax, pad=0.01, fraction=0.03)
    if tokens is not None:
        last = np.atleast_1d(axes)[-1]
        last.set_xticks(range(len(tokens)))
        last.set_xticklabels(tokens, rotation=45, ha="right")
    else:
        np.atleast_1d(axes)[-1].set_xlabel("time step")
    fig.tight_layout()
    return fig
