"""The directory through GraphQL, as a front end uses it."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Gateway

SUBSIDIARY = """
mutation($input: CreateSubsidiaryInput!) {
  createSubsidiary(input: $input) { subsidiary { id displayName timeZone etag } errors { code reason message field } }
}"""
BRAND = """
mutation($input: CreateBrandInput!) {
  createBrand(input: $input) {
    brand { id displayName kind subsidiary { id timeZone } } errors { code reason message field }
  }
}"""
MEMBER = """
mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id email } errors { code reason message field } } }"""


def code_of(result: dict) -> str:  # type: ignore[type-arg]
    """The top-level error's code, else the mutation payload's first error's reason."""
    if result.get("errors"):
        return str(result["errors"][0]["extensions"]["code"])
    (payload,) = result["data"].values()
    assert payload["errors"], result
    return str(payload["errors"][0]["reason"])


async def new_subsidiary(gateway: "Gateway", token: str, name: str = "France") -> dict:  # type: ignore[type-arg]
    result = await gateway.query(
        SUBSIDIARY,
        {
            "input": {
                "displayName": name,
                "country": "FR",
                "locale": "fr-FR",
                "timeZone": "Europe/Paris",
            }
        },
        token,
    )
    return result["data"]["createSubsidiary"]["subsidiary"]  # type: ignore[no-any-return]


async def test_log_in_create_a_subsidiary_and_a_brand_and_read_them_back(
    gateway: "Gateway",
) -> None:
    token = await gateway.login()
    me = await gateway.query("{ me { email roles { role subsidiary { id } } } }", token=token)
    assert me["data"]["me"] == {
        "email": "admin@acme.test",
        "roles": [{"role": "GROUP_ADMIN", "subsidiary": None}],
    }
    france = await new_subsidiary(gateway, token)
    created = await gateway.query(
        BRAND,
        {"input": {"subsidiaryId": france["id"], "displayName": "Lumière", "aliases": ["Lumiere"]}},
        token,
    )
    brand = created["data"]["createBrand"]["brand"]
    assert brand["subsidiary"] == {"id": france["id"], "timeZone": "Europe/Paris"}
    listed = await gateway.query(
        "{ brands(first: 10) { nodes { id displayName subsidiary { displayName } } pageInfo { hasNextPage } } }",
        token=token,
    )
    assert listed["data"]["brands"]["nodes"] == [
        {"id": brand["id"], "displayName": "Lumière", "subsidiary": {"displayName": "France"}}
    ]
    assert listed["data"]["brands"]["pageInfo"] == {"hasNextPage": False}


async def test_an_update_changes_only_the_fields_given(gateway: "Gateway") -> None:
    token = await gateway.login()
    france = await new_subsidiary(gateway, token)
    result = await gateway.query(
        "mutation($i: UpdateSubsidiaryInput!) { updateSubsidiary(input: $i) { subsidiary { displayName timeZone etag } errors { code } } }",
        {"i": {"id": france["id"], "etag": france["etag"], "displayName": "France SAS"}},
        token,
    )
    assert result["data"]["updateSubsidiary"]["subsidiary"] == {
        "displayName": "France SAS",
        "timeZone": "Europe/Paris",
        "etag": "2",
    }


async def test_no_token_and_bad_tokens_are_refused_with_a_code(gateway: "Gateway") -> None:
    assert code_of(await gateway.query("{ me { email } }")) == "TOKEN_MISSING"
    assert code_of(await gateway.query("{ me { email } }", token="not-a-jwt")) == "TOKEN_MALFORMED"
    refused = await gateway.query(
        'mutation { login(input: {email: "admin@acme.test", password: "wrong-password"}) '
        "{ token } }"
    )
    assert code_of(refused) == "INVALID_CREDENTIALS"


