"""The arithmetic behind the cost limit and the rate limit, without a server."""

from graphql import parse
from vigie_gateway.config import Settings
from vigie_gateway.http.cost import operation_cost
from vigie_gateway.http.rate_limit import RateLimiter, caller_key
from vigie_gateway.schema import build_schema


def cost(query: str, **variables: object) -> int:
    return operation_cost(parse(query), None, variables)


def test_every_field_costs_one_and_a_page_multiplies_what_it_selects() -> None:
    assert cost("{ a b }") == 2
    assert cost("{ a(first: 50) { b(first: 20) { c } } }") == 1 + 50 * (1 + 20 * 1)


def test_page_sizes_given_as_variables_are_read_from_the_request() -> None:
    query = "query($n: Int) { a(first: $n) { b c } }"
    assert cost(query, n=10) == 1 + 10 * 2
    assert cost(query) == 1 + 1 * 2


def test_fragments_count_where_they_are_spread_and_cycles_are_cut() -> None:
    assert cost("{ a(first: 3) { ...F } } fragment F on T { b c }") == 1 + 3 * 2
    assert cost("{ a { ...F } } fragment F on T { b ...F }") == 1 + 1


def test_a_page_counts_at_most_the_largest_page_a_service_returns() -> None:
    assert cost("{ a(first: 1000000) { b } }") == 1 + 1000


def test_the_chosen_operation_is_the_one_costed() -> None:
    document = parse("query Cheap { a } query Dear { a(first: 9) { b } }")
    assert operation_cost(document, "Cheap", {}) == 1
    assert operation_cost(document, "Dear", {}) == 10


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_second=0.5, burst=2, clock=clock)
    assert limiter.take("a") is None
    assert limiter.take("a") is None
    assert limiter.take("a") == 2  # one token comes back in 2 s
    assert limiter.take("b") is None  # another caller, another bucket
    clock.now = 2.0
    assert limiter.take("a") is None
    assert limiter.take("a") is not None


def test_forgotten_callers_make_room_and_start_again_full() -> None:
    limiter = RateLimiter(per_second=0.001, burst=1, max_callers=2, clock=Clock())
    assert limiter.take("a") is None
    assert limiter.take("a") is not None
    limiter.take("b")
    limiter.take("c")  # "a" is the least recently seen: forgotten
    assert limiter.take("a") is None


def test_a_logged_in_caller_is_counted_by_token_and_an_anonymous_one_by_address() -> None:
    assert caller_key("users/1", "t1", "10.0.0.1") == "token:t1:users/1"
    assert caller_key(None, None, "10.0.0.1") == "ip:10.0.0.1"


def test_a_page_size_left_out_counts_the_schemas_default() -> None:
    schema = build_schema(Settings())._schema
    document = parse("{ brands { nodes { id ... on Brand { displayName } } } }")
    assert operation_cost(document, None, {}, schema) == 1 + 50 * (1 + 2)
