"""Feed documents as items, without a network: namespaces, CDATA and HTML become text, dates
become UTC, languages come from the entry or the feed; the cursor remembers handled ids."""

from datetime import UTC, datetime
from pathlib import Path

from vigie_listener.adapters.feeds_cursor import MAX_SEEN, FeedCursor
from vigie_listener.adapters.feeds_entries import MAX_ENTRY_CHARS, parse_feed
from vigie_listener.adapters.feeds_html import html_to_text
from vigie_listener.adapters.feeds_http import Validators

FIXTURES = Path(__file__).parents[1] / "integration" / "test_feed_fixtures"


def test_an_rss_entry_keeps_its_guid_link_author_time_language_and_readable_text() -> None:
    page = parse_feed((FIXTURES / "news.rss.xml").read_bytes(), "https://j.example/feed", "")
    first = page.items[0]
    assert first.external_id == "journal-4711"
    assert first.url == "https://journal.example/2026/03/lumiere-lyon"
    assert first.author.display_name == "Élodie Martin" and first.language == "fr"
    assert first.published_at == datetime(2026, 3, 1, 9, 15, tzinfo=UTC)
    assert first.text.startswith("Café Lumière ouvre à Lyon\n\nLa chaîne Lumière inaugure")
    assert "<" not in first.text and "track()" not in first.text
    # Eastern Standard Time (RFC 822 zone name) is five hours behind UTC.
    assert page.items[2].published_at == datetime(2026, 2, 26, 13, 0, tzinfo=UTC)


def test_an_atom_entry_takes_its_own_language_over_the_feeds() -> None:
    page = parse_feed((FIXTURES / "reviews.atom.xml").read_bytes(), "https://r.example/a", "")
    english, german = page.items
    assert (english.language, german.language) == ("en", "de")
    assert (
        english.text
        == "Lumière\u2019s new espresso blend\n\nWe tasted the Lumière blend: bright & nutty."
    )
    assert german.published_at == datetime(2026, 3, 1, 17, 45, 30, tzinfo=UTC)
    assert english.author.external_id == "https://reviews.example/authors/sam"


def test_a_giant_entry_is_skipped_by_id_and_its_neighbours_kept() -> None:
    giant = "x" * (MAX_ENTRY_CHARS + 1)
    body = (
        '<rss version="2.0"><channel><title>t</title>'
        f'<item><guid isPermaLink="false">big</guid><description>{giant}</description></item>'
        '<item><guid isPermaLink="false">ok</guid><title>Lumière</title></item>'
        "</channel></rss>"
    ).encode()
    page = parse_feed(body, "https://x.example/f", "application/rss+xml")
    assert page.skipped == ("big",) and [i.external_id for i in page.items] == ["ok"]


def test_a_document_that_is_no_feed_is_unreadable() -> None:
    page = parse_feed(b"<html><body>gone</body></html>", "https://x.example/f", "text/html")
    assert page.unreadable and not page.items


def test_html_becomes_text_with_line_breaks_and_decoded_entities() -> None:
    html = "<p>Caf&eacute; <b>Lumière</b></p><p>un<br>deux</p><style>p{}</style>"
    assert html_to_text(html) == "Café Lumière\nun\ndeux"


def test_the_cursor_round_trips_and_forgets_the_oldest_ids() -> None:
    cursor = FeedCursor.parse("").after(Validators('"e1"', "Sun, 01 Mar 2026"), ["a", "b"])
    again = FeedCursor.parse(cursor.dump())
    assert again == cursor and again.unseen(["a", "c"]) == {"c"}
    full = again.after(Validators(), [str(n) for n in range(MAX_SEEN)])
    assert (
        len(full.seen) == MAX_SEEN and "a" not in full.seen and full.seen[-1] == str(MAX_SEEN - 1)
    )
    assert FeedCursor.parse("not json") == FeedCursor()
