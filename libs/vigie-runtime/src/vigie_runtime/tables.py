"""The plumbing tables every service has in its own database, declared on its metadata.

- `outbox`: events written in the business transaction, published by the relay.
- `processed_events`: the inbox; one row per (consumer, event id) applied.
- `dead_letters`: events a consumer gave up on after `max_deliver` attempts.
- `idempotent_requests`: the result of a Create whose `request_id` was already seen.
"""

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT.
SequenceInteger = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class RuntimeTables:
    outbox: Table
    processed_events: Table
    dead_letters: Table
    idempotent_requests: Table


def add_runtime_tables(metadata: MetaData) -> RuntimeTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", SequenceInteger, primary_key=True, autoincrement=True),
        Column("id", String(40), nullable=False, unique=True),
        Column("tenant", String(64), nullable=False),
        Column("subject", String(255), nullable=False),
        Column("type", String(255), nullable=False),
        Column("headers", JSON, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    )
    Index("ix_outbox_pending", outbox.c.sent_at, outbox.c.seq)
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer", String(128), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("tenant", String(64), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    dead = Table(
        "dead_letters",
        metadata,
        Column("id", String(40), primary_key=True),
        Column("consumer", String(128), nullable=False),
        Column("event_id", String(64), nullable=False),
        Column("tenant", String(64), nullable=False, index=True),
        Column("subject", String(255), nullable=False),
        Column("type", String(255), nullable=False),
        Column("headers", JSON, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("error", Text, nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("retried_at", DateTime(timezone=True), nullable=True),
    )
    requests = Table(
        "idempotent_requests",
        metadata,
        Column("tenant", String(64), primary_key=True),
        Column("request_id", String(128), primary_key=True),
        Column("method", String(128), nullable=False),
        Column("resource_name", String(512), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    return RuntimeTables(outbox, processed, dead, requests)
