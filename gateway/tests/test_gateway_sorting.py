"""Sorting (`orderBy`) and `totalCount` on connections, through GraphQL as a front end pages."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from vigie.reputation.v1 import resources_pb2 as pb
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Gateway

BRANDS = """
query($first: Int!, $after: String, $order: DirectoryOrder) {
  brands(first: $first, after: $after, orderBy: $order) {
    nodes { displayName } pageInfo { hasNextPage endCursor }
  }
}"""
NAMES = ["Mango", "Apple", "Kiwi", "Banana", "Cherry"]


async def every_page(gateway: "Gateway", token: str, order: dict[str, str]) -> list[str]:
    names: list[str] = []
    after = None
    while True:
        result = await gateway.query(
            BRANDS, {"first": 2, "after": after, "order": order}, token=token
        )
        assert "errors" not in result, result
        page = result["data"]["brands"]
        names.extend(node["displayName"] for node in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return names
        after = page["pageInfo"]["endCursor"]


async def brands(gateway: "Gateway") -> str:
    token = await gateway.login()
    made = await gateway.query(
        "mutation($input: CreateSubsidiaryInput!) { createSubsidiary(input: $input) "
        "{ subsidiary { id } } }",
        {"input": {"displayName": "France", "country": "FR", "locale": "fr-FR", "timeZone": "UTC"}},
        token,
    )
    france = made["data"]["createSubsidiary"]["subsidiary"]
    for name in NAMES:
        created = await gateway.query(
            "mutation($input: CreateBrandInput!) { createBrand(input: $input) { errors { code } } }",
            {"input": {"subsidiaryId": france["id"], "displayName": name}},
            token,
        )
        assert created["data"]["createBrand"]["errors"] == [], created
    return token


async def test_brands_sorted_by_name_both_ways_come_once_each_across_pages(
    gateway: "Gateway",
) -> None:
    token = await brands(gateway)
    ascending = await every_page(gateway, token, {"field": "DISPLAY_NAME", "direction": "ASC"})
    assert ascending == sorted(NAMES)
    descending = await every_page(gateway, token, {"field": "DISPLAY_NAME", "direction": "DESC"})
    assert descending == sorted(NAMES, reverse=True)


async def test_a_cursor_of_one_order_is_refused_with_another(gateway: "Gateway") -> None:
    token = await brands(gateway)
    first = await gateway.query(
        BRANDS, {"first": 2, "order": {"field": "DISPLAY_NAME"}}, token=token
    )
    cursor = first["data"]["brands"]["pageInfo"]["endCursor"]
    other = await gateway.query(
        BRANDS, {"first": 2, "after": cursor, "order": {"field": "CREATE_TIME"}}, token=token
    )
    assert other["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT", other


async def test_an_unknown_order_field_is_a_typed_error(gateway: "Gateway") -> None:
    token = await gateway.login()
    result = await gateway.query(
        "{ brands(first: 2, orderBy: {field: COLOR}) { nodes { id } } }", token=token
    )
    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", result


async def test_total_count_counts_the_filter_and_only_when_asked(gateway: "Gateway") -> None:
    token = await brands(gateway)
    counted: dict[str, Any] = await gateway.query(
        "{ brands(first: 2) { totalCount nodes { id } } "
        "competitors: brands(first: 1, filter: {kind: COMPETITOR}) { ...Total } } "
        "fragment Total on BrandConnection { totalCount }",
        token=token,
    )
    assert counted["data"]["brands"]["totalCount"] == len(NAMES)
    assert counted["data"]["competitors"]["totalCount"] == 0
    subsidiaries = await gateway.query("{ subsidiaries(first: 1) { totalCount } }", token=token)
    assert subsidiaries["data"]["subsidiaries"]["totalCount"] == 1


SAVED_REPLIES = """query($b: ID!, $after: String, $order: NamedOrder) {
  savedReplies(brandId: $b, first: 2, after: $after, orderBy: $order) {
    totalCount nodes { displayName } pageInfo { hasNextPage endCursor }
  }
}"""
SAVE = """mutation($i: CreateSavedReplyInput!) { createSavedReply(input: $i) {
  savedReply { id } errors { code reason } } }"""
REPLY_NAMES = ["Merci", "Bonjour", "Désolé", "Avec plaisir", "Bienvenue"]


async def test_saved_replies_sorted_both_ways_and_counted_within_the_group(
    behind_gateway: Any,
) -> None:
    served = await behind_gateway("publisher")
    async with graphql_front(served.app) as admin, graphql_front(served.app) as rival:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        await rival.log_in("admin@rival.test", ADMIN_PASSWORD)
        brands = [await own_brand(admin), await own_brand(rival)]
        for front, brand, names in ((admin, brands[0], REPLY_NAMES), (rival, brands[1], ["X"])):
            for name in names:
                await saved_reply(front, brand, name)
        for direction in ("ASC", "DESC"):
            seen: list[str] = []
            after = None
            while True:
                answer = await admin.ask(
                    SAVED_REPLIES,
                    b=brands[0],
                    after=after,
                    order={"field": "DISPLAY_NAME", "direction": direction},
                )
                assert "errors" not in answer, answer
                page = answer["data"]["savedReplies"]
                assert page["totalCount"] == len(REPLY_NAMES)  # the rival's never count
                seen.extend(n["displayName"] for n in page["nodes"])
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            # Names without case or accent clashes, so every collation agrees.
            assert seen == sorted(REPLY_NAMES, reverse=direction == "DESC")


async def own_brand(front: Front) -> str:
    made = await front.ask(
        'mutation { createSubsidiary(input: {displayName: "France", country: "FR", '
        'locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } } }'
    )
    subsidiary = made["data"]["createSubsidiary"]["subsidiary"]["id"]
    brand = await front.ask(
        'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) '
        "{ brand { id } } }",
        s=subsidiary,
    )
    return str(brand["data"]["createBrand"]["brand"]["id"])


async def saved_reply(front: Front, brand: str, name: str) -> None:
    saved = {
        "brandId": brand,
        "displayName": name,
        "variants": [{"language": "fr", "text": f"{name} !"}],
        "defaultLanguage": "fr",
        "requestId": f"s-{name}",
    }

    async def made() -> bool:  # the publisher learns of the brand through NATS
        answer = await front.ask(SAVE, i=saved)
        return bool(answer.get("data") and answer["data"]["createSavedReply"]["savedReply"])

    await eventually(made)


# The reputation's lists ----------------------------------------------------------------------
CRISES = """query($after: String, $order: CrisisOrder) {
  crises(first: 2, after: $after, orderBy: $order) {
    totalCount nodes { id severity region } pageInfo { hasNextPage endCursor }
  }
}"""
LISTS = """query($france: ID!) {
  reports(first: 5, orderBy: {field: STATE, direction: ASC}) { totalCount nodes { id state } }
  reportSchedules(first: 5, orderBy: {field: NEXT_RUN_TIME, direction: DESC}) {
    totalCount nodes { displayName }
  }
  playbooks(parentId: $france, first: 5, orderBy: {field: UPDATE_TIME, direction: DESC}) {
    totalCount nodes { displayName }
  }
}"""
RULE = """mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) {
  alertRule { id } errors { code reason } } }"""
WEBHOOK = """mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }"""
RULES = """query($after: String, $order: NamedOrder, $brand: ID) {
  alertRules(first: 2, after: $after, orderBy: $order, filter: {brandId: $brand}) {
    totalCount nodes { displayName } pageInfo { hasNextPage endCursor }
  }
}"""


async def every_page_of(front: Front, query: str, field: str, **variables: Any) -> list[Any]:
    """Every node of a connection across pages, each page's totalCount checked alike."""
    nodes: list[Any] = []
    after, totals = None, set()
    while True:
        answer = await front.ask(query, after=after, **variables)
        assert "errors" not in answer, answer
        page = answer["data"][field]
        totals.add(page["totalCount"])
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            assert totals == {len(nodes)}, totals
            return nodes
        after = page["pageInfo"]["endCursor"]


