"""The SQL workbench in a real browser: run with the keyboard, then solve an exercise."""

import pytest

from workbench.tests.conftest import loaded_exercises, workbench, workbench_var  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_run_a_query_and_solve_an_exercise(logged_in, loaded_exercises):  # noqa: F811
    page = logged_in

    page.get_by_role("link", name="SQL").first.click()
    editor = page.get_by_label("SQL", exact=True)
    editor.fill("SELECT fullname FROM customers WHERE customerid = 295")
    editor.press("Control+Enter")
    page.wait_for_selector("#result table")
    assert page.locator("#result td").first.inner_text() == "Kim Abercrombie"
    assert "1 row" in page.locator(".result-meta").inner_text()
    assert page.locator(".editor-highlight .tok-kw").first.inner_text() == "SELECT"

    page.get_by_role("link", name="Customers whose full name starts with J").click()
    editor = page.get_by_label("SQL", exact=True)
    editor.fill("SELECT customerid, fullname FROM customers WHERE fullname LIKE 'J%'")
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_selector(".verdict")
    assert page.locator(".verdict").first.inner_text().startswith("Correct")
    page.get_by_role("link", name="SQL workbench").click()
    assert "(solved)" in page.locator(".exercise-list li.done").first.inner_text()
