"""Template context shared by every page: the main navigation."""

from django.urls import reverse

# (label, url name or None while the part is still to come)
NAV_ITEMS = (
    ("Lessons", "lessons"),
    ("Practice", None),
    ("Mock exam", None),
    ("Flashcards", None),
    ("Labs", None),
    ("Progress", None),
)


def navigation(request) -> dict:
    items = []
    for label, url_name in NAV_ITEMS:
        url = reverse(url_name) if url_name else None
        active = bool(url) and request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
