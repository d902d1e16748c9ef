"""The IAM evaluation rules labs/policy_evaluation.py implements, each on a case from the IAM User Guide's
policy evaluation and condition operator pages."""

import pytest

from labs.policy_evaluation import ALLOW, EXPLICIT_DENY, IMPLICIT_DENY, Request, decide


def policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def test_nothing_is_allowed_without_an_allow():
    assert decide(Request("s3:GetObject", "arn:aws:s3:::b/k"), [policy()]) == IMPLICIT_DENY


def test_an_explicit_deny_wins_over_any_allow():
    policies = [policy(allow("s3:*")), policy({"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"})]
    assert decide(Request("s3:GetObject", "arn:aws:s3:::b/k"), policies) == ALLOW
    assert decide(Request("s3:DeleteBucket", "arn:aws:s3:::b"), policies) == EXPLICIT_DENY


def test_actions_match_without_case_and_with_wildcards():
    granted = [policy(allow(["ec2:Describe*", "s3:Get?bject"]))]
    assert decide(Request("EC2:DescribeVpcs", "*"), granted) == ALLOW
    assert decide(Request("s3:GetObject", "*"), granted) == ALLOW
    assert decide(Request("s3:GetObjectAcl", "*"), granted) == IMPLICIT_DENY
    assert decide(Request("ec2:DeleteVpc", "*"), granted) == IMPLICIT_DENY


def test_not_action_and_not_resource():
    granted = [policy({"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret*"})]
    assert decide(Request("s3:GetObject", "arn:aws:s3:::public/k"), granted) == ALLOW
    assert decide(Request("iam:CreateUser", "*"), granted) == IMPLICIT_DENY
    assert decide(Request("s3:GetObject", "arn:aws:s3:::secret-bucket/k"), granted) == IMPLICIT_DENY


def test_resource_wildcards_stay_inside_their_arn_segment():
    granted = [policy(allow("iam:GetRole", "arn:aws:iam::*:role/dea-*"), allow("s3:GetObject", "arn:aws:s3:::dea-*"))]
    assert decide(Request("iam:GetRole", "arn:aws:iam::111122223333:role/dea-x"), granted) == ALLOW
    assert decide(Request("iam:GetRole", "arn:aws:iam::111122223333:role/admin"), granted) == IMPLICIT_DENY
    assert decide(Request("s3:GetObject", "arn:aws:s3:::dea-bucket/any/key"), granted) == ALLOW  # the last segment's * spans "/"
    streams = [policy(allow("kinesis:GetRecords", "arn:aws:kinesis:us-*:111122223333:stream/clicks"))]
    assert decide(Request("kinesis:GetRecords", "arn:aws:kinesis:us-east-1:111122223333:stream/clicks"), streams) == ALLOW
    assert decide(Request("kinesis:GetRecords", "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks"), streams) == IMPLICIT_DENY
    assert decide(Request("kinesis:GetRecords", "arn:aws:kinesis:us-east-1:999988887777:stream/clicks"), streams) == IMPLICIT_DENY


@pytest.mark.parametrize(("operator", "context", "expected"), [
    ("StringEquals", {"aws:RequestTag/team": "data"}, ALLOW),
    ("StringEquals", {"aws:RequestTag/team": "Data"}, IMPLICIT_DENY),  # case-sensitive
    ("StringEqualsIgnoreCase", {"aws:RequestTag/team": "Data"}, ALLOW),
    ("StringEquals", {}, IMPLICIT_DENY),  # an absent key fails a positive operator
    ("StringNotEquals", {}, ALLOW),  # ... and passes a negated one
    ("StringNotEquals", {"aws:RequestTag/team": "data"}, IMPLICIT_DENY),
    ("StringEqualsIfExists", {}, ALLOW),
    ("StringEqualsIfExists", {"aws:RequestTag/team": "ops"}, IMPLICIT_DENY),
    ("StringLike", {"aws:RequestTag/team": "data"}, ALLOW),
])
def test_string_operators(operator, context, expected):
    value = "d*" if operator == "StringLike" else "data"
    granted = [policy(allow("s3:PutObject", Condition={operator: {"aws:RequestTag/team": value}}))]
    assert decide(Request("s3:PutObject", "*", context), granted) == expected


def test_condition_keys_ignore_case_and_every_operator_and_key_must_hold():
    granted = [policy(allow("ec2:CreateVpc", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1", "aws:RequestTag/run": "r1"},
                                                         "Bool": {"aws:SecureTransport": True}}))]
    context = {"AWS:REQUESTEDREGION": "us-east-1", "aws:RequestTag/run": "r1", "aws:SecureTransport": "true"}
    assert decide(Request("ec2:CreateVpc", "*", context), granted) == ALLOW
    assert decide(Request("ec2:CreateVpc", "*", {**context, "aws:SecureTransport": "false"}), granted) == IMPLICIT_DENY
    assert decide(Request("ec2:CreateVpc", "*", {**context, "aws:RequestTag/run": "r2"}), granted) == IMPLICIT_DENY


def test_any_listed_value_satisfies_a_key():
    granted = [policy(allow("iam:PassRole", Condition={"StringEquals": {"iam:PassedToService": ["glue.amazonaws.com", "states.amazonaws.com"]}}))]
    assert decide(Request("iam:PassRole", "*", {"iam:PassedToService": "states.amazonaws.com"}), granted) == ALLOW
    assert decide(Request("iam:PassRole", "*", {"iam:PassedToService": "lambda.amazonaws.com"}), granted) == IMPLICIT_DENY


def test_null_and_arn_operators():
    require_tag = [policy(allow("ec2:RunInstances", Condition={"Null": {"aws:RequestTag/run": "false"}}))]
    assert decide(Request("ec2:RunInstances", "*", {"aws:RequestTag/run": "x"}), require_tag) == ALLOW
    assert decide(Request("ec2:RunInstances", "*"), require_tag) == IMPLICIT_DENY
    arns = [policy(allow("iam:AttachRolePolicy", Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}))]
    assert decide(Request("iam:AttachRolePolicy", "*", {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}), arns) == ALLOW
    assert decide(Request("iam:AttachRolePolicy", "*", {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}), arns) == IMPLICIT_DENY


def test_set_operators_over_multivalued_keys():
    only_these = [policy(allow("iam:TagRole", Condition={"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "run"]}}))]
    assert decide(Request("iam:TagRole", "*", {"aws:TagKeys": ["team"]}), only_these) == ALLOW
    assert decide(Request("iam:TagRole", "*", {"aws:TagKeys": ["team", "owner"]}), only_these) == IMPLICIT_DENY
    any_of = [policy(allow("iam:TagRole", Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": ["run"]}}))]
    assert decide(Request("iam:TagRole", "*", {"aws:TagKeys": ["team", "run"]}), any_of) == ALLOW
    assert decide(Request("iam:TagRole", "*"), any_of) == IMPLICIT_DENY


def test_a_permissions_boundary_caps_what_identity_policies_allow():
    administrator = policy(allow("*"))
    boundary = policy(allow(["s3:*", "glue:*"]), {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"})
    assert decide(Request("glue:GetTable", "*"), [administrator], boundary) == ALLOW
    assert decide(Request("iam:CreateUser", "*"), [administrator], boundary) == IMPLICIT_DENY
    assert decide(Request("s3:DeleteBucket", "*"), [administrator], boundary) == EXPLICIT_DENY
    assert decide(Request("glue:GetTable", "*"), [policy()], boundary) == IMPLICIT_DENY  # a boundary grants nothing by itself
