"""Sorted lists (AIP-132 `order_by`): parse "create_time desc", sort in SQL on (column, id) and
continue a page after the last (value, id) seen, so a keyset page stays valid for its order.

One field per order (then the id breaks ties in the same direction). A nullable column is
offered as `Filled`: sorted as if its NULLs held a value, so the keyset comparison needs no NULL
rules (which differ between SQLite and PostgreSQL). A value the column holds in another form (a
decimal as text, a status by its place in a life cycle) is offered as `Derived`.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_

from vigie_runtime.errors import InvalidArgument

_DIRECTIONS = {"asc": False, "desc": True}


@dataclass(frozen=True)
class Filled:
    """A nullable column sorted as if its NULLs held `fill` (unscheduled posts after the rest)."""

    column: Any
    fill: object


@dataclass(frozen=True)
class Derived:
    """A sort value computed from `column`: in SQL by `expression`, in Python by `of` (from the
    column's value, as a page token carries it: text or a number, which the expression's type
    decodes)."""

    column: Any
    expression: Any
    of: Callable[[Any], object]


@dataclass(frozen=True)
class Order:
    """A parsed `order_by`: the public field name, its column (or `Filled`), the direction."""

    field: str
    column: Any
    descending: bool

    @property
    def expression(self) -> Any:
        """What SQL sorts and compares on."""
        if isinstance(self.column, Filled):
            return func.coalesce(self.column.column, self.column.fill)
        if isinstance(self.column, Derived):
            return self.column.expression
        return self.column

    def value(self, row: Any) -> object:
        """The row's sort value, as `expression` sees it."""
        if isinstance(self.column, Filled):
            found = getattr(row, self.column.column.key)
            return self.column.fill if found is None else found
        if isinstance(self.column, Derived):
            return self.column.of(getattr(row, self.column.column.key))
        return getattr(row, self.column.key)

    def python_type(self) -> type | None:
        column = self.column.column if isinstance(self.column, Filled) else self.expression
        try:
            found: type = column.type.python_type
        except NotImplementedError:  # a type without a Python equivalent: compare as given
            return None
        return found

    @property
    def text(self) -> str:
        """The canonical spelling, bound into page tokens so a token keeps its order."""
        return f"{self.field} {'desc' if self.descending else 'asc'}"


def parse_order_by(text: str, fields: Mapping[str, Any], default: str = "") -> Order | None:
    """The order `text` asks for among `fields` (public name → column); when empty, `default`'s,
    or None (the list's own order by id).

    Unknown fields, more than one field or a direction other than asc/desc are INVALID_ARGUMENT
    naming what is accepted."""
    if len(text) > 200:
        raise InvalidArgument("order_by", "at most 200 characters")
    words = text.split() or default.split()
    if not words:
        return None
    if "," in text:
        raise InvalidArgument("order_by", "sorts by one field only")
    if len(words) > 2:
        raise InvalidArgument("order_by", 'expects "<field>" or "<field> asc|desc"')
    field = words[0]
    if field not in fields:
        raise InvalidArgument("order_by", f"unknown field {field[:64]!r}; one of {_names(fields)}")
    direction = words[1].lower() if len(words) == 2 else "asc"
    if direction not in _DIRECTIONS:
        raise InvalidArgument("order_by", "direction must be asc or desc")
    return Order(field=field, column=fields[field], descending=_DIRECTIONS[direction])


def _names(fields: Mapping[str, Any]) -> str:
    return ", ".join(sorted(fields))


def sort_clauses(order: Order, id_column: Any) -> list[Any]:
    """ORDER BY the field, then the id, both in the order's direction (one index serves both)."""
    if order.descending:
        return [order.expression.desc(), id_column.desc()]
    return [order.expression.asc(), id_column.asc()]


def after_key(order: Order, id_column: Any, key: Sequence[object]) -> ColumnElement[bool]:
    """Rows strictly after the (value, id) `key` of a page token, in the order's direction."""
    if len(key) != 2:
        raise InvalidArgument("page_token", "is not a token this API returned")
    value, last_id = _decoded(order.python_type(), key[0]), str(key[1])
    sort = order.expression
    if order.descending:
        return or_(sort < value, and_(sort == value, id_column < last_id))
    return or_(sort > value, and_(sort == value, id_column > last_id))


def key_of(order: Order, row: Any) -> list[object]:
    """The (value, id) of the last row of a page, as a page token carries it."""
    value = order.value(row)
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return [value, row.id]


def _decoded(wanted: type | None, value: object) -> object:
    if wanted is None:
        return value
    try:
        if wanted is datetime:
            moment = datetime.fromisoformat(str(value))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if wanted is date:
            return date.fromisoformat(str(value))
        return wanted(value)
    except (TypeError, ValueError):
        raise InvalidArgument("page_token", "is not a token this API returned") from None
