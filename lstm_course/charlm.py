"""A character-level language model on Python source code, and tools to look inside it.

The corpus is a fixed list of modules of the Python standard library (:data:`TRAIN_FILES`,
:data:`HELD_OUT_FILES`), read from the running interpreter's own ``Lib`` folder
(``sysconfig.get_paths()["stdlib"]``): every file exists, pure Python, in CPython 3.10 to 3.13.
Their text changes a little between releases, so numbers move slightly with the Python version;
the list does not.

- :func:`load_sources`, :func:`select_text`: the corpus; :class:`CharVocabulary`: characters to ids
- :func:`code_properties`: what a reader of the code knows at each character (inside a string or
  a comment, bracket depth, column, how far back the matching opener is)
- :class:`NGramModel`: an interpolated (Witten-Bell) character n-gram model, the baseline
- :func:`lstm_states`: an ``Embedding -> LSTM -> Dense`` model's cell and hidden states, in NumPy,
  with cells optionally clamped to zero; :func:`correlations`, :func:`most_active_cells`
- :func:`coloured_text_html`, :func:`plot_coloured_text`: text coloured by one cell's activation
- :func:`cell_explorer`: the ipywidgets explorer
"""

from __future__ import annotations

import contextlib
import html
import os
import sysconfig
import weakref
from dataclasses import dataclass

import numpy as np

# Modules present as plain ``.py`` files in CPython 3.10, 3.11, 3.12 and 3.13, not deprecated
# for removal (PEP 594), and not turned into packages in any of them. Ordered: a profile that
# reads fewer characters takes the first files.
TRAIN_FILES = (
    "argparse.py",
    "textwrap.py",
    "string.py",
    "fnmatch.py",
    "glob.py",
    "calendar.py",
    "heapq.py",
    "bisect.py",
    "colorsys.py",
    "copy.py",
    "getopt.py",
    "gettext.py",
    "hmac.py",
    "linecache.py",
    "mimetypes.py",
    "numbers.py",
    "queue.py",
    "reprlib.py",
    "sched.py",
    "tabnanny.py",
    "timeit.py",
    "fractions.py",
    "pprint.py",
    "random.py",
    "tempfile.py",
    "shutil.py",
    "statistics.py",
    "optparse.py",
    "difflib.py",
    "dataclasses.py",
    "functools.py",
    "contextlib.py",
    "configparser.py",
    "ast.py",
    "enum.py",
    "inspect.py",
    "typing.py",
    "tarfile.py",
    "subprocess.py",
    "threading.py",
    "traceback.py",
    "pickle.py",
    "pdb.py",
    "locale.py",
    "ipaddress.py",
    "smtplib.py",
    "ftplib.py",
    "bdb.py",
    "platform.py",
    "plistlib.py",
    "socketserver.py",
    "selectors.py",
    "warnings.py",
    "base64.py",
    "weakref.py",
    "uuid.py",
    "trace.py",
    "tokenize.py",
    "wave.py",
    "gzip.py",
    "cmd.py",
    "code.py",
    "filecmp.py",
    "fileinput.py",
)
HELD_OUT_FILES = ("shlex.py", "csv.py", "operator.py", "abc.py", "netrc.py", "zipapp.py", "quopri.py", "types.py")

UNKNOWN = "\x00"  # the vocabulary's stand-in for characters it has not seen


def stdlib_dir() -> str:
    """The folder of the running Python's standard library."""
    return sysconfig.get_paths()["stdlib"]


def load_sources(names=TRAIN_FILES, root: str | None = None) -> dict[str, str]:
    """The text of each named standard-library file, in the order given.

    Tabs are expanded to spaces (the stdlib indents with spaces; a few tabs remain in strings).
    """
    root = stdlib_dir() if root is None else root
    missing = [n for n in names if not os.path.isfile(os.path.join(root, n))]
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} standard-library source file(s) not found in {root!r} (first: {missing[0]!r}). "
            "The corpus is Python's own source code; some minimal installations ship only compiled .pyc "
            "files. Use a full CPython 3.10 to 3.13 (for example the python3.X-full package on Debian "
            "and Ubuntu), or pass root= a folder holding those files."
        )
    texts = {}
    for name in names:
        with open(os.path.join(root, name), encoding="utf-8") as f:
            texts[name] = f.read().expandtabs(4)
    return texts


