"""Variants between the contract's messages, the domain and their stored JSON."""

from typing import Any

from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_publisher.app.networks import NETWORKS, to_proto
from vigie_publisher.domain.posts import Media, Part, Variant
from vigie_publisher.domain.text import Network

MAX_VARIANTS = 50


def _media(items: Any) -> tuple[Media, ...]:
    return tuple(Media(m.uri, m.mime_type, m.size_bytes, m.alt_text) for m in items)


def from_proto(message: pb.PostVariant, index: int) -> Variant:
    if message.network not in NETWORKS:
        raise InvalidArgument(f"variants[{index}].network", "must name a supported network")
    first = Part(message.text, _media(message.media))
    rest = tuple(Part(t.text, _media(t.media)) for t in message.thread_parts)
    return Variant(
        Network(NETWORKS[message.network]),
        message.language[:35],
        (first, *rest),
        message.first_comment,
    )


def variants_from_proto(messages: Any) -> list[Variant]:
    if len(messages) > MAX_VARIANTS:
        raise InvalidArgument("variants", f"at most {MAX_VARIANTS} variants")
    return [from_proto(m, i) for i, m in enumerate(messages)]


def to_proto_variant(variant: Variant) -> pb.PostVariant:
    def media(items: tuple[Media, ...]) -> list[pb.Media]:
        return [
            pb.Media(uri=m.uri, mime_type=m.mime_type, alt_text=m.alt_text, size_bytes=m.size_bytes)
            for m in items
        ]

    first, *rest = variant.parts
    return pb.PostVariant(
        network=to_proto(variant.network.value),
        text=first.text,
        language=variant.language,
        media=media(first.media),
        first_comment=variant.first_comment,
        thread_parts=[pb.ThreadPart(text=p.text, media=media(p.media)) for p in rest],
    )


def to_json(variant: Variant) -> dict[str, Any]:
    return {
        "network": variant.network.value,
        "language": variant.language,
        "first_comment": variant.first_comment,
        "parts": [{"text": p.text, "media": [m.__dict__ for m in p.media]} for p in variant.parts],
    }


def from_json(data: dict[str, Any]) -> Variant:
    parts = tuple(Part(p["text"], tuple(Media(**m) for m in p["media"])) for p in data["parts"])
    return Variant(Network(data["network"]), data["language"], parts, data["first_comment"])
