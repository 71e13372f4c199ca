"""Hypothesis strategies for any protobuf message, built from its descriptor: strings that are
empty, huge, unicode or close to the world's real resource names, integers at their bounds, enum
numbers the schema does not know, repeated fields, maps and nested messages."""

from collections.abc import Sequence
from typing import Any

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from hypothesis import strategies as st

_DEPTH = 3  # nested messages deeper than this stay empty
_TIMESTAMP = "google.protobuf.Timestamp"
_MAX_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z, the last valid Timestamp
_F = FieldDescriptor
# What a proto string can hold: any code point but the surrogates, which UTF-8 cannot encode.
_UTF8 = st.characters(codec="utf-8")
_INT_BOUNDS = {
    _F.TYPE_INT32: (-(2**31), 2**31 - 1), _F.TYPE_SINT32: (-(2**31), 2**31 - 1),
    _F.TYPE_SFIXED32: (-(2**31), 2**31 - 1), _F.TYPE_UINT32: (0, 2**32 - 1),
    _F.TYPE_FIXED32: (0, 2**32 - 1), _F.TYPE_INT64: (-(2**63), 2**63 - 1),
    _F.TYPE_SINT64: (-(2**63), 2**63 - 1), _F.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    _F.TYPE_UINT64: (0, 2**64 - 1), _F.TYPE_FIXED64: (0, 2**64 - 1),
}  # fmt: skip


def _near(name: str) -> list[str]:
    """Names a caller could get slightly wrong: cut, extended, doubled, with a foreign id."""
    head, _, _ = name.rpartition("/")
    return [name, name + "/", name[:-1], f"{name}/x", f"{head}/é-0", f"{head}/{'9' * 40}", name * 2]


def strings(names: Sequence[str]) -> st.SearchStrategy[str]:
    near = [variant for name in names for variant in _near(name)]
    return st.one_of(
        st.sampled_from(list(names) or [""]),  # the real ones, so requests get past validation
        st.sampled_from(near or [""]),
        st.sampled_from(["", " ", "\x00", "*", "-", "..", "tenants/", "tenants/-/", "🙂" * 3]),
        # NUL is its own case above: in every text it would hide the rest behind NUL_CHARACTER.
        st.text(_UTF8.filter(lambda c: c != "\x00"), max_size=40),
        st.text(_UTF8, min_size=10_000, max_size=10_001).map(lambda t: t * 10),  # ~100k chars
    )


def _integers(kind: int) -> st.SearchStrategy[int]:
    low, high = _INT_BOUNDS[kind]
    return st.one_of(st.sampled_from([low, high, 0, -1 if low < 0 else 1]), st.integers(low, high))


def _scalar(field: FieldDescriptor, names: Sequence[str]) -> st.SearchStrategy[Any]:
    if field.type == _F.TYPE_STRING:
        return strings(names)
    if field.type == _F.TYPE_BYTES:
        return st.binary(max_size=64)
    if field.type == _F.TYPE_BOOL:
        return st.booleans()
    if field.type == _F.TYPE_ENUM:
        assert field.enum_type is not None
        known = [value.number for value in field.enum_type.values]
        return st.one_of(st.sampled_from(known), st.integers(-3, 10_000))  # unknown numbers too
    if field.type == _F.TYPE_FLOAT:
        return st.floats(width=32)
    if field.type == _F.TYPE_DOUBLE:
        return st.floats()
    return _integers(field.type)


def _timestamps() -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({
        "seconds": st.one_of(st.sampled_from([0, 1, _MAX_SECONDS]), st.integers(0, _MAX_SECONDS)),
        "nanos": st.integers(0, 999_999_999),
    })  # fmt: skip


def _value(field: FieldDescriptor, names: Sequence[str], depth: int) -> st.SearchStrategy[Any]:
    if field.message_type is None:
        return _scalar(field, names)
    if field.message_type.full_name == _TIMESTAMP:
        return _timestamps()
    if depth >= _DEPTH:
        return st.just({})
    return _fields(field.message_type, names, depth + 1)


def _fields(
    descriptor: Descriptor, names: Sequence[str], depth: int
) -> st.SearchStrategy[dict[str, Any]]:
    """Field name -> value, each field present or absent; a message's value is such a dict."""
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in descriptor.fields:
        entry = field.message_type
        if entry is not None and entry.GetOptions().map_entry:
            key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
            optional[field.name] = st.dictionaries(
                _scalar(key, names), _value(value, names, depth), max_size=3
            )
        elif field.is_repeated:
            optional[field.name] = st.lists(_value(field, names, depth), max_size=4)
        else:
            optional[field.name] = _value(field, names, depth)
    return st.fixed_dictionaries({}, optional=optional)


def fill(message: Any, values: dict[str, Any]) -> Any:
    """`message` with `values` (from `_fields`) set; returns it."""
    for name, value in values.items():
        field = message.DESCRIPTOR.fields_by_name[name]
        target = getattr(message, name)
        entry = field.message_type
        if entry is not None and entry.GetOptions().map_entry:
            for key, item in value.items():
                if entry.fields_by_name["value"].message_type is None:
                    target[key] = item
                else:
                    fill(target[key], item)
        elif field.is_repeated and entry is not None:
            for item in value:
                fill(target.add(), item)
        elif field.is_repeated:
            target.extend(value)
        elif entry is not None:
            fill(target, value)
            target.SetInParent()  # present even when empty: "set to the default" is a case too
        else:
            setattr(message, name, value)
    return message


def requests(descriptor: Descriptor, names: Sequence[str]) -> st.SearchStrategy[Any]:
    """Messages of type `descriptor`, with `names` the real resource names to stay close to."""
    cls = message_factory.GetMessageClass(descriptor)
    return _fields(descriptor, names, 0).map(lambda values: fill(cls(), values))
