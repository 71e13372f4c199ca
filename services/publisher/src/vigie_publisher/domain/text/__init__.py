"""Per-network text rules of the publisher: lengths, limits, facets and thread splitting.

Pure functions, no I/O. Start with `validate(network, text)`.
"""

from vigie_publisher.domain.text.bluesky import (
    ByteSlice,
    Facet,
    LinkFacet,
    MentionFacet,
    TagFacet,
    detect_facets,
)
from vigie_publisher.domain.text.model import Network, ProblemCode, TextProblem, ValidationResult
from vigie_publisher.domain.text.networks import validate
from vigie_publisher.domain.text.thread import ThreadSplitError, split_into_thread

__all__ = [
    "ByteSlice",
    "Facet",
    "LinkFacet",
    "MentionFacet",
    "Network",
    "ProblemCode",
    "TagFacet",
    "TextProblem",
    "ThreadSplitError",
    "ValidationResult",
    "detect_facets",
    "split_into_thread",
    "validate",
]
