"""`node(id)` and `nodes(ids)`: any object read back from its global id (Relay).

The id's pattern names the owning service; each kind is read through a per-request DataLoader,
so `nodes` asks every service once per request however many ids it names, and one missing id
does not fail the others. Another tenant's id is NOT_FOUND before any service is asked.
"""

import asyncio
from collections.abc import Awaitable
from typing import Annotated, Any

import strawberry
from vigie_runtime.errors import InvalidArgument, NotFound

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import MAX_FIRST, Node
from vigie_gateway.schema.node_kinds import KINDS, NodeKind, collections_of

Info = strawberry.Info[Context, None]


def _loader_for(ctx: Context, kind: NodeKind) -> Any:
    async def batch(names: list[str]) -> list[object]:
        rpc = kind.method(ctx)
        calls = [ctx.call(rpc, kind.request(name=name)) for name in names]
        found = await asyncio.gather(*calls, return_exceptions=True)
        # An exception in the list fails only its own key.
        return [got if isinstance(got, BaseException) else kind.convert(got) for got in found]

    return ctx.loader("node:" + "/".join(kind.collections), batch)


async def load_node(ctx: Context, id: str) -> Node:
    """The object named `id`, or NOT_FOUND (unknown pattern, or another tenant's name)."""
    parts = id.split("/")
    kind = KINDS.get(collections_of(id) or ())
    if kind is None or len(parts) < 2 or parts[1] != ctx.who().tenant:
        raise from_app_error(NotFound("node", id))
    node: Node = await _loader_for(ctx, kind).load(id)
    return node


async def _nullable(ctx: Context, id: str) -> Node:
    return await load_node(ctx, id)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id; null with a NOT_FOUND error when it does not "
        "exist, is not readable by id, or belongs to another group."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A global id, e.g. `tenants/{t}/brands/{b}`."),
        ],
    ) -> Node | None:
        return await load_node(info.context, str(id))

    @strawberry.field(
        description=f"Objects by their global ids (at most {MAX_FIRST}), in the same order; "
        "an id that cannot be read is null with its own NOT_FOUND error."
    )
    def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global ids, any mix of types.")
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_FIRST:
            raise from_app_error(InvalidArgument("ids", f"at most {MAX_FIRST}"))
        # Awaitables per item: GraphQL nulls each failing one alone, with its own path.
        items: list[Awaitable[Node]] = [_nullable(info.context, str(i)) for i in ids]
        return items  # type: ignore[return-value]
