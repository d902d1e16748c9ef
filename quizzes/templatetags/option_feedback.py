"""A question's options with their explanations, after an answer: built in Python.

Every answered practice question, missed question on a flashcard and the mock exam's result page (65 questions)
show this list. Through the template engine each option's badges, marks and texts were a dozen nodes. The markup is
the one the template made; the options' HTML was sanitised when the bank was loaded, as the template trusted it.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _badges(correct: bool, picked: bool) -> str:
    if correct:
        return '<span class="badge ok">Correct</span>' + ('<span class="badge">Your choice</span>' if picked else "")
    return '<span class="badge bad">Your choice</span>' if picked else ""


@register.simple_tag
def options_feedback(options: list[dict], chosen) -> SafeString:
    """`options`: quizzes.views.common.ordered_options; `chosen`: the option ids the learner picked (none: "" or None)."""
    chosen = chosen or ()
    items = []
    for option in options:
        correct, picked = option["correct"], option["id"] in chosen
        items.append(
            f'<li class="option {"is-correct" if correct else ""} {"was-chosen" if picked else ""}">\n'
            f'<div class="option-head"><span class="letter">{escape(option["label"])}</span>\n{_badges(correct, picked)}\n</div>\n'
            f'<div class="option-text">{option["html"]}</div>\n'
            f'<div class="why"><strong>Why:</strong> {option["why_html"]}</div>\n</li>'
        )
    return mark_safe('<ol class="options feedback">\n' + "\n".join(items) + "\n</ol>")
