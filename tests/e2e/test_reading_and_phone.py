"""The enhancements of static/js/app.js in a real browser: the phone menu, copy buttons, the table of contents
that follows the scroll, and the live regions that announce changes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import exam
from quizzes.tests.conftest import make_questions
from studyapp.sync import read_default_course, sync_lessons

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/lessons/")


def test_on_a_phone_the_header_is_one_line_with_a_menu_button(browser, live_server, alice, loaded_course):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 80
    menu = page.get_by_role("button", name="Menu")
    practice = page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice")
    assert menu.get_attribute("aria-expanded") == "false" and not practice.is_visible()

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and practice.is_visible()
    assert page.get_by_label("Search lessons").is_visible()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not practice.is_visible()

    page.set_viewport_size({"width": 1366, "height": 900})  # on a desktop the menu button goes and the links show
    assert not menu.is_visible() and practice.is_visible()
    context.close()


def test_without_javascript_the_phone_header_shows_every_link(browser, live_server, alice, loaded_course):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server)
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    context.close()


def test_a_code_block_copies_its_text(browser, live_server, alice, loaded_course):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    log_in(page, live_server)
    page.goto(live_server.url + "/lessons/basics/glue-catalog/")
    code = page.locator(".highlight pre").first.inner_text().rstrip("\n")
    page.locator(".highlight").first.get_by_role("button", name="Copy").click()
    expect(page.locator(".highlight .copy-button").first).to_have_text("Copied")  # once the clipboard write resolves
    assert page.evaluate("navigator.clipboard.readText()") == code
    expect(page.locator("[aria-live=polite]").last).to_have_text("Copied to the clipboard.")
    context.close()


def test_the_table_of_contents_follows_the_scroll(browser, live_server, alice, fixture_course):
    lesson = fixture_course / "01-basics" / "02-glue-catalog.md"
    long_text = "\n\n".join(f"Paragraph {i} about crawlers, long enough to fill a screen." for i in range(40))
    lesson.write_text(lesson.read_text().replace("## Partitions", long_text + "\n\n## Partitions") + "\n\n" + long_text)
    sync_lessons(read_default_course())
    page = browser.new_page(viewport={"width": 1366, "height": 700})
    log_in(page, live_server)
    page.goto(live_server.url + "/lessons/basics/glue-catalog/")
    toc = page.get_by_role("complementary", name="On this page")
    crawlers, partitions = toc.get_by_role("link", name="Crawlers and classifiers"), toc.get_by_role("link", name="Partitions")
    # The page's Content-Security-Policy forbids string eval, so waits are web-first assertions, never wait_for_function.
    current = toc.locator("a[aria-current=location]")
    expect(current).to_have_count(1)
    expect(crawlers).to_have_attribute("aria-current", "location")
    expect(partitions).not_to_have_attribute("aria-current", "location")

    page.evaluate("document.getElementById('partitions').scrollIntoView({block: 'start'})")
    expect(current).to_have_text("Partitions")
    expect(crawlers).not_to_have_attribute("aria-current", "location")

    page.evaluate("window.scrollTo(0, 0)")
    expect(current).to_have_text("Crawlers and classifiers")
    page.close()


def test_the_mock_timer_warns_through_a_live_region_and_flags_have_a_marker(logged_in, live_server, alice, short_exam):
    make_questions({1: 4, 2: 3, 3: 3, 4: 3})
    attempt = exam.start_mock(alice, seed=5)
    attempt.deadline = timezone.now() + timedelta(minutes=5, seconds=2)
    attempt.save()
    attempt.responses.filter(position=3).update(flagged=True)
    page = logged_in
    page.goto(f"{live_server.url}/mock/{attempt.id}/1/")
    # mock.js says "15 minutes left." at once (5:02 is under 15 minutes), then "5 minutes left." two seconds later,
    # in the exam's own live region; the ticking timer itself stays silent.
    announcer = page.locator("#exam-announcer")
    expect(announcer).to_have_attribute("aria-live", "assertive")
    expect(announcer).to_have_text("5 minutes left.", timeout=8_000)
    assert page.locator("#exam-time-left").locator("xpath=..").get_attribute("aria-live") == "off"
    # One voice only: no other live region repeats the warning.
    others = page.locator("[aria-live]:not(#exam-announcer)", has_text="minutes left")
    expect(others).to_have_count(0)
    flag = page.evaluate("getComputedStyle(document.querySelector('.nav-cell.flagged:not(.legend)'), '::after').content")
    assert flag == '"⚑"'
    assert page.evaluate("getComputedStyle(document.querySelector('.nav-cell:not(.flagged):not(.legend)'), '::after').content") == "none"

    page.set_viewport_size({"width": 390, "height": 400})  # on a phone, scrolled to the end, the timer is still on screen
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0
    box = page.locator("#exam-time-left").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 400


def test_the_lab_page_announces_a_new_state_and_says_each_checks_state(logged_in, live_server, alice, loaded_labs):
    from labs.models import AwsConnection, CheckResult, Lab, LabRun

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    lab = Lab.objects.get(slug="setup")
    run = LabRun.objects.create(user=alice, lab=lab, connection=connection, state=LabRun.LAUNCHING, prefix="dea-a11y-0002", expires_at=timezone.now() + timedelta(hours=2))
    page = logged_in
    page.goto(f"{live_server.url}/labs/runs/{run.id}/")
    assert page.locator("#run-announcer").inner_text() == ""

    step = lab.definition["steps"][0]
    CheckResult.objects.create(user=alice, run=run, step=step["id"], check_id=step["checks"][0]["id"], passed=False, reason="not there yet", fidelity="exact")
    LabRun.objects.filter(id=run.id).update(state=LabRun.READY, ready_at=timezone.now())
    expect(page.locator("#run-announcer")).to_have_text("Lab state: ready. 1 check not passing yet.", timeout=8_000)
    assert "Failed:" in page.locator("li.check.fail").first.inner_text()
    assert "Not checked yet:" in page.locator("li.check:not(.fail)").first.inner_text()


def test_answer_feedback_is_announced_after_the_page_loads(logged_in, live_server, loaded_bank):
    page = logged_in
    page.get_by_role("link", name="Practice").first.click()
    page.get_by_label("What to practise").select_option("task:2.2")  # one single-answer question
    page.get_by_role("button", name="Start practice").click()
    page.get_by_label("Amazon Macie").check()
    page.get_by_role("button", name="Check answer").click()
    verdict = page.get_by_role("status").inner_text()
    announcer = page.locator("#load-announcer")
    expect(announcer).to_have_text(" ".join(verdict.split()))
    expect(announcer).to_have_attribute("aria-live", "polite")
