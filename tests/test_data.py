"""The dataset loaders, on a tiny aclImdb-shaped archive that the tests write themselves."""

import gzip
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lstm_course import data
from lstm_course.data import DatasetError

from .conftest import imdb_folder_counts, write_imdb_archive

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


def test_a_newer_archive_rebuilds_the_cache(course_dirs, accept_imdb):
    folder, _ = course_dirs
    archive = accept_imdb(write_imdb_archive(folder / "aclImdb_v1.tar.gz"))
    data.load_imdb()
    accept_imdb(write_imdb_archive(archive, test_neg=["bad bad bad film", "film"]))
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


def test_local_data_folder_wins_over_the_cache(course_dirs, accept_imdb):
    folder, cache = course_dirs
    cache.mkdir(exist_ok=True)
    accept_imdb(write_imdb_archive(cache / "aclImdb_v1.tar.gz"))
    local = accept_imdb(write_imdb_archive(folder / "aclImdb_v1.tar.gz"))
    assert data.dataset_file("imdb") == local


def test_data_folder_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("LSTM_COURSE_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError, match="is not a folder"):
        data.load_imdb()


def test_missing_file_offline_says_how_to_get_it(course_dirs, monkeypatch):
    spec = data.DATASETS["imdb"]
    monkeypatch.setitem(
        data.DATASETS,
        "imdb",
        data.RemoteFile(spec.filename, "file:///definitely/not/here.tar.gz", spec.sha256, manual=spec.manual),
    )
    with pytest.raises(DatasetError) as err:
        data.load_imdb()
    message = str(err.value)
    assert "Could not download" in message and "LSTM_COURSE_DATA" in message
    assert "ai.stanford.edu" in message
    _, cache = course_dirs
    assert list(cache.iterdir()) == [], "a failed download must not leave partial files"


def test_download_verifies_the_checksum(course_dirs, tmp_path, monkeypatch):
    source = write_imdb_archive(tmp_path / "published.tar.gz")
    good = data.RemoteFile("aclImdb_v1.tar.gz", source.as_uri(), (data.sha256_of(source),))
    monkeypatch.setitem(data.DATASETS, "imdb", good)
    monkeypatch.setattr(data, "IMDB_EXPECTED_REVIEWS", imdb_folder_counts(source))
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


def test_truncated_archive_says_partial_or_corrupt(course_dirs, accept_imdb):
    folder, _ = course_dirs
    archive = write_imdb_archive(folder / "aclImdb_v1.tar.gz")
    counts = imdb_folder_counts(archive)
    archive.write_bytes(archive.read_bytes()[:200])
    accept_imdb(archive, counts)  # the truncation itself must be noticed, not only the checksum
    with pytest.raises(DatasetError, match="partial or corrupt"):
        data.load_imdb()
    assert archive.exists(), "the user's file must never be deleted"


def test_archive_without_reviews_is_refused(course_dirs, accept_imdb, tmp_path):
    folder, _ = course_dirs
    counts = imdb_folder_counts(write_imdb_archive(tmp_path / "complete.tar.gz"))
    archive = write_imdb_archive(folder / "aclImdb_v1.tar.gz", train_pos=[], train_neg=[])
    accept_imdb(archive, counts)
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
    assert not list(cache.glob("*.partial")) and not list(cache.glob("*.tmp"))


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
@pytest.mark.parametrize(
    "given, expected",
    [
        ("../shared/datasets", str(ROOT / ".." / "shared" / "datasets")),  # as the README writes it
        ("my data", str(ROOT / "my data")),
        ("/an/absolute/path", "/an/absolute/path"),
    ],
)
def test_the_makefile_exports_the_data_folder_as_an_absolute_path(given, expected, tmp_path):
    # Notebooks run in their own folders: `LSTM_COURSE_DATA=../shared/datasets make site` only
    # works if make passes the folder on as an absolute path.
    # Under `make test`, MAKEFLAGS would pass the outer make's flags and variables on.
    outer = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    for variable in ("LSTM_COURSE_DATA", "LSTM_COURSE_CACHE"):  # the cache folder follows the same rule
        probe = f"print-folder: ; @printenv {variable}"
        for how in ("environment", "command line"):
            env = {**outer, variable: given} if how == "environment" else outer
            extra = [] if how == "environment" else [f"{variable}={given}"]
            result = subprocess.run(
                ["make", "--no-print-directory", "-s", "-f", "Makefile", "--eval", probe, "print-folder", *extra],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
            assert result.stdout.rstrip("\n") == expected, (variable, how)


# --------------------------------------------------------------------------- damaged, partial or replaced archives


def _recompress_with_the_old_crc(archive, damage):
    """What a flipped bit inside the compressed stream does: valid-looking data, a wrong CRC."""
    original = archive.read_bytes()
    damaged = bytearray(gzip.decompress(original))
    damage(damaged)
    archive.write_bytes(gzip.compress(bytes(damaged), mtime=0)[:-8] + original[-8:])


def _break_the_tar_header_of(name):
    """A damage that makes the tar reader stop, silently, at the member ``name``."""

    def damage(tar_bytes):
        at = tar_bytes.index(name.encode())
        tar_bytes[at + 148] ^= 0x01  # one bit of the header's checksum field

    return damage


def test_damage_that_stops_the_tar_reader_early_is_caught_by_the_gzip_crc(course_dirs, accept_imdb):
    folder, _ = course_dirs
    archive = write_imdb_archive(folder / "aclImdb_v1.tar.gz")
    counts = imdb_folder_counts(archive)
    _recompress_with_the_old_crc(archive, _break_the_tar_header_of("aclImdb/train/neg/0_2.txt"))
    damaged = archive.read_bytes()
    accept_imdb(archive, counts)  # even with its checksum accepted, the damage must be found
    with pytest.raises(DatasetError) as info:
        data.load_imdb()
    assert "CRC check failed" in str(info.value) and "partial or corrupt" in str(info.value)
    assert archive.read_bytes() == damaged, "the user's file is never changed or deleted"


def test_a_valid_gzip_of_a_cut_tar_is_caught_by_the_review_counts(course_dirs, accept_imdb):
    folder, _ = course_dirs
    archive = write_imdb_archive(folder / "aclImdb_v1.tar.gz")
    counts = imdb_folder_counts(archive)
    tar_bytes = bytearray(gzip.decompress(archive.read_bytes()))
    _break_the_tar_header_of("aclImdb/test/pos/0_8.txt")(tar_bytes)
    archive.write_bytes(gzip.compress(bytes(tar_bytes)))
    accept_imdb(archive, counts)
    with pytest.raises(DatasetError, match="aclImdb/test/pos holds 0 reviews instead of 1"):
        data.load_imdb()


@pytest.mark.parametrize("where", ["gzip header", "middle", "gzip trailer"])
def test_one_flipped_bit_anywhere_is_refused_by_the_checksum(course_dirs, accept_imdb, where):
    folder, _ = course_dirs
    archive = accept_imdb(write_imdb_archive(folder / "aclImdb_v1.tar.gz"))
    payload = bytearray(archive.read_bytes())
    payload[{"gzip header": 5, "middle": len(payload) // 2, "gzip trailer": len(payload) - 6}[where]] ^= 0x10
    archive.write_bytes(bytes(payload))
    with pytest.raises(DatasetError) as info:
        data.load_imdb()
    message = str(info.value)
    assert "checksum" in message and "partial or corrupt" in message and "Replace it" in message
    assert archive.read_bytes() == payload


def test_a_valid_archive_with_too_few_reviews_is_refused(course_dirs, accept_imdb):
    folder, _ = course_dirs
    few = [f"review {i}: a good film" for i in range(100)]
    archive = write_imdb_archive(
        folder / "aclImdb_v1.tar.gz", train_pos=few, train_neg=few, test_pos=few, test_neg=few, unsup=few
    )
    accept_imdb(archive, counts=data.IMDB_EXPECTED_REVIEWS)  # the real dataset's counts
    assert data.IMDB_EXPECTED_REVIEWS == {
        "train/pos": 12_500,
        "train/neg": 12_500,
        "test/pos": 12_500,
        "test/neg": 12_500,
        "train/unsup": 50_000,
    }
    for load in (data.load_imdb, data.load_imdb_unlabelled, lambda: data.load_imdb_text("test")):
        with pytest.raises(DatasetError, match="aclImdb/train/pos holds 100 reviews instead of 12,500"):
            load()


def test_an_archive_replaced_by_an_older_copy_is_not_answered_from_the_stale_cache(course_dirs, accept_imdb, tmp_path):
    folder, _ = course_dirs
    archive = accept_imdb(write_imdb_archive(folder / "aclImdb_v1.tar.gz"))
    data.load_imdb()
    # Same review counts, other words, an older time: only the archive's checksum tells them apart.
    replacement = accept_imdb(write_imdb_archive(tmp_path / "other.tar.gz", test_neg=["film film a"]))
    past = time.time() - 3600
    os.utime(replacement, (past, past))
    shutil.copy2(replacement, archive)  # cp -p
    assert archive.stat().st_mtime < min(p.stat().st_mtime for p in course_dirs[1].glob("*.npz"))
    _, (x_test, y_test) = data.load_imdb()
    assert dict(zip(y_test.tolist(), x_test))[0] == [1, FILM, FILM, A]


def test_an_archive_changed_in_place_with_its_old_time_is_checked_again(imdb_archive):
    data.load_imdb()
    stat = imdb_archive.stat()
    time.sleep(0.05)  # let the file's ctime, which no tool can set back, move on
    payload = bytearray(imdb_archive.read_bytes())
    payload[len(payload) // 2] ^= 0x01
    imdb_archive.write_bytes(bytes(payload))
    os.utime(imdb_archive, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert imdb_archive.stat().st_size == stat.st_size
    with pytest.raises(DatasetError, match="checksum"):
        data.load_imdb()


def test_the_checksum_is_computed_once_per_file_and_remembered(imdb_archive, course_dirs, monkeypatch):
    hashed = []
    sha256_of = data.sha256_of
    monkeypatch.setattr(data, "sha256_of", lambda path: hashed.append(path) or sha256_of(path))
    data.load_imdb()
    data.load_imdb_unlabelled()
    data.load_imdb_text("test")
    monkeypatch.setattr(data, "_verified", {})  # as in a new process: only the cache folder remembers
    data.load_imdb()
    assert hashed == [imdb_archive]
    assert (course_dirs[1] / "verified_checksums.json").is_file()


def _no_network(*args, **kwargs):
    raise urllib.error.URLError("no network")


def _as_lists(*arrays):
    return [[list(map(list, x)) if x.dtype == object else x.tolist() for x in group] for group in arrays]


def test_complete_processed_caches_are_used_when_the_archive_is_gone(imdb_archive, course_dirs, monkeypatch):
    (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=6)
    unlabelled = data.load_imdb_unlabelled()
    texts = data.load_imdb_text("unsup")
    imdb_archive.unlink()
    monkeypatch.setattr(data.urllib.request, "urlopen", _no_network)
    (x_train2, y_train2), (x_test2, y_test2) = data.load_imdb(num_words=6)
    assert _as_lists((x_train, y_train, x_test, y_test)) == _as_lists((x_train2, y_train2, x_test2, y_test2))
    assert data.load_imdb_unlabelled().tolist() == unlabelled.tolist()
    assert data.load_imdb_text("unsup")[0] == texts[0]
    assert data.encode_review("good film") == [1, GOOD, FILM]
    # Without the decoded text, the raw reviews need the archive again.
    (course_dirs[1] / "imdb_text_v1.npz").unlink()
    assert len(data.load_imdb()[0][0]) == 4
    with pytest.raises(DatasetError, match="was not found"):
        data.load_imdb_text("train")


# --------------------------------------------------------------------------- argument values


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: data.load_imdb(maxlen=0), "maxlen"),
        (lambda: data.load_imdb(maxlen=-1), "maxlen"),
        (lambda: data.load_imdb(max_samples=-5), "max_samples"),
        (lambda: data.load_imdb(max_samples=2.5), "max_samples"),
        (lambda: data.load_imdb(start_char=None), "start_char"),
        (lambda: data.load_imdb(start_char=4), "start_char"),  # the index of the most frequent word
        (lambda: data.load_imdb(oov_char=None), "oov_char"),
        (lambda: data.load_imdb(oov_char=4), "oov_char"),
        (lambda: data.load_imdb(index_from=-1), "index_from"),
        (lambda: data.load_imdb(num_words=0), "num_words"),
        (lambda: data.load_imdb(num_words="10000"), "num_words"),
        (lambda: data.load_imdb(seed=-1), "seed"),
        (lambda: data.load_imdb(seed=2**32), "seed"),
        (lambda: data.load_imdb(seed=None), "seed"),
        (lambda: data.load_imdb_unlabelled(max_samples=-5), "max_samples"),
        (lambda: data.load_imdb_unlabelled(start_char=None), "start_char"),
        (lambda: data.load_imdb_unlabelled(oov_char=7), "oov_char"),
        (lambda: data.load_imdb_unlabelled(num_words=0), "num_words"),
        (lambda: data.load_imdb_unlabelled(seed=2**32), "seed"),
        (lambda: data.encode_review("good film", num_words=0), "num_words"),
        (lambda: data.encode_review("good film", num_words=4), "num_words"),
        (lambda: data.encode_review("good film", start_char=None), "start_char"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_argument_values_that_would_empty_or_corrupt_the_data_are_refused(imdb_archive, call, argument):
    with pytest.raises(ValueError, match=rf"^{argument} must be .*, not "):
        call()


def test_a_maxlen_that_keeps_no_review_is_refused_as_keras_does(imdb_archive):
    with pytest.raises(ValueError, match="maxlen=1 keeps no review of the train split: the shortest has 4"):
        data.load_imdb(maxlen=1)
    assert len(data.load_imdb(maxlen=5)[0][0]) == 3  # some reviews kept: fine


def test_every_seed_up_to_2_to_the_32_works(imdb_archive):
    for seed in (0, 2**31, 2**32 - 1):
        (x_train, _), (x_test, _) = data.load_imdb(seed=seed)
        assert len(x_train) == 4 and len(x_test) == 2
        assert len(data.load_imdb_unlabelled(seed=seed)) == 1
    with pytest.raises(TypeError, match="text must be a str"):
        data.encode_review(None)


# --------------------------------------------------------------------------- cache folders that cannot be written


@pytest.fixture(params=["a file", "inside a file"])
def uncreatable_cache(request, course_dirs, tmp_path, monkeypatch):
    """A cache folder that cannot be created: the path is a file, or lies inside one."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    cache = blocker if request.param == "a file" else blocker / "cache"
    monkeypatch.setenv("LSTM_COURSE_CACHE", str(cache))
    return cache


def test_loaders_that_need_not_write_ignore_an_uncreatable_cache(uncreatable_cache, course_dirs):
    folder, _ = course_dirs
    (folder / "fra.txt").write_text("Go.\tVa !\n", encoding="utf-8")
    (folder / "ner_dataset.csv").write_text("Sentence #,Word,POS,Tag\nSentence: 1,Paris,NNP,B-geo\n")
    assert data.load_fra_eng() == (["Go."], ["Va !"])
    assert data.load_ner() == ([["Paris"]], [["B-geo"]])


def test_imdb_loads_without_a_cache_and_says_why_it_is_slow(uncreatable_cache, course_dirs, accept_imdb):
    folder, _ = course_dirs
    accept_imdb(write_imdb_archive(folder / "aclImdb_v1.tar.gz"))
    for _ in range(2):
        with pytest.warns(data.DatasetWarning, match="cannot be written.*LSTM_COURSE_CACHE"):
            (x_train, _), _ = data.load_imdb()
        assert len(x_train) == 4
    assert uncreatable_cache.is_file() or not uncreatable_cache.exists()


def test_a_download_into_an_uncreatable_cache_says_what_to_do(uncreatable_cache, monkeypatch):
    monkeypatch.setattr(data.urllib.request, "urlopen", _no_network)
    with pytest.raises(DatasetError) as info:
        data.load_fra_eng()
    message = str(info.value)
    assert f"the cache folder {uncreatable_cache} cannot be written" in message
    assert "Set LSTM_COURSE_CACHE to a folder you can write to" in message and "LSTM_COURSE_DATA" in message


def test_an_unwritable_cache_folder_is_not_a_raw_permission_error(imdb_archive, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(data.tempfile, "mkstemp", denied)
    monkeypatch.setattr(data.tempfile, "TemporaryFile", denied)
    with pytest.warns(data.DatasetWarning, match="PermissionError: Permission denied"):
        (x_train, _), _ = data.load_imdb()
    assert len(x_train) == 4
    monkeypatch.setattr(data.urllib.request, "urlopen", _no_network)
    for load in (data.load_fra_eng, data.load_imdb):
        imdb_archive.unlink(missing_ok=True)
        with pytest.raises(DatasetError, match=r"cannot be written .PermissionError"):
            load()


def test_leftovers_of_killed_loads_are_removed_but_not_files_being_written(imdb_archive, course_dirs):
    _, cache = course_dirs
    cache.mkdir()
    leftovers = [
        cache / name
        for name in (
            "imdb_tokens_v2.npz.k2j3h4g5.partial",
            "aclImdb_v1.tar.gz.ab_d1234.partial",
            "verified_checksums.json.zzzzzzzz.partial",
            # names that earlier versions of the loader gave their temporary files
            "imdb_text_v1x8k2m1q9.npz",
            "aclImdb_v1.tar.gzq1w2e3r4.part",
            "fra.txt_7a8b9c0.tmp",
        )
    ]
    kept = [cache / name for name in ("notes.txt.abcdefgh.partial", "imdb_tokens_v2.npz.backup", "fra.txt")]
    for path in leftovers + kept:
        path.write_bytes(b"x" * 1000)
        os.utime(path, (time.time() - 3600,) * 2)
    fresh = cache / "imdb_text_v1.npz.qqqqqqqq.partial"  # another process is writing it right now
    fresh.write_bytes(b"x")
    data.load_imdb()
    assert not [p for p in leftovers if p.exists()]
    assert all(p.exists() for p in kept + [fresh])


@pytest.mark.skipif(sys.platform == "win32", reason="the lock test needs fcntl")
def test_a_load_killed_while_writing_leaves_a_file_that_the_next_load_removes(course_dirs):
    _, cache = course_dirs
    cache.mkdir()
    writer = (
        "import importlib.util, sys, time\n"
        f"spec = importlib.util.spec_from_file_location('course_data', {str(Path(data.__file__))!r})\n"
        "data = importlib.util.module_from_spec(spec); sys.modules['course_data'] = data\n"
        "spec.loader.exec_module(data)\n"
        "def write(f):\n"
        "    f.write(b'x' * 1_000_000); f.flush(); print('writing', flush=True); time.sleep(60)\n"
        f"data._atomic_write(data.Path({str(cache / 'imdb_tokens_v2.npz')!r}), write)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "writing\n"
        (partial,) = cache.glob("imdb_tokens_v2.npz.*.partial")
        os.utime(partial, (time.time() - 3600,) * 2)
        assert data.remove_stale_partials(cache) == [], "a file whose writer is alive stays"
    finally:
        process.kill()
        process.wait(timeout=30)
    assert partial.stat().st_size == 1_000_000, "a killed load leaves its partial file"
    assert data.remove_stale_partials(cache) == [partial] and not partial.exists()


# --------------------------------------------------------------------------- downloads that fail


def test_the_download_error_names_every_place_searched(course_dirs, monkeypatch):
    folder, cache = course_dirs  # LSTM_COURSE_DATA is an empty folder
    monkeypatch.setattr(data.urllib.request, "urlopen", _no_network)
    for load in (data.load_imdb, data.load_fra_eng):
        with pytest.raises(DatasetError) as info:
            load()
        message = str(info.value)
        assert f"{folder} (LSTM_COURSE_DATA)" in message and f"{cache} (the cache folder" in message
        assert "Could not download" in message and "no network" in message


@pytest.fixture
def silent_server(monkeypatch):
    """The URL of a server on 127.0.0.1 that accepts connections and never answers.

    It stops by itself after 30 seconds at most, and when the test ends.
    """
    for variable in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    stop = threading.Event()

    def serve():
        connections, deadline = [], time.monotonic() + 30
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                connections.append(server.accept()[0])  # accepted, never answered
            except OSError:
                continue
        for connection in connections:
            connection.close()
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/aclImdb_v1.tar.gz"
    stop.set()
    thread.join(timeout=5)


def test_a_server_that_never_answers_is_reported_soon(course_dirs, silent_server, monkeypatch, capsys):
    spec = data.DATASETS["imdb"]
    monkeypatch.setitem(
        data.DATASETS, "imdb", data.RemoteFile(spec.filename, silent_server, spec.sha256, manual=spec.manual)
    )
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT_S", 1)
    shown_before_connecting = []
    urlopen = data.urllib.request.urlopen

    def watched_urlopen(*args, **kwargs):
        shown_before_connecting.append(capsys.readouterr().out)
        return urlopen(*args, **kwargs)

    monkeypatch.setattr(data.urllib.request, "urlopen", watched_urlopen)
    started = time.monotonic()
    with pytest.raises(DatasetError) as info:
        data.load_imdb()
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert "the server 127.0.0.1" in message and "did not answer within 1 s" in message
    assert "LSTM_COURSE_DATA" in message
    assert f"Downloading it from {silent_server}" in shown_before_connecting[0]
    assert list(course_dirs[1].iterdir()) == [], "no partial file is left behind"
