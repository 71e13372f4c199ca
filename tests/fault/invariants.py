"""What must hold after a run, read from each service's own database, from the JetStream
streams and from the counting network: nothing lost, nothing done twice."""

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import nats
from nats.errors import TimeoutError as NatsTimeout
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie_cli.layout import SERVICES
from vigie_runtime.database import create_engine

from .platform import Platform
from .setup import Seeded
from .sink import Sink
from .workload import Workload


@dataclass
class Findings:
    lost: Counter[str] = field(default_factory=Counter)
    duplicated: Counter[str] = field(default_factory=Counter)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def violations(self) -> list[str]:
        return [f"lost {k}: {n}" for k, n in self.lost.items() if n] + [
            f"duplicated {k}: {n}" for k, n in self.duplicated.items() if n
        ]


class Reader:
    def __init__(self, platform: Platform, seeded: Seeded) -> None:
        self.engines: dict[str, AsyncEngine] = {
            s: create_engine(platform.urls[s]) for s in SERVICES
        }
        self.tenant = seeded.tenant.rsplit("/", 1)[1]
        self.seeded = seeded

    async def rows(self, service: str, sql: str, **values: Any) -> list[Any]:
        async with self.engines[service].connect() as connection:
            return list((await connection.execute(text(sql), values)).all())

    async def close(self) -> None:
        for engine in self.engines.values():
            await engine.dispose()

    async def captured(self) -> list[tuple[str, str]]:
        """(mention id, external id) of every mention the partner's source captured."""
        source = self.seeded.source.rsplit("/", 1)[1]
        found = await self.rows(
            "listener", "SELECT id, external_id FROM mentions WHERE source_id = :s", s=source
        )
        return [(r[0], r[1]) for r in found]

    async def scored(self) -> list[str]:
        brand = self.seeded.published_brand.rsplit("/", 1)[1]
        found = await self.rows(
            "reputation",
            "SELECT mention_id FROM mention_sentiments WHERE tenant = :t AND brand_id = :b",
            t=self.tenant,
            b=brand,
        )
        return [r[0] for r in found]

    async def pending_outbox(self) -> dict[str, int]:
        counts = {}
        for service in SERVICES:
            sql = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
            counts[service] = int((await self.rows(service, sql))[0][0])
        return counts

    async def publications(self) -> list[Any]:
        """(id, post id, brand id, state, network, account id, variant) of each publication."""
        return await self.rows(
            "publisher",
            "SELECT id, post_id, brand_id, state, network, account_id, variant "
            "FROM publications WHERE tenant = :t",
            t=self.tenant,
        )


async def drain(reader: Reader, workload: Workload, seconds: float) -> float:
    """Waits until the pipeline has caught up with the workload; the seconds it took."""
    started = time.monotonic()
    published = workload.seeded.published_brand.rsplit("/", 1)[1]
    while time.monotonic() - started < seconds:
        try:
            captured, scored = await reader.captured(), await reader.scored()
            pending = await reader.pending_outbox()
            waiting = [
                p for p in await reader.publications() if p[2] == published and p[3] != "published"
            ]
        except Exception:  # a database still recovering from the last fault
            await asyncio.sleep(1.0)
            continue
        caught_up = len(captured) >= len(workload.accepted) and len(scored) >= len(captured)
        if caught_up and not any(pending.values()) and not waiting:
            break
        await asyncio.sleep(1.0)
    return round(time.monotonic() - started, 2)


async def check(
    platform: Platform, seeded: Seeded, workload: Workload, sink: Sink, reader: Reader
) -> Findings:
    findings = Findings()
    captured = await reader.captured()
    await _mentions(findings, workload, captured, await reader.scored())
    await _measures(findings, reader, len(workload.accepted))
    await _streams(findings, platform.nats_url, reader.tenant, {m for m, _ in captured})
    await _outbox_and_inboxes(findings, reader)
    await _network(findings, reader, seeded, workload, sink)
    return findings


async def _mentions(
    findings: Findings, workload: Workload, captured: list[tuple[str, str]], scored: list[str]
) -> None:
    per_id = Counter(external for _, external in captured)
    findings.lost["captured mentions"] = len(workload.accepted - set(per_id))
    findings.duplicated["captured mentions"] = sum(n - 1 for n in per_id.values())
    mention_ids = {m for m, _ in captured}
    per_mention = Counter(scored)
    findings.lost["scored mentions"] = len(mention_ids - set(per_mention))
    findings.duplicated["scored mentions"] = sum(n - 1 for n in per_mention.values())
    findings.details["mentions"] = {
        "ingested": len(workload.accepted),
        "captured": len(per_id),
        "scored": len(per_mention),
        "refused": len(workload.refusals),
    }


async def _measures(findings: Findings, reader: Reader, expected: int) -> None:
    """Every measure dimension counts each mention once: its volumes sum to the ingested."""
    brand = reader.seeded.published_brand.rsplit("/", 1)[1]
    sums = await reader.rows(
        "reputation",
        "SELECT dimension, sum(volume) FROM measure_buckets WHERE tenant = :t AND brand_id = :b "
        "GROUP BY dimension",
        t=reader.tenant,
        b=brand,
    )
    counted = {dimension: int(total) for dimension, total in sums}
    findings.details["measure_volumes"] = counted
    for dimension in ("none", "language", "country", "source", "subsidiary"):
        total = counted.get(dimension, 0)
        findings.lost[f"measure {dimension}"] = max(0, expected - total)
        findings.duplicated[f"measure {dimension}"] = max(0, total - expected)


