"""What the flashcard review carries from one request to the next, without writing the learner's session.

- The shown-answer mark: a revealed card's rating form holds a value signed for this learner, naming the card as it
  stands (its reference and due moment). A rating without a valid mark is refused; once the card is rated its due
  moment moves, so the mark cannot rate it again.
- The note: what the last rating, undo, bury or suspend did, said once on the next flashcard page. It travels in a
  short-lived signed cookie that the next flashcard page reads and clears.

Both were session keys, and every reveal, rating and following page wrote the session (a database UPDATE and a
cache write) for them.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

NOTE_COOKIE = "flashcards_note"
NOTE_PATH = "/flashcards/"
NOTE_SECONDS = 300


def _card_as_it_stands(item) -> str:
    due = int(item.state.due.timestamp() * 1_000_000) if item.state else "new"
    return f"{item.ref}.{due}"


def _shown_signer(user) -> signing.Signer:
    return signing.Signer(salt=f"flashcards.shown.{user.pk}")


def shown_mark(user, item) -> str:
    return _shown_signer(user).sign(_card_as_it_stands(item))


def was_shown(user, item, mark: str) -> bool:
    try:
        return _shown_signer(user).unsign(mark) == _card_as_it_stands(item)
    except signing.BadSignature:
        return False


def _note_salt(user) -> str:
    return f"flashcards.note.{user.pk}"


def leave_note(response: HttpResponse, user, text: str) -> HttpResponse:
    response.set_cookie(NOTE_COOKIE, signing.dumps(text, salt=_note_salt(user)), max_age=NOTE_SECONDS, path=NOTE_PATH,
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
    return response


def read_note(request: HttpRequest) -> str:
    """The note left for this learner, or "" (none, expired, or not theirs)."""
    value = request.COOKIES.get(NOTE_COOKIE)
    if not value:
        return ""
    try:
        note = signing.loads(value, salt=_note_salt(request.user), max_age=NOTE_SECONDS)
    except signing.BadSignature:
        return ""
    return note if isinstance(note, str) else ""


def clear_note(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The note is said once: the page that read it clears it."""
    if NOTE_COOKIE in request.COOKIES:
        response.delete_cookie(NOTE_COOKIE, path=NOTE_PATH, samesite="Lax")
    return response
