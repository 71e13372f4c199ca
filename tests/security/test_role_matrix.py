"""What a community manager, an analyst and a partner may not do in their own subsidiary (A1),
they cannot: each row is refused with a reason, PERMISSION_DENIED, or NOT_FOUND where the role
may not even see the resource (a subsidiary's member and the tenant's sources, a partner and
what is outside its brands).

From ARCHITECTURE.md §1 and §6 and the services' role checks: the community manager executes
(drafts posts, reads mentions) but does not approve, hold the queue, set listening, connect
accounts, manage people, alerts or partnerships; the analyst reads; a partner client only pushes
and reads through its scopes."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.directory.v1 import directory_pb2 as dpb
from vigie.directory.v1 import resources_pb2 as dres
from vigie.listener.v1 import inbox_pb2 as ipb
from vigie.listener.v1 import listener_pb2 as lpb
from vigie.listener.v1 import resources_pb2 as lres
from vigie.partnerships.v1 import partnerships_pb2 as ppb
from vigie.partnerships.v1 import resources_pb2 as pres
from vigie.publisher.v1 import publisher_pb2 as upb
from vigie.publisher.v1 import replies_pb2 as rpl
from vigie.publisher.v1 import resources_pb2 as ures
from vigie.reputation.v1 import reputation_pb2 as rpb
from vigie.reputation.v1 import resources_pb2 as rres
from vigie_runtime.grpc_client import bearer

from tests.security.conftest import Attacked
from tests.security.grpc_surface import Answer, Method, call, reflect
from tests.security.world import Scope, stamp

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]
Build = Callable[[Scope], Any]
CM, ANALYST, PARTNER = "cm", "analyst", "partner"
EVERYONE_BUT_MANAGERS = (CM, ANALYST, PARTNER)


def _in_a_week() -> Any:
    return stamp(datetime.now(UTC) + timedelta(days=7))


# (who, service, method, request from A1's resources)
ROWS: list[tuple[tuple[str, ...], str, str, Build]] = [
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "CreateSubsidiary", lambda a: dpb.CreateSubsidiaryRequest(
        parent=a.tenant, subsidiary=dres.Subsidiary(display_name="Spain", country="ES",
        locale="es-ES", time_zone="Europe/Madrid", data_region="local"))),
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "CreateBrand", lambda a: dpb.CreateBrandRequest(
        parent=a.tenant, brand=dres.Brand(subsidiary=a.first("subsidiaries"),
        display_name="New brand", kind=dres.BRAND_KIND_OWN))),
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "DeleteBrand",
     lambda a: dpb.DeleteBrandRequest(name=a.first("brands"))),
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "CreateMember", lambda a: dpb.CreateMemberRequest(
        parent=a.tenant, password="password-long-1", member=dres.Member(
        email="new.member@vigie.test", display_name="New", roles=[dres.RoleGrant(
        role=dres.ROLE_GROUP_ADMIN)]))),
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "CreatePartnerClient",
     lambda a: dpb.CreatePartnerClientRequest(parent=a.tenant, partner_client=dres.PartnerClient(
        display_name="Agency", brands=[a.first("brands")], scopes=["mentions.read"]))),
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "RevokePartnerClient",
     lambda a: dpb.RevokePartnerClientRequest(name=a.first("partnerClients"))),
    (EVERYONE_BUT_MANAGERS, "DirectoryService", "UpdateOrganization",
     lambda a: dpb.UpdateOrganizationRequest(organization=dres.Organization(
        name=a.tenant, display_name="Taken over"), update_mask=FieldMask(paths=["display_name"]))),
    (EVERYONE_BUT_MANAGERS, "PublisherService", "ApprovePost",
     lambda a: upb.ApprovePostRequest(name=a.names["posts"][-1], comment="ok")),
    ((ANALYST, PARTNER), "PublisherService", "SchedulePost",
     lambda a: upb.SchedulePostRequest(name=a.first("posts"), schedule_time=_in_a_week())),
    (EVERYONE_BUT_MANAGERS, "PublisherService", "HoldQueue",
     lambda a: upb.HoldQueueRequest(name=a.first("queue"), reason="drill")),
    (EVERYONE_BUT_MANAGERS, "PublisherService", "CreateSocialAccount",
     lambda a: upb.CreateSocialAccountRequest(parent=a.first("brands"),
        social_account=ures.SocialAccount(network=ures.NETWORK_BLUESKY, handle="x.bsky.test",
        time_zone="Europe/Paris", credentials=ures.SocialAccountCredentials(
        bluesky=ures.BlueskyCredentials(service_url="http://127.0.0.1:9", identifier="x",
        app_password="app-pass-word"))))),
    (EVERYONE_BUT_MANAGERS, "PublisherService", "CreateApprovalPolicy",
     lambda a: upb.CreateApprovalPolicyRequest(parent=a.tenant, approval_policy=ures.ApprovalPolicy(
        display_name="None", subsidiary=a.first("subsidiaries"),
        stages=[ures.ApprovalStage(approver_role=dres.ROLE_COMMUNITY_MANAGER)]))),
    ((ANALYST, PARTNER), "PublisherService", "CreatePost", lambda a: upb.CreatePostRequest(
        parent=a.first("brands"), post=ures.Post(social_accounts=[a.first("socialAccounts")],
        variants=[ures.PostVariant(network=ures.NETWORK_BLUESKY, text="Not mine to write")]))),
    ((ANALYST, PARTNER), "PublisherService", "DeletePost",
     lambda a: upb.DeletePostRequest(name=a.first("posts"))),
    (EVERYONE_BUT_MANAGERS, "PublisherService", "ApproveReply",
     lambda a: rpl.ApproveReplyRequest(name=a.first("replies"))),
    (EVERYONE_BUT_MANAGERS, "PublisherService", "RejectReply",
     lambda a: rpl.RejectReplyRequest(name=a.first("replies"), comment="not mine to refuse")),
    ((ANALYST, PARTNER), "PublisherService", "CreateReply", lambda a: rpl.CreateReplyRequest(
        parent=a.first("brands"), in_reply_to=a.first("mentions"), text="Not mine to answer")),
    ((ANALYST, PARTNER), "PublisherService", "CreateSavedReply",
     lambda a: rpl.CreateSavedReplyRequest(parent=a.first("brands"), saved_reply=rpl.SavedReply(
        variants=[rpl.SavedReplyVariant(language="en", text="Not mine to save")]))),
    ((ANALYST, PARTNER), "PublisherService", "DeleteSavedReply",
     lambda a: rpl.DeleteSavedReplyRequest(name=a.first("savedReplies"))),
    (EVERYONE_BUT_MANAGERS, "ListenerService", "CreateListeningQuery",
     lambda a: lpb.CreateListeningQueryRequest(parent=a.first("brands"),
        listening_query=lres.ListeningQuery(display_name="Mine", query="coffee", active=True))),
    (EVERYONE_BUT_MANAGERS, "ListenerService", "DeleteListeningQuery",
     lambda a: lpb.DeleteListeningQueryRequest(name=a.first("listeningQueries"))),
    (EVERYONE_BUT_MANAGERS, "ListenerService", "DeleteSource",
     lambda a: lpb.DeleteSourceRequest(name=a.first("sources"))),
    ((CM, ANALYST), "ListenerService", "IngestMentions",
     lambda a: lpb.IngestMentionsRequest(source=a.first("sources"), external_id="x",
        mention=lres.Mention(brand=a.first("brands"), text="pushed by a member"))),
    (EVERYONE_BUT_MANAGERS, "ReputationService", "CreateAlertRule",
     lambda a: rpb.CreateAlertRuleRequest(parent=a.tenant, alert_rule=rres.AlertRule(
        display_name="Mine", brands=[a.first("brands")], subsidiary=a.first("subsidiaries"),
        triggers=[rres.ALERT_TRIGGER_CRISIS_OPENED], webhooks=[a.first("webhooks")],
        enabled=True))),
    (EVERYONE_BUT_MANAGERS, "ReputationService", "DeleteAlertRule",
     lambda a: rpb.DeleteAlertRuleRequest(name=a.first("alertRules"))),
    (EVERYONE_BUT_MANAGERS, "ReputationService", "CreateWebhook",
     lambda a: rpb.CreateWebhookRequest(parent=a.tenant, webhook=rres.Webhook(
        display_name="Mine", url="https://example.test/mine", secret="secret-0123456789abc",
        subsidiary=a.first("subsidiaries"), enabled=True))),
    (EVERYONE_BUT_MANAGERS, "ReputationService", "DeleteWebhook",
     lambda a: rpb.DeleteWebhookRequest(name=a.first("webhooks"))),
    ((ANALYST, PARTNER), "InboxService", "AssignInboxItem",
     lambda a: ipb.AssignInboxItemRequest(name=a.first("inboxItems"), assignee="")),
    ((ANALYST, PARTNER), "InboxService", "AddInboxNote",
     lambda a: ipb.AddInboxNoteRequest(parent=a.first("inboxItems"), text="not mine to note")),
    ((ANALYST, PARTNER), "InboxService", "SetInboxItemLabels",
     lambda a: ipb.SetInboxItemLabelsRequest(name=a.first("inboxItems"), labels=["x"])),
    ((ANALYST, PARTNER), "InboxService", "SetInboxItemStatus",
     lambda a: ipb.SetInboxItemStatusRequest(name=a.first("inboxItems"),
        status=lres.INBOX_STATUS_CLOSED)),
    (EVERYONE_BUT_MANAGERS, "InboxService", "SetResponseTargets",
     lambda a: ipb.SetResponseTargetsRequest(response_targets=lres.ResponseTargets(
        name=a.first("responseTargets"), first_response_seconds=60))),
    (EVERYONE_BUT_MANAGERS, "PartnershipsService", "CreateCampaign",
     lambda a: ppb.CreateCampaignRequest(parent=a.tenant, campaign=pres.Campaign(
        display_name="Mine", brands=[a.first("brands")], start_time=stamp(datetime.now(UTC)),
        end_time=_in_a_week(), budget=pres.Money(amount="10.00", currency_code="EUR")))),
    (EVERYONE_BUT_MANAGERS, "PartnershipsService", "SignContract",
     lambda a: ppb.SignContractRequest(name=a.first("contracts"))),
    (EVERYONE_BUT_MANAGERS, "PartnershipsService", "CancelContract",
     lambda a: ppb.CancelContractRequest(name=a.first("contracts"), reason="not mine")),
    (EVERYONE_BUT_MANAGERS, "PartnershipsService", "DeleteCampaign",
     lambda a: ppb.DeleteCampaignRequest(name=a.first("campaigns"))),
]  # fmt: skip
CASES = [(who, service, method, build) for roles, service, method, build in ROWS for who in roles]


_REFLECTED: list[Method] = []  # the platform is the package's: reflect it once


async def _method(attacked: Attacked, service: str, name: str) -> Method:
    if not _REFLECTED:
        _REFLECTED.extend(await reflect(attacked.platform.targets))
    return next(m for m in _REFLECTED if m.service.endswith(f".{service}") and m.name == name)


@pytest.mark.parametrize(("who", "service", "method", "build"), CASES,
                         ids=[f"{w}-{m}" for w, _, m, _ in CASES])  # fmt: skip
async def test_a_role_cannot_do_what_it_may_not(
    attacked: Attacked, who: str, service: str, method: str, build: Build
) -> None:
    world = attacked.world
    found = await _method(attacked, service, method)
    channel = grpc.aio.insecure_channel(found.target)
    try:
        answer: Answer = await call(
            channel, found, build(world.scopes["A1"]), bearer(world.tokens[who])
        )
    finally:
        await channel.close()
    assert answer.code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND), answer
    assert answer.reason, answer
