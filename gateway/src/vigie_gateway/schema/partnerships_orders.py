"""How the partnerships lists can be sorted: each list's `orderBy` input, mapped by the service
to SQL (`order_by` "<field> asc|desc"); a cursor only continues the order it came from."""

from enum import Enum
from typing import Annotated

import strawberry

from vigie_gateway.schema.common import OrderDirection

_DIRECTION = "Which way."


@strawberry.enum(description="What deliverables can be sorted by.")
class DeliverableOrderField(Enum):
    DUE_TIME = strawberry.enum_value("due_time", description="When it is due.")


@strawberry.input(description="How to sort deliverables.")
class DeliverableOrder:
    field: DeliverableOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.enum(description="What FX rates can be sorted by.")
class FxRateOrderField(Enum):
    EFFECTIVE_DATE = strawberry.enum_value("effective_date", description="The day it holds for.")
    UPDATE_TIME = strawberry.enum_value("update_time", description="When it was last set.")


@strawberry.input(description="How to sort FX rates.")
class FxRateOrder:
    field: FxRateOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.enum(description="What tracking codes can be sorted by.")
class TrackingCodeOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was created.")
    CODE = strawberry.enum_value("code", description="The code itself.")


@strawberry.input(description="How to sort tracking codes.")
class TrackingCodeOrder:
    field: TrackingCodeOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.enum(description="What conversions can be sorted by.")
class ConversionOrderField(Enum):
    OCCUR_TIME = strawberry.enum_value("occur_time", description="When the sale happened.")
    REPORT_TIME = strawberry.enum_value("report_time", description="When it was reported.")


@strawberry.input(description="How to sort conversions.")
class ConversionOrder:
    field: ConversionOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.enum(description="What a campaign's contracts can be sorted by.")
class ContractOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was proposed.")
    FEE = strawberry.enum_value("fee", description="Its fee (in the campaign's currency).")
    STATUS = strawberry.enum_value(
        "status",
        description="Its place in a contract's life: proposed, signed, active, completed, "
        "cancelled.",
    )


@strawberry.input(description="How to sort contracts.")
class ContractOrder:
    field: ContractOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


_LEFT_OUT = "The order; by id when left out."
DeliverableOrderBy = Annotated[DeliverableOrder | None, strawberry.argument(description=_LEFT_OUT)]
FxRateOrderBy = Annotated[FxRateOrder | None, strawberry.argument(description=_LEFT_OUT)]
TrackingCodeOrderBy = Annotated[
    TrackingCodeOrder | None, strawberry.argument(description=_LEFT_OUT)
]
ConversionOrderBy = Annotated[ConversionOrder | None, strawberry.argument(description=_LEFT_OUT)]
ContractOrderBy = Annotated[ContractOrder | None, strawberry.argument(description=_LEFT_OUT)]
