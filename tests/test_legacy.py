"""expect_error: old code that must fail, shown in one line."""

import pytest

from lstm_course.legacy import expect_error


def test_the_expected_error_is_caught_and_shown_in_one_line(capsys):
    with expect_error(ValueError, match="batch_input_shape") as caught:
        raise ValueError(
            "Unrecognized keyword arguments passed to Embedding: {'batch_input_shape': (32, None)}\n"
            "more detail that the page does not need"
        )
    assert isinstance(caught.error, ValueError)
    assert capsys.readouterr().out == (
        "ValueError: Unrecognized keyword arguments passed to Embedding: {'batch_input_shape': (32, None)}\n"
    )


def test_the_shown_line_is_the_one_that_matches_and_colours_are_dropped(capsys):
    with expect_error(ValueError, match="batch size"):
        raise ValueError("\x1b[1mInvalid input\x1b[0m\nthe batch size must be 32")
    assert capsys.readouterr().out == "ValueError: the batch size must be 32\n"


def test_code_that_runs_is_an_error_of_the_page():
    with pytest.raises(AssertionError, match="ran without an error"), expect_error(ImportError):
        pass


def test_a_message_that_does_not_match_is_an_error_of_the_page():
    with pytest.raises(AssertionError, match="does not match"), expect_error(ValueError, match="input_length"):
        raise ValueError("something else")


def test_another_type_of_error_propagates():
    with pytest.raises(KeyError), expect_error(ValueError):
        raise KeyError("x")


def test_quiet_mode_prints_nothing(capsys):
    with expect_error(ZeroDivisionError, show=False) as caught:
        1 / 0  # noqa: B018
    assert capsys.readouterr().out == "" and caught.first_line == "division by zero"
