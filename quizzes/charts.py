"""The flashcards' 30-day due forecast as a server-side SVG bar chart (same conventions as studyapp/charts.py)."""

from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def due_forecast(counts: list[int], today: date) -> SafeString:
    """One bar per day; role="img" with a text alternative listing the busy days."""
    width, height, left, top, bottom = 640, 170, 36, 10, 140
    step = (width - left - 8) / max(len(counts), 1)
    peak = max(max(counts, default=0), 1)
    parts = [f'<line x1="{left}" x2="{width - 8}" y1="{bottom}" y2="{bottom}" stroke="var(--line)"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" fill="var(--muted)" {FONT}>{peak}</text>',
             f'<text x="{left - 6}" y="{bottom}" text-anchor="end" fill="var(--muted)" {FONT}>0</text>']
    for day, count in enumerate(counts):
        x = left + day * step
        bar = (bottom - top) * count / peak
        when = today + timedelta(days=day)
        if count:
            parts.append(f'<rect x="{x + 1:.1f}" y="{bottom - bar:.1f}" width="{step - 2:.1f}" height="{bar:.1f}" fill="var(--accent)"><title>{when:%a %d %b}: {count}</title></rect>')
        if day % 7 == 0:
            label = "today" if day == 0 else f"{when:%d %b}"
            parts.append(f'<text x="{x + step / 2:.1f}" y="{bottom + 16}" text-anchor="middle" fill="var(--muted)" {FONT}>{label}</text>')
    total = sum(counts)
    busiest = sorted(((c, d) for d, c in enumerate(counts) if c), reverse=True)[:3]
    busy = ", ".join(f"{(today + timedelta(days=d)):%d %b} ({c})" for c, d in sorted(busiest, key=lambda cd: cd[1]))
    label = f"Cards due in the next {len(counts)} days: {total} in all, {counts[0] if counts else 0} today" + (f"; busiest days {busy}" if busy else "")
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )
