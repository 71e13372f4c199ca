"""Replies and saved replies as GraphQL objects and inputs (resolvers: publisher_replies.py)."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.publisher.v1 import replies_pb2 as rp

from vigie_gateway.schema.common import Node, moment
from vigie_gateway.schema.publisher_types import Network

BRAND_ID = "The brand's global id (`tenants/{t}/brands/{b}`)."
MENTION_ID = "The mention's global id (`tenants/{t}/brands/{b}/mentions/{m}`)."
REQUEST_ID = "Makes retries safe: the same id returns what the first request made."
ETAG = "Pass back on update/delete: a stale one is refused (CONFLICT)."


@strawberry.enum(description="Where a reply is in its life.")
class ReplyState(Enum):
    PENDING_APPROVAL = strawberry.enum_value(
        rp.REPLY_STATE_PENDING_APPROVAL,
        description="Waits for a social media manager (high-reach mention, or a crisis).",
    )
    QUEUED = strawberry.enum_value(
        rp.REPLY_STATE_QUEUED, description="Approved or needing no approval: about to go out."
    )
    PUBLISHING = strawberry.enum_value(
        rp.REPLY_STATE_PUBLISHING, description="Being sent to the network."
    )
    PUBLISHED = strawberry.enum_value(
        rp.REPLY_STATE_PUBLISHED, description="On the network, as a reply to the mention."
    )
    FAILED = strawberry.enum_value(
        rp.REPLY_STATE_FAILED, description="The network refused it for good; see failureReason."
    )
    REJECTED = strawberry.enum_value(
        rp.REPLY_STATE_REJECTED, description="A manager refused it; it is never published."
    )


@strawberry.type(description="The text of a saved reply in one language.")
class SavedReplyVariant:
    language: str = strawberry.field(description='BCP 47 language tag, e.g. "fr" or "pt-BR".')
    text: str = strawberry.field(description="The text; {{name}} is replaced by a variable.")


@strawberry.type(description="A reply a brand keeps ready, written in several languages.")
class SavedReply(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/savedReplies/{saved_reply}."
    )
    display_name: str = strawberry.field(description="Its name in the team's list.")
    variants: list[SavedReplyVariant] = strawberry.field(description="One text per language.")
    default_language: str = strawberry.field(
        description="The language used when the mention's has no variant."
    )
    variables: list[str] = strawberry.field(
        description="The {{variables}} its variants name, sorted: each needs a value."
    )
    created_at: datetime = strawberry.field(description="When it was saved.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    etag: str = strawberry.field(description=ETAG)

    @classmethod
    def of(cls, m: rp.SavedReply) -> "SavedReply":
        variants = [SavedReplyVariant(language=v.language, text=v.text) for v in m.variants]
        return cls(
            id=strawberry.ID(m.name), display_name=m.display_name, variants=variants,
            default_language=m.default_language, variables=list(m.variables),
            created_at=moment(m.create_time), updated_at=moment(m.update_time), etag=m.etag,
        )  # fmt: skip


@strawberry.type(description="A reply of a brand's account to a mention of its inbox.")
class Reply(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/replies/{reply}."
    )
    in_reply_to_id: strawberry.ID = strawberry.field(description="The mention answered.")
    social_account_id: strawberry.ID = strawberry.field(description="The account replying.")
    network: Network = strawberry.field(description="The network it is published on.")
    text: str = strawberry.field(description="The text published.")
    language: str = strawberry.field(description="BCP 47 language of the text.")
    saved_reply_id: strawberry.ID | None = strawberry.field(
        description="The saved reply it was rendered from, if any."
    )
    state: ReplyState = strawberry.field(description="Where it is in its life.")
    inbox_item_id: str = strawberry.field(description="The inbox item of the mention.")
    author: str = strawberry.field(description="Who wrote it (member resource name).")
    approval_reason: str = strawberry.field(
        description="Why it waits or waited for approval: HIGH_REACH, CRISIS; empty if it did not."
    )
    reviewer: str = strawberry.field(description="Who approved or rejected it.")
    review_comment: str = strawberry.field(description="The reviewer's comment.")
    external_id: str = strawberry.field(description="The network's id of the published reply.")
    url: str = strawberry.field(description="A link to the published reply.")
    failure_reason: str = strawberry.field(description="Why it failed, when it did.")
    created_at: datetime = strawberry.field(description="When it was written.")
    published_at: datetime | None = strawberry.field(description="When the network confirmed it.")
    etag: str = strawberry.field(description=ETAG)

    @classmethod
    def of(cls, m: rp.Reply) -> "Reply":
        published = moment(m.publish_time) if m.HasField("publish_time") else None
        return cls(
            id=strawberry.ID(m.name), in_reply_to_id=strawberry.ID(m.in_reply_to),
            social_account_id=strawberry.ID(m.social_account), network=Network(m.network),
            text=m.text, language=m.language,
            saved_reply_id=strawberry.ID(m.saved_reply) if m.saved_reply else None,
            state=ReplyState(m.state), inbox_item_id=m.inbox_item, author=m.author,
            approval_reason=m.approval_reason, reviewer=m.reviewer,
            review_comment=m.review_comment, external_id=m.external_id, url=m.url,
            failure_reason=m.failure_reason, created_at=moment(m.create_time),
            published_at=published, etag=m.etag,
        )  # fmt: skip


@strawberry.type(description="A saved reply rendered for a mention or a language.")
class RenderedReply:
    text: str = strawberry.field(description="The text, variables replaced.")
    language: str = strawberry.field(description="The language of the variant chosen.")


@strawberry.input(description="The text of a saved reply in one language.")
class SavedReplyVariantInput:
    language: str = strawberry.field(description='BCP 47 language tag, e.g. "fr" or "pt-BR".')
    text: str = strawberry.field(description="The text; {{name}} marks a variable.")


@strawberry.input(description="A value for one {{variable}} of a saved reply.")
class TemplateVariableInput:
    name: str = strawberry.field(description="The variable's name, without braces.")
    value: str = strawberry.field(description="What replaces it.")


@strawberry.input(description="A saved reply for a brand.")
class CreateSavedReplyInput:
    brand_id: strawberry.ID = strawberry.field(description=BRAND_ID)
    display_name: str = strawberry.field(description="Its name in the team's list.")
    variants: list[SavedReplyVariantInput] = strawberry.field(description="One text per language.")
    default_language: str = strawberry.field(
        default="", description="One of the variants' languages; empty for the first."
    )
    request_id: str = strawberry.field(default="", description=REQUEST_ID)


@strawberry.input(description="What changes on a saved reply (fields left out stay).")
class UpdateSavedReplyInput:
    id: strawberry.ID = strawberry.field(description="The saved reply's global id.")
    etag: str = strawberry.field(default="", description=ETAG)
    display_name: str | None = strawberry.field(default=None, description="Its new name.")
    variants: list[SavedReplyVariantInput] | None = strawberry.field(
        default=None, description="Its texts, replacing all of them."
    )
    default_language: str | None = strawberry.field(
        default=None, description="The language used when the mention's has no variant."
    )


@strawberry.input(description="A reply to a mention of the brand's inbox.")
class CreateReplyInput:
    brand_id: strawberry.ID = strawberry.field(description=BRAND_ID)
    in_reply_to_id: strawberry.ID = strawberry.field(description=MENTION_ID)
    social_account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The brand's account to reply from; left out, its account on the mention's "
        "network.",
    )
    text: str | None = strawberry.field(
        default=None, description="The text; or give savedReplyId and variables."
    )
    saved_reply_id: strawberry.ID | None = strawberry.field(
        default=None, description="A saved reply, rendered in the mention's language."
    )
    variables: list[TemplateVariableInput] | None = strawberry.field(
        default=None, description="Values of the saved reply's {{variables}}."
    )
    request_id: str = strawberry.field(default="", description=REQUEST_ID)


@strawberry.input(description="A manager's decision on a reply waiting for approval.")
class ReviewReplyInput:
    id: strawberry.ID = strawberry.field(description="The reply's global id.")
    etag: str = strawberry.field(default="", description=ETAG)
    comment: str = strawberry.field(
        default="", description="A note for the author (required when rejecting)."
    )


@strawberry.input(description="Which replies to list.")
class ReplyFilter:
    states: list[ReplyState] | None = strawberry.field(
        default=None, description="Only replies in these states."
    )
    in_reply_to_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only replies to this mention."
    )


@strawberry.input(description="Which saved replies to list.")
class SavedReplyFilter:
    language: str | None = strawberry.field(
        default=None, description="Only those with a variant in this language (primary subtag)."
    )
