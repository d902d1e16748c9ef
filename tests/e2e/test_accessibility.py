"""Every page a learner can reach, checked by axe-core in light and dark, at desktop and phone widths,
and measured for horizontal scrolling at 360 px.

One live server; one browser context per theme and width, which visits every page in turn.
axe-core (tests/e2e/vendor, MPL-2.0) is injected by Playwright: it is never served by the app.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import exam
from quizzes.practice import parse_scope, start_practice
from quizzes.tests.conftest import make_questions
from workbench.tests.conftest import workbench, workbench_var  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
BLOCKING = {"serious", "critical"}
STRUCTURE = {"page-has-heading-one", "landmark-one-main"}  # moderate in axe, but every page must have both


@dataclass
class Visit:
    name: str
    path: str
    then: str = ""  # what to do once loaded: "answer", "show-answer", "show-solution", "run-query"
    anonymous: bool = False


@pytest.fixture
def learner_pages(alice, live_server, loaded_course, loaded_bank, loaded_labs, workbench, settings) -> list[Visit]:  # noqa: F811
    """Realistic data for every page: an answered and an unanswered practice question, an open and a scored mock, a running lab."""
    from labs import runs
    from labs.models import AwsConnection, CheckResult, Lab, LabRun

    settings.MOCK_EXAM_QUESTIONS, settings.MOCK_EXAM_SCORED, settings.MOCK_EXAM_MINUTES = 8, 6, 5
    settings.ROOT_URLCONF = "studyapp.tests.urls_failing"  # the app's URLs and one that fails, for the 500 page
    make_questions({1: 4, 2: 3, 3: 3, 4: 3}, prefix="mock")

    practice = start_practice(alice, scope=parse_scope("all", ""), size=5, certainty=False, seed=1)
    mock = exam.start_mock(alice, seed=2)
    mock.responses.filter(position=2).update(flagged=True)
    scored = exam.start_mock(alice, seed=3)
    scored.responses.filter(position=1).update(chosen=["a"], correct=True, answered_at=timezone.now())
    exam.submit(scored)

    connection = AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox", access_key_id="LKIAQAAAAAAAAAAAAAAA", account_id="123456789012")
    lab = Lab.objects.get(slug="setup")
    run = LabRun.objects.create(user=alice, lab=lab, connection=connection, state=LabRun.READY, prefix="dea-a11y-0001", ready_at=timezone.now(),
                                expires_at=timezone.now() + timedelta(hours=2),
                                outputs={"BucketName": "dea-a11y-0001-course-data-with-a-rather-long-generated-name-123456789012", "VpcId": "vpc-0123456789abcdef0"})
    steps = lab.definition["steps"]
    first = steps[0]["checks"][0]
    CheckResult.objects.create(user=alice, run=run, step=steps[0]["id"], check_id=first["id"], passed=False, reason="has no folder rawData/ yet", fidelity="exact")
    runs.event(run, "Launched.")

    lesson = "/lessons/basics/welcome/"
    return [
        Visit("landing", "/", anonymous=True),
        Visit("log in", "/accounts/login/", anonymous=True),
        Visit("sign up", "/accounts/signup/", anonymous=True),
        Visit("password reset", "/accounts/password/reset/", anonymous=True),
        Visit("404 (anonymous)", "/no-such-page/", anonymous=True),
        Visit("lessons", "/lessons/"),
        Visit("lesson", lesson),
        Visit("lesson with code", "/lessons/storage/s3-basics/"),
        Visit("search", "/lessons/search/?q=glue"),
        Visit("dashboard", "/progress/"),
        Visit("practice home", "/practice/"),
        Visit("practice question", f"/practice/{practice.id}/1/"),
        Visit("practice question answered", f"/practice/{practice.id}/2/", then="answer"),
        Visit("practice summary", f"/practice/{practice.id}/summary"),
        Visit("mock home", "/mock/"),
        Visit("mock question", f"/mock/{mock.id}/1/"),
        Visit("mock review", f"/mock/{mock.id}/review"),
        Visit("mock result", f"/mock/{scored.id}/result"),
        Visit("flashcards", "/flashcards/"),
        Visit("flashcard front", "/flashcards/review"),
        Visit("flashcard back", "/flashcards/review", then="show-answer"),
        Visit("labs", "/labs/"),
        Visit("connections", "/labs/connections/"),
        Visit("lab", "/labs/setup/"),
        Visit("running lab", f"/labs/runs/{run.id}/"),
        Visit("running lab with a solution shown", f"/labs/runs/{run.id}/", then="show-solution"),
        Visit("workbench with a result", "/sql/", then="run-query"),
        Visit("change password", "/accounts/password/change/"),
        Visit("delete account", "/accounts/delete/"),
        Visit("404", "/lessons/no/such-lesson/"),
        Visit("500", "/test-failure/"),
    ]


def open_page(page, base_url: str, visit: Visit) -> None:
    # Waits are locator assertions, never page.wait_for_function(<string>): the app's Content-Security-Policy
    # forbids string eval, and the walk should not depend on bypass_csp (which is only there to inject axe).
    page.goto(base_url + visit.path)
    if visit.then == "answer":
        # Options' values are per-response tokens, so choose by position, not by value.
        page.locator(".options input").first.check()
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_role("status").first).to_be_visible()
    elif visit.then == "show-answer":
        # Space follows the "Show answer" link: the server renders the back of the card and the ratings.
        page.keyboard.press(" ")
        expect(page.locator("#answer")).to_be_visible()
        expect(page.locator("#rating-form")).to_be_visible()
    elif visit.then == "show-solution":
        # A step's CLI lines are on the page only once its solution is asked for.
        page.get_by_role("button", name="Show me the solution").first.click()
        expect(page.locator(".solution pre.cli").first).to_be_visible()
    elif visit.then == "run-query":
        editor = page.get_by_label("SQL", exact=True)
        editor.fill("SELECT customerid, fullname, lastname FROM customers ORDER BY customerid LIMIT 5")
        editor.press("Control+Enter")
        expect(page.locator("#result table")).to_be_visible()


def contexts(browser, live_server, *, width: int, height: int, scheme: str):
    """A logged-in and an anonymous context of the same theme and size (CSP bypassed so axe can be injected)."""
    options = {"viewport": {"width": width, "height": height}, "color_scheme": scheme, "bypass_csp": True}
    anonymous = browser.new_context(**options)
    learner = browser.new_context(**options)
    page = learner.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/lessons/")
    page.close()
    return anonymous, learner


def each_page(browser, live_server, pages: list[Visit], **size_and_scheme):
    anonymous, learner = contexts(browser, live_server, **size_and_scheme)
    try:
        tabs = {True: anonymous.new_page(), False: learner.new_page()}
        for visit in pages:
            page = tabs[visit.anonymous]
            page.set_default_timeout(15_000)
            open_page(page, live_server.url, visit)
            yield visit, page
    finally:
        anonymous.close()
        learner.close()


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"      at {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1].strip()}" for node in v["nodes"])
        for v in result["violations"] if v["impact"] in BLOCKING or v["id"] in STRUCTURE
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(browser, live_server, learner_pages, scheme, width, height):
    report = []
    for visit, page in each_page(browser, live_server, learner_pages, width=width, height=height, scheme=scheme):
        problems = axe_violations(page)
        if problems:
            report.append(f"{visit.name} ({visit.path}):\n" + "\n".join(problems))
    assert not report, f"axe found serious or critical violations ({scheme}, {width}px):\n" + "\n".join(report)


def test_no_page_scrolls_sideways_on_a_360px_phone(browser, live_server, learner_pages):
    wide = []
    for visit, page in each_page(browser, live_server, learner_pages, width=360, height=760, scheme="light"):
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 360:
            culprits = page.evaluate("""[...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 361 && getComputedStyle(e).position !== 'fixed')
                .slice(-3).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""")
            wide.append(f"{visit.name} ({visit.path}): {scroll_width}px wide; e.g. {', '.join(culprits)}")
    assert not wide, "pages wider than a 360px screen:\n" + "\n".join(wide)
