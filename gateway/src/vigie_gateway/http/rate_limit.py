"""Rate limits: one token bucket per caller (subject and tenant, or client IP when anonymous).

A bucket holds at most `burst` requests and refills at `per_second`; a request with no token left
is refused with the seconds until one is back (HTTP 429 + Retry-After, code RATE_LIMITED). The
buckets live in a bounded map (least recently seen first out), so a flood of distinct callers
cannot grow the gateway's memory; a forgotten caller simply starts again with a full bucket.
"""

from vigie_runtime.rate_limit import RateLimiter

__all__ = ["RateLimiter", "caller_key"]


def caller_key(subject: str | None, tenant: str | None, client_ip: str | None) -> str:
    if subject:
        return f"token:{tenant or ''}:{subject}"
    return f"ip:{client_ip or 'unknown'}"
