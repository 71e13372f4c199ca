"""The indexed multi-tenant matcher returns exactly what evaluating every query would."""

from hypothesis import given, settings
from hypothesis import strategies as st
from vigie_listener.domain.query_language import (
    CompiledQuery,
    MatchableItem,
    Matcher,
    analyse,
    compile_query,
)

POSITIONAL = ["nike", "air", "max", "café", "apple", "pie", "苹果", "🔥", '"air max"', "ap*", "ca*"]
POSITIONAL += ["applesa*", "capita*"]
LEAVES = [*POSITIONAL, "#nike", "@bob", "raw:Café", "raw:Nike", "raw:Ca*", "#ni*"]
LEAVES += ["lang:fr", "lang:en", "site:nike.com", "source:bluesky", "author:bob"]
WORDS = ["Nike", "nike", "air", "Max", "café", "Café", "cafe", "apple", "applesauce", "pie"]
WORDS += ["我喜欢苹果", "🔥", "#Nike", "@bob", "https://shop.nike.com/x", "pineapple", "capital"]


def _near(sides: tuple[str, str], distance: int, ordered: bool) -> str:
    return f"({sides[0]} NEAR/{distance}{'f' if ordered else ''} {sides[1]})"


positional = st.recursive(
    st.sampled_from(POSITIONAL),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda q: "(" + " OR ".join(q) + ")"),
        st.builds(_near, st.tuples(inner, inner), st.integers(0, 3), st.booleans()),
    ),
    max_leaves=4,
)
queries = st.recursive(
    st.one_of(st.sampled_from(LEAVES), positional),
    lambda inner: st.one_of(
        inner.map(lambda q: f"-{q}"),
        st.lists(inner, min_size=2, max_size=3).map(lambda q: "(" + " ".join(q) + ")"),
        st.lists(inner, min_size=2, max_size=3).map(lambda q: "(" + " OR ".join(q) + ")"),
    ),
    max_leaves=8,
)
items = st.builds(
    MatchableItem,
    text=st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    language=st.sampled_from([None, "fr", "en"]),
    author_handle=st.sampled_from([None, "bob", "@alice"]),
    source=st.sampled_from([None, "bluesky", "rss"]),
    url=st.sampled_from([None, "https://nike.com/a", "https://example.org"]),
)
tenants = st.sampled_from(["t1", "t2", "t3"])


def naive(queries: dict[str, tuple[str, CompiledQuery]], item: MatchableItem) -> list[str]:
    return sorted(query_id for query_id, (_, query) in queries.items() if query.matches(item))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(queries, tenants), min_size=1, max_size=25), st.lists(items, max_size=6))
def test_the_index_finds_exactly_what_evaluating_every_query_finds(
    generated: list[tuple[str, str]], stream: list[MatchableItem]
) -> None:
    active = {f"q{i}": (tenant, compile_query(q)) for i, (q, tenant) in enumerate(generated)}
    matcher = Matcher()
    for query_id, (tenant, query) in active.items():
        matcher.add(query_id, tenant, query)
    for item in stream:
        assert matcher.match(item) == naive(active, item)
        only_t1 = {k: v for k, v in active.items() if v[0] == "t1"}
        assert matcher.match(item, tenants={"t1"}) == naive(only_t1, item)


@settings(max_examples=200, deadline=None)
@given(queries)
def test_the_canonical_form_parses_back_to_the_same_query(query: str) -> None:
    compiled = compile_query(query)
    assert compile_query(compiled.canonical).tree == compiled.tree


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), queries), min_size=1, max_size=30),
    st.lists(st.integers(0, 9), max_size=10),
    st.lists(items, min_size=1, max_size=4),
)
def test_adding_and_removing_one_by_one_equals_building_afresh(
    additions: list[tuple[int, str]], removals: list[int], stream: list[MatchableItem]
) -> None:
    incremental = Matcher()
    for number, query in additions:
        incremental.add(f"q{number}", "t", compile_query(query))
    for number in removals:
        incremental.remove(f"q{number}")
    kept = {f"q{n}": q for n, q in additions if n not in removals}  # the last addition wins
    fresh = Matcher()
    for query_id, query in kept.items():
        fresh.add(query_id, "t", compile_query(query))
    assert len(incremental) == len(kept)
    for item in stream:
        assert incremental.match(item) == fresh.match(item)


def test_a_removed_query_no_longer_matches_and_leaves_no_candidate() -> None:
    matcher = Matcher()
    matcher.add("q1", "t", compile_query("nike OR appl*"))
    matcher.add("q2", "t", compile_query("-spam"))
    item = MatchableItem("nike apples")
    assert matcher.match(item) == ["q1", "q2"]
    assert matcher.remove("q1") and matcher.remove("q2")
    assert matcher.match(item) == []
    assert matcher.candidates(analyse(item)) == set()
    assert not matcher.remove("q1")


def test_adding_an_existing_id_replaces_its_query() -> None:
    matcher = Matcher()
    matcher.add("q1", "t", compile_query("nike"))
    matcher.add("q1", "t", compile_query("adidas"))
    assert len(matcher) == 1
    assert matcher.match(MatchableItem("nike")) == []
    assert matcher.match(MatchableItem("adidas")) == ["q1"]


def test_only_queries_whose_required_terms_appear_are_evaluated() -> None:
    matcher = Matcher()
    matcher.add("brand", "t", compile_query('(nike OR "air max") -adidas'))
    matcher.add("lang", "t", compile_query("lang:fr"))
    matcher.add("negation", "t", compile_query("NOT spam"))
    assert matcher.candidates(analyse(MatchableItem("hello", language="en"))) == {"negation"}
    assert matcher.candidates(analyse(MatchableItem("air", language="fr"))) == {
        "brand",
        "lang",
        "negation",
    }


def test_match_can_be_restricted_to_some_tenants() -> None:
    matcher = Matcher()
    matcher.add("a", "tenant-a", compile_query("nike"))
    matcher.add("b", "tenant-b", compile_query("nike"))
    assert matcher.match(MatchableItem("nike")) == ["a", "b"]
    assert matcher.match(MatchableItem("nike"), tenants={"tenant-b"}) == ["b"]
