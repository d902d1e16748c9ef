"""Turn a lesson's Markdown into HTML, a table of contents and searchable sections."""

import re
import unicodedata
import urllib.parse
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import sanitize

# Bump when the output of render() changes, so sync_content re-renders every lesson.
RENDERER_VERSION = "6"

LESSON_LINK = re.compile(r"^lesson:(?P<slug>[a-z0-9-]+/[a-z0-9-]+)(?:#(?P<anchor>[A-Za-z0-9_-]+))?$")
_STASH_PLACEHOLDER = re.compile("\x02wzxhzdk:\\d+\x03")
_HEADINGS = {"h2", "h3", "h4"}


def slugify(text: str, separator: str = "-") -> str:
    """A heading's anchor: lowercase ASCII, runs of other characters become one separator."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)


@dataclass
class RenderedSection:
    anchor: str
    heading: str
    text: str


@dataclass
class Rendered:
    html: str
    toc: list[dict]
    sections: list[RenderedSection]
    lesson_links: list[tuple[str, str]] = field(default_factory=list)  # (slug, anchor or "")
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)
    anchors: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)  # markup the sanitizer removed (content validation refuses it)


class _LessonTreeprocessor(Treeprocessor):
    """Rewrites lesson: links, records images, and cuts the page into sections by heading."""

    def __init__(self, md, result: Rendered, title: str):
        super().__init__(md)
        self.result = result
        self.title = title

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            match = LESSON_LINK.match(link.get("href", ""))
            if match:
                slug, anchor = match["slug"], match["anchor"] or ""
                self.result.lesson_links.append((slug, anchor))
                link.set("href", f"/lessons/{slug}/" + (f"#{anchor}" if anchor else ""))
        for image in root.iter("img"):
            self.result.images.append((image.get("src", ""), image.get("alt", "")))
            image.set("loading", "lazy")
        for element in root.iter():
            if element.tag in _HEADINGS and element.get("id"):
                self.result.anchors.append(element.get("id"))
        self._collect_sections(root)

    def _collect_sections(self, root: etree.Element) -> None:
        headings = {entry["id"]: entry["title"] for entry in _flatten_toc(getattr(self.md, "toc_tokens", []))}
        current = RenderedSection(anchor="", heading=self.title, text="")
        parts: list[str] = []
        for child in root:
            if child.tag in {"h2", "h3"} and child.get("id"):
                current.text = _clean_text(" ".join(parts))
                self.result.sections.append(current)
                heading = headings.get(child.get("id")) or "".join(child.itertext()).strip()
                current, parts = RenderedSection(anchor=child.get("id"), heading=heading, text=""), []
            else:
                # Inline markup joined as written ("a <code>b</code>, c" reads "a b, c"); block elements inside
                # (list items, table cells) end in the newline markdown's prettify step gives them.
                parts.append("".join(child.itertext()))
        current.text = _clean_text(" ".join(parts))
        self.result.sections.append(current)
        self.result.sections = [s for s in self.result.sections if s.text or s.anchor]


SQL_BLOCK = re.compile(r"^```sql[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RUNNABLE_SQL = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


class _TryItPreprocessor(Preprocessor):
    """After each SQL query block (SELECT or WITH), a link that opens it in the SQL workbench."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)

        def add_link(match: re.Match) -> str:
            code = match["code"]
            if not RUNNABLE_SQL.match(code) or code.strip().rstrip(";").count(";"):
                return match.group(0)
            url = "/sql/?" + urllib.parse.urlencode({"q": code.strip()})
            return f'{match.group(0)}\n\n<p class="try-it"><a href="{url}">Try it in the SQL workbench</a></p>\n'

        return SQL_BLOCK.sub(add_link, text).split("\n")


class _LessonExtension(Extension):
    def __init__(self, result: Rendered, title: str):
        super().__init__()
        self.result = result
        self.title = title

    def extendMarkdown(self, md) -> None:  # noqa: N802 (the Markdown API's name)
        # Priority below the toc extension's (5), so heading ids already exist.
        md.treeprocessors.register(_LessonTreeprocessor(md, self.result, self.title), "lesson", 1)
        # Before fenced_code (priority 25) turns the blocks into stashed HTML.
        md.preprocessors.register(_TryItPreprocessor(md), "try_it", 30)


def _clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", _STASH_PLACEHOLDER.sub(" ", text)).strip()


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append({"id": token["id"], "title": token["name"], "level": token["level"]})
        flat.extend(_flatten_toc(token["children"]))
    return flat


def render(text: str, title: str = "") -> Rendered:
    """Render one lesson body (front matter already removed)."""
    result = Rendered(html="", toc=[], sections=[])
    md = markdown.Markdown(
        extensions=[
            "fenced_code",
            "codehilite",
            "tables",
            "admonition",
            "attr_list",
            "sane_lists",
            "toc",
            _LessonExtension(result, title),
        ],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": slugify, "toc_depth": "2-3", "permalink": "#", "permalink_title": "Link to this section"},
        },
        output_format="html",
    )
    raw = md.convert(text)
    result.unsafe = sanitize.unsafe_markup(raw)
    result.html = sanitize.clean(raw)
    result.toc = _flatten_toc(md.toc_tokens)
    return result
