"""The world every security suite attacks: tenant A (subsidiaries A1 and A2) and tenant B, each
subsidiary with one of every kind of resource, and A's principals."""

from typing import Any

import grpc
from vigie.directory.v1 import directory_pb2 as dpb
from vigie.directory.v1 import resources_pb2 as dres
from vigie_runtime.grpc_client import bearer

from tests.security.platform import Platform
from tests.security.world import MARKERS, PASSWORD, SHARED, Scope, Seeder, World
from tests.security.world_inbox import inbox_kinds
from tests.security.world_playbooks import crisis_history, crisis_kinds, start_crisis
from tests.security.world_replies import reply_kinds
from tests.security.world_services import (
    listener_kinds,
    partnership_kinds,
    publisher_kinds,
    push_mention,
    reputation_kinds,
    submitted_post,
)

# The attackers: A's group admin, and A1's people (by role) and partner.
PRINCIPALS = ("group_admin", "smm", "cm", "analyst", "partner")
_ROLES = {
    "smm": dres.ROLE_SOCIAL_MEDIA_MANAGER,
    "cm": dres.ROLE_COMMUNITY_MANAGER,
    "analyst": dres.ROLE_ANALYST,
}


async def _fill(
    seed: Seeder, scope: Scope, admin: Any, crisis: bool = False
) -> tuple[str, str, str]:
    """Every kind of resource in a new subsidiary of `scope`: (subsidiary, brand, partner token);
    with `crisis`, the burst that opens a crisis is pushed (see `crisis_kinds`)."""
    sub, brand = await seed.directory_kinds(scope, admin)
    _, client_id, secret = await seed.partner(scope, admin, brand)
    partner_token = await seed.partner_token(client_id, secret)
    partner = scope.names["partnerClients"][-1]
    source = await listener_kinds(seed, scope, admin, brand, partner)
    if crisis:
        await crisis_history(seed, scope, partner_token, source)
    await push_mention(seed, scope, admin, partner_token, source, brand)
    await inbox_kinds(seed, scope, admin, brand, sub)
    await publisher_kinds(seed, scope, admin, brand, sub)
    await reply_kinds(seed, scope, admin, brand, sub)
    await reputation_kinds(seed, scope, admin, brand, sub)
    if crisis:  # once the playbooks exist, so the crisis applies the brand's
        await start_crisis(seed, scope, partner_token, source)
    await partnership_kinds(seed, scope, admin, brand)
    return sub, brand, partner_token


async def build_world(platform: Platform) -> World:
    channels = {n: grpc.aio.insecure_channel(t) for n, t in platform.targets.items()}
    try:
        seed = Seeder(platform, channels)
        tenant_a, admin_a = await seed.tenant("Alpha Group", "admin@alpha.test")
        tenant_b, admin_b = await seed.tenant(f"Group {MARKERS['B']}", "admin@bravo.test")
        scopes = {key: Scope(marker, SHARED[key]) for key, marker in MARKERS.items()}
        scopes["A1"].tenant = scopes["A2"].tenant = tenant_a
        scopes["B"].tenant = tenant_b
        scopes["B"].add("tenants", tenant_b)
        a1, _, a1_partner = await _fill(seed, scopes["A1"], bearer(admin_a))
        await _fill(seed, scopes["A2"], bearer(admin_a), crisis=True)
        await _fill(seed, scopes["B"], bearer(admin_b), crisis=True)
        tokens = {"group_admin": admin_a, "partner": a1_partner, "b_admin": admin_b}
        for who, role in _ROLES.items():
            email = await seed.member(scopes["A1"], bearer(admin_a), a1, who, role)
            tokens[who] = await seed.login(email, PASSWORD)
        await submitted_post(seed, scopes["A1"], bearer(tokens["cm"]))
        # The targets' crises: detected while the rest was made.
        await crisis_kinds(seed, scopes["A2"], bearer(admin_a))
        await crisis_kinds(seed, scopes["B"], bearer(admin_b))
        world = World(scopes, tokens)
        await _revoked_partner(seed, world, bearer(admin_a))
        return world
    finally:
        for channel in channels.values():
            await channel.close()


async def _revoked_partner(seed: Seeder, world: World, admin: Any) -> None:
    """A partner client of A that got a token, then was revoked."""
    a1 = world.scopes["A1"]
    name, client_id, secret = await seed.partner(a1, admin, a1.first("brands"))
    world.revoked_partner_token = await seed.partner_token(client_id, secret)
    world.revoked_partner = (client_id, secret)
    await seed.directory.RevokePartnerClient(
        dpb.RevokePartnerClientRequest(name=name), metadata=admin
    )
