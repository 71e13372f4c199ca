"""`vigie.ops.v1.OperationsService`, served by every service about its own plumbing."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select, update
from vigie.ops.v1 import operations_pb2, operations_pb2_grpc

from vigie_runtime.errors import FailedPrecondition, NotFound
from vigie_runtime.events import IncomingEvent
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.inbox import Subscription
from vigie_runtime.outbox_relay import outbox_stats
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import Role, current_principal
from vigie_runtime.resource_names import ResourcePattern, require_parent

if TYPE_CHECKING:
    from vigie_runtime.host import Plumbing

DEAD_LETTER = ResourcePattern("dead_letter", ("tenants", "deadLetters"))
_OPERATORS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)


def timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return stamp


class OperationsServicer(operations_pb2_grpc.OperationsServiceServicer):
    def __init__(self, plumbing: "Plumbing", subscriptions: list[Subscription]) -> None:
        self._plumbing = plumbing
        self._handlers = {s.durable: s.handler for s in subscriptions}

    async def ListDeadLetters(
        self, request: operations_pb2.ListDeadLettersRequest, context: grpc.aio.ServicerContext
    ) -> operations_pb2.ListDeadLettersResponse:
        principal = current_principal()
        principal.require(_OPERATORS)
        require_parent(request.parent, principal.tenant)
        size = page_size(request.page_size)
        after = decode_page_token(request.page_token, ["dead_letters", principal.tenant])
        table = self._plumbing.tables.dead_letters
        query = select(table).where(table.c.tenant == principal.tenant)
        if after:
            query = query.where(table.c.id < str(after[0]))
        async with self._plumbing.sessions() as session:
            rows = (await session.execute(query.order_by(table.c.id.desc()).limit(size + 1))).all()
        response = operations_pb2.ListDeadLettersResponse(
            dead_letters=[
                operations_pb2.DeadLetter(
                    name=DEAD_LETTER.format(row.tenant, row.id),
                    consumer=row.consumer,
                    event_id=row.event_id,
                    event_type=row.type,
                    subject=row.subject,
                    error=row.error,
                    deliveries=row.deliveries,
                    create_time=timestamp(row.created_at),
                )
                for row in rows[:size]
            ]
        )
        if len(rows) > size:
            response.next_page_token = encode_page_token(
                [rows[size - 1].id], ["dead_letters", principal.tenant]
            )
        return response

    async def RetryDeadLetter(
        self, request: operations_pb2.RetryDeadLetterRequest, context: grpc.aio.ServicerContext
    ) -> operations_pb2.RetryDeadLetterResponse:
        principal = current_principal()
        principal.require(_OPERATORS)
        _, letter_id = DEAD_LETTER.parse_in_tenant(request.name, principal.tenant)
        table = self._plumbing.tables.dead_letters
        async with self._plumbing.uow() as uow:
            row = (
                await uow.session.execute(
                    select(table).where(table.c.id == letter_id, table.c.tenant == principal.tenant)
                )
            ).first()
            if row is None:
                raise NotFound("dead_letter", request.name)
            if row.retried_at is not None:
                raise FailedPrecondition("ALREADY_RETRIED", "this dead letter was already retried")
            handler = self._handlers.get(row.consumer)
            if handler is None:
                raise FailedPrecondition("CONSUMER_UNKNOWN", f"no consumer {row.consumer} here")
            event = IncomingEvent.from_nats(row.subject, dict(row.headers), row.payload)
            await handler(uow, event)
            await uow.session.execute(
                update(table).where(table.c.id == letter_id).values(retried_at=datetime.now(UTC))
            )
            await uow.commit()
        return operations_pb2.RetryDeadLetterResponse(applied=True)

    async def GetOutboxStats(
        self, request: operations_pb2.GetOutboxStatsRequest, context: grpc.aio.ServicerContext
    ) -> operations_pb2.GetOutboxStatsResponse:
        current_principal().require(_OPERATORS)
        pending, age, sent = await outbox_stats(self._plumbing.engine, self._plumbing.tables)
        return operations_pb2.GetOutboxStatsResponse(
            pending=pending, oldest_pending_age_seconds=age, sent=sent
        )


def operations_registration(
    plumbing: "Plumbing", subscriptions: list[Subscription]
) -> ServiceRegistration:
    servicer = OperationsServicer(plumbing, subscriptions)
    return ServiceRegistration(
        full_name="vigie.ops.v1.OperationsService",
        add_to_server=lambda server: operations_pb2_grpc.add_OperationsServiceServicer_to_server(
            servicer, server
        ),
    )
