"""What GraphQL inputs of posts share."""

import strawberry
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.schema.publisher_types import Network


@strawberry.input(description="A post's text for one network (and language).")
class PostVariantInput:
    network: Network
    text: str
    language: str = ""
    first_comment: str = ""


def variant(given: PostVariantInput) -> pb.PostVariant:
    return pb.PostVariant(
        network=given.network.value,
        text=given.text,
        language=given.language,
        first_comment=given.first_comment,
    )
