import numpy as np
import pytest

from lstm_course import series

GOOG_DTYPE = [("date", "<M8[D]"), ("open", "<f8"), ("high", "<f8"), ("low", "<f8"),
              ("close", "<f8"), ("volume", "<i8"), ("adj_close", "<f8")]


def test_load_goog_reads_every_column_in_date_order(tmp_path):
    table = np.array([("2004-08-20", 101.0, 109.1, 100.5, 108.3, 11_428_600, 108.3),
                      ("2004-08-19", 100.0, 104.1, 96.0, 100.3, 22_351_900, 100.3)], dtype=GOOG_DTYPE)
    path = tmp_path / "goog.npz"
    np.savez(path, price_data=table)
    goog = series.load_goog(path)
    assert set(goog) == {name for name, _ in GOOG_DTYPE}
    assert goog["date"].dtype == np.dtype("datetime64[D]")
    np.testing.assert_array_equal(goog["close"], [100.3, 108.3])  # sorted oldest first
    assert goog["volume"][0] == 22_351_900


def test_load_seattle_weather_parses_a_csv_in_date_order(tmp_path):
    path = tmp_path / "seattle-weather.csv"
    path.write_text("date,precipitation,temp_max,temp_min,wind,weather\n"
                    "2012/01/02,10.9,10.6,2.8,4.5,rain\n"
                    "2012-01-01,0.0,12.8,5.0,4.7,drizzle\n", encoding="utf-8")
    weather = series.load_seattle_weather(path)
    np.testing.assert_array_equal(weather["date"], np.array(["2012-01-01", "2012-01-02"], "datetime64[D]"))
    np.testing.assert_allclose(weather["temp_max"], [12.8, 10.6])
    assert weather["wind"].dtype == np.float32
    assert list(weather["weather"]) == ["drizzle", "rain"]


def test_load_seattle_weather_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("date,precipitation,temp_max,temp_min,wind,weather\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no rows"):
        series.load_seattle_weather(path)


def test_chronological_split_covers_everything_in_order():
    train, val, test = series.chronological_split(101, (0.7, 0.15, 0.15))
    assert (train.start, train.stop, val.stop, test.stop) == (0, 71, 86, 101)
    assert val.start == train.stop and test.start == val.stop


@pytest.mark.parametrize("fractions", [(0.5, 0.2), (0.9, 0.0, 0.1), (1.2, -0.2)])
def test_chronological_split_rejects_bad_fractions(fractions):
    with pytest.raises(ValueError, match="fractions"):
        series.chronological_split(100, fractions)


def test_chronological_split_rejects_a_series_too_short():
    with pytest.raises(ValueError, match="too few"):
        series.chronological_split(2, (0.5, 0.25, 0.25))
