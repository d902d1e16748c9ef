"""Shared fixtures: fixed learners, real servers, a loaded test course, the browser."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from studyapp.devstack import free_port
from studyapp.testing.services import CeleryWorker, RedisServer, database_url

# Playwright's sync API runs an event loop in the test thread; the tests' ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FIXTURE_CONTENT = Path(__file__).parent / "studyapp" / "tests" / "fixtures" / "content"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice", "alice@example.org", "alice-password-1")


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user("bob", "bob@example.org", "bob-password-1")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def fixture_course(settings, tmp_path) -> Path:
    """A copy of the small test course, so a test may edit or delete its files."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    settings.CONTENT_DIR = content
    # The real bank and exercises link to the real course; their tests bring their own.
    settings.QUIZZES_DIR = tmp_path / "no-quizzes"
    settings.WORKBENCH_EXERCISES_DIR = tmp_path / "no-exercises"
    # The real course's ratchets name the real course's items; the test course has its own.
    settings.CONTENT_RATCHETS_DIR = tmp_path / "ratchets"
    shutil.copytree(FIXTURE_CONTENT.parent / "ratchets", settings.CONTENT_RATCHETS_DIR)
    return content


@pytest.fixture
def loaded_course(fixture_course, db):
    from studyapp.sync import read_default_course, sync_lessons

    sync_lessons(read_default_course())
    return fixture_course


@pytest.fixture(scope="session")
def redis_server():
    """A Redis of the tests' own (never the machine's), which a test may stop and restart."""
    from django.conf import settings

    from studyapp.celery import app

    server = RedisServer(free_port())
    server.start()
    settings.REDIS_URL = server.url
    app.conf.update(broker_url=server.url, result_backend=server.url)
    # Pools made before this (a page that pinged the workers, say) still point at the old broker: control
    # messages such as pings are published through them, so forget them and let Celery look up the new
    # broker's (closing them would close kombu's shared pool for the new URL too).
    app._pool = None
    app.amqp._producer_pool = None
    # The result backend too: a result fetched earlier made one for the old URL.
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def celery_worker_process(redis_server, aws_sandbox, django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    worker = CeleryWorker(url)
    worker.start()
    _session_worker.append(worker)
    yield worker
    _session_worker.clear()
    worker.stop()


_session_worker: list[CeleryWorker] = []


@pytest.fixture(autouse=True)
def _worker_idle_before_flush(_django_db_marker):
    """Once the session's worker runs, a test whose writes were committed (not wrapped in a transaction rolled back
    at the end) may have handed it tasks: they finish before the flush empties the tables under them. Depends on
    pytest-django's marker fixture so this runs before its flush."""
    from django.db import connection

    yield
    if _session_worker and not connection.in_atomic_block:
        _session_worker[0].wait_until_idle()


@pytest.fixture(scope="session")
def aws_sandbox():
    from django.conf import settings

    from studyapp import sandbox
    from studyapp.sandbox_gateway import Gateway

    port = free_port()
    server = sandbox.start(port)
    settings.AWS_SANDBOX_URL = os.environ["AWS_SANDBOX_URL"] = f"http://127.0.0.1:{port}"  # the worker inherits it
    # The learners' way in, checking signatures against the test database's sandbox keys.
    gateway = Gateway("127.0.0.1", 0, settings.AWS_SANDBOX_URL).start()
    settings.AWS_SANDBOX_GATEWAY_URL = os.environ["AWS_SANDBOX_GATEWAY_URL"] = gateway.url
    yield settings.AWS_SANDBOX_URL
    gateway.stop()
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing: .ci/run must install chromium")
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# The quiz fixtures serve the dashboard and browser tests too.
from labs.tests.conftest import loaded_labs  # noqa: E402, F401
from quizzes.tests.conftest import bank_dir, exam_bank, loaded_bank, short_exam  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rate-limit counts and the shared cache (in memory under tests) never carry from one test to the next."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    caches["shared"].clear()  # cached users and sessions: SQLite reuses ids after a rolled-back test
