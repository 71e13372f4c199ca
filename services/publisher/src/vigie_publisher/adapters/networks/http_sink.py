"""Publish to a plain HTTP endpoint: the stand-in network of benchmarks and the fault harness.

The sink's contract, kept as small as a network's:
- `POST {endpoint}` with `Idempotency-Key: <key>` and the publication as JSON answers `200`/`201`
  `{"id", "url", "part_ids"}`; the same key always answers the same post.
- `GET {endpoint}/{key}` answers that post, or `404` when there is none.
- Refusals are `{"error": "..."}` with the status a network would use (401, 400/422, 429 with
  `Retry-After`, 5xx).
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from vigie_publisher.domain.publishing import OutgoingPublication, PublishedPost

from ._http import Clock, HttpApi, Json, Refusal, json_body, retry_after, utc_now


def publication_json(publication: OutgoingPublication) -> Json:
    return {
        "publication_id": publication.publication_id,
        "scheduled_at": publication.scheduled_at.isoformat(),
        "language": publication.language,
        "first_comment": publication.first_comment,
        "in_reply_to": publication.in_reply_to,
        "parts": [
            {
                "text": part.text,
                "media": [
                    {"url": m.url, "mime_type": m.mime_type, "size_bytes": m.size_bytes}
                    for m in part.media
                ],
            }
            for part in publication.parts
        ],
    }


def _post(body: Json) -> PublishedPost:
    return PublishedPost(
        str(body["id"]), str(body.get("url", "")), tuple(str(i) for i in body.get("part_ids", ()))
    )


class HttpSinkAdapter(HttpApi):
    """`network` is configurable so one sink can stand in for any network in a benchmark."""

    def __init__(
        self,
        endpoint: str,
        *,
        network: str = "http_sink",
        access_token: str = "",
        deadline_s: float = 10.0,
        clock: Clock = utc_now,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
        super().__init__(endpoint, headers=headers, deadline_s=deadline_s, clock=clock, http=http)
        self.network = network

    def refusal(self, response: httpx.Response) -> Refusal:
        message = str(json_body(response).get("error") or response.text[:300])
        reset = retry_after(response.headers, self.clock())
        return Refusal(response.status_code, message, reset_at=reset)

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        headers = {"Idempotency-Key": publication.idempotency_key}
        body = publication_json(publication)
        return _post(await self.json("POST", "", mutating=True, json=body, headers=headers))

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        found = await self.find(f"/{quote(publication.idempotency_key, safe='')}")
        return _post(found) if found is not None else None
