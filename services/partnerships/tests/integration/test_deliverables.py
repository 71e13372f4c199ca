"""Deliverables verified from the contracted creator's posts as they arrive as mentions, and
marked missed by the clock when their due time passes."""

from datetime import UTC, datetime, timedelta

import nats
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import events_pb2
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED
from vigie_runtime.testing.waiting import eventually

from .conftest import TENANT, Producer, Service
from .test_contracts import stamp
from .test_creator_discovery import captured
from .test_creator_import import alice

PARENT = f"tenants/{TENANT}"


def at(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def signed_contract(
    service: Service, count: int, due: datetime, currency: str = "EUR"
) -> pb.Contract:
    imported = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=[alice()]), metadata=service.admin()
    )
    running = await service.stub.CreateCampaign(
        rpc.CreateCampaignRequest(
            parent=PARENT,
            campaign=pb.Campaign(
                display_name="Autumn roast",
                brands=[f"tenants/{TENANT}/brands/lumiere"],
                start_time=stamp(2026, 1, 1),
                end_time=stamp(2031, 1, 1),
                budget=pb.Money(amount="5000.00", currency_code=currency),
            ),
        ),
        metadata=service.admin(),
    )
    proposed = await service.stub.CreateContract(
        rpc.CreateContractRequest(
            parent=running.name,
            contract=pb.Contract(
                creator=imported.creators[0].name,
                fee=pb.Money(amount="800.00", currency_code=currency),
                deliverables=[
                    pb.Deliverable(
                        network="bluesky",
                        kind=pb.DELIVERABLE_KIND_POST,
                        count=count,
                        due_time=at(due),
                        required_hashtags=["AutumnRoast"],
                        disclosure="#ad",
                    )
                ],
            ),
        ),
        metadata=service.admin(),
    )
    return await service.stub.SignContract(
        rpc.SignContractRequest(name=proposed.name), metadata=service.admin()
    )


def post(mention_id: str, text: str) -> object:
    message = captured(mention_id, "alice.bsky.social", 12_000, text)
    message.mention.publish_time.CopyFrom(at(datetime.now(UTC)))
    return message


async def contract_now(service: Service, name: str) -> pb.Contract:
    return await service.stub.GetContract(
        rpc.GetContractRequest(name=name), metadata=service.admin()
    )


async def test_a_post_with_the_campaign_hashtag_fulfils_the_deliverable_once(
    service: Service, producer: Producer, nats_url: str
) -> None:
    contract = await signed_contract(service, 1, datetime(2030, 6, 1, tzinfo=UTC))
    assert contract.status == pb.CONTRACT_STATUS_ACTIVE
    connection = await nats.connect(nats_url)
    fulfilled = await connection.subscribe("vigie.partnerships.*.deliverable.fulfilled.v1")
    await producer.publish(MENTION_CAPTURED, post("p1", "Loving the #AutumnRoast #ad"), "e1")

    async def done() -> bool:
        return (await contract_now(service, contract.name)).status == pb.CONTRACT_STATUS_COMPLETED

    await eventually(done)
    message = await fulfilled.next_msg(timeout=20)
    event = events_pb2.DeliverableFulfilled.FromString(message.data)
    await connection.close()
    assert event.contract == contract.name
    item = (await contract_now(service, contract.name)).deliverables[0]
    assert item.status == pb.DELIVERABLE_STATUS_FULFILLED and item.fulfilled_count == 1
    assert list(item.matched_mentions) == [f"tenants/{TENANT}/brands/lumiere/mentions/p1"]


async def test_a_redelivered_post_counts_once_and_an_undisclosed_one_is_flagged(
    service: Service, producer: Producer
) -> None:
    contract = await signed_contract(service, 2, datetime(2030, 6, 1, tzinfo=UTC))
    await producer.publish(MENTION_CAPTURED, post("p1", "#AutumnRoast is here #ad"), "e1")
    await producer.publish(MENTION_CAPTURED, post("p1", "#AutumnRoast is here #ad"), "e1-copy")
    await producer.publish(MENTION_CAPTURED, post("p2", "#AutumnRoast, no disclosure"), "e2")

    async def flagged() -> bool:
        return (await contract_now(service, contract.name)).deliverables[0].disclosure_missing

    await eventually(flagged)
    item = (await contract_now(service, contract.name)).deliverables[0]
    assert item.fulfilled_count == 1 and item.status == pb.DELIVERABLE_STATUS_PENDING


async def test_a_deliverable_not_seen_by_its_due_time_is_missed(service: Service) -> None:
    contract = await signed_contract(service, 1, datetime.now(UTC) + timedelta(seconds=1))

    async def missed() -> bool:
        found = await contract_now(service, contract.name)
        return found.deliverables[0].status == pb.DELIVERABLE_STATUS_MISSED

    await eventually(missed)
    found = await contract_now(service, contract.name)
    assert found.status == pb.CONTRACT_STATUS_COMPLETED
    assert found.history[-1].actor == "system"
