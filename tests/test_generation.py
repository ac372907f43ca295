import keras
import numpy as np
import pytest

from lstm_course.generation import compiled_forward, detokenize, generate, sample_next


def test_temperature_zero_is_the_arg_max_and_skips_banned_ids():
    logits = np.array([5.0, 4.0, 1.0, 3.0])
    assert sample_next(logits, 0) == 0
    assert sample_next(logits, 0, banned=[0]) == 1
    assert sample_next(np.array([0.1, 0.2, 0.7]), 0, from_logits=False) == 2


def test_sampling_follows_the_tempered_softmax():
    logits = np.log(np.array([0.5, 0.3, 0.2]))
    rng = np.random.default_rng(0)
    for temperature in (0.5, 1.0, 2.0):
        expected = np.exp(logits / temperature)
        expected /= expected.sum()
        draws = [sample_next(logits, temperature, rng) for _ in range(3000)]
        observed = np.bincount(draws, minlength=3) / len(draws)
        np.testing.assert_allclose(observed, expected, atol=0.03)


def test_probabilities_and_logits_give_the_same_draws():
    probs = np.array([0.1, 0.6, 0.3, 0.0])
    a = [sample_next(probs, 0.8, np.random.default_rng(1), from_logits=False) for _ in range(5)]
    b = [sample_next(np.log(probs[:3]).tolist() + [-np.inf], 0.8, np.random.default_rng(1)) for _ in range(5)]
    assert a == b
    assert 3 not in [
        sample_next(probs, 1.5, np.random.default_rng(k), from_logits=False) for k in range(50)
    ]  # probability 0 stays impossible


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="temperature"):
        sample_next([1.0, 2.0], -1)
    with pytest.raises(ValueError, match="banned"):
        sample_next([1.0, 2.0], 1.0, banned=[0, 1])


class NextIdModel:
    """Fake next-word model: all logit mass on (last id + 1), wrapping round to id 2."""

    def __init__(self, vocab_size, window=None):
        self.vocab_size = vocab_size
        self.input_shape = (None, window)
        self.calls = []

    def predict_on_batch(self, x):
        return self(x, training=False)

    def __call__(self, x, training=None):
        self.calls.append((x.shape, x.copy(), training))
        last = x[:, -1]
        nxt = np.where(last + 1 < self.vocab_size, last + 1, 2)
        logits = np.full((len(x), x.shape[1], self.vocab_size), -10.0)
        logits[np.arange(len(x)), -1, nxt] = 10.0
        return logits


def _vectorizer():
    # ids: "" 0, "[UNK]" 1, then the words in order from 2
    return keras.layers.TextVectorization(vocabulary=["the", "film", "was", "good"])


def test_generate_looks_words_up_and_grows_the_context():
    vectorizer = _vectorizer()
    model = NextIdModel(vocab_size=6)
    text = generate(model, vectorizer, "the film", 4, temperature=0)
    assert text == "the film was good the film"
    assert [shape for shape, _, _ in model.calls] == [(1, 2), (1, 3), (1, 4), (1, 5)]


def test_generate_pads_and_cuts_to_the_models_window():
    model = NextIdModel(vocab_size=6, window=3)
    generate(model, _vectorizer(), "film", 3, temperature=0)
    windows = [x[0].tolist() for _, x, _ in model.calls]
    assert windows == [[0, 0, 3], [0, 3, 4], [3, 4, 5]]


def test_generate_never_emits_padding_or_unknown():
    class Uniform(NextIdModel):
        def __call__(self, x, training=None):
            return np.zeros((len(x), self.vocab_size))

    words = generate(Uniform(6), _vectorizer(), "the", 200, temperature=1.0, rng=np.random.default_rng(0)).split()
    assert len(words) == 201 and "[UNK]" not in words


def test_generate_ignores_outputs_beyond_the_vocabulary():
    class Wide(NextIdModel):
        def __call__(self, x, training=None):
            logits = np.zeros((len(x), self.vocab_size))
            logits[:, -1] = 100.0  # the best score belongs to an id without a word
            return logits

    text = generate(Wide(50), _vectorizer(), "the", 5, temperature=1.0, rng=np.random.default_rng(0))
    assert len(text.split()) == 6


