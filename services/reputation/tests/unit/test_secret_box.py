"""Webhook secrets at rest: sealed, opened by any configured key, rotated to the first."""

import pytest
from cryptography.fernet import Fernet
from vigie_reputation.adapters.secret_box import SecretBox, SecretUnreadable, is_sealed

SECRET = "a-shared-secret-of-32-characters"


def test_a_sealed_secret_is_not_the_secret_and_opens_back() -> None:
    box = SecretBox([Fernet.generate_key().decode()])
    sealed = box.seal(SECRET)
    assert SECRET not in sealed and is_sealed(sealed)
    assert box.open(sealed) == SECRET


def test_a_rotated_key_still_opens_old_secrets_and_reseals_them_under_the_new_one() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed_before = SecretBox([old]).seal(SECRET)
    rotating = SecretBox([new, old])
    resealed = rotating.reseal(sealed_before)
    assert rotating.open(sealed_before) == SECRET
    assert SecretBox([new]).open(resealed) == SECRET
    with pytest.raises(SecretUnreadable):
        SecretBox([new]).open(sealed_before)


def test_a_secret_stored_before_encryption_is_still_read() -> None:
    assert SecretBox([Fernet.generate_key().decode()]).open(SECRET) == SECRET
