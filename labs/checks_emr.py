"""Check kinds for EMR (clusters, steps, autoscaling) and Step Functions orchestration, registered into labs.checks.KINDS."""

import botocore.exceptions  # noqa: F401

from .checks import CONFIG_ONLY, EMULATED, REAL_AWS_ONLY, Outcome, _not_found, check  # noqa: F401