async def _streams(findings: Findings, url: str, tenant: str, mention_ids: set[str]) -> None:
    """On the streams, each captured mention has one `mention.captured` and one
    `mention.scored` event (ids counted: a copy under the same id is JetStream's to drop)."""
    captured = await _events(url, f"vigie.listener.{tenant}.mention.captured.v1")
    scored = await _events(url, f"vigie.reputation.{tenant}.mention.scored.v1")
    by_kind = {
        "captured events": Counter(
            listener_events.MentionCaptured.FromString(p).mention.name.rsplit("/", 1)[1]
            for p in captured.values()
        ),
        "scored events": Counter(
            reputation_events.MentionScored.FromString(p).sentiment.mention.rsplit("/", 1)[1]
            for p in scored.values()
        ),
    }
    for kind, per_mention in by_kind.items():
        findings.lost[kind] = len(mention_ids - set(per_mention))
        findings.duplicated[kind] = sum(n - 1 for n in per_mention.values())


async def _events(url: str, subject: str) -> dict[str, bytes]:
    client = await nats.connect(url)
    events: dict[str, bytes] = {}
    try:
        subscription = await client.jetstream().subscribe(subject, ordered_consumer=True)
        while True:
            try:
                message = await subscription.next_msg(timeout=2.0)
            except (TimeoutError, NatsTimeout):
                return events
            events[(message.headers or {})["ce-id"]] = message.data
    finally:
        await client.close()


async def _outbox_and_inboxes(findings: Findings, reader: Reader) -> None:
    pending = await reader.pending_outbox()
    findings.lost["outbox rows not delivered"] = sum(pending.values())
    for service in SERVICES:
        doubled = await reader.rows(
            service,
            "SELECT consumer, event_id FROM processed_events GROUP BY consumer, event_id "
            "HAVING count(*) > 1",
        )
        findings.duplicated[f"{service} inbox rows"] = len(doubled)
        dead = await reader.rows(service, "SELECT consumer, error FROM dead_letters")
        findings.lost[f"{service} dead-lettered events"] = len(dead)
        if dead:
            findings.details[f"{service}_dead_letters"] = [list(d) for d in dead[:5]]
    findings.details["outbox_pending"] = pending


async def _network(
    findings: Findings, reader: Reader, seeded: Seeded, workload: Workload, sink: Sink
) -> None:
    publications = await reader.publications()
    per_account = Counter((p[1], p[5]) for p in publications)
    published = seeded.published_brand.rsplit("/", 1)[1]
    on_sink = {p: len(keys) for p, keys in sink.by_publication.items()}
    on_pds = await _pds_posts(seeded)
    due = [p for p in publications if p[2] == published]
    held = [p for p in publications if p[2] != published]

    def copies(publication: Any) -> int:
        """How many times the publication is on its network."""
        if publication[4] == "bluesky":
            return on_pds.get(_text(publication[6]), 0)
        return on_sink.get(publication[0], 0)

    findings.lost["posts not scheduled"] = len(workload.posts) - len({p[1] for p in publications})
    findings.duplicated["publications per post and account"] = sum(
        n - 1 for n in per_account.values()
    )
    findings.lost["due posts not on the network"] = sum(1 for p in due if copies(p) == 0)
    findings.duplicated["due posts on the network"] = sum(max(0, copies(p) - 1) for p in due)
    findings.duplicated["held brand's posts published"] = sum(
        1 for p in held if copies(p) or p[3] == "published"
    )
    findings.details["posts"] = {
        "scheduled": len(workload.posts),
        "due_on_published_brand": len(due),
        "due_on_bluesky": sum(1 for p in due if p[4] == "bluesky"),
        "held_brand": len(held),
        "on_sink": len(on_sink),
        "on_pds": sum(on_pds.values()),
        "sink_calls": sum(sink.calls.values()),
        "sink_keys_called_twice": sum(1 for n in sink.calls.values() if n > 1),
    }


def _text(variant: Any) -> str:
    parsed = json.loads(variant) if isinstance(variant, str) else variant
    return str(parsed["parts"][0]["text"])


async def _pds_posts(seeded: Seeded) -> Counter[str]:
    """The records on the PDS, counted by text (each post's text is unique)."""
    texts: Counter[str] = Counter()
    if seeded.bluesky is None or seeded.pds_url is None:
        return texts
    cursor = ""
    async with httpx.AsyncClient(timeout=15) as client:
        while True:
            params: dict[str, str | int] = {
                "repo": seeded.bluesky[1],
                "collection": "app.bsky.feed.post",
                "limit": 100,
            }
            if cursor:
                params["cursor"] = cursor
            answer = await client.get(
                f"{seeded.pds_url}/xrpc/com.atproto.repo.listRecords", params=params
            )
            answer.raise_for_status()
            body = answer.json()
            texts.update(str(r["value"]["text"]) for r in body["records"])
            cursor = body.get("cursor", "")
            if not cursor or not body["records"]:
                return texts
