"""Real time series that ship inside installed packages, and a chronological split.

Nothing here downloads: both files are part of a package that the course installs.

- :func:`load_goog`: daily Google (GOOG) prices, 19 Aug 2004 to 14 Oct 2008 (1,047 trading
  days), from Matplotlib's sample data (``goog.npz``).
- :func:`load_seattle_weather`: daily weather observed in Seattle, 2012 to 2015 (1,461 days),
  from the ``vega_datasets`` package (``seattle-weather.csv``): precipitation in mm, daily
  maximum and minimum temperature in °C, mean wind speed in m/s and a one-word summary.

Both return a dict of NumPy arrays, one per column, in time order, with ``"date"`` as
``datetime64[D]``. The file can be passed explicitly (``path=``), which the tests use.
"""

from __future__ import annotations

import csv
import importlib.util
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
            "The Seattle weather series ships with the vega_datasets package: pip install vega_datasets")
    return Path(list(spec.submodule_search_locations)[0]) / "_data" / "seattle-weather.csv"


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
