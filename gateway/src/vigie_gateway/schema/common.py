"""Types every part of the schema shares: pages of results and deletion payloads."""

from datetime import UTC, datetime
from typing import Generic, TypeVar

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp

T = TypeVar("T")

MAX_FIRST = 200


@strawberry.type(description="Where a page ends and whether another follows (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when `endCursor` leads to more.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One page of a list.")
class Connection(Generic[T]):
    nodes: list[T] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="How to get the next page.")


@strawberry.type(description="What a delete removed.")
class DeletePayload:
    deleted_id: strawberry.ID = strawberry.field(description="The id of the removed object.")


def page_size(first: int) -> int:
    from vigie_runtime.errors import InvalidArgument

    from vigie_gateway.errors import from_app_error

    if first < 1 or first > MAX_FIRST:
        raise from_app_error(InvalidArgument("first", f"must be between 1 and {MAX_FIRST}"))
    return first


def page_info(next_token: str) -> PageInfo:
    return PageInfo(has_next_page=bool(next_token), end_cursor=next_token or None)


def moment(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)
