import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lstm_course import charlm

CODE = 'x = f("a(b", [1, 2])  # c(\ns = """q\n"w"\n"""\nt = \'it\\\'s\'\n'


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_every_corpus_file_is_in_this_python(tmp_path):
    sources = charlm.load_sources(charlm.TRAIN_FILES[:3] + charlm.HELD_OUT_FILES[:1])
    assert list(sources) == [*charlm.TRAIN_FILES[:3], charlm.HELD_OUT_FILES[0]]
    assert all("\t" not in text and "def " in text for text in sources.values())
    assert not set(charlm.TRAIN_FILES) & set(charlm.HELD_OUT_FILES)
    assert len(set(charlm.TRAIN_FILES)) == len(charlm.TRAIN_FILES)


def test_missing_files_get_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="full CPython"):
        charlm.load_sources(["textwrap.py"], root=str(tmp_path))


def test_select_text_takes_whole_files_then_cuts_at_a_line_end():
    sources = {"a.py": "one\ntwo\n", "b.py": "three\nfour\n"}
    assert charlm.select_text(sources, 100) == "one\ntwo\nthree\nfour\n"
    assert charlm.select_text(sources, 14) == "one\ntwo\nthree\n"
    with pytest.raises(ValueError, match="positive"):
        charlm.select_text(sources, 0)


def test_vocabulary_round_trip_and_unknown_characters():
    vocab = charlm.CharVocabulary("aab c\nb", min_count=2)
    assert vocab.chars[0] == charlm.UNKNOWN and set(vocab.chars[1:]) == {"a", "b"}
    ids = vocab.encode("abz")
    assert ids.dtype == np.int32 and ids[2] == 0
    assert vocab.decode(vocab.encode("ba")) == "ba"
    assert vocab.decode(ids) == "ab" + charlm.UNKNOWN
    with pytest.raises(ValueError, match="non-empty"):
        charlm.CharVocabulary("")


def test_code_properties_follow_strings_comments_and_brackets():
    p = charlm.code_properties(CODE)
    at = dict(enumerate(CODE))
    inside = "".join(at[i] for i in np.flatnonzero(p.in_string))
    assert inside.startswith('"a(b')
    assert '"""q\n"w"\n""' in inside and "'it\\'s" in inside
    assert "".join(at[i] for i in np.flatnonzero(p.in_comment)) == "# c("
    # depth after each character: brackets in the string and the comment do not count
    assert p.bracket_depth[CODE.index("[")] == 2 and p.bracket_depth[CODE.index(")")] == 0
    assert p.bracket_depth.max() == 2 and p.bracket_depth[-1] == 0
    close = CODE.index(")")
    assert p.closer[close] == "bracket" and p.distance[close] == close - CODE.index("(")
    first_quote_close = CODE.index('"', CODE.index('"') + 1)
    assert p.closer[first_quote_close] == "quote" and p.distance[first_quote_close] == 4
    assert p.column[0] == 1 and p.column[CODE.index("\n")] == 0 and p.column[CODE.index("\n") + 1] == 1
    assert set(p.as_dict()) == {"inside a string", "bracket depth", "inside a comment", "column"}


def test_ngram_unigram_is_smoothed_frequency_and_probabilities_sum_to_one():
    ids = np.array([0, 1, 1, 2, 1, 0, 1, 2] * 5)
    for order in (1, 2, 4):
        model = charlm.NGramModel(order, 4).fit(ids)
        # for any context, the probabilities of the four possible next ids sum to one
        history = ids[:7]
        total = sum(model.probabilities(np.append(history, k))[-1] for k in range(4))
        assert total == pytest.approx(1.0)
        assert model.probabilities(np.array([3]))[0] > 0  # never seen, not impossible
    unigram = charlm.NGramModel(1, 4).fit(ids)
    p = unigram.probabilities(np.array([1]))[0]
    assert 0.4 < p < 0.5  # 20 of 40, mixed a little with the uniform 1/4


def test_ngram_higher_orders_predict_a_repeating_stream_better():
    ids = np.tile(np.arange(5), 50)
    bits = [charlm.NGramModel(order, 5).fit(ids).bits(ids)[3:].mean() for order in (1, 2, 3)]
    assert bits[0] > bits[1] > 0 and bits[1] >= bits[2]
    assert bits[0] == pytest.approx(np.log2(5), rel=0.01)


