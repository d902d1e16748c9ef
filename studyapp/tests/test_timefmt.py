from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template

from studyapp.templatetags.timefmt import relative

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("before", "text"), [
    (timedelta(seconds=0), "just now"),
    (timedelta(seconds=59), "just now"),
    (timedelta(seconds=-5), "just now"),
    (timedelta(minutes=1), "1 minute ago"),
    (timedelta(minutes=3, seconds=30), "3 minutes ago"),
    (timedelta(hours=1, minutes=5), "1 hour ago"),
    (timedelta(hours=5), "5 hours ago"),
    (timedelta(days=1, hours=2), "yesterday"),
    (timedelta(days=4), "4 days ago"),
    (timedelta(days=45), "on 22 Oct 2026"),
])
def test_relative_times_read_naturally(before, text, settings):
    settings.TIME_ZONE = "UTC"
    assert relative(NOW - before, now=NOW) == text


def test_the_filter_gives_a_time_element_with_the_exact_moment(settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime.now(UTC) - timedelta(minutes=3)
    html = Template("{% load timefmt %}checked {{ moment|ago }}").render(Context({"moment": moment}))
    assert html.startswith(f'checked <time datetime="{moment.isoformat()}"') and html.endswith(">3 minutes ago</time>")


@pytest.mark.django_db
def test_a_connection_checked_a_moment_ago_says_just_now(alice_client, alice):
    from labs.models import AwsConnection

    AwsConnection.objects.create(user=alice, kind=AwsConnection.SANDBOX, name="AWS sandbox", validated_at=datetime.now(UTC))
    html = alice_client.get("/labs/connections/").content.decode()
    assert ">just now</time>" in html and "0 minutes" not in html
