"""Tracked accounts through the gRPC API: managers add them (idempotently, once per handle and
brand), the team reads them, other tenants never see them, and bad input is refused."""

import grpc
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.principal import Role

from .api_support import Api, refused
from .conftest import BRAND_NAME, OTHER_TENANT, TENANT

OTHER_BRAND = f"tenants/{OTHER_TENANT}/brands/lumiere"


def _create(
    handle: str, network: int = pb.NETWORK_MASTODON, **kw: str
) -> rpc.CreateTrackedAccountRequest:
    account = pb.TrackedAccount(network=network, handle=handle, **kw)  # type: ignore[arg-type]
    return rpc.CreateTrackedAccountRequest(parent=BRAND_NAME, tracked_account=account)


async def test_a_manager_tracks_an_account_and_a_retry_returns_the_same_one(api: Api) -> None:
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    request = _create("@Rival@Mastodon.Social", display_name="Rival")
    request.request_id = "r-1"
    first = await api.stub.CreateTrackedAccount(request, metadata=manager)
    again = await api.stub.CreateTrackedAccount(request, metadata=manager)
    assert again.name == first.name and first.name.startswith(f"{BRAND_NAME}/trackedAccounts/")
    assert (first.handle, first.display_name, first.etag) == (
        "@rival@mastodon.social",
        "Rival",
        "1",
    )
    analyst = api.as_(Role.ANALYST)
    read = await api.stub.GetTrackedAccount(
        rpc.GetTrackedAccountRequest(name=first.name), metadata=analyst
    )
    assert read == first and not read.HasField("last_snapshot_time")


async def test_the_same_handle_twice_in_a_brand_already_exists(api: Api) -> None:
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    await api.stub.CreateTrackedAccount(_create("@rival@mastodon.social"), metadata=manager)
    await refused(
        api.stub.CreateTrackedAccount(_create("rival@MASTODON.social"), metadata=manager),
        grpc.StatusCode.ALREADY_EXISTS,
        "TRACKED_ACCOUNT_EXISTS",
    )


