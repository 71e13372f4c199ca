"""Operations the isolation matrix does not call, each with why. The matrix fails on an
operation that is neither called nor listed here (that is what makes a new field or method
covered without editing the test), and on an entry that no longer names an operation.

Keys: `grpc:/<package.Service>/<Method>` and `graphql:<Root>.<field>`."""

EXEMPT: dict[str, str] = {}


def check_exemptions(operations: set[str], covered: set[str]) -> None:
    """Every operation covered or exempted; every exemption about an existing operation."""
    missing = sorted(operations - covered - set(EXEMPT))
    assert not missing, f"operations neither covered by the matrix nor exempted: {missing}"
    stale = sorted(key for key in EXEMPT if key.split(":", 1)[0] in _kinds(operations)
                   and key not in operations)  # fmt: skip
    assert not stale, f"exemptions of operations that no longer exist: {stale}"


def _kinds(operations: set[str]) -> set[str]:
    return {o.split(":", 1)[0] for o in operations}
