"""How the listener's lists can be sorted: each list's `orderBy` input, mapped by the service
to SQL (`order_by` "<field> asc|desc"); a cursor only continues the order it came from."""

from enum import Enum
from typing import Annotated

import strawberry

from vigie_gateway.schema.common import OrderDirection


@strawberry.enum(description="What mentions can be sorted by.")
class MentionOrderField(Enum):
    PUBLISH_TIME = strawberry.enum_value(
        "publish_time", description="When the author published it."
    )


@strawberry.input(description="How to sort mentions.")
class MentionOrder:
    field: MentionOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way; newest first by default."
    )


@strawberry.enum(description="What inbox items can be sorted by.")
class InboxItemOrderField(Enum):
    URGENCY = strawberry.enum_value(
        "urgency", description="Its urgency rank (reach, sentiment, crisis, waiting)."
    )
    OPEN_TIME = strawberry.enum_value(
        "open_time", description="When it entered the inbox: ASC puts the longest waiting first."
    )


@strawberry.input(description="How to sort inbox items.")
class InboxItemOrder:
    field: InboxItemOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way; largest first by default."
    )


@strawberry.enum(description="What inbox notes can be sorted by.")
class InboxNoteOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was written.")


@strawberry.input(description="How to sort inbox notes.")
class InboxNoteOrder:
    field: InboxNoteOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


MentionOrderBy = Annotated[
    MentionOrder | None,
    strawberry.argument(description="The order; newest first when left out."),
]
InboxItemOrderBy = Annotated[
    InboxItemOrder | None,
    strawberry.argument(description="The order; most urgent first when left out."),
]
InboxNoteOrderBy = Annotated[
    InboxNoteOrder | None,
    strawberry.argument(description="The order; oldest first when left out."),
]
