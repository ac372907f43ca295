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
_STEPS = weakref.WeakKeyDictionary()  # model -> its compiled one-token step (recurrent_step)

_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([.,!?;:)])")
_SPACE_AFTER_BRACKET = re.compile(r"\( ")


def sample_next(scores, temperature: float = 1.0, rng=None, *, from_logits: bool = True, banned=()) -> int:
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


def generate(
    model,
    vectorizer,
    seed_text: str,
    n_words: int,
    temperature: float = 1.0,
    rng=None,
    *,
    window: int | None = None,
    from_logits: bool = True,
    banned_tokens=("", "[UNK]"),
) -> str:
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
        scores = scores[: len(vocabulary)]  # an output without a word in the vocabulary is never chosen
        next_id = sample_next(scores, temperature, rng, from_logits=from_logits, banned=banned)
        ids.append(next_id)
        new_words.append(index_to_word[next_id])
    return detokenize([seed_text.strip(), *new_words])


# --------------------------------------------------------------------------- carrying the state


def sample_with_state(
    step, state, prompt_ids, n_tokens: int, temperature: float = 1.0, rng=None, *, from_logits: bool = True, banned=()
) -> list[int]:
    """Continue ``prompt_ids`` by ``n_tokens`` ids, reading every token exactly once.

    ``step(token_id, state) -> (scores, state)`` advances a recurrent model by one token: it takes
    an int and the state after the tokens so far (for an LSTM, the pair (h, C) of every layer) and
    returns the scores of the next token (one vector) and the new state. The prompt is read token
    by token, then each sampled token is fed back. Generating n tokens costs n steps, where
    re-reading the whole text for every new token (what a model without a carried state must do)
    costs 1 + 2 + ... + n, about n²/2. ``temperature``, ``rng``, ``from_logits`` and ``banned`` are
    those of :func:`sample_next`. Returns the new ids only.
    """
    prompt_ids = [int(i) for i in prompt_ids]
    if not prompt_ids:
        raise ValueError("the prompt needs at least one token: the first step reads it")
    if n_tokens < 0:
        raise ValueError(f"n_tokens must be >= 0, not {n_tokens}")
    rng = np.random.default_rng() if rng is None else rng
    for token in prompt_ids:
        scores, state = step(token, state)
    new_ids = []
    for _ in range(n_tokens):
        token = sample_next(np.asarray(scores), temperature, rng, from_logits=from_logits, banned=banned)
        new_ids.append(token)
        scores, state = step(token, state)
    return new_ids


def recurrent_step(model):
    """The one-token step of a Keras next-token model, for :func:`sample_with_state`.

    The model must be a stack ``Embedding -> recurrent layer(s) -> Dense`` (``LSTM``, ``GRU`` or
    ``SimpleRNN`` layers with ``return_sequences=True``; ``Dropout`` layers are skipped, as at
    inference). The step calls each layer's cell once, on the new token alone, with the state the
    previous step returned, compiled as one ``tf.function`` that is built once per model and
    reused (it holds the model's layers, not the model, so the model can still be freed). Returns
    ``(step, initial_state)``: the state is a list with one list of tensors per recurrent layer
    (``[h, C]`` for an LSTM).
    """
    if model not in _STEPS:
        _STEPS[model] = _build_recurrent_step(model)
    step, initial_state = _STEPS[model]
    return step, [list(state) for state in initial_state]


def _build_recurrent_step(model):
    import keras
    import tensorflow as tf

    layers = [layer for layer in model.layers if not isinstance(layer, (keras.layers.InputLayer, keras.layers.Dropout))]
    recurrent_types = (keras.layers.LSTM, keras.layers.GRU, keras.layers.SimpleRNN)
    kinds = " -> ".join(type(layer).__name__ for layer in layers)
    if (
        len(layers) < 3
        or not isinstance(layers[0], keras.layers.Embedding)
        or not all(isinstance(layer, recurrent_types) for layer in layers[1:-1])
        or not isinstance(layers[-1], keras.layers.Dense)
    ):
        raise ValueError(f"expected Embedding -> LSTM/GRU/SimpleRNN layer(s) -> Dense, got {kinds}")
    embedding, recurrent, head = layers[0], layers[1:-1], layers[-1]
    if any(layer.go_backwards for layer in recurrent):
        raise ValueError("a layer that reads backwards cannot generate one token at a time")

    def sizes(cell):
        size = cell.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    initial_state = [[tf.zeros((1, n)) for n in sizes(layer.cell)] for layer in recurrent]

    @tf.function(reduce_retracing=True)
    def one_step(token, states):
        x = embedding(tf.reshape(token, (1,)))
        new_states = []
        for layer, state in zip(recurrent, states):
            x, state = layer.cell(x, list(state), training=False)
            new_states.append(list(state) if isinstance(state, (list, tuple)) else [state])
        return head(x)[0], new_states

    def step(token, states):
        scores, states = one_step(tf.constant(token, dtype=tf.int32), states)
        return scores.numpy(), states

    return step, initial_state


def generate_with_state(
    model,
    vectorizer,
    seed_text: str,
    n_words: int,
    temperature: float = 1.0,
    rng=None,
    *,
    from_logits: bool = True,
    banned_tokens=("", "[UNK]"),
) -> str:
    """Like :func:`generate`, for a model that predicts the next token at every position: read the
    seed once and carry the recurrent state forward (:func:`recurrent_step`), so that every new
    word costs one step of the model instead of a pass over the whole text."""
    vocabulary = list(vectorizer.get_vocabulary())
    banned = [i for i, word in enumerate(vocabulary) if word in banned_tokens]
    step, state = recurrent_step(model)
    ids = _token_ids(vectorizer, seed_text)
    if not ids:
        raise ValueError("the seed text has no known tokens")

    def step_in_vocabulary(token, state):
        scores, state = step(token, state)
        return scores[: len(vocabulary)], state  # an output without a word is never chosen

    new_ids = sample_with_state(
        step_in_vocabulary, state, ids, n_words, temperature, rng, from_logits=from_logits, banned=banned
    )
    return detokenize([seed_text.strip(), *(vocabulary[i] for i in new_ids)])
