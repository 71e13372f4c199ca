"""Update masks (AIP-134): which fields an Update changes."""

from collections.abc import Iterable

from google.protobuf.field_mask_pb2 import FieldMask

from vigie_runtime.errors import InvalidArgument


def paths_to_update(mask: FieldMask, updatable: Iterable[str]) -> set[str]:
    """The mask's paths, refused when one is not updatable; an empty mask means all of them."""
    allowed = set(updatable)
    if not mask.paths:
        return allowed
    unknown = [p for p in mask.paths if p not in allowed]
    if unknown:
        raise InvalidArgument(
            "update_mask",
            f"cannot update {', '.join(unknown)}; updatable: {', '.join(sorted(allowed))}",
        )
    return set(mask.paths)


def check_etag(given: str, version: int) -> None:
    """Optimistic concurrency: an etag that does not match the stored version is ABORTED."""
    from vigie_runtime.errors import Aborted

    if given and given != str(version):
        raise Aborted("ETAG_MISMATCH", "the resource changed since it was read; read it again")
