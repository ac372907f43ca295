"""Time series: two real ones that ship inside installed packages, chronological splits, windows
and the baselines every forecast must beat.

Nothing here downloads: both files are part of a package that the course installs.

- :func:`load_goog`: daily Google (GOOG) prices, 19 Aug 2004 to 14 Oct 2008 (1,047 trading
  days), from Matplotlib's sample data (``goog.npz``).
- :func:`load_seattle_weather`: daily weather observed in Seattle, 2012 to 2015 (1,461 days),
  from the ``vega_datasets`` package (``seattle-weather.csv``): precipitation in mm, daily
  maximum and minimum temperature in °C, mean wind speed in m/s and a one-word summary.

Both return a dict of NumPy arrays, one per column, in time order, with ``"date"`` as
``datetime64[D]``. The file can be passed explicitly (``path=``), which the tests use.

Then splits and windows (:func:`chronological_split`, :func:`make_windows`), the baselines
(:func:`persistence`, :func:`harmonics` for climatology, :func:`least_squares_model`), and the
tools for forecasting many steps ahead: :func:`recursive_forecast`, :func:`pinball_loss` with
:func:`interval_coverage` for quantile forecasts, and :func:`rolling_origins` for a walk-forward
evaluation.
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEATTLE_COLUMNS = ("precipitation", "temp_max", "temp_min", "wind")


def load_goog(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """Daily GOOG prices: date, open, high, low, close, volume, adj_close (US dollars)."""
    if path is None:
        import matplotlib.cbook

        archive = matplotlib.cbook.get_sample_data("goog.npz")
    else:
        archive = np.load(path)
    with archive:
        table = archive["price_data"]
    table = np.sort(table, order="date")
    return {name: np.asarray(table[name]) for name in table.dtype.names}


def seattle_weather_path() -> Path:
    """Where ``vega_datasets`` keeps ``seattle-weather.csv`` (found without importing it)."""
    spec = importlib.util.find_spec("vega_datasets")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "The Seattle weather series ships with the vega_datasets package: pip install vega_datasets"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "_data" / "seattle-weather.csv"


def load_seattle_weather(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """Daily Seattle weather: date, precipitation, temp_max, temp_min, wind (float32), weather (str)."""
    path = seattle_weather_path() if path is None else Path(path)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{path} holds no rows")
    dates = np.array([row["date"][:10].replace("/", "-") for row in rows], dtype="datetime64[D]")
    order = np.argsort(dates, kind="stable")
    rows = [rows[k] for k in order]
    series = {"date": dates[order]}
    for name in SEATTLE_COLUMNS:
        series[name] = np.array([float(row[name]) for row in rows], dtype=np.float32)
    series["weather"] = np.array([row["weather"] for row in rows])
    return series


def chronological_split(n: int, fractions=(0.7, 0.15, 0.15)) -> tuple[slice, ...]:
    """Consecutive slices of ``range(n)``, oldest first, one per fraction (training first).

    The fractions must add up to 1; the last slice takes whatever rounding leaves. Shuffling
    before splitting a series would let the model see the days around every test day.
    """
    fractions = tuple(float(f) for f in fractions)
    if any(f <= 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-6:
        raise ValueError(f"fractions must be positive and add up to 1, got {fractions}")
    bounds = np.round(np.cumsum((0.0,) + fractions) * n).astype(int)
    bounds[-1] = n
    slices = tuple(slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:]))
    if any(s.stop <= s.start for s in slices):
        raise ValueError(f"{n} points are too few for the fractions {fractions}")
    return slices


# --------------------------------------------------------------------------- windows


@dataclass
class Windows:
    """Input windows cut from a series and the values that follow each one.

    ``x[k]`` is ``features[ends[k] - window + 1 : ends[k] + 1]``, shape (window, n_features): what
    is known when the forecast is made, at the window's last step ``ends[k]``. ``y[k]`` holds the
    next ``horizon`` values of the target, ``target[ends[k] + 1 : ends[k] + horizon + 1]``, shape
    (horizon,) for a one-dimensional target or (horizon, n_targets); ``y[:, h - 1]`` is the value
    ``h`` steps ahead. ``y`` is None when ``horizon`` is 0 (windows to reconstruct, not to forecast).
    """

    x: np.ndarray
    y: np.ndarray | None
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ends)


def make_windows(
    features, window: int, horizon: int = 1, *, target=None, split: slice | None = None, stride: int = 1
) -> Windows:
    """Cut a series into windows of ``window`` steps and the ``horizon`` values after each one.

    ``features`` is (T,) or (T, n_features); ``target`` (default: ``features``) is the series to
    forecast, (T,) or (T, n_targets). Windows end every ``stride`` steps.

    ``split`` (a slice of time steps, as :func:`chronological_split` returns) keeps the windows
    whose *targets* all lie inside it: the inputs of the first ones reach back before the split's
    start, which is fair, since the past is known when a forecast is made, while no target of one
    split is ever a target of another. With ``horizon=0`` it keeps the windows that lie inside it.
    """
    if window < 1 or horizon < 0 or stride < 1:
        raise ValueError(
            f"need window >= 1, horizon >= 0 and stride >= 1, got window={window}, horizon={horizon}, stride={stride}"
        )
    features = np.asarray(features, dtype=np.float32)
    if target is None and horizon > 0:
        target = features  # a (T,) series forecasts itself with y of shape (n, horizon)
    if features.ndim == 1:
        features = features[:, None]
    if features.ndim != 2:
        raise ValueError(f"features must have shape (T,) or (T, n_features), got {features.shape}")
    target = None if horizon == 0 else np.asarray(target, dtype=np.float32)
    if target is not None and len(target) != len(features):
        raise ValueError(f"target has {len(target)} steps but features have {len(features)}")
    first_end, last_end = window - 1, len(features) - 1 - horizon
    if split is not None:
        start, stop, _ = split.indices(len(features))
        if horizon == 0:
            first_end, last_end = max(first_end, start + window - 1), min(last_end, stop - 1)
        else:
            first_end, last_end = max(first_end, start - 1), min(last_end, stop - 1 - horizon)
    ends = np.arange(first_end, last_end + 1, stride)
    if len(ends) == 0:
        where = "" if split is None else f" inside the split {split.start}:{split.stop}"
        raise ValueError(
            f"a series of {len(features)} steps has no window of {window} steps followed by "
            f"{horizon} target steps{where}"
        )
    steps = ends[:, None] + np.arange(-window + 1, 1)
    x = features[steps]
    y = None if target is None else target[ends[:, None] + np.arange(1, horizon + 1)]
    return Windows(x=x, y=y, ends=ends)


# --------------------------------------------------------------------------- baselines


def persistence(windows: Windows, column: int = 0, horizon: int | None = None) -> np.ndarray:
    """ "Tomorrow is like today": the window's last value of feature ``column``, for every horizon.

    Returns (n, horizon) with ``horizon`` taken from ``windows.y`` unless given.
    """
    horizon = windows.y.shape[1] if horizon is None else horizon
    return np.repeat(windows.x[:, -1, column][:, None], horizon, axis=1)


def harmonics(days, order: int = 2, period: float = 365.25) -> np.ndarray:
    """Seasonal regressors for each day (day of the year, or any day count): a constant, then
    ``sin(2 pi k d / period)`` and ``cos(...)`` for k = 1..order. Shape (len(days), 1 + 2 * order).

    A least-squares fit of a series on them is its *climatology*: the usual value for the date.
    """
    if order < 0:
        raise ValueError(f"order must be >= 0, not {order}")
    angle = 2 * np.pi * np.asarray(days, dtype=np.float64) / period
    columns = [np.ones_like(angle)]
    for k in range(1, order + 1):
        columns += [np.sin(k * angle), np.cos(k * angle)]
    return np.stack(columns, axis=-1)


def least_squares_weights(x, y, rcond: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """The linear forecast with the least squared error on (x, y): ``kernel`` and ``bias`` of a
    ``Dense`` layer that reads the flattened window.

    ``x`` is (n, window, n_features) or (n, n_inputs); ``y`` is (n,) or (n, n_outputs). ``rcond``
    ignores directions of the inputs that the data do not pin down (the windows of a clean sine
    span only two), instead of fitting huge weights to rounding noise.
    """
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    design = np.c_[x, np.ones(len(x))]
    coef, *_ = np.linalg.lstsq(design, y, rcond=rcond)
    return coef[:-1].astype(np.float32), coef[-1].astype(np.float32)


def least_squares_model(x, y, rcond: float = 1e-6):
    """A Keras model ``Flatten -> Dense`` holding :func:`least_squares_weights`: the best linear
    forecaster, found in one step instead of by gradient descent. Trainable params:
    ``x[0].size * n_outputs + n_outputs``."""
    import keras

    kernel, bias = least_squares_weights(x, y, rcond)
    model = keras.Sequential(
        [keras.Input(shape=np.shape(x)[1:]), keras.layers.Flatten(), keras.layers.Dense(kernel.shape[1])],
        name="least_squares",
    )
    model.layers[-1].set_weights([kernel, bias])
    return model


# --------------------------------------------------------------------------- many steps ahead


def recursive_forecast(one_step, windows, horizon: int, *, known=None, target_column: int = 0) -> np.ndarray:
    """Forecast ``horizon`` steps from each window with a one-step model, feeding every forecast back.

    ``one_step`` maps windows (n, window, n_features) to the next value of feature
    ``target_column``, shape (n,) or (n, 1): a model's ``predict_on_batch``, for example.
    ``windows`` is (n, window) or (n, window, n_features). At each step the window slides by one:
    the oldest row is dropped and a new row is appended, whose target column is the forecast. The
    other columns of that row must be known in advance (a calendar, the season): pass them as
    ``known``, shape (n, horizon, n_features), row ``k`` for the day ``k + 1`` steps ahead (its
    target column is ignored). With one feature, ``known`` is not needed. Returns (n, horizon).
    """
    windows = np.array(windows, dtype=np.float32)
    if windows.ndim == 2:
        windows = windows[:, :, None]
    if windows.ndim != 3:
        raise ValueError(f"windows must have shape (n, window) or (n, window, n_features), got {windows.shape}")
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, not {horizon}")
    n, _, n_features = windows.shape
    if not 0 <= target_column < n_features:
        raise ValueError(f"target_column {target_column} is not a column of windows with {n_features} features")
    if known is None:
        if n_features > 1:
            raise ValueError(
                f"the windows have {n_features} features: pass known=, shape ({n}, {horizon}, {n_features}), "
                "with the values of the other features on the forecast days (the target column is ignored)"
            )
        known = np.zeros((n, horizon, 1), dtype=np.float32)
    known = np.array(known, dtype=np.float32)
    if known.shape != (n, horizon, n_features):
        raise ValueError(f"known must have shape {(n, horizon, n_features)}, got {known.shape}")
    path = []
    for k in range(horizon):
        step = np.asarray(one_step(windows), dtype=np.float32).reshape(n)
        path.append(step)
        row = known[:, k : k + 1].copy()
        row[:, 0, target_column] = step
        windows = np.concatenate([windows[:, 1:], row], axis=1)  # slide: drop the oldest day
    return np.stack(path, axis=1)


def pinball_loss(quantiles, name: str = "pinball"):
    """A Keras loss for quantile forecasts: the mean pinball (check) loss over the given quantiles.

    The model outputs (batch, ..., len(quantiles)), one forecast per quantile in that order, and
    the target is (batch, ...) without the last axis. For a quantile ``q`` and an error
    ``e = y - forecast``, the loss is ``q * e`` when the forecast is too low and ``(q - 1) * e``
    when it is too high; its minimum is at the ``q``-quantile of ``y`` (Koenker and Bassett 1978).
    ``q = 0.5`` gives half the absolute error.
    """
    import keras

    q = np.asarray(quantiles, dtype=np.float32).reshape(-1)
    if q.size == 0 or np.any((q <= 0) | (q >= 1)):
        raise ValueError(f"quantiles must lie strictly between 0 and 1, got {list(np.asarray(quantiles).ravel())}")

    def loss(y_true, y_pred):
        if y_pred.shape[-1] is not None and y_pred.shape[-1] != q.size:
            raise ValueError(
                f"the model outputs {y_pred.shape[-1]} values on the last axis; pinball_loss expects one per "
                f"quantile ({q.size})"
            )
        error = keras.ops.expand_dims(keras.ops.cast(y_true, y_pred.dtype), -1) - y_pred
        qs = keras.ops.cast(q, y_pred.dtype)
        return keras.ops.mean(keras.ops.maximum(qs * error, (qs - 1) * error), axis=-1)

    loss.__name__ = name
    return loss


def interval_coverage(y, lower, upper, axis=None):
    """The share of values ``y`` that fall inside ``[lower, upper]`` (all three of the same shape).

    ``axis=0`` gives one share per column (per horizon). An interval whose lower end lies above
    its upper end (crossed quantiles) covers nothing.
    """
    y, lower, upper = (np.asarray(a, dtype=np.float64) for a in (y, lower, upper))
    if not (y.shape == lower.shape == upper.shape):
        raise ValueError(f"y, lower and upper must have the same shape, got {y.shape}, {lower.shape}, {upper.shape}")
    inside = (lower <= y) & (y <= upper)
    share = inside.mean(axis=axis)
    return float(share) if np.ndim(share) == 0 else share


_ORIGIN_STEPS = {"month": "datetime64[M]", "week": "datetime64[W]"}


def rolling_origins(dates, start, end=None, every: str = "month") -> list[tuple[int, int]]:
    """Forecast origins for a walk-forward (rolling-origin) evaluation.

    ``dates`` is a sorted ``datetime64[D]`` array. Returns ``(origin, stop)`` index pairs, one for
    each month (or week, ``every="week"``, weeks starting on Thursday as NumPy counts them) that
    begins within ``[start, end)``, dates given as strings or ``datetime64``: fit on the days
    before ``origin``, forecast the days ``origin .. stop - 1``. ``end`` defaults to after the
    last date.
    """
    if every not in _ORIGIN_STEPS:
        raise ValueError(f"every must be one of {sorted(_ORIGIN_STEPS)}, not {every!r}")
    dates = np.asarray(dates).astype("datetime64[D]")
    if dates.ndim != 1 or len(dates) == 0 or np.any(np.diff(dates).astype(int) <= 0):
        raise ValueError("dates must be a non-empty, strictly increasing one-dimensional array of days")
    start = np.datetime64(start, "D")
    end = dates[-1] + 1 if end is None else np.datetime64(end, "D")
    if end <= start:
        raise ValueError(f"end ({end}) must come after start ({start})")
    periods = dates.astype(_ORIGIN_STEPS[every])
    first_day = np.r_[True, periods[1:] != periods[:-1]]  # the first date of each month or week
    inside = (dates >= start) & (dates < end)
    origins = np.flatnonzero(first_day & inside)
    if len(origins) == 0:
        raise ValueError(f"no {every} begins between {start} and {end} in these dates")
    stops = np.r_[origins[1:], np.searchsorted(dates, end)]
    return [(int(a), int(b)) for a, b in zip(origins, stops)]
