"""Dataset loaders: a local data folder first, the public source otherwise, a cache always.

Where the raw files are looked for, in order:

1. the folder named by ``LSTM_COURSE_DATA`` (local copies, for example on a machine
   without internet; the folder may be read-only, and nothing in it is ever changed),
2. the cache folder, ``LSTM_COURSE_CACHE`` or ``~/.cache/lstm_course``, where downloads go.

If neither has the file, it is downloaded from its public source (with a progress bar),
its checksum is verified, and it is kept in the cache folder. Processed forms (token ids,
decoded text) are cached beside it, so a second load takes about a second.

A damaged or partial dataset never loads silently. The IMDB archive must have a published
sha256 checksum (checked once per file and remembered in the cache folder, keyed on the file's
path, size and times), its gzip stream is read to the end so that its CRC is checked, and
every split must hold its expected number of reviews. Processed forms are keyed on the
archive's size and checksum, so a replaced archive is never answered from a stale cache;
with the archive gone, complete processed forms are still used. A cache folder that cannot
be written only costs speed (with a warning), except for downloads, which need it.

IMDB follows the conventions of ``keras.datasets.imdb.load_data``: reviews are lists of
word indices where 0 is padding, 1 marks the start, 2 is an out-of-vocabulary word, and
words are ranked by frequency from ``index_from + 1`` = 4 (so ``num_words=10_000`` keeps the
9,996 most frequent words). Unlike Keras's copy, the vocabulary here is counted on the
training reviews only, so nothing about the test set leaks into it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import fcntl
except ImportError:  # Windows: leftovers are then recognised by their age alone
    fcntl = None

DATA_ENV = "LSTM_COURSE_DATA"
CACHE_ENV = "LSTM_COURSE_CACHE"
# Seconds a download waits for the server (to connect, and for each block) before giving up.
DOWNLOAD_TIMEOUT_S = 20
# A temporary file untouched for this long, and not locked by a writer, was left by a killed load.
STALE_PARTIAL_S = 600


class DatasetError(RuntimeError):
    """A dataset is missing, partial or corrupt. The message says what to do."""


class DatasetWarning(UserWarning):
    """Something costs time but not correctness, e.g. a cache folder that cannot be written."""


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
        relative = (
            ""
            if given.is_absolute()
            else (
                f" A relative path is looked up from the working folder, {Path(os.path.abspath('.'))}, "
                f"which for a notebook is the notebook's own folder: give an absolute path (the "
                f"Makefile makes it absolute for `make site` and `make test`)."
            )
        )
        raise DatasetError(
            f"{DATA_ENV}={value!r} is not a folder: looked for {path}.{relative} Point it at the "
            f"folder that holds the dataset files (for example ../shared/datasets), or unset it "
            f"to download them."
        )
    return path


def cache_dir() -> Path:
    """Where downloads and processed forms are kept (created only when something is written)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    path = Path(value).expanduser() if value else Path.home() / ".cache" / "lstm_course"
    return Path(os.path.abspath(path))


def _is_file(path: Path) -> bool:
    """Like ``Path.is_file``, but False for a folder that cannot be read, instead of an error."""
    try:
        return path.is_file()
    except OSError:
        return False


def _how_to_get(name: str) -> str:
    spec = DATASETS[name]
    return f"{spec.manual} Put {spec.filename} in a folder and set {DATA_ENV} to that folder (or into {cache_dir()})."


def _searched_folders() -> list[tuple[Path, str]]:
    folders = [(cache_dir(), f"the cache folder, {CACHE_ENV} or ~/.cache/lstm_course")]
    local = data_dir()
    if local is not None:
        folders.insert(0, (local, DATA_ENV))
    return folders


def _searched(name: str) -> str:
    """Every place where ``name``'s file was looked for, for an error message."""
    places = " and ".join(f"{folder} ({why})" for folder, why in _searched_folders())
    return f"{DATASETS[name].filename} was not found in {places}"


