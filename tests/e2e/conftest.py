"""Fixtures shared by the browser journeys."""

import pytest


@pytest.fixture
def logged_in(page, live_server, alice):
    """A page with alice logged in through the real login form."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/lessons/")
    return page
