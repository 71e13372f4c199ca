"""The publisher's objects as front-end teams see them: social accounts (never their
credentials), posts with their variants and approval trail, publications, queues, text checks."""

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    Node,
    list_options,
    listed,
    moment,
    page_request,
    wire,
)
from vigie_gateway.schema.publisher_orders import PublicationOrderBy, SocialAccountOrder

Info = strawberry.Info[Context, None]


@strawberry.enum(description="A social network.")
class Network(Enum):
    BLUESKY = strawberry.enum_value(pb.NETWORK_BLUESKY, description="Bluesky.")
    MASTODON = strawberry.enum_value(pb.NETWORK_MASTODON, description="Mastodon.")
    X = strawberry.enum_value(pb.NETWORK_X, description="X (Twitter).")
    LINKEDIN = strawberry.enum_value(pb.NETWORK_LINKEDIN, description="LinkedIn.")
    INSTAGRAM = strawberry.enum_value(pb.NETWORK_INSTAGRAM, description="Instagram.")
    THREADS = strawberry.enum_value(pb.NETWORK_THREADS, description="Threads.")
    FACEBOOK = strawberry.enum_value(pb.NETWORK_FACEBOOK, description="Facebook.")


@strawberry.enum(description="Whether a social account's token still lets Vigie publish.")
class TokenHealth(Enum):
    OK = strawberry.enum_value(pb.TOKEN_HEALTH_OK, description="Valid.")
    EXPIRING = strawberry.enum_value(
        pb.TOKEN_HEALTH_EXPIRING, description="Expires soon: reconnect the account."
    )
    EXPIRED = strawberry.enum_value(pb.TOKEN_HEALTH_EXPIRED, description="No longer valid.")
    REVOKED = strawberry.enum_value(pb.TOKEN_HEALTH_REVOKED, description="Revoked on the network.")


@strawberry.enum(description="Where a publication stands.")
class PublicationState(Enum):
    SCHEDULED = strawberry.enum_value(pb.PUBLICATION_STATE_SCHEDULED, description="Waiting.")
    PUBLISHING = strawberry.enum_value(pb.PUBLICATION_STATE_PUBLISHING, description="Being sent.")
    PUBLISHED = strawberry.enum_value(pb.PUBLICATION_STATE_PUBLISHED, description="Out.")
    FAILED = strawberry.enum_value(pb.PUBLICATION_STATE_FAILED, description="Gave up.")
    UNKNOWN = strawberry.enum_value(
        pb.PUBLICATION_STATE_UNKNOWN, description="The network did not answer: being reconciled."
    )


@strawberry.input(description="Which of a brand's social accounts to list.")
class SocialAccountFilter:
    network: Network | None = strawberry.field(default=None, description="Only this network.")
    token_health: TokenHealth | None = strawberry.field(
        default=None, description="Only accounts whose token is in this health."
    )


@strawberry.input(description="Which of a post's publications to list.")
class PublicationFilter:
    states: list[PublicationState] | None = strawberry.field(
        default=None, description="Only these states; all when left out."
    )
    social_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only the publication on this account (global id)."
    )


def _when(message: object, field: str) -> datetime | None:
    return moment(getattr(message, field)) if message.HasField(field) else None  # type: ignore[attr-defined]


@strawberry.type(description="A brand's account on a network.")
class SocialAccount(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/socialAccounts/{social_account}."
    )
    network: str = strawberry.field(description="The social network.")
    handle: str = strawberry.field(description='E.g. "@lumiere.bsky.social".')
    time_zone: str = strawberry.field(
        description='IANA time zone the account\'s schedule follows, e.g. "Europe/Paris".'
    )
    language: str = strawberry.field(
        description="BCP 47 language the account posts in; picks the post's variant of that "
        "language."
    )
    token_health: str = strawberry.field(description="OK, EXPIRING, EXPIRED or REVOKED.")
    token_expires_at: datetime | None = strawberry.field(
        description="When its token expires (UTC); null if it does not."
    )

    @classmethod
    def of(cls, m: pb.SocialAccount) -> "SocialAccount":
        return cls(
            id=strawberry.ID(m.name), network=pb.Network.Name(m.network).removeprefix("NETWORK_"),
            handle=m.handle, time_zone=m.time_zone, language=m.language,
            token_health=pb.TokenHealth.Name(m.token_health).removeprefix("TOKEN_HEALTH_"),
            token_expires_at=_when(m, "token_expire_time"),
        )  # fmt: skip


async def social_accounts_of(
    info: Info,
    brand_id: str,
    first: int,
    after: str | None,
    filter: SocialAccountFilter | None,
    order_by: SocialAccountOrder | None,
) -> Connection[SocialAccount]:
    """A page of a brand's social accounts (`Brand.socialAccounts`): one ListSocialAccounts."""
    given = filter or SocialAccountFilter()
    ctx = info.context
    page = page_request(first, after)
    request = rpc.ListSocialAccountsRequest(
        parent=brand_id, page_size=page.size, page_token=page.token,
        network=wire(given.network) if given.network else pb.NETWORK_UNSPECIFIED,
        token_health=wire(given.token_health) if given.token_health
        else pb.TOKEN_HEALTH_UNSPECIFIED,
        **list_options(info, order_by),
    )  # fmt: skip
    return await listed(
        info, ctx.clients.publisher.ListSocialAccounts, request, page,
        lambda found: [SocialAccount.of(a) for a in found.social_accounts],
    )  # fmt: skip


