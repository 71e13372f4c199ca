"""A refusal that echoes a huge input still fits in the status headers, reason included."""

from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.grpc_errors import MAX_TEXT, to_grpc_status


def test_a_refusal_echoing_a_huge_input_is_cut_to_fit_the_headers() -> None:
    huge = "0" * 100_000  # e.g. an update_mask path a fuzzer sent (tests/fuzz)
    status = to_grpc_status(InvalidArgument("update_mask", f"cannot update {huge}"))
    details = dict(status.trailing_metadata)["grpc-status-details-bin"]
    parsed = status_pb2.Status.FromString(details)
    info = error_details_pb2.ErrorInfo()
    assert parsed.details[0].Unpack(info)
    assert info.reason == "INVALID_ARGUMENT"
    assert len(status.details) <= MAX_TEXT and len(details) < 16_384
    assert "cannot update 000" in rpc_status.to_status(parsed).details
