"""Re-encrypts every stored credential under the current key, so an old key can be dropped."""

from sqlalchemy import select
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow


async def reseal_all(uow: UnitOfWork, vault: CredentialVault) -> int:
    """How many accounts were re-encrypted; the caller commits."""
    query = select(SocialAccountRow).where(SocialAccountRow.sealed_credentials != "")
    count = 0
    for row in (await uow.session.execute(query)).scalars():
        row.sealed_credentials = vault.reseal(row.sealed_credentials)
        count += 1
    return count
