"""Holding statements in a crisis room: approved in one step by a manager of the brand's
subsidiary (the `statement.approved` event tells the publisher to publish it), then marked
published when the publisher's `post.published` names it."""

from datetime import UTC, datetime

from vigie.reputation.v1 import events_pb2
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.principal import READ_ROLES, current_principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow, CrisisStatementRow
from vigie_reputation.app import crisis_timeline
from vigie_reputation.app.access import WRITE_ROLES, subsidiary_name
from vigie_reputation.app.crisis_room_views import statement_name
from vigie_reputation.app.events import STATEMENT_APPROVED
from vigie_reputation.app.views import brand_name

STATEMENT = ResourcePattern("statement", ("tenants", "brands", "crises", "statements"))
SOCIAL_ACCOUNT = ResourcePattern("social_account", ("tenants", "brands", "socialAccounts"))
MAX_ACCOUNTS = 50


def _accounts(names: list[str], tenant: str, brand_id: str) -> list[str]:
    if len(names) > MAX_ACCOUNTS:
        reason = "TOO_MANY_ACCOUNTS"
        raise InvalidArgument("social_accounts", f"at most {MAX_ACCOUNTS}", reason)
    for index, name in enumerate(names):
        field = f"social_accounts[{index}]"
        if SOCIAL_ACCOUNT.parse_in_tenant(name, tenant, field)[1] != brand_id:
            raise InvalidArgument(field, "an account of the crisis's brand", "ACCOUNT_NOT_OF_BRAND")
    return list(dict.fromkeys(names))


async def approve(uow: UnitOfWork, name: str, accounts: list[str]) -> CrisisStatementRow:
    who = current_principal()
    _, brand_id, crisis_id, statement_id = STATEMENT.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(CrisisStatementRow, (who.tenant, statement_id))
    crisis = await uow.session.get(CrisisRow, (who.tenant, crisis_id))
    if row is None or crisis is None or (row.brand_id, row.crisis_id) != (brand_id, crisis_id):
        raise NotFound("statement", name)
    where = subsidiary_name(who.tenant, crisis.subsidiary_id) if crisis.subsidiary_id else None
    if not who.holds(READ_ROLES, where):
        raise NotFound("statement", name)
    who.require(WRITE_ROLES, where)  # social media manager and up speak for the brand
    chosen = _accounts(accounts, who.tenant, brand_id)
    if row.state != "proposed":
        if sorted(chosen) == sorted(row.social_accounts):
            return row  # a retried approval: already done
        raise FailedPrecondition("STATEMENT_ALREADY_APPROVED", "the statement was approved")
    if crisis.status == "resolved":
        raise FailedPrecondition("CRISIS_RESOLVED", "the crisis is resolved")
    now = datetime.now(UTC)
    row.state, row.social_accounts = "approved", chosen
    row.approver, row.approve_time = who.subject, now
    approved = events_pb2.StatementApproved(
        crisis=crisis_timeline.crisis_name(who.tenant, brand_id, crisis_id),
        brand=brand_name(who.tenant, brand_id),
        statement=statement_name(row),
        language=row.language,
        text=row.text,
        accounts=chosen,
        approver=who.subject,
    )
    uow.emit(STATEMENT_APPROVED, who.tenant, approved)
    key = (who.tenant, brand_id, crisis.subsidiary_id, crisis_id)
    summary = f"holding statement approved ({row.language})"
    crisis_timeline.record(uow, key, "statement_approved", summary, approved.statement, who.subject)
    return row


async def published(uow: UnitOfWork, tenant: str, statement: str, post: str, at: datetime) -> None:
    """The publisher published a post carrying `statement` (once per post: the inbox skips a
    redelivered event, and a post already recorded is not recorded again)."""
    try:
        _, brand_id, crisis_id, statement_id = STATEMENT.parse_in_tenant(statement, tenant)
    except (InvalidArgument, NotFound):
        return  # not one of this tenant's statements: nothing to record
    row = await uow.session.get(CrisisStatementRow, (tenant, statement_id))
    crisis = await uow.session.get(CrisisRow, (tenant, crisis_id))
    if row is None or crisis is None or row.brand_id != brand_id or post in row.posts:
        return
    row.posts = [*row.posts, post]
    row.state = "published"
    row.publish_time = row.publish_time or at
    key = (tenant, brand_id, crisis.subsidiary_id, crisis_id)
    summary = f"holding statement published ({row.language})"
    crisis_timeline.record(uow, key, "statement_published", summary, post, at=at)
