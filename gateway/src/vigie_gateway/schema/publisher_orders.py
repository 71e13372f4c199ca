"""How the publisher's lists can be sorted: each list's `orderBy` input, mapped by the service
to SQL (`order_by` "<field> asc|desc"); a cursor only continues the order it came from."""

from enum import Enum
from typing import Annotated

import strawberry

from vigie_gateway.schema.common import OrderDirection

_CREATED = "When it was created."
_UPDATED = "When it last changed."


@strawberry.enum(description="What posts can be sorted by.")
class PostOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description=_CREATED)
    UPDATE_TIME = strawberry.enum_value("update_time", description=_UPDATED)
    SCHEDULE_TIME = strawberry.enum_value(
        "schedule_time", description="When it goes out; unscheduled posts count as latest."
    )


@strawberry.input(description="How to sort posts.")
class PostOrder:
    field: PostOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


@strawberry.enum(description="What tracked accounts can be sorted by.")
class TrackedAccountOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When tracking started.")
    HANDLE = strawberry.enum_value("handle", description="The account's handle.")


@strawberry.input(description="How to sort tracked accounts.")
class TrackedAccountOrder:
    field: TrackedAccountOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


@strawberry.enum(description="What replies can be sorted by.")
class ReplyOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was drafted.")
    UPDATE_TIME = strawberry.enum_value("update_time", description=_UPDATED)


@strawberry.input(description="How to sort replies.")
class ReplyOrder:
    field: ReplyOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


@strawberry.enum(description="What a brand's social accounts can be sorted by.")
class SocialAccountOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was connected.")
    DISPLAY_NAME = strawberry.enum_value(
        "display_name", description="Its name (the database's collation)."
    )
    HANDLE = strawberry.enum_value("handle", description="Its handle on the network.")


@strawberry.input(description="How to sort social accounts.")
class SocialAccountOrder:
    field: SocialAccountOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


@strawberry.enum(description="What a post's publications can be sorted by.")
class PublicationOrderField(Enum):
    CREATE_TIME = strawberry.enum_value(
        "create_time", description="When it was made (when the post was scheduled)."
    )
    SCHEDULE_TIME = strawberry.enum_value("schedule_time", description="When it is due.")
    PUBLISH_TIME = strawberry.enum_value(
        "publish_time", description="When it went out; unpublished ones count as latest."
    )
    UPDATE_TIME = strawberry.enum_value("update_time", description=_UPDATED)


@strawberry.input(description="How to sort publications.")
class PublicationOrder:
    field: PublicationOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


_LEFT_OUT = "The order; oldest first when left out."
PostOrderBy = Annotated[PostOrder | None, strawberry.argument(description=_LEFT_OUT)]
TrackedAccountOrderBy = Annotated[
    TrackedAccountOrder | None, strawberry.argument(description=_LEFT_OUT)
]
ReplyOrderBy = Annotated[ReplyOrder | None, strawberry.argument(description=_LEFT_OUT)]
SocialAccountOrderBy = Annotated[
    SocialAccountOrder | None, strawberry.argument(description=_LEFT_OUT)
]
PublicationOrderBy = Annotated[PublicationOrder | None, strawberry.argument(description=_LEFT_OUT)]