def _local_file(name: str) -> Path | None:
    """The dataset's raw file in the local data folder or the cache, or None."""
    for folder, _ in _searched_folders():
        candidate = folder / DATASETS[name].filename
        if _is_file(candidate):
            return candidate
    return None


def dataset_file(name: str, *, download: bool = True) -> Path:
    """Path of a dataset's raw file: local data folder, then cache, then a download.

    A file with published checksums (the IMDB archive) is verified once: a damaged or different
    file raises :class:`DatasetError`, and is never deleted.
    """
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    spec = DATASETS[name]
    path = _local_file(name)
    if path is None:
        if spec.url is None:
            raise DatasetError(f"{_searched(name)}, and it cannot be downloaded automatically. {_how_to_get(name)}")
        if not download:
            raise DatasetError(f"{_searched(name)}. {_how_to_get(name)}")
        return _download(name)
    if spec.sha256:
        verified_sha256(name, path)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- verified checksums

_VERIFIED_FILE = "verified_checksums.json"
_verified: dict[tuple, str] = {}  # this process's verified files: identity -> sha256


def _identity(path: Path) -> tuple:
    """What must not change for a verified file to stay verified: a copy with an old time (``cp
    -p``) still changes its size or its ctime, which no tool can set back."""
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _recorded_sha256(identity: tuple) -> str | None:
    try:
        record = json.loads((cache_dir() / _VERIFIED_FILE).read_text(encoding="utf-8"))
        size, mtime_ns, ctime_ns, digest = record[identity[0]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return digest if (size, mtime_ns, ctime_ns) == identity[1:] else None


def _remember_verified(identity: tuple, digest: str) -> None:
    """Keep the verified checksum for later processes; without a writable cache only for this one."""
    _verified[identity] = digest
    try:
        path = cache_dir() / _VERIFIED_FILE
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            record = record if isinstance(record, dict) else {}
        except (OSError, ValueError):
            record = {}
        record = {p: entry for p, entry in record.items() if Path(p).exists()}
        record[identity[0]] = [*identity[1:], digest]
        payload = json.dumps(record, indent=1).encode("utf-8")
        _atomic_write(_writable_cache_dir() / _VERIFIED_FILE, lambda f: f.write(payload))
    except OSError:
        pass  # the next process verifies again: slower, never wrong


def verified_sha256(name: str, path: Path) -> str:
    """The sha256 of ``path``, which must be one of the dataset's published checksums.

    The file is read once; the result is remembered (keyed on path, size and times), so later
    loads of the same file do not read it again. A mismatch raises :class:`DatasetError`.
    """
    spec = DATASETS[name]
    identity = _identity(path)
    digest = _verified.get(identity) or _recorded_sha256(identity)
    if digest in spec.sha256:
        _verified[identity] = digest
        return digest
    digest = sha256_of(path)
    if digest not in spec.sha256:
        in_cache = path.parent == cache_dir()
        raise DatasetError(
            f"{path} is partial or corrupt: its sha256 checksum ({digest[:16]}...) matches no "
            f"published copy of the dataset, so it is damaged, cut short or a different file. "
            + (
                "Delete it and load again to download a fresh copy, or replace it with a complete copy. "
                if in_cache
                else "Replace it with a complete copy. "
            )
            + _how_to_get(name)
        )
    _remember_verified(identity, digest)
    return digest


# --------------------------------------------------------------------------- writing to the cache


def _cache_problem(folder: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return (
        f"the cache folder {folder} cannot be written ({exc.__class__.__name__}: {reason}). "
        f"Set {CACHE_ENV} to a folder you can write to (it is created if missing)"
    )


def _writable_cache_dir() -> Path:
    """The cache folder, created if needed; an OSError if that fails. Leftovers are removed."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(folder)
    return folder


def _lock(f) -> None:
    """Mark a temporary file as being written, so that a cleaner leaves it alone."""
    if fcntl is not None:
        # A file system without locks is fine: the file's age protects it.
        with contextlib.suppress(OSError):
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _atomic_write(target: Path, write) -> None:
    """Write ``target`` through ``write(file)`` so that no reader sees half a file (two notebooks
    may race) and a killed writer leaves only a ``.partial`` file that a later load removes."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w+b") as f:
            _lock(f)
            write(f)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; a dataset is not a secret
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _partial_pattern() -> re.Pattern:
    """Names of temporary files that this module writes, and older versions of it wrote."""
    targets = [spec.filename for spec in DATASETS.values()] + [*_IMDB_CACHES, _VERIFIED_FILE]
    stems = [name.removesuffix(".npz") for name in _IMDB_CACHES]
    alternatives = "|".join(map(re.escape, targets))
    legacy = "|".join(map(re.escape, [spec.filename for spec in DATASETS.values()]))
    return re.compile(
        rf"(?:{alternatives})\.[a-z0-9_]{{8}}\.partial"
        rf"|(?:{legacy})[a-z0-9_]{{8}}\.(?:part|tmp)"
        rf"|(?:{'|'.join(map(re.escape, stems))})[a-z0-9_]{{8}}\.npz"
    )


def _being_written(path: Path) -> bool:
    """Whether a live writer holds the lock of a temporary file (False where locks do not exist)."""
    if fcntl is None:
        return False
    try:
        with open(path, "rb") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return True  # cannot tell: leave it
    return False


def remove_stale_partials(folder: Path, *, older_than: float = STALE_PARTIAL_S) -> list[Path]:
    """Delete the temporary files that killed loads left in ``folder`` (up to ~50 MB each).

    Only files with this module's temporary names are touched, and only those that nobody has
    written to for ``older_than`` seconds and whose writer's lock is free: a load running in
    another process right now keeps its file. Returns the files removed.
    """
    pattern = _partial_pattern()
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        path = Path(entry.path)
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < older_than:
                continue
            if _being_written(path):
                continue
            path.unlink()
            removed.append(path)
        except OSError:
            continue
    return removed


def _save_cache(name: str, **arrays) -> None:
    """Cache processed arrays; if the cache folder cannot be written, warn and go on without."""
    try:
        folder = _writable_cache_dir()
        _atomic_write(folder / name, lambda f: np.savez_compressed(f, **arrays))
    except OSError as exc:
        warnings.warn(
            f"The processed data was not cached: {_cache_problem(cache_dir(), exc)}, so that the "
            f"next load is fast again.",
            DatasetWarning,
            stacklevel=3,
        )


def _load_npz(path: Path) -> dict[str, np.ndarray] | None:
    """A cached processed form, or None if it is unreadable (it is then rebuilt)."""
    try:
        with np.load(path) as npz:
            return dict(npz)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError, zlib.error):
        return None


