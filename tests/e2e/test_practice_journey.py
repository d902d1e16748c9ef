"""Practice in a real browser: the one scope control, a kept selection, retrying what was missed."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def option(page, text: str, exact: bool = False):
    """The input of the option whose visible text is `text` (inputs carry per-response tokens, and the order is shuffled)."""
    return page.locator("label.option").filter(has=page.get_by_text(text, exact=exact)).locator('input[name="option"]')


def test_choosing_a_lesson_is_choosing_that_scope(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/practice/")
    page.get_by_label("What to practise").select_option(label="Amazon S3 basics")
    page.get_by_role("button", name="Start practice").click()
    expect(page.locator("article.question")).to_have_attribute("data-qid", "deep-archive-cheapest")
    expect(page.locator("main")).to_contain_text("Lesson: Amazon S3 basics")


def test_a_choose_two_error_keeps_the_ticked_option_and_certainty(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/practice/?scope=task:2.4")
    page.get_by_label("Certainty-based marking").check()
    page.get_by_role("button", name="Start practice").click()
    option(page, "registered as partitions in the catalog").check()
    page.get_by_label("Fairly sure").check()
    page.get_by_role("button", name="Check answer").click()
    assert page.get_by_role("alert").inner_text() == "Choose exactly 2 options."
    assert option(page, "registered as partitions in the catalog").is_checked()
    assert page.get_by_label("Fairly sure").is_checked()
    option(page, "year=2024/month=05/").check()
    page.get_by_role("button", name="Check answer").click()
    assert page.get_by_role("status").inner_text().startswith("Correct.")
    assert "you said fairly sure" in page.locator("#cbm-mark").inner_text()


def test_retry_missed_from_the_summary(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/practice/?scope=task:2.3")
    page.get_by_role("button", name="Start practice").click()
    option(page, "S3 Standard", exact=True).check()  # S3 Standard: wrong
    page.get_by_role("button", name="Check answer").click()
    page.get_by_role("button", name="See your results").click()
    page.get_by_role("button", name="Retry the 1 missed question").click()
    expect(page.locator("main")).to_contain_text("Retry missed: Task 2.3")
    option(page, "S3 Glacier Deep Archive").check()  # Deep Archive: right
    page.get_by_role("button", name="Check answer").click()
    assert page.get_by_role("status").inner_text().startswith("Correct.")


def test_practise_this_lesson_from_the_end_of_the_lesson(logged_in, live_server, loaded_bank):
    from studyapp.sync import read_default_course, sync_lessons

    sync_lessons(read_default_course())
    page = logged_in
    page.goto(live_server.url + "/lessons/basics/glue-catalog/")
    page.get_by_role("button", name="Practise this lesson").click()
    expect(page.locator("main")).to_contain_text("Lesson: The Glue Data Catalog")
    assert page.locator("article.question").get_attribute("data-qid") in {"crawler-fills-catalog", "partition-folders"}


def test_first_steps_diagnostic_then_home_offers_to_resume(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/start/")
    page.get_by_role("button", name="Take the diagnostic").click()
    expect(page.locator("main")).to_contain_text("Diagnostic: 10 questions across the four domains")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Resume your practice set").click()
    expect(page.locator("main")).to_contain_text("Question 1 of 4")  # the test bank has four questions
