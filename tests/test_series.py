import numpy as np
import pytest

from lstm_course import series

GOOG_DTYPE = [
    ("date", "<M8[D]"),
    ("open", "<f8"),
    ("high", "<f8"),
    ("low", "<f8"),
    ("close", "<f8"),
    ("volume", "<i8"),
    ("adj_close", "<f8"),
]


def test_load_goog_reads_every_column_in_date_order(tmp_path):
    table = np.array(
        [
            ("2004-08-20", 101.0, 109.1, 100.5, 108.3, 11_428_600, 108.3),
            ("2004-08-19", 100.0, 104.1, 96.0, 100.3, 22_351_900, 100.3),
        ],
        dtype=GOOG_DTYPE,
    )
    path = tmp_path / "goog.npz"
    np.savez(path, price_data=table)
    goog = series.load_goog(path)
    assert set(goog) == {name for name, _ in GOOG_DTYPE}
    assert goog["date"].dtype == np.dtype("datetime64[D]")
    np.testing.assert_array_equal(goog["close"], [100.3, 108.3])  # sorted oldest first
    assert goog["volume"][0] == 22_351_900


def test_load_seattle_weather_parses_a_csv_in_date_order(tmp_path):
    path = tmp_path / "seattle-weather.csv"
    path.write_text(
        "date,precipitation,temp_max,temp_min,wind,weather\n"
        "2012/01/02,10.9,10.6,2.8,4.5,rain\n"
        "2012-01-01,0.0,12.8,5.0,4.7,drizzle\n",
        encoding="utf-8",
    )
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


# --------------------------------------------------------------------------- windows and baselines


def test_windows_pair_each_window_with_the_values_after_it():
    w = series.make_windows(np.arange(10.0), window=3, horizon=2)
    assert w.x.shape == (6, 3, 1) and w.y.shape == (6, 2) and len(w) == 6
    np.testing.assert_array_equal(w.x[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(w.y[0], [3, 4])
    np.testing.assert_array_equal(w.ends, np.arange(2, 8))
    np.testing.assert_array_equal(w.y[:, 1], w.ends + 2)  # y[:, h - 1] is h steps ahead


def test_windows_of_several_features_forecast_a_chosen_target():
    features = np.stack([np.arange(8.0), -np.arange(8.0)], axis=1)
    w = series.make_windows(features, window=2, horizon=1, target=features[:, 1])
    assert w.x.shape == (6, 2, 2) and w.y.shape == (6, 1)
    np.testing.assert_array_equal(w.y[:, 0], -(w.ends + 1))
    both = series.make_windows(features, window=2, horizon=3)
    assert both.y.shape == (4, 3, 2)


def test_windows_keep_their_targets_inside_the_split():
    train, test = series.chronological_split(20, (0.5, 0.5))
    w = series.make_windows(np.arange(20.0), window=4, horizon=2, split=test)
    # the first window ends the day before the split, so its first target is the split's first day
    assert w.ends[0] == test.start - 1 and w.y.min() == test.start and w.y.max() == 19
    assert w.x.min() == test.start - 4  # inputs may reach back: the past is known
    w_train = series.make_windows(np.arange(20.0), window=4, horizon=2, split=train)
    assert w_train.y.max() < test.start  # no target is shared between splits


def test_windows_without_targets_stay_inside_the_split_and_stride():
    w = series.make_windows(np.arange(12.0), window=4, horizon=0, split=slice(2, 12), stride=3)
    assert w.y is None
    np.testing.assert_array_equal(w.x[:, 0, 0], [2, 5, 8])
    assert w.x[:, -1, 0].max() <= 11


def test_windows_refuse_impossible_requests():
    with pytest.raises(ValueError, match="no window of 5"):
        series.make_windows(np.arange(5.0), window=5)
    with pytest.raises(ValueError, match="target has 4 steps"):
        series.make_windows(np.arange(5.0), window=2, target=np.arange(4.0))
    with pytest.raises(ValueError, match="horizon >= 0"):
        series.make_windows(np.arange(5.0), window=2, horizon=-1)


def test_persistence_repeats_the_last_value():
    w = series.make_windows(np.arange(10.0), window=3, horizon=4)
    np.testing.assert_array_equal(series.persistence(w), np.repeat(w.ends[:, None], 4, axis=1))


def test_harmonics_give_a_constant_and_sine_cosine_pairs():
    h = series.harmonics([0, 91.3125, 182.625], order=2)
    assert h.shape == (3, 5)
    np.testing.assert_allclose(h[:, 0], 1)
    np.testing.assert_allclose(h[1, 1:3], [1, 0], atol=1e-12)  # a quarter year: sin 1, cos 0
    np.testing.assert_allclose(h[2, 3:5], [0, 1], atol=1e-12)  # half a year: the second harmonic is back at 0
    with pytest.raises(ValueError, match="order"):
        series.harmonics([1], order=-1)


def test_least_squares_recovers_a_linear_rule_exactly():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3, 2))
    y = x[:, -1, 0] * 2 - x[:, 0, 1] + 0.5
    kernel, bias = series.least_squares_weights(x, y)
    assert kernel.shape == (6, 1)
    np.testing.assert_allclose(bias, [0.5], atol=1e-5)
    model = series.least_squares_model(x, y)
    assert model.count_params() == 6 + 1
    np.testing.assert_allclose(model.predict(x[:5], verbose=0)[:, 0], y[:5], atol=1e-4)
