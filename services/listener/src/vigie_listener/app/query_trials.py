"""ValidateQuery and TestQuery: a query tried without being saved."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import TENANT
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.language_detector import LanguageDetector
from vigie_listener.adapters.orm import MentionRow
from vigie_listener.app.common import known_brand
from vigie_listener.domain.query_checks import (
    QueryProblem,
    check_languages,
    check_query,
    primary_language,
)
from vigie_listener.domain.query_language import CompiledQuery, MatchableItem, analyse
from vigie_listener.domain.query_language.ast import And, Near, Node, Not, Or, Wildcard, Words
from vigie_listener.domain.query_language.compiler import compile_tree

MAX_SAMPLES = 100
MAX_SAMPLE_LENGTH = 20_000
RECENT_SCAN = 5000
RECENT_SHOWN = 50


@dataclass(frozen=True)
class SampleResult:
    matched: bool
    matched_terms: list[str]


@dataclass(frozen=True)
class Trial:
    problems: list[QueryProblem]
    samples: list[SampleResult]
    recent: list[MentionRow]
    recent_count: int


def validate(
    who: Principal, parent: str, text: str
) -> tuple[CompiledQuery | None, list[QueryProblem]]:
    if TENANT.parse(parent, "parent")[0] != who.tenant:
        raise NotFound("tenant", parent)
    return check_query(text)


def _terms(node: Node) -> list[Words | Wildcard]:
    if isinstance(node, Words | Wildcard):
        return [node]
    if isinstance(node, Not):
        return []  # a term a text must not contain is no reason it matched
    if isinstance(node, And | Or):
        return [leaf for operand in node.operands for leaf in _terms(operand)]
    if isinstance(node, Near):
        return _terms(node.left) + _terms(node.right)
    return []


def _try(query: CompiledQuery, languages: set[str], text: str, language: str) -> SampleResult:
    item = analyse(MatchableItem(text, language=language or None))
    if languages and primary_language(language or "") not in languages:
        return SampleResult(False, [])
    found = [leaf.text for leaf in _terms(query.tree) if compile_tree(leaf).matches(item)]
    return SampleResult(query.matches(item), list(dict.fromkeys(found)))


async def test(
    uow: UnitOfWork,
    who: Principal,
    detector: LanguageDetector,
    parent: str,
    text: str,
    languages: Sequence[str],
    samples: Sequence[tuple[str, str]],
    since: datetime | None,
) -> Trial:
    brand = await known_brand(uow, who, parent, "parent")
    why = check_languages(list(languages))
    if why:
        raise InvalidArgument("languages", why)
    if len(samples) > MAX_SAMPLES:
        raise InvalidArgument("samples", f"at most {MAX_SAMPLES} samples")
    if any(len(sample) > MAX_SAMPLE_LENGTH for sample, _ in samples):
        raise InvalidArgument("samples", f"a sample is over {MAX_SAMPLE_LENGTH} characters")
    query, problems = check_query(text)
    if query is None:
        return Trial(problems, [], [], 0)
    wanted = {primary_language(code) for code in languages}
    results = [
        _try(query, wanted, sample, language or detector.detect(sample))
        for sample, language in samples
    ]
    if since is None:
        return Trial([], results, [], 0)
    rows = await uow.session.execute(
        select(MentionRow)
        .where(MentionRow.tenant == brand.tenant, MentionRow.brand_id == brand.id)
        .where(MentionRow.capture_time >= since)
        .order_by(MentionRow.publish_time.desc(), MentionRow.id.desc())
        .limit(RECENT_SCAN)
    )
    matched = [r for r in rows.scalars() if _try(query, wanted, r.text, r.language).matched]
    return Trial([], results, matched[:RECENT_SHOWN], len(matched))
