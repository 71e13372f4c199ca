"""Walking a reputation list page by page, and checking its page tokens keep their order."""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from vigie_runtime.grpc_errors import error_info

if TYPE_CHECKING:
    from vigie_runtime.host import Plumbing


# A list call: (order_by, page_token, page_size, show_total_size) -> the response.
Lister = Callable[[str, str, int, bool], Awaitable[Any]]


def lister(
    call: Callable[..., Awaitable[Any]], request: Callable[..., Any], metadata: Any, **fields: Any
) -> Lister:
    """Pages of one List RPC: its `request` with `fields` and each page's options, as `metadata`."""

    async def list_(order_by: str, token: str, size: int, total: bool) -> Any:
        options = {"order_by": order_by, "page_token": token, "page_size": size}
        asked = request(**options, show_total_size=total, **fields)
        return await call(asked, metadata=metadata)

    return list_


async def every_page(list_: Lister, items: str, order_by: str, size: int = 1) -> list[str]:
    """The ids of every item across pages of `size`, in the order the pages give them."""
    seen: list[str] = []
    token = ""
    while True:
        page = await list_(order_by, token, size, False)
        seen += [item.name.rsplit("/", 1)[-1] for item in getattr(page, items)]
        token = page.next_page_token
        if not token:
            return seen


async def sorts_as(list_: Lister, items: str, expected: dict[str, list[str]]) -> None:
    """Each order_by gives its ids, every row once, across pages of one."""
    for order_by, ids in expected.items():
        assert await every_page(list_, items, order_by) == ids, order_by


async def refuses_another_order(list_: Lister, order_by: str, others: list[str]) -> None:
    """A token of `order_by` is refused with each of `others` (page_token), and an unknown
    field is refused (order_by)."""
    token = (await list_(order_by, "", 1, False)).next_page_token
    assert token
    for other, field in [*((o, "page_token") for o in others), ("color", "order_by")]:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await list_(other, token, 1, False)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, other
        info = error_info(caught.value)
        assert info is not None and info.metadata["field"] == field, other


async def add(plumbing: "Plumbing", *rows: object) -> None:
    async with plumbing.uow() as uow:
        uow.session.add_all(rows)
        await uow.commit()
