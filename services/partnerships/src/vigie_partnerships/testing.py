"""What the partnerships' end-to-end tests share: the steps from an imported creator to a signed
contract, asked through any GraphQL front (vigie_gateway.testing serves one)."""

from typing import Any, Protocol

from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.testing.waiting import eventually

CREATE_CAMPAIGN = (
    "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id }"
    " errors { code reason message field } } }"
)
CREATE_CONTRACT = (
    "mutation($i: CreateContractInput!) { createContract(input: $i) { contract { id }"
    " errors { code reason message field } } }"
)
SIGN_CONTRACT = (
    "mutation($id: ID!) { signContract(input: {id: $id}) { contract { status }"
    " errors { code reason message field } } }"
)
CONTRACT = """query($id: ID!) { contract(id: $id) { status
  deliverables { status fulfilledCount matchedMentionIds } } }"""


class Front(Protocol):
    """What the steps need of a GraphQL client (vigie_gateway.testing.Front is one)."""

    async def ask(self, query: str, **variables: Any) -> dict[str, Any]: ...


async def import_creator(
    target: str, token: str, tenant: str, handle: str, network_id: str
) -> None:
    """One Bluesky creator with reach, pushed over gRPC as a partner would."""
    async with open_channel(target) as channel:
        stub = partnerships_pb2_grpc.PartnershipsServiceStub(channel)
        creator = pb.Creator(
            display_name="Alice",
            accounts=[
                pb.CreatorAccount(
                    network="bluesky", handle=handle, network_id=network_id,
                    followers_count=12_000, following_count=300, posts_count=800,
                    mean_engagements_per_post=300,
                )
            ],
            topics=["coffee"],
        )  # fmt: skip
        await stub.ImportCreators(
            rpc.ImportCreatorsRequest(parent=tenant, creators=[creator]), metadata=bearer(token)
        )


async def create_campaign(front: Front, brand: str) -> str:
    campaign = await front.ask(
        CREATE_CAMPAIGN,
        i={
            "displayName": "Autumn roast",
            "brandIds": [brand],
            "startTime": "2026-01-01T00:00:00Z",
            "endTime": "2031-01-01T00:00:00Z",
            "budget": {"amount": "5000.00", "currencyCode": "EUR"},
        },
    )
    return str(campaign["data"]["createCampaign"]["campaign"]["id"])


def contract_input(campaign_id: str, creator_id: str, fee: str, hashtag: str) -> dict[str, Any]:
    """One Bluesky post carrying `hashtag` with the #ad disclosure, due in 2030."""
    return {
        "campaignId": campaign_id,
        "creatorId": creator_id,
        "fee": {"amount": fee, "currencyCode": "EUR"},
        "deliverables": [
            {
                "network": "bluesky",
                "count": 1,
                "dueTime": "2030-06-01T00:00:00Z",
                "requiredHashtags": [hashtag],
                "disclosure": "#ad",
            }
        ],
    }


async def signed_contract(front: Front, campaign_id: str, creator_id: str, hashtag: str) -> str:
    """A contract made and signed; its id. The campaign has started, so it is active at once."""
    made = await front.ask(
        CREATE_CONTRACT, i=contract_input(campaign_id, creator_id, "800.00", hashtag)
    )
    contract_id = str(made["data"]["createContract"]["contract"]["id"])
    signed = await front.ask(SIGN_CONTRACT, id=contract_id)
    assert signed["data"]["signContract"]["contract"]["status"] == "ACTIVE", signed
    return contract_id


async def contract_status(front: Front, contract_id: str) -> dict[str, Any]:
    answer = await front.ask(CONTRACT, id=contract_id)
    assert "errors" not in answer, answer
    return answer["data"]["contract"]  # type: ignore[no-any-return]


async def wait_until_completed(front: Front, contract_id: str, seconds: float = 20.0) -> None:
    async def completed() -> bool:
        return bool((await contract_status(front, contract_id))["status"] == "COMPLETED")

    await eventually(completed, seconds)