def test_generate_with_a_keras_model_traces_once():
    vectorizer = _vectorizer()
    model = keras.Sequential(
        [keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(6, 4), keras.layers.Dense(6)]
    )
    first = generate(model, vectorizer, "the film", 12, temperature=0)
    assert generate(model, vectorizer, "the film", 12, temperature=0) == first
    assert len(first.split()) == 14 and "[UNK]" not in first
    forward = compiled_forward(model)
    assert forward is compiled_forward(model)  # built once per model
    assert forward.experimental_get_tracing_count() == 1  # one graph for every length


def test_detokenize_attaches_punctuation():
    assert detokenize(["a", "film", "(", "good", ")", ",", "really", "!"]) == "a film (good), really!"


def test_compiled_forward_does_not_keep_the_model_alive():
    import gc
    import weakref

    from lstm_course import generation

    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(10, 4),
            keras.layers.LSTM(3, return_sequences=True),
            keras.layers.Dense(10),
        ]
    )
    forward = compiled_forward(model)
    assert np.asarray(forward(np.array([[1, 2, 3]], dtype="int32"))).shape == (1, 3, 10)
    assert compiled_forward(model) is forward  # traced once per model
    alive = weakref.ref(model)
    del model, forward
    gc.collect()
    assert alive() is None, "the compiled forward pass keeps its model (and every weight) in memory"
    assert len(generation._COMPILED) == 0


def _next_token_lstm(vocab=12, seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(vocab, 5),
            keras.layers.LSTM(6, return_sequences=True),
            keras.layers.Dropout(0.5),
            keras.layers.GRU(4, return_sequences=True),
            keras.layers.Dense(vocab),
        ]
    )


def test_the_carried_state_reproduces_the_full_sequence_outputs():
    from lstm_course.generation import recurrent_step

    model = _next_token_lstm()
    ids = [3, 1, 4, 1, 5, 9, 2, 6]
    full = keras.ops.convert_to_numpy(model(np.array([ids]), training=False))[0]
    step, state = recurrent_step(model)
    for t, token in enumerate(ids):
        scores, state = step(token, state)
        np.testing.assert_allclose(scores, full[t], rtol=1e-5, atol=1e-5)
    assert [s.shape for s in state[0]] == [(1, 6), (1, 6)] and [s.shape for s in state[1]] == [(1, 4)]


def test_sampling_with_state_reads_each_token_once():
    from lstm_course.generation import sample_with_state

    calls = []

    def step(token, count):
        calls.append(token)
        scores = np.full(5, -10.0)
        scores[(token + 1) % 5] = 10.0  # deterministic: the next id
        return scores, count + 1

    new = sample_with_state(step, 0, [1, 2], 4, temperature=0)
    assert new == [3, 4, 0, 1]
    assert calls == [1, 2, 3, 4, 0, 1]  # prompt once, then every new token once: n steps, not n²/2
    with pytest.raises(ValueError, match="at least one token"):
        sample_with_state(step, 0, [], 3)


def test_generate_with_state_agrees_with_the_windowed_loop():
    from lstm_course.generation import generate_with_state

    vectorizer = keras.layers.TextVectorization(max_tokens=12, standardize=None, split="whitespace")
    vectorizer.adapt(["a b c d e f g h i j"])
    model = _next_token_lstm(vocab=12, seed=3)
    greedy_window = generate(model, vectorizer, "a b c", 6, temperature=0)
    greedy_state = generate_with_state(model, vectorizer, "a b c", 6, temperature=0)
    assert greedy_state == greedy_window  # the same model, read two ways, picks the same words
    assert len(greedy_state.split()) == 3 + 6


def test_recurrent_step_refuses_other_architectures():
    from lstm_course.generation import recurrent_step

    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(10, 4),
            keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True)),
            keras.layers.Dense(10),
        ]
    )
    with pytest.raises(ValueError, match="Embedding -> Bidirectional -> Dense"):
        recurrent_step(model)


def test_recurrent_step_is_built_once_per_model_and_does_not_keep_it_alive():
    import gc
    import weakref

    from lstm_course import generation

    model = _next_token_lstm()
    step, state = generation.recurrent_step(model)
    again, fresh = generation.recurrent_step(model)
    assert again is step and fresh is not state  # the same compiled step, a new zero state
    step(3, state)
    alive = weakref.ref(model)
    del model, step, again, state, fresh
    gc.collect()
    assert alive() is None