# --------------------------------------------------------------------------- downloads


def _download(name: str) -> Path:
    """Download into the cache through a temporary file, verify it, then move it into place."""
    spec = DATASETS[name]
    searched = _searched(name)
    try:
        folder = _writable_cache_dir()
    except OSError as exc:
        raise DatasetError(
            f"{searched}, and it cannot be downloaded: {_cache_problem(cache_dir(), exc)}. Or {_how_to_get(name)}"
        ) from exc
    target = folder / spec.filename
    # Said before connecting: a server that never answers must not look like a hung notebook.
    print(
        f"{searched}. Downloading it from {spec.url} (giving up if the server is silent for "
        f"{DOWNLOAD_TIMEOUT_S} s) ...",
        flush=True,
    )
    try:
        if spec.member is None:
            digest = []
            _atomic_write(target, lambda f: digest.append(_fetch(name, f, searched)))
            if spec.sha256:
                _remember_verified(_identity(target), digest[0])
        else:
            with tempfile.TemporaryFile(dir=folder) as archive:
                _fetch(name, archive, searched)
                archive.seek(0)
                _atomic_write(target, lambda f: _extract_member(archive, spec.member, f))
    except OSError as exc:  # the cache folder, while writing (a full disk, say)
        raise DatasetError(
            f"{searched}, and it cannot be downloaded: {_cache_problem(folder, exc)}. Or {_how_to_get(name)}"
        ) from exc
    return target


