"""Saved replies of a brand: written by its managers, used by its whole team."""

from collections.abc import Sequence

from sqlalchemy import select
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime import idempotency
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import SavedReplyRow
from vigie_publisher.app.accounts import own_brand, subsidiary_of
from vigie_publisher.app.common import load, now
from vigie_publisher.app.names import SAVED_REPLY
from vigie_publisher.app.views import stamp
from vigie_publisher.domain.replies import TemplateVariant, variables_of

WRITERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER, Role.COMMUNITY_MANAGER)
UPDATABLE = ("display_name", "variants", "default_language")
MAX_VARIANTS = 50
MAX_TEXT = 10_000
_CREATE = "CreateSavedReply"


def variants_of(row: SavedReplyRow) -> list[TemplateVariant]:
    return [TemplateVariant(v["language"], v["text"]) for v in row.variants]


def view(row: SavedReplyRow) -> rp.SavedReply:
    names = sorted({n for v in row.variants for n in variables_of(v["text"])})
    return rp.SavedReply(
        name=SAVED_REPLY.format(row.tenant, row.brand_id, row.id),
        display_name=row.display_name,
        variants=[
            rp.SavedReplyVariant(language=v["language"], text=v["text"]) for v in row.variants
        ],
        default_language=row.default_language,
        variables=names,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


def _checked_variants(source: Sequence[rp.SavedReplyVariant]) -> list[dict[str, str]]:
    if not source or len(source) > MAX_VARIANTS:
        raise InvalidArgument("variants", f"1 to {MAX_VARIANTS} languages", "NO_VARIANT")
    seen: set[str] = set()
    variants = []
    for i, variant in enumerate(source):
        language = variant.language.strip()
        if not language or len(language) > 35 or not language.replace("-", "").isalnum():
            raise InvalidArgument(f"variants[{i}].language", "a BCP 47 tag", "INVALID_LANGUAGE")
        if language.lower() in seen:
            raise InvalidArgument(
                f"variants[{i}].language", "once per language", "DUPLICATE_LANGUAGE"
            )
        if not variant.text.strip() or len(variant.text) > MAX_TEXT:
            raise InvalidArgument(
                f"variants[{i}].text", f"1 to {MAX_TEXT} characters", "EMPTY_TEXT"
            )
        seen.add(language.lower())
        variants.append({"language": language, "text": variant.text})
    return variants


def _default_language(variants: list[dict[str, str]], wanted: str) -> str:
    if not wanted:
        return variants[0]["language"]
    for variant in variants:
        if variant["language"].lower() == wanted.lower():
            return variant["language"]
    raise InvalidArgument(
        "default_language", "must be one of the variants' languages", "UNKNOWN_LANGUAGE"
    )


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: rp.SavedReply, request_id: str
) -> SavedReplyRow:
    brand = await own_brand(uow, who, parent, "parent")
    who.require(WRITERS, subsidiary_of(brand))
    if earlier := await idempotency.created_before(uow, who.tenant, request_id, _CREATE):
        return await get(uow, who, earlier)
    variants = _checked_variants(source.variants)
    moment = now()
    row = SavedReplyRow(
        id=new_id(),
        tenant=who.tenant,
        brand_id=brand.id,
        subsidiary_id=brand.subsidiary_id,
        display_name=source.display_name[:200],
        variants=variants,
        default_language=_default_language(variants, source.default_language),
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    await uow.session.flush()
    name = SAVED_REPLY.format(who.tenant, brand.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, _CREATE, name)
    return row


async def get(uow: UnitOfWork, who: Principal, name: str, field: str = "name") -> SavedReplyRow:
    _, brand_id, saved_id = SAVED_REPLY.parse_in_tenant(name, who.tenant, field)
    row = await load(uow, SavedReplyRow, "saved_reply", who.tenant, saved_id, name)
    if row.brand_id != brand_id:
        raise NotFound("saved_reply", name)
    who.require(READ_ROLES, subsidiary_of(row))
    return row


ORDERS = {
    "create_time": SavedReplyRow.created_at,
    "update_time": SavedReplyRow.updated_at,
    "display_name": SavedReplyRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rp.ListSavedRepliesRequest
) -> Listed[SavedReplyRow]:
    brand = await own_brand(uow, who, request.parent, "parent")
    who.require(READ_ROLES, subsidiary_of(brand))
    query = select(SavedReplyRow).where(
        SavedReplyRow.tenant == who.tenant, SavedReplyRow.brand_id == brand.id
    )
    fingerprint = ["savedReplies", who.tenant, brand.id, request.language]
    listed = await list_page(uow, query, SavedReplyRow, request, fingerprint, ORDERS)
    if not request.language:
        return listed
    # A filter on the page's rows: JSON contents are not portably queryable. The total counts
    # every saved reply of the brand in that language (a brand has few).
    total = 0
    if request.show_total_size:
        total = sum(
            _in_language(r, request.language) for r in (await uow.session.execute(query)).scalars()
        )
    rows = [r for r in listed.rows if _in_language(r, request.language)]
    return Listed(rows=rows, next_page_token=listed.next_page_token, total_size=total)


def _in_language(row: SavedReplyRow, language: str) -> bool:
    primary = language.split("-", maxsplit=1)[0].lower()
    return any(v["language"].split("-")[0].lower() == primary for v in row.variants)


async def update(
    uow: UnitOfWork, who: Principal, source: rp.SavedReply, paths: set[str]
) -> SavedReplyRow:
    row = await get(uow, who, source.name, "saved_reply.name")
    who.require(WRITERS, subsidiary_of(row))
    if source.etag:
        check_etag(source.etag, row.version)
    if "display_name" in paths:
        row.display_name = source.display_name[:200]
    if "variants" in paths:
        row.variants = _checked_variants(source.variants)
    if paths & {"variants", "default_language"}:
        wanted = source.default_language if "default_language" in paths else row.default_language
        row.default_language = _default_language(row.variants, wanted)
    row.version, row.updated_at = row.version + 1, now()
    return row


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    who.require(WRITERS, subsidiary_of(row))
    if etag:
        check_etag(etag, row.version)
    await uow.session.delete(row)
