"""A package, so that its package-scoped platform and event loop end with it (without one, pytest scopes them to the session and two platforms would share NATS consumers)."""
