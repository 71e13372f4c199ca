"""Connecting a brand's social accounts through GraphQL. Credentials go in, never come out."""

from datetime import datetime

import strawberry
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import wire
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.publisher_types import Network, SocialAccount

Info = strawberry.Info[Context, None]


@strawberry.input(description="A Bluesky account's app password on its PDS.")
class BlueskyCredentialsInput:
    service_url: str = strawberry.field(description='The PDS, e.g. "https://bsky.social".')
    identifier: str = strawberry.field(description="Handle or DID.")
    app_password: str = strawberry.field(
        description="An app password of the account (never its main password)."
    )


@strawberry.input(description="A Mastodon account's token on its instance.")
class MastodonCredentialsInput:
    instance_url: str = strawberry.field(
        description="The account's server, e.g. https://mastodon.social."
    )
    access_token: str = strawberry.field(description="An access token of the account.")


@strawberry.input(description="OAuth 2 tokens (X, LinkedIn, Instagram, Threads, Facebook).")
class OAuthCredentialsInput:
    access_token: str = strawberry.field(description="The access token.")
    refresh_token: str = strawberry.field(
        default="", description="The refresh token, if the network gave one."
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="When the access token expires (UTC)."
    )
    network_account_id: str = strawberry.field(
        default="",
        description="The account's id on the network: LinkedIn author URN, page id, "
        "ig-user-id or threads-user-id.",
    )


@strawberry.input(description="How the publisher signs in: exactly one of the three.")
class CredentialsInput:
    bluesky: BlueskyCredentialsInput | None = strawberry.field(
        default=None, description="A Bluesky account's handle and app password."
    )
    mastodon: MastodonCredentialsInput | None = strawberry.field(
        default=None, description="A Mastodon account's instance and token."
    )
    oauth: OAuthCredentialsInput | None = strawberry.field(
        default=None, description="OAuth tokens of another network."
    )


@strawberry.input(description="A brand's account to connect.")
class ConnectSocialAccountInput:
    brand_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/brands/{brand}."
    )
    network: Network = strawberry.field(description="The social network.")
    handle: str = strawberry.field(description='E.g. "@lumiere.bsky.social".')
    time_zone: str = strawberry.field(
        description='IANA time zone the account\'s schedule follows, e.g. "Europe/Paris".'
    )
    credentials: CredentialsInput = strawberry.field(
        description="Input only (write-only); see `credentials_set`."
    )
    display_name: str = strawberry.field(default="", description="Its name as people see it.")
    language: str = strawberry.field(
        default="",
        description="BCP 47 language the account posts in; picks the post's variant of that "
        "language.",
    )
    request_id: str = strawberry.field(
        default="",
        description="Makes retries safe: the same id returns what the first request made.",
    )


def credentials(given: CredentialsInput) -> pb.SocialAccountCredentials:
    """The contract's credentials (a oneof: more than one kind would silently keep the last)."""
    if sum(kind is not None for kind in (given.bluesky, given.mastodon, given.oauth)) != 1:
        raise from_app_error(
            InvalidArgument("credentials", "give exactly one of bluesky, mastodon or oauth")
        )
    message = pb.SocialAccountCredentials()
    if given.bluesky:
        b = given.bluesky
        message.bluesky.CopyFrom(
            pb.BlueskyCredentials(
                service_url=b.service_url, identifier=b.identifier, app_password=b.app_password
            )
        )
    if given.mastodon:
        m = given.mastodon
        message.mastodon.CopyFrom(
            pb.MastodonCredentials(instance_url=m.instance_url, access_token=m.access_token)
        )
    if given.oauth:
        o = given.oauth
        oauth = pb.OAuthCredentials(
            access_token=o.access_token,
            refresh_token=o.refresh_token,
            network_account_id=o.network_account_id,
        )
        if o.expires_at is not None:
            oauth.expire_time.FromDatetime(o.expires_at)
        message.oauth.CopyFrom(oauth)
    return message


@strawberry.type
class PublisherAccountMutation:
    @payload_mutation(
        social_account=SocialAccount, description="Connects a social account to a brand (managers)."
    )
    async def connect_social_account(
        self, info: Info, input: ConnectSocialAccountInput
    ) -> SocialAccount:
        ctx = info.context
        account = pb.SocialAccount(
            network=wire(input.network), handle=input.handle, time_zone=input.time_zone,
            display_name=input.display_name, language=input.language,
            credentials=credentials(input.credentials),
        )  # fmt: skip
        request = rpc.CreateSocialAccountRequest(
            parent=str(input.brand_id), social_account=account, request_id=input.request_id
        )
        return SocialAccount.of(await ctx.call(ctx.clients.publisher.CreateSocialAccount, request))
