"""Sorted reputation lists (order_by) across pages: alert rules, reports, report schedules,
playbooks, webhooks, webhook deliveries and a crisis timeline, each way, every row once; totals with the list's filter and the caller's reach, never
another tenant's; page tokens bound to their order (SQLite or PostgreSQL). Crises:
test_crisis_list_sorting.py."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc, reports_pb2_grpc
from vigie.reputation.v1 import reports_pb2 as reports
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.orm import (
    AlertRuleRow,
    CrisisRow,
    CrisisTimelineRow,
    PlaybookRow,
    ReportRow,
    ReportScheduleRow,
    WebhookDeliveryRow,
    WebhookRow,
)
from vigie_runtime.principal import Role

from .list_pages import Lister, add, every_page, lister, refuses_another_order, sorts_as

if TYPE_CHECKING:
    from conftest import Reputation
    from vigie_runtime.host import Plumbing

TENANT, OTHER = "t_acme", "t_rival"
PARENT = f"tenants/{TENANT}"
FRANCE = f"{PARENT}/subsidiaries/france"
WHEN = datetime(2026, 12, 1, 10, tzinfo=UTC)


def at(hours: float) -> datetime:
    return WHEN + timedelta(hours=hours)


@pytest.fixture
def reputation(reputation_api: "Reputation") -> "Reputation":
    """No worker here: a pending report stays pending, a past-due schedule is not run."""
    return reputation_api


# Alert rules -------------------------------------------------------------------------------
def rule(rule_id: str, name: str, created: float, updated: float, **columns: Any) -> AlertRuleRow:
    values: dict[str, Any] = {
        "tenant": TENANT, "brand_ids": [], "subsidiary_id": "", "triggers": [1],
        "window_minutes": 60, "cooldown_minutes": 60, "version": 1,
    }  # fmt: skip
    values.update(columns)
    return AlertRuleRow(
        id=rule_id, display_name=name, create_time=at(created), update_time=at(updated), **values
    )


@pytest.fixture
async def rules(reputation: "Reputation", plumbing: "Plumbing") -> None:
    """r1..r4 created in id order, their names and times in other orders; one of another tenant."""
    await add(
        plumbing,
        rule("r1", "Volume", 2, 2),
        rule("r2", "Crisis", 0, 5, brand_ids=["lumiere"], subsidiary_id="france"),
        rule("r3", "Index", 3, 1, brand_ids=["sol"], subsidiary_id="spain"),
        # "lumiere_x" as a LIKE pattern would match "lumiere-x": the filter must not.
        rule("r4", "Negative", 1, 3, brand_ids=["lumiere-x", "sol"], subsidiary_id="spain"),
        rule("r9", "Rival", 0, 0, tenant=OTHER),
    )


def rule_lister(
    reputation: "Reputation", brand: str = "", who: Any = None, tenant: str = TENANT
) -> Lister:
    metadata = who or reputation.admin(tenant)
    parent = f"tenants/{tenant}"
    return lister(
        reputation.stub.ListAlertRules,
        rpc.ListAlertRulesRequest,
        metadata,
        parent=parent,
        brand=brand,
    )


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", ["r1", "r2", "r3", "r4"]),  # by id, as before
        ("display_name", ["r2", "r3", "r4", "r1"]),
        ("display_name desc", ["r1", "r4", "r3", "r2"]),
        ("create_time", ["r2", "r4", "r1", "r3"]),
        ("update_time desc", ["r2", "r4", "r1", "r3"]),
    ],
)
async def test_alert_rules_sorted_both_ways_come_once_each_across_pages(
    reputation: "Reputation", rules: None, order_by: str, expected: list[str]
) -> None:
    assert await every_page(rule_lister(reputation), "alert_rules", order_by) == expected


async def test_alert_rule_totals_count_the_brand_filter_the_reach_and_only_the_tenant(
    reputation: "Reputation", rules: None
) -> None:
    async def total(
        brand: str = "", who: Any = None, tenant: str = TENANT
    ) -> tuple[int, list[str]]:
        page = await rule_lister(reputation, brand, who, tenant)("display_name", "", 10, True)
        return page.total_size, [r.name.rsplit("/", 1)[-1] for r in page.alert_rules]

    assert await total() == (4, ["r2", "r3", "r4", "r1"])
    assert await total(f"{PARENT}/brands/lumiere") == (2, ["r2", "r1"])  # r1 covers every brand
    assert await total(f"{PARENT}/brands/lumiere_x") == (1, ["r1"])
    assert await total(f"{PARENT}/brands/sol") == (3, ["r3", "r4", "r1"])
    analyst = reputation.as_role(TENANT, Role.ANALYST, FRANCE)
    assert await total(who=analyst) == (1, ["r2"])  # group-wide and Spain's rules are not its
    assert await total(who=reputation.admin(OTHER), tenant=OTHER) == (1, ["r9"])


async def test_an_alert_rule_token_of_one_order_is_refused_with_another(
    reputation: "Reputation", rules: None
) -> None:
    await refuses_another_order(
        rule_lister(reputation), "display_name", ["display_name desc", "create_time", ""]
    )


# Reports -----------------------------------------------------------------------------------
def report(report_id: str, state: str, created: float, schedule: str = "") -> ReportRow:
    return ReportRow(
        tenant=TENANT, id=report_id, brand_id="lumiere", subsidiary_id="france",
        start_time=at(-24), end_time=at(0), format="pdf", state=state, schedule_id=schedule,
        create_time=at(created),
    )  # fmt: skip


@pytest.fixture
async def reports_made(reputation: "Reputation", plumbing: "Plumbing") -> None:
    spain = report("p5", "ready", 5)
    spain.subsidiary_id = "spain"
    await add(
        plumbing,
        report("p1", "ready", 3, "s1"),
        report("p2", "failed", 1),
        report("p3", "pending", 4, "s1"),
        report("p4", "ready", 2),
        spain,
    )


def report_lister(
    reputation: "Reputation", schedule: str = "", who: Any = None, tenant: str = TENANT
) -> Lister:
    stub = reports_pb2_grpc.ReportServiceStub(reputation.channel)
    metadata = who or reputation.admin(tenant)
    parent = f"tenants/{tenant}"
    return lister(
        stub.ListReports, reports.ListReportsRequest, metadata, parent=parent, schedule=schedule
    )


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", ["p5", "p4", "p3", "p2", "p1"]),  # newest first by id, as before
        ("create_time desc", ["p5", "p3", "p1", "p4", "p2"]),
        ("create_time", ["p2", "p4", "p1", "p3", "p5"]),
        # pending, ready, failed (not alphabetical), ties by id in the same direction.
        ("state", ["p3", "p1", "p4", "p5", "p2"]),
        ("state desc", ["p2", "p5", "p4", "p1", "p3"]),
    ],
)
async def test_reports_sorted_both_ways_come_once_each_across_pages(
    reputation: "Reputation", reports_made: None, order_by: str, expected: list[str]
) -> None:
    assert await every_page(report_lister(reputation), "reports", order_by, 2) == expected


async def test_report_totals_count_the_schedule_and_the_reach(
    reputation: "Reputation", reports_made: None
) -> None:
    async def total(schedule: str = "", who: Any = None, tenant: str = TENANT) -> int:
        page = await report_lister(reputation, schedule, who, tenant)("state", "", 1, True)
        return int(page.total_size)

    assert await total() == 5
    assert await total(f"{PARENT}/reportSchedules/s1") == 2
    assert await total(who=reputation.as_role(TENANT, Role.ANALYST, FRANCE)) == 4
    assert await total(who=reputation.admin(OTHER), tenant=OTHER) == 0


async def test_a_report_token_of_one_order_is_refused_with_another(
    reputation: "Reputation", reports_made: None
) -> None:
    await refuses_another_order(report_lister(reputation), "state", ["state desc", ""])


# Report schedules --------------------------------------------------------------------------
def schedule(schedule_id: str, name: str, next_run: float, created: float) -> ReportScheduleRow:
    return ReportScheduleRow(
        tenant=TENANT, id=schedule_id, display_name=name, brand_id="lumiere",
        subsidiary_id="france", cadence="weekly", send_time="08:00", format="pdf",
        delivery="stored", version=1, next_run_time=at(next_run), create_time=at(created),
        update_time=at(created),
    )  # fmt: skip


async def test_report_schedules_sorted_by_next_run_and_name_and_counted(
    reputation: "Reputation", plumbing: "Plumbing"
) -> None:
    await add(
        plumbing,
        schedule("s1", "Weekly FR", 48, 0),
        schedule("s2", "Monthly", 24, 2),
        schedule("s3", "Board", 72, 1),
    )
    stub = reports_pb2_grpc.ReportServiceStub(reputation.channel)
    admin, request = reputation.admin(TENANT), reports.ListReportSchedulesRequest
    list_ = lister(stub.ListReportSchedules, request, admin, parent=PARENT)
    orders = {
        "": ["s1", "s2", "s3"],  # by id, as before
        "next_run_time": ["s2", "s1", "s3"],
        "next_run_time desc": ["s3", "s1", "s2"],
        "display_name": ["s3", "s2", "s1"],
        "create_time desc": ["s2", "s3", "s1"],
    }
    await sorts_as(list_, "report_schedules", orders)
    assert (await list_("next_run_time", "", 1, True)).total_size == 3
    await refuses_another_order(list_, "next_run_time", ["display_name", ""])


# Playbooks ---------------------------------------------------------------------------------
def playbook(playbook_id: str, name: str, created: float, updated: float) -> PlaybookRow:
    return PlaybookRow(
        tenant=TENANT, id=playbook_id, scope="subsidiary", scope_id="france", display_name=name,
        alert_steps=[], holding_statements=[], queue_hold="hold", version=1,
        create_time=at(created), update_time=at(updated),
    )  # fmt: skip


async def test_playbooks_sorted_by_name_and_update_time_and_counted_per_scope(
    reputation: "Reputation", plumbing: "Plumbing"
) -> None:
    other_scope = playbook("b9", "Elsewhere", 0, 0)
    other_scope.scope_id = "spain"
    await add(
        plumbing,
        playbook("b1", "Recall", 0, 4),
        playbook("b2", "Bad buzz", 1, 2),
        playbook("b3", "Outage", 2, 3),
        other_scope,
    )
    stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation.channel)
    admin, request = reputation.admin(TENANT), cr.ListPlaybooksRequest
    list_ = lister(stub.ListPlaybooks, request, admin, parent=FRANCE)
    await sorts_as(
        list_,
        "playbooks",
        {
            "": ["b1", "b2", "b3"],  # by id, as before
            "display_name": ["b2", "b3", "b1"],
            "display_name desc": ["b1", "b3", "b2"],
            "update_time desc": ["b1", "b3", "b2"],
        },
    )
    assert (await list_("display_name", "", 1, True)).total_size == 3
    spain = lister(stub.ListPlaybooks, request, admin, parent=f"{PARENT}/subsidiaries/spain")
    assert (await spain("", "", 1, True)).total_size == 1
    await refuses_another_order(list_, "update_time desc", ["update_time", "create_time"])


# Webhooks ----------------------------------------------------------------------------------
def webhook(
    webhook_id: str, name: str, created: float, updated: float, **columns: Any
) -> WebhookRow:
    values: dict[str, Any] = {"tenant": TENANT, "subsidiary_id": "", "enabled": True}
    values.update(columns)
    return WebhookRow(
        id=webhook_id, display_name=name, url=f"https://hooks.example/{webhook_id}",
        secret="sealed", create_time=at(created), update_time=at(updated), **values,
    )  # fmt: skip


@pytest.fixture
async def webhooks_made(reputation: "Reputation", plumbing: "Plumbing") -> None:
    """w1 group-wide, w2 and w4 France's, w3 Spain's; names and times in other orders than the
    ids; one of another tenant."""
    await add(
        plumbing,
        webhook("w1", "Slack", 2, 2),
        webhook("w2", "Alerts FR", 0, 5, subsidiary_id="france"),
        webhook("w3", "Pager", 3, 1, subsidiary_id="spain"),
        webhook("w4", "CRM", 1, 3, subsidiary_id="france"),
        webhook("w9", "Rival", 0, 0, tenant=OTHER),
    )


def webhook_lister(
    reputation: "Reputation", subsidiary: str = "", who: Any = None, tenant: str = TENANT
) -> Lister:
    metadata = who or reputation.admin(tenant)
    return lister(
        reputation.stub.ListWebhooks,
        rpc.ListWebhooksRequest,
        metadata,
        parent=f"tenants/{tenant}",
        subsidiary=subsidiary,
    )


async def test_webhooks_sorted_both_ways_come_once_each_across_pages(
    reputation: "Reputation", webhooks_made: None
) -> None:
    orders = {
        "": ["w1", "w2", "w3", "w4"],  # by id, as before
        "display_name": ["w2", "w4", "w3", "w1"],
        "display_name desc": ["w1", "w3", "w4", "w2"],
        "create_time": ["w2", "w4", "w1", "w3"],
        "update_time desc": ["w2", "w4", "w1", "w3"],
    }
    await sorts_as(webhook_lister(reputation), "webhooks", orders)


async def test_webhook_totals_count_the_subsidiary_filter_the_reach_and_only_the_tenant(
    reputation: "Reputation", webhooks_made: None
) -> None:
    async def total(
        subsidiary: str = "", who: Any = None, tenant: str = TENANT
    ) -> tuple[int, list[str]]:
        list_ = webhook_lister(reputation, subsidiary, who, tenant)
        page = await list_("display_name", "", 10, True)
        return page.total_size, [w.name.rsplit("/", 1)[-1] for w in page.webhooks]

    assert await total() == (4, ["w2", "w4", "w3", "w1"])
    assert await total(FRANCE) == (2, ["w2", "w4"])
    analyst = reputation.as_role(TENANT, Role.ANALYST, FRANCE)
    assert await total(who=analyst) == (2, ["w2", "w4"])  # group-wide and Spain's are not its
    # Pages of one stay full for a reader of part of the tenant (narrowed in SQL).
    assert await every_page(webhook_lister(reputation, who=analyst), "webhooks", "") == ["w2", "w4"]
    assert await total(who=reputation.admin(OTHER), tenant=OTHER) == (1, ["w9"])


async def test_a_webhook_token_of_one_order_is_refused_with_another(
    reputation: "Reputation", webhooks_made: None
) -> None:
    await refuses_another_order(
        webhook_lister(reputation), "create_time", ["create_time desc", "display_name", ""]
    )


# Webhook deliveries ------------------------------------------------------------------------
def delivery(
    delivery_id: str, state: str, created: float, next_attempt: float | None, hook: str = "w2"
) -> WebhookDeliveryRow:
    return WebhookDeliveryRow(
        tenant=TENANT, id=delivery_id, webhook_id=hook, event_id=f"e-{delivery_id}",
        event_type="vigie.reputation.crisis.opened.v1", body="{}", state=state, attempts=1,
        last_status_code=0, last_error="", create_time=at(created),
        deliver_time=at(created) if state == "delivered" else None,
        next_attempt_time=None if next_attempt is None else at(next_attempt),
    )  # fmt: skip


@pytest.fixture
async def deliveries_made(
    reputation: "Reputation", plumbing: "Plumbing", webhooks_made: None
) -> None:
    """d1..d5 of France's w2, created and due again in other orders than the ids (d4 and d5 due
    at the same time); one of w4."""
    await add(
        plumbing,
        delivery("d1", "delivered", 0, None),
        delivery("d2", "pending", 3, 5),
        delivery("d3", "failed", 1, None),
        delivery("d4", "pending", 2, 4),
        delivery("d5", "pending", 4, 4),
        delivery("d9", "pending", 0, 1, hook="w4"),
    )


def delivery_lister(reputation: "Reputation", state: int = 0, who: Any = None) -> Lister:
    return lister(
        reputation.stub.ListWebhookDeliveries,
        rpc.ListWebhookDeliveriesRequest,
        who or reputation.admin(TENANT),
        parent=f"{PARENT}/webhooks/w2",
        state=state,
    )


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", ["d5", "d4", "d3", "d2", "d1"]),  # newest first by id, as before
        ("create_time", ["d1", "d3", "d4", "d2", "d5"]),
        ("create_time desc", ["d5", "d2", "d4", "d3", "d1"]),
        # Ties by id in the same direction; those not due again after the rest.
        ("next_attempt_time", ["d4", "d5", "d2", "d1", "d3"]),
        ("next_attempt_time desc", ["d3", "d1", "d2", "d5", "d4"]),
        # pending, delivered, failed (not alphabetical).
        ("state", ["d2", "d4", "d5", "d1", "d3"]),
        ("state desc", ["d3", "d1", "d5", "d4", "d2"]),
    ],
)
async def test_webhook_deliveries_sorted_both_ways_come_once_each_across_pages(
    reputation: "Reputation", deliveries_made: None, order_by: str, expected: list[str]
) -> None:
    assert await every_page(delivery_lister(reputation), "deliveries", order_by, 2) == expected


async def test_webhook_delivery_totals_count_the_state_filter_and_the_webhook(
    reputation: "Reputation", deliveries_made: None
) -> None:
    async def total(state: int = 0, who: Any = None) -> int:
        page = await delivery_lister(reputation, state, who)("next_attempt_time", "", 1, True)
        return int(page.total_size)

    assert await total() == 5
    assert await total(pb.WEBHOOK_DELIVERY_STATE_PENDING) == 3
    assert await total(pb.WEBHOOK_DELIVERY_STATE_FAILED) == 1
    assert await total(who=reputation.as_role(TENANT, Role.ANALYST, FRANCE)) == 5


async def test_a_delivery_token_of_one_order_is_refused_with_another(
    reputation: "Reputation", deliveries_made: None
) -> None:
    await refuses_another_order(
        delivery_lister(reputation), "next_attempt_time", ["next_attempt_time desc", "state", ""]
    )


# A crisis timeline -------------------------------------------------------------------------
def timeline(entry_id: str, crisis_id: str, hours: float) -> CrisisTimelineRow:
    return CrisisTimelineRow(
        tenant=TENANT, id=entry_id, crisis_id=crisis_id, kind="escalated", time=at(hours),
        summary=f"entry {entry_id}", subject="", actor="",
    )  # fmt: skip


async def test_a_crisis_timeline_sorted_by_time_both_ways_and_counted_per_crisis(
    reputation: "Reputation", plumbing: "Plumbing"
) -> None:
    place = {"tenant": TENANT, "brand_id": "lumiere", "subsidiary_id": "france"}
    crises = [
        CrisisRow(
            id=c,
            severity="major",
            status="opened",
            open_time=at(0),
            update_time=at(0),
            explanation={},
            **place,
        )
        for c in ("c1", "c2")
    ]
    # e3 was written after e2 but happened before it; e2 and e4 at the same time.
    entries = [timeline("e1", "c1", 0), timeline("e2", "c1", 2), timeline("e3", "c1", 1)]
    await add(plumbing, *crises, *entries, timeline("e4", "c1", 2), timeline("e9", "c2", 1))
    stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation.channel)
    admin, request = reputation.admin(TENANT), cr.ListCrisisTimelineRequest
    list_ = lister(
        stub.ListCrisisTimeline, request, admin, parent=f"{PARENT}/brands/lumiere/crises/c1"
    )
    await sorts_as(
        list_,
        "entries",
        {
            "": ["e1", "e2", "e3", "e4"],  # as written, oldest first, as before
            "time": ["e1", "e3", "e2", "e4"],
            "time desc": ["e4", "e2", "e3", "e1"],
        },
    )
    assert (await list_("time desc", "", 1, True)).total_size == 4
    other = lister(
        stub.ListCrisisTimeline, request, admin, parent=f"{PARENT}/brands/lumiere/crises/c2"
    )
    assert (await other("", "", 1, True)).total_size == 1
    await refuses_another_order(list_, "time desc", ["time", ""])
