"""Cross-site request forgery: the gateway authenticates by bearer header only (no cookie), so a
forged cross-site request carries no credentials; still, as the GraphQL-over-HTTP spec advises,
POST bodies must be JSON (never a CORS-"simple" type a form could send without a preflight, see
`protocol.body_params`), GET runs queries only, and a browser request whose `Origin` is neither
the gateway's own nor an allowed one is refused before any work."""

from urllib.parse import urlsplit

from vigie_gateway.http.protocol import ProtocolError


def check_origin(origin: str | None, host: str | None, allowed: list[str]) -> None:
    if not origin or origin in allowed or "*" in allowed:
        return
    if host and urlsplit(origin).netloc == host:
        return  # same origin: the gateway's own pages (GraphiQL, the console)
    raise ProtocolError(403, "CSRF_ORIGIN_REFUSED", f"requests from {origin} are not allowed")
