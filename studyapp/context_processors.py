"""Template context shared by every page: the main navigation."""

from django.urls import NoReverseMatch, reverse

# (label, url name); a part whose URL does not exist yet shows as "soon".
NAV_ITEMS = (
    ("Lessons", "lessons"),
    ("Practice", "practice_home"),
    ("Mock exam", "mock_home"),
    ("Flashcards", "flashcards_home"),
    ("Labs", "labs_home"),
    ("SQL", "workbench_home"),
    ("Progress", "progress_home"),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request) -> dict:
    from labs.progress import running

    running_labs = running(request.user) if request.user.is_authenticated else []
    items = []
    for label, url_name in NAV_ITEMS:
        url = _url(url_name)
        items.append({"label": label, "url": url, "active": bool(url) and request.path.startswith(url)})
    return {"nav_items": items, "running_labs": running_labs}
