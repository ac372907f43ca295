"""After ``fit``: how large a saved model is, and the environment a result came from.

- :func:`size_on_disk`: the bytes of a file, or of every file under a folder (a SavedModel is a
  folder).
- :func:`environment`: the versions, platform and CPU of this process, as a dict of plain values
  that ``json`` can write next to a saved model.
- :func:`environment_differences`: what differs between a recorded environment and another one
  (by default, this process's).

A ``.keras`` file records the Keras version that wrote it and nothing else; whether a number can be
reproduced also depends on TensorFlow, NumPy, the CPU and the number of cores.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import platform
import sys
from collections.abc import Mapping
from pathlib import Path

from .profiles import current_profile


def size_on_disk(path: str | Path) -> int:
    """Bytes of the file ``path``, or of all files under the folder ``path``."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    raise FileNotFoundError(f"{path} is neither a file nor a folder: save or export the model there first")


def cpu_model(cpuinfo: str | None = None) -> str:
    """The CPU's name: the ``model name`` line of ``/proc/cpuinfo`` on Linux, else what
    :func:`platform.processor` says, else the machine type (``x86_64``, ``arm64``)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            cpuinfo = ""
    for line in cpuinfo.splitlines():
        if line.lower().startswith(("model name", "hardware")) and ":" in line:
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def _version(module: str) -> str | None:
    """The ``__version__`` of an installed module (imported if needed), or None if it is missing."""
    if module not in sys.modules and importlib.util.find_spec(module) is None:
        return None
    return str(getattr(importlib.import_module(module), "__version__", "unknown"))


def _devices() -> list[str]:
    """The device types TensorFlow sees (``["CPU"]``, ``["CPU", "GPU"]``), or [] without TensorFlow."""
    if "tensorflow" not in sys.modules:
        return []
    import tensorflow as tf

    return sorted({device.device_type for device in tf.config.list_physical_devices()})


def environment() -> dict:
    """Where a result comes from: Python, NumPy, TensorFlow and Keras versions, the Keras backend,
    the operating system, the CPU and its core count, the devices TensorFlow sees and the course's
    run profile. Plain strings, numbers and lists, ready for ``json.dumps``."""
    keras_backend = None
    if "keras" in sys.modules or importlib.util.find_spec("keras") is not None:
        import keras

        keras_backend = keras.backend.backend()
    return {
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "keras_backend": keras_backend,
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "devices": _devices(),
        "run_profile": current_profile(),
    }


def environment_differences(recorded: Mapping, current: Mapping | None = None) -> dict[str, tuple]:
    """The entries in which two environments differ, as ``{key: (recorded, current)}``.

    ``current`` defaults to :func:`environment` of this process. A key that only one side has
    appears with ``None`` on the other. An empty dict means nothing recorded has changed.
    """
    if not isinstance(recorded, Mapping):
        raise TypeError(
            f"recorded must be a dict such as lstm_course.shipping.environment() returns "
            f"(read it back with json.loads), not {type(recorded).__name__}"
        )
    current = environment() if current is None else current
    if not isinstance(current, Mapping):
        raise TypeError(f"current must be a dict, not {type(current).__name__}")
    keys = list(recorded) + [key for key in current if key not in recorded]
    return {key: (recorded.get(key), current.get(key)) for key in keys if recorded.get(key) != current.get(key)}
