"""`giamsat check --deploy --fail-level WARNING` is clean with deploy/production.env.example,
and the check does catch a weakened setting."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "production.env.example"


def read_env(path: Path) -> dict[str, str]:
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=VALUE: {raw!r}"
        values[key.strip()] = value.strip()
    return values


def run_check(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    env = read_env(EXAMPLE)
    env["SECRET_KEY"] = env["SECRET_KEY"] or secrets.token_urlsafe(64)
    # the example leaves every secret empty on purpose; an operator fills them in
    env["GIAMSAT_RECEIPT_KEY"] = env["GIAMSAT_RECEIPT_KEY"] or secrets.token_urlsafe(64)
    env["GIAMSAT_SEAL_KEYS"] = env["GIAMSAT_SEAL_KEYS"] or Fernet.generate_key().decode()
    env["GIAMSAT_DATA_DIR"] = str(tmp_path)
    env["GIAMSAT_BACKUP_DIR"] = str(tmp_path / "backups")
    env.update(overrides)
    env.update(
        PATH=os.environ.get("PATH", ""),
        DJANGO_SETTINGS_MODULE="giamsat.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    return subprocess.run(
        [sys.executable, "-m", "giamsat.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_example_lists_only_known_variables():
    settings_text = (ROOT / "src" / "giamsat" / "settings.py").read_text(encoding="utf-8")
    for key in read_env(EXAMPLE):
        assert f'"{key}"' in settings_text, f"{key} is not read by settings.py"


def test_the_example_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize("key", ["GIAMSAT_RECEIPT_KEY", "GIAMSAT_SEAL_KEYS"])
def test_the_example_refuses_to_start_without_petition_keys(tmp_path, key):
    result = run_check(tmp_path, **{key: ""})
    assert result.returncode != 0
    assert f"{key} is required" in result.stderr


def test_check_deploy_is_clean_with_the_production_example(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_check_catches_weakened_settings(tmp_path):
    """One run with four weakened settings reports each of them (the check is not a no-op)."""
    result = run_check(
        tmp_path,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="false",
        DEBUG="true",
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for code in ("security.W008", "security.W004", "security.W012", "security.W018"):
        assert code in output, code
