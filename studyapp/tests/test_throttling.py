"""Brute-force and flood protection (issue 20, item 4): each limit refuses with a clear message."""

import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django_ratelimit import core as ratelimit_core

from labs.models import AwsConnection, Lab, LabRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_rate_window(monkeypatch):
    """Every request of a test counts in one rate window. Counts start afresh at each window's edge (each minute for
    a "2/m" rate), so three SQL runs that straddled an edge would find the third one allowed."""
    pinned = time.time()
    monkeypatch.setattr(ratelimit_core, "time", SimpleNamespace(time=lambda: pinned))


def _login(client: Client, password: str, ip: str = "10.0.0.1", username: str = "alice"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_lock_the_account_out_from_that_address_even_for_the_right_one(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, "wrong").status_code == 429  # the failure that reaches the limit locks
    locked = _login(client, "alice-password-1")
    assert locked.status_code == 429 and b"Too many wrong passwords" in locked.content
    assert "_auth_user_id" not in client.session
    # Another learner on the same network, and alice elsewhere, are not locked out.
    assert _login(Client(), "bob-password-1", username="bob").status_code == 302
    assert _login(Client(), "alice-password-1", ip="10.0.0.2").status_code == 302


def test_a_successful_log_in_clears_earlier_failures(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, "alice-password-1").status_code == 302
    client.post("/accounts/logout/")
    assert _login(client, "wrong").status_code == 200  # counting starts again


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": "2/h"}
    for name in ("carol", "dave"):
        form = {"username": name, "email": f"{name}@example.org", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"}
        assert Client().post("/accounts/signup/", form, REMOTE_ADDR="10.0.0.9").status_code == 302
    form = {"username": "erin", "email": "erin@example.org", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"}
    refused = Client().post("/accounts/signup/", form, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429 and b"Too many accounts" in refused.content
    assert Client().post("/accounts/signup/", form, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_reset_emails_to_one_address_are_limited_from_any_network(client, alice, settings):
    for number in range(5):
        response = client.post("/accounts/password/reset/", {"email": "Alice@example.org"}, REMOTE_ADDR=f"10.0.1.{number}")
    assert response.status_code == 429 and b"Too many reset e-mails" in response.content
    assert len(mail.outbox) == 3  # THROTTLE_PASSWORD_RESET_EMAIL's default, 3 an hour


def test_reset_requests_from_one_network_are_limited(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_reset_ip": "2/h"}
    statuses = [client.post("/accounts/password/reset/", {"email": f"n{i}@example.org"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]


def test_a_learner_runs_at_most_two_labs_at_once(alice_client, alice, loaded_labs, settings):
    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    lab = Lab.objects.get(slug="setup")
    for number in range(settings.LABS_MAX_RUNNING):
        LabRun.objects.create(user=alice, lab=lab, connection=connection, prefix=f"dea-max0000{number}", state=LabRun.READY, expires_at="2030-01-01T00:00:00Z")
    refused = alice_client.post(f"/labs/{lab.slug}/launch", {"connection": connection.id})
    assert refused.status_code == 429 and b"already have 2 labs running" in refused.content
    assert LabRun.objects.filter(user=alice).count() == settings.LABS_MAX_RUNNING


def test_lab_launches_are_rate_limited(alice_client, alice, loaded_labs, settings, monkeypatch):
    from labs import tasks

    monkeypatch.setattr(tasks.launch_run, "delay", lambda run_id: None)  # no worker here: only the acceptance counts
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "lab_launch": "2/h"}
    settings.LABS_MAX_RUNNING = 10
    connection = AwsConnection.objects.create(user=alice, kind="sandbox", name="sandbox")
    statuses = [alice_client.post("/labs/setup/launch", {"connection": connection.id}).status_code for _ in range(3)]
    assert statuses[:2] == [302, 302] and statuses[2] == 429


def test_sql_runs_are_rate_limited(alice_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "sql_run": "2/m"}
    bodies = [alice_client.post("/sql/run", {"sql": "SELECT 1 AS one"}, HTTP_HX_REQUEST="true").content.decode() for _ in range(3)]
    assert "run many queries" not in bodies[0] and "run many queries" in bodies[2]
