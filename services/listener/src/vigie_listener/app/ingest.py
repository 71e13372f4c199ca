"""Partner push: mentions a partner streams for its brands, idempotent by (source, external
id), within a per-minute quota.

Items are taken in batches, each committed on its own: when the quota runs out the call
stops with RESOURCE_EXHAUSTED, and what was committed before stays; pushing everything again
is harmless (already received items count as duplicates), so no good item is ever lost.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from sqlalchemy import Table
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.errors import AppError, PermissionDenied, ResourceExhausted
from vigie_runtime.principal import Principal, PrincipalKind
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import Base, KnownBrandRow, SourceRow, dialect_insert
from vigie_listener.app.capture import Capture, CaptureSource
from vigie_listener.app.common import now
from vigie_listener.app.names import BRAND, SOURCE
from vigie_listener.domain.items import Author, SourceItem

SCOPE = "mentions.ingest"
_QUOTAS = Table("partner_quotas", Base.metadata)
BATCH = 500
MAX_REFUSALS = 1000
FUTURE_TOLERANCE = timedelta(minutes=5)


class Refused(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class IngestOutcome:
    accepted: int = 0
    duplicates: int = 0
    refused: int = 0
    refusals: list[tuple[str, str, str]] = field(default_factory=list)

    def refuse(self, external_id: str, reason: str, message: str) -> None:
        self.refused += 1
        if len(self.refusals) < MAX_REFUSALS:
            self.refusals.append((external_id, reason, message))


class Ingest:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        capture: Capture,
        quota_per_minute: int,
        max_text_length: int,
    ) -> None:
        self._uow = uow
        self._capture = capture
        self._quota = quota_per_minute
        self._max_text_length = max_text_length

    async def run(
        self, who: Principal, requests: AsyncIterator[rpc.IngestMentionsRequest]
    ) -> IngestOutcome:
        if who.kind is not PrincipalKind.PARTNER:
            raise PermissionDenied("PARTNER_ONLY", "only a partner client pushes mentions")
        who.require_scope(SCOPE)
        outcome = IngestOutcome()
        batch: list[rpc.IngestMentionsRequest] = []
        async for request in requests:
            batch.append(request)
            if len(batch) >= BATCH:
                await self._batch(who, batch, outcome)
                batch = []
        if batch:
            await self._batch(who, batch, outcome)
        return outcome

    async def _batch(
        self, who: Principal, batch: list[rpc.IngestMentionsRequest], outcome: IngestOutcome
    ) -> None:
        async with self._uow() as uow:
            by_source: dict[str, list[SourceItem]] = {}
            sources: dict[str, SourceRow | Refused] = {}
            for request in batch:
                try:
                    source = await _source(uow, who, request.source, sources)
                    item = await self._item(uow, who, request)
                except Refused as refused:
                    outcome.refuse(request.external_id, refused.reason, str(refused))
                    continue
                by_source.setdefault(source.id, []).append(item)
            await self._spend(uow, who, sum(len(items) for items in by_source.values()), outcome)
            for source_id, items in by_source.items():
                where = CaptureSource(source_id, pb.SOURCE_KIND_PARTNER, who.tenant, "partner")
                result = await self._capture.capture(uow, where, items)
                outcome.accepted += len(result.stored)
                outcome.duplicates += result.duplicates
                for external_id, bad in result.refused:
                    outcome.refuse(external_id, bad.reason, str(bad))
            await uow.commit()

    async def _spend(
        self, uow: UnitOfWork, who: Principal, count: int, outcome: IngestOutcome
    ) -> None:
        minute = now().replace(second=0, microsecond=0)
        # One statement: two pushes of a new minute on two connections both count (reading the
        # row then inserting it made the second fail on the key, INTERNAL). Refused, the
        # transaction is rolled back and the count with it.
        upsert = dialect_insert(uow.session, _QUOTAS).values(
            tenant=who.tenant, partner=who.subject, minute=minute, used=count
        )
        upsert = upsert.on_conflict_do_update(
            index_elements=["tenant", "partner", "minute"], set_={"used": _QUOTAS.c.used + count}
        )
        used = (await uow.session.execute(upsert.returning(_QUOTAS.c.used))).scalar_one()
        if used > self._quota:
            raise ResourceExhausted(
                "PARTNER_QUOTA_EXCEEDED",
                f"this client may push {self._quota} mentions a minute; {outcome.accepted} "
                f"accepted and {outcome.duplicates} duplicates before the quota ran out; "
                "push the rest again after the minute (already received ones are harmless)",
                accepted=str(outcome.accepted),
            )

    async def _item(
        self, uow: UnitOfWork, who: Principal, request: rpc.IngestMentionsRequest
    ) -> SourceItem:
        mention = request.mention
        brand_id = await _brand(uow, who, mention.brand)
        if len(mention.text) > self._max_text_length:
            raise Refused("TEXT_TOO_LONG", f"at most {self._max_text_length} characters")
        published = (
            mention.publish_time.ToDatetime(tzinfo=UTC)
            if mention.HasField("publish_time")
            else now()
        )
        if published > now() + FUTURE_TOLERANCE:
            raise Refused("TIME_IN_FUTURE", "publish_time is in the future")
        author = mention.author
        return SourceItem(
            external_id=request.external_id, text=mention.text, published_at=published,
            url=mention.url, language=mention.language,
            author=Author(author.handle, author.display_name, max(author.followers_count, 0),
                          author.external_id),
            reply_to=_ref(mention.reply_to), quote_of=_ref(mention.quote_of),
            country=mention.country[:2], brand_id=brand_id,
        )  # fmt: skip


def _ref(ref: pb.MentionRef) -> tuple[str, str] | None:
    return (ref.external_id, ref.url) if ref.external_id or ref.url else None


async def _brand(uow: UnitOfWork, who: Principal, name: str) -> str:
    try:
        tenant, brand_id = BRAND.parse(name, "mention.brand")
    except AppError:
        raise Refused("BRAND_INVALID", "mention.brand must be tenants/{t}/brands/{b}") from None
    if tenant != who.tenant or name not in who.brands:
        raise Refused("BRAND_NOT_ALLOWED", f"this client may not push for {name}")
    row = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if row is None or row.deleted:
        raise Refused("BRAND_UNKNOWN", f"{name} is not a brand of this tenant")
    return brand_id


async def _source(
    uow: UnitOfWork, who: Principal, name: str, seen: dict[str, SourceRow | Refused]
) -> SourceRow:
    found = seen.get(name)
    if found is None:
        found = seen[name] = await _load_source(uow, who, name)
    if isinstance(found, Refused):
        raise found
    return found


async def _load_source(uow: UnitOfWork, who: Principal, name: str) -> SourceRow | Refused:
    try:
        _, source_id = SOURCE.parse_in_tenant(name, who.tenant, "source")
    except AppError:
        return Refused("SOURCE_NOT_FOUND", f"source {name!r} was not found")
    row = await uow.session.get(SourceRow, source_id)
    if row is None or row.tenant != who.tenant:
        return Refused("SOURCE_NOT_FOUND", f"source {name!r} was not found")
    if row.kind != pb.SOURCE_KIND_PARTNER or row.config.get("partner_client") != who.subject:
        return Refused("SOURCE_NOT_ALLOWED", f"this client may not push to {name}")
    if not row.enabled:
        return Refused("SOURCE_DISABLED", f"{name} is switched off")
    return row
