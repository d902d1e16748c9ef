"""Check kinds for OpenSearch Service (domains, index document counts over signed HTTP), registered into labs.checks.KINDS."""

import botocore.exceptions  # noqa: F401

from .checks import CONFIG_ONLY, EMULATED, REAL_AWS_ONLY, Outcome, _not_found, check  # noqa: F401
