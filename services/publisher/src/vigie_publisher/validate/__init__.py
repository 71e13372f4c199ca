"""`python -m vigie_publisher.validate --network NETWORK`: check the text on stdin.

Prints `{"valid", "length", "limit", "errors": [{"code", "message", "position"}]}` as JSON and
exits 0 whatever the verdict; a bad network name is a usage error (exit 2).
"""

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from vigie_publisher.domain.text.model import Network, ValidationResult
from vigie_publisher.domain.text.networks import validate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vigie_publisher.validate",
        description="Check a post's text (read from stdin) against a network's rules.",
    )
    parser.add_argument("--network", required=True, choices=[network.value for network in Network])
    parser.add_argument(
        "--instance-limit", type=int, default=None, help="a Mastodon server's character limit"
    )
    return parser


def as_json(result: ValidationResult) -> str:
    return json.dumps(
        {
            "valid": result.valid,
            "length": result.length,
            "limit": result.limit,
            "errors": [
                {
                    "code": str(problem.code),
                    "message": problem.message,
                    "position": problem.position,
                }
                for problem in result.errors
            ],
        },
        ensure_ascii=False,
    )


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None) -> int:
    arguments = _parser().parse_args(argv)
    text = (stdin or sys.stdin).read()
    # The shell's final newline is not part of the post.
    text = text.removesuffix("\n")
    result = validate(Network(arguments.network), text, instance_limit=arguments.instance_limit)
    print(as_json(result))
    return 0
