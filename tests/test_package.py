"""``import lstm_course`` has no side effects on TensorFlow, and every module it lists exists."""

import os
import subprocess
import sys
from pathlib import Path

import lstm_course
from lstm_course import quiet

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **env_changes) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name in ("TF_CPP_MIN_LOG_LEVEL", "KERAS_BACKEND"):
        env.pop(name, None)
    env.update(env_changes)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_importing_the_package_leaves_tensorflows_settings_open():
    result = _run(
        "import lstm_course\n"
        "import tensorflow as tf\n"
        "tf.config.threading.set_intra_op_parallelism_threads(1)\n"
        "tf.config.threading.set_inter_op_parallelism_threads(1)\n"
        "tf.config.set_visible_devices([], 'GPU')\n"
        "assert tf.config.threading.get_intra_op_parallelism_threads() == 1\n"
        "print('settings changed')\n"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "settings changed" in result.stdout


def test_with_another_keras_backend_tensorflow_is_not_imported():
    result = _run(
        "import sys, lstm_course\nfrom lstm_course import data, profiles\nprint('tensorflow' in sys.modules)\n",
        KERAS_BACKEND="jax",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "False"


def test_tensorflows_start_up_lines_stay_off_the_page():
    loud = _run("import tensorflow as tf\ntf.transpose(tf.zeros((1, 1), dtype=tf.bool))\n")
    quiet_run = _run(
        "import lstm_course as lc, tensorflow as tf\nlc.start_notebook()\n"
        "tf.transpose(tf.zeros((1, 1), dtype=tf.bool))\n"
    )  # a masked RNN's first op
    assert quiet_run.returncode == 0 and quiet_run.stderr.strip() == "", quiet_run.stderr
    assert "Run profile:" in quiet_run.stdout
    # the check means something only where TensorFlow does print at start-up (it does on this CI machine)
    if os.environ.get("CI"):
        assert loud.stderr.strip(), "TensorFlow printed nothing at start-up: this test checks nothing here"


def test_what_a_failing_tensorflow_prints_is_shown(tmp_path):
    fake = tmp_path / "tensorflow"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "import os\nos.write(2, b'This TensorFlow binary needs a newer CPU\\n')\n"
        "raise ImportError('libtensorflow_framework.so.2: cannot open shared object file')\n"
    )
    result = _run(
        "import lstm_course\nprint(lstm_course.lstm_param_count(1, 1))\n", PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}"
    )
    assert result.returncode == 0 and result.stdout.strip() == "12"  # the NumPy parts still work
    assert "This TensorFlow binary needs a newer CPU" in result.stderr
    assert "TensorFlow could not be imported (ImportError: libtensorflow_framework" in result.stderr


def test_a_cpu_without_avx_is_not_silenced():
    assert quiet.cpu_lacks_avx("flags\t\t: fpu vme sse sse2 ssse3 sse4_1\n", "x86_64")
    assert not quiet.cpu_lacks_avx("flags\t\t: fpu sse2 avx avx2\n", "x86_64")
    assert not quiet.cpu_lacks_avx("Features\t: fp asimd\n", "aarch64")  # TensorFlow needs no AVX there


def test_submodules_load_on_first_use():
    for name in lstm_course.SUBMODULES:
        module = getattr(lstm_course, name)
        assert module.__name__ == f"lstm_course.{name}"
    assert set(lstm_course.SUBMODULES) == {p.stem for p in (ROOT / "lstm_course").glob("*.py")} - {"__init__"}


def test_the_package_version_is_the_installed_one():
    from importlib.metadata import version

    assert lstm_course.__version__ == version("lstm_course")
