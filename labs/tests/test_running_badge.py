"""The navigation's running-lab badge is kept per learner in the shared cache and dropped by every write that changes it."""

import pytest
from django.test import Client

from labs.models import AwsConnection, Lab, LabRun
from studyapp import content_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(alice, loaded_labs):
    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    return LabRun.objects.create(user=alice, lab=Lab.objects.get(slug="setup"), connection=connection, prefix="dea-badge001", state=LabRun.READY,
                                 expires_at="2030-01-01T00:00:00Z")


def _badge(client: Client) -> str:
    page = client.get("/lessons/").content.decode()
    start = page.find('class="running-labs"')
    return "" if start < 0 else page[start:page.find("</a>", start)]


def test_a_bulk_state_change_drops_the_badge_at_once(alice_client, run):
    assert "1 running" in _badge(alice_client)
    LabRun.objects.filter(id=run.id).update(state=LabRun.DELETED)  # as the teardown task writes it: no save signal
    assert _badge(alice_client) == ""


def test_a_new_run_and_a_deleted_one_change_the_badge(alice_client, run):
    assert "1 running" in _badge(alice_client)
    LabRun.objects.create(user=run.user, lab=run.lab, connection=run.connection, prefix="dea-badge002", state=LabRun.REQUESTED, expires_at=run.expires_at)
    assert "2 running" in _badge(alice_client)
    run.delete()
    assert "1 running" in _badge(alice_client)


def test_updates_that_do_not_change_the_badge_keep_it_without_a_query(alice_client, run, django_assert_num_queries):
    content_digest.record("synced")  # the course outline is kept too, as after a sync_content
    _badge(alice_client)
    LabRun.objects.filter(id=run.id).update(teardown_attempts=1)
    with django_assert_num_queries(1):  # the lesson ticks only: no session, user or lab-run read
        alice_client.get("/lessons/")


def test_a_content_sync_that_renames_the_lab_replaces_the_badge(alice_client, run):
    content_digest.record("first")
    assert run.lab.title in alice_client.get("/lessons/").content.decode()
    Lab.objects.filter(id=run.lab_id).update(title="Renamed lab")
    content_digest.record("second")  # what sync_content writes last
    assert "Renamed lab" in _badge(alice_client)


def test_each_learner_has_their_own_badge(alice_client, run, bob):
    bob_client = Client()
    bob_client.force_login(bob)
    assert _badge(bob_client) == "" and "1 running" in _badge(alice_client)
    LabRun.objects.create(user=bob, lab=run.lab, connection=AwsConnection.objects.create(user=bob, kind=AwsConnection.SANDBOX, name="s"),
                          prefix="dea-badge003", state=LabRun.READY, expires_at=run.expires_at)
    assert "1 running" in _badge(bob_client) and "1 running" in _badge(alice_client)
