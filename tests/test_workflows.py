"""The GitHub Actions workflows are valid (actionlint) and do what the README says they do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def _workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True.
    return yaml.safe_load((WORKFLOWS / name).read_text())


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _uses(workflow: dict, job: str) -> list[str]:
    return [step["uses"].split("@")[0] for step in _steps(workflow, job) if "uses" in step]


def _runs(workflow: dict, job: str) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow, job))


def test_actionlint_finds_nothing():
    actionlint = Path(sys.executable).with_name("actionlint")
    if not actionlint.is_file():
        pytest.fail("actionlint is not installed: `make venv` installs requirements-dev.txt")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 3, files
    result = subprocess.run(
        [str(actionlint), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_run_what_ci_runs():
    ci = _workflow("ci.yml")
    assert "pull_request" in ci[True] and ci[True]["push"]["branches"] == ["main"]
    assert "bash .ci/run" in _runs(ci, "test")
    cached = [step["with"]["path"] for step in _steps(ci, "test") if step.get("uses", "").startswith("actions/cache")]
    assert any(path.endswith("/.cache/uv") for path in cached), "uv's cache (make venv installs with uv) is not cached"
    assert "./.github/actions/datasets" in _uses(ci, "test"), "the datasets are not cached and fetched"


def test_main_publishes_the_standard_site_with_the_execution_cache():
    publish = _workflow("publish.yml")
    build = publish["jobs"]["build"]
    assert build["env"]["LSTM_COURSE_PROFILE"] == "standard"
    steps = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    restore, save = steps["actions/cache/restore"]["with"], steps["actions/cache/save"]["with"]
    assert restore["path"] == save["path"] == "_build/.jupyter_cache"
    for part in ("standard", "hashFiles('requirements.lock')", "github.run_id"):
        assert part in restore["key"], f"the execution cache's key lacks {part}"
    assert restore["key"].startswith(restore["restore-keys"]) and "run_id" not in restore["restore-keys"]
    assert steps["actions/cache/save"]["if"] == "always()", "executions of a failed build are lost"
    assert 'tools/notebook_setup.py --repository "https://github.com/${GITHUB_REPOSITORY}"' in _runs(publish, "build")
    assert "make site" in _runs(publish, "build")
    assert "make pdf" in _runs(publish, "build") and "tests/test_pdf.py" in _runs(publish, "build")
    assert "actions/upload-pages-artifact" in steps and "actions/deploy-pages" in _uses(publish, "deploy")
    reports = steps["actions/upload-artifact"]
    assert reports["if"] == "failure()" and "_build/html/reports/" in reports["with"]["path"]


def test_weekly_cold_build_with_new_releases_opens_an_issue_on_failure():
    weekly = _workflow("weekly.yml")
    assert weekly[True]["schedule"], "no schedule"
    runs = _runs(weekly, "build")
    assert "make lock" in runs and "make site" in runs
    assert not any(u.startswith("actions/cache") for u in _uses(weekly, "build")), "a cold build restores no cache"
    report = weekly["jobs"]["report"]
    assert report["if"] == "failure()" and report["permissions"] == {"issues": "write"}
    assert "gh issue create" in _runs(weekly, "report")


def test_the_ner_corpus_comes_from_kaggle_with_repository_secrets():
    action = yaml.safe_load((ROOT / ".github" / "actions" / "datasets" / "action.yml").read_text())
    script = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "kaggle datasets download abhinavwalia95/entity-annotated-corpus" in script
    assert '-p "$LSTM_COURSE_DATA"' in script
    readme = (ROOT / "README.md").read_text()
    for secret in ("KAGGLE_USERNAME", "KAGGLE_KEY"):
        assert secret in readme, f"README does not say how to set the {secret} secret"
        for name in WORKFLOWS.glob("*.yml"):
            assert f"secrets.{secret}" in name.read_text(), f"{name.name} does not pass {secret}"
