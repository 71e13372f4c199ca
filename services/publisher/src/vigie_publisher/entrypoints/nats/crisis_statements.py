"""The reputation's `statement.approved`: the crisis statement published once."""

from vigie.reputation.v1 import events_pb2
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app import crisis_statements

STATEMENTS_DURABLE = "publisher-crisis-statements"
STATEMENT_APPROVED = EventType("reputation", "statement", "approved", events_pb2.StatementApproved)


def crisis_statements_subscription() -> Subscription:
    return Subscription(
        durable=STATEMENTS_DURABLE,
        producer="reputation",
        subjects=[STATEMENT_APPROVED.subject_filter()],
        handler=on_statement_approved,
    )


async def on_statement_approved(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type != STATEMENT_APPROVED.ce_type:
        return
    approved = STATEMENT_APPROVED.parse(event)
    await crisis_statements.statement_approved(uow, event.tenant, approved)