def select_text(sources: dict[str, str], max_chars: int) -> str:
    """Whole files, in order, joined until ``max_chars``; the last one cut at a line end."""
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, not {max_chars}")
    parts, total = [], 0
    for text in sources.values():
        if total + len(text) > max_chars:
            cut = text[: max_chars - total]
            parts.append(cut[: cut.rfind("\n") + 1])
            break
        parts.append(text)
        total += len(text)
    return "".join(parts)


class CharVocabulary:
    """Characters to ids and back. Id 0 is :data:`UNKNOWN`, for characters seen fewer than
    ``min_count`` times in the text the vocabulary was built from."""

    def __init__(self, text: str, min_count: int = 1):
        if not text:
            raise ValueError("build the vocabulary from a non-empty text")
        chars, counts = np.unique(np.array(list(text)), return_counts=True)
        kept = sorted(str(c) for c, n in zip(chars, counts) if n >= min_count and c != UNKNOWN)
        self.chars = [UNKNOWN, *kept]
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        return np.array([self.index.get(c, 0) for c in text], dtype="int32")

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)


@dataclass
class CodeProperties:
    """What is true *after reading* each character of a Python text (one entry per character).

    ``distance`` is, at a closing bracket or at the quote that closes a string, how many
    characters back its opener is (0 elsewhere); ``closer`` says which of the two it is
    (``"bracket"``, ``"quote"`` or ``""``).
    """

    in_string: np.ndarray
    in_comment: np.ndarray
    bracket_depth: np.ndarray
    column: np.ndarray
    distance: np.ndarray
    closer: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        return {
            "inside a string": self.in_string.astype("float64"),
            "bracket depth": self.bracket_depth.astype("float64"),
            "inside a comment": self.in_comment.astype("float64"),
            "column": self.column.astype("float64"),
        }


def code_properties(text: str) -> CodeProperties:
    """Scan Python code (a simple scanner: quotes, triple quotes, escapes, ``#`` comments, brackets).

    A string's opening quote(s) count as inside it, its final closing quote as outside; a
    comment runs from ``#`` to the end of the line (the newline is outside). Brackets inside
    strings and comments are not counted; f-string replacement fields count as string text.
    ``column`` is the number of characters read on the current line (0 after a newline).
    """
    n = len(text)
    in_string = np.zeros(n, bool)
    in_comment = np.zeros(n, bool)
    depth = np.zeros(n, "int32")
    distance = np.zeros(n, "int32")
    closer = np.full(n, "", dtype="<U7")
    openers: list[int] = []
    delimiter, string_start, comment = None, 0, False
    i = 0
    while i < n:
        c, step = text[i], 1
        if delimiter is not None:
            if c == "\\":
                in_string[i : i + 2] = True
                step = 2
            elif text.startswith(delimiter, i):
                step = len(delimiter)
                end = i + step - 1
                in_string[i:end] = True
                distance[end], closer[end] = end - string_start, "quote"
                delimiter = None
            elif c == "\n" and len(delimiter) == 1:  # an unterminated one-line string ends here
                delimiter = None
            else:
                in_string[i] = True
        elif comment:
            comment = in_comment[i] = c != "\n"
        elif c == "#":
            comment = in_comment[i] = True
        elif c in "'\"":
            delimiter = c * 3 if text.startswith(c * 3, i) else c
            step = len(delimiter)
            string_start = i + step - 1
            in_string[i : i + step] = True
        elif c in "([{":
            openers.append(i)
        elif c in ")]}" and openers:
            distance[i], closer[i] = i - openers.pop(), "bracket"
        depth[i : i + step] = len(openers)
        i += step
    positions = np.arange(n)
    newline = np.frombuffer(text.encode("utf-32-le"), dtype="<u4") == ord("\n")
    column = positions - np.maximum.accumulate(np.where(newline, positions, -1))
    column[newline] = 0
    return CodeProperties(in_string, in_comment, depth, column.astype("int32"), distance, closer)


