import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

pytestmark = pytest.mark.django_db


def test_signing_up_creates_the_account_and_logs_in(client):
    response = client.post("/accounts/signup/", {
        "username": "carol", "email": "carol@example.org", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9",
    })
    assert response.status_code == 302 and response["Location"] == "/start/"  # first steps after sign-up
    assert User.objects.filter(username="carol").exists()
    assert client.get("/lessons/").status_code == 200


def test_sign_up_errors_are_shown_and_nothing_is_created(client):
    response = client.post("/accounts/signup/", {"username": "carol", "email": "not-an-email", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert not User.objects.filter(username="carol").exists()


def test_logging_in_and_out(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-password-1"})
    assert response.status_code == 302
    assert client.get("/lessons/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/lessons/").status_code == 302


def test_a_wrong_password_does_not_log_in(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200 and b"correct username and password" in response.content


def test_changing_the_password(alice_client, alice):
    response = alice_client.post("/accounts/password/change/", {
        "old_password": "alice-password-1", "new_password1": "a-new-passphrase-7", "new_password2": "a-new-passphrase-7",
    })
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-passphrase-7")


def test_resetting_a_forgotten_password_by_email(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "reset-passphrase-5", "new_password2": "reset-passphrase-5"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("reset-passphrase-5")


def test_a_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_an_email_address_belongs_to_one_account(client, alice):
    response = client.post("/accounts/signup/", {
        "username": "mallory", "email": "ALICE@example.org", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9",
    })
    assert response.status_code == 200 and b"already uses this e-mail address" in response.content
    assert not User.objects.filter(username="mallory").exists()
