"""The site header's navigation, built in Python.

Every page shows it, and through the template engine it cost about as much as the whole landing page (a loop over
the sections, URL tags, the account menu). The fixed markup is made once per process and per active section; only
the learner's name, the search box's words, the running-lab badge and the CSRF token are filled in per request.
"""

import functools
from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

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


@functools.cache
def _signed_in(active: str | None) -> str:
    """The learner's navigation with `active` (a label) as the current section, with {badge}, {query}, {username}
    and {csrf} left to fill."""
    items = []
    for label, url in _nav_urls():
        if url is None:
            items.append(f'<li><span class="coming" title="Coming soon" aria-disabled="true">{label} <small>soon</small></span></li>')
            continue
        current = ' aria-current="page"' if label == active else ""
        items.append(f'<li><a href="{url}"{current}>{label}</a>{"{badge}" if label == "Labs" else ""}</li>')
    return (
        f'{_brand()}\n<button type="button" class="nav-toggle secondary" aria-expanded="false" aria-controls="nav-panel" hidden>Menu</button>\n'
        '<div class="nav-panel" id="nav-panel">\n<ul class="nav-items">\n' + "\n".join(items) + "\n</ul>\n"
        f'<form class="nav-search" role="search" action="{reverse("lesson_search")}" method="get">\n'
        '<label class="visually-hidden" for="nav-q">Search lessons</label>\n'
        '<input id="nav-q" type="search" name="q" placeholder="Search lessons" value="{query}">\n</form>\n'
        '<details class="account-menu">\n<summary>{username}</summary>\n<ul>\n'
        f'<li><a href="{reverse("password_change")}">Change password</a></li>\n'
        f'<li><form method="post" action="{reverse("logout")}">{{csrf}}<button type="submit" class="link-button">Log out</button></form></li>\n'
        "</ul>\n</details>\n</div>"
    )


@functools.cache
def _visitor() -> str:
    return (f'{_brand()}\n<ul class="nav-items nav-right">\n<li><a href="{reverse("login")}">Log in</a></li>\n'
            f'<li><a class="button" href="{reverse("signup")}">Sign up</a></li>\n</ul>')


def _brand() -> str:
    return f'<a class="brand" href="{reverse("landing")}">DEA-C01 <span>study</span></a>'


def _active(path: str) -> str | None:
    return next((label for label, url in _nav_urls() if url and path.startswith(url)), None)


def _badge(running: list[dict]) -> str:
    if not running:
        return ""
    title = "; ".join(f"{run['title']}: {run['elapsed']}, about ${run['cost_so_far']}" for run in running)
    return (f'\n<a class="running-labs" href="{escape(running[0]["url"])}" title="{escape(title)}">'
            f'{len(running)} running · ${escape(running[0]["cost_so_far"])}</a>')


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The main navigation: the sections, search and account menu for a learner; log in and sign up for a visitor.
    The search box shows `search_query` from the page's context (the search page's words)."""
    from labs.progress import running

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return mark_safe(_visitor())
    return mark_safe(_signed_in(_active(request.path)).format(
        badge=_badge(running(request.user)), query=escape(context.get("search_query") or ""), username=escape(request.user.username),
        csrf=CsrfTokenNode().render(context),  # what the page's {% csrf_token %} tags show: one masking of the secret per page
    ))
