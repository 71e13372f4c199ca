"""The statistics readers against the documented read APIs of Mastodon, X and a Bluesky
AppView (doubles in `stats_doubles`); what each reads, and how each failure is reported."""

from datetime import timedelta

import httpx
import pytest
from vigie_publisher.adapters.stats.readers import NetworkStatsReaders, ReaderSettings
from vigie_publisher.domain.presence.stats import AccountToRead, StatsNotRead
from vigie_publisher.domain.publishing import AuthFailed, PermanentFailure, RateLimited

from .stats_doubles import NOW, AppViewDouble, MastodonDouble, XDouble, x_tweet


def readers(double: object, **settings: str) -> NetworkStatsReaders:
    transport = httpx.MockTransport(double)  # type: ignore[arg-type]
    return NetworkStatsReaders(ReaderSettings(deadline_s=5, **settings), transport)  # type: ignore[arg-type]


async def test_mastodon_counts_and_the_last_30_days_of_statuses_newest_first() -> None:
    double = MastodonDouble([timedelta(days=i, hours=1) for i in range(45)])
    tracked = AccountToRead("mastodon", "@rival@mastodon.example")
    stats = await readers(double).read(tracked, NOW)
    assert (stats.followers, stats.following, stats.posts) == (1200, 31, 412)
    assert len(stats.recent) == 30  # ages of 0 to 29 days (and an hour)
    newest, reply = stats.recent[0], stats.recent[1]
    assert (newest.uri, newest.url, newest.text) == (
        "10000", "https://mastodon.example/@rival/10000", "Post & 0",
    )  # fmt: skip
    assert (reply.likes, reply.reposts, reply.replies, reply.quotes) == (1, 2, 3, 1)
    assert reply.reply_to == "77" and reply.impressions == -1
    assert double.problems == [] and double.pages_read == 1


async def test_mastodon_pages_with_max_id_and_keeps_at_most_100_posts() -> None:
    double = MastodonDouble([timedelta(hours=i) for i in range(150)])
    owned = AccountToRead(
        "mastodon",
        "@rival",
        credentials={"instance_url": "https://mastodon.example", "access_token": "tok"},
    )
    double.token = "tok"
    stats = await readers(double).read(owned, NOW)
    assert len(stats.recent) == 100 and stats.recent[-1].uri == str(10_000 - 99)
    assert double.pages_read == 3 and double.problems == []


async def test_an_unknown_mastodon_account_is_not_read_with_the_reason() -> None:
    with pytest.raises(StatsNotRead, match=r"no account nobody@mastodon\.example"):
        await readers(MastodonDouble([])).read(
            AccountToRead("mastodon", "@nobody@mastodon.example"), NOW
        )


async def test_x_reads_public_metrics_of_the_user_and_of_each_recent_tweet() -> None:
    tweets = [
        x_tweet("1900", timedelta(hours=5), like_count=40, retweet_count=6, reply_count=3,
                quote_count=2, impression_count=5100),
        {**x_tweet("1899", timedelta(days=3), like_count=1),
         "referenced_tweets": [{"type": "replied_to", "id": "1700"}]},
    ]  # fmt: skip
    double = XDouble("app-token", tweets)
    stats = await readers(double, x_bearer_token="app-token").read(
        AccountToRead("x", "@rival"), NOW
    )
    assert (stats.followers, stats.following, stats.posts) == (5400, 210, 9800)
    first, second = stats.recent
    assert (first.likes, first.reposts, first.replies, first.quotes, first.impressions) == (
        40,
        6,
        3,
        2,
        5100,
    )
    assert first.url == "https://x.com/rival/status/1900"
    assert second.reply_to == "1700"
    assert double.problems == []


async def test_x_owned_accounts_use_their_own_token_and_refusals_keep_their_meaning() -> None:
    double = XDouble("user-token", [])
    owned = AccountToRead("x", "@rival", credentials={"access_token": "user-token"})
    stats = await readers(double).read(owned, NOW)
    assert stats.recent == () and stats.followers == 5400
    with pytest.raises(StatsNotRead, match="no X user @nobody"):
        await readers(double).read(
            AccountToRead("x", "@nobody", credentials={"access_token": "user-token"}), NOW
        )
    with pytest.raises(AuthFailed):
        await readers(double).read(
            AccountToRead("x", "@rival", credentials={"access_token": "old"}), NOW
        )
    double.rate_limited = True
    with pytest.raises(RateLimited):
        await readers(double).read(owned, NOW)


async def test_a_tracked_x_account_without_an_app_token_is_not_read() -> None:
    with pytest.raises(StatsNotRead, match="PUBLISHER_X_BEARER_TOKEN"):
        await readers(XDouble("t", [])).read(AccountToRead("x", "@rival"), NOW)


async def test_bluesky_through_an_appview_reads_profile_counts_and_the_authors_own_posts() -> None:
    double = AppViewDouble()
    reader = readers(double, bluesky_appview_url="https://appview.example")
    stats = await reader.read(AccountToRead("bluesky", "@rival.bsky.social"), NOW)
    assert (stats.followers, stats.following, stats.posts) == (880, 75, 640)
    # The repost of someone else's post is not the account's; the 40-day-old post is outside.
    assert [p.uri.rsplit("/", 1)[-1] for p in stats.recent] == ["3kb", "3k9"]
    newest, reply = stats.recent
    assert (newest.likes, newest.reposts, newest.replies, newest.quotes) == (12, 3, 4, 1)
    assert newest.url == "https://bsky.app/profile/rival.bsky.social/post/3kb"
    assert reply.reply_to == "at://did:plc:x/app.bsky.feed.post/p"
    assert double.problems == []
    with pytest.raises(PermanentFailure, match="Profile not found"):
        await reader.read(AccountToRead("bluesky", "nobody.bsky.social"), NOW)


async def test_networks_without_a_reader_are_said_not_read() -> None:
    with pytest.raises(StatsNotRead, match="does not read linkedin statistics"):
        await readers(AppViewDouble()).read(AccountToRead("linkedin", "lumiere"), NOW)


async def test_a_tracked_bluesky_account_without_a_pds_or_an_appview_is_not_read() -> None:
    with pytest.raises(StatsNotRead, match="no PDS to read"):
        await readers(AppViewDouble()).read(AccountToRead("bluesky", "@rival.bsky.social"), NOW)


async def test_a_pds_hosting_too_many_accounts_to_walk_asks_for_an_appview() -> None:
    def crowded_pds(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/xrpc/com.atproto.identity.resolveHandle":
            return httpx.Response(200, json={"did": "did:plc:rival"})
        if request.url.path == "/xrpc/com.atproto.repo.listRecords":
            return httpx.Response(200, json={"records": []})
        cursor = int(request.url.params.get("cursor", "0"))
        repos = [{"did": f"did:plc:{cursor + i}", "head": "h", "rev": "r", "active": True}
                 for i in range(1000)]  # fmt: skip
        return httpx.Response(200, json={"repos": repos, "cursor": str(cursor + 1000)})

    tracked = AccountToRead("bluesky", "@rival.pds.example", "https://pds.example")
    with pytest.raises(StatsNotRead, match="PUBLISHER_BLUESKY_APPVIEW_URL"):
        await readers(crowded_pds).read(tracked, NOW)
