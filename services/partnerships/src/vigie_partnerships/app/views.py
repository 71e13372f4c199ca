"""Rows as the contract's messages."""

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_partnerships.adapters.orm import CreatorAccountRow, CreatorRow, CreatorSnapshotRow
from vigie_partnerships.app.names import CREATOR, SNAPSHOT
from vigie_partnerships.app.vetting import VettingResult
from vigie_partnerships.domain.vetting.score import Score


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return result


def account(row: CreatorAccountRow) -> pb.CreatorAccount:
    message = pb.CreatorAccount(
        network=row.network,
        handle=row.handle,
        network_id=row.network_id,
        followers_count=row.followers,
        following_count=row.following,
        posts_count=row.posts,
        profile_url=row.profile_url,
        mean_engagements_per_post=row.mean_engagements_per_post,
    )
    if row.opened_at is not None:
        message.account_create_time.CopyFrom(stamp(row.opened_at))
    return message


def creator(row: CreatorRow, accounts: list[CreatorAccountRow]) -> pb.Creator:
    return pb.Creator(
        name=CREATOR.format(row.tenant, row.id),
        display_name=row.display_name,
        accounts=[account(a) for a in accounts],
        languages=row.languages,
        countries=row.countries,
        topics=row.topics,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


def snapshot(row: CreatorSnapshotRow) -> pb.CreatorSnapshot:
    return pb.CreatorSnapshot(
        name=SNAPSHOT.format(row.tenant, row.creator_id, row.id),
        accounts=[
            pb.CreatorAccount(
                network=str(a["network"]),
                handle=str(a["handle"]),
                network_id=str(a["network_id"]),
                followers_count=int(str(a["followers"])),
                following_count=int(str(a["following"])),
                posts_count=int(str(a["posts"])),
                mean_engagements_per_post=float(str(a["mean_engagements_per_post"])),
            )
            for a in row.accounts
        ],
        mean_engagements_per_post=row.mean_engagements_per_post,
        posts_sampled=row.posts_sampled,
        capture_time=stamp(row.captured_at),
    )


def score(value: Score) -> pb.VettingScore:
    return pb.VettingScore(
        score=value.value,
        inputs=[pb.VettingInput(name=n, value=v) for n, v in value.inputs],
        reasons=list(value.reasons),
    )


def vetting(result: VettingResult) -> pb.Vetting:
    row = result.creator
    return pb.Vetting(
        name=CREATOR.format(row.tenant, row.id) + "/vetting",
        engagement=score(result.engagement),
        authenticity=score(result.authenticity),
        brand_safety=score(result.brand_safety),
        overall=score(result.overall),
        snapshot=SNAPSHOT.format(row.tenant, row.id, result.snapshot_id)
        if result.snapshot_id
        else "",
        compute_time=stamp(result.computed_at),
    )
