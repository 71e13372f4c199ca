"""Brand safety keyword lists and FX rates over gRPC: the tenant's reference data that vetting
and results read."""

from google.protobuf.empty_pb2 import Empty
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_partnerships.adapters.orm import FxRateRow
from vigie_partnerships.app import brand_safety, fx_rates, single_reads
from vigie_partnerships.app.brand_safety import KeywordList
from vigie_partnerships.app.names import FX_RATE, safety_keywords_name
from vigie_partnerships.app.views import stamp
from vigie_partnerships.entrypoints.grpc.base import Base, Context


def keyword_list(found: KeywordList) -> pb.BrandSafetyKeywords:
    message = pb.BrandSafetyKeywords(
        name=safety_keywords_name(found.tenant, found.brand_id),
        keywords=list(found.keywords),
        defaults=found.defaults,
        etag=str(found.version),
    )
    if found.updated_at is not None:
        message.update_time.CopyFrom(stamp(found.updated_at))
    return message


def fx_rate(row: FxRateRow) -> pb.FxRate:
    return pb.FxRate(
        name=FX_RATE.format(row.tenant, row.id),
        base_currency=row.base,
        quote_currency=row.quote,
        rate=row.rate,
        effective_date=row.effective_date.isoformat(),
        update_time=stamp(row.updated_at),
    )


class ReferenceMethods(Base):
    async def GetBrandSafetyKeywords(
        self, request: rpc.GetBrandSafetyKeywordsRequest, context: Context
    ) -> pb.BrandSafetyKeywords:
        who = current_principal()
        return keyword_list(await self._read(lambda u: brand_safety.get(u, who, request.name)))

    async def ListBrandSafetyKeywords(
        self, request: rpc.ListBrandSafetyKeywordsRequest, context: Context
    ) -> rpc.ListBrandSafetyKeywordsResponse:
        who = current_principal()
        found, token = await self._read(
            lambda u: brand_safety.list_(
                u, who, request.parent, request.page_size, request.page_token
            )
        )
        return rpc.ListBrandSafetyKeywordsResponse(
            brand_safety_keywords=[keyword_list(f) for f in found], next_page_token=token
        )

    async def UpdateBrandSafetyKeywords(
        self, request: rpc.UpdateBrandSafetyKeywordsRequest, context: Context
    ) -> pb.BrandSafetyKeywords:
        who = current_principal()
        given = request.brand_safety_keywords
        found = await self._write(
            lambda u: brand_safety.update(u, who, given.name, list(given.keywords), given.etag)
        )
        return keyword_list(found)

    async def DeleteBrandSafetyKeywords(
        self, request: rpc.DeleteBrandSafetyKeywordsRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: brand_safety.delete(u, who, request.name, request.etag))
        return Empty()

    async def SetFxRate(self, request: rpc.SetFxRateRequest, context: Context) -> pb.FxRate:
        who = current_principal()
        row = await self._write(
            lambda u: fx_rates.set_rate(u, who, request.parent, request.fx_rate)
        )
        return fx_rate(row)

    async def GetFxRate(self, request: rpc.GetFxRateRequest, context: Context) -> pb.FxRate:
        who = current_principal()
        return fx_rate(await self._read(lambda u: single_reads.get_fx_rate(u, who, request.name)))

    async def ListFxRates(
        self, request: rpc.ListFxRatesRequest, context: Context
    ) -> rpc.ListFxRatesResponse:
        who = current_principal()
        pair = (request.base_currency, request.quote_currency)
        listed = await self._read(lambda u: fx_rates.list_(u, who, request.parent, *pair, request))
        return rpc.ListFxRatesResponse(
            fx_rates=[fx_rate(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )
