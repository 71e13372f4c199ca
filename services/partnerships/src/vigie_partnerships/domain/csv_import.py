"""Creators from a CSV file: one row, one creator with one account.

Header (order free, unknown columns refused so a typo is not silently ignored):
`network,handle` required; `network_id,display_name,followers,following,posts,profile_url,
languages,countries,topics,mean_engagements_per_post,account_created` optional. Lists are
separated by `;`, `account_created` is an ISO 8601 date. Every row is judged on its own: a
malformed one gets a refusal with its line number and reason, and is never written in part.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from vigie_partnerships.domain.creators import Account, Profile, RefusedCreator, checked_profile

REQUIRED = ("network", "handle")
OPTIONAL = (
    "network_id",
    "display_name",
    "followers",
    "following",
    "posts",
    "profile_url",
    "languages",
    "countries",
    "topics",
    "mean_engagements_per_post",
    "account_created",
)
MAX_ROWS = 10_000
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class CsvRefusal:
    line: int
    reason: str
    message: str


@dataclass(frozen=True)
class CsvRows:
    """Accepted profiles with their line numbers, and the refused lines."""

    profiles: list[tuple[int, Profile]]
    refusals: list[CsvRefusal]


def read_creators_csv(data: bytes) -> CsvRows:
    """Raises RefusedCreator when the file as a whole is unusable (encoding, header, size)."""
    if len(data) > MAX_BYTES:
        raise RefusedCreator("CSV_TOO_LARGE", f"at most {MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RefusedCreator("CSV_NOT_UTF8", "the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    _check_header(reader.fieldnames)
    profiles: list[tuple[int, Profile]] = []
    refusals: list[CsvRefusal] = []
    try:
        for row in reader:
            line = reader.line_num
            if len(profiles) + len(refusals) >= MAX_ROWS:
                raise RefusedCreator("CSV_TOO_MANY_ROWS", f"at most {MAX_ROWS} rows")
            try:
                profiles.append((line, checked_profile(_profile(row))))
            except RefusedCreator as refused:
                refusals.append(CsvRefusal(line, refused.reason, refused.message))
    except csv.Error as error:
        raise RefusedCreator("CSV_MALFORMED", f"line {reader.line_num}: {error}") from None
    return CsvRows(profiles, refusals)


def _check_header(fields: object) -> None:
    if not isinstance(fields, list) or not fields:
        raise RefusedCreator("CSV_NO_HEADER", "the first line must name the columns")
    names = [str(f).strip() for f in fields]
    missing = [f for f in REQUIRED if f not in names]
    unknown = [f for f in names if f not in REQUIRED + OPTIONAL]
    if missing or unknown:
        raise RefusedCreator(
            "CSV_BAD_HEADER",
            f"missing columns {missing or 'none'}, unknown columns {unknown or 'none'}",
        )


def _profile(row: dict[str | None, str | list[str] | None]) -> Profile:
    if None in row:
        raise RefusedCreator("CSV_EXTRA_FIELDS", "more fields than columns")
    if any(v is None for v in row.values()):
        raise RefusedCreator("CSV_MISSING_FIELDS", "fewer fields than columns")
    cell = {str(k).strip(): str(v).strip() for k, v in row.items()}
    account = Account(
        network=cell.get("network", ""),
        handle=cell.get("handle", ""),
        network_id=cell.get("network_id", ""),
        followers=_count(cell, "followers"),
        following=_count(cell, "following"),
        posts=_count(cell, "posts"),
        profile_url=cell.get("profile_url", ""),
        opened_at=_date(cell.get("account_created", "")),
        mean_engagements_per_post=_number(cell, "mean_engagements_per_post"),
    )
    return Profile(
        display_name=cell.get("display_name", ""),
        accounts=(account,),
        languages=_list(cell, "languages"),
        countries=_list(cell, "countries"),
        topics=_list(cell, "topics"),
    )


def _count(cell: dict[str, str], column: str) -> int:
    text = cell.get(column, "") or "0"
    if not text.isdigit() or len(text) > 15:
        raise RefusedCreator("INVALID_COUNT", f"{column}: {text!r} is not a whole number >= 0")
    return int(text)


def _number(cell: dict[str, str], column: str) -> float:
    text = cell.get(column, "") or "0"
    try:
        value = float(text)
    except ValueError:
        raise RefusedCreator("INVALID_NUMBER", f"{column}: {text!r} is not a number") from None
    if not 0 <= value < 1e12:
        raise RefusedCreator("INVALID_NUMBER", f"{column}: {text!r} is out of range")
    return value


def _date(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RefusedCreator("INVALID_DATE", f"account_created: {text!r} is not a date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _list(cell: dict[str, str], column: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.get(column, "").split(";") if v.strip())
