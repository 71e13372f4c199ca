"""Listening queries through gRPC: CRUD, refusals that name the position, validation, trials,
roles and tenant isolation."""

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.testing import LUMIERE, OTHER_BRAND, OTHER_TENANT, RIVAL, TENANT, Listener
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import Role


def _query(text: str, name: str = "Main") -> pb.ListeningQuery:
    return pb.ListeningQuery(display_name=name, query=text, active=True, languages=["fr"])


async def _create(listener: Listener, parent: str, text: str) -> pb.ListeningQuery:
    request = rpc.CreateListeningQueryRequest(parent=parent, listening_query=_query(text))
    return await listener.stub.CreateListeningQuery(request, metadata=listener.admin())


async def test_a_query_is_created_read_listed_updated_and_deleted(listener: Listener) -> None:
    created = await _create(listener, LUMIERE, '"café lumière" OR @lumiere')
    await _create(listener, RIVAL, "rival")
    assert created.name.startswith(f"{LUMIERE}/listeningQueries/")
    assert created.brand == LUMIERE and created.etag == "1" and created.languages == ["fr"]
    read = await listener.stub.GetListeningQuery(
        rpc.GetListeningQueryRequest(name=created.name), metadata=listener.admin()
    )
    assert read == created
    of_brand = await listener.stub.ListListeningQueries(
        rpc.ListListeningQueriesRequest(parent=LUMIERE), metadata=listener.admin()
    )
    assert [q.name for q in of_brand.listening_queries] == [created.name]
    of_tenant = await listener.stub.ListListeningQueries(
        rpc.ListListeningQueriesRequest(parent=f"tenants/{TENANT}", page_size=1),
        metadata=listener.admin(),
    )
    assert len(of_tenant.listening_queries) == 1 and of_tenant.next_page_token
    changed = _query("lumiere NOT recrutement")
    changed.name, changed.etag = created.name, created.etag
    updated = await listener.stub.UpdateListeningQuery(
        rpc.UpdateListeningQueryRequest(
            listening_query=changed, update_mask=FieldMask(paths=["query"])
        ),
        metadata=listener.admin(),
    )
    assert updated.query == "lumiere NOT recrutement" and updated.etag == "2"
    with pytest.raises(grpc.aio.AioRpcError) as stale:
        await listener.stub.DeleteListeningQuery(
            rpc.DeleteListeningQueryRequest(name=created.name, etag="1"),
            metadata=listener.admin(),
        )
    assert stale.value.code() == grpc.StatusCode.ABORTED
    await listener.stub.DeleteListeningQuery(
        rpc.DeleteListeningQueryRequest(name=created.name, etag="2"), metadata=listener.admin()
    )
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await listener.stub.GetListeningQuery(
            rpc.GetListeningQueryRequest(name=created.name), metadata=listener.admin()
        )
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_query_that_does_not_parse_is_refused_naming_the_position(
    listener: Listener,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await _create(listener, LUMIERE, "(lumiere OR café")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info = error_info(caught.value)
    assert info is not None and info.reason == "QUERY_SYNTAX_ERROR"
    assert info.metadata["start"] == "16"
    assert "position 16" in (caught.value.details() or "")


async def test_validate_query_says_where_and_why_or_gives_the_normalised_form(
    listener: Listener,
) -> None:
    parent = f"tenants/{TENANT}"
    bad = await listener.stub.ValidateQuery(
        rpc.ValidateQueryRequest(parent=parent, query="lumiere AND"), metadata=listener.admin()
    )
    assert not bad.valid and bad.problems[0].code == "QUERY_SYNTAX_ERROR"
    assert bad.problems[0].start == 11
    good = await listener.stub.ValidateQuery(
        rpc.ValidateQueryRequest(parent=parent, query="Lumière -job"), metadata=listener.admin()
    )
    assert good.valid and not good.problems and good.normalized_query


async def test_test_query_runs_over_samples_and_names_the_terms_found(
    listener: Listener,
) -> None:
    samples = [
        rpc.TestQuerySample(text="J'adore le café Lumière ce matin"),
        rpc.TestQuerySample(text="Lumière recrute: offre de job", language="fr"),
        rpc.TestQuerySample(text="I love Lumière coffee", language="en"),
    ]
    answer = await listener.stub.TestQuery(
        rpc.TestQueryRequest(
            parent=LUMIERE, query="lumiere -job", languages=["fr"], samples=samples
        ),
        metadata=listener.admin(),
    )
    assert [r.matched for r in answer.sample_results] == [True, False, False]
    assert list(answer.sample_results[0].matched_terms) == ["lumiere"]


async def test_a_community_manager_reads_queries_but_cannot_write_them(
    listener: Listener,
) -> None:
    created = await _create(listener, LUMIERE, "lumiere")
    reader = listener.member(Role.COMMUNITY_MANAGER)
    read = await listener.stub.GetListeningQuery(
        rpc.GetListeningQueryRequest(name=created.name), metadata=reader
    )
    assert read.name == created.name
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await listener.stub.CreateListeningQuery(
            rpc.CreateListeningQueryRequest(parent=LUMIERE, listening_query=_query("x")),
            metadata=reader,
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_another_tenant_sees_none_of_the_queries(listener: Listener) -> None:
    created = await _create(listener, LUMIERE, "lumiere")
    stranger = listener.admin(OTHER_TENANT)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await listener.stub.GetListeningQuery(
            rpc.GetListeningQueryRequest(name=created.name), metadata=stranger
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    own = await listener.stub.ListListeningQueries(
        rpc.ListListeningQueriesRequest(parent=f"tenants/{OTHER_TENANT}"), metadata=stranger
    )
    assert not own.listening_queries
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await _create(listener, OTHER_BRAND, "other")
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_deleted_brand_takes_no_new_query(listener: Listener) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await _create(listener, f"tenants/{TENANT}/brands/gone", "gone")
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
