"""Types every part of the schema shares: the Node interface and Relay pages of results.

Services page with opaque tokens that mark the end of a page, not each item. An edge's cursor
is therefore the page's own token plus how many of its items come before the next one; `after`
such a cursor asks the service for that page again, larger by the skipped items, and drops
them. The last edge of a page that has a next one carries the service's token itself, so
`endCursor` is the last edge's cursor as Relay expects.
"""

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Generic, Protocol, TypeVar

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

T = TypeVar("T")

MAX_FIRST = 200
# What a deprecated plain list (no paging) returns at most: the services' largest page.
PLAIN_LIST_SIZE = 1000
_EDGE_CURSOR = "e1."


@strawberry.enum(description="Which way a list is sorted.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Smallest first.")
    DESC = strawberry.enum_value("desc", description="Largest first.")


@strawberry.interface(
    description="An object with a global id (its resource name, e.g. `tenants/{t}/brands/{b}`), "
    "readable again with `node(id:)`."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Global id: the resource name, unique across every type."
    )


@strawberry.type(description="Where a page ends and whether another follows (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when `endCursor` leads to more.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )


@strawberry.type(description="One item of a page and the cursor that continues after it (Relay).")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="One page of a list: its items (`nodes`, or `edges` with cursors).")
class Connection(Generic[T]):
    nodes: list[T] = strawberry.field(description="The items of this page, in order.")
    edges: list[Edge[T]] = strawberry.field(
        description="The items of this page with their cursors, in order."
    )
    page_info: PageInfo = strawberry.field(description="How to get the next page.")
    total_count: int | None = strawberry.field(
        default=None,
        description="How many items the list holds across all its pages, with the same filter "
        "(counted by the service only when this field is asked for); null where the list does "
        "not count.",
    )


@strawberry.input(description="The object a mutation acts on.")
class ObjectInput:
    id: strawberry.ID = strawberry.field(description="The object's global id.")


@strawberry.input(description="The object to delete, and the etag it was read with.")
class DeleteInput(ObjectInput):
    etag: str | None = strawberry.field(
        default=None,
        description="The etag it was read with: a stale one is refused with CONFLICT; "
        "left out, the delete does not check.",
    )


# The arguments every list and every read by id takes, described once.
First = Annotated[int, strawberry.argument(description="How many items to return (1 to 200).")]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items after this cursor (`endCursor`, or an edge's `cursor`)."
    ),
]
NodeId = Annotated[strawberry.ID, strawberry.argument(description="The object's global id.")]
WindowStart = Annotated[
    datetime, strawberry.argument(description="Start of the window (inclusive).")
]
WindowEnd = Annotated[datetime, strawberry.argument(description="End of the window (exclusive).")]


@dataclass(frozen=True)
class PageRequest:
    """What to ask the service for: `size` items from `token`, of which the first `skip` were
    already seen before an edge cursor."""

    size: int
    token: str
    skip: int


def page_size(first: int) -> int:
    from vigie_runtime.errors import InvalidArgument

    from vigie_gateway.errors import from_app_error

    if first < 1 or first > MAX_FIRST:
        raise from_app_error(InvalidArgument("first", f"must be between 1 and {MAX_FIRST}"))
    return first


def _edge_cursor(token: str, position: int) -> str:
    raw = json.dumps([token, position]).encode()
    return _EDGE_CURSOR + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_edge_cursor(cursor: str) -> tuple[str, int]:
    from vigie_runtime.errors import InvalidArgument

    from vigie_gateway.errors import from_app_error

    body = cursor.removeprefix(_EDGE_CURSOR)
    try:
        token, position = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, TypeError):
        raise from_app_error(
            InvalidArgument("after", "is not a cursor this API returned")
        ) from None
    if not isinstance(token, str) or not isinstance(position, int) or position < 0:
        raise from_app_error(InvalidArgument("after", "is not a cursor this API returned"))
    return token, position


