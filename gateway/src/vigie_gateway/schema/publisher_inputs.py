"""What GraphQL inputs of posts share."""

import strawberry
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_gateway.schema.common import wire
from vigie_gateway.schema.publisher_types import Network


@strawberry.input(description="A post's text for one network (and language).")
class PostVariantInput:
    network: Network = strawberry.field(description="The social network.")
    text: str = strawberry.field(description="The text.")
    language: str = strawberry.field(default="", description="BCP 47 language code.")
    first_comment: str = strawberry.field(
        default="",
        description="A comment posted under the post right after it (e.g. links on Instagram).",
    )


def variant(given: PostVariantInput) -> pb.PostVariant:
    return pb.PostVariant(
        network=wire(given.network),
        text=given.text,
        language=given.language,
        first_comment=given.first_comment,
    )
