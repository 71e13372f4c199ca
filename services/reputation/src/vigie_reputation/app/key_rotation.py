"""The stored webhook signing secrets under the current key, so an old key can be dropped
(`python -m vigie_reputation reseal`, docs/OPERATIONS.md)."""

from vigie_runtime.reseal import SealedColumn

from vigie_reputation.adapters.orm import WebhookRow
from vigie_reputation.adapters.secret_box import SecretBox, SecretUnreadable


def sealed_secrets(box: SecretBox) -> SealedColumn:
    return SealedColumn(WebhookRow, "secret", box.reseal, box.is_current, SecretUnreadable)
