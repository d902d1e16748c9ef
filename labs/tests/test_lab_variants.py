"""Every lab against near misses (the right check fails, saying what to fix) and other correct solutions (every
check the sandbox can verify passes), through the labs' own path: launch, the learner's work, verify.

One run per lab is launched in the sandbox; each case then gets a run of its own that shares the launched stack
(roles, network) but has its own prefix and its own copy of the bucket, so cases never see each other's work.
"""

import secrets
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from labs import runs
from labs.aws import Clients
from labs.catalog import read_lab
from labs.models import AwsConnection, Lab, LabRun
from labs.tests.lab_variants import ALTERNATIVES, NEAR_MISSES, Variant

pytestmark = pytest.mark.django_db

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
LABS = sorted(p.name for p in CATALOG.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
LEARNER_ID = 970_001  # one sandbox account for all the cases (learner ids of other tests are small)
LAUNCHED: dict[tuple[str, str], dict] = {}  # (sandbox URL, lab) -> the outputs of its one launched run
CLIENTS: dict[str, Clients] = {}  # one set of boto3 clients for the learner's account (building clients is the slow part)


def _lab(slug: str) -> Lab:
    data = read_lab(CATALOG / slug, CATALOG)
    return Lab.objects.create(slug=slug, title=data.title, summary="-", cost_per_hour=data.cost_per_hour, prices_read=data.prices_read,
                              minutes=1, sandbox_support=data.definition["sandbox"], definition=data.definition)


def _fresh_bucket(clients, source: str, prefix: str) -> str:
    """A bucket of the case's own, holding what the launch staged."""
    s3, bucket = clients("s3"), f"{prefix}-bucket"
    s3.create_bucket(Bucket=bucket)
    for item in s3.list_objects_v2(Bucket=source).get("Contents", []):
        s3.copy_object(Bucket=bucket, Key=item["Key"], CopySource={"Bucket": source, "Key": item["Key"]})
    return bucket


def run_of(slug: str, aws_sandbox: str, settings) -> LabRun:
    settings.LABS_CATALOG_DIR = CATALOG
    user = get_user_model().objects.create(id=LEARNER_ID, username="variant-learner")
    connection = AwsConnection.objects.create(user=user, kind=AwsConnection.SANDBOX, name="AWS sandbox")
    lab = _lab(slug)
    if (aws_sandbox, slug) not in LAUNCHED:
        launched = runs.request_run(user, lab, connection, confirmed_cost=True)
        assert runs.start_launch(launched) and runs.poll_launch(launched) == "ready", launched.failure
        LAUNCHED[(aws_sandbox, slug)] = launched.outputs
    if aws_sandbox not in CLIENTS:
        CLIENTS[aws_sandbox] = Clients(connection)
    outputs = dict(LAUNCHED[(aws_sandbox, slug)])
    prefix = f"dea-{secrets.token_hex(4)}"
    if "BucketName" in outputs:
        outputs["BucketName"] = _fresh_bucket(CLIENTS[aws_sandbox], outputs["BucketName"], prefix)
    return LabRun.objects.create(user=user, lab=lab, connection=connection, prefix=prefix, state=LabRun.READY, outputs=outputs,
                                 expires_at="2030-01-01T00:00:00Z")


def results_after(variant: Variant, aws_sandbox: str, settings) -> dict:
    run = run_of(variant.lab, aws_sandbox, settings)
    clients = CLIENTS[aws_sandbox]
    if not variant.instead:
        runs.solve(run, clients)
    variant.change(clients, run.outputs, run.prefix)
    return {result.check_id: result for result in runs.verify(run, clients=clients)}


@pytest.mark.parametrize("variant", NEAR_MISSES, ids=str)
def test_a_near_miss_fails_the_right_check_saying_what_to_fix(variant, aws_sandbox, settings):
    results = results_after(variant, aws_sandbox, settings)
    result = results[variant.check]
    assert not result.passed and not result.needs_real_aws, f"{variant} passed {variant.check}"
    missing = [word for word in variant.words if word.lower() not in result.reason.lower()]
    assert not missing, f"{variant}: the reason {result.reason!r} does not say {missing}"


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=str)
def test_another_correct_solution_passes_every_check_the_sandbox_can_verify(variant, aws_sandbox, settings):
    results = results_after(variant, aws_sandbox, settings)
    failed = {check: r.reason for check, r in results.items() if not r.passed and not r.needs_real_aws}
    assert not failed, f"{variant} failed {failed}"
    assert any(r.passed for r in results.values())


def test_every_lab_has_its_near_misses_and_alternatives():
    for slug in LABS:
        assert sum(v.lab == slug for v in NEAR_MISSES) >= 6, slug
        assert sum(v.lab == slug for v in ALTERNATIVES) >= 3, slug
    checks = {slug: {c["id"] for s in read_lab(CATALOG / slug, CATALOG).definition["steps"] for c in s["checks"]} for slug in LABS}
    assert [str(v) for v in NEAR_MISSES if v.check not in checks[v.lab]] == []
