"""Migration 0006 moves a crisis statement out of a post's author into `posts.statement`, gives
the post its approving manager as author (from its "approved" audit entry), leaves ordinary
posts alone, and from then on keeps one post per statement (SQLite or PostgreSQL)."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import pool, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from vigie_runtime.migrations import upgrade

SCRIPTS = "vigie_publisher:migrations"
STATEMENT = "tenants/t1/brands/b1/crises/c1/statements/s1"
BOSS = "tenants/t1/members/boss"
WRITER = "tenants/t1/members/writer"
POST = (
    "INSERT INTO posts (id, tenant, brand_id, subsidiary_id, author, status, variants,"
    " account_ids, stages, stage_index, version, created_at, updated_at)"
    " VALUES (:id, 't1', 'b1', 'fr', :author, 'scheduled', '[]', '[]', '[]', 0, 1, :at, :at)"
)
WITH_STATEMENT = POST.replace("updated_at)", "updated_at, statement)").replace(
    ":at, :at)", ":at, :at, :statement)"
)
APPROVED = (
    "INSERT INTO audit_entries (id, tenant, subject, action, actor, comment, stage, at)"
    " VALUES ('a1', 't1', 'tenants/t1/brands/b1/posts/p_statement', 'approved', :actor,"
    " :comment, 0, :at)"
)


def _engine(url: str) -> AsyncEngine:
    return create_async_engine(url, poolclass=pool.NullPool)


async def test_statement_posts_are_backfilled_and_kept_to_one_per_statement(
    database_url: str,
) -> None:
    await asyncio.to_thread(upgrade, SCRIPTS, database_url, "0005")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    engine = _engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(POST), {"id": "p_statement", "author": STATEMENT, "at": at}
            )
            await connection.execute(text(POST), {"id": "p_plain", "author": WRITER, "at": at})
            comment = f"crisis statement {STATEMENT}"
            await connection.execute(text(APPROVED), {"actor": BOSS, "comment": comment, "at": at})
        await asyncio.to_thread(upgrade, SCRIPTS, database_url)
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT id, author, statement FROM posts ORDER BY id")
            )
            assert [tuple(r) for r in rows] == [
                ("p_plain", WRITER, ""),
                ("p_statement", BOSS, STATEMENT),
            ]
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                again = {"id": "p_again", "author": BOSS, "at": at, "statement": STATEMENT}
                await connection.execute(text(WITH_STATEMENT), again)
        async with engine.begin() as connection:  # ordinary posts share the empty statement
            await connection.execute(text(POST), {"id": "p_plain2", "author": WRITER, "at": at})
    finally:
        await engine.dispose()
