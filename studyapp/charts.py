"""Small server-side SVG charts for the dashboard.

Colours come from the page's CSS variables, so the charts follow light and dark mode.
Every chart has role="img" and a text alternative that says what it shows.
"""

import html
from collections import Counter
from datetime import date, timedelta

from django.utils.safestring import SafeString, mark_safe

from .exam_guide import PASSING_SCORE


def escape(value) -> str:
    """What django.utils.html.escape does, without its lazy-string wrapper: a chart escapes hundreds of values."""
    return html.escape(str(value))


FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _svg(width: int, height: int, label: str, body: str, css_class: str = "chart") -> SafeString:
    return mark_safe(
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def data_table(caption: str, headers: list[str], rows: list[list]) -> str:
    """The chart's figures as a table behind a disclosure: the text alternative a screen reader (or anyone) can browse."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return (f'<details class="chart-data"><summary>{escape(caption)} as a table</summary>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>")


def accuracy_bars(rows: list[dict]) -> SafeString:
    """rows: {"label", "percent" (or None), "answered", "weight"}; accuracy bars with the exam weight beneath.

    Each label has a line of its own above its bar, so a long domain title is never cut."""
    width, bar_width, row_height = 640, 480, 52
    parts, described, table = [], [], []
    for i, row in enumerate(rows):
        y = 4 + i * row_height
        percent = row["percent"]
        parts.append(f'<text x="0" y="{y + 14}" fill="var(--fg)" {FONT}>{escape(row["label"])}</text>')
        parts.append(f'<rect x="0" y="{y + 22}" width="{bar_width}" height="14" rx="3" fill="var(--panel)" stroke="var(--line)"/>')
        if percent is not None:
            parts.append(f'<rect x="0" y="{y + 22}" width="{bar_width * percent / 100:.1f}" height="14" rx="3" fill="var(--accent)"/>')
        if row.get("weight") is not None:
            parts.append(f'<rect x="0" y="{y + 40}" width="{bar_width * row["weight"] / 100:.1f}" height="5" fill="var(--muted)"/>')
        text = f'{percent}% of {row["answered"]}' if percent is not None else "no answers yet"
        parts.append(f'<text x="{bar_width + 10}" y="{y + 34}" fill="var(--muted)" {FONT}>{escape(text)}</text>')
        described.append(f'{row["label"]}: {text}' + (f', exam weight {row["weight"]}%' if row.get("weight") is not None else ""))
        table.append([row["label"], f"{percent}%" if percent is not None else "–", row["answered"]] + ([f'{row["weight"]}%'] if row.get("weight") is not None else []))
    headers = ["Area", "Right", "Answers"] + (["Exam weight"] if rows and rows[0].get("weight") is not None else [])
    svg = _svg(width, 4 + len(rows) * row_height, "Accuracy. " + "; ".join(described), "".join(parts))
    return mark_safe(svg + data_table("Accuracy", headers, table))


def score_history(mocks: list[dict]) -> SafeString:
    """Mock exam scaled scores in order, against the 720 pass line; each point shows its score."""
    width, height, left, top, bottom = 640, 236, 44, 28, 212
    def y(score: int) -> float:
        return bottom - (score - 100) / 900 * (bottom - top)
    parts = [
        f'<line x1="{left}" x2="{width - 10}" y1="{y(PASSING_SCORE):.1f}" y2="{y(PASSING_SCORE):.1f}" stroke="var(--ok)" stroke-dasharray="6 4"/>',
        f'<text x="{width - 10}" y="{y(PASSING_SCORE) + 16:.1f}" text-anchor="end" fill="var(--ok)" {FONT}>pass {PASSING_SCORE}</text>',
    ]
    for score in (100, 400, 700, 1000):
        parts.append(f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end" fill="var(--muted)" {FONT}>{score}</text>')
    step = (width - left - 30) / max(len(mocks) - 1, 1)
    points = [(left + 10 + i * step, y(m["score"])) for i, m in enumerate(mocks)]
    if len(points) > 1:
        parts.append('<polyline fill="none" stroke="var(--accent)" stroke-width="2" points="' + " ".join(f"{x:.1f},{py:.1f}" for x, py in points) + '"/>')
    for (x, py), mock in zip(points, mocks, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{py:.1f}" r="4" fill="var(--accent)"><title>{mock["date"]:%d %b %Y}: {mock["score"]}</title></circle>')
        parts.append(f'<text x="{x:.1f}" y="{py - 9:.1f}" text-anchor="middle" fill="var(--fg)" {FONT}>{mock["score"]}</text>')
    label = "Mock exam scores: " + (", ".join(str(m["score"]) for m in mocks) if mocks else "none yet") + f"; the pass mark is {PASSING_SCORE}."
    table = [[f'{m["date"]:%d %b %Y}', m["score"], "passed" if m["score"] >= PASSING_SCORE else "not yet"] for m in mocks]
    return mark_safe(_svg(width, height, label, "".join(parts)) + data_table("Mock exam scores", ["Date", "Score", "Pass mark"], table))


def study_calendar(days: Counter, today: date) -> SafeString:
    """The last 12 weeks, a square per day, darker for more activity; weekdays down the side, months along the top."""
    cell, gap, left, top = 14, 3, 34, 18
    start = today - timedelta(days=today.weekday() + 7 * 11)
    parts, studied = [], 0
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        parts.append(f'<text x="0" y="{top + row * (cell + gap) + 11}" fill="var(--muted)" font-family="system-ui, sans-serif" font-size="10">{name}</text>')
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        count = days.get(day, 0)
        studied += bool(count)
        opacity = 0.15 if not count else min(0.35 + count / 40, 1.0)
        fill = "var(--line)" if not count else "var(--ok)"
        x, y = left + (offset // 7) * (cell + gap), top + (offset % 7) * (cell + gap)
        parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{fill}" fill-opacity="{opacity:.2f}"><title>{day:%a %d %b}: {count} action(s)</title></rect>')
    for column, month in _month_columns(start):
        parts.append(f'<text x="{left + column * (cell + gap)}" y="11" fill="var(--muted)" font-family="system-ui, sans-serif" font-size="10">{month}</text>')
    label = f"Study calendar: you studied on {studied} of the last {(today - start).days + 1} days."
    return _svg(left + 12 * (cell + gap) + 4, top + 7 * (cell + gap) + 4, label, "".join(parts), css_class="chart calendar")


def _month_columns(start: date, weeks: int = 12) -> list[tuple[int, str]]:
    """(column, month name) for each week that holds the 1st of a month; the first column too, if no label sits close by."""
    columns = []
    for week in range(weeks):
        sunday = start + timedelta(days=7 * week + 6)
        if sunday.day <= 7:
            columns.append((week, f"{sunday:%b}"))
    if not columns or columns[0][0] > 1:
        columns.insert(0, (0, f"{start:%b}"))
    return columns


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


def for_dashboard(board, today: date) -> dict[str, SafeString | None]:
    """The progress page's charts of a learner's board (studyapp/dashboard.py): kept with it (board_cache)."""
    domain_rows = [{"label": f'{d["domain"].number}. {d["domain"].title}', "percent": d["percent"], "answered": d["answered"], "weight": d["domain"].weight}
                   for d in board.domains]
    task_rows = [{"label": f'{t["task"].id} {t["task"].title}', "percent": t["percent"], "answered": t["answered"], "weight": None} for t in board.tasks]
    readiness = board.readiness
    return {
        "domain_chart": accuracy_bars(domain_rows),
        "task_chart": accuracy_bars(task_rows),
        "score_chart": score_history(board.mocks) if board.mocks else None,
        "calendar": study_calendar(board.study_days, today),
        "readiness_chart": readiness_band(readiness.score, readiness.low, readiness.high) if readiness.enough else None,
    }
