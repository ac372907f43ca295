"""Token sequences for Keras: padding, a validation split, length buckets and next-token windows.

A *sequence* here is a list (or array) of integer token ids, one per word or character, where 0
is padding. These helpers are shared by the chapters on sentiment, language modelling and
efficiency, and by the IMDB recipes (:mod:`lstm_course.recipes`).
"""

from __future__ import annotations

import numpy as np


def pad(sequences, maxlen: int = 200, padding: str = "pre") -> np.ndarray:
    """Keep the last ``maxlen`` tokens and pad with zeros in front (``keras.utils.pad_sequences``'
    defaults), as an int32 array of shape (n, maxlen).

    ``padding="post"`` puts the zeros at the end instead. A model that masks its padding reads
    both the same, but on a GPU only end padding runs with a mask in TensorFlow's fused cuDNN
    kernel: front padding with a mask stops ``fit``, ``evaluate`` and ``predict`` with an error.
    """
    import keras

    if maxlen < 1:
        raise ValueError(f"maxlen must be at least 1, not {maxlen}")
    if padding not in ("pre", "post"):
        raise ValueError(f'padding must be "pre" (zeros in front) or "post" (zeros at the end), not {padding!r}')
    return keras.utils.pad_sequences(list(sequences), maxlen=maxlen, padding=padding).astype("int32")


def split_validation(sequences, labels, validation_split: float = 0.2):
    """The split of ``fit(validation_split=...)``: the *last* fraction of the samples is held out.

    Returns ``(fit_sequences, fit_labels), (val_sequences, val_labels)``.
    """
    if not 0 <= validation_split < 1:
        raise ValueError(f"validation_split must be in [0, 1), not {validation_split}")
    if len(sequences) != len(labels):
        raise ValueError(f"{len(sequences)} sequences but {len(labels)} labels")
    n_val = int(round(len(sequences) * validation_split))
    n_fit = len(sequences) - n_val
    return (sequences[:n_fit], labels[:n_fit]), (sequences[n_fit:], labels[n_fit:])


def length_batches(sequences, labels, batch_size: int, maxlen: int, *, rng=None):
    """Batches of sequences of similar length, each padded only to its own longest sequence.

    Sequences are sorted by length (ties broken at random), cut into batches of ``batch_size``,
    and the order of the batches is shuffled. Longer sequences keep their last ``maxlen`` tokens.
    Padding goes after the tokens: with a mask the result is the same either way, and on a GPU
    TensorFlow's fused cuDNN kernel accepts a mask only if the padding is at the end.
    Returns a list of ``(x, y)`` pairs, ``x`` of shape (batch, length <= maxlen).
    """
    import keras

    rng = np.random.default_rng(rng)
    lengths = np.minimum([len(s) for s in sequences], maxlen)
    order = np.lexsort((rng.random(len(lengths)), lengths))  # by length, random among equals
    batches = []
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        x = keras.utils.pad_sequences([sequences[i] for i in idx], maxlen=int(lengths[idx].max()), padding="post")
        batches.append((x.astype("int32"), np.asarray(labels)[idx].astype("float32")))
    return [batches[k] for k in rng.permutation(len(batches))]


def bucketed_dataset(sequences, labels, batch_size: int, maxlen: int, *, seed: int = 0):
    """A ``tf.data.Dataset`` of :func:`length_batches`, re-shuffled at every epoch."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    n_batches = -(-len(sequences) // batch_size)

    def generate():
        yield from length_batches(sequences, labels, batch_size, maxlen, rng=rng)

    # The signature says that every batch may have its own length (Keras would otherwise fix the
    # length of the first batches it sees).
    signature = (tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.float32))
    dataset = tf.data.Dataset.from_generator(generate, output_signature=signature)
    # A known number of batches lets Keras size its epochs (and show no "ran out of data" warning).
    return dataset.apply(tf.data.experimental.assert_cardinality(n_batches))


def padded_steps(sequences, batch_size: int, maxlen: int, *, bucketed: bool) -> int:
    """Time steps an epoch runs (summed over batches), with or without length bucketing."""
    lengths = np.minimum([len(s) for s in sequences], maxlen)
    if not bucketed:
        return int(len(lengths) * maxlen)
    ordered = np.sort(lengths)
    return int(
        sum(
            ordered[k : k + batch_size].max() * len(ordered[k : k + batch_size])
            for k in range(0, len(ordered), batch_size)
        )
    )


def next_token_windows(ids, length: int, *, seed: int | None = None):
    """Inputs ``ids[t : t+length]`` and targets ``ids[t+1 : t+length+1]`` for a language model.

    ``ids`` is one long stream of token ids; it is cut into consecutive, non-overlapping windows
    (the last, incomplete one is dropped), so every token is read once per epoch. The target of
    each input token is the token that follows it. With a ``seed`` the windows are shuffled
    (inputs and targets alike); without one they stay in order, and window ``k + 1`` continues
    window ``k``, as truncated backpropagation through time with a carried state needs.
    Returns two int32 arrays of shape (n, length).
    """
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be one stream of token ids (1-D), got shape {ids.shape}")
    if length < 1:
        raise ValueError(f"length must be at least 1, not {length}")
    n = (len(ids) - 1) // length
    if n == 0:
        raise ValueError(
            f"{len(ids)} tokens make no window of {length} tokens plus a next token: give more text or a shorter window"
        )
    inputs = ids[: n * length].reshape(n, length).astype("int32")
    targets = ids[1 : n * length + 1].reshape(n, length).astype("int32")
    if seed is not None:
        order = np.random.default_rng(seed).permutation(n)
        inputs, targets = inputs[order], targets[order]
    return inputs, targets


def language_model_windows(sequences, window: int = 100, output_words: int | None = None, *, seed: int = 0):
    """Next-word windows over many texts: the sequences joined end to end (each keeps its own start
    marker) and cut by :func:`next_token_windows`, shuffled with ``seed``.

    With ``output_words``, target indices from ``output_words`` on are replaced by 2 (the unknown
    word of :func:`lstm_course.load_imdb`), so that a softmax over the ``output_words`` most
    frequent indices suffices.
    """
    stream = np.concatenate([np.asarray(s, dtype=np.int32) for s in sequences])
    inputs, targets = next_token_windows(stream, window, seed=seed)
    if output_words is not None:
        targets = np.where(targets < output_words, targets, 2).astype("int32")
    return inputs, targets
