"""Replies to mentions: saved reply templates, the variant chosen by language, and whether a
reply waits for approval. No I/O."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
HIGH_REACH = "HIGH_REACH"
CRISIS = "CRISIS"


@dataclass(frozen=True)
class TemplateVariant:
    language: str
    text: str


def variables_of(text: str) -> list[str]:
    """The {{variables}} a text names, in order of first appearance."""
    return list(dict.fromkeys(VARIABLE.findall(text)))


def missing_variables(text: str, values: Mapping[str, str]) -> list[str]:
    return [name for name in variables_of(text) if name not in values]


def render(text: str, values: Mapping[str, str]) -> str:
    """The text with each {{variable}} replaced; the caller has checked none is missing."""
    return VARIABLE.sub(lambda match: values[match.group(1)], text)


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def choose_variant(
    variants: Sequence[TemplateVariant], language: str, default_language: str
) -> TemplateVariant:
    """The variant of `language`: its exact tag (case-insensitive), else one with its primary
    subtag ("pt-BR" takes "pt", "pt" takes "pt-PT"), else the default language's."""
    wanted = language.lower()
    for variant in variants:
        if wanted and variant.language.lower() == wanted:
            return variant
    if wanted:
        for variant in variants:
            if variant.language.lower() == _primary(wanted):
                return variant
        for variant in variants:
            if _primary(variant.language) == _primary(wanted):
                return variant
    for variant in variants:
        if variant.language.lower() == default_language.lower():
            return variant
    return variants[0]


@dataclass(frozen=True)
class ReplyContext:
    """What the approval rule looks at."""

    author_is_community_manager: bool
    author_followers: int
    reach_threshold: int  # 0: no threshold
    brand_in_crisis: bool


def approval_reason(context: ReplyContext) -> str:
    """Why a reply waits for a social media manager ('' when it goes out right away): only a
    community manager's reply to a high-reach mention, or to a brand in an open crisis."""
    if not context.author_is_community_manager:
        return ""
    if context.brand_in_crisis:
        return CRISIS
    if context.reach_threshold > 0 and context.author_followers >= context.reach_threshold:
        return HIGH_REACH
    return ""
