"""A report renders to a PDF people can read in their language (text read back with pypdf) and
to a CSV that carries the same figures; the same report always gives the same bytes."""

import csv
import io
import re

import pypdf
from vigie_reputation.adapters.reports.csv_file import render_csv
from vigie_reputation.adapters.reports.pdf import render_pdf

from .report_samples import sample_report

DASH = "\u2013"  # the period's two days are joined by an en dash


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def test_the_english_pdf_shows_the_brand_the_period_the_sections_and_the_figures() -> None:
    pages = _pages(render_pdf(sample_report("en", "en-GB")))
    text = "\n".join(pages)
    assert "Reputation report" in pages[0] and "Lumière Café" in pages[0]
    assert f"1 Nov 2026 {DASH} 30 Nov 2026" in pages[0]
    for title in ("Presence", "Reputation", "Share of voice", "Crises", "Campaigns"):
        assert title in text
    assert "63.4 / 100" in text and "58.1 / 100" in text and "+5.3 on the 7 days before" in text
    assert "1,635" in text and "61.3%" in text and "12,345" in text
    assert "800.00 EUR" in text and "25.0%" in text


def test_the_french_pdf_has_french_texts_numbers_and_dates() -> None:
    text = "\n".join(_pages(render_pdf(sample_report("fr", "fr-FR"))))
    assert "Rapport de réputation" in text and f"1 nov. 2026 {DASH} 30 nov. 2026" in text
    for title in ("Présence", "Réputation", "Part de voix", "Crises", "Campagnes"):
        assert title in text
    assert "63,4 / 100" in text and "1 635" in text and "61,3 %" in text
    assert "800,00 EUR" in text and "majeure" in text
    assert "Reputation report" not in text


def test_an_american_reader_gets_month_first_dates() -> None:
    first = _pages(render_pdf(sample_report("en", "en-US")))[0]
    assert f"Nov 1, 2026 {DASH} Nov 30, 2026" in first


def _page_with(reader: pypdf.PdfReader, title: str) -> pypdf.PageObject:
    return next(p for p in reader.pages if title in p.extract_text())


def test_the_pdf_draws_its_charts() -> None:
    content = render_pdf(sample_report())
    reader = pypdf.PdfReader(io.BytesIO(content))
    page = _page_with(reader, "Mentions and net sentiment per day")
    text = page.extract_text()
    assert "Net sentiment" in text and "100%" in text  # the two charts' legend and axis
    stream = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    # 30 daily bars and 2 share-of-voice bars are filled rectangles; the net line is a path.
    assert len(re.findall(r" re B\*", stream)) >= 32


def test_the_presence_section_shows_its_measures_and_the_audience_chart() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(sample_report())))
    page = _page_with(reader, "Followers per day")
    text = page.extract_text()
    assert "+345 (2.9%)" in text and "7.23" in text and "3.21%" in text
    assert "372,000" in text and "Potential reach" in text and "3 / 4" in text
    assert "30 min" in text and "2 h 05 min" in text and "@lumiere.bsky.social" in text
    stream = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    # The followers line: one path in the chart's colour through the 30 days (29 segments).
    line = stream.split(".298039 .470588 .658824 RG", 1)[1].split("\nS\n", 1)[0]
    assert len(re.findall(r" l\b", line)) == 29


def test_without_presence_data_the_section_says_so_instead_of_showing_zeros() -> None:
    text = "\n".join(_pages(render_pdf(sample_report(presence=False))))
    assert "No presence data for this period." in text
    assert "@lumiere.bsky.social" not in text


def test_the_same_report_gives_the_same_bytes_dated_by_its_figures() -> None:
    first, second = render_pdf(sample_report()), render_pdf(sample_report())
    assert first == second
    info = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20261130230000")
    assert render_csv(sample_report()) == render_csv(sample_report())


def test_the_csv_parses_and_carries_the_same_figures() -> None:
    rows = list(
        csv.DictReader(io.StringIO(render_csv(sample_report("fr", "fr-FR")).decode("utf-8-sig")))
    )
    value = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    assert value[("report", "", "subject")] == "Lumière Café"
    assert value[("report", "", "first_day")] == "2026-11-01"
    assert value[("report", "", "last_day")] == "2026-11-30"
    assert value[("reputation", "", "index")] == "63.4"
    assert value[("reputation", "", "volume")] == "1635"
    assert value[("sentiment_by_day", "2026-11-01", "volume")] == "40"
    assert value[("share_of_voice", "Lumière Café", "share")] == "0.6125"
    assert value[("campaigns", "Autumn roast", "spend")] == "800.00 EUR"
    assert value[("presence", "@lumiere.bsky.social", "followers_end")] == "12345"
    assert value[("crises", "1:Lumière Café", "severity")] == "major"
    labels = {r["measure"]: r["label"] for r in rows if r["section"] == "reputation"}
    assert labels["index"] == "Indice de réputation"
