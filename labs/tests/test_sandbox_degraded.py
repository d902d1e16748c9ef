"""One sandbox service that fails does not take the site down: it is named, and only the labs needing it refuse."""

import pytest
from django.core.cache import caches

from labs.models import AwsConnection, Lab, LabRun
from labs.tests.conftest import CATALOG
from studyapp import health, sandbox
from studyapp.devstack import free_port
from studyapp.sources import read_catalog, sync_catalog


@pytest.fixture
def sandbox_without_athena(settings):
    """A sandbox whose Athena answers 404 to every call, as moto did when the SDK changed Athena's protocol."""
    server = sandbox.start(free_port(), stopped_services={"athena"})
    host, port = server.get_host_and_port()
    settings.AWS_SANDBOX_URL = f"http://{host}:{port}"
    settings.HEALTH_TIMEOUT_SECONDS = 30  # a fresh emulator builds each service on its first call
    caches["shared"].clear()
    health.sandbox_services(fresh=True)  # probed once, patiently; the pages read what it found
    settings.HEALTH_TIMEOUT_SECONDS = 2  # no worker runs here: a lab page's worker ping need not wait 30 s for none
    yield settings.AWS_SANDBOX_URL
    caches["shared"].clear()
    server.stop()


@pytest.fixture
def athena_and_dynamodb_labs(settings, db, fixture_course, tmp_path):
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for slug in ("athena", "dynamodb"):
        (catalog / slug).symlink_to(CATALOG / slug)
    settings.LABS_CATALOG_DIR = catalog
    settings.CONTENT_SOURCES = ["labs.sources.LabSource"]
    sync_catalog(read_catalog())


@pytest.fixture
def alice_in_sandbox(alice_client, alice):
    AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    return alice_client


def test_the_probe_names_the_failed_service_and_finds_the_others_working(sandbox_without_athena):
    states = sandbox.probe(sandbox_without_athena)
    assert states["athena"].startswith("404 ListWorkGroups")
    assert {service for service, state in states.items() if state != "ok"} == {"athena"}


def test_healthz_names_the_failed_service(client, settings, sandbox_without_athena):
    settings.HEALTHZ_TOKEN = "operator-token"  # the details are the operator's
    body = client.get("/healthz", HTTP_AUTHORIZATION="Bearer operator-token").json()
    part = body["parts"]["sandbox"]
    assert part["ok"] is False and "athena" in part["detail"]
    assert part["services"]["athena"].startswith("404") and part["services"]["s3"] == "ok"


def test_the_athena_lab_says_why_it_cannot_launch_and_refuses(alice_in_sandbox, alice, athena_and_dynamodb_labs, sandbox_without_athena):
    page = alice_in_sandbox.get("/labs/athena/")
    assert page.status_code == 200
    assert "athena (404 ListWorkGroups" in page.content.decode() and "cannot launch in the sandbox" in page.content.decode()
    connection = AwsConnection.objects.get(user=alice)
    refused = alice_in_sandbox.post("/labs/athena/launch", {"connection": connection.id})
    assert refused.status_code == 400 and "athena" in refused.content.decode()
    assert not LabRun.objects.filter(lab__slug="athena").exists()


def test_a_lab_that_does_not_need_the_failed_service_still_launches(alice_in_sandbox, alice, athena_and_dynamodb_labs, sandbox_without_athena, django_capture_on_commit_callbacks):
    page = alice_in_sandbox.get("/labs/dynamodb/")
    assert "cannot launch" not in page.content.decode()
    connection = AwsConnection.objects.get(user=alice)
    with django_capture_on_commit_callbacks(execute=False):  # the launch itself is the worker's; here only the request counts
        accepted = alice_in_sandbox.post("/labs/dynamodb/launch", {"connection": connection.id})
    assert accepted.status_code == 302
    assert LabRun.objects.filter(lab=Lab.objects.get(slug="dynamodb")).count() == 1


def test_the_rest_of_the_site_keeps_working(alice_client, loaded_course, sandbox_without_athena):
    assert alice_client.get("/lessons/").status_code == 200


def test_with_redis_down_the_labs_say_they_are_paused_and_reading_and_practice_still_work(alice_client, loaded_course, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: Redis is down
    caches["shared"].clear()
    try:
        labs_page = alice_client.get("/labs/")
        lessons, practice, flashcards = alice_client.get("/lessons/"), alice_client.get("/practice/"), alice_client.get("/flashcards/")
    finally:
        caches["shared"].clear()
    assert labs_page.status_code == 200 and "Labs are paused: the task queue (Redis) is not answering" in labs_page.content.decode()
    assert (lessons.status_code, practice.status_code, flashcards.status_code) == (200, 200, 200)


def test_the_beat_refresh_keeps_the_state_so_a_lab_page_never_probes(alice_in_sandbox, athena_and_dynamodb_labs, sandbox_without_athena, settings, monkeypatch):
    from studyapp import health, tasks

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["studyapp.tasks.refresh_sandbox_services"] < health.SANDBOX_CACHE_SECONDS  # refreshed before it expires
    assert tasks.refresh_sandbox_services() > 1  # as the worker runs it: the probe's answer is kept in the shared cache
    monkeypatch.setattr(sandbox, "probe", lambda *args, **kwargs: pytest.fail("a page probed the sandbox"))
    page = alice_in_sandbox.get(f"/labs/{Lab.objects.get(slug='athena').slug}/").content.decode()
    assert "athena" in page.lower() and "is not working" in page  # the kept state, read without probing
