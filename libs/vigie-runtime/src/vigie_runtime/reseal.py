"""Re-encrypting a table's sealed column under the current key after a key rotation, so the old
key can be dropped.

Idempotent and resumable: rows go in primary-key order, in short transactions of `batch` rows
(each row locked while it is rewritten, so a concurrent writer, e.g. a token refresh, is never
overwritten with an older value); a value the current key already opens is left alone. A second
run changes nothing; a run killed midway keeps the batches it committed and the next run finishes
the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select, tuple_

from vigie_runtime.host import Plumbing
from vigie_runtime.settings import ServiceSettings
from vigie_runtime.tables import RuntimeTables
from vigie_runtime.uow import UnitOfWork


@dataclass
class ResealReport:
    resealed: int = 0
    already_current: int = 0  # sealed with the current key (a rerun, or written since)
    empty: int = 0  # nothing sealed in the column
    unreadable: list[str] = field(default_factory=list)  # primary keys no configured key opens


@dataclass(frozen=True)
class SealedColumn:
    """Where the sealed values are and how the service's box treats them."""

    row_type: type[Any]
    column: str
    reseal: Callable[[str], str]  # the same value under the current key
    is_current: Callable[[str], bool]  # the current key opens it
    unreadable: type[Exception]  # what `reseal` raises when no configured key opens it


async def reseal_column(
    uow: Callable[[], UnitOfWork], sealed: SealedColumn, batch: int = 100
) -> ResealReport:
    report = ResealReport()
    key = list(inspect(sealed.row_type).primary_key)
    after: tuple[Any, ...] | None = None
    while True:
        async with uow() as u:
            query = select(sealed.row_type).order_by(*key).limit(batch).with_for_update()
            if after is not None:
                query = query.where(tuple_(*key) > tuple_(*after))
            rows = list((await u.session.execute(query)).scalars())
            if not rows:
                return report
            for row in rows:
                _reseal_row(row, sealed, key, report)
            after = tuple(getattr(rows[-1], c.key) for c in key)
            await u.commit()


def _reseal_row(row: Any, sealed: SealedColumn, key: list[Any], report: ResealReport) -> None:
    value = getattr(row, sealed.column)
    if not value:
        report.empty += 1
    elif sealed.is_current(value):
        report.already_current += 1
    else:
        try:
            setattr(row, sealed.column, sealed.reseal(value))
        except sealed.unreadable:
            report.unreadable.append("/".join(str(getattr(row, c.key)) for c in key))
            return
        report.resealed += 1


async def run_reseal(
    service: str, settings: ServiceSettings, tables: RuntimeTables, sealed: SealedColumn
) -> int:
    """`python -m vigie_<service> reseal`: reseals, prints what it did; 1 if a row is left
    that no configured key opens (dropping a key would not lose it: it is lost already)."""
    plumbing = Plumbing(service, settings, tables)
    try:
        report = await reseal_column(plumbing.uow, sealed)
    finally:
        await plumbing.close()
    print(
        f"{service}: {report.resealed} resealed, {report.already_current} already under the "
        f"current key, {report.empty} empty, {len(report.unreadable)} unreadable"
        + (f" ({', '.join(report.unreadable)})" if report.unreadable else "")
    )
    return 1 if report.unreadable else 0
