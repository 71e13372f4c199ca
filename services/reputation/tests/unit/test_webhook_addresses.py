"""A webhook address on a private network is refused where private addresses are (SSRF):
the delivery fails with the reason, and the receiver is never called."""

from vigie_reputation.adapters.webhook_sender import WebhookSender
from vigie_reputation.testing import webhook_receivers
from vigie_runtime.outbound import outbound_transport


async def test_a_webhook_on_loopback_is_refused_where_private_addresses_are() -> None:
    async with webhook_receivers() as make:
        receiver = await make()
        refusing = WebhookSender(1.0, outbound_transport(allow_private=False))
        allowing = WebhookSender(1.0, outbound_transport(allow_private=True))
        try:
            status, error = await refusing.send(receiver.url, "s3cret", "{}", "e1", "t")
            assert (status, receiver.requests) == (0, [])
            assert "not a public address" in error
            assert (await allowing.send(receiver.url, "s3cret", "{}", "e2", "t")) == (204, "")
            assert len(receiver.requests) == 1
        finally:
            await refusing.close()
            await allowing.close()
