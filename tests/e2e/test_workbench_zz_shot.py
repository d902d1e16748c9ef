import pytest

from workbench.tests.conftest import loaded_exercises, workbench, workbench_var  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_shot(page, live_server, alice, loaded_exercises):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/lessons/")
    page.goto(live_server.url + "/sql/?q=SELECT%20employeeid%2C%20SUM(totaldue)%20AS%20total%0AFROM%20orders%20--%20comment%0AWHERE%20orderdate%20LIKE%20'5%2F%25'%20GROUP%20BY%201%20ORDER%20BY%202%20DESC%20LIMIT%205")
    page.get_by_label("SQL", exact=True).press("Control+Enter")
    page.wait_for_selector("#result table")
    page.screenshot(path="/tmp/wb1.png", full_page=True)
    page.get_by_label("SQL", exact=True).fill("SELECT * FROM read_csv('/etc/passwd')")
    page.get_by_label("SQL", exact=True).press("Control+Enter")
    page.wait_for_selector(".sql-error")
    page.goto(live_server.url + "/sql/exercises/total-due-per-employee/")
    page.get_by_label("SQL", exact=True).fill("SELECT employeeid, SUM(totaldue) FROM orders GROUP BY employeeid")
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_selector(".verdict")
    page.screenshot(path="/tmp/wb2.png", full_page=True)
