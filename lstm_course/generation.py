"""Text generation with a next-word model: temperature sampling and a correct, fast loop.

A *next-word model* here is any Keras model that reads a batch of token-id windows and returns
scores for the next token: one vector per window, shape ``(batch, vocab)``, or one per position,
shape ``(batch, time, vocab)``, in which case the last position's vector is the prediction.
The scores are logits (a final ``Dense`` without activation) or probabilities (``softmax``).

:func:`generate` repairs the usual hand-written loop: it looks words up in an index-to-word
table instead of scanning the vocabulary, never emits padding or unknown-word tokens, feeds the
model windows of the length it was built for, samples with a temperature instead of always
taking the arg max (which loops), and runs the model through :func:`compiled_forward`, a
``tf.function`` traced once per model for windows of any length, instead of ``model.predict``,
which sets up a data pipeline on every call. (A direct eager call, ``model(x, training=False)``,
is slow for an LSTM under TensorFlow, which then runs the loop over time steps operation by
operation; ``predict_on_batch`` is compiled too, but traces again whenever the length changes.)
"""

from __future__ import annotations

import re
import weakref

import numpy as np

_COMPILED = weakref.WeakKeyDictionary()  # model -> its compiled forward pass

_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([.,!?;:)])")
_SPACE_AFTER_BRACKET = re.compile(r"\( ")


def sample_next(scores, temperature: float = 1.0, rng=None, *, from_logits: bool = True,
                banned=()) -> int:
    """Choose the next token id from one vector of scores.

    ``scores`` are logits (``from_logits=True``) or probabilities. The token is drawn from
    ``softmax(log p / temperature)``: a temperature below 1 sharpens the distribution towards
    the likeliest tokens, above 1 flattens it, and ``temperature=0`` takes the arg max (greedy
    decoding). Ids in ``banned`` are never chosen. ``rng`` is a ``numpy.random.Generator``.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, not {temperature}")
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if from_logits:
        logits = scores.copy()
    else:
        with np.errstate(divide="ignore"):  # a probability of 0 becomes a logit of -inf
            logits = np.log(scores)
    if len(banned):
        logits[np.asarray(banned, dtype=int)] = -np.inf
    if not np.isfinite(logits).any():
        raise ValueError("every token is banned or has probability 0")
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    rng = np.random.default_rng() if rng is None else rng
    return int(rng.choice(len(p), p=p))


def _token_ids(vectorizer, text: str) -> list[int]:
    """The ids a TextVectorization layer gives one text, without padding."""
    ids = vectorizer([text])
    ids = getattr(ids, "flat_values", ids)  # a ragged vectorizer returns a RaggedTensor
    return [int(i) for i in np.asarray(ids).ravel() if i != 0]


def compiled_forward(model):
    """``model(x, training=False)`` as a ``tf.function``, traced once for int32 id windows.

    The input signature fixes the batch and time dimensions to "any" (or time to the model's
    own window length, if it has one), so windows of every length reuse one graph. The function
    is built on first use and kept for as long as the model exists. Objects that are not Keras
    models, or a backend other than TensorFlow, get ``model.predict_on_batch`` instead.
    """
    import keras

    if not isinstance(model, keras.Model) or keras.backend.backend() != "tensorflow":
        return model.predict_on_batch
    if model not in _COMPILED:
        import tensorflow as tf

        shape = getattr(model, "input_shape", None)
        length = shape[1] if shape is not None and len(shape) == 2 else None
        spec = tf.TensorSpec((None, length), tf.int32)
        # The function holds the model only weakly: a strong reference from the value would keep
        # the key, and so the model with all its weights, alive for ever.
        model_ref = weakref.ref(model)
        _COMPILED[model] = tf.function(lambda x: model_ref()(x, training=False), input_signature=[spec])
    return _COMPILED[model]


def detokenize(words) -> str:
    """Join tokens with spaces, then attach punctuation to the word before it."""
    text = " ".join(words)
    return _SPACE_AFTER_BRACKET.sub("(", _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text))


def generate(model, vectorizer, seed_text: str, n_words: int, temperature: float = 1.0, rng=None,
             *, window: int | None = None, from_logits: bool = True,
             banned_tokens=("", "[UNK]")) -> str:
    """Continue ``seed_text`` by ``n_words`` tokens, one compiled model call per token.

    ``vectorizer`` is the ``TextVectorization`` layer the model was trained with (or any object
    with ``get_vocabulary()`` that maps a list of texts to token ids). The model sees the last
    ``window`` tokens; by default the length its input was built for (windows shorter than that
    are padded with 0 on the left, as in training), or the whole text so far if the model
    accepts any length. Tokens in ``banned_tokens`` (padding and unknown word by default) are
    never generated, nor are ids beyond the vocabulary if the model has more outputs than it has
    words. ``temperature`` and ``rng`` are passed to :func:`sample_next`. Returns the
    seed and its continuation as one string.
    """
    vocabulary = list(vectorizer.get_vocabulary())
    index_to_word = np.array(vocabulary, dtype=object)  # id -> word in one step, not a scan
    banned = [i for i, word in enumerate(vocabulary) if word in banned_tokens]
    if window is None:
        shape = getattr(model, "input_shape", None)
        window = shape[1] if shape is not None and len(shape) > 1 else None
    ids = _token_ids(vectorizer, seed_text)
    forward = compiled_forward(model)
    new_words = []
    for _ in range(n_words):
        context = ids if window is None else ids[-window:]
        if window is not None and len(context) < window:
            context = [0] * (window - len(context)) + context
        if not context:
            raise ValueError("the seed text has no known tokens and the model has no fixed window")
        scores = np.asarray(forward(np.array([context], dtype="int32")))
        scores = scores[0, -1] if scores.ndim == 3 else scores[0]
        scores = scores[:len(vocabulary)]  # an output without a word in the vocabulary is never chosen
        next_id = sample_next(scores, temperature, rng, from_logits=from_logits, banned=banned)
        ids.append(next_id)
        new_words.append(index_to_word[next_id])
    return detokenize([seed_text.strip(), *new_words])
