"""The sizes of saved models and the record of the environment a result came from."""

import json

import pytest

from lstm_course import shipping


def test_size_on_disk_of_a_file_and_of_a_folder(tmp_path):
    (tmp_path / "model.keras").write_bytes(b"x" * 100)
    folder = tmp_path / "saved_model"
    (folder / "variables").mkdir(parents=True)
    (folder / "saved_model.pb").write_bytes(b"x" * 30)
    (folder / "variables" / "variables.data").write_bytes(b"x" * 12)
    assert shipping.size_on_disk(tmp_path / "model.keras") == 100
    assert shipping.size_on_disk(folder) == 42  # files in sub-folders count too
    assert shipping.size_on_disk(str(folder)) == 42


def test_size_on_disk_of_a_missing_path_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="save or export the model there first"):
        shipping.size_on_disk(tmp_path / "never_saved.keras")


def test_cpu_model_reads_cpuinfo():
    cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
    assert shipping.cpu_model(cpuinfo) == "Intel(R) Xeon(R) CPU @ 2.20GHz"
    assert shipping.cpu_model("Hardware\t: BCM2835\n") == "BCM2835"
    assert shipping.cpu_model("processor\t: 0\n")  # no name in the text: falls back to the platform


def test_environment_is_plain_json_and_names_the_versions(monkeypatch):
    monkeypatch.setenv("LSTM_COURSE_PROFILE", "standard")
    env = shipping.environment()
    assert json.loads(json.dumps(env)) == env
    import numpy

    assert env["numpy"] == numpy.__version__
    assert env["run_profile"] == "standard"
    assert env["python"].count(".") == 2
    assert isinstance(env["cpu_count"], int) and env["cpu_count"] >= 1
    assert isinstance(env["devices"], list)


def test_environment_differences():
    recorded = {"tensorflow": "2.21.0", "cpu_count": 2, "cpu": "A"}
    current = {"tensorflow": "2.22.0", "cpu_count": 2, "devices": ["CPU"]}
    assert shipping.environment_differences(recorded, current) == {
        "tensorflow": ("2.21.0", "2.22.0"),
        "cpu": ("A", None),
        "devices": (None, ["CPU"]),
    }
    assert shipping.environment_differences(current, dict(current)) == {}


def test_environment_differences_with_this_process():
    env = shipping.environment()
    assert shipping.environment_differences(env) == {}
    changed = dict(env, numpy="0.0.1")
    assert shipping.environment_differences(changed) == {"numpy": ("0.0.1", env["numpy"])}


def test_environment_differences_rejects_a_json_string():
    text = json.dumps({"numpy": "2.0"})
    with pytest.raises(TypeError, match=r"json\.loads"):
        shipping.environment_differences(text)
