"""The partnerships' reference data through GraphQL: each brand's unsafe keywords (read by
vetting) and the dated FX rates results convert with. PartnershipsQuery and
PartnershipsMutation inherit these fields."""

from datetime import date, datetime
from typing import Annotated

import strawberry
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    Node,
    connection,
    list_options,
    moment,
    page_request,
    total,
)
from vigie_gateway.schema.partnerships_orders import FxRateOrderBy
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]
SUFFIX = "/safetyKeywords"


@strawberry.type(description="The words that make a creator unsafe for one brand.")
class BrandSafetyKeywords:
    brand_id: strawberry.ID = strawberry.field(description="The brand's global id.")
    keywords: list[str] = strawberry.field(description="Lower-cased words or phrases.")
    defaults: bool = strawberry.field(description="True when the brand has no list of its own.")
    etag: str = strawberry.field(description="Send it back to refuse a concurrent change.")
    update_time: datetime | None = strawberry.field(description="Output only.")

    @classmethod
    def of(cls, k: pb.BrandSafetyKeywords) -> "BrandSafetyKeywords":
        updated = moment(k.update_time) if k.HasField("update_time") else None
        return cls(
            brand_id=strawberry.ID(k.name.removesuffix(SUFFIX)), keywords=list(k.keywords),
            defaults=k.defaults, etag=k.etag, update_time=updated,
        )  # fmt: skip


@strawberry.type(description="What one unit of a currency was worth in another, from a day on.")
class FxRate(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/fxRates/{base}-{quote}-{yyyy-mm-dd}, e.g. "
        '"EUR-USD-2026-12-01"..'
    )
    base_currency: str = strawberry.field(description='ISO 4217, e.g. "EUR".')
    quote_currency: str = strawberry.field(description="ISO 4217 currency the rate converts into.")
    rate: str = strawberry.field(description='A decimal string, e.g. "1.0845" (never a float).')
    effective_date: date = strawberry.field(
        description='The first day (UTC, "YYYY-MM-DD") it applies; it holds until the next dated '
        "rate."
    )

    @classmethod
    def of(cls, r: pb.FxRate) -> "FxRate":
        return cls(
            id=strawberry.ID(r.name), base_currency=r.base_currency,
            quote_currency=r.quote_currency, rate=r.rate,
            effective_date=date.fromisoformat(r.effective_date),
        )  # fmt: skip


@strawberry.input(description="A rate to store; the same pair and day again replaces it.")
class FxRateInput:
    base_currency: str = strawberry.field(description='ISO 4217, e.g. "EUR".')
    quote_currency: str = strawberry.field(description="ISO 4217 currency the rate converts into.")
    rate: str = strawberry.field(
        description='A positive decimal string, e.g. "1.0845": never a float.'
    )
    effective_date: date = strawberry.field(
        description='The first day (UTC, "YYYY-MM-DD") it applies; it holds until the next dated '
        "rate."
    )


@strawberry.input(description="Which FX rates to list.")
class FxRateFilter:
    base_currency: str = strawberry.field(
        default="", description="Only rates from this ISO 4217 currency."
    )
    quote_currency: str = strawberry.field(
        default="", description="Only rates into this ISO 4217 currency."
    )


@strawberry.type
class PartnershipsReferenceQuery:
    @strawberry.field(description="A brand's unsafe keywords (the defaults when it has none).")
    async def brand_safety_keywords(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
    ) -> BrandSafetyKeywords:
        ctx = info.context
        request = rpc.GetBrandSafetyKeywordsRequest(name=f"{brand_id}{SUFFIX}")
        answer = await ctx.call(ctx.clients.partnerships.GetBrandSafetyKeywords, request)
        return BrandSafetyKeywords.of(answer)

    @strawberry.field(description="The stored FX rates, by pair and day.")
    async def fx_rates(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            FxRateFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: FxRateOrderBy = None,
    ) -> Connection[FxRate]:
        given = filter or FxRateFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListFxRatesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            base_currency=given.base_currency, quote_currency=given.quote_currency,
            **list_options(info, order_by),
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.partnerships.ListFxRates, request)
        return connection(
            [FxRate.of(r) for r in answer.fx_rates],
            answer.next_page_token,
            page,
            total(info, answer),
        )


@strawberry.input(description="What `setBrandSafetyKeywords` needs.")
class SetBrandSafetyKeywordsInput:
    brand_id: strawberry.ID = strawberry.field(description="The brand's global id.")
    keywords: list[str] = strawberry.field(
        description="Lower-cased words or phrases, 1 to 100 characters each, at most 200."
    )
    etag: str = strawberry.field(
        default="", description="Output only; send it back on update to refuse a concurrent change."
    )


@strawberry.input(description="What `resetBrandSafetyKeywords` needs.")
class ResetBrandSafetyKeywordsInput:
    brand_id: strawberry.ID = strawberry.field(description="The brand's global id.")
    etag: str = strawberry.field(
        default="", description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )


@strawberry.type
class PartnershipsReferenceMutation:
    @payload_mutation(
        brand_safety_keywords=BrandSafetyKeywords, description="Replaces a brand's unsafe keywords."
    )
    async def set_brand_safety_keywords(
        self, info: Info, input: SetBrandSafetyKeywordsInput
    ) -> BrandSafetyKeywords:
        ctx = info.context
        given = pb.BrandSafetyKeywords(
            name=f"{input.brand_id}{SUFFIX}", keywords=input.keywords, etag=input.etag or ""
        )
        request = rpc.UpdateBrandSafetyKeywordsRequest(brand_safety_keywords=given)
        answer = await ctx.call(ctx.clients.partnerships.UpdateBrandSafetyKeywords, request)
        return BrandSafetyKeywords.of(answer)

    @payload_mutation(
        brand_safety_keywords=BrandSafetyKeywords,
        description="Drops a brand's own keywords: the defaults apply again.",
    )
    async def reset_brand_safety_keywords(
        self, info: Info, input: ResetBrandSafetyKeywordsInput
    ) -> BrandSafetyKeywords:
        ctx = info.context
        name = f"{input.brand_id}{SUFFIX}"
        request = rpc.DeleteBrandSafetyKeywordsRequest(name=name, etag=input.etag or "")
        await ctx.call(ctx.clients.partnerships.DeleteBrandSafetyKeywords, request)
        read = rpc.GetBrandSafetyKeywordsRequest(name=name)
        return BrandSafetyKeywords.of(
            await ctx.call(ctx.clients.partnerships.GetBrandSafetyKeywords, read)
        )

    @payload_mutation(fx_rate=FxRate, description="Stores an FX rate from a day on.")
    async def set_fx_rate(self, info: Info, input: FxRateInput) -> FxRate:
        ctx = info.context
        rate = pb.FxRate(
            base_currency=input.base_currency, quote_currency=input.quote_currency,
            rate=input.rate, effective_date=input.effective_date.isoformat(),
        )  # fmt: skip
        request = rpc.SetFxRateRequest(parent=ctx.tenant_name, fx_rate=rate)
        return FxRate.of(await ctx.call(ctx.clients.partnerships.SetFxRate, request))
