"""Practice, the mock exam and flashcards, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.tests.conftest import make_questions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_short_practice_set_with_feedback(logged_in, live_server, loaded_bank):
    page = logged_in
    page.get_by_role("link", name="Practice").first.click()
    page.get_by_label("What to practise").select_option("task:2.2")
    page.get_by_role("button", name="Start practice").click()
    page.get_by_label("Amazon Macie").check()
    page.get_by_role("button", name="Check answer").click()
    assert page.get_by_role("status").inner_text().startswith("Not quite.")
    assert page.locator(".is-correct").inner_text().count("An AWS Glue crawler") == 1
    assert "Macie finds sensitive data" in page.locator(".was-chosen").inner_text()
    page.get_by_role("button", name="See your results").click()
    assert "0 of 1" in page.locator(".lead").inner_text()


def test_a_mock_exam_through_navigator_flags_review_and_submission(logged_in, live_server, short_exam, settings):
    make_questions({1: 4, 2: 3, 3: 3, 4: 3})
    page = logged_in
    page.get_by_role("link", name="Mock exam").first.click()
    page.get_by_role("button", name="Start a mock exam").click()
    expect(page.locator("#exam-time-left")).to_have_text(re.compile(r"^4:\d\d"))  # counted down by the script once it runs
    page.get_by_label("Option a").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Flag for review").click()
    assert "flagged" in page.get_by_label("Question 2, unanswered, flagged").get_attribute("class")
    page.get_by_label("Question 5, unanswered").click()
    page.get_by_label("Option b").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Review and submit").click()
    assert page.get_by_role("status").inner_text().startswith("2 answered · 6 unanswered · 1 flagged")
    page.get_by_role("link", name="Submit the exam").click()
    assert "6 unanswered" in page.locator("#submit-summary").inner_text()
    page.get_by_role("button", name="Yes, submit the exam").click()
    page.wait_for_url("**/result")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Your result:")
    assert page.get_by_role("heading", name="By domain").is_visible()
    assert page.locator("details.question").count() == 8
    page.get_by_label("Show").select_option("flagged")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("details.question").count() == 1
    page.locator("details.question summary").click()
    assert page.get_by_role("link", name="Study this in the lesson").is_visible()


def test_a_flashcard_review_session_with_keyboard(logged_in, live_server, loaded_bank):
    page = logged_in
    page.get_by_role("link", name="Flashcards").first.click()
    page.get_by_role("link", name="Review all due cards").click()
    for _ in range(3):
        front = page.locator(".flashcard .front").inner_text()
        with page.expect_navigation():  # space follows the "Show answer" link
            page.keyboard.press(" ")
        assert page.locator("#answer").is_visible()
        with page.expect_navigation():  # the rating posts the form; wait for the next card's page
            page.keyboard.press("4")
        assert page.locator(".flashcard .front").count() == 0 or page.locator(".flashcard .front").inner_text() != front
    assert page.get_by_role("heading", name="All caught up").is_visible()
