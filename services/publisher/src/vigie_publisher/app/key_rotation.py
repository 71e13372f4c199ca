"""The stored social credentials under the current key, so an old key can be dropped
(`python -m vigie_publisher reseal`, docs/OPERATIONS.md)."""

from vigie_runtime.reseal import SealedColumn

from vigie_publisher.adapters.credentials import CredentialsUnreadable, CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow


def sealed_credentials(vault: CredentialVault) -> SealedColumn:
    return SealedColumn(
        SocialAccountRow, "sealed_credentials", vault.reseal, vault.is_current,
        CredentialsUnreadable,
    )  # fmt: skip