def test_ngram_refuses_bad_input():
    with pytest.raises(ValueError, match="at least 1"):
        charlm.NGramModel(0, 5)
    with pytest.raises(ValueError, match="fit"):
        charlm.NGramModel(2, 5).probabilities([1, 2])
    with pytest.raises(ValueError, match="lie in"):
        charlm.NGramModel(2, 5).fit([1, 7])
    with pytest.raises(ValueError, match="overflows"):
        charlm.NGramModel(12, 100)


def tiny_model(layer="LSTM", vocab=7, units=5):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab, 3),
            getattr(keras.layers, layer)(units, return_sequences=True),
            keras.layers.Dense(vocab),
        ]
    )
    return model


def test_lstm_states_match_keras_and_clamping_zeroes_cells():
    model = tiny_model()
    ids = np.random.default_rng(0).integers(0, 7, 40)
    states = charlm.lstm_states(model, ids, rows=2)
    h = np.asarray(model.layers[1](model.layers[0](ids.reshape(2, 20)))).reshape(40, -1)
    np.testing.assert_allclose(states.h, h, atol=1e-5)
    logits = np.asarray(model(ids[None, :20]))[0]
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(states.bits[:19], -log_p[np.arange(19), ids[1:20]] / np.log(2), atol=1e-4)
    assert np.isnan(states.bits[-1])
    clamped = charlm.lstm_states(model, ids, clamp=[1, 3])
    assert np.all(clamped.c[:, [1, 3]] == 0) and np.all(clamped.h[:, [1, 3]] == 0)
    assert not np.allclose(clamped.h[:, 0], charlm.lstm_states(model, ids).h[:, 0])
    with pytest.raises(TypeError, match="Embedding -> LSTM -> Dense"):
        charlm.lstm_states(tiny_model("GRU"), ids)


def test_correlations_and_most_active_cells():
    rng = np.random.default_rng(1)
    values = rng.normal(size=200)
    acts = np.stack([values * 2 + 1, -values, rng.normal(size=200), np.ones(200)], axis=1)
    r = charlm.correlations(acts, values)
    np.testing.assert_allclose(r[:2], [1.0, -1.0])
    assert abs(r[2]) < 0.3 and r[3] == 0
    acts[50:60, 2] += 10
    top = charlm.most_active_cells(acts, 50, 60, k=2)
    assert top[0][0] == 2 and top[0][1] > 3
    with pytest.raises(ValueError, match="within"):
        charlm.most_active_cells(acts, 10, 10)


def test_coloured_text_html_and_figure():
    text = "a <b>\n c"
    values = np.array([1.0, 0.0, -1.0, 0.5, 0.2, 0.0, 0.0, 0.3])
    page = charlm.coloured_text_html(text, values)
    assert page.count("<span") == len(text) and "&lt;" in page and "&gt;" in page and "<br>" in page
    assert "#b40426" in page.lower() or "#67001f" in page.lower()  # the largest value: the red end
    ax = charlm.plot_coloured_text(text, values, title="cell 3")
    assert len(ax.patches) == len(text) - 1  # every character but the newline is a box
    assert sorted(t.get_text() for t in ax.texts) == sorted("a<b>c")
    with pytest.raises(ValueError, match="one value per character"):
        charlm.coloured_text_html(text, values[:3])


@pytest.mark.parametrize("layer", ["LSTM", "SimpleRNN"])
def test_input_gradient_norms_one_window_or_several(layer):
    model = tiny_model(layer)
    windows = np.stack([np.arange(10) % 7, np.arange(10)[::-1] % 7])
    norms = charlm.input_gradient_norms(model, windows, 5)
    assert norms.shape == (2, 6) and np.all(norms > 0)
    np.testing.assert_allclose(charlm.input_gradient_norms(model, windows[1], 5), norms[1], rtol=1e-4)
    # later characters cannot move the prediction: the norms stop at the position read
    assert charlm.input_gradient_norms(model, windows[0]).shape == (9,)
    with pytest.raises(ValueError, match="next character"):
        charlm.input_gradient_norms(model, windows, 9)


def test_cell_explorer_shows_a_cell_and_lists_the_cells_of_a_span():
    pytest.importorskip("ipywidgets")
    text = "def f(x):\n    return 'a'  # b\n" * 30
    acts = np.random.default_rng(0).normal(size=(len(text), 6))
    box = charlm.cell_explorer(text, acts, passage=100)
    controls, span, listing, coloured = box.children
    assert coloured.value.count("<span") == 100
    assert "most active cell" in listing.value and listing.value.count("sd)") == 5
    controls.children[0].value = 3  # another cell: the passage is recoloured
    assert coloured.value.count("<span") == 100
