"""The dataset loaders, on a tiny aclImdb-shaped archive that the tests write themselves."""

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lstm_course import data
from lstm_course.data import DatasetError

from .conftest import write_imdb_archive

# Frequencies in the fixture's training reviews: film 7, good 4, a 3, bad 3 (ties alphabetical).
FILM, GOOD, A, BAD = 4, 5, 6, 7  # ids with index_from=3: rank 1 -> 4


def test_imdb_follows_the_keras_conventions(imdb_archive):
    (x_train, y_train), (x_test, y_test) = data.load_imdb()
    assert len(x_train) == 4 and len(x_test) == 2
    assert all(seq[0] == 1 for seq in x_train)  # start token
    by_text = {tuple(seq): label for seq, label in zip(x_train, y_train)}
    assert by_text[(1, GOOD, FILM, FILM)] == 1
    assert by_text[(1, BAD, FILM, FILM)] == 0
    assert by_text[(1, A, GOOD, FILM, A, GOOD, GOOD, FILM)] == 1


def test_words_never_seen_in_training_are_out_of_vocabulary(imdb_archive):
    _, (x_test, y_test) = data.load_imdb()
    by_label = dict(zip(y_test.tolist(), x_test))
    assert by_label[1] == [1, GOOD, 2, FILM]  # "good unseen film": unseen -> oov 2


def test_num_words_keeps_only_the_most_frequent(imdb_archive):
    (x_train, _), _ = data.load_imdb(num_words=6)  # keeps ids 4 and 5 (film, good)
    flat = {i for seq in x_train for i in seq}
    assert flat <= {1, 2, FILM, GOOD}
    assert 2 in flat


def test_maxlen_drops_longer_reviews_as_keras_does(imdb_archive):
    (x_train, y_train), _ = data.load_imdb(maxlen=4)
    assert len(x_train) == 2 and all(len(s) <= 4 for s in x_train)
    assert len(y_train) == 2


def test_max_samples_and_seed(imdb_archive):
    (a, _), _ = data.load_imdb(max_samples=3, seed=1)
    (b, _), _ = data.load_imdb(max_samples=3, seed=1)
    assert len(a) == 3 and [list(s) for s in a] == [list(s) for s in b]


def test_custom_special_tokens(imdb_archive):
    (x_train, _), _ = data.load_imdb(start_char=9, oov_char=8, index_from=10)
    assert all(seq[0] == 9 for seq in x_train)
    assert min(i for seq in x_train for i in seq[1:]) == 11


def test_num_words_too_small_is_refused(imdb_archive):
    with pytest.raises(ValueError, match="num_words"):
        data.load_imdb(num_words=3)


def test_text_splits_and_labels(imdb_archive):
    texts, labels = data.load_imdb_text("train")
    assert sorted(labels.tolist()) == [0, 0, 1, 1]
    assert "A good film.<br />A good, good film!" in texts
    unsup, unsup_labels = data.load_imdb_text("unsup")
    assert unsup == ["film without a label"] and unsup_labels.tolist() == [-1]
    with pytest.raises(ValueError, match="split"):
        data.load_imdb_text("validation")


def test_word_index_and_round_trip(imdb_archive):
    index = data.imdb_word_index()
    assert index["film"] == 1 and index["good"] == 2 and index["a"] == 3 and index["bad"] == 4
    ids = data.encode_review("A good film, unseen!")
    assert ids == [1, A, GOOD, FILM, 2]
    assert data.decode_review([0, 0, *ids]) == "<start> a good film <unk>"
    assert data.encode_review("bad film", num_words=6) == [1, 2, FILM]


def test_tokenize_drops_html_breaks_and_punctuation():
    assert data.tokenize("Great!<br /><br />Isn't it? 10/10") == ["great", "isn't", "it", "10", "10"]


def test_second_load_uses_the_cache(imdb_archive, monkeypatch):
    data.load_imdb()

    def no_reread(*_):
        raise AssertionError("the archive was read again")

    monkeypatch.setattr(data, "_read_imdb_archive", no_reread)
    (x_train, _), _ = data.load_imdb(num_words=6)
    assert len(x_train) == 4
    data.load_imdb_text("test")


def test_a_newer_archive_rebuilds_the_cache(course_dirs):
    folder, _ = course_dirs
    archive = write_imdb_archive(folder / "aclImdb_v1.tar.gz")
    data.load_imdb()
    write_imdb_archive(archive, test_neg=["bad bad bad film", "film"])
    future = time.time() + 10
    os.utime(archive, (future, future))
    _, (x_test, _) = data.load_imdb()
    assert len(x_test) == 3


def test_an_unreadable_cache_is_rebuilt(imdb_archive, course_dirs):
    _, cache = course_dirs
    data.load_imdb()
    for cached in cache.glob("*.npz"):
        cached.write_bytes(b"not a zip file")
    (x_train, _), _ = data.load_imdb()
    assert len(x_train) == 4


def test_local_data_folder_wins_over_the_cache(course_dirs):
    folder, cache = course_dirs
    cache.mkdir(exist_ok=True)
    write_imdb_archive(cache / "aclImdb_v1.tar.gz")
    local = write_imdb_archive(folder / "aclImdb_v1.tar.gz")
    assert data.dataset_file("imdb") == local


