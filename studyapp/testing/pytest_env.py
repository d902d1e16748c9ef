"""Loaded by pytest (`-p`) before Django's settings: selects the test mode.

It also fixes the addresses of the test Redis and AWS sandbox now, because the
settings (and Celery's configuration) are read once; the fixtures in conftest.py
start those servers on these ports only when a test needs them.
"""

import os

from studyapp.devstack import free_port

os.environ.setdefault("DJANGO_ENV", "test")
# Playwright's sync API runs an event loop in the test thread; the tests' ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ["TEST_REDIS_PORT"] = str(free_port())
os.environ["REDIS_URL"] = f"redis://127.0.0.1:{os.environ['TEST_REDIS_PORT']}/0"
os.environ["TEST_SANDBOX_PORT"] = str(free_port())
os.environ["AWS_SANDBOX_URL"] = f"http://127.0.0.1:{os.environ['TEST_SANDBOX_PORT']}"
os.environ.setdefault("HEALTH_TIMEOUT_SECONDS", "1")
