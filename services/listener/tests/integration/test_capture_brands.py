"""Capture keeps the live brands in memory: a brand created is served from its first item, a
brand deleted stops receiving mentions once the replica says so."""

from datetime import UTC, datetime

from sqlalchemy import update
from vigie_listener.adapters.orm import KnownBrandRow
from vigie_listener.testing import FIREHOSE, LUMIERE, TENANT, Listener, Pipeline, post, query
from vigie_runtime.testing.waiting import eventually


async def replica_changed(pipeline: Pipeline, brand_id: str, **values: object) -> None:
    """What the directory's brand events do to the replica."""
    async with pipeline.plumbing.uow() as uow:
        await uow.session.execute(
            update(KnownBrandRow)
            .where(KnownBrandRow.tenant == TENANT, KnownBrandRow.id == brand_id)
            .values(updated_at=datetime.now(UTC), **values)
        )
        await uow.commit()


async def test_a_deleted_brand_stops_receiving_mentions(
    listener: Listener, pipeline: Pipeline
) -> None:
    await query(listener, LUMIERE, "lumiere")
    assert len((await pipeline.run(FIREHOSE, [post("at://1", "Lumière")])).stored) == 1
    await replica_changed(pipeline, "lumiere", deleted=True)
    attempts = 0

    async def refused() -> bool:
        nonlocal attempts
        attempts += 1
        item = post(f"at://later/{attempts}", "Lumière again")
        return not (await pipeline.run(FIREHOSE, [item])).stored

    await eventually(refused, seconds=15)


async def test_a_brand_seen_for_the_first_time_receives_its_first_mention(
    listener: Listener, pipeline: Pipeline
) -> None:
    await query(listener, LUMIERE, "lumiere")
    assert len((await pipeline.run(FIREHOSE, [post("at://1", "Lumière")])).stored) == 1
    # Replicated late with an old update time: no refresh by watermark would bring it.
    async with pipeline.plumbing.uow() as uow:
        uow.session.add(
            KnownBrandRow(
                tenant=TENANT, id="newcomer", subsidiary_id="france", display_name="Newcomer",
                kind="own", aliases=[], competitors=[], deleted=False,
                updated_at=datetime(2020, 1, 1, tzinfo=UTC),
            )
        )  # fmt: skip
        await uow.commit()
    await query(listener, f"tenants/{TENANT}/brands/newcomer", "newcomer")
    result = await pipeline.run(FIREHOSE, [post("at://2", "Newcomer opens")])
    assert [m.brand_id for m in result.stored] == ["newcomer"]
