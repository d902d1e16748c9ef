"""The setup lab in a real browser, with a real worker and the sandbox."""

import re

import boto3
import pytest
from django.conf import settings
from playwright.sync_api import expect

from labs import aws, runs
from labs.models import LabRun

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_launch_check_solve_and_tear_down_the_setup_lab(logged_in, alice, loaded_labs, celery_worker_process):
    page = logged_in
    page.set_default_timeout(30_000)

    page.get_by_role("link", name="Labs").first.click()
    page.get_by_role("link", name="Manage your AWS connections").click()
    page.get_by_role("button", name="Add the sandbox connection").click()
    assert aws.sandbox_account(alice.id) in page.locator("table").inner_text()  # the learner's own account in the sandbox

    page.get_by_role("link", name="Labs").first.click()
    page.get_by_role("link", name="Setup: the course network and bucket").click()
    assert "8 of 8 checks work in the sandbox" in page.locator("main").inner_text()
    page.get_by_role("button", name="Launch the lab").click()
    # Locator assertions, not wait_for_function: the page's Content-Security-Policy forbids evaluating strings.
    expect(page.locator("#state")).to_have_text("ready", timeout=90_000)  # a cold sandbox on a busy machine
    assert page.locator("li.step pre.cli").count() == 0  # the reference commands wait until the learner asks for them
    page.get_by_role("button", name="Show me the solution").first.click()
    assert "--endpoint-url" in page.locator("li.step pre.cli").first.inner_text()
    assert "running" in page.locator(".running-labs").inner_text()

    page.get_by_role("button", name="Check my progress").click()
    page.wait_for_selector("li.check.fail")
    assert "has no folder rawData/ yet" in page.locator("li.check.fail").first.inner_text()
    assert "Hint:" in page.locator("li.check.fail").first.inner_text()

    # The learner's steps, performed with boto3 and the CLI settings the page gives (the learner's own sandbox account).
    key, secret = re.search(r"AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)", page.locator("details.note pre.cli").inner_text()).groups()
    session = boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")

    def learner_cli(service):  # through the sandbox gateway, as the page's --endpoint-url says
        return session.client(service, endpoint_url=settings.AWS_SANDBOX_GATEWAY_URL)

    learner_cli.sandbox = True
    runs.solve(LabRun.objects.get(user=alice), learner_cli)
    page.get_by_role("button", name="Check my progress").click()
    expect(page.locator("li.check.pass")).to_have_count(8, timeout=30_000)
    assert page.locator("li.step.passed").count() == 2
    assert "Score: 8 of 8 checks passed" in page.locator("#score").inner_text() and "1 solution shown" in page.locator("#score").inner_text()
    assert "Lab complete." in page.locator(".lab-complete").inner_text()

    page.get_by_role("button", name="Tear down").click()
    expect(page.locator("#state")).to_have_text("deleted", timeout=30_000)
    assert LabRun.objects.get(user=alice).state == LabRun.DELETED
