"""Real servers for the tests: Redis, a Celery worker, the AWS sandbox."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from studyapp.devstack import BASE_DIR, redis_command


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


class RedisServer:
    """A throwaway redis-server that a test may stop and start again on the same port."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.data_dir = Path(tempfile.mkdtemp(prefix="studyapp-redis-"))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(redis_command(self.port, self.data_dir, persist=False), stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class CeleryWorker:
    """`celery worker` in its own process, reading the test database."""

    def __init__(self, database_url: str, queues: str = "", env: dict | None = None, pool: str = "solo", concurrency: int = 1):
        self.database_url = database_url
        self.pool, self.concurrency = pool, concurrency
        self.queues, self.env = queues, env or {}
        self.hostname = f"test-{os.getpid()}-{id(self)}@{socket.gethostname()}"  # so a ping reaches this worker, not another
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="studyapp-worker-", suffix=".log", delete=False)

    def start(self) -> None:
        from django.conf import settings

        env = {**os.environ, "DATABASE_URL": self.database_url, "DJANGO_ENV": "test", "REDIS_URL": settings.REDIS_URL, **self.env}
        command = [sys.executable, "-m", "celery", "-A", "studyapp", "worker", f"--pool={self.pool}", f"--concurrency={self.concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                   "--hostname", self.hostname] + (["--queues", self.queues] if self.queues else [])
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Until this worker answers a ping (after start, or after its broker came back)."""
        from studyapp.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited: see {self.log.name}")
            try:
                with app.connection_for_write() as connection:  # fresh: a restarted broker leaves no dead pooled socket
                    if app.control.ping(destination=[self.hostname], timeout=1, connection=connection):
                        return
            except Exception:  # not up yet, or the broker is still coming back
                pass
            time.sleep(0.2)
        raise TimeoutError(f"the Celery worker did not answer a ping in {timeout}s: see {self.log.name}")

    def wait_until_idle(self, timeout: float = 30) -> None:
        """Until this worker runs no task and none waits for it. A transactional test's flush (TRUNCATE) and a
        task still writing take their locks in different orders and can deadlock, failing the flush."""
        import redis
        from django.conf import settings

        from studyapp.celery import app

        deadline = time.monotonic() + timeout
        while self.process and self.process.poll() is None and time.monotonic() < deadline:
            try:
                with redis.Redis.from_url(settings.REDIS_URL) as client:
                    waiting = client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
                with app.connection_for_write() as connection:
                    inspect = app.control.inspect(destination=[self.hostname], timeout=1, connection=connection)
                    replies = (inspect.active(), inspect.reserved())  # None: no answer, as a solo worker mid-task gives
            except Exception:  # a test stopped the broker: no task can reach the worker
                return
            if not waiting and None not in replies and not any(reply.get(self.hostname) for reply in replies):
                return
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no clean shutdown, no acknowledgement."""
        self.process.kill()
        self.process.wait(timeout=15)
        self.process = None

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the (test) database a connection points at."""
    name = settings_dict["NAME"]
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(name).resolve()}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"
