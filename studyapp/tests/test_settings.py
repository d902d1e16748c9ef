import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)"
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ENV", "DEBUG"}}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "studyapp.settings", **env}, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "Set SECRET_KEY (or SECRET_KEY_FILE) to run in production mode." in result.stderr


def test_production_with_a_secret_key_is_locked_down(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("a-long-random-production-key-for-the-test")
    result = run_settings({"DJANGO_ENV": "production", "SECRET_KEY_FILE": str(key_file)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_an_unknown_mode_is_refused():
    assert "DJANGO_ENV must be production, development or test" in run_settings({"DJANGO_ENV": "staging"}).stderr
