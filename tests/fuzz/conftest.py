"""The security suites' platform and world, started once for the fuzzers: the same five services,
gateway and principals (tests/security/conftest.py), imported rather than rebuilt."""

from tests.security.conftest import Attacked, attacked

__all__ = ["Attacked", "attacked"]
