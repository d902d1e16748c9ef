"""Check kinds for Redshift (cluster, IAM role for COPY, Data API queries), registered into labs.checks.KINDS."""

import botocore.exceptions  # noqa: F401

from .checks import CONFIG_ONLY, EMULATED, REAL_AWS_ONLY, Outcome, _not_found, check  # noqa: F401
