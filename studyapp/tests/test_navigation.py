"""The site header's navigation (studyapp/templatetags/layout.py): built in Python, so its escaping, current
section, search words and log-out form are tested here rather than trusted to the template engine."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html[html.index('<nav class="nav"'):html.index("</nav>")]


def test_a_visitor_gets_log_in_and_sign_up_and_no_sections(client):
    nav = _nav(client.get("/accounts/login/").content.decode())
    assert 'href="/accounts/login/">Log in</a>' in nav and 'href="/accounts/signup/">Sign up</a>' in nav
    assert "Practice" not in nav and "account-menu" not in nav


def test_the_current_section_is_marked_and_only_it(alice_client):
    nav = _nav(alice_client.get("/practice/").content.decode())
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == ["/practice/"]
    assert 'href="/lessons/">Lessons</a>' in nav and 'href="/progress/">Progress</a>' in nav
    assert "aria-current" not in _nav(alice_client.get("/accounts/password_change/").content.decode())


def test_the_learners_name_is_escaped(client):
    client.force_login(User.objects.create_user('<img src=x onerror="alert(1)">', password="a-long-password-1"))
    nav = _nav(client.get("/lessons/").content.decode())
    assert "<img" not in nav and "<summary>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</summary>" in nav


def test_the_search_box_shows_the_search_words_and_no_other_pages_query(alice_client, loaded_course):
    nav = _nav(alice_client.get("/lessons/search/", {"q": 'glacier "<b>'}).content.decode())
    assert 'value="glacier &quot;&lt;b&gt;"' in nav
    # The flashcard review page keeps its deck in a context value also named "query": it is not search words.
    nav = _nav(alice_client.get("/flashcards/review", {"deck": "domain:2"}).content.decode())
    assert 'name="q" placeholder="Search lessons" value=""' in nav


def test_the_log_out_form_carries_a_working_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    nav = _nav(browser.get("/lessons/").content.decode())
    token = re.search(r'action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', nav)[1]
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": "forged"}).status_code == 403
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "account-menu" not in _nav(browser.get("/accounts/login/").content.decode())


def test_the_log_out_form_carries_the_pages_own_csrf_token(alice_client, loaded_bank):
    """One masking of the CSRF secret per page: the navigation's form shows the token the page's forms show."""
    from quizzes.models import Flashcard

    card = Flashcard.objects.order_by("id").first()
    page = alice_client.get(f"/flashcards/review?show=f{card.id}").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 4 and len(set(tokens)) == 1  # the log-out form, the rating form, bury, suspend
