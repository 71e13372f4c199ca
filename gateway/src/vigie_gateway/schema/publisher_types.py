"""The publisher's objects as front-end teams see them: social accounts (never their
credentials), posts with their variants and approval trail, publications, queues, text checks."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.schema.common import moment


@strawberry.enum(description="A social network.")
class Network(Enum):
    BLUESKY = pb.NETWORK_BLUESKY
    MASTODON = pb.NETWORK_MASTODON
    X = pb.NETWORK_X
    LINKEDIN = pb.NETWORK_LINKEDIN
    INSTAGRAM = pb.NETWORK_INSTAGRAM
    THREADS = pb.NETWORK_THREADS
    FACEBOOK = pb.NETWORK_FACEBOOK


def _when(message: object, field: str) -> datetime | None:
    return moment(getattr(message, field)) if message.HasField(field) else None  # type: ignore[attr-defined]


@strawberry.type(description="A brand's account on a network.")
class SocialAccount:
    id: strawberry.ID
    network: str
    handle: str
    time_zone: str
    language: str
    token_health: str = strawberry.field(description="OK, EXPIRING, EXPIRED or REVOKED.")
    token_expires_at: datetime | None

    @classmethod
    def of(cls, m: pb.SocialAccount) -> "SocialAccount":
        return cls(
            id=strawberry.ID(m.name), network=pb.Network.Name(m.network).removeprefix("NETWORK_"),
            handle=m.handle, time_zone=m.time_zone, language=m.language,
            token_health=pb.TokenHealth.Name(m.token_health).removeprefix("TOKEN_HEALTH_"),
            token_expires_at=_when(m, "token_expire_time"),
        )  # fmt: skip


@strawberry.type(
    description="A post's text for one network in one language (a thread when it has parts)."
)
class PostVariant:
    network: str
    language: str
    text: str
    thread_parts: list[str]
    first_comment: str


@strawberry.type(description="One step of a post's approval trail.")
class ApprovalStep:
    action: str
    actor: str
    comment: str
    at: datetime


@strawberry.type(description="A post of a brand.")
class Post:
    id: strawberry.ID
    status: str
    author: str
    variants: list[PostVariant]
    social_account_ids: list[strawberry.ID]
    scheduled_at: datetime | None
    approval_deadline: datetime | None
    approval_trail: list[ApprovalStep]
    etag: str

    @classmethod
    def of(cls, m: pb.Post) -> "Post":
        return cls(
            id=strawberry.ID(m.name), author=m.author,
            status=pb.PostStatus.Name(m.status).removeprefix("POST_STATUS_"),
            variants=[PostVariant(network=pb.Network.Name(v.network).removeprefix("NETWORK_"),
                                  language=v.language, text=v.text,
                                  thread_parts=[p.text for p in v.thread_parts],
                                  first_comment=v.first_comment) for v in m.variants],
            social_account_ids=[strawberry.ID(a) for a in m.social_accounts],
            scheduled_at=_when(m, "schedule_time"), approval_deadline=_when(m, "approval_deadline"),
            approval_trail=[ApprovalStep(action=pb.ApprovalAction.Name(s.action).removeprefix("APPROVAL_ACTION_"),
                                         actor=s.actor, comment=s.comment, at=moment(s.time))
                            for s in m.approval_trail],
            etag=m.etag,
        )  # fmt: skip


@strawberry.type(description="A post on one account: published exactly once.")
class Publication:
    id: strawberry.ID
    social_account_id: strawberry.ID
    state: str = strawberry.field(
        description="SCHEDULED, PUBLISHING, PUBLISHED, FAILED or UNKNOWN."
    )
    external_id: str
    external_uri: str
    attempts: int
    last_error: str
    scheduled_at: datetime | None
    published_at: datetime | None

    @classmethod
    def of(cls, m: pb.Publication) -> "Publication":
        return cls(
            id=strawberry.ID(m.name), social_account_id=strawberry.ID(m.social_account),
            state=pb.PublicationState.Name(m.state).removeprefix("PUBLICATION_STATE_"),
            external_id=m.external_id, external_uri=m.external_uri, attempts=m.attempts,
            last_error=m.last_error, scheduled_at=_when(m, "schedule_time"),
            published_at=_when(m, "publish_time"),
        )  # fmt: skip


@strawberry.type(description="A brand's queue; while held, nothing of the brand is published.")
class Queue:
    id: strawberry.ID
    held: bool
    hold_reason: str
    held_by: str
    held_at: datetime | None

    @classmethod
    def of(cls, m: pb.Queue) -> "Queue":
        return cls(id=strawberry.ID(m.name), held=m.held, hold_reason=m.hold_reason,
                   held_by=m.held_by, held_at=_when(m, "hold_time"))  # fmt: skip


@strawberry.type(description="One problem of a text, with where it is (code points).")
class TextProblem:
    code: str
    message: str
    start: int
    end: int


@strawberry.type(description="A network's verdict on a text.")
class TextValidation:
    valid: bool
    length: int
    limit: int
    problems: list[TextProblem]

    @classmethod
    def of(cls, m: rpc.ValidateTextResponse) -> "TextValidation":
        return cls(valid=m.valid, length=m.length, limit=m.limit,
                   problems=[TextProblem(code=p.code, message=p.message, start=p.start, end=p.end)
                             for p in m.problems])  # fmt: skip
