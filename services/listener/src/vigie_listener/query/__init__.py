"""`python -m vigie_listener.query`: check a listening query, or match it against texts.

check 'QUERY'   exit 0 and print the canonical (fully parenthesised) form, or exit 1 and
                print the error (`position 14: expected a term or '(' after AND`)
match 'QUERY'   read one text per line on stdin, print 1 or 0 per line; a query that does
                not parse prints its error on stderr and exits 1
"""

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from vigie_listener.domain.query_language import (
    MatchableItem,
    QuerySyntaxError,
    compile_query,
)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m vigie_listener.query")
    parser.add_argument("command", choices=["check", "match"])
    parser.add_argument("query")
    return parser.parse_args(argv)


def main(
    argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    arguments = _arguments(argv)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        query = compile_query(arguments.query)
    except QuerySyntaxError as error:
        print(error, file=stdout if arguments.command == "check" else sys.stderr)
        return 1
    if arguments.command == "check":
        print(query.canonical, file=stdout)
        return 0
    for line in stdin:
        matched = query.matches(MatchableItem(line.rstrip("\r\n")))
        stdout.write("1\n" if matched else "0\n")
    return 0
