"""No HTML from data (issue 20, item 5): run values are escaped, Markdown is allow-listed, CSP forbids inline script."""

import copy

import pytest

from labs.models import AwsConnection, Lab, LabRun
from quizzes.tests.test_bank import GOOD, errors
from studyapp.render import render
from studyapp.tests.test_content import GOOD_FRONT, TIPS, errors_of

PAYLOAD = "x` <img src=x onerror=alert(1)> `y"


@pytest.mark.django_db
def test_stack_outputs_are_text_on_the_run_page_wherever_they_are_substituted(alice_client, alice, loaded_labs):
    setup = Lab.objects.get(slug="setup")
    definition = copy.deepcopy(setup.definition)
    definition["steps"][0]["instructions"] = (
        "The bucket is {BucketName}, in code `{BucketName}`, as a [link]({BucketName}), and {Unknown}.\n\n"
        "```bash\naws s3 ls s3://{BucketName}\n```\n"
    )
    definition["steps"][0]["hint"] = "Hint: {BucketName}"
    lab = Lab.objects.create(slug="xss-probe", title="probe", summary="s", cost_per_hour=0, prices_read="2026-01-01", minutes=5,
                             sandbox_support="full", definition=definition)
    connection = AwsConnection.objects.create(user=alice, kind="keys", name="keys", access_key_id="AKIAEXAMPLE000000001")
    run = LabRun.objects.create(user=alice, lab=lab, connection=connection, prefix="dea-xss00001", state=LabRun.READY,
                                expires_at="2030-01-01T00:00:00Z", outputs={"BucketName": PAYLOAD, "Evil": "<script>alert(2)</script>"})
    page = alice_client.get(f"/labs/runs/{run.id}/").content.decode()
    assert "<img" not in page and "onerror=alert(1)>" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown, as text
    assert 'href="javascript' not in page


def test_lesson_markdown_is_sanitized_by_an_allow_list():
    html = render('Hi <script>alert(1)</script> <img src="/static/x.svg" onerror="alert(1)" alt="x"> [a](javascript:alert(1)) '
                  "<iframe src=//evil></iframe>\n\n| a |\n|:-:|\n| b |\n").html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<iframe" not in html
    assert '<img src="/static/x.svg"' in html and 'style="text-align:center"' in html  # what our Markdown needs survives


def test_rendered_lessons_keep_their_highlighting_anchors_and_admonitions():
    html = render('## A heading\n\n```python\nx = 1\n```\n\n!!! tip "Exam tips"\n    - one\n').html
    assert 'id="a-heading"' in html and 'class="headerlink"' in html and 'class="highlight"' in html and 'class="admonition tip"' in html


@pytest.mark.parametrize(("markup", "problem"), [
    ("<script>alert(1)</script>", "raw <script>"),
    ('<img src="/static/img/favicon.svg" alt="x" onerror="alert(1)">', "event attributes"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href=" JaVaScRiPt&#58;alert(1)">x</a>', "javascript:"),
])
def test_check_content_rejects_script_in_lessons(tmp_path, markup, problem):
    found = errors_of(tmp_path, {"01-one.md": GOOD_FRONT + f"Body {markup}\n" + TIPS})
    assert any(problem in error for error in found), found


def test_code_blocks_about_script_are_fine(tmp_path):
    assert errors_of(tmp_path, {"01-one.md": GOOD_FRONT + "```text\n<script>alert(1)</script> onclick=x\n```\n" + TIPS}) == []


@pytest.mark.django_db
@pytest.mark.parametrize("markup", ["<script>alert(1)</script>", "<b onclick=alert(1)>x</b>", "[x](javascript:alert(1))"])
def test_check_content_rejects_script_in_questions(bank_dir, markup):
    found = errors(bank_dir, GOOD.replace("why: Write volume.", f"why: '{markup}'"))
    assert len(found) == 1 and "not allowed" in found[0], found


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_script_and_a_permissions_policy(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src and "object-src 'none'" in csp
    assert "camera=()" in response.headers["Permissions-Policy"]
