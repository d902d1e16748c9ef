"""The options-with-explanations list shown after an answer (quizzes/templatetags/option_feedback.py)."""

import re

from quizzes.templatetags.option_feedback import options_feedback

OPTIONS = [
    {"id": "a", "label": "A", "correct": True, "html": "<p>Glue crawler</p>", "why_html": "<p>It infers the schema.</p>"},
    {"id": "b", "label": "B", "correct": True, "html": "<p>Athena</p>", "why_html": "<p>It reads the catalog.</p>"},
    {"id": "c", "label": "C", "correct": False, "html": "<p>Macie</p>", "why_html": "<p>It finds sensitive data.</p>"},
    {"id": "d", "label": "<D>", "correct": False, "html": "<p>Kinesis</p>", "why_html": "<p>It streams.</p>"},
]


def items(html: str) -> list[tuple[str, list[str], str]]:
    """Each option as (classes, badges, rest of its markup)."""
    found = []
    for item in re.findall(r"<li (.*?)</li>", html, re.DOTALL):
        classes = re.match(r'class="([^"]*)"', item)[1].split()
        found.append((" ".join(classes), re.findall(r'<span class="(badge[^"]*)">([^<]*)</span>', item), item))
    return found


def test_each_option_says_whether_it_was_right_and_whether_the_learner_chose_it():
    html = options_feedback(OPTIONS, ["a", "c"])
    assert html.startswith('<ol class="options feedback">') and html.endswith("</ol>")
    (a_classes, a_badges, a), (b_classes, b_badges, _), (c_classes, c_badges, c), (d_classes, d_badges, d) = items(html)
    assert (a_classes, a_badges) == ("option is-correct was-chosen", [("badge ok", "Correct"), ("badge", "Your choice")])
    assert (b_classes, b_badges) == ("option is-correct", [("badge ok", "Correct")])
    assert (c_classes, c_badges) == ("option was-chosen", [("badge bad", "Your choice")])
    assert (d_classes, d_badges) == ("option", [])
    assert '<div class="option-text"><p>Glue crawler</p></div>' in a and '<div class="why"><strong>Why:</strong> <p>It finds sensitive data.</p></div>' in c
    assert '<span class="letter">&lt;D&gt;</span>' in d  # a label is escaped; the option texts were sanitised at load


def test_with_nothing_chosen_only_the_right_options_are_marked():
    for nothing in (None, "", []):
        assert [(classes, badges) for classes, badges, _ in items(options_feedback(OPTIONS, nothing))] == [
            ("option is-correct", [("badge ok", "Correct")]), ("option is-correct", [("badge ok", "Correct")]), ("option", []), ("option", [])]
