"""load_ner on tiny ner_dataset.csv files that the tests write themselves."""

import pytest

from lstm_course.data import DatasetError, load_ner

# The layout of Kaggle's file: "Sentence #" only on a sentence's first token, a quoted word
# with a comma, a latin-1 character, Windows line endings.
TINY_CSV = (
    "Sentence #,Word,POS,Tag\r\n"
    "Sentence: 1,Thousands,NNS,O\r\n"
    ",marched,VBN,O\r\n"
    ",through,IN,O\r\n"
    ",London,NNP,B-geo\r\n"
    "Sentence: 2,Mr.,NNP,B-per\r\n"
    ",Bush,NNP,I-per\r\n"
    ",said,VBD,O\r\n"
    ',"1,000",CD,O\r\n'
    "Sentence: 3,Zürich,NNP,B-geo\r\n"
)


def write_ner(folder, text=TINY_CSV):
    path = folder / "ner_dataset.csv"
    path.write_bytes(text.encode("latin-1"))
    return path


def test_parses_words_and_tags_grouped_by_sentence(course_dirs):
    data, _ = course_dirs
    write_ner(data)
    sentences, tags = load_ner()
    assert sentences == [
        ["Thousands", "marched", "through", "London"],
        ["Mr.", "Bush", "said", "1,000"],
        ["Zürich"],
    ]
    assert tags == [["O", "O", "O", "B-geo"], ["B-per", "I-per", "O", "O"], ["B-geo"]]
    assert [len(s) for s in sentences] == [len(t) for t in tags]


def test_a_copy_in_the_cache_folder_is_found_too(course_dirs):
    _, cache = course_dirs
    cache.mkdir()
    write_ner(cache, TINY_CSV.replace("\r\n", "\n"))
    sentences, _ = load_ner()
    assert len(sentences) == 3


def test_missing_file_says_how_to_get_it(course_dirs):
    with pytest.raises(DatasetError) as info:
        load_ner()
    message = str(info.value)
    assert "ner_dataset.csv" in message
    assert "Annotated Corpus for Named Entity Recognition" in message and "Kaggle" in message
    assert "LSTM_COURSE_DATA" in message


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Word,Tag\nThousands,O\n", "header"),
        ("Sentence #,Word,Tag,POS\nSentence: 1,London,B-geo,NNP\n", "header"),
        ("", "empty file"),
        ("Sentence #,Word,POS,Tag\n", "no tokens"),
        ("Sentence #,Word,POS,Tag\nSentence: 1,London,NNP\n", "columns"),
        ("Sentence #,Word,POS,Tag\nSentence: 1,London,NNP,NNP\n", "tag"),
        ("Sentence #,Word,POS,Tag\n,London,NNP,B-geo\n", "Sentence #"),
    ],
)
def test_malformed_file_is_reported_as_corrupt(course_dirs, text, problem):
    data, _ = course_dirs
    write_ner(data, text)
    with pytest.raises(DatasetError) as info:
        load_ner()
    message = str(info.value)
    assert "corrupt" in message and problem in message
    assert "Kaggle" in message and "LSTM_COURSE_DATA" in message


def test_a_file_cut_inside_a_tag_is_reported(course_dirs):
    # Cut in the last tag, "B-geo" -> "B-g": a tag of no known entity type, not a new one.
    data, _ = course_dirs
    write_ner(data, TINY_CSV[: TINY_CSV.rindex("B-geo") + 3])
    with pytest.raises(DatasetError) as info:
        load_ner()
    message = str(info.value)
    assert "'B-g'" in message and "geo, org, per, gpe, tim, art, eve, nat" in message
    assert "corrupt" in message and "Kaggle" in message


@pytest.mark.parametrize("tag", ["B-xyz", "I-GEO", "B-", "E-per", "o"])
def test_tags_outside_the_bio_pattern_of_the_known_types_are_refused(course_dirs, tag):
    data, _ = course_dirs
    write_ner(data, f"Sentence #,Word,POS,Tag\nSentence: 1,London,NNP,{tag}\n")
    with pytest.raises(DatasetError, match="tag"):
        load_ner()


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_a_utf8_copy_is_read_as_utf8_with_or_without_a_byte_order_mark(course_dirs, bom):
    data, _ = course_dirs
    text = bom + TINY_CSV.replace("Zürich", "Zürich Łódź")
    (data / "ner_dataset.csv").write_bytes(text.encode("utf-8"))
    sentences, tags = load_ner()
    assert sentences[2] == ["Zürich Łódź"], "non-ASCII names must not turn into mojibake"
    assert sentences[0][0] == "Thousands" and tags[0] == ["O", "O", "O", "B-geo"]


def test_a_byte_order_mark_before_bytes_that_are_not_utf8_is_reported(course_dirs):
    data, _ = course_dirs
    (data / "ner_dataset.csv").write_bytes(b"\xef\xbb\xbf" + TINY_CSV.encode("latin-1"))
    with pytest.raises(DatasetError, match="byte-order mark"):
        load_ner()
