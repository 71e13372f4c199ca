import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.request_text import refuse_nul


def test_a_nul_anywhere_in_a_request_is_refused_naming_its_field() -> None:
    request = rpc.UpdateBrandRequest(
        brand=pb.Brand(
            name="tenants/a/brands/b", handles=[pb.SocialHandle(network="x", handle="a\x00")]
        ),
        update_mask=FieldMask(paths=["handles"]),
    )
    with pytest.raises(InvalidArgument) as refused:
        refuse_nul(request)
    assert refused.value.field == "brand.handles.handle"
    assert refused.value.reason == "NUL_CHARACTER"


def test_a_request_without_nul_passes() -> None:
    refuse_nul(rpc.LoginRequest(email="é@example.test", password="\u202e secret"))
