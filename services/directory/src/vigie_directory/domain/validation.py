"""Field rules of the directory's resources; each failure names the field."""

import re
import zoneinfo
from collections.abc import Sequence
from functools import cache

from vigie_runtime.errors import InvalidArgument

from vigie_directory.domain.countries import ISO_3166_ALPHA2

NETWORKS = frozenset({"bluesky", "mastodon", "x", "linkedin", "instagram", "threads", "facebook"})
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_REGION = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")
_HANDLE = re.compile(r"^@?[\w.@-]{1,100}$")


def display_name(value: str, field: str = "display_name", limit: int = 100) -> str:
    value = value.strip()
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if len(value) > limit:
        raise InvalidArgument(field, f"at most {limit} characters")
    if any(ord(c) < 32 for c in value):
        raise InvalidArgument(field, "must not contain control characters")
    return value


def country(value: str) -> str:
    if value.upper() not in ISO_3166_ALPHA2:
        raise InvalidArgument("country", "must be an ISO 3166-1 alpha-2 code such as FR")
    return value.upper()


def locale(value: str) -> str:
    if not _LOCALE.match(value):
        raise InvalidArgument("locale", "must be a BCP 47 tag such as fr-FR")
    return value


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone(value: str) -> str:
    if value not in _zones():
        raise InvalidArgument("time_zone", "must be an IANA time zone such as Europe/Paris")
    return value


def data_region(value: str) -> str:
    if not _REGION.match(value):
        raise InvalidArgument("data_region", "must be a short lower-case name such as eu")
    return value


def email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise InvalidArgument("email", "must be an e-mail address")
    return value


def password(value: str) -> str:
    if len(value) < 10:
        raise InvalidArgument("password", "at least 10 characters")
    if len(value) > 256:
        raise InvalidArgument("password", "at most 256 characters")
    return value


def short_list(values: Sequence[str], field: str, limit: int = 50) -> list[str]:
    cleaned = [display_name(v, field) for v in values]
    if len(cleaned) > limit:
        raise InvalidArgument(field, f"at most {limit} entries")
    return list(dict.fromkeys(cleaned))


def handle(network: str, value: str) -> tuple[str, str]:
    if network not in NETWORKS:
        raise InvalidArgument("handles.network", f"must be one of {', '.join(sorted(NETWORKS))}")
    if not _HANDLE.match(value):
        raise InvalidArgument("handles.handle", "must be a handle such as @brand")
    return network, value
