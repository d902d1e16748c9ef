"""Flashcards in a real browser: rating only after the reveal, undo, a chosen deck."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rating_buttons_appear_only_after_the_answer_is_shown(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/flashcards/review")
    expect(page.get_by_role("link", name="Show answer")).to_be_visible()
    expect(page.get_by_role("button", name="Good")).to_have_count(0)
    expect(page.locator("#answer")).to_have_count(0)
    page.keyboard.press("3")  # a rating key before the reveal does nothing
    expect(page.locator("#rated")).to_have_count(0)
    page.get_by_role("link", name="Show answer").click()
    expect(page.locator("#answer")).to_be_visible()
    labels = page.locator("#rating-form button").all_inner_texts()
    assert [label.split()[0] for label in labels] == ["Again", "Hard", "Good", "Easy"]
    assert all(label.split()[-1][-1] in "mhdoy" for label in labels)  # each shows its interval, e.g. 10m or 3d
    page.get_by_role("button", name="Good").click()
    expect(page.locator("#rated")).to_contain_text("Good: this card comes back in 10m")


def test_the_rating_bar_stays_in_view_on_a_long_card(logged_in, live_server, loaded_bank):
    from quizzes.models import Flashcard

    Flashcard.objects.filter(cid="card-crawler").update(back_html="<p>A crawler.</p>" * 200)
    page = logged_in
    page.set_viewport_size({"width": 800, "height": 600})
    card = Flashcard.objects.get(cid="card-crawler")
    page.goto(live_server.url + f"/flashcards/review?show=f{card.id}")
    box = page.locator("#rating-form").bounding_box()
    assert box["y"] + box["height"] <= 600


def test_undo_the_last_rating_with_the_keyboard(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/flashcards/review")
    front = page.locator(".flashcard .front").inner_text()
    page.get_by_role("link", name="Show answer").click()
    page.get_by_role("button", name="Easy").click()
    expect(page.locator("#rated")).to_contain_text("Easy:")
    assert page.locator(".flashcard .front").inner_text() != front
    with page.expect_navigation():
        page.keyboard.press("u")
    expect(page.locator("#rated")).to_have_text("Rating undone: the card is back as it was.")
    assert page.locator(".flashcard .front").inner_text() == front
    expect(page.get_by_role("button", name="Undo last rating")).to_have_count(0)


def test_studying_a_chosen_deck(logged_in, live_server, loaded_bank):
    page = logged_in
    page.goto(live_server.url + "/flashcards/")
    page.get_by_label("Deck", exact=True).select_option("task:2.3")
    page.get_by_role("button", name="Study this deck").click()
    expect(page.locator("main")).to_contain_text("Task 2.3: Manage the lifecycle of data")
    expect(page.locator(".flashcard .front")).to_have_text("Cheapest S3 storage class?")
    page.get_by_role("link", name="Show answer").click()
    page.get_by_role("button", name="Easy").click()
    expect(page.get_by_role("heading", name="All caught up")).to_be_visible()


def test_exporting_a_deck_downloads_a_valid_anki_package(logged_in, live_server, loaded_bank, tmp_path):
    import sqlite3
    import zipfile

    page = logged_in
    page.goto(live_server.url + "/flashcards/")
    page.get_by_label("Deck to export").select_option("domain:2")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Anki package (.apkg)").click()
    assert download.value.suggested_filename == "dea-c01-domain-2.apkg"
    path = tmp_path / "deck.apkg"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as collection:
        fronts = sorted(row[0].split("\x1f")[0] for row in collection.execute("SELECT flds FROM notes"))
    assert fronts == ["<p>Cheapest S3 storage class?</p>", "<p>What fills the Glue Data Catalog automatically?</p>"]
