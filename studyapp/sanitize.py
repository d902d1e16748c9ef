"""No HTML from data: every piece of rendered Markdown passes an allow-list before it is stored or shown.

`clean` keeps only the tags and attributes our Markdown extensions produce (headings with anchors, code
highlighting, tables, admonitions, images, links to http(s)/mailto or this site). `unsafe_markup` names
what `clean` would have to remove, so content validation can refuse it instead of silently dropping it.
"""

import html
import re

import nh3

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}
GLOBAL_ATTRIBUTES = {"class", "id", "title"}
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "loading", "width", "height"},
    "th": {"style", "align"},
    "td": {"style", "align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_SCRIPT = re.compile(r"<\s*script\b", re.IGNORECASE)
_EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
_URL_ATTRIBUTE = re.compile(r"""\s(?:href|src|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)


# Built once: nh3.clean would build the same allow-list for every call (six times the cost of cleaning a short text).
_CLEANER = nh3.Cleaner(
    tags=TAGS, attributes={tag: set(names) for tag, names in ATTRIBUTES.items()} | {"*": GLOBAL_ATTRIBUTES},
    url_schemes=URL_SCHEMES, filter_style_properties={"text-align"}, link_rel=None, strip_comments=True,
)


def clean(markup: str) -> str:
    return _CLEANER.clean(markup)


def unsafe_markup(markup: str) -> list[str]:
    """What in rendered HTML could run script: raw <script>, event attributes (onerror=...), javascript: links."""
    problems = []
    if _SCRIPT.search(markup):
        problems.append("raw <script> is not allowed")
    if _EVENT_ATTRIBUTE.search(markup):
        problems.append("event attributes (onclick=, onerror=, ...) are not allowed")
    for match in _URL_ATTRIBUTE.finditer(markup):
        url = html.unescape(next(group for group in match.groups() if group is not None))
        if _SCRIPT_URL.match(re.sub(r"[\s\x00-\x1f]+", "", url)):
            problems.append("javascript:, vbscript: and data: links are not allowed")
            break
    return problems
