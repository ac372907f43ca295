"""lstm_course.scratch: the corpus, its TBPTT chunks, the unigram baseline and global-norm clipping."""

import keras
import numpy as np
import pytest
from keras import ops

from lstm_course.scratch import (
    CharVocabulary,
    clip_by_global_norm,
    global_norm,
    tbptt_chunks,
    unigram_cross_entropy,
    zen_of_python,
)


def test_the_corpus_is_the_zen_of_python_and_is_not_printed(capsys):
    text = zen_of_python()
    assert text.startswith("The Zen of Python, by Tim Peters\n\nBeautiful is better than ugly.")
    assert "Namespaces are one honking great idea -- let's do more of those!" in text
    assert zen_of_python() == text
    assert capsys.readouterr().out == ""


def test_vocabulary_round_trips_and_refuses_unknown_characters():
    vocab = CharVocabulary("hello world")
    assert vocab.chars == sorted(set("hello world")) and len(vocab) == 8
    ids = vocab.encode("world hello")
    assert ids.dtype == np.int32 and vocab.decode(ids) == "world hello"
    assert vocab.encode("d")[0] == vocab.chars.index("d")
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocab.encode("hex")
    with pytest.raises(ValueError, match="empty"):
        CharVocabulary("")


@pytest.mark.parametrize(("length", "batch", "chunk"), [(101, 4, 5), (100, 3, 7), (856, 4, 25), (11, 1, 10)])
def test_chunks_cover_each_stream_exactly_and_in_order(length, batch, chunk):
    ids = np.arange(length) * 7 % 1000  # distinct values: any reordering would show
    x, y = tbptt_chunks(ids, batch, chunk)
    n_chunks = (length - 1) // (batch * chunk)
    assert x.shape == y.shape == (n_chunks, batch, chunk)
    stream = n_chunks * chunk
    for r in range(batch):
        # row r of chunk k+1 continues row r of chunk k: the rows are one contiguous stretch
        np.testing.assert_array_equal(x[:, r].ravel(), ids[r * stream : (r + 1) * stream])
        np.testing.assert_array_equal(y[:, r].ravel(), ids[r * stream + 1 : (r + 1) * stream + 1])
    # the streams together are the start of the corpus, without gaps or overlaps
    np.testing.assert_array_equal(np.sort(x.ravel()), np.sort(ids[: batch * stream]))
    assert len(ids) - 1 - batch * stream < batch * chunk  # less than one chunk per stream left over


def test_chunking_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="smaller batch_size or chunk_length"):
        tbptt_chunks(np.arange(20), 4, 5)  # needs 21 ids
    with pytest.raises(ValueError, match="1-D"):
        tbptt_chunks(np.zeros((3, 4)), 1, 2)
    with pytest.raises(ValueError, match="at least 1"):
        tbptt_chunks(np.arange(20), 0, 5)


def test_unigram_cross_entropy_is_the_entropy_of_the_frequencies():
    assert unigram_cross_entropy([0, 1, 0, 1]) == pytest.approx(np.log(2))
    assert unigram_cross_entropy([3, 3, 3]) == pytest.approx(0.0)
    p = np.array([0.5, 0.25, 0.25])
    assert unigram_cross_entropy([0, 0, 1, 2]) == pytest.approx(-(p * np.log(p)).sum())
    ids = CharVocabulary(zen_of_python()).encode(zen_of_python())
    assert unigram_cross_entropy(ids) < np.log(ids.max() + 1)  # below the uniform guess


def _grads(seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return [
        rng.normal(scale=scale * s, size=shape).astype("float32") for s, shape in ((1, (6, 8)), (0.1, (8,)), (3, (4,)))
    ]


def _keras_update(grads, **clipping):
    variables = [keras.Variable(np.zeros(g.shape, "float32")) for g in grads]
    keras.optimizers.SGD(learning_rate=1.0, **clipping).apply_gradients(
        zip(map(ops.convert_to_tensor, grads), variables)
    )
    return [-ops.convert_to_numpy(v) for v in variables]


@pytest.mark.parametrize("max_norm", [0.5, 1.0, 100.0])
def test_clipping_gives_the_update_of_keras_global_clipnorm(max_norm):
    grads = _grads()
    clipped, norm = clip_by_global_norm(grads, max_norm)
    expected_norm = np.sqrt(sum((g.astype("float64") ** 2).sum() for g in grads))
    assert float(norm) == pytest.approx(expected_norm, rel=1e-6)
    assert float(global_norm(grads)) == pytest.approx(expected_norm, rel=1e-6)
    for ours, keras_update, g in zip(clipped, _keras_update(grads, global_clipnorm=max_norm), grads):
        np.testing.assert_allclose(ops.convert_to_numpy(ours), keras_update, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(ops.convert_to_numpy(ours), g * min(1.0, max_norm / expected_norm), rtol=1e-5)
    assert float(global_norm(clipped)) == pytest.approx(min(max_norm, expected_norm), rel=1e-5)


def test_clipping_differs_from_keras_clipnorm_and_keeps_zero_gradients():
    grads = _grads()
    clipped, _ = clip_by_global_norm(grads, 1.0)
    per_variable = _keras_update(grads, clipnorm=1.0)
    assert not np.allclose(ops.convert_to_numpy(clipped[1]), per_variable[1])  # clipnorm left the small one alone
    zero, norm = clip_by_global_norm([np.zeros((3,), "float32")], 1.0)
    assert float(norm) == 0.0 and not np.isnan(ops.convert_to_numpy(zero[0])).any()
    with pytest.raises(ValueError, match="positive"):
        clip_by_global_norm(grads, 0.0)