class NGramModel:
    """A character n-gram model, interpolated with Witten-Bell smoothing.

    ``order`` counts the predicted character: ``order=1`` is the unigram model, ``order=3``
    predicts from the two characters before. Each order's estimate is mixed with the next
    lower order's, in proportion to how many different characters followed the context in
    training (Witten-Bell), down to a uniform distribution over ``vocabulary_size`` ids, so that
    no character gets probability zero.
    """

    def __init__(self, order: int, vocabulary_size: int):
        if order < 1:
            raise ValueError(f"order must be at least 1 (1 is the unigram model), not {order}")
        if vocabulary_size < 2:
            raise ValueError(f"vocabulary_size must be at least 2, not {vocabulary_size}")
        self.order, self.vocabulary_size = order, vocabulary_size
        if (vocabulary_size + 1.0) ** order >= 2.0**62:
            raise ValueError(
                f"order {order} with {vocabulary_size} ids overflows the 64-bit context codes: use a lower order"
            )
        self.tables: list[tuple] = []

    def _contexts(self, ids: np.ndarray, length: int) -> np.ndarray:
        """For every position t, a number naming the ``length`` ids before t (-1 if fewer)."""
        code = np.zeros(len(ids), dtype="int64")
        for k in range(1, length + 1):  # digits base vocabulary_size + 1: id + 1, never 0
            code = code * (self.vocabulary_size + 1) + np.concatenate([np.zeros(k, "int64"), ids[:-k] + 1])[: len(ids)]
        code[:length] = -1
        return code

    def fit(self, ids) -> NGramModel:
        ids = self._check(ids)
        self.tables = []
        for length in range(self.order):
            context = self._contexts(ids, length)[length:]
            pair, pair_counts = np.unique(context * self.vocabulary_size + ids[length:], return_counts=True)
            ctx, ctx_counts = np.unique(context, return_counts=True)
            types = np.bincount(np.searchsorted(ctx, pair // self.vocabulary_size), minlength=len(ctx))
            self.tables.append((pair, pair_counts, ctx, ctx_counts, types))
        return self

    def probabilities(self, ids) -> np.ndarray:
        """p(ids[t] | the order-1 ids before it), for every t (shorter contexts at the start)."""
        ids = self._check(ids)
        if not self.tables:
            raise ValueError("the model has no counts yet: call fit(training_ids) first")
        p = np.full(len(ids), 1.0 / self.vocabulary_size)
        for length, (pair, pair_counts, ctx, ctx_counts, types) in enumerate(self.tables):
            context = self._contexts(ids, length)
            c_pair = _lookup(pair, pair_counts, context * self.vocabulary_size + ids)
            c_ctx = _lookup(ctx, ctx_counts, context)
            n_types = _lookup(ctx, types, context)
            seen = (c_ctx > 0) & (context >= 0)
            p = np.where(seen, (c_pair + n_types * p) / np.maximum(c_ctx + n_types, 1), p)
        return p

    def bits(self, ids) -> np.ndarray:
        """-log2 of :meth:`probabilities`: the bits each character costs."""
        return -np.log2(self.probabilities(ids))

    def _check(self, ids) -> np.ndarray:
        ids = np.asarray(ids, dtype="int64")
        if ids.ndim != 1 or ids.size == 0:
            raise ValueError(f"ids must be one non-empty stream of character ids, got shape {ids.shape}")
        if ids.min() < 0 or ids.max() >= self.vocabulary_size:
            raise ValueError(f"ids must lie in [0, {self.vocabulary_size}), got {ids.min()}..{ids.max()}")
        return ids


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    at = np.clip(np.searchsorted(keys, queries), 0, len(keys) - 1)
    return np.where(keys[at] == queries, values[at], 0)


@dataclass
class LMStates:
    """A language model's LSTM states over a text, one row per character: ``c`` and ``h``
    (characters, units), and ``bits``, what each *next* character cost (-log2 p; NaN at the last)."""

    c: np.ndarray
    h: np.ndarray
    bits: np.ndarray


def lstm_states(model, ids, rows: int = 1, clamp=()) -> LMStates:
    """Run an ``Embedding -> LSTM -> Dense`` (logits) model over one stream of ids, in NumPy.

    The stream is cut into ``rows`` consecutive pieces run side by side (each starting from a
    zero state), which is faster; the results are put back in text order. ``clamp`` lists cells
    whose cell state (and hence output) is set to zero at every step: an ablation.
    """
    import keras

    from .numpy_lstm import LSTMWeights, sigmoid

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    kinds = [type(layer).__name__ for layer in layers]
    if kinds != ["Embedding", "LSTM", "Dense"]:
        raise TypeError(f"expected a model Embedding -> LSTM -> Dense (logits), got {' -> '.join(kinds)}")
    embedding, lstm, dense = layers
    w = LSTMWeights.from_keras(lstm)
    ids = np.asarray(ids, dtype="int64")
    n = len(ids) // rows * rows
    if n == 0:
        raise ValueError(f"{len(ids)} ids cannot fill {rows} rows")
    x = np.asarray(embedding.embeddings)[ids[:n].reshape(rows, -1)].astype("float32")
    kernel, recurrent = w.kernel.astype("float32"), w.recurrent_kernel.astype("float32")
    bias = np.zeros(4 * w.units, "float32") if w.bias is None else w.bias.astype("float32")
    keep = np.ones(w.units, "float32")
    keep[list(clamp)] = 0.0
    steps = x.shape[1]
    cs, hs = np.zeros((rows, steps, w.units), "float32"), np.zeros((rows, steps, w.units), "float32")
    h = c = np.zeros((rows, w.units), "float32")
    inputs = x @ kernel + bias
    with _one_blas_thread():  # small products: threads only wait for each other
        for t in range(steps):
            z = inputs[:, t] + h @ recurrent
            i, f, g, o = np.split(z, 4, axis=1)
            c = (sigmoid(f) * c + sigmoid(i) * np.tanh(g)) * keep
            h = sigmoid(o) * np.tanh(c)
            cs[:, t], hs[:, t] = c, h
    c_flat, h_flat = cs.reshape(n, -1), hs.reshape(n, -1)
    logits = h_flat @ np.asarray(dense.kernel) + np.asarray(dense.bias)
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    bits = np.full(n, np.nan)
    bits[:-1] = -log_p[np.arange(n - 1), ids[1:n]] / np.log(2)
    return LMStates(c_flat, h_flat, bits)


def _one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # an optional speed-up
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def correlations(activations: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of ``activations`` (characters, cells) with ``values``.

    A cell that never changes (or a property that never changes) gets 0.
    """
    a = np.asarray(activations, dtype="float64")
    v = np.asarray(values, dtype="float64")
    if a.ndim != 2 or len(a) != len(v):
        raise ValueError(f"activations must be (characters, cells) with one value per character: {a.shape}, {v.shape}")
    a = a - a.mean(axis=0)
    v = v - v.mean()
    norm = np.sqrt((a**2).sum(axis=0) * (v**2).sum())
    return np.divide(a.T @ v, norm, out=np.zeros(a.shape[1]), where=norm > 0)


def most_active_cells(activations: np.ndarray, start: int, stop: int, k: int = 5) -> list[tuple[int, float]]:
    """The ``k`` cells most unusual on characters ``start:stop``: mean activation there, in
    standard deviations from the cell's mean over all characters (largest magnitude first)."""
    a = np.asarray(activations, dtype="float64")
    if not 0 <= start < stop <= len(a):
        raise ValueError(f"the span {start}:{stop} must lie within 0:{len(a)} and hold a character")
    spread = a.std(axis=0)
    score = np.divide(a[start:stop].mean(axis=0) - a.mean(axis=0), spread, out=np.zeros(a.shape[1]), where=spread > 0)
    order = np.argsort(-np.abs(score))[:k]
    return [(int(j), float(score[j])) for j in order]


def _colours(values, vmin=None, vmax=None, cmap="RdBu_r"):
    import matplotlib

    values = np.asarray(values, dtype="float64")
    bound = float(np.nanmax(np.abs(values))) if values.size else 1.0
    vmin = -bound if vmin is None else vmin
    vmax = bound if vmax is None else vmax
    norm = matplotlib.colors.Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1e-9)
    return matplotlib.colormaps[cmap](norm(values))


def coloured_text_html(text: str, values, vmin=None, vmax=None, cmap: str = "RdBu_r") -> str:
    """HTML of ``text`` in a fixed-width font, each character's background coloured by its value
    (blue negative, white zero, red positive with the default colour map; the scale is symmetric
    around 0 unless ``vmin``, ``vmax`` are given)."""
    import matplotlib

    if len(values) != len(text):
        raise ValueError(f"one value per character: {len(text)} characters, {len(values)} values")
    spans = []
    for ch, rgba in zip(text, _colours(values, vmin, vmax, cmap)):
        shown = "\u23ce<br>" if ch == "\n" else html.escape(ch).replace(" ", "&nbsp;")
        spans.append(f'<span style="background:{matplotlib.colors.to_hex(rgba)}">{shown}</span>')
    return '<div style="font-family:monospace;line-height:1.3;font-size:12px">' + "".join(spans) + "</div>"


def plot_coloured_text(
    text: str, values, ax=None, vmin=None, vmax=None, cmap: str = "RdBu_r", title: str | None = None, width: int = 80
):
    """The same as :func:`coloured_text_html`, drawn with matplotlib (a static figure for the website).

    Lines longer than ``width`` are cut; each character is a coloured box with the character on it.
    """
    import matplotlib.pyplot as plt

    if len(values) != len(text):
        raise ValueError(f"one value per character: {len(text)} characters, {len(values)} values")
    lines = text.split("\n")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.105 * width, 0.2 * len(lines) + 0.4))
    colours = _colours(values, vmin, vmax, cmap)
    pos = 0
    for row, line in enumerate(lines):
        for col, ch in enumerate(line[:width]):
            ax.add_patch(plt.Rectangle((col, -row - 1), 1, 1, color=colours[pos + col], lw=0))
            if ch != " ":
                ax.text(col + 0.5, -row - 0.5, ch, ha="center", va="center", family="monospace", fontsize=8)
        pos += len(line) + 1
    ax.set_xlim(0, width)
    ax.set_ylim(-len(lines), 0)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return ax


