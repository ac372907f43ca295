"""Dataset loaders: a local data folder first, the public source otherwise, a cache always.

Where the raw files are looked for, in order:

1. the folder named by ``LSTM_COURSE_DATA`` (local copies, for example on a machine
   without internet; the folder may be read-only),
2. the cache folder, ``LSTM_COURSE_CACHE`` or ``~/.cache/lstm_course``, where downloads go.

If neither has the file, it is downloaded from its public source (with a progress bar),
its checksum is verified, and it is kept in the cache folder. Processed forms (token ids,
decoded text) are cached beside it, so a second load takes about a second.

IMDB follows the conventions of ``keras.datasets.imdb.load_data``: reviews are lists of
word indices where 0 is padding, 1 marks the start, 2 is an out-of-vocabulary word, and
words are ranked by frequency from ``index_from + 1`` = 4 (so ``num_words=10_000`` keeps the
9,996 most frequent words). Unlike Keras's copy, the vocabulary here is counted on the
training reviews only, so nothing about the test set leaks into it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_ENV = "LSTM_COURSE_DATA"
CACHE_ENV = "LSTM_COURSE_CACHE"


class DatasetError(RuntimeError):
    """A dataset is missing, partial or corrupt. The message says what to do."""


@dataclass(frozen=True)
class RemoteFile:
    """A raw dataset file and where it comes from."""

    filename: str
    url: str | None
    sha256: tuple[str, ...]  # accepted checksums of the file as downloaded
    member: str | None = None  # the file inside a downloaded zip archive, if any
    manual: str = ""  # how to get it by hand


DATASETS = {
    "imdb": RemoteFile(
        filename="aclImdb_v1.tar.gz",
        url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        sha256=(
            # the archive as published by Stanford
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            # the same reviews without the bag-of-words *.feat files
            "4243c9d62217aa3dc80ffae44cdcdb80e6a9e54667dbd5559b2a6dd1c187fb19",
        ),
        manual="Download https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz "
        "(84 MB, the Large Movie Review Dataset of Maas et al., 2011).",
    ),
    "fra-eng": RemoteFile(
        filename="fra.txt",
        url="https://storage.googleapis.com/download.tensorflow.org/data/fra-eng.zip",
        sha256=(),
        member="fra.txt",
        manual="Download https://storage.googleapis.com/download.tensorflow.org/data/fra-eng.zip "
        "and unzip fra.txt from it (English-French pairs from Tatoeba.org, CC-BY 2.0 FR).",
    ),
    "ner": RemoteFile(
        filename="ner_dataset.csv",
        url=None,
        sha256=(),
        manual="Sign in to Kaggle, download the dataset 'Annotated Corpus for Named Entity "
        "Recognition' (abhinavwalia95/entity-annotated-corpus) and unzip ner_dataset.csv.",
    ),
}


# --------------------------------------------------------------------------- locations


def data_dir() -> Path | None:
    """The local data folder named by ``LSTM_COURSE_DATA`` (as an absolute path), or None if unset."""
    value = os.environ.get(DATA_ENV, "").strip()
    if not value:
        return None
    given = Path(value).expanduser()
    path = Path(os.path.abspath(given))
    if not path.is_dir():
        relative = "" if given.is_absolute() else (
            f" A relative path is looked up from the working folder, {Path(os.path.abspath('.'))}, "
            f"which for a notebook is the notebook's own folder: give an absolute path (the "
            f"Makefile makes it absolute for `make site` and `make test`)."
        )
        raise DatasetError(
            f"{DATA_ENV}={value!r} is not a folder: looked for {path}.{relative} Point it at the "
            f"folder that holds the dataset files (for example ../shared/datasets), or unset it "
            f"to download them."
        )
    return path


def cache_dir() -> Path:
    """Where downloads and processed forms are kept (created on first use)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    path = Path(value).expanduser() if value else Path.home() / ".cache" / "lstm_course"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _how_to_get(name: str) -> str:
    spec = DATASETS[name]
    return (
        f"{spec.manual} Put {spec.filename} in a folder and set {DATA_ENV} to that folder "
        f"(or into {cache_dir()})."
    )


