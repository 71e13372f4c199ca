"""The reputation keeps the directory's subsidiaries (their time zone and locale decide how its
measures and reports read) from the directory's events: once per event, the newest fact wins."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from nats.js import JetStreamContext
from sqlalchemy import select
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as directory
from vigie_directory_replica.subsidiaries import SUBSIDIARY_CREATED, SUBSIDIARY_UPDATED
from vigie_reputation.adapters.orm import KnownSubsidiaryRow
from vigie_reputation.bootstrap import build
from vigie_reputation.config import Settings
from vigie_runtime.database import create_engine
from vigie_runtime.events import EventType, M, cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

TENANT = "t_acme"


@pytest.fixture
async def directory_stream(nats_url: str) -> AsyncIterator[JetStreamContext]:
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    await ensure_stream(js, "directory")
    try:
        yield js
    finally:
        await connection.close()


def subsidiary(sub_id: str, zone: str, locale: str, day: int) -> directory.Subsidiary:
    stamp = Timestamp()
    stamp.FromDatetime(datetime(2026, 1, day, 9, 30, tzinfo=UTC))
    return directory.Subsidiary(
        name=f"tenants/{TENANT}/subsidiaries/{sub_id}",
        display_name=sub_id.capitalize(),
        country="BR" if zone.startswith("America") else "FR",
        locale=locale,
        time_zone=zone,
        data_region="eu",
        update_time=stamp,
    )


async def publish(
    js: JetStreamContext, event_type: EventType[M], message: M, event_id: str
) -> None:
    headers = cloudevent_headers(
        event_id, event_type.ce_type, "directory", TENANT, datetime.now(UTC)
    )
    await js.publish(event_type.subject(TENANT), message.SerializeToString(), headers=headers)


async def row_of(database_url: str, sub_id: str) -> Any:
    engine = create_engine(database_url)
    query = select(KnownSubsidiaryRow).where(
        KnownSubsidiaryRow.tenant == TENANT, KnownSubsidiaryRow.id == sub_id
    )
    try:
        async with engine.connect() as connection:
            return (await connection.execute(query)).first()
    finally:
        await engine.dispose()


async def test_the_newest_fact_about_a_subsidiary_wins_whatever_the_order(
    database_url: str, tmp_path: Path, nats_url: str, directory_stream: JetStreamContext
) -> None:
    settings = Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        platform=PlatformSettings(
            jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
        ),
    )
    created = subsidiary("brasil", "America/Sao_Paulo", "pt-BR", day=5)
    moved = subsidiary("brasil", "America/Recife", "pt-BR", day=7)
    stale = subsidiary("brasil", "Europe/Lisbon", "pt-PT", day=6)
    async with serving(build(settings), mode="worker"):
        await publish(
            directory_stream,
            SUBSIDIARY_CREATED,
            events_pb2.SubsidiaryChanged(subsidiary=created),
            "ev-1",
        )
        await publish(
            directory_stream,
            SUBSIDIARY_UPDATED,
            events_pb2.SubsidiaryChanged(subsidiary=moved),
            "ev-2",
        )
        await publish(
            directory_stream,
            SUBSIDIARY_UPDATED,
            events_pb2.SubsidiaryChanged(subsidiary=stale),
            "ev-3",
        )
        last = subsidiary("france", "Europe/Paris", "fr-FR", day=5)
        await publish(
            directory_stream,
            SUBSIDIARY_CREATED,
            events_pb2.SubsidiaryChanged(subsidiary=last),
            "ev-4",
        )

        async def france_arrived() -> bool:
            return await row_of(database_url, "france") is not None

        await eventually(france_arrived)
    row = await row_of(database_url, "brasil")
    assert (row.time_zone, row.locale, row.country) == ("America/Recife", "pt-BR", "BR")
    france = await row_of(database_url, "france")
    assert (france.time_zone, france.locale, france.data_region) == ("Europe/Paris", "fr-FR", "eu")
