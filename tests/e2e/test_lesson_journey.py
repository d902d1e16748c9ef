"""A learner's first visit, in a real browser."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_read_complete_and_search(page, live_server, loaded_course):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase-3")
    page.get_by_label("Password confirmation").fill("a-long-passphrase-3")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url("**/start/")  # first steps: the exam, a diagnostic, the exam date
    assert page.get_by_role("button", name="Take the diagnostic").is_visible()
    page.get_by_role("link", name="See all lessons").click()
    page.wait_for_url("**/lessons/")
    page.get_by_role("link", name="The Glue Data Catalog").click()
    page.wait_for_url("**/lessons/basics/glue-catalog/")
    assert page.get_by_role("heading", level=1).inner_text() == "The Glue Data Catalog"
    assert page.locator(".toc").get_by_role("link", name="Crawlers and classifiers").is_visible()

    page.get_by_role("button", name="Mark complete").click()
    assert page.get_by_role("status").inner_text() == "✓ You marked this lesson complete."

    page.get_by_role("link", name="Lessons").first.click()
    ticked = page.locator('li[data-lesson="basics/glue-catalog"]')
    assert "done" in ticked.get_attribute("class")
    assert ticked.locator(".tick").inner_text() == "✓"
    assert page.locator('li[data-lesson="basics/welcome"] .tick').inner_text() == "○"

    page.get_by_label("Search lessons").fill("zymurgical")
    page.get_by_label("Search lessons").press("Enter")
    page.wait_for_url("**/lessons/search/?q=zymurgical")
    hit = page.locator(".hit").first
    assert hit.locator("mark").inner_text() == "zymurgical"
    hit.get_by_role("link").click()
    page.wait_for_url("**/lessons/basics/glue-catalog/#crawlers-and-classifiers")


def test_the_layout_fits_a_phone_and_has_no_external_requests(browser, live_server, loaded_course):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    external = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url))
    page.goto(live_server.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375
    assert external == []
