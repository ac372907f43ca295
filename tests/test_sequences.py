"""Token sequences: padding, the validation split, length buckets and next-token windows."""

import numpy as np
import pytest

from lstm_course import sequences


def test_pad_keeps_the_last_words_in_front_padding():
    x = sequences.pad([[1, 2, 3, 4, 5], [6, 7]], maxlen=3)
    np.testing.assert_array_equal(x, [[3, 4, 5], [0, 6, 7]])
    assert x.dtype == np.int32
    with pytest.raises(ValueError, match="maxlen must be at least 1"):
        sequences.pad([[1]], maxlen=0)


def test_pad_at_the_end_keeps_the_same_last_words():
    x = sequences.pad([[1, 2, 3, 4, 5], [6, 7]], maxlen=3, padding="post")
    np.testing.assert_array_equal(x, [[3, 4, 5], [6, 7, 0]])
    assert x.dtype == np.int32
    with pytest.raises(ValueError, match='padding must be "pre"'):
        sequences.pad([[1]], maxlen=3, padding="end")


def test_split_validation_holds_out_the_last_fraction():
    seqs = np.arange(10)
    (x_fit, y_fit), (x_val, y_val) = sequences.split_validation(seqs, seqs * 2, 0.2)
    np.testing.assert_array_equal(x_fit, np.arange(8))
    np.testing.assert_array_equal(y_fit, np.arange(8) * 2)
    np.testing.assert_array_equal(y_val, [16, 18])
    with pytest.raises(ValueError, match=r"validation_split must be in \[0, 1\)"):
        sequences.split_validation(seqs, seqs, 1.0)
    with pytest.raises(ValueError, match="10 sequences but 9 labels"):
        sequences.split_validation(seqs, seqs[:9], 0.2)


def test_length_batches_cover_every_review_once_with_short_padding():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 30, size=23)
    seqs = [list(range(1, n + 1)) for n in lengths]
    labels = np.arange(23) % 2
    batches = sequences.length_batches(seqs, labels, batch_size=5, maxlen=20, rng=1)
    assert [len(y) for _, y in batches].count(5) == 4 and sum(len(y) for _, y in batches) == 23
    seen = []
    for x, y in batches:
        real = (x != 0).sum(axis=1)
        assert x.shape[1] == real.max() <= 20  # padded only to its own longest review
        assert np.all(x[:, 0] != 0)  # post-padding: every review starts at step 0
        # the last real step is the review's last word (a review here ends with its length)
        seen.extend(zip(x[np.arange(len(x)), real - 1].tolist(), y.tolist()))
    assert sorted(seen) == sorted(zip(lengths.tolist(), labels.tolist()))  # a long one keeps its end


def test_padded_steps_counts_the_saving():
    seqs = [[1] * n for n in (2, 2, 10, 10)]
    assert sequences.padded_steps(seqs, batch_size=2, maxlen=8, bucketed=False) == 4 * 8
    assert sequences.padded_steps(seqs, batch_size=2, maxlen=8, bucketed=True) == 2 * 2 + 2 * 8


def test_bucketed_dataset_yields_every_batch_of_length_batches():
    seqs = [[1] * n for n in (3, 9, 4, 8, 2)]
    dataset = sequences.bucketed_dataset(seqs, np.arange(5) % 2, batch_size=2, maxlen=8, seed=0)
    assert int(dataset.cardinality()) == 3
    widths = sorted(x.shape[1] for x, _ in dataset.as_numpy_iterator())
    assert widths == [3, 8, 8]  # lengths 2 3 | 4 8 | 9 cut to 8: each batch padded to its longest
    assert sum(len(y) for _, y in dataset.as_numpy_iterator()) == 5


def test_next_token_windows_follow_each_other_unless_shuffled():
    x, y = sequences.next_token_windows(np.arange(11), 3)
    np.testing.assert_array_equal(x, [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    np.testing.assert_array_equal(y, x + 1)
    xs, ys = sequences.next_token_windows(np.arange(11), 3, seed=0)
    assert sorted(map(tuple, xs)) == sorted(map(tuple, x))
    np.testing.assert_array_equal(ys, xs + 1)  # inputs and targets shuffled together
    with pytest.raises(ValueError, match="no window of 5"):
        sequences.next_token_windows(np.arange(5), 5)
    with pytest.raises(ValueError, match="1-D"):
        sequences.next_token_windows(np.zeros((2, 3)), 2)


def test_language_model_windows_shift_by_one_word():
    inputs, targets = sequences.language_model_windows([[1, 5, 6], [1, 7, 8, 9]], window=3, output_words=8)
    # the stream 1 5 6 1 7 8 9 makes two windows; 8 and 9 are beyond the 8 output words
    assert sorted(map(tuple, inputs)) == [(1, 5, 6), (1, 7, 8)]
    assert sorted(map(tuple, targets)) == [(5, 6, 1), (7, 2, 2)]
    with pytest.raises(ValueError, match="shorter window"):
        sequences.language_model_windows([[1, 5, 6]], window=3)


def test_a_front_padded_mask_fails_cudnns_check_inside_a_compiled_step():
    """What chapter 2.1 says and chapters 2.1 and 2.3 rely on, pinned to Keras's TensorFlow backend:
    the cuDNN path checks the mask with an op that runs with the batch, so inside ``fit``,
    ``evaluate`` or ``predict`` (compiled functions) front padding raises instead of falling back.
    The check itself runs on a CPU; only the kernel after it needs a GPU."""
    import importlib

    import keras
    import tensorflow as tf

    rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")  # the package also has a function named rnn

    @tf.function
    def check(mask):
        rnn._assert_valid_mask(mask)
        return tf.constant(0)

    check(tf.constant([[True, True, False], [True, False, False]]))  # padded at the end: accepted
    with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded"):
        check(tf.constant([[False, True, True], [True, True, True]]))
    # use_cudnn=False reaches both directions of a Bidirectional wrapper (2.3's models)
    wrapped = keras.layers.Bidirectional(keras.layers.LSTM(2, use_cudnn=False))
    assert wrapped.forward_layer.use_cudnn is False and wrapped.backward_layer.use_cudnn is False