def input_gradient_norms(model, windows, position: int | None = None) -> np.ndarray:
    """How much each input character moves one prediction: the norm of the gradient of
    log p(next character) with respect to the embedded input at each step up to ``position``.

    ``model`` is ``Embedding -> recurrent layer -> Dense`` (logits). ``windows`` holds ids, one
    window (1-D) or several of the same length (2-D, computed together); the prediction is the
    one made after reading ``position`` (default: the second-to-last id) of the next id. Returns
    ``position + 1`` norms per window, oldest character first.
    """
    ids = np.asarray(windows, dtype="int32")
    single = ids.ndim == 1
    ids = ids[None] if single else ids
    position = ids.shape[1] - 2 if position is None else position
    if ids.ndim != 2 or not 0 <= position < ids.shape[1] - 1:
        raise ValueError(
            f"windows must be 1-D or 2-D ids, and position must leave a next character to predict: "
            f"0 <= position < {ids.shape[1] - 1}, got {position}"
        )
    norms = _gradient_function(model)(ids[:, : position + 1], ids[:, position + 1]).numpy()
    return norms[0] if single else norms


_GRADIENT_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _gradient_function(model):
    """The gradient computation for one model (run eagerly, all windows in one call)."""
    if model not in _GRADIENT_FUNCTIONS:
        import tensorflow as tf

        embedding, recurrent, dense = model.layers[-3:]

        def norms(inputs, targets):
            x = embedding(inputs)
            with tf.GradientTape() as tape:
                tape.watch(x)
                log_p = tf.nn.log_softmax(dense(recurrent(x))[:, -1])
                total = tf.reduce_sum(tf.gather(log_p, targets, batch_dims=1))  # rows are independent
            return tf.norm(tape.gradient(total, x), axis=-1)

        _GRADIENT_FUNCTIONS[model] = norms
    return _GRADIENT_FUNCTIONS[model]


