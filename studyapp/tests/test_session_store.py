"""A changed session is written by one statement, to the database and the shared cache, as Django's cached_db would."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.core.cache import caches

from studyapp.session_store import SessionStore

pytestmark = pytest.mark.django_db


def _stored(alice_client) -> SessionStore:
    return SessionStore(alice_client.session.session_key)


def test_a_change_is_one_update_and_reaches_the_database_and_the_cache(alice_client, django_assert_num_queries):
    assert settings.SESSION_ENGINE == "studyapp.session_store"
    session = _stored(alice_client)
    session["note"] = "kept"
    with django_assert_num_queries(1):  # Django's own save makes three: a savepoint, the update, its release
        session.save()
    row = Session.objects.get(session_key=session.session_key)
    assert row.get_decoded()["note"] == "kept" and abs(row.expire_date - session.get_expiry_date()) < timedelta(seconds=5)
    assert caches[settings.SESSION_CACHE_ALIAS].get(session.cache_key)["note"] == "kept"
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert _stored(alice_client)["note"] == "kept"  # read back from the row alone


def test_what_it_writes_django_reads_and_the_other_way_round(alice_client):
    ours = _stored(alice_client)
    ours["written_by"] = "ours"
    ours.save()
    caches[settings.SESSION_CACHE_ALIAS].clear()
    djangos = cached_db.SessionStore(ours.session_key)
    assert djangos["written_by"] == "ours"  # same signing salt: sessions from before this module still open
    djangos["written_by"] = "django"
    djangos.save()
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert _stored(alice_client)["written_by"] == "django"


def test_saving_a_session_deleted_meanwhile_fails_as_djangos_does(alice_client):
    session = _stored(alice_client)
    session["note"] = "too late"
    Session.objects.filter(session_key=session.session_key).delete()  # signed out in another tab
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.filter(session_key=session.session_key).exists()
