"""Diagrams of recurrent cells and sequence models, drawn with code in the course's colours.

The cells are drawn the way colah's "Understanding LSTM Networks"
(https://colah.github.io/posts/2015-08-Understanding-LSTMs/) taught a generation to read them:
the cell is a box, the cell state runs along its top like a conveyor belt, the hidden state and
the input enter at the bottom. Rounded boxes are *layers* (a weighted sum and an
activation, with weights of their own), circles are *element-wise operations* (no weights).
Lines that merge feed both vectors to what follows; a line that splits copies its vector.
Colours are those of :data:`lstm_course.plots.COLORS`: forget gate red, input gate green,
candidate blue, output gate purple, cell state amber, hidden state dark grey.

Every function returns a :class:`matplotlib.figure.Figure` and touches no other figure. The
figure is closed in pyplot as soon as it is drawn, so a notebook cell that *ends* with the call
shows it exactly once (``plt.show()`` does not show it; inside a loop, use ``display(fig)``)::

    from lstm_course import diagrams
    diagrams.lstm_cell(highlight="forget")

The equations use the course's row notation, ``x_t W_f + h_{t-1} U_f + b_f``, and the GRU is
written in Keras's convention, ``h_t = z_t * h_{t-1} + (1 - z_t) * candidate``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath

from .plots import COLORS

STEPS = ("forget", "input", "update", "output")
VARIANTS = ("peephole", "coupled", "gru")
UNROLLED_CELLS = ("lstm", "gru", "rnn")

#: The equations that the figures typeset, in the course's notation (matplotlib mathtext).
EQUATIONS = {
    "forget": r"$f_t = \sigma(x_t W_f + h_{t-1} U_f + b_f)$",
    "input": r"$i_t = \sigma(x_t W_i + h_{t-1} U_i + b_i)$",
    "candidate": r"$\tilde{C}_t = \tanh(x_t W_g + h_{t-1} U_g + b_g)$",
    "output": r"$o_t = \sigma(x_t W_o + h_{t-1} U_o + b_o)$",
    "update": r"$C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t$",
    "hidden": r"$h_t = o_t \odot \tanh(C_t)$",
    "rnn": r"$h_t = \tanh(x_t W + h_{t-1} U + b)$",
    "peephole_input": r"$i_t = \sigma(x_t W_i + h_{t-1} U_i + p_i \odot C_{t-1} + b_i)$",
    "peephole_forget": r"$f_t = \sigma(x_t W_f + h_{t-1} U_f + p_f \odot C_{t-1} + b_f)$",
    "peephole_output": r"$o_t = \sigma(x_t W_o + h_{t-1} U_o + p_o \odot C_t + b_o)$",
    "coupled_update": r"$C_t = f_t \odot C_{t-1} + (1 - f_t) \odot \tilde{C}_t$",
    "gru_update_gate": r"$z_t = \sigma(x_t W_z + h_{t-1} U_z + b_z)$",
    "gru_reset_gate": r"$r_t = \sigma(x_t W_r + h_{t-1} U_r + b_r)$",
    "gru_candidate": r"$\hat{h}_t = \tanh(x_t W_h + r_t \odot (h_{t-1} U_h + b^{(r)}_h) + b_h)$",
    "gru_state": r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \hat{h}_t$",
    "attention_weights": r"$\alpha_t = \mathrm{softmax}_t\,\mathrm{score}(q, h_t)$",
    "attention_context": r"$c = \sum_t \alpha_t h_t$",
}

RESET_COLOR = "#1b9aaa"  # the GRU's reset gate has no course colour; teal stays clear of the others
GREY = "#c2c2c2"  # the parts a highlighted figure is not about
GREY_FILL = "#f1f1f1"
CELL_FILL = "#f7f7f5"
CELL_EDGE = "#a8a8a8"
INK = "#222222"
SCALE = 0.5  # inches per drawing unit, the same for every cell figure (7.5 inches for the LSTM)
HEAD = 11  # arrowhead size in points, the same for every arrow
FONT = 11  # labels on the drawing, in points


def _pale(color, amount=0.8):
    """``color`` mixed with white: box fillings."""
    return tuple(c + (1 - c) * amount for c in to_rgb(color))


def _ink(color):
    """A darker shade of ``color`` for text: amber on white is hard to read."""
    return tuple(0.72 * c for c in to_rgb(color))


def _plain(text) -> str:
    """User text shown as is: a ``$`` would otherwise start mathtext."""
    return str(text).replace("$", r"\$")


class _Sketch:
    """One figure, one Axes in drawing units (equal aspect, no axes), and the drawing primitives.

    ``emphasis`` is True when one part is highlighted: its lines are drawn thicker. Every element
    gets ``gid`` = the role that decides its colour ("forget", "c", ...), which the tests read.
    """

    def __init__(self, xlim, ylim, *, scale=SCALE, max_width=7.5, emphasis=False):
        w, h = xlim[1] - xlim[0], ylim[1] - ylim[0]
        scale = min(scale, max_width / w)  # the site's text column is about 7.5 inches wide
        self.fig = plt.figure(figsize=(w * scale, h * scale))
        plt.close(self.fig)  # the caller gets the figure; pyplot keeps no reference to it
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(*xlim)
        self.ax.set_ylim(*ylim)
        self.ax.set_aspect("equal")
        self.ax.axis("off")
        # An invisible frame: a "tight" bounding box then crops every variant of a figure alike,
        # so the highlighted steps of the LSTM cell line up when a reader flips through them.
        self.ax.add_patch(Rectangle((xlim[0], ylim[0]), w, h, facecolor="none", edgecolor="none"))
        self.emphasis = emphasis

    def _lw(self, on):
        if not on:
            return 1.1
        return 2.6 if self.emphasis else 1.7

    def cell(self, x0, y0, x1, y1):
        """The rounded box that holds a cell."""
        self.ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle="round,pad=0,rounding_size=0.45",
                facecolor=CELL_FILL,
                edgecolor=CELL_EDGE,
                lw=1.2,
                zorder=0,
                gid="cell",
            )
        )

    def layer(self, x, y, label, role, on=True, *, color=None, w=1.0, h=0.72, fontsize=FONT):
        """A layer with weights: a rounded box centred at (x, y)."""
        color = color or COLORS[role]
        self.ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.14",
                facecolor=_pale(color) if on else GREY_FILL,
                edgecolor=color if on else GREY,
                lw=self._lw(on),
                zorder=3,
                gid=role,
            )
        )
        self.ax.text(
            x, y, label, ha="center", va="center", fontsize=fontsize, zorder=4, color=_ink(color) if on else GREY
        )

    def op(self, x, y, symbol, role, on=True, *, color=None, r=0.3):
        """An element-wise operation: a circle (an ellipse for ``tanh``) centred at (x, y)."""
        color = color or COLORS[role]
        style = dict(
            facecolor=_pale(color, 0.86) if on else GREY_FILL,
            edgecolor=color if on else GREY,
            lw=self._lw(on),
            zorder=3,
            gid=role,
        )
        if symbol == "tanh":
            self.ax.add_patch(Ellipse((x, y), 1.0, 0.56, **style))
        else:
            self.ax.add_patch(Circle((x, y), r, **style))
        size = {"tanh": FONT - 1, "1-": FONT - 1}.get(symbol, FONT + 3)
        text = {"x": "×", "1-": "1−"}.get(symbol, symbol)
        self.ax.text(
            x,
            y,
            text,
            ha="center",
            va="center_baseline" if len(text) == 1 else "center",
            fontsize=size,
            color=_ink(color) if on else GREY,
            zorder=4,
        )

    def wire(self, points, role, on=True, *, color=None, arrow=True, dashed=False, width=None):
        """A line through ``points``, with an arrowhead at the last one when ``arrow``."""
        color = color if on and color else COLORS[role] if on else GREY
        lw = width if width is not None else self._lw(on)
        style = dict(
            mutation_scale=HEAD,
            color=color,
            lw=lw,
            shrinkA=0,
            shrinkB=0,
            capstyle="butt",
            joinstyle="miter",
            zorder=2,
            gid=role,
        )
        head = "-|>,head_length=0.55,head_width=0.28"
        self.ax.add_patch(
            FancyArrowPatch(
                path=Path(points),
                arrowstyle=head if arrow and not dashed else "-",
                linestyle=(0, (3, 2)) if dashed else "-",
                **style,
            )
        )
        if arrow and dashed:  # a dashed outline would make a hollow arrowhead: add a solid one
            (x0, y0), (x1, y1) = points[-2], points[-1]
            length = np.hypot(x1 - x0, y1 - y0)
            start = (x1 - 0.2 * (x1 - x0) / length, y1 - 0.2 * (y1 - y0) / length)
            self.ax.add_patch(FancyArrowPatch(start, (x1, y1), arrowstyle=head, **style))

    def text(self, x, y, text, role=None, on=True, *, color=None, fontsize=FONT, **kw):
        """A label; coloured like ``role`` (ink), grey when ``on`` is False."""
        color = color or (COLORS[role] if role else INK)
        kw.setdefault("ha", "center")
        kw.setdefault("va", "center")
        return self.ax.text(x, y, text, fontsize=fontsize, color=_ink(color) if on else GREY, zorder=5, **kw)

    def square(self, x, y, size, color, *, gid, rounding=0.06, shade=0.45, lw=1.2):
        """A rounded square centred on (x, y): edge in ``color``, filled with a pale shade of it."""
        self.ax.add_patch(
            FancyBboxPatch(
                (x - size / 2, y - size / 2),
                size,
                size,
                boxstyle=f"round,pad=0,rounding_size={rounding}",
                facecolor=_pale(color, shade),
                edgecolor=color,
                lw=lw,
                zorder=3,
                gid=gid,
            )
        )

    def swatch(self, x, y, role, *, color=None, size=0.32):
        """A small coloured square, the key of an equation."""
        self.square(x, y, size, color or COLORS[role], gid=f"key-{role}")


def _check(name, value, valid):
    if value not in valid:
        shown = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{name}={value!r} is not one of the valid values: {shown}")


# ---------------------------------------------------------------------------------------------
# The LSTM cell and its variants share one geometry (drawing units).
_X0, _X1, _Y0, _Y1 = 0.0, 10.0, 0.0, 6.0  # the cell's box
_YC, _YB = 5.2, 0.8  # the cell state along the top; the input bus (h_{t-1} and x_t) along the bottom
_YL, _LH = 2.3, 0.72  # centre and height of the layer boxes
_TOP = _YL + _LH / 2  # the top of a layer box
_XX = 0.9  # where x_t enters
_XF, _XI, _XG, _XO = 2.0, 3.7, 5.3, 7.1  # forget gate, input gate, candidate, output gate
_XT, _XUP = 8.7, 9.5  # tanh(C_t) and the output product; where h_t is copied up
_YMI, _YMO, _YTO = 3.9, 3.5, 4.45  # the input product, the output product, tanh(C_t)
_R = 0.3  # radius of an element-wise operation
_LEFT, _RIGHT, _UP, _DOWN = -1.2, 11.2, 6.9, -1.0  # where wires leave the box
_LSTM_XLIM, _LSTM_YLIM = (-2.5, 12.5), (-4.95, 7.7)

_CAPTIONS = {
    None: "rounded box: a layer with weights ($\\sigma$ or $\\tanh$)      circle: an element-wise operation\n"
    "lines that merge: both vectors go in      a line that splits: the same vector, copied",
    "forget": "each entry of $f_t$ lies between 0 (drop) and 1 (keep) and scales one entry of $C_{t-1}$",
    "input": r"$i_t$ (between 0 and 1) says how much of each candidate value (between $-1$ and 1) to write",
    "update": "no weights here: the old memory, scaled by $f_t$, plus the new content, scaled by $i_t$",
    "output": "$h_t$ is a gated view of the squashed memory: the layer's output and the next step's input",
}
_TITLES = {
    None: "The LSTM cell",
    "forget": r"1. Forget gate: how much of each entry of $C_{t-1}$ to keep",
    "input": "2. Input gate and candidate: what to write",
    "update": "3. Cell-state update: keep a part of the old, add the new",
    "output": r"4. Output gate: how much of $\tanh(C_t)$ to show as $h_t$",
}


def _lstm_inputs(sk, lit, *, gates=(_XF, _XI, _XG, _XO), readers=None):
    """h_{t-1} from the left and x_t from below merge into a bus that feeds every layer box.

    ``readers`` gives, per layer x position, the steps in which that layer is lit; the bus up to a
    layer is lit while that layer or one to its right is.
    """
    readers = readers or {x: {s} for x, s in zip(gates, ("forget", "input", "input", "output"))}
    any_reader = set().union(*readers.values())
    sk.wire([(_LEFT, _YB), (_XX, _YB)], "h", lit(any_reader), arrow=False)
    sk.wire([(_XX, _DOWN), (_XX, _YB)], "h", lit(any_reader), arrow=False)
    sk.text(_LEFT - 0.15, _YB, "$h_{t-1}$", "h", lit(any_reader), ha="right")
    sk.text(_XX, _DOWN - 0.35, "$x_t$", "h", lit(any_reader))
    start = _XX
    for k, x in enumerate(gates):
        steps = set().union(*(readers[g] for g in gates[k:]))
        sk.wire([(start, _YB), (x, _YB)], "h", lit(steps), arrow=False)
        sk.wire([(x, _YB), (x, _YL - _LH / 2)], "h", lit(readers[x]))
        start = x


def _draw_lstm(sk, lit, kind="standard"):
    """The standard cell, or its "peephole" or "coupled" variant; ``lit(steps)`` says what is in colour."""
    sk.cell(_X0, _Y0, _X1, _Y1)
    coupled = kind == "coupled"
    gates = (_XF, _XG, _XO) if coupled else (_XF, _XI, _XG, _XO)
    readers = {_XF: {"forget"}, _XI: {"input"}, _XG: {"input"}, _XO: {"output"}}
    if coupled:
        readers[_XF] = {"forget", "input"}
    _lstm_inputs(sk, lit, gates=gates, readers=readers)

    # The conveyor belt: C_{t-1} -> (x f_t) -> (+ i_t * candidate) -> C_t.
    sk.wire([(_LEFT, _YC), (_XF - _R, _YC)], "c", lit({"forget", "update"}))
    sk.text(_LEFT - 0.15, _YC, "$C_{t-1}$", "c", lit({"forget", "update"}), ha="right")
    sk.op(_XF, _YC, "x", "forget", lit({"forget", "update"}))
    sk.wire([(_XF + _R, _YC), (_XG - _R, _YC)], "c", lit({"update"}))
    sk.op(_XG, _YC, "+", "c", lit({"update"}))
    sk.wire([(_XG + _R, _YC), (_RIGHT, _YC)], "c", lit({"update"}))
    sk.text(_RIGHT + 0.15, _YC, "$C_t$", "c", lit({"update"}), ha="left")

    # Forget gate.
    sk.layer(_XF, _YL, r"$\sigma$", "forget", lit({"forget"}))
    sk.wire([(_XF, _TOP), (_XF, _YC - _R)], "forget", lit({"forget", "update"}))
    sk.text(_XF + 0.14, 4.35, "$f_t$", "forget", lit({"forget", "update"}), ha="left")

    # Input gate (or 1 - f_t) and candidate, multiplied, then added to the belt.
    if coupled:
        sk.wire([(_XF, _YMI), (_XI - _R, _YMI)], "forget", lit({"input", "update"}))
        sk.op(_XI, _YMI, "1-", "forget", lit({"input", "update"}))
        sk.wire([(_XI + _R, _YMI), (_XG - _R, _YMI)], "input", lit({"input", "update"}))
        sk.text((_XI + _XG) / 2, _YMI + 0.3, "$1 - f_t$", "input", lit({"input", "update"}))
    else:
        sk.layer(_XI, _YL, r"$\sigma$", "input", lit({"input"}))
        sk.wire([(_XI, _TOP), (_XI, _YMI), (_XG - _R, _YMI)], "input", lit({"input", "update"}))
        sk.text((_XI + _XG) / 2 - 0.1, _YMI + 0.3, "$i_t$", "input", lit({"input", "update"}))
    sk.layer(_XG, _YL, r"$\tanh$", "candidate", lit({"input"}))
    sk.wire([(_XG, _TOP), (_XG, _YMI - _R)], "candidate", lit({"input", "update"}))
    sk.text(_XG + 0.14, 3.15, r"$\tilde{C}_t$", "candidate", lit({"input", "update"}), ha="left")
    sk.op(_XG, _YMI, "x", "input", lit({"input", "update"}))
    sk.wire([(_XG, _YMI + _R), (_XG, _YC - _R)], "input", lit({"update"}))

    # Output gate, tanh(C_t), and h_t out to the right and up.
    sk.layer(_XO, _YL, r"$\sigma$", "output", lit({"output"}))
    sk.wire([(_XO, _TOP), (_XO, _YMO), (_XT - _R, _YMO)], "output", lit({"output"}))
    sk.text((_XO + _XT) / 2 + 0.1, _YMO + 0.3, "$o_t$", "output", lit({"output"}))
    sk.wire([(_XT, _YC), (_XT, _YTO + 0.28)], "c", lit({"output"}))
    sk.op(_XT, _YTO, "tanh", "c", lit({"output"}))
    sk.wire([(_XT, _YTO - 0.28), (_XT, _YMO + _R)], "c", lit({"output"}))
    sk.op(_XT, _YMO, "x", "output", lit({"output"}))
    sk.wire([(_XT, _YMO - _R), (_XT, _YB), (_RIGHT, _YB)], "h", lit({"output"}))
    sk.text(_RIGHT + 0.15, _YB, "$h_t$", "h", lit({"output"}), ha="left")
    sk.wire([(_XUP, _YB), (_XUP, _YC - 0.17)], "h", lit({"output"}), arrow=False)  # crosses under the belt
    sk.wire([(_XUP, _YC + 0.17), (_XUP, _UP)], "h", lit({"output"}))
    sk.text(_XUP + 0.15, _UP - 0.3, "$h_t$", "h", lit({"output"}), ha="left")

    if kind == "peephole":
        _draw_peepholes(sk, lit)


def _draw_peepholes(sk, lit):
    """Dashed amber lines: the input and forget gates read C_{t-1}, the output gate reads C_t."""
    y, tap, gap = 3.25, 0.5, 0.14
    fi, ii = _XF - 0.3, _XI - 0.3  # where the peepholes enter the gates' boxes
    sk.wire([(tap, _YC), (tap, y), (fi, y), (fi, _TOP)], "c", lit({"forget"}), dashed=True)
    sk.wire([(fi, y), (_XF - gap, y)], "c", lit({"input"}), dashed=True, arrow=False)
    sk.wire([(_XF + gap, y), (ii, y), (ii, _TOP)], "c", lit({"input"}), dashed=True)
    oi = _XO - 0.3
    sk.wire([(oi, _YC), (oi, _TOP)], "c", lit({"output"}), dashed=True)
    sk.text(tap + 0.12, 4.3, "$C_{t-1}$", "c", lit({"forget", "input"}), ha="left", fontsize=FONT - 1)
    sk.text(oi - 0.12, 4.55, "$C_t$", "c", lit({"output"}), ha="right", fontsize=FONT - 1)


def _equation_rows(sk, rows, *, top, x_columns, line=0.74):
    """Equations under a cell: ``rows`` is a list of rows, each a list of (role, equation)."""
    for r, row in enumerate(rows):
        for x, (role, equation) in zip(x_columns, row):
            sk.swatch(x, top - r * line, role, color=RESET_COLOR if role == "reset" else None)
            sk.text(x + 0.35, top - r * line, equation, ha="left", color=INK, fontsize=FONT)


def lstm_cell(highlight: str | None = None):
    """The LSTM cell, drawn in the style of colah's step-by-step diagrams.

    The cell state runs along the top (amber), the previous hidden state and the input enter at
    the bottom, and the four layers (forget gate red, input gate green, candidate blue, output
    gate purple) read them both. With ``highlight=None`` everything is in colour and the six
    equations stand under the cell. With one of :data:`STEPS` the figure shows one step of the
    computation in colour and thick, the rest in grey, with that step's equations:

    - ``"forget"``: the forget gate :math:`f_t` and the product that scales :math:`C_{t-1}`;
    - ``"input"``: the input gate :math:`i_t` and the candidate :math:`\\tilde C_t`;
    - ``"update"``: :math:`C_t = f_t \\odot C_{t-1} + i_t \\odot \\tilde C_t`;
    - ``"output"``: the output gate :math:`o_t` and :math:`h_t = o_t \\odot \\tanh(C_t)`.

    Every variant has the same size and geometry, so the steps can be shown one after another.
    Returns the Figure.
    """
    if highlight is not None:
        _check("highlight", highlight, (None, *STEPS))
    sk = _Sketch(_LSTM_XLIM, _LSTM_YLIM, emphasis=highlight is not None)

    def lit(steps):
        return highlight is None or highlight in steps

    _draw_lstm(sk, lit)
    sk.text(5.0, 7.3, _TITLES[highlight], fontsize=FONT + 1, color=INK, weight="bold" if highlight is None else None)
    rows = {
        None: [
            [("forget", EQUATIONS["forget"]), ("output", EQUATIONS["output"])],
            [("input", EQUATIONS["input"]), ("c", EQUATIONS["update"])],
            [("candidate", EQUATIONS["candidate"]), ("h", EQUATIONS["hidden"])],
        ],
        "forget": [[("forget", EQUATIONS["forget"])]],
        "input": [[("input", EQUATIONS["input"])], [("candidate", EQUATIONS["candidate"])]],
        "update": [[("c", EQUATIONS["update"])]],
        "output": [[("output", EQUATIONS["output"])], [("h", EQUATIONS["hidden"])]],
    }[highlight]
    _equation_rows(sk, rows, top=-1.95, x_columns=(-1.3, 5.5) if highlight is None else (1.6,))
    sk.text(5.0, -4.4, _CAPTIONS[highlight], color="#666666", fontsize=FONT - 1, linespacing=1.6)
    return sk.fig


def rnn_cell():
    """A plain (Elman) recurrent cell, in the style of :func:`lstm_cell`.

    One layer, :math:`h_t = \\tanh(x_t W + h_{t-1} U + b)`: the previous hidden state and the
    input merge, pass through one :math:`\\tanh` layer, and the result leaves to the right (the
    next step) and upwards (the output). There is no cell state and no gate. Returns the Figure.
    """
    x_layer, x_out = 2.6, 4.1
    sk = _Sketch((-2.5, 7.7), (-2.6, 6.2))
    sk.cell(0.0, 0.0, 5.2, 4.4)
    sk.wire([(_LEFT, _YB), (x_layer, _YB), (x_layer, _YL - _LH / 2)], "h")
    sk.wire([(_XX, _DOWN), (_XX, _YB)], "h", arrow=False)
    sk.text(_LEFT - 0.15, _YB, "$h_{t-1}$", "h", ha="right")
    sk.text(_XX, _DOWN - 0.35, "$x_t$", "h")
    sk.layer(x_layer, _YL, r"$\tanh$", "h")
    sk.wire([(x_layer, _TOP), (x_layer, 3.5), (x_out, 3.5), (x_out, _YB), (6.4, _YB)], "h")
    sk.wire([(x_out, 3.5), (x_out, 5.3)], "h")
    sk.text(6.55, _YB, "$h_t$", "h", ha="left")
    sk.text(x_out + 0.15, 5.05, "$h_t$", "h", ha="left")
    sk.text(2.6, 5.8, "A plain recurrent cell (SimpleRNN)", fontsize=FONT + 1, color=INK, weight="bold")
    sk.text(2.6, -2.1, EQUATIONS["rnn"], color=INK)
    return sk.fig


def variant_cell(kind: str):
    """A variant of the LSTM cell, in the style and geometry of :func:`lstm_cell`.

    - ``"peephole"`` (Gers and Schmidhuber, 2000): the input and forget gates also read
      :math:`C_{t-1}`, the output gate reads :math:`C_t` (dashed amber lines);
    - ``"coupled"`` (CIFG): no input gate, :math:`1 - f_t` takes its place, so what is written
      is exactly what is forgotten;
    - ``"gru"`` (Cho et al., 2014): one state :math:`h_t` along the top, an update gate
      :math:`z_t`, a reset gate :math:`r_t` (teal: it has no course colour) and a candidate
      :math:`\\hat h_t`, in Keras's convention :math:`h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\hat h_t`
      (a :math:`z_t` near 1 keeps the old state) and with Keras's default ``reset_after=True``.

    The equations that differ from the standard cell's are typeset under the picture. Returns
    the Figure.
    """
    _check("kind", kind, VARIANTS)
    if kind == "gru":
        return _gru_cell()
    sk = _Sketch(_LSTM_XLIM, (-4.55, 7.7) if kind == "peephole" else (-3.45, 7.7))
    _draw_lstm(sk, lambda steps: True, kind)
    if kind == "peephole":
        sk.text(
            5.0, 7.3, "Peephole LSTM: the gates also read the cell state", fontsize=FONT + 1, color=INK, weight="bold"
        )
        rows = [
            [("forget", EQUATIONS["peephole_forget"])],
            [("input", EQUATIONS["peephole_input"])],
            [("output", EQUATIONS["peephole_output"])],
        ]
        _equation_rows(sk, rows, top=-2.05, x_columns=(0.2,), line=0.68)
        sk.text(
            5.0,
            -4.15,
            r"dashed: the peepholes, one weight per unit ($p_i, p_f, p_o$); the candidate has none",
            color="#666666",
            fontsize=FONT - 1,
        )
    else:
        sk.text(
            5.0,
            7.3,
            "Coupled input and forget gates (CIFG): write what you forget",
            fontsize=FONT + 1,
            color=INK,
            weight="bold",
        )
        _equation_rows(sk, [[("c", EQUATIONS["coupled_update"])]], top=-2.05, x_columns=(1.2,))
        sk.text(
            5.0,
            -3.0,
            r"no input gate: $1 - f_t$ takes its place (three blocks of weights, not four)",
            color="#666666",
            fontsize=FONT - 1,
        )
    return sk.fig


def _gru_cell():
    """The GRU: one state along the top; z_t keeps it, 1 - z_t writes the candidate."""
    yh, yz, yr = 5.2, 4.2, 3.05  # the state; the z_t wire; the reset product
    xz, xr, xreset, xmul, xplus, xcand, xtap, xone = 2.2, 3.8, 5.0, 6.3, 8.6, 8.6, 0.5, 7.35
    reset = dict(color=RESET_COLOR)
    sk = _Sketch(_LSTM_XLIM, (-6.0, 7.7))
    sk.cell(_X0, _Y0, _X1, _Y1)
    # The state along the top: h_{t-1} -> (x z_t) -> (+ (1 - z_t) * candidate) -> h_t, copied up.
    sk.wire([(_LEFT, yh), (xmul - _R, yh)], "h")
    sk.text(_LEFT - 0.15, yh, "$h_{t-1}$", "h", ha="right")
    sk.op(xmul, yh, "x", "forget")
    sk.wire([(xmul + _R, yh), (xplus - _R, yh)], "h")
    sk.op(xplus, yh, "+", "h")
    sk.wire([(xplus + _R, yh), (_RIGHT, yh)], "h")
    sk.text(_RIGHT + 0.15, yh, "$h_t$", "h", ha="left")
    sk.wire([(_XUP, yh), (_XUP, _UP)], "h")
    sk.text(_XUP + 0.15, _UP - 0.3, "$h_t$", "h", ha="left")
    # h_{t-1} down to the gates, where x_t joins it.
    sk.wire([(xtap, yh), (xtap, _YB), (xr, _YB)], "h", arrow=False)
    sk.wire([(_XX, _DOWN), (_XX, _YB)], "h", arrow=False)
    sk.text(_XX, _DOWN - 0.35, "$x_t$", "h")
    for x in (xz, xr):
        sk.wire([(x, _YB), (x, _YL - _LH / 2)], "h")
    # Update gate: z_t scales h_{t-1}; 1 - z_t scales the candidate.
    sk.layer(xz, _YL, r"$\sigma$", "forget")
    sk.wire([(xz, _TOP), (xz, yz), (xmul, yz), (xmul, yh - _R)], "forget")
    sk.text(xz - 0.14, 3.4, "$z_t$", "forget", ha="right")
    sk.wire([(xmul, yz), (xone - _R, yz)], "forget")
    sk.op(xone, yz, "1-", "forget")
    sk.wire([(xone + _R, yz), (xplus - _R, yz)], "forget")
    sk.text((xone + xplus) / 2, yz - 0.38, "$1 - z_t$", "forget", fontsize=FONT - 1)
    sk.op(xplus, yz, "x", "forget")
    sk.wire([(xplus, yz + _R), (xplus, yh - _R)], "h")
    # Reset gate: r_t scales what the candidate reads of h_{t-1}.
    sk.layer(xr, _YL, r"$\sigma$", "reset", **reset)
    sk.wire([(xr, _TOP), (xr, yr), (xreset - _R, yr)], "reset", **reset)
    sk.text(xr + 0.5, yr + 0.3, "$r_t$", "reset", **reset)
    sk.wire([(xreset, yh), (xreset, yz + 0.15)], "h", arrow=False)  # crosses under the z_t wire
    sk.wire([(xreset, yz - 0.15), (xreset, yr + _R)], "h")
    sk.op(xreset, yr, "x", "reset", **reset)
    # Candidate: reads x_t and the reset state.
    sk.wire([(xreset, yr - _R), (xreset, _YL), (xcand - 0.5, _YL)], "reset", **reset)
    sk.wire([(_XX, 0.35), (xcand, 0.35), (xcand, _YL - _LH / 2)], "h")
    sk.layer(xcand, _YL, r"$\tanh$", "candidate")
    sk.wire([(xcand, _TOP), (xcand, yz - _R)], "candidate")
    sk.text(xcand + 0.14, 3.25, r"$\hat{h}_t$", "candidate", ha="left")
    sk.text(5.0, 7.3, "Gated recurrent unit (GRU), in Keras's convention", fontsize=FONT + 1, color=INK, weight="bold")
    rows = [
        [("forget", EQUATIONS["gru_update_gate"])],
        [("reset", EQUATIONS["gru_reset_gate"])],
        [("candidate", EQUATIONS["gru_candidate"])],
        [("h", EQUATIONS["gru_state"])],
    ]
    _equation_rows(sk, rows, top=-2.05, x_columns=(0.0,), line=0.72)
    sk.text(
        5.0,
        -5.35,
        "no cell state, no output gate; in Keras a $z_t$ near 1 keeps the old state\n"
        "$r_t$ scales what the candidate reads of $h_{t-1}$ (Keras's default, reset_after=True: "
        "after the product with $U_h$)",
        color="#666666",
        fontsize=FONT - 1,
        linespacing=1.5,
    )
    return sk.fig


_CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}
_CELL_COLORS = {"lstm": COLORS["LSTM"], "gru": COLORS["GRU"], "rnn": COLORS["SimpleRNN"]}


def unrolled(n_steps: int = 4, cell: str = "lstm"):
    """A recurrent layer unrolled over ``n_steps`` time steps.

    The same cell (the same weights) is drawn once per step: :math:`x_t` enters from below,
    :math:`h_t` leaves upwards as the output at that step, and the state passes to the right,
    two lines for an ``"lstm"`` (the cell state :math:`C_t` in amber above the hidden state
    :math:`h_t`), one for a ``"gru"`` or a plain ``"rnn"``. ``n_steps`` is between 1 and 8.
    Returns the Figure.
    """
    _check("cell", cell, UNROLLED_CELLS)
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or not 1 <= n_steps <= 8:
        raise ValueError(f"n_steps must be a whole number from 1 to 8 (wider figures are unreadable), got {n_steps!r}")
    w, h, pitch = 1.9, 1.5, 3.3  # cell size and distance between cells
    lstm = cell == "lstm"
    reach = w / 2 + 1.35  # from a cell's centre to the end of the state's name at either end
    scale = min(SCALE, (7.5 - 2 * 0.32) / ((n_steps - 1) * pitch + 2 * reach))  # 0.32 inches for a name
    xmin, xmax = -reach - 0.32 / scale, (n_steps - 1) * pitch + reach + 0.32 / scale
    state = "the state ($h_t$ and $C_t$)" if lstm else "the state $h_t$"
    title = f"One {_CELL_NAMES[cell]} cell, the same weights at every step; {state} passes to the right"
    if n_steps < 4:
        title = title.replace("; ", ";\n")
    spare = TextPath((0, 0), title.split("\n")[0], size=FONT).get_extents().width / 72 / scale - (xmax - xmin) + 0.4
    if spare > 0:  # a short layer gets room for its title
        xmin, xmax = xmin - spare / 2, xmax + spare / 2
    # Labels keep their size in points, so the room they need, in drawing units, grows as the scale shrinks.
    y_title = h / 2 + 1.2 + 0.2 / scale
    ylim = (-h / 2 - 1.2 - 0.14 / scale, y_title + (0.25 * title.count("\n") + 0.22) / scale)
    sk = _Sketch((xmin, xmax), ylim)
    roomy = 7.5 / (xmax - xmin) > 0.33  # room for the state's name between the cells
    lines = [("c", h / 2 - 0.35, "C"), ("h", -h / 2 + 0.35, "h")] if lstm else [("h", 0.0, "h")]
    color = _CELL_COLORS[cell]
    for t in range(n_steps):
        x = t * pitch
        sk.ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, -h / 2),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.2",
                facecolor=_pale(color, 0.82),
                edgecolor=color,
                lw=1.6,
                zorder=3,
                gid="cell",
            )
        )
        sk.text(
            x,
            0.0,
            _CELL_NAMES[cell],
            color=_ink(color) if cell != "lstm" else color,
            fontsize=FONT if roomy else FONT - 2,
            weight="bold",
        )
        sk.wire([(x, -h / 2 - 0.9), (x, -h / 2)], "h")
        sk.text(x, -h / 2 - 1.2, f"$x_{{{t + 1}}}$", "h")
        sk.wire([(x, h / 2), (x, h / 2 + 0.9)], "h")
        sk.text(x, h / 2 + 1.2, f"$h_{{{t + 1}}}$", "h")
        for role, y, name in lines:
            start = x - pitch + w / 2 if t else x - w / 2 - 1.2
            sk.wire([(start, y), (x - w / 2, y)], role)
            label = f"${name}_{{{t}}}$"
            if t == 0:
                sk.text(start - 0.12, y, label, role, ha="right")
            elif roomy:
                sk.text(x - pitch / 2, y + 0.22, label, role, fontsize=FONT - 1, va="bottom")
        if t == n_steps - 1:
            for role, y, name in lines:
                sk.wire([(x + w / 2, y), (x + w / 2 + 1.2, y)], role)
                sk.text(x + w / 2 + 1.32, y, f"${name}_{{{n_steps}}}$", role, ha="left")
    sk.text((xmin + xmax) / 2, y_title, title, color=INK, fontsize=FONT, va="bottom", linespacing=1.3)
    return sk.fig


#: The panels of :func:`task_shapes`: title and example task.
TASK_SHAPES = (
    ("one to one", "one vector →\none label"),
    ("many to one", "a review →\nits sentiment"),
    ("many to many\n(aligned)", "each word →\nits tag"),
    ("encoder–decoder", "a sentence → its translation,\nof another length"),
)


def task_shapes():
    """The four shapes of sequence tasks, side by side in one figure.

    Inputs are the boxes at the bottom, recurrent cells (blue) in the middle with the state
    passed to the right, outputs (purple) at the top, and an example task under each panel
    (see :data:`TASK_SHAPES`): one to one (a single vector: no recurrence needed), many to one
    (the sentiment of a review), many to many, aligned (a tag for every word), and
    encoder–decoder (translation: the encoder reads the whole input, its final state starts the
    decoder, which reads its own previous output, starting from a start token ``<s>``, and
    writes an output of its own length). Returns the Figure.
    """
    pitch, size, gap = 1.2, 0.74, 0.9
    y_in, y_cell, y_out = 0.0, 1.45, 2.9
    cell_color, out_color, in_color = COLORS["LSTM"], COLORS["output"], "#8c8c8c"
    fed_back = ["<s>", "$y_1$", "$y_2$"]  # the decoder's inputs: its own previous outputs
    panels = [  # (inputs, outputs: None where a step has no output, width in columns)
        (["$x$"], ["$y$"], 1.8),
        (["$x_1$", "$x_2$", "$x_3$"], [None, None, "$y$"], 3),
        (["$x_1$", "$x_2$", "$x_3$"], ["$y_1$", "$y_2$", "$y_3$"], 3),
        (["$x_1$", "$x_2$", "$x_3$", "$x_4$", *fed_back], [None] * 4 + ["$y_1$", "$y_2$", "$y_3$"], 7),
    ]
    width = sum(columns for *_, columns in panels) * pitch + gap * (len(panels) - 1)
    sk = _Sketch((-0.2, width), (-1.85, 5.05))
    x0 = 0.0
    for (title, example), (inputs, outputs, columns) in zip(TASK_SHAPES, panels):
        centre = x0 + columns * pitch / 2
        xs = [centre + (k - (len(inputs) - 1) / 2) * pitch for k in range(len(inputs))]
        sk.text(centre, 4.0, title, color=INK, fontsize=FONT - 1, weight="bold", va="bottom", linespacing=1.2)
        sk.text(centre, -0.6, example, color="#555555", fontsize=FONT - 2, va="top", linespacing=1.3)
        for k, (x, label_in, label_out) in enumerate(zip(xs, inputs, outputs)):
            fed = k >= 4  # the decoder's inputs are its earlier outputs
            _task_box(sk, x, y_in, size, label_in, out_color if fed else in_color, "output" if fed else "h")
            sk.wire([(x, y_in + size / 2), (x, y_cell - size / 2)], "h")
            _task_box(sk, x, y_cell, size, None, cell_color, "cell")
            if k:
                sk.wire([(x - pitch + size / 2, y_cell), (x - size / 2, y_cell)], "h")
            if label_out:
                sk.wire([(x, y_cell + size / 2), (x, y_out - size / 2)], "h")
                _task_box(sk, x, y_out, size, label_out, out_color, "output")
        if len(inputs) > 4:
            sk.text((xs[0] + xs[3]) / 2, y_out, "encoder", color=_ink(cell_color), fontsize=FONT - 1, style="italic")
            sk.text(
                (xs[4] + xs[6]) / 2,
                y_out + size / 2 + 0.12,
                "decoder",
                color=_ink(cell_color),
                fontsize=FONT - 1,
                style="italic",
                va="bottom",
            )
        x0 += columns * pitch + gap
    return sk.fig


def _task_box(sk, x, y, size, label, color, role):
    sk.square(x, y, size, color, gid=role, rounding=0.12, shade=0.8, lw=1.4)
    if label:
        sk.text(x, y, label, color=_ink(color), fontsize=FONT - 1)


ATTENTION_COLOR = COLORS["LSTM"]
MAX_TOKENS = 10


def attention(source_tokens, query_label: str = "decoder state", weights=None):
    """Attention over the encoder's hidden states, as a picture of the weighted average.

    Each source token has an encoder state :math:`h_t` (the encoder's arrows run left to right).
    The query :math:`q`, named by ``query_label`` (e.g. the decoder's state; mathtext allowed), is
    scored against every :math:`h_t`, a softmax turns the scores into weights :math:`\\alpha_t`,
    drawn as the width and opacity of the line from :math:`h_t` and written as numbers on it, and
    the context vector is the weighted sum :math:`c = \\sum_t \\alpha_t h_t`.

    ``source_tokens`` is a list of 1 to 10 strings (``"the cat sat".split()``), shown as they are.
    ``weights``, one per token, must be non-negative and sum to 1 within 0.001, like a softmax
    output (they are then rescaled to sum to exactly 1); raw scores are refused. Without
    ``weights`` the figure draws an illustrative set, peaked in the middle, and its title says
    so. Returns the Figure.
    """
    tokens = _tokens(source_tokens)
    alphas = _attention_weights(weights, len(tokens))
    n = len(tokens)
    label_width = TextPath((0, 0), query_label, size=FONT - 1).get_extents().width / 72 / SCALE
    fixed = 1.3 + 1.0 + 0.55 + label_width + 0.3  # left margin, the query's box, its label
    pitch = min(1.7, (7.5 / SCALE - fixed) / max(n - 1, 1))
    box = 0.7 if pitch >= 1.3 else 0.62
    xs = np.arange(n) * pitch
    y_tok, y_h, y_num, y_c = 0.0, 1.3, 2.15, 4.55
    centre, x_query = (xs[0] + xs[-1]) / 2, xs[-1] + 1.0
    xlim = (-1.3, x_query + 0.55 + label_width + 0.3)
    scale = min(SCALE, 7.5 / (xlim[1] - xlim[0]))
    widths = [TextPath((0, 0), t, size=FONT).get_extents().width / 72 / scale for t in tokens]  # drawing units
    tilt = any(a / 2 + b / 2 > 0.92 * pitch for a, b in zip(widths, widths[1:]))
    bottom = -0.5 - (0.5 * max(widths) if tilt else 0.3)
    sk = _Sketch(xlim, (bottom - 0.95, 6.35))

    for k, (x, token, alpha) in enumerate(zip(xs, tokens, alphas)):
        sk.text(
            x,
            y_tok,
            token,
            color=INK,
            fontsize=FONT,
            rotation=30 if tilt else 0,
            ha="right" if tilt else "center",
            va="top" if tilt else "center",
            rotation_mode="anchor",
        )
        sk.wire([(x, y_tok + 0.35), (x, y_h - box / 2)], "h", width=1.2)
        _task_box(sk, x, y_h, box, f"$h_{{{k + 1}}}$", COLORS["h"], "h")
        if k:
            sk.wire([(x - pitch + box / 2, y_h), (x - box / 2, y_h)], "h", width=1.2)
        strength = alpha / alphas.max()
        sk.ax.add_patch(
            FancyArrowPatch(
                (x, y_h + box / 2),
                (centre, y_c - 0.38),
                arrowstyle="-",
                shrinkA=0,
                shrinkB=0,
                lw=0.6 + 9 * alpha,
                color=ATTENTION_COLOR,
                alpha=0.2 + 0.8 * strength,
                capstyle="butt",
                zorder=1,
                gid="attention",
            )
        )
        # The number sits on its line, where the line passes the height y_num.
        along = (y_num - y_h - box / 2) / (y_c - 0.38 - y_h - box / 2)
        sk.text(
            x + along * (centre - x),
            y_num,
            f"{alpha:.2f}",
            color=_ink(ATTENTION_COLOR),
            fontsize=FONT - 1,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"),
        )
    sk.text(xlim[0] + 0.1, y_num, r"$\alpha_t$", color=ATTENTION_COLOR, ha="left")

    sk.ax.add_patch(
        FancyBboxPatch(
            (centre - 0.6, y_c - 0.38),
            1.2,
            0.76,
            boxstyle="round,pad=0,rounding_size=0.14",
            facecolor=_pale(ATTENTION_COLOR),
            edgecolor=ATTENTION_COLOR,
            lw=1.6,
            zorder=3,
            gid="context",
        )
    )
    sk.text(centre, y_c, "$c$", color=_ink(ATTENTION_COLOR), fontsize=FONT + 1)
    sk.text(centre + 0.8, y_c, "context vector", color=INK, ha="left")

    # The query decides the weights: it is scored against every h_t.
    _task_box(sk, x_query, y_c, 0.8, "$q$", COLORS["h"], "query")
    sk.text(x_query + 0.55, y_c, query_label, color=INK, fontsize=FONT - 1, ha="left")
    last_number = xs[-1] + along * (centre - xs[-1])
    sk.wire([(x_query, y_c - 0.4), (x_query, y_num), (last_number + 0.5, y_num)], "h", dashed=True, width=1.1)
    sk.text(
        x_query + 0.15,
        (y_c + y_num) / 2 - 0.15,
        r"$\mathrm{score}(q, h_t)$",
        color="#555555",
        fontsize=FONT - 2,
        ha="left",
    )
    sk.text(
        centre, bottom - 0.5, EQUATIONS["attention_weights"] + r"$\qquad$" + EQUATIONS["attention_context"], color=INK
    )
    title = "Attention: a weighted average of the encoder states"
    if weights is None:
        title += "\n(illustrative weights, not from a trained model)"
    sk.text((xlim[0] + xlim[1]) / 2, 6.25, title, color=INK, fontsize=FONT, va="top", linespacing=1.3)
    return sk.fig


def _tokens(source_tokens):
    if isinstance(source_tokens, str):
        raise ValueError("source_tokens must be a list of tokens, not one string: pass text.split()")
    tokens = [str(t) for t in source_tokens]
    if not 1 <= len(tokens) <= MAX_TOKENS:
        raise ValueError(
            f"attention draws 1 to {MAX_TOKENS} source tokens (more would not be readable), "
            f"got {len(tokens)}: pass a slice of the sentence"
        )
    return [_plain(t) for t in tokens]


def _attention_weights(weights, n):
    """The weights to draw: checked like a softmax output, or an illustrative set."""
    if weights is None:
        scores = 1.5 * np.exp(-0.5 * ((np.arange(n) - (n - 1) / 2) / max(n / 4, 0.5)) ** 2)
        weights = np.exp(scores) / np.exp(scores).sum()
        return weights
    alphas = np.asarray(weights, dtype=float)
    if alphas.ndim != 1 or len(alphas) != n:
        raise ValueError(f"weights must hold one number per source token: {n} tokens, got shape {alphas.shape}")
    if not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError("weights must be finite and non-negative (attention weights come out of a softmax)")
    total = float(alphas.sum())
    if abs(total - 1) > 1e-3:
        raise ValueError(
            f"weights must sum to 1 like a softmax output, got a sum of {total:.4g}: "
            "pass softmax(scores), not the raw scores"
        )
    return alphas / total