def dataset_file(name: str, *, download: bool = True) -> Path:
    """Path of a dataset's raw file: local data folder, then cache, then a download."""
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    spec = DATASETS[name]
    folders = [d for d in (data_dir(), cache_dir()) if d is not None]
    for folder in folders:
        candidate = folder / spec.filename
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(f) for f in folders)
    if spec.url is None:
        raise DatasetError(
            f"{spec.filename} was not found in {searched} and cannot be downloaded "
            f"automatically. {_how_to_get(name)}"
        )
    if not download:
        raise DatasetError(f"{spec.filename} was not found in {searched}. {_how_to_get(name)}")
    return _download(name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(name: str) -> Path:
    """Download to a temporary file, verify it, then move it into the cache."""
    from tqdm.auto import tqdm

    spec = DATASETS[name]
    target = cache_dir() / spec.filename
    tmp = Path(tempfile.mkstemp(dir=cache_dir(), prefix=spec.filename, suffix=".part")[1])
    try:
        try:
            with urllib.request.urlopen(spec.url, timeout=60) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                with open(tmp, "wb") as out, tqdm(
                    total=total, unit="B", unit_scale=True, desc=f"Downloading {spec.filename}"
                ) as bar:
                    for block in iter(lambda: response.read(1 << 20), b""):
                        out.write(block)
                        bar.update(len(block))
        except (urllib.error.URLError, OSError) as exc:
            raise DatasetError(
                f"Could not download {spec.url} ({exc}). If this machine is offline, "
                f"{_how_to_get(name)}"
            ) from exc
        if total is not None and tmp.stat().st_size != total:
            raise DatasetError(
                f"The download of {spec.url} stopped early ({tmp.stat().st_size:,} of "
                f"{total:,} bytes). Run the cell again to retry."
            )
        if spec.sha256 and sha256_of(tmp) not in spec.sha256:
            raise DatasetError(
                f"The file downloaded from {spec.url} does not have the expected checksum "
                f"(a corrupt or changed download). Run the cell again to retry; if it keeps "
                f"failing, {_how_to_get(name)}"
            )
        if spec.member is not None:
            _extract_member(tmp, spec.member, target)
        else:
            os.chmod(tmp, 0o644)  # mkstemp makes files private; a dataset is not a secret
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _extract_member(archive: Path, member: str, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if n.split("/")[-1] == member]
            if not names:
                raise DatasetError(f"{archive.name} does not contain {member}.")
            with zf.open(names[0]) as src:
                _atomic_write_bytes(target, src.read())
    except zipfile.BadZipFile as exc:
        raise DatasetError(f"The downloaded archive is not a valid zip file: {exc}") from exc


def _atomic_write_bytes(target: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(payload)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def _atomic_savez(target: Path, **arrays) -> None:
    """Write an .npz so that a reader never sees half a file (two notebooks may race)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.stem, suffix=".npz")
    os.close(fd)
    try:
        np.savez_compressed(tmp, **arrays)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _load_npz(path: Path) -> dict[str, np.ndarray] | None:
    """A cached processed form, or None if it is unreadable (it is then rebuilt)."""
    try:
        with np.load(path) as npz:
            return dict(npz)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        return None


# --------------------------------------------------------------------------- GMB named entities

NER_COLUMNS = ("Sentence #", "Word", "POS", "Tag")
NER_ENTITY_TYPES = ("geo", "org", "per", "gpe", "tim", "art", "eve", "nat")
_NER_TAG = re.compile(rf"O|[BI]-(?:{'|'.join(NER_ENTITY_TYPES)})")


def _ner_corrupt(path: Path, problem: str) -> DatasetError:
    return DatasetError(
        f"{path} is not a valid ner_dataset.csv ({problem}): the file is corrupt, truncated or "
        f"a different file. Replace it with a fresh copy of ner_dataset.csv from Kaggle. "
        f"{_how_to_get('ner')}"
    )


def _read_ner_text(path: Path) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped) if it decodes as such, else latin-1."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _ner_corrupt(path, f"it cannot be read: {exc.__class__.__name__}: {exc}") from exc
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _ner_corrupt(path, f"it starts with a UTF-8 byte-order mark but byte {exc.start + 3:,} "
                                     f"is not UTF-8") from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # Kaggle's release: latin-1 bytes are never invalid


def load_ner() -> tuple[list[list[str]], list[list[str]]]:
    """The GMB named-entity corpus (Kaggle's ner_dataset.csv) as sentences of words and tags.

    Returns ``(sentences, tags)``, two parallel lists: ``sentences[i]`` is the list of words of
    sentence ``i`` and ``tags[i]`` its BIO tags (``"O"``, ``"B-geo"``, ``"I-per"``, ...), one per
    word, in the file's order. The file has one row per token with the columns
    ``Sentence #, Word, POS, Tag``; ``Sentence #`` is filled only on a sentence's first token,
    so a new sentence starts at each non-empty value (what pandas users do with ``ffill``).
    The part-of-speech column is not returned. The file is read as UTF-8 (a byte-order mark is
    skipped) when it is valid UTF-8, otherwise as latin-1, the encoding of the full Kaggle release.
    Every tag must be ``O`` or ``B-``/``I-`` followed by one of :data:`NER_ENTITY_TYPES`.
    Parsing takes well under a second per 200,000 rows, so nothing is cached.

    The file cannot be downloaded automatically (Kaggle needs an account): put it in the folder
    named by ``LSTM_COURSE_DATA`` or in the cache folder. A missing file or one with the wrong
    layout raises :class:`DatasetError` with instructions.
    """
    path = dataset_file("ner", download=False)
    sentences: list[list[str]] = []
    tags: list[list[str]] = []
    # newline="": only \r, \n and \r\n end a row, and a quoted field keeps its line breaks.
    rows = csv.reader(io.StringIO(_read_ner_text(path), newline=""))
    header = next(rows, None)
    if header is None or tuple(h.strip().lstrip("\ufeff") for h in header) != NER_COLUMNS:
        raise _ner_corrupt(path, f"expected the header {','.join(NER_COLUMNS)}, "
                                 f"found {','.join(header) if header else 'an empty file'}")
    for line, row in enumerate(rows, start=2):
        if not row:
            continue  # a blank line, e.g. at the end of the file
        if len(row) != len(NER_COLUMNS):
            raise _ner_corrupt(path, f"line {line} has {len(row)} columns instead of 4")
        sentence_id, word, _pos, tag = row
        if not _NER_TAG.fullmatch(tag):
            raise _ner_corrupt(path, f"line {line} has the tag {tag!r}, not O, B-x or I-x with x one "
                                     f"of {', '.join(NER_ENTITY_TYPES)}")
        if sentence_id.strip():
            sentences.append([])
            tags.append([])
        elif not sentences:
            raise _ner_corrupt(path, f"line {line}, the first token, has no 'Sentence #'")
        sentences[-1].append(word)
        tags[-1].append(tag)
    if not sentences:
        raise _ner_corrupt(path, "it has a header but no tokens")
    return sentences, tags


# --------------------------------------------------------------------------- IMDB text

IMDB_SPLITS = ("train", "test", "unsup")
_IMDB_REVIEW = re.compile(r"aclImdb/(train|test)/(pos|neg|unsup)/(\d+)_(\d+)\.txt$")
_IMDB_TEXT_CACHE = "imdb_text_v1.npz"
# Bump the version in these names whenever the processing changes, so old caches are not reused.
_IMDB_TOKENS_CACHE = "imdb_tokens_v2.npz"
_IMDB_UNLABELLED_CACHE = "imdb_unlabelled_tokens_v1.npz"
IMDB_EXPECTED_REVIEWS = {"train": 25_000, "test": 25_000, "unsup": 50_000}


def _read_imdb_archive(archive: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Every review in the archive as (id, label, text), label 1 positive, 0 negative, -1 none."""
    reviews: dict[str, list[tuple[int, int, str]]] = {s: [] for s in IMDB_SPLITS}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                match = _IMDB_REVIEW.search(member.name)
                if not (member.isfile() and match):
                    continue
                split, polarity, review_id, _rating = match.groups()
                split = "unsup" if polarity == "unsup" else split
                label = {"pos": 1, "neg": 0, "unsup": -1}[polarity]
                text = tar.extractfile(member).read().decode("utf-8")
                reviews[split].append((int(review_id), label, text))
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError) as exc:
        raise DatasetError(
            f"{archive} is partial or corrupt ({exc.__class__.__name__}: {exc}). "
            f"Delete it (if it is a download in the cache) and load again, or replace it with "
            f"a complete copy. {_how_to_get('imdb')}"
        ) from exc
    return reviews


def _fresh_imdb_cache(name: str) -> dict[str, np.ndarray] | None:
    """The arrays of the processed cache file ``name``, if it is readable and newer than the archive."""
    cached = cache_dir() / name
    if cached.is_file() and cached.stat().st_mtime >= dataset_file("imdb").stat().st_mtime:
        return _load_npz(cached)
    return None


def _imdb_text_cache() -> dict[str, np.ndarray]:
    """Load (building once) the decoded reviews of every split."""
    arrays = _fresh_imdb_cache(_IMDB_TEXT_CACHE)
    if arrays is not None:
        return arrays
    archive = dataset_file("imdb")
    reviews = _read_imdb_archive(archive)
    if len(reviews["train"]) == 0 or len(reviews["test"]) == 0:
        raise DatasetError(
            f"{archive} holds no labelled reviews under aclImdb/train and aclImdb/test: it is "
            f"not the Large Movie Review Dataset. {_how_to_get('imdb')}"
        )
    arrays = {}
    for split, items in reviews.items():
        # Sorting by label then id makes the order independent of the archive's layout.
        items.sort(key=lambda item: (-item[1], item[0]))
        encoded = [text.encode("utf-8") for _, _, text in items]
        arrays[f"{split}_bytes"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays[f"{split}_offsets"] = np.cumsum([0] + [len(b) for b in encoded]).astype(np.int64)
        arrays[f"{split}_labels"] = np.array([label for _, label, _ in items], dtype=np.int8)
    _atomic_savez(cache_dir() / _IMDB_TEXT_CACHE, **arrays)
    return arrays


def _split_texts(arrays: dict[str, np.ndarray], split: str) -> list[str]:
    raw = arrays[f"{split}_bytes"].tobytes()
    offsets = arrays[f"{split}_offsets"]
    return [raw[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])]


def load_imdb_text(split: str = "train") -> tuple[list[str], np.ndarray]:
    """Raw IMDB reviews of one split and their labels (1 positive, 0 negative, -1 unlabelled).

    ``split`` is ``"train"``, ``"test"`` (25,000 labelled reviews each, half positive) or
    ``"unsup"`` (50,000 unlabelled reviews, useful for language modelling).
    """
    if split not in IMDB_SPLITS:
        raise ValueError(f"split must be one of {IMDB_SPLITS}, not {split!r}")
    arrays = _imdb_text_cache()
    return _split_texts(arrays, split), arrays[f"{split}_labels"].astype(np.int64)


# --------------------------------------------------------------------------- IMDB ids

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-case words of a review: HTML line breaks dropped, punctuation split off."""
    return _TOKEN.findall(text.replace("<br />", " ").lower())


def _imdb_tokens_cache() -> dict[str, np.ndarray]:
    """Every review as frequency ranks (0 = most frequent word), vocabulary from train only."""
    arrays = _fresh_imdb_cache(_IMDB_TOKENS_CACHE)
    if arrays is not None:
        return arrays
    arrays = _imdb_text_cache()
    tokenized = {s: [tokenize(t) for t in _split_texts(arrays, s)] for s in ("train", "test")}
    counts = Counter(word for review in tokenized["train"] for word in review)
    # Ties are broken alphabetically so that the ranking is reproducible.
    vocabulary = sorted(counts, key=lambda w: (-counts[w], w))
    rank = {word: i for i, word in enumerate(vocabulary)}
    out = {
        "vocabulary": np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8),
        "vocabulary_size": np.array(len(vocabulary)),
    }
    for split, reviews in tokenized.items():
        out[f"{split}_ids"], out[f"{split}_offsets"] = _ranks(reviews, rank)
        out[f"{split}_labels"] = arrays[f"{split}_labels"]
    _atomic_savez(cache_dir() / _IMDB_TOKENS_CACHE, **out)
    return out


def _ranks(reviews: list[list[str]], rank: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Tokenised reviews as one array of frequency ranks and the offsets where each review starts.

    Words never seen in training get rank ``len(rank)``: out of vocabulary for any ``num_words``.
    """
    ids = [rank.get(w, len(rank)) for review in reviews for w in review]
    offsets = np.cumsum([0] + [len(r) for r in reviews]).astype(np.int64)
    return np.array(ids, dtype=np.int32), offsets


def _imdb_unlabelled_cache() -> dict[str, np.ndarray]:
    """The unlabelled reviews as frequency ranks of the training vocabulary (built once)."""
    arrays = _fresh_imdb_cache(_IMDB_UNLABELLED_CACHE)
    if arrays is not None:
        return arrays
    rank = {word: i - 1 for word, i in imdb_word_index().items()}
    reviews = [tokenize(text) for text in _split_texts(_imdb_text_cache(), "unsup")]
    ids, offsets = _ranks(reviews, rank)
    _atomic_savez(cache_dir() / _IMDB_UNLABELLED_CACHE, unsup_ids=ids, unsup_offsets=offsets)
    return {"unsup_ids": ids, "unsup_offsets": offsets}


def _as_sequences(ranks: np.ndarray, offsets: np.ndarray, vocabulary_size: int, num_words: int | None,
                  start_char: int, oov_char: int, index_from: int) -> list[list[int]]:
    """Frequency ranks as Keras-style word indices, one list per review, each after ``start_char``."""
    if num_words is not None and num_words <= index_from + 1:
        raise ValueError(f"num_words must exceed index_from + 1 = {index_from + 1}")
    ids = ranks.astype(np.int64) + index_from + 1
    # Words outside the kept vocabulary (or never seen in training) become oov_char.
    limit = vocabulary_size + index_from + 1
    if num_words is not None:
        limit = min(limit, num_words)
    ids = np.where(ids < limit, ids, oov_char)
    return [[start_char, *ids[a:b].tolist()] for a, b in zip(offsets[:-1], offsets[1:])]


def imdb_word_index() -> dict[str, int]:
    """Word -> frequency rank from 1, like ``keras.datasets.imdb.get_word_index()``."""
    vocabulary = _imdb_tokens_cache()["vocabulary"].tobytes().decode("utf-8").split("\n")
    return {word: i + 1 for i, word in enumerate(vocabulary)}


def load_imdb(
    num_words: int | None = None,
    maxlen: int | None = None,
    *,
    seed: int = 113,
    start_char: int = 1,
    oov_char: int = 2,
    index_from: int = 3,
    max_samples: int | None = None,
):
    """IMDB as word-index sequences, with the signature and conventions of Keras's loader.

    Returns ``(x_train, y_train), (x_test, y_test)`` where each ``x`` is an object array of
    Python lists. ``num_words`` keeps the most frequent words (others become ``oov_char``);
    ``maxlen`` drops longer reviews, as Keras does (truncate with ``pad_sequences`` instead
    if you want to keep them); ``max_samples`` keeps the first reviews of each split after
    shuffling, to size the data for a run profile.
    """
    arrays = _imdb_tokens_cache()
    vocabulary_size = int(arrays["vocabulary_size"])
    result = []
    for split, split_seed in (("train", seed), ("test", seed * 2)):
        sequences = _as_sequences(arrays[f"{split}_ids"], arrays[f"{split}_offsets"], vocabulary_size,
                                  num_words, start_char, oov_char, index_from)
        labels = arrays[f"{split}_labels"].astype(np.int64)
        order = np.random.RandomState(split_seed).permutation(len(sequences))
        x = np.empty(len(sequences), dtype=object)
        x[:] = [sequences[i] for i in order]
        y = labels[order]
        if maxlen is not None:
            keep = np.array([len(s) <= maxlen for s in x], dtype=bool)
            x, y = x[keep], y[keep]
        if max_samples is not None:
            x, y = x[:max_samples], y[:max_samples]
        result.append((x, y))
    return tuple(result)


def load_imdb_unlabelled(num_words: int | None = None, *, seed: int = 113, start_char: int = 1,
                         oov_char: int = 2, index_from: int = 3, max_samples: int | None = None) -> np.ndarray:
    """The 50,000 unlabelled IMDB reviews as word-index sequences, for pretraining.

    Same vocabulary (counted on the training reviews) and conventions as :func:`load_imdb`, so
    a model can read them and the labelled reviews alike. Returns an object array of Python
    lists, shuffled with ``seed``; ``max_samples`` keeps the first ones, to size a run profile.
    """
    vocabulary_size = int(_imdb_tokens_cache()["vocabulary_size"])
    arrays = _imdb_unlabelled_cache()
    sequences = _as_sequences(arrays["unsup_ids"], arrays["unsup_offsets"], vocabulary_size, num_words,
                              start_char, oov_char, index_from)
    order = np.random.RandomState(seed * 3).permutation(len(sequences))[:max_samples]
    out = np.empty(len(order), dtype=object)
    out[:] = [sequences[i] for i in order]
    return out


def encode_review(text: str, num_words: int | None = None, *, start_char: int = 1,
                  oov_char: int = 2, index_from: int = 3) -> list[int]:
    """A new review as the word indices that :func:`load_imdb` would give it."""
    index = imdb_word_index()
    ids = [start_char]
    for word in tokenize(text):
        i = index.get(word)
        i = oov_char if i is None else i + index_from
        ids.append(oov_char if num_words is not None and i >= num_words else i)
    return ids


def decode_review(ids, *, index_from: int = 3) -> str:
    """Word indices back to words; padding is dropped, start and unknown shown as markers."""
    words = {i + index_from: w for w, i in imdb_word_index().items()}
    special = {1: "<start>", 2: "<unk>", 3: "<unused>"}
    return " ".join(special.get(i) or words.get(i, "<unk>") for i in ids if i != 0)


# --------------------------------------------------------------------------- English-French pairs


def _read_fra_pairs(path: Path) -> list[tuple[str, str]]:
    """(english, french) for every line of ``fra.txt`` that holds a pair.

    A line is ``english<TAB>french`` (older releases) or ``english<TAB>french<TAB>attribution``
    (newer ones); the attribution is dropped. Blank lines and lines without a non-empty
    sentence on both sides of a tab are skipped.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: a byte-order mark is not text
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(
            f"{path} cannot be read as UTF-8 text ({exc.__class__.__name__}: {exc}): it is "
            f"corrupt. Delete it (if it is a download in the cache) and load again, or replace "
            f"it with a complete copy. {_how_to_get('fra-eng')}"
        ) from exc
    pairs = []
    for line in text.split("\n"):  # not splitlines(): it also breaks at U+2028 and friends
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        english, french = fields[0].strip(), fields[1].strip()
        if english and french:
            pairs.append((english, french))
    if not pairs:
        raise DatasetError(
            f"{path} holds no tab-separated English-French pairs: it is corrupt or not the "
            f"Tatoeba fra-eng file. Delete it (if it is a download in the cache) and load "
            f"again, or replace it with a complete copy. {_how_to_get('fra-eng')}"
        )
    return pairs


def load_fra_eng(num_pairs: int | None = None) -> tuple[list[str], list[str]]:
    """English-French sentence pairs from Tatoeba (``fra.txt`` of the Anki ``fra-eng`` file).

    Returns ``(english, french)``, two lists of the same length where ``french[i]`` translates
    ``english[i]``, in the order of the file (shortest sentences first). An English sentence
    with several translations appears once per translation. ``num_pairs`` keeps the first
    pairs. Both the two-column release and the newer three-column one (with an attribution
    column) are read; the text is returned as in the file, typographic spaces included (French
    puts a narrow no-break space, U+202F, before ``!`` and ``?``).
    """
    if num_pairs is not None and num_pairs < 0:
        raise ValueError(f"num_pairs must be None or >= 0, not {num_pairs}")
    pairs = _read_fra_pairs(dataset_file("fra-eng"))
    if num_pairs is not None:
        pairs = pairs[:num_pairs]
    return [e for e, _ in pairs], [f for _, f in pairs]
