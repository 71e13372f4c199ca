"""A post's variants and what is wrong with them, each problem with where it is: pure rules."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from vigie_publisher.domain.media_rules import MEDIA_RULES
from vigie_publisher.domain.text import Network, ThreadSplitError, split_into_thread, validate


@dataclass(frozen=True)
class Media:
    uri: str
    mime_type: str
    size_bytes: int
    alt_text: str = ""


@dataclass(frozen=True)
class Part:
    text: str
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class Variant:
    """The text of a post for one network in one language; a thread when it has several parts."""

    network: Network
    language: str
    parts: tuple[Part, ...]
    first_comment: str = ""


@dataclass(frozen=True)
class Problem:
    """`where` locates it: "variants[1].parts[0].text"; start/end are code-point offsets."""

    where: str
    code: str
    message: str
    start: int = 0
    end: int = 0

    def __str__(self) -> str:
        return f"{self.where} [{self.start}:{self.end}] {self.code}: {self.message}"


def as_thread(variant: Variant, instance_limit: int | None = None) -> Variant:
    """A single long text becomes a thread where the network allows threads."""
    if len(variant.parts) != 1 or not MEDIA_RULES[variant.network].threads:
        return variant
    text, media = variant.parts[0].text, variant.parts[0].media
    if validate(variant.network, text, instance_limit=instance_limit).valid:
        return variant
    try:
        texts = split_into_thread(text, variant.network, instance_limit=instance_limit)
    except ThreadSplitError:
        return variant  # the checks below say what is wrong
    parts = (Part(texts[0], media), *(Part(t) for t in texts[1:]))
    return Variant(variant.network, variant.language, parts, variant.first_comment)


def text_problems(network: Network, text: str, where: str, limit: int | None) -> list[Problem]:
    result = validate(network, text, instance_limit=limit)
    return [
        Problem(
            where,
            e.code.value,
            e.message,
            e.position,
            len(text) if e.code == "TOO_LONG" else e.position,
        )
        for e in result.errors
    ]


def is_fetchable(uri: str) -> bool:
    """Media are fetched from the web: a local path or a file:// URL would make the server
    upload its own files for whoever wrote the post."""
    parsed = urlsplit(uri)
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def media_problems(network: Network, media: Sequence[Media], where: str) -> list[Problem]:
    rules, found = MEDIA_RULES[network], []
    if len(media) > rules.max_count:
        found.append(Problem(where, "TOO_MANY_MEDIA", f"{network} takes {rules.max_count} at most"))
    for index, item in enumerate(media):
        at = f"{where}[{index}]"
        if not is_fetchable(item.uri):
            found.append(Problem(at, "MEDIA_URI", "must be an absolute http(s) URL"))
            continue
        if item.mime_type not in rules.mime_types:
            found.append(Problem(at, "MEDIA_TYPE", f"{network} does not take {item.mime_type}"))
            continue
        video = item.mime_type.startswith("video/")
        limit = rules.max_video_bytes if video else rules.max_image_bytes
        if item.size_bytes <= 0:
            found.append(Problem(at, "MEDIA_SIZE_UNKNOWN", "size_bytes is required"))
        elif item.size_bytes > limit:
            found.append(Problem(at, "MEDIA_TOO_LARGE", f"{item.size_bytes} B > {limit} B"))
    return found


def variant_problems(variant: Variant, index: int, limit: int | None = None) -> list[Problem]:
    """Everything wrong with one variant; empty when it can be published."""
    where, network = f"variants[{index}]", variant.network
    found: list[Problem] = []
    if len(variant.parts) > 1 and not MEDIA_RULES[network].threads:
        found.append(Problem(where, "THREADS_UNSUPPORTED", f"{network} has no threads"))
    for i, part in enumerate(variant.parts):
        found += text_problems(network, part.text, f"{where}.parts[{i}].text", limit)
        found += media_problems(network, part.media, f"{where}.parts[{i}].media")
    if MEDIA_RULES[network].needs_media and not variant.parts[0].media:
        found.append(Problem(f"{where}.parts[0].media", "MEDIA_REQUIRED", f"{network} needs one"))
    if variant.first_comment:
        found += text_problems(network, variant.first_comment, f"{where}.first_comment", limit)
    return found


@dataclass(frozen=True)
class PostDraft:
    variants: tuple[Variant, ...]
    # (network, language) of each targeted account; '' when the account has no language.
    targets: frozenset[tuple[Network, str]] = field(default_factory=frozenset)


def variant_for(variants: Sequence[Variant], network: Network, language: str) -> Variant | None:
    """An account's variant: its network in its language, else its network's only variant,
    else the network's variant without a language (a group post routed per subsidiary)."""
    of_network = [v for v in variants if v.network == network]
    exact = [v for v in of_network if v.language == language]
    if exact:
        return exact[0]
    if len(of_network) == 1:
        return of_network[0]
    neutral = [v for v in of_network if not v.language]
    return neutral[0] if neutral else None


def draft_problems(draft: PostDraft) -> list[Problem]:
    """A draft's problems: empty posts, a targeted network without a variant, bad variants."""
    if not draft.variants:
        return [Problem("variants", "EMPTY_POST", "a post needs at least one variant")]
    found: list[Problem] = []
    for network, language in sorted(draft.targets):
        if variant_for(draft.variants, network, language) is None:
            message = f"no variant for {network} in {language or 'any language'}"
            found.append(Problem("social_accounts", "NO_VARIANT", message))
    seen: set[tuple[Network, str]] = set()
    for index, variant in enumerate(draft.variants):
        if (variant.network, variant.language) in seen:
            found.append(Problem(f"variants[{index}]", "DUPLICATE_VARIANT", "same network+lang"))
        seen.add((variant.network, variant.language))
        found += variant_problems(variant, index)
    return found
