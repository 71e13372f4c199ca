"""Presence measures -> protos."""

from datetime import timedelta

from google.protobuf.duration_pb2 import Duration
from vigie.reputation.v1 import presence_pb2 as pb

from vigie_reputation.app.views import stamp

__all__ = ["presence", "response_times", "stamp", "top_post"]
from vigie_reputation.domain.presence.measures import PostFact, Presence
from vigie_reputation.domain.presence.response import ResponseTime
from vigie_reputation.domain.presence.window import PresenceWindow, midnight


def _duration(value: timedelta | None) -> Duration | None:
    if value is None:
        return None
    result = Duration()
    result.FromTimedelta(value)
    return result


def response_times(figures: ResponseTime) -> pb.ResponseTimes:
    return pb.ResponseTimes(
        question_count=figures.questions,
        answered_count=figures.answered,
        answered_share=figures.answered_share,
        median=_duration(figures.median),
        p90=_duration(figures.p90),
    )


def presence(
    scope: str, figures: Presence, window: PresenceWindow, granularity: int
) -> pb.Presence:
    return pb.Presence(
        scope=scope,
        time_zone=window.zone.key,
        start_time=stamp(window.start),
        end_time=stamp(window.end),
        granularity=granularity,  # type: ignore[arg-type]
        followers_start=figures.audience.followers_start,
        followers_end=figures.audience.followers_end,
        growth=figures.audience.growth,
        growth_percent=figures.audience.growth_percent,
        post_count=figures.posts,
        posts_per_week=figures.posts_per_week,
        engagements=figures.engagements,
        engagement_rate=figures.engagement_rate,
        reach=figures.reach,
        reach_is_impressions=figures.reach_is_impressions,
        points=[
            pb.PresencePoint(
                start_time=stamp(midnight(p.day, window.zone)),
                followers=p.followers,
                posts=p.posts,
                engagements=p.engagements,
            )
            for p in figures.series
        ],
    )


def top_post(post: PostFact) -> pb.TopPost:
    return pb.TopPost(
        account=post.account,
        uri=post.uri,
        url=post.url,
        text=post.text,
        create_time=stamp(post.create_time),
        likes=post.likes,
        reposts=post.reposts,
        replies=post.replies,
        quotes=post.quotes,
        impressions=post.impressions,
        engagements=post.engagements,
        engagement_rate=post.engagement_rate,
    )
