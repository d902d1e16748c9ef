"""Shared fixtures: fixed learners, real servers, a loaded test course, the browser."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from studyapp.testing.services import CeleryWorker, RedisServer, database_url

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
    return content


@pytest.fixture
def loaded_course(fixture_course, db):
    from studyapp.sync import read_default_course, sync_lessons

    sync_lessons(read_default_course())
    return fixture_course


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer(int(os.environ["TEST_REDIS_PORT"]))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def celery_worker_process(redis_server, django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    worker = CeleryWorker(url)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def aws_sandbox():
    from studyapp import sandbox

    server = sandbox.start(int(os.environ["TEST_SANDBOX_PORT"]))
    url = os.environ["AWS_SANDBOX_URL"]
    yield url
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
