"""Template context shared by every page: the main navigation."""

import functools

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


@functools.cache
def _nav_urls() -> tuple[tuple[str, str | None], ...]:
    return tuple((label, _url(url_name)) for label, url_name in NAV_ITEMS)  # the URLconf does not change while running


def navigation(request) -> dict:
    from labs.progress import running

    running_labs = running(request.user) if request.user.is_authenticated else []
    items = [{"label": label, "url": url, "active": bool(url) and request.path.startswith(url)} for label, url in _nav_urls()]
    return {"nav_items": items, "running_labs": running_labs}
