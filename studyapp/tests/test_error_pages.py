"""Styled 404 and 500 pages with DEBUG off, as in production."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_gets_the_styled_404(alice_client, settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")  # a visitor
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · DEA-C01 study</title>" in html and "<h1>Page not found</h1>" in html
    assert "css/app.css" in html
    assert '<main id="main"' in html and 'href="/accounts/login/"' in html

    learner = alice_client.get("/lessons/no/such-lesson/").content.decode()  # a 404 raised by a view, for a learner
    assert "<h1>Page not found</h1>" in learner and 'href="/lessons/"' in learner and 'name="q"' in learner


def test_a_failure_gets_the_styled_500(client, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "studyapp.tests.urls_failing"
    client.raise_request_exception = False
    response = client.get("/test-failure/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html and "css/app.css" in html
    assert "deliberate" not in html and "Traceback" not in html
