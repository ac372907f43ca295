import pytest

from lstm_course import profiles


@pytest.mark.parametrize("name", ["quick", "standard", "full"])
def test_choose_returns_the_value_of_the_active_profile(monkeypatch, name):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", name)
    assert profiles.current_profile() == name
    assert profiles.choose(quick=1, standard=2, full=3) == {"quick": 1, "standard": 2, "full": 3}[name]
    assert name in profiles.describe_profile()


def test_default_is_standard(monkeypatch):
    monkeypatch.delenv("LSTM_COURSE_PROFILE", raising=False)
    assert profiles.current_profile() == "standard"


def test_case_and_spaces_are_forgiven(monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", " Quick ")
    assert profiles.current_profile() == "quick"


def test_unknown_profile_names_the_choices(monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="quick, standard, full"):
        profiles.choose(quick=1, standard=2, full=3)


def test_choose_needs_all_three_values():
    with pytest.raises(TypeError):
        profiles.choose(quick=1, standard=2)


def test_start_notebook_prints_numpy_scalars_as_plain_numbers(capsys):
    """Glued numbers are formatted from their text form, which must be a plain number."""
    import numpy as np

    import lstm_course as lc

    try:
        lc.start_notebook(seed=0)
        assert repr(np.float64(0.25)) == "0.25" and repr(np.float32(0.5)) == "0.5"
        assert "Run profile:" in capsys.readouterr().out
    finally:
        np.set_printoptions(legacy=False)