async def test_bad_handles_unknown_brands_and_networks_are_refused(api: Api) -> None:
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    for handle, network in [
        ("@rival", pb.NETWORK_MASTODON),  # no instance
        ("not a handle", pb.NETWORK_BLUESKY),
        ("@far_too_long_for_x_names", pb.NETWORK_X),
    ]:
        await refused(
            api.stub.CreateTrackedAccount(_create(handle, network), metadata=manager),
            grpc.StatusCode.INVALID_ARGUMENT,
            "BAD_HANDLE",
        )
    unknown = _create("@rival@mastodon.social")
    unknown.parent = f"tenants/{TENANT}/brands/nobody"
    await refused(
        api.stub.CreateTrackedAccount(unknown, metadata=manager),
        grpc.StatusCode.NOT_FOUND,
        "BRAND_NOT_FOUND",
    )
    await refused(
        api.stub.CreateTrackedAccount(_create("rival.bsky.social", 0), metadata=manager),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
    await refused(
        api.stub.CreateTrackedAccount(
            _create("@rival@mastodon.social", instance_url="ftp://x"), metadata=manager
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )


async def test_community_managers_and_analysts_cannot_add_or_change_tracked_accounts(
    api: Api,
) -> None:
    for role in (Role.COMMUNITY_MANAGER, Role.ANALYST):
        await refused(
            api.stub.CreateTrackedAccount(
                _create("@rival@mastodon.social"), metadata=api.as_(role)
            ),
            grpc.StatusCode.PERMISSION_DENIED,
            "ROLE_REQUIRED",
        )


async def test_another_tenants_tracked_account_is_not_found(api: Api) -> None:
    mine = await api.stub.CreateTrackedAccount(
        _create("@rival@mastodon.social"), metadata=api.as_(Role.SOCIAL_MEDIA_MANAGER)
    )
    stranger = api.as_(Role.GROUP_ADMIN, tenant=OTHER_TENANT)
    theirs = mine.name.replace(TENANT, OTHER_TENANT, 1)
    for name in (mine.name, theirs):
        await refused(
            api.stub.GetTrackedAccount(rpc.GetTrackedAccountRequest(name=name), metadata=stranger),
            grpc.StatusCode.NOT_FOUND,
            "TRACKED_ACCOUNT_NOT_FOUND",
        )
    await refused(
        api.stub.SnapshotAccount(rpc.SnapshotAccountRequest(account=theirs), metadata=stranger),
        grpc.StatusCode.NOT_FOUND,
        "TRACKED_ACCOUNT_NOT_FOUND",
    )
    listed = await api.stub.ListTrackedAccounts(
        rpc.ListTrackedAccountsRequest(parent=OTHER_BRAND), metadata=stranger
    )
    assert list(listed.tracked_accounts) == []


async def test_tracked_accounts_are_listed_in_pages_and_fetched_in_batches(api: Api) -> None:
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    names = [
        (
            await api.stub.CreateTrackedAccount(
                _create(f"@rival{i}@mastodon.social"), metadata=manager
            )
        ).name
        for i in range(3)
    ]
    await api.stub.CreateTrackedAccount(_create("@rival", pb.NETWORK_X), metadata=manager)
    seen, token = [], ""
    while True:
        page = await api.stub.ListTrackedAccounts(
            rpc.ListTrackedAccountsRequest(
                parent=BRAND_NAME, page_size=2, page_token=token, network=pb.NETWORK_MASTODON
            ),
            metadata=api.as_(Role.ANALYST),
        )
        seen += [a.name for a in page.tracked_accounts]
        if not (token := page.next_page_token):
            break
    assert seen == names
    batch = await api.stub.BatchGetTrackedAccounts(
        rpc.BatchGetTrackedAccountsRequest(parent=f"tenants/{TENANT}", names=names[::-1]),
        metadata=api.as_(Role.ANALYST),
    )
    assert [a.name for a in batch.tracked_accounts] == names[::-1]


async def test_an_update_follows_the_mask_and_the_etag_and_a_delete_removes_it(api: Api) -> None:
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    created = await api.stub.CreateTrackedAccount(
        _create("@rival@mastodon.social"), metadata=manager
    )
    change = pb.TrackedAccount(
        name=created.name, display_name="Rival SA", handle="@ignored@x.y", etag=created.etag
    )
    updated = await api.stub.UpdateTrackedAccount(
        rpc.UpdateTrackedAccountRequest(
            tracked_account=change, update_mask=FieldMask(paths=["display_name"])
        ),
        metadata=manager,
    )
    assert (updated.display_name, updated.handle, updated.etag) == (
        "Rival SA", "@rival@mastodon.social", "2",
    )  # fmt: skip
    await refused(
        api.stub.UpdateTrackedAccount(
            rpc.UpdateTrackedAccountRequest(
                tracked_account=change, update_mask=FieldMask(paths=["display_name"])
            ),
            metadata=manager,
        ),
        grpc.StatusCode.ABORTED,
        "ETAG_MISMATCH",
    )
    await refused(
        api.stub.UpdateTrackedAccount(
            rpc.UpdateTrackedAccountRequest(
                tracked_account=change, update_mask=FieldMask(paths=["handle"])
            ),
            metadata=manager,
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
    await api.stub.DeleteTrackedAccount(
        rpc.DeleteTrackedAccountRequest(name=created.name, etag="2"), metadata=manager
    )
    await refused(
        api.stub.GetTrackedAccount(
            rpc.GetTrackedAccountRequest(name=created.name), metadata=manager
        ),
        grpc.StatusCode.NOT_FOUND,
        "TRACKED_ACCOUNT_NOT_FOUND",
    )


async def test_a_snapshot_of_a_network_without_a_reader_says_so(api: Api) -> None:
    manager = api.as_(Role.SOCIAL_MEDIA_MANAGER)
    tracked = await api.stub.CreateTrackedAccount(
        _create("lumiere-rival", pb.NETWORK_LINKEDIN), metadata=manager
    )
    await refused(
        api.stub.SnapshotAccount(
            rpc.SnapshotAccountRequest(account=tracked.name), metadata=manager
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
        "SNAPSHOT_NOT_READ",
    )
    read = await api.stub.GetTrackedAccount(
        rpc.GetTrackedAccountRequest(name=tracked.name), metadata=manager
    )
    assert read.last_error == "Vigie does not read linkedin statistics yet"
    await refused(
        api.stub.SnapshotAccount(
            rpc.SnapshotAccountRequest(account=tracked.name), metadata=api.as_(Role.ANALYST)
        ),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
