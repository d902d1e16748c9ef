import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_healthz_is_200_when_every_part_is_up(client, celery_worker_process, aws_sandbox):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {name: part["ok"] for name, part in body["parts"].items()} == {"database": True, "redis": True, "worker": True, "sandbox": True}


def test_healthz_is_503_when_redis_is_down(client, redis_server, celery_worker_process, aws_sandbox):
    redis_server.stop()
    try:
        response = client.get("/healthz")
    finally:
        redis_server.start()
        celery_worker_process.wait_until_ready()
    body = response.json()
    assert response.status_code == 503
    assert body["parts"]["redis"]["ok"] is False and "Error" in body["parts"]["redis"]["detail"]
    assert body["parts"]["worker"]["ok"] is False


def test_healthz_is_503_when_the_sandbox_is_required_but_missing(client, settings, celery_worker_process):
    settings.AWS_SANDBOX_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["parts"]["sandbox"]["ok"] is False


def test_an_optional_sandbox_does_not_fail_health(client, settings, celery_worker_process):
    settings.AWS_SANDBOX_URL = "http://127.0.0.1:9"
    settings.AWS_SANDBOX_REQUIRED = False
    assert client.get("/healthz").status_code == 200
