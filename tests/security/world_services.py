"""The resources of the listener, publisher, reputation and partnerships for one subsidiary's
brand, made through their gRPC APIs (each service learns of the brand from `brand.created`, so
the first call of each waits for it)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from secrets import token_hex
from typing import Any

from vigie.directory.v1 import resources_pb2 as dres
from vigie.listener.v1 import listener_pb2 as lpb
from vigie.listener.v1 import resources_pb2 as lres
from vigie.partnerships.v1 import partnerships_pb2 as ppb
from vigie.partnerships.v1 import resources_pb2 as pres
from vigie.publisher.v1 import publisher_pb2 as upb
from vigie.publisher.v1 import resources_pb2 as ures
from vigie.reputation.v1 import reports_pb2 as rep
from vigie.reputation.v1 import reputation_pb2 as rpb
from vigie.reputation.v1 import resources_pb2 as rres
from vigie_runtime.grpc_client import bearer
from vigie_runtime.testing.waiting import eventually

from tests.security.world import Scope, Seeder, stamp, until_known
from tests.security.world_playbooks import playbook_kinds


async def listener_kinds(seed: Seeder, scope: Scope, admin: Any, brand: str, partner: str) -> str:
    """A listening query and a partner source; returns the source."""
    made = await until_known(lambda: seed.listener.CreateListeningQuery(
        lpb.CreateListeningQueryRequest(parent=brand, listening_query=lres.ListeningQuery(
            display_name=f"Query {scope.marker}", query=scope.marker, active=True)),
        metadata=admin))  # fmt: skip
    scope.add("listeningQueries", made.name)
    source = await seed.listener.CreateSource(
        lpb.CreateSourceRequest(parent=scope.tenant, source=lres.Source(
            display_name=f"Feed {scope.marker}", kind=lres.SOURCE_KIND_PARTNER,
            partner=lres.PartnerSourceConfig(partner_client=partner), brands=[brand],
            enabled=True)),
        metadata=admin,
    )  # fmt: skip
    return scope.add("sources", source.name)


async def push_mention(
    seed: Seeder, scope: Scope, admin: Any, partner_token: str, source: str, brand: str
) -> None:
    """A mention pushed by the partner, once the listener lists it."""
    mention = lres.Mention(
        brand=brand, url=f"https://example.test/{scope.marker}", language="en",
        text=f"{scope.marker} is a great coffee, question?",
        author=lres.MentionAuthor(handle=f"@{scope.marker}.test", followers_count=100),
        publish_time=stamp(datetime.now(UTC) - timedelta(minutes=5)),
    )  # fmt: skip

    async def requests() -> AsyncIterator[lpb.IngestMentionsRequest]:
        yield lpb.IngestMentionsRequest(source=source, external_id=scope.marker, mention=mention)

    answer = await seed.listener.IngestMentions(requests(), metadata=bearer(partner_token))
    assert answer.accepted_count == 1, answer
    listed: list[str] = []

    async def captured() -> bool:
        page = await seed.listener.ListMentions(
            lpb.ListMentionsRequest(parent=scope.tenant, brands=[brand]), metadata=admin
        )
        listed.extend(m.name for m in page.mentions)
        return bool(listed)

    await eventually(captured, seconds=30)
    scope.add("mentions", listed[0])
    scope.add("sentiment", f"{listed[0]}/sentiment")


async def publisher_kinds(seed: Seeder, scope: Scope, admin: Any, brand: str, sub: str) -> None:
    account = await until_known(lambda: seed.publisher.CreateSocialAccount(
        upb.CreateSocialAccountRequest(parent=brand, social_account=ures.SocialAccount(
            network=ures.NETWORK_BLUESKY, handle=f"{scope.marker}.bsky.test",
            display_name=f"Account {scope.marker}", time_zone="Europe/Paris",
            credentials=ures.SocialAccountCredentials(bluesky=ures.BlueskyCredentials(
                service_url="http://127.0.0.1:9", identifier=f"{scope.marker}.bsky.test",
                app_password="app-pass-word")))),
        metadata=admin))  # fmt: skip
    scope.add("socialAccounts", account.name)
    scope.add("bestTimes", f"{account.name}/bestTimes")
    post = await seed.publisher.CreatePost(
        upb.CreatePostRequest(parent=brand, post=ures.Post(social_accounts=[account.name],
            variants=[ures.PostVariant(network=ures.NETWORK_BLUESKY,
                                       text=f"Draft {scope.marker}")])),
        metadata=admin,
    )  # fmt: skip
    scope.add("posts", post.name)
    scope.add("engagement", f"{post.name}/engagement")
    scope.add("queue", f"{brand}/queue")
    policy = await seed.publisher.CreateApprovalPolicy(
        upb.CreateApprovalPolicyRequest(parent=scope.tenant, approval_policy=ures.ApprovalPolicy(
            display_name=f"Policy {scope.marker}", subsidiary=sub,
            stages=[ures.ApprovalStage(approver_role=dres.ROLE_SOCIAL_MEDIA_MANAGER)])),
        metadata=admin,
    )  # fmt: skip
    scope.add("approvalPolicies", policy.name)
    tracked = await seed.publisher.CreateTrackedAccount(
        upb.CreateTrackedAccountRequest(parent=brand, tracked_account=ures.TrackedAccount(
            network=ures.NETWORK_BLUESKY, handle=f"rival.{scope.marker}.test",
            display_name=f"Rival {scope.marker}")),
        metadata=admin,
    )  # fmt: skip
    scope.add("trackedAccounts", tracked.name)


async def reputation_kinds(seed: Seeder, scope: Scope, admin: Any, brand: str, sub: str) -> None:
    webhook = await seed.reputation.CreateWebhook(
        rpb.CreateWebhookRequest(parent=scope.tenant, webhook=rres.Webhook(
            display_name=f"Hook {scope.marker}", url=f"https://{scope.marker}.example.test/hook",
            secret=f"secret-{scope.marker}-0123456789", subsidiary=sub, enabled=True)),
        metadata=admin,
    )  # fmt: skip
    scope.add("webhooks", webhook.name)
    rule = await until_known(lambda: seed.reputation.CreateAlertRule(
        rpb.CreateAlertRuleRequest(parent=scope.tenant, alert_rule=rres.AlertRule(
            display_name=f"Rule {scope.marker}", brands=[brand], subsidiary=sub,
            triggers=[rres.ALERT_TRIGGER_CRISIS_OPENED], webhooks=[webhook.name],
            enabled=True)),
        metadata=admin))  # fmt: skip
    scope.add("alertRules", rule.name)
    scope.add("reputationIndex", f"{brand}/reputationIndex")
    schedule = await until_known(lambda: seed.reports.CreateReportSchedule(
        rep.CreateReportScheduleRequest(parent=scope.tenant, report_schedule=rep.ReportSchedule(
            display_name=f"Weekly {scope.marker}", brand=brand, cadence=rep.REPORT_CADENCE_WEEKLY,
            send_time="08:00", format=rep.REPORT_FORMAT_CSV, webhook=webhook.name,
            delivery=rep.REPORT_DELIVERY_WEBHOOK, enabled=True)),
        metadata=admin))  # fmt: skip
    scope.add("reportSchedules", schedule.name)
    now = datetime.now(UTC)
    report = await until_known(lambda: seed.reports.GenerateReport(
        rep.GenerateReportRequest(parent=scope.tenant, brand=brand,
            start_time=stamp(now - timedelta(days=7)), end_time=stamp(now),
            format=rep.REPORT_FORMAT_CSV, request_id=f"report-{scope.marker}"),
        metadata=admin))  # fmt: skip
    scope.add("reports", report.name)
    await playbook_kinds(seed, scope, admin, brand, sub, webhook.name)


async def partnership_kinds(seed: Seeder, scope: Scope, admin: Any, brand: str) -> None:
    now = datetime.now(UTC)
    creator = await seed.partnerships.CreateCreator(
        ppb.CreateCreatorRequest(parent=scope.tenant, creator=pres.Creator(
            display_name=f"Creator {scope.shared}", topics=["coffee"],
            accounts=[pres.CreatorAccount(network="bluesky", handle=f"{scope.shared}{token_hex(3)}.creator",
                                          followers_count=20000, posts_count=10)])),
        metadata=admin,
    )  # fmt: skip
    scope.add("creators", creator.name)
    scope.add("vetting", f"{creator.name}/vetting")
    scope.add("safetyKeywords", f"{brand}/safetyKeywords")
    campaign = await until_known(lambda: seed.partnerships.CreateCampaign(
        ppb.CreateCampaignRequest(parent=scope.tenant, campaign=pres.Campaign(
            display_name=f"Campaign {scope.shared}", brief=scope.shared, brands=[brand],
            start_time=stamp(now - timedelta(days=1)), end_time=stamp(now + timedelta(days=30)),
            budget=pres.Money(amount="1000.00", currency_code="EUR"))),
        metadata=admin))  # fmt: skip
    scope.add("campaigns", campaign.name)
    scope.add("results", f"{campaign.name}/results")
    contract = await seed.partnerships.CreateContract(
        ppb.CreateContractRequest(parent=campaign.name, contract=pres.Contract(
            creator=creator.name, fee=pres.Money(amount="100.00", currency_code="EUR"),
            payment_terms=scope.shared,
            deliverables=[pres.Deliverable(network="bluesky", kind=pres.DELIVERABLE_KIND_POST,
                count=1, due_time=stamp(now + timedelta(days=10)),
                required_hashtags=[scope.shared])])),
        metadata=admin,
    )  # fmt: skip
    scope.add("contracts", contract.name)
    scope.names.setdefault("deliverables", []).extend(d.name for d in contract.deliverables)
    code = await seed.partnerships.CreateTrackingCode(
        ppb.CreateTrackingCodeRequest(parent=campaign.name, tracking_code=pres.TrackingCode(
            code=f"{scope.shared.upper()}{token_hex(3).upper()}", contract=contract.name,
            kind=pres.TRACKING_CODE_KIND_COUPON)),
        metadata=admin,
    )  # fmt: skip
    scope.add("trackingCodes", code.name)


async def submitted_post(seed: Seeder, scope: Scope, author: Any) -> str:
    """A post drafted and submitted by `author`, waiting for a manager's approval."""
    brand, account = scope.first("brands"), scope.first("socialAccounts")
    post = await seed.publisher.CreatePost(
        upb.CreatePostRequest(parent=brand, post=ures.Post(social_accounts=[account],
            variants=[ures.PostVariant(network=ures.NETWORK_BLUESKY,
                                       text=f"Waiting {scope.marker}")])),
        metadata=author,
    )  # fmt: skip
    await seed.publisher.SubmitPost(upb.SubmitPostRequest(name=post.name), metadata=author)
    return scope.add("posts", post.name)
