"""The state of every part the app needs, for /healthz."""

import hmac
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection

SANDBOX_CACHE_SECONDS = 30


@dataclass
class HealthReport:
    parts: dict[str, dict] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)

    @property
    def healthy(self) -> bool:
        return all(self.parts[name]["ok"] for name in self.required)

    def as_dict(self) -> dict:
        return {"status": "ok" if self.healthy else "degraded", "parts": self.parts}


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=settings.HEALTH_TIMEOUT_SECONDS, socket_connect_timeout=settings.HEALTH_TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()
    return "pong"


def check_worker() -> str:
    from .celery import app

    # A fresh connection, so a broker restart never leaves the check holding a dead pooled socket.
    with app.connection_for_write() as connection_:
        # limit=1: the first reply is enough, instead of waiting out the timeout for more.
        replies = app.control.ping(timeout=settings.HEALTH_TIMEOUT_SECONDS, connection=connection_, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered a ping")
    return "a worker answered"


def _sandbox_answers() -> str:
    url = settings.AWS_SANDBOX_URL.rstrip("/") + "/moto-api/"
    try:
        with urllib.request.urlopen(url, timeout=settings.HEALTH_TIMEOUT_SECONDS) as response:
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as error:  # any HTTP answer means the server is up
        return f"HTTP {error.code}"


def sandbox_services(fresh: bool = False) -> dict[str, str]:
    """Each sandbox service's state ("ok" or what it answered), probed at most every SANDBOX_CACHE_SECONDS.

    Kept in the shared cache, which a beat task (studyapp.tasks.refresh_sandbox_services) refreshes
    before it expires, so a lab page does not wait on the probe; a page probes only when nothing is
    kept (no beat running, or the first request). Empty when no sandbox is configured or it does not
    answer at all.
    """
    if not settings.AWS_SANDBOX_URL:
        return {}
    key = f"sandbox-services:{settings.AWS_SANDBOX_URL}"
    shared = caches["shared"]
    services = None if fresh else shared.get(key)
    if services is None:
        from . import sandbox

        try:
            _sandbox_answers()
        except OSError:
            services = {}
        else:
            services = sandbox.probe(settings.AWS_SANDBOX_URL, timeout=settings.HEALTH_TIMEOUT_SECONDS)
        shared.set(key, services, SANDBOX_CACHE_SECONDS)
    return services


def check_sandbox() -> str:
    if not settings.AWS_SANDBOX_URL:
        raise RuntimeError("AWS_SANDBOX_URL is not set")
    from .sandbox import is_broken

    answer = _sandbox_answers()
    failed = sorted(service for service, state in sandbox_services().items() if is_broken(state))
    if failed:
        raise RuntimeError(f"{', '.join(failed)} not working; the other services are")
    return answer


def _run(check: Callable[[], str]) -> dict:
    started = time.monotonic()
    try:
        detail, ok = check(), True
    except Exception as error:  # a health check reports every failure instead of raising
        detail, ok = f"{type(error).__name__}: {error}", False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000)}


def background_problem() -> str | None:
    """Why lab work cannot run right now (Redis or every worker down), in a learner's words; checked at most every 30 s."""
    key = f"background-problem:{settings.REDIS_URL}"
    problem = cache.get(key, "unchecked")
    if problem == "unchecked":
        if not _run(check_redis)["ok"]:
            problem = "the task queue (Redis) is not answering"
        elif not _run(check_worker)["ok"]:
            problem = "no background worker is running"
        else:
            problem = None
        cache.set(key, problem, SANDBOX_CACHE_SECONDS)
    return problem


def check_all() -> HealthReport:
    report = HealthReport()
    report.parts["database"] = _run(check_database)
    report.parts["redis"] = _run(check_redis)
    # Pinging the worker through a broker that is down would only wait for the timeout.
    if report.parts["redis"]["ok"]:
        report.parts["worker"] = _run(check_worker)
    else:
        report.parts["worker"] = {"ok": False, "detail": "skipped: Redis is down", "ms": 0}
    report.parts["sandbox"] = _run(check_sandbox)
    if settings.AWS_SANDBOX_URL:
        report.parts["sandbox"]["services"] = sandbox_services()
    report.required = {"database", "redis", "worker"} | ({"sandbox"} if settings.AWS_SANDBOX_REQUIRED else set())
    return report


_cache_lock = threading.Lock()
_cached: tuple[float, HealthReport] | None = None


def cached_report() -> HealthReport:
    """check_all(), at most once per HEALTH_CACHE_SECONDS per process, so hammering /healthz costs nothing."""
    global _cached
    with _cache_lock:
        if _cached is None or time.monotonic() - _cached[0] >= settings.HEALTH_CACHE_SECONDS:
            _cached = (time.monotonic(), check_all())
        return _cached[1]


def may_see_details(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(sent.encode(), token.encode())
