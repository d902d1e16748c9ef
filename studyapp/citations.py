"""Sources: the AWS documentation pages a lesson, question or flashcard rests on.

Questions and flashcards list them under `sources:`; a lesson ends with a `## Sources` section of
links (docs/content-format.md). Every link must be https on an AWS documentation, blog or
whitepaper host, so a learner can check a fact at its origin.
"""

import re
from urllib.parse import urlsplit

ALLOWED_HOSTS = {"docs.aws.amazon.com", "aws.amazon.com", "d1.awsstatic.com"}
SOURCES_HEADING = "Sources"
_HEADING = re.compile(r"^##\s+(?P<text>[^#\n{]+?)\s*(\{#[^}]*\})?\s*$", re.M)
_LINK = re.compile(r"\[[^\]]+\]\((?P<url>[^)\s]+)\)")


def url_problem(url: object) -> str | None:
    """Why this is not an acceptable source URL, or None if it is."""
    if not isinstance(url, str) or not url.strip():
        return "a source must be a URL"
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        return f"source {url!r} must use https"
    if parts.hostname not in ALLOWED_HOSTS:
        return f"source {url!r} is not on an AWS documentation host ({', '.join(sorted(ALLOWED_HOSTS))})"
    return None


def list_problems(value: object) -> tuple[list[str], list[str]]:
    """(the valid URLs, the problems) of a `sources:` value from YAML; a missing value is an empty list."""
    if value is None:
        return [], []
    if not isinstance(value, list) or not value:
        return [], ["sources must be a non-empty list of https URLs"]
    urls, problems = [], []
    for url in value:
        problem = url_problem(url)
        if problem:
            problems.append(problem)
        else:
            urls.append(url.strip())
    if len(set(urls)) != len(urls):
        problems.append("sources lists the same URL twice")
    return urls, problems


def lesson_sources(body: str) -> tuple[list[str], list[str], int | None]:
    """(URLs, problems, 0-based line offset of the heading) of the lesson's `## Sources` section.

    Only a `## Sources` that is the lesson's last `##` heading counts (an earlier section may be
    about, say, a stream's data sources); without one the result is ([], [], None).
    """
    headings = list(_HEADING.finditer(body))
    if not headings or headings[-1]["text"].strip() != SOURCES_HEADING:
        return [], [], None
    heading = headings[-1]
    offset = body.count("\n", 0, heading.start())
    urls = [m["url"] for m in _LINK.finditer(body[heading.end():])]
    if not urls:
        return [], ["the ## Sources section lists no links; write each as - [Page title](https://docs.aws.amazon.com/...)"], offset
    valid, problems = list_problems(urls)
    return valid, problems, offset