def _fetch(name: str, out, searched: str) -> str:
    """Stream the dataset's URL into the open file ``out``; check its length and checksum."""
    from tqdm.auto import tqdm

    spec = DATASETS[name]
    host = urllib.parse.urlsplit(spec.url).netloc or spec.url
    offline = f"If this machine is offline, {_how_to_get(name)}"
    digest = hashlib.sha256()
    written = 0
    try:
        with urllib.request.urlopen(spec.url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=f"Downloading {spec.filename}") as bar:
                for block in iter(lambda: response.read(1 << 20), b""):
                    out.write(block)
                    digest.update(block)
                    written += len(block)
                    bar.update(len(block))
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            raise DatasetError(
                f"{searched}, and the download from {spec.url} failed: the server {host} did not "
                f"answer within {DOWNLOAD_TIMEOUT_S} s. Check the internet connection and run the "
                f"cell again. {offline}"
            ) from exc
        raise DatasetError(f"{searched}. Could not download {spec.url} ({exc}). {offline}") from exc
    if total is not None and written != total:
        raise DatasetError(
            f"The download of {spec.url} stopped early ({written:,} of {total:,} bytes). Run the cell again to retry."
        )
    if spec.sha256 and digest.hexdigest() not in spec.sha256:
        raise DatasetError(
            f"The file downloaded from {spec.url} does not have the expected checksum "
            f"(a corrupt or changed download). Run the cell again to retry; if it keeps "
            f"failing, {_how_to_get(name)}"
        )
    return digest.hexdigest()


def _extract_member(archive, member: str, out) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if n.split("/")[-1] == member]
            if not names:
                raise DatasetError(f"The downloaded archive does not contain {member}.")
            with zf.open(names[0]) as src:
                shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DatasetError(
            f"The downloaded archive is not a valid zip file: {exc}. Run the cell again to retry."
        ) from exc


# --------------------------------------------------------------------------- argument checks


def _check_int(name: str, value, low: int, high: int | None = None, *, none: str = "", why: str = "") -> None:
    """ValueError unless ``value`` is an integer in [low, high] (or None, if ``none`` says what it means)."""
    if value is None and none:
        return
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if is_int and value >= low and (high is None or value <= high):
        return
    allowed = f"an integer from {low:,} to {high:,}" if high is not None else f"an integer of at least {low:,}"
    allowed = f"None ({none}) or {allowed}" if none else allowed
    raise ValueError(f"{name} must be {allowed}{why}, not {value!r}")


def _check_special_ids(start_char, oov_char, index_from, num_words) -> None:
    _check_int("index_from", index_from, 0)
    why = f", below the first word index, index_from + 1 = {index_from + 1}"
    _check_int("start_char", start_char, 0, index_from, why=why)
    _check_int("oov_char", oov_char, 0, index_from, why=why)
    _check_int(
        "num_words",
        num_words,
        index_from + 2,
        none="every word",
        why=f" (it must exceed index_from + 1 = {index_from + 1} to keep any word)",
    )


