"""The template backend prints numbers and dates without a locale lookup, and that changes no text on this site."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.template import Context, Template, engines
from django.template import base as template_base
from django.template.loader import render_to_string

# What the templates print: counts, shares, scores, money in cents, dates and times.
PRINTED = [0, 7, -42, 1234567, 0.1, 2 / 3, 12.5, 123456789012.5, Decimal("3.10"), Decimal("0.00"), Decimal("1234.56"),
           datetime.date(2026, 12, 7), datetime.datetime(2026, 12, 7, 15, 9, tzinfo=datetime.UTC), datetime.time(9, 5), True, None]


def _localized(value) -> str:
    """What Django's own engine prints: a plain Context localises."""
    return Template("{{ value }}").render(Context({"value": value}))


@pytest.mark.parametrize("value", PRINTED, ids=repr)
def test_a_value_prints_as_the_locale_would_print_it(value):
    assert engines["django"].from_string("{{ value }}").render({"value": value}) == _localized(value)


def test_templates_print_numbers_without_a_locale_lookup(rf):
    with mock.patch.object(template_base, "localize", wraps=template_base.localize) as localize:
        _localized(1234)
        assert localize.call_args.kwargs["use_l10n"] in (None, True)  # the stand-in sees Django's own lookups
        localize.reset_mock()
        engines["django"].from_string("{{ n }} {{ share }} {{ day }}").render(
            {"n": 1234, "share": 0.5, "day": datetime.date(2026, 1, 2)}, request=rf.get("/"))
        render_to_string("studyapp/_outline_lesson.html", {"lesson": {"title": "t", "minutes": 12, "get_absolute_url": "/"}})
    assert localize.call_count >= 3
    assert {call.kwargs["use_l10n"] for call in localize.call_args_list} == {False}
