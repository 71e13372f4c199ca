"""The replay source: a file of texts captured once each, bad bytes replaced not fatal, and a
restart that goes on from the stored cursor without capturing anything twice."""

from pathlib import Path

from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.config import Settings
from vigie_listener.testing import LUMIERE, query, seed_brands, seed_source
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

from .test_bluesky_capture import captured, running


async def test_a_replayed_file_is_captured_once_even_across_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    recording = tmp_path / "texts.txt"
    recording.write_bytes(
        "Lumière un\n\nLumière deux\nrien à voir\n".encode() + b"Lumi\xc3\xa8re \xff trois\n"
    )
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        config: dict[str, object] = {"uri": f"file://{recording}", "speed": 100}
        await seed_source(settings.database_url, "demo", pb.SOURCE_KIND_REPLAY, config)

        async def three() -> bool:
            return len(await captured(settings.database_url)) == 3

        await eventually(three)
    with recording.open("a", encoding="utf-8") as more:
        more.write("Lumière quatre\n")
    async with running(settings, keys):

        async def four() -> bool:
            return len(await captured(settings.database_url)) >= 4

        await eventually(four)
    assert sorted(await captured(settings.database_url)) == [
        ("line-0", "lumiere"),
        ("line-2", "lumiere"),
        ("line-4", "lumiere"),
        ("line-5", "lumiere"),
    ]
