"""The contracts' audit trail: one row per change of status, in the change's transaction."""

from datetime import UTC, datetime, timedelta

from vigie_runtime.clock import now
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import ContractChangeRow, ContractRow

# The last moment given out: the trail reads in order even for changes within a microsecond.
_last = [datetime.min.replace(tzinfo=UTC)]


def _moment() -> datetime:
    _last[0] = max(now(), _last[0] + timedelta(microseconds=1))
    return _last[0]


def record(
    uow: UnitOfWork, contract: ContractRow, actor: str, before: str, after: str, note: str
) -> None:
    uow.session.add(
        ContractChangeRow(
            id=new_id(),
            tenant=contract.tenant,
            contract_id=contract.id,
            at=_moment(),
            actor=actor,
            from_status=before,
            to_status=after,
            note=note,
        )
    )