@strawberry.type(
    description="A post's text for one network in one language (a thread when it has parts)."
)
class PostVariant:
    network: str = strawberry.field(description="The social network.")
    language: str = strawberry.field(description="BCP 47 language code.")
    text: str = strawberry.field(description="The text.")
    thread_parts: list[str] = strawberry.field(
        description="Further posts in reply to the first, in order, when the text is a thread."
    )
    first_comment: str = strawberry.field(
        description="A comment posted under the post right after it (e.g. links on Instagram)."
    )


@strawberry.type(description="One step of a post's approval trail.")
class ApprovalStep:
    action: str = strawberry.field(description="SUBMITTED, APPROVED, REJECTED or SCHEDULED.")
    actor: str = strawberry.field(description="A global id: tenants/{tenant}/members/{member}.")
    comment: str = strawberry.field(description="A note kept in the approval trail.")
    at: datetime = strawberry.field(description="When (UTC).")


@strawberry.type(description="A post of a brand.")
class Post(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/posts/{post}."
    )
    status: str = strawberry.field(description="Output only.")
    author: str = strawberry.field(description="Who wrote it: tenants/{tenant}/members/{member}.")
    variants: list[PostVariant] = strawberry.field(description="The text per network and language.")
    social_account_ids: list[strawberry.ID] = strawberry.field(
        description="The accounts to publish to (resource names); each uses the variant of its "
        "network."
    )
    scheduled_at: datetime | None = strawberry.field(
        description="When it goes out (UTC); null until scheduled."
    )
    approval_deadline: datetime | None = strawberry.field(
        description="Not published when still unapproved at this time, nor when approved after it."
    )
    approval_trail: list[ApprovalStep] = strawberry.field(description="Output only, oldest first.")
    etag: str = strawberry.field(
        description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )

    @strawberry.field(
        description="Where the post stands on each of its accounts, one page at a time (one "
        "ListPublications per post that asks)."
    )
    async def publications(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            PublicationFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: PublicationOrderBy = None,
    ) -> Connection["Publication"]:
        given = filter or PublicationFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListPublicationsRequest(
            parent=str(self.id), page_size=page.size, page_token=page.token,
            states=[wire(s) for s in given.states or []],
            social_account=str(given.social_account_id or ""),
            **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, ctx.clients.publisher.ListPublications, request, page,
            lambda found: [Publication.of(p) for p in found.publications],
        )  # fmt: skip

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
class Publication(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: "
        "tenants/{tenant}/brands/{brand}/posts/{post}/publications/{publication}."
    )
    social_account_id: strawberry.ID = strawberry.field(
        description="The account it goes out on (global id)."
    )
    state: str = strawberry.field(
        description="SCHEDULED, PUBLISHING, PUBLISHED, FAILED or UNKNOWN."
    )
    external_id: str = strawberry.field(
        description="The network's id (an at:// URI on Bluesky), stored the moment the network "
        "confirms."
    )
    external_uri: str = strawberry.field(description="A link people can open.")
    attempts: int = strawberry.field(description="How many times sending was tried.")
    last_error: str = strawberry.field(description="Why the last attempt failed; empty if none.")
    scheduled_at: datetime | None = strawberry.field(description="When it is due (UTC).")
    published_at: datetime | None = strawberry.field(
        description="When it went out (UTC); null until then."
    )

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
class Queue(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/queue."
    )
    held: bool = strawberry.field(description="Held: nothing is published until released.")
    hold_reason: str = strawberry.field(description="Why it is held; empty if not held.")
    held_by: str = strawberry.field(
        description="Who or what held it: a member, or a crisis "
        "(tenants/{t}/brands/{b}/crises/{crisis})."
    )
    held_at: datetime | None = strawberry.field(
        description="When it was held (UTC); null if not held."
    )

    @classmethod
    def of(cls, m: pb.Queue) -> "Queue":
        return cls(id=strawberry.ID(m.name), held=m.held, hold_reason=m.hold_reason,
                   held_by=m.held_by, held_at=_when(m, "hold_time"))  # fmt: skip


@strawberry.type(description="One problem of a text, with where it is (code points).")
class TextProblem:
    code: str = strawberry.field(
        description='Stable UPPER_SNAKE code, e.g. "TOO_LONG", "INVALID_MENTION".'
    )
    message: str = strawberry.field(description="A sentence for people.")
    start: int = strawberry.field(
        description="Offsets in Unicode code points into the text: [start, end)."
    )
    end: int = strawberry.field(description="End of the window (exclusive, UTC).")


@strawberry.type(description="A network's verdict on a text.")
class TextValidation:
    valid: bool = strawberry.field(description="True when the text can be posted.")
    length: int = strawberry.field(description="Its length as the network counts it.")
    limit: int = strawberry.field(description="The network's limit.")
    problems: list[TextProblem] = strawberry.field(description="What is wrong; empty when valid.")

    @classmethod
    def of(cls, m: rpc.ValidateTextResponse) -> "TextValidation":
        return cls(valid=m.valid, length=m.length, limit=m.limit,
                   problems=[TextProblem(code=p.code, message=p.message, start=p.start, end=p.end)
                             for p in m.problems])  # fmt: skip
