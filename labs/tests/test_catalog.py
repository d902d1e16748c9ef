import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from labs.catalog import read_catalog
from labs.models import Lab
from studyapp.sources import read_catalog as read_content
from studyapp.sources import sync_catalog

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
LABS = sorted(p.name for p in CATALOG.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def test_the_shipped_catalog_is_valid():
    labs = read_catalog(CATALOG)
    assert [str(e) for lab in labs for e in lab.errors] == []
    assert "setup" in [lab.slug for lab in labs]


@pytest.mark.parametrize("slug", LABS)
def test_every_template_passes_cfn_lint(slug):
    templates = [str(p) for p in (CATALOG / slug).glob("*.yaml") if p.name != "lab.yaml"]
    result = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), *templates], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_malformed_lab_files_are_reported_with_file_and_line(tmp_path):
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG / "setup", root / "broken")
    text = (root / "broken" / "lab.yaml").read_text()
    (root / "broken" / "lab.yaml").write_text(text.replace("kind: s3_prefix_exists, args: {bucket: \"{BucketName}\", prefix: tmpDir/}", "kind: s3_magic"))
    errors = [str(e) for lab in read_catalog(root) for e in lab.errors]
    assert len(errors) == 1 and "unknown check kind 's3_magic'" in errors[0]
    line = next(i for i, t in enumerate((root / "broken" / "lab.yaml").read_text().splitlines(), start=1) if "s3_magic" in t)
    assert errors[0].startswith(f"broken/lab.yaml:{line}:") or f"lab.yaml:{line}:" in errors[0]


@pytest.mark.django_db
def test_sync_loads_the_catalog(loaded_labs):
    lab = Lab.objects.get(slug="setup")
    assert lab.cost_per_hour == 0 and lab.sandbox_support == "full" and len(lab.definition["steps"]) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slug", LABS)
def test_lab_check_proves_every_lab_in_the_sandbox(slug, settings, fixture_course, aws_sandbox, tmp_path, capsys):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / slug).symlink_to(CATALOG / slug)  # one lab at a time: a broken lab fails only its own test
    settings.LABS_CATALOG_DIR = tmp_path / "catalog"
    settings.CONTENT_SOURCES = ["labs.sources.LabSource"]
    sync_catalog(read_content())
    call_command("lab", "check", slug)
    out = capsys.readouterr().out
    assert "BAD" not in out and "teardown: nothing left" in out and "every lab behaves" in out
    assert out.count("ok  before solve") >= 1 and out.count("ok  before solve") == out.count("ok  after solve")


def test_outputs_fill_placeholders_but_leave_json_alone():
    from labs.runs import fill

    text = """aws x --bucket {BucketName} --item '{"customerid":{"N":"293"}}' {endpoint} {Missing} {Prefix}"""
    assert fill(text, {"BucketName": "b1", "endpoint": ""}, "dea-1") == """aws x --bucket b1 --item '{"customerid":{"N":"293"}}'  <Missing> dea-1"""
    assert fill({"table": "{Prefix}-orders", "n": 3}, {}, "dea-1") == {"table": "dea-1-orders", "n": 3}


@pytest.mark.django_db
def test_every_lab_page_states_its_cost_expiry_and_the_checks_that_need_a_real_account(settings, fixture_course, alice_client):
    from django.utils.html import escape

    from labs.checks import KINDS, REAL_AWS_ONLY

    settings.LABS_CATALOG_DIR = CATALOG
    settings.CONTENT_SOURCES = ["labs.sources.LabSource"]
    sync_catalog(read_content())
    assert sorted(Lab.objects.values_list("slug", flat=True)) == LABS
    for lab in Lab.objects.all():
        page = alice_client.get(f"/labs/{lab.slug}/").content.decode()
        assert (f"About ${lab.cost_per_hour} per hour" if lab.is_paid else "No cost") in page
        assert f"torn down after {lab.definition.get('expiry_minutes') or settings.LABS_RUN_MINUTES} minutes" in page
        checks = [c for step in lab.definition["steps"] for c in step["checks"]]
        real_only = [c for c in checks if KINDS[c["kind"]].fidelity == REAL_AWS_ONLY]
        assert f"{len(checks) - len(real_only)} of {len(checks)} checks work in the sandbox" in page, lab.slug
        assert all(escape(KINDS[c["kind"]].describe) in page for c in real_only), lab.slug


UNTAGGABLE = {"AWS::EC2::VPCGatewayAttachment", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::SecurityGroupIngress",
              "AWS::IAM::InstanceProfile"}  # CloudFormation gives these no Tags property (the stack's own tags still reach them)


@pytest.mark.parametrize("slug", LABS)
def test_every_template_resource_that_takes_tags_carries_the_runs_tag(slug):
    import yaml

    class CloudFormationLoader(yaml.SafeLoader):
        pass

    CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None)
    for template in (p for p in (CATALOG / slug).glob("*.yaml") if p.name != "lab.yaml"):
        resources = yaml.load(template.read_text(), Loader=CloudFormationLoader)["Resources"]
        untagged = [name for name, resource in resources.items() if resource["Type"] not in UNTAGGABLE
                    and "studyapp:run" not in str(resource.get("Properties", {}).get("Tags", ""))]
        assert untagged == [], f"{template.name}: {untagged}"