def page_request(first: int, after: str | None) -> PageRequest:
    """The service page behind `first` items `after` a cursor (an edge's or `endCursor`)."""
    size = page_size(first)
    if after and after.startswith(_EDGE_CURSOR):
        token, skip = _decode_edge_cursor(after)
        return PageRequest(size=size + skip, token=token, skip=skip)
    return PageRequest(size=size, token=after or "", skip=0)


def connection(
    items: Sequence[T], next_token: str, page: PageRequest, total: int | None = None
) -> Connection[T]:
    """A Relay page of what the service returned for `page`, skipping what was already seen;
    `total` when the list was counted."""
    nodes = list(items[page.skip :])
    edges = [
        Edge(cursor=_edge_cursor(page.token, page.skip + index + 1), node=node)
        for index, node in enumerate(nodes)
    ]
    if edges and next_token:
        edges[-1] = Edge(cursor=next_token, node=nodes[-1])
    return Connection(nodes=nodes, edges=edges, page_info=page_info(next_token), total_count=total)


@strawberry.enum(
    description="What named things (approval policies, saved replies, listening queries, "
    "sources, alert rules, playbooks, webhooks) can be sorted by."
)
class NamedOrderField(Enum):
    CREATE_TIME = strawberry.enum_value("create_time", description="When it was created.")
    UPDATE_TIME = strawberry.enum_value("update_time", description="When it last changed.")
    DISPLAY_NAME = strawberry.enum_value(
        "display_name", description="Its name (the database's collation)."
    )


@strawberry.input(description="How to sort a list of named things.")
class NamedOrder:
    field: NamedOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


NamedOrderBy = Annotated[
    NamedOrder | None,
    strawberry.argument(description="The order; oldest first when left out."),
]


class SortOrder(Protocol):
    """A list's `orderBy` input: one of its field enum's members and a direction."""

    @property
    def field(self) -> Enum: ...
    @property
    def direction(self) -> OrderDirection: ...


def order_text(order: SortOrder | None) -> str:
    """The AIP-132 `order_by` of an `orderBy` input ("create_time desc"); '' for the list's
    own order. The service sorts and refuses what it cannot."""
    if order is None:
        return ""
    return f"{order.field.value} {order.direction.value}"


def list_options(info: Any, order: SortOrder | None) -> dict[str, Any]:
    """A List request's `order_by` and `show_total_size` (true only when `totalCount` is read)."""
    return {"order_by": order_text(order), "show_total_size": wants_total(info)}


def total(info: Any, response: Any) -> int | None:
    """A connection's `totalCount` from a List response; None when it was not asked."""
    return int(response.total_size) if wants_total(info) else None


async def listed(
    info: Any, method: Any, request: Any, page: PageRequest, items: Callable[[Any], Sequence[T]]
) -> Connection[T]:
    """A Relay page of what a List `method` answers to `request` (asked for `page`): `items`
    of the response, counted when the query reads `totalCount`."""
    found = await info.context.call(method, request)
    return connection(items(found), found.next_page_token, page, total(info, found))


def wants_total(info: Any) -> bool:
    """Whether the query asks for this connection's `totalCount` (fragments included), so a
    list asks its service to count only when a client reads the count."""
    return any(_asks_total(field.selections) for field in info.selected_fields)


def _asks_total(selections: Sequence[SelectedField | FragmentSpread | InlineFragment]) -> bool:
    for selection in selections:
        if isinstance(selection, SelectedField) and selection.name == "totalCount":
            return True
        if isinstance(selection, FragmentSpread | InlineFragment) and _asks_total(
            selection.selections
        ):
            return True
    return False


def page_info(next_token: str) -> PageInfo:
    return PageInfo(has_next_page=bool(next_token), end_cursor=next_token or None)


def wire(member: Enum) -> Any:
    """The proto number behind a GraphQL enum member (a described member's value included);
    Any, as each proto enum has its own ValueType."""
    return member.value


def moment(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)
