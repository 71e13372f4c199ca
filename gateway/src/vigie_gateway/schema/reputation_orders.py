"""How the reputation's lists can be sorted: each list's `orderBy` input, mapped by the service
to SQL (`order_by` "<field> asc|desc"); a cursor only continues the order it came from. Alert
rules, playbooks and webhooks sort as named things (`NamedOrder`)."""

from enum import Enum
from typing import Annotated

import strawberry

from vigie_gateway.schema.common import OrderDirection

_DIRECTION = "Which way."


@strawberry.enum(description="What crises can be sorted by.")
class CrisisOrderField(Enum):
    OPEN_TIME = strawberry.enum_value("open_time", description="When it was detected.")
    UPDATE_TIME = strawberry.enum_value("update_time", description="When it last changed.")
    SEVERITY = strawberry.enum_value(
        "severity", description="How severe it is: LOW < MEDIUM < HIGH < CRITICAL."
    )


@strawberry.input(description="How to sort crises (other regions' copies sort with the rest).")
class CrisisOrder:
    field: CrisisOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way; latest or most severe first."
    )


@strawberry.enum(description="What reports can be sorted by.")
class ReportOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was asked for.")
    STATE = strawberry.enum_value("state", description="Where it stands: PENDING < READY < FAILED.")


@strawberry.input(description="How to sort reports.")
class ReportOrder:
    field: ReportOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way; newest first by default."
    )


@strawberry.enum(description="What report schedules can be sorted by.")
class ReportScheduleOrderField(Enum):
    NEXT_RUN_TIME = strawberry.enum_value(
        "next_run_time", description="When it next makes a report."
    )
    DISPLAY_NAME = strawberry.enum_value(
        "display_name", description="Its name (the database's collation)."
    )
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was created.")


@strawberry.input(description="How to sort report schedules.")
class ReportScheduleOrder:
    field: ReportScheduleOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.enum(description="What webhook deliveries can be sorted by.")
class WebhookDeliveryOrderField(Enum):
    CREATE_TIME = strawberry.enum_value(
        "create_time", description="When the event was queued for the webhook."
    )
    NEXT_ATTEMPT_TIME = strawberry.enum_value(
        "next_attempt_time",
        description="When it is tried again; those not tried again (delivered or failed) last.",
    )
    STATE = strawberry.enum_value(
        "state", description="Where it stands: PENDING < DELIVERED < FAILED."
    )


@strawberry.input(description="How to sort a webhook's deliveries.")
class WebhookDeliveryOrder:
    field: WebhookDeliveryOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way; newest first by default."
    )


@strawberry.enum(description="What a crisis timeline can be sorted by.")
class TimelineOrderField(Enum):
    TIME = strawberry.enum_value("time", description="When it happened.")


@strawberry.input(description="How to sort a crisis timeline.")
class TimelineOrder:
    field: TimelineOrderField = strawberry.field(
        default=TimelineOrderField.TIME, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


CrisisOrderBy = Annotated[
    CrisisOrder | None,
    strawberry.argument(description="The order; most recently opened first when left out."),
]
ReportOrderBy = Annotated[
    ReportOrder | None,
    strawberry.argument(description="The order; newest first when left out."),
]
ReportScheduleOrderBy = Annotated[
    ReportScheduleOrder | None,
    strawberry.argument(description="The order; oldest first when left out."),
]
WebhookDeliveryOrderBy = Annotated[
    WebhookDeliveryOrder | None,
    strawberry.argument(description="The order; newest first when left out."),
]
TimelineOrderBy = Annotated[
    TimelineOrder | None,
    strawberry.argument(description="The order; as written (oldest first) when left out."),
]
