import pytest

from studyapp.tasks import echo

pytestmark = pytest.mark.worker


def test_a_task_round_trips_through_redis_and_a_real_worker(celery_worker_process):
    result = echo.delay("hello from the test")
    assert result.get(timeout=20) == "hello from the test"


@pytest.mark.django_db(transaction=True)
def test_deleting_an_account_removes_everything_through_the_worker(client, celery_worker_process, settings):
    import time

    from django.contrib.auth.models import User

    user = User.objects.create_user("erin", "erin@example.org", "erin-password-1")
    client.force_login(user)
    response = client.post("/accounts/delete/", {"password": "erin-password-1"})
    assert response.status_code == 200 and b"being deleted" in response.content
    assert client.get("/progress/").status_code == 302  # logged out at once
    deadline = time.monotonic() + 20
    while User.objects.filter(username="erin").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not User.objects.filter(username="erin").exists()


def test_waiting_for_the_worker_to_be_idle_waits_out_every_task_sent_to_it(celery_worker_process):
    results = [echo.delay(f"task {number}") for number in range(40)]
    celery_worker_process.wait_until_idle()
    assert all(result.ready() for result in results)
