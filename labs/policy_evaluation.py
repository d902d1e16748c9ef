"""Whether IAM policies allow one request, by AWS's documented evaluation logic, offline.

Used by the tests that hold the learner's role template to least privilege. No maintained evaluator runs on
Python 3.11 (principalmapper 1.1.5 fails to import), and the AWS emulator checks neither the Resource element
(outside S3) nor most condition operators, so the logic lives here, small and tested on its own
(labs/tests/test_policy_evaluation.py):

- an explicit Deny in any policy wins; otherwise an identity policy must Allow, and so must the permissions
  boundary when there is one (IAM "Policy evaluation logic");
- Action / NotAction match case-insensitively with `*` and `?`; Resource / NotResource match case-sensitively,
  ARN segment by segment (a wildcard in the region or account segment stays inside it);
- every condition operator of a statement must hold, every key of an operator must hold, and a key holds when
  any of the policy's values matches; an absent key fails the positive operators and passes the negated ones,
  except `...IfExists` (absent passes) and `Null`.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ALLOW, IMPLICIT_DENY, EXPLICIT_DENY = "allowed", "implicitly denied", "explicitly denied"


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: Mapping[str, str | list[str]] = field(default_factory=dict)


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM wildcards: `*` any run of characters, `?` one character; nothing else is special."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _arn_matches(pattern: str, arn: str) -> bool:
    if pattern == "*":
        return True
    pattern_parts, arn_parts = pattern.split(":", 5), arn.split(":", 5)
    if len(pattern_parts) != 6 or len(arn_parts) != 6:
        return _wildcard(pattern, arn)
    return all(_wildcard(p, a) for p, a in zip(pattern_parts, arn_parts, strict=True))


def _string_match(operator: str, wanted: str, actual: str) -> bool:
    if operator.startswith("StringEqualsIgnoreCase") or operator.startswith("StringNotEqualsIgnoreCase"):
        return wanted.lower() == actual.lower()
    if operator.startswith(("StringLike", "StringNotLike")):
        return _wildcard(wanted, actual)
    if operator.startswith(("ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals")):
        return _arn_matches(wanted, actual)
    if operator.startswith("Bool"):
        return wanted.lower() == actual.lower()
    if operator.startswith("Numeric"):
        return _numeric(operator, float(wanted), float(actual))
    return wanted == actual  # StringEquals, StringNotEquals


def _numeric(operator: str, wanted: float, actual: float) -> bool:
    name = operator.removeprefix("Numeric").removesuffix("IfExists")
    return {"Equals": actual == wanted, "NotEquals": actual == wanted, "LessThan": actual < wanted, "LessThanEquals": actual <= wanted,
            "GreaterThan": actual > wanted, "GreaterThanEquals": actual >= wanted}[name]


def _negated(operator: str) -> bool:
    return "Not" in operator


def _context_value(context: Mapping, key: str):
    lowered = {k.lower(): v for k, v in context.items()}
    return lowered.get(key.lower())


def _condition_holds(qualified_operator: str, key: str, wanted_values, context: Mapping) -> bool:
    qualifier, _, operator = qualified_operator.rpartition(":")
    actual = _context_value(context, key)
    wanted = [str(v).lower() if isinstance(v, bool) else str(v) for v in _listed(wanted_values)]
    if operator == "Null":
        return (actual is None) == (wanted[0].lower() == "true")
    if actual is None:
        if qualifier == "ForAllValues":
            return True
        return operator.endswith("IfExists") or (_negated(operator) and qualifier != "ForAnyValue")
    actual_values = _listed(actual)

    def matches(value: str) -> bool:
        hit = any(_string_match(operator, w, value) for w in wanted)
        return not hit if _negated(operator) else hit

    if qualifier == "ForAllValues":
        return all(matches(v) for v in actual_values)
    return any(matches(v) for v in actual_values)


def _statement_applies(statement: Mapping, request: Request) -> bool:
    if "Action" in statement:
        if not any(_wildcard(a, request.action, ignore_case=True) for a in _listed(statement["Action"])):
            return False
    elif any(_wildcard(a, request.action, ignore_case=True) for a in _listed(statement["NotAction"])):
        return False
    if "Resource" in statement:
        if not any(_arn_matches(r, request.resource) for r in _listed(statement["Resource"])):
            return False
    elif "NotResource" in statement and any(_arn_matches(r, request.resource) for r in _listed(statement["NotResource"])):
        return False
    return all(_condition_holds(operator, key, values, request.context)
               for operator, keys in (statement.get("Condition") or {}).items() for key, values in keys.items())


def _effects(policy: Mapping, request: Request) -> set[str]:
    return {s["Effect"] for s in _listed(policy["Statement"]) if _statement_applies(s, request)}


def decide(request: Request, identity_policies: Iterable[Mapping], boundary: Mapping | None = None) -> str:
    policies = list(identity_policies) + ([boundary] if boundary else [])
    if any("Deny" in _effects(policy, request) for policy in policies):
        return EXPLICIT_DENY
    allowed = any("Allow" in _effects(policy, request) for policy in identity_policies)
    if allowed and boundary is not None:
        allowed = "Allow" in _effects(boundary, request)
    return ALLOW if allowed else IMPLICIT_DENY