def _check_seed(seed) -> None:
    _check_int("seed", seed, 0, 2**32 - 1)


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
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _ner_corrupt(
                path, f"it starts with a UTF-8 byte-order mark but byte {exc.start + 3:,} is not UTF-8"
            ) from exc
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
        raise _ner_corrupt(
            path,
            f"expected the header {','.join(NER_COLUMNS)}, found {','.join(header) if header else 'an empty file'}",
        )
    for line, row in enumerate(rows, start=2):
        if not row:
            continue  # a blank line, e.g. at the end of the file
        if len(row) != len(NER_COLUMNS):
            raise _ner_corrupt(path, f"line {line} has {len(row)} columns instead of 4")
        sentence_id, word, _pos, tag = row
        if not _NER_TAG.fullmatch(tag):
            raise _ner_corrupt(
                path, f"line {line} has the tag {tag!r}, not O, B-x or I-x with x one of {', '.join(NER_ENTITY_TYPES)}"
            )
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
_IMDB_REVIEW = re.compile(r"aclImdb/((train|test)/(pos|neg|unsup))/(\d+)_(\d+)\.txt$")
# Reviews per folder of aclImdb_v1.tar.gz: a copy with any other count is partial or different.
IMDB_EXPECTED_REVIEWS = {
    "train/pos": 12_500,
    "train/neg": 12_500,
    "test/pos": 12_500,
    "test/neg": 12_500,
    "train/unsup": 50_000,
}
_IMDB_TEXT_CACHE = "imdb_text_v1.npz"
# Bump the version in these names whenever the processing changes, so old caches are not reused.
_IMDB_TOKENS_CACHE = "imdb_tokens_v2.npz"
_IMDB_UNLABELLED_CACHE = "imdb_unlabelled_tokens_v1.npz"
# Each processed form: the arrays it must hold, and the processed forms it is built from.
_IMDB_CACHES = {
    _IMDB_TEXT_CACHE: ([f"{s}_{a}" for s in IMDB_SPLITS for a in ("bytes", "offsets", "labels")], ()),
    _IMDB_TOKENS_CACHE: (
        ["vocabulary", "vocabulary_size"]
        + [f"{s}_{a}" for s in ("train", "test") for a in ("ids", "offsets", "labels")],
        (_IMDB_TEXT_CACHE,),
    ),
    _IMDB_UNLABELLED_CACHE: (["unsup_ids", "unsup_offsets"], (_IMDB_TOKENS_CACHE, _IMDB_TEXT_CACHE)),
}
# The archive a processed form was built from, stored in it.
_SOURCE_KEYS = ("archive_sha256", "archive_size")


@dataclass(frozen=True)
class _ImdbSource:
    """The verified archive that processed forms must come from (``path`` None: it is gone)."""

    path: Path | None
    sha256: str
    size: int


def _imdb_corrupt(archive: Path, problem: str) -> DatasetError:
    in_cache = archive.parent == cache_dir()
    return DatasetError(
        f"{archive} is partial or corrupt ({problem}). "
        + (
            "Delete it and load again to download a fresh copy, or replace it with a complete copy. "
            if in_cache
            else "Replace it with a complete copy. "
        )
        + _how_to_get("imdb")
    )