def test_data_folder_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("LSTM_COURSE_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError, match="is not a folder"):
        data.load_imdb()


def test_missing_file_offline_says_how_to_get_it(course_dirs, monkeypatch):
    spec = data.DATASETS["imdb"]
    monkeypatch.setitem(data.DATASETS, "imdb", data.RemoteFile(
        spec.filename, "file:///definitely/not/here.tar.gz", spec.sha256, manual=spec.manual))
    with pytest.raises(DatasetError) as err:
        data.load_imdb()
    message = str(err.value)
    assert "Could not download" in message and "LSTM_COURSE_DATA" in message
    assert "ai.stanford.edu" in message
    _, cache = course_dirs
    assert not any(cache.glob("*.part")), "a failed download must not leave partial files"


def test_download_verifies_the_checksum(course_dirs, tmp_path, monkeypatch):
    source = write_imdb_archive(tmp_path / "published.tar.gz")
    good = data.RemoteFile("aclImdb_v1.tar.gz", source.as_uri(), (data.sha256_of(source),))
    monkeypatch.setitem(data.DATASETS, "imdb", good)
    (x_train, _), _ = data.load_imdb()
    assert len(x_train) == 4
    _, cache = course_dirs
    assert (cache / "aclImdb_v1.tar.gz").is_file()


def test_corrupt_download_is_rejected_and_not_kept(course_dirs, tmp_path, monkeypatch):
    source = write_imdb_archive(tmp_path / "published.tar.gz")
    monkeypatch.setitem(data.DATASETS, "imdb", data.RemoteFile("aclImdb_v1.tar.gz", source.as_uri(), ("0" * 64,)))
    with pytest.raises(DatasetError, match="checksum"):
        data.load_imdb()
    _, cache = course_dirs
    assert list(cache.iterdir()) == []


def test_truncated_archive_says_partial_or_corrupt(course_dirs):
    folder, _ = course_dirs
    archive = write_imdb_archive(folder / "aclImdb_v1.tar.gz")
    archive.write_bytes(archive.read_bytes()[:200])
    with pytest.raises(DatasetError, match="partial or corrupt"):
        data.load_imdb()
    assert archive.exists(), "the user's file must never be deleted"


def test_archive_without_reviews_is_refused(course_dirs):
    folder, _ = course_dirs
    write_imdb_archive(folder / "aclImdb_v1.tar.gz", train_pos=[], train_neg=[])
    with pytest.raises(DatasetError, match="not the Large Movie Review Dataset"):
        data.load_imdb()


def test_dataset_without_public_download_explains_the_manual_step(course_dirs):
    with pytest.raises(DatasetError, match="Kaggle"):
        data.dataset_file("ner")


def test_zip_member_is_extracted(course_dirs, tmp_path, monkeypatch):
    archive = tmp_path / "fra-eng.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fra.txt", "Go.\tVa !\n")
        zf.writestr("_about.txt", "Tatoeba")
    monkeypatch.setitem(data.DATASETS, "fra-eng", data.RemoteFile("fra.txt", archive.as_uri(), (), member="fra.txt"))
    path = data.dataset_file("fra-eng")
    assert path.read_text() == "Go.\tVa !\n"


def test_no_download_when_asked_not_to(course_dirs):
    with pytest.raises(DatasetError, match="was not found"):
        data.dataset_file("imdb", download=False)


def test_unknown_dataset():
    with pytest.raises(KeyError, match="unknown dataset"):
        data.dataset_file("mnist")


def test_cache_files_are_complete_npz(imdb_archive, course_dirs):
    data.load_imdb()
    _, cache = course_dirs
    for cached in cache.glob("*.npz"):
        with np.load(cached) as npz:
            assert len(npz.files) > 0
    assert not list(cache.glob("*.tmp"))


def test_unlabelled_reviews_share_the_training_vocabulary(imdb_archive):
    unlabelled = data.load_imdb_unlabelled()
    # "film without a label": film and a are training words, without and label are not.
    assert unlabelled.tolist() == [[1, FILM, 2, A, 2]]
    assert data.load_imdb_unlabelled(num_words=6).tolist() == [[1, FILM, 2, 2, 2]]
    assert data.load_imdb_unlabelled(max_samples=0).tolist() == []


def test_unlabelled_reviews_are_cached(imdb_archive, monkeypatch):
    first = data.load_imdb_unlabelled()

    def no_retokenize(*_):
        raise AssertionError("the unlabelled reviews were tokenised again")

    monkeypatch.setattr(data, "tokenize", no_retokenize)
    assert data.load_imdb_unlabelled().tolist() == first.tolist()


# --------------------------------------------------------------------------- where the data is looked for

ROOT = Path(__file__).resolve().parents[1]


def test_a_relative_data_folder_is_named_as_the_absolute_path_tried(course_dirs, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LSTM_COURSE_DATA", "../shared/datasets")
    with pytest.raises(DatasetError) as info:
        data.load_imdb()
    message = str(info.value)
    assert "is not a folder" in message and str(tmp_path.parent / "shared" / "datasets") in message
    assert "relative" in message and "absolute path" in message
    monkeypatch.setenv("LSTM_COURSE_DATA", "data")  # a relative path that exists is used, made absolute
    assert data.data_dir() == tmp_path / "data"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("given, expected", [
    ("../shared/datasets", str(ROOT / ".." / "shared" / "datasets")),  # as the README writes it
    ("my data", str(ROOT / "my data")),
    ("/an/absolute/path", "/an/absolute/path"),
])
def test_the_makefile_exports_the_data_folder_as_an_absolute_path(given, expected, tmp_path):
    # Notebooks run in their own folders: `LSTM_COURSE_DATA=../shared/datasets make site` only
    # works if make passes the folder on as an absolute path.
    probe = "print-data-folder: ; @printenv LSTM_COURSE_DATA"
    for how in ("environment", "command line"):
        env = {**os.environ, "LSTM_COURSE_DATA": given} if how == "environment" else dict(os.environ)
        extra = [] if how == "environment" else [f"LSTM_COURSE_DATA={given}"]
        result = subprocess.run(["make", "--no-print-directory", "-s", "-f", "Makefile", "--eval", probe,
                                 "print-data-folder", *extra],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.rstrip("\n") == expected, how