def cell_explorer(text: str, activations: np.ndarray, passage: int = 600):
    """An explorer (needs a running kernel with ipywidgets): choose a cell and a passage and see
    the cell's activation over it; choose a span and list the cells most active on it."""
    import ipywidgets as widgets
    from IPython.display import display

    cells = activations.shape[1]
    cell = widgets.BoundedIntText(value=0, min=0, max=cells - 1, description="cell")
    start = widgets.IntSlider(
        value=0,
        min=0,
        max=max(len(text) - passage, 0),
        step=passage // 4,
        description="passage at",
        continuous_update=False,
    )
    span = widgets.IntRangeSlider(value=(0, 20), min=0, max=passage, description="span", continuous_update=False)
    out, listing = widgets.HTML(), widgets.HTML()

    def redraw(*_):
        a, b = start.value, start.value + passage
        out.value = coloured_text_html(text[a:b], activations[a:b, cell.value])
        lo, hi = a + span.value[0], a + max(span.value[1], span.value[0] + 1)
        top = most_active_cells(activations, lo, min(hi, len(text)), k=5)
        rows = ", ".join(f"cell {j} ({z:+.1f} sd)" for j, z in top)
        listing.value = f"<b>span</b> <code>{html.escape(text[lo:hi])!s}</code>: most active {rows}"

    for control in (cell, start, span):
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox([cell, start]), span, listing, out])
    display(box)
    return box
