"""The English-French loader, on tiny fra.txt files that the tests write themselves."""

import urllib.error
import zipfile

import pytest

from lstm_course import data
from lstm_course.data import DatasetError, load_fra_eng

TWO_COLUMNS = "Go.\tVa !\nRun!\tCours\u202f!\nRun!\tCourez\u202f!\nI see.\tJe vois.\n"
ATTRIBUTION = "CC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)"


def write_fra(folder, text):
    path = folder / "fra.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_column_release(course_dirs):
    data_dir, _ = course_dirs
    write_fra(data_dir, TWO_COLUMNS)
    english, french = load_fra_eng()
    assert english == ["Go.", "Run!", "Run!", "I see."]
    assert french == ["Va !", "Cours\u202f!", "Courez\u202f!", "Je vois."]


def test_three_column_release_drops_the_attribution(course_dirs):
    data_dir, _ = course_dirs
    lines = [f"{line}\t{ATTRIBUTION}" for line in TWO_COLUMNS.splitlines()]
    write_fra(data_dir, "\n".join(lines) + "\n")
    english, french = load_fra_eng()
    assert english == ["Go.", "Run!", "Run!", "I see."]
    assert french == ["Va !", "Cours\u202f!", "Courez\u202f!", "Je vois."]


def test_blank_malformed_and_windows_lines(course_dirs):
    data_dir, _ = course_dirs
    text = (
        "\ufeffGo.\tVa !\r\n\r\n"  # byte-order mark and CRLF line ends
        "no tab on this line\n"
        "\tmissing english\n"
        "Missing French.\t\n"
        "I see.\tJe vois.\tattribution\n"
    )
    write_fra(data_dir, text)
    assert load_fra_eng() == (["Go.", "I see."], ["Va !", "Je vois."])


def test_num_pairs_keeps_the_first_pairs(course_dirs):
    data_dir, _ = course_dirs
    write_fra(data_dir, TWO_COLUMNS)
    assert load_fra_eng(num_pairs=2) == (["Go.", "Run!"], ["Va !", "Cours\u202f!"])
    assert load_fra_eng(num_pairs=0) == ([], [])
    assert len(load_fra_eng(num_pairs=100)[0]) == 4
    for wrong in (-1, 2.5, "10"):
        with pytest.raises(ValueError, match=r"num_pairs must be None .every pair. or an integer"):
            load_fra_eng(num_pairs=wrong)


@pytest.mark.parametrize("text", ["", "\n\n", "<html>Not found</html>\n", "Go. Va !\n"])
def test_a_file_without_pairs_is_reported_as_corrupt(course_dirs, text):
    data_dir, _ = course_dirs
    write_fra(data_dir, text)
    with pytest.raises(DatasetError) as info:
        load_fra_eng()
    message = str(info.value)
    assert "no tab-separated English-French pairs" in message and "corrupt" in message
    assert "fra-eng.zip" in message and "LSTM_COURSE_DATA" in message  # ... and what to do


def test_a_file_that_is_not_utf8_is_reported_as_corrupt(course_dirs):
    data_dir, _ = course_dirs
    (data_dir / "fra.txt").write_bytes(b"Go.\tVa !\n\xff\xfe\x00broken\n")
    with pytest.raises(DatasetError, match="corrupt"):
        load_fra_eng()


def test_the_cache_copy_is_found(course_dirs):
    _, cache = course_dirs
    cache.mkdir(parents=True, exist_ok=True)
    write_fra(cache, TWO_COLUMNS)
    assert len(load_fra_eng()[0]) == 4


def test_missing_file_offline_says_how_to_get_it(course_dirs, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(data.urllib.request, "urlopen", offline)
    with pytest.raises(DatasetError) as info:
        load_fra_eng()
    message = str(info.value)
    assert "Could not download" in message and "offline" in message
    assert "fra.txt" in message and "LSTM_COURSE_DATA" in message


def test_a_download_of_the_newer_zip_is_unpacked_and_read(course_dirs, tmp_path, monkeypatch):
    archive = tmp_path / "fra-eng.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fra.txt", f"Go.\tVa !\t{ATTRIBUTION}\nHi.\tSalut !\t{ATTRIBUTION}\n")
        zf.writestr("_about.txt", "Tatoeba")
    spec = data.DATASETS["fra-eng"]
    monkeypatch.setitem(
        data.DATASETS,
        "fra-eng",
        data.RemoteFile(spec.filename, archive.as_uri(), (), member="fra.txt", manual=spec.manual),
    )
    assert load_fra_eng() == (["Go.", "Hi."], ["Va !", "Salut !"])
    _, cache = course_dirs
    assert (cache / "fra.txt").is_file()
