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


def test_the_badge_comes_in_the_same_round_trip_as_the_user(alice_client, alice, run, monkeypatch):
    from django.core.cache import caches

    shared = caches["shared"]
    single, many = [], []
    real_get, real_get_many = shared.get, shared.get_many

    def get(key, *args, **kwargs):
        if not inside_get_many:  # the test's local cache answers get_many with one get per key; Redis with one MGET
            single.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        many.append(list(keys))
        inside_get_many.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    inside_get_many = []
    monkeypatch.setattr(shared, "get", get)
    monkeypatch.setattr(shared, "get_many", get_many)
    assert "1 running" in _badge(alice_client)  # the first page stores the badge
    single.clear(), many.clear()
    assert "1 running" in _badge(alice_client)
    assert many == [[f"auth-user:{alice.pk}", f"labs-running:{alice.pk}"]]
    assert f"labs-running:{alice.pk}" not in single


def test_what_is_read_with_the_user_is_taken_once_and_never_cached_with_it(alice, run):
    from django.core.cache import caches

    from labs.progress import running, running_cache_key
    from studyapp import auth_backend

    backend = auth_backend.CachedUserBackend()
    caches["shared"].delete(f"auth-user:{alice.pk}")
    running(alice)  # the badge is in the cache
    user = backend.get_user(alice.pk)  # read from the database, then cached
    assert not hasattr(caches["shared"].get(f"auth-user:{alice.pk}"), "_read_with_user")
    key = running_cache_key(alice.pk)
    assert auth_backend.read_with_user(user, key)[1][0][0] == run.id
    assert auth_backend.read_with_user(user, key) is auth_backend.NOT_READ  # taken: a second reader reads Redis itself
    assert auth_backend.read_with_user(alice, key) is auth_backend.NOT_READ  # a user not from the backend
    assert [row["url"] for row in running(user)] == [f"/labs/runs/{run.id}/"]
