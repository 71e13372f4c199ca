"""What the schema refuses before any resolver runs, in development and in production."""

from vigie_gateway.config import Settings
from vigie_gateway.schema import build_schema
from vigie_runtime.settings import PlatformSettings

INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_is_on_in_development_and_off_in_production() -> None:
    development = build_schema(Settings(platform=PlatformSettings(environment="development")))
    production = build_schema(Settings(platform=PlatformSettings(environment="production")))
    assert (await development.execute(INTROSPECTION)).data == {
        "__schema": {"queryType": {"name": "Query"}}
    }
    refused = await production.execute(INTROSPECTION)
    assert refused.errors and "introspection" in refused.errors[0].message.lower()


async def test_a_query_with_too_many_tokens_is_refused() -> None:
    schema = build_schema(Settings(max_tokens=100))
    result = await schema.execute("{ " + " ".join(f"a{i}: __typename" for i in range(80)) + " }")
    assert result.errors
