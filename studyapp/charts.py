"""Small server-side SVG charts for the dashboard.

Colours come from the page's CSS variables, so the charts follow light and dark mode.
Every chart has role="img" and a text alternative that says what it shows.
"""

from collections import Counter
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .exam_guide import PASSING_SCORE

FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _svg(width: int, height: int, label: str, body: str, css_class: str = "chart") -> SafeString:
    return mark_safe(
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def accuracy_bars(rows: list[dict]) -> SafeString:
    """rows: {"label", "percent" (or None), "answered", "weight"}; accuracy bars with the exam weight beneath."""
    width, left, bar_width, row_height = 640, 230, 300, 40
    parts, described = [], []
    for i, row in enumerate(rows):
        y = 8 + i * row_height
        percent = row["percent"]
        parts.append(f'<text x="0" y="{y + 14}" fill="var(--fg)" {FONT}>{escape(row["label"])}</text>')
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{bar_width}" height="14" rx="3" fill="var(--panel)" stroke="var(--line)"/>')
        if percent is not None:
            parts.append(f'<rect x="{left}" y="{y + 2}" width="{bar_width * percent / 100:.1f}" height="14" rx="3" fill="var(--accent)"/>')
        if row.get("weight") is not None:
            parts.append(f'<rect x="{left}" y="{y + 20}" width="{bar_width * row["weight"] / 100:.1f}" height="5" fill="var(--muted)"/>')
        text = f'{percent}% of {row["answered"]}' if percent is not None else "no answers yet"
        parts.append(f'<text x="{left + bar_width + 10}" y="{y + 14}" fill="var(--muted)" {FONT}>{escape(text)}</text>')
        described.append(f'{row["label"]}: {text}' + (f', exam weight {row["weight"]}%' if row.get("weight") is not None else ""))
    return _svg(width, 8 + len(rows) * row_height, "Accuracy. " + "; ".join(described), "".join(parts))


def score_history(mocks: list[dict]) -> SafeString:
    """Mock exam scaled scores in order, against the 720 pass line."""
    width, height, left, top, bottom = 640, 220, 44, 12, 196
    def y(score: int) -> float:
        return bottom - (score - 100) / 900 * (bottom - top)
    parts = [
        f'<line x1="{left}" x2="{width - 10}" y1="{y(PASSING_SCORE):.1f}" y2="{y(PASSING_SCORE):.1f}" stroke="var(--ok)" stroke-dasharray="6 4"/>',
        f'<text x="{width - 10}" y="{y(PASSING_SCORE) - 5:.1f}" text-anchor="end" fill="var(--ok)" {FONT}>pass {PASSING_SCORE}</text>',
    ]
    for score in (100, 400, 700, 1000):
        parts.append(f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end" fill="var(--muted)" {FONT}>{score}</text>')
    step = (width - left - 30) / max(len(mocks) - 1, 1)
    points = [(left + 10 + i * step, y(m["score"])) for i, m in enumerate(mocks)]
    if len(points) > 1:
        parts.append('<polyline fill="none" stroke="var(--accent)" stroke-width="2" points="' + " ".join(f"{x:.1f},{py:.1f}" for x, py in points) + '"/>')
    for (x, py), mock in zip(points, mocks, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{py:.1f}" r="4" fill="var(--accent)"><title>{mock["date"]:%d %b %Y}: {mock["score"]}</title></circle>')
    label = "Mock exam scores: " + (", ".join(str(m["score"]) for m in mocks) if mocks else "none yet") + f"; the pass mark is {PASSING_SCORE}."
    return _svg(width, height, label, "".join(parts))


def study_calendar(days: Counter, today: date) -> SafeString:
    """The last 12 weeks, a square per day, darker for more activity."""
    cell, gap = 14, 3
    start = today - timedelta(days=today.weekday() + 7 * 11)
    parts, studied = [], 0
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        count = days.get(day, 0)
        studied += bool(count)
        opacity = 0.15 if not count else min(0.35 + count / 40, 1.0)
        fill = "var(--line)" if not count else "var(--ok)"
        x, y = 4 + (offset // 7) * (cell + gap), 4 + (offset % 7) * (cell + gap)
        parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{fill}" fill-opacity="{opacity:.2f}"><title>{day:%a %d %b}: {count} action(s)</title></rect>')
    label = f"Study calendar: you studied on {studied} of the last {(today - start).days + 1} days."
    return _svg(12 * (cell + gap) + 8, 7 * (cell + gap) + 8, label, "".join(parts), css_class="chart calendar")


def readiness_band(score: int, low: int, high: int) -> SafeString:
    width, left, right = 640, 20, 620
    def x(value: int) -> float:
        return left + (value - 100) / 900 * (right - left)
    parts = [
        f'<rect x="{left}" y="22" width="{right - left}" height="12" rx="6" fill="var(--panel)" stroke="var(--line)"/>',
        f'<rect x="{x(low):.1f}" y="22" width="{max(x(high) - x(low), 2):.1f}" height="12" rx="6" fill="var(--accent)" fill-opacity="0.35"/>',
        f'<line x1="{x(PASSING_SCORE):.1f}" x2="{x(PASSING_SCORE):.1f}" y1="14" y2="42" stroke="var(--ok)" stroke-width="2"/>',
        f'<text x="{x(PASSING_SCORE):.1f}" y="56" text-anchor="middle" fill="var(--ok)" {FONT}>{PASSING_SCORE}</text>',
        f'<circle cx="{x(score):.1f}" cy="28" r="7" fill="var(--accent)"/>',
        f'<text x="{x(score):.1f}" y="12" text-anchor="middle" fill="var(--fg)" {FONT}>{score}</text>',
        f'<text x="{left}" y="56" fill="var(--muted)" {FONT}>100</text><text x="{right}" y="56" text-anchor="end" fill="var(--muted)" {FONT}>1000</text>',
    ]
    return _svg(width, 62, f"Predicted score {score}, likely between {low} and {high}; the pass mark is {PASSING_SCORE}.", "".join(parts))
