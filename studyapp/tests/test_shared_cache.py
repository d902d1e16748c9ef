"""Sessions and signed-in users are read from the shared cache; every change to a user is seen on the next request."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client

from studyapp import content_digest

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    return client.get("/lessons/").status_code == 200


def test_a_page_reads_neither_the_session_nor_the_user_from_the_database(alice_client, django_assert_num_queries):
    content_digest.record("synced")  # the course outline is kept too, as after a sync_content
    alice_client.get("/lessons/")
    with django_assert_num_queries(1):  # the lesson ticks only
        assert alice_client.get("/lessons/").status_code == 200


def test_a_deactivated_learner_is_signed_out_at_the_next_request(alice_client, alice):
    assert _signed_in(alice_client)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert not _signed_in(alice_client)


def test_a_password_changed_elsewhere_signs_the_old_session_out(alice_client, alice):
    assert _signed_in(alice_client)
    user = User.objects.get(id=alice.id)  # another process's copy
    user.set_password("a-new-password-2")
    user.save()
    assert not _signed_in(alice_client)


def test_a_deleted_learners_session_opens_nothing(alice_client, alice):
    assert _signed_in(alice_client)
    alice.delete()
    assert not _signed_in(alice_client)


def test_a_renamed_learner_sees_the_new_name(alice_client, alice):
    assert ">alice</summary>" in alice_client.get("/lessons/").content.decode()
    alice.username = "alice2"
    alice.save()
    assert ">alice2</summary>" in alice_client.get("/lessons/").content.decode()


def test_each_learner_is_kept_under_their_own_key(alice_client, bob):
    client = Client()
    client.force_login(bob)
    assert ">bob</summary>" in client.get("/lessons/").content.decode()
    assert ">alice</summary>" in alice_client.get("/lessons/").content.decode()
    assert ">bob</summary>" in client.get("/lessons/").content.decode()


def test_a_session_lost_from_the_cache_is_read_back_from_the_database(alice_client):
    assert _signed_in(alice_client)
    caches["shared"].clear()  # Redis restarted
    assert _signed_in(alice_client)


def test_logging_out_ends_the_session_everywhere(alice_client):
    cookie = alice_client.cookies["sessionid"].value
    alice_client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert not _signed_in(replay)


def test_an_unreachable_redis_is_a_miss_not_an_error():
    from studyapp.redis_cache import RedisCache

    away = RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})  # the discard port: nothing listens
    away.set("k", "v")
    away.delete("k")
    assert away.get("k") is None and away.get("k", "fallback") == "fallback" and away.get_many(["k"]) == {}


def test_an_entry_stored_from_rows_read_before_the_commit_is_dropped_at_the_commit(alice, django_capture_on_commit_callbacks):
    key = f"auth-user:{alice.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        alice.is_active = False
        alice.save()
        caches["shared"].set(key, "the row as another request read it before the commit")
    assert caches["shared"].get(key) is None


def test_an_outage_is_reported_once_a_minute_not_once_a_request(caplog):
    from studyapp import redis_cache

    away = redis_cache.RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    redis_cache._last_report = float("-inf")
    with caplog.at_level("DEBUG", logger="studyapp.redis_cache"):
        for _ in range(3):
            away.get("k")
    assert [record.levelname for record in caplog.records] == ["WARNING", "DEBUG", "DEBUG"]
    assert "Redis unreachable" in caplog.records[0].getMessage()
