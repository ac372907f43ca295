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


# --------------------------------------------------------------------------- many steps ahead


def test_recursive_forecast_feeds_each_forecast_back():
    # a one-step rule "next = last + 1" run recursively continues the count
    windows = np.array([[0.0, 1, 2], [5, 6, 7]])
    path = series.recursive_forecast(lambda w: w[:, -1, 0] + 1, windows, horizon=4)
    np.testing.assert_array_equal(path, [[3, 4, 5, 6], [8, 9, 10, 11]])


def test_recursive_forecast_fills_in_known_features():
    # feature 1 is known in advance; the rule adds it to the last target value
    windows = np.zeros((1, 2, 2))
    known = np.array([[[99.0, 1.0], [99.0, 10.0], [99.0, 100.0]]])  # column 0 is ignored
    seen = []

    def one_step(w):
        seen.append(w.copy())
        return w[:, -1, 0] + w[:, -1, 1]

    path = series.recursive_forecast(one_step, windows, horizon=3, known=known)
    np.testing.assert_array_equal(path, [[0, 1, 11]])
    np.testing.assert_array_equal(seen[2][0], [[0, 1], [1, 10]])  # the forecasts sit in column 0


def test_recursive_forecast_refuses_unknown_features_and_bad_shapes():
    with pytest.raises(ValueError, match="pass known="):
        series.recursive_forecast(lambda w: w[:, -1, 0], np.zeros((2, 3, 2)), horizon=2)
    with pytest.raises(ValueError, match=r"known must have shape \(2, 2, 2\)"):
        series.recursive_forecast(lambda w: w[:, -1, 0], np.zeros((2, 3, 2)), horizon=2, known=np.zeros((2, 3, 2)))
    with pytest.raises(ValueError, match="horizon"):
        series.recursive_forecast(lambda w: w[:, -1, 0], np.zeros((2, 3)), horizon=0)


def test_pinball_loss_weighs_errors_by_the_quantile():
    import keras

    loss = series.pinball_loss([0.1, 0.9])
    y_true = np.array([[1.0], [1.0]], dtype="float32")  # (batch 2, 1 horizon)
    y_pred = np.array([[[0.0, 0.0]], [[2.0, 2.0]]], dtype="float32")  # too low, then too high
    value = keras.ops.convert_to_numpy(loss(y_true, y_pred))
    # too low by 1: 0.1 * 1 and 0.9 * 1, mean 0.5; too high by 1: 0.9 * 1 and 0.1 * 1, mean 0.5
    np.testing.assert_allclose(value, [[0.5], [0.5]], rtol=1e-6)
    only_low = series.pinball_loss([0.1])(y_true, y_pred[..., :1])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(only_low), [[0.1], [0.9]], rtol=1e-6)


def test_pinball_loss_is_least_at_the_quantile():
    import keras

    y = np.random.default_rng(0).normal(size=2000).astype("float32")
    loss = series.pinball_loss([0.9])
    candidates = np.linspace(-1, 3, 81)
    values = [
        float(keras.ops.convert_to_numpy(loss(y[:, None], np.full((len(y), 1, 1), c, "float32"))).mean())
        for c in candidates
    ]
    assert abs(candidates[int(np.argmin(values))] - np.quantile(y, 0.9)) <= 0.05


def test_pinball_loss_refuses_bad_quantiles_and_outputs():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        series.pinball_loss([0.1, 1.0])
    with pytest.raises(ValueError, match="one per quantile"):
        series.pinball_loss([0.1, 0.9])(np.zeros((2, 1), "float32"), np.zeros((2, 1, 3), "float32"))


def test_interval_coverage_counts_values_inside_and_crossed_intervals_as_misses():
    y = np.array([[0.0, 5.0], [1.0, 2.0]])
    lower, upper = np.zeros_like(y), np.full_like(y, 2.0)
    assert series.interval_coverage(y, lower, upper) == 0.75  # 5 is outside; the ends count as inside
    np.testing.assert_allclose(series.interval_coverage(y, lower, upper, axis=0), [1.0, 0.5])
    assert series.interval_coverage([1.0], [2.0], [0.0]) == 0.0  # crossed
    with pytest.raises(ValueError, match="same shape"):
        series.interval_coverage(y, lower[:1], upper)


def test_rolling_origins_start_each_month_and_end_where_asked():
    dates = np.arange(np.datetime64("2014-12-01"), np.datetime64("2016-01-01"))
    origins = series.rolling_origins(dates, "2015-01-01")
    assert len(origins) == 12
    assert dates[origins[0][0]] == np.datetime64("2015-01-01") and dates[origins[0][1]] == np.datetime64("2015-02-01")
    assert origins[-1][1] == len(dates) and dates[origins[-1][0]] == np.datetime64("2015-12-01")
    assert all(a[1] == b[0] for a, b in zip(origins, origins[1:]))  # the months tile the year
    assert len(series.rolling_origins(dates, "2015-01-01", "2015-03-15")) == 3  # January, February, March
    assert series.rolling_origins(dates, "2015-01-01", "2015-03-15")[-1][1] == np.searchsorted(
        dates, np.datetime64("2015-03-15")
    )
    weekly = series.rolling_origins(dates, "2015-01-01", "2015-02-01", every="week")
    assert all(b - a == 7 for a, b in weekly[:-1])


def test_rolling_origins_refuse_bad_requests():
    dates = np.arange(np.datetime64("2015-01-01"), np.datetime64("2015-03-01"))
    with pytest.raises(ValueError, match="every must be"):
        series.rolling_origins(dates, "2015-01-01", every="day")
    with pytest.raises(ValueError, match="must come after"):
        series.rolling_origins(dates, "2015-02-01", "2015-01-01")
    with pytest.raises(ValueError, match="no month begins"):
        series.rolling_origins(dates, "2015-01-02", "2015-01-20")
    with pytest.raises(ValueError, match="strictly increasing"):
        series.rolling_origins(dates[::-1], "2015-01-01")
