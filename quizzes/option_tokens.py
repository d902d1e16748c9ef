"""What an answer form sends for each option: a token that names the option only within one response.

The bank's option ids are letters its authors chose, and they are not evenly spread over right answers
(an author's "a" is right more often than chance). Sending them in forms would let a learner pick by id
instead of by reading; a per-response HMAC token reveals nothing and cannot be reused elsewhere.
"""

import hashlib
import hmac

from django.conf import settings

INVALID = "?"  # what an unknown token maps to: never an option id, so the answer is rejected


def token(response_id: int, option_id: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"answer-option:{response_id}:{option_id}".encode(), hashlib.sha256).hexdigest()[:16]


def option_ids(response, sent: list[str]) -> list[str]:
    """The option ids behind the tokens a form sent for this response."""
    by_token = {token(response.id, option_id): option_id for option_id in response.option_order}
    return [by_token.get(value, INVALID) for value in sent]
