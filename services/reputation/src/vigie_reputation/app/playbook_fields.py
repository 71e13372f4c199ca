"""A Playbook proto checked and turned into columns; every refusal has a stable reason."""

import re
from typing import Any

from sqlalchemy import select
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import WebhookRow
from vigie_reputation.app.webhooks import WEBHOOK

MEMBER = ResourcePattern("member", ("tenants", "members"))
USER = ResourcePattern("user", ("tenants", "users"))
UPDATABLE = ("display_name", "alert_steps", "holding_statements", "queue_hold")
MAX_STEPS = 20
MAX_STATEMENTS = 20
MAX_DELAY_SECONDS = 86_400
MAX_TEXT = 3000
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
QUEUE_HOLDS = {
    cr.QUEUE_HOLD_UNSPECIFIED: "hold",
    cr.QUEUE_HOLD_HOLD: "hold",
    cr.QUEUE_HOLD_KEEP_PUBLISHING: "keep_publishing",
}


async def columns(uow: UnitOfWork, who: Principal, playbook: cr.Playbook) -> dict[str, Any]:
    if not playbook.display_name.strip() or len(playbook.display_name) > 100:
        raise InvalidArgument("playbook.display_name", "1 to 100 characters")
    if playbook.queue_hold not in QUEUE_HOLDS:
        raise InvalidArgument("playbook.queue_hold", "unknown value", "QUEUE_HOLD_INVALID")
    return {
        "display_name": playbook.display_name.strip(),
        "alert_steps": await _steps(uow, who, playbook.alert_steps),
        "holding_statements": _statements(playbook.holding_statements),
        "queue_hold": QUEUE_HOLDS[playbook.queue_hold],
    }


async def _steps(uow: UnitOfWork, who: Principal, steps: Any) -> list[dict[str, Any]]:
    if len(steps) > MAX_STEPS:
        raise InvalidArgument("playbook.alert_steps", f"at most {MAX_STEPS}", "TOO_MANY_STEPS")
    result: list[dict[str, Any]] = []
    for index, step in enumerate(steps):
        field = f"playbook.alert_steps[{index}]"
        if bool(step.member) == bool(step.webhook):
            raise InvalidArgument(field, "exactly one of member and webhook", "STEP_TARGET_INVALID")
        if not 0 <= step.delay_seconds <= MAX_DELAY_SECONDS:
            reason = "DELAY_OUT_OF_RANGE"
            raise InvalidArgument(f"{field}.delay_seconds", f"0 to {MAX_DELAY_SECONDS}", reason)
        if step.member:
            _member(step.member, who.tenant, f"{field}.member")
            result.append({"member": step.member, "delay_seconds": step.delay_seconds})
        else:
            webhook_id = await _webhook(uow, who.tenant, step.webhook, f"{field}.webhook")
            result.append({"webhook": webhook_id, "delay_seconds": step.delay_seconds})
    return result


def _member(name: str, tenant: str, field: str) -> None:
    # A member or a user of the caller's tenant (the directory owns them; the name is kept).
    pattern = USER if name.split("/")[2:3] == ["users"] else MEMBER
    pattern.parse_in_tenant(name, tenant, field)


async def _webhook(uow: UnitOfWork, tenant: str, name: str, field: str) -> str:
    _, webhook_id = WEBHOOK.parse_in_tenant(name, tenant, field)
    found = await uow.session.scalar(
        select(WebhookRow.id).where(WebhookRow.tenant == tenant, WebhookRow.id == webhook_id)
    )
    if found is None:
        raise NotFound("webhook", name)
    return webhook_id


def _statements(statements: Any) -> list[dict[str, str]]:
    if len(statements) > MAX_STATEMENTS:
        reason = "TOO_MANY_STATEMENTS"
        raise InvalidArgument("playbook.holding_statements", f"at most {MAX_STATEMENTS}", reason)
    seen: set[str] = set()
    result = []
    for index, statement in enumerate(statements):
        field = f"playbook.holding_statements[{index}]"
        if not LANGUAGE.match(statement.language):
            raise InvalidArgument(f"{field}.language", "a BCP 47 language", "LANGUAGE_INVALID")
        if statement.language in seen:
            reason = "DUPLICATE_LANGUAGE"
            raise InvalidArgument(f"{field}.language", "one statement per language", reason)
        seen.add(statement.language)
        if not statement.text.strip() or len(statement.text) > MAX_TEXT:
            reason = "STATEMENT_TEXT_INVALID"
            raise InvalidArgument(f"{field}.text", f"1 to {MAX_TEXT} characters", reason)
        result.append({"language": statement.language, "text": statement.text.strip()})
    return result
