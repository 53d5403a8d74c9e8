"""Settings from the environment: no real site without a real secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.pop("SHELFWISE_TESTING", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_secret_the_site_refuses_to_start():
    done = _run("check")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_without_a_secret_the_migration_check_still_runs():
    done = _run("makemigrations", "--check", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout
