"""Which service reads an object back from its global id: one entry per resource-name pattern.

A pattern is the name's collection words (`tenants/{t}/brands/{b}` is `tenants, brands`); the
entry names the owning service's Get method and how its message becomes the GraphQL object.
Objects without a Get method (webhook deliveries) are not listed: `node` answers NOT_FOUND
for them.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from vigie.directory.v1 import directory_pb2 as directory
from vigie.listener.v1 import inbox_pb2 as inbox
from vigie.listener.v1 import listener_pb2 as listener
from vigie.partnerships.v1 import partnerships_pb2 as partnerships
from vigie.publisher.v1 import publisher_pb2 as publisher
from vigie.publisher.v1 import replies_pb2 as replies
from vigie.reputation.v1 import crisis_response_pb2 as crisis_response
from vigie.reputation.v1 import reports_pb2 as reports
from vigie.reputation.v1 import reports_pb2_grpc
from vigie.reputation.v1 import reputation_pb2 as reputation

from vigie_gateway.context import Context
from vigie_gateway.schema.directory_types import Brand, Member, Organization, Subsidiary
from vigie_gateway.schema.listener_inbox import inbox_stub
from vigie_gateway.schema.listener_inbox_types import InboxItem
from vigie_gateway.schema.listener_sources_types import Source
from vigie_gateway.schema.listener_types import ListeningQuery, Mention
from vigie_gateway.schema.partnerships_reference import FxRate
from vigie_gateway.schema.partnerships_tracking import Conversion, TrackingCode
from vigie_gateway.schema.partnerships_types import Campaign, Contract, Creator, Deliverable
from vigie_gateway.schema.publisher_policies import ApprovalPolicy
from vigie_gateway.schema.publisher_presence import TrackedAccount
from vigie_gateway.schema.publisher_replies_types import Reply, SavedReply
from vigie_gateway.schema.publisher_types import Post, Publication, Queue, SocialAccount
from vigie_gateway.schema.reputation_alerts import AlertRule
from vigie_gateway.schema.reputation_crisis_response import crisis_stub
from vigie_gateway.schema.reputation_crisis_response_types import CrisisRoom, Playbook
from vigie_gateway.schema.reputation_reports import Report, ReportSchedule
from vigie_gateway.schema.reputation_types import Crisis, MentionSentiment, Webhook

Rpc = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class NodeKind:
    collections: tuple[str, ...]
    method: Callable[[Context], Rpc]
    request: Callable[..., Any]
    convert: Callable[[Any], object]


def _reports(ctx: Context) -> reports_pb2_grpc.ReportServiceStub:
    return reports_pb2_grpc.ReportServiceStub(ctx.clients.channels["reputation"])


def _kinds() -> list[NodeKind]:
    d, li, pa, pu, re = "directory", "listener", "partnerships", "publisher", "reputation"

    def on(service: str, method: str) -> Callable[[Context], Rpc]:
        return lambda ctx: getattr(getattr(ctx.clients, service), method)

    return [
        NodeKind(
            ("tenants",),
            on(d, "GetOrganization"),
            directory.GetOrganizationRequest,
            Organization.of,
        ),
        NodeKind(
            ("tenants", "subsidiaries"),
            on(d, "GetSubsidiary"),
            directory.GetSubsidiaryRequest,
            Subsidiary.of,
        ),
        NodeKind(("tenants", "brands"), on(d, "GetBrand"), directory.GetBrandRequest, Brand.of),
        NodeKind(("tenants", "members"), on(d, "GetMember"), directory.GetMemberRequest, Member.of),
        NodeKind(
            ("tenants", "brands", "listeningQueries"),
            on(li, "GetListeningQuery"),
            listener.GetListeningQueryRequest,
            ListeningQuery.of,
        ),
        NodeKind(
            ("tenants", "brands", "mentions"),
            on(li, "GetMention"),
            listener.GetMentionRequest,
            Mention.of,
        ),
        NodeKind(("tenants", "sources"), on(li, "GetSource"), listener.GetSourceRequest, Source.of),
        NodeKind(
            ("tenants", "brands", "inboxItems"),
            lambda ctx: inbox_stub(ctx).GetInboxItem,
            inbox.GetInboxItemRequest,
            InboxItem.of,
        ),
        NodeKind(
            ("tenants", "brands", "mentions", "sentiment"),
            on(re, "GetMentionSentiment"),
            reputation.GetMentionSentimentRequest,
            MentionSentiment.of,
        ),
        NodeKind(
            ("tenants", "brands", "crises"),
            on(re, "GetCrisis"),
            reputation.GetCrisisRequest,
            Crisis.of,
        ),
        NodeKind(
            ("tenants", "brands", "crises", "room"),
            lambda ctx: crisis_stub(ctx).GetCrisisRoom,
            crisis_response.GetCrisisRoomRequest,
            CrisisRoom.of,
        ),
        *(
            NodeKind(
                (parent, scope, "playbooks"),
                lambda ctx: crisis_stub(ctx).GetPlaybook,
                crisis_response.GetPlaybookRequest,
                Playbook.of,
            )
            for parent, scope in (("tenants", "brands"), ("tenants", "subsidiaries"))
        ),
        NodeKind(
            ("tenants", "alertRules"),
            on(re, "GetAlertRule"),
            reputation.GetAlertRuleRequest,
            AlertRule.of,
        ),
        NodeKind(
            ("tenants", "webhooks"), on(re, "GetWebhook"), reputation.GetWebhookRequest, Webhook.of
        ),
        NodeKind(
            ("tenants", "reports"),
            lambda ctx: _reports(ctx).GetReport,
            reports.GetReportRequest,
            Report.of,
        ),
        NodeKind(
            ("tenants", "reportSchedules"),
            lambda ctx: _reports(ctx).GetReportSchedule,
            reports.GetReportScheduleRequest,
            ReportSchedule.of,
        ),
        NodeKind(
            ("tenants", "creators"),
            on(pa, "GetCreator"),
            partnerships.GetCreatorRequest,
            Creator.of,
        ),
        NodeKind(
            ("tenants", "campaigns"),
            on(pa, "GetCampaign"),
            partnerships.GetCampaignRequest,
            Campaign.of,
        ),
        NodeKind(
            ("tenants", "campaigns", "contracts"),
            on(pa, "GetContract"),
            partnerships.GetContractRequest,
            Contract.of,
        ),
        NodeKind(
            ("tenants", "campaigns", "trackingCodes"),
            on(pa, "GetTrackingCode"),
            partnerships.GetTrackingCodeRequest,
            TrackingCode.of,
        ),
        NodeKind(
            ("tenants", "campaigns", "contracts", "deliverables"),
            on(pa, "GetDeliverable"),
            partnerships.GetDeliverableRequest,
            Deliverable.of,
        ),
        NodeKind(
            ("tenants", "campaigns", "conversions"),
            on(pa, "GetConversion"),
            partnerships.GetConversionRequest,
            Conversion.of,
        ),
        NodeKind(
            ("tenants", "fxRates"), on(pa, "GetFxRate"), partnerships.GetFxRateRequest, FxRate.of
        ),
        NodeKind(
            ("tenants", "brands", "socialAccounts"),
            on(pu, "GetSocialAccount"),
            publisher.GetSocialAccountRequest,
            SocialAccount.of,
        ),
        NodeKind(
            ("tenants", "brands", "posts"), on(pu, "GetPost"), publisher.GetPostRequest, Post.of
        ),
        NodeKind(
            ("tenants", "brands", "posts", "publications"),
            on(pu, "GetPublication"),
            publisher.GetPublicationRequest,
            Publication.of,
        ),
        NodeKind(
            ("tenants", "brands", "queue"), on(pu, "GetQueue"), publisher.GetQueueRequest, Queue.of
        ),
        NodeKind(
            ("tenants", "approvalPolicies"),
            on(pu, "GetApprovalPolicy"),
            publisher.GetApprovalPolicyRequest,
            ApprovalPolicy.of,
        ),
        NodeKind(
            ("tenants", "brands", "trackedAccounts"),
            on(pu, "GetTrackedAccount"),
            publisher.GetTrackedAccountRequest,
            TrackedAccount.of,
        ),
        NodeKind(
            ("tenants", "brands", "savedReplies"),
            on(pu, "GetSavedReply"),
            replies.GetSavedReplyRequest,
            SavedReply.of,
        ),
        NodeKind(
            ("tenants", "brands", "replies"),
            on(pu, "GetReply"),
            replies.GetReplyRequest,
            Reply.of,
        ),
    ]


KINDS: dict[tuple[str, ...], NodeKind] = {kind.collections: kind for kind in _kinds()}


def collections_of(name: str) -> tuple[str, ...] | None:
    """`tenants/a/brands/b/queue` -> (tenants, brands, queue); None when the name is malformed."""
    parts = name.split("/")
    words = tuple(parts[0::2])
    ids = parts[1::2]
    if not parts[0] or any(not part for part in ids) or any(not w for w in words):
        return None
    return words
