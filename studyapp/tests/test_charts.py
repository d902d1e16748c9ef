"""The dashboard's charts: nothing cut, values readable, and each with a text alternative."""

import re
from collections import Counter
from datetime import date

from studyapp import charts


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_accuracy_bars_keep_whole_labels_and_offer_a_table():
    html = charts.accuracy_bars([
        {"label": "1. Data Ingestion and Transformation", "percent": 60, "answered": 5, "weight": 34},
        {"label": "2. Data Store Management", "percent": None, "answered": 0, "weight": 26},
    ])
    assert "1. Data Ingestion and Transformation" in texts(html)
    # The label sits on its own line, above its bar: no bar starts before the label's line ends.
    label_y = float(re.search(r'<text x="0" y="([\d.]+)"', html)[1])
    bar_y = float(re.search(r'<rect x="0" y="([\d.]+)"', html)[1])
    assert bar_y > label_y
    table = html[html.index("<table>"):]
    assert "<td>1. Data Ingestion and Transformation</td><td>60%</td><td>5</td><td>34%</td>" in table
    assert "<td>2. Data Store Management</td><td>–</td><td>0</td><td>26%</td>" in table


def test_the_mock_score_chart_labels_every_point():
    html = charts.score_history([{"date": date(2026, 11, 2), "score": 655}, {"date": date(2026, 11, 9), "score": 741}])
    assert "655" in texts(html) and "741" in texts(html)
    assert "<td>09 Nov 2026</td><td>741</td><td>passed</td>" in html
    assert "<td>02 Nov 2026</td><td>655</td><td>not yet</td>" in html


def test_the_study_calendar_has_weekday_and_month_axes():
    svg = charts.study_calendar(Counter({date(2026, 12, 1): 3}), today=date(2026, 12, 6))
    labels = texts(svg)
    assert {"Mon", "Wed", "Fri", "Sun"} <= set(labels)
    assert "Sep" in labels and "Oct" in labels and "Nov" in labels and "Dec" in labels
    assert "you studied on 1 of the last 84 days" in svg
