import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
TOKEN = "health-token-for-tests"


@pytest.fixture
def client(client, settings):
    """The operator's monitoring: the health token shows every part's details."""
    settings.HEALTHZ_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


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


def test_anonymous_callers_get_only_ok_or_not_ok(settings, celery_worker_process):
    from django.test import Client

    settings.HEALTHZ_TOKEN = TOKEN
    settings.AWS_SANDBOX_URL = "http://127.0.0.1:9"
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}):
        response = Client().get("/healthz", **headers)
        assert response.status_code == 503 and response.json() == {"status": "degraded"}
        assert "127.0.0.1" not in response.content.decode()


def test_staff_see_the_details(settings, celery_worker_process, aws_sandbox):
    from django.contrib.auth.models import User
    from django.test import Client

    staff = Client()
    staff.force_login(User.objects.create_user("operator", is_staff=True))
    assert set(staff.get("/healthz").json()["parts"]) == {"database", "redis", "worker", "sandbox"}


def test_results_are_cached_for_a_few_seconds(settings, monkeypatch, db):
    from django.test import Client

    from studyapp import health

    calls = []
    monkeypatch.setattr(health, "check_all", lambda: calls.append(1) or health.HealthReport(parts={"database": {"ok": True}}, required={"database"}))
    monkeypatch.setattr(health, "_cached", None)
    settings.HEALTH_CACHE_SECONDS = 30
    assert [Client().get("/healthz").status_code for _ in range(20)] == [200] * 20
    assert len(calls) == 1