async def reputation_rows(platform: Any, tenant: str) -> None:
    """Rows a front end cannot create (crises are detected, a copy comes from another region,
    reports are rendered), written in the reputation's database; ids in none of the orders."""
    from vigie_reputation.adapters import orm
    from vigie_reputation.adapters.region_orm import RegionCrisisRow
    from vigie_runtime.database import create_engine, session_factory

    when = datetime(2026, 12, 1, tzinfo=UTC)
    t = tenant.removeprefix("tenants/")
    place = {"tenant": t, "brand_id": "lumiere", "subsidiary_id": "france"}
    crisis = {**place, "status": "opened", "explanation": {}}
    report = {**place, "start_time": when, "end_time": when, "format": "pdf"}
    schedule = {**place, "cadence": "weekly", "send_time": "08:00", "format": "pdf",
                "delivery": "stored", "version": 1, "create_time": when, "update_time": when}  # fmt: skip
    playbook = {"tenant": t, "scope": "subsidiary", "scope_id": "france", "alert_steps": [],
                "holding_statements": [], "queue_hold": "hold", "version": 1, "create_time": when}  # fmt: skip
    copy = pb.Crisis(name=f"{tenant}/brands/us/crises/c4", brand=f"{tenant}/brands/us",
                     status=pb.CRISIS_STATUS_OPENED, severity=pb.CRISIS_SEVERITY_HIGH)  # fmt: skip
    engine = create_engine(platform.settings["reputation"].database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            session.add_all([
                orm.CrisisRow(id="c1", severity="minor", open_time=when, update_time=when, **crisis),
                orm.CrisisRow(id="c2", severity="critical", open_time=when, update_time=when, **crisis),
                orm.CrisisRow(id="c3", severity="watch", open_time=when, update_time=when, **crisis),
                RegionCrisisRow(tenant=t, id="c4", region="us", brand_id="us", subsidiary_id="usa",
                                status="opened", severity="major", open_time=when, update_time=when,
                                crisis=copy.SerializeToString()),
                orm.ReportRow(id="p1", state="ready", create_time=when, **report),
                orm.ReportRow(id="p2", state="failed", create_time=when, **report),
                orm.ReportRow(id="p3", state="pending", create_time=when, **report),
                orm.ReportScheduleRow(id="s1", display_name="Soon", next_run_time=when, **schedule),
                orm.ReportScheduleRow(id="s2", display_name="Later",
                                      next_run_time=when + timedelta(days=2), **schedule),
                orm.PlaybookRow(id="b1", display_name="Old", update_time=when, **playbook),
                orm.PlaybookRow(id="b2", display_name="New", update_time=when + timedelta(1), **playbook),
            ])  # fmt: skip
    finally:
        await engine.dispose()


async def test_reputation_lists_sort_count_and_keep_cursors_to_their_order(
    behind_gateway: Any,
) -> None:
    platform = await behind_gateway("reputation", mode="api")  # no worker: rows stay as written
    tenant = platform.tenants["Acme Group"]
    await reputation_rows(platform, tenant)
    async with graphql_front(platform.app) as admin:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        order = {"field": "SEVERITY", "direction": "DESC"}
        crises = await every_page_of(admin, CRISES, "crises", order=order)
        assert [(c["id"].rsplit("/", 1)[-1], c["severity"], c["region"]) for c in crises] == [
            ("c2", "CRITICAL", None), ("c4", "HIGH", "us"),
            ("c1", "MEDIUM", None), ("c3", "LOW", None),
        ]  # fmt: skip
        first = await admin.ask(CRISES, order=order)
        cursor = first["data"]["crises"]["pageInfo"]["endCursor"]
        for other in ({"field": "SEVERITY", "direction": "ASC"}, None):
            refused = await admin.ask(CRISES, after=cursor, order=other)
            assert refused["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT", refused
        lists = await admin.ask(LISTS, france=f"{tenant}/subsidiaries/france")
        assert "errors" not in lists, lists
        reports = lists["data"]["reports"]
        assert [r["state"] for r in reports["nodes"]] == ["PENDING", "READY", "FAILED"]
        assert reports["totalCount"] == 3
        schedules = lists["data"]["reportSchedules"]
        assert [s["displayName"] for s in schedules["nodes"]] == ["Later", "Soon"]
        assert schedules["totalCount"] == 2
        playbooks = lists["data"]["playbooks"]
        assert [p["displayName"] for p in playbooks["nodes"]] == ["New", "Old"]
        assert playbooks["totalCount"] == 2


async def test_alert_rules_sorted_by_name_both_ways_and_counted_within_the_group(
    behind_gateway: Any,
) -> None:
    platform = await behind_gateway("reputation", mode="api")
    acme, rival = platform.tenants["Acme Group"], platform.tenants["Rival Group"]
    async with graphql_front(platform.app) as admin, graphql_front(platform.app) as other:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        await other.log_in("admin@rival.test", ADMIN_PASSWORD)
        names = ["Volume", "Crisis", "Index", "Negative", "Backlash"]
        for front, tenant, named in ((admin, acme, names), (other, rival, ["Theirs"])):
            hook = {"displayName": "room", "url": "https://hooks.example/x", "secret": "s" * 24}
            made_hook = await front.ask(WEBHOOK, i=hook)
            hooks = [made_hook["data"]["createWebhook"]["webhook"]["id"]]
            for name in named:
                brands = [f"{tenant}/brands/lumiere"] if name != "Volume" else []
                rule = {"displayName": name, "brandIds": brands, "triggers": ["CRISIS_OPENED"],
                        "webhookIds": hooks}  # fmt: skip
                made = await front.ask(RULE, i=rule)
                assert made["data"]["createAlertRule"]["errors"] == [], made
        for direction in ("ASC", "DESC"):
            order = {"field": "DISPLAY_NAME", "direction": direction}
            found = await every_page_of(admin, RULES, "alertRules", order=order)
            assert [n["displayName"] for n in found] == sorted(names, reverse=direction == "DESC")
        elsewhere = await admin.ask(RULES, brand=f"{acme}/brands/sol")
        assert elsewhere["data"]["alertRules"]["totalCount"] == 1  # Volume covers every brand


WEBHOOKS = """query($after: String, $order: NamedOrder) {
  webhooks(first: 2, after: $after, orderBy: $order) {
    totalCount nodes { id displayName } pageInfo { hasNextPage endCursor }
  }
}"""
DELIVERIES = """query($hook: ID!, $after: String, $order: WebhookDeliveryOrder) {
  webhookDeliveries(webhookId: $hook, first: 2, after: $after, orderBy: $order) {
    totalCount nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""
TIMELINE = """query($crisis: ID!, $after: String, $order: TimelineOrder) {
  crisisTimeline(crisisId: $crisis, first: 2, after: $after, orderBy: $order) {
    totalCount nodes { id summary } pageInfo { hasNextPage endCursor }
  }
}"""


async def deliveries_and_timeline(platform: Any, tenant: str, hook_id: str) -> None:
    """Rows the worker writes (a webhook's deliveries, a crisis's timeline), written in the
    reputation's database: ids in none of the asked orders."""
    from vigie_reputation.adapters import orm
    from vigie_runtime.database import create_engine, session_factory

    when = datetime(2026, 12, 1, tzinfo=UTC)
    t = tenant.removeprefix("tenants/")

    def delivery(delivery_id: str, state: str, hours: int, again: int | None) -> Any:
        return orm.WebhookDeliveryRow(
            tenant=t, id=delivery_id, webhook_id=hook_id, event_id=delivery_id, event_type="x",
            body="{}", state=state, attempts=1, last_status_code=0, last_error="",
            create_time=when + timedelta(hours=hours), deliver_time=None,
            next_attempt_time=None if again is None else when + timedelta(hours=again),
        )  # fmt: skip

    def entry(entry_id: str, hours: int) -> Any:
        return orm.CrisisTimelineRow(
            tenant=t, id=entry_id, crisis_id="c1", kind="escalated", subject="", actor="",
            time=when + timedelta(hours=hours), summary=entry_id,
        )  # fmt: skip

    engine = create_engine(platform.settings["reputation"].database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            session.add_all([
                orm.CrisisRow(id="c1", tenant=t, brand_id="lumiere", subsidiary_id="france",
                              status="opened", severity="major", open_time=when,
                              update_time=when, explanation={}),
                delivery("d1", "failed", 0, None), delivery("d2", "pending", 2, 3),
                delivery("d3", "delivered", 1, None), delivery("d4", "pending", 3, 1),
                entry("e1", 0), entry("e2", 2), entry("e3", 1),
            ])  # fmt: skip
    finally:
        await engine.dispose()


def last(nodes: list[Any]) -> list[str]:
    return [str(n["id"]).rsplit("/", 1)[-1] for n in nodes]


async def test_webhooks_their_deliveries_and_a_crisis_timeline_sort_and_count(
    behind_gateway: Any,
) -> None:
    platform = await behind_gateway("reputation", mode="api")  # no worker: rows stay as written
    acme = platform.tenants["Acme Group"]
    async with graphql_front(platform.app) as admin, graphql_front(platform.app) as other:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        await other.log_in("admin@rival.test", ADMIN_PASSWORD)
        names = ["Pager", "Alerts", "Slack", "Desk"]
        for front, named in ((admin, names), (other, ["Theirs"])):
            for name in named:
                hook = {"displayName": name, "url": "https://hooks.example/x", "secret": "s" * 24}
                made = await front.ask(WEBHOOK, i=hook)
                assert made["data"]["createWebhook"]["webhook"], made
        hooks: dict[str, str] = {}
        for direction in ("ASC", "DESC"):
            order = {"field": "DISPLAY_NAME", "direction": direction}
            found = await every_page_of(admin, WEBHOOKS, "webhooks", order=order)
            assert [n["displayName"] for n in found] == sorted(names, reverse=direction == "DESC")
            hooks = {n["displayName"]: n["id"] for n in found}
        pager = hooks["Pager"]
        await deliveries_and_timeline(platform, acme, pager.rsplit("/", 1)[-1])
        by_state = {"field": "STATE", "direction": "ASC"}  # pending < delivered < failed
        found = await every_page_of(
            admin, DELIVERIES, "webhookDeliveries", hook=pager, order=by_state
        )
        assert last(found) == ["d2", "d4", "d3", "d1"]
        newest = await every_page_of(admin, DELIVERIES, "webhookDeliveries", hook=pager, order=None)
        assert last(newest) == ["d4", "d3", "d2", "d1"]  # by id, as before
        first = await admin.ask(DELIVERIES, hook=pager, order=by_state)
        cursor = first["data"]["webhookDeliveries"]["pageInfo"]["endCursor"]
        for another in ({"field": "NEXT_ATTEMPT_TIME", "direction": "ASC"}, None):
            refused = await admin.ask(DELIVERIES, hook=pager, after=cursor, order=another)
            assert refused["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT", refused
        crisis = f"{acme}/brands/lumiere/crises/c1"
        latest = {"field": "TIME", "direction": "DESC"}
        entries = await every_page_of(
            admin, TIMELINE, "crisisTimeline", crisis=crisis, order=latest
        )
        assert [e["summary"] for e in entries] == ["e2", "e3", "e1"]
        written = await every_page_of(admin, TIMELINE, "crisisTimeline", crisis=crisis, order=None)
        assert [e["summary"] for e in written] == ["e1", "e2", "e3"]
        theirs = await other.ask("{ webhooks(first: 1) { totalCount } }")
        assert theirs["data"]["webhooks"]["totalCount"] == 1, theirs  # Acme's never count
