"""Plumbing for training a recurrent network by hand: a corpus, its chunks, and gradient clipping.

Chapter 1.4 writes the LSTM cell and its training loop on the page; this module holds what the
page only uses:

- :func:`zen_of_python`: a small, fixed character corpus that every Python installation carries
  (the text of ``import this``, 856 characters, unchanged since Python 2.2);
- :class:`CharVocabulary`: characters to integer ids and back;
- :func:`tbptt_chunks`: a corpus cut into parallel streams and consecutive chunks, so that a
  model can carry its state from one chunk to the next (truncated backpropagation through time);
- :func:`unigram_cross_entropy`: the loss of the best model that ignores context;
- :func:`global_norm` and :func:`clip_by_global_norm`: gradient clipping by the norm of all the
  gradients together, ``g * min(1, max_norm / ||g||)``, as Keras's ``global_clipnorm`` does.

Importing it runs no TensorFlow operation; the clipping functions take NumPy arrays or tensors of
any backend (they use ``keras.ops``).
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import io
import sys

import numpy as np


def zen_of_python() -> str:
    """The Zen of Python (PEP 20), the text that ``import this`` prints.

    The standard library stores it ROT13-encoded in the module ``this``, which prints it when it
    is first imported; the print is kept off the page here.
    """
    if "this" in sys.modules:
        this = sys.modules["this"]
    else:
        with contextlib.redirect_stdout(io.StringIO()):
            this = importlib.import_module("this")
    return codecs.decode(this.s, "rot13")


class CharVocabulary:
    """The characters of a text, sorted, each with an integer id (its position in ``chars``)."""

    def __init__(self, text: str):
        if not text:
            raise ValueError("the text is empty: a vocabulary needs at least one character")
        self.chars = sorted(set(text))
        self._ids = {ch: i for i, ch in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """The ids of the characters of ``text``, as int32."""
        unknown = sorted(set(text) - set(self._ids))
        if unknown:
            raise ValueError(
                f"characters not in the vocabulary: {unknown!r}; build the vocabulary from a text that has them"
            )
        return np.array([self._ids[ch] for ch in text], dtype=np.int32)

    def decode(self, ids) -> str:
        """The text of a sequence of ids."""
        return "".join(self.chars[int(i)] for i in np.asarray(ids).ravel())


def tbptt_chunks(ids, batch_size: int, chunk_length: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a sequence of ids into ``batch_size`` parallel streams and consecutive chunks.

    The ids (all but the last, which has no successor) are split into ``batch_size`` contiguous
    streams of equal length, one per row of the batch; each stream is cut into chunks of
    ``chunk_length`` steps. Row ``r`` of chunk ``k + 1`` continues row ``r`` of chunk ``k``
    exactly, so the state a model reaches at the end of one chunk is the right starting state
    for the next. Targets are the inputs shifted by one character. Ids that do not fill a whole
    chunk in every stream are left out (fewer than ``batch_size * chunk_length`` of them).

    Returns ``x`` and ``y`` of shape ``(n_chunks, batch_size, chunk_length)``, int32.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"expected a 1-D sequence of ids, got shape {ids.shape}")
    if batch_size < 1 or chunk_length < 1:
        raise ValueError(f"batch_size and chunk_length must be at least 1, not {batch_size} and {chunk_length}")
    n_chunks = (len(ids) - 1) // (batch_size * chunk_length)
    if n_chunks < 1:
        raise ValueError(
            f"{len(ids)} ids do not fill one chunk of {chunk_length} steps in each of {batch_size} streams "
            f"(that needs {batch_size * chunk_length + 1}): use a smaller batch_size or chunk_length"
        )
    stream = n_chunks * chunk_length  # steps per stream
    starts = np.arange(batch_size)[:, None] * stream + np.arange(stream)[None, :]  # (batch, stream)
    x = ids[starts].reshape(batch_size, n_chunks, chunk_length).transpose(1, 0, 2)
    y = ids[starts + 1].reshape(batch_size, n_chunks, chunk_length).transpose(1, 0, 2)
    return x.astype(np.int32), y.astype(np.int32)


def unigram_cross_entropy(ids, vocab_size: int | None = None) -> float:
    """Cross-entropy in nats of predicting every id from the ids' own frequencies (no context).

    The entropy of the unigram distribution: the loss a model reaches when it has learnt which
    characters are common but nothing about their order. Predicting every id with equal
    probability costs ``log(vocab_size)``, more.
    """
    counts = np.bincount(np.asarray(ids).ravel(), minlength=vocab_size or 0)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def global_norm(grads):
    """The Euclidean norm of all the gradients together: sqrt(sum over tensors of sum(g**2))."""
    from keras import ops

    return ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))


def clip_by_global_norm(grads, max_norm: float):
    """Scale every gradient by ``min(1, max_norm / ||g||)``, with ``||g||`` their :func:`global_norm`.

    The direction of the whole gradient is kept; only its length is capped at ``max_norm``. This
    is what ``keras.optimizers.*(global_clipnorm=max_norm)`` does before each update (and
    ``tf.clip_by_global_norm``). Keras's ``clipnorm=max_norm`` instead caps each tensor's norm
    separately, which changes the direction. Returns ``(clipped_grads, norm)``, the norm before
    clipping.
    """
    from keras import ops

    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, not {max_norm}")
    norm = global_norm(grads)
    scale = ops.minimum(1.0, max_norm / ops.maximum(norm, 1e-12))  # a zero gradient stays zero
    return [g * ops.cast(scale, g.dtype) for g in grads], norm