async def test_a_community_manager_cannot_create_a_brand(gateway: "Gateway") -> None:
    token = await gateway.login()
    france = await new_subsidiary(gateway, token)
    await gateway.query(
        MEMBER,
        {"input": {"email": "cm@acme.test", "displayName": "CM", "password": "cm-password-1",
                   "roles": [{"role": "COMMUNITY_MANAGER", "subsidiaryId": france["id"]}]}},
        token,
    )  # fmt: skip
    cm = await gateway.login("cm@acme.test", "cm-password-1")
    result = await gateway.query(
        BRAND, {"input": {"subsidiaryId": france["id"], "displayName": "X"}}, cm
    )
    assert code_of(result) == "ROLE_REQUIRED"
    assert result["data"] is None


async def test_bad_input_gets_a_clear_error_never_a_500_or_a_traceback(gateway: "Gateway") -> None:
    token = await gateway.login()
    france = await new_subsidiary(gateway, token)
    cases = [
        (SUBSIDIARY, {"input": {"displayName": "", "country": "FR", "locale": "fr-FR", "timeZone": "Europe/Paris"}}, "INVALID_ARGUMENT"),
        (SUBSIDIARY, {"input": {"displayName": "X", "country": "ZZ", "locale": "fr-FR", "timeZone": "Europe/Paris"}}, "INVALID_ARGUMENT"),
        (SUBSIDIARY, {"input": {"displayName": "X", "country": "FR", "locale": "fr-FR", "timeZone": "Mars/Olympus"}}, "INVALID_ARGUMENT"),
        (SUBSIDIARY, {"input": {"displayName": "x" * 10_000, "country": "FR", "locale": "fr-FR", "timeZone": "UTC"}}, "INVALID_ARGUMENT"),
        (BRAND, {"input": {"subsidiaryId": "tenants/nope", "displayName": "X"}}, "INVALID_ARGUMENT"),
        (BRAND, {"input": {"subsidiaryId": france["id"] + "x", "displayName": "X"}}, "SUBSIDIARY_NOT_FOUND"),
        ("{ brand(id: \"tenants/a/brands/b\") { id } }", {}, "BRAND_NOT_FOUND"),
        ("{ brands(first: 100000) { nodes { id } } }", {}, "INVALID_ARGUMENT"),
        ("{ brands(after: \"garbage\") { nodes { id } } }", {}, "INVALID_ARGUMENT"),
    ]  # fmt: skip
    for query, variables, expected in cases:
        result = await gateway.query(query, variables, token)
        assert code_of(result) == expected, (query, variables, result)
        assert "Traceback" not in str(result)
    wrong_type = await gateway.query(SUBSIDIARY, {"input": {"displayName": 12}}, token)
    assert wrong_type["errors"] and "Traceback" not in str(wrong_type)


async def test_deep_and_aliased_queries_are_refused(gateway: "Gateway") -> None:
    token = await gateway.login()
    deep = "{ brands { nodes { " + "competitors { " * 20 + "id" + " }" * 20 + " } } }"
    assert (
        "exceeds maximum operation depth"
        in (await gateway.query(deep, token=token))["errors"][0]["message"]
    )
    aliased = "{ " + " ".join(f"a{i}: me {{ email }}" for i in range(40)) + " }"
    assert (await gateway.query(aliased, token=token))["errors"]


