"""Bluesky facets index the text in UTF-8 bytes, whatever comes before them."""

from vigie_publisher.domain.text import ByteSlice, LinkFacet, MentionFacet, TagFacet, detect_facets


def _spans(text: str) -> list[str]:
    raw = text.encode()
    return [raw[f.index.byte_start : f.index.byte_end].decode() for f in detect_facets(text)]


def test_facets_after_emoji_and_accents_use_byte_offsets() -> None:
    text = "Café 😀 déjà vu @alice.bsky.social #Été https://exämple.com/ok"
    assert detect_facets(text) == [
        # "Café " is 6 bytes, "😀 " 5, "déjà vu " 10: the mention starts at byte 21.
        MentionFacet(ByteSlice(21, 39), "alice.bsky.social"),
        TagFacet(ByteSlice(40, 46), "Été"),
        LinkFacet(ByteSlice(47, 70), "https://exämple.com/ok"),
    ]
    assert _spans(text) == ["@alice.bsky.social", "#Été", "https://exämple.com/ok"]


def test_a_bare_domain_becomes_an_https_link_without_its_full_stop() -> None:
    text = "Read vigie.example.com. Or example.org/path, (see https://x.com/a)"
    facets = detect_facets(text)
    assert [f.uri for f in facets if isinstance(f, LinkFacet)] == [
        "https://vigie.example.com",
        "https://example.org/path",
        "https://x.com/a",
    ]
    assert _spans(text) == ["vigie.example.com", "example.org/path", "https://x.com/a"]


def test_a_mention_needs_a_handle_with_a_known_tld() -> None:
    assert detect_facets("mail me @bob or @bob.notatld") == []
    assert _spans("hi @bob.example.com!") == ["@bob.example.com"]


def test_a_hashtag_drops_trailing_punctuation_and_needs_a_non_digit() -> None:
    assert _spans("#2024 #launch! #v2.") == ["#launch", "#v2"]


def test_a_hashtag_longer_than_64_characters_is_not_a_facet() -> None:
    assert detect_facets("#" + "a" * 65) == []
    assert [f.tag for f in detect_facets("#" + "a" * 64) if isinstance(f, TagFacet)] == ["a" * 64]
