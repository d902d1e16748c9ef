"""The production stack the benchmark drives: a database, Redis and gunicorn on free loopback ports.

PostgreSQL is used when one answers on 127.0.0.1:5432 (a database of the benchmark's own,
created here and dropped at the end); otherwise SQLite, and the report says so.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

from studyapp.devstack import BASE_DIR, free_port, redis_command

POSTGRES = ("127.0.0.1", 5432)
GUNICORN_WORKERS = 4


def postgres_reachable() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(POSTGRES) == 0


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{POSTGRES[0]}:{POSTGRES[1]}/postgres", autocommit=True) as connection:
        connection.execute(statement)


@contextmanager
def database(var_dir: Path):
    """Yields (DATABASE_URL, description)."""
    if not postgres_reachable():
        yield f"sqlite:///{var_dir / 'bench.sqlite3'}", "SQLite (no PostgreSQL answers on 127.0.0.1:5432)"
        return
    name = f"bench_{os.getpid()}"
    _admin_sql(f"DROP DATABASE IF EXISTS {name}")
    _admin_sql(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://postgres@{POSTGRES[0]}:{POSTGRES[1]}/{name}", f"PostgreSQL (database {name}, dropped afterwards)"
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@contextmanager
def redis(var_dir: Path):
    port = free_port()
    process = subprocess.Popen(redis_command(port, var_dir / "redis", persist=False), stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def production_env(var_dir: Path, database_url: str, redis_url: str) -> dict:
    """Production settings as an operator sets them; plain HTTP on loopback, so no TLS redirects or secure cookies."""
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LABS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "AWS_SANDBOX_REQUIRED": "0",
        "ROOT_URLCONF": "bench.urls",  # the app's pages and the benchmark's two reference pages
    }


@contextmanager
def gunicorn(env: dict, log: Path):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "studyapp.wsgi", "--workers", str(GUNICORN_WORKERS), "--bind", f"127.0.0.1:{port}",
               "--backlog", "2048", "--timeout", "60", "--log-level", "warning"]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process)
        base = f"http://127.0.0.1:{port}"
        urllib.request.urlopen(base + "/", timeout=30).read()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def var_dir():
    path = Path(tempfile.mkdtemp(prefix="studyapp-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
