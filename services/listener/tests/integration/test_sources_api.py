"""Sources through gRPC: created with their settings, read with their health, listed, deleted;
a replay source created this way is run by the worker's supervisor; other tenants see none."""

import grpc
import pytest
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.testing import OTHER_TENANT, TENANT, Listener

PARENT = f"tenants/{TENANT}"


async def test_a_source_is_created_read_with_its_health_listed_and_deleted(
    listener: Listener,
) -> None:
    created = await listener.stub.CreateSource(
        rpc.CreateSourceRequest(
            parent=PARENT,
            source=pb.Source(
                display_name="News", enabled=True,
                rss=pb.RssSourceConfig(feed_url="https://news.test/feed", poll_interval_seconds=60),
            ),
        ),
        metadata=listener.admin(),
    )  # fmt: skip
    assert created.kind == pb.SOURCE_KIND_RSS and created.rss.feed_url == "https://news.test/feed"
    assert created.health.state == pb.SOURCE_HEALTH_STATE_HEALTHY
    read = await listener.stub.GetSource(
        rpc.GetSourceRequest(name=created.name), metadata=listener.admin()
    )
    assert read == created
    listed = await listener.stub.ListSources(
        rpc.ListSourcesRequest(parent=PARENT, kind=pb.SOURCE_KIND_RSS), metadata=listener.admin()
    )
    assert [s.name for s in listed.sources] == [created.name]
    with pytest.raises(grpc.aio.AioRpcError) as stranger:
        await listener.stub.GetSource(
            rpc.GetSourceRequest(name=created.name), metadata=listener.admin(OTHER_TENANT)
        )
    assert stranger.value.code() == grpc.StatusCode.NOT_FOUND
    await listener.stub.DeleteSource(
        rpc.DeleteSourceRequest(name=created.name, etag="1"), metadata=listener.admin()
    )
    empty = await listener.stub.ListSources(
        rpc.ListSourcesRequest(parent=PARENT), metadata=listener.admin()
    )
    assert not empty.sources


async def test_a_source_without_settings_is_refused_with_the_field(listener: Listener) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await listener.stub.CreateSource(
            rpc.CreateSourceRequest(parent=PARENT, source=pb.Source(display_name="x")),
            metadata=listener.admin(),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "source.config" in (caught.value.details() or "")


async def test_a_partner_source_of_another_tenants_partner_client_is_refused(
    listener: Listener,
) -> None:
    """Found by tests/security: the partner client was only checked to look like a name."""
    for partner, code in (
        (f"tenants/{OTHER_TENANT}/partnerClients/01pppppppppppppppppppppppp", "NOT_FOUND"),
        ("tenants/x", "INVALID_ARGUMENT"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await listener.stub.CreateSource(
                rpc.CreateSourceRequest(parent=PARENT, source=pb.Source(
                    display_name="Agency", partner=pb.PartnerSourceConfig(partner_client=partner))),
                metadata=listener.admin(),
            )  # fmt: skip
        assert caught.value.code().name == code
    own = f"tenants/{TENANT}/partnerClients/01pppppppppppppppppppppppp"
    created = await listener.stub.CreateSource(
        rpc.CreateSourceRequest(parent=PARENT, source=pb.Source(
            display_name="Agency", partner=pb.PartnerSourceConfig(partner_client=own))),
        metadata=listener.admin(),
    )  # fmt: skip
    assert created.partner.partner_client == own
