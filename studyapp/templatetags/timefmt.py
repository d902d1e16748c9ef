"""Relative times that read naturally: "just now", "3 minutes ago", "yesterday"."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'} ago"


def relative(moment: datetime, now: datetime | None = None) -> str:
    seconds = ((now or timezone.now()) - moment).total_seconds()
    if seconds < 60:  # also a moment a little in the future (clocks differ)
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return _plural(minutes, "minute")
    hours = minutes // 60
    if hours < 24:
        return _plural(hours, "hour")
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 30:
        return _plural(days, "day")
    return f"on {timezone.localtime(moment):%-d %b %Y}"


@register.filter
def ago(moment: datetime | None) -> SafeString | str:
    """A <time> element saying how long ago `moment` was, with the exact time as its datetime and title."""
    if moment is None:
        return ""
    exact = timezone.localtime(moment)
    return format_html('<time datetime="{}" title="{}">{}</time>', exact.isoformat(), f"{exact:%-d %b %Y, %H:%M}", relative(moment))
