"""The cost guard: short expiry for labs that bill by the hour, extensions that state their cost and stop at a ceiling,
one paid run at a time, a cost meter from launch, and a monthly budget."""

from datetime import timedelta
from decimal import Decimal

import pytest
import yaml
from django.utils import timezone

from labs import aws, costs, runs
from labs.models import AwsConnection, Lab, LabEvent, LabRun

from .conftest import CATALOG


@pytest.fixture
def keys(alice):
    return AwsConnection.objects.create(user=alice, kind="keys", name="mine", access_key_id="AKIAEXAMPLEEXAMPLE12",
                                        secret_encrypted=aws.encrypt_secret("not-a-real-secret-0123456789"))


@pytest.fixture
def paid_lab(loaded_labs):
    Lab.objects.filter(slug="setup").update(cost_per_hour="0.55")
    return Lab.objects.get(slug="setup")


@pytest.mark.parametrize("slug", ["emr", "redshift", "opensearch", "msk"])
def test_labs_that_bill_by_the_hour_expire_within_75_minutes(slug):
    assert yaml.safe_load((CATALOG / slug / "lab.yaml").read_text())["expiry_minutes"] <= 75


def test_only_one_paid_run_at_a_time_by_default(alice, paid_lab, keys, sandbox_connection, settings):
    first = runs.request_run(alice, paid_lab, keys, confirmed_cost=True)
    with pytest.raises(runs.LaunchRefused, match="already have a paid lab running"):
        runs.request_run(alice, paid_lab, keys, confirmed_cost=True)
    runs.request_run(alice, paid_lab, sandbox_connection, confirmed_cost=False)  # the sandbox costs nothing: never limited
    settings.LABS_PAID_RUNS_PER_LEARNER = 2
    runs.request_run(alice, paid_lab, keys, confirmed_cost=True)
    LabRun.objects.filter(id=first.id).update(state=LabRun.DELETED)


def test_a_monthly_budget_blocks_new_paid_launches_once_spent(alice, paid_lab, keys, settings):
    settings.LABS_MONTHLY_BUDGET_USD = 1.00
    run = runs.request_run(alice, paid_lab, keys, confirmed_cost=True)
    LabRun.objects.filter(id=run.id).update(state=LabRun.DELETED, created_at=timezone.now() - timedelta(hours=1), deleted_at=timezone.now())
    assert costs.spent_this_month(alice) == Decimal("0.55")
    second = runs.request_run(alice, paid_lab, keys, confirmed_cost=True)  # under budget
    LabRun.objects.filter(id=second.id).update(state=LabRun.DELETED, created_at=timezone.now() - timedelta(hours=1), deleted_at=timezone.now())
    with pytest.raises(runs.LaunchRefused, match=r"monthly lab budget of \$1.00 is reached \(about \$1.10"):
        runs.request_run(alice, paid_lab, keys, confirmed_cost=True)


def test_the_meter_counts_from_launch_at_list_price_and_the_sandbox_is_free(alice_client, alice, paid_lab, keys, sandbox_connection):
    run = runs.request_run(alice, paid_lab, keys, confirmed_cost=True)
    LabRun.objects.filter(id=run.id).update(created_at=timezone.now() - timedelta(minutes=30))
    run.refresh_from_db()
    assert costs.so_far(run) == Decimal("0.28")
    page = alice_client.get(f"/labs/runs/{run.id}/status").content.decode()
    assert "about $0.28 so far" in page and 'hx-trigger="every' in page  # live: the fragment refreshes itself
    free = LabRun.objects.create(user=alice, lab=paid_lab, connection=sandbox_connection, prefix="dea-0000f4ee", state=LabRun.READY,
                                 expires_at=timezone.now() + timedelta(hours=1))
    assert costs.so_far(free) == 0 and "free in the sandbox" in alice_client.get(f"/labs/runs/{free.id}/status").content.decode()


def test_an_extension_shows_its_cost_needs_confirming_and_stops_at_the_ceiling(alice_client, alice, paid_lab, keys, settings):
    settings.LABS_PAID_RUN_MAX_HOURS, settings.LABS_RUN_MINUTES = 3, 60
    run = runs.request_run(alice, paid_lab, keys, confirmed_cost=True)
    LabRun.objects.filter(id=run.id).update(state=LabRun.READY)
    assert 'adds about $0.55' in alice_client.get(f"/labs/runs/{run.id}/status").content.decode()
    response = alice_client.post(f"/labs/runs/{run.id}/extend")
    assert response.status_code == 400 and b"adds about $0.55" in response.content
    before = LabRun.objects.get(id=run.id).expires_at
    assert alice_client.post(f"/labs/runs/{run.id}/extend", {"confirm_cost": "on"}).status_code == 302
    assert LabRun.objects.get(id=run.id).expires_at == before + timedelta(hours=1)
    assert LabEvent.objects.filter(run=run, message__endswith="(about $0.55 more).").exists()
    alice_client.post(f"/labs/runs/{run.id}/extend", {"confirm_cost": "on"})
    run.refresh_from_db()
    assert abs(run.expires_at - (run.created_at + timedelta(hours=3))) < timedelta(seconds=5)  # the ceiling
    response = alice_client.post(f"/labs/runs/{run.id}/extend", {"confirm_cost": "on"})
    assert response.status_code == 400 and b"cannot be extended past" in response.content
