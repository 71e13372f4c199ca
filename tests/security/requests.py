"""Requests built from a gRPC method's input descriptor: every field that names a resource
(a "slot") gets the target's resource of that kind, every other field a simple valid default.

One request per (slot, candidate): that slot takes the candidate, the other slots their first
candidate, so each name of the target is tried in each place it can go."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from tests.security.attacks import ancestors
from tests.security.kinds import kinds_of, noun_of_field, noun_of_operation, words

_DEPTH = 3
_TIMESTAMP = "google.protobuf.Timestamp"
_MASK = "google.protobuf.FieldMask"


@dataclass(frozen=True)
class Slot:
    path: tuple[str, ...]  # field names from the request down to the slot
    repeated: bool
    candidates: tuple[str, ...]  # resource names to try, the first one the default


def slot_candidates(
    field: str, owner_noun: str, names: dict[str, list[str]], everything: list[str]
) -> tuple[str, ...] | None:
    """The names to try in `field` (of a message about `owner_noun`); None if not a name."""
    known = list(names)
    if field in ("name", "names"):
        kinds = kinds_of(owner_noun, known)
        return tuple(n for k in kinds for n in names[k][:1]) or tuple(everything)
    if field == "parent":
        kinds = kinds_of(owner_noun, known)
        parents = {a for k in kinds for n in names[k][:1] for a in ancestors(n)}
        if not parents:  # any parent a resource has
            parents = {a for n in everything for a in ancestors(n)}
        return tuple(sorted(parents, key=len, reverse=True))
    kinds = kinds_of(noun_of_field(field), known)
    if not kinds:
        return None
    return tuple(n for k in kinds for n in names[k][:1])


def find_slots(message: Descriptor, method: str, names: dict[str, list[str]]) -> list[Slot]:
    everything = [n for values in names.values() for n in values[:1]]
    slots: list[Slot] = []

    def walk(descriptor: Descriptor, path: tuple[str, ...], noun: str, depth: int) -> None:
        for field in descriptor.fields:
            if field.message_type is not None:
                if depth < _DEPTH and field.message_type.full_name not in (_TIMESTAMP, _MASK):
                    walk(field.message_type, (*path, field.name),
                         words(field.message_type.name), depth + 1)  # fmt: skip
                continue
            if field.type != FieldDescriptor.TYPE_STRING:
                continue
            found = slot_candidates(field.name, noun, names, everything)
            if found:
                slots.append(Slot((*path, field.name), field.is_repeated, found))

    walk(message, (), noun_of_operation(method), 0)
    return slots


def assignments(slots: list[Slot]) -> Iterator[dict[tuple[str, ...], str]]:
    """Each slot's each candidate once, the other slots at their first candidate."""
    base = {slot.path: slot.candidates[0] for slot in slots}
    seen: set[tuple[tuple[tuple[str, ...], str], ...]] = set()
    for slot in slots:
        for candidate in slot.candidates:
            chosen = {**base, slot.path: candidate}
            key = tuple(sorted(chosen.items()))
            if key not in seen:
                seen.add(key)
                yield chosen
    if not slots:
        yield {}


def _default(field: FieldDescriptor, now: datetime) -> Any:
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return "probe" if field.name != "page_token" else ""
    if kind == FieldDescriptor.TYPE_BOOL:
        return False
    if kind == FieldDescriptor.TYPE_BYTES:
        return b""
    if kind == FieldDescriptor.TYPE_ENUM and field.enum_type is not None:
        values = [v.number for v in field.enum_type.values if v.number != 0]
        return values[0] if values else 0
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return 1.0
    return 50 if "page_size" in field.name else 1


def fill(request: Any, chosen: dict[tuple[str, ...], str]) -> Any:
    """`request` (an empty message) with defaults everywhere and `chosen` names in the slots."""
    now = datetime.now(UTC)

    def populate(message: Any, path: tuple[str, ...], depth: int) -> None:
        for field in message.DESCRIPTOR.fields:
            here = (*path, field.name)
            if not _chosen_member(field, path, chosen):
                continue
            if field.message_type is not None:
                if field.message_type.GetOptions().map_entry:
                    _fill_map(getattr(message, field.name), field.message_type, now)
                elif field.message_type.full_name == _TIMESTAMP:
                    moment = now if "end" in field.name else now - timedelta(days=7)
                    target = getattr(message, field.name)
                    target = target.add() if field.is_repeated else target
                    target.FromDatetime(moment)
                elif field.message_type.full_name == _MASK:
                    inner = [f.name for f in _masked(message)]
                    getattr(message, field.name).paths.extend(inner)
                elif depth < _DEPTH:
                    child = getattr(message, field.name)
                    populate(child.add() if field.is_repeated else child, here, depth + 1)
                continue
            value = chosen.get(here)
            if value is None:
                value = _default(field, now)
            if field.is_repeated:
                getattr(message, field.name).append(value)
            else:
                setattr(message, field.name, value)

    populate(request, (), 0)
    return request


def _fill_map(target: Any, entry: Any, now: datetime) -> None:
    """One entry in a map field (`map<string, string>` variables and the like): its key and value
    take the same defaults as plain fields; maps of messages stay empty (none exist yet)."""
    key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
    if value.message_type is None:
        target[_default(key, now)] = _default(value, now)


def _chosen_member(field: FieldDescriptor, path: tuple[str, ...], chosen: dict[Any, str]) -> bool:
    """One member of a oneof is set: the one holding a slot, else the first (setting them all
    would leave only the last)."""
    group = field.containing_oneof
    if group is None:
        return True
    holding = [
        f for f in group.fields if any(p[: len(path) + 1] == (*path, f.name) for p in chosen)
    ]
    return field == (holding or list(group.fields))[0]


def _masked(message: Any) -> list[FieldDescriptor]:
    """An update changes the display name when it has one (the field every resource shows)."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None and field.message_type.full_name != _MASK:
            inner = [f for f in field.message_type.fields if f.name == "display_name"]
            if inner:
                return inner
    return []
