"""An open-loop HTTP/1.1 load generator on raw asyncio sockets, run as its own process(es) so the
client is not what the benchmark measures.

`python bench/load_generator.py --url URL --body-file F --token T --rate R --seconds S
--start-at WALL --index k --processes P [--connections N]` sends request i (i = k, k + P, ...)
at start-at + i / R: the P processes share one schedule of R * S requests, R requests/s in all.
Each request is a POST on one of N keep-alive connections opened before the start; a request
whose moment has come waits for a free connection, and its latency counts from its planned
moment (no coordinated omission: a server that falls behind shows it). A request fails on a
non-200 status, a GraphQL `errors` key, a broken connection or TIMEOUT. Prints one JSON object:
{"latencies": [...seconds], "failures": [...first ones], "failed": n, "last_done": wall time}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

TIMEOUT = 10.0  # seconds a request may take, waiting for a connection included
ERRORS_KEY = b'"errors":'


class Connection:
    """One keep-alive HTTP/1.1 connection: one request at a time, reopened after a failure."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise RuntimeError("no content-length in the answer")
        return status, await self.reader.readexactly(length)


def build_request(url: str, body: bytes, token: str) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = (
        f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: application/json\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return host, port, head.encode() + body


async def generate(args: argparse.Namespace, body: bytes) -> dict[str, object]:
    host, port, request = build_request(args.url, body, args.token)
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(args.connections):
        connection = Connection(host, port)
        await connection.open()
        pool.put_nowait(connection)
    # Wall-clock start shared by the processes, mapped onto this process' monotonic clock.
    start = time.perf_counter() + (args.start_at - time.time())
    total = int(args.rate * args.seconds)
    mine = range(args.index, total, args.processes)
    latencies: list[float] = []
    failures: list[str] = []

    async def one(planned: float) -> None:
        await asyncio.sleep(max(0.0, planned - time.perf_counter()))
        connection: Connection | None = None
        try:
            async with asyncio.timeout(TIMEOUT):
                connection = await pool.get()
                status, answer = await connection.exchange(request)
            if status != 200 or ERRORS_KEY in answer:
                failures.append(f"{status} {answer[:300]!r}")
        except (OSError, TimeoutError, asyncio.IncompleteReadError, RuntimeError) as error:
            failures.append(f"{type(error).__name__}: {error}")
            if connection is not None:
                connection.close()  # its answer may still come: never reuse it
        finally:
            if connection is not None:
                pool.put_nowait(connection)
        # A failure counts with the time it took to fail: dropping it would flatter.
        latencies.append(time.perf_counter() - planned)

    await asyncio.gather(*(one(start + i / args.rate) for i in mine))
    last_done = time.time()
    while not pool.empty():
        pool.get_nowait().close()
    return {
        "latencies": latencies,
        "failed": len(failures),
        "failures": failures[:3],
        "last_done": last_done,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--body-file", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests/s of all processes")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--start-at", type=float, required=True, help="time.time() of request 0")
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    result = asyncio.run(generate(args, Path(args.body_file).read_bytes()))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
