import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from studyapp.models import Module

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env: dict, shown: str = "settings.DEBUG, settings.SECURE_SSL_REDIRECT") -> subprocess.CompletedProcess:
    """Load the settings in a new process with `env`, and print `shown` (an expression over `settings`)."""
    code = f"import django; django.setup(); from django.conf import settings; print({shown})"
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ENV", "DEBUG"}}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "studyapp.settings", **env}, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "Set SECRET_KEY (or SECRET_KEY_FILE) to run in production mode." in result.stderr


STRONG_KEY = "pZ3x8Qv1Lr7Tn0Wc5Ye2Ku9Hs4Bd6Fg1Jm8Np3Rt5Vx7Zb0Ca2Ek"
FERNET_KEY = "3Rn0b8Vd2gCkT5oQyW1mZ7xH4sJ9aLe6uPfNrB0cDqI="


def test_production_with_a_secret_key_is_locked_down(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(STRONG_KEY)
    result = run_settings({"DJANGO_ENV": "production", "SECRET_KEY_FILE": str(key_file), "LABS_ENCRYPTION_KEY": FERNET_KEY, "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_an_unknown_mode_is_refused():
    assert "DJANGO_ENV must be production, development or test" in run_settings({"DJANGO_ENV": "staging"}).stderr


def test_production_refuses_a_weak_secret_key(tmp_path):
    for weak in ("a-long-random-production-key-for-the-test", "x" * 60, "django-insecure-" + STRONG_KEY):
        result = run_settings({"DJANGO_ENV": "production", "SECRET_KEY": weak, "LABS_ENCRYPTION_KEY": FERNET_KEY, "VAR_DIR": str(tmp_path)})
        assert result.returncode != 0 and "SECRET_KEY is too weak for production" in result.stderr


def test_production_needs_an_encryption_key_of_its_own(tmp_path):
    result = run_settings({"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "VAR_DIR": str(tmp_path)})
    assert result.returncode != 0 and "Set LABS_ENCRYPTION_KEYS" in result.stderr
    (tmp_path / "labs_encryption_key").write_text(FERNET_KEY)
    assert run_settings({"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "VAR_DIR": str(tmp_path)}).returncode == 0


def test_development_generates_the_encryption_key_file_beside_the_secret_key(tmp_path):
    result = run_settings({"DJANGO_ENV": "development", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "labs_encryption_key").read_text().strip()
    assert len(key) == 44 and key != (tmp_path / "secret_key").read_text().strip()
    assert oct((tmp_path / "labs_encryption_key").stat().st_mode)[-3:] == "600"


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}  # (set by conftest)
    env.update({"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "LABS_ENCRYPTION_KEY": FERNET_KEY, "VAR_DIR": str(tmp_path),
                "ALLOWED_HOSTS": "study.example.org", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def database_options(env: dict) -> str:
    result = run_settings({"DJANGO_ENV": "test", **env}, shown="sorted(settings.DATABASES['default']['OPTIONS'].items())")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_binds_on_the_server_so_queries_can_be_prepared_unless_turned_off():
    url = {"DATABASE_URL": "postgres://someone@db.example.org:5432/study"}
    assert database_options(url) == "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert database_options({**url, "DATABASE_PREPARE_THRESHOLD": "2"}) == "[('prepare_threshold', 2), ('server_side_binding', True)]"
    assert database_options({**url, "DATABASE_PREPARED_STATEMENTS": "0"}) == "[]"  # for a pooler that cannot keep them
    assert "server_side_binding" not in database_options({"DATABASE_URL": "sqlite:////tmp/study.sqlite3"})


@pytest.mark.django_db
@pytest.mark.skipif(not settings.DATABASES["default"]["OPTIONS"].get("server_side_binding"), reason="PostgreSQL, prepared statements on")
def test_a_query_run_often_on_postgresql_is_prepared_once_and_answers_the_same():
    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "studyapp_module" in row[0]]

    Module.objects.create(slug="storage", title="Storage", summary="S3", position=1)
    before = prepared()
    answers = [list(Module.objects.filter(slug="storage").values_list("title", flat=True)) for _ in range(10)]  # twice the threshold
    assert answers == [["Storage"]] * len(answers)
    assert len(prepared()) == len(before) + 1
