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
