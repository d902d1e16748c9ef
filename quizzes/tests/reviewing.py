"""Test helpers for the flashcard review: reveal a card as a learner's browser does, then rate it."""

import re


def reveal(client, ref: str, query: str = "") -> str:
    """Open the card's answer; returns the shown mark its rating form carries ("" when the page shows no rating form)."""
    html = client.get(f"/flashcards/review?{query}{'&' if query else ''}show={ref}").content.decode()
    found = re.search(r'name="shown" value="([^"]*)"', html)
    return found[1] if found else ""


def rate(client, ref: str, rating: str, shown: str, **fields):
    """Post a rating with the given shown mark, as the rating form would."""
    return client.post("/flashcards/rate", {"card": ref, "rating": rating, "shown": shown, **fields})


def reveal_and_rate(client, ref: str, rating: str = "3", query: str = "", **fields):
    return rate(client, ref, rating, reveal(client, ref, query), **fields)
