"""A rule for every request: text never contains NUL (U+0000).

PostgreSQL cannot store it in text columns, so a NUL that reached a query would fail there as an
internal error; refusing it at the door gives the caller a clear reason on every RPC.
"""

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from vigie_runtime.errors import InvalidArgument


def _nul_path(message: Message, prefix: str = "") -> str | None:
    for field, value in message.ListFields():
        path = f"{prefix}{field.name}"
        if field.type == FieldDescriptor.TYPE_STRING:
            values = value if field.is_repeated else [value]
            if any("\x00" in v for v in values):
                return path
        elif field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type is not None:
            if field.message_type.GetOptions().map_entry:
                found = _in_map(value, path)
            else:
                items = value if field.is_repeated else [value]
                found = next(
                    (f for m in items if (f := _nul_path(m, f"{path}.")) is not None), None
                )
            if found is not None:
                return found
    return None


def _in_map(entries: object, path: str) -> str | None:
    for key, item in dict(entries).items():  # type: ignore[call-overload]
        if isinstance(key, str) and "\x00" in key:
            return path
        if isinstance(item, str) and "\x00" in item:
            return f"{path}.{key}"
        if isinstance(item, Message) and (found := _nul_path(item, f"{path}.{key}.")) is not None:
            return found
    return None


def refuse_nul(message: object) -> None:
    if isinstance(message, Message) and (path := _nul_path(message)) is not None:
        raise InvalidArgument(path, "must not contain the NUL character", reason="NUL_CHARACTER")
