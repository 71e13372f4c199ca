"""Listening-query matcher throughput: 10,000 active queries of 1,000 tenants over a stream of
real tweets (UMSAB English/French/Spanish validation texts when the shared data is present,
generated sentences otherwise), with brand terms injected into a fraction of them.

    uv run python bench/bench_matcher.py [--items 20000] [--queries 10000] [--profile]

Prints the build time and the mentions matched per second on one core; writes
bench/results/matcher.json.
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import time
from pathlib import Path

from vigie_listener.domain.query_language import (
    MatchableItem,
    Matcher,
    analyse,
    compile_query,
)
from vigie_runtime.testing.shared import shared_dir

LANGUAGES = {"english": "en", "french": "fr", "spanish": "es"}
SYLLABLES = [
    "zor",
    "vex",
    "lu",
    "mo",
    "ra",
    "ki",
    "ta",
    "nex",
    "qui",
    "bel",
    "dor",
    "sa",
    "fin",
    "cor",
    "al",
    "tri",
    "vo",
    "ly",
    "pax",
    "ze",
]
PRODUCTS = [
    "shoes",
    "phone",
    "battery",
    "delivery",
    "price",
    "refund",
    "coffee",
    "café",
    "app",
    "update",
    "screen",
    "laptop",
    "chaussures",
    "livraison",
    "remboursement",
    "prix",
    "appli",
    "zapatos",
    "entrega",
    "precio",
    "reembolso",
    "jacket",
    "bag",
    "watch",
    "camera",
    "tablet",
    "headphones",
    "subscription",
    "store",
    "order",
    "service",
]
COMPLAINTS = [
    "broken",
    "late",
    "delay",
    "scam",
    "awful",
    "panne",
    "retard",
    "arnaque",
    "roto",
    "tarde",
    "estafa",
]
FALLBACK = [
    "the",
    "new",
    "store",
    "opened",
    "today",
    "and",
    "people",
    "love",
    "the",
    "service",
    "but",
    "the",
    "price",
    "is",
    "high",
]


def brand_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        name = "".join(rng.sample(SYLLABLES, rng.randint(2, 3))).capitalize()
        names.add(name if rng.random() > 0.15 else f"{name} {rng.choice(PRODUCTS).capitalize()}")
    return sorted(names)


def query_for(brand: str, rival: str, rng: random.Random) -> str:
    """One of the shapes social media managers write, in realistic proportions."""
    word = brand.split(maxsplit=1)[0]
    quoted = f'"{brand}"' if " " in brand else brand
    products = " OR ".join(rng.sample(PRODUCTS, rng.randint(2, 5)))
    shapes = [
        (30, f"{quoted} OR #{word.lower()} OR @{word.lower()}"),
        (20, f"{quoted} ({products})"),
        (15, f'{quoted} -{rival.split(maxsplit=1)[0]} -"job offer"'),
        (10, f"{quoted} NEAR/3 ({' OR '.join(rng.sample(COMPLAINTS, 3))})"),
        (10, f"{word[: rng.randint(4, 6)].lower()}* lang:{rng.choice(list(LANGUAGES.values()))}"),
        (8, f'({quoted} OR "{word} {rng.choice(PRODUCTS)}") lang:fr'),
        (5, f"site:{word.lower()}.com OR ({quoted} NEAR/2f {rng.choice(PRODUCTS)})"),
        # No positive term: evaluated for every item (a watch on other languages).
        (0.3, f"-lang:en -lang:fr -lang:es -{word}"),
    ]
    return rng.choices([q for _, q in shapes], weights=[w for w, _ in shapes])[0]


def texts() -> list[tuple[str, str]]:
    found = []
    for folder, language in LANGUAGES.items():
        path = shared_dir() / "data" / "umsab" / folder / "val_text.txt"
        if path.exists():
            found += [(line, language) for line in path.read_text().splitlines() if line]
    if not found:
        rng = random.Random(3)
        found = [(" ".join(rng.choices(FALLBACK, k=15)), "en") for _ in range(1000)]
    return found


def stream(count: int, brands: list[str], rng: random.Random) -> list[MatchableItem]:
    base = texts()
    items = []
    for _ in range(count):
        text, language = rng.choice(base)
        if rng.random() < 0.2:  # a fifth of the stream mentions a brand
            brand = rng.choice(brands)
            mention = rng.choice([brand, f"#{brand.split()[0]}", f"{brand} {rng.choice(PRODUCTS)}"])
            words = text.split()
            words.insert(rng.randint(0, len(words)), mention)
            text = " ".join(words)
        items.append(MatchableItem(text, language=language, source="bluesky"))
    return items


def build(query_count: int, tenants: int, brands: list[str], rng: random.Random) -> Matcher:
    matcher = Matcher()
    for number in range(query_count):
        brand, rival = rng.sample(brands, 2)
        matcher.add(
            f"q{number}", f"t{number % tenants}", compile_query(query_for(brand, rival, rng))
        )
    return matcher


def run(matcher: Matcher, items: list[MatchableItem]) -> tuple[float, int, int]:
    started = time.perf_counter()
    matched = candidates = 0
    for item in items:
        analysed = analyse(item)
        candidates += len(matcher.candidates(analysed))
        matched += len(matcher.match(analysed))
    return time.perf_counter() - started, matched, candidates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--tenants", type=int, default=1_000)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    rng = random.Random(42)
    brands = brand_names(3_000, rng)
    started = time.perf_counter()
    matcher = build(arguments.queries, arguments.tenants, brands, rng)
    build_seconds = time.perf_counter() - started
    items = stream(arguments.items, brands, rng)
    run(matcher, items[:1000])  # warm the folding memo as a running service would be
    profile = cProfile.Profile() if arguments.profile else None
    if profile:
        profile.enable()
    # `run` calls candidates() once more for the statistics: time match() alone.
    started, cpu_started = time.perf_counter(), time.process_time()
    for item in items:
        matcher.match(item)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
    _, matched, candidates = run(matcher, items)
    report(arguments, build_seconds, (seconds, cpu_seconds), matched, candidates, len(items))


def report(
    arguments: argparse.Namespace, build_s: float, timing: tuple[float, float], *counts: int
) -> None:
    """Wall-clock and CPU figures: on a shared machine the CPU time is the one-core figure."""
    (seconds, cpu_seconds), (matched, candidates, items) = timing, counts
    results = {
        "queries": arguments.queries,
        "tenants": arguments.tenants,
        "items": items,
        "build_seconds": round(build_s, 3),
        "build_queries_per_second": round(arguments.queries / build_s),
        "mentions_per_second": round(items / seconds),
        "mentions_per_cpu_second": round(items / cpu_seconds),
        "microseconds_per_mention": round(seconds / items * 1e6, 1),
        "matches_per_mention": round(matched / items, 3),
        "candidates_per_mention": round(candidates / items, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    for key, value in results.items():
        print(f"{key:>26}: {value}")
    out = Path(__file__).parent / "results" / "matcher.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
