import pytest

from studyapp.tasks import echo

pytestmark = pytest.mark.worker


def test_a_task_round_trips_through_redis_and_a_real_worker(celery_worker_process):
    result = echo.delay("hello from the test")
    assert result.get(timeout=20) == "hello from the test"
