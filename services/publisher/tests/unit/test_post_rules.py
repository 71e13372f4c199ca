"""Every variant of a post is checked against its network before it moves, and each problem
says where it is; long texts become threads where the network has threads."""

from vigie_publisher.domain.posts import (
    Media,
    Part,
    PostDraft,
    Variant,
    as_thread,
    draft_problems,
    variant_for,
    variant_problems,
)
from vigie_publisher.domain.text import Network

LONG = " ".join(["Une phrase qui compte."] * 30)


def one(network: Network, text: str, media: tuple[Media, ...] = ()) -> Variant:
    return Variant(network, "fr", (Part(text, media),))


def test_a_long_text_becomes_a_thread_on_bluesky_but_not_on_linkedin() -> None:
    thread = as_thread(one(Network.BLUESKY, LONG))
    assert len(thread.parts) > 1
    assert variant_problems(thread, 0) == []
    assert as_thread(one(Network.LINKEDIN, LONG * 10)).parts == (Part(LONG * 10),)


def test_a_too_long_text_is_located_where_the_limit_is_passed() -> None:
    text = "a" * 301
    [problem] = variant_problems(one(Network.BLUESKY, text), 2)
    assert (problem.where, problem.code) == ("variants[2].parts[0].text", "TOO_LONG")
    assert (problem.start, problem.end) == (300, 301)


def test_oversize_media_and_unknown_types_are_refused_per_network() -> None:
    big = Media("https://cdn.example.com/a.jpg", "image/jpeg", 2_000_000)
    pdf = Media("https://cdn.example.com/a.pdf", "application/pdf", 10)
    problems = variant_problems(one(Network.BLUESKY, "hello", (big, pdf)), 0)
    assert [(p.where, p.code) for p in problems] == [
        ("variants[0].parts[0].media[0]", "MEDIA_TOO_LARGE"),
        ("variants[0].parts[0].media[1]", "MEDIA_TYPE"),
    ]
    assert variant_problems(one(Network.X, "hello", (big,)), 0) == []


def test_instagram_needs_an_image_and_a_first_comment_is_checked_too() -> None:
    variant = Variant(Network.INSTAGRAM, "fr", (Part("hello"),), first_comment="#a " * 40)
    codes = {p.code for p in variant_problems(variant, 0)}
    assert codes == {"MEDIA_REQUIRED", "TOO_MANY_HASHTAGS"}


def test_an_empty_post_and_a_network_without_variant_are_refused() -> None:
    assert [p.code for p in draft_problems(PostDraft(()))] == ["EMPTY_POST"]
    draft = PostDraft((one(Network.X, "hi"),), frozenset({(Network.X, ""), (Network.MASTODON, "")}))
    assert [p.code for p in draft_problems(draft)] == ["NO_VARIANT"]
    empty_text = PostDraft((one(Network.X, "   "),))
    assert [p.code for p in draft_problems(empty_text)] == ["EMPTY"]


def test_per_language_variants_of_one_network_live_side_by_side() -> None:
    draft = PostDraft(
        (Variant(Network.X, "fr", (Part("Bonjour"),)), Variant(Network.X, "de", (Part("Hallo"),)))
    )
    assert draft_problems(draft) == []
    assert variant_for(draft.variants, Network.X, "de") == draft.variants[1]
    assert variant_for(draft.variants, Network.X, "it") is None
    twice = PostDraft((one(Network.X, "a"), one(Network.X, "b")))
    assert [p.code for p in draft_problems(twice)] == ["DUPLICATE_VARIANT"]


def test_media_must_be_web_addresses_never_local_files() -> None:
    local = (
        Media("file:///etc/passwd", "image/jpeg", 10),
        Media("/var/lib/vigie/a.jpg", "image/jpeg", 10),
        Media("https:///no-host.jpg", "image/jpeg", 10),
        Media("https://cdn.example.com/a.jpg", "image/jpeg", 10),
    )
    problems = variant_problems(one(Network.X, "hello", local), 0)
    assert [(p.where, p.code) for p in problems] == [
        ("variants[0].parts[0].media[0]", "MEDIA_URI"),
        ("variants[0].parts[0].media[1]", "MEDIA_URI"),
        ("variants[0].parts[0].media[2]", "MEDIA_URI"),
    ]
