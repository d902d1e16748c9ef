"""The mock exam's interaction model in a real browser: nothing typed or ticked is ever lost."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt
from quizzes.tests.conftest import make_questions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exam_page(logged_in, live_server, short_exam):
    make_questions({1: 4, 2: 3, 3: 3, 4: 3})
    page = logged_in
    page.goto(live_server.url + "/mock/")
    page.get_by_role("button", name="Start a mock exam").click()
    page.wait_for_url(re.compile(r"/mock/\d+/1/$"))
    return page


def _saved(page):
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Your answer is saved"))


def test_a_selection_survives_flag_navigator_reload_and_back(exam_page, alice):
    page = exam_page
    page.get_by_label("Option c").check()
    _saved(page)
    page.get_by_role("button", name="Flag for review").click()
    expect(page.locator("#save-status")).to_have_text("Flagged for review.")
    expect(page.get_by_label("Option c")).to_be_checked()
    expect(page.get_by_label("Question 1, answered, flagged")).to_have_class(re.compile("flagged"))
    page.reload()
    expect(page.get_by_label("Option c")).to_be_checked()
    expect(page.get_by_role("button", name="Remove flag")).to_be_visible()
    page.get_by_label("Question 3, unanswered").click()
    page.wait_for_url("**/3/")
    page.get_by_label("Option b").check()  # ticked, then straight to another question
    page.get_by_label("Question 1, answered, flagged").click()
    page.wait_for_url("**/1/")
    expect(page.get_by_label("Option c")).to_be_checked()
    page.go_back()
    page.wait_for_url("**/3/")
    expect(page.get_by_label("Option b")).to_be_checked()
    row = Attempt.objects.get(user=alice).responses.get(position=3)
    assert row.chosen == ["b"]


def test_without_javascript_the_flag_and_navigator_still_keep_the_selection(browser, live_server, alice, short_exam):
    make_questions({1: 4, 2: 3, 3: 3, 4: 3})
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/mock/")
    page.get_by_role("button", name="Start a mock exam").click()
    page.get_by_label("Option d").check()
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_label("Option d")).to_be_checked()
    expect(page.get_by_label("Question 1, answered, flagged")).to_be_visible()
    page.get_by_label("Option a").check()
    page.get_by_label("Question 2, unanswered").click()
    page.wait_for_url("**/2/")
    assert Attempt.objects.get(user=alice).responses.get(position=1).chosen == ["a"]
    context.close()


def test_a_multiple_response_question_keeps_a_partial_selection_and_refuses_too_many(logged_in, live_server, short_exam, alice):
    for question in make_questions({1: 4, 2: 3, 3: 3, 4: 3}):
        question.type, question.answer = "multi", ["a", "b"]
        question.save()
    page = logged_in
    page.goto(live_server.url + "/mock/")
    page.get_by_role("button", name="Start a mock exam").click()
    page.get_by_label("Option a").check()
    _saved(page)
    page.get_by_label("Option c").check()
    _saved(page)
    page.get_by_label("Option d").click()
    expect(page.locator("#save-status")).to_have_text("Choose at most 2: untick one first.")
    expect(page.get_by_label("Option d")).not_to_be_checked()
    page.reload()
    expect(page.get_by_label("Option a")).to_be_checked()
    expect(page.get_by_label("Option c")).to_be_checked()
    assert Attempt.objects.get(user=alice).responses.get(position=1).chosen == ["a", "c"]


def test_keyboard_picks_options_flags_and_moves(exam_page, alice):
    page = exam_page
    expect(page.locator("#exam-announcer")).to_have_text("5 minutes left.")  # a 5-minute exam starts inside both warnings
    expect(page.locator(".timer")).to_have_class(re.compile("low"))
    page.keyboard.press("2")
    expect(page.locator("#save-status")).to_have_text("Your answer is saved: B.")
    expect(page.locator('input[name="option"]').nth(1)).to_be_checked()
    page.keyboard.press("f")
    expect(page.locator("#save-status")).to_have_text("Flagged for review.")
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url.endswith("/2/")
    with page.expect_navigation():
        page.keyboard.press("p")
    expect(page.locator('input[name="option"]').nth(1)).to_be_checked()
    expect(page.locator("#flag-state")).to_be_visible()


def test_review_filters_and_the_confirmation_before_submitting(exam_page, alice):
    page = exam_page
    page.get_by_label("Option a").check()
    _saved(page)
    page.get_by_label("Question 2, unanswered").click()
    page.get_by_role("button", name="Flag for review").click()
    expect(page.locator("#flag-state")).to_be_visible()
    page.get_by_role("button", name="Review and submit").click()
    expect(page.locator(".review-table tbody tr")).to_have_count(8)
    assert "Synthetic question" in page.locator(".review-table tbody tr").first.inner_text()
    page.get_by_role("link", name="Flagged (1)").click()
    expect(page.locator(".review-table tbody tr")).to_have_count(1)
    assert "Flagged" in page.locator(".review-table tbody tr").inner_text()
    page.get_by_role("link", name="Unanswered (7)").click()
    expect(page.locator(".review-table tbody tr")).to_have_count(7)
    page.get_by_role("link", name="Submit the exam").click()
    expect(page.locator("#submit-summary")).to_have_text(re.compile(r"1 answered · 7 unanswered · 1 flagged"))
    page.get_by_role("link", name="Go back to the questions").click()
    assert Attempt.objects.get(user=alice).is_open
    page.get_by_role("link", name="Submit the exam").click()
    page.get_by_role("button", name="Yes, submit the exam").click()
    page.wait_for_url("**/result")
    assert not Attempt.objects.get(user=alice).is_open


def test_resume_opens_the_first_unanswered_question(exam_page, live_server):
    page = exam_page
    for position in (1, 2, 3):
        page.locator('input[name="option"]').first.check()
        _saved(page)
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/{position + 1}/")
    page.goto(live_server.url + "/mock/")
    page.get_by_role("link", name="Resume your exam").click()
    page.wait_for_url("**/4/")
    expect(page.get_by_text("Question 4 of 8", exact=True)).to_be_visible()
