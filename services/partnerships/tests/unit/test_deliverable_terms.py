"""A post fulfils a deliverable only with every required term, and with its disclosure."""

from vigie_partnerships.domain.deliverables import Terms, judge

TERMS = Terms(
    hashtags=("AutumnRoast",),
    mentions=("lumiere.bsky.social",),
    links=("https://lumiere.example/roast",),
    codes=("ALICE10",),
    disclosure="#ad",
)
POST = "New #autumnroast by @Lumiere.bsky.social, code alice10 at lumiere.example/roast?utm=x #ad"


def test_a_post_with_every_term_and_the_disclosure_counts() -> None:
    verdict = judge(TERMS, POST)
    assert verdict.counts and not verdict.disclosure_missing


def test_a_post_without_the_disclosure_is_flagged_and_does_not_count() -> None:
    verdict = judge(TERMS, POST.replace(" #ad", " #adventure"))
    assert not verdict.counts and verdict.disclosure_missing and verdict.missing == ("#ad",)


def test_a_post_lacking_a_term_says_which() -> None:
    verdict = judge(TERMS, POST.replace("alice10", "bob20"))
    assert not verdict.counts and not verdict.disclosure_missing
    assert verdict.missing == ("ALICE10",)


def test_a_link_may_be_the_posts_own_address() -> None:
    terms = Terms(links=("https://lumiere.example/roast",))
    assert judge(terms, "look", url="https://lumiere.example/roast/42").counts
