"""Keep TensorFlow's start-up notices off the notebook pages, and nothing else.

At import, TensorFlow's C++ core writes informational lines (oneDNN, CPU features) straight to
file descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` can take effect; a notebook shows them in
every chapter, and so would the website. :func:`import_tensorflow_quietly` imports TensorFlow
with file descriptor 2 sent to a temporary file, and shows what was written there if the import
fails. It runs no TensorFlow operation, so ``tf.config`` settings can still be changed.

TensorFlow's wheels need a CPU with AVX and abort the whole process on one without it, leaving
no chance to show the captured text; on such a CPU the import is not silenced, so that the
learner sees TensorFlow's own message.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def cpu_lacks_avx(cpuinfo: str | None = None, machine: str | None = None) -> bool:
    """True on an x86-64 Linux machine whose CPU has no AVX (TensorFlow aborts there).

    ``cpuinfo`` and ``machine`` default to ``/proc/cpuinfo`` and ``platform.machine()``.
    """
    if (machine or platform.machine()).lower() not in ("x86_64", "amd64"):
        return False
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text() if cpuinfo is None else cpuinfo
        flags = next(line for line in cpuinfo.splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        return False  # not Linux, or no flags line: nothing to go by
    return "avx" not in flags.split(":", 1)[-1].split()


@contextmanager
def _stderr_captured():
    """Send file descriptor 2 to a temporary file; yield a function that reads what it got."""
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to capture
        yield lambda: ""
        return
    with tempfile.TemporaryFile(mode="w+b") as capture:
        sys.stderr.flush()
        os.dup2(capture.fileno(), 2)

        def captured() -> str:
            capture.seek(0)
            return capture.read().decode("utf-8", "replace")

        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow_quietly() -> bool:
    """Import TensorFlow with its informational start-up lines discarded; True if it was imported.

    Does nothing when TensorFlow is imported already, is not installed, or Keras is set to another
    backend. If the import fails, what TensorFlow printed is shown on stderr, followed by the
    error, and the package's NumPy parts keep working.
    """
    if "tensorflow" in sys.modules:
        return True
    if os.environ.get("KERAS_BACKEND", "tensorflow").strip().lower() != "tensorflow":
        return False
    if importlib.util.find_spec("tensorflow") is None or cpu_lacks_avx():
        return False
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _stderr_captured() as captured:
        try:
            import tensorflow  # noqa: F401
        except Exception as error:  # an ImportError, or anything a broken installation raises
            failure, printed = error, captured()
        else:
            return True
    sys.stderr.write(printed)
    sys.stderr.write(
        f"lstm_course: TensorFlow could not be imported ({type(failure).__name__}: {failure}). "
        "Reinstall it with `pip install -r requirements.txt`.\n"
    )
    return False


def silence_first_use_notices() -> None:
    """Trigger, with the output discarded, the notice that TensorFlow's oneDNN build prints once
    per process at the first transpose of a boolean tensor ("oneDNN supports DT_BOOL only on
    platforms with AVX-512"), which every masked recurrent layer does. This runs a TensorFlow
    operation, so TensorFlow's thread settings are fixed afterwards."""
    if "tensorflow" not in sys.modules:
        return
    import tensorflow as tf

    with _stderr_captured():
        tf.transpose(tf.zeros((1, 1), dtype=tf.bool))
