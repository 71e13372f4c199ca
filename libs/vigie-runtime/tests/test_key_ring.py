"""The key ring seals with its first key, opens with any, and rotates without loss."""

import pytest
from cryptography.fernet import Fernet
from vigie_runtime.key_ring import KeyRing, SealedUnreadable, looks_sealed, parse_keys

VALUE = b"a token nobody may read in a database dump"


def new_key() -> str:
    return Fernet.generate_key().decode()


def test_a_sealed_value_hides_its_text_and_opens_again() -> None:
    ring = KeyRing([new_key()])
    sealed = ring.seal(VALUE)
    assert VALUE.decode() not in sealed and looks_sealed(sealed)
    assert ring.open(sealed) == VALUE


def test_rotation_reseals_under_the_new_key_then_the_old_key_can_go() -> None:
    old, new = new_key(), new_key()
    sealed_before = KeyRing([old]).seal(VALUE)
    resealed = KeyRing([new, old]).reseal(sealed_before)
    assert KeyRing([new]).open(resealed) == VALUE
    with pytest.raises(SealedUnreadable):
        KeyRing([new]).open(sealed_before)
    with pytest.raises(SealedUnreadable):
        KeyRing([new]).reseal(sealed_before)


def test_a_ring_needs_a_key_and_the_setting_lists_them_current_first() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        KeyRing([])
    assert parse_keys(" a, ,b ,") == ["a", "b"]
    assert parse_keys("") == []