async def test_expired_foreign_and_other_tenant_tokens_are_refused_on_graphql(
    gateway: "Gateway", tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from vigie_runtime.principal import Principal, Role, RoleGrant
    from vigie_runtime.tokens import SigningKey, TokenIssuer, load_or_create_signing_key

    own_key = load_or_create_signing_key(tmp_path / "keys" / "signing-key.pem", create=False)
    tenant = gateway.tenant.split("/")[1]

    def token(key: SigningKey, ttl: timedelta, tenant_id: str = tenant) -> str:
        principal = Principal(
            subject=f"tenants/{tenant_id}/members/01aaaaaaaaaaaaaaaaaaaaaaaa",
            tenant=tenant_id,
            grants=(RoleGrant(Role.GROUP_ADMIN),),
        )
        return TokenIssuer(key, "vigie-directory", "vigie").issue(principal, ttl)[0]

    expired = token(own_key, timedelta(minutes=-5))
    foreign = token(SigningKey.generate(), timedelta(minutes=5))
    assert code_of(await gateway.query("{ organization { id } }", token=expired)) == "TOKEN_EXPIRED"
    assert (
        code_of(await gateway.query("{ organization { id } }", token=foreign))
        == "TOKEN_KEY_UNKNOWN"
    )
    stranger = token(own_key, timedelta(minutes=5), "01zzzzzzzzzzzzzzzzzzzzzzzz")
    admin = await gateway.login()
    france = await new_subsidiary(gateway, admin)
    result = await gateway.query(f'{{ subsidiary(id: "{france["id"]}") {{ id }} }}', token=stranger)
    assert code_of(result) == "SUBSIDIARY_NOT_FOUND"


async def test_refusals_come_back_in_the_payload_with_a_code_a_ui_switches_on(
    gateway: "Gateway",
) -> None:
    token = await gateway.login()
    bad = await gateway.query(
        SUBSIDIARY,
        {"input": {"displayName": "X", "country": "ZZ", "locale": "fr-FR", "timeZone": "UTC"}},
        token,
    )
    assert "errors" not in bad
    payload = bad["data"]["createSubsidiary"]
    assert payload["subsidiary"] is None
    (error,) = payload["errors"]
    assert (error["code"], error["reason"], error["field"]) == (
        "INVALID_INPUT", "INVALID_ARGUMENT", ["country"],
    )  # fmt: skip
    france = await new_subsidiary(gateway, token)
    changed = await gateway.query(
        "mutation($i: UpdateSubsidiaryInput!) { updateSubsidiary(input: $i) { subsidiary { etag } } }",
        {"i": {"id": france["id"], "etag": france["etag"], "displayName": "France SAS"}},
        token,
    )
    assert changed["data"]["updateSubsidiary"]["subsidiary"]["etag"] != france["etag"]
    delete = """mutation($i: DeleteSubsidiaryInput!) {
      deleteSubsidiary(input: $i) { deletedId errors { code reason } } }"""
    stale = await gateway.query(delete, {"i": {"id": france["id"], "etag": france["etag"]}}, token)
    assert stale["data"]["deleteSubsidiary"] == {
        "deletedId": None,
        "errors": [{"code": "CONFLICT", "reason": "ETAG_MISMATCH"}],
    }
    gone = await gateway.query(delete, {"i": {"id": france["id"]}}, token)
    assert gone["data"]["deleteSubsidiary"] == {"deletedId": france["id"], "errors": []}
    again = await gateway.query(delete, {"i": {"id": france["id"]}}, token)
    assert again["data"]["deleteSubsidiary"]["errors"][0]["code"] == "NOT_FOUND"


async def test_a_create_retried_with_its_request_id_returns_the_first_object(
    gateway: "Gateway",
) -> None:
    token = await gateway.login()
    fields = {"country": "FR", "locale": "fr-FR", "timeZone": "Europe/Paris"}
    once = {"input": {"displayName": "France", "requestId": "sub-1", **fields}}
    first = (await gateway.query(SUBSIDIARY, once, token))["data"]["createSubsidiary"]
    retried = (await gateway.query(SUBSIDIARY, once, token))["data"]["createSubsidiary"]
    assert retried["subsidiary"]["id"] == first["subsidiary"]["id"] and not retried["errors"]
    brand = {"subsidiaryId": first["subsidiary"]["id"], "displayName": "L", "requestId": "b-1"}
    made = [
        (await gateway.query(BRAND, {"input": brand}, token))["data"]["createBrand"] for _ in "ab"
    ]
    assert made[0]["brand"]["id"] == made[1]["brand"]["id"]
    listed = await gateway.query(
        "{ subsidiaries { nodes { id } } brands { nodes { id } } }", token=token
    )
    assert len(listed["data"]["subsidiaries"]["nodes"]) == 1
    assert len(listed["data"]["brands"]["nodes"]) == 1