def _read_imdb_archive(archive: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Every review in the archive as (id, label, text), label 1 positive, 0 negative, -1 none.

    The whole gzip stream is read, so that its CRC catches damage the tar reader would take for
    the end of the archive, and every folder must hold its expected number of reviews.
    """
    reviews: dict[str, list[tuple[int, int, str]]] = {s: [] for s in IMDB_SPLITS}
    counts: Counter[str] = Counter()
    try:
        with open(archive, "rb") as raw, gzip.GzipFile(fileobj=raw) as stream:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    match = _IMDB_REVIEW.search(member.name)
                    if not (member.isfile() and match):
                        continue
                    folder, split, polarity, review_id, _rating = match.groups()
                    split = "unsup" if polarity == "unsup" else split
                    label = {"pos": 1, "neg": 0, "unsup": -1}[polarity]
                    text = tar.extractfile(member).read().decode("utf-8")
                    reviews[split].append((int(review_id), label, text))
                    counts[folder] += 1
            # The tar reader stops at what looks like the end of the archive: read on to the end
            # of the gzip stream, which checks its length and CRC.
            while stream.read(1 << 20):
                pass
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError) as exc:
        raise _imdb_corrupt(archive, f"{exc.__class__.__name__}: {exc}") from exc
    wrong = [
        f"aclImdb/{folder} holds {counts[folder]:,} reviews instead of {expected:,}"
        for folder, expected in IMDB_EXPECTED_REVIEWS.items()
        if counts[folder] != expected
    ]
    wrong += [
        f"aclImdb/{folder} holds {n:,} unexpected reviews"
        for folder, n in counts.items()
        if folder not in IMDB_EXPECTED_REVIEWS
    ]
    if wrong:
        raise _imdb_corrupt(archive, "; ".join(wrong) + ": it is cut short, or not the Large Movie Review Dataset")
    return reviews


def _expected_split_sizes() -> dict[str, int]:
    sizes = Counter()
    for folder, n in IMDB_EXPECTED_REVIEWS.items():
        split, polarity = folder.split("/")
        sizes["unsup" if polarity == "unsup" else split] += n
    return {split: sizes[split] for split in IMDB_SPLITS}


def _cache_source(name: str) -> tuple[str, int] | None:
    """The (sha256, size) of the archive that the processed form ``name`` was built from, if known."""
    try:
        with np.load(cache_dir() / name) as npz:
            digest, size = str(npz["archive_sha256"]), int(npz["archive_size"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError, zlib.error):
        return None
    return (digest, size) if digest in DATASETS["imdb"].sha256 else None


def _servable_from_cache(name: str) -> set[tuple[str, int]]:
    """The archives (sha256, size) from which ``name`` can be had without reading any archive."""
    sources = {_cache_source(name)} - {None}
    inputs = _IMDB_CACHES[name][1]
    if inputs:
        sources |= set.intersection(*(_servable_from_cache(i) for i in inputs))
    return sources


def _imdb_source(*needed: str) -> _ImdbSource:
    """The archive to use: a local copy (verified), else complete processed forms, else a download."""
    archive = _local_file("imdb")
    if archive is None:
        # The archive is gone, but processed forms built from one verified archive are enough.
        sources = set.intersection(*(_servable_from_cache(n) for n in needed))
        if sources:
            digest, size = min(sources)
            return _ImdbSource(None, digest, size)
        archive = dataset_file("imdb")
    return _ImdbSource(archive, verified_sha256("imdb", archive), archive.stat().st_size)


def _load_imdb_cache(name: str, source: _ImdbSource) -> dict[str, np.ndarray] | None:
    """The processed form ``name`` if it is complete and was built from ``source``, else None."""
    arrays = _load_npz(cache_dir() / name)
    required = _IMDB_CACHES[name][0]
    if arrays is None or not set(required + list(_SOURCE_KEYS)) <= arrays.keys():
        return None
    if (str(arrays["archive_sha256"]), int(arrays["archive_size"])) != (source.sha256, source.size):
        return None
    expected = _expected_split_sizes()
    for key in required:
        if key.endswith("_offsets"):
            split = key.split("_")[0]
            data = arrays[f"{split}_ids"] if f"{split}_ids" in arrays else arrays[f"{split}_bytes"]
            offsets = arrays[key]
            if len(offsets) != expected[split] + 1 or int(offsets[-1]) != len(data):
                return None
    return arrays


def _cached_imdb(name: str, source: _ImdbSource | None, build) -> dict[str, np.ndarray]:
    """The processed form ``name``: from the cache if it matches the archive, else built (and cached)."""
    source = source or _imdb_source(name)
    arrays = _load_imdb_cache(name, source)
    if arrays is not None:
        return arrays
    if source.path is None:  # a processed form it needs is missing or damaged: the archive is needed
        archive = dataset_file("imdb")
        source = _ImdbSource(archive, verified_sha256("imdb", archive), archive.stat().st_size)
    arrays = build(source)
    _save_cache(name, archive_sha256=np.array(source.sha256), archive_size=np.array(source.size), **arrays)
    return arrays


def _imdb_text_cache(source: _ImdbSource | None = None) -> dict[str, np.ndarray]:
    """Load (building once) the decoded reviews of every split."""
    return _cached_imdb(_IMDB_TEXT_CACHE, source, _build_imdb_text)


def _build_imdb_text(source: _ImdbSource) -> dict[str, np.ndarray]:
    reviews = _read_imdb_archive(source.path)
    arrays = {}
    for split, items in reviews.items():
        # Sorting by label then id makes the order independent of the archive's layout.
        items.sort(key=lambda item: (-item[1], item[0]))
        encoded = [text.encode("utf-8") for _, _, text in items]
        arrays[f"{split}_bytes"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays[f"{split}_offsets"] = np.cumsum([0] + [len(b) for b in encoded]).astype(np.int64)
        arrays[f"{split}_labels"] = np.array([label for _, label, _ in items], dtype=np.int8)
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


def _imdb_tokens_cache(source: _ImdbSource | None = None) -> dict[str, np.ndarray]:
    """Every review as frequency ranks (0 = most frequent word), vocabulary from train only."""
    return _cached_imdb(_IMDB_TOKENS_CACHE, source, _build_imdb_tokens)


def _build_imdb_tokens(source: _ImdbSource) -> dict[str, np.ndarray]:
    arrays = _imdb_text_cache(source)
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
    return out


def _ranks(reviews: list[list[str]], rank: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Tokenised reviews as one array of frequency ranks and the offsets where each review starts.

    Words never seen in training get rank ``len(rank)``: out of vocabulary for any ``num_words``.
    """
    ids = [rank.get(w, len(rank)) for review in reviews for w in review]
    offsets = np.cumsum([0] + [len(r) for r in reviews]).astype(np.int64)
    return np.array(ids, dtype=np.int32), offsets


def _vocabulary(tokens: dict[str, np.ndarray]) -> list[str]:
    return tokens["vocabulary"].tobytes().decode("utf-8").split("\n")


def _imdb_unlabelled_cache(source: _ImdbSource | None = None) -> dict[str, np.ndarray]:
    """The unlabelled reviews as frequency ranks of the training vocabulary (built once)."""
    return _cached_imdb(_IMDB_UNLABELLED_CACHE, source, _build_imdb_unlabelled)


def _build_imdb_unlabelled(source: _ImdbSource) -> dict[str, np.ndarray]:
    rank = {word: i for i, word in enumerate(_vocabulary(_imdb_tokens_cache(source)))}
    reviews = [tokenize(text) for text in _split_texts(_imdb_text_cache(source), "unsup")]
    ids, offsets = _ranks(reviews, rank)
    return {"unsup_ids": ids, "unsup_offsets": offsets}


def _as_sequences(
    ranks: np.ndarray,
    offsets: np.ndarray,
    vocabulary_size: int,
    num_words: int | None,
    start_char: int,
    oov_char: int,
    index_from: int,
) -> list[list[int]]:
    """Frequency ranks as Keras-style word indices, one list per review, each after ``start_char``."""
    ids = ranks.astype(np.int64) + index_from + 1
    # Words outside the kept vocabulary (or never seen in training) become oov_char.
    limit = vocabulary_size + index_from + 1
    if num_words is not None:
        limit = min(limit, num_words)
    ids = np.where(ids < limit, ids, oov_char)
    return [[start_char, *ids[a:b].tolist()] for a, b in zip(offsets[:-1], offsets[1:])]


def imdb_word_index() -> dict[str, int]:
    """Word -> frequency rank from 1, like ``keras.datasets.imdb.get_word_index()``."""
    return {word: i + 1 for i, word in enumerate(_vocabulary(_imdb_tokens_cache()))}


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
    if you want to keep them), and, as Keras does, refuses a value that keeps no review;
    ``max_samples`` keeps the first reviews of each split after shuffling, to size the data
    for a run profile; ``seed`` (0 to 2**32 - 1) chooses the shuffle. ``start_char`` and
    ``oov_char`` must lie below the first word index, ``index_from + 1``. Values outside these
    ranges raise ``ValueError``.
    """
    _check_special_ids(start_char, oov_char, index_from, num_words)
    _check_int("maxlen", maxlen, 1, none="no limit")
    _check_int("max_samples", max_samples, 0, none="every review")
    _check_seed(seed)
    arrays = _imdb_tokens_cache()
    vocabulary_size = int(arrays["vocabulary_size"])
    result = []
    # The test split's seed was seed * 2 when seeds were below 2**31: kept, so data stays the same.
    for split, split_seed in (("train", seed), ("test", (seed * 2) % 2**32)):
        sequences = _as_sequences(
            arrays[f"{split}_ids"],
            arrays[f"{split}_offsets"],
            vocabulary_size,
            num_words,
            start_char,
            oov_char,
            index_from,
        )
        labels = arrays[f"{split}_labels"].astype(np.int64)
        order = np.random.RandomState(split_seed).permutation(len(sequences))
        x = np.empty(len(sequences), dtype=object)
        x[:] = [sequences[i] for i in order]
        y = labels[order]
        if maxlen is not None:
            keep = np.array([len(s) <= maxlen for s in x], dtype=bool)
            if not keep.any():
                shortest = min(map(len, x), default=0)
                raise ValueError(
                    f"maxlen={maxlen} keeps no review of the {split} split: the shortest has "
                    f"{shortest} indices, start mark included. Increase maxlen (or truncate "
                    f"reviews with keras.utils.pad_sequences instead of dropping them)."
                )
            x, y = x[keep], y[keep]
        if max_samples is not None:
            x, y = x[:max_samples], y[:max_samples]
        result.append((x, y))
    return tuple(result)


def load_imdb_unlabelled(
    num_words: int | None = None,
    *,
    seed: int = 113,
    start_char: int = 1,
    oov_char: int = 2,
    index_from: int = 3,
    max_samples: int | None = None,
) -> np.ndarray:
    """The 50,000 unlabelled IMDB reviews as word-index sequences, for pretraining.

    Same vocabulary (counted on the training reviews) and conventions as :func:`load_imdb`, so
    a model can read them and the labelled reviews alike. Returns an object array of Python
    lists, shuffled with ``seed``; ``max_samples`` keeps the first ones, to size a run profile.
    The arguments take the same values as in :func:`load_imdb`.
    """
    _check_special_ids(start_char, oov_char, index_from, num_words)
    _check_int("max_samples", max_samples, 0, none="every review")
    _check_seed(seed)
    source = _imdb_source(_IMDB_TOKENS_CACHE, _IMDB_UNLABELLED_CACHE)
    vocabulary_size = int(_imdb_tokens_cache(source)["vocabulary_size"])
    arrays = _imdb_unlabelled_cache(source)
    sequences = _as_sequences(
        arrays["unsup_ids"], arrays["unsup_offsets"], vocabulary_size, num_words, start_char, oov_char, index_from
    )
    order = np.random.RandomState((seed * 3) % 2**32).permutation(len(sequences))[:max_samples]
    out = np.empty(len(order), dtype=object)
    out[:] = [sequences[i] for i in order]
    return out


def encode_review(
    text: str, num_words: int | None = None, *, start_char: int = 1, oov_char: int = 2, index_from: int = 3
) -> list[int]:
    """A new review as the word indices that :func:`load_imdb` would give it (same arguments)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    _check_special_ids(start_char, oov_char, index_from, num_words)
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
    _check_int("num_pairs", num_pairs, 0, none="every pair")
    pairs = _read_fra_pairs(dataset_file("fra-eng"))
    if num_pairs is not None:
        pairs = pairs[:num_pairs]
    return [e for e, _ in pairs], [f for _, f in pairs]
