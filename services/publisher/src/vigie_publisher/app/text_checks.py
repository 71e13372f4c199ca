"""ValidateText: a network's verdict on a text, with where each problem is."""

from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_publisher.app.networks import NETWORKS
from vigie_publisher.domain.posts import text_problems
from vigie_publisher.domain.text import Network, validate

MAX_TEXT = 100_000


def validate_text(network: "pb.Network.ValueType", text: str) -> rpc.ValidateTextResponse:
    """Reads nothing of the tenant: any authenticated caller may ask."""
    if network not in NETWORKS:
        raise InvalidArgument("network", "must name a supported network")
    if len(text) > MAX_TEXT:
        raise InvalidArgument("text", f"at most {MAX_TEXT} characters", "TEXT_TOO_LARGE")
    kind = Network(NETWORKS[network])
    result = validate(kind, text)
    problems = [
        rpc.TextProblem(code=p.code, message=p.message, start=p.start, end=p.end)
        for p in text_problems(kind, text, "text", None)
    ]
    return rpc.ValidateTextResponse(
        valid=result.valid, length=result.length, limit=result.limit, problems=problems
    )
